import { createHash } from 'node:crypto';
import { Inject, Injectable, Logger } from '@nestjs/common';
import { deterministicUuid, eventMetadata } from '@familievedtak/application';
import {
  actorRef,
  EVENT_SCHEMA_VERSION,
  retentionScheduleOn,
  RULE_SET_BOOTSTRAP_ACTOR,
  TRONDHEIM_2023_RULE_SET,
  type Actor,
  type ActorRef,
  type LocalDate,
  type RetentionSchedule,
} from '@familievedtak/domain';
import { EVENT_STORE, EventStore, JsonObject, WrongExpectedVersionError } from '@familievedtak/event-store';
import { retentionScheduleFromDocument, shippedRetentionScheduleDocuments } from '@familievedtak/rules';
import { envelopeFor } from '../shared/command-envelope';
import { CLOCK } from '../shared/clock.provider';
import type { Clock } from '@familievedtak/event-store';
import { RetentionScheduleNotAdopted } from './retention.errors';

/**
 * The retention schedules, versioned like the delegation rule sets: each version adopted once,
 * as an event in the `retention-schedules` stream with the document as written, what it parses
 * to and its SHA-256. Why a stream and not the YAML files alone: every erasure names its rule
 * as `<schedule>@v<version>/<entry>` (the PersonalDataErased event, the key's tombstone), and
 * that name must keep meaning what it meant when the key was destroyed. A file can be edited in
 * the next release; the log cannot. A shipped document whose id and version are stored with
 * other content is not adopted (the stored version stands, a warning says so): a change needs
 * a new version. The schedule in force on a day is the version with the latest effectiveFrom
 * on or before it (retentionScheduleOn).
 *
 * The shipped documents (libs/rules/retention) are adopted by the first act that erases (a run,
 * an erasure request about to shred), before anything names them: so a version is in the log
 * before the first erasure under it, and reading (the schedule, a dry run, a refused request)
 * never writes. Until then reads see them as shipped, not yet adopted.
 *
 * The stream holds a handful of events; it is read whole whenever a schedule is needed, so every
 * process (API instances, the CLI) sees an adoption at once.
 */
export const RETENTION_SCHEDULES_STREAM = 'retention-schedules';

export type RetentionScheduleAdoptedData = {
  scheduleId: string;
  version: number;
  name: string;
  effectiveFrom: LocalDate;
  /** The document as written (YAML or JSON), and its SHA-256 (hex). */
  document: string;
  documentSha256: string;
  schedule: RetentionSchedule;
  at: string;
  by: ActorRef;
};

export type AdoptedRetentionSchedule = {
  schedule: RetentionSchedule;
  /** `<id>@v<version>`: how runs and erasures name it. */
  ref: string;
  document: string;
  documentSha256: string;
  /** Null: a shipped version not adopted yet (the first erasure adopts it). */
  adoptedAt: string | null;
  adoptedBy: ActorRef | null;
};

export type AdoptionOutcome = { ref: string; adopted: boolean; conflict?: string };

const sha256 = (text: string) => createHash('sha256').update(text, 'utf8').digest('hex');
export const scheduleRef = (schedule: Pick<RetentionSchedule, 'id' | 'version'>) => `${schedule.id}@v${schedule.version}`;

@Injectable()
export class RetentionSchedules {
  private readonly logger = new Logger('retention-schedules');

  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  /** Every adopted version, in adoption order. */
  async adopted(): Promise<AdoptedRetentionSchedule[]> {
    return (await this.read()).versions;
  }

  /** The adopted versions and the shipped ones not adopted yet (a shipped document conflicting with a stored version is left out), by effective date. */
  async known(): Promise<AdoptedRetentionSchedule[]> {
    const stored = await this.adopted();
    const pending = shipped().filter((s) => !stored.some((v) => v.ref === s.ref));
    return [...stored, ...pending].sort(
      (a, b) => a.schedule.effectiveFrom.localeCompare(b.schedule.effectiveFrom) || a.schedule.version - b.schedule.version || a.ref.localeCompare(b.ref),
    );
  }

  /**
   * The version in force on `day`; RETENTION_SCHEDULE_NOT_ADOPTED (409) when none applies. For reading
   * and deciding: it may be a shipped version not adopted yet. An act that erases calls adoptShipped first.
   */
  async inForceOn(day: LocalDate): Promise<AdoptedRetentionSchedule> {
    const versions = await this.known();
    const schedule = retentionScheduleOn(
      versions.map((v) => v.schedule),
      day,
    );
    const found = schedule && versions.find((v) => v.ref === scheduleRef(schedule));
    if (!found) throw new RetentionScheduleNotAdopted(day);
    return found;
  }

  /**
   * Adopts a document (YAML or JSON, checked like the shipped ones: INVALID_RETENTION_SCHEDULE_DOCUMENT).
   * Idempotent: the same document again adds nothing; other content under a stored id and version is
   * not adopted (`conflict` says why). Two processes adopting at once append it once.
   */
  async adopt(document: string, actor: Actor, source?: string): Promise<AdoptionOutcome> {
    const schedule = retentionScheduleFromDocument(document, source);
    const ref = scheduleRef(schedule);
    const digest = sha256(document);
    for (let attempt = 1; ; attempt++) {
      const { versions, revision } = await this.read();
      const stored = versions.find((v) => v.ref === ref);
      if (stored) {
        if (stored.documentSha256 === digest) return { ref, adopted: false };
        return {
          ref,
          adopted: false,
          conflict: `${ref} is adopted already with another document (sha256 ${stored.documentSha256}); give the change a new version`,
        };
      }
      const data: RetentionScheduleAdoptedData = {
        scheduleId: schedule.id,
        version: schedule.version,
        name: schedule.name,
        effectiveFrom: schedule.effectiveFrom,
        document,
        documentSha256: digest,
        schedule,
        at: this.clock.now().toISOString(),
        by: actorRef(actor),
      };
      const envelope = envelopeFor('AdoptRetentionSchedule', { actor }, TRONDHEIM_2023_RULE_SET.id);
      try {
        await this.store.appendToStream(
          RETENTION_SCHEDULES_STREAM,
          [
            {
              id: deterministicUuid(RETENTION_SCHEDULES_STREAM, ref, digest),
              type: 'RetentionScheduleAdopted',
              data: data as unknown as JsonObject,
              metadata: eventMetadata(envelope, EVENT_SCHEMA_VERSION),
            },
          ],
          { expectedRevision: revision < 0 ? 'no_stream' : revision },
        );
        return { ref, adopted: true };
      } catch (error) {
        // Another process adopted something meanwhile: read again and decide on what is stored.
        if (error instanceof WrongExpectedVersionError && attempt < 5) continue;
        throw error;
      }
    }
  }

  /** The shipped documents (libs/rules/retention), before the first erasure; returns how many versions were adopted now (0 once done). */
  async adoptShipped(): Promise<number> {
    const stored = await this.adopted();
    let adopted = 0;
    for (const document of shipped()) {
      // Already there (the usual case): no append attempted, no conflict warned again and again.
      if (stored.some((v) => v.ref === document.ref && v.documentSha256 === document.documentSha256)) continue;
      const outcome = await this.adopt(document.document, RULE_SET_BOOTSTRAP_ACTOR, document.ref);
      if (outcome.conflict) this.logger.warn(`shipped retention schedule ${document.ref} not adopted: ${outcome.conflict}`);
      if (outcome.adopted) adopted += 1;
    }
    if (adopted > 0) this.logger.log(`adopted ${adopted} shipped retention schedule version(s)`);
    return adopted;
  }

  private async read(): Promise<{ versions: AdoptedRetentionSchedule[]; revision: number }> {
    const versions: AdoptedRetentionSchedule[] = [];
    let revision = -1;
    for (let from = 0; ;) {
      const page = await this.store.readStream(RETENTION_SCHEDULES_STREAM, { fromRevision: from, maxCount: 500 });
      for (const event of page) {
        revision = event.revision;
        if (event.type !== 'RetentionScheduleAdopted') continue;
        const data = event.data as unknown as RetentionScheduleAdoptedData;
        versions.push({
          schedule: data.schedule,
          ref: scheduleRef(data.schedule),
          document: data.document,
          documentSha256: data.documentSha256,
          adoptedAt: data.at,
          adoptedBy: data.by,
        });
      }
      if (page.length < 500) break;
      from = page[page.length - 1].revision + 1;
    }
    return { versions, revision };
  }
}

let shippedCache: AdoptedRetentionSchedule[] | undefined;
/** The shipped documents as versions not adopted yet (read and parsed once per process). */
function shipped(): AdoptedRetentionSchedule[] {
  shippedCache ??= shippedRetentionScheduleDocuments().map(({ text, schedule }) => ({
    schedule,
    ref: scheduleRef(schedule),
    document: text,
    documentSha256: sha256(text),
    adoptedAt: null,
    adoptedBy: null,
  }));
  return shippedCache;
}
