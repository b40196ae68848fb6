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
  /**
   * PERSONAL_DATA_KEKS=<id>:<base64 of 32 bytes>[,<id>:<base64>…]: the key-encryption keys that
   * wrap the per-record data keys of crypto-shredding. The first wraps new keys, every one still
   * unwraps (rotation). Required in production; elsewhere a fixed development KEK stands in.
   */
  personalDataKeks: PersonalDataKek[];
  /** PERSONAL_DATA_KEY_CACHE_SIZE (default 10000): unwrapped data keys kept in memory per process. */
  personalDataKeyCacheSize: number;
  /**
   * PERSONAL_DATA_KEY_REVALIDATE_MS (default 30000): a cached data key older than this is read
   * again before use, which bounds how long a key erased by another process still decrypts here.
   */
  personalDataKeyRevalidateMs: number;
}

export type PersonalDataKek = { id: string; key: Buffer };

/**
 * Stands in for PERSONAL_DATA_KEKS outside production, like the development token key: data
 * encrypted under it is only as secret as this repository. Refused when NODE_ENV=production.
 */
export const DEVELOPMENT_KEK: Readonly<PersonalDataKek> = { id: 'development', key: Buffer.from('familievedtak-dev-kek-not-secret', 'utf8') };

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
    personalDataKeks: readKeks(env),
    personalDataKeyCacheSize: wholeNumber(env.PERSONAL_DATA_KEY_CACHE_SIZE ?? '10000', 'PERSONAL_DATA_KEY_CACHE_SIZE', 0),
    personalDataKeyRevalidateMs: wholeNumber(env.PERSONAL_DATA_KEY_REVALIDATE_MS ?? '30000', 'PERSONAL_DATA_KEY_REVALIDATE_MS', 0),
  };
}

const KEK_FORMAT = 'PERSONAL_DATA_KEKS=<id>:<base64 of 32 random bytes>[,<id>:<base64>…] (e.g. kek-2026:$(openssl rand -base64 32)); the first wraps new keys';

/** The KEKs in order; a malformed list stops the process wherever it runs, a missing one in production only. */
function readKeks(env: NodeJS.ProcessEnv): PersonalDataKek[] {
  const production = env.NODE_ENV === 'production';
  const text = (env.PERSONAL_DATA_KEKS ?? '').trim();
  if (text === '') {
    if (production) throw new Error(`NODE_ENV=production needs ${KEK_FORMAT}. The development KEK is not used in production.`);
    return [DEVELOPMENT_KEK];
  }
  const keks = text.split(',').map((item, i) => {
    const entry = item.trim();
    const colon = entry.indexOf(':');
    const id = colon > 0 ? entry.slice(0, colon) : '';
    const encoded = entry.slice(colon + 1);
    // Strict standard base64 of exactly 32 bytes: Buffer.from would quietly accept anything.
    if (!/^[A-Za-z0-9._-]{1,64}$/.test(id) || !/^[A-Za-z0-9+/]{43}=$/.test(encoded)) {
      throw new Error(`PERSONAL_DATA_KEKS entry ${i + 1} is not <id>:<base64 of 32 bytes>: ${KEK_FORMAT}`);
    }
    return { id, key: Buffer.from(encoded, 'base64') };
  });
  const ids = keks.map((k) => k.id);
  const twice = ids.find((id, i) => ids.indexOf(id) !== i);
  if (twice) throw new Error(`PERSONAL_DATA_KEKS names KEK ${twice} twice`);
  if (production && keks.some((k) => k.id === DEVELOPMENT_KEK.id || k.key.equals(DEVELOPMENT_KEK.key))) {
    throw new Error('PERSONAL_DATA_KEKS contains the development KEK, which is not used when NODE_ENV=production');
  }
  return keks;
}

function positiveInteger(value: string, name: string): number {
  return wholeNumber(value, name, 1);
}

function wholeNumber(value: string, name: string, min: number): number {
  const n = value.trim() === '' ? NaN : Number(value);
  if (!Number.isSafeInteger(n) || n < min) throw new Error(`${name} must be a whole number of ${min} or more, not "${value}"`);
  return n;
}
