import { Inject } from '@nestjs/common';
import { familyHistory, MAX_HISTORY_LIMIT, readFamilyStream, type HistoryEntry } from '@familievedtak/audit';
import { EVENT_STORE, EventStore } from '@familievedtak/event-store';
import { Option, SubCommand } from 'nest-commander';
import { CliReadAudit, OperatorOptions, READ_NOT_FOUND, READ_OK, ReadingCommand, requireOperator } from '../read-audit/cli-read-audit';
import { CommanderCommand, exitWithUsageCode, USAGE_ERROR } from './usage-exit';

type HistoryOptions = OperatorOptions & { unit?: string; type?: string; from?: string; until?: string; json?: boolean };

export const NOT_FOUND = 1;

@SubCommand({
  name: 'history',
  arguments: '<familyId>',
  description: "A family's events with labels, actor, delegation rule and consents relied on: exit 0, 1 if no such family, 2 on a usage error",
})
export class AuditHistoryCommand extends ReadingCommand {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    private readonly readAudit: CliReadAudit,
  ) {
    super();
  }

  override setCommand(command: CommanderCommand): this {
    return super.setCommand(exitWithUsageCode(command));
  }

  async run([familyId]: string[], options: HistoryOptions = {}): Promise<void> {
    const operator = requireOperator(options);
    if (!operator) return;
    const events = await readFamilyStream(this.store, familyId);
    if (!events.length) {
      await this.readAudit.record('history', operator, 'deny', READ_NOT_FOUND, [{ familyId, memberIds: [], categories: [] }]);
      console.error(`No family ${familyId} in the log`);
      process.exitCode = NOT_FOUND;
      return;
    }
    const filter = {
      unit: options.unit,
      types: options.type
        ?.split(',')
        .map((t) => t.trim())
        .filter(Boolean),
      from: options.from,
      until: options.until,
    };
    // The CLI prints the whole filtered history: it walks the pages itself.
    const entries: HistoryEntry[] = [];
    let after: number | undefined;
    try {
      for (;;) {
        const page = familyHistory(events, filter, { after, limit: MAX_HISTORY_LIMIT }, { protectedAddressClearance: true });
        entries.push(...page.entries);
        if (page.nextCursor === null) break;
        after = page.nextCursor;
      }
    } catch (error) {
      if (!(error instanceof RangeError)) throw error;
      console.error(error.message);
      process.exitCode = USAGE_ERROR;
      return;
    }
    // As the API records a history page: the members and categories of the entries shown.
    const memberIds = [...new Set(entries.flatMap((e) => e.memberIds))].sort();
    const categories = [...new Set(entries.map((e) => e.category))].sort();
    await this.readAudit.record('history', operator, 'permit', READ_OK, [{ familyId, memberIds, categories, consentIds: [] }]);
    if (options.json) console.log(JSON.stringify({ familyId, streamLength: events.length, entries }, null, 2));
    else {
      for (const e of entries) console.log(formatEntry(e));
      console.log(`${entries.length} of ${events.length} events of family ${familyId}`);
    }
    process.exitCode = 0;
  }

  @Option({ flags: '--unit <unit>', description: 'events acted by this unit or about its decisions' })
  parseUnit(value: string): string {
    return value;
  }

  @Option({ flags: '--type <types>', description: 'event types, separated by commas' })
  parseType(value: string): string {
    return value;
  }

  @Option({ flags: '--from <dateOrInstant>', description: 'recorded on or after (a date is a whole Oslo day)' })
  parseFrom(value: string): string {
    return value;
  }

  @Option({ flags: '--until <dateOrInstant>', description: 'recorded until (a date includes that day; an instant is exclusive)' })
  parseUntil(value: string): string {
    return value;
  }

  @Option({ flags: '--json', description: 'print the entries as JSON (as the API returns them)' })
  parseJson(): boolean {
    return true;
  }
}

function formatEntry(e: HistoryEntry): string {
  const who = `${e.actor.userId} (${e.actor.role}${e.actor.unit ? `, ${e.actor.unit}` : e.actor.partnerOrganisation ? `, ${e.actor.partnerOrganisation}` : ''})`;
  const authority = e.delegation
    ? `  rule ${e.delegation.ruleSetId} v${e.delegation.ruleSetVersion}${e.delegation.ruleId ? ` ${e.delegation.ruleId}` : ''}`
    : '';
  const consents = e.consentsReliedOn.length ? `  consents ${e.consentsReliedOn.join(', ')}` : '';
  return `#${e.revision} ${e.recordedAt} ${e.label}\n    by ${who}  command ${e.commandId ?? '-'}${authority}${consents}`;
}
