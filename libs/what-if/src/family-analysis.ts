import { decisionTypeEntry, isWithin, type Decision, type DelegationRuleSet, type FamilyState, type LocalDate } from '@familievedtak/domain';
import { isDecided, type CompetenceOracle } from './competence-oracle';
import type { FamilyDrillDown, FamilySide, HandOff, MovedDecision, NobodysJobNeed, UncoveredDecision, WhatIfSelection } from './what-if.types';

/** Everything the report keeps about one family once its stream has been folded. */
export type FamilyAnalysis = {
  drill: FamilyDrillDown;
  moved: MovedDecision[];
  candidateUncovered: UncoveredDecision[];
  newlyUncovered: UncoveredDecision[];
  needs: { baseline: NobodysJobNeed[]; candidate: NobodysJobNeed[] };
  handOffs: { baseline: HandOff[]; candidate: HandOff[] };
};

type Assignment = { decision: Decision; decider: string | null; bundlable: boolean };

/** Does the family fall in the selection? (Period filtering of decisions happens in analyseFamily.) */
export function isSelected(family: FamilyState, selection: WhatIfSelection): boolean {
  if (family.status !== 'registered') return false;
  if (selection.district !== undefined && family.district !== selection.district) return false;
  const decisions = Object.values(family.decisions);
  if (selection.unit !== undefined && family.coordinatingUnit !== selection.unit && !decisions.some((d) => d.unit === selection.unit)) {
    return false;
  }
  if (selection.subProjectId !== undefined) {
    const id = selection.subProjectId;
    const paid = Object.values(family.payments).some((p) => p.funding.kind === 'sub-project' && p.funding.subProjectId === id);
    if (!paid && !decisions.some((d) => d.subProject?.subProjectId === id)) return false;
  }
  return true;
}

function overlaps(decision: Decision, selection: WhatIfSelection): boolean {
  if (selection.from !== undefined && decision.periodUntil < selection.from) return false;
  if (selection.until !== undefined && decision.periodFrom > selection.until) return false;
  return true;
}

/**
 * The decider the family would face for a decision under a set: a bundlable decision goes
 * to the family's coordinating unit when it is competent (the family decision); otherwise
 * the unit that actually decided keeps it when still competent; otherwise the set's first
 * competent decider. null: nobody is competent.
 */
function assign(decision: Decision, family: FamilyState, ruleSet: DelegationRuleSet, oracle: CompetenceOracle): Assignment {
  const verdict = oracle(decision, family, ruleSet);
  if (verdict.deciders.length === 0) return { decision, decider: null, bundlable: false };
  const coordinating = family.coordinatingUnit;
  let decider = verdict.deciders[0];
  if (verdict.bundlable && coordinating && verdict.deciders.includes(coordinating)) decider = coordinating;
  else if (verdict.deciders.includes(decision.unit)) decider = decision.unit;
  return { decision, decider, bundlable: verdict.bundlable };
}

/** The day "at the same time" is judged on: asOf, else the earliest day with the most decisions in force. */
function referenceDate(decisions: Decision[], asOf: LocalDate | undefined): LocalDate | null {
  if (asOf) return asOf;
  let best: LocalDate | null = null;
  let bestCount = 0;
  const starts = [...new Set(decisions.map((d) => d.periodFrom))].sort();
  for (const day of starts) {
    const count = decisions.filter((d) => isWithin(day, d.periodFrom, d.periodUntil)).length;
    if (count > bestCount) {
      best = day;
      bestCount = count;
    }
  }
  return best;
}

/** Active on the reference date: approved and not revoked, period covering it. */
function activeOn(decision: Decision, date: LocalDate | null): boolean {
  return date !== null && decision.status !== 'revoked' && isWithin(date, decision.periodFrom, decision.periodUntil);
}

function side(
  family: FamilyState,
  familyId: string,
  assignments: Assignment[],
  refDate: LocalDate | null,
  selection: WhatIfSelection,
): { figures: FamilySide; needs: NobodysJobNeed[]; handOffs: HandOff[] } {
  const byId = new Map(assignments.map((a) => [a.decision.decisionId, a]));
  const covered = assignments.filter((a) => a.decider !== null);
  const deciders = [...new Set(covered.map((a) => a.decider as string))].sort();

  // The largest family decision one decider could issue: bundlable decisions in force on the
  // reference date, grouped by their decider. It has one review date; the rest keep theirs.
  const active = covered.filter((a) => activeOn(a.decision, refDate));
  const groups = new Map<string, Assignment[]>();
  for (const a of active) if (a.bundlable) groups.set(a.decider as string, [...(groups.get(a.decider as string) ?? []), a]);
  let bundle: Assignment[] = [];
  for (const key of [...groups.keys()].sort()) if ((groups.get(key) as Assignment[]).length > bundle.length) bundle = groups.get(key) as Assignment[];
  if (bundle.length < 2) bundle = [];
  const inBundle = new Set(bundle.map((a) => a.decision.decisionId));
  const rest = active.filter((a) => !inBundle.has(a.decision.decisionId));
  const reviewDates = new Set(rest.map((a) => a.decision.periodUntil)).size + (bundle.length > 0 ? 1 : 0);

  const needs: NobodysJobNeed[] = [];
  const handOffs: HandOff[] = [];
  for (const need of Object.values(family.needs).sort((a, b) => a.needId.localeCompare(b.needId))) {
    if (need.status === 'withdrawn') continue;
    if (selection.from !== undefined && need.expressedOn < selection.from) continue;
    if (selection.until !== undefined && need.expressedOn > selection.until) continue;
    const paymentDecisionIds = need.paymentIds.map((id) => family.payments[id]?.answersDecisionId).filter((id): id is string => !!id);
    const linked = [...new Set([...need.decisionIds, ...paymentDecisionIds])]
      .sort()
      .map((id) => byId.get(id))
      .filter((a): a is Assignment => a !== undefined);
    // Pilot support is gift-like (not an enkeltvedtak): paying for a need is not owning it.
    const ordinary = linked.filter((a) => decisionTypeEntry(a.decision.decisionType).enkeltvedtak);
    const owned = ordinary.some((a) => a.decider !== null);
    if (!owned) {
      const reason: NobodysJobNeed['reason'] =
        ordinary.length > 0 ? 'decision-not-covered' : linked.length > 0 || need.paymentIds.length > 0 ? 'pilot-money-only' : 'no-answer';
      needs.push({ familyId, needId: need.needId, memberId: need.memberId, words: need.words, status: need.status, expressedOn: need.expressedOn, reason });
    }
    const pickers = [...new Set(need.pickedUpBy.map((p) => p.unit as string))].sort();
    if (pickers.length === 0) continue;
    for (const a of linked) {
      if (a.decider !== null && !pickers.includes(a.decider)) {
        handOffs.push({ familyId, needId: need.needId, decisionId: a.decision.decisionId, pickedUpBy: pickers, decidedBy: a.decider });
      }
    }
  }
  return {
    figures: {
      deciders,
      decisions: covered.length,
      withoutDecider: assignments.length - covered.length,
      bundle: bundle.length,
      reviewDates,
      needsNobodysJob: needs.length,
      handOffs: handOffs.length,
    },
    needs,
    handOffs,
  };
}

/** Baseline and candidate for one folded family; null when the selection leaves it out. */
export function analyseFamily(
  family: FamilyState,
  baselineSet: DelegationRuleSet,
  candidateSet: DelegationRuleSet,
  selection: WhatIfSelection,
  asOf: LocalDate | undefined,
  oracle: CompetenceOracle,
): FamilyAnalysis | null {
  if (!isSelected(family, selection)) return null;
  const familyId = family.familyId as string;
  const decisions = Object.values(family.decisions)
    .filter((d) => isDecided(d) && overlaps(d, selection))
    .sort((a, b) => a.decisionId.localeCompare(b.decisionId));
  const periodFiltered = selection.from !== undefined || selection.until !== undefined;
  if (periodFiltered && decisions.length === 0) return null;
  const refDate = referenceDate(decisions.filter((d) => d.status !== 'revoked'), asOf);
  const baseAssign = decisions.map((d) => assign(d, family, baselineSet, oracle));
  const candAssign = decisions.map((d) => assign(d, family, candidateSet, oracle));
  const base = side(family, familyId, baseAssign, refDate, selection);
  const cand = side(family, familyId, candAssign, refDate, selection);

  const moved: MovedDecision[] = [];
  const candidateUncovered: UncoveredDecision[] = [];
  const newlyUncovered: UncoveredDecision[] = [];
  decisions.forEach((decision, i) => {
    const from = baseAssign[i].decider;
    const to = candAssign[i].decider;
    const common = { familyId, decisionId: decision.decisionId, decisionType: decision.decisionType };
    if (to === null) {
      const entry = { ...common, unit: decision.unit, baselineDecider: from };
      candidateUncovered.push(entry);
      if (from !== null) newlyUncovered.push(entry);
    } else if (from !== null && from !== to) {
      moved.push({ ...common, from, to });
    }
  });
  return {
    drill: {
      familyId,
      district: family.district,
      coordinatingUnit: family.coordinatingUnit,
      members: Object.values(family.members).filter((m) => m.status === 'current').length,
      needs: Object.keys(family.needs).length,
      referenceDate: refDate,
      baseline: base.figures,
      candidate: cand.figures,
      moved: moved.length,
    },
    moved,
    candidateUncovered,
    newlyUncovered,
    needs: { baseline: base.needs, candidate: cand.needs },
    handOffs: { baseline: base.handOffs, candidate: cand.handOffs },
  };
}
