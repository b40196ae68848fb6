import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Inject } from '@nestjs/common';
import { subjectAccessExport, subjectAccessHtml } from '@familievedtak/audit';
import { PG_POOL } from '@familievedtak/database';
import { localDateOf } from '@familievedtak/domain';
import { EVENT_STORE, EventStore } from '@familievedtak/event-store';
import { Option, SubCommand } from 'nest-commander';
import { CliReadAudit, OperatorOptions, READ_NOT_FOUND, READ_OK, ReadingCommand, requireOperator } from '../read-audit/cli-read-audit';
import type { Pool } from 'pg';
import { ProgressBar } from '../progress-bar';
import { NOT_FOUND } from './history.command';
import { CommanderCommand, exitWithUsageCode, USAGE_ERROR } from './usage-exit';

type SubjectExportOptions = OperatorOptions & { out?: string; clearance?: boolean };

@SubCommand({
  name: 'subject-export',
  arguments: '<memberId>',
  description: 'Everything held about one member, as subject.json and subject.html in --out: exit 0, 1 if no family holds the member, 2 on a usage error',
})
export class AuditSubjectExportCommand extends ReadingCommand {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(PG_POOL) private readonly pool: Pool,
    private readonly readAudit: CliReadAudit,
  ) {
    super();
  }

  override setCommand(command: CommanderCommand): this {
    return super.setCommand(exitWithUsageCode(command));
  }

  async run([memberId]: string[], options: SubjectExportOptions = {}): Promise<void> {
    if (!options.out) {
      console.error('--out <dir> is required');
      process.exitCode = USAGE_ERROR;
      return;
    }
    const operator = requireOperator(options);
    if (!operator) return;
    const started = Date.now();
    const now = new Date();
    let bar: ProgressBar | undefined;
    const report = await subjectAccessExport({ store: this.store, db: this.pool }, memberId, {
      today: localDateOf(now),
      generatedAt: now,
      // Fail closed: protected addresses stay masked unless the operator says they are cleared.
      protectedAddressClearance: options.clearance === true,
      // Only a member the read model does not know costs a scan of the log: then show it.
      onScan: (done, total) => (bar ??= new ProgressBar('scanning family registrations', 'events')).update(done, total),
    });
    bar?.finish();
    if (!report) {
      await this.readAudit.record('subject-export', operator, 'deny', READ_NOT_FOUND, [{ familyId: null, memberIds: [memberId], categories: [] }]);
      console.error(`No family holds a member ${memberId}`);
      process.exitCode = NOT_FOUND;
      return;
    }
    // As the API records subject access: per family, the member and the categories of its part.
    await this.readAudit.record(
      'subject-export',
      operator,
      'permit',
      READ_OK,
      report.families.map((f) => ({
        familyId: f.familyId,
        memberIds: [memberId],
        categories: [...new Set(['household', 'access-log', ...f.events.map((e) => e.category)])].sort(),
        consentIds: [],
      })),
    );
    mkdirSync(options.out, { recursive: true });
    const json = join(options.out, 'subject.json');
    const html = join(options.out, 'subject.html');
    writeFileSync(json, `${JSON.stringify(report, null, 2)}\n`);
    writeFileSync(html, subjectAccessHtml(report));
    const events = report.families.reduce((n, f) => n + f.events.length, 0);
    console.log(
      `member ${memberId}: ${report.families.length} ${report.families.length === 1 ? 'family' : 'families'} (${report.foundIn === 'read-model' ? 'found in the read model' : 'found by scanning the log'}), ${events} events, ` +
        `${report.families.reduce((n, f) => n + f.decisions.length, 0)} decisions, ${report.readAudit.length} recorded reads; ` +
        `wrote ${json} and ${html} in ${((Date.now() - started) / 1000).toFixed(2)} s`,
    );
    process.exitCode = 0;
  }

  @Option({
    flags: '--clearance <clearance>',
    description: "'protected-address': the operator is cleared to see protected addresses (else they are masked, as for an API reader without the clearance)",
  })
  parseClearance(value: string): boolean {
    if (value !== 'protected-address') throw new Error(`unknown clearance '${value}' (the only one is 'protected-address')`);
    return true;
  }

  @Option({ flags: '--out <dir>', description: 'directory for subject.json and subject.html (created if missing)' })
  parseOut(value: string): string {
    return value;
  }
}
