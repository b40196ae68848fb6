import { randomUUID } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { userInfo } from 'node:os';
import { join, resolve } from 'node:path';
import { Inject } from '@nestjs/common';
import { PG_POOL } from '@familievedtak/database';
import { EVENT_STORE, EventStore } from '@familievedtak/event-store';
import { isDomainError } from '@familievedtak/domain';
import {
  InvalidWhatIfRequest,
  readWhatIfRequest,
  renderWhatIfHtml,
  resolveWhatIfRequest,
  runWhatIf,
  WhatIfSelectionWithheld,
  type WhatIfInput,
  type WhatIfReport,
} from '@familievedtak/what-if';
import { CommandRunner, Option, SubCommand } from 'nest-commander';
import type { Pool } from 'pg';
import { ProgressBar } from '../progress-bar';
import { ACTOR_ENV, PURPOSE_ENV } from '../read-audit/cli-read-audit';
import { printTable } from '../table';

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

/**
 * --candidate / --baseline: a rule-set document file (YAML or JSON, checked with line-level
 * errors), or when no such file exists a stored rule set: `family-decision` (its latest
 * version) or `family-decision@2` / `family-decision@v2`.
 */
export function ruleSetArgument(value: string): unknown {
  if (existsSync(value)) return { document: readFileSync(resolve(value), 'utf8') };
  const stored = /^([a-z0-9][a-z0-9-]*)(?:@v?(\d+))?$/.exec(value);
  if (!stored) throw new InvalidWhatIfRequest([`${value} is neither a file nor a stored rule set (<id> or <id>@<version>)`]);
  return { ruleSetId: stored[1], ...(stored[2] ? { version: Number(stored[2]) } : {}) };
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
      console.error('rules simulate: --candidate <file.yaml|file.json|rule-set-id[@version]> is required');
      process.exitCode = 2;
      return;
    }
    let input: WhatIfInput;
    try {
      const request = readWhatIfRequest({
        candidate: ruleSetArgument(options.candidate),
        ...(options.baseline ? { baseline: ruleSetArgument(options.baseline) } : {}),
        selection: { unit: options.unit, district: options.district, subProjectId: options.subProject, from: options.from, until: options.until },
        ...(options.asOf ? { asOf: options.asOf } : {}),
      });
      input = await resolveWhatIfRequest(this.store, request);
    } catch (error) {
      // A broken document (with its file:line errors), an unknown rule set or version, a bad option.
      if (!(error instanceof InvalidWhatIfRequest) && !isDomainError(error)) throw error;
      console.error(`rules simulate: ${error.message}`);
      process.exitCode = 1;
      return;
    }
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
    const purpose = (options.purpose ?? process.env[PURPOSE_ENV])?.trim().slice(0, 200) || 'rules-analysis';
    const userId = (options.user ?? process.env[ACTOR_ENV])?.trim() || `os:${userInfo().username}`;
    await recordSimulateRun(this.pool, report, { userId, purpose });
    const out = resolve(options.out ?? 'what-if-report');
    mkdirSync(out, { recursive: true });
    writeFileSync(join(out, 'report.json'), `${JSON.stringify(report, null, 2)}\n`);
    writeFileSync(join(out, 'report.html'), renderWhatIfHtml(report));
    const { baseline: b, candidate: c } = report;
    const d = (x: { mean: number; p90: number; max: number }) => `${x.mean} (p90 ${x.p90}, max ${x.max})`;
    console.log(
      `${c.ruleSetId} v${c.ruleSetVersion} against ${b.ruleSetId} v${b.ruleSetVersion}: ${report.scope.familiesSelected} of ${report.scope.familiesRead} families, ${report.scope.eventsRead} events in ${seconds.toFixed(1)} s (${Math.round(report.scope.eventsRead / Math.max(seconds, 0.001))} ev/s)`,
    );
    printTable([
      { measure: 'deciding units per family', baseline: d(b.decidersPerFamily), candidate: d(c.decidersPerFamily) },
      { measure: 'decisions per family', baseline: d(b.decisionsPerFamily), candidate: d(c.decisionsPerFamily) },
      { measure: 'decisions without a competent unit', baseline: b.decisionsWithoutDecider, candidate: c.decisionsWithoutDecider },
      { measure: 'decisions in a family decision', baseline: b.bundledDecisions, candidate: c.bundledDecisions },
      { measure: 'review dates per family', baseline: d(b.reviewDatesPerFamily), candidate: d(c.reviewDatesPerFamily) },
      { measure: 'needs that are nobody’s job', baseline: b.needsNobodysJob, candidate: c.needsNobodysJob },
      { measure: 'hand-offs', baseline: b.handOffs, candidate: c.handOffs },
      {
        measure: 'rules outside the law',
        baseline: report.legalLimits.baseline.rulesOutsideLimits,
        candidate: report.legalLimits.candidate.rulesOutsideLimits,
      },
    ]);
    // Analysed all the same, but said first and loudly: such a set could never be drafted or put in force.
    for (const [name, side] of [
      ['candidate', report.legalLimits.candidate],
      ['baseline', report.legalLimits.baseline],
    ] as const) {
      if (side.lawful) continue;
      console.error(
        `OUTSIDE THE LAW: the ${name} ${name === 'candidate' ? c.ruleSetId : b.ruleSetId} could not be drafted or put in force (${side.rulesOutsideLimits} rules):`,
      );
      for (const breach of side.breaches) console.error(`  ${breach.ruleId}: ${breach.problem} (${breach.provision})`);
    }
    console.log(
      `decisions moving to another unit: ${report.moves.total}${
        report.moves.byRoute.length
          ? ` (${report.moves.byRoute
              .slice(0, 5)
              .map((r) => `${r.from}→${r.to} ${r.decisions}`)
              .join(', ')})`
          : ''
      }`,
    );
    console.log(
      `districts shown: ${report.districts.shown.map((d) => `${d.district ?? '(no district)'} ${d.families}`).join(', ') || 'none'}; withheld together: ${report.districts.withheld.families} families`,
    );
    console.log(`report ${report.hash} (families by pseudonyms of this run only)`);
    console.log(`wrote ${join(out, 'report.json')} and ${join(out, 'report.html')}`);
  }

  @Option({
    flags: '--candidate <source>',
    description: 'The candidate rule set: a document file (JSON or YAML), or a stored rule set id, e.g. family-decision@1',
  })
  parseCandidate(value: string): string {
    return value;
  }

  @Option({ flags: '--baseline <source>', description: 'The baseline rule set, as --candidate (default: the 2023 rules, trondheim-2023 v1)' })
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

  @Option({ flags: '--user <id>', description: `Who runs it, for the read audit (default $${ACTOR_ENV}, else the operating-system user)` })
  parseUser(value: string): string {
    return value;
  }
}
