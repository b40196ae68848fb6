import type { FamilyPlansView } from './family-plan-view';
import type { AppealView, NotificationView } from './appeal-view';
import type { FollowUpCause } from '@familievedtak/domain';
import type { DecisionOutcome, ValiditySegment } from '@familievedtak/domain';
import type {
  CasePart,
  DecisionAmounts,
  DecisionStatus,
  DecisionTypeCode,
  DelegationRef,
  Erasable,
  Funding,
  LocalDate,
  MaskedMember,
  Member,
  NameOnlyMember,
  NeedStatus,
  Ore,
  ParentalResponsibility,
  Reader,
  ReadableConsent,
  ReadableContactPerson,
  ReadableEnrolment,
  ReadableNeedRecorder,
  ReadableReferral,
  SubProjectRef,
  Unit,
} from '@familievedtak/domain';

type Consent = ReadableConsent;
type ContactPerson = ReadableContactPerson;

/**
 * The family decision view: one family's whole situation across HVK, BFT, NAV, INN and
 * OPPVEKST as of `asOf`. Plain JSON; amounts are integer øre, dates 'YYYY-MM-DD', months
 * 'YYYY-MM'. Every list is sorted, so the same state and day always give the same document.
 */
export type FamilyDecisionView = {
  familyId: string;
  /** null when a member has a protected address and the reader has no clearance, or the reader sees no household (partner, referral). */
  district: string | null;
  /** 'protected-address': names, places and free text were withheld (null) for a reader without clearance. */
  withheld: 'protected-address' | null;
  registeredAt: string | null;
  /** The day the time-dependent parts (statuses, consents, expiry, warnings) are computed for. */
  asOf: LocalDate;
  summary: FamilyViewSummary;
  /**
   * Members with strengt fortrolig adresse are masked for readers without clearance; partners and referred units see names only.
   * A member whose identity was erased shows `{ erased: { on, rule, provision } }` in place of each erased field.
   */
  members: (MemberView | MaskedMemberView | NameOnlyMemberView | ErasedMemberView)[];
  team: TeamView;
  /** Who has a part in the case, since when and by which act; ended parts too (with earlier periods). */
  parts: PartView[];
  /** Referrals the reader may see (a unit: those it made or received), open and answered. */
  referrals: { open: ReferralView[]; answered: ReferralView[] };
  /** Enrolments in pilot sub-projects (whose partners act for the enrolled members). */
  enrolments: { active: ReadableEnrolment[]; ended: ReadableEnrolment[] };
  parentalResponsibility: ParentalResponsibility[];
  /** For a unit: consents withdrawn after it read under them (it was alerted), newest first. */
  alerts: ConsentAlert[];
  needs: { open: NeedView[]; resolved: NeedView[]; withdrawn: NeedView[] };
  consents: { inForce: Consent[]; upcoming: Consent[]; ended: EndedConsent[] };
  decisions: DecisionView[];
  familyDecisions: { inForce: FamilyDecisionInForce | null; suspended: SuspendedFamilyDecision[]; superseded: SupersededFamilyDecision[] };
  /** The family's plan (individuell plan): the active one and those ended. */
  familyPlan: FamilyPlansView;
  payments: PaymentsView;
  incomeBasis: IncomeBasis;
  expiring: ExpiringSoon;
  warnings: FamilyWarning[];
};

/** What the family list shows per row, as of `asOf`. */
export type FamilyViewSummary = {
  openNeeds: number;
  /** Decisions running on asOf or later: active or under appeal, period not over (including those starting later). */
  activeDecisions: number;
  /** The earliest end, today or later, of a decision in force. */
  nextPeriodEnd: LocalDate | null;
  warningCount: number;
  expiringCount: number;
};

export type MemberView = Member & { ageOnAsOf: number };
/** A member whose identity fields were erased (design §4): each erased field a marker; no age without a birth date. */
export type ErasedMemberView = Omit<Member, 'name' | 'birthDate' | 'nationalId' | 'preferredLanguage'> & {
  name: Erasable<string> | null;
  birthDate: Erasable<LocalDate> | null;
  nationalId: Erasable<string> | null;
  preferredLanguage: Erasable<string> | null;
  ageOnAsOf: number | null;
};
export type MaskedMemberView = MaskedMember & { ageOnAsOf: null };
export type NameOnlyMemberView = NameOnlyMember & { ageOnAsOf: null };

export type PartView = Pick<CasePart, 'unit' | 'active' | 'since' | 'act' | 'endedAt' | 'endReason' | 'earlier'> & {
  /** The act's unit and user: who registered the family, or who accepted the referral. */
  grantedBy: CasePart['grantedBy'];
  endedOn: LocalDate | null;
};

export type ReferralView = ReadableReferral & {
  /** Relative to the reading unit: to it ('incoming') or from it ('outgoing'); null for other readers. */
  direction: 'incoming' | 'outgoing' | null;
  recordedOn: LocalDate;
};

/** A consent the reader read under was withdrawn: stop using what it opened. */
export type ConsentAlert = {
  consentId: string;
  memberId: string;
  /** The first day it no longer held. */
  withdrawnFrom: LocalDate;
  withdrawnAt: string;
  channel: string | null;
  sourceUnits: Unit[] | null;
  toUnits: Unit[];
  dataCategories: string[];
};

export type TeamView = {
  coordinatingUnit: Unit | null;
  /** Contact persons still in the team. */
  contactPersons: ContactPerson[];
  /** Units with an active part, a decision, an active contact person, a pick-up or a payment in this family (of what the reader sees). */
  units: Unit[];
};

export type NeedView = {
  needId: string;
  /** null: a need of the whole family. */
  memberId: string | null;
  /** null: withheld (protected address); a marker once erased. */
  words: Erasable<string> | null;
  status: NeedStatus;
  expressedOn: LocalDate;
  recordedBy: ReadableNeedRecorder;
  pickedUpBy: { unit: Unit; at: string }[];
  /** Decisions the need was resolved with. */
  decisionIds: string[];
  /** Payments answering the need (linked on the payment or at resolution), reversed ones included. */
  paymentIds: string[];
  /**
   * The earliest answer: a decision the need was resolved with (on the day it was proposed,
   * Oslo time) or a payment answering it that was not reversed (on its paidOn day).
   */
  firstResponse: { kind: 'decision' | 'payment'; id: string; on: LocalDate } | null;
  /** Days from expressedOn to firstResponse; null while nothing answered it. */
  daysToFirstResponse: number | null;
  /** Days from expressedOn to asOf, for open needs only. */
  daysOpen: number | null;
  resolution: Erasable<string> | null;
  closedAt: string | null;
  withdrawalReason: Erasable<string> | null;
  withheld?: 'protected-address';
};

export type EndedConsent = Consent & {
  endReason: 'withdrawn' | 'expired';
  /** Withdrawn: the first day it no longer held. Expired: its last valid day. */
  endedOn: LocalDate;
};

/**
 * Status as of `asOf`: an approved decision whose period is over shows as 'expired' even
 * before the expiry is recorded on the stream (`recordedStatus` keeps what the stream says).
 */
export type DecisionView = {
  decisionId: string;
  unit: Unit;
  decisionType: DecisionTypeCode;
  decisionTypeLabel: string;
  memberIds: string[];
  status: DecisionStatus;
  recordedStatus: DecisionStatus;
  periodFrom: LocalDate;
  periodUntil: LocalDate;
  amounts: DecisionAmounts;
  legalBasis: string | null;
  enkeltvedtak: boolean;
  subProject: SubProjectRef | null;
  delegation: DelegationRef;
  proposedOn: LocalDate;
  approvedOn: LocalDate | null;
  notifiedOn: LocalDate | null;
  /** The first appeal still pending (deadline null: not assessed, or the deadline was not running). */
  openAppeal: { appealId: string; receivedDate: LocalDate; deadline: LocalDate | null; late: boolean } | null;
  /** Notifications of it (fvl § 27) with their deadlines, and every appeal with its stage (fvl §§ 28-34). */
  notifications: NotificationView[];
  appeals: AppealView[];
  /** The family decision in force that bundles it, if any. */
  familyDecisionId: string | null;
  /** Granted, partly granted or refused (a refusal is in force but grants nothing). */
  outcome: DecisionOutcome;
  /** The day it was made, and the day it holds from (valid time). */
  decidedOn: LocalDate | null;
  effectiveFrom: LocalDate | null;
  /**
   * Its timeline in valid time as known now: `status`, the period and amounts above are those
   * that held on `asOf`. Each segment names when the change that made it was recorded.
   */
  validity: ValiditySegment[];
};

export type FamilyDecisionInForce = {
  familyDecisionId: string;
  reviewDate: LocalDate;
  responsibleUnit: Unit;
  contactPerson: { personId: string; name: string | null };
  /** The bundled decisions as issued, with their status as of `asOf`. */
  decisions: {
    decisionId: string;
    unit: Unit;
    decisionType: DecisionTypeCode;
    memberIds: string[];
    periodUntil: LocalDate;
    status: DecisionStatus | null;
  }[];
  consentIds: string[];
  ruleSetId: string;
  ruleSetVersion: number;
  issuedOn: LocalDate;
};

export type SupersededFamilyDecision = { familyDecisionId: string; issuedOn: LocalDate; supersededBy: string | null };

/** A family decision a withdrawn consent suspended: a new one is needed. */
export type SuspendedFamilyDecision = {
  familyDecisionId: string;
  responsibleUnit: Unit;
  reviewDate: LocalDate;
  issuedOn: LocalDate;
  decisionIds: string[];
  /** The consent whose withdrawal suspended it (null when the reader may not see that consent). */
  suspendedByConsentId: string | null;
  /** The first day the consent no longer held, when the reader sees it. */
  suspendedFrom: LocalDate | null;
  /** What it followed: a bundled decision revoked, ended or quashed, or a consent withdrawn (null: not visible to the reader). */
  cause: FollowUpCause | null;
};

export type PaymentView = {
  paymentId: string;
  recipientMemberId: string;
  amountOre: Ore;
  method: string;
  funding: Funding;
  /** 'unit:NAV' or 'sub-project:<id>': one key per budget. */
  fundingSource: string;
  answersNeedId: string | null;
  answersDecisionId: string | null;
  /** null: withheld (protected address); a marker once erased. */
  documentationRef: Erasable<string> | null;
  paidOn: LocalDate;
  countsAsIncome: boolean;
  reversed: boolean;
  reversedOn: LocalDate | null;
  withheld?: 'protected-address';
};

export type MonthTotal = { month: string; totalOre: Ore };
export type FundingTotal = { fundingSource: string; funding: Funding; totalOre: Ore; count: number };

/** Totals leave reversed payments out entirely (they are listed, with `reversed`). */
export type PaymentsView = {
  items: PaymentView[];
  totals: { totalOre: Ore; reversedOre: Ore; byFundingSource: FundingTotal[]; byMonth: MonthTotal[] };
};

/** What NAV may count as income when assessing social assistance: pilot money never is. */
export type IncomeBasis = { totalOre: Ore; byMonth: MonthTotal[]; paymentIds: string[] };

/** A person named in a warning or an expiry: name null when masked (kode 6 without clearance) or unknown; a marker once erased. */
export type NamedMember = { memberId: string; name: Erasable<string> | null };

export type ExpiringItem =
  | {
      kind: 'decision';
      decisionId: string;
      unit: Unit;
      decisionType: DecisionTypeCode;
      memberIds: string[];
      /** The same members, with their names as the reader sees them. */
      members: NamedMember[];
      on: LocalDate;
      daysLeft: number;
    }
  | {
      kind: 'consent';
      consentId: string;
      memberId: string;
      memberName: Erasable<string> | null;
      consentKind: Consent['kind'];
      toUnits: Unit[];
      on: LocalDate;
      daysLeft: number;
    }
  | { kind: 'family-decision-review'; familyDecisionId: string; responsibleUnit: Unit; on: LocalDate; daysLeft: number };

/** Decisions in force whose period ends, consents whose validUntil falls, reviews due: asOf..until inclusive. */
export type ExpiringSoon = { withinDays: number; until: LocalDate; items: ExpiringItem[] };

export type DecisionEnd = {
  memberId: string;
  memberName: Erasable<string> | null;
  unit: Unit;
  decisionId: string;
  decisionType: DecisionTypeCode;
  periodUntil: LocalDate;
};
export type NeedPayer = { fundingSource: string; funding: Funding; totalOre: Ore; paymentIds: string[] };

export type FamilyWarning =
  /** The members' decisions in force end on different dates: no common horizon for the family. */
  | { kind: 'different-end-dates'; endDates: LocalDate[]; ends: DecisionEnd[] }
  /** An open need nobody picked up, decided on or paid for, more than the threshold after it was expressed. */
  | { kind: 'need-without-response'; needId: string; memberId: string | null; memberName: Erasable<string> | null; expressedOn: LocalDate; daysOpen: number }
  /**
   * An open need some unit picked up (or answered in part) that is still open more than the
   * rule set's openNeedWarningDays after it was expressed: nobody resolved or closed it.
   */
  | {
      kind: 'need-open-too-long';
      needId: string;
      memberId: string | null;
      memberName: Erasable<string> | null;
      expressedOn: LocalDate;
      daysOpen: number;
      /** The units that picked it up, in the order they did. */
      pickedUpBy: Unit[];
      limitDays: number;
    }
  /** Payments answering one need come from more than one budget (units or sub-projects). */
  | { kind: 'several-payers-for-need'; needId: string; payers: NeedPayer[] };

export type FamilyDecisionViewOptions = {
  /** Window of the expiry list, in days from asOf (default 60). */
  expiryWindowDays?: number;
  /** An open need without response is warned about after more than this many days (default 30). */
  unansweredAfterDays?: number;
  /** An open need picked up by a unit is warned about after more than this many days (default: DEFAULT_OPEN_NEED_WARNING_DAYS; the rule set's openNeedWarningDays). */
  openNeedWarningDays?: number;
  /**
   * Who the view is for: a unit gets its alerts and the direction of its referrals; a partner
   * no coordination warnings (they would be drawn from what it cannot see). Absent: an auditor's view.
   */
  reader?: Reader;
};
