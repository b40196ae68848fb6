import { addDays, daysBetween, type LocalDate, type ReadableFamilyState } from '@familievedtak/domain';
import type { DecisionEnd, ExpiringItem, ExpiringSoon, FamilyWarning, NamedMember, NeedPayer, NeedView } from './family-decision-view.types';
import { compareText, consentInForceOn, familyDecisionInForce, fundingSource, inForceOn, paymentsAnswering } from './family-view.facts';

type FamilyState = ReadableFamilyState;

/**
 * Days an open need may stay open after a unit picked it up before the view warns, when the
 * rule set in force names no openNeedWarningDays: one review cycle of the pilot (each
 * sub-project's allocation letter was reviewed every six months, seed l.1363-1369; the BRIEF's
 * "6-month review cycles"). A need still open after a review was neither resolved nor withdrawn there.
 */
export const DEFAULT_OPEN_NEED_WARNING_DAYS = 180;

/** The member's name as the reader sees it (null: masked, a need of the whole family, or not a member). */
function nameOf(state: FamilyState, memberId: string | null): string | null {
  if (memberId === null) return null;
  return state.members[memberId]?.name ?? null;
}

function named(state: FamilyState, memberId: string): NamedMember {
  return { memberId, name: nameOf(state, memberId) };
}

/** What runs out between asOf and asOf + windowDays, both days included, soonest first. */
export function expiringSoon(state: FamilyState, asOf: LocalDate, windowDays: number): ExpiringSoon {
  const until = addDays(asOf, windowDays);
  const within = (date: LocalDate | null): date is LocalDate => date !== null && date >= asOf && date <= until;
  const items: ExpiringItem[] = [];
  for (const d of Object.values(state.decisions)) {
    if (inForceOn(d, asOf) && within(d.periodUntil)) {
      const { decisionId, unit, decisionType, memberIds } = d;
      items.push({
        kind: 'decision',
        decisionId,
        unit,
        decisionType,
        memberIds,
        members: memberIds.map((id) => named(state, id)),
        on: d.periodUntil,
        daysLeft: daysBetween(asOf, d.periodUntil),
      });
    }
  }
  for (const c of Object.values(state.consents)) {
    if (consentInForceOn(c, asOf) && within(c.validUntil)) {
      const { consentId, memberId, toUnits } = c;
      items.push({
        kind: 'consent',
        consentId,
        memberId,
        memberName: nameOf(state, memberId),
        consentKind: c.kind,
        toUnits,
        on: c.validUntil,
        daysLeft: daysBetween(asOf, c.validUntil),
      });
    }
  }
  const familyDecision = familyDecisionInForce(state);
  if (familyDecision && within(familyDecision.reviewDate)) {
    const { familyDecisionId, responsibleUnit, reviewDate } = familyDecision;
    items.push({
      kind: 'family-decision-review',
      familyDecisionId,
      responsibleUnit,
      on: reviewDate,
      daysLeft: daysBetween(asOf, reviewDate),
    });
  }
  items.sort((a, b) => compareText(a.on, b.on) || compareText(a.kind, b.kind) || compareText(itemId(a), itemId(b)));
  return { withinDays: windowDays, until, items };
}

/** The coordination warnings, in a fixed order; people named as the reader sees them (the state is already masked). */
export function coordinationWarnings(
  state: FamilyState,
  asOf: LocalDate,
  needs: NeedView[],
  unansweredAfterDays: number,
  openNeedWarningDays: number = DEFAULT_OPEN_NEED_WARNING_DAYS,
): FamilyWarning[] {
  return [
    ...differentEndDates(state, asOf),
    ...needsWithoutResponse(state, needs, unansweredAfterDays),
    ...needsOpenTooLong(state, needs, openNeedWarningDays),
    ...severalPayers(state),
  ];
}

/** The pilot's complaint: one family, many decisions with different durations and nobody seeing the whole. */
function differentEndDates(state: FamilyState, asOf: LocalDate): FamilyWarning[] {
  const running = Object.values(state.decisions).filter((d) => inForceOn(d, asOf) && d.periodUntil >= asOf);
  const endDates = [...new Set(running.map((d) => d.periodUntil))].sort(compareText);
  if (endDates.length < 2) return [];
  const ends: DecisionEnd[] = running
    .flatMap((d) =>
      d.memberIds.map((memberId) => ({
        memberId,
        memberName: nameOf(state, memberId),
        unit: d.unit,
        decisionId: d.decisionId,
        decisionType: d.decisionType,
        periodUntil: d.periodUntil,
      })),
    )
    .sort((a, b) => compareText(a.periodUntil, b.periodUntil) || compareText(a.memberId, b.memberId) || compareText(a.decisionId, b.decisionId));
  return [{ kind: 'different-end-dates', endDates, ends }];
}

/** Open, nobody picked it up, and no decision or (unreversed) payment answered it. */
function needsWithoutResponse(state: FamilyState, needs: NeedView[], afterDays: number): FamilyWarning[] {
  return needs
    .filter((n) => n.status === 'open' && n.pickedUpBy.length === 0 && n.firstResponse === null && (n.daysOpen ?? 0) > afterDays)
    .map((n) => ({
      kind: 'need-without-response',
      needId: n.needId,
      memberId: n.memberId,
      memberName: nameOf(state, n.memberId),
      expressedOn: n.expressedOn,
      daysOpen: n.daysOpen ?? 0,
    }));
}

/**
 * Open more than `limitDays` after it was expressed although a unit picked it up (or a decision
 * or payment answered it in part): somebody holds it, nobody closes it (issue 16: a need open 898
 * days, picked up by a unit, raised no warning). A need nobody answered is need-without-response.
 */
function needsOpenTooLong(state: FamilyState, needs: NeedView[], limitDays: number): FamilyWarning[] {
  return needs
    .filter((n) => n.status === 'open' && (n.pickedUpBy.length > 0 || n.firstResponse !== null) && (n.daysOpen ?? 0) > limitDays)
    .map((n) => ({
      kind: 'need-open-too-long',
      needId: n.needId,
      memberId: n.memberId,
      memberName: nameOf(state, n.memberId),
      expressedOn: n.expressedOn,
      daysOpen: n.daysOpen ?? 0,
      pickedUpBy: [...new Set(n.pickedUpBy.map((p) => p.unit))],
      limitDays,
    }));
}

/** Counts unreversed payments only: a reversed payment paid for nothing. */
function severalPayers(state: FamilyState): FamilyWarning[] {
  const warnings: FamilyWarning[] = [];
  for (const need of Object.values(state.needs).sort((a, b) => compareText(a.needId, b.needId))) {
    const payers = new Map<string, NeedPayer>();
    for (const p of paymentsAnswering(state, need).filter((p) => !p.reversed)) {
      const key = fundingSource(p.funding);
      const payer = payers.get(key) ?? { fundingSource: key, funding: p.funding, totalOre: 0, paymentIds: [] };
      payers.set(key, { ...payer, totalOre: payer.totalOre + p.amountOre, paymentIds: [...payer.paymentIds, p.paymentId] });
    }
    if (payers.size > 1) {
      warnings.push({
        kind: 'several-payers-for-need',
        needId: need.needId,
        payers: [...payers.values()].sort((a, b) => compareText(a.fundingSource, b.fundingSource)),
      });
    }
  }
  return warnings;
}

function itemId(item: ExpiringItem): string {
  return item.kind === 'decision' ? item.decisionId : item.kind === 'consent' ? item.consentId : item.familyDecisionId;
}
