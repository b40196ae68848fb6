import { decisionTypeEntry, isDecisionType } from '../delegation/decision-type.catalogue';
import { UnknownDecisionType } from '../delegation/delegation.errors';
import type { DecisionContext } from '../shared/decision-context';
import { parsePeriod } from '../shared/local-date';
import { requireActorOfUnit, requireMunicipalActor } from '../shared/permissions';
import { idOrNew, optionalBoolean, requireId, requireList, requireText, requireUnit } from '../shared/validation';
import type { AmendDecision, ApproveDecision, ExpireDecision, ProposeDecision, RejectDecision, RevokeDecision } from './family.commands';
import { authoriseDecision } from './decision-competence';
import { amendedTerms, MAX_REASONS_LENGTH, parseAmounts, parseLegalBasis } from './decision-terms';
import { AlreadyExists, DecisionPeriodNotEnded, SelfApproval } from './family.errors';
import type {
  DecisionAmended,
  DecisionApproved,
  DecisionExpired,
  DecisionProposed,
  DecisionRejected,
  DecisionRevoked,
} from './family.events';
import { requireApprover, requireCurrentMember, requireDecisionIn, requirePart, stamp, today } from './family.guards';
import type { FamilyState } from './family.state';
import type { SubProjectRef } from './family.values';

/**
 * A unit's decision for one or more members. Four-eyes: a caseworker proposes, a second
 * person with the approver role in the same unit approves or rejects. Every step is
 * checked against the delegation rules in the context and records the rule it relied on.
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
  const memberIds = requireList(data.memberIds, 'memberIds', 1, requireId).map(
    (id, i) => requireCurrentMember(state, id, `memberIds[${i}]`).memberId,
  );
  const period = parsePeriod(data.periodFrom, data.periodUntil, { from: 'periodFrom', until: 'periodUntil' });
  const enkeltvedtak = optionalBoolean(data.enkeltvedtak, 'enkeltvedtak', catalogue.enkeltvedtak);
  const legalBasis = parseLegalBasis(data.legalBasis ?? undefined, catalogue.defaultLegalBasis, enkeltvedtak);
  const amounts = parseAmounts(data.amounts);
  const reasons = requireText(data.reasons, 'reasons', MAX_REASONS_LENGTH);
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
        enkeltvedtak,
        fourEyes,
        subProject,
        delegation,
        ...stamp(ctx),
      },
    },
  ];
}

/** Competence is checked again: members or the rule set may have changed since the proposal. */
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
  return [{ type: 'DecisionApproved', data: { decisionId: decision.decisionId, notifiedOn: today(ctx), delegation, ...stamp(ctx) } }];
}

export function rejectDecision(command: RejectDecision, state: FamilyState, ctx: DecisionContext): DecisionRejected[] {
  requirePart(state, ctx, 'reject a decision');
  const decision = requireDecisionIn(state, command.data.decisionId, ['proposed'], 'rejected', ctx);
  requireApprover(ctx.actor, decision.unit, 'reject a decision');
  const reason = requireText(command.data.reason, 'reason', MAX_REASONS_LENGTH);
  return [{ type: 'DecisionRejected', data: { decisionId: decision.decisionId, reason, delegation: decision.delegation, ...stamp(ctx) } }];
}

/** Changes an approved decision at once, so only an approver of the deciding unit may. */
export function amendDecision(command: AmendDecision, state: FamilyState, ctx: DecisionContext): DecisionAmended[] {
  requirePart(state, ctx, 'amend a decision');
  const { decisionId, reasons, ...change } = command.data;
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
  return [{ type: 'DecisionAmended', data: { decisionId: decision.decisionId, ...terms, appealId: null, delegation, ...stamp(ctx) } }];
}

export function revokeDecision(command: RevokeDecision, state: FamilyState, ctx: DecisionContext): DecisionRevoked[] {
  requirePart(state, ctx, 'revoke a decision');
  const decision = requireDecisionIn(state, command.data.decisionId, ['active'], 'revoked', ctx);
  requireApprover(ctx.actor, decision.unit, 'revoke a decision');
  const reason = requireText(command.data.reason, 'reason', MAX_REASONS_LENGTH);
  return [{ type: 'DecisionRevoked', data: { decisionId: decision.decisionId, reason, delegation: decision.delegation, ...stamp(ctx) } }];
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
