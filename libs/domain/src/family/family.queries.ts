import type { LocalDate } from '../shared/local-date';
import { isWithin } from '../shared/local-date';
import type { Unit } from '../shared/units';
import type { Consent, ContactPerson, Decision, FamilyState, Member, Payment } from './family.state';
import type { ConsentKind, DataCategory } from './family.values';
import { decisionOn } from './decision-valid-time';
import type { FamilyEvent } from './family.events';
import { foldFamily } from './family.evolve';

/** Read helpers over the folded state, for deciders, the API and auditors ("on a given day"). */

export function currentMembers(state: FamilyState): Member[] {
  return Object.values(state.members).filter((m) => m.status === 'current');
}

export function currentAdults(state: FamilyState): Member[] {
  return currentMembers(state).filter((m) => m.role === 'adult');
}

export function activeTeam(state: FamilyState): ContactPerson[] {
  return Object.values(state.team).filter((p) => p.active);
}

/** In force on `date`: started, not past validUntil, and not withdrawn on or before that day. */
export function isConsentInForce(consent: Consent, date: LocalDate): boolean {
  const withdrawn = consent.withdrawnFrom !== null && date >= consent.withdrawnFrom;
  return !withdrawn && isWithin(date, consent.validFrom, consent.validUntil);
}

export type ConsentFilter = { memberId?: string; kind?: ConsentKind; unit?: Unit; dataCategory?: DataCategory };

export function consentsInForce(state: FamilyState, date: LocalDate, filter: ConsentFilter = {}): Consent[] {
  return Object.values(state.consents).filter(
    (c) =>
      isConsentInForce(c, date) &&
      (filter.memberId === undefined || c.memberId === filter.memberId) &&
      (filter.kind === undefined || c.kind === filter.kind) &&
      (filter.unit === undefined || c.toUnits.includes(filter.unit)) &&
      (filter.dataCategory === undefined || c.dataCategories.includes(filter.dataCategory)),
  );
}

/** Approved and not ended by status: active, or active but appealed. */
export function isDecisionInForce(decision: Decision): boolean {
  return decision.status === 'active' || decision.status === 'under-appeal';
}

/**
 * Decisions that grant something on `date` in valid time, as known now: in force that day
 * (approved, taken effect, not revoked from an earlier day), within the terms' period that held
 * then, and not a refusal (a refusal is an enkeltvedtak that grants nothing).
 */
export function decisionsCoveringDate(state: FamilyState, date: LocalDate): Decision[] {
  return Object.values(state.decisions).filter((d) => {
    if (d.outcome === 'refused') return false;
    const on = decisionOn(d, date);
    return on.change !== null && (on.status === 'active' || on.status === 'under-appeal') && isWithin(date, on.terms.periodFrom, on.terms.periodUntil);
  });
}

/**
 * "As recorded at instant T": the family folded from the events recorded at or before T (a
 * prefix of the stream, so reading stops at the first event past T). Ask decisionOn of this
 * state for "as recorded at T, as it stood on day D".
 */
export function foldAsRecordedAt(events: readonly FamilyEvent[], instant: Date): FamilyState {
  const cut = instant.getTime();
  const prefix: FamilyEvent[] = [];
  for (const event of events) {
    if (Date.parse(event.data.at) > cut) break;
    prefix.push(event);
  }
  return foldFamily(prefix);
}

/** The introduction benefit rule asks this: an introduction programme decision in force on the date. */
export function isInIntroductionProgramme(state: FamilyState, memberId: string, date: LocalDate): boolean {
  return decisionsCoveringDate(state, date).some((d) => d.decisionType === 'introduction-programme' && d.memberIds.includes(memberId));
}

/** Payments not reversed that count as income for social assistance (pilot money never does). */
export function incomeBasisPayments(state: FamilyState): Payment[] {
  return Object.values(state.payments).filter((p) => !p.reversed && p.countsAsIncome);
}

/** The family decision in force, if any (a newer one supersedes the older). */
export function familyDecisionInForce(state: FamilyState) {
  return Object.values(state.familyDecisions).find((f) => f.status === 'in-force') ?? null;
}
