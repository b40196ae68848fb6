import type { AppealStage, LocalDate, Notification, ReadableAppeal } from '@familievedtak/domain';

/** What these views read: the (possibly masked) state's appeals and notifications. */
type AppealRecords = { appeals: Record<string, ReadableAppeal>; notifications?: Record<string, Notification> };

/**
 * A decision's notifications (fvl § 27) and appeals (fvl §§ 28-34, 42) as the family view shows
 * them: each notification with its deadline, each appeal with its stage. Legacy ones are flagged.
 */
export type NotificationView = Pick<
  Notification,
  'notificationId' | 'subject' | 'recipientMemberId' | 'channel' | 'language' | 'sentOn' | 'receivedOn' | 'deadline' | 'informs' | 'legacy'
>;

export type AppealView = {
  appealId: string;
  againstDismissalOf: string | null;
  appellantMemberId: string | null;
  receivedOn: LocalDate;
  stage: AppealStage;
  /** Where it stands, in words a caseworker reads. */
  stageLabel: string;
  deadline: LocalDate | null;
  timeliness: string | null;
  requirementsMet: boolean | null;
  forwardedTo: string | null;
  bodyOutcome: { outcome: string; decidedOn: LocalDate; reference: string } | null;
  suspension: { requestedOn: LocalDate | null; granted: boolean | null; until: string | null };
  legacy: boolean;
  /** Schema ≤ 2: upheld inside the unit and never sent to the appeal body (fvl § 33 not followed). */
  flaggedForAuditor: boolean;
};

const STAGE_LABELS: Record<AppealStage, string> = {
  registered: 'registered; formal requirements not yet assessed',
  assessed: 'formal requirements assessed',
  dismissed: 'dismissed by the unit (appealable)',
  'under-preparation': 'being prepared by the unit (fvl § 33)',
  'changed-by-unit': 'granted by the unit',
  forwarded: 'with the appeal body',
  'decided-by-body': 'decided by the appeal body',
  withdrawn: 'withdrawn',
  'closed-by-unit-legacy': 'closed inside the unit (legacy: never forwarded to the appeal body)',
};

export function notificationViews(state: AppealRecords, decisionId: string): NotificationView[] {
  return Object.values(state.notifications ?? {})
    .filter((n) => n.decisionId === decisionId)
    .sort((a, b) => (a.sentOn < b.sentOn ? -1 : a.sentOn > b.sentOn ? 1 : a.notificationId < b.notificationId ? -1 : 1))
    .map(({ notificationId, subject, recipientMemberId, channel, language, sentOn, receivedOn, deadline, informs, legacy }) => ({
      notificationId,
      subject,
      recipientMemberId,
      channel,
      language,
      sentOn,
      receivedOn,
      deadline,
      informs,
      legacy,
    }));
}

export function appealViews(state: AppealRecords, decisionId: string): AppealView[] {
  return Object.values(state.appeals)
    .filter((a) => a.decisionId === decisionId)
    .sort((a, b) => (a.receivedOn < b.receivedOn ? -1 : a.receivedOn > b.receivedOn ? 1 : a.appealId < b.appealId ? -1 : 1))
    .map(appealView);
}

function appealView(a: ReadableAppeal): AppealView {
  const appellantMemberId = a.appellant === null ? null : a.appellant.kind === 'member' ? a.appellant.memberId : a.appellant.forMemberId;
  return {
    appealId: a.appealId,
    againstDismissalOf: a.againstDismissalOf,
    appellantMemberId,
    receivedOn: a.receivedOn,
    stage: a.stage,
    stageLabel: STAGE_LABELS[a.stage],
    deadline: a.assessment?.deadline ?? null,
    timeliness: a.assessment?.timeliness ?? null,
    requirementsMet: a.assessment?.requirementsMet ?? null,
    forwardedTo: a.forwarded?.body ?? null,
    bodyOutcome: a.outcome ? { outcome: a.outcome.outcome, decidedOn: a.outcome.decidedOn, reference: a.outcome.reference } : null,
    suspension: { requestedOn: a.suspension.requestedOn, granted: a.suspension.decision?.granted ?? null, until: a.suspension.decision?.until ?? null },
    legacy: a.legacy,
    flaggedForAuditor: a.stage === 'closed-by-unit-legacy',
  };
}
