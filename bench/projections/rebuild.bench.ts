/**
 * Projection rebuild bench: a full rebuild of the family decision view (rebuildProjection:
 * reset, then ProjectionRunner from position zero to the head) over the generated families,
 * against the store's own read of the same events in the same run:
 * - readAll: the event store's $all read through its port, page by page (RecordedEvents
 *   parsed, nothing applied): the baseline the target is held against;
 * - COPY: the events table streamed out with COPY ... TO STDOUT, nothing parsed (the raw
 *   ceiling of bench/store), for context.
 * Memory: peak RSS and heap while rebuilding (sampled every 100 ms).
 */
import { createReadModelDataSource, FamilyViewProjection, rebuildProjection } from '@familievedtak/projections';
import type { BenchRow } from '../bench-row';
import { runStandalone, withDataset, type Dataset } from '../data/dataset';
import { median, withMemoryPeak, type MemoryPeak } from '../data/memory';
import type { BenchServer } from '../store/server';
import { copyOut } from '../store/raw.system';

export type ReadBaseline = { readAllEventsPerSecond: number; copyEventsPerSecond: number; events: number };
export type RebuildResult = {
  families: number;
  events: number;
  seconds: number;
  eventsPerSecond: number;
  memory: MemoryPeak;
  baseline: ReadBaseline;
};

export const REBUILD_MIN_EVENTS_PER_SECOND = 30_000;
/** Issue 15: a rebuild at half the speed of reading the log. */
export const REBUILD_MIN_RATIO = 0.5;
export const MEMORY_LIMIT_MB = 512;

const seconds = (start: bigint) => Number(process.hrtime.bigint() - start) / 1e9;

/** The store's read rates over the dataset: median of `runs` timed passes after one warm-up. */
export async function measureReadBaseline(dataset: Dataset, runs = 3, pageSize = 1000, warmUp = true): Promise<ReadBaseline> {
  const readAll = async () => {
    let from = 0n;
    let events = 0;
    for (;;) {
      const page = await dataset.store.readAll({ fromPosition: from, maxCount: pageSize });
      events += page.length;
      if (page.length) from = page[page.length - 1].globalPosition;
      if (page.length < pageSize) return events;
    }
  };
  const copy = async () =>
    (
      await copyOut(
        dataset.pool,
        'SELECT global_position, stream_id, revision, event_id, type, data, metadata, recorded_at, hash FROM event_store.events ORDER BY global_position',
      )
    ).events;
  if (warmUp) {
    await readAll();
    await copy();
  }
  const readAllRates: number[] = [];
  const copyRates: number[] = [];
  let events = 0;
  for (let run = 0; run < runs; run++) {
    let start = process.hrtime.bigint();
    events = await readAll();
    readAllRates.push(events / seconds(start));
    start = process.hrtime.bigint();
    const copied = await copy();
    copyRates.push(copied / seconds(start));
  }
  return { readAllEventsPerSecond: median(readAllRates), copyEventsPerSecond: median(copyRates), events };
}

/** Rebuilds the family view once over the dataset (its read-model tables migrated first). */
export async function measureRebuild(dataset: Dataset, baseline: ReadBaseline, log: (line: string) => void = () => undefined): Promise<RebuildResult> {
  const dataSource = createReadModelDataSource(dataset.url, 4);
  await dataSource.initialize();
  (dataSource.driver as unknown as { master?: { on(event: 'error', listener: () => void): void } }).master?.on('error', () => undefined);
  try {
    await dataSource.runMigrations();
    const projection = new FamilyViewProjection();
    const start = process.hrtime.bigint();
    const { result: outcome, memory } = await withMemoryPeak(() => rebuildProjection(dataSource, dataset.store, projection, { batchSize: 1000 }));
    const took = seconds(start);
    if (outcome !== 'rebuilt') throw new Error(`rebuild: ${outcome}`);
    const [{ n }] = await dataSource.query('SELECT count(*)::int AS n FROM read_models.family_view');
    if (n !== dataset.families) throw new Error(`rebuild: ${n} family views for ${dataset.families} families`);
    log(`rebuild: ${dataset.events.toLocaleString('en-US')} events in ${took.toFixed(1)} s, RSS peak ${memory.rssMb} MB`);
    return { families: dataset.families, events: dataset.events, seconds: took, eventsPerSecond: dataset.events / took, memory, baseline };
  } finally {
    await dataSource.destroy();
  }
}

const scale = (r: { families: number; events: number }) => `${r.families.toLocaleString('en-US')} families / ${r.events.toLocaleString('en-US')} events`;
const round = (n: number, digits = 2) => Math.round(n * 10 ** digits) / 10 ** digits;

export function readBaselineRows(dataset: { families: number; events: number }, baseline: ReadBaseline, runs = 3, warmUp = true): BenchRow[] {
  return [
    {
      area: 'store read',
      metric: 'readAll events/s',
      value: Math.round(baseline.readAllEventsPerSecond),
      baseline: { name: 'COPY TO STDOUT', value: Math.round(baseline.copyEventsPerSecond) },
      ratio: round(baseline.readAllEventsPerSecond / baseline.copyEventsPerSecond),
      note: `${scale(dataset)}; pages of 1,000, median of ${runs} after ${warmUp ? 'a warm-up pass' : 'no warm-up'}`,
    },
  ];
}

export function rebuildRows(r: RebuildResult): BenchRow[] {
  const ratio = r.eventsPerSecond / r.baseline.readAllEventsPerSecond;
  return [
    {
      area: 'projection rebuild',
      metric: 'events/s',
      value: Math.round(r.eventsPerSecond),
      baseline: { name: 'store readAll', value: Math.round(r.baseline.readAllEventsPerSecond) },
      ratio: round(ratio),
      target: `>= ${REBUILD_MIN_RATIO} x readAll`,
      met: ratio >= REBUILD_MIN_RATIO,
      note: `${scale(r)}; family view, batches of 1,000; ${round(r.eventsPerSecond / r.baseline.copyEventsPerSecond)} x raw COPY`,
    },
    {
      area: 'projection rebuild',
      metric: 'RSS peak MB',
      value: r.memory.rssMb,
      baseline: { name: 'RSS before', value: r.memory.startRssMb },
      ratio: round(r.memory.rssMb / r.memory.startRssMb),
      target: `< ${MEMORY_LIMIT_MB} MB`,
      met: r.memory.rssMb < MEMORY_LIMIT_MB,
      note: `heap peak ${r.memory.heapUsedMb} MB; ${scale(r)}`,
    },
  ];
}

/** Standalone: `node --expose-gc dist/bench/projections/rebuild.bench.js [families]`. */
export async function runRebuildBench(options: {
  families: number;
  server?: BenchServer;
  dataset?: Dataset;
  log?: (line: string) => void;
}): Promise<BenchRow[]> {
  const log = options.log ?? ((line: string) => void process.stderr.write(`[bench:rebuild] ${line}\n`));
  return withDataset(options, log, async (dataset) => {
    const baseline = await measureReadBaseline(dataset);
    const result = await measureRebuild(dataset, baseline, log);
    return [...readBaselineRows(dataset, baseline), ...rebuildRows(result)];
  });
}

if (require.main === module) runStandalone(runRebuildBench);
