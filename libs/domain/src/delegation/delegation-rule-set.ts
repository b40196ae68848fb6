import type { LocalDate } from '../shared/local-date';
import type { Unit } from '../shared/units';
import type { DecisionTypeCode, LegalArea } from './decision-type.catalogue';

/**
 * Delegation rules (delegasjonsreglement) as data: the rules team drafts alternatives as
 * documents (YAML or JSON, see libs/rules) and tests them against history, so nothing here
 * may be code.
 */

/** Conditions every member a decision is for must meet. Ages are on the period's start date. */
export type MemberCriteria = {
  ageMin?: number;
  ageMax?: number;
  /** The member's role in the household (adult or child), not their age. */
  adult?: boolean;
  /** 'introduction': the member has an introduction programme decision in force. */
  programme?: 'introduction';
};

/** Conditions on the family's situation on the decision date. */
export type FamilyCriteria = {
  /** The family has (true) or has not (false) a coordinating unit named. */
  hasCoordinatingUnit?: boolean;
  /** The family has (true) or has not (false) a family decision in force. */
  inFamilyDecision?: boolean;
  /** Only families registered in one of these districts. */
  districts?: string[];
};

/**
 * Who is competent, besides the plain `units` list:
 * - unit: that unit;
 * - coordinating-unit: the unit named as the family's coordinating unit (none: nobody);
 * - district-team: the team of the family's district, decider id `team:<district>`; staff
 *   of `units` (default: every unit) act for it;
 * - partner: a private partner. It can be written so that a draft saying so is refused by law
 *   (RULE_OUTSIDE_LEGAL_LIMITS, kommuneloven § 5-4) rather than as a typo; it never authorises.
 */
export type DeciderSpec =
  { kind: 'unit'; unit: Unit } | { kind: 'coordinating-unit' } | { kind: 'district-team'; units?: Unit[] } | { kind: 'partner'; organisationNumber?: string };

export type DelegationRule = {
  id: string;
  /** The decision type the rule covers; or, instead, `legalArea` for every type in the area. */
  decisionType?: DecisionTypeCode;
  legalArea?: LegalArea;
  /** The units competent to make this decision under this rule. */
  units: Unit[];
  /** Further competent deciders that depend on the family (coordinating unit, district team). */
  deciders?: DeciderSpec[];
  members: MemberCriteria;
  family?: FamilyCriteria;
  /** A second person (approver) must approve. */
  fourEyes: boolean;
  /** With fourEyes: only when the decision's amount (monthly + one-off, in øre) is above this. */
  fourEyesAboveOre?: number;
  /** May be bundled into a family decision (familievedtak). */
  bundlable: boolean;
  /** Who may issue the family decision that bundles it (default: any unit). */
  bundledBy?: DeciderSpec[];
  /** Only the unit responsible for the sub-project that pays may decide (pilot support). */
  subProjectResponsibleUnitOnly?: boolean;
  description?: string;
};

export type DelegationRuleSet = {
  id: string;
  version: number;
  name: string;
  /** When the city council adopted it. Informational: the caller picks the set in force. */
  effectiveFrom: LocalDate;
  rules: DelegationRule[];
  /**
   * Days a need a unit picked up may stay open before the family view warns (need-open-too-long).
   * Not a delegation rule but the municipality's own routine, so it travels with the rules in
   * force; absent (older versions): the view's default, 180 days (one six-month review cycle).
   */
  openNeedWarningDays?: number;
};
