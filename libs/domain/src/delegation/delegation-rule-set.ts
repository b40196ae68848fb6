import type { LocalDate } from '../shared/local-date';
import type { Unit } from '../shared/units';
import type { DecisionTypeCode } from './decision-type.catalogue';

/**
 * Delegation rules (delegasjonsreglement) as data: the rules team drafts alternatives as
 * JSON and tests them against history, so nothing here may be code.
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

export type DelegationRule = {
  id: string;
  decisionType: DecisionTypeCode;
  /** The units competent to make this decision under this rule. */
  units: Unit[];
  members: MemberCriteria;
  /** A second person (approver) must approve. */
  fourEyes: boolean;
  /** May be bundled into a family decision (familievedtak). */
  bundlable: boolean;
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
};
