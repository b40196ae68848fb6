import type { ActorRef } from '../shared/actor';
import type { DomainCommand, DomainEvent } from '../shared/decider';
import type { LocalDate } from '../shared/local-date';
import type { Stamp } from '../shared/stamp';
import type { TermsChange } from './family.commands';
import type { DecisionTerms } from './family.values';

/**
 * Notification (forvaltningsloven § 27) and appeals (§§ 28-34, 42) as events, commands and
 * state. Decided in notification.decide.ts and appeals.decide.ts, folded in appeals.evolve.ts.
 */

// ---------------------------------------------------------------- notification (fvl § 27)

export const NOTIFICATION_CHANNELS = ['digital-mailbox', 'post', 'in-person'] as const;
export type NotificationChannel = (typeof NOTIFICATION_CHANNELS)[number];
export const NOTIFICATION_SUBJECTS = ['decision', 'appeal-outcome', 'dismissal'] as const;
export type NotificationSubjectKind = (typeof NOTIFICATION_SUBJECTS)[number];
/** 'decision': id is a decisionId; 'appeal-outcome' and 'dismissal': id is an appealId. */
export type NotificationSubject = { kind: NotificationSubjectKind; id: string };
export const RECEIPT_EVIDENCE = ['digital-read-receipt', 'signed-in-person', 'stated-by-party', 'postal-tracking'] as const;
export type ReceiptEvidence = (typeof RECEIPT_EVIDENCE)[number];

export type AppealBody = 'statsforvalteren' | 'kommunal-klagenemnd';

/** What § 27 (3) says the party must be told; filled from the decision-type catalogue, never typed by a caseworker. */
export type NotificationInforms = {
  appealRight: boolean;
  /** Null when there is no appeal right. */
  deadlineWeeks: 3 | 4 | null;
  appealBody: AppealBody | null;
  appealProvision: string | null;
  /** How to appeal: to whom it is sent and what it must contain (fvl § 32). */
  procedure: string | null;
  /** The right to see the case documents (fvl §§ 18-19). */
  documentAccess: string;
  /** That suspended execution may be asked for (fvl § 42); null when nothing can be appealed. */
  suspension: string | null;
};

export type NotificationSent = DomainEvent<
  'NotificationSent',
  Stamp & {
    notificationId: string;
    subject: NotificationSubject;
    /** The decision the subject belongs to (for a dismissal or an outcome: the appealed decision). */
    decisionId: string;
    recipientMemberId: string;
    channel: NotificationChannel;
    /** BCP 47 tag; defaults to the recipient's preferred language. */
    language: string;
    sentOn: LocalDate;
    documentRef: string | null;
    informs: NotificationInforms;
  }
>;
export type NotificationReceived = DomainEvent<'NotificationReceived', Stamp & { notificationId: string; receivedOn: LocalDate; evidence: ReceiptEvidence }>;
export type NotificationEvent = NotificationSent | NotificationReceived;

export type SendNotification = DomainCommand<
  'SendNotification',
  {
    notificationId?: string;
    subject: NotificationSubject;
    recipientMemberId: string;
    channel: NotificationChannel;
    language?: string | null;
    sentOn: LocalDate;
    documentRef?: string | null;
  }
>;
export type RecordNotificationReceived = DomainCommand<
  'RecordNotificationReceived',
  { notificationId: string; receivedOn: LocalDate; evidence: ReceiptEvidence }
>;

export type Notification = {
  notificationId: string;
  subject: NotificationSubject;
  decisionId: string;
  /** Null only for a legacy notification (schema ≤ 2 `notifiedOn`): it reached the parties, unnamed. */
  recipientMemberId: string | null;
  channel: NotificationChannel | 'unknown';
  language: string | null;
  sentOn: LocalDate;
  documentRef: string | null;
  informs: NotificationInforms;
  receivedOn: LocalDate | null;
  evidence: ReceiptEvidence | 'legacy-notified-on' | null;
  /** The last day to appeal, once received (fvl § 29, dl §§ 148-149 by analogy); null while not running. */
  deadline: LocalDate | null;
  legacy: boolean;
  sentAt: string;
  sentBy: ActorRef;
};

// ---------------------------------------------------------------- appeals (fvl §§ 28-34, 42)

export type Appellant = { kind: 'member'; memberId: string } | { kind: 'representative'; representative: string; forMemberId: string };
export const APPEAL_CHANNELS = ['post', 'digital', 'in-person', 'email'] as const;
export type AppealChannel = (typeof APPEAL_CHANNELS)[number];
export type AppealStanding = 'party' | 'legal-interest' | 'none';
export type Timeliness = 'in-time' | 'late-not-to-blame' | 'late-special-reasons' | 'late-not-excused';
/** fvl § 31 first paragraph a («ikke kan lastes») and b («særlige grunner»). */
export const LATE_EXCUSE_GROUNDS = ['not-to-blame', 'special-reasons'] as const;
export type LateExcuseGround = (typeof LATE_EXCUSE_GROUNDS)[number];
export const BODY_OUTCOMES = ['upheld', 'changed', 'quashed-returned', 'dismissed'] as const;
export type BodyOutcome = (typeof BODY_OUTCOMES)[number];
export const SUSPENSION_UNTIL = ['deadline', 'appeal-decided'] as const;
export type SuspensionUntil = (typeof SUSPENSION_UNTIL)[number];

/** What an appeal decision does to the appealed decision, from a valid date. */
export type AppealEffect =
  | { kind: 'amend'; terms: DecisionTerms; effectiveFrom: LocalDate }
  | { kind: 'reinstate'; effectiveFrom: LocalDate }
  | { kind: 'revoke'; effectiveFrom: LocalDate }
  /** An appeal against a dismissal that succeeds: the dismissed appeal is assessed again. */
  | { kind: 'reopen-appeal'; appealId: string };
export type AppealEffectInput =
  | { kind: 'amend'; amendment: TermsChange; effectiveFrom: LocalDate }
  | { kind: 'reinstate'; effectiveFrom: LocalDate }
  | { kind: 'revoke'; effectiveFrom: LocalDate };

export type AppealRegistered = DomainEvent<
  'AppealRegistered',
  Stamp & {
    appealId: string;
    decisionId: string;
    /** Set when the appeal is against the dismissal of another appeal (fvl § 2 third paragraph). */
    againstDismissalOf: string | null;
    appellant: Appellant;
    receivedOn: LocalDate;
    /** Handed to the postal operator: in time if posted by the deadline (fvl § 30). */
    postedOn: LocalDate | null;
    channel: AppealChannel;
    grounds: string;
    /** Null: not yet known (e.g. a digital form whose signature is checked later). */
    signed: boolean | null;
  }
>;
export type AppealFormAssessed = DomainEvent<
  'AppealFormAssessed',
  Stamp & {
    appealId: string;
    standing: AppealStanding;
    standingNote: string;
    specific: boolean;
    signed: boolean;
    timeliness: Timeliness;
    /** Null while the deadline does not run (no receipt of the notification recorded). */
    deadline: LocalDate | null;
    computedFrom: string | null;
    excuse: { ground: LateExcuseGround; explanation: string } | null;
    /** More than a year since the decision: a late appeal can no longer be heard (fvl § 31 third paragraph). */
    pastOneYear: boolean;
    requirementsMet: boolean;
    reasons: string;
  }
>;
export type AppealDismissed = DomainEvent<
  'AppealDismissed',
  Stamp & { appealId: string; decisionId: string; dismissedOn: LocalDate; failed: string[]; reasons: string }
>;
export type AppealPrepared = DomainEvent<'AppealPrepared', Stamp & { appealId: string; investigations: string; counterpartiesNotified: boolean }>;
export type AppealGrantedByUnit = DomainEvent<
  'AppealGrantedByUnit',
  Stamp & { appealId: string; decisionId: string; fully: boolean; reasons: string; effect: AppealEffect | null }
>;
export type AppealForwarded = DomainEvent<
  'AppealForwarded',
  Stamp & {
    appealId: string;
    decisionId: string;
    body: AppealBody;
    provision: string;
    forwardedOn: LocalDate;
    unitStatement: string;
    copyToParty: boolean;
    /** After a partial change by the unit: only what it did not grant goes to the body (fvl § 33). */
    remainderOnly: boolean;
  }
>;
export type AppealOutcomeRecorded = DomainEvent<
  'AppealOutcomeRecorded',
  Stamp & {
    appealId: string;
    decisionId: string;
    body: AppealBody;
    outcome: BodyOutcome;
    decidedOn: LocalDate;
    receivedOn: LocalDate;
    reference: string;
    summary: string;
    effect: AppealEffect | null;
  }
>;
export type AppealWithdrawn = DomainEvent<'AppealWithdrawn', Stamp & { appealId: string; withdrawnOn: LocalDate; note: string | null }>;
export type ExecutionSuspensionRequested = DomainEvent<
  'ExecutionSuspensionRequested',
  Stamp & { appealId: string; decisionId: string; requestedOn: LocalDate }
>;
export type ExecutionSuspended = DomainEvent<
  'ExecutionSuspended',
  Stamp & { appealId: string; decisionId: string; from: LocalDate; until: SuspensionUntil; reasons: string | null }
>;
export type ExecutionSuspensionRefused = DomainEvent<'ExecutionSuspensionRefused', Stamp & { appealId: string; decisionId: string; reasons: string }>;

export type AppealEvent =
  | AppealRegistered
  | AppealFormAssessed
  | AppealDismissed
  | AppealPrepared
  | AppealGrantedByUnit
  | AppealForwarded
  | AppealOutcomeRecorded
  | AppealWithdrawn
  | ExecutionSuspensionRequested
  | ExecutionSuspended
  | ExecutionSuspensionRefused;

/** Every notification and appeal event type (a Record, so none is forgotten in the store's filter). */
export const APPEAL_AND_NOTIFICATION_EVENT_TYPES: Record<AppealEvent['type'] | NotificationEvent['type'], true> = {
  NotificationSent: true,
  NotificationReceived: true,
  AppealRegistered: true,
  AppealFormAssessed: true,
  AppealDismissed: true,
  AppealPrepared: true,
  AppealGrantedByUnit: true,
  AppealForwarded: true,
  AppealOutcomeRecorded: true,
  AppealWithdrawn: true,
  ExecutionSuspensionRequested: true,
  ExecutionSuspended: true,
  ExecutionSuspensionRefused: true,
};

export type RegisterAppeal = DomainCommand<
  'RegisterAppeal',
  {
    appealId?: string;
    decisionId: string;
    againstDismissalOf?: string | null;
    appellant: { memberId: string } | { representative: string; forMemberId: string };
    receivedOn: LocalDate;
    postedOn?: LocalDate | null;
    channel: AppealChannel;
    grounds: string;
    signed?: boolean | null;
  }
>;
export type AssessAppealForm = DomainCommand<
  'AssessAppealForm',
  {
    appealId: string;
    specific: boolean;
    signed: boolean;
    /** Someone who is not a party may still have a legal interest (fvl § 28 (1)): say what it is. */
    legalInterest?: string | null;
    excuse?: { ground: LateExcuseGround; explanation: string } | null;
    reasons: string;
  }
>;
export type DismissAppeal = DomainCommand<'DismissAppeal', { appealId: string; reasons: string }>;
export type PrepareAppeal = DomainCommand<'PrepareAppeal', { appealId: string; investigations: string; counterpartiesNotified: boolean }>;
export type ChangeDecisionOnAppeal = DomainCommand<
  'ChangeDecisionOnAppeal',
  {
    appealId: string;
    fully: boolean;
    reasons: string;
    /** Omitted on an appeal against a dismissal: the unit reopens the dismissed appeal. */
    change?: AppealEffectInput | null;
    /** Required when `fully` is false: the unit's statement on what goes to the appeal body. */
    unitStatement?: string | null;
  }
>;
export type ForwardAppeal = DomainCommand<
  'ForwardAppeal',
  {
    appealId: string;
    unitStatement: string;
    copyToParty: boolean;
    /** Optional check only: the body always comes from the catalogue; another one is refused. */
    appealBody?: string | null;
  }
>;
export type RecordAppealOutcome = DomainCommand<
  'RecordAppealOutcome',
  {
    appealId: string;
    outcome: BodyOutcome;
    decidedOn: LocalDate;
    receivedOn: LocalDate;
    reference: string;
    summary: string;
    effect?: AppealEffectInput | null;
  }
>;
export type WithdrawAppeal = DomainCommand<'WithdrawAppeal', { appealId: string; withdrawnOn: LocalDate; note?: string | null }>;
export type RequestSuspension = DomainCommand<'RequestSuspension', { appealId: string; requestedOn: LocalDate }>;
export type DecideSuspension = DomainCommand<'DecideSuspension', { appealId: string; granted: boolean; until?: SuspensionUntil; reasons?: string | null }>;

export type AppealCommand =
  | RegisterAppeal
  | AssessAppealForm
  | DismissAppeal
  | PrepareAppeal
  | ChangeDecisionOnAppeal
  | ForwardAppeal
  | RecordAppealOutcome
  | WithdrawAppeal
  | RequestSuspension
  | DecideSuspension;
export type NotificationCommand = SendNotification | RecordNotificationReceived;

export type AppealStage =
  | 'registered'
  | 'assessed'
  | 'dismissed'
  | 'under-preparation'
  | 'changed-by-unit'
  | 'forwarded'
  | 'decided-by-body'
  | 'withdrawn'
  /** Schema ≤ 2 only: the unit upheld its own decision and the case never went to the appeal body. */
  | 'closed-by-unit-legacy';

export type Appeal = {
  appealId: string;
  decisionId: string;
  againstDismissalOf: string | null;
  /** Null only for a legacy appeal recorded without an appellant. */
  appellant: Appellant | null;
  receivedOn: LocalDate;
  postedOn: LocalDate | null;
  channel: AppealChannel | 'unknown';
  grounds: string | null;
  signed: boolean | null;
  stage: AppealStage;
  registeredAt: string;
  registeredBy: ActorRef;
  assessment: (Omit<AppealFormAssessed['data'], 'appealId' | 'at' | 'by'> & { at: string; by: ActorRef }) | null;
  preparation: { investigations: string; counterpartiesNotified: boolean; at: string; by: ActorRef } | null;
  dismissal: { dismissedOn: LocalDate; failed: string[]; reasons: string; at: string; by: ActorRef } | null;
  unitChange: { fully: boolean; reasons: string; effect: AppealEffect | null; at: string; by: ActorRef } | null;
  forwarded: {
    body: AppealBody;
    provision: string;
    forwardedOn: LocalDate;
    unitStatement: string;
    copyToParty: boolean;
    remainderOnly: boolean;
    at: string;
  } | null;
  outcome: Omit<AppealOutcomeRecorded['data'], 'appealId' | 'decisionId' | 'by'> | null;
  withdrawal: { withdrawnOn: LocalDate; note: string | null; at: string } | null;
  suspension: {
    requestedOn: LocalDate | null;
    decision: { granted: boolean; from: LocalDate | null; until: SuspensionUntil | null; reasons: string | null; at: string; by: ActorRef } | null;
  };
  /** Recorded under schema ≤ 2 (AppealReceived/AppealDecided): shown as such, flagged for the auditor when closed in the unit. */
  legacy: boolean;
};

/** Stages in which an appeal is still pending somewhere (a withdrawal is still possible). */
export const OPEN_APPEAL_STAGES: readonly AppealStage[] = ['registered', 'assessed', 'under-preparation', 'forwarded'];
