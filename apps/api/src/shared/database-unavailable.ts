/**
 * Whether an error means "the database cannot be reached right now" (restart, failover,
 * connection limit, network) rather than "this request is wrong" or "our code is wrong".
 * The API answers those 503 with Retry-After instead of 500; the pool reconnects by itself.
 *
 * Recognises pg's errors as it produces them (socket errors with a Node `code`, server errors
 * with a SQLSTATE `code`, its own messages for a dropped or unobtainable connection), and the
 * same wrapped by TypeORM (QueryFailedError/DriverError keep the original in `driverError`)
 * or in an `AggregateError`/`cause` chain.
 */

/** Socket-level codes from Node (connect, DNS, a dropped connection). */
const NETWORK_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH', 'ECONNABORTED']);

/**
 * SQLSTATEs: class 08 (connection exception), 57P01 admin_shutdown, 57P02 crash_shutdown,
 * 57P03 cannot_connect_now (starting up / shutting down / recovery), 53300 too_many_connections.
 */
const SQLSTATES = new Set(['08000', '08001', '08003', '08004', '08006', '08007', '57P01', '57P02', '57P03', '53300']);

/** Messages pg uses for a connection that ended or could not be had (no code on these). */
const MESSAGES = [
  /^Connection terminated/i, // 'Connection terminated', 'Connection terminated unexpectedly', '... due to connection timeout'
  /timeout exceeded when trying to connect/i, // pg-pool: connectionTimeoutMillis reached
  /Client has encountered a connection error and is not queryable/i,
  /Client was closed and is not queryable/i,
  /the database system is (starting up|shutting down|in recovery mode|not yet accepting connections)/i,
  /terminating connection due to administrator command/i,
  /database "[^"]*" is not currently accepting connections/i, // 55000: ALTER DATABASE ... ALLOW_CONNECTIONS false (maintenance)
  /Connection refused|connect ECONNREFUSED/i,
];

export function isDatabaseUnavailable(error: unknown, depth = 0): boolean {
  if (depth > 5 || error === null || typeof error !== 'object') return false;
  const e = error as { code?: unknown; message?: unknown; driverError?: unknown; cause?: unknown; errors?: unknown };
  if (typeof e.code === 'string' && (NETWORK_CODES.has(e.code) || SQLSTATES.has(e.code))) return true;
  if (typeof e.message === 'string' && MESSAGES.some((pattern) => pattern.test(e.message as string))) return true;
  if (e.driverError && isDatabaseUnavailable(e.driverError, depth + 1)) return true;
  if (e.cause && isDatabaseUnavailable(e.cause, depth + 1)) return true;
  return Array.isArray(e.errors) && e.errors.some((inner) => isDatabaseUnavailable(inner, depth + 1));
}

/** A short, internals-free name for the failure (code only: no host, port, SQL or stack), for logs and /health. */
export function describeDatabaseError(error: unknown): string {
  const codes: string[] = [];
  const walk = (value: unknown, depth: number) => {
    if (depth > 5 || value === null || typeof value !== 'object') return;
    const e = value as { code?: unknown; driverError?: unknown; cause?: unknown; errors?: unknown };
    if (typeof e.code === 'string' && /^[A-Z0-9_]{5,20}$/.test(e.code) && !codes.includes(e.code)) codes.push(e.code);
    walk(e.driverError, depth + 1);
    walk(e.cause, depth + 1);
    if (Array.isArray(e.errors)) e.errors.forEach((inner) => walk(inner, depth + 1));
  };
  walk(error, 0);
  const kind = isDatabaseUnavailable(error) ? 'database unavailable' : 'database query failed';
  return codes.length ? `${kind} (${codes.join(', ')})` : kind;
}

/** Seconds a client should wait before retrying while the database is unavailable. */
export const DATABASE_RETRY_AFTER_SECONDS = 5;

/**
 * Whether PostgreSQL refused text from the request as unstorable: a lone surrogate escape in
 * jsonb ("\ud800": 22P02 "invalid input syntax for type json", detail "Unicode low surrogate
 * must follow a high surrogate"), 22P05 (an escape it cannot convert) or 22021 (a byte
 * sequence invalid in UTF-8). The body parser refuses such JSON text before; this catches
 * text that only becomes one later (an escape in a YAML rule-set document). The failed
 * statement stored nothing: a 400, not a 500.
 */
export function isUnstorableText(error: unknown, depth = 0): boolean {
  if (depth > 5 || error === null || typeof error !== 'object') return false;
  const e = error as { code?: unknown; detail?: unknown; driverError?: unknown; cause?: unknown };
  if (e.code === '22P05' || e.code === '22021') return true;
  if (e.code === '22P02' && typeof e.detail === 'string' && /Unicode|surrogate/i.test(e.detail)) return true;
  return isUnstorableText(e.driverError, depth + 1) || isUnstorableText(e.cause, depth + 1);
}
