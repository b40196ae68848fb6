/**
 * API load bench: the real API (a child process: dist/apps/api/src/main.js, NODE_ENV=production,
 * tokens verified against a key pair made here, read audit on, projections running) under a
 * mixed load from a second process (autocannon: 80% view reads, 20% commands), against a bare
 * NestJS/Fastify route doing one primary-key read of the same view table on the same database
 * in the same run (./baseline-server.ts). The API child's resident memory is sampled every
 * 200 ms during the load.
 *
 * `node dist/bench/api/api-load.bench.js` after `npm run build`. Env knobs:
 *   BENCH_API_FAMILIES (300), BENCH_API_CONNECTIONS (32), BENCH_API_DURATION (30; BENCH_QUICK=1: 12),
 *   BENCH_API_WARMUP (5), BENCH_API_READ_SHARE (0.8), BENCH_API_ROUNDS (3: baseline and API alternate), BENCH_API_PROFILE=1 (the API child writes a --cpu-prof profile to
 *   bench/results/api-cpu-prof), DATABASE_URL (else an embedded PostgreSQL with durable settings).
 * On a generated store instead of 300 seeded families: BENCH_API_STORE_DIR (a BENCH_DATA_DIR holding
 *   bench_data_<n>, see bench/data/dataset.ts) and BENCH_API_STORE_FAMILIES (100000). The API's
 *   projections catch up with the whole log first (minutes for millions of events; the read
 *   model stays in that database, so the next run starts from where this one left), then the
 *   load reads and commands random families among all of them, each as a caseworker of a unit
 *   with a part in it. The commands are appended to that store (domain commands: it stays valid).
 * Table to stdout, progress to stderr, rows and details to bench/results/api-load.json.
 */
import { ChildProcess, fork } from 'node:child_process';
import { generateKeyPairSync, randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { cpus, loadavg } from 'node:os';
import { join } from 'node:path';
import { Pool } from 'pg';
import { FAMILY_STREAM_PREFIX, UNITS as ALL_UNITS } from '@familievedtak/domain';
import type { BenchRow } from '../bench-row';
import { openPersistentServer } from '../data/persistent-server';
import { openServer, type BenchServer } from '../store/server';
import { signToken } from '../../apps/api/src/auth/sign-token';
import type { LoadFamily, LoadJob, LoadOutcome } from './load-worker';

const ROOT = join(__dirname, '..', '..', '..');
const API_MAIN = join(ROOT, 'dist', 'apps', 'api', 'src', 'main.js');
const BASELINE_MAIN = join(__dirname, 'baseline-server.js');
const WORKER_MAIN = join(__dirname, 'load-worker.js');
const RESULTS = join(ROOT, 'bench', 'results');

export interface ApiLoadOptions {
  families?: number;
  connections?: number;
  durationSeconds?: number;
  warmupSeconds?: number;
  /** Baseline and API alternate this many times, duration / rounds seconds each (3). */
  rounds?: number;
  readShare?: number;
  /** The API child writes a V8 CPU profile into this directory. */
  cpuProfileDir?: string;
  apiPort?: number;
  baselinePort?: number;
  /** A generated store to run on (bench/data) instead of seeding `families` through the API. */
  store?: GeneratedStore;
  log?: (line: string) => void;
}

export type GeneratedStore = {
  /** The dataset's database. */
  url: string;
  /** Its server (for CHECKPOINT and CPU); left running. */
  server: BenchServer;
  /** How long the API's projections may take to catch up with the log (default 180 minutes). */
  catchUpMinutes?: number;
};

const ISSUER = 'familievedtak-bench';
const AUDIENCE = 'familievedtak-api';
const UNITS = ['NAV', 'BFT', 'HVK'] as const;
const USERS_PER_UNIT = 20;
/** Register, 2 consents, 2 referrals and 2 acceptances, 2 needs, propose and approve, a payment. */
const SEED_COMMANDS_PER_FAMILY = 12;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const round = (value: number, digits = 1) => Math.round(value * 10 ** digits) / 10 ** digits;

function rssMb(pid: number): number | undefined {
  try {
    const match = /VmRSS:\s+(\d+)\s+kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return match ? Number(match[1]) / 1024 : undefined;
  } catch {
    return undefined;
  }
}

/** User + system CPU seconds a process has used so far (Linux /proc). */
function cpuSecondsOf(pid: number): number {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8')
      .replace(/^.*\) /, '')
      .split(' ');
    return (Number(fields[11]) + Number(fields[12])) / 100;
  } catch {
    return NaN;
  }
}

/** Samples a process's RSS every `everyMs` until stopped; returns the peak and the samples' count. */
function sampleRss(pid: number, everyMs = 200) {
  let peak = 0;
  let samples = 0;
  const timer = setInterval(() => {
    const mb = rssMb(pid);
    if (mb !== undefined) {
      peak = Math.max(peak, mb);
      samples++;
    }
  }, everyMs);
  return { stop: () => (clearInterval(timer), { peakMb: peak, samples }) };
}

function startChild(main: string, env: Record<string, string>, execArgv: string[], log: (line: string) => void, name: string): ChildProcess {
  const child = fork(main, [], { env: { ...process.env, ...env }, execArgv, stdio: ['ignore', 'pipe', 'pipe', 'ipc'] });
  // The API's JSON lines below warn (its access log: one per request) and Nest's start-up chatter
  // (LOG lines) are left out; warnings, errors and anything else come through.
  const quiet = (line: string) => /\bLOG\b/.test(line) || /^\{"level":"(trace|debug|info)"/.test(line);
  const forward = (chunk: Buffer) =>
    chunk
      .toString()
      .split('\n')
      .filter((line) => line && !quiet(line))
      .forEach((line) => log(`${name}: ${line}`));
  child.stdout!.on('data', forward);
  child.stderr!.on('data', forward);
  return child;
}

async function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGTERM');
  await Promise.race([exited, sleep(15_000).then(() => child.kill('SIGKILL'))]);
}

async function waitFor(url: string, child: ChildProcess, timeoutMs = 120_000): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (Date.now() < until) {
    if (child.exitCode !== null) throw new Error(`${url}: the process exited with ${child.exitCode}`);
    try {
      const response = await fetch(url);
      if (response.status < 500) return;
    } catch {
      // not listening yet
    }
    await sleep(250);
  }
  throw new Error(`${url} did not answer within ${timeoutMs} ms`);
}

function runLoad(job: LoadJob): Promise<LoadOutcome> {
  return new Promise((resolve, reject) => {
    const worker = fork(WORKER_MAIN, [], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
    let answered = false;
    worker.once('message', (message: { outcome?: LoadOutcome; error?: string }) => {
      answered = true;
      if (message.outcome) resolve(message.outcome);
      else reject(new Error(`load worker: ${message.error}`));
    });
    worker.once('exit', (code) => answered || reject(new Error(`load worker exited with ${code}`)));
    worker.send(job);
  });
}

/**
 * Rounds as one: requests and time summed; p50 the median of the rounds' p50s, p99 and max
 * the worst round's (autocannon hands back percentiles, not its histogram).
 */
function combine(outcomes: LoadOutcome[]): LoadOutcome {
  const sum = (f: (o: LoadOutcome) => number) => outcomes.reduce((n, o) => n + f(o), 0);
  const p50s = outcomes.map((o) => o.latency.p50).sort((a, b) => a - b);
  const statuses: LoadOutcome['statuses'] = {};
  for (const o of outcomes) {
    for (const [kind, byStatus] of Object.entries(o.statuses)) {
      for (const [status, n] of Object.entries(byStatus)) (statuses[kind] ??= {})[status] = (statuses[kind][status] ?? 0) + n;
    }
  }
  const totalRequests = sum((o) => o.totalRequests);
  const durationSeconds = sum((o) => o.durationSeconds);
  return {
    requestsPerSecond: totalRequests / durationSeconds,
    totalRequests,
    durationSeconds,
    latency: {
      p50: p50s[Math.floor(p50s.length / 2)],
      p90: Math.max(...outcomes.map((o) => o.latency.p90)),
      p99: Math.max(...outcomes.map((o) => o.latency.p99)),
      max: Math.max(...outcomes.map((o) => o.latency.max)),
      mean: sum((o) => o.latency.mean * o.totalRequests) / Math.max(1, totalRequests),
    },
    statuses,
    non2xx: sum((o) => o.non2xx),
    errors: sum((o) => o.errors),
    timeouts: sum((o) => o.timeouts),
  };
}

/** Runs `tasks` with at most `limit` in flight. */
async function inParallel<T>(items: T[], limit: number, task: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: limit }, async () => {
      while (next < items.length) await task(items[next++]);
    }),
  );
}

/**
 * Seeds `familyCount` families through the API, as the rules of a part in the case have it, and
 * waits until the view of each shows its last revision.
 */
async function seedFamilies(
  apiUrl: string,
  familyCount: number,
  token: (userId: string, role: string, unit: string) => string,
  log: (line: string) => void,
): Promise<LoadFamily[]> {
  // Seed through the API, as the rules of a part in the case have it: NAV registers the family
  // (the child with the parent's parental responsibility), the parent consents for both to
  // information-sharing among the units, NAV refers the family to BFT and HVK and each accepts
  // (so all three read and write as units with a part); two needs, a NAV decision (approved), a NAV payment.
  const caseworker = (unit: string) => ({ authorization: `Bearer ${token(`seed-${unit.toLowerCase()}-cw`, 'caseworker', unit)}` });
  const approver = (unit: string) => ({ authorization: `Bearer ${token(`seed-${unit.toLowerCase()}-ap`, 'approver', unit)}` });
  const send = async (path: string, headers: Record<string, string>, body: unknown = {}): Promise<number> => {
    const response = await fetch(`${apiUrl}${path}`, {
      method: 'POST',
      headers: { ...headers, 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    const text = await response.text();
    if (response.status >= 300) throw new Error(`seed ${path}: ${response.status} ${text}`);
    return JSON.parse(text).revision as number;
  };
  // A consent always names until when it holds: a year from today, whenever the bench runs.
  const consentUntil = new Date(Date.now() + 365 * 86_400_000).toISOString().slice(0, 10);
  const families: Array<LoadFamily & { revision: number }> = Array.from({ length: familyCount }, () => ({
    familyId: randomUUID(),
    adultId: randomUUID(),
    childId: randomUUID(),
    revision: -1,
  }));
  const seedStart = Date.now();
  await inParallel(families, 8, async (family) => {
    const f = `/families/${family.familyId}`;
    await send('/families', caseworker('NAV'), {
      familyId: family.familyId,
      district: 'Heimdal',
      members: [
        { memberId: family.adultId, name: 'Amina', birthDate: '1988-03-02', role: 'adult' },
        { memberId: family.childId, name: 'Yusuf', birthDate: '2016-09-14', role: 'child' },
      ],
      parentalResponsibility: [{ childId: family.childId, holderId: family.adultId, basis: 'birth-registration' }],
    });
    for (const memberId of [family.adultId, family.childId]) {
      await send(`${f}/consents`, caseworker('NAV'), {
        consentId: randomUUID(),
        memberId,
        givenByMemberId: family.adultId,
        kind: 'information-sharing',
        sourceUnits: [...UNITS],
        toUnits: [...UNITS],
        dataCategories: ['needs', 'decisions', 'payments'],
        purpose: 'One plan for the family',
        validFrom: '2026-01-01',
        validUntil: consentUntil,
        evidence: { form: 'written', documentRef: `CONSENT-${memberId}` },
      });
    }
    for (const unit of ['BFT', 'HVK']) {
      const referralId = randomUUID();
      await send(`${f}/referrals`, caseworker('NAV'), {
        referralId,
        toUnit: unit,
        memberIds: [family.adultId, family.childId],
        reason: `The family asks ${unit} for help`,
        ground: 'consent',
      });
      await send(`${f}/referrals/${referralId}/accept`, caseworker(unit));
    }
    await send(`${f}/needs`, caseworker('NAV'), {
      needId: randomUUID(),
      memberId: family.adultId,
      words: 'A driving licence for the job in Orkanger',
      expressedOn: '2026-09-01',
    });
    await send(`${f}/needs`, caseworker('BFT'), {
      needId: randomUUID(),
      memberId: family.childId,
      words: 'Football practice after school',
      expressedOn: '2026-09-01',
    });
    const decisionId = randomUUID();
    await send(`${f}/decisions`, caseworker('NAV'), {
      decisionId,
      unit: 'NAV',
      decisionType: 'economic-social-assistance',
      memberIds: [family.adultId],
      periodFrom: '2026-10-01',
      periodUntil: '2027-09-30',
      amounts: { monthlyAmountOre: 100_000 },
      outcome: 'granted',
      reasons: { rulesApplied: ['sosialtjenesteloven § 18'], facts: 'Income below the guideline.', summary: 'Decided by NAV.' },
    });
    await send(`${f}/decisions/${decisionId}/approve`, approver('NAV'));
    family.revision = await send(`${f}/payments`, caseworker('NAV'), {
      paymentId: randomUUID(),
      recipientMemberId: family.adultId,
      amountOre: 50_000,
      method: 'bank-transfer',
      funding: { kind: 'unit', unit: 'NAV' },
      answersDecisionId: decisionId,
      documentationRef: 'BILAG-NAV',
      paidOn: '2026-11-01',
    });
  });
  log(
    `seeded ${familyCount} families (${familyCount * SEED_COMMANDS_PER_FAMILY} commands) in ${round((Date.now() - seedStart) / 1000)} s; waiting for the view`,
  );

  // The projection catches up: every family's view at its last revision.
  const reader = caseworker('NAV');
  for (const family of families) {
    for (let tries = 0; ; tries++) {
      const response = await fetch(`${apiUrl}/families/${family.familyId}`, { headers: reader });
      if (response.status === 200 && ((await response.json()) as { revision: number }).revision >= family.revision) break;
      if (tries > 400) throw new Error(`view of ${family.familyId} did not reach revision ${family.revision}`);
      await sleep(50);
    }
  }
  return families.map(({ familyId, adultId, childId }) => ({ familyId, adultId, childId }));
}

/**
 * The families of a generated store, once the API's projections have caught up with the log as
 * it was when the API started: each with an adult, a child (or the adult) and a unit that has a
 * part in the case (the coordinating unit when it reads, else the first unit reader), whose
 * caseworkers read and command it.
 */
async function generatedFamilies(url: string, catchUpMinutes: number, log: (line: string) => void): Promise<LoadFamily[]> {
  const pool = new Pool({ connectionString: url, max: 2 });
  try {
    // The newest family event: the API appends rule-set events of its own at start, which no family view shows.
    const head = BigInt(
      (
        await pool.query<{ head: string | null }>('SELECT max(global_position)::text AS head FROM event_store.events WHERE stream_id LIKE $1', [
          `${FAMILY_STREAM_PREFIX}%`,
        ])
      ).rows[0].head ?? '0',
    );
    // Every projection, not only the view: one still catching up (the stream catalogue over ~10M
    // events) would take the API's CPU and memory during the measurement.
    const allCaughtUp = async (): Promise<boolean> => {
      const { rows } = await pool
        .query<{ behind: string; names: string[] }>(
          'SELECT count(*) FILTER (WHERE position < $1)::text AS behind, array_agg(name) AS names FROM projections.checkpoints',
          [head.toString()],
        )
        .catch(() => ({ rows: [{ behind: '1', names: [] as string[] }] }));
      // Both of the API's projections must have started (a missing checkpoint row is not "caught up").
      return rows[0].behind === '0' && ['family-view', 'stream-catalogue'].every((name) => (rows[0].names ?? []).includes(name));
    };
    const until = Date.now() + catchUpMinutes * 60_000;
    const started = Date.now();
    let lastLog = 0;
    for (;;) {
      // The view table appears once the API has migrated; until then there is nothing to count.
      const { rows } = await pool
        .query<{ views: string; at: string | null }>('SELECT count(*)::text AS views, max(last_position)::text AS at FROM read_models.family_view')
        .catch(() => ({ rows: [{ views: '0', at: null }] }));
      const at = BigInt(rows[0].at ?? '0');
      if (at >= head && (await allCaughtUp())) break;
      if (Date.now() > until) throw new Error(`the projections did not catch up within ${catchUpMinutes} minutes (${rows[0].views} views)`);
      if (Date.now() - lastLog > 30_000) {
        lastLog = Date.now();
        log(`catching up: ${Number(rows[0].views).toLocaleString('en-US')} family views after ${round((Date.now() - started) / 1000, 0)} s`);
      }
      await sleep(2_000);
    }
    log(`projections caught up in ${round((Date.now() - started) / 1000, 0)} s`);
    const { rows } = await pool.query<{
      family_id: string;
      members: Array<{ memberId: string; role: string }>;
      readers: string[];
      coordinating_unit: string | null;
    }>(
      `SELECT v.family_id, e.data->'members' AS members, v.readers, v.coordinating_unit
         FROM read_models.family_view v
         JOIN event_store.events e ON e.type = 'FamilyRegistered' AND e.data->>'familyId' = v.family_id`,
    );
    const families: LoadFamily[] = [];
    for (const row of rows) {
      const units = row.readers.filter((r) => r.startsWith('unit:')).map((r) => r.slice('unit:'.length));
      const unit = row.coordinating_unit && units.includes(row.coordinating_unit) ? row.coordinating_unit : units[0];
      const adult = row.members.find((m) => m.role === 'adult');
      if (!unit || !adult) continue; // no unit reads it any more, or no adult: not a family this load can act on
      const child = row.members.find((m) => m.role === 'child') ?? adult;
      families.push({ familyId: row.family_id, adultId: adult.memberId, childId: child.memberId, unit });
    }
    if (families.length === 0) throw new Error('the generated store has no family a unit can read');
    return families;
  } finally {
    await pool.end();
  }
}

export async function runApiLoadBench(options: ApiLoadOptions = {}): Promise<BenchRow[]> {
  const log = options.log ?? ((line: string) => void process.stderr.write(`[bench:api] ${line}\n`));
  const familyCount = options.families ?? 300;
  const connections = options.connections ?? 32;
  const duration = options.durationSeconds ?? 30;
  const warmup = options.warmupSeconds ?? 5;
  const rounds = options.rounds ?? 3;
  const readShare = options.readShare ?? 0.8;
  const apiPort = options.apiPort ?? 3300 + Math.floor(Math.random() * 500);
  const baselinePort = options.baselinePort ?? apiPort + 1000;
  const loadBefore = loadavg();

  const server = options.store?.server ?? (await openServer(log));
  const children: ChildProcess[] = [];
  try {
    const url = options.store?.url ?? (await server.freshDatabase('bench_api_load'));
    const keys = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
    const publicPem = keys.publicKey.export({ type: 'spki', format: 'pem' }).toString();
    const token = (userId: string, role: string, unit: string) =>
      signToken(
        { userId, roles: [role as never], units: [unit as never] },
        { privateKey: keys.privateKey, issuer: ISSUER, audience: AUDIENCE, ttlSeconds: 4 * 3600 },
      );

    // The API (it migrates the database at start).
    // As `npm start` and the image run it: V8's old space capped at 384 MB (BENCH_API_HEAP_MB to change, 0 for none).
    const heapMb = Number(process.env.BENCH_API_HEAP_MB ?? 384);
    const execArgv = [
      ...(heapMb > 0 ? [`--max-old-space-size=${heapMb}`] : []),
      ...(options.cpuProfileDir ? ['--cpu-prof', `--cpu-prof-dir=${options.cpuProfileDir}`] : []),
    ];
    const api = startChild(
      API_MAIN,
      {
        NODE_ENV: 'production',
        DATABASE_URL: url,
        PORT: String(apiPort),
        HOST: '127.0.0.1',
        RUN_PROJECTIONS: 'true',
        RATE_LIMIT_PER_MINUTE: '100000000',
        AUTH_PUBLIC_KEY: publicPem,
        AUTH_ISSUER: ISSUER,
        AUTH_AUDIENCE: AUDIENCE,
        // As in production: the access log on (one JSON line per request), unless BENCH_API_LOG_LEVEL says otherwise.
        LOG_LEVEL: process.env.BENCH_API_LOG_LEVEL ?? 'info',
      },
      execArgv,
      log,
      'api',
    );
    children.push(api);
    const apiUrl = `http://127.0.0.1:${apiPort}`;
    await waitFor(`${apiUrl}/health`, api);
    log(
      `API up (pid ${api.pid}), RSS ${round(rssMb(api.pid!) ?? 0)} MB; ${options.store ? 'waiting for its projections to catch up with the generated store' : `seeding ${familyCount} families through the API`}`,
    );
    const families: LoadFamily[] = options.store
      ? await generatedFamilies(url, options.store.catchUpMinutes ?? 180, log)
      : await seedFamilies(apiUrl, familyCount, token, log);
    const storeNote = options.store
      ? `generated store, ${families.length.toLocaleString('en-US')} families with a view, random among all`
      : `${familyCount} families`;

    // The baseline, on the same database.
    const baseline = startChild(BASELINE_MAIN, { DATABASE_URL: url, PORT: String(baselinePort), POOL_SIZE: '20' }, [], log, 'baseline');
    children.push(baseline);
    const baselineUrl = `http://127.0.0.1:${baselinePort}`;
    await waitFor(`${baselineUrl}/baseline/${families[0].familyId}`, baseline);

    // A generated store's families may be in the care of any unit.
    const tokens = Object.fromEntries(
      (options.store ? ALL_UNITS : UNITS).map((unit) => [
        unit,
        Array.from({ length: USERS_PER_UNIT }, (_, i) => token(`${unit.toLowerCase()}-cw-${i}`, 'caseworker', unit)),
      ]),
    );
    const loadFamilies = families;
    const baselineJob: LoadJob = { mode: 'baseline', url: baselineUrl, connections, durationSeconds: duration, families: loadFamilies };
    const apiJob: LoadJob = { mode: 'mixed', url: apiUrl, connections, durationSeconds: duration, families: loadFamilies, tokens, readShare };

    if (warmup > 0) {
      log(`warm-up: ${warmup} s each`);
      await runLoad({ ...baselineJob, durationSeconds: warmup });
      await runLoad({ ...apiJob, durationSeconds: warmup });
    }
    // Interleaved rounds (baseline, then API, `rounds` times): the machine is shared, and a
    // change in its load then weighs on both sides of the ratio alike.
    const slice = duration / rounds;
    const baseRounds: LoadOutcome[] = [];
    const mixedRounds: LoadOutcome[] = [];
    let baseCpu = 0;
    const cpu = { api: 0, db: 0 };
    const rss = { peakMb: 0, samples: 0 };
    const rssIdle = rssMb(api.pid!) ?? 0;
    log(`${rounds} rounds of ${slice} s baseline + ${slice} s API, ${connections} connections (API RSS before: ${round(rssIdle)} MB)`);
    for (let r = 1; r <= rounds; r++) {
      await server.checkpoint();
      const baseCpuBefore = cpuSecondsOf(baseline.pid!);
      const b = await runLoad({ ...baselineJob, durationSeconds: slice });
      baseCpu += cpuSecondsOf(baseline.pid!) - baseCpuBefore;
      baseRounds.push(b);
      await server.checkpoint();
      const sampler = sampleRss(api.pid!);
      const cpuBefore = { api: cpuSecondsOf(api.pid!), db: server.cpuSeconds?.() ?? NaN };
      const m = await runLoad({ ...apiJob, durationSeconds: slice });
      const sampled = sampler.stop();
      rss.peakMb = Math.max(rss.peakMb, sampled.peakMb);
      rss.samples += sampled.samples;
      cpu.api += cpuSecondsOf(api.pid!) - cpuBefore.api;
      cpu.db += (server.cpuSeconds?.() ?? NaN) - cpuBefore.db;
      mixedRounds.push(m);
      log(
        `round ${r}: baseline ${round(b.requestsPerSecond, 0)} requests/s (p99 ${b.latency.p99} ms), API ${round(m.requestsPerSecond, 0)} requests/s (p50 ${m.latency.p50} ms, p99 ${m.latency.p99} ms); loadavg ${loadavg()[0].toFixed(2)}`,
      );
    }
    const base = combine(baseRounds);
    const mixed = combine(mixedRounds);
    log(`CPU during the mixed load: API ${round(cpu.api)} s, PostgreSQL ${round(cpu.db)} s in ${round(mixed.durationSeconds)} s`);
    const loadAfter = loadavg();
    log(
      `API: ${round(mixed.requestsPerSecond, 0)} requests/s, p50 ${mixed.latency.p50} ms, p99 ${mixed.latency.p99} ms, statuses ${JSON.stringify(mixed.statuses)}, RSS peak ${round(rss.peakMb)} MB`,
    );

    const ok = (statuses: Record<string, number>) =>
      Object.entries(statuses)
        .filter(([s]) => Number(s) >= 200 && Number(s) < 300)
        .reduce((n, [, c]) => n + c, 0);
    const all = (statuses: Record<string, number>) => Object.values(statuses).reduce((n, c) => n + c, 0);
    const failed = Object.values(mixed.statuses).reduce((n, s) => n + all(s) - ok(s), 0) + mixed.errors + mixed.timeouts;
    const reads = mixed.statuses['view read'] ?? {};
    const commands = Object.entries(mixed.statuses)
      .filter(([kind]) => kind.startsWith('command'))
      .reduce((n, [, s]) => n + all(s), 0);
    const scale = `${storeNote}, ${connections} connections, ${duration} s each side in ${rounds} interleaved rounds (ratios per round: ${mixedRounds.map((m, i) => round(m.requestsPerSecond / baseRounds[i].requestsPerSecond, 2)).join(', ')}); ${all(reads)} reads / ${commands} commands; CPU ms per request: API ${round((1000 * cpu.api) / mixed.totalRequests, 2)}, baseline ${round((1000 * baseCpu) / base.totalRequests, 2)} (PostgreSQL ${round(cpu.db)} s during the API run); loadavg ${loadBefore.map((l) => l.toFixed(2)).join(' ')} before, ${loadAfter.map((l) => l.toFixed(2)).join(' ')} after; ${cpus().length} cores`;
    const ratio = mixed.requestsPerSecond / base.requestsPerSecond;
    const baselineName = 'bare NestJS/Fastify primary-key read of family_view';
    const rows: BenchRow[] = [
      {
        area: 'API mixed load',
        metric: 'requests/s',
        value: round(mixed.requestsPerSecond, 0),
        baseline: { name: baselineName, value: round(base.requestsPerSecond, 0) },
        ratio: round(ratio, 2),
        target: '>= 0.5 x baseline',
        met: ratio >= 0.5,
        note: scale,
      },
      {
        area: 'API mixed load',
        metric: 'API CPU ms per request',
        value: round((1000 * cpu.api) / mixed.totalRequests, 2),
        baseline: { name: 'the baseline process', value: round((1000 * baseCpu) / base.totalRequests, 2) },
        ratio: round((1000 * cpu.api) / mixed.totalRequests / ((1000 * baseCpu) / base.totalRequests), 2),
        target: '<= 0.4 ms',
        met: (1000 * cpu.api) / mixed.totalRequests <= 0.4,
        note: 'user + system CPU of the API process (its projections included) over the requests it answered',
      },
      { area: 'API mixed load', metric: 'p50 ms', value: mixed.latency.p50, note: `median of ${rounds} rounds; baseline p50 ${base.latency.p50} ms` },
      {
        area: 'API mixed load',
        metric: 'p99 ms',
        value: mixed.latency.p99,
        target: '< 40 ms',
        met: mixed.latency.p99 < 40,
        note: `worst of ${rounds} rounds (per round: ${mixedRounds.map((m) => m.latency.p99).join(', ')}); baseline p99 ${base.latency.p99} ms; max ${mixed.latency.max} ms`,
      },
      {
        area: 'API mixed load',
        metric: 'failed requests',
        value: failed,
        target: '~0 (non-2xx, errors, timeouts)',
        met: failed <= mixed.totalRequests * 0.001,
        note: JSON.stringify(mixed.statuses),
      },
      {
        area: 'API mixed load',
        metric: 'RSS MB (peak)',
        value: round(rss.peakMb),
        target: '< 512 MB',
        met: rss.peakMb < 512,
        note: `${rss.samples} samples every 200 ms; ${round(rssIdle)} MB before the load`,
      },
      {
        area: 'API baseline',
        metric: 'requests/s',
        value: round(base.requestsPerSecond, 0),
        note: `p50 ${base.latency.p50} ms, p99 ${base.latency.p99} ms; non-2xx ${base.non2xx}, errors ${base.errors}`,
      },
    ];
    await mkdir(RESULTS, { recursive: true });
    await writeFile(
      join(RESULTS, options.store ? 'api-load-store.json' : 'api-load.json'),
      JSON.stringify(
        {
          finishedAt: new Date().toISOString(),
          server: server.info,
          rows,
          baseline: base,
          mixed,
          rounds: { baseline: baseRounds, mixed: mixedRounds },
          rss,
          cpuSeconds: { ...cpu, baseline: baseCpu },
          loadavg: { before: loadBefore, after: loadAfter },
        },
        null,
        2,
      ),
    );
    return rows;
  } finally {
    for (const child of children.reverse()) await stopChild(child);
    if (!options.store) await server.close(false);
  }
}

function renderTable(rows: BenchRow[]): string {
  const lines = ['| area | metric | value | baseline | ratio | target | met | note |', '|---|---|---|---|---|---|---|---|'];
  for (const r of rows) {
    lines.push(
      `| ${r.area} | ${r.metric} | ${r.value} | ${r.baseline ? `${r.baseline.value} (${r.baseline.name})` : ''} | ${r.ratio ?? ''} | ${r.target ?? ''} | ${r.met === undefined ? '' : r.met ? 'yes' : 'NO'} | ${r.note ?? ''} |`,
    );
  }
  return lines.join('\n');
}

/** BENCH_API_STORE_DIR: the generated store bench_data_<BENCH_API_STORE_FAMILIES> in that persistent bench server. */
async function storeFromEnv(log: (line: string) => void): Promise<GeneratedStore | undefined> {
  const dir = process.env.BENCH_API_STORE_DIR;
  if (!dir) return undefined;
  const name = `bench_data_${process.env.BENCH_API_STORE_FAMILIES ?? '100000'}`;
  const server = await openPersistentServer(dir, log);
  if (!(await server.hasDatabase(name))) {
    await server.close(true);
    throw new Error(`${dir} has no ${name}: generate it first (npm run generate -- --bulk --data-dir ${dir} --families N)`);
  }
  return { url: server.urlOf(name), server };
}

if (require.main === module) {
  const quick = process.env.BENCH_QUICK === '1';
  const env = (name: string, fallback: number) => (process.env[name] ? Number(process.env[name]) : fallback);
  const log = (line: string) => void process.stderr.write(`[bench:api] ${line}\n`);
  storeFromEnv(log)
    .then(async (store) => {
      try {
        return await runApiLoadBench({
          families: env('BENCH_API_FAMILIES', 300),
          connections: env('BENCH_API_CONNECTIONS', 32),
          durationSeconds: env('BENCH_API_DURATION', quick ? 12 : 30),
          warmupSeconds: env('BENCH_API_WARMUP', quick ? 3 : 5),
          rounds: env('BENCH_API_ROUNDS', 3),
          readShare: env('BENCH_API_READ_SHARE', 0.8),
          cpuProfileDir: process.env.BENCH_API_PROFILE === '1' ? join(RESULTS, 'api-cpu-prof') : undefined,
          store,
          log,
        });
      } finally {
        await store?.server.close(true);
      }
    })
    .then(
      (rows) => {
        process.stdout.write(`${renderTable(rows)}\n`);
        process.exit(0);
      },
      (error) => {
        process.stderr.write(`${error instanceof Error ? error.stack : error}\n`);
        process.exit(1);
      },
    );
}
