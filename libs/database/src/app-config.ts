/** Settings read once from the environment; secrets only ever come from here. */
export interface AppConfig {
  /** The primary: the log, the projections, the read audit and every write. */
  databaseUrl: string;
  /**
   * DATABASE_READ_URL: a streaming replica of the primary (one server, not a balancer over
   * several: a client that waited for a revision there must not be sent to a replica further
   * behind). When set, family view reads go there; unset, everything reads the primary.
   */
  databaseReadUrl?: string;
  /**
   * READ_YOUR_WRITES_WAIT_MS (default 500): how long a read that names the revision it wrote
   * (X-Min-Revision) waits for the replica before it is served from the primary.
   */
  readYourWritesWaitMs: number;
  eventStore: 'postgres' | 'eventstoredb';
  eventStoreConnectionString?: string;
  /** Whether this process takes part in running projections (several instances may). */
  runProjections: boolean;
  port: number;
  host: string;
  /** Requests per minute per user (per IP without a valid token): RATE_LIMIT_PER_MINUTE, default 600. */
  rateLimitPerMinute: number;
}

export const APP_CONFIG = Symbol('APP_CONFIG');

export function readAppConfig(databaseUrl: string, env: NodeJS.ProcessEnv = process.env): AppConfig {
  const eventStore = (env.EVENT_STORE ?? 'postgres').toLowerCase();
  if (eventStore !== 'postgres' && eventStore !== 'eventstoredb') {
    throw new Error(`EVENT_STORE must be "postgres" or "eventstoredb", not "${env.EVENT_STORE}"`);
  }
  if (eventStore === 'eventstoredb' && !env.EVENTSTORE_CONNECTION_STRING) {
    throw new Error('EVENT_STORE=eventstoredb needs EVENTSTORE_CONNECTION_STRING (e.g. esdb://localhost:2113?tls=false)');
  }
  return {
    databaseUrl,
    databaseReadUrl: env.DATABASE_READ_URL || undefined,
    readYourWritesWaitMs: wholeNumber(env.READ_YOUR_WRITES_WAIT_MS ?? '500', 'READ_YOUR_WRITES_WAIT_MS', 0),
    eventStore,
    eventStoreConnectionString: env.EVENTSTORE_CONNECTION_STRING,
    runProjections: (env.RUN_PROJECTIONS ?? 'true') !== 'false',
    port: Number(env.PORT ?? 3000),
    host: env.HOST ?? '0.0.0.0',
    rateLimitPerMinute: positiveInteger(env.RATE_LIMIT_PER_MINUTE ?? '600', 'RATE_LIMIT_PER_MINUTE'),
  };
}

function positiveInteger(value: string, name: string): number {
  return wholeNumber(value, name, 1);
}

function wholeNumber(value: string, name: string, min: number): number {
  const n = value.trim() === '' ? NaN : Number(value);
  if (!Number.isSafeInteger(n) || n < min) throw new Error(`${name} must be a whole number of ${min} or more, not "${value}"`);
  return n;
}
