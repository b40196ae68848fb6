import type { TestPostgres } from './test-postgres';

export default async function globalTeardown(): Promise<void> {
  const server = (globalThis as { __FV_TEST_PG__?: TestPostgres }).__FV_TEST_PG__;
  await server?.stop();
}
