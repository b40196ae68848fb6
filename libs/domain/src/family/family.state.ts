import type { DecisionTypeCode } from '../delegation/decision-type.catalogue';
import type { ActorRef } from '../shared/actor';
import type { LocalDate } from '../shared/local-date';
import type { Ore } from '../shared/money';
import type { Unit } from '../shared/units';
import type { FamilyEventType, PaymentAbandonReason } from './family.events';
import type { Appeal, Notification } from './appeals.types';
import type { FamilyDecisionSuspension, FamilyPlan } from './family-plan.types';
import type { Letter } from './letters.types';
import type { ErasedRecord, ErasureRequest } from '../retention/erasure.types';
import type { FamilyText } from '../retention/family-texts';
import type { ChildView, DecisionOutcome, StructuredReasons } from './decision-reasons';
import type { ValidityChange } from './decision-valid-time';
import type { AdvanceNotice } from './decision-advance-notice';
import type {
  Affiliation,
  ConsentEvidence,
  ConsentKind,
  DataCategory,
  DecisionTerms,
  DelegationRef,
  Funding,
  IncludedDecision,
  MemberDetails,
  EnrolledPartner,
  NeedRecorder,
  ParentalResponsibilityBasis,
  PartAct,
  PaymentMethod,
  ReferralGround,
  SubProjectRef,
  WithdrawalChannel,
} from './family.values';

/**
 * The family as folded from its stream: what the deciders check invariants against, and
 * what the API and an auditor read. Plain JSON (records keyed by id), never mutated:
 * evolve returns a new state.
 */

export type Member = MemberDetails & { status: 'current' | 'left'; joinedOn: LocalDate; leftOn: LocalDate | null };

export type ContactPerson = {
  personId: string;
  name: string;
  affiliation: Affiliation;
  teamRole: string | null;
  active: boolean;
  joinedAt: string;
  leftAt: string | null;
};

export type NeedStatus = 'open' | 'resolved' | 'withdrawn';

export type Need = {
  needId: string;
  memberId: string | null;
  words: string;
  expressedOn: LocalDate;
  recordedAt: string;
  recordedBy: NeedRecorder;
  status: NeedStatus;
  pickedUpBy: { unit: Unit; at: string }[];
  decisionIds: string[];
  paymentIds: string[];
  resolution: string | null;
  closedAt: string | null;
  withdrawalReason: string | null;
};

export type Consent = {
  consentId: string;
  memberId: string;
  givenByMemberId: string;
  givenAsGuardian: boolean;
  kind: ConsentKind;
  /** Whose records may be shared; null on consents recorded before sources were named (any unit's). */
  sourceUnits: Unit[] | null;
  /** Who may receive them (target units). */
  toUnits: Unit[];
  dataCategories: DataCategory[];
  purpose: string;
  validFrom: LocalDate;
  validUntil: LocalDate | null;
  givenAt: string;
  /** Who recorded it: their unit sees the consent even when it is not among toUnits. */
  recordedBy: ActorRef;
  /** How it was given; null only on consents recorded before evidence was kept. */
  evidence: ConsentEvidence | null;
  /** The first day it no longer holds, when withdrawn. */
  withdrawnFrom: LocalDate | null;
  withdrawnAt: string | null;
  /** The withdrawal: who expressed it and how, and which units were alerted (they had read under it). */
  withdrawal: { expressedByMemberId: string | null; channel: WithdrawalChannel | null; recordedBy: ActorRef; alertedUnits: Unit[] } | null;
};

/**
 * A unit's part in the case (tjenstlig behov): explicit, gained by an accountable act, ended by
 * closing the unit's involvement. Only a unit with an active part writes to the family or reads
 * other units' records; a unit whose part ended keeps seeing its own records only.
 */
export type CasePart = {
  unit: Unit;
  active: boolean;
  since: LocalDate;
  sinceAt: string;
  act: PartAct;
  grantedBy: ActorRef;
  endedAt: string | null;
  endedBy: ActorRef | null;
  endReason: string | null;
  /** Earlier periods of the same unit's part, oldest first. */
  earlier: { since: LocalDate; act: PartAct; endedAt: string; endReason: string | null }[];
};

export type Referral = {
  referralId: string;
  fromUnit: Unit;
  toUnit: Unit;
  memberIds: string[];
  reason: string;
  ground: ReferralGround;
  /** The consents in force that allowed the referral (ground 'consent'). */
  consentIds: string[];
  status: 'open' | 'accepted' | 'declined';
  recordedAt: string;
  recordedBy: ActorRef;
  answeredAt: string | null;
  answeredBy: ActorRef | null;
  declineReason: string | null;
};

/**
 * A family (or some members) enrolled in a pilot sub-project by its responsible unit; the
 * partners it names act for the enrolled members only (record needs; pay when allowed).
 */
export type Enrolment = {
  enrolmentId: string;
  subProjectId: string;
  subProjectName: string;
  responsibleUnit: Unit;
  memberIds: string[];
  partners: EnrolledPartner[];
  active: boolean;
  enrolledAt: string;
  enrolledBy: ActorRef;
  endedAt: string | null;
  endReason: string | null;
};

/** Parental responsibility (foreldreansvar) as a recorded relation, never inferred from household roles. */
export type ParentalResponsibility = {
  childId: string;
  holderId: string;
  basis: ParentalResponsibilityBasis;
  documentRef: string | null;
  since: LocalDate;
  active: boolean;
  recordedAt: string;
  recordedBy: ActorRef;
  endedAt: string | null;
};

export type DecisionStatus = 'proposed' | 'active' | 'rejected' | 'expired' | 'revoked' | 'under-appeal';

export type DecisionHistoryEntry = {
  event: FamilyEventType;
  at: string;
  by: ActorRef;
  delegation: DelegationRef;
  /** A reason, rejection or appeal note where the event has one. */
  note: string | null;
  /** For amendments: the terms that applied before. */
  termsBefore: DecisionTerms | null;
  /** Valid time: the day the change holds from (approvals, amendments, revocations); absent or null for other steps. */
  effectiveFrom?: LocalDate | null;
};

export type Decision = DecisionTerms & {
  decisionId: string;
  unit: Unit;
  decisionType: DecisionTypeCode;
  memberIds: string[];
  enkeltvedtak: boolean;
  fourEyes: boolean;
  subProject: SubProjectRef | null;
  delegation: DelegationRef;
  status: DecisionStatus;
  proposedBy: ActorRef;
  proposedAt: string;
  approvedBy: ActorRef | null;
  approvedAt: string | null;
  notifiedOn: LocalDate | null;
  openAppealId: string | null;
  history: DecisionHistoryEntry[];
  /** Granted, partly granted or refused ('granted' for schema ≤ 2 proposals). */
  outcome: DecisionOutcome;
  /** fvl §§ 24-25; `reasons` above is its summary (the text the terms carry). */
  structuredReasons: StructuredReasons;
  /** The child's voice; null when recorded before schema 3 (not asked then). */
  childViews: ChildView[] | null;
  /** The day the decision was made (approved) and the day it holds from in valid time. */
  decidedOn: LocalDate | null;
  effectiveFrom: LocalDate | null;
  /** Every change in valid time, in recorded order; read it with decisionOn (decision-valid-time.ts). */
  validity: ValidityChange[];
  /** fvl § 16 advance notices about this decision, with the parties' statements. */
  advanceNotices: AdvanceNotice[];
};

/** Appeals and notifications (fvl §§ 27-34, 42): appeals.types.ts. */
export type { Appeal, Notification } from './appeals.types';

export type Payment = {
  paymentId: string;
  recipientMemberId: string;
  amountOre: Ore;
  method: PaymentMethod;
  funding: Funding;
  answersNeedId: string | null;
  answersDecisionId: string | null;
  documentationRef: string;
  paidOn: LocalDate;
  countsAsIncome: boolean;
  recordedAt: string;
  recordedBy: ActorRef;
  reversed: boolean;
  reversedOn: LocalDate | null;
  reversalReason: string | null;
};

/** A sub-project payment the family will never record (PaymentAbandoned): its spend's money goes back. */
export type AbandonedPayment = {
  paymentId: string;
  subProjectId: string;
  recipientMemberId: string | null;
  amountOre: Ore;
  reason: PaymentAbandonReason;
  refusal: string | null;
  abandonedAt: string;
  abandonedBy: ActorRef;
};

export type FamilyDecision = {
  familyDecisionId: string;
  decisions: IncludedDecision[];
  reviewDate: LocalDate;
  responsibleUnit: Unit;
  contactPersonId: string;
  consentIds: string[];
  ruleSetId: string;
  ruleSetVersion: number;
  /** 'suspended': a consent it relied on was withdrawn; a new family decision is needed. */
  status: 'in-force' | 'superseded' | 'suspended';
  supersededBy: string | null;
  suspendedByConsentId: string | null;
  /** Why and from when it no longer holds (FamilyDecisionSuspended); absent on family decisions suspended before the event existed. */
  suspension?: FamilyDecisionSuspension | null;
  issuedAt: string;
  issuedBy: ActorRef;
};

export type FamilyState = {
  status: 'unregistered' | 'registered';
  familyId: string | null;
  district: string | null;
  registeredAt: string | null;
  /** Who registered the family: their unit has a part in the case from the start. */
  registeredBy: ActorRef | null;
  members: Record<string, Member>;
  team: Record<string, ContactPerson>;
  coordinatingUnit: Unit | null;
  needs: Record<string, Need>;
  consents: Record<string, Consent>;
  decisions: Record<string, Decision>;
  appeals: Record<string, Appeal>;
  /** Notifications of decisions, appeal outcomes and dismissals (fvl § 27), keyed by notificationId. */
  notifications: Record<string, Notification>;
  payments: Record<string, Payment>;
  /** Sub-project payments abandoned before they were recorded, keyed by paymentId (never also in payments). */
  abandonedPayments: Record<string, AbandonedPayment>;
  familyDecisions: Record<string, FamilyDecision>;
  /** Keyed by unit. */
  parts: Record<string, CasePart>;
  referrals: Record<string, Referral>;
  enrolments: Record<string, Enrolment>;
  /** Keyed by `${childId}:${holderId}`. */
  parentalResponsibility: Record<string, ParentalResponsibility>;
  /** The family's plans (individuell plan), keyed by planId; at most one active. */
  familyPlans: Record<string, FamilyPlan>;
  /** Letters to the family (issue 14), keyed by letterId: letters.types.ts. */
  letters: Record<string, Letter>;
  /** Erased records (PersonalDataErased), keyed by key ref (`need/<needId>`, `identity/<memberId>`...): retention/erasure.types.ts. */
  erasures: Record<string, ErasedRecord>;
  /** Erasure requests (GDPR art. 17) with their outcomes, keyed by requestId. */
  erasureRequests: Record<string, ErasureRequest>;
  /**
   * Record keys found erased while folding (the decoded events' `$erased` notes, design §4), keyed
   * by key ref. Absent until the first note. Known at any cut of the stream, also before the
   * PersonalDataErased event (the key goes first): what readers show in place of erased fields.
   */
  erasedKeys?: Record<string, ErasedKey>;
  /** The family-level case texts' keys (`case/family:<at>`), keyed by key ref; absent until the first (retention/family-texts.ts). */
  familyTexts?: Record<string, FamilyText>;
};

/**
 * A record key whose fields read as placeholders: the key's tombstone as the notes gave it
 * (`rule` is the schedule rule's id `<schedule>@v<version>/<entry>`, null for an erasure on
 * request) and the erased fields seen, as `<event type>:<path>` with `*` for array indices.
 */
export type ErasedKey = { keyRef: string; category: string; on: LocalDate; rule: string | null; provision: string | null; fields: string[] };

export function initialFamilyState(): FamilyState {
  return {
    status: 'unregistered',
    familyId: null,
    district: null,
    registeredAt: null,
    registeredBy: null,
    members: {},
    team: {},
    coordinatingUnit: null,
    needs: {},
    consents: {},
    decisions: {},
    appeals: {},
    notifications: {},
    payments: {},
    abandonedPayments: {},
    familyDecisions: {},
    parts: {},
    referrals: {},
    enrolments: {},
    parentalResponsibility: {},
    familyPlans: {},
    letters: {},
    erasures: {},
    erasureRequests: {},
  };
}
