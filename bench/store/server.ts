import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client, CustomTypesConfig, Pool, types } from 'pg';
import { startEmbeddedPostgres } from '@familievedtak/database';
import { serverCpuSeconds } from './cpu';

/**
 * Emmett's connection library (dumbo) replaces pg's *global* int8 and jsonb parsers when its
 * pool is created. Our and the raw pools get a copy of pg's default text parsers taken at load
 * time (before any Emmett pool exists), so the order the systems run in cannot change how
 * our rows are parsed. Emmett's pool keeps the globals, i.e. whatever Emmett installs.
 */
const DEFAULT_TEXT_PARSERS = new Map<number, unknown>();
for (let oid = 0; oid < 20_000; oid++) DEFAULT_TEXT_PARSERS.set(oid, types.getTypeParser(oid, 'text'));
const defaultTypes = {
  getTypeParser: (oid: number, format?: 'text' | 'binary') =>
    format === 'binary' ? types.getTypeParser(oid, 'binary') : (DEFAULT_TEXT_PARSERS.get(oid) ?? types.getTypeParser(oid, 'text')),
} as CustomTypesConfig;

export interface ServerInfo {
  source: 'DATABASE_URL' | 'embedded';
  version: string;
  settings: Record<string, string>;
}

export interface BenchServer {
  info: ServerInfo;
  /** Drops (if present) and creates an empty database; returns its URL. */
  freshDatabase(name: string): Promise<string>;
  /** CPU seconds the server has used so far; only known for the embedded server (its processes are ours to see). */
  cpuSeconds?: () => number;
  /** CHECKPOINT, so each measured run starts without the previous run's dirty pages to flush. */
  checkpoint(): Promise<void>;
  /** Drops the bench databases (unless kept) and stops an embedded server. */
  close(keepDatabases: boolean): Promise<void>;
}

const SETTINGS = ['synchronous_commit', 'fsync', 'full_page_writes', 'wal_sync_method', 'commit_delay', 'shared_buffers', 'max_connections'];

export const databaseUrl = (adminUrl: string, name: string): string => {
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return url.toString();
};

/** DATABASE_URL's server if set, else a throw-away embedded server with default (durable) settings. */
export async function openServer(log: (line: string) => void): Promise<BenchServer> {
  let adminUrl = process.env.DATABASE_URL;
  let stopEmbedded = async (): Promise<void> => undefined;
  let cpuSeconds: (() => number) | undefined;
  const source: ServerInfo['source'] = adminUrl ? 'DATABASE_URL' : 'embedded';
  if (!adminUrl) {
    const dir = await mkdtemp(join(tmpdir(), 'familievedtak-bench-'));
    log(`starting embedded PostgreSQL in ${dir}`);
    // Not `fast`: fsync and synchronous_commit stay at their durable defaults.
    const server = await startEmbeddedPostgres({ dataDir: join(dir, 'pgdata'), persistent: false }).catch(async (error) => {
      await rm(dir, { recursive: true, force: true });
      throw error;
    });
    adminUrl = server.url;
    const postmasterPid = Number((await readFile(join(dir, 'pgdata', 'postmaster.pid'), 'utf8')).split('\n')[0]);
    cpuSeconds = () => serverCpuSeconds(postmasterPid);
    stopEmbedded = async () => {
      await server.stop();
      await rm(dir, { recursive: true, force: true });
    };
  }
  const admin = new Client({ connectionString: adminUrl });
  try {
    await admin.connect();
  } catch (error) {
    await stopEmbedded();
    throw error;
  }
  const { rows } = await admin.query<{ name: string; setting: string }>(`SELECT name, current_setting(name) AS setting FROM unnest($1::text[]) AS name`, [
    SETTINGS,
  ]);
  const version = (await admin.query<{ v: string }>('SELECT version() AS v')).rows[0].v;
  const created: string[] = [];

  return {
    info: { source, version, settings: Object.fromEntries(rows.map((r) => [r.name, r.setting])) },
    cpuSeconds,
    async freshDatabase(name) {
      const id = admin.escapeIdentifier(name);
      await admin.query(`DROP DATABASE IF EXISTS ${id} WITH (FORCE)`);
      await admin.query(`CREATE DATABASE ${id}`);
      created.push(name);
      return databaseUrl(adminUrl!, name);
    },
    async checkpoint() {
      // Needs superuser or pg_checkpoint; without it the runs are merely a little noisier.
      await admin.query('CHECKPOINT').catch(() => undefined);
    },
    async close(keepDatabases) {
      try {
        if (!keepDatabases) {
          for (const name of created) await admin.query(`DROP DATABASE IF EXISTS ${admin.escapeIdentifier(name)} WITH (FORCE)`);
        }
        await admin.end();
      } finally {
        await stopEmbedded();
      }
    },
  };
}

/** A pool for our store and the raw baseline: fixed size, pg's default parsers. */
export const createPool = (connectionString: string, max: number): Pool => new Pool({ connectionString, max, types: defaultTypes });
