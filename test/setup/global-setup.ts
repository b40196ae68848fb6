import { startTestEventStoreDb } from './eventstoredb-server';
import { startTestPostgres } from './test-postgres';

export const ESDB_SKIP_LINE =
  'EventStoreDB contract suite SKIPPED: no EVENTSTORE_CONNECTION_STRING and no Docker engine. ' +
  'Run it with EVENTSTORE_CONNECTION_STRING="esdb://localhost:2113?tls=false" npm test (or with Docker running).';

/**
 * One PostgreSQL server for the whole run (each test file creates its own database on it),
 * and an EventStoreDB server when one is configured or Docker can start one.
 */
export default async function globalSetup(): Promise<void> {
  const postgres = await startTestPostgres();
  process.env.FV_TEST_ADMIN_URL = postgres.adminUrl;
  process.stdout.write(`\n[test] PostgreSQL for this run: ${postgres.source}\n`);

  const esdb = await startTestEventStoreDb();
  if (esdb) {
    process.env.FV_TEST_ESDB_URL = esdb.url;
    process.stdout.write(`[test] EventStoreDB for this run: ${esdb.source}\n`);
  } else {
    delete process.env.FV_TEST_ESDB_URL; // the EventStoreDB spec prints the skip line
  }
  (globalThis as { __FV_TEST_SERVERS__?: unknown }).__FV_TEST_SERVERS__ = [postgres, esdb].filter(Boolean);
}
