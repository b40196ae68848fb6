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
  /**
   * True when the member has any protected address (kode 6 or 7); kept beside
   * `addressProtection` because events of schema version 1 carry only this flag.
   */
  protectedAddress: boolean;
  /**
   * Adressesperre from the population register: 'strengt-fortrolig' (kode 6) hides who and
   * where, 'fortrolig' (kode 7) hides where. Readers without clearance see neither.
   */
  addressProtection: AddressProtection;
};

export const ADDRESS_PROTECTIONS = ['none', 'fortrolig', 'strengt-fortrolig'] as const;
export type AddressProtection = (typeof ADDRESS_PROTECTIONS)[number];

/** A partner organisation is identified by its 9-digit organisation number (Enhetsregisteret), compared exactly. */
export const ORGANISATION_NUMBER = /^\d{9}$/;

/** Where a contact person in the team around the family comes from. */
export type Affiliation = { kind: 'unit'; unit: Unit } | { kind: 'partner'; organisation: string; organisationNumber: string | null };

/** Who wrote a need down: a unit's caseworker or a partner (volunteer, school, police). */
export type NeedRecorder =
  { kind: 'unit'; unit: Unit; userId: string } | { kind: 'partner'; organisation: string; organisationNumber: string | null; userId: string };

export const DATA_CATEGORIES = ['needs', 'decisions', 'payments', 'health'] as const;
export type DataCategory = (typeof DATA_CATEGORIES)[number];

/**
 * 'information-sharing': lets the target units see the source units' records of the categories
 * despite the duty of confidentiality (forvaltningsloven § 13 a no. 1). 'combine-family-decision':
 * the adult agrees to one family decision. 'coordination': the member agrees that the named unit
 * coordinates the help around the family.
 */
export const CONSENT_KINDS = ['information-sharing', 'combine-family-decision', 'coordination'] as const;
export type ConsentKind = (typeof CONSENT_KINDS)[number];

/**
 * How a consent was given: a signed form (its archive reference), or orally, documented by the
 * caseworker who heard it (who and when). Null only on consents recorded before evidence was kept.
 */
export type ConsentEvidence = { form: 'written'; documentRef: string } | { form: 'oral'; documentedBy: string; documentedAt: string; note: string | null };

export const CONSENT_EVIDENCE_FORMS = ['written', 'oral'] as const;

/** How the member said they withdraw: the withdrawal is the member's act, a unit only records it. */
export const WITHDRAWAL_CHANNELS = ['in-writing', 'orally', 'digitally'] as const;
export type WithdrawalChannel = (typeof WITHDRAWAL_CHANNELS)[number];

/**
 * The accountable act by which a unit got its part in the case (tjenstlig behov):
 * registering the family, or accepting a referral from a unit with a part. 'record-before-parts'
 * marks units that wrote to the family before parts were explicit (schema version 1 history).
 */
export type PartAct =
  { kind: 'registered' } | { kind: 'referral-accepted'; referralId: string; referredBy: Unit } | { kind: 'record-before-parts'; eventType: string };

/** The legal ground for passing a member's information to another unit with a referral. */
export const REFERRAL_GROUNDS = ['consent', 'duty-to-inform-child-welfare'] as const;
export type ReferralGround = (typeof REFERRAL_GROUNDS)[number];

/** A partner named in an enrolment: what it may do for the enrolled members. */
export type EnrolledPartner = { organisationNumber: string; name: string; mayRecordPayments: boolean };

/** Where parental responsibility (foreldreansvar, barneloven ch. 5) comes from. */
export const PARENTAL_RESPONSIBILITY_BASES = ['birth-registration', 'agreement', 'court-decision', 'other-document'] as const;
export type ParentalResponsibilityBasis = (typeof PARENTAL_RESPONSIBILITY_BASES)[number];

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

/** A sub-project as the application reads it from the sub-project's own stream (never from a request). */
export type SubProjectFacts = SubProjectRef & { name: string; partners: EnrolledPartner[]; active: boolean };

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
