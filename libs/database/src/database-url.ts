import { join } from 'node:path';
import { startEmbeddedPostgres } from './embedded-postgres.server';

export interface ResolvedDatabase {
  url: string;
  source: 'DATABASE_URL' | 'embedded';
  stop(): Promise<void>;
}

/**
 * DATABASE_URL selects PostgreSQL. Without it, a real embedded PostgreSQL starts with its
 * data under ./.data (kept across restarts), so `npm start` needs no set-up at all.
 */
export async function resolveDatabase(env: NodeJS.ProcessEnv = process.env, log?: (line: string) => void): Promise<ResolvedDatabase> {
  if (env.DATABASE_URL) return { url: env.DATABASE_URL, source: 'DATABASE_URL', stop: async () => undefined };
  const dataDir = env.EMBEDDED_PG_DATA ?? join(process.cwd(), '.data', 'postgres');
  const server = await startEmbeddedPostgres({ dataDir, persistent: true, log });
  const url = server.url.replace(/\/postgres$/, '/familievedtak');
  await ensureDatabase(server.url, 'familievedtak');
  return { url, source: 'embedded', stop: server.stop };
}

/** CREATE DATABASE if missing (idempotent; concurrent creators are tolerated). */
export async function ensureDatabase(adminUrl: string, name: string): Promise<void> {
  const { Client } = await import('pg');
  const client = new Client({ connectionString: adminUrl });
  await client.connect();
  try {
    const { rowCount } = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
    if (!rowCount) {
      await client.query(`CREATE DATABASE ${client.escapeIdentifier(name)}`).catch((error: { code?: string }) => {
        if (error.code !== '42P04') throw error;
      });
    }
  } finally {
    await client.end();
  }
}
