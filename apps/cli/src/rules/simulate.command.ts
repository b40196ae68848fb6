import { mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { Inject } from '@nestjs/common';
import { EVENT_STORE, EventStore } from '@familievedtak/event-store';
import { loadRuleSetFile } from '@familievedtak/rules';
import { parseWhatIfRequest, renderWhatIfHtml, runWhatIf } from '@familievedtak/what-if';
import { CommandRunner, Option, SubCommand } from 'nest-commander';
import { ProgressBar } from '../progress-bar';

type SimulateOptions = {
  candidate?: string;
  baseline?: string;
  unit?: string;
  district?: string;
  subProject?: string;
  from?: string;
  until?: string;
  asOf?: string;
  out?: string;
};

/** A rule-set document (YAML or JSON), checked with line-level errors by @familievedtak/rules. */
function readRuleSetFile(path: string): unknown {
  return loadRuleSetFile(resolve(path));
}

@SubCommand({
  name: 'simulate',
  description: 'What-if run: a candidate rule set against a baseline over the recorded family histories (writes report.json and report.html)',
})
export class RulesSimulateCommand extends CommandRunner {
  constructor(@Inject(EVENT_STORE) private readonly store: EventStore) {
    super();
  }

  async run(_params: string[], options: SimulateOptions = {}): Promise<void> {
    if (!options.candidate) {
      console.error('rules simulate: --candidate <file.json|yaml> is required');
      process.exitCode = 2;
      return;
    }
    const input = parseWhatIfRequest({
      candidate: readRuleSetFile(options.candidate),
      baseline: options.baseline ? readRuleSetFile(options.baseline) : 'trondheim-2023',
      selection: { unit: options.unit, district: options.district, subProjectId: options.subProject, from: options.from, until: options.until },
      ...(options.asOf ? { asOf: options.asOf } : {}),
    });
    const bar = new ProgressBar('rules simulate');
    const started = Date.now();
    const report = await runWhatIf(this.store, input, { onProgress: (done, total) => bar.update(done, total) });
    bar.finish();
    const seconds = (Date.now() - started) / 1000;
    const out = resolve(options.out ?? 'what-if-report');
    mkdirSync(out, { recursive: true });
    writeFileSync(join(out, 'report.json'), `${JSON.stringify(report, null, 2)}\n`);
    writeFileSync(join(out, 'report.html'), renderWhatIfHtml(report));
    const { baseline: b, candidate: c } = report;
    const d = (x: { mean: number; p90: number; max: number }) => `${x.mean} (p90 ${x.p90}, max ${x.max})`;
    console.log(`${c.ruleSetId} v${c.ruleSetVersion} against ${b.ruleSetId} v${b.ruleSetVersion}: ${report.scope.familiesSelected} of ${report.scope.familiesRead} families, ${report.scope.eventsRead} events in ${seconds.toFixed(1)} s (${Math.round(report.scope.eventsRead / Math.max(seconds, 0.001))} ev/s)`);
    console.table({
      'deciding units per family': { baseline: d(b.decidersPerFamily), candidate: d(c.decidersPerFamily) },
      'decisions per family': { baseline: d(b.decisionsPerFamily), candidate: d(c.decisionsPerFamily) },
      'decisions without a competent unit': { baseline: b.decisionsWithoutDecider, candidate: c.decisionsWithoutDecider },
      'decisions in a family decision': { baseline: b.bundledDecisions, candidate: c.bundledDecisions },
      'review dates per family': { baseline: d(b.reviewDatesPerFamily), candidate: d(c.reviewDatesPerFamily) },
      'needs that are nobody’s job': { baseline: b.needsNobodysJob, candidate: c.needsNobodysJob },
      'hand-offs': { baseline: b.handOffs, candidate: c.handOffs },
    });
    console.log(`decisions moving to another unit: ${report.moves.total}${report.moves.byRoute.length ? ` (${report.moves.byRoute.slice(0, 5).map((r) => `${r.from}→${r.to} ${r.decisions}`).join(', ')})` : ''}`);
    console.log(`report ${report.hash}`);
    console.log(`wrote ${join(out, 'report.json')} and ${join(out, 'report.html')}`);
  }

  @Option({ flags: '--candidate <file>', description: 'The candidate rule set (JSON or YAML)' })
  parseCandidate(value: string): string {
    return value;
  }

  @Option({ flags: '--baseline <file>', description: 'The baseline rule set (default: the 2023 rules, trondheim-2023)' })
  parseBaseline(value: string): string {
    return value;
  }

  @Option({ flags: '--unit <unit>', description: 'Only families where this unit decided, or that it coordinates' })
  parseUnit(value: string): string {
    return value;
  }

  @Option({ flags: '--district <name>', description: 'Only families in this district' })
  parseDistrict(value: string): string {
    return value;
  }

  @Option({ flags: '--sub-project <id>', description: 'Only families paid from, or with decisions naming, this sub-project' })
  parseSubProject(value: string): string {
    return value;
  }

  @Option({ flags: '--from <date>', description: 'Only decisions whose period overlaps from this date' })
  parseFrom(value: string): string {
    return value;
  }

  @Option({ flags: '--until <date>', description: 'Only decisions whose period overlaps until this date' })
  parseUntil(value: string): string {
    return value;
  }

  @Option({ flags: '--as-of <date>', description: 'History as recorded up to this day, and the day "in force together" is judged on' })
  parseAsOf(value: string): string {
    return value;
  }

  @Option({ flags: '--out <dir>', description: 'Where to write report.json and report.html (default ./what-if-report)' })
  parseOut(value: string): string {
    return value;
  }
}

