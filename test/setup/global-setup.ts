import { startTestPostgres } from './test-postgres';

/** One PostgreSQL server for the whole run; each test file creates its own database on it. */
export default async function globalSetup(): Promise<void> {
  const server = await startTestPostgres();
  process.env.FV_TEST_ADMIN_URL = server.adminUrl;
  (globalThis as { __FV_TEST_PG__?: typeof server }).__FV_TEST_PG__ = server;
  process.stdout.write(`\n[test] PostgreSQL for this run: ${server.source}\n`);
}
