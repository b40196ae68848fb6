import { decisionTypeEntry } from '../delegation/decision-type.catalogue';
import type { DecisionContext } from '../shared/decision-context';
import { InvalidDate, InvalidInput } from '../shared/domain-error';
import { ageOn, localDateOf, type LocalDate } from '../shared/local-date';
import { requireActorOfUnit } from '../shared/permissions';
import { idOrNew, optionalText, requireId, requireOneOf } from '../shared/validation';
import { AlreadyExists, DecisionStatusConflict } from './family.errors';
import { mayReadDecision, readerOf } from '../access/family-read-access';
import { parsePastDate, requireAppeal, requireDecision, requireMember, requirePart, stamp, today } from './family.guards';
import type { Decision, FamilyState } from './family.state';
import { NotificationAlreadyReceived, NotificationNotFound, RecipientNotAParty } from './appeals.errors';
import {
  NOTIFICATION_CHANNELS,
  NOTIFICATION_SUBJECTS,
  RECEIPT_EVIDENCE,
  type NotificationEvent,
  type NotificationInforms,
  type NotificationReceived,
  type NotificationSent,
  type NotificationSubject,
  type RecordNotificationReceived,
  type SendNotification,
} from './appeals.types';

/**
 * Notification of a decision (forvaltningsloven § 27): sent by the unit that decided, to each
 * party, by a channel, in a language, with what § 27 (3) requires the party to be told, taken
 * from the decision-type catalogue. Its receipt starts the appeal deadline (§ 29).
 */

const DOCUMENT_ACCESS = 'You may see the case documents (forvaltningsloven §§ 18-19).';
const SUSPENSION = 'You may ask that the decision is not carried out until the appeal is decided (forvaltningsloven § 42).';
const LANGUAGE_TAG = /^[a-zA-Z]{2,3}(-[a-zA-Z0-9]{2,8})*$/;

/** The day a decision was made: its approval, in Norway. */
export function decidedOn(decision: Decision): LocalDate | null {
  return decision.approvedAt ? localDateOf(new Date(decision.approvedAt)) : null;
}

/**
 * Parties (fvl § 2 (1) e) of a decision on a date: the adult members it names, a named child of
 * 15 or more in child welfare (barnevernsloven), and the holders of parental responsibility for a
 * named child. Children are not parties in their parents' social-assistance case (Helsetilsynet's
 * guide to sotjl appeals).
 */
export function partiesOf(state: FamilyState, decision: Decision, on: LocalDate): Set<string> {
  const parties = new Set<string>();
  for (const memberId of decision.memberIds) {
    const member = state.members[memberId];
    if (!member) continue;
    const age = ageOn(member.birthDate, on);
    if (age >= 18 || (age >= 15 && decision.decisionType === 'child-welfare-support-measure')) parties.add(memberId);
    if (age < 18) {
      for (const relation of Object.values(state.parentalResponsibility)) {
        if (relation.active && relation.childId === memberId) parties.add(relation.holderId);
      }
    }
  }
  return parties;
}

/** What the party is told: the appeal route of the decision's type, from the catalogue. */
export function informsFor(decision: Decision, appealable: boolean): NotificationInforms {
  const route = decisionTypeEntry(decision.decisionType).appeal;
  if (!appealable || !route || !decision.enkeltvedtak) {
    return {
      appealRight: false,
      deadlineWeeks: null,
      appealBody: null,
      appealProvision: null,
      procedure: null,
      documentAccess: DOCUMENT_ACCESS,
      suspension: null,
    };
  }
  return {
    appealRight: true,
    deadlineWeeks: route.weeks,
    appealBody: route.body,
    appealProvision: route.provision,
    procedure: `Send a signed appeal to ${decision.unit}, which decided; say which decision you appeal and what you want changed. If ${decision.unit} does not change the decision, it sends the appeal to ${route.body} (forvaltningsloven §§ 32-33).`,
    documentAccess: DOCUMENT_ACCESS,
    suspension: SUSPENSION,
  };
}

/** The decision a notification's subject belongs to, and whether the party can appeal it. */
function subjectFacts(state: FamilyState, subject: NotificationSubject, ctx: DecisionContext): { decision: Decision; appealable: boolean } {
  if (subject.kind === 'decision') {
    const decision = requireDecision(state, subject.id, ctx, 'subject.id');
    if (decision.status === 'proposed' || decision.status === 'rejected') {
      throw new DecisionStatusConflict(decision.decisionId, decision.status, 'notified', 'approved');
    }
    return { decision, appealable: true };
  }
  const appeal = requireAppeal(state, subject.id, ctx);
  const decision = requireDecision(state, appeal.decisionId, ctx);
  if (subject.kind === 'dismissal') {
    // fvl § 2 third paragraph: the unit's dismissal is itself an enkeltvedtak, so appealable.
    if (appeal.stage !== 'dismissed') throw new InvalidInput('subject.id', `appeal ${appeal.appealId} was not dismissed by the unit`);
    return { decision, appealable: true };
  }
  if (appeal.stage === 'changed-by-unit') return { decision, appealable: true }; // a new first-instance decision (fvl § 33)
  if (appeal.stage === 'decided-by-body') return { decision, appealable: false }; // fvl § 28 third paragraph: no further appeal
  throw new InvalidInput('subject.id', `appeal ${appeal.appealId} has no outcome to notify yet`);
}

export function sendNotification(command: SendNotification, state: FamilyState, ctx: DecisionContext): NotificationEvent[] {
  requirePart(state, ctx, 'send a notification');
  const data = command.data;
  if (typeof data.subject !== 'object' || data.subject === null) throw new InvalidInput('subject', 'must name what is notified: { kind, id }');
  const subject: NotificationSubject = {
    kind: requireOneOf(data.subject.kind, 'subject.kind', NOTIFICATION_SUBJECTS),
    id: requireId(data.subject.id, 'subject.id'),
  };
  const { decision, appealable } = subjectFacts(state, subject, ctx);
  // fvl § 27 (1): «Det forvaltningsorgan som har truffet vedtaket, skal sørge for at partene underrettes».
  requireActorOfUnit(ctx.actor, decision.unit, 'notify the parties of its decisions');
  const notificationId = idOrNew(data.notificationId, 'notificationId', ctx.newId);
  if (state.notifications[notificationId]) throw new AlreadyExists('notification', notificationId);
  const recipient = requireMember(state, data.recipientMemberId, 'recipientMemberId');
  const channel = requireOneOf(data.channel, 'channel', NOTIFICATION_CHANNELS);
  const sentOn = parsePastDate(data.sentOn, 'sentOn', ctx);
  const madeOn = decidedOn(decision);
  if (madeOn && sentOn < madeOn) throw new InvalidDate('sentOn', sentOn, `is before the decision was made (${madeOn})`);
  if (!partiesOf(state, decision, sentOn).has(recipient.memberId)) throw new RecipientNotAParty(recipient.memberId, decision.decisionId);
  const language = data.language === undefined || data.language === null ? (recipient.preferredLanguage ?? 'nb') : String(data.language);
  if (!LANGUAGE_TAG.test(language)) throw new InvalidInput('language', 'must be a BCP 47 language tag such as nb, nn, en or ar');
  const sent: NotificationSent = {
    type: 'NotificationSent',
    data: {
      notificationId,
      subject,
      decisionId: decision.decisionId,
      recipientMemberId: recipient.memberId,
      channel,
      language,
      sentOn,
      documentRef: optionalText(data.documentRef, 'documentRef', 200),
      informs: informsFor(decision, appealable),
      ...stamp(ctx),
    },
  };
  if (channel !== 'in-person') return [sent];
  // Handed over in person: it reached the party the day it was handed over.
  return [sent, { type: 'NotificationReceived', data: { notificationId, receivedOn: sentOn, evidence: 'signed-in-person', ...stamp(ctx) } }];
}

export function recordNotificationReceived(command: RecordNotificationReceived, state: FamilyState, ctx: DecisionContext): NotificationReceived[] {
  requirePart(state, ctx, 'record that a notification was received');
  const id = requireId(command.data.notificationId, 'notificationId');
  const notification = state.notifications[id];
  const decision = notification ? state.decisions[notification.decisionId] : undefined;
  // Unreadable is unknown: the same NOT_FOUND as a wrong id (family.guards' rule).
  if (!notification || notification.legacy || !decision || !mayReadDecision(state, readerOf(ctx.actor), decision, today(ctx))) {
    throw new NotificationNotFound(id);
  }
  requireActorOfUnit(ctx.actor, decision.unit, 'record receipt of its notifications');
  if (notification.receivedOn !== null) throw new NotificationAlreadyReceived(id, notification.receivedOn);
  const receivedOn = parsePastDate(command.data.receivedOn, 'receivedOn', ctx);
  if (receivedOn < notification.sentOn) throw new InvalidDate('receivedOn', receivedOn, `is before it was sent (${notification.sentOn})`);
  const evidence = requireOneOf(command.data.evidence, 'evidence', RECEIPT_EVIDENCE);
  return [{ type: 'NotificationReceived', data: { notificationId: id, receivedOn, evidence, ...stamp(ctx) } }];
}
