/**
 * What encrypting personal data costs (issue 17, docs/operations/personal-data-encryption.md): the
 * same families (same seed) generated twice on one PostgreSQL server in one run, into a database
 * through the plain PostgreSQL store and into another through the encrypting decorator
 * (`withPersonalData(new PostgresEventStore({ pool }), { pool })`), then every figure as a ratio
 * encrypted / plain:
 *
 * - appends: events/s of the generator through the port (decideFamily + appendToStream, 8 families
 *   at once, a family's events in batches of up to 250), and a focused microbench: the
 *   personal-data events of a few new families appended one event per call (BENCH_PD_WRITERS
 *   families at once), with the key store's round trips per append counted;
 * - rebuild: the family view rebuilt from position 0 over each database (events/s);
 * - time travel: familyAsOf by position of the same random families in both databases, cut in the
 *   middle of each stream and at its end (median and p95 ms);
 * - readAll of the whole log through each store, pages of 1,000 (and the encrypted database read
 *   below the decorator, ciphertext left as it is: the decryption cost alone);
 * - storage: pg_total_relation_size of event_store.events and keys.data_keys in each database, and
 *   key rows per family.
 *
 * Every encrypted read pass (readAll, rebuild, each as-of) goes through a decorator made for it,
 * so its key cache starts empty and it pays its key queries, as a fresh process does.
 *
 * Timed passes are interleaved and their order flips every round (plain, encrypted, encrypted,
 * plain, ...; the generator alternates by chunk of families), so drift on a loaded machine falls
 * on both sides alike; each ratio is the median of the per-round ratios, reported with its runs.
 * No timing is asserted anywhere (test/bench/personal-data-bench.spec.ts checks shape and sanity).
 *
 * `npm run bench:personal-data` (build, then `node dist/bench/personal-data/encryption.bench.js`);
 * also part of `npm run bench` (BENCH_SKIP=personal-data leaves it out). DATABASE_URL to use a
 * server, otherwise an embedded one with durable settings. Knobs: BENCH_FAMILIES (1,000),
 * BENCH_PD_SEED (2023), BENCH_PD_CHUNKS (generator chunks per side, 4), BENCH_PD_ROUNDS (readAll
 * rounds, 4), BENCH_PD_REBUILD_ROUNDS (2), BENCH_PD_SAMPLES (families for as-of, 200),
 * BENCH_PD_APPEND_FAMILIES (new families per microbench round, 8), BENCH_PD_APPEND_ROUNDS (4),
 * BENCH_PD_WRITERS (4). Table on stdout, everything in bench/results/personal-data.json.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { cpus, loadavg } from 'node:os';
import { join } from 'node:path';
import type { Pool } from 'pg';
import { familyAsOf } from '@familievedtak/audit';
import { FAMILY_STREAM_PREFIX } from '@familievedtak/domain';
import {
  familyPersonalDataPolicy,
  PostgresEventStore,
  withPersonalData,
  type EventData,
  type EventStore,
  type PersonalDataEventStore,
} from '@familievedtak/event-store';
import { createReadModelDataSource, FamilyViewProjection, rebuildProjection } from '@familievedtak/projections';
import type { DataSource } from 'typeorm';
import type { BenchRow } from '../bench-row';
import { DEFAULT_SEED } from '../data/dataset';
import { decideGeneratedFamily, generateFamilies, type GenerateSummary } from '../data/generator';
import { median } from '../data/memory';
import { createPool, openServer, type BenchServer } from '../store/server';
import { stats, type Stats } from '../time-travel/time-travel.bench';

export type Side = 'plain' | 'encrypted';
export const SIDES: readonly Side[] = ['plain', 'encrypted'];

/** A database of the pair: where it is and a pool on it (the caller's: it ends it). */
export type BenchDatabase = { url: string; pool: Pool };

export type PersonalDataBenchOptions = {
  families: number;
  seed?: number;
  /** Chunks of families each side's generation is split into, alternating sides. */
  chunks?: number;
  /** Families written at once by the generator. */
  concurrency?: number;
  readRounds?: number;
  rebuildRounds?: number;
  /** Families whose as-of is measured (at most all of them). */
  samples?: number;
  /** New families per microbench round, and the rounds. */
  appendFamilies?: number;
  appendRounds?: number;
  writers?: number;
  /** Called after generation (e.g. the bench server's CHECKPOINT). */
  checkpoint?: () => Promise<void>;
  log?: (line: string) => void;
};

/** The encrypted database's stores: `raw` below the decorator, `open()` a decorator with an empty key cache. */
type EncryptedSide = BenchDatabase & {
  raw: PostgresEventStore;
  open(): PersonalDataEventStore;
  /** Queries the key stores of this side have sent so far. */
  keyQueries(): number;
};
type PlainSide = BenchDatabase & { store: PostgresEventStore };
export type BenchPair = { plain: PlainSide; encrypted: EncryptedSide };

/** Paired measurements: one value per side per round, and each round's ratio encrypted / plain. */
export type Paired = { plain: number[]; encrypted: number[]; ratios: number[]; ratio: number };

export type GenerationResult = {
  plain: GenerateSummary;
  encrypted: GenerateSummary;
  /** events/s per chunk, and ratio per chunk. */
  rates: Paired;
  appendCalls: number;
  keyQueries: number;
};
export type AppendMicroResult = {
  rates: Paired;
  /** Appends per side in each round (one event each). */
  appendsPerRound: number[];
  /** Appends per side, all rounds. */
  appends: number;
  keyQueries: number;
  writers: number;
  familiesPerRound: number;
};
export type ReadAllResult = { events: number; rates: Paired; raw: number[]; decryptionRatios: number[]; decryptionRatio: number };
export type RebuildPairResult = { events: number; rates: Paired };
export type AsOfPairResult = {
  families: number;
  eventsPerFamily: number;
  cuts: Record<'middle' | 'end', Record<Side, Stats>>;
};
export type StorageResult = {
  eventsBytes: Record<Side, number>;
  keysBytes: Record<Side, number>;
  keyRows: Record<Side, number>;
  keyRowsPerFamily: number;
  keyRowsByCategory: Record<string, number>;
};
export type PersonalDataResult = {
  families: number;
  events: number;
  seed: number;
  generation: GenerationResult;
  storage: StorageResult;
  readAll: ReadAllResult;
  rebuild: RebuildPairResult;
  asOf: AsOfPairResult;
  appends: AppendMicroResult;
};

const seconds = (start: bigint) => Number(process.hrtime.bigint() - start) / 1e9;
const ms = (start: bigint) => Number(process.hrtime.bigint() - start) / 1e6;
const round = (n: number, digits = 2) => Math.round(n * 10 ** digits) / 10 ** digits;
const fmt = (n: number) => n.toLocaleString('en-US');
/** Round r runs the sides in order, the next round in reverse: a drift in time falls on both alike. */
const orderOf = <T>(r: number, variants: readonly T[]): T[] => (r % 2 === 0 ? [...variants] : [...variants].reverse());

function paired(plain: number[], encrypted: number[]): Paired {
  const ratios = plain.map((p, i) => encrypted[i] / p);
  return { plain, encrypted, ratios, ratio: median(ratios) };
}

/** A view of the pool whose `query` calls are counted (the key store's round trips). */
function countingPool(pool: Pool): { pool: Pool; queries: () => number } {
  let queries = 0;
  const counted = new Proxy(pool, {
    get(target, property) {
      if (property === 'query') {
        return (...args: unknown[]) => {
          queries++;
          return (target.query as (...a: unknown[]) => unknown).apply(target, args);
        };
      }
      const value: unknown = Reflect.get(target, property, target);
      return typeof value === 'function' ? (value as (...a: unknown[]) => unknown).bind(target) : value;
    },
  });
  return { pool: counted, queries: () => queries };
}

/** The stores over the two databases, their schemas migrated (event_store and keys.data_keys in both). */
export async function openPair(plain: BenchDatabase, encrypted: BenchDatabase): Promise<BenchPair> {
  const plainStore = new PostgresEventStore({ pool: plain.pool });
  const raw = new PostgresEventStore({ pool: encrypted.pool });
  await plainStore.migrate();
  await raw.migrate();
  const keys = countingPool(encrypted.pool);
  return {
    plain: { ...plain, store: plainStore },
    encrypted: { ...encrypted, raw, open: () => withPersonalData(raw, { pool: keys.pool }), keyQueries: keys.queries },
  };
}

/** Leaves the process's key-cache list; the raw store and the pool stay (they are the pair's). */
const release = (store: PersonalDataEventStore) => store.keyStore.close();

/** A store whose appendToStream calls are counted. */
function countingAppends(store: EventStore): { store: EventStore; calls: () => number } {
  let calls = 0;
  const counted = new Proxy(store, {
    get(target, property) {
      if (property === 'appendToStream') {
        return (...args: Parameters<EventStore['appendToStream']>) => {
          calls++;
          return target.appendToStream(...args);
        };
      }
      const value: unknown = Reflect.get(target, property, target);
      return typeof value === 'function' ? (value as (...a: unknown[]) => unknown).bind(target) : value;
    },
  });
  return { store: counted, calls: () => calls };
}

const sum = (a: GenerateSummary, b: GenerateSummary): GenerateSummary => {
  const families = a.families + b.families;
  const events = a.events + b.events;
  const secs = a.seconds + b.seconds;
  return { families, commands: a.commands + b.commands, events, seconds: secs, eventsPerSecond: events / secs };
};
const NONE: GenerateSummary = { families: 0, commands: 0, events: 0, seconds: 0, eventsPerSecond: 0 };

/** The same families into both databases, chunk by chunk, the side that goes first alternating. */
export async function generatePair(
  pair: BenchPair,
  options: { families: number; seed: number; chunks: number; concurrency: number; log: (line: string) => void },
): Promise<GenerationResult> {
  const chunks = Math.max(1, Math.min(options.chunks, options.families));
  const encrypted = pair.encrypted.open();
  const counted = countingAppends(encrypted);
  const keysBefore = pair.encrypted.keyQueries();
  const total: Record<Side, GenerateSummary> = { plain: NONE, encrypted: NONE };
  const rates: Record<Side, number[]> = { plain: [], encrypted: [] };
  try {
    for (let c = 0; c < chunks; c++) {
      const first = Math.floor((c * options.families) / chunks);
      const count = Math.floor(((c + 1) * options.families) / chunks) - first;
      for (const side of orderOf(c, SIDES)) {
        const store = side === 'plain' ? pair.plain.store : counted.store;
        const summary = await generateFamilies({ store, families: count, seed: options.seed, firstIndex: first, concurrency: options.concurrency });
        total[side] = sum(total[side], summary);
        rates[side].push(summary.eventsPerSecond);
        options.log(
          `generated families ${fmt(first)}-${fmt(first + count - 1)} ${side}: ${fmt(summary.events)} events, ${fmt(Math.round(summary.eventsPerSecond))} events/s`,
        );
      }
    }
  } finally {
    release(encrypted);
  }
  for (const db of [pair.plain, pair.encrypted]) await db.pool.query('VACUUM (ANALYZE) event_store.events');
  await pair.encrypted.pool.query('VACUUM (ANALYZE) keys.data_keys');
  return {
    plain: total.plain,
    encrypted: total.encrypted,
    rates: paired(rates.plain, rates.encrypted),
    appendCalls: counted.calls(),
    keyQueries: pair.encrypted.keyQueries() - keysBefore,
  };
}

async function sizeOf(pool: Pool, relation: string): Promise<number> {
  const { rows } = await pool.query<{ bytes: string }>('SELECT pg_total_relation_size($1::regclass)::text AS bytes', [relation]);
  return Number(rows[0].bytes);
}

export async function measureStorage(pair: BenchPair, families: number): Promise<StorageResult> {
  const eventsBytes = { plain: await sizeOf(pair.plain.pool, 'event_store.events'), encrypted: await sizeOf(pair.encrypted.pool, 'event_store.events') };
  const keysBytes = { plain: await sizeOf(pair.plain.pool, 'keys.data_keys'), encrypted: await sizeOf(pair.encrypted.pool, 'keys.data_keys') };
  const count = async (pool: Pool) => Number((await pool.query<{ n: string }>('SELECT count(*) AS n FROM keys.data_keys')).rows[0].n);
  const keyRows = { plain: await count(pair.plain.pool), encrypted: await count(pair.encrypted.pool) };
  const { rows } = await pair.encrypted.pool.query<{ category: string; n: string }>(
    'SELECT category, count(*) AS n FROM keys.data_keys GROUP BY category ORDER BY category',
  );
  return {
    eventsBytes,
    keysBytes,
    keyRows,
    keyRowsPerFamily: keyRows.encrypted / Math.max(1, families),
    keyRowsByCategory: Object.fromEntries(rows.map((r) => [r.category, Number(r.n)])),
  };
}

/** Every event of the store, paged as the read baseline of the rebuild bench reads them. */
async function readWhole(store: EventStore, pageSize = 1000): Promise<number> {
  let from = 0n;
  let events = 0;
  for (;;) {
    const page = await store.readAll({ fromPosition: from, maxCount: pageSize });
    events += page.length;
    if (page.length) from = page[page.length - 1].globalPosition;
    if (page.length < pageSize) return events;
  }
}

/** readAll of the whole log: plain store, encrypted store, and the encrypted database below the decorator; one warm-up pass each. */
export async function measureReadAll(pair: BenchPair, rounds: number, log: (line: string) => void): Promise<ReadAllResult> {
  type Variant = 'plain' | 'encrypted' | 'raw';
  let events = -1;
  const pass = async (variant: Variant): Promise<number> => {
    const store = variant === 'plain' ? pair.plain.store : variant === 'raw' ? pair.encrypted.raw : pair.encrypted.open();
    try {
      const start = process.hrtime.bigint();
      const read = await readWhole(store);
      const rate = read / seconds(start);
      if (events >= 0 && read !== events) throw new Error(`readAll: ${variant} read ${read} events, another pass ${events}`);
      events = read;
      return rate;
    } finally {
      if (variant === 'encrypted') release(store as PersonalDataEventStore);
    }
  };
  const variants: Variant[] = ['plain', 'encrypted', 'raw'];
  for (const variant of variants) await pass(variant);
  const rates: Record<Variant, number[]> = { plain: [], encrypted: [], raw: [] };
  for (let r = 0; r < rounds; r++) {
    for (const variant of orderOf(r, variants)) rates[variant].push(await pass(variant));
    log(`readAll round ${r + 1}: plain ${fmt(Math.round(rates.plain[r]))}, encrypted ${fmt(Math.round(rates.encrypted[r]))} events/s`);
  }
  const decryptionRatios = rates.raw.map((raw, i) => rates.encrypted[i] / raw);
  return { events, rates: paired(rates.plain, rates.encrypted), raw: rates.raw, decryptionRatios, decryptionRatio: median(decryptionRatios) };
}

async function readModels(url: string): Promise<DataSource> {
  const dataSource = createReadModelDataSource(url, 4);
  await dataSource.initialize();
  (dataSource.driver as unknown as { master?: { on(event: 'error', listener: () => void): void } }).master?.on('error', () => undefined);
  await dataSource.runMigrations();
  return dataSource;
}

/** The family view rebuilt from position 0 in each database, `rounds` times each, interleaved. */
export async function measureRebuildPair(pair: BenchPair, families: number, rounds: number, log: (line: string) => void): Promise<RebuildPairResult> {
  const sources = { plain: await readModels(pair.plain.url), encrypted: await readModels(pair.encrypted.url) };
  try {
    const events = await pair.plain.store.countAfter(0n, { streamPrefixes: [FAMILY_STREAM_PREFIX] });
    const encryptedEvents = await pair.encrypted.raw.countAfter(0n, { streamPrefixes: [FAMILY_STREAM_PREFIX] });
    if (events !== encryptedEvents) throw new Error(`rebuild: ${events} family events in the plain database, ${encryptedEvents} in the encrypted one`);
    const rates: Record<Side, number[]> = { plain: [], encrypted: [] };
    for (let r = 0; r < rounds; r++) {
      for (const side of orderOf(r, SIDES)) {
        const store = side === 'plain' ? pair.plain.store : pair.encrypted.open();
        try {
          const start = process.hrtime.bigint();
          const outcome = await rebuildProjection(sources[side], store, new FamilyViewProjection(), { batchSize: 1000 });
          const took = seconds(start);
          if (outcome !== 'rebuilt') throw new Error(`rebuild (${side}): ${outcome}`);
          const [{ n }] = await sources[side].query('SELECT count(*)::int AS n FROM read_models.family_view');
          if (n !== families) throw new Error(`rebuild (${side}): ${n} family views for ${families} families`);
          rates[side].push(events / took);
          log(`rebuild ${side}: ${fmt(events)} events in ${took.toFixed(1)} s`);
        } finally {
          if (side === 'encrypted') release(store as PersonalDataEventStore);
        }
      }
    }
    return { events, rates: paired(rates.plain, rates.encrypted) };
  } finally {
    await sources.plain.destroy();
    await sources.encrypted.destroy();
  }
}

type Picked = { streamId: string; n: number; mid: bigint; last: bigint };
/** Where the picked streams' middle and last events are in a database (positions differ between the two). */
async function positionsOf(pool: Pool, streamIds: string[]): Promise<Map<string, Picked>> {
  const { rows } = await pool.query<{ stream_id: string; n: string; mid: string; last: string }>(
    `WITH s AS (SELECT stream_id, count(*) AS n, max(global_position) AS last FROM event_store.events WHERE stream_id = ANY ($1::text[]) GROUP BY stream_id)
     SELECT s.stream_id, s.n::text, s.last::text,
            (SELECT m.global_position FROM event_store.events m WHERE m.stream_id = s.stream_id AND m.revision = (s.n - 1) / 2)::text AS mid
       FROM s`,
    [streamIds],
  );
  return new Map(rows.map((r) => [r.stream_id, { streamId: r.stream_id, n: Number(r.n), mid: BigInt(r.mid), last: BigInt(r.last) }]));
}

/**
 * familyAsOf of the same families in both databases (picked by a hash of the stream id, so the
 * same ones in both), cut at the middle and at the end of each stream; per family and cut the
 * side that goes first alternates. Each encrypted as-of gets a decorator with an empty key cache.
 */
export async function measureAsOfPair(pair: BenchPair, samples: number, log: (line: string) => void): Promise<AsOfPairResult> {
  const { rows } = await pair.plain.pool.query<{ stream_id: string }>(
    `SELECT stream_id FROM event_store.events WHERE type = 'FamilyRegistered' AND stream_id LIKE $2 || '%' ORDER BY md5(stream_id) LIMIT $1`,
    [samples, FAMILY_STREAM_PREFIX],
  );
  const streamIds = rows.map((r) => r.stream_id);
  const at = { plain: await positionsOf(pair.plain.pool, streamIds), encrypted: await positionsOf(pair.encrypted.pool, streamIds) };
  const times = { middle: { plain: [] as number[], encrypted: [] as number[] }, end: { plain: [] as number[], encrypted: [] as number[] } };
  let events = 0;
  let turn = 0;
  for (const streamId of streamIds) {
    const familyId = streamId.slice(FAMILY_STREAM_PREFIX.length);
    const plainAt = at.plain.get(streamId);
    const encryptedAt = at.encrypted.get(streamId);
    if (!plainAt || !encryptedAt || plainAt.n !== encryptedAt.n) throw new Error(`as-of: ${streamId} differs between the databases`);
    events += plainAt.n;
    for (const cut of ['middle', 'end'] as const) {
      const expected = cut === 'middle' ? Math.floor((plainAt.n - 1) / 2) : plainAt.n - 1;
      for (const side of orderOf(turn++, SIDES)) {
        const position = (side === 'plain' ? plainAt : encryptedAt)[cut === 'middle' ? 'mid' : 'last'];
        const store = side === 'plain' ? pair.plain.store : pair.encrypted.open();
        try {
          const start = process.hrtime.bigint();
          const asOf = await familyAsOf(store, familyId, { position });
          times[cut][side].push(ms(start));
          if (asOf?.revision !== expected) throw new Error(`as-of (${side}) of ${familyId} at the ${cut}: revision ${asOf?.revision}, expected ${expected}`);
        } finally {
          if (side === 'encrypted') release(store as PersonalDataEventStore);
        }
      }
    }
  }
  const result: AsOfPairResult = {
    families: streamIds.length,
    eventsPerFamily: events / Math.max(1, streamIds.length),
    cuts: {
      middle: { plain: stats(times.middle.plain), encrypted: stats(times.middle.encrypted) },
      end: { plain: stats(times.end.plain), encrypted: stats(times.end.encrypted) },
    },
  };
  for (const cut of ['middle', 'end'] as const) {
    const { plain, encrypted } = result.cuts[cut];
    log(
      `as-of at the ${cut}: plain median ${plain.median.toFixed(2)} ms (p95 ${plain.p95.toFixed(2)}), encrypted ${encrypted.median.toFixed(2)} ms (p95 ${encrypted.p95.toFixed(2)})`,
    );
  }
  return result;
}

/** The events of a family not generated before that carry personal data (both sides get the same, in separate databases). */
function personalEventsOf(seed: number, index: number): { streamId: string; events: EventData[] } {
  const family = decideGeneratedFamily(seed, index);
  return { streamId: family.streamId, events: family.events.filter((e) => familyPersonalDataPolicy.fieldsOf(e.type, e.data).length > 0) };
}

/**
 * The microbench: new families' personal-data events appended one per call (exact expected
 * revision), `writers` families at once; per round the same events on both sides, the side that
 * goes first alternating. Counts the key store's round trips on the encrypted side.
 */
export async function measureAppendMicro(
  pair: BenchPair,
  options: { seed: number; firstIndex: number; familiesPerRound: number; rounds: number; writers: number; log: (line: string) => void },
): Promise<AppendMicroResult> {
  const rates: Record<Side, number[]> = { plain: [], encrypted: [] };
  const appendsPerRound: number[] = [];
  let appends = 0;
  let keyQueries = 0;
  for (let r = 0; r < options.rounds; r++) {
    const families = Array.from({ length: options.familiesPerRound }, (_, i) =>
      personalEventsOf(options.seed, options.firstIndex + r * options.familiesPerRound + i),
    );
    const count = families.reduce((n, f) => n + f.events.length, 0);
    appendsPerRound.push(count);
    appends += count;
    for (const side of orderOf(r, SIDES)) {
      const store = side === 'plain' ? pair.plain.store : pair.encrypted.open();
      const keysBefore = pair.encrypted.keyQueries();
      try {
        let next = 0;
        const writer = async () => {
          for (;;) {
            const family = families[next++];
            if (!family) return;
            for (const [revision, event] of family.events.entries()) {
              await store.appendToStream(family.streamId, [event], { expectedRevision: revision === 0 ? 'no_stream' : revision - 1 });
            }
          }
        };
        const start = process.hrtime.bigint();
        await Promise.all(Array.from({ length: Math.max(1, Math.min(options.writers, families.length)) }, writer));
        rates[side].push(count / seconds(start));
        if (side === 'encrypted') keyQueries += pair.encrypted.keyQueries() - keysBefore;
      } finally {
        if (side === 'encrypted') release(store as PersonalDataEventStore);
      }
    }
    options.log(
      `appends round ${r + 1}: ${fmt(count)} single-event appends, plain ${fmt(Math.round(rates.plain[r]))}/s, encrypted ${fmt(Math.round(rates.encrypted[r]))}/s`,
    );
  }
  return {
    rates: paired(rates.plain, rates.encrypted),
    appendsPerRound,
    appends,
    keyQueries,
    writers: options.writers,
    familiesPerRound: options.familiesPerRound,
  };
}

/** Everything, in an order where no measurement sees another's writes: generate, storage, readAll, rebuild, as-of, then the microbench's appends. */
export async function measurePersonalData(plain: BenchDatabase, encrypted: BenchDatabase, options: PersonalDataBenchOptions): Promise<PersonalDataResult> {
  const log = options.log ?? (() => undefined);
  const seed = options.seed ?? DEFAULT_SEED;
  const pair = await openPair(plain, encrypted);
  try {
    const generation = await generatePair(pair, {
      families: options.families,
      seed,
      chunks: options.chunks ?? 4,
      concurrency: options.concurrency ?? 8,
      log,
    });
    await options.checkpoint?.();
    if (generation.plain.events !== generation.encrypted.events) {
      throw new Error(`generated ${generation.plain.events} events plain, ${generation.encrypted.events} encrypted`);
    }
    const storage = await measureStorage(pair, options.families);
    log(
      `storage: events ${fmt(storage.eventsBytes.plain)} B plain, ${fmt(storage.eventsBytes.encrypted)} B encrypted; keys ${fmt(storage.keysBytes.encrypted)} B, ${fmt(storage.keyRows.encrypted)} key rows`,
    );
    const readAll = await measureReadAll(pair, options.readRounds ?? 4, log);
    const rebuild = await measureRebuildPair(pair, options.families, options.rebuildRounds ?? 2, log);
    const asOf = await measureAsOfPair(pair, Math.min(options.samples ?? 200, options.families), log);
    const appends = await measureAppendMicro(pair, {
      seed,
      firstIndex: options.families,
      familiesPerRound: options.appendFamilies ?? 8,
      rounds: options.appendRounds ?? 4,
      writers: options.writers ?? 4,
      log,
    });
    return { families: options.families, events: generation.plain.events, seed, generation, storage, readAll, rebuild, asOf, appends };
  } finally {
    await pair.plain.store.close();
    await pair.encrypted.raw.close();
  }
}

const AREA = 'personal data (encrypted / plain)';
const runsOf = (p: Paired, digits = 2) => p.ratios.map((r) => round(r, digits)).join(', ');
const kib = (bytes: number) => round(bytes / 1024, 0);

/** The result as bench rows: value = encrypted, baseline = plain (medians over the rounds), ratio = median of the per-round ratios. */
export function personalDataRows(r: PersonalDataResult): BenchRow[] {
  const scale = `${fmt(r.families)} families / ${fmt(r.events)} events`;
  const rate = (metric: string, p: Paired, note: string): BenchRow => ({
    area: AREA,
    metric,
    value: Math.round(median(p.encrypted)),
    baseline: { name: 'plain', value: Math.round(median(p.plain)) },
    ratio: round(p.ratio),
    note: `${note}; ratio per round: ${runsOf(p)} (below 1: encryption slower)`,
  });
  const g = r.generation;
  const a = r.appends;
  const rows: BenchRow[] = [
    rate(
      'generator events/s (through the port)',
      g.rates,
      `${scale}; decideFamily + appendToStream, 8 families at once, batches of up to 250; ${g.rates.ratios.length} chunks per side, alternating; ` +
        `${fmt(g.keyQueries)} key-store queries for ${fmt(g.appendCalls)} append calls (${round(g.keyQueries / Math.max(1, g.appendCalls))} per append)`,
    ),
    rate(
      'single-event appends/s (personal-data events, one per call)',
      a.rates,
      `${a.familiesPerRound} new families per round (${a.appendsPerRound.map(fmt).join(', ')} appends), ${a.writers} at once, each in order with its exact revision; ` +
        `${fmt(a.keyQueries)} key-store round trips for ${fmt(a.appends)} appends (${round(a.keyQueries / Math.max(1, a.appends))} per append: one when the event's record has no key yet, none when its key is cached)`,
    ),
    rate(
      'rebuild events/s (family view from 0)',
      r.rebuild.rates,
      `${fmt(r.rebuild.events)} family events, batches of 1,000; each encrypted pass with an empty key cache`,
    ),
    rate(
      'readAll events/s (whole log, decrypted)',
      r.readAll.rates,
      `${fmt(r.readAll.events)} events, pages of 1,000, after a warm-up pass each; empty key cache per pass`,
    ),
    {
      area: AREA,
      metric: 'readAll events/s: decryption alone (encrypted database, through the decorator / below it)',
      value: Math.round(median(r.readAll.rates.encrypted)),
      baseline: { name: 'the same ciphertext through the raw store', value: Math.round(median(r.readAll.raw)) },
      ratio: round(r.readAll.decryptionRatio),
      note: `the same rows both ways: only the decoding differs; ratio per round: ${r.readAll.decryptionRatios.map((x) => round(x)).join(', ')}`,
    },
  ];
  for (const cut of ['middle', 'end'] as const) {
    const { plain, encrypted } = r.asOf.cuts[cut];
    const note = `familyAsOf by position of ${r.asOf.families} random families (the same in both, ~${Math.round(r.asOf.eventsPerFamily)} events each), cut at the ${cut}; sides alternate first; each encrypted as-of with an empty key cache (one key query); above 1: encryption slower`;
    rows.push(
      {
        area: AREA,
        metric: `as-of median ms, cut at the ${cut}`,
        value: round(encrypted.median),
        baseline: { name: 'plain', value: round(plain.median) },
        ratio: round(encrypted.median / plain.median),
        note,
      },
      {
        area: AREA,
        metric: `as-of p95 ms, cut at the ${cut}`,
        value: round(encrypted.p95),
        baseline: { name: 'plain', value: round(plain.p95) },
        ratio: round(encrypted.p95 / plain.p95),
        note,
      },
    );
  }
  const s = r.storage;
  const total = (side: Side) => s.eventsBytes[side] + s.keysBytes[side];
  rows.push(
    {
      area: AREA,
      metric: 'event_store.events KiB (pg_total_relation_size)',
      value: kib(s.eventsBytes.encrypted),
      baseline: { name: 'plain', value: kib(s.eventsBytes.plain) },
      ratio: round(s.eventsBytes.encrypted / s.eventsBytes.plain),
      note: `${scale}; table, TOAST and indexes after VACUUM ANALYZE`,
    },
    {
      area: AREA,
      metric: 'event_store.events + keys.data_keys KiB',
      value: kib(total('encrypted')),
      baseline: { name: 'plain', value: kib(total('plain')) },
      ratio: round(total('encrypted') / total('plain')),
      note: `keys.data_keys ${fmt(kib(s.keysBytes.encrypted))} KiB encrypted, ${fmt(kib(s.keysBytes.plain))} KiB (empty) plain`,
    },
    {
      area: AREA,
      metric: 'key rows per family',
      value: round(s.keyRowsPerFamily, 1),
      note: `${fmt(s.keyRows.encrypted)} rows in keys.data_keys: ${Object.entries(s.keyRowsByCategory)
        .map(([category, n]) => `${category} ${fmt(n)}`)
        .join(', ')}`,
    },
  );
  return rows;
}

/** Two fresh databases on the server (an embedded one opened here unless given), everything measured, rows and result returned. */
export async function runPersonalDataBench(
  options: Omit<PersonalDataBenchOptions, 'checkpoint'> & { server?: BenchServer } = { families: 1000 },
): Promise<{ rows: BenchRow[]; result: PersonalDataResult; server: BenchServer['info'] }> {
  const log = options.log ?? ((line: string) => void process.stderr.write(`[bench:personal-data] ${line}\n`));
  const server = options.server ?? (await openServer(log));
  const open = async (name: string): Promise<BenchDatabase> => {
    const url = await server.freshDatabase(name);
    const pool = createPool(url, 16);
    // An idle connection ended by the server (databases dropped WITH (FORCE)) is no error of the bench.
    pool.on('error', () => undefined);
    return { url, pool };
  };
  try {
    const plain = await open('bench_personal_data_plain');
    const encrypted = await open('bench_personal_data_encrypted');
    try {
      log(`${fmt(options.families)} families into each of two databases on one server (${server.info.source})`);
      const result = await measurePersonalData(plain, encrypted, { ...options, log, checkpoint: () => server.checkpoint() });
      return { rows: personalDataRows(result), result, server: server.info };
    } finally {
      await plain.pool.end().catch(() => undefined);
      await encrypted.pool.end().catch(() => undefined);
    }
  } finally {
    if (!options.server) await server.close(false);
  }
}

function renderRows(rows: BenchRow[]): string {
  const lines = ['| area | metric | value | baseline | ratio | note |', '| --- | --- | ---: | ---: | ---: | --- |'];
  for (const r of rows) {
    const baseline = r.baseline ? `${fmt(r.baseline.value)} (${r.baseline.name})` : '';
    const note = (r.note ?? '').replace(/\s*\n\s*/g, ' ').replace(/\|/g, '\\|');
    lines.push(`| ${r.area} | ${r.metric} | ${fmt(r.value)} | ${baseline} | ${r.ratio === undefined ? '' : `${r.ratio}x`} | ${note} |`);
  }
  return lines.join('\n');
}

const envNumber = (name: string): number | undefined => (process.env[name] === undefined ? undefined : Number(process.env[name]));

/** The options `npm run bench:personal-data` and `npm run bench` take from the environment. */
export function optionsFromEnv(): PersonalDataBenchOptions {
  return {
    families: envNumber('BENCH_FAMILIES') ?? 1000,
    seed: envNumber('BENCH_PD_SEED'),
    chunks: envNumber('BENCH_PD_CHUNKS'),
    readRounds: envNumber('BENCH_PD_ROUNDS'),
    rebuildRounds: envNumber('BENCH_PD_REBUILD_ROUNDS'),
    samples: envNumber('BENCH_PD_SAMPLES'),
    appendFamilies: envNumber('BENCH_PD_APPEND_FAMILIES'),
    appendRounds: envNumber('BENCH_PD_APPEND_ROUNDS'),
    writers: envNumber('BENCH_PD_WRITERS'),
  };
}

async function main(): Promise<void> {
  const started = Date.now();
  const loadStart = loadavg()[0];
  const options = optionsFromEnv();
  const { rows, result, server } = await runPersonalDataBench(options);
  const table = renderRows(rows);
  process.stdout.write(`\n${table}\n`);
  const results = join(__dirname, '..', '..', '..', 'bench', 'results');
  await mkdir(results, { recursive: true });
  const report = {
    finishedAt: new Date().toISOString(),
    command: 'npm run bench:personal-data',
    seconds: Math.round((Date.now() - started) / 1000),
    node: process.version,
    cpus: cpus().length,
    loadAverage: { start: loadStart, end: loadavg()[0] },
    server,
    options,
    result,
    rows,
    table,
  };
  await writeFile(
    join(results, 'personal-data.json'),
    `${JSON.stringify(report, (_, value: unknown) => (typeof value === 'bigint' ? value.toString() : value), 2)}\n`,
  );
  process.stderr.write(`[bench:personal-data] done in ${report.seconds} s; results in bench/results/personal-data.json\n`);
}

if (require.main === module) {
  main().catch((error: unknown) => {
    console.error(error);
    process.exitCode = 1;
  });
}
