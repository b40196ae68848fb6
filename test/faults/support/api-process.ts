import { ChildProcess, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { findFreePort } from '@familievedtak/database';
import { generateKeyPairSync } from 'node:crypto';
import type { Role, Unit } from '@familievedtak/domain';
import { signToken } from '../../../apps/api/src/auth/sign-token';

/** The fault suite's own key pair: the child processes trust its public key (AUTH_PUBLIC_KEY). */
const KEYS = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
const ISSUER = 'familievedtak-faults';
const AUDIENCE = 'familievedtak-api';

/** Authorization header for a caller the child processes accept. */
export function bearer(userId: string, role: Role, unit: Unit): Record<string, string> {
  const token = signToken({ userId, roles: [role], units: [unit] }, { privateKey: KEYS.privateKey, issuer: ISSUER, audience: AUDIENCE, ttlSeconds: 3600 });
  return { authorization: `Bearer ${token}` };
}

export const MAIN_JS = join(__dirname, '..', '..', '..', 'dist', 'apps', 'api', 'src', 'main.js');

/** One `node dist/apps/api/src/main.js` process on a port of its own, trusting the test key pair. */
export interface ApiProcess {
  name: string;
  port: number;
  baseUrl: string;
  child: ChildProcess;
  /** stdout and stderr so far (for diagnostics when a case fails). */
  output(): string;
  exited: boolean;
  exit: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** SIGKILL: no shutdown hooks, connections just drop. */
  kill9(): Promise<void>;
  /** SIGTERM, then SIGKILL if it has not exited within a few seconds. */
  stop(): Promise<void>;
}

export interface ApiProcessOptions {
  name: string;
  databaseUrl: string;
  runProjections?: boolean;
  env?: Record<string, string>;
}

/** Processes still running: killed if the test process itself ends first (no orphans). */
const live = new Set<ChildProcess>();
process.once('exit', () => {
  for (const child of live) child.kill('SIGKILL');
});

export async function spawnApi(options: ApiProcessOptions): Promise<ApiProcess> {
  if (!existsSync(MAIN_JS)) throw new Error(`${MAIN_JS} is missing: run the fault suite with npm run test:faults (it builds first)`);
  const port = await findFreePort();
  const child = spawn(process.execPath, [MAIN_JS], {
    env: {
      PATH: process.env.PATH ?? '',
      NODE_ENV: 'test',
      DATABASE_URL: options.databaseUrl,
      PORT: String(port),
      HOST: '127.0.0.1',
      RUN_PROJECTIONS: options.runProjections === false ? 'false' : 'true',
      RATE_LIMIT_PER_MINUTE: '1000000',
      AUTH_PUBLIC_KEY: KEYS.publicKey.export({ type: 'spki', format: 'pem' }).toString(),
      AUTH_ISSUER: ISSUER,
      AUTH_AUDIENCE: AUDIENCE,
      ...options.env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  live.add(child);
  void new Promise((resolve) => child.once('exit', resolve)).then(() => live.delete(child));
  let output = '';
  const keep = (chunk: Buffer) => {
    output += chunk.toString();
    if (output.length > 400_000) output = output.slice(-200_000);
  };
  child.stdout!.on('data', keep);
  child.stderr!.on('data', keep);
  const api: ApiProcess = {
    name: options.name,
    port,
    baseUrl: `http://127.0.0.1:${port}`,
    child,
    output: () => output,
    exited: false,
    exit: new Promise((resolve) => child.once('exit', (code, signal) => resolve({ code, signal }))),
    kill9: async () => {
      if (api.exited) return;
      child.kill('SIGKILL');
      await api.exit;
    },
    stop: async () => {
      if (api.exited) return;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
      await api.exit;
      clearTimeout(timer);
    },
  };
  void api.exit.then(() => {
    api.exited = true;
  });
  return api;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Waits until GET /health answers 200 (the process listens and reaches the database). */
export async function waitHealthy(api: ApiProcess, timeoutMs = 60000): Promise<number> {
  const start = Date.now();
  while (Date.now() - start < timeoutMs) {
    if (api.exited) throw new Error(`${api.name} exited before it was healthy:\n${api.output().slice(-4000)}`);
    try {
      const response = await fetch(`${api.baseUrl}/health`, { signal: AbortSignal.timeout(3000) });
      if (response.status === 200) return Date.now() - start;
    } catch {
      // not listening yet
    }
    await sleep(100);
  }
  throw new Error(`${api.name} not healthy within ${timeoutMs} ms:\n${api.output().slice(-4000)}`);
}

export interface HttpAnswer {
  status: number;
  /** Parsed JSON when the answer was JSON, else the text. */
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- any route's JSON: the fault specs assert the fields they read (unknown: a cast at each)
  body: any;
  headers: Headers;
}

/** A JSON request to one API process; network failures are thrown (the caller tells them apart). */
export async function call(
  api: ApiProcess,
  method: 'GET' | 'POST',
  path: string,
  headers: Record<string, string>,
  body?: unknown,
  timeoutMs = 20000,
): Promise<HttpAnswer> {
  const response = await fetch(`${api.baseUrl}${path}`, {
    method,
    headers: body === undefined ? headers : { 'content-type': 'application/json', ...headers },
    body: body === undefined ? undefined : JSON.stringify(body),
    signal: AbortSignal.timeout(timeoutMs),
  });
  const text = await response.text();
  let parsed: unknown = text;
  try {
    parsed = text ? JSON.parse(text) : undefined;
  } catch {
    // not JSON
  }
  return { status: response.status, body: parsed, headers: response.headers };
}
