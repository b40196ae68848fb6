import type { DelegationRuleSet, LocalDate } from '@familievedtak/domain';

/** Which families a run looks at. Every given filter must hold. */
export type WhatIfSelection = {
  /** Families where this unit made (or proposed) a decision, or is the coordinating unit. */
  unit?: string;
  /** Families with a payment funded by, or a decision naming, this sub-project. */
  subProjectId?: string;
  district?: string;
  /** Only decisions whose period overlaps [from, until] (and needs expressed in it); families with none are left out. */
  from?: LocalDate;
  until?: LocalDate;
};

export type WhatIfInput = {
  candidate: DelegationRuleSet;
  baseline: DelegationRuleSet;
  selection?: WhatIfSelection;
  /** History as recorded up to the end of this day, and the day "at the same time" is judged on. */
  asOf?: LocalDate;
};

export type Distribution = { mean: number; p90: number; max: number };

/** One side (baseline or candidate) of the headline figures. */
export type SideFigures = {
  ruleSetId: string;
  ruleSetVersion: number;
  ruleSetName: string;
  /** Decisions the history made (ever approved) that some decider is competent for under the set. */
  decisionsCovered: number;
  /** Decisions no decider would be competent for under the set. */
  decisionsWithoutDecider: number;
  decidersPerFamily: Distribution & { histogram: { deciders: number; families: number }[] };
  decisionsPerFamily: Distribution;
  /** Sum over families of the largest family decision one decider could issue on the reference date. */
  bundledDecisions: number;
  familiesWithFamilyDecision: number;
  reviewDatesPerFamily: Distribution;
  needsNobodysJob: number;
  handOffs: number;
};

export type MovedDecision = { familyId: string; decisionId: string; decisionType: string; from: string; to: string };
export type UncoveredDecision = { familyId: string; decisionId: string; decisionType: string; unit: string; baselineDecider: string | null };
export type NobodysJobNeed = {
  familyId: string;
  needId: string;
  memberId: string | null;
  words: string;
  status: string;
  expressedOn: LocalDate;
  reason: 'no-answer' | 'pilot-money-only' | 'decision-not-covered';
};
export type HandOff = { familyId: string; needId: string; decisionId: string; pickedUpBy: string[]; decidedBy: string };

export type FamilySide = {
  deciders: string[];
  decisions: number;
  withoutDecider: number;
  bundle: number;
  reviewDates: number;
  needsNobodysJob: number;
  handOffs: number;
};

export type FamilyDrillDown = {
  familyId: string;
  district: string | null;
  coordinatingUnit: string | null;
  members: number;
  needs: number;
  referenceDate: LocalDate | null;
  baseline: FamilySide;
  candidate: FamilySide;
  moved: number;
};

export type WhatIfReport = {
  kind: 'familievedtak.what-if-report';
  formatVersion: 1;
  inputs: {
    baseline: { id: string; version: number; sha256: string };
    candidate: { id: string; version: number; sha256: string };
    selection: WhatIfSelection;
    asOf: LocalDate | null;
  };
  scope: { familiesRead: number; familiesSelected: number; eventsRead: number; decisionsAnalysed: number; needsAnalysed: number };
  baseline: SideFigures;
  candidate: SideFigures;
  moves: { total: number; byRoute: { from: string; to: string; decisions: number }[]; decisions: MovedDecision[] };
  /** Decisions covered under the baseline that nobody would be competent for under the candidate. */
  newlyUncovered: UncoveredDecision[];
  candidateUncovered: UncoveredDecision[];
  needsNobodysJob: { baseline: NobodysJobNeed[]; candidate: NobodysJobNeed[] };
  handOffs: { baseline: HandOff[]; candidate: HandOff[] };
  families: FamilyDrillDown[];
  /**
   * The per-family lists above (families, moves.decisions, newlyUncovered, candidateUncovered,
   * needsNobodysJob, handOffs) cover the first `limit` selected families by id; every figure,
   * count, histogram and route covers all of them. familiesSha256: sha256 over every selected
   * family's analysis, in registration order, so the report hash covers the families not listed.
   */
  listed: { families: number; limit: number; familiesSha256: string };
  /** sha256 of the canonical JSON of everything above. */
  hash: string;
};

export type WhatIfProgress = (eventsProcessed: number, eventsTotal: number) => void;
