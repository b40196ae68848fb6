import { decisionTypeEntry, erasedMarkerOf, isWithin, type Decision, type DelegationRuleSet, type FamilyState, type LocalDate } from '@familievedtak/domain';
import { isDecided, type CompetenceOracle } from './competence-oracle';
import type { FamilySide, NobodysJobReason, WhatIfSelection } from './what-if.types';

/**
 * Everything the report keeps about one family once its stream has been folded. Data
 * minimisation starts here: no need words, no member, need or decision ids, no names. The
 * family id and district stay inside the run (the id only to derive the per-run pseudonym,
 * the district only for the per-district breakdown, which withholds small and protected
 * districts); neither is ever put in the report as such.
 */
export type FamilyAnalysis = {
  familyId: string;
  district: string | null;
  coordinatingUnit: string | null;
  members: number;
  needs: number;
  /** Decisions analysed about a member whose identity was erased (their age reads from the placeholder birth date). */
  decisionsWithErasedIdentity: number;
  referenceDate: LocalDate | null;
  /** Raw deciders ('NAV', 'team:Heimdal'): the report relabels district teams before showing them. */
  baseline: FamilySide;
  candidate: FamilySide;
  moved: { decisionType: string; from: string; to: string }[];
  candidateUncovered: UncoveredDecision[];
  newlyUncovered: UncoveredDecision[];
  needsNobodysJob: { baseline: NobodysJobReason[]; candidate: NobodysJobReason[] };
  handOffs: { baseline: HandOff[]; candidate: HandOff[] };
};

export type UncoveredDecision = { decisionType: string; unit: string; baselineDecider: string | null };
export type HandOff = { pickedUpBy: string[]; decidedBy: string };

type Assignment = { decision: Decision; decider: string | null; bundlable: boolean };

/** A member with an address protection: kode 6 (strengt fortrolig) or kode 7 (fortrolig); the schema 1 flag too. */
export function hasProtectedAddress(member: unknown): boolean {
  if (typeof member !== 'object' || member === null) return false;
  const m = member as { protectedAddress?: unknown; addressProtection?: unknown };
  return m.protectedAddress === true || m.addressProtection === 'fortrolig' || m.addressProtection === 'strengt-fortrolig';
}

/** Does any member of the family, current or former, have a protected address? */
export function familyHasProtectedAddress(family: FamilyState): boolean {
  return Object.values(family.members).some(hasProtectedAddress);
}

/** Does an event's data bring in a member with a protected address (registration, a member joining)? */
export function eventNamesProtectedMember(data: unknown): boolean {
  if (typeof data !== 'object' || data === null) return false;
  const d = data as { members?: unknown; member?: unknown };
  return (Array.isArray(d.members) && d.members.some(hasProtectedAddress)) || hasProtectedAddress(d.member);
}

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
  assignments: Assignment[],
  refDate: LocalDate | null,
  selection: WhatIfSelection,
): { figures: FamilySide; needs: NobodysJobReason[]; handOffs: HandOff[] } {
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

  const needs: NobodysJobReason[] = [];
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
      needs.push(ordinary.length > 0 ? 'decision-not-covered' : linked.length > 0 || need.paymentIds.length > 0 ? 'pilot-money-only' : 'no-answer');
    }
    const pickers = [...new Set(need.pickedUpBy.map((p) => p.unit as string))].sort();
    if (pickers.length === 0) continue;
    for (const a of linked) {
      if (a.decider !== null && !pickers.includes(a.decider)) handOffs.push({ pickedUpBy: pickers, decidedBy: a.decider });
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
  const decisions = Object.values(family.decisions)
    .filter((d) => isDecided(d) && overlaps(d, selection))
    .sort((a, b) => a.decisionId.localeCompare(b.decisionId));
  const periodFiltered = selection.from !== undefined || selection.until !== undefined;
  if (periodFiltered && decisions.length === 0) return null;
  const refDate = referenceDate(
    decisions.filter((d) => d.status !== 'revoked'),
    asOf,
  );
  const baseAssign = decisions.map((d) => assign(d, family, baselineSet, oracle));
  const candAssign = decisions.map((d) => assign(d, family, candidateSet, oracle));
  const base = side(family, baseAssign, refDate, selection);
  const cand = side(family, candAssign, refDate, selection);

  const moved: FamilyAnalysis['moved'] = [];
  const candidateUncovered: UncoveredDecision[] = [];
  const newlyUncovered: UncoveredDecision[] = [];
  decisions.forEach((decision, i) => {
    const from = baseAssign[i].decider;
    const to = candAssign[i].decider;
    if (to === null) {
      const entry = { decisionType: decision.decisionType, unit: decision.unit, baselineDecider: from };
      candidateUncovered.push(entry);
      if (from !== null) newlyUncovered.push(entry);
    } else if (from !== null && from !== to) {
      moved.push({ decisionType: decision.decisionType, from, to });
    }
  });
  return {
    familyId: family.familyId as string,
    district: family.district,
    coordinatingUnit: family.coordinatingUnit,
    members: Object.values(family.members).filter((m) => m.status === 'current').length,
    needs: Object.keys(family.needs).length,
    decisionsWithErasedIdentity: decisions.filter((d) => d.memberIds.some((id) => erasedMarkerOf(family, `identity/${id}`) !== null)).length,
    referenceDate: refDate,
    baseline: base.figures,
    candidate: cand.figures,
    moved,
    candidateUncovered,
    newlyUncovered,
    needsNobodysJob: { baseline: base.needs, candidate: cand.needs },
    handOffs: { baseline: base.handOffs, candidate: cand.handOffs },
  };
}
