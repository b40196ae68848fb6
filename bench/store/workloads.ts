import { BenchConfig } from './config';
import { EmmettSystem } from './emmett.system';
import { FamilievedtakSystem } from './familievedtak.system';
import { RawSystem } from './raw.system';
import { BenchServer } from './server';
import { SystemUnderTest } from './system';
import { clientCpuSeconds } from './cpu';
import { collectGarbage, median, now, runWriters, seconds } from './workload';

export type SystemKey = 'familievedtak' | 'raw' | 'emmett';

export interface Measurement {
  events: number;
  seconds: number;
  eventsPerSecond: number;
  /** Every timed run (seconds); the reported figure is their median. */
  runs?: number[];
  bytes?: number;
  /** CPU microseconds per event inside the timed window (median over runs): server only when embedded. */
  serverCpuUsPerEvent?: number;
  clientCpuUsPerEvent?: number;
}

/** Starts counting CPU; the returned function gives microseconds per event since then. */
function cpuWindow(server: BenchServer): (events: number) => Pick<Measurement, 'serverCpuUsPerEvent' | 'clientCpuUsPerEvent'> {
  const server0 = server.cpuSeconds?.();
  const client0 = clientCpuSeconds();
  return (events) => ({
    serverCpuUsPerEvent: server0 === undefined ? undefined : ((server.cpuSeconds!() - server0) * 1e6) / events,
    clientCpuUsPerEvent: ((clientCpuSeconds() - client0) * 1e6) / events,
  });
}

/** Median of a per-run figure that may be missing. */
const medianOf = (values: (number | undefined)[]): number | undefined =>
  values.every((v) => v !== undefined) && values.length ? median(values as number[]) : undefined;

export type WorkloadResult = Record<SystemKey, Measurement>;

export interface SystemSpec<Key extends string = string> {
  key: Key;
  open(url: string, poolSize: number): Promise<SystemUnderTest>;
}

/** Always run in this order; each one alone on the server, in a database of its own. */
export const SYSTEMS: SystemSpec<SystemKey>[] = [
  { key: 'familievedtak', open: (url, size) => FamilievedtakSystem.open(url, size) },
  { key: 'raw', open: (url, size) => RawSystem.open(url, size) },
  { key: 'emmett', open: (url, size) => EmmettSystem.open(url, size) },
];

type Log = (line: string) => void;

async function expectCount(system: SystemUnderTest, expected: number): Promise<void> {
  const actual = await system.count();
  if (actual !== expected) throw new Error(`${system.name}: ${actual} events stored, expected ${expected}`);
}

/** Opens a system on a fresh database, runs `body`, always closes the pool. */
export async function withSystem<T>(
  server: BenchServer,
  database: string,
  spec: Pick<SystemSpec, 'open'>,
  poolSize: number,
  body: (system: SystemUnderTest) => Promise<T>,
): Promise<T> {
  const system = await spec.open(await server.freshDatabase(database), poolSize);
  try {
    return await body(system);
  } finally {
    await system.close();
  }
}

/** `writers` concurrent writers, each appending single events to its own stream, expected revision exact. */
export async function measureAppends(
  server: BenchServer,
  config: BenchConfig,
  database: string,
  spec: Pick<SystemSpec, 'open'>,
  log: Log,
): Promise<Measurement> {
  return withSystem(server, database, spec, config.poolSize, async (system) => {
    const append = system.appendOne.bind(system);
    if (config.warmupPerWriter) await runWriters(config.writers, config.warmupPerWriter, 'warmup', append);
    await server.checkpoint();
    collectGarbage();
    const events = config.writers * config.appendsPerWriter;
    const cpu = cpuWindow(server);
    const elapsed = await runWriters(config.writers, config.appendsPerWriter, 'bench', append);
    const cpuPerEvent = cpu(events);
    await expectCount(system, config.writers * (config.warmupPerWriter + config.appendsPerWriter));
    const serverCpu = cpuPerEvent.serverCpuUsPerEvent === undefined ? '' : `, server CPU ${Math.round(cpuPerEvent.serverCpuUsPerEvent)} µs/event`;
    log(`append ${database}: ${events} events in ${elapsed.toFixed(2)} s${serverCpu}`);
    return { events, seconds: elapsed, eventsPerSecond: events / elapsed, ...cpuPerEvent };
  });
}

/**
 * `appendRounds` rounds; each round measures every spec once, in order, so that load from
 * outside the bench (other processes on the machine) spreads over all of them. Median per spec.
 */
export async function measureAppendRounds<Key extends string>(
  server: BenchServer,
  config: BenchConfig,
  specs: SystemSpec<Key>[],
  log: Log,
): Promise<Record<Key, Measurement>> {
  const runs = new Map<Key, Measurement[]>(specs.map((s) => [s.key, []]));
  for (let round = 1; round <= config.appendRounds; round++) {
    for (const spec of specs) runs.get(spec.key)!.push(await measureAppends(server, config, `bench_store_append_${spec.key}`, spec, log));
  }
  const events = config.writers * config.appendsPerWriter;
  const result = {} as Record<Key, Measurement>;
  for (const [key, measured] of runs) {
    const typical = median(measured.map((m) => m.seconds));
    result[key] = {
      events,
      seconds: typical,
      eventsPerSecond: events / typical,
      runs: measured.map((m) => m.seconds),
      serverCpuUsPerEvent: medianOf(measured.map((m) => m.serverCpuUsPerEvent)),
      clientCpuUsPerEvent: medianOf(measured.map((m) => m.clientCpuUsPerEvent)),
    };
  }
  return result;
}

/** Pre-loads `readEvents`, then reads them all in global order: one untimed pass, then `readRuns` timed ones. */
export async function measureRead(server: BenchServer, config: BenchConfig, database: string, spec: Pick<SystemSpec, 'open'>, log: Log): Promise<Measurement> {
  return withSystem(server, database, spec, config.poolSize, async (system) => {
    const loadStart = now();
    await system.preload(config.readEvents, config.preloadBatch);
    await expectCount(system, config.readEvents);
    await system.vacuum(); // same table state (visibility map, statistics) for every system
    await server.checkpoint();
    log(`read ${database}: pre-loaded ${config.readEvents} events in ${seconds(loadStart).toFixed(1)} s`);
    const runs: number[] = [];
    const cpuRuns: Pick<Measurement, 'serverCpuUsPerEvent' | 'clientCpuUsPerEvent'>[] = [];
    let bytes: number | undefined;
    for (let run = 0; run <= config.readRuns; run++) {
      collectGarbage();
      const cpu = cpuWindow(server);
      const start = now();
      const outcome = await system.readAll(config.readPageSize);
      const elapsed = seconds(start);
      const cpuPerEvent = cpu(config.readEvents);
      if (outcome.events !== config.readEvents) {
        throw new Error(`${system.name}: read ${outcome.events} events, expected ${config.readEvents}`);
      }
      if (run === 0) continue; // warm-up pass: caches, plans, JIT of the parsing code
      runs.push(elapsed);
      cpuRuns.push(cpuPerEvent);
      bytes = outcome.bytes;
      log(`read ${database}: run ${run} ${elapsed.toFixed(3)} s`);
    }
    const typical = median(runs);
    return {
      events: config.readEvents,
      seconds: typical,
      eventsPerSecond: config.readEvents / typical,
      runs,
      bytes,
      serverCpuUsPerEvent: medianOf(cpuRuns.map((c) => c.serverCpuUsPerEvent)),
      clientCpuUsPerEvent: medianOf(cpuRuns.map((c) => c.clientCpuUsPerEvent)),
    };
  });
}
