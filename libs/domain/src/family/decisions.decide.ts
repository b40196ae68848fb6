import { decisionTypeEntry, isDecisionType } from '../delegation/decision-type.catalogue';
import { UnknownDecisionType } from '../delegation/delegation.errors';
import type { DecisionContext } from '../shared/decision-context';
import { InvalidInput } from '../shared/domain-error';
import { parseLocalDate, parsePeriod, type LocalDate } from '../shared/local-date';
import { requireActorOfUnit } from '../shared/permissions';
import { idOrNew, requireId, requireList, requireOneOf, requireText, requireUnit } from '../shared/validation';
import { requireAdvanceNotice, type AdvanceNoticeBasis, type IntendedAct } from './decision-advance-notice';
import { EffectiveDateInvalid, EnkeltvedtakFollowsFromLaw, RevocationGroundRequired } from './decision-errors';
import { parseChildViews, parseOutcome, parseReasons } from './decision-reasons';
import { CHANGE_GROUNDS, isToDetriment, RETROACTIVE_GROUNDS, termsOf, type ChangeGround } from './decision-valid-time';
import type { AmendDecision, ApproveDecision, DecisionChangeInput, ExpireDecision, ProposeDecision, RejectDecision, RevokeDecision } from './family.commands';
import { authoriseDecision } from './decision-competence';
import { amendedTerms, MAX_REASONS_LENGTH, parseAmounts, parseLegalBasis } from './decision-terms';
import { AlreadyExists, DecisionPeriodNotEnded, SelfApproval } from './family.errors';
import type { DecisionAmended, DecisionApproved, DecisionExpired, DecisionProposed, DecisionRejected, DecisionRevoked } from './family.events';
import { requireApprover, requireCurrentMember, requireDecisionIn, requirePart, stamp, today } from './family.guards';
import type { Decision, FamilyState } from './family.state';
import type { SubProjectRef } from './family.values';

/**
 * A unit's decision for one or more members. Four-eyes: a caseworker proposes, a second
 * person with the approver role in the same unit approves or rejects. Every step is
 * checked against the delegation rules in the context and records the rule it relied on.
 *
 * As the law makes it (issue 13): whether it is an enkeltvedtak follows from the type (fvl § 2);
 * its reasons are structured (fvl §§ 24-25); a child it concerns is heard (barnekonvensjonen
 * art. 12, Grunnloven § 104, barnevernsloven § 1-4); approvals, amendments and revocations carry
 * the day they hold from (valid time); a change to the party's detriment needs a ground (fvl
 * § 35 (1)) and advance notice (fvl § 16).
 */

export function proposeDecision(command: ProposeDecision, state: FamilyState, ctx: DecisionContext): DecisionProposed[] {
  const data = command.data;
  const unit = requireUnit(data.unit);
  requireActorOfUnit(ctx.actor, unit, 'propose decisions on its behalf');
  requirePart(state, ctx, 'propose a decision');
  const decisionId = idOrNew(data.decisionId, 'decisionId', ctx.newId);
  if (state.decisions[decisionId]) throw new AlreadyExists('decision', decisionId);
  if (!isDecisionType(data.decisionType)) throw new UnknownDecisionType(data.decisionType);
  const catalogue = decisionTypeEntry(data.decisionType);
  const memberIds = requireList(data.memberIds, 'memberIds', 1, requireId).map((id, i) => requireCurrentMember(state, id, `memberIds[${i}]`).memberId);
  const period = parsePeriod(data.periodFrom, data.periodUntil, { from: 'periodFrom', until: 'periodUntil' });
  // fvl § 2: an enkeltvedtak is one by what it decides, so the caller has no say in it.
  if ((data as { enkeltvedtak?: unknown }).enkeltvedtak !== undefined) throw new EnkeltvedtakFollowsFromLaw();
  const enkeltvedtak = catalogue.enkeltvedtak;
  const legalBasis = parseLegalBasis(data.legalBasis ?? undefined, catalogue.defaultLegalBasis, enkeltvedtak);
  const amounts = parseAmounts(data.amounts);
  const outcome = parseOutcome(data.outcome);
  const reasons = parseReasons(data.reasons, enkeltvedtak, outcome);
  // The child's age on the day the decision is drafted; children only grow older before approval.
  const childViews = parseChildViews(
    data.childViews,
    memberIds.map((id) => state.members[id]),
    today(ctx),
  );
  const subProject = parseSubProject(data.subProject);
  const { delegation, fourEyes } = authoriseDecision(state, ctx, {
    unit,
    decisionType: data.decisionType,
    memberIds,
    date: period.from,
    subProject,
    amountOre: (amounts.monthlyAmountOre ?? 0) + (amounts.oneOffAmountOre ?? 0),
  });
  return [
    {
      type: 'DecisionProposed',
      data: {
        decisionId,
        unit,
        decisionType: data.decisionType,
        memberIds,
        legalBasis,
        periodFrom: period.from,
        periodUntil: period.until,
        amounts,
        reasons,
        outcome,
        childViews,
        enkeltvedtak,
        fourEyes,
        subProject,
        delegation,
        ...stamp(ctx),
      },
    },
  ];
}

/**
 * Competence is checked again: members or the rule set may have changed since the proposal.
 * Valid time: the decision holds from `effectiveFrom`, by default the period start, never
 * outside the period.
 */
export function approveDecision(command: ApproveDecision, state: FamilyState, ctx: DecisionContext): DecisionApproved[] {
  requirePart(state, ctx, 'approve a decision');
  const decision = requireDecisionIn(state, command.data.decisionId, ['proposed'], 'approved', ctx);
  requireApprover(ctx.actor, decision.unit, 'approve a decision');
  if (decision.fourEyes && decision.proposedBy.userId === ctx.actor.userId) throw new SelfApproval(decision.decisionId);
  decision.memberIds.forEach((id, i) => requireCurrentMember(state, id, `memberIds[${i}]`));
  const { delegation } = authoriseDecision(state, ctx, {
    unit: decision.unit,
    decisionType: decision.decisionType,
    memberIds: decision.memberIds,
    date: decision.periodFrom,
    subProject: decision.subProject,
  });
  const effectiveFrom = command.data.effectiveFrom === undefined ? decision.periodFrom : parseLocalDate(command.data.effectiveFrom, 'effectiveFrom');
  if (effectiveFrom < decision.periodFrom || effectiveFrom > decision.periodUntil) {
    throw new EffectiveDateInvalid(
      decision.decisionId,
      effectiveFrom,
      `a decision holds within its period ${decision.periodFrom} - ${decision.periodUntil}`,
      'forvaltningsloven § 2',
    );
  }
  return [
    {
      type: 'DecisionApproved',
      data: { decisionId: decision.decisionId, decidedOn: today(ctx), effectiveFrom, delegation, ...stamp(ctx) },
    },
  ];
}

export function rejectDecision(command: RejectDecision, state: FamilyState, ctx: DecisionContext): DecisionRejected[] {
  requirePart(state, ctx, 'reject a decision');
  const decision = requireDecisionIn(state, command.data.decisionId, ['proposed'], 'rejected', ctx);
  requireApprover(ctx.actor, decision.unit, 'reject a decision');
  const reason = requireText(command.data.reason, 'reason', MAX_REASONS_LENGTH);
  return [{ type: 'DecisionRejected', data: { decisionId: decision.decisionId, reason, delegation: decision.delegation, ...stamp(ctx) } }];
}

/**
 * Changes an approved decision (omgjøring, fvl § 35), so only an approver of the deciding unit
 * may. It holds from `effectiveFrom` (default: today); to the party's detriment it needs a § 35
 * (1) ground and § 16 advance notice.
 */
export function amendDecision(command: AmendDecision, state: FamilyState, ctx: DecisionContext): DecisionAmended[] {
  requirePart(state, ctx, 'amend a decision');
  const { decisionId, reasons, effectiveFrom: effectiveInput, ground: groundInput, advanceNoticeId, advanceNoticeWaiver, ...change } = command.data;
  const decision = requireDecisionIn(state, decisionId, ['active'], 'amended', ctx);
  requireApprover(ctx.actor, decision.unit, 'amend a decision');
  const terms = amendedTerms(decision, change, requireText(reasons, 'reasons', MAX_REASONS_LENGTH), false);
  const { delegation } = authoriseDecision(state, ctx, {
    unit: decision.unit,
    decisionType: decision.decisionType,
    memberIds: decision.memberIds,
    date: terms.periodFrom,
    subProject: decision.subProject,
  });
  const detriment = decision.outcome !== 'refused' && isToDetriment(termsOf(decision), termsOf(terms));
  const latest = terms.periodUntil > decision.periodUntil ? terms.periodUntil : decision.periodUntil;
  const input = { effectiveFrom: effectiveInput, ground: groundInput, advanceNoticeId, advanceNoticeWaiver };
  const facts = changeFacts(decision, input, detriment, 'amend-to-detriment', latest, ctx);
  return [{ type: 'DecisionAmended', data: { decisionId: decision.decisionId, ...terms, appealId: null, delegation, ...facts, ...stamp(ctx) } }];
}

/** Revocation is to the party's detriment unless the decision refused them anything (fvl § 35 (1) a). */
export function revokeDecision(command: RevokeDecision, state: FamilyState, ctx: DecisionContext): DecisionRevoked[] {
  requirePart(state, ctx, 'revoke a decision');
  const decision = requireDecisionIn(state, command.data.decisionId, ['active'], 'revoked', ctx);
  requireApprover(ctx.actor, decision.unit, 'revoke a decision');
  const reason = requireText(command.data.reason, 'reason', MAX_REASONS_LENGTH);
  const facts = changeFacts(decision, command.data, decision.outcome !== 'refused', 'revoke', decision.periodUntil, ctx);
  return [{ type: 'DecisionRevoked', data: { decisionId: decision.decisionId, reason, delegation: decision.delegation, ...facts, ...stamp(ctx) } }];
}

/**
 * The valid-time and legal facts of a change to one's own decision:
 * - effectiveFrom (default today) not before the decision itself held (fvl § 35: a change of
 *   that decision), within the period it changes;
 * - to the detriment of a party: a § 35 (1) ground other than "not to detriment", § 16 advance
 *   notice (or a waiver), and no effect before the day it is decided (the party cannot be bound
 *   before being told) unless § 35 (1) b or c applies (not yet notified, or invalid).
 */
function changeFacts(
  decision: Decision,
  input: DecisionChangeInput,
  detriment: boolean,
  act: IntendedAct,
  latest: LocalDate,
  ctx: DecisionContext,
): { effectiveFrom: LocalDate; ground: ChangeGround; advanceNotice: AdvanceNoticeBasis | null } {
  const decidedOn = today(ctx);
  const effectiveFrom = input.effectiveFrom === undefined ? decidedOn : parseLocalDate(input.effectiveFrom, 'effectiveFrom');
  const heldFrom = decision.effectiveFrom ?? decision.periodFrom;
  if (effectiveFrom < heldFrom) {
    throw new EffectiveDateInvalid(
      decision.decisionId,
      effectiveFrom,
      `the decision itself holds from ${heldFrom}; a change cannot take effect before it`,
      'forvaltningsloven § 35',
    );
  }
  if (effectiveFrom > latest) {
    throw new EffectiveDateInvalid(
      decision.decisionId,
      effectiveFrom,
      `the decision's period ends ${latest}; there is nothing to change after it`,
      'forvaltningsloven § 35',
    );
  }
  if (detriment && input.ground === undefined) {
    throw new RevocationGroundRequired(
      decision.decisionId,
      'a change to the party’s detriment needs a ground: not-yet-notified, invalid, reservation-in-decision or general-doctrine',
    );
  }
  const ground = input.ground === undefined ? 'not-to-detriment' : requireOneOf(input.ground, 'ground', CHANGE_GROUNDS);
  if (detriment && ground === 'not-to-detriment') {
    throw new RevocationGroundRequired(decision.decisionId, 'this change is to the party’s detriment, so "not-to-detriment" is not a ground for it');
  }
  if (!detriment) {
    if (input.advanceNoticeId !== undefined || input.advanceNoticeWaiver !== undefined) {
      throw new InvalidInput('advanceNoticeId', 'advance notice is for a change to the party’s detriment (forvaltningsloven § 16); this one is not');
    }
    return { effectiveFrom, ground, advanceNotice: null };
  }
  if (effectiveFrom < decidedOn && !RETROACTIVE_GROUNDS.includes(ground)) {
    throw new EffectiveDateInvalid(
      decision.decisionId,
      effectiveFrom,
      `a change to the party’s detriment cannot take effect before it is decided (${decidedOn}) unless the decision was not yet notified or is invalid`,
      'forvaltningsloven § 35 (1) b, c',
    );
  }
  const advanceNotice = requireAdvanceNotice(decision, input, act, ctx);
  return { effectiveFrom, ground, advanceNotice };
}

/** Expiry is a fact of the calendar: any municipal user (or a scheduled job) records it once the period is over. */
export function expireDecision(command: ExpireDecision, state: FamilyState, ctx: DecisionContext): DecisionExpired[] {
  requirePart(state, ctx, 'record that a decision expired');
  const decision = requireDecisionIn(state, command.data.decisionId, ['active'], 'expired', ctx);
  if (today(ctx) <= decision.periodUntil) throw new DecisionPeriodNotEnded(decision.decisionId, decision.periodUntil);
  return [
    {
      type: 'DecisionExpired',
      data: { decisionId: decision.decisionId, periodUntil: decision.periodUntil, delegation: decision.delegation, ...stamp(ctx) },
    },
  ];
}

function parseSubProject(value: unknown): SubProjectRef | null {
  if (value === undefined || value === null) return null;
  const input = value as Partial<SubProjectRef>;
  return { subProjectId: requireId(input.subProjectId, 'subProject.subProjectId'), responsibleUnit: requireUnit(input.responsibleUnit) };
}
