import type { DelegationRuleSet, LegalLimitBreach, LocalDate } from '@familievedtak/domain';

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

/** Why an expressed need is nobody's job under a set. */
export type NobodysJobReason = 'no-answer' | 'pilot-money-only' | 'decision-not-covered';

/**
 * Deciders as the report shows them: unit codes as they are; a district team `team:<district>`
 * only in aggregates and only for a district the per-district breakdown shows, otherwise
 * `team:(withheld)`; in per-family rows always `team:(district)` (a row never says where a
 * family lives).
 */
export type RouteCount = { from: string; to: string; decisions: number };
export type MovesByType = { decisionType: string; from: string; to: string; decisions: number };
export type UncoveredByType = { decisionType: string; unit: string; baselineDecider: string | null; decisions: number };
export type NeedsNobodysJob = { total: number; byReason: { reason: NobodysJobReason; needs: number }[] };
export type HandOffs = { total: number; byRoute: { pickedUpBy: string[]; decidedBy: string; handOffs: number }[] };

export type FamilySide = {
  deciders: string[];
  decisions: number;
  withoutDecider: number;
  bundle: number;
  reviewDates: number;
  needsNobodysJob: number;
  handOffs: number;
};

/**
 * One family's row: no family, member, need or decision id, no names, no need words, no
 * district. `family` is a keyed pseudonym (HMAC-SHA256 of the family id under a random key
 * made for this run and then discarded, first 16 hex digits): the same family gets another
 * pseudonym in the next run, and nobody can go back from it to the family.
 */
export type FamilyRow = {
  family: string;
  coordinatingUnit: string | null;
  members: number;
  needs: number;
  baseline: FamilySide;
  candidate: FamilySide;
  moved: number;
};

export type DistrictSide = {
  /** Mean deciding units per family of the district. */
  decidersPerFamily: number;
  decisionsCovered: number;
  decisionsWithoutDecider: number;
  bundledDecisions: number;
  needsNobodysJob: number;
};

/** A district the breakdown shows: at least minFamiliesPerDistrict selected families, none with a protected address. */
export type DistrictRow = { district: string | null; families: number; baseline: DistrictSide; candidate: DistrictSide; moved: number };

/** Smallest number of selected families a district cell may show. */
export const MIN_FAMILIES_PER_DISTRICT = 5;

/**
 * A set's rules against the law's limits (the decision-type catalogue). A candidate outside the
 * law is still analysed, so the rules team sees what it would do, but it could never be drafted
 * or put in force: the report says so first (`lawful: false`, every breach with its provision).
 */
export type LegalLimitsSide = { lawful: boolean; rulesOutsideLimits: number; breaches: LegalLimitBreach[] };

export type WhatIfReport = {
  kind: 'familievedtak.what-if-report';
  formatVersion: 2;
  /** How the report is minimised (GDPR art. 5(1)(c)); the same for every reader. */
  disclosure: {
    output: 'aggregate';
    familyRows: 'keyed-pseudonym-per-run';
    minFamiliesPerDistrict: number;
    withheldDistricts: 'fewer-families-or-protected-address';
  };
  inputs: {
    baseline: { id: string; version: number; sha256: string };
    candidate: { id: string; version: number; sha256: string };
    selection: WhatIfSelection;
    asOf: LocalDate | null;
  };
  /**
   * decisionsWithErasedIdentity: decisions analysed that concern a member whose identity was erased
   * (retention, GDPR art. 17): the birth date reads as 0001-01-01, so rules that turn on age judge
   * that member as an adult, whatever their age was (docs/design/retention-and-erasure.md §4).
   */
  scope: {
    familiesRead: number;
    familiesSelected: number;
    eventsRead: number;
    decisionsAnalysed: number;
    needsAnalysed: number;
    decisionsWithErasedIdentity: number;
  };
  baseline: SideFigures;
  candidate: SideFigures;
  legalLimits: { baseline: LegalLimitsSide; candidate: LegalLimitsSide };
  moves: { total: number; byRoute: RouteCount[]; byType: MovesByType[] };
  /** Decisions covered under the baseline that nobody would be competent for under the candidate. */
  newlyUncovered: { total: number; byType: UncoveredByType[] };
  candidateUncovered: { total: number; byType: UncoveredByType[] };
  needsNobodysJob: { baseline: NeedsNobodysJob; candidate: NeedsNobodysJob };
  handOffs: { baseline: HandOffs; candidate: HandOffs };
  /**
   * Per district: only districts with at least minFamiliesPerDistrict selected families and no
   * member with a protected address (kode 6 or 7) in any of the district's families (selected
   * or not). When exactly one district would be withheld, the smallest shown one is withheld
   * too, so no withheld district's figures follow from the totals. Withheld districts are not
   * named; their families are only counted together.
   */
  districts: { shown: DistrictRow[]; withheld: { families: number } };
  /** Pseudonymised rows of a sample of the selected families (the first `listed.limit` by pseudonym: a new sample each run). */
  families: FamilyRow[];
  /**
   * familiesSha256: sha256 over every selected family's pseudonym-free analysis, in
   * registration order, so the report hash covers the families not listed.
   */
  listed: { families: number; limit: number; familiesSha256: string };
  /**
   * sha256 of the canonical JSON of everything above except `families` (whose pseudonyms and
   * sample change every run): the same events and rule sets give the same hash.
   */
  hash: string;
};

export type WhatIfProgress = (eventsProcessed: number, eventsTotal: number) => void;
