/**
 * Time-travel bench: the auditor's as-of (libs/audit familyAsOf) of one family with 1,000
 * events (needs, consents, decisions with amendments and appeals, payments and reversals,
 * family decisions), cut at a position in the middle of its stream and at its end, against
 * the floor of reading the same rows (a raw SELECT of their data); the fold alone (foldFamily
 * against reducing with evolveFamily, the fold as-of used before); and the cost of one
 * command on that family through StreamCommandHandler (load, decide, append) against one on
 * a fresh family, with the handler's folded-state cache and without it.
 *
 * `node dist/bench/time-travel/time-travel.bench.js` after `npm run build` (or through
 * bench/run.ts). DATABASE_URL to use an existing server, otherwise an embedded one with
 * durable settings. BENCH_TT_EVENTS (1,000), BENCH_TT_RUNS (quick 30, full 100),
 * BENCH_TT_LARGE (2,070: the size of the family the issue was reported on; 0 leaves it out).
 */
import { randomUUID } from 'node:crypto';
import { eventMetadata, StreamCommandHandler, type CommandEnvelope, type StreamDecider } from '@familievedtak/application';
import { familyAsOf, readFamilyStream } from '@familievedtak/audit';
import { buildFamilyDecisionView } from '@familievedtak/projections';
import {
  decideFamily,
  EVENT_SCHEMA_VERSION,
  evolveFamily,
  familyStreamId,
  foldFamily,
  initialFamilyState,
  localDateOf,
  TRONDHEIM_2023_RULE_SET,
  type DecisionContext,
  type FamilyCommand,
  type FamilyEvent,
  type FamilyState,
} from '@familievedtak/domain';
import { PostgresEventStore, type JsonObject, type RecordedEvent } from '@familievedtak/event-store';
import type { Pool } from 'pg';
import type { BenchRow } from '../bench-row';
import { createPool, openServer, type BenchServer } from '../store/server';
import { syntheticFamilyEvents } from './family-workload';

export type TimeTravelOptions = {
  quick?: boolean;
  full?: boolean;
  /** Events of the measured family (1,000). */
  events?: number;
  /** Measured runs per figure (after warm-up). */
  runs?: number;
  /** A second, larger family measured at its end only (2,070; 0: none). */
  largeEvents?: number;
  /** Commands measured per command-cost figure. */
  commands?: number;
  server?: BenchServer;
  log?: (line: string) => void;
};

export const TIME_TRAVEL_TARGET_MS = 20;

const round = (n: number, digits = 2) => Math.round(n * 10 ** digits) / 10 ** digits;
const fmt = (n: number) => n.toLocaleString('en-US');
const ms = (start: bigint) => Number(process.hrtime.bigint() - start) / 1e6;

export type Stats = { median: number; p95: number; runs: number };
export function stats(samples: number[]): Stats {
  const sorted = [...samples].sort((a, b) => a - b);
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)];
  return { median: at(0.5), p95: at(0.95), runs: sorted.length };
}

async function sample(runs: number, warmup: number, work: () => Promise<unknown> | unknown): Promise<Stats> {
  for (let i = 0; i < warmup; i++) await work();
  const samples: number[] = [];
  for (let i = 0; i < runs; i++) {
    const start = process.hrtime.bigint();
    await work();
    samples.push(ms(start));
  }
  return stats(samples);
}

const actor = { userId: 'kari.nav', role: 'caseworker', unit: 'NAV' } as const;
function envelope(commandType: string): CommandEnvelope {
  return {
    commandId: randomUUID(),
    commandType,
    correlationId: randomUUID(),
    causationId: randomUUID(),
    actor: { userId: actor.userId, unit: actor.unit, role: actor.role, partnerOrganisation: null },
    ruleSetId: TRONDHEIM_2023_RULE_SET.id,
    idempotencyKey: null,
  };
}

/** Writes the family's events through the event store, a few per append, with the API's metadata shape. */
async function writeFamily(store: PostgresEventStore, familyId: string, events: FamilyEvent[]): Promise<void> {
  const stream = familyStreamId(familyId);
  for (let i = 0; i < events.length;) {
    const batch = events.slice(i, i + 1 + (i % 3));
    const metadata = eventMetadata(envelope(`Bench${batch[0].type}`), EVENT_SCHEMA_VERSION);
    await store.appendToStream(
      stream,
      batch.map((e) => ({ id: randomUUID(), type: e.type, data: e.data as JsonObject, metadata })),
      { expectedRevision: i === 0 ? 'no_stream' : i - 1 },
    );
    i += batch.length;
  }
}

type Cut = { name: string; position: bigint; events: number };
type Breakdown = { read: Stats; fold: Stats; view: Stats };

/** The parts of one as-of: the store read (readFamilyStream), the fold, the view. */
async function measureBreakdown(store: PostgresEventStore, familyId: string, cut: Cut, runs: number): Promise<Breakdown> {
  const keep = (e: RecordedEvent) => e.globalPosition <= cut.position;
  const events = await readFamilyStream(store, familyId, keep);
  const domainEvents = events.map((e) => ({ type: e.type, data: e.data }) as unknown as FamilyEvent);
  const state = foldFamily(domainEvents);
  const today = localDateOf(events[events.length - 1].recordedAt);
  const read = await sample(runs, 3, () => readFamilyStream(store, familyId, keep));
  const fold = await sample(runs, 3, () => foldFamily(domainEvents));
  const view = await sample(runs, 3, () => buildFamilyDecisionView(state, today));
  return { read, fold, view };
}

async function measureCut(store: PostgresEventStore, pool: Pool, familyId: string, cut: Cut, runs: number): Promise<{ asOf: Stats; raw: Stats }> {
  const stream = familyStreamId(familyId);
  const check = await familyAsOf(store, familyId, { position: cut.position });
  if (!check || check.revision !== cut.events - 1) throw new Error(`as-of at ${cut.name} folded to revision ${check?.revision}, expected ${cut.events - 1}`);
  const rawRead = async () => {
    const { rows } = await pool.query('SELECT data FROM event_store.events WHERE stream_id = $1 AND global_position <= $2 ORDER BY revision', [
      stream,
      cut.position.toString(),
    ]);
    if (rows.length !== cut.events) throw new Error(`raw read gave ${rows.length} rows, expected ${cut.events}`);
  };
  // Interleaved, so load on the shared machine falls on both alike.
  const asOfSamples: number[] = [];
  const rawSamples: number[] = [];
  for (let i = 0; i < 3; i++) {
    await rawRead();
    await familyAsOf(store, familyId, { position: cut.position });
  }
  for (let i = 0; i < runs; i++) {
    let start = process.hrtime.bigint();
    await rawRead();
    rawSamples.push(ms(start));
    start = process.hrtime.bigint();
    await familyAsOf(store, familyId, { position: cut.position });
    asOfSamples.push(ms(start));
  }
  return { asOf: stats(asOfSamples), raw: stats(rawSamples) };
}

/** The fold alone, on the events as read back (what as-of folds): foldFamily against the reduce with evolveFamily it replaced. */
async function foldRow(area: string, stored: RecordedEvent[], runs: number, log: (line: string) => void): Promise<BenchRow> {
  const count = stored.length;
  const domainEvents = stored.map((e) => ({ type: e.type, data: e.data }) as unknown as FamilyEvent);
  const fold = await sample(runs, 3, () => foldFamily(domainEvents));
  const reduce = await sample(Math.max(5, Math.round(runs / 3)), 1, () => domainEvents.reduce(evolveFamily, initialFamilyState()));
  log(`fold of ${fmt(count)} events: foldFamily ${fold.median.toFixed(2)} ms, reduce with evolveFamily ${reduce.median.toFixed(2)} ms`);
  return {
    area,
    metric: 'fold µs/event (foldFamily)',
    value: round((fold.median * 1000) / count),
    baseline: { name: 'reduce with evolveFamily (the fold before)', value: round((reduce.median * 1000) / count) },
    ratio: round(reduce.median / fold.median),
    target: 'lower is better; ratio = reduce / foldFamily',
    note: `median of ${fold.runs} folds of ${fmt(count)} events`,
  };
}

type CommandCost = { large: Stats; fresh: Stats; largeUncached: Stats; largeBefore: Stats };

/** One ExpressNeed per sample, on the large family and on a fresh (just registered) one. */
async function measureCommands(store: PostgresEventStore, largeFamilyId: string, count: number): Promise<CommandCost> {
  let clock = Date.UTC(2026, 10, 27, 9);
  const context = (): DecisionContext => ({ now: new Date((clock += 1000)), newId: randomUUID, actor, ruleSet: TRONDHEIM_2023_RULE_SET });
  type Decider = StreamDecider<FamilyCommand, FamilyEvent, FamilyState, DecisionContext>;
  const decider: Decider = { decide: decideFamily, evolve: evolveFamily, initialState: initialFamilyState, fold: foldFamily };
  const express = (handler: StreamCommandHandler<FamilyCommand, FamilyEvent, FamilyState, DecisionContext>, familyId: string) => async () => {
    const command: FamilyCommand = { type: 'ExpressNeed', data: { words: 'Trenger hjelp med leksene', memberId: null } };
    const result = await handler.handle(familyStreamId(familyId), command, {
      envelope: envelope('ExpressNeed'),
      context: context(),
      schemaVersion: EVENT_SCHEMA_VERSION,
    });
    if (result.events.length !== 1) throw new Error('ExpressNeed appended nothing');
  };
  const cached = new StreamCommandHandler(store, decider);
  const uncached = new StreamCommandHandler(store, decider, { cachedStreams: 0 });
  // As the API handled commands before: no cache, a reduce with evolveFamily.
  const reduceOnly: Decider = { decide: decideFamily, evolve: evolveFamily, initialState: initialFamilyState };
  const before = new StreamCommandHandler(store, reduceOnly, { cachedStreams: 0 });
  const freshId = randomUUID();
  await cached.handle(
    familyStreamId(freshId),
    { type: 'RegisterFamily', data: { familyId: freshId, district: 'Heimdal', members: [{ name: 'Amina Hassan', birthDate: '1988-05-02', role: 'adult' }] } },
    { envelope: envelope('RegisterFamily'), context: context(), schemaVersion: EVENT_SCHEMA_VERSION },
  );
  // Round-robin, so load on the shared machine falls on every variant alike.
  const variants = [express(cached, freshId), express(cached, largeFamilyId), express(uncached, largeFamilyId), express(before, largeFamilyId)];
  const samples: number[][] = variants.map(() => []);
  for (let i = -2; i < count; i++) {
    for (let v = 0; v < variants.length; v++) {
      const start = process.hrtime.bigint();
      await variants[v]();
      if (i >= 0) samples[v].push(ms(start));
    }
  }
  const [fresh, large, largeUncached, largeBefore] = samples.map(stats);
  return { fresh, large, largeUncached, largeBefore };
}

export async function runTimeTravelBench(options: TimeTravelOptions = {}): Promise<BenchRow[]> {
  const log = options.log ?? ((line: string) => void process.stderr.write(`[time-travel] ${line}\n`));
  const count = options.events ?? Number(process.env.BENCH_TT_EVENTS ?? 1000);
  const runs = options.runs ?? Number(process.env.BENCH_TT_RUNS ?? (options.full ? 100 : 30));
  const largeCount = options.largeEvents ?? Number(process.env.BENCH_TT_LARGE ?? 2070);
  const commands = options.commands ?? (options.full ? 60 : 20);
  const server = options.server ?? (await openServer(log));
  const pool = createPool(await server.freshDatabase('bench_time_travel'), 4);
  const store = new PostgresEventStore({ pool });
  try {
    await store.migrate();
    const familyId = randomUUID();
    const events = syntheticFamilyEvents(familyId, count);
    let start = process.hrtime.bigint();
    await writeFamily(store, familyId, events);
    log(`wrote a family of ${fmt(count)} events in ${(ms(start) / 1000).toFixed(1)} s`);
    const stored = await store.readStream(familyStreamId(familyId), { maxCount: count });
    const mid = Math.floor(count / 2);
    const cuts: Cut[] = [
      { name: `middle (${fmt(mid)} events)`, position: stored[mid - 1].globalPosition, events: mid },
      { name: `end (${fmt(count)} events)`, position: stored[count - 1].globalPosition, events: count },
    ];

    const rows: BenchRow[] = [];
    const area = `time travel (${fmt(count)}-event family)`;
    for (const cut of cuts) {
      const { asOf, raw } = await measureCut(store, pool, familyId, cut, runs);
      log(`as-of at ${cut.name}: median ${asOf.median.toFixed(2)} ms, p95 ${asOf.p95.toFixed(2)} ms; raw read median ${raw.median.toFixed(2)} ms`);
      const note = `familyAsOf by position at the ${cut.name}: read, fold and view; ${asOf.runs} runs`;
      rows.push(
        {
          area,
          metric: `median ms, cut at the ${cut.name}`,
          value: round(asOf.median),
          baseline: { name: 'raw SELECT of the same rows', value: round(raw.median) },
          ratio: round(asOf.median / raw.median),
          target: `< ${TIME_TRAVEL_TARGET_MS} ms`,
          met: asOf.median < TIME_TRAVEL_TARGET_MS,
          note,
        },
        {
          area,
          metric: `p95 ms, cut at the ${cut.name}`,
          value: round(asOf.p95),
          baseline: { name: 'raw SELECT p95', value: round(raw.p95) },
          ratio: round(asOf.p95 / raw.p95),
          note,
        },
      );
      const parts = await measureBreakdown(store, familyId, cut, runs);
      log(`  parts: store read ${parts.read.median.toFixed(2)} ms, fold ${parts.fold.median.toFixed(2)} ms, view ${parts.view.median.toFixed(2)} ms`);
      rows.push({
        area,
        metric: `parts at the ${cut.name}: store read + fold + view, median ms`,
        value: round(parts.read.median + parts.fold.median + parts.view.median),
        note: `read ${round(parts.read.median)} ms (readFamilyStream), fold ${round(parts.fold.median)} ms (foldFamily), view ${round(parts.view.median)} ms (buildFamilyDecisionView)`,
      });
    }

    rows.push(await foldRow(area, stored, runs, log));

    if (largeCount > 0) {
      const largeId = randomUUID();
      start = process.hrtime.bigint();
      await writeFamily(store, largeId, syntheticFamilyEvents(largeId, largeCount));
      log(`wrote a family of ${fmt(largeCount)} events in ${(ms(start) / 1000).toFixed(1)} s`);
      const last = (await store.readStream(familyStreamId(largeId), { fromRevision: largeCount - 1, maxCount: 1 }))[0];
      const { asOf, raw } = await measureCut(
        store,
        pool,
        largeId,
        { name: `end (${fmt(largeCount)} events)`, position: last.globalPosition, events: largeCount },
        Math.max(10, Math.round(runs / 2)),
      );
      log(`as-of of the ${fmt(largeCount)}-event family: median ${asOf.median.toFixed(2)} ms; raw read ${raw.median.toFixed(2)} ms`);
      rows.push({
        area: `time travel (${fmt(largeCount)}-event family)`,
        metric: 'median ms, cut at the end',
        value: round(asOf.median),
        baseline: { name: 'raw SELECT of the same rows', value: round(raw.median) },
        ratio: round(asOf.median / raw.median),
        note: `the size the issue was reported at (~800 ms before); p95 ${round(asOf.p95)} ms`,
      });
      const largeCut = { name: `end (${fmt(largeCount)} events)`, position: last.globalPosition, events: largeCount };
      const parts = await measureBreakdown(store, largeId, largeCut, Math.max(10, Math.round(runs / 2)));
      log(`  parts: store read ${parts.read.median.toFixed(2)} ms, fold ${parts.fold.median.toFixed(2)} ms, view ${parts.view.median.toFixed(2)} ms`);
      rows.push({
        area: `time travel (${fmt(largeCount)}-event family)`,
        metric: 'parts at the end: store read + fold + view, median ms',
        value: round(parts.read.median + parts.fold.median + parts.view.median),
        note: `read ${round(parts.read.median)} ms, fold ${round(parts.fold.median)} ms, view ${round(parts.view.median)} ms`,
      });
      rows.push(
        await foldRow(`time travel (${fmt(largeCount)}-event family)`, await readFamilyStream(store, largeId), Math.max(10, Math.round(runs / 2)), log),
      );
    }

    const cost = await measureCommands(store, familyId, commands);
    log(
      `command: fresh family ${cost.fresh.median.toFixed(2)} ms, large cached ${cost.large.median.toFixed(2)} ms, uncached ${cost.largeUncached.median.toFixed(2)} ms, before ${cost.largeBefore.median.toFixed(2)} ms`,
    );
    const commandArea = `command on a ${fmt(count)}-event family`;
    rows.push(
      {
        area: commandArea,
        metric: 'median ms per command (cached fold)',
        value: round(cost.large.median),
        baseline: { name: 'the same command on a fresh family', value: round(cost.fresh.median) },
        ratio: round(cost.large.median / cost.fresh.median),
        target: 'close to a fresh family (ratio near 1)',
        note: `StreamCommandHandler.handle(ExpressNeed): read from the cached revision, decide, append (durable commit); p95 ${round(cost.large.p95)} ms; ${cost.large.runs} commands`,
      },
      {
        area: commandArea,
        metric: 'median ms per command (no cache: full read + foldFamily)',
        value: round(cost.largeUncached.median),
        baseline: { name: 'the same command on a fresh family', value: round(cost.fresh.median) },
        ratio: round(cost.largeUncached.median / cost.fresh.median),
        note: 'cachedStreams: 0, e.g. the first command after a restart',
      },
      {
        area: commandArea,
        metric: 'median ms per command (before: full read + reduce with evolveFamily)',
        value: round(cost.largeBefore.median),
        baseline: { name: 'the same command on a fresh family', value: round(cost.fresh.median) },
        ratio: round(cost.largeBefore.median / cost.fresh.median),
        note: 'no cache and no decider.fold: how the API handled commands before',
      },
    );
    return rows;
  } finally {
    await store.close();
    await pool.end();
    if (!options.server) await server.close(false);
  }
}

if (require.main === module) {
  const full = /^(1|true|yes|on)$/i.test(process.env.BENCH_FULL ?? '');
  runTimeTravelBench({ quick: !full, full })
    .then((rows) => {
      for (const r of rows) {
        const baseline = r.baseline ? ` | ${r.baseline.value} (${r.baseline.name}) | ${r.ratio ?? ''}x` : '';
        process.stdout.write(`| ${r.area} | ${r.metric} | ${r.value}${baseline} | ${r.target ?? ''} | ${r.met === undefined ? '' : r.met ? 'yes' : 'NO'} |\n`);
      }
    })
    .catch((error: unknown) => {
      console.error(error);
      process.exitCode = 1;
    });
}
