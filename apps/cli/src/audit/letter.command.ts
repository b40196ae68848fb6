import { mkdirSync, writeFileSync } from 'node:fs';
import { userInfo } from 'node:os';
import { join } from 'node:path';
import { Inject } from '@nestjs/common';
import { readFamilyStream } from '@familievedtak/audit';
import { PG_POOL } from '@familievedtak/database';
import { EVENT_STORE, EventStore } from '@familievedtak/event-store';
import { CommandRunner, Option, SubCommand } from 'nest-commander';
import type { Pool } from 'pg';
import { loadLetterCopy } from '../../../api/src/letters/letter-copies.store';
import { rerenderFromLog, sha256Of } from '../../../api/src/letters/letter-documents';
import { NOT_FOUND } from './history.command';
import { CommanderCommand, exitWithUsageCode, USAGE_ERROR } from './usage-exit';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

type LetterOptions = { out?: string };

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
export class AuditLetterCommand extends CommandRunner {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(PG_POOL) private readonly pool: Pool,
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
    const events = await readFamilyStream(this.store, familyId);
    const rendered = await rerenderFromLog(events, letterId);
    if (!rendered) {
      console.error(`No letter ${letterId} was issued to family ${familyId}`);
      process.exitCode = NOT_FOUND;
      return;
    }
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
      checks.push({ recipientMemberId: recorded.recipientMemberId, language: recorded.language, recorded: recorded.sha256, stored, rerendered: again, ok: stored === recorded.sha256 && again === recorded.sha256 });
    }
    await this.recordRead(familyId, letterId, checks.map((c) => c.recipientMemberId));
    for (const c of checks) {
      console.log(
        `${c.ok ? 'OK        ' : 'DIFFERENT '} recipient ${c.recipientMemberId} (${c.language}): recorded ${c.recorded.slice(0, 16)}…, stored ${c.stored?.slice(0, 16) ?? 'missing'}…, rendered again ${c.rerendered?.slice(0, 16) ?? 'missing'}…`,
      );
    }
    const ok = checks.length > 0 && checks.every((c) => c.ok);
    console.log(`letter ${letterId}: ${checks.length} copies written to ${options.out}; ${ok ? 'all agree with the log' : 'DIFFERENCES'}`);
    process.exitCode = ok ? 0 : 1;
  }

  /** The auditor's fetch is a read of family data like any other (GDPR art. 5(2)): on the read audit. */
  private async recordRead(familyId: string, letterId: string, memberIds: string[]): Promise<void> {
    await this.pool.query(
      `INSERT INTO audit.read_access (at, request_id, user_id, unit, role, family_id, member_ids, categories, purpose, consent_ids, outcome, status, route)
       VALUES (now(), $1, $2, NULL, 'auditor', $3, $4, '{letters}', 'audit', '{}', 'permit', 200, 'CLI audit letter')`,
      [`cli-letter-${letterId}`, `cli:${userInfo().username}`, familyId, memberIds],
    );
  }

  @Option({ flags: '--out <dir>', description: 'directory for the copies (<recipient>.<language>.pdf and .html; created if missing)' })
  parseOut(value: string): string {
    return value;
  }
}
