import { Inject } from '@nestjs/common';
import { PG_POOL } from '@familievedtak/database';
import { isDomainError } from '@familievedtak/domain';
import { EVENT_STORE, KEY_STORE, type Clock, type EventStore, type KeyStore } from '@familievedtak/event-store';
import { Command, CommandRunner, Option, SubCommand } from 'nest-commander';
import type { Pool } from 'pg';
import { FamilyCommandsService } from '../../../api/src/families/family-commands.service';
import { ReadAuditService } from '../../../api/src/read-audit/read-audit.service';
import { RetentionJob, type RetentionPlanReport, type RetentionRunReport } from '../../../api/src/retention/retention-job.service';
import { RetentionSchedules } from '../../../api/src/retention/retention-schedules.service';
import { RuleSetRegistry } from '../../../api/src/rules/rule-set-registry.service';
import { CLOCK } from '../../../api/src/shared/clock.provider';
import { CommanderCommand, exitWithUsageCode, groupWithoutSubcommand, USAGE_ERROR } from '../audit/usage-exit';
import { OperatorOptions, READ_NOT_FOUND, READ_OK, ReadingCommand, requireOperator } from '../read-audit/cli-read-audit';
import { printSummary, printTable } from '../table';
import { CliReads } from './retention-services';

/** Exit code when the run finished with families it could not handle (or tombstones it could not repair). */
export const RUN_PROBLEMS = 1;

type RunOptions = OperatorOptions & { dryRun?: boolean; json?: boolean };
type PlanOptions = OperatorOptions & { family?: string; json?: boolean };

/** The job as the API has it, built from the CLI module's providers (the API's RetentionModule is not imported: no controllers, no timer). */
export function retentionJobOf(store: EventStore, keys: KeyStore, pool: Pool, clock: Clock, families: FamilyCommandsService, ruleSets: RuleSetRegistry) {
  const schedules = new RetentionSchedules(store, clock);
  return { schedules, job: new RetentionJob(store, keys, pool, clock, families, schedules, ruleSets) };
}

@SubCommand({
  name: 'run',
  description:
    'Run the retention job now: repair, erase what the schedule in force makes due, delete erased letters’ copies, purge the read audit, record the run (--dry-run: the plan, nothing stored). Exit 0 done, 1 families failed, 2 usage error',
})
export class RetentionRunCommand extends ReadingCommand {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(KEY_STORE) private readonly keys: KeyStore,
    @Inject(PG_POOL) private readonly pool: Pool,
    @Inject(CLOCK) private readonly clock: Clock,
    private readonly families: FamilyCommandsService,
    private readonly ruleSets: RuleSetRegistry,
  ) {
    super();
  }

  override setCommand(command: CommanderCommand): this {
    return super.setCommand(exitWithUsageCode(command));
  }

  async run(_args: string[], options: RunOptions = {}): Promise<void> {
    const operator = requireOperator(options);
    if (!operator) return;
    // A run adopts the shipped schedule versions before its first erasure (as the API's does); a dry run stores nothing.
    const { job } = retentionJobOf(this.store, this.keys, this.pool, this.clock, this.families, this.ruleSets);
    try {
      const report = options.dryRun ? await job.plan() : await job.run({ userId: operator.userId, role: null, via: 'cli' });
      if (options.json) console.log(JSON.stringify(report, null, 2));
      else printRun(report);
      const problems = report.failures.length + (report.dryRun ? 0 : report.unrepaired.length);
      process.exitCode = problems > 0 ? RUN_PROBLEMS : 0;
    } catch (error) {
      if (!isDomainError(error)) throw error;
      console.error(`${error.code}: ${error.message}`);
      process.exitCode = RUN_PROBLEMS;
    }
  }

  @Option({ flags: '--dry-run', description: 'print the plan (what a run would erase and purge today); store nothing' })
  parseDryRun(): boolean {
    return true;
  }

  @Option({ flags: '--json', description: 'the report as JSON' })
  parseJson(): boolean {
    return true;
  }
}

@SubCommand({
  name: 'plan',
  description:
    "One family's records under the schedule in force today: each record's standing (due, retained until, kept, waiting, held, erased), what is due and what needs repair. Exit 0, 1 if no such family, 2 usage error",
})
export class RetentionPlanCommand extends ReadingCommand {
  private readonly reads: CliReads;

  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(KEY_STORE) private readonly keys: KeyStore,
    @Inject(PG_POOL) private readonly pool: Pool,
    @Inject(CLOCK) private readonly clock: Clock,
    private readonly families: FamilyCommandsService,
    private readonly ruleSets: RuleSetRegistry,
    audit: ReadAuditService,
  ) {
    super();
    this.reads = new CliReads(audit);
  }

  override setCommand(command: CommanderCommand): this {
    return super.setCommand(exitWithUsageCode(command));
  }

  async run(_args: string[], options: PlanOptions = {}): Promise<void> {
    if (!options.family) {
      console.error('--family <familyId> is required');
      process.exitCode = USAGE_ERROR;
      return;
    }
    const operator = requireOperator(options);
    if (!operator) return;
    const { job } = retentionJobOf(this.store, this.keys, this.pool, this.clock, this.families, this.ruleSets);
    const plan = await job.planFamily(options.family);
    if (!plan) {
      await this.reads.record('retention plan', operator, 'deny', READ_NOT_FOUND, [{ familyId: options.family, memberIds: [], categories: [] }]);
      console.error(`No family ${options.family} in the log`);
      process.exitCode = 1;
      return;
    }
    // Key refs name members (identity/<memberId>): the read is recorded with them, before anything is shown.
    const memberIds = [...new Set(plan.records.filter((r) => r.category === 'identity').map((r) => r.keyRef.slice('identity/'.length)))].sort();
    await this.reads.record('retention plan', operator, 'permit', READ_OK, [{ familyId: plan.familyId, memberIds, categories: ['retention-plan'] }]);
    if (options.json) console.log(JSON.stringify(plan, null, 2));
    else {
      printSummary({ family: plan.familyId, schedule: plan.schedule, 'as of': plan.asOf, due: plan.due.length, repairs: plan.repairs.length });
      printTable(
        plan.records.map((r) => ({
          record: r.keyRef,
          category: r.category,
          status: r.status,
          rule: r.rule ?? '-',
          'kept until': r.keptUntil ?? '-',
          why: r.why ?? '',
        })),
      );
    }
    process.exitCode = 0;
  }

  @Option({ flags: '--family <familyId>', description: 'the family to plan' })
  parseFamily(value: string): string {
    return value;
  }

  @Option({ flags: '--json', description: 'the plan as JSON' })
  parseJson(): boolean {
    return true;
  }
}

@Command({
  name: 'retention',
  description: 'The retention job: run it (or its plan, --dry-run) for every family, or see one family’s records under the schedule in force',
  subCommands: [RetentionRunCommand, RetentionPlanCommand],
})
export class RetentionCommand extends CommandRunner {
  async run(args: string[]): Promise<void> {
    groupWithoutSubcommand(this.command, args);
  }
}

function printRun(report: RetentionRunReport | RetentionPlanReport): void {
  if (report.dryRun) {
    printSummary({
      'dry run': 'nothing stored',
      schedule: report.schedule,
      'as of': report.asOf,
      'families checked': report.familiesChecked,
      'families with keys due': report.familiesWithErasures,
      'keys due': report.keysDueTotal,
      repairs: report.repairs,
      'letter copies due': report.letterCopiesDue,
      'read-audit rows due': report.readAudit.rowsDue,
      failures: report.failures.length,
    });
    printTable(report.families.flatMap((f) => f.keys.map((k) => ({ family: f.familyId, record: k.keyRef, rule: k.ruleId, 'kept until': k.keptUntil }))));
  } else {
    printSummary({
      run: report.runId,
      schedule: report.schedule,
      'as of': report.asOf,
      'families checked': report.familiesChecked,
      'families with erasures': report.familiesWithErasures,
      'keys erased': report.keysErasedTotal,
      ...Object.fromEntries(Object.entries(report.keysErased).map(([category, n]) => [`  ${category}`, n])),
      repaired: report.repaired.erasures,
      unrepaired: report.unrepaired.length,
      'letter copies deleted': report.letterCopiesDeleted,
      'read-audit rows purged': report.readAudit.rowsPurged,
      failures: report.failures.length,
    });
  }
  for (const failure of report.failures) console.error(`family ${failure.familyId}: ${failure.code}: ${failure.message}`);
  if (!report.dryRun) for (const u of report.unrepaired) console.error(`family ${u.familyId}: erasure ${u.erasureId} not repaired: ${u.why}`);
}
