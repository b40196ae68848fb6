import type { DecisionTypeCode } from '../delegation/decision-type.catalogue';
import type { DecisionContext } from '../shared/decision-context';
import { InvalidDate, InvalidInput } from '../shared/domain-error';
import { ageOn, type LocalDate } from '../shared/local-date';
import { idOrNew, requireId, requireList, requireOneOf, requireText } from '../shared/validation';
import { NOTIFICATION_CHANNELS, type NotificationChannel, type NotificationEvent, type ReceiptEvidence } from './appeals.types';
import { AlreadyExists } from './family.errors';
import { parsePastDate, requireDecisionIn, requireMember, requirePart, stamp, today } from './family.guards';
import type { Consent, Decision, FamilyState, Member } from './family.state';
import { LetterAlreadyDelivered, LetterNotFound, LetterNotOfUnit, LetterRecipientsMismatch } from './letters.errors';
import {
  LETTER_LANGUAGES,
  type IssueLetter,
  type LetterCopyRecord,
  type LetterDelivered,
  type LetterIssued,
  type LetterLanguageCode,
  type LetterPartBasis,
  type RecordLetterDelivered,
} from './letters.types';
import { informsFor, partiesOf } from './notification.decide';
import { ADULT_AGE } from './parts.decide';

/**
 * The family letter (issue 14): one letter for the family, one copy per adult, each copy holding
 * only what that adult may see. The duty of confidentiality (forvaltningsloven § 13) holds between
 * the members too: one adult's personal matters are not told to the other without consent
 * (§ 13 a no. 1). So a copy holds
 *
 * - the decisions about the recipient (`self`);
 * - the decisions about a child under 18 the recipient holds parental responsibility for
 *   (`child`; barneloven § 30: the holders decide for the child, so they are parties, fvl § 2 (1) e);
 * - a decision about other adults only when each of them has a `combine-family-decision`
 *   consent in force covering the deciding unit and the category `decisions` (`consent`); a
 *   health decision also needs the category `health` (helsepersonelloven § 21, pbrl § 3-6: health
 *   information is shared only with an express consent to it). That kind is the one by which an
 *   adult agrees to one family decision, i.e. one piece of information for the family; an
 *   information-sharing consent lets units, not family members, read.
 *
 * The recipients are the current adults with at least one decision about themself or their child.
 * libs/letters composes the copies by these same functions, so the domain can check them.
 */

/** Decisions whose content is health information (helse- og omsorgstjenesteloven). */
const HEALTH_DECISION_TYPES: readonly DecisionTypeCode[] = ['adult-health-care-service', 'coordinator-adult', 'coordinator-child'];
const SHA256 = /^[0-9a-f]{64}$/;
const TEMPLATE_VERSION = /^v[0-9]{1,4}$/;
/** Delivered is received: what the channel gives as evidence of receipt (fvl § 29 counts from it). */
const RECEIPT_BY_CHANNEL: Record<NotificationChannel, ReceiptEvidence> = {
  'digital-mailbox': 'digital-read-receipt',
  post: 'postal-tracking',
  'in-person': 'signed-in-person',
};

/** The letter's language for a member: the one asked for, else their own choice if we write it, else bokmål. */
export function letterLanguageFor(member: Pick<Member, 'preferredLanguage'>, requested?: LetterLanguageCode | null): LetterLanguageCode {
  if (requested) return requested;
  const preferred = member.preferredLanguage?.toLowerCase() ?? null;
  return (LETTER_LANGUAGES as readonly string[]).includes(preferred ?? '') ? (preferred as LetterLanguageCode) : 'nb';
}

function isAdult(member: Member, on: LocalDate): boolean {
  return member.status === 'current' && ageOn(member.birthDate, on) >= ADULT_AGE;
}

function holdsResponsibility(state: FamilyState, holderId: string, childId: string, on: LocalDate): boolean {
  const child = state.members[childId];
  if (!child || ageOn(child.birthDate, on) >= ADULT_AGE) return false;
  return state.parentalResponsibility[`${childId}:${holderId}`]?.active === true;
}

/** The adult's combine-family-decision consent in force on `on` that lets the family letter show this decision about them. */
export function letterConsentOf(state: FamilyState, adultId: string, decision: Decision, on: LocalDate): Consent | null {
  const health = HEALTH_DECISION_TYPES.includes(decision.decisionType);
  const found = Object.values(state.consents).find(
    (c) =>
      c.kind === 'combine-family-decision' &&
      c.memberId === adultId &&
      c.givenByMemberId === adultId &&
      c.validFrom <= on &&
      (c.validUntil === null || on <= c.validUntil) &&
      (c.withdrawnFrom === null || on < c.withdrawnFrom) &&
      c.toUnits.includes(decision.unit) &&
      c.dataCategories.includes('decisions') &&
      (!health || c.dataCategories.includes('health')),
  );
  return found ?? null;
}

/** Why the decision is in the recipient's copy, or null when it is not theirs to read. */
export function letterPartBasis(state: FamilyState, recipientId: string, decision: Decision, on: LocalDate): LetterPartBasis | null {
  if (decision.memberIds.includes(recipientId)) return 'self';
  if (decision.memberIds.some((id) => holdsResponsibility(state, recipientId, id, on))) return 'child';
  const consented = decision.memberIds.every((id) => {
    const member = state.members[id];
    return member !== undefined && ageOn(member.birthDate, on) >= ADULT_AGE && letterConsentOf(state, id, decision, on) !== null;
  });
  return consented && decision.memberIds.length > 0 ? 'consent' : null;
}

/** The decisions of the letter in the recipient's copy, in the letter's order. */
export function letterDecisionsFor(
  state: FamilyState,
  recipientId: string,
  decisions: Decision[],
  on: LocalDate,
): { decision: Decision; basis: LetterPartBasis }[] {
  return decisions.flatMap((decision) => {
    const basis = letterPartBasis(state, recipientId, decision, on);
    return basis ? [{ decision, basis }] : [];
  });
}

/** The adults who receive a copy: current adults with a decision about themself or their child. Sorted by member id. */
export function letterRecipients(state: FamilyState, decisions: Decision[], on: LocalDate): string[] {
  return Object.values(state.members)
    .filter((m) => isAdult(m, on))
    .filter((m) => letterDecisionsFor(state, m.memberId, decisions, on).some((p) => p.basis !== 'consent'))
    .map((m) => m.memberId)
    .sort();
}

/** The last day to appeal for this member, from the first recorded receipt of a notification of the decision (fvl § 29). */
export function appealDeadlineOf(state: FamilyState, decisionId: string, memberId: string): LocalDate | null {
  let best: { receivedOn: LocalDate; deadline: LocalDate } | null = null;
  for (const n of Object.values(state.notifications ?? {})) {
    if (n.subject.kind !== 'decision' || n.subject.id !== decisionId || n.recipientMemberId !== memberId) continue;
    if (n.receivedOn === null || n.deadline === null) continue;
    if (!best || n.receivedOn < best.receivedOn) best = { receivedOn: n.receivedOn, deadline: n.deadline };
  }
  return best?.deadline ?? null;
}

export function issueLetter(command: IssueLetter, state: FamilyState, ctx: DecisionContext): LetterIssued[] {
  const unit = requirePart(state, ctx, 'issue a letter to the family');
  const data = command.data;
  const letterId = idOrNew(data.letterId, 'letterId', ctx.newId);
  if (state.letters?.[letterId]) throw new AlreadyExists('letter', letterId);
  const decisionIds = requireList(data.decisionIds, 'decisionIds', 1, (v, f) => requireId(v, f));
  if (new Set(decisionIds).size !== decisionIds.length) throw new InvalidInput('decisionIds', 'names a decision twice');
  // Only approved decisions that hold are told (an enkeltvedtak is notified once made, fvl § 27); the issuer must read each.
  const decisions = decisionIds.map((id, i) => requireDecisionIn(state, id, ['active', 'under-appeal'], 'told in a letter', ctx, `decisionIds[${i}]`));
  if (!decisions.some((d) => d.unit === unit) && !isResponsibleUnit(state, unit, decisionIds)) throw new LetterNotOfUnit(unit, 'issue this letter');
  const templateVersion = requireText(data.templateVersion, 'templateVersion', 20);
  if (!TEMPLATE_VERSION.test(templateVersion)) throw new InvalidInput('templateVersion', 'must name a template version such as v1');
  const requested = data.language === undefined || data.language === null ? null : requireOneOf(data.language, 'language', LETTER_LANGUAGES);
  const issuedOn = today(ctx);
  const copies = requireList(data.copies, 'copies', 1, (v, f) => {
    const input = (v ?? {}) as Partial<Record<string, unknown>>;
    return {
      recipientMemberId: requireId(input.recipientMemberId, `${f}.recipientMemberId`),
      sha256: requireSha256(input.sha256, `${f}.sha256`),
      language: requireOneOf(input.language, `${f}.language`, LETTER_LANGUAGES),
    };
  });
  const expected = letterRecipients(state, decisions, issuedOn);
  const given = copies.map((c) => c.recipientMemberId).sort();
  if (given.length !== expected.length || given.some((id, i) => id !== expected[i])) throw new LetterRecipientsMismatch(expected, given);
  const records: LetterCopyRecord[] = copies.map((copy, i) => {
    const member = requireMember(state, copy.recipientMemberId, `copies[${i}].recipientMemberId`);
    const language = letterLanguageFor(member, requested);
    if (copy.language !== language)
      throw new InvalidInput(
        `copies[${i}].language`,
        `must be ${language}: the language asked for, else the recipient's own choice among nb, nn and en, else bokmål`,
      );
    const held = letterDecisionsFor(state, member.memberId, decisions, issuedOn).map((p) => p.decision.decisionId);
    return { ...copy, decisionIds: held };
  });
  return [
    {
      type: 'LetterIssued',
      data: { letterId, decisionIds, templateVersion, language: requested, issuedOn, issuingUnit: unit, copies: records, ...stamp(ctx) },
    },
  ];
}

/**
 * Delivery is receipt (fvl § 27, § 29): the copy's notification of each decision the recipient is a
 * party of is recorded as C's NotificationSent (sent the day the letter was issued) and
 * NotificationReceived (the delivery day), so the appeal deadline is computed by the same rule
 * as any notification. A decision already received by this party keeps its first deadline.
 */
export function recordLetterDelivered(command: RecordLetterDelivered, state: FamilyState, ctx: DecisionContext): (LetterDelivered | NotificationEvent)[] {
  const unit = requirePart(state, ctx, 'record that a letter was delivered');
  const data = command.data;
  const letterId = requireId(data.letterId, 'letterId');
  const letter = state.letters?.[letterId];
  if (!letter) throw new LetterNotFound(letterId);
  const letterDecisions = letter.decisionIds.map((id) => state.decisions[id]);
  if (letter.issuingUnit !== unit && !letterDecisions.some((d) => d?.unit === unit)) throw new LetterNotOfUnit(unit, 'record the delivery of this letter');
  const recipientId = requireId(data.recipientMemberId, 'recipientMemberId');
  const copy = letter.copies.find((c) => c.recipientMemberId === recipientId);
  if (!copy) throw new InvalidInput('recipientMemberId', `is not a recipient of letter ${letterId}`);
  if (copy.delivery) throw new LetterAlreadyDelivered(letterId, recipientId, copy.delivery.deliveredOn);
  const channel = requireOneOf(data.channel, 'channel', NOTIFICATION_CHANNELS);
  const deliveredOn = parsePastDate(data.deliveredOn, 'deliveredOn', ctx);
  if (deliveredOn < letter.issuedOn) throw new InvalidDate('deliveredOn', deliveredOn, `is before the letter was issued (${letter.issuedOn})`);
  const notifications: NotificationEvent[] = [];
  for (const decisionId of copy.decisionIds) {
    const decision = state.decisions[decisionId];
    if (!decision || !partiesOf(state, decision, deliveredOn).has(recipientId)) continue; // told by consent: not a party, no deadline
    if (appealDeadlineOf(state, decisionId, recipientId) !== null) continue;
    const notificationId = ctx.newId();
    notifications.push(
      {
        type: 'NotificationSent',
        data: {
          notificationId,
          subject: { kind: 'decision', id: decisionId },
          decisionId,
          recipientMemberId: recipientId,
          channel,
          language: copy.language,
          sentOn: letter.issuedOn,
          documentRef: `letter:${letterId}`,
          informs: informsFor(decision, true),
          ...stamp(ctx),
        },
      },
      { type: 'NotificationReceived', data: { notificationId, receivedOn: deliveredOn, evidence: RECEIPT_BY_CHANNEL[channel], ...stamp(ctx) } },
    );
  }
  const notificationIds = notifications.flatMap((e) => (e.type === 'NotificationSent' ? [e.data.notificationId] : []));
  return [
    { type: 'LetterDelivered', data: { letterId, recipientMemberId: recipientId, channel, deliveredOn, notificationIds, ...stamp(ctx) } },
    ...notifications,
  ];
}

/** The responsible unit of a family decision in force that holds one of the decisions may send the family's letter. */
function isResponsibleUnit(state: FamilyState, unit: string, decisionIds: string[]): boolean {
  return Object.values(state.familyDecisions).some(
    (f) => f.status === 'in-force' && f.responsibleUnit === unit && f.decisions.some((d) => decisionIds.includes(d.decisionId)),
  );
}

function requireSha256(value: unknown, field: string): string {
  if (typeof value !== 'string' || !SHA256.test(value)) throw new InvalidInput(field, 'must be the SHA-256 of the rendered copy: 64 lowercase hex digits');
  return value;
}
