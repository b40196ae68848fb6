import { appealViews, notificationViews } from './appeal-view';
import {
  ageOn,
  decisionOn,
  validityTimeline,
  daysBetween,
  findDecisionType,
  isLocalDate,
  localDateOf,
  UNITS,
  type LocalDate,
  type ReadableConsent,
  type ReadableDecision,
  type ReadableFamilyState,
  type ReadableNeed,
} from '@familievedtak/domain';
import type {
  ConsentAlert,
  DecisionView,
  EndedConsent,
  FamilyDecisionView,
  FamilyDecisionViewOptions,
  FamilyViewSummary,
  NeedView,
  PartView,
  ReferralView,
} from './family-decision-view.types';
import { coordinationWarnings, DEFAULT_OPEN_NEED_WARNING_DAYS, expiringSoon } from './family-view.alerts';
import { compareText, consentInForceOn, involvedUnits, paymentsAnswering, statusOn } from './family-view.facts';

type FamilyState = ReadableFamilyState;
type Consent = ReadableConsent;
type Decision = ReadableDecision;
type Need = ReadableNeed;
import { incomeBasis, paymentsView } from './family-view.money';
import { familyPlansView } from './family-plan-view';

export * from './family-decision-view.types';

export const DEFAULT_EXPIRY_WINDOW_DAYS = 60;
export const DEFAULT_UNANSWERED_AFTER_DAYS = 30;
export { DEFAULT_OPEN_NEED_WARNING_DAYS } from './family-view.alerts';

/**
 * The family decision view of a folded family state, as of `today`. Pure: the read model
 * stores the state, and everything that depends on the day is computed here at read time.
 *
 * For a reader, build it from what they may see, masked (familyReadAccess, then
 * maskFamilyState; see viewForReader): everything here is computed from that state alone, so
 * nothing hidden or withheld can leak through an order, a count or a warning.
 */
export function buildFamilyDecisionView(state: FamilyState, today: LocalDate, options: FamilyDecisionViewOptions = {}): FamilyDecisionView {
  if (!isLocalDate(today)) throw new RangeError(`today must be a date 'YYYY-MM-DD', got ${JSON.stringify(today)}`);
  if (state.status !== 'registered' || state.familyId === null) {
    throw new RangeError('The family decision view needs a registered family');
  }
  const windowDays = nonNegativeInteger(options.expiryWindowDays ?? DEFAULT_EXPIRY_WINDOW_DAYS, 'expiryWindowDays');
  const unansweredAfter = nonNegativeInteger(options.unansweredAfterDays ?? DEFAULT_UNANSWERED_AFTER_DAYS, 'unansweredAfterDays');
  const openNeedLimit = nonNegativeInteger(options.openNeedWarningDays ?? DEFAULT_OPEN_NEED_WARNING_DAYS, 'openNeedWarningDays');

  const needs = Object.values(state.needs)
    .map((need) => needView(state, need, today))
    .sort((a, b) => compareText(a.expressedOn, b.expressedOn) || compareText(a.needId, b.needId));
  const decisions = decisionViews(state, today);
  const expiring = expiringSoon(state, today, windowDays);
  // A partner's warnings would be drawn from what it cannot see (who picked a need up, decisions).
  const warnings = options.reader?.kind === 'partner' ? [] : coordinationWarnings(state, today, needs, unansweredAfter, openNeedLimit);
  const open = needs.filter((n) => n.status === 'open');
  const forUnit = options.reader?.kind === 'unit' ? options.reader.unit : null;

  return {
    familyId: state.familyId,
    district: state.district,
    withheld: state.withheld ?? null,
    registeredAt: state.registeredAt,
    asOf: today,
    summary: summary(decisions, open.length, warnings.length, expiring.items.length, today),
    members: membersView(state, today),
    team: {
      coordinatingUnit: state.coordinatingUnit,
      contactPersons: Object.values(state.team)
        .filter((p) => p.active)
        .sort((a, b) => compareText(a.joinedAt, b.joinedAt) || compareText(a.personId, b.personId)),
      units: involvedUnits(state),
    },
    parts: partsView(state),
    referrals: referralsView(state, forUnit),
    enrolments: {
      active: Object.values(state.enrolments ?? {})
        .filter((e) => e.active)
        .sort((a, b) => compareText(a.enrolledAt, b.enrolledAt) || compareText(a.enrolmentId, b.enrolmentId)),
      ended: Object.values(state.enrolments ?? {})
        .filter((e) => !e.active)
        .sort((a, b) => compareText(a.enrolledAt, b.enrolledAt) || compareText(a.enrolmentId, b.enrolmentId)),
    },
    parentalResponsibility: Object.values(state.parentalResponsibility ?? {}).sort(
      (a, b) => compareText(a.childId, b.childId) || compareText(a.holderId, b.holderId),
    ),
    alerts: forUnit ? alertsFor(state, forUnit) : [],
    needs: { open, resolved: needs.filter((n) => n.status === 'resolved'), withdrawn: needs.filter((n) => n.status === 'withdrawn') },
    consents: consentsOn(state, today),
    decisions,
    familyDecisions: familyDecisions(state, today),
    familyPlan: familyPlansView(state, today),
    payments: paymentsView(state),
    incomeBasis: incomeBasis(state),
    expiring,
    warnings,
  };
}

function summary(decisions: DecisionView[], openNeeds: number, warningCount: number, expiringCount: number, today: LocalDate): FamilyViewSummary {
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
    ...(need.withheld ? { withheld: need.withheld } : {}),
  };
}

/**
 * Oldest first; members whose birth date the reader may not see (masked, names only) or that
 * was erased (a marker, markErasedFields) come last, in id order, so the order never tells their age.
 */
function membersView(state: FamilyState, today: LocalDate): FamilyDecisionView['members'] {
  const members = Object.values(state.members);
  const dated = (m: (typeof members)[number]) => typeof m.birthDate === 'string';
  const withAge = members
    .flatMap((m) => (dated(m) ? [{ ...m, birthDate: m.birthDate as LocalDate, ageOnAsOf: ageOn(m.birthDate as LocalDate, today) }] : []))
    .sort((a, b) => compareText(a.birthDate, b.birthDate) || compareText(a.memberId, b.memberId));
  const undated = members.flatMap((m) => (dated(m) ? [] : [{ ...m, ageOnAsOf: null }])).sort((a, b) => compareText(a.memberId, b.memberId));
  return [...withAge, ...undated] as FamilyDecisionView['members'];
}

function partsView(state: FamilyState): PartView[] {
  const order = (unit: string) => UNITS.indexOf(unit as (typeof UNITS)[number]);
  return Object.values(state.parts ?? {})
    .map((p): PartView => ({
      unit: p.unit,
      active: p.active,
      since: p.since,
      act: p.act,
      grantedBy: p.grantedBy,
      endedAt: p.endedAt,
      endedOn: p.endedAt ? localDateOf(new Date(p.endedAt)) : null,
      endReason: p.endReason,
      earlier: p.earlier ?? [],
    }))
    .sort((a, b) => Number(b.active) - Number(a.active) || order(a.unit) - order(b.unit));
}

function referralsView(state: FamilyState, forUnit: string | null): FamilyDecisionView['referrals'] {
  const all = Object.values(state.referrals ?? {})
    .map((r): ReferralView => ({
      ...r,
      direction: forUnit === null ? null : r.toUnit === forUnit ? 'incoming' : r.fromUnit === forUnit ? 'outgoing' : null,
      recordedOn: localDateOf(new Date(r.recordedAt)),
    }))
    .sort((a, b) => compareText(a.recordedAt, b.recordedAt) || compareText(a.referralId, b.referralId));
  return { open: all.filter((r) => r.status === 'open'), answered: all.filter((r) => r.status !== 'open') };
}

/** Consents withdrawn whose withdrawal alerted this unit (it had read under them), newest first. */
function alertsFor(state: FamilyState, unit: string): ConsentAlert[] {
  return Object.values(state.consents)
    .filter((c) => c.withdrawnFrom !== null && c.withdrawnAt !== null && (c.withdrawal?.alertedUnits ?? []).includes(unit as never))
    .sort((a, b) => compareText(b.withdrawnAt!, a.withdrawnAt!) || compareText(a.consentId, b.consentId))
    .map((c) => ({
      consentId: c.consentId,
      memberId: c.memberId,
      withdrawnFrom: c.withdrawnFrom!,
      withdrawnAt: c.withdrawnAt!,
      channel: c.withdrawal?.channel ?? null,
      sourceUnits: c.sourceUnits,
      toUnits: c.toUnits,
      dataCategories: c.dataCategories,
    }));
}

function consentsOn(state: FamilyState, today: LocalDate): FamilyDecisionView['consents'] {
  const all = Object.values(state.consents).sort((a, b) => compareText(a.validFrom, b.validFrom) || compareText(a.consentId, b.consentId));
  const ended = (c: Consent): EndedConsent | null => {
    if (c.withdrawnFrom !== null && today >= c.withdrawnFrom) return { ...c, endReason: 'withdrawn', endedOn: c.withdrawnFrom };
    if (c.validUntil !== null && today > c.validUntil) return { ...c, endReason: 'expired', endedOn: c.validUntil };
    return null;
  };
  return {
    inForce: all.filter((c) => consentInForceOn(c, today)),
    upcoming: all.filter((c) => !consentInForceOn(c, today) && ended(c) === null),
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
  const appeals = appealViews(state, d.decisionId);
  const appeal = appeals.find((a) => a.stage === 'registered' || a.stage === 'assessed' || a.stage === 'under-preparation' || a.stage === 'forwarded');
  const on = decisionOn(d, today);
  return {
    decisionId: d.decisionId,
    unit: d.unit,
    decisionType: d.decisionType,
    decisionTypeLabel: findDecisionType(d.decisionType)?.label ?? d.decisionType,
    memberIds: d.memberIds,
    status: on.status,
    recordedStatus: d.status,
    // The terms that held on the day asked for, not the latest recorded.
    periodFrom: on.terms.periodFrom,
    periodUntil: on.terms.periodUntil,
    amounts: on.terms.amounts,
    legalBasis: on.terms.legalBasis,
    enkeltvedtak: d.enkeltvedtak,
    subProject: d.subProject,
    delegation: d.delegation,
    proposedOn: localDateOf(new Date(d.proposedAt)),
    approvedOn: d.approvedAt ? localDateOf(new Date(d.approvedAt)) : null,
    notifiedOn: d.notifiedOn,
    openAppeal: appeal
      ? {
          appealId: appeal.appealId,
          receivedDate: appeal.receivedOn,
          deadline: appeal.deadline,
          late: appeal.timeliness !== null && appeal.timeliness !== 'in-time',
        }
      : null,
    notifications: notificationViews(state, d.decisionId),
    appeals,
    familyDecisionId,
    outcome: d.outcome ?? 'granted',
    decidedOn: d.decidedOn ?? null,
    effectiveFrom: d.effectiveFrom ?? null,
    validity: validityTimeline(d),
  };
}

function familyDecisions(state: FamilyState, today: LocalDate): FamilyDecisionView['familyDecisions'] {
  const all = Object.values(state.familyDecisions).sort((a, b) => compareText(a.issuedAt, b.issuedAt) || compareText(a.familyDecisionId, b.familyDecisionId));
  // Valid time: a family decision suspended from a later day still holds on `today`.
  const holds = (fd: (typeof all)[number]) => fd.status === 'in-force' || (fd.status === 'suspended' && !!fd.suspension && fd.suspension.effectiveFrom > today);
  const current = all.find(holds);
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
    suspended: all
      .filter((fd) => fd.status === 'suspended' && !holds(fd))
      .map((fd) => {
        const consent = fd.suspendedByConsentId ? state.consents[fd.suspendedByConsentId] : undefined;
        return {
          familyDecisionId: fd.familyDecisionId,
          responsibleUnit: fd.responsibleUnit,
          reviewDate: fd.reviewDate,
          issuedOn: localDateOf(new Date(fd.issuedAt)),
          decisionIds: fd.decisions.map((d) => d.decisionId),
          suspendedByConsentId: consent ? consent.consentId : null,
          suspendedFrom: fd.suspension?.effectiveFrom ?? consent?.withdrawnFrom ?? null,
          // Why (FamilyDecisionSuspended): a revoked, ended or quashed decision, or a withdrawn consent.
          cause: fd.suspension?.cause ?? (consent ? { kind: 'consent-withdrawn' as const, id: consent.consentId } : null),
        };
      }),
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
