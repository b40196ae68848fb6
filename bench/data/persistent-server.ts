import { readFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { Client } from 'pg';
import { startEmbeddedPostgres } from '@familievedtak/database';
import { serverCpuSeconds } from '../store/cpu';
import { databaseUrl, type BenchServer } from '../store/server';

/**
 * A bench server whose data outlives the run: an embedded PostgreSQL in BENCH_DATA_DIR (keep it
 * outside the repository: 100,000 families is ~10M events, several GB). Generated datasets in
 * it are found again by dataset.ts (a marker file per database, written once generation,
 * VACUUM and CHECKPOINT are done), so the hour of generating is paid once. Durable settings
 * (fsync on), as openServer's embedded server, so the measurements mean the same.
 */
export type PersistentBenchServer = BenchServer & {
  dir: string;
  /** URL of a database in it (whether or not it exists). */
  urlOf(name: string): string;
  hasDatabase(name: string): Promise<boolean>;
};

export async function openPersistentServer(dir: string, log: (line: string) => void): Promise<PersistentBenchServer> {
  const root = resolve(dir);
  log(`embedded PostgreSQL with persistent data in ${root}`);
  const server = await startEmbeddedPostgres({ dataDir: join(root, 'pgdata'), persistent: true });
  const admin = new Client({ connectionString: server.url });
  await admin.connect();
  const version = (await admin.query<{ v: string }>('SELECT version() AS v')).rows[0].v;
  const settings = Object.fromEntries(
    (
      await admin.query<{ name: string; setting: string }>(`SELECT name, current_setting(name) AS setting FROM unnest($1::text[]) AS name`, [
        ['synchronous_commit', 'fsync', 'full_page_writes', 'shared_buffers', 'max_connections'],
      ])
    ).rows.map((r) => [r.name, r.setting]),
  );
  let postmasterPid = 0;
  try {
    postmasterPid = Number((await readFile(join(root, 'pgdata', 'postmaster.pid'), 'utf8')).split('\n')[0]);
  } catch {
    // no pid file readable: CPU seconds stay unknown
  }
  const temporary: string[] = [];
  return {
    dir: root,
    info: { source: 'embedded', version, settings },
    cpuSeconds: postmasterPid ? () => serverCpuSeconds(postmasterPid) : undefined,
    urlOf: (name) => databaseUrl(server.url, name),
    async hasDatabase(name) {
      return (await admin.query('SELECT 1 FROM pg_database WHERE datname = $1', [name])).rowCount === 1;
    },
    async freshDatabase(name) {
      const id = admin.escapeIdentifier(name);
      await admin.query(`DROP DATABASE IF EXISTS ${id} WITH (FORCE)`);
      await admin.query(`CREATE DATABASE ${id}`);
      // Generated datasets (bench_data_*) are what this server is for; other databases are the run's own.
      if (!name.startsWith('bench_data_')) temporary.push(name);
      return databaseUrl(server.url, name);
    },
    async checkpoint() {
      await admin.query('CHECKPOINT').catch(() => undefined);
    },
    async close(keepDatabases) {
      try {
        if (!keepDatabases) for (const name of temporary) await admin.query(`DROP DATABASE IF EXISTS ${admin.escapeIdentifier(name)} WITH (FORCE)`);
        await admin.end();
      } finally {
        await server.stop();
      }
    },
  };
}
