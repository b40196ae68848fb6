import 'reflect-metadata';
import { Logger } from '@nestjs/common';
import { readAppConfig, resolveDatabase } from '@familievedtak/database';
import { readAuthSettings } from './auth/auth-settings';
import { apiLogger, createApp } from './create-app';
import { readHttpSettings } from './hardening';
import { createLogger, defaultLogger, nestLoggerFor } from './shared/logger';

/** `npm start`: DATABASE_URL if set, else an embedded PostgreSQL under ./.data. */
async function main(): Promise<void> {
  // One logger from the first line on (JSON, or plain text on a terminal; LOG_LEVEL): Nest's
  // static loggers write through it even before the app exists.
  const logger = defaultLogger(process.env);
  Logger.overrideLogger(nestLoggerFor(logger));
  loggerReady = true;
  // First: in production without token verification configured, refuse to start at all.
  const auth = readAuthSettings(process.env);
  const http = readHttpSettings(process.env);
  const database = await resolveDatabase(process.env, (line) => logger.debug({ context: 'embedded-postgres' }, line.trimEnd()));
  apiLogger.log(`database: ${database.source === 'embedded' ? `embedded PostgreSQL (${database.url.replace(/:[^:@/]+@/, ':***@')})` : 'DATABASE_URL'}`);
  const config = readAppConfig(database.url);
  const app = await createApp(config, auth, logger, http);
  apiLogger.log(`tokens: issuer ${auth.issuer}, audience ${auth.audience}, ${auth.source}`);
  apiLogger.log(
    `client address: ${http.trustProxy === false ? 'the socket (TRUST_PROXY off)' : `X-Forwarded-For from trusted proxies (TRUST_PROXY=${process.env.TRUST_PROXY})`}`,
  );
  await app.listen({ port: config.port, host: config.host });
  apiLogger.log(`listening on http://localhost:${config.port} (OpenAPI: /docs, /docs-json; event store: ${config.eventStore})`);
  // Stop the embedded server only after Nest has stopped the projections and closed its pools.
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, async () => {
      await app.close();
      await database.stop();
      process.exit(0);
    });
  }
}

let loggerReady = false;

main().catch((error) => {
  // LOG_LEVEL itself may be what failed: the refusal is still one JSON (or plain-text) line.
  if (!loggerReady) Logger.overrideLogger(nestLoggerFor(createLogger()));
  apiLogger.error(error instanceof Error ? error : new Error(String(error)));
  // The asynchronous destination is flushed synchronously on exit.
  process.exit(1);
});
