/** Settings read once from the environment; secrets only ever come from here. */
export interface AppConfig {
  databaseUrl: string;
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
    eventStore,
    eventStoreConnectionString: env.EVENTSTORE_CONNECTION_STRING,
    runProjections: (env.RUN_PROJECTIONS ?? 'true') !== 'false',
    port: Number(env.PORT ?? 3000),
    host: env.HOST ?? '0.0.0.0',
    rateLimitPerMinute: positiveInteger(env.RATE_LIMIT_PER_MINUTE ?? '600', 'RATE_LIMIT_PER_MINUTE'),
  };
}

function positiveInteger(value: string, name: string): number {
  const n = Number(value);
  if (!Number.isSafeInteger(n) || n < 1) throw new Error(`${name} must be a whole number of 1 or more, not "${value}"`);
  return n;
}
