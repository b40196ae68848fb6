import { Inject } from '@nestjs/common';
import { rebuildAndCompare, type RebuildComparePhase, type RebuildComparison } from '@familievedtak/audit';
import { EVENT_STORE, EventStore, type JsonValue } from '@familievedtak/event-store';
import { Option, SubCommand } from 'nest-commander';
import { CliReadAudit, familiesNamed, OperatorOptions, READ_OK, ReadingCommand, requireOperator } from '../read-audit/cli-read-audit';
import { printSummary } from '../table';
import { DataSource } from 'typeorm';
import { ProgressBar } from '../progress-bar';
import { CommanderCommand, exitWithUsageCode, positiveInt, USAGE_ERROR } from './usage-exit';

type RebuildCompareOptions = OperatorOptions & { batchSize?: string; maxDifferences?: string; keepShadow?: boolean; json?: boolean };

const KIND_LABEL = { missing: 'MISSING (replay has it, live view does not)', extra: 'EXTRA (live view has it, replay does not)', different: 'DIFFERS' };

@SubCommand({
  name: 'rebuild-compare',
  description:
    'Replay the family view into a shadow schema up to the live checkpoint and compare it row by row with the live view: exit 0 if identical, 1 listing every difference, 2 on a usage error',
})
export class AuditRebuildCompareCommand extends ReadingCommand {
  constructor(
    private readonly dataSource: DataSource,
    @Inject(EVENT_STORE) private readonly store: EventStore,
    private readonly readAudit: CliReadAudit,
  ) {
    super();
  }

  override setCommand(command: CommanderCommand): this {
    return super.setCommand(exitWithUsageCode(command));
  }

  async run(_args: string[], options: RebuildCompareOptions = {}): Promise<void> {
    const batchSize = options.batchSize === undefined ? 1000 : positiveInt(options.batchSize);
    const maxDifferences = options.maxDifferences === undefined ? undefined : positiveInt(options.maxDifferences);
    const problems = [
      ...(batchSize === undefined ? ['--batch-size must be a positive whole number'] : []),
      ...(options.maxDifferences !== undefined && maxDifferences === undefined ? ['--max-differences must be a positive whole number'] : []),
    ];
    if (problems.length) {
      problems.forEach((p) => console.error(p));
      process.exitCode = USAGE_ERROR;
      return;
    }
    const operator = requireOperator(options);
    if (!operator) return;
    // One bar per phase, started when the phase starts (its rate counts from there).
    let bar: { phase: RebuildComparePhase; progress: ProgressBar } | undefined;
    const started = Date.now();
    const result = await rebuildAndCompare(this.dataSource, this.store, {
      batchSize,
      maxDifferences,
      keepShadow: options.keepShadow === true,
      onProgress: (phase, done, total) => {
        if (bar?.phase !== phase) {
          bar?.progress.finish();
          bar = { phase, progress: phase === 'replay' ? new ProgressBar('replay ', 'events') : new ProgressBar('compare', 'rows') };
        }
        bar.progress.update(done, total);
      },
    });
    bar?.progress.finish();
    // As the API: the differing rows name families (and show their values).
    await this.readAudit.record(
      'rebuild-compare',
      operator,
      'permit',
      READ_OK,
      familiesNamed(
        result.differences.map((d) => d.familyId),
        'read-model-comparison',
      ),
    );
    const seconds = (Date.now() - started) / 1000;
    if (options.json) console.log(JSON.stringify({ ...result, seconds }, null, 2));
    else printComparison(result, seconds);
    process.exitCode = result.ok ? 0 : 1;
  }

  @Option({ flags: '--batch-size <n>', description: 'events folded per statement pair (default 1000)' })
  parseBatchSize(value: string): string {
    return value;
  }

  @Option({ flags: '--max-differences <n>', description: 'list at most this many differing rows (all are counted; default: all)' })
  parseMaxDifferences(value: string): string {
    return value;
  }

  @Option({ flags: '--keep-shadow', description: 'keep the shadow schema for inspection (drop it yourself: DROP SCHEMA <name> CASCADE)' })
  parseKeepShadow(): boolean {
    return true;
  }

  @Option({ flags: '--json', description: 'print the result as JSON (the API returns the same)' })
  parseJson(): boolean {
    return true;
  }
}

/** A value as JSON, cut short on a terminal line (--json prints it whole). */
const show = (value: JsonValue | undefined): string => {
  if (value === undefined) return '(absent)';
  const text = JSON.stringify(value);
  return text.length > 80 ? `${text.slice(0, 77)}...` : text;
};

function printComparison(result: RebuildComparison, seconds: number): void {
  for (const d of result.differences) {
    console.log(`${KIND_LABEL[d.kind]}: ${d.familyId}`);
    for (const f of d.fields) console.log(`  ${f.path}: live ${show(f.live)}, rebuilt ${show(f.rebuilt)}`);
  }
  if (result.truncated) console.log(`... ${result.missing + result.extra + result.different - result.differences.length} more differing row(s) not listed`);
  if (result.shadowSchema) console.log(`shadow kept: ${result.shadowSchema}.family_view (DROP SCHEMA ${result.shadowSchema} CASCADE when done)`);
  printSummary({
    verdict: result.ok ? 'identical' : 'differences found',
    position: result.position,
    'events replayed': result.eventsReplayed,
    'live rows': result.rows.live,
    'rebuilt rows': result.rows.rebuilt,
    missing: result.missing,
    extra: result.extra,
    different: result.different,
    seconds: Number(seconds.toFixed(2)),
  });
}
