import type { DecisionTypeCode } from '../delegation/decision-type.catalogue';
import type { Stamp } from '../shared/stamp';
import type { DomainEvent } from '../shared/decider';
import type { JsonObject } from '../shared/json';
import type { LocalDate } from '../shared/local-date';
import type { Ore } from '../shared/money';
import type { Unit } from '../shared/units';
import type { FamilyPlanEvent } from './family-plan.types';
import type { LetterEvent } from './letters.types';
import { ERASURE_EVENT_TYPES, type ErasureEvent } from '../retention/erasure.types';
import { APPEAL_AND_NOTIFICATION_EVENT_TYPES, type AppealEvent, type NotificationEvent } from './appeals.types';
import type {
  Affiliation,
  AppealOutcome,
  ConsentKind,
  DataCategory,
  DecisionAmounts,
  DelegationRef,
  Funding,
  IncludedDecision,
  MemberDetails,
  NeedRecorder,
  ConsentEvidence,
  EnrolledPartner,
  ParentalResponsibilityBasis,
  PaymentMethod,
  ReferralGround,
  SubProjectRef,
  WithdrawalChannel,
} from './family.values';
import type { ChildView, DecisionOutcome, StructuredReasons } from './decision-reasons';
import type { ChangeGround } from './decision-valid-time';
import type { AdvanceNoticeBasis, IntendedAct, NoticeChannel } from './decision-advance-notice';

/**
 * Events of a family stream. Every payload carries `at` (ISO instant the command was
 * decided) and `by` (the acting user), so an auditor's fold needs nothing but the stream.
 * Optional facts are null, never missing: the payload is exactly what is stored.
 */

/** The registering unit gets a part in the case (PartAct 'registered'). */
export type FamilyRegistered = DomainEvent<
  'FamilyRegistered',
  Stamp & {
    familyId: string;
    district: string;
    registeredOn: LocalDate;
    members: MemberDetails[];
    /** Schema 2: who has parental responsibility for which child, as documented at registration. */
    parentalResponsibility: ParentalResponsibilityInput[];
  }
>;
export type ParentalResponsibilityInput = { childId: string; holderId: string; basis: ParentalResponsibilityBasis; documentRef: string | null };
export type ParentalResponsibilityRecorded = DomainEvent<'ParentalResponsibilityRecorded', Stamp & ParentalResponsibilityInput & { since: LocalDate }>;
export type ParentalResponsibilityEnded = DomainEvent<'ParentalResponsibilityEnded', Stamp & { childId: string; holderId: string; reason: string }>;

/** A unit with a part refers members to another unit; the referral carries the legal ground for sharing. */
export type ReferralRecorded = DomainEvent<
  'ReferralRecorded',
  Stamp & { referralId: string; fromUnit: Unit; toUnit: Unit; memberIds: string[]; reason: string; ground: ReferralGround; consentIds: string[] }
>;
/** The receiving unit accepts: from now it has a part in the case. */
export type ReferralAccepted = DomainEvent<'ReferralAccepted', Stamp & { referralId: string; unit: Unit; since: LocalDate }>;
export type ReferralDeclined = DomainEvent<'ReferralDeclined', Stamp & { referralId: string; unit: Unit; reason: string }>;
/**
 * A unit's involvement ends: its part ends, its contact persons leave the team. `caseClosed: true`:
 * it was the last unit with a part, so the case closed with it (the retention schedule's
 * case-closed anchor); absent when other units keep a part (and on events from before).
 */
export type InvolvementClosed = DomainEvent<'InvolvementClosed', Stamp & { unit: Unit; reason: string; contactPersonIds: string[]; caseClosed?: boolean }>;

/** Recorded by the sub-project's responsible unit; the partners named act for these members only. */
export type FamilyEnrolled = DomainEvent<
  'FamilyEnrolled',
  Stamp & {
    enrolmentId: string;
    subProjectId: string;
    subProjectName: string;
    responsibleUnit: Unit;
    memberIds: string[];
    partners: EnrolledPartner[];
  }
>;
/** The partners' contact persons leave the team with it, unless another active enrolment still names their organisation. */
export type EnrolmentEnded = DomainEvent<'EnrolmentEnded', Stamp & { enrolmentId: string; reason: string; contactPersonIds: string[] }>;
export type MemberJoined = DomainEvent<'MemberJoined', Stamp & { member: MemberDetails; joinedOn: LocalDate }>;
export type MemberLeft = DomainEvent<'MemberLeft', Stamp & { memberId: string; leftOn: LocalDate; reason: string | null }>;

export type ContactPersonJoined = DomainEvent<
  'ContactPersonJoined',
  Stamp & { personId: string; name: string; affiliation: Affiliation; teamRole: string | null }
>;
export type ContactPersonLeft = DomainEvent<'ContactPersonLeft', Stamp & { personId: string }>;
export type CoordinatingUnitNamed = DomainEvent<'CoordinatingUnitNamed', Stamp & { unit: Unit; previousUnit: Unit | null }>;

export type NeedExpressed = DomainEvent<
  'NeedExpressed',
  Stamp & { needId: string; memberId: string | null; words: string; expressedOn: LocalDate; recordedBy: NeedRecorder }
>;
export type NeedPickedUp = DomainEvent<'NeedPickedUp', Stamp & { needId: string; unit: Unit }>;
export type NeedResolved = DomainEvent<'NeedResolved', Stamp & { needId: string; decisionIds: string[]; paymentIds: string[]; resolution: string | null }>;
export type NeedWithdrawn = DomainEvent<'NeedWithdrawn', Stamp & { needId: string; reason: string | null }>;

export type ConsentGiven = DomainEvent<
  'ConsentGiven',
  Stamp & {
    consentId: string;
    memberId: string;
    givenByMemberId: string;
    givenAsGuardian: boolean;
    kind: ConsentKind;
    /** Schema 2: whose records may be shared (null in schema 1: any unit's). */
    sourceUnits: Unit[] | null;
    toUnits: Unit[];
    dataCategories: DataCategory[];
    purpose: string;
    validFrom: LocalDate;
    /** Required from schema 2; null only in schema 1 history. */
    validUntil: LocalDate | null;
    /** Schema 2: written form reference, or oral consent documented by whom and when. */
    evidence: ConsentEvidence | null;
  }
>;
/** Effective from `effectiveFrom` (the day of withdrawal) on: the consent no longer holds that day. */
export type ConsentWithdrawn = DomainEvent<
  'ConsentWithdrawn',
  Stamp & {
    consentId: string;
    effectiveFrom: LocalDate;
    reason: string | null;
    /** Schema 2: the member who expressed the withdrawal (the subject or an entitled giver), and how. */
    expressedByMemberId: string | null;
    channel: WithdrawalChannel | null;
    /** Schema 2: units that read records under this consent (from the read audit): they are alerted. */
    alertedUnits: Unit[];
  }
>;

export type DecisionProposed = DomainEvent<
  'DecisionProposed',
  Stamp & {
    decisionId: string;
    unit: Unit;
    decisionType: DecisionTypeCode;
    memberIds: string[];
    legalBasis: string | null;
    periodFrom: LocalDate;
    periodUntil: LocalDate;
    amounts: DecisionAmounts;
    /**
     * Schema 3: structured (fvl §§ 24-25). Schema ≤ 2 stored free text, and lacks `outcome` and
     * `childViews`: the types admit what is stored, upcastFamilyEvent gives the schema 3 reading
     * (free text as facts and summary, 'granted', childViews null = not recorded then).
     */
    reasons: StructuredReasons | string;
    outcome?: DecisionOutcome;
    childViews?: ChildView[] | null;
    /** From the catalogue since schema 3 (fvl § 2); as the caller chose it in schema ≤ 2. */
    enkeltvedtak: boolean;
    fourEyes: boolean;
    subProject: SubProjectRef | null;
    delegation: DelegationRef;
  }
>;
/**
 * Schema 3: `decidedOn` (the day it was made) and `effectiveFrom` (valid time); absent in schema ≤ 2
 * (upcast: decided the day recorded, effectiveFrom null = the period start). `notifiedOn` is schema
 * ≤ 2 only: it stamped the approval day as the day the parties were told. Notification is now its
 * own record (NotificationSent/Received, forvaltningsloven § 27), and an old `notifiedOn` reads as a
 * legacy notification.
 */
export type DecisionApproved = DomainEvent<
  'DecisionApproved',
  Stamp & { decisionId: string; notifiedOn?: LocalDate | null; decidedOn?: LocalDate; effectiveFrom?: LocalDate | null; delegation: DelegationRef }
>;
export type DecisionRejected = DomainEvent<'DecisionRejected', Stamp & { decisionId: string; reason: string; delegation: DelegationRef }>;
/** Carries the complete terms after the change; `appealId` set when an appeal reversed the decision. */
export type DecisionAmended = DomainEvent<
  'DecisionAmended',
  Stamp & {
    decisionId: string;
    periodFrom: LocalDate;
    periodUntil: LocalDate;
    amounts: DecisionAmounts;
    legalBasis: string | null;
    reasons: string;
    appealId: string | null;
    delegation: DelegationRef;
  } & DecisionChangeFacts
>;
export type DecisionRevoked = DomainEvent<'DecisionRevoked', Stamp & { decisionId: string; reason: string; delegation: DelegationRef } & DecisionChangeFacts>;
/**
 * Schema 3, on amendments and revocations: from which day the change holds, the fvl § 35 (1)
 * ground (null for changes on appeal), and the fvl § 16 advance notice or waiver it rested on
 * (null when not to the party's detriment). Absent in schema ≤ 2: upcast reads them as held from
 * the day recorded, with no ground or notice recorded. The deciders always write all three.
 */
export type DecisionChangeFacts = { effectiveFrom?: LocalDate; ground?: ChangeGround | null; advanceNotice?: AdvanceNoticeBasis | null };
/** fvl § 16: the parties are told what is intended and by when they may answer. */
export type AdvanceNoticeSent = DomainEvent<
  'AdvanceNoticeSent',
  Stamp & {
    noticeId: string;
    decisionId: string;
    intendedAct: IntendedAct;
    memberIds: string[];
    sentOn: LocalDate;
    answerBy: LocalDate;
    channel: NoticeChannel;
    language: string;
  }
>;
export type PartyStatementReceived = DomainEvent<
  'PartyStatementReceived',
  Stamp & { noticeId: string; decisionId: string; memberId: string; receivedOn: LocalDate; summary: string }
>;
export type DecisionExpired = DomainEvent<'DecisionExpired', Stamp & { decisionId: string; periodUntil: LocalDate; delegation: DelegationRef }>;

export type AppealReceived = DomainEvent<
  'AppealReceived',
  Stamp & {
    appealId: string;
    decisionId: string;
    appellantMemberId: string | null;
    grounds: string | null;
    receivedDate: LocalDate;
    deadline: LocalDate;
    late: boolean;
    lateExcuse: string | null;
  }
>;
export type AppealDecided = DomainEvent<'AppealDecided', Stamp & { appealId: string; decisionId: string; outcome: AppealOutcome; reasons: string }>;

export type PaymentRecorded = DomainEvent<
  'PaymentRecorded',
  Stamp & {
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
  }
>;
/** A reversal is a new fact; the payment stays in the history. */
export type PaymentReversed = DomainEvent<'PaymentReversed', Stamp & { paymentId: string; amountOre: Ore; reversedOn: LocalDate; reason: string }>;
/** Why a sub-project payment's family payment will not be made: a code, never free text. */
export type PaymentAbandonReason = 'family-refused' | 'not-recorded';
/**
 * The family's once-per-payment answer that a spend's family payment will not be made and its
 * money goes back to the budget (process manager, no cross-stream transaction). Stored with the
 * event id the payment's PaymentRecorded would have (money-ids.ts), so the stream holds at most
 * one of the two; should both ever be there, the first decides (an abandonment after the payment
 * folds to nothing). `refusal`: the family's refusal code when reason is 'family-refused'.
 */
export type PaymentAbandoned = DomainEvent<
  'PaymentAbandoned',
  Stamp & {
    paymentId: string;
    subProjectId: string;
    /** As the spend names them (null: a spend from before issue 12 named no recipient). */
    recipientMemberId: string | null;
    amountOre: Ore;
    reason: PaymentAbandonReason;
    refusal: string | null;
  }
>;

export type FamilyDecisionIssued = DomainEvent<
  'FamilyDecisionIssued',
  Stamp & {
    familyDecisionId: string;
    decisions: IncludedDecision[];
    reviewDate: LocalDate;
    responsibleUnit: Unit;
    contactPersonId: string;
    /** The adults' combine-family-decision consents in force when it was issued. */
    consentIds: string[];
    ruleSetId: string;
    ruleSetVersion: number;
    /** The family decision in force before, now superseded. */
    supersedes: string | null;
  }
>;

/**
 * The closed case was exported for the archives (docs/operations/retention-and-erasure.md): the
 * package covers the stream up to `streamRevision`; its manifest's SHA-256 ties this record to it.
 * Appended by the application (apps/api/src/retention), not decided: it changes nothing in the case.
 */
export type CaseExportedForArchive = DomainEvent<
  'CaseExportedForArchive',
  Stamp & { exportId: string; manifestSha256: string; exportedOn: LocalDate; streamRevision: number; fileCount: number; schemaVersion: number }
>;

export type FamilyEvent =
  | FamilyRegistered
  | MemberJoined
  | MemberLeft
  | ContactPersonJoined
  | ContactPersonLeft
  | CoordinatingUnitNamed
  | NeedExpressed
  | NeedPickedUp
  | NeedResolved
  | NeedWithdrawn
  | ConsentGiven
  | ConsentWithdrawn
  | DecisionProposed
  | DecisionApproved
  | DecisionRejected
  | DecisionAmended
  | DecisionRevoked
  | DecisionExpired
  | AdvanceNoticeSent
  | PartyStatementReceived
  /** Schema ≤ 2 appeals, still folded (appeals.evolve.ts); new appeals are AppealEvent. */
  | AppealReceived
  | AppealDecided
  | AppealEvent
  | NotificationEvent
  | PaymentRecorded
  | PaymentReversed
  | PaymentAbandoned
  | FamilyDecisionIssued
  | ParentalResponsibilityRecorded
  | ParentalResponsibilityEnded
  | ReferralRecorded
  | ReferralAccepted
  | ReferralDeclined
  | InvolvementClosed
  | FamilyEnrolled
  | EnrolmentEnded
  | FamilyPlanEvent
  | LetterEvent
  /** Erasure (GDPR art. 5(1)(e), 17): retention/erasure.types.ts. */
  | ErasureEvent
  | CaseExportedForArchive;

export type FamilyEventType = FamilyEvent['type'];

/** Every family event type, e.g. for an event-store filter (a Record, so none can be forgotten). */
const EVENT_TYPES: Record<FamilyEventType, true> = {
  FamilyRegistered: true,
  MemberJoined: true,
  MemberLeft: true,
  ContactPersonJoined: true,
  ContactPersonLeft: true,
  CoordinatingUnitNamed: true,
  NeedExpressed: true,
  NeedPickedUp: true,
  NeedResolved: true,
  NeedWithdrawn: true,
  ConsentGiven: true,
  ConsentWithdrawn: true,
  DecisionProposed: true,
  DecisionApproved: true,
  DecisionRejected: true,
  DecisionAmended: true,
  DecisionRevoked: true,
  DecisionExpired: true,
  AdvanceNoticeSent: true,
  PartyStatementReceived: true,
  AppealReceived: true,
  AppealDecided: true,
  ...APPEAL_AND_NOTIFICATION_EVENT_TYPES,
  PaymentRecorded: true,
  PaymentReversed: true,
  PaymentAbandoned: true,
  FamilyDecisionIssued: true,
  ParentalResponsibilityRecorded: true,
  ParentalResponsibilityEnded: true,
  ReferralRecorded: true,
  ReferralAccepted: true,
  ReferralDeclined: true,
  InvolvementClosed: true,
  FamilyEnrolled: true,
  EnrolmentEnded: true,
  FamilyPlanRecorded: true,
  FamilyPlanRevised: true,
  FamilyPlanReviewed: true,
  FamilyPlanEnded: true,
  FamilyDecisionSuspended: true,
  LetterIssued: true,
  LetterDelivered: true,
  ...ERASURE_EVENT_TYPES,
  CaseExportedForArchive: true,
};
export const FAMILY_EVENT_TYPES = Object.keys(EVENT_TYPES) as FamilyEventType[];

export const FAMILY_STREAM_PREFIX = 'family-';

export function familyStreamId(familyId: string): string {
  return `${FAMILY_STREAM_PREFIX}${familyId}`;
}

/** Compile-time proof that every payload is plain JSON, as the event store requires. */
type AssertJson<T extends JsonObject> = T;
export type FamilyEventData = AssertJson<FamilyEvent['data']>;
