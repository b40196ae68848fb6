import { randomUUID } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { userInfo } from 'node:os';
import { join, resolve } from 'node:path';
import { Inject } from '@nestjs/common';
import { PG_POOL } from '@familievedtak/database';
import { EVENT_STORE, EventStore } from '@familievedtak/event-store';
import { loadRuleSetFile } from '@familievedtak/rules';
import { parseWhatIfRequest, renderWhatIfHtml, runWhatIf, WhatIfSelectionWithheld, type WhatIfReport } from '@familievedtak/what-if';
import { CommandRunner, Option, SubCommand } from 'nest-commander';
import type { Pool } from 'pg';
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
  purpose?: string;
  user?: string;
};

/** How the read audit names the CLI as the route of a run. */
export const SIMULATE_AUDIT_ROUTE = 'CLI rules simulate';

/**
 * A run from the CLI on the read audit, like the API's (ReadAuditService.recordWhatIfRun):
 * no family, the rule sets compared, the family count and the selection; the operating-system
 * user (or --user) as the reader, role `cli`. Written before the report files.
 */
export async function recordSimulateRun(pool: Pool, report: WhatIfReport, reader: { userId: string; purpose: string }): Promise<void> {
  await pool.query(
    `INSERT INTO audit.read_access (at, request_id, user_id, unit, role, family_id, member_ids, categories, purpose, consent_ids, outcome, status, route, rule_sets, family_count, selection)
     VALUES (now(), $1, $2, NULL, 'cli', NULL, '{}', $3, $4, '{}', 'permit', 200, $5, $6, $7, $8)`,
    [
      randomUUID(),
      reader.userId,
      ['what-if-aggregate'],
      reader.purpose,
      SIMULATE_AUDIT_ROUTE,
      [`${report.inputs.baseline.id}@v${report.inputs.baseline.version}`, `${report.inputs.candidate.id}@v${report.inputs.candidate.version}`],
      report.scope.familiesSelected,
      JSON.stringify({ ...report.inputs.selection, ...(report.inputs.asOf ? { asOf: report.inputs.asOf } : {}) }),
    ],
  );
}

/** A rule-set document (YAML or JSON), checked with line-level errors by @familievedtak/rules. */
function readRuleSetFile(path: string): unknown {
  return loadRuleSetFile(resolve(path));
}

@SubCommand({
  name: 'simulate',
  description:
    'What-if run: a candidate rule set against a baseline over the recorded family histories (writes the aggregate report.json and report.html; the run goes on the read audit)',
})
export class RulesSimulateCommand extends CommandRunner {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(PG_POOL) private readonly pool: Pool,
  ) {
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
    let report: WhatIfReport;
    try {
      report = await runWhatIf(this.store, input, { onProgress: (done, total) => bar.update(done, total) });
    } catch (error) {
      if (!(error instanceof WhatIfSelectionWithheld)) throw error;
      bar.finish();
      console.error(`rules simulate: ${error.message}`);
      process.exitCode = 1;
      return;
    }
    bar.finish();
    const seconds = (Date.now() - started) / 1000;
    const purpose = options.purpose?.trim().slice(0, 200) || 'rules-analysis';
    await recordSimulateRun(this.pool, report, { userId: options.user?.trim() || `os:${userInfo().username}`, purpose });
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
    console.log(`districts shown: ${report.districts.shown.map((d) => `${d.district ?? '(no district)'} ${d.families}`).join(', ') || 'none'}; withheld together: ${report.districts.withheld.families} families`);
    console.log(`report ${report.hash} (families by pseudonyms of this run only)`);
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

  @Option({ flags: '--purpose <text>', description: "Why the run is made, for the read audit (default 'rules-analysis')" })
  parsePurpose(value: string): string {
    return value;
  }

  @Option({ flags: '--user <id>', description: 'Who runs it, for the read audit (default the operating-system user)' })
  parseUser(value: string): string {
    return value;
  }
}

