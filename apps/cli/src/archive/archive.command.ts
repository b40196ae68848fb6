import { existsSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve, sep } from 'node:path';
import { Inject } from '@nestjs/common';
import { PG_POOL } from '@familievedtak/database';
import { isDomainError } from '@familievedtak/domain';
import { EVENT_STORE, type Clock, type EventStore } from '@familievedtak/event-store';
import { Command, CommandRunner, Option, SubCommand } from 'nest-commander';
import type { Pool } from 'pg';
import { ReadAuditService } from '../../../api/src/read-audit/read-audit.service';
import { ArchiveExports } from '../../../api/src/retention/archive-export.service';
import { RetentionSchedules } from '../../../api/src/retention/retention-schedules.service';
import { RuleSetRegistry } from '../../../api/src/rules/rule-set-registry.service';
import { CLOCK } from '../../../api/src/shared/clock.provider';
import { CommanderCommand, exitWithUsageCode, groupWithoutSubcommand, USAGE_ERROR } from '../audit/usage-exit';
import { OperatorOptions, READ_OK, ReadingCommand, requireOperator } from '../read-audit/cli-read-audit';
import { CliReads } from '../retention/retention-services';

type ExportOptions = OperatorOptions & { family?: string; out?: string; clearance?: boolean };

/** Exit code when the case cannot be exported (no such family, not closed, not cleared). */
export const NOT_EXPORTED = 1;

@SubCommand({
  name: 'export',
  description:
    'Export a closed case for the archives into --out (created; must be empty): manifest.json (files with SHA-256), events.json, family-view-at-closing.json, letters/<letterId>/<memberId>.pdf; recorded as CaseExportedForArchive. Not a Noark 5 extraction. Exit 0, 1 if not exported, 2 usage error',
})
export class ArchiveExportCommand extends ReadingCommand {
  private readonly reads: CliReads;

  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(PG_POOL) private readonly pool: Pool,
    @Inject(CLOCK) private readonly clock: Clock,
    private readonly ruleSets: RuleSetRegistry,
    audit: ReadAuditService,
  ) {
    super();
    this.reads = new CliReads(audit);
  }

  override setCommand(command: CommanderCommand): this {
    return super.setCommand(exitWithUsageCode(command));
  }

  async run(_args: string[], options: ExportOptions = {}): Promise<void> {
    if (!options.family || !options.out) {
      console.error(`${options.family ? '--out <dir>' : '--family <familyId>'} is required`);
      process.exitCode = USAGE_ERROR;
      return;
    }
    const operator = requireOperator(options);
    if (!operator) return;
    const out = resolve(options.out);
    // A package is one directory of its own: never mixed with another's files.
    if (existsSync(out) && readdirSync(out).length > 0) {
      console.error(`${out} is not empty: give a new or empty directory for the package`);
      process.exitCode = USAGE_ERROR;
      return;
    }
    // Not named `exports`: compiled to CommonJS, that name would hide this module's own exports.
    const archive = new ArchiveExports(this.store, this.pool, this.clock, this.ruleSets, new RetentionSchedules(this.store, this.clock));
    let pkg: Awaited<ReturnType<ArchiveExports['export']>>;
    try {
      // The CLI reads as the operator, role auditor (as the audit commands); clearance only when said.
      pkg = await archive.export(
        options.family,
        { actor: { userId: operator.userId, role: 'auditor' }, protectedAddressClearance: options.clearance === true },
        { correlationId: this.reads.requestId },
      );
    } catch (error) {
      if (!isDomainError(error)) throw error;
      const status = { not_found: 404, conflict: 409, forbidden: 403, invalid: 422 }[error.kind];
      await this.reads.record('archive export', operator, 'deny', status, [{ familyId: options.family, memberIds: [], categories: [] }]);
      console.error(`${error.code}: ${error.message}`);
      process.exitCode = NOT_EXPORTED;
      return;
    }
    await this.reads.record('archive export', operator, 'permit', READ_OK, [
      { familyId: options.family, memberIds: pkg.memberIds, categories: ['archive-export'] },
    ]);
    for (const file of pkg.files) {
      const path = resolve(out, file.path);
      // The paths are the package's own (ids under letters/), but a path never leaves --out.
      if (!path.startsWith(out + sep)) throw new Error(`refusing to write ${file.path} outside ${out}`);
      mkdirSync(dirname(path), { recursive: true });
      writeFileSync(path, file.content);
    }
    console.log(
      `family ${options.family}: ${pkg.files.length} files written to ${out} (manifest sha256 ${pkg.manifestSha256}); recorded as CaseExportedForArchive at revision ${pkg.outcome.revision}`,
    );
    process.exitCode = 0;
  }

  @Option({ flags: '--family <familyId>', description: 'the closed case to export' })
  parseFamily(value: string): string {
    return value;
  }

  @Option({ flags: '--out <dir>', description: 'directory for the package (created if missing; must be empty)' })
  parseOut(value: string): string {
    return join(value);
  }

  @Option({
    flags: '--clearance <clearance>',
    description: "'protected-address': the operator is cleared for protected addresses (a family with a protected member is refused without it)",
  })
  parseClearance(value: string): boolean {
    if (value !== 'protected-address') throw new Error(`unknown clearance '${value}' (the only one is 'protected-address')`);
    return true;
  }
}

@Command({
  name: 'archive',
  description: 'Export closed cases for the archives (a documented JSON package with PDFs; not a Noark 5 extraction)',
  subCommands: [ArchiveExportCommand],
})
export class ArchiveCommand extends CommandRunner {
  async run(args: string[]): Promise<void> {
    groupWithoutSubcommand(this.command, args);
  }
}
