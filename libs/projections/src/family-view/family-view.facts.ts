import {
  decisionOn,
  isWithin,
  UNITS,
  type DecisionStatus,
  type Funding,
  type LocalDate,
  type ReadableConsent,
  type ReadableDecision,
  type ReadableFamilyState,
  type ReadableNeed,
  type ReadablePayment,
  type Unit,
} from '@familievedtak/domain';

type FamilyState = ReadableFamilyState;
type Decision = Pick<ReadableDecision, 'status' | 'periodFrom' | 'periodUntil' | 'amounts' | 'legalBasis' | 'validity'>;
type Need = ReadableNeed;
type Payment = ReadablePayment;

/** Small read-time facts over the folded state, shared by the view's sections. */

/**
 * What held on `asOf` in valid time, as known now (decisionOn): a decision revoked from a later
 * day is still active on an earlier one; the stream says 'active' until someone records the
 * expiry, the view says 'expired' once the period that held is over.
 */
export function statusOn(decision: Decision, asOf: LocalDate): DecisionStatus {
  return decisionOn(decision, asOf).status;
}

/** Approved and not ended on `asOf`: active, or under appeal (an appeal does not suspend it). */
export function inForceOn(decision: Decision, asOf: LocalDate): boolean {
  const status = statusOn(decision, asOf);
  return status === 'active' || status === 'under-appeal';
}

/** One key per budget, so totals and the several-payers warning group alike. */
export function fundingSource(funding: Funding): string {
  return funding.kind === 'unit' ? `unit:${funding.unit}` : `sub-project:${funding.subProjectId}`;
}

/** Payments answering a need: named on the payment, or linked when the need was resolved. */
export function paymentsAnswering(state: FamilyState, need: Need): Payment[] {
  const byNeed = paymentsByNeed(state.payments);
  const found = new Map<string, Payment>();
  for (const p of byNeed.get(need.needId) ?? []) found.set(p.paymentId, p);
  for (const id of need.paymentIds) if (state.payments[id]) found.set(id, state.payments[id]);
  return sortPayments([...found.values()]);
}

/**
 * Payments grouped by the need they name, built once per payments map (states are never
 * mutated, so the map object identifies its content): the view asks once per need, and a
 * scan per need made large families quadratic.
 */
const paymentIndex = new WeakMap<Record<string, Payment>, Map<string, Payment[]>>();
function paymentsByNeed(payments: Record<string, Payment>): Map<string, Payment[]> {
  let index = paymentIndex.get(payments);
  if (!index) {
    index = new Map();
    for (const p of Object.values(payments)) {
      if (p.answersNeedId === null) continue;
      const list = index.get(p.answersNeedId);
      if (list) list.push(p);
      else index.set(p.answersNeedId, [p]);
    }
    paymentIndex.set(payments, index);
  }
  return index;
}

export function sortPayments(payments: Payment[]): Payment[] {
  return [...payments].sort((a, b) => compareText(a.paidOn, b.paidOn) || compareText(a.paymentId, b.paymentId));
}

/**
 * Units involved with the family: an active part, a decision (any status), an active contact
 * person, a pick-up of a need, a unit-funded payment, or the coordinating role. Listed in UNITS order.
 */
export function involvedUnits(state: FamilyState): Unit[] {
  const units = new Set<Unit>();
  for (const p of Object.values(state.parts ?? {})) if (p.active) units.add(p.unit);
  for (const d of Object.values(state.decisions)) units.add(d.unit);
  for (const p of Object.values(state.team)) if (p.active && p.affiliation.kind === 'unit') units.add(p.affiliation.unit);
  for (const n of Object.values(state.needs)) for (const pick of n.pickedUpBy) units.add(pick.unit);
  for (const p of Object.values(state.payments)) if (p.funding.kind === 'unit') units.add(p.funding.unit);
  if (state.coordinatingUnit) units.add(state.coordinatingUnit);
  return UNITS.filter((u) => units.has(u));
}

/** Code-point order (not locale order): the same everywhere, like the table's "C" collation. */
export function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Sums integer øre per 'YYYY-MM' of the date, months ascending. */
export function totalsByMonth<T>(items: T[], date: (item: T) => LocalDate, amount: (item: T) => number) {
  const months = new Map<string, number>();
  for (const item of items) {
    const month = date(item).slice(0, 7);
    months.set(month, (months.get(month) ?? 0) + amount(item));
  }
  return [...months.entries()].sort(([a], [b]) => compareText(a, b)).map(([month, totalOre]) => ({ month, totalOre }));
}

/** In force on `date`: started, not past validUntil, and not withdrawn on or before that day (the domain's rule). */
export function consentInForceOn(consent: Pick<ReadableConsent, 'withdrawnFrom' | 'validFrom' | 'validUntil'>, date: LocalDate): boolean {
  const withdrawn = consent.withdrawnFrom !== null && date >= consent.withdrawnFrom;
  return !withdrawn && isWithin(date, consent.validFrom, consent.validUntil);
}

/** The family decision in force, if any. */
export function familyDecisionInForce(state: FamilyState) {
  return Object.values(state.familyDecisions).find((f) => f.status === 'in-force') ?? null;
}
