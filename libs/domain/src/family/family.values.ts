import type { DecisionTypeCode } from '../delegation/decision-type.catalogue';
import type { LocalDate } from '../shared/local-date';
import type { Ore } from '../shared/money';
import type { Unit } from '../shared/units';

/** Value types shared by the family's commands, events and state (all JSON, absent = null). */

export const HOUSEHOLD_ROLES = ['adult', 'child'] as const;
export type HouseholdRole = (typeof HOUSEHOLD_ROLES)[number];

/** A person in the household. Identity is the internal memberId; a national id is optional. */
export type MemberDetails = {
  memberId: string;
  name: string;
  birthDate: LocalDate;
  role: HouseholdRole;
  nationalId: string | null;
  /** BCP 47 language tag, e.g. 'nb', 'ar', 'ti'. */
  preferredLanguage: string | null;
  /** Strengt fortrolig adresse: views must not reveal where the member lives. */
  protectedAddress: boolean;
};

/** Where a contact person in the team around the family comes from. */
export type Affiliation = { kind: 'unit'; unit: Unit } | { kind: 'partner'; organisation: string };

/** Who wrote a need down: a unit's caseworker or a partner (volunteer, school, police). */
export type NeedRecorder = { kind: 'unit'; unit: Unit; userId: string } | { kind: 'partner'; organisation: string; userId: string };

export const DATA_CATEGORIES = ['needs', 'decisions', 'payments', 'health'] as const;
export type DataCategory = (typeof DATA_CATEGORIES)[number];

/**
 * 'information-sharing': lets the named units see and share the categories despite the duty
 * of confidentiality. 'combine-family-decision': the adult agrees to one family decision.
 */
export const CONSENT_KINDS = ['information-sharing', 'combine-family-decision'] as const;
export type ConsentKind = (typeof CONSENT_KINDS)[number];

/** Which delegation rule authorised a decision event: auditors replay "on which delegation". */
export type DelegationRef = { ruleSetId: string; ruleSetVersion: number; ruleId: string };

export type DecisionAmounts = { monthlyAmountOre: Ore | null; oneOffAmountOre: Ore | null };

/** The parts of a decision an amendment or an appeal reversal may change. */
export type DecisionTerms = {
  periodFrom: LocalDate;
  periodUntil: LocalDate;
  amounts: DecisionAmounts;
  legalBasis: string | null;
  reasons: string;
};

export const APPEAL_OUTCOMES = ['upheld', 'reversed'] as const;
export type AppealOutcome = (typeof APPEAL_OUTCOMES)[number];

export const PAYMENT_METHODS = ['bank-transfer', 'gift-card', 'supplier-payment', 'equipment-lent', 'collective-event'] as const;
export type PaymentMethod = (typeof PAYMENT_METHODS)[number];

/** The sub-project paying pilot support and the municipal unit responsible for it. */
export type SubProjectRef = { subProjectId: string; responsibleUnit: Unit };

/** Whose budget pays: a unit's own, or a pilot sub-project's (never counted as income). */
export type Funding = { kind: 'unit'; unit: Unit } | { kind: 'sub-project'; subProjectId: string };

/** A decision as quoted in a family decision: it keeps its own legal basis and deciding unit. */
export type IncludedDecision = {
  decisionId: string;
  unit: Unit;
  decisionType: DecisionTypeCode;
  memberIds: string[];
  legalBasis: string | null;
  periodFrom: LocalDate;
  periodUntil: LocalDate;
};
