import type { DecisionTypeCode } from '../delegation/decision-type.catalogue';
import type { DomainCommand } from '../shared/decider';
import type { LocalDate } from '../shared/local-date';
import type { Ore } from '../shared/money';
import type { Unit } from '../shared/units';
import type { FamilyPlanCommand } from './family-plan.types';
import type { LetterCommand } from './letters.types';
import type { ErasureCommand } from '../retention/erasure.types';
import type { AppealCommand, NotificationCommand } from './appeals.types';
import type {
  Affiliation,
  ConsentKind,
  DataCategory,
  Funding,
  AddressProtection,
  HouseholdRole,
  ParentalResponsibilityBasis,
  PaymentMethod,
  ReferralGround,
  SubProjectFacts,
  SubProjectRef,
  WithdrawalChannel,
} from './family.values';
import type { ChildView, DecisionOutcome, StructuredReasons } from './decision-reasons';
import type { ChangeGround } from './decision-valid-time';
import type { AdvanceNoticeWaiverGround, IntendedAct, NoticeChannel } from './decision-advance-notice';

/** Structured reasons as a caller sends them: main considerations may be left out when simply granted. */
/** A child's view as a caller sends it; the decider checks the combination (heard: how, when, views, weight; or why not). */
export type ChildViewInput = {
  memberId: string;
  heard: boolean;
  how?: Extract<ChildView, { heard: true }>['how'];
  heardOn?: LocalDate;
  views?: string;
  weight?: string;
  whyNot?: Extract<ChildView, { heard: false }>['whyNot'];
  explanation?: string;
};
export type StructuredReasonsInput = Omit<StructuredReasons, 'mainConsiderations'> & { mainConsiderations?: string | null };

/**
 * Commands on one family's stream (`family-<familyId>`). Ids the caller leaves out are
 * generated with context.newId(); the acting user always comes from the context.
 */

export type NewMember = {
  memberId?: string;
  name: string;
  birthDate: LocalDate;
  role: HouseholdRole;
  nationalId?: string | null;
  preferredLanguage?: string | null;
  /** Schema 1 flag: true means strengt fortrolig (kode 6). Prefer addressProtection. */
  protectedAddress?: boolean;
  addressProtection?: AddressProtection;
};

export type ParentalResponsibilityClaim = {
  childId: string;
  holderId: string;
  basis?: ParentalResponsibilityBasis;
  documentRef?: string | null;
};

export type RegisterFamily = DomainCommand<
  'RegisterFamily',
  { familyId: string; district: string; members: NewMember[]; parentalResponsibility?: ParentalResponsibilityClaim[] }
>;
export type RecordParentalResponsibility = DomainCommand<'RecordParentalResponsibility', ParentalResponsibilityClaim>;
export type EndParentalResponsibility = DomainCommand<'EndParentalResponsibility', { childId: string; holderId: string; reason: string }>;

/** A unit with a part refers members to another unit (a part is gained only by accepting one). */
export type ReferToUnit = DomainCommand<'ReferToUnit', { referralId?: string; toUnit: Unit; memberIds: string[]; reason: string; ground?: ReferralGround }>;
export type AcceptReferral = DomainCommand<'AcceptReferral', { referralId: string }>;
export type DeclineReferral = DomainCommand<'DeclineReferral', { referralId: string; reason: string }>;
export type CloseInvolvement = DomainCommand<'CloseInvolvement', { reason: string }>;

/** The sub-project's responsible unit enrols members; `subProject` is filled by the application from the sub-project stream. */
export type EnrolInSubProject = DomainCommand<
  'EnrolInSubProject',
  { enrolmentId?: string; subProjectId: string; memberIds: string[]; subProject?: SubProjectFacts | null }
>;
export type EndEnrolment = DomainCommand<'EndEnrolment', { enrolmentId: string; reason: string }>;
export type JoinMember = DomainCommand<'JoinMember', { member: NewMember; joinedOn?: LocalDate }>;
export type LeaveMember = DomainCommand<'LeaveMember', { memberId: string; leftOn?: LocalDate; reason?: string }>;

export type JoinContactPerson = DomainCommand<'JoinContactPerson', { personId: string; name: string; affiliation: Affiliation; teamRole?: string }>;
export type LeaveContactPerson = DomainCommand<'LeaveContactPerson', { personId: string }>;
export type NameCoordinatingUnit = DomainCommand<'NameCoordinatingUnit', { unit: Unit }>;

export type ExpressNeed = DomainCommand<
  'ExpressNeed',
  {
    needId?: string;
    /** Absent or null: a need of the whole family. */
    memberId?: string | null;
    /** The person's own words, answering "what do you need for a better life?". */
    words: string;
    /** When the person said it, if earlier than today. */
    expressedOn?: LocalDate;
  }
>;
export type PickUpNeed = DomainCommand<'PickUpNeed', { needId: string }>;
export type ResolveNeed = DomainCommand<'ResolveNeed', { needId: string; decisionIds?: string[]; paymentIds?: string[]; resolution?: string }>;
export type WithdrawNeed = DomainCommand<'WithdrawNeed', { needId: string; reason?: string }>;

export type GiveConsent = DomainCommand<
  'GiveConsent',
  {
    consentId?: string;
    /** The member the consent is about. */
    memberId: string;
    /** The member giving it: the member themself, or a holder of parental responsibility for a child. */
    givenByMemberId: string;
    kind: ConsentKind;
    /** Whose records may be shared (information-sharing). */
    sourceUnits?: Unit[];
    /** Who may receive them. */
    toUnits: Unit[];
    dataCategories: DataCategory[];
    purpose: string;
    validFrom: LocalDate;
    /** Required: a consent is never open-ended. */
    validUntil: LocalDate;
    evidence: { form: 'written'; documentRef: string } | { form: 'oral'; note?: string | null };
  }
>;
export type WithdrawConsent = DomainCommand<
  'WithdrawConsent',
  {
    consentId: string;
    reason?: string;
    /** The member who said it: the consent's subject or a person entitled to give it. */
    expressedByMemberId: string;
    channel: WithdrawalChannel;
    /** Units that read under the consent, from the read audit; filled by the application. */
    alertedUnits?: Unit[];
  }
>;

export type AmountsInput = { monthlyAmountOre?: Ore | null; oneOffAmountOre?: Ore | null };

export type ProposeDecision = DomainCommand<
  'ProposeDecision',
  {
    decisionId?: string;
    /** Must be the proposing caseworker's unit. */
    unit: Unit;
    decisionType: DecisionTypeCode;
    memberIds: string[];
    /** Defaults to the catalogue's legal basis for the decision type. */
    legalBasis?: string | null;
    periodFrom: LocalDate;
    periodUntil: LocalDate;
    amounts?: AmountsInput;
    /** Granted, partly granted or refused: a refusal is an enkeltvedtak with no entitlement. */
    outcome: DecisionOutcome;
    /** Structured reasons (forvaltningsloven §§ 24-25): rules applied, facts, main considerations, summary. */
    reasons: StructuredReasonsInput;
    /** One per member under 18 on the decision day (barnekonvensjonen art. 12, Grunnloven § 104, barnevernsloven § 1-4). */
    childViews?: ChildViewInput[];
    /** Refused: whether a decision is an enkeltvedtak follows from its type (forvaltningsloven § 2). */
    enkeltvedtak?: never;
    /**
     * Pilot support only: the paying sub-project and its responsible unit. The application
     * fills this from the sub-project stream, never from the request body.
     */
    subProject?: SubProjectRef | null;
  }
>;
/** `effectiveFrom` (valid time) defaults to the period start. */
export type ApproveDecision = DomainCommand<'ApproveDecision', { decisionId: string; effectiveFrom?: LocalDate }>;
export type RejectDecision = DomainCommand<'RejectDecision', { decisionId: string; reason: string }>;

export type TermsChange = {
  periodFrom?: LocalDate;
  periodUntil?: LocalDate;
  amounts?: AmountsInput;
  legalBasis?: string | null;
};
/**
 * Valid time and the law of changing one's own decision: `effectiveFrom` (default: the day it is
 * decided), the fvl § 35 (1) `ground`, and for a change to the party's detriment the § 16
 * advance notice it rests on, or a waiver with its ground.
 */
export type DecisionChangeInput = {
  effectiveFrom?: LocalDate;
  ground?: ChangeGround;
  advanceNoticeId?: string;
  advanceNoticeWaiver?: { ground: AdvanceNoticeWaiverGround; explanation: string };
};
export type AmendDecision = DomainCommand<'AmendDecision', TermsChange & DecisionChangeInput & { decisionId: string; reasons: string }>;
export type RevokeDecision = DomainCommand<'RevokeDecision', DecisionChangeInput & { decisionId: string; reason: string }>;
/** fvl § 16: tell the parties what is intended and give them time to answer. */
export type SendAdvanceNotice = DomainCommand<
  'SendAdvanceNotice',
  {
    noticeId?: string;
    decisionId: string;
    intendedAct: IntendedAct;
    memberIds: string[];
    sentOn: LocalDate;
    answerBy: LocalDate;
    channel: NoticeChannel;
    language?: string;
  }
>;
export type RecordPartyStatement = DomainCommand<'RecordPartyStatement', { noticeId: string; memberId: string; receivedOn: LocalDate; summary: string }>;
export type ExpireDecision = DomainCommand<'ExpireDecision', { decisionId: string }>;

export type RecordPayment = DomainCommand<
  'RecordPayment',
  {
    paymentId?: string;
    recipientMemberId: string;
    amountOre: Ore;
    method: PaymentMethod;
    funding: Funding;
    answersNeedId?: string | null;
    answersDecisionId?: string | null;
    /** Voucher or receipt reference satisfying accounting law and audit. */
    documentationRef: string;
    paidOn: LocalDate;
    /** Unit-funded only; defaults from the decision type (or true). Sub-project money never counts. */
    countsAsIncome?: boolean;
    /** Sub-project funding: the sub-project's responsible unit, filled by the application from its stream. */
    subProject?: SubProjectRef | null;
  }
>;
export type ReversePayment = DomainCommand<'ReversePayment', { paymentId: string; reason: string }>;

export type IssueFamilyDecision = DomainCommand<
  'IssueFamilyDecision',
  {
    familyDecisionId?: string;
    decisionIds: string[];
    reviewDate: LocalDate;
    responsibleUnit: Unit;
    /** A contact person of the responsible unit in the team around the family. */
    contactPersonId: string;
  }
>;

export type FamilyCommand =
  | RegisterFamily
  | JoinMember
  | LeaveMember
  | JoinContactPerson
  | LeaveContactPerson
  | NameCoordinatingUnit
  | ExpressNeed
  | PickUpNeed
  | ResolveNeed
  | WithdrawNeed
  | GiveConsent
  | WithdrawConsent
  | ProposeDecision
  | ApproveDecision
  | RejectDecision
  | AmendDecision
  | RevokeDecision
  | ExpireDecision
  | SendAdvanceNotice
  | RecordPartyStatement
  | AppealCommand
  | NotificationCommand
  | RecordPayment
  | ReversePayment
  | IssueFamilyDecision
  | RecordParentalResponsibility
  | EndParentalResponsibility
  | ReferToUnit
  | AcceptReferral
  | DeclineReferral
  | CloseInvolvement
  | EnrolInSubProject
  | EndEnrolment
  | FamilyPlanCommand
  | LetterCommand
  | ErasureCommand;

export type FamilyCommandType = FamilyCommand['type'];
