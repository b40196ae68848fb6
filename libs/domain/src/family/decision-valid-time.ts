import { addDays, localDateOf, type LocalDate } from '../shared/local-date';
import type { Decision, DecisionStatus } from './family.state';
import type { DecisionTerms } from './family.values';

/**
 * Valid time beside recorded time (bitemporal). Every event keeps `at`, the instant it was
 * recorded; approvals, amendments, revocations (and appeal outcomes) also say from which day
 * they hold in the world (`effectiveFrom`). A decision keeps every such change; what held on a
 * day D is the last change, ordered by (effectiveFrom, recorded at), that took effect on or
 * before D. So a change recorded later with an earlier effective date rewrites the timeline from
 * that date, and a fold of only the events recorded up to an instant T answers "as recorded at T".
 */

/** The terms that hold in the world; the reasons text stays in the history. */
export type ValidTerms = Omit<DecisionTerms, 'reasons'>;

export type ValidityChangeKind = 'approved' | 'amended' | 'revoked' | 'reinstated';

export type ValidityChange = {
  kind: ValidityChangeKind;
  effectiveFrom: LocalDate;
  /** The `at` of the event that made the change. */
  recordedAt: string;
  /** Terms from effectiveFrom on; null for a revocation (nothing holds). */
  terms: ValidTerms | null;
};

/** A stretch of valid time with one state, as the timeline reads now. */
export type ValiditySegment = {
  from: LocalDate;
  /** Last day (inclusive); null: until further notice. */
  until: LocalDate | null;
  status: 'in-force' | 'revoked';
  terms: ValidTerms;
  kind: ValidityChangeKind;
  recordedAt: string;
};

export type DecisionOnDay = {
  status: DecisionStatus;
  /** The terms that held on the day (for a revoked decision: the last terms before it). */
  terms: ValidTerms;
  /** The change the day falls under; null before the decision took effect or when never approved. */
  change: ValidityChange | null;
};

type TimelineDecision = Pick<Decision, 'status' | 'periodFrom' | 'periodUntil' | 'amounts' | 'legalBasis' | 'validity'>;

export function termsOf(terms: ValidTerms): ValidTerms {
  return { periodFrom: terms.periodFrom, periodUntil: terms.periodUntil, amounts: terms.amounts, legalBasis: terms.legalBasis };
}

/** The changes in valid-time order: by effective date, then by when they were recorded. */
export function orderedChanges(changes: readonly ValidityChange[]): ValidityChange[] {
  return changes
    .map((change, index) => ({ change, index }))
    .sort((a, b) => compare(a.change.effectiveFrom, b.change.effectiveFrom) || compare(a.change.recordedAt, b.change.recordedAt) || a.index - b.index)
    .map((x) => x.change);
}

/**
 * The decision as it stood on `day`, as we know it now (valid time). Proposed and rejected
 * decisions never held: their recorded status is the answer for any day. Before the approval
 * took effect the decision is approved but its period has not begun ('active', as the view has
 * always shown approved decisions with a future period). After the terms' period: 'expired',
 * whether or not someone recorded it.
 */
export function decisionOn(decision: TimelineDecision, day: LocalDate): DecisionOnDay {
  const current = termsOf(decision);
  const changes = orderedChanges(decision.validity ?? []);
  if (changes.length === 0) return { status: decision.status, terms: current, change: null };
  let change: ValidityChange | null = null;
  let terms: ValidTerms | null = null;
  for (const c of changes) {
    if (c.effectiveFrom > day) break;
    change = c;
    if (c.terms) terms = c.terms;
  }
  if (change === null) {
    const first = changes.find((c) => c.terms !== null)?.terms ?? current;
    return { status: 'active', terms: first, change: null };
  }
  const held = terms ?? changes.find((c) => c.terms !== null)?.terms ?? current;
  if (change.kind === 'revoked') return { status: 'revoked', terms: held, change };
  if (day > held.periodUntil) return { status: 'expired', terms: held, change };
  return { status: decision.status === 'under-appeal' ? 'under-appeal' : 'active', terms: held, change };
}

/** In force on `day` in valid time: approved, taking effect, not revoked, within its period. */
export function inForceOnDay(decision: TimelineDecision, day: LocalDate): boolean {
  const on = decisionOn(decision, day);
  return on.change !== null && (on.status === 'active' || on.status === 'under-appeal') && day >= on.terms.periodFrom;
}

/** The whole timeline as it reads now, for the view and the auditor. */
export function validityTimeline(decision: Pick<Decision, 'validity'>): ValiditySegment[] {
  const changes = orderedChanges(decision.validity ?? []);
  const segments: ValiditySegment[] = [];
  let terms: ValidTerms | null = null;
  changes.forEach((change, i) => {
    if (change.terms) terms = change.terms;
    const next = changes[i + 1];
    // A later-recorded change from the same day replaces this one entirely.
    if (next && next.effectiveFrom === change.effectiveFrom) return;
    if (terms === null) return;
    segments.push({
      from: change.effectiveFrom,
      until: next ? addDays(next.effectiveFrom, -1) : null,
      status: change.kind === 'revoked' ? 'revoked' : 'in-force',
      terms,
      kind: change.kind,
      recordedAt: change.recordedAt,
    });
  });
  return segments;
}

/** fvl § 35 (1): the grounds on which a unit may change its own decision without an appeal. */
export const CHANGE_GROUNDS = ['not-to-detriment', 'not-yet-notified', 'invalid', 'reservation-in-decision', 'general-doctrine'] as const;
export type ChangeGround = (typeof CHANGE_GROUNDS)[number];

/** Grounds under which a change may reach back before the day it is decided (fvl § 35 (1) b and c). */
export const RETROACTIVE_GROUNDS: readonly ChangeGround[] = ['not-yet-notified', 'invalid'];

/**
 * To the party's detriment (fvl § 35 (1) a, § 16): less money, or a shorter period. A change that
 * only gives more, or restates the reasons, is not.
 */
export function isToDetriment(before: ValidTerms, after: ValidTerms): boolean {
  const less = (a: number | null, b: number | null) => (b ?? 0) < (a ?? 0);
  return (
    less(before.amounts.monthlyAmountOre, after.amounts.monthlyAmountOre) ||
    less(before.amounts.oneOffAmountOre, after.amounts.oneOffAmountOre) ||
    after.periodFrom > before.periodFrom ||
    after.periodUntil < before.periodUntil
  );
}

/** The day an event of an older schema took effect when it carried no date: the day it was recorded. */
export function recordedDay(at: string): LocalDate {
  return localDateOf(new Date(at));
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
