import type { LocalDate } from '../shared/local-date';
import type { FamilyState } from '../family/family.state';
import type { ErasedRecord } from './erasure.types';
import { retentionRecords, type RetentionRecord } from './retention-records';
import {
  addRetentionPeriod,
  retentionEntryFor,
  retentionRuleId,
  retentionRuleOf,
  type FamilyRecordCategory,
  type RetentionAnchor,
  type RetentionEntry,
  type RetentionRuleRef,
  type RetentionSchedule,
} from './retention-schedule';

/**
 * Where each record of a family stands under a retention schedule on a day, and what is due
 * for erasure (planRetention). Pure: the same state, schedule and day give the same answer.
 *
 * A record is due when its entry erases, its anchor day has come and the period after it has
 * run out: kept through anchor + period, due from the day after. Identity goes last: a member's
 * identity is due only when every other record naming the member is erased or due in the same
 * plan. An erased record is never due again, so erasing a plan and planning again gives nothing.
 */

export type RecordStanding =
  | { status: 'erased'; record: RetentionRecord; erasure: ErasedRecord }
  /** The schedule keeps the record (action keep). */
  | { status: 'kept'; record: RetentionRecord; entry: RetentionEntry }
  /** The anchoring fact has not happened yet (case open, consent in force, decision not final). */
  | { status: 'waiting'; record: RetentionRecord; entry: RetentionEntry }
  /** Within its period: kept through keptUntil. */
  | { status: 'retained'; record: RetentionRecord; entry: RetentionEntry; anchorDate: LocalDate; keptUntil: LocalDate }
  | { status: 'due'; record: RetentionRecord; entry: RetentionEntry; anchorDate: LocalDate; keptUntil: LocalDate }
  /** An identity whose own period has run out, held while other records of the member are still kept. */
  | { status: 'held'; record: RetentionRecord; entry: RetentionEntry; anchorDate: LocalDate; keptUntil: LocalDate; heldBy: string[] };

export type DueErasure = {
  keyRef: string;
  category: FamilyRecordCategory;
  subjects: string[];
  rule: RetentionRuleRef;
  /** `<scheduleId>@v<version>/<entry>`. */
  ruleId: string;
  anchor: RetentionAnchor;
  /** The day the period ran from. */
  anchorDate: LocalDate;
  /** The last day the record was to be kept. */
  keptUntil: LocalDate;
};

/** Every record of the family with its standing on `today`. */
export function assessRetention(state: FamilyState, schedule: RetentionSchedule, today: LocalDate): RecordStanding[] {
  const erasures = state.erasures ?? {};
  const standings = retentionRecords(state).map((record) => standingOf(record, schedule, today, erasures));
  // Identity last: an identity due by its own entry waits for every other record naming the member.
  return standings.map((standing) => {
    if (standing.status !== 'due' || standing.record.category !== 'identity') return standing;
    const memberId = standing.record.subjects[0];
    const heldBy = standings
      .filter((s) => s.record.category !== 'identity' && s.record.subjects.includes(memberId) && s.status !== 'erased' && s.status !== 'due')
      .map((s) => s.record.keyRef);
    return heldBy.length === 0 ? standing : { ...standing, status: 'held' as const, heldBy };
  });
}

/** The key refs due for erasure on `today`: identities last, otherwise by key ref. */
export function planRetention(state: FamilyState, schedule: RetentionSchedule, today: LocalDate): DueErasure[] {
  return assessRetention(state, schedule, today)
    .flatMap((s) => (s.status === 'due' ? [s] : []))
    .map((s) => {
      const rule = retentionRuleOf(schedule, s.entry);
      return {
        keyRef: s.record.keyRef,
        category: s.record.category,
        subjects: s.record.subjects,
        rule,
        ruleId: retentionRuleId(rule),
        anchor: s.entry.anchor,
        anchorDate: s.anchorDate,
        keptUntil: s.keptUntil,
      };
    })
    .sort((a, b) => Number(a.category === 'identity') - Number(b.category === 'identity') || (a.keyRef < b.keyRef ? -1 : a.keyRef > b.keyRef ? 1 : 0));
}

/**
 * The read audit (design § 8): rows read (Oslo day) before the returned day are due for purging
 * under the schedule's read-audit entry, exactly as a record would be (read day + period < today);
 * null: the entry keeps them.
 */
export function readAuditPurgeBefore(schedule: RetentionSchedule, today: LocalDate): LocalDate | null {
  const entry = retentionEntryFor(schedule, 'read-audit', []);
  if (!entry || entry.action !== 'erase' || !entry.period) return null;
  const period = entry.period;
  const due = (day: LocalDate) => addRetentionPeriod(day, period) < today;
  // Day + period only grows with the day, so the due days are all those before the first day not due:
  // start from today minus the period and step to it (month-end clamping moves it by a few days at most).
  let cutoff = addRetentionPeriod(addRetentionPeriod(today, { years: 0, months: 0, days: -period.days }), {
    years: -period.years,
    months: -period.months,
    days: 0,
  });
  while (due(cutoff)) cutoff = addRetentionPeriod(cutoff, { years: 0, months: 0, days: 1 });
  while (!due(addRetentionPeriod(cutoff, { years: 0, months: 0, days: -1 }))) cutoff = addRetentionPeriod(cutoff, { years: 0, months: 0, days: -1 });
  return cutoff;
}

function standingOf(record: RetentionRecord, schedule: RetentionSchedule, today: LocalDate, erasures: Record<string, ErasedRecord>): RecordStanding {
  const erasure = erasures[record.keyRef];
  if (erasure) return { status: 'erased', record, erasure };
  const entry = retentionEntryFor(schedule, record.category, record.units);
  // validateRetentionSchedule makes every category end with a catch-all entry.
  if (!entry) throw new Error(`retention schedule ${schedule.id} has no entry for ${record.category}`);
  if (entry.action === 'keep' || !entry.period) return { status: 'kept', record, entry };
  const anchorDate = record.anchors[entry.anchor] ?? null;
  if (anchorDate === null || anchorDate > today) return { status: 'waiting', record, entry };
  const keptUntil = addRetentionPeriod(anchorDate, entry.period);
  return { status: today > keptUntil ? 'due' : 'retained', record, entry, anchorDate, keptUntil };
}
