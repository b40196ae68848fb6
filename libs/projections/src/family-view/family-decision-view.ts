import {
  ageOn,
  daysBetween,
  findDecisionType,
  isConsentInForce,
  isLocalDate,
  localDateOf,
  type Consent,
  type Decision,
  type FamilyState,
  type LocalDate,
  type Need,
} from '@familievedtak/domain';
import type {
  DecisionView,
  EndedConsent,
  FamilyDecisionView,
  FamilyDecisionViewOptions,
  FamilyViewSummary,
  MemberView,
  NeedView,
} from './family-decision-view.types';
import { coordinationWarnings, expiringSoon } from './family-view.alerts';
import { compareText, involvedUnits, paymentsAnswering, statusOn } from './family-view.facts';
import { incomeBasis, paymentsView } from './family-view.money';

export * from './family-decision-view.types';

export const DEFAULT_EXPIRY_WINDOW_DAYS = 60;
export const DEFAULT_UNANSWERED_AFTER_DAYS = 30;

/**
 * The family decision view of a folded family state, as of `today`. Pure: the read model
 * stores the state, and everything that depends on the day is computed here at read time.
 */
export function buildFamilyDecisionView(state: FamilyState, today: LocalDate, options: FamilyDecisionViewOptions = {}): FamilyDecisionView {
  if (!isLocalDate(today)) throw new RangeError(`today must be a date 'YYYY-MM-DD', got ${JSON.stringify(today)}`);
  if (state.status !== 'registered' || state.familyId === null || state.district === null) {
    throw new RangeError('The family decision view needs a registered family');
  }
  const windowDays = nonNegativeInteger(options.expiryWindowDays ?? DEFAULT_EXPIRY_WINDOW_DAYS, 'expiryWindowDays');
  const unansweredAfter = nonNegativeInteger(options.unansweredAfterDays ?? DEFAULT_UNANSWERED_AFTER_DAYS, 'unansweredAfterDays');

  const needs = Object.values(state.needs)
    .map((need) => needView(state, need, today))
    .sort((a, b) => compareText(a.expressedOn, b.expressedOn) || compareText(a.needId, b.needId));
  const decisions = decisionViews(state, today);
  const expiring = expiringSoon(state, today, windowDays);
  const warnings = coordinationWarnings(state, today, needs, unansweredAfter);
  const open = needs.filter((n) => n.status === 'open');

  return {
    familyId: state.familyId,
    district: state.district,
    registeredAt: state.registeredAt,
    asOf: today,
    summary: summary(decisions, open.length, warnings.length, expiring.items.length, today),
    members: Object.values(state.members)
      .map((m): MemberView => ({ ...m, ageOnAsOf: ageOn(m.birthDate, today) }))
      .sort((a, b) => compareText(a.birthDate, b.birthDate) || compareText(a.memberId, b.memberId)),
    team: {
      coordinatingUnit: state.coordinatingUnit,
      contactPersons: Object.values(state.team)
        .filter((p) => p.active)
        .sort((a, b) => compareText(a.joinedAt, b.joinedAt) || compareText(a.personId, b.personId)),
      units: involvedUnits(state),
    },
    needs: { open, resolved: needs.filter((n) => n.status === 'resolved'), withdrawn: needs.filter((n) => n.status === 'withdrawn') },
    consents: consentsOn(state, today),
    decisions,
    familyDecisions: familyDecisions(state, today),
    payments: paymentsView(state),
    incomeBasis: incomeBasis(state),
    expiring,
    warnings,
  };
}

function summary(
  decisions: DecisionView[],
  openNeeds: number,
  warningCount: number,
  expiringCount: number,
  today: LocalDate,
): FamilyViewSummary {
  // An appeal can outlive the period; the decision no longer runs then.
  const running = decisions.filter((d) => (d.status === 'active' || d.status === 'under-appeal') && d.periodUntil >= today);
  const ends = running.map((d) => d.periodUntil).sort(compareText);
  return { openNeeds, activeDecisions: running.length, nextPeriodEnd: ends[0] ?? null, warningCount, expiringCount };
}

/**
 * Days to response: from expressedOn to the earliest of the proposal day of a decision the
 * need was resolved with, or the paidOn of an unreversed payment answering it.
 */
function needView(state: FamilyState, need: Need, today: LocalDate): NeedView {
  const payments = paymentsAnswering(state, need);
  const responses = [
    ...need.decisionIds
      .filter((id) => state.decisions[id])
      .map((id) => ({ kind: 'decision' as const, id, on: localDateOf(new Date(state.decisions[id].proposedAt)) })),
    ...payments.filter((p) => !p.reversed).map((p) => ({ kind: 'payment' as const, id: p.paymentId, on: p.paidOn })),
  ].sort((a, b) => compareText(a.on, b.on) || compareText(a.kind, b.kind) || compareText(a.id, b.id));
  const firstResponse = responses[0] ?? null;
  return {
    needId: need.needId,
    memberId: need.memberId,
    words: need.words,
    status: need.status,
    expressedOn: need.expressedOn,
    recordedBy: need.recordedBy,
    pickedUpBy: need.pickedUpBy,
    decisionIds: need.decisionIds,
    paymentIds: payments.map((p) => p.paymentId),
    firstResponse,
    daysToFirstResponse: firstResponse ? daysBetween(need.expressedOn, firstResponse.on) : null,
    daysOpen: need.status === 'open' ? daysBetween(need.expressedOn, today) : null,
    resolution: need.resolution,
    closedAt: need.closedAt,
    withdrawalReason: need.withdrawalReason,
  };
}

function consentsOn(state: FamilyState, today: LocalDate): FamilyDecisionView['consents'] {
  const all = Object.values(state.consents).sort((a, b) => compareText(a.validFrom, b.validFrom) || compareText(a.consentId, b.consentId));
  const ended = (c: Consent): EndedConsent | null => {
    if (c.withdrawnFrom !== null && today >= c.withdrawnFrom) return { ...c, endReason: 'withdrawn', endedOn: c.withdrawnFrom };
    if (c.validUntil !== null && today > c.validUntil) return { ...c, endReason: 'expired', endedOn: c.validUntil };
    return null;
  };
  return {
    inForce: all.filter((c) => isConsentInForce(c, today)),
    upcoming: all.filter((c) => !isConsentInForce(c, today) && ended(c) === null),
    ended: all.map(ended).filter((c): c is EndedConsent => c !== null),
  };
}

function decisionViews(state: FamilyState, today: LocalDate): DecisionView[] {
  const bundled = new Map<string, string>();
  for (const fd of Object.values(state.familyDecisions)) {
    if (fd.status === 'in-force') for (const d of fd.decisions) bundled.set(d.decisionId, fd.familyDecisionId);
  }
  return Object.values(state.decisions)
    .sort((a, b) => compareText(a.periodFrom, b.periodFrom) || compareText(a.unit, b.unit) || compareText(a.decisionId, b.decisionId))
    .map((d) => decisionView(state, d, today, bundled.get(d.decisionId) ?? null));
}

function decisionView(state: FamilyState, d: Decision, today: LocalDate, familyDecisionId: string | null): DecisionView {
  const appeal = d.openAppealId ? state.appeals[d.openAppealId] : undefined;
  return {
    decisionId: d.decisionId,
    unit: d.unit,
    decisionType: d.decisionType,
    decisionTypeLabel: findDecisionType(d.decisionType)?.label ?? d.decisionType,
    memberIds: d.memberIds,
    status: statusOn(d, today),
    recordedStatus: d.status,
    periodFrom: d.periodFrom,
    periodUntil: d.periodUntil,
    amounts: d.amounts,
    legalBasis: d.legalBasis,
    enkeltvedtak: d.enkeltvedtak,
    subProject: d.subProject,
    delegation: d.delegation,
    proposedOn: localDateOf(new Date(d.proposedAt)),
    approvedOn: d.approvedAt ? localDateOf(new Date(d.approvedAt)) : null,
    notifiedOn: d.notifiedOn,
    openAppeal: appeal
      ? { appealId: appeal.appealId, receivedDate: appeal.receivedDate, deadline: appeal.deadline, late: appeal.late }
      : null,
    familyDecisionId,
  };
}

function familyDecisions(state: FamilyState, today: LocalDate): FamilyDecisionView['familyDecisions'] {
  const all = Object.values(state.familyDecisions).sort(
    (a, b) => compareText(a.issuedAt, b.issuedAt) || compareText(a.familyDecisionId, b.familyDecisionId),
  );
  const current = all.find((fd) => fd.status === 'in-force');
  return {
    inForce: current
      ? {
          familyDecisionId: current.familyDecisionId,
          reviewDate: current.reviewDate,
          responsibleUnit: current.responsibleUnit,
          contactPerson: { personId: current.contactPersonId, name: state.team[current.contactPersonId]?.name ?? null },
          decisions: current.decisions.map((included) => {
            const decision: Decision | undefined = state.decisions[included.decisionId];
            const { decisionId, unit, decisionType, memberIds, periodUntil } = included;
            return { decisionId, unit, decisionType, memberIds, periodUntil, status: decision ? statusOn(decision, today) : null };
          }),
          consentIds: current.consentIds,
          ruleSetId: current.ruleSetId,
          ruleSetVersion: current.ruleSetVersion,
          issuedOn: localDateOf(new Date(current.issuedAt)),
        }
      : null,
    superseded: all
      .filter((fd) => fd.status === 'superseded')
      .map((fd) => ({
        familyDecisionId: fd.familyDecisionId,
        issuedOn: localDateOf(new Date(fd.issuedAt)),
        supersededBy: fd.supersededBy,
      })),
  };
}

function nonNegativeInteger(value: number, name: string): number {
  if (!Number.isSafeInteger(value) || value < 0) throw new RangeError(`${name} must be a whole number of days, 0 or more`);
  return value;
}
