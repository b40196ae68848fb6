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
 *   families (and 100,000 / ~10M events with BENCH_SCALE=100k: opt-in, generating them takes
 *   over an hour on two cores).
 * The money bench: sub-project payments at 1 and 24 in parallel on one budget, and a
 *   1,248-payment run, against single payments one at a time.
 * BENCH_SKIP=store,api,time-travel,money leaves benches out; BENCH_SUMMARY names the JSON file
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
import { generateDataset, type Dataset } from './data/dataset';
import type { GenerateSummary } from './data/generator';
import { measureReadBaseline, measureRebuild, readBaselineRows, rebuildRows, type RebuildResult } from './projections/rebuild.bench';
import { openServer, type BenchServer } from './store/server';
import { measureWhatIf, whatIfRows, type WhatIfResult } from './what-if/what-if.bench';

const ROOT = join(__dirname, '..', '..');
const RESULTS = join(ROOT, 'bench', 'results');
const log = (line: string): void => void process.stderr.write(`[bench] ${line}\n`);
const round = (n: number, digits = 2) => Math.round(n * 10 ** digits) / 10 ** digits;
const fmt = (n: number) => (Number.isInteger(n) ? n.toLocaleString('en-US') : n.toLocaleString('en-US', { maximumFractionDigits: 2 }));

const full = /^(1|true|yes|on)$/i.test(process.env.BENCH_FULL ?? '');
const skip = new Set((process.env.BENCH_SKIP ?? '').split(',').map((s) => s.trim()).filter(Boolean));
const quickFamilies = Number(process.env.BENCH_FAMILIES ?? 1000);
/** Timed readAll/COPY passes for the read baseline, after one untimed warm-up pass (quick: one). */
const readRuns = full ? 3 : 1;
/** Growth may grow by this much per event from the smaller to the larger size and still count as flat. */
const GROWTH_TOLERANCE = 1.25;

type SizeResult = { families: number; events: number; generated: GenerateSummary; rebuild: RebuildResult; whatIf: WhatIfResult };

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
      row('append events/s', 'append', 'raw', 'raw INSERT', 0.7, appendNote),
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

async function measureSize(server: BenchServer, families: number): Promise<SizeResult> {
  log(`generating ${families.toLocaleString('en-US')} families`);
  const dataset: Dataset = await generateDataset(server, { families, log });
  try {
    const g = dataset.generated;
    log(`generated ${g.events.toLocaleString('en-US')} events from ${g.commands.toLocaleString('en-US')} commands in ${g.seconds.toFixed(1)} s (${Math.round(g.eventsPerSecond).toLocaleString('en-US')} events/s)`);
    const baseline = await measureReadBaseline(dataset, readRuns, 1000, true);
    log(`read baseline: readAll ${Math.round(baseline.readAllEventsPerSecond).toLocaleString('en-US')} events/s, COPY ${Math.round(baseline.copyEventsPerSecond).toLocaleString('en-US')} events/s`);
    const rebuild = await measureRebuild(dataset, baseline, log);
    const whatIf = await measureWhatIf(dataset, baseline, log);
    return { families, events: dataset.events, generated: g, rebuild, whatIf };
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
      `${r.families.toLocaleString('en-US')} families, ${r.generated.commands.toLocaleString('en-US')} commands -> ${r.events.toLocaleString('en-US')} events ` +
      `in ${r.generated.seconds.toFixed(1)} s (decideFamily + appendToStream, 8 families at once)`,
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
  return [
    row('growth: rebuild', 'µs/event', usPerEvent(small.rebuild.seconds, small.events), usPerEvent(large.rebuild.seconds, large.events)),
    row('growth: what-if', 'µs/event', usPerEvent(small.whatIf.seconds, small.events), usPerEvent(large.whatIf.seconds, large.events)),
    row('growth: store readAll', 'µs/event', 1e6 / small.rebuild.baseline.readAllEventsPerSecond, 1e6 / large.rebuild.baseline.readAllEventsPerSecond),
    row('growth: generator', 'µs/event', usPerEvent(small.generated.seconds, small.events), usPerEvent(large.generated.seconds, large.events)),
    row('growth: rebuild', 'ms/family', (small.rebuild.seconds / small.families) * 1e3, (large.rebuild.seconds / large.families) * 1e3, 3),
    {
      area: 'growth: memory',
      metric: 'rebuild / what-if RSS peak MB',
      value: Math.max(large.rebuild.memory.rssMb, large.whatIf.memory.rssMb),
      baseline: { name: `at ${small.families.toLocaleString('en-US')} families`, value: Math.max(small.rebuild.memory.rssMb, small.whatIf.memory.rssMb) },
      ratio: round(Math.max(large.rebuild.memory.rssMb, large.whatIf.memory.rssMb) / Math.max(small.rebuild.memory.rssMb, small.whatIf.memory.rssMb)),
      target: '< 512 MB',
      met: Math.max(large.rebuild.memory.rssMb, large.whatIf.memory.rssMb) < 512,
      note: `${label}; streamed, so the peak should barely move`,
    },
  ];
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
    lines.push(`| ${r.area} | ${r.metric} | ${fmt(r.value)} | ${baseline} | ${r.ratio === undefined ? '' : `${r.ratio}x`} | ${r.target ?? ''} | ${met} | ${note} |`);
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

  const server = await openServer(log);
  try {
    const families = full ? [2_000, 10_000, ...(/^100k$/i.test(process.env.BENCH_SCALE ?? '') ? [100_000] : [])] : [quickFamilies];
    await guarded('data', rows, async () => {
      const out: BenchRow[] = [];
      for (const n of families) sizes.push(await measureSize(server, n));
      const main = sizes.find((s) => s.families === (full ? 10_000 : quickFamilies)) ?? sizes[sizes.length - 1];
      out.push(generatorRow(main), ...readBaselineRows(main, main.rebuild.baseline, readRuns, true), ...rebuildRows(main.rebuild), ...whatIfRows(main.whatIf));
      const largest = sizes[sizes.length - 1];
      if (largest !== main) out.push(generatorRow(largest), ...rebuildRows(largest.rebuild), ...whatIfRows(largest.whatIf));
      for (let i = 1; i < sizes.length; i++) out.push(...growthRows(sizes[i - 1], sizes[i]));
      return out;
    });
  } finally {
    await server.close(false);
  }

  await guarded('time-travel', rows, timeTravelRows);
  await guarded('money', rows, () => runMoneyBench((line) => log(`money: ${line}`)));
  await guarded('api', rows, apiRows);

  const table = renderTable(rows);
  process.stdout.write(`\n${table}\n`);
  const summary = {
    finishedAt: new Date().toISOString(),
    mode: full ? 'full' : 'quick',
    command: full ? 'npm run bench:full' : 'npm run bench',
    seconds: Math.round((Date.now() - started) / 1000),
    node: process.version,
    cpus: cpus().length,
    loadAverage: { start: loadStart, end: loadavg()[0] },
    sizes: sizes.map((s) => ({
      families: s.families,
      events: s.events,
      generated: s.generated,
      readBaseline: s.rebuild.baseline,
      rebuild: { seconds: s.rebuild.seconds, eventsPerSecond: s.rebuild.eventsPerSecond, memory: s.rebuild.memory },
      whatIf: { seconds: s.whatIf.seconds, eventsPerSecond: s.whatIf.eventsPerSecond, familiesAffected: s.whatIf.familiesAffected, memory: s.whatIf.memory },
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
