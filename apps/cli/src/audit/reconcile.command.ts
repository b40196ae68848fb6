import { Inject } from '@nestjs/common';
import { RECONCILE_EVENT_TYPES, reconcileStore, type ReconcileResult } from '@familievedtak/audit';
import { EVENT_STORE, EventStore } from '@familievedtak/event-store';
import { Option, SubCommand } from 'nest-commander';
import { CliReadAudit, familiesNamed, OperatorOptions, READ_OK, ReadingCommand, requireOperator } from '../read-audit/cli-read-audit';
import { printSummary } from '../table';
import { ProgressBar } from '../progress-bar';
import { CommanderCommand, exitWithUsageCode, positiveInt, USAGE_ERROR } from './usage-exit';

type ReconcileOptions = OperatorOptions & { pageSize?: string; json?: boolean };

const nok = (ore: number) => `${(ore / 100).toFixed(2)} NOK`;

@SubCommand({
  name: 'reconcile',
  description:
    "Every sub-project's spends against its families' payments (amounts, families, reversals): exit 0 if they match, 1 listing each difference, 2 on a usage error",
})
export class AuditReconcileCommand extends ReadingCommand {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    private readonly readAudit: CliReadAudit,
  ) {
    super();
  }

  override setCommand(command: CommanderCommand): this {
    return super.setCommand(exitWithUsageCode(command));
  }

  async run(_args: string[], options: ReconcileOptions = {}): Promise<void> {
    const pageSize = options.pageSize === undefined ? 1000 : positiveInt(options.pageSize);
    if (pageSize === undefined) {
      console.error('--page-size must be a positive whole number');
      process.exitCode = USAGE_ERROR;
      return;
    }
    const operator = requireOperator(options);
    if (!operator) return;
    const bar = new ProgressBar('reconcile', 'events');
    const started = Date.now();
    const total = await this.store.countAfter(0n, { streamPrefixes: ['subproject-', 'family-'], eventTypes: RECONCILE_EVENT_TYPES });
    const result = await reconcileStore(this.store, { pageSize, onProgress: (done) => bar.update(done, total) });
    bar.finish();
    // As the API: the differences name families.
    await this.readAudit.record(
      'reconcile',
      operator,
      'permit',
      READ_OK,
      familiesNamed(
        result.differences.flatMap((d) => (d.familyId ? [d.familyId] : [])),
        'payments',
      ),
    );
    const seconds = (Date.now() - started) / 1000;
    if (options.json) console.log(JSON.stringify({ ...result, seconds }, null, 2));
    else printReconciliation(result, seconds);
    process.exitCode = result.ok ? 0 : 1;
  }

  @Option({ flags: '--page-size <n>', description: 'events read per round trip (default 1000)' })
  parsePageSize(value: string): string {
    return value;
  }

  @Option({ flags: '--json', description: 'print the result as JSON (the API returns the same)' })
  parseJson(): boolean {
    return true;
  }
}

function printReconciliation(result: ReconcileResult, seconds: number): void {
  for (const d of result.differences) {
    console.log(`DIFFERENCE ${d.kind} sub-project ${d.subProjectId} payment ${d.paymentId} family ${d.familyId ?? '-'}: ${d.detail}`);
  }
  printSummary({
    verdict: result.ok ? 'spends and payments match' : `${result.differences.length} difference(s)`,
    'sub-projects': result.subProjects,
    spends: result.spends,
    payments: result.payments,
    spent: nok(result.spentOre),
    paid: nok(result.paidOre),
    seconds: Number(seconds.toFixed(2)),
  });
}
