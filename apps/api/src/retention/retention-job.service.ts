import { randomUUID } from 'node:crypto';
import { Inject, Injectable, Logger } from '@nestjs/common';
import { deterministicUuid, eventMetadata } from '@familievedtak/application';
import { PG_POOL } from '@familievedtak/database';
import {
  assessRetention,
  EVENT_SCHEMA_VERSION,
  FAMILY_RECORD_CATEGORIES,
  FAMILY_STREAM_PREFIX,
  isDomainError,
  localDateOf,
  planRetention,
  readAuditPurgeBefore,
  RETENTION_JOB_ACTOR,
  retentionRuleId,
  type DueErasure,
  type FamilyRecordCategory,
  type FamilyState,
  type LocalDate,
  type RecordStanding,
  type RetentionSchedule,
} from '@familievedtak/domain';
import { Clock, EVENT_STORE, EventStore, JsonObject, KEY_STORE, KeyStore, rawStoreOf, type TombstoneRow } from '@familievedtak/event-store';
import type { Pool } from 'pg';
import { familyStream, FamilyCommandsService } from '../families/family-commands.service';
import { CLOCK } from '../shared/clock.provider';
import { envelopeFor } from '../shared/command-envelope';
import { RuleSetRegistry } from '../rules/rule-set-registry.service';
import { countLetterCopiesOf, deleteLetterCopies, erasedLetterIds, shredFamilyKeys } from './family-erasure';
import { countReadAuditDue, purgeCutoffInstant, purgeReadAudit } from './read-audit-purge';
import { RetentionSchedules, type AdoptedRetentionSchedule } from './retention-schedules.service';
import { RetentionRunInProgress } from './retention.errors';

/** The stream of recorded runs (design § 8): one RetentionRunCompleted per run. */
export const RETENTION_RUNS_STREAM = 'retention-runs';

/** Who started a run: a caller of the API, an operator at the CLI, or the daily schedule. */
export type RunTrigger = { userId: string; role: string | null; via: 'api' | 'cli' | 'schedule' };

export type CategoryCounts = Record<FamilyRecordCategory, number>;

/** A key due (dry run) or erased (run), as planRetention says. */
export type PlannedKey = Pick<DueErasure, 'keyRef' | 'category' | 'ruleId' | 'anchor' | 'anchorDate' | 'keptUntil'>;

/** Tombstones without their PersonalDataErased event (a crash between shredding and the append, design § 5). */
export type Repair = { erasureId: string; keyRefs: string[]; rule: string | null };
export type Unrepaired = Repair & { familyId: string; why: string };

export type FamilyOutcome = {
  familyId: string;
  /** The erasure id of this run's erasure in the family (null: nothing due). */
  erasureId: string | null;
  keys: PlannedKey[];
  repairs: Repair[];
};

/** What RetentionRunCompleted records (and a run answers, with `families`). No personal data: ids, codes, counts, dates. */
export type RetentionRunRecord = {
  runId: string;
  /** `<schedule id>@v<version>`. */
  schedule: string;
  asOf: LocalDate;
  startedAt: string;
  completedAt: string;
  triggeredBy: RunTrigger;
  familiesChecked: number;
  familiesWithErasures: number;
  keysErased: CategoryCounts;
  keysErasedTotal: number;
  repaired: { erasures: number; keys: number };
  unrepaired: Unrepaired[];
  letterCopiesDeleted: number;
  readAudit: { purgeBefore: LocalDate | null; cutoff: string | null; rowsPurged: number };
  failures: Array<{ familyId: string; code: string; message: string }>;
};

export type RetentionRunReport = RetentionRunRecord & { dryRun: false; families: FamilyOutcome[] };

/** A dry run: what a run would do today, nothing stored. */
export type RetentionPlanReport = {
  dryRun: true;
  schedule: string;
  asOf: LocalDate;
  familiesChecked: number;
  familiesWithErasures: number;
  keysDue: CategoryCounts;
  keysDueTotal: number;
  repairs: number;
  letterCopiesDue: number;
  readAudit: { purgeBefore: LocalDate | null; cutoff: string | null; rowsDue: number };
  failures: Array<{ familyId: string; code: string; message: string }>;
  families: FamilyOutcome[];
};

/** One family's records under the schedule in force (CLI `retention plan`). */
export type FamilyRetentionPlan = {
  familyId: string;
  schedule: string;
  asOf: LocalDate;
  due: PlannedKey[];
  repairs: Repair[];
  records: Array<{
    keyRef: string;
    category: FamilyRecordCategory;
    status: RecordStanding['status'];
    rule: string | null;
    keptUntil: LocalDate | null;
    why: string | null;
  }>;
};

const PAGE = 500;
const RUN_LOCK = 'familievedtak:retention-run';
const zero = (): CategoryCounts => Object.fromEntries(FAMILY_RECORD_CATEGORIES.map((c) => [c, 0])) as CategoryCounts;

/**
 * The retention job (docs/design/retention-and-erasure.md §§ 5-8). For every family (paged, from
 * the log's registrations: the log, not a projection that may lag or be stopped):
 *
 * 1. repairs tombstones without their PersonalDataErased event (a crash between the two steps):
 *    EraseDueRecords with the tombstones' own erasure id, which the decider takes once;
 * 2. plans what is due today (planRetention on the family folded from its stream) and erases it:
 *    the keys are shredded first (tombstone: day, rule, provision, the job, the erasure id), then
 *    EraseDueRecords goes through the one command path as the system actor (RETENTION_JOB_ACTOR);
 *    the decider plans again and refuses anything not due;
 * 3. deletes the rendered copies of letters whose key is shredded.
 *
 * Then it purges the read audit under the schedule's read-audit entry and records the run in
 * `retention-runs`. The erasure id derives from the family, the schedule version, the day and
 * the key refs: a run that crashed and is started again the same day names the same erasure.
 * Idempotent: what is erased is never due again, so a second run erases nothing. One run at a
 * time across processes (a PostgreSQL advisory lock); a dry run takes no lock and stores nothing.
 */
@Injectable()
export class RetentionJob {
  private readonly logger = new Logger('retention-job');

  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(KEY_STORE) private readonly keys: KeyStore,
    @Inject(PG_POOL) private readonly pool: Pool,
    @Inject(CLOCK) private readonly clock: Clock,
    private readonly families: FamilyCommandsService,
    private readonly schedules: RetentionSchedules,
    private readonly ruleSets: RuleSetRegistry,
  ) {}

  /** What a run would do today; stores nothing (no event, no key, no audit row touched). */
  async plan(): Promise<RetentionPlanReport> {
    const asOf = localDateOf(this.clock.now());
    const adopted = await this.schedules.inForceOn(asOf);
    const report: RetentionPlanReport = {
      dryRun: true,
      schedule: adopted.ref,
      asOf,
      familiesChecked: 0,
      familiesWithErasures: 0,
      keysDue: zero(),
      keysDueTotal: 0,
      repairs: 0,
      letterCopiesDue: 0,
      readAudit: { purgeBefore: null, cutoff: null, rowsDue: 0 },
      failures: [],
      families: [],
    };
    for await (const familyId of this.familyIds()) {
      report.familiesChecked += 1;
      try {
        const { state } = await this.families.load(familyId);
        const repairs = await this.repairsOf(familyId, state);
        const due = planRetention(state, adopted.schedule, asOf).map(plannedKey);
        const letters = [...erasedLetterIds(state), ...due.filter((k) => k.category === 'letter').map((k) => k.keyRef.slice('letter/'.length))];
        report.letterCopiesDue += await countLetterCopiesOf(this.pool, familyId, letters);
        if (due.length === 0 && repairs.length === 0) continue;
        report.families.push({ familyId, erasureId: due.length ? erasureIdOf(familyId, adopted, asOf, due) : null, keys: due, repairs });
        if (due.length) report.familiesWithErasures += 1;
        for (const key of due) report.keysDue[key.category] += 1;
        report.keysDueTotal += due.length;
        report.repairs += repairs.length;
      } catch (error) {
        report.failures.push(this.failure(familyId, error));
      }
    }
    const purgeBefore = readAuditPurgeBefore(adopted.schedule, asOf);
    if (purgeBefore) {
      report.readAudit = {
        purgeBefore,
        cutoff: (await purgeCutoffInstant(this.pool, purgeBefore)).toISOString(),
        rowsDue: await countReadAuditDue(this.pool, purgeBefore),
      };
    }
    return report;
  }

  /** One family: every record's standing today, what is due and what needs repair (CLI `retention plan`). */
  async planFamily(familyId: string): Promise<FamilyRetentionPlan | null> {
    const asOf = localDateOf(this.clock.now());
    const adopted = await this.schedules.inForceOn(asOf);
    const { state } = await this.families.load(familyId);
    if (state.status !== 'registered') return null;
    return {
      familyId,
      schedule: adopted.ref,
      asOf,
      due: planRetention(state, adopted.schedule, asOf).map(plannedKey),
      repairs: await this.repairsOf(familyId, state),
      records: assessRetention(state, adopted.schedule, asOf).map((s) => standingRow(s, adopted.schedule)),
    };
  }

  /** A run: repair, erase what is due, purge the read audit, record the run. RETENTION_RUN_IN_PROGRESS (409) if another holds the lock. */
  async run(triggeredBy: RunTrigger): Promise<RetentionRunReport> {
    const lock = await this.pool.connect();
    let broken: Error | undefined;
    try {
      const { rows } = await lock.query<{ locked: boolean }>(`SELECT pg_try_advisory_lock(hashtextextended($1, 17)) AS locked`, [RUN_LOCK]);
      if (!rows[0].locked) throw new RetentionRunInProgress();
      try {
        return await this.runLocked(triggeredBy);
      } finally {
        // A connection that cannot unlock is dropped: its session (and so the lock) ends with it.
        await lock.query(`SELECT pg_advisory_unlock(hashtextextended($1, 17))`, [RUN_LOCK]).catch((error: Error) => (broken = error));
      }
    } finally {
      lock.release(broken);
    }
  }

  private async runLocked(triggeredBy: RunTrigger): Promise<RetentionRunReport> {
    const runId = randomUUID();
    const startedAt = this.clock.now();
    const asOf = localDateOf(startedAt);
    // The versions the erasures will name are in the log before the first of them.
    await this.schedules.adoptShipped();
    const adopted = await this.schedules.inForceOn(asOf);
    const report: RetentionRunReport = {
      dryRun: false,
      runId,
      schedule: adopted.ref,
      asOf,
      startedAt: startedAt.toISOString(),
      completedAt: '',
      triggeredBy,
      familiesChecked: 0,
      familiesWithErasures: 0,
      keysErased: zero(),
      keysErasedTotal: 0,
      repaired: { erasures: 0, keys: 0 },
      unrepaired: [],
      letterCopiesDeleted: 0,
      readAudit: { purgeBefore: null, cutoff: null, rowsPurged: 0 },
      failures: [],
      families: [],
    };
    for await (const familyId of this.familyIds()) {
      report.familiesChecked += 1;
      try {
        const outcome = await this.eraseFamily(familyId, adopted, asOf, runId, report);
        if (outcome) report.families.push(outcome);
      } catch (error) {
        report.failures.push(this.failure(familyId, error));
      }
    }
    const purgeBefore = readAuditPurgeBefore(adopted.schedule, asOf);
    if (purgeBefore) {
      const { cutoff, purged } = await purgeReadAudit(this.pool, purgeBefore);
      report.readAudit = { purgeBefore, cutoff: cutoff.toISOString(), rowsPurged: purged };
    }
    report.completedAt = this.clock.now().toISOString();
    await this.record(report);
    this.logger.log(
      `retention run ${runId} under ${adopted.ref} as of ${asOf}: ${report.familiesChecked} families checked, ${report.keysErasedTotal} keys erased in ` +
        `${report.familiesWithErasures}, ${report.repaired.erasures} erasures repaired, ${report.readAudit.rowsPurged} read-audit rows purged, ${report.failures.length} failures`,
    );
    return report;
  }

  /** Repair, then erase what is due, then the letter copies: one family of a run. */
  private async eraseFamily(
    familyId: string,
    adopted: AdoptedRetentionSchedule,
    asOf: LocalDate,
    runId: string,
    report: RetentionRunReport,
  ): Promise<FamilyOutcome | null> {
    const streamId = familyStream(familyId);
    const request = (erasureId: string) => ({ actor: RETENTION_JOB_ACTOR, idempotencyKey: `retention:${erasureId}`, correlationId: runId, causationId: runId });
    let { state } = await this.families.load(familyId);
    if (state.status !== 'registered') return null;

    const repairs = await this.repairsOf(familyId, state);
    for (const repair of repairs) {
      if (repair.rule === null) {
        // Shredded on request, and the request's events never appended: only a new request can record it.
        this.unrepaired(report, { familyId, ...repair, why: 'erased on request without its events: record the request again (same requestId)' });
        continue;
      }
      try {
        await this.families.execute(
          familyId,
          { type: 'EraseDueRecords', data: { erasureId: repair.erasureId, keyRefs: repair.keyRefs, schedule: adopted.schedule } },
          request(repair.erasureId),
        );
        report.repaired.erasures += 1;
        report.repaired.keys += repair.keyRefs.length;
      } catch (error) {
        if (!isDomainError(error)) throw error;
        this.unrepaired(report, { familyId, ...repair, why: `${error.code}: ${error.message}` });
      }
    }
    if (repairs.length) state = (await this.families.load(familyId)).state;

    const due = planRetention(state, adopted.schedule, asOf);
    let erasureId: string | null = null;
    if (due.length > 0) {
      erasureId = erasureIdOf(familyId, adopted, asOf, due);
      // The key goes first (design § 5); a crash before the append leaves tombstones the next run repairs.
      await shredFamilyKeys(
        this.keys,
        streamId,
        due.map((k) => ({ keyRef: k.keyRef, rule: k.ruleId, provision: k.rule.provision })),
        { on: asOf, by: RETENTION_JOB_ACTOR.userId, erasureId },
      );
      const outcome = await this.families.execute(
        familyId,
        { type: 'EraseDueRecords', data: { erasureId, keyRefs: due.map((k) => k.keyRef), schedule: adopted.schedule } },
        request(erasureId),
      );
      if (!outcome.replayed && outcome.events.length > 0) {
        report.familiesWithErasures += 1;
        for (const key of due) report.keysErased[key.category] += 1;
        report.keysErasedTotal += due.length;
      }
      state = (await this.families.load(familyId)).state;
    }
    // Every erased letter's copies, not only today's: a crash after shredding must not leave them.
    report.letterCopiesDeleted += await deleteLetterCopies(this.pool, familyId, erasedLetterIds(state));
    if (!erasureId && repairs.length === 0) return null;
    return { familyId, erasureId, keys: due.map(plannedKey), repairs };
  }

  /** The family's tombstones that no PersonalDataErased event records, by erasure id. */
  private async repairsOf(familyId: string, state: FamilyState): Promise<Repair[]> {
    const tombstones = await this.keys.tombstones({ streamId: familyStream(familyId) });
    const recorded = state.erasures ?? {};
    const groups = new Map<string, TombstoneRow[]>();
    for (const t of tombstones.filter((t) => !recorded[t.keyRef])) {
      const id = t.erasureId ?? '';
      groups.set(id, [...(groups.get(id) ?? []), t]);
    }
    return [...groups.entries()].map(([erasureId, rows]) => ({ erasureId, keyRefs: rows.map((r) => r.keyRef).sort(), rule: rows[0].rule }));
  }

  /** Family ids in registration order, a page of the log's registrations at a time (the raw store: no decryption needed for ids). */
  private async *familyIds(): AsyncGenerator<string> {
    const raw = rawStoreOf(this.store);
    let position = 0n;
    for (;;) {
      const page = await raw.readAll({
        fromPosition: position,
        maxCount: PAGE,
        filter: { streamPrefixes: [FAMILY_STREAM_PREFIX], eventTypes: ['FamilyRegistered'] },
      });
      for (const event of page) yield event.streamId.slice(FAMILY_STREAM_PREFIX.length);
      if (page.length < PAGE) return;
      position = page[page.length - 1].globalPosition;
    }
  }

  private async record(report: RetentionRunReport): Promise<void> {
    const { dryRun: _dryRun, families: _families, ...record } = report;
    const ruleSet = await this.ruleSets.inForceOn(report.asOf);
    const envelope = envelopeFor('RunRetentionJob', { actor: RETENTION_JOB_ACTOR, correlationId: report.runId, causationId: report.runId }, ruleSet.id);
    await this.store.appendToStream(
      RETENTION_RUNS_STREAM,
      [
        {
          id: deterministicUuid(RETENTION_RUNS_STREAM, report.runId),
          type: 'RetentionRunCompleted',
          data: record as unknown as JsonObject,
          metadata: eventMetadata(envelope, EVENT_SCHEMA_VERSION),
        },
      ],
      { expectedRevision: 'any' },
    );
  }

  /** The recorded runs, newest first. */
  async runs(limit = 50): Promise<RetentionRunRecord[]> {
    const page = await this.store.readStream(RETENTION_RUNS_STREAM, { direction: 'backwards', maxCount: limit });
    return page.filter((e) => e.type === 'RetentionRunCompleted').map((e) => e.data as unknown as RetentionRunRecord);
  }

  private unrepaired(report: RetentionRunReport, entry: Unrepaired): void {
    report.unrepaired.push(entry);
    this.logger.error(
      `family ${entry.familyId}: tombstones of erasure ${entry.erasureId || '(none)'} have no PersonalDataErased event and were not repaired: ${entry.why}`,
    );
  }

  private failure(familyId: string, error: unknown): { familyId: string; code: string; message: string } {
    const code = isDomainError(error) ? error.code : (((error as { code?: unknown })?.code as string | undefined) ?? 'ERROR');
    const message = error instanceof Error ? error.message : String(error);
    this.logger.error(`family ${familyId}: retention failed (${code}): ${message}`);
    return { familyId, code: String(code), message };
  }
}

/** The erasure id of a run's erasure in one family: the same plan on the same day under the same schedule names the same erasure. */
export function erasureIdOf(
  familyId: string,
  adopted: Pick<AdoptedRetentionSchedule, 'ref'>,
  asOf: LocalDate,
  due: ReadonlyArray<Pick<DueErasure, 'keyRef'>>,
): string {
  return deterministicUuid('retention-erasure', familyStream(familyId), adopted.ref, asOf, ...due.map((k) => k.keyRef).sort());
}

const plannedKey = (k: DueErasure): PlannedKey => ({
  keyRef: k.keyRef,
  category: k.category,
  ruleId: k.ruleId,
  anchor: k.anchor,
  anchorDate: k.anchorDate,
  keptUntil: k.keptUntil,
});

function standingRow(s: RecordStanding, schedule: RetentionSchedule): FamilyRetentionPlan['records'][number] {
  const base = { keyRef: s.record.keyRef, category: s.record.category };
  const ruleOf = (entry: string) => retentionRuleId({ scheduleId: schedule.id, version: schedule.version, entry });
  switch (s.status) {
    case 'erased':
      return { ...base, status: s.status, rule: s.erasure.rule ? retentionRuleId(s.erasure.rule) : null, keptUntil: null, why: `erased on ${s.erasure.on}` };
    case 'kept':
      return { ...base, status: s.status, rule: ruleOf(s.entry.id), keptUntil: null, why: 'kept for the archives' };
    case 'waiting':
      return { ...base, status: s.status, rule: ruleOf(s.entry.id), keptUntil: null, why: `its ${s.entry.anchor} day has not come` };
    case 'retained':
    case 'due':
      return { ...base, status: s.status, rule: ruleOf(s.entry.id), keptUntil: s.keptUntil, why: null };
    case 'held':
      return {
        ...base,
        status: s.status,
        rule: ruleOf(s.entry.id),
        keptUntil: s.keptUntil,
        why: `other records of the member are kept: ${s.heldBy.join(', ')}`,
      };
  }
}
