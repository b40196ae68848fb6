import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startEmbeddedPostgres } from '../../libs/database/src/embedded-postgres.server';
import { dockerAnswers } from './docker';

export interface TestPostgres {
  adminUrl: string;
  source: 'TEST_DATABASE_URL' | 'testcontainers' | 'embedded';
  stop(): Promise<void>;
}

/**
 * The PostgreSQL server for a test run, in order of preference: TEST_DATABASE_URL, a
 * testcontainers PostgreSQL when Docker answers, else an embedded PostgreSQL in a temporary
 * folder that is deleted afterwards.
 */
export async function startTestPostgres(): Promise<TestPostgres> {
  if (process.env.TEST_DATABASE_URL) {
    return { adminUrl: process.env.TEST_DATABASE_URL, source: 'TEST_DATABASE_URL', stop: async () => undefined };
  }
  if (await dockerAnswers()) {
    const { PostgreSqlContainer } = await import('@testcontainers/postgresql');
    const container = await new PostgreSqlContainer('postgres:17-alpine').start();
    return { adminUrl: container.getConnectionUri(), source: 'testcontainers', stop: async () => void (await container.stop()) };
  }
  const dir = await mkdtemp(join(tmpdir(), 'familievedtak-test-pg-'));
  const server = await startEmbeddedPostgres({ dataDir: join(dir, 'data'), persistent: false, fast: true });
  return { adminUrl: server.url, source: 'embedded', stop: server.stop };
}
