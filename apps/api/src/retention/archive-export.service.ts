import { createHash, randomUUID } from 'node:crypto';
import { Inject, Injectable, Logger } from '@nestjs/common';
import { deterministicUuid, eventMetadata } from '@familievedtak/application';
import { foldAsOf, readFamilyStream } from '@familievedtak/audit';
import { PG_POOL } from '@familievedtak/database';
import {
  actorRef,
  caseClosedOn,
  EVENT_SCHEMA_VERSION,
  FamilyNotFound,
  foldFamily,
  localDateOf,
  protectionOf,
  type Actor,
  type ActorRef,
  type CaseExportedForArchive,
  type FamilyEvent,
  type LocalDate,
} from '@familievedtak/domain';
import { Clock, EVENT_STORE, EventStore, JsonObject, WrongExpectedVersionError, type RecordedEvent } from '@familievedtak/event-store';
import { viewRulesOf } from '@familievedtak/projections';
import type { Pool } from 'pg';
import { familyStream } from '../families/family-commands.service';
import { CLOCK } from '../shared/clock.provider';
import { envelopeFor, type CommandOutcome, type RequestInfo } from '../shared/command-envelope';
import { RuleSetRegistry } from '../rules/rule-set-registry.service';
import { RetentionSchedules } from './retention-schedules.service';
import { ArchiveExportNeedsClearance, CaseNotClosed } from './retention.errors';

/** The package format (docs/operations/retention-and-erasure.md, "Export for the archives"). */
export const ARCHIVE_PACKAGE_FORMAT = 'familievedtak-archive-package';
export const ARCHIVE_PACKAGE_SCHEMA_VERSION = 1;
export const ARCHIVE_MANIFEST = 'manifest.json';
export const NOT_NOARK5 =
  'Not a Noark 5 extraction (arkivuttrekk): a documented JSON package of the case as this system holds it. Mapping it to a Noark 5 deposit (arkivstruktur.xml) is the receiving archive’s step.';

export type ArchiveFile = { path: string; mediaType: string; bytes: number; sha256: string; description: string };

export type ArchiveLetterCopy = {
  recipientMemberId: string;
  language: string;
  /** The SHA-256 the LetterIssued event recorded for the PDF as sent. */
  loggedSha256: string;
  /** The file in the package, or null when the copy is not there (its key erased, or never stored). */
  file: string | null;
  /** Whether the stored PDF's SHA-256 is the logged one (null: no file). */
  matchesLog: boolean | null;
};

export type ArchiveManifest = {
  format: typeof ARCHIVE_PACKAGE_FORMAT;
  schemaVersion: number;
  noark5: string;
  exportId: string;
  familyId: string;
  streamId: string;
  exportedAt: string;
  exportedBy: ActorRef;
  caseClosedOn: LocalDate;
  /** The package holds the stream's events 0..streamRevision; the CaseExportedForArchive event follows it. */
  streamRevision: number;
  lastGlobalPosition: string;
  eventCount: number;
  /** The retention schedule in force on the export day (`<id>@v<version>`), null if none is adopted. */
  retentionSchedule: string | null;
  /** Records whose personal data was erased before the export (their fields read as placeholders with `$erased` notes). */
  erasedRecords: Array<{ keyRef: string; on: LocalDate; rule: string | null; provision: string }>;
  letters: Array<{ letterId: string; issuedOn: LocalDate; decisionIds: string[]; erased: boolean; copies: ArchiveLetterCopy[] }>;
  files: ArchiveFile[];
};

export type ArchivePackage = {
  manifest: ArchiveManifest;
  /** SHA-256 of manifest.json as written: recorded in the CaseExportedForArchive event. */
  manifestSha256: string;
  /** Every file of the package, manifest.json last, with its exact bytes. */
  files: Array<ArchiveFile & { content: Buffer }>;
  /** Every member of the family: the package holds them all (for the read audit). */
  memberIds: string[];
  outcome: CommandOutcome;
};

/** Who exports: the actor recorded with the event, and whether they are cleared for protected addresses. */
export type Exporter = { actor: Actor; protectedAddressClearance: boolean };

const ATTEMPTS = 3;
const sha256 = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');
const jsonFile = (value: unknown) => Buffer.from(`${JSON.stringify(value, null, 2)}\n`, 'utf8');

/**
 * Export of a closed case for the archives (design § 9): the decoded events, the family view at
 * closing and the letters as sent (PDF), with a manifest giving each file's SHA-256; recorded as
 * CaseExportedForArchive in the family stream (the manifest's SHA-256, by whom). The event is
 * appended at the revision the package was read at: a command landing in between makes the
 * export read again, so a package always covers exactly the stream before its own record.
 */
@Injectable()
export class ArchiveExports {
  private readonly logger = new Logger('archive-export');

  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(PG_POOL) private readonly pool: Pool,
    @Inject(CLOCK) private readonly clock: Clock,
    private readonly ruleSets: RuleSetRegistry,
    private readonly schedules: RetentionSchedules,
  ) {}

  async export(familyId: string, exporter: Exporter, request: Omit<RequestInfo, 'actor'> = {}): Promise<ArchivePackage> {
    for (let attempt = 1; ; attempt++) {
      const built = await this.build(familyId, exporter);
      try {
        const outcome = await this.record(familyId, built, exporter.actor, request);
        return { ...built, outcome };
      } catch (error) {
        if (!(error instanceof WrongExpectedVersionError) || attempt >= ATTEMPTS) throw error;
      }
    }
  }

  private async build(familyId: string, exporter: Exporter): Promise<Omit<ArchivePackage, 'outcome'>> {
    const events = await readFamilyStream(this.store, familyId);
    if (events.length === 0) throw new FamilyNotFound();
    const state = foldFamily(events.map(domainEvent));
    const closedOn = caseClosedOn(state);
    if (closedOn === null) throw new CaseNotClosed(familyId);
    if (!exporter.protectedAddressClearance && Object.values(state.members).some((m) => protectionOf(m) !== 'none'))
      throw new ArchiveExportNeedsClearance(familyId);

    const now = this.clock.now();
    const today = localDateOf(now);
    const last = events[events.length - 1];
    // The case closed with the last InvolvementClosed: no part became active after it, or the case would be open.
    const closing = events.map((e) => e.type).lastIndexOf('InvolvementClosed');
    const atClosing = foldAsOf(events.slice(0, closing + 1), { today: closedOn, rules: viewRulesOf(await this.ruleSets.inForceOn(closedOn)) })!;
    const schedule = await this.schedules.inForceOn(today).then(
      (s) => s.ref,
      () => null,
    );

    const files: Array<ArchiveFile & { content: Buffer }> = [];
    const add = (path: string, mediaType: string, content: Buffer, description: string) =>
      files.push({ path, mediaType, bytes: content.length, sha256: sha256(content), description, content });
    add(
      'events.json',
      'application/json',
      jsonFile(events.map(eventEntry)),
      "The family stream's events in revision order, decoded (erased fields as placeholders with `$erased` notes)",
    );
    add(
      'family-view-at-closing.json',
      'application/json',
      jsonFile({ caseClosedOn: closedOn, revision: atClosing.revision, globalPosition: atClosing.lastPosition.toString(), view: atClosing.view }),
      'The family decision view as it stood when the case closed (the fold up to the last InvolvementClosed event)',
    );

    const stored = await this.letterCopies(familyId);
    const letters: ArchiveManifest['letters'] = [];
    for (const letter of Object.values(state.letters ?? {}).sort((a, b) => (a.letterId < b.letterId ? -1 : 1))) {
      const erased = Boolean(state.erasures?.[`letter/${letter.letterId}`]);
      const copies: ArchiveLetterCopy[] = [];
      for (const copy of letter.copies) {
        const pdf = erased ? undefined : stored.get(`${letter.letterId}/${copy.recipientMemberId}`);
        let file: string | null = null;
        if (pdf) {
          file = `letters/${letter.letterId}/${copy.recipientMemberId}.pdf`;
          add(file, 'application/pdf', pdf, `Letter ${letter.letterId} as sent to member ${copy.recipientMemberId} (${copy.language})`);
        }
        const matchesLog = pdf ? sha256(pdf) === copy.sha256 : null;
        if (matchesLog === false)
          this.logger.warn(`family ${familyId}: the stored copy of letter ${letter.letterId} for ${copy.recipientMemberId} differs from the logged hash`);
        copies.push({ recipientMemberId: copy.recipientMemberId, language: copy.language, loggedSha256: copy.sha256, file, matchesLog });
      }
      letters.push({ letterId: letter.letterId, issuedOn: letter.issuedOn, decisionIds: letter.decisionIds, erased, copies });
    }

    const manifest: ArchiveManifest = {
      format: ARCHIVE_PACKAGE_FORMAT,
      schemaVersion: ARCHIVE_PACKAGE_SCHEMA_VERSION,
      noark5: NOT_NOARK5,
      exportId: randomUUID(),
      familyId,
      streamId: familyStream(familyId),
      exportedAt: now.toISOString(),
      exportedBy: actorRef(exporter.actor),
      caseClosedOn: closedOn,
      streamRevision: last.revision,
      lastGlobalPosition: last.globalPosition.toString(),
      eventCount: events.length,
      retentionSchedule: schedule,
      erasedRecords: Object.values(state.erasures ?? {})
        .map((e) => ({ keyRef: e.keyRef, on: e.on, rule: e.rule ? `${e.rule.scheduleId}@v${e.rule.version}/${e.rule.entry}` : null, provision: e.provision }))
        .sort((a, b) => (a.keyRef < b.keyRef ? -1 : 1)),
      letters,
      files: files.map(({ content: _content, ...file }) => file),
    };
    const manifestBytes = jsonFile(manifest);
    const manifestSha256 = sha256(manifestBytes);
    files.push({
      path: ARCHIVE_MANIFEST,
      mediaType: 'application/json',
      bytes: manifestBytes.length,
      sha256: manifestSha256,
      description: 'This manifest',
      content: manifestBytes,
    });
    return { manifest, manifestSha256, files, memberIds: Object.keys(state.members).sort() };
  }

  /** CaseExportedForArchive, right after the revision the package covers (a conflict: read and build again). */
  private async record(familyId: string, built: Omit<ArchivePackage, 'outcome'>, actor: Actor, request: Omit<RequestInfo, 'actor'>): Promise<CommandOutcome> {
    const { manifest, manifestSha256 } = built;
    const streamId = familyStream(familyId);
    const data: CaseExportedForArchive['data'] = {
      exportId: manifest.exportId,
      manifestSha256,
      exportedOn: localDateOf(new Date(manifest.exportedAt)),
      streamRevision: manifest.streamRevision,
      fileCount: built.files.length,
      schemaVersion: manifest.schemaVersion,
      at: manifest.exportedAt,
      by: actorRef(actor),
    };
    const ruleSet = await this.ruleSets.inForceOn(data.exportedOn);
    // No idempotency key in the metadata: the event's id is the export's, and each export is recorded.
    const envelope = envelopeFor('ExportCaseForArchive', { ...request, actor, idempotencyKey: undefined, expectedRevision: undefined }, ruleSet.id);
    const id = deterministicUuid(streamId, 'archive-export', manifest.exportId);
    const appended = await this.store.appendToStream(
      streamId,
      [{ id, type: 'CaseExportedForArchive', data: data as unknown as JsonObject, metadata: eventMetadata(envelope, EVENT_SCHEMA_VERSION) }],
      { expectedRevision: manifest.streamRevision },
    );
    return {
      streamId,
      revision: appended.nextExpectedRevision,
      replayed: false,
      events: [{ id, type: 'CaseExportedForArchive', revision: appended.nextExpectedRevision, globalPosition: appended.position.toString() }],
    };
  }

  /** The stored PDF of each letter copy, by `<letterId>/<recipientMemberId>`. */
  private async letterCopies(familyId: string): Promise<Map<string, Buffer>> {
    const { rows } = await this.pool.query<{ letter_id: string; recipient_member_id: string; bytes: Buffer }>(
      `SELECT letter_id, recipient_member_id, bytes FROM documents.letter_copies WHERE family_id = $1 AND format = 'pdf'`,
      [familyId],
    );
    return new Map(rows.map((r) => [`${r.letter_id}/${r.recipient_member_id}`, r.bytes]));
  }
}

const domainEvent = (e: RecordedEvent) => ({ type: e.type, data: e.data }) as unknown as FamilyEvent;

const eventEntry = (e: RecordedEvent) => ({
  revision: e.revision,
  id: e.id,
  type: e.type,
  recordedAt: e.recordedAt.toISOString(),
  globalPosition: e.globalPosition.toString(),
  hash: e.hash,
  data: e.data,
  metadata: e.metadata,
});
