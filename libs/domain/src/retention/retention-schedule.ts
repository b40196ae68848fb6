import { DomainError } from '../shared/domain-error';
import { isLocalDate, type LocalDate } from '../shared/local-date';
import { isUnit, type Unit } from '../shared/units';

/**
 * The retention schedule (bevarings- og kassasjonsplan for the family records) as data: per
 * record category, from which anchor, how long, what happens (erase the record's key, or keep
 * it for the archives) and on which provision. Versioned like the delegation rule sets: a
 * document per version (libs/rules/retention/<id>.yaml), validated here after the schema. The
 * reasoning behind each entry is in docs/operations/retention-schedule.md.
 *
 * Entries are tried in order: the first entry of the record's category whose `units` include a
 * unit with a hand in the record decides (entries without `units` apply to every record). Every
 * category ends with such a catch-all entry, so every record has exactly one entry.
 */

/** The record categories of docs/design/retention-and-erasure.md § 1: the personal-data catalogue's vocabulary. */
export const RECORD_CATEGORIES = ['identity', 'need', 'consent', 'decision', 'payment', 'letter', 'case', 'read-audit'] as const;
export type RecordCategory = (typeof RECORD_CATEGORIES)[number];

/** The categories kept in the family stream; the read audit is a table the retention job purges (design § 8). */
export const FAMILY_RECORD_CATEGORIES = ['identity', 'need', 'consent', 'decision', 'payment', 'letter', 'case'] as const;
export type FamilyRecordCategory = (typeof FAMILY_RECORD_CATEGORIES)[number];

/**
 * What a period runs from (design § 6; retention-records.ts computes them from the state):
 * - `case-closed`: the day the last unit with a part in the case closed its involvement (reset when the case reopens);
 * - `consent-ended`: the first day the consent no longer holds (withdrawn, or the day after validUntil);
 * - `payment-year-end`: 31 December of the year of the payment's last booking (paid, or reversed if later);
 * - `decision-final`: the day of the last act on a decision that no longer holds and has no appeal open;
 * - `read`: the day of a read-audit row.
 */
export const RETENTION_ANCHORS = ['case-closed', 'consent-ended', 'payment-year-end', 'decision-final', 'read'] as const;
export type RetentionAnchor = (typeof RETENTION_ANCHORS)[number];

/** The anchors that mean something for each category (a payment has no consent end). */
export const ANCHORS_BY_CATEGORY: Readonly<Record<RecordCategory, readonly RetentionAnchor[]>> = {
  identity: ['case-closed'],
  need: ['case-closed'],
  consent: ['consent-ended', 'case-closed'],
  decision: ['decision-final', 'case-closed'],
  payment: ['payment-year-end'],
  letter: ['decision-final', 'case-closed'],
  case: ['case-closed'],
  'read-audit': ['read'],
};

export const RETENTION_ACTIONS = ['erase', 'keep'] as const;
export type RetentionAction = (typeof RETENTION_ACTIONS)[number];

/** Added to the anchor day: years and months first (the day clamped to the month's end), then days. */
export type RetentionPeriod = { years: number; months: number; days: number };

export type RetentionEntry = {
  /** Unique in the schedule; the rule id is `<scheduleId>@v<version>/<id>`. */
  id: string;
  category: RecordCategory;
  /** The entry applies to records in which one of these units has a hand; null: to every record of the category. */
  units: Unit[] | null;
  anchor: RetentionAnchor;
  /** `erase`: kept through anchor + period, erased from the day after. `keep`: null (kept for the archives). */
  period: RetentionPeriod | null;
  action: RetentionAction;
  /**
   * `erase` only. True: keeping for the whole period is a duty (bokføringsloven § 13) or needed for legal
   * claims (GDPR art. 17(3)(e)), so an erasure request does not shorten it. False: the period is the longest
   * the municipality keeps the record; on request it is erased once the anchor is reached.
   */
  periodIsDuty: boolean;
  /** The provision(s) the entry rests on, as shown with an erasure or a refusal. */
  provision: string;
  description: { nb: string; en: string };
};

export type RetentionSchedule = {
  id: string;
  version: number;
  name: string;
  /** The schedule applies from this day (the application picks the one in force, retentionScheduleOn). */
  effectiveFrom: LocalDate;
  entries: RetentionEntry[];
};

/** An erasure's rule as recorded in PersonalDataErased and on the key's tombstone. */
export type RetentionRuleRef = { scheduleId: string; version: number; entry: string; provision: string };

export class InvalidRetentionSchedule extends DomainError {
  readonly code = 'INVALID_RETENTION_SCHEDULE';
  readonly kind = 'invalid';
  constructor(readonly problems: string[]) {
    super(`The retention schedule is not valid: ${problems.join('; ')}.`, { problems });
  }
}

/** `<scheduleId>@v<version>/<entry>`: how views and tombstones name the rule ("erased on <date> under <rule>"). */
export function retentionRuleId(rule: Pick<RetentionRuleRef, 'scheduleId' | 'version' | 'entry'>): string {
  return `${rule.scheduleId}@v${rule.version}/${rule.entry}`;
}

export function retentionRuleOf(schedule: Pick<RetentionSchedule, 'id' | 'version'>, entry: Pick<RetentionEntry, 'id' | 'provision'>): RetentionRuleRef {
  return { scheduleId: schedule.id, version: schedule.version, entry: entry.id, provision: entry.provision };
}

/** The entry that decides for a record of `category` in which `units` have a hand (first match; see the file comment). */
export function retentionEntryFor(schedule: RetentionSchedule, category: RecordCategory, units: readonly Unit[]): RetentionEntry | null {
  return schedule.entries.find((e) => e.category === category && (e.units === null || e.units.some((u) => units.includes(u)))) ?? null;
}

/** `date` plus the period: years and months with the day clamped to the month's end (29 Feb + 1 year = 28 Feb), then days. */
export function addRetentionPeriod(date: LocalDate, period: RetentionPeriod): LocalDate {
  const [y, m, d] = date.split('-').map(Number);
  const months = y * 12 + (m - 1) + period.years * 12 + period.months;
  const year = Math.floor(months / 12);
  const month = (months % 12) + 1;
  const lastDay = new Date(Date.UTC(year, month, 0)).getUTCDate();
  const shifted = Date.UTC(year, month - 1, Math.min(d, lastDay)) + period.days * 86_400_000;
  return new Date(shifted).toISOString().slice(0, 10);
}

/** The schedule in force on `date`: the latest effectiveFrom on or before it (null if none yet). */
export function retentionScheduleOn(schedules: readonly RetentionSchedule[], date: LocalDate): RetentionSchedule | null {
  let best: RetentionSchedule | null = null;
  for (const s of schedules) {
    if (s.effectiveFrom > date) continue;
    if (!best || s.effectiveFrom > best.effectiveFrom || (s.effectiveFrom === best.effectiveFrom && s.version > best.version)) best = s;
  }
  return best;
}

const ID = /^[a-z0-9][a-z0-9-]{0,62}$/;
const MAX_PERIOD_YEARS = 200;

/**
 * Checks a schedule (the parsed document, or one a command carries) and returns it typed and
 * normalised (units null when absent, period parts 0 when absent, periodIsDuty false when
 * absent). Throws INVALID_RETENTION_SCHEDULE listing every problem, each starting with its path.
 */
export function validateRetentionSchedule(value: unknown): RetentionSchedule {
  const problems: string[] = [];
  const doc = (typeof value === 'object' && value !== null ? value : {}) as Record<string, unknown>;
  if (typeof value !== 'object' || value === null || Array.isArray(value)) problems.push('(document) must be a mapping');
  if (typeof doc.id !== 'string' || !ID.test(doc.id)) problems.push('id must be lower-case letters, digits and dashes');
  if (typeof doc.version !== 'number' || !Number.isInteger(doc.version) || doc.version < 1) problems.push('version must be a whole number from 1');
  if (typeof doc.name !== 'string' || doc.name.trim() === '') problems.push('name must not be empty');
  if (!isLocalDate(doc.effectiveFrom)) problems.push('effectiveFrom must be a date YYYY-MM-DD');
  const rawEntries = Array.isArray(doc.entries) ? doc.entries : [];
  if (!Array.isArray(doc.entries) || rawEntries.length === 0) problems.push('entries must list at least one entry');
  const entries = rawEntries.map((raw, i) => entryOf(raw, `entries[${i}]`, problems));
  const seen = new Set<string>();
  entries.forEach((e, i) => {
    if (e.id && seen.has(e.id)) problems.push(`entries[${i}].id ${e.id} is used twice`);
    seen.add(e.id);
  });
  for (const category of RECORD_CATEGORIES) {
    const ofCategory = entries.map((e, i) => ({ e, i })).filter(({ e }) => e.category === category);
    const catchAll = ofCategory.findIndex(({ e }) => e.units === null);
    if (catchAll === -1) problems.push(`entries must end ${category} with an entry for every unit (no units): every record needs an entry`);
    else if (catchAll !== ofCategory.length - 1) {
      problems.push(`entries[${ofCategory[catchAll + 1].i}] can never apply: entries[${ofCategory[catchAll].i}] already covers every ${category} record`);
    }
  }
  if (problems.length > 0) throw new InvalidRetentionSchedule(problems);
  return { id: doc.id as string, version: doc.version as number, name: doc.name as string, effectiveFrom: doc.effectiveFrom as LocalDate, entries };
}

function entryOf(raw: unknown, path: string, problems: string[]): RetentionEntry {
  const e = (typeof raw === 'object' && raw !== null ? raw : {}) as Record<string, unknown>;
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) problems.push(`${path} must be a mapping`);
  if (typeof e.id !== 'string' || !ID.test(e.id)) problems.push(`${path}.id must be lower-case letters, digits and dashes`);
  const category = (RECORD_CATEGORIES as readonly unknown[]).includes(e.category) ? (e.category as RecordCategory) : null;
  if (!category) problems.push(`${path}.category must be one of ${RECORD_CATEGORIES.join(', ')}`);
  const anchor = (RETENTION_ANCHORS as readonly unknown[]).includes(e.anchor) ? (e.anchor as RetentionAnchor) : null;
  if (!anchor) problems.push(`${path}.anchor must be one of ${RETENTION_ANCHORS.join(', ')}`);
  else if (category && !ANCHORS_BY_CATEGORY[category].includes(anchor)) {
    problems.push(`${path}.anchor ${anchor} does not apply to ${category} records (one of ${ANCHORS_BY_CATEGORY[category].join(', ')})`);
  }
  const action = (RETENTION_ACTIONS as readonly unknown[]).includes(e.action) ? (e.action as RetentionAction) : null;
  if (!action) problems.push(`${path}.action must be erase or keep`);
  let units: Unit[] | null = null;
  if (e.units !== undefined && e.units !== null) {
    // A bad list is no catch-all: [] keeps the entry from hiding the ones after it in the problems.
    units = [];
    if (!Array.isArray(e.units) || e.units.length === 0 || !e.units.every(isUnit))
      problems.push(`${path}.units must list units (HVK, BFT, NAV, INN, OPPVEKST)`);
    else if (new Set(e.units).size !== e.units.length) problems.push(`${path}.units names a unit twice`);
    else units = [...e.units];
  }
  // An entry scoped to units that no record names would be dead; the read audit has no units.
  if (units && category === 'read-audit') problems.push(`${path}.units does not apply to read-audit rows`);
  let period: RetentionPeriod | null = null;
  if (action === 'erase') period = periodOf(e.period, `${path}.period`, problems);
  else if (action === 'keep' && e.period !== undefined && e.period !== null) problems.push(`${path}.period is only for erase: a kept record has no end`);
  if (e.periodIsDuty !== undefined && typeof e.periodIsDuty !== 'boolean') problems.push(`${path}.periodIsDuty must be true or false`);
  if (action === 'keep' && e.periodIsDuty === true) problems.push(`${path}.periodIsDuty is only for erase`);
  if (typeof e.provision !== 'string' || e.provision.trim() === '') problems.push(`${path}.provision must name the provision the entry rests on`);
  const description = (typeof e.description === 'object' && e.description !== null ? e.description : {}) as Record<string, unknown>;
  for (const language of ['nb', 'en'] as const) {
    if (typeof description[language] !== 'string' || (description[language] as string).trim() === '') {
      problems.push(`${path}.description.${language} must not be empty`);
    }
  }
  return {
    id: e.id as string,
    category: category as RecordCategory,
    units,
    anchor: anchor as RetentionAnchor,
    period,
    action: action as RetentionAction,
    periodIsDuty: e.periodIsDuty === true,
    provision: e.provision as string,
    description: { nb: description.nb as string, en: description.en as string },
  };
}

function periodOf(raw: unknown, path: string, problems: string[]): RetentionPeriod | null {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
    problems.push(`${path} is required for erase: years, months and/or days`);
    return null;
  }
  const p = raw as Record<string, unknown>;
  const unknown = Object.keys(p).filter((k) => !['years', 'months', 'days'].includes(k));
  if (unknown.length > 0) problems.push(`${path}.${unknown[0]} is not a known field`);
  if (p.years === undefined && p.months === undefined && p.days === undefined) problems.push(`${path} must name years, months or days`);
  const part = (key: 'years' | 'months' | 'days', max: number): number => {
    const v = p[key];
    if (v === undefined) return 0;
    if (typeof v !== 'number' || !Number.isInteger(v) || v < 0 || v > max) {
      problems.push(`${path}.${key} must be a whole number from 0 to ${max}`);
      return 0;
    }
    return v;
  };
  return { years: part('years', MAX_PERIOD_YEARS), months: part('months', MAX_PERIOD_YEARS * 12), days: part('days', MAX_PERIOD_YEARS * 366) };
}
