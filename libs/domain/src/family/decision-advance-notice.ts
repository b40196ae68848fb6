import type { DecisionContext } from '../shared/decision-context';
import { InvalidInput } from '../shared/domain-error';
import { ageOn, parseLocalDate, type LocalDate } from '../shared/local-date';
import { requireActorOfUnit } from '../shared/permissions';
import { idOrNew, optionalText, requireList, requireOneOf, requireText } from '../shared/validation';
import { AdvanceNoticeNotFound, AdvanceNoticeRequired, AnswerPeriodNotEnded } from './decision-errors';
import type { RecordPartyStatement, SendAdvanceNotice } from './family.commands';
import { AlreadyExists } from './family.errors';
import type { AdvanceNoticeSent, PartyStatementReceived } from './family.events';
import { parsePastDate, requireCurrentMember, requireDecisionIn, requirePart, stamp, today } from './family.guards';
import type { Decision, FamilyState } from './family.state';

/**
 * Advance notice (forhåndsvarsel, forvaltningsloven § 16): before a unit revokes a decision or
 * changes it to a party's detriment, the parties are told what is intended and given a time to
 * answer. A minor over 15 who is a party is notified too (§ 16 first paragraph). The notice may be
 * waived only on a ground in § 16 third paragraph, recorded with the change.
 */

export const INTENDED_ACTS = ['revoke', 'amend-to-detriment'] as const;
export type IntendedAct = (typeof INTENDED_ACTS)[number];
export const NOTICE_CHANNELS = ['digital-mailbox', 'post', 'in-person'] as const;
export type NoticeChannel = (typeof NOTICE_CHANNELS)[number];
/** fvl § 16 third paragraph a-c: not practicable / no known address / already known or obviously unnecessary. */
export const ADVANCE_NOTICE_WAIVER_GROUNDS = ['§ 16 (3) a', '§ 16 (3) b', '§ 16 (3) c'] as const;
export type AdvanceNoticeWaiverGround = (typeof ADVANCE_NOTICE_WAIVER_GROUNDS)[number];

/** fvl § 16 first paragraph: from this age a minor party is notified in person too. */
export const MINOR_PARTY_NOTICE_AGE = 15;

export type PartyStatement = { memberId: string; receivedOn: LocalDate; summary: string; recordedAt: string };

export type AdvanceNotice = {
  noticeId: string;
  intendedAct: IntendedAct;
  memberIds: string[];
  sentOn: LocalDate;
  answerBy: LocalDate;
  channel: NoticeChannel;
  language: string;
  recordedAt: string;
  statements: PartyStatement[];
};

/** What a revocation or detrimental amendment rested on for § 16: a notice, or a waiver with its ground. */
export type AdvanceNoticeBasis = { noticeId: string } | { waiver: { ground: AdvanceNoticeWaiverGround; explanation: string } };

export function sendAdvanceNotice(command: SendAdvanceNotice, state: FamilyState, ctx: DecisionContext): AdvanceNoticeSent[] {
  requirePart(state, ctx, 'send an advance notice');
  const data = command.data;
  const decision = requireDecisionIn(state, data.decisionId, ['active', 'under-appeal'], 'given advance notice of a change', ctx);
  requireActorOfUnit(ctx.actor, decision.unit, 'send advance notice of its decisions');
  const noticeId = idOrNew(data.noticeId, 'noticeId', ctx.newId);
  if (Object.values(state.decisions).some((d) => (d.advanceNotices ?? []).some((n) => n.noticeId === noticeId)))
    throw new AlreadyExists('advance notice', noticeId);
  const intendedAct = requireOneOf(data.intendedAct, 'intendedAct', INTENDED_ACTS);
  const members = requireList(data.memberIds, 'memberIds', 1, (id, f) => requireCurrentMember(state, id, f));
  const memberIds = [...new Set(members.map((m) => m.memberId))];
  const sentOn = parsePastDate(data.sentOn, 'sentOn', ctx);
  const answerBy = parseLocalDate(data.answerBy, 'answerBy');
  if (answerBy <= sentOn)
    throw new InvalidInput('answerBy', 'the parties need time to answer: answerBy comes after sentOn (forvaltningsloven § 16 first paragraph)');
  // fvl § 16 (1): a party over 15 is notified in person, not only through the parents.
  const minorsLeftOut = decision.memberIds.filter((id) => ageOn(state.members[id].birthDate, sentOn) >= MINOR_PARTY_NOTICE_AGE && !memberIds.includes(id));
  if (minorsLeftOut.length > 0)
    throw new InvalidInput(
      'memberIds',
      `notify ${minorsLeftOut.join(', ')} too: a party over 15 is notified in person (forvaltningsloven § 16 first paragraph)`,
    );
  const channel = requireOneOf(data.channel, 'channel', NOTICE_CHANNELS);
  const language = optionalText(data.language ?? null, 'language', 35) ?? members[0].preferredLanguage ?? 'nb';
  return [
    {
      type: 'AdvanceNoticeSent',
      data: { noticeId, decisionId: decision.decisionId, intendedAct, memberIds, sentOn, answerBy, channel, language, ...stamp(ctx) },
    },
  ];
}

export function recordPartyStatement(command: RecordPartyStatement, state: FamilyState, ctx: DecisionContext): PartyStatementReceived[] {
  requirePart(state, ctx, 'record a party’s statement');
  const data = command.data;
  const { decision, notice } = findNotice(state, data.noticeId);
  requireActorOfUnit(ctx.actor, decision.unit, 'record statements on its advance notices');
  const memberId = requireText(data.memberId, 'memberId', 200);
  if (!notice.memberIds.includes(memberId)) throw new InvalidInput('memberId', `was not notified in advance notice ${notice.noticeId}`);
  const receivedOn = parsePastDate(data.receivedOn, 'receivedOn', ctx);
  if (receivedOn < notice.sentOn) throw new InvalidInput('receivedOn', 'a statement answers the notice, so it comes on or after sentOn');
  const summary = requireText(data.summary, 'summary', 10_000);
  return [
    { type: 'PartyStatementReceived', data: { noticeId: notice.noticeId, decisionId: decision.decisionId, memberId, receivedOn, summary, ...stamp(ctx) } },
  ];
}

/**
 * fvl § 16: the basis for revoking or changing a decision to the party's detriment: a notice of
 * this act whose time to answer has ended or that every notified party has answered (else 409:
 * wait), or a waiver on a § 16 third paragraph ground. Neither: 422.
 */
export function requireAdvanceNotice(
  decision: Decision,
  input: { advanceNoticeId?: unknown; advanceNoticeWaiver?: unknown },
  act: IntendedAct,
  ctx: DecisionContext,
): AdvanceNoticeBasis {
  const hasNotice = input.advanceNoticeId !== undefined && input.advanceNoticeId !== null;
  const hasWaiver = input.advanceNoticeWaiver !== undefined && input.advanceNoticeWaiver !== null;
  if (hasNotice && hasWaiver) throw new InvalidInput('advanceNoticeWaiver', 'give a notice or a waiver, not both');
  if (hasWaiver) {
    const waiver = input.advanceNoticeWaiver as Record<string, unknown>;
    if (typeof waiver !== 'object' || Array.isArray(waiver)) throw new InvalidInput('advanceNoticeWaiver', 'must be an object with ground and explanation');
    return {
      waiver: {
        ground: requireOneOf(waiver.ground, 'advanceNoticeWaiver.ground', ADVANCE_NOTICE_WAIVER_GROUNDS),
        explanation: requireText(waiver.explanation, 'advanceNoticeWaiver.explanation', 5_000),
      },
    };
  }
  const what = act === 'revoke' ? 'revoking it' : 'changing it to the party’s detriment';
  if (!hasNotice) throw new AdvanceNoticeRequired(decision.decisionId, `give the parties advance notice before ${what}, or record why notice is waived`);
  const noticeId = requireText(input.advanceNoticeId, 'advanceNoticeId', 200);
  const notice = (decision.advanceNotices ?? []).find((n) => n.noticeId === noticeId);
  if (!notice) throw new AdvanceNoticeNotFound(noticeId);
  if (notice.intendedAct !== act)
    throw new AdvanceNoticeRequired(decision.decisionId, `advance notice ${noticeId} announced ${notice.intendedAct}, not ${act}`);
  const waitingFor = notice.memberIds.filter((id) => !notice.statements.some((s) => s.memberId === id));
  if (today(ctx) <= notice.answerBy && waitingFor.length > 0) throw new AnswerPeriodNotEnded(noticeId, notice.answerBy, waitingFor);
  return { noticeId };
}

function findNotice(state: FamilyState, noticeId: unknown): { decision: Decision; notice: AdvanceNotice } {
  const id = requireText(noticeId, 'noticeId', 200);
  for (const decision of Object.values(state.decisions)) {
    const notice = (decision.advanceNotices ?? []).find((n) => n.noticeId === id);
    if (notice) return { decision, notice };
  }
  throw new AdvanceNoticeNotFound(id);
}
