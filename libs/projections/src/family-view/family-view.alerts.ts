import { addDays, daysBetween, type LocalDate, type ReadableFamilyState } from '@familievedtak/domain';
import type { DecisionEnd, ExpiringItem, ExpiringSoon, FamilyWarning, NeedPayer, NeedView } from './family-decision-view.types';
import { compareText, consentInForceOn, familyDecisionInForce, fundingSource, inForceOn, paymentsAnswering } from './family-view.facts';

type FamilyState = ReadableFamilyState;

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

/** The three coordination warnings, in a fixed order. */
export function coordinationWarnings(state: FamilyState, asOf: LocalDate, needs: NeedView[], unansweredAfterDays: number): FamilyWarning[] {
  return [...differentEndDates(state, asOf), ...needsWithoutResponse(needs, unansweredAfterDays), ...severalPayers(state)];
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
        unit: d.unit,
        decisionId: d.decisionId,
        decisionType: d.decisionType,
        periodUntil: d.periodUntil,
      })),
    )
    .sort(
      (a, b) => compareText(a.periodUntil, b.periodUntil) || compareText(a.memberId, b.memberId) || compareText(a.decisionId, b.decisionId),
    );
  return [{ kind: 'different-end-dates', endDates, ends }];
}

/** Open, nobody picked it up, and no decision or (unreversed) payment answered it. */
function needsWithoutResponse(needs: NeedView[], afterDays: number): FamilyWarning[] {
  return needs
    .filter((n) => n.status === 'open' && n.pickedUpBy.length === 0 && n.firstResponse === null && (n.daysOpen ?? 0) > afterDays)
    .map((n) => ({
      kind: 'need-without-response',
      needId: n.needId,
      memberId: n.memberId,
      expressedOn: n.expressedOn,
      daysOpen: n.daysOpen ?? 0,
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
