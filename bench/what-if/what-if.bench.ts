/**
 * What-if bench: `rules simulate`'s engine (libs/what-if runWhatIf) replaying every generated
 * family under trondheim-2023 (baseline) and family-decision.yaml (candidate), events/s
 * against the store's readAll rate over the same data, and its memory peak.
 */
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { TRONDHEIM_2023_RULE_SET, type DelegationRuleSet } from '@familievedtak/domain';
import { loadRuleSetFile } from '@familievedtak/rules';
import { runWhatIf } from '@familievedtak/what-if';
import type { BenchRow } from '../bench-row';
import { runStandalone, withDataset, type Dataset } from '../data/dataset';
import { withMemoryPeak, type MemoryPeak } from '../data/memory';
import { measureReadBaseline, MEMORY_LIMIT_MB, type ReadBaseline } from '../projections/rebuild.bench';
import type { BenchServer } from '../store/server';

export const WHAT_IF_MIN_EVENTS_PER_SECOND = 50_000;
/** Issue 15: a what-if run at 0.7 of the speed of reading the log. */
export const WHAT_IF_MIN_RATIO = 0.7;

export type WhatIfResult = {
  families: number;
  events: number;
  seconds: number;
  eventsPerSecond: number;
  familiesAffected: number;
  memory: MemoryPeak;
  baseline: ReadBaseline;
};

/** libs/rules/rule-sets/family-decision.yaml, from the repository root (cwd) or relative to this file in dist. */
export function candidateRuleSet(): DelegationRuleSet {
  const candidates = [
    resolve(process.cwd(), 'libs/rules/rule-sets/family-decision.yaml'),
    join(__dirname, '..', '..', '..', 'libs', 'rules', 'rule-sets', 'family-decision.yaml'),
    join(__dirname, '..', '..', 'libs', 'rules', 'rule-sets', 'family-decision.yaml'),
  ];
  const path = candidates.find((p) => existsSync(p));
  if (!path) throw new Error('family-decision.yaml not found; run from the repository root');
  return loadRuleSetFile(path);
}

export async function measureWhatIf(dataset: Dataset, baseline: ReadBaseline, log: (line: string) => void = () => undefined): Promise<WhatIfResult> {
  const candidate = candidateRuleSet();
  const start = process.hrtime.bigint();
  const { result: report, memory } = await withMemoryPeak(() => runWhatIf(dataset.store, { baseline: TRONDHEIM_2023_RULE_SET, candidate }));
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  const events = report.scope.eventsRead;
  if (report.scope.familiesRead !== dataset.families) throw new Error(`what-if read ${report.scope.familiesRead} of ${dataset.families} families`);
  log(`what-if: ${events.toLocaleString('en-US')} events in ${seconds.toFixed(1)} s, RSS peak ${memory.rssMb} MB`);
  return {
    families: dataset.families,
    events,
    seconds,
    eventsPerSecond: events / seconds,
    familiesAffected: report.families.length,
    memory,
    baseline,
  };
}

const round = (n: number, digits = 2) => Math.round(n * 10 ** digits) / 10 ** digits;
const scale = (r: { families: number; events: number }) => `${r.families.toLocaleString('en-US')} families / ${r.events.toLocaleString('en-US')} events`;

export function whatIfRows(r: WhatIfResult): BenchRow[] {
  const ratio = r.eventsPerSecond / r.baseline.readAllEventsPerSecond;
  return [
    {
      area: 'what-if run',
      metric: 'events/s',
      value: Math.round(r.eventsPerSecond),
      baseline: { name: 'store readAll', value: Math.round(r.baseline.readAllEventsPerSecond) },
      ratio: round(ratio),
      target: `>= ${WHAT_IF_MIN_RATIO} x readAll`,
      met: ratio >= WHAT_IF_MIN_RATIO,
      note: `${scale(r)}; family-decision.yaml vs trondheim-2023, every family`,
    },
    {
      area: 'what-if run',
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

export async function runWhatIfBench(options: {
  families: number;
  server?: BenchServer;
  dataset?: Dataset;
  baseline?: ReadBaseline;
  log?: (line: string) => void;
}): Promise<BenchRow[]> {
  const log = options.log ?? ((line: string) => void process.stderr.write(`[bench:what-if] ${line}\n`));
  return withDataset(options, log, async (dataset) => {
    const baseline = options.baseline ?? (await measureReadBaseline(dataset));
    return whatIfRows(await measureWhatIf(dataset, baseline, log));
  });
}

if (require.main === module) runStandalone(runWhatIfBench);
