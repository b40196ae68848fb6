/**
 * `npm run bench` (quick, a few minutes) and `npm run bench:full`: every bench in one run on
 * one PostgreSQL (DATABASE_URL, else an embedded server with durable settings), one markdown
 * table on stdout (area, metric, value, baseline, ratio, target, met), everything in
 * bench/results/summary.json. Progress goes to stderr.
 *
 * Quick: the event store bench with reduced knobs (BENCH_* env as bench/store/config.ts
 *   reads them), BENCH_FAMILIES (1,000, ~85k events) generated families, the family-view rebuild and a
 *   what-if run over them, the time-travel bench and a short API load.
 * Full (BENCH_FULL=1): the store bench with its own defaults, 10,000 families (~1M events),
 *   and the growth comparison: the same per-event costs measured on 2,000 and on 10,000
 *   families, and the generator's two write paths (port and COPY) on the same 1,000 families.
 * BENCH_SCALE=100k (implies full): 10,000 and 100,000 families (~9.3M events), generated with
 *   the COPY bulk path (bench/data/bulk.ts; both sizes, so the generator's growth row compares
 *   like with like), growth rows 10,000 -> 100,000, and on the 100,000-family store:
 *   as-of of random families (bench/time-travel/store-as-of.ts) and the API load reading and
 *   commanding random families among all of them (bench/api, after its projections caught up).
 *   The bench process's RSS peak is reported against 512 MB. With BENCH_DATA_DIR alone the
 *   benches on the store run on the largest size of the run.
 * BENCH_DATA_DIR=/path (outside the repository): the datasets live in a persistent embedded
 *   PostgreSQL there and are generated once: a later run finds and reuses them (bench/data/
 *   dataset.ts), which is what makes the 100k run repeatable (`npm run generate -- --bulk
 *   --data-dir /path --families 100000` prepares one ahead). BENCH_GENERATOR=port|bulk overrides
 *   the write path (default: bulk with BENCH_SCALE=100k or BENCH_DATA_DIR, else port).
 * The money bench: sub-project payments at 1, 8 and 24 in parallel on one budget (each as a
 *   ratio against 1), and a 1,248-payment run, against single payments one at a time.
 * Personal data (issue 17, bench/personal-data/encryption.bench.ts): the same BENCH_FAMILIES families
 *   generated through the plain and through the encrypting store, every figure encrypted / plain.
 * BENCH_SKIP=store,generator,data,personal-data,api,time-travel,money leaves benches out, and read, rebuild,
 *   what-if, api-store parts of each size's figures (growth rows only where both sizes have them); BENCH_READ_RUNS the timed
 *   readAll/COPY passes per size (full 3, quick 1: at 100k each is minutes); BENCH_SUMMARY names the JSON file
 * (default summary.json).
 */
import { spawn } from 'node:child_process';
import { copyFile, mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { join } from 'node:path';
import { runApiLoadBench } from './api/api-load.bench';
import { runMoneyBench } from './money/money.bench';
import type { BenchRow } from './bench-row';
import { generateDataset, type Dataset, type GeneratorPath } from './data/dataset';
import { generatorPathRows, measureGeneratorPaths } from './data/generator.bench';
import type { GenerateSummary } from './data/generator';
import { openPersistentServer } from './data/persistent-server';
import { optionsFromEnv as personalDataOptions, runPersonalDataBench } from './personal-data/encryption.bench';
import { storeAsOfRows } from './time-travel/store-as-of';
import { measureReadBaseline, measureRebuild, readBaselineRows, rebuildRows, type ReadBaseline, type RebuildResult } from './projections/rebuild.bench';
import { openServer, type BenchServer } from './store/server';
import { measureWhatIf, whatIfRows, type WhatIfResult } from './what-if/what-if.bench';

const ROOT = join(__dirname, '..', '..');
const RESULTS = join(ROOT, 'bench', 'results');
const log = (line: string): void => void process.stderr.write(`[bench] ${line}\n`);
const round = (n: number, digits = 2) => Math.round(n * 10 ** digits) / 10 ** digits;
const fmt = (n: number) => (Number.isInteger(n) ? n.toLocaleString('en-US') : n.toLocaleString('en-US', { maximumFractionDigits: 2 }));

const scale100k = /^100k$/i.test(process.env.BENCH_SCALE ?? '');
const full = /^(1|true|yes|on)$/i.test(process.env.BENCH_FULL ?? '') || scale100k;
const dataDir = process.env.BENCH_DATA_DIR;
const generatorPath: GeneratorPath =
  process.env.BENCH_GENERATOR === 'port' || process.env.BENCH_GENERATOR === 'bulk' ? process.env.BENCH_GENERATOR : scale100k || dataDir ? 'bulk' : 'port';
const skip = new Set(
  (process.env.BENCH_SKIP ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean),
);
const quickFamilies = Number(process.env.BENCH_FAMILIES ?? 1000);
/** Timed readAll/COPY passes for the read baseline, after one untimed warm-up pass (quick: one). */
const readRuns = Number(process.env.BENCH_READ_RUNS ?? (full ? 3 : 1));
/** Growth may grow by this much per event from the smaller to the larger size and still count as flat. */
const GROWTH_TOLERANCE = 1.25;

type SizeResult = {
  families: number;
  events: number;
  generated: GenerateSummary;
  path: GeneratorPath;
  reused: boolean;
  baseline?: ReadBaseline;
  /** Left out with BENCH_SKIP=rebuild (or what-if, read): at 100k each is a long pass over ~10M events. */
  rebuild?: RebuildResult;
  whatIf?: WhatIfResult;
  /** Rows of the benches run on this size's store (the largest size with BENCH_SCALE=100k). */
  onStore: BenchRow[];
};

/** The event store bench (bench/store) in a child process, its JSON read back into rows. */
async function storeRows(): Promise<BenchRow[]> {
  const env = full
    ? { ...process.env }
    : {
        BENCH_APPENDS_PER_WRITER: '100',
        BENCH_WARMUP_PER_WRITER: '10',
        BENCH_APPEND_ROUNDS: '1',
        BENCH_READ_EVENTS: '20000',
        BENCH_READ_RUNS: '1',
        BENCH_DIAGNOSTICS: 'off',
        ...process.env,
      };
  const json = join(RESULTS, 'store.json');
  const backup = join(RESULTS, '.store.json.before-bench');
  const had = existsSync(json);
  if (had) await copyFile(json, backup);
  try {
    await new Promise<void>((resolve, reject) => {
      const child = spawn(process.execPath, ['--expose-gc', join(__dirname, 'store', 'store.bench.js')], { env, stdio: ['ignore', 'ignore', 'inherit'] });
      child.once('error', reject);
      child.once('exit', (code) => (code === 0 ? resolve() : reject(new Error(`store bench exited with ${code}`))));
    });
    const report = JSON.parse(await readFile(json, 'utf8'));
    const rate = (w: 'append' | 'read', system: string): number => report[w][system].eventsPerSecond;
    const c = report.config;
    const appendNote = `${c.writers} writers x ${c.appendsPerWriter} single-event appends, median of ${c.appendRounds}`;
    const readNote = `${c.readEvents.toLocaleString('en-US')} events, page ${c.readPageSize}`;
    const row = (metric: string, w: 'append' | 'read', vs: string, vsName: string, threshold: number, note: string): BenchRow => {
      const ratio = rate(w, 'familievedtak') / rate(w, vs);
      return {
        area: 'event store',
        metric,
        value: Math.round(rate(w, 'familievedtak')),
        baseline: { name: vsName, value: Math.round(rate(w, vs)) },
        ratio: round(ratio),
        target: `>= ${threshold} x ${vsName}`,
        met: ratio >= threshold,
        note,
      };
    };
    return [
      row('append events/s', 'append', 'raw', 'raw INSERT', 0.8, appendNote),
      row('append events/s', 'append', 'emmett', 'Emmett', 2.5, appendNote),
      row('read events/s', 'read', 'emmett', 'Emmett', 5, readNote),
      { ...row('read events/s', 'read', 'raw', 'raw COPY', 0, readNote), target: undefined, met: undefined },
    ];
  } finally {
    if (had) {
      await copyFile(backup, json);
      await rm(backup, { force: true });
    } else if (!full) await rm(json, { force: true }); // quick knobs: not the store bench's own figures
  }
}

/** Runs one bench on a size's store; a failure is a row, not the end of the size's figures. */
async function onStore(name: string, work: () => Promise<BenchRow[]>): Promise<BenchRow[]> {
  const start = Date.now();
  try {
    return await work();
  } catch (error) {
    log(`${name} failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
    return [{ area: name, metric: 'failed', value: 0, met: false, note: error instanceof Error ? error.message.slice(0, 200) : String(error) }];
  } finally {
    log(`${name}: ${((Date.now() - start) / 1000).toFixed(0)} s`);
  }
}

async function measureSize(server: BenchServer, families: number, storeBenches: boolean): Promise<SizeResult> {
  log(`${families.toLocaleString('en-US')} families (${generatorPath} path)`);
  const dataset: Dataset = await generateDataset(server, { families, path: generatorPath, log });
  try {
    const g = dataset.generated;
    log(
      `${dataset.reused ? 'reused (generated earlier):' : 'generated'} ${g.events.toLocaleString('en-US')} events from ${g.commands.toLocaleString('en-US')} commands in ${g.seconds.toFixed(1)} s (${Math.round(g.eventsPerSecond).toLocaleString('en-US')} events/s)`,
    );
    const rows: BenchRow[] = [];
    // Before the rebuild: as-of reads only the log, and finds the cache as generation left it.
    if (storeBenches) rows.push(...(await onStore('time travel on the store', () => storeAsOfRows(dataset, { log: (line) => log(`time-travel: ${line}`) }))));
    // Rebuild and what-if report against the read baseline, so they need it.
    const baseline = skip.has('read') && skip.has('rebuild') && skip.has('what-if') ? undefined : await measureReadBaseline(dataset, readRuns, 1000, true);
    if (baseline)
      log(
        `read baseline: readAll ${Math.round(baseline.readAllEventsPerSecond).toLocaleString('en-US')} events/s, COPY ${Math.round(baseline.copyEventsPerSecond).toLocaleString('en-US')} events/s`,
      );
    const rebuild = baseline && !skip.has('rebuild') ? await measureRebuild(dataset, baseline, log) : undefined;
    const whatIf = baseline && !skip.has('what-if') ? await measureWhatIf(dataset, baseline, log) : undefined;
    if (storeBenches) {
      // Last: its commands append to this store (the rebuild and what-if above read it as generated),
      // and the rebuild left the family view caught up, so the API starts with every view there.
      if (!skip.has('api-store'))
        rows.push(
          ...(await onStore('API on the store', async () =>
            (
              await runApiLoadBench({
                store: { url: dataset.url, server },
                log: (line) => log(`api (store): ${line}`),
                ...(full ? {} : { durationSeconds: 12, warmupSeconds: 3 }),
              })
            ).map((r) => ({ ...r, area: `${r.area} (store of ${families.toLocaleString('en-US')} families)` })),
          )),
        );
    }
    return { families, events: dataset.events, generated: g, path: dataset.path, reused: dataset.reused, baseline, rebuild, whatIf, onStore: rows };
  } finally {
    await dataset.close();
  }
}

function generatorRow(r: SizeResult): BenchRow {
  return {
    area: 'generator',
    metric: 'events/s',
    value: Math.round(r.generated.eventsPerSecond),
    note:
      `${r.families.toLocaleString('en-US')} families, ${r.generated.commands.toLocaleString('en-US')} commands -> ${r.generated.events.toLocaleString('en-US')} events ` +
      `in ${r.generated.seconds.toFixed(1)} s (${r.path === 'bulk' ? 'decideFamily + COPY' : 'decideFamily + appendToStream, 8 families at once'})` +
      (r.reused ? '; generated by an earlier run, reused from BENCH_DATA_DIR' : ''),
  };
}

/** The cost per event (and per family) at the larger size against the smaller: flat means the cost does not grow. */
function growthRows(small: SizeResult, large: SizeResult): BenchRow[] {
  const label = `${small.families.toLocaleString('en-US')} -> ${large.families.toLocaleString('en-US')} families`;
  const row = (area: string, metric: string, smallValue: number, largeValue: number, digits = 2): BenchRow => {
    const ratio = largeValue / smallValue;
    return {
      area,
      metric,
      value: round(largeValue, digits),
      baseline: { name: `at ${small.families.toLocaleString('en-US')} families`, value: round(smallValue, digits) },
      ratio: round(ratio),
      target: `<= ${GROWTH_TOLERANCE} (no growth per event)`,
      met: ratio <= GROWTH_TOLERANCE,
      note: label,
    };
  };
  const usPerEvent = (seconds: number, events: number) => (seconds / events) * 1e6;
  const rows: BenchRow[] = [];
  // Each figure where both sizes measured it (a part left out by BENCH_SKIP has no growth row).
  if (small.rebuild && large.rebuild) {
    rows.push(row('growth: rebuild', 'µs/event', usPerEvent(small.rebuild.seconds, small.events), usPerEvent(large.rebuild.seconds, large.events)));
  }
  if (small.whatIf && large.whatIf)
    rows.push(row('growth: what-if', 'µs/event', usPerEvent(small.whatIf.seconds, small.events), usPerEvent(large.whatIf.seconds, large.events)));
  if (small.baseline && large.baseline) {
    rows.push(row('growth: store readAll', 'µs/event', 1e6 / small.baseline.readAllEventsPerSecond, 1e6 / large.baseline.readAllEventsPerSecond));
  }
  if (small.path === large.path) {
    rows.push(
      row(
        'growth: generator',
        'µs/event',
        usPerEvent(small.generated.seconds, small.generated.events),
        usPerEvent(large.generated.seconds, large.generated.events),
      ),
    );
  }
  if (small.rebuild && large.rebuild) {
    rows.push(row('growth: rebuild', 'ms/family', (small.rebuild.seconds / small.families) * 1e3, (large.rebuild.seconds / large.families) * 1e3, 3));
  }
  const peak = (r: SizeResult) => Math.max(r.rebuild?.memory.rssMb ?? 0, r.whatIf?.memory.rssMb ?? 0);
  if (peak(small) > 0 && peak(large) > 0) {
    rows.push({
      area: 'growth: memory',
      metric: 'rebuild / what-if RSS peak MB',
      value: peak(large),
      baseline: { name: `at ${small.families.toLocaleString('en-US')} families`, value: peak(small) },
      ratio: round(peak(large) / peak(small)),
      target: '< 512 MB',
      met: peak(large) < 512,
      note: `${label}; streamed, so the peak should barely move`,
    });
  }
  return rows;
}

/** bench/time-travel/time-travel.bench.ts, if it is there (loaded at run time: it is written alongside). */
async function timeTravelRows(): Promise<BenchRow[] | null> {
  const path = join(__dirname, 'time-travel', 'time-travel.bench.js');
  if (!existsSync(path)) return null;
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const mod = require(path) as { runTimeTravelBench?: (options?: Record<string, unknown>) => Promise<BenchRow[]> };
  if (typeof mod.runTimeTravelBench !== 'function') return null;
  return mod.runTimeTravelBench({ quick: !full, full, log: (line: string) => log(`time-travel: ${line}`) });
}

async function apiRows(): Promise<BenchRow[]> {
  return runApiLoadBench(full ? {} : { durationSeconds: 12, warmupSeconds: 3 });
}

async function guarded(name: string, rows: BenchRow[], work: () => Promise<BenchRow[] | null>): Promise<void> {
  if (skip.has(name)) {
    log(`${name}: skipped (BENCH_SKIP)`);
    return;
  }
  const start = Date.now();
  try {
    const produced = await work();
    if (produced === null) log(`${name}: not present, left out`);
    else rows.push(...produced);
  } catch (error) {
    log(`${name} failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
    rows.push({ area: name, metric: 'failed', value: 0, met: false, note: error instanceof Error ? error.message.slice(0, 200) : String(error) });
  }
  log(`${name}: ${((Date.now() - start) / 1000).toFixed(0)} s`);
}

export function renderTable(rows: BenchRow[]): string {
  const lines = ['| area | metric | value | baseline | ratio | target | met | note |', '| --- | --- | ---: | ---: | ---: | --- | :---: | --- |'];
  for (const r of rows) {
    const baseline = r.baseline ? `${fmt(r.baseline.value)} (${r.baseline.name})` : '';
    const met = r.met === undefined ? '' : r.met ? 'yes' : '**NO**';
    const note = (r.note ?? '').replace(/\s*\n\s*/g, ' ').replace(/\|/g, '\\|');
    lines.push(
      `| ${r.area} | ${r.metric} | ${fmt(r.value)} | ${baseline} | ${r.ratio === undefined ? '' : `${r.ratio}x`} | ${r.target ?? ''} | ${met} | ${note} |`,
    );
  }
  return lines.join('\n');
}

async function main(): Promise<void> {
  const started = Date.now();
  const loadStart = loadavg()[0];
  const rows: BenchRow[] = [];
  const sizes: SizeResult[] = [];
  await mkdir(RESULTS, { recursive: true });
  log(`${full ? 'full' : 'quick'} bench on ${cpus().length} CPUs`);

  await guarded('store', rows, storeRows);

  const server = dataDir ? await openPersistentServer(dataDir, log) : await openServer(log);
  try {
    const families = scale100k ? [10_000, 100_000] : full ? [2_000, 10_000] : [quickFamilies];
    if (full) await guarded('generator', rows, async () => generatorPathRows(1_000, await measureGeneratorPaths({ families: 1_000, server, log })));
    await guarded('data', rows, async () => {
      const out: BenchRow[] = [];
      // The benches on a store run on the largest one, when it is the 100k one or kept for reuse.
      for (const n of families) sizes.push(await measureSize(server, n, (scale100k || dataDir !== undefined) && n === families[families.length - 1]));
      const main = sizes.find((s) => s.families === (full ? 10_000 : quickFamilies)) ?? sizes[sizes.length - 1];
      const figures = (size: SizeResult) => [...(size.rebuild ? rebuildRows(size.rebuild) : []), ...(size.whatIf ? whatIfRows(size.whatIf) : [])];
      out.push(generatorRow(main), ...(main.baseline ? readBaselineRows(main, main.baseline, readRuns, true) : []), ...figures(main));
      const largest = sizes[sizes.length - 1];
      if (largest !== main)
        out.push(generatorRow(largest), ...(largest.baseline ? readBaselineRows(largest, largest.baseline, readRuns, true) : []), ...figures(largest));
      for (let i = 1; i < sizes.length; i++) out.push(...growthRows(sizes[i - 1], sizes[i]));
      for (const size of sizes) out.push(...size.onStore);
      return out;
    });
    await guarded(
      'personal-data',
      rows,
      async () => (await runPersonalDataBench({ ...personalDataOptions(), server, log: (line) => log(`personal-data: ${line}`) })).rows,
    );
  } finally {
    await server.close(false);
  }

  await guarded('time-travel', rows, timeTravelRows);
  await guarded('money', rows, () => runMoneyBench((line) => log(`money: ${line}`)));
  await guarded('api', rows, apiRows);
  // The whole run in one process (the API and the load generator are children): what a rebuild
  // or what-if over the largest store costs in memory, at most.
  const peakRssMb = Math.round(process.resourceUsage().maxRSS / 1024);
  rows.push({
    area: 'memory',
    metric: 'bench process RSS peak MB',
    value: peakRssMb,
    target: '< 512 MB',
    met: peakRssMb < 512,
    note: `largest store ${sizes.length ? sizes[sizes.length - 1].events.toLocaleString('en-US') : 0} events; rebuild, what-if, read baseline and as-of in this process`,
  });

  const table = renderTable(rows);
  process.stdout.write(`\n${table}\n`);
  const summary = {
    finishedAt: new Date().toISOString(),
    mode: scale100k ? 'full, BENCH_SCALE=100k' : full ? 'full' : 'quick',
    command: scale100k ? 'BENCH_SCALE=100k npm run bench:full' : full ? 'npm run bench:full' : 'npm run bench',
    seconds: Math.round((Date.now() - started) / 1000),
    node: process.version,
    cpus: cpus().length,
    loadAverage: { start: loadStart, end: loadavg()[0] },
    dataDir: dataDir ?? null,
    sizes: sizes.map((s) => ({
      families: s.families,
      events: s.events,
      generated: s.generated,
      generatorPath: s.path,
      reused: s.reused,
      readBaseline: s.baseline ?? null,
      rebuild: s.rebuild ? { seconds: s.rebuild.seconds, eventsPerSecond: s.rebuild.eventsPerSecond, memory: s.rebuild.memory } : null,
      whatIf: s.whatIf
        ? { seconds: s.whatIf.seconds, eventsPerSecond: s.whatIf.eventsPerSecond, familiesAffected: s.whatIf.familiesAffected, memory: s.whatIf.memory }
        : null,
    })),
    rows,
    table,
  };
  const file = process.env.BENCH_SUMMARY ?? 'summary.json';
  await writeFile(join(RESULTS, file), `${JSON.stringify(summary, null, 2)}\n`);
  log(`done in ${summary.seconds} s; results in bench/results/${file}`);
}

/**
 * A pool without an 'error' listener whose idle connection the server ends (a bench dropping
 * its database WITH (FORCE), or stopping its embedded server) throws from an event emitter:
 * that is the end of that bench's data, not of the whole run. Anything else still ends it.
 */
process.on('uncaughtException', (error: Error & { code?: string }) => {
  if (error.code === '57P01' || /terminating connection due to administrator command/.test(error.message)) {
    log(`ignored: an idle connection was ended by the server (${error.message})`);
    return;
  }
  console.error(error);
  process.exit(1);
});

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
