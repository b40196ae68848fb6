import { Inject } from '@nestjs/common';
import { verifyChains, type ChainVerification } from '@familievedtak/audit';
import { EVENT_STORE, EventStore } from '@familievedtak/event-store';
import { Option, SubCommand } from 'nest-commander';
import { CliReadAudit, familiesNamed, OperatorOptions, READ_NOT_FOUND, READ_OK, ReadingCommand, requireOperator } from '../read-audit/cli-read-audit';
import { printSummary } from '../table';
import { ProgressBar } from '../progress-bar';
import { CommanderCommand, exitWithUsageCode, positiveInt, USAGE_ERROR } from './usage-exit';

type VerifyOptions = OperatorOptions & { stream?: string; prefix?: string; pageSize?: string; json?: boolean };

@SubCommand({
  name: 'verify',
  description: "Recompute every stream's hash chain: exit 0 if all verified, 1 naming each broken stream's first broken link, 2 on a usage error",
})
export class AuditVerifyCommand extends ReadingCommand {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    private readonly readAudit: CliReadAudit,
  ) {
    super();
  }

  override setCommand(command: CommanderCommand): this {
    return super.setCommand(exitWithUsageCode(command));
  }

  async run(_args: string[], options: VerifyOptions = {}): Promise<void> {
    const pageSize = options.pageSize === undefined ? 1000 : positiveInt(options.pageSize);
    const problems = [
      ...(options.stream !== undefined && options.prefix !== undefined ? ['--stream and --prefix exclude each other'] : []),
      ...(pageSize === undefined ? ['--page-size must be a positive whole number'] : []),
    ];
    if (problems.length) {
      problems.forEach((p) => console.error(p));
      process.exitCode = USAGE_ERROR;
      return;
    }
    const operator = requireOperator(options);
    if (!operator) return;
    const bar = new ProgressBar('verify', 'events');
    const started = Date.now();
    const result = await verifyChains(this.store, {
      streamId: options.stream,
      streamPrefix: options.prefix,
      pageSize,
      onProgress: (done, total) => bar.update(done, total),
    });
    bar.finish();
    if (options.stream !== undefined && result.streams === 0) {
      await this.readAudit.record('verify', operator, 'deny', READ_NOT_FOUND, familiesNamed(familyOf(options.stream), 'event-integrity'));
      console.error(`No stream ${options.stream}: nothing to verify`);
      process.exitCode = USAGE_ERROR;
      return;
    }
    // As the API: the families whose chains are broken are named in the result.
    await this.readAudit.record(
      'verify',
      operator,
      'permit',
      READ_OK,
      familiesNamed(
        result.broken.flatMap((b) => familyOf(b.streamId)),
        'event-integrity',
      ),
    );
    const seconds = (Date.now() - started) / 1000;
    if (options.json) console.log(JSON.stringify({ ...result, seconds }, null, 2));
    else printVerification(result, seconds);
    process.exitCode = result.ok ? 0 : 1;
  }

  @Option({ flags: '--stream <streamId>', description: 'verify this stream only' })
  parseStream(value: string): string {
    return value;
  }

  @Option({ flags: '--prefix <prefix>', description: 'verify the streams whose id starts with this (e.g. family-)' })
  parsePrefix(value: string): string {
    return value;
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

function printVerification(result: ChainVerification, seconds: number): void {
  for (const b of result.broken) {
    console.log(`BROKEN ${b.streamId} at revision ${b.revision} (position ${b.globalPosition}, event ${b.eventId}): ${b.reason}`);
    console.log(`  expected ${b.expectedHash}`);
    console.log(`  actual   ${b.actualHash}`);
    console.log(`  ${b.detail}`);
  }
  printSummary({
    verdict: result.ok ? 'all verified' : `${result.broken.length} broken stream(s)`,
    streams: result.streams,
    events: result.events,
    seconds: Number(seconds.toFixed(2)),
    'events/s': seconds > 0 ? Math.round(result.events / seconds) : result.events,
  });
}

/** The family a stream belongs to (none for other streams). */
const familyOf = (streamId: string): string[] => (streamId.startsWith('family-') ? [streamId.slice('family-'.length)] : []);
