import { Inject } from '@nestjs/common';
import { asOfForReader, familyAsOf, isInstant, type FamilyAsOf } from '@familievedtak/audit';
import { isLocalDate, localDateOf } from '@familievedtak/domain';
import { EVENT_STORE, EventStore } from '@familievedtak/event-store';
import { Option, SubCommand } from 'nest-commander';
import type { AccessSubject } from '../../../api/src/read-audit/access-subjects';
import { CliReadAudit, OperatorOptions, READ_NOT_FOUND, READ_OK, ReadingCommand, requireOperator } from '../read-audit/cli-read-audit';
import { NOT_FOUND } from './history.command';
import { CommanderCommand, exitWithUsageCode, USAGE_ERROR } from './usage-exit';

type AsOfOptions = OperatorOptions & { at?: string; position?: string; today?: string; json?: boolean };

@SubCommand({
  name: 'as-of',
  arguments: '<familyId>',
  description:
    'The family decision view as it was at an instant or global position, rebuilt from the log: exit 0, 1 if the family did not exist then, 2 on a usage error',
})
export class AuditAsOfCommand extends ReadingCommand {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    private readonly readAudit: CliReadAudit,
  ) {
    super();
  }

  override setCommand(command: CommanderCommand): this {
    return super.setCommand(exitWithUsageCode(command));
  }

  async run([familyId]: string[], options: AsOfOptions = {}): Promise<void> {
    const problems = [
      ...((options.at === undefined) === (options.position === undefined) ? ['give exactly one of --at <instant> or --position <n>'] : []),
      ...(options.at !== undefined && !isInstant(options.at) ? ['--at must be an ISO 8601 instant with a zone, e.g. 2026-11-20T12:00:00Z'] : []),
      ...(options.position !== undefined && !/^\d{1,19}$/.test(options.position) ? ['--position must be a whole number'] : []),
      ...(options.today !== undefined && !isLocalDate(options.today) ? ['--today must be a date YYYY-MM-DD'] : []),
    ];
    if (problems.length) {
      problems.forEach((p) => console.error(p));
      process.exitCode = USAGE_ERROR;
      return;
    }
    const operator = requireOperator(options);
    if (!operator) return;
    const started = performance.now();
    const asOf = await familyAsOf(this.store, familyId, {
      at: options.at !== undefined ? new Date(options.at) : undefined,
      position: options.position !== undefined ? BigInt(options.position) : undefined,
      today: options.today,
    });
    const ms = performance.now() - started;
    if (!asOf) {
      await this.readAudit.record('as-of', operator, 'deny', READ_NOT_FOUND, [{ familyId, memberIds: [], categories: [] }]);
      console.error(`No family ${familyId} at that point of the log`);
      process.exitCode = NOT_FOUND;
      return;
    }
    await this.readAudit.record('as-of', operator, 'permit', READ_OK, [readOf(familyId, asOf)]);
    if (options.json) {
      console.log(
        JSON.stringify(
          {
            familyId,
            revision: asOf.revision,
            lastPosition: asOf.lastPosition.toString(),
            lastRecordedAt: asOf.lastRecordedAt,
            state: asOf.state,
            view: asOf.view,
          },
          null,
          2,
        ),
      );
    } else printAsOf(familyId, asOf);
    console.error(`folded ${asOf.revision + 1} events in ${ms.toFixed(1)} ms`);
    process.exitCode = 0;
  }

  @Option({ flags: '--at <instant>', description: 'events recorded at or before this ISO instant' })
  parseAt(value: string): string {
    return value;
  }

  @Option({ flags: '--position <n>', description: 'events at or before this global position' })
  parsePosition(value: string): string {
    return value;
  }

  @Option({ flags: '--today <date>', description: "the day the view's statuses are computed for (default: the Oslo date of --at, or of the last event)" })
  parseToday(value: string): string {
    return value;
  }

  @Option({ flags: '--json', description: 'print revision, state and view as JSON (as the API returns them)' })
  parseJson(): boolean {
    return true;
  }
}

/**
 * What the CLI's as-of shows, for the record: what the API would grant an auditor with the
 * protected-address clearance (the CLI masks nothing), decided on the real day; else every member.
 */
function readOf(familyId: string, asOf: FamilyAsOf): AccessSubject {
  const read = asOfForReader(asOf, { role: 'auditor', protectedAddressClearance: true }, localDateOf(new Date()));
  if (read.permit) return { familyId, memberIds: read.grant.memberIds, categories: read.grant.categories, consentIds: read.grant.consentIds };
  return { familyId, memberIds: asOf.view.members.map((m) => m.memberId), categories: ['family-view'], consentIds: [] };
}

function printAsOf(familyId: string, { revision, lastPosition, lastRecordedAt, view }: FamilyAsOf): void {
  const nok = (ore: number | null) => (ore === null ? '' : (ore / 100).toFixed(2));
  const name = (id: string) => view.members.find((m) => m.memberId === id)?.name ?? id;
  console.log(`Family ${familyId} as of revision ${revision} (position ${lastPosition}, recorded ${lastRecordedAt.toISOString()}); view for ${view.asOf}`);
  console.log(`Members: ${view.members.map((m) => `${m.name} (${m.role}, ${m.status})`).join('; ')}`);
  console.log('Decisions:');
  for (const d of view.decisions) {
    const amounts = [
      d.amounts.monthlyAmountOre !== null ? `monthly ${nok(d.amounts.monthlyAmountOre)}` : '',
      d.amounts.oneOffAmountOre !== null ? `one-off ${nok(d.amounts.oneOffAmountOre)}` : '',
    ].filter(Boolean);
    console.log(
      `  ${d.unit} ${d.decisionType} for ${d.memberIds.map(name).join(', ')}: ${d.status}, ${d.periodFrom}..${d.periodUntil}${amounts.length ? `, ${amounts.join(' ')} NOK` : ''}, rule ${d.delegation.ruleId}`,
    );
  }
  const consent = (c: { consentId: string; kind: string; memberId: string; toUnits: string[] }) =>
    `${c.consentId} ${c.kind} for ${name(c.memberId)} to ${c.toUnits.join(',')}`;
  console.log(`Consents in force: ${view.consents.inForce.map(consent).join('; ') || 'none'}`);
  console.log(`Consents ended: ${view.consents.ended.map((c) => `${consent(c)} (${c.endReason} ${c.endedOn})`).join('; ') || 'none'}`);
  console.log(`Family decision in force: ${view.familyDecisions.inForce?.familyDecisionId ?? 'none'}`);
  console.log(
    `Open needs ${view.summary.openNeeds}, decisions running ${view.summary.activeDecisions}, payments ${nok(view.payments.totals.totalOre)} NOK, warnings ${view.summary.warningCount}`,
  );
}
