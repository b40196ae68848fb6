import { termsOf, type ValidityChange } from './decision-valid-time';
import { appealDeadline } from '../shared/norwegian-calendar';
import type { FamilyEvent } from './family.events';
import type { Decision, DecisionHistoryEntry, FamilyState } from './family.state';
import { APPEAL_AND_NOTIFICATION_EVENT_TYPES, type Appeal, type AppealEffect, type Notification } from './appeals.types';
import { informsFor } from './notification.decide';

/**
 * Folds notification and appeal events, the legacy AppealReceived/AppealDecided (schema ≤ 2)
 * and a legacy `notifiedOn` on DecisionApproved. Pure; returns the maps it replaced (fresh
 * objects, so the caller may own them) and whether the event is fully folded here.
 */
export type LifecycleFold = { maps: Partial<Pick<FamilyState, 'appeals' | 'notifications' | 'decisions'>>; handled: boolean };

const HANDLED = new Set<string>([...Object.keys(APPEAL_AND_NOTIFICATION_EVENT_TYPES), 'AppealReceived', 'AppealDecided']);

export function evolveAppealsAndNotifications(state: FamilyState, event: FamilyEvent): LifecycleFold | null {
  if (event.type === 'DecisionApproved') {
    const legacy = legacyNotification(state, event);
    return legacy ? { maps: { notifications: { ...state.notifications, [legacy.notificationId]: legacy } }, handled: false } : null;
  }
  if (!HANDLED.has(event.type)) return null;
  return { maps: foldLifecycleEvent(state, event), handled: true };
}

/**
 * Schema ≤ 2 stamped `notifiedOn` on approval (engineer B's upcast may rename it
 * `legacyNotifiedOn`): read as a notification of every party, channel unknown, sent and
 * received that day, so the deadline it started stays visible.
 */
function legacyNotification(state: FamilyState, event: Extract<FamilyEvent, { type: 'DecisionApproved' }>): Notification | null {
  const data = event.data as { decisionId: string; notifiedOn?: string | null; legacyNotifiedOn?: string | null };
  const notifiedOn = data.legacyNotifiedOn ?? data.notifiedOn ?? null;
  const decision = state.decisions[data.decisionId];
  if (!notifiedOn || !decision) return null;
  const informs = informsFor(decision, true);
  return {
    notificationId: `legacy-${decision.decisionId}`,
    subject: { kind: 'decision', id: decision.decisionId },
    decisionId: decision.decisionId,
    recipientMemberId: null,
    channel: 'unknown',
    language: null,
    sentOn: notifiedOn,
    documentRef: null,
    informs,
    receivedOn: notifiedOn,
    evidence: 'legacy-notified-on',
    deadline: informs.deadlineWeeks ? appealDeadline(notifiedOn, informs.deadlineWeeks) : null,
    legacy: true,
    sentAt: event.data.at,
    sentBy: event.data.by,
  };
}

function withHistory(decision: Decision, event: FamilyEvent, note: string | null, termsBefore: DecisionHistoryEntry['termsBefore'] = null): Decision {
  const entry: DecisionHistoryEntry = { event: event.type, at: event.data.at, by: event.data.by, delegation: decision.delegation, note, termsBefore };
  return { ...decision, history: [...decision.history, entry] };
}

/**
 * The decision after an appeal decision's effect: its status and terms now, and a change in valid
 * time from `effectiveFrom` (a reinstatement, revocation or amendment by the unit under fvl § 33 or
 * by the appeal body under § 34), so the view for a day answers what held then.
 */
function applyEffect(decision: Decision, effect: AppealEffect | null, event: FamilyEvent, note: string): Decision {
  if (effect === null || effect.kind === 'reopen-appeal') return withHistory(decision, event, note);
  const recordedAt = event.data.at;
  const validity = decision.validity ?? [];
  if (effect.kind === 'reinstate') {
    const change: ValidityChange = { kind: 'reinstated', effectiveFrom: effect.effectiveFrom, recordedAt, terms: termsOf(decision) };
    return withHistory({ ...decision, status: 'active', validity: [...validity, change] }, event, `${note} (reinstated from ${effect.effectiveFrom})`);
  }
  if (effect.kind === 'revoke') {
    const change: ValidityChange = { kind: 'revoked', effectiveFrom: effect.effectiveFrom, recordedAt, terms: null };
    return withHistory({ ...decision, status: 'revoked', validity: [...validity, change] }, event, `${note} (revoked from ${effect.effectiveFrom})`);
  }
  const { periodFrom, periodUntil, amounts, legalBasis, reasons } = decision;
  const amended = { ...decision, ...effect.terms };
  const change: ValidityChange = { kind: 'amended', effectiveFrom: effect.effectiveFrom, recordedAt, terms: termsOf(amended) };
  return withHistory({ ...amended, validity: [...validity, change] }, event, `${note} (amended from ${effect.effectiveFrom})`, {
    periodFrom,
    periodUntil,
    amounts,
    legalBasis,
    reasons,
  });
}

function foldLifecycleEvent(state: FamilyState, event: FamilyEvent): LifecycleFold['maps'] {
  const { at, by } = event.data;
  const appeals = (appeal: Appeal, ...more: Appeal[]) => ({
    appeals: Object.fromEntries([...Object.entries(state.appeals), ...[appeal, ...more].map((a) => [a.appealId, a])]),
  });
  const decisions = (decision: Decision) => ({ decisions: { ...state.decisions, [decision.decisionId]: decision } });
  switch (event.type) {
    case 'NotificationSent': {
      const { at: sentAt, by: sentBy, ...sent } = event.data;
      const notification: Notification = { ...sent, receivedOn: null, evidence: null, deadline: null, legacy: false, sentAt, sentBy };
      const decision = state.decisions[sent.decisionId];
      return {
        notifications: { ...state.notifications, [sent.notificationId]: notification },
        ...decisions(withHistory(decision, event, `${sent.subject.kind} notified by ${sent.channel} to ${sent.recipientMemberId}`)),
      };
    }
    case 'NotificationReceived': {
      const notification = state.notifications[event.data.notificationId];
      const weeks = notification.informs.deadlineWeeks;
      const received: Notification = {
        ...notification,
        receivedOn: event.data.receivedOn,
        evidence: event.data.evidence,
        deadline: weeks ? appealDeadline(event.data.receivedOn, weeks) : null,
      };
      return { notifications: { ...state.notifications, [received.notificationId]: received } };
    }
    case 'AppealRegistered': {
      const { at: registeredAt, by: registeredBy, ...registered } = event.data;
      const appeal: Appeal = {
        ...registered,
        stage: 'registered',
        registeredAt,
        registeredBy,
        assessment: null,
        preparation: null,
        dismissal: null,
        unitChange: null,
        forwarded: null,
        outcome: null,
        withdrawal: null,
        suspension: { requestedOn: null, decision: null },
        legacy: false,
      };
      const decision = state.decisions[registered.decisionId];
      return { ...appeals(appeal), ...decisions(withHistory(decision, event, registered.grounds)) };
    }
    case 'AppealFormAssessed': {
      const { appealId, at: assessedAt, by: assessedBy, ...assessment } = event.data;
      return appeals({ ...state.appeals[appealId], stage: 'assessed', assessment: { ...assessment, at: assessedAt, by: assessedBy } });
    }
    case 'AppealDismissed': {
      const { appealId, decisionId, dismissedOn, failed, reasons } = event.data;
      const appeal: Appeal = { ...state.appeals[appealId], stage: 'dismissed', dismissal: { dismissedOn, failed, reasons, at, by } };
      return { ...appeals(appeal), ...decisions(withHistory(state.decisions[decisionId], event, `appeal ${appealId} dismissed: ${failed.join('; ')}`)) };
    }
    case 'AppealPrepared': {
      const { appealId, investigations, counterpartiesNotified } = event.data;
      return appeals({ ...state.appeals[appealId], stage: 'under-preparation', preparation: { investigations, counterpartiesNotified, at, by } });
    }
    case 'AppealGrantedByUnit': {
      const { appealId, decisionId, fully, reasons, effect } = event.data;
      const appeal: Appeal = { ...state.appeals[appealId], stage: 'changed-by-unit', unitChange: { fully, reasons, effect, at, by } };
      const changed = [appeal, ...reopened(state, effect)];
      return {
        ...appeals(changed[0], ...changed.slice(1)),
        ...decisions(applyEffect(state.decisions[decisionId], effect, event, `appeal ${appealId} granted by the unit${fully ? '' : ' in part'}: ${reasons}`)),
      };
    }
    case 'AppealForwarded': {
      const { appealId, decisionId, at: forwardedAt, by: _by, ...forwardedTo } = event.data;
      const appeal: Appeal = { ...state.appeals[appealId], stage: 'forwarded', forwarded: { ...forwardedTo, at: forwardedAt } };
      return { ...appeals(appeal), ...decisions(withHistory(state.decisions[decisionId], event, `appeal ${appealId} forwarded to ${forwardedTo.body}`)) };
    }
    case 'AppealOutcomeRecorded': {
      const { appealId, decisionId, by: _by, ...outcome } = event.data;
      const appeal: Appeal = { ...state.appeals[appealId], stage: 'decided-by-body', outcome };
      const changed = [appeal, ...reopened(state, outcome.effect)];
      const note = `${outcome.body}: ${outcome.outcome} on ${outcome.decidedOn} (${outcome.reference})`;
      return { ...appeals(changed[0], ...changed.slice(1)), ...decisions(applyEffect(state.decisions[decisionId], outcome.effect, event, note)) };
    }
    case 'AppealWithdrawn': {
      const { appealId, withdrawnOn, note } = event.data;
      const appeal: Appeal = { ...state.appeals[appealId], stage: 'withdrawn', withdrawal: { withdrawnOn, note, at } };
      return { ...appeals(appeal), ...decisions(withHistory(state.decisions[appeal.decisionId], event, note)) };
    }
    case 'ExecutionSuspensionRequested': {
      const appeal = state.appeals[event.data.appealId];
      return appeals({ ...appeal, suspension: { ...appeal.suspension, requestedOn: event.data.requestedOn } });
    }
    case 'ExecutionSuspended':
    case 'ExecutionSuspensionRefused': {
      const appeal = state.appeals[event.data.appealId];
      const granted = event.type === 'ExecutionSuspended';
      const decision = granted
        ? { granted, from: event.data.from, until: event.data.until, reasons: event.data.reasons, at, by }
        : { granted, from: null, until: null, reasons: event.data.reasons, at, by };
      const note = granted
        ? `execution suspended from ${event.data.from} until the ${event.data.until === 'deadline' ? 'deadline' : 'appeal is decided'}`
        : `suspension refused: ${event.data.reasons}`;
      return {
        ...appeals({ ...appeal, suspension: { ...appeal.suspension, decision } }),
        ...decisions(withHistory(state.decisions[appeal.decisionId], event, note)),
      };
    }

    // Schema ≤ 2: the old workflow, read with its old meaning and flagged as legacy (design 3.8).
    case 'AppealReceived': {
      const { at: receivedAt, by: receivedBy, appellantMemberId, receivedDate, deadline, late, lateExcuse, ...received } = event.data;
      const appeal: Appeal = {
        appealId: received.appealId,
        decisionId: received.decisionId,
        againstDismissalOf: null,
        appellant: appellantMemberId ? { kind: 'member', memberId: appellantMemberId } : null,
        receivedOn: receivedDate,
        postedOn: null,
        channel: 'unknown',
        grounds: received.grounds,
        signed: null,
        stage: 'assessed',
        registeredAt: receivedAt,
        registeredBy: receivedBy,
        // The old code let a late appeal in only with an excuse: carried as recorded, never recomputed.
        assessment: {
          standing: 'party',
          standingNote: 'recorded before formal requirements were assessed (legacy)',
          specific: true,
          signed: true,
          timeliness: late ? 'late-special-reasons' : 'in-time',
          deadline,
          computedFrom: null,
          excuse: late && lateExcuse ? { ground: 'special-reasons', explanation: lateExcuse } : null,
          pastOneYear: false,
          requirementsMet: true,
          reasons: 'legacy appeal (schema ≤ 2)',
          at: receivedAt,
          by: receivedBy,
        },
        preparation: null,
        dismissal: null,
        unitChange: null,
        forwarded: null,
        outcome: null,
        withdrawal: null,
        suspension: { requestedOn: null, decision: null },
        legacy: true,
      };
      const decision = state.decisions[received.decisionId];
      return {
        ...appeals(appeal),
        ...decisions(withHistory({ ...decision, status: 'under-appeal', openAppealId: received.appealId }, event, received.grounds)),
      };
    }
    case 'AppealDecided': {
      const { appealId, decisionId, outcome, reasons } = event.data;
      const old = state.appeals[appealId];
      const appeal: Appeal =
        outcome === 'reversed'
          ? { ...old, stage: 'changed-by-unit', unitChange: { fully: true, reasons, effect: null, at, by } }
          : // An "upheld" appeal ended in the unit and never reached the appeal body (fvl § 33 was not followed): flagged.
            { ...old, stage: 'closed-by-unit-legacy', unitChange: { fully: false, reasons, effect: null, at, by } };
      const decision = state.decisions[decisionId];
      return { ...appeals(appeal), ...decisions(withHistory({ ...decision, status: 'active', openAppealId: null }, event, `${outcome}: ${reasons}`)) };
    }
    default:
      throw new Error(`not a notification or appeal event: ${event.type}`);
  }
}

/** An appeal against a dismissal that succeeded: the dismissed appeal goes back to be assessed. */
function reopened(state: FamilyState, effect: AppealEffect | null): Appeal[] {
  if (effect?.kind !== 'reopen-appeal') return [];
  return [{ ...state.appeals[effect.appealId], stage: 'registered', assessment: null }];
}
