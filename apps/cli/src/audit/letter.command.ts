import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Inject } from '@nestjs/common';
import { readFamilyStream } from '@familievedtak/audit';
import { PG_POOL } from '@familievedtak/database';
import { EVENT_STORE, EventStore } from '@familievedtak/event-store';
import { Option, SubCommand } from 'nest-commander';
import { CliReadAudit, OperatorOptions, READ_NOT_FOUND, READ_OK, ReadingCommand, requireOperator } from '../read-audit/cli-read-audit';
import type { Pool } from 'pg';
import { loadLetterCopy } from '../../../api/src/letters/letter-copies.store';
import { rerenderFromLog, sha256Of } from '../../../api/src/letters/letter-documents';
import { NOT_FOUND } from './history.command';
import { CommanderCommand, exitWithUsageCode, USAGE_ERROR } from './usage-exit';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

type LetterOptions = OperatorOptions & { out?: string };

/** One line per copy: where its three hashes stand. */
export interface CopyCheck {
  recipientMemberId: string;
  language: string;
  recorded: string;
  stored: string | null;
  rerendered: string | null;
  ok: boolean;
}

/**
 * An issued family letter as the auditor checks it: every recipient's stored copy (PDF and HTML)
 * written to --out, and each PDF's SHA-256 compared three ways: the LetterIssued event's, the
 * stored bytes', and a fresh rendering from the log alone. The fetch is on the read audit, like
 * an API fetch.
 */
@SubCommand({
  name: 'letter',
  arguments: '<familyId> <letterId>',
  description:
    "An issued letter's copies written to --out, each checked against the log (the event's SHA-256, the stored bytes, a fresh rendering): exit 0 if all agree, 1 if the letter is unknown or any copy differs, 2 on a usage error",
})
export class AuditLetterCommand extends ReadingCommand {
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

  async run([familyIdArg, letterIdArg]: string[], options: LetterOptions = {}): Promise<void> {
    const familyId = familyIdArg.toLowerCase();
    const letterId = letterIdArg.toLowerCase();
    if (!UUID.test(familyId) || !options.out) {
      console.error(!options.out ? '--out <dir> is required' : 'familyId must be a UUID');
      process.exitCode = USAGE_ERROR;
      return;
    }
    const operator = requireOperator(options);
    if (!operator) return;
    const events = await readFamilyStream(this.store, familyId);
    const rendered = await rerenderFromLog(events, letterId);
    if (!rendered) {
      await this.readAudit.record('letter', operator, 'deny', READ_NOT_FOUND, [{ familyId, memberIds: [], categories: [] }]);
      console.error(`No letter ${letterId} was issued to family ${familyId}`);
      process.exitCode = NOT_FOUND;
      return;
    }
    // The auditor's fetch is a read of family data like any other (GDPR art. 5(2)): on the read audit, before any copy is written.
    await this.readAudit.record('letter', operator, 'permit', READ_OK, [
      { familyId, memberIds: rendered.issued.copies.map((c) => c.recipientMemberId), categories: ['letters'], consentIds: [] },
    ]);
    mkdirSync(options.out, { recursive: true });
    const fresh = new Map(rendered.copies.map((c) => [c.copy.recipientMemberId, c]));
    const checks: CopyCheck[] = [];
    for (const recorded of rendered.issued.copies) {
      const pdf = await loadLetterCopy(this.pool, familyId, letterId, recorded.recipientMemberId, 'pdf');
      const html = await loadLetterCopy(this.pool, familyId, letterId, recorded.recipientMemberId, 'html');
      const base = join(options.out, `${recorded.recipientMemberId}.${recorded.language}`);
      if (pdf) writeFileSync(`${base}.pdf`, pdf.bytes);
      if (html) writeFileSync(`${base}.html`, html.bytes);
      const stored = pdf ? sha256Of(pdf.bytes) : null;
      const again = fresh.get(recorded.recipientMemberId)?.pdfSha256 ?? null;
      checks.push({
        recipientMemberId: recorded.recipientMemberId,
        language: recorded.language,
        recorded: recorded.sha256,
        stored,
        rerendered: again,
        ok: stored === recorded.sha256 && again === recorded.sha256,
      });
    }
    for (const c of checks) {
      console.log(
        `${c.ok ? 'OK        ' : 'DIFFERENT '} recipient ${c.recipientMemberId} (${c.language}): recorded ${c.recorded.slice(0, 16)}…, stored ${c.stored?.slice(0, 16) ?? 'missing'}…, rendered again ${c.rerendered?.slice(0, 16) ?? 'missing'}…`,
      );
    }
    const ok = checks.length > 0 && checks.every((c) => c.ok);
    console.log(`letter ${letterId}: ${checks.length} copies written to ${options.out}; ${ok ? 'all agree with the log' : 'DIFFERENCES'}`);
    process.exitCode = ok ? 0 : 1;
  }

  @Option({ flags: '--out <dir>', description: 'directory for the copies (<recipient>.<language>.pdf and .html; created if missing)' })
  parseOut(value: string): string {
    return value;
  }
}
