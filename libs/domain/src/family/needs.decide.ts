import type { DecisionContext } from '../shared/decision-context';
import { ActionNotPermitted, InvalidInput } from '../shared/domain-error';
import { idOrNew, optionalText, requireId, requireText } from '../shared/validation';
import type { ExpressNeed, PickUpNeed, ResolveNeed, WithdrawNeed } from './family.commands';
import { AlreadyExists, NeedAlreadyPickedUp, NeedNotOpen, NeedResolutionRequired, PaymentAlreadyReversed } from './family.errors';
import type { NeedExpressed, NeedPickedUp, NeedResolved, NeedWithdrawn } from './family.events';
import {
  parsePastDate,
  requireCurrentMember,
  requireEnrolledPartner,
  requirePart,
  requireDecisionIn,
  requireNeed,
  requirePayment,
  stamp,
  today,
} from './family.guards';
import type { FamilyState, Need } from './family.state';
import type { NeedRecorder } from './family.values';

/**
 * Needs in the person's own words ("what do you need for a better life?"). Partners
 * (volunteers, schools, police) may write them down too: many needs belong to no unit.
 */

export const MAX_NEED_WORDS = 2000;

export function expressNeed(command: ExpressNeed, state: FamilyState, ctx: DecisionContext): NeedExpressed[] {
  const memberInput = command.data.memberId === undefined || command.data.memberId === null ? null : command.data.memberId;
  const recordedBy = needRecorder(state, ctx, 'record a need', memberInput);
  const needId = idOrNew(command.data.needId, 'needId', ctx.newId);
  if (state.needs[needId]) throw new AlreadyExists('need', needId);
  const memberId = memberInput === null ? null : requireCurrentMember(state, memberInput).memberId;
  return [
    {
      type: 'NeedExpressed',
      data: {
        needId,
        memberId,
        words: requireText(command.data.words, 'words', MAX_NEED_WORDS),
        expressedOn: command.data.expressedOn === undefined ? today(ctx) : parsePastDate(command.data.expressedOn, 'expressedOn', ctx),
        recordedBy,
        ...stamp(ctx),
      },
    },
  ];
}

/** A unit takes responsibility for answering; several units may, and the view shows it. */
export function pickUpNeed(command: PickUpNeed, state: FamilyState, ctx: DecisionContext): NeedPickedUp[] {
  const unit = requirePart(state, ctx, 'pick up a need');
  const need = requireOpenNeed(state, command.data.needId, ctx);
  if (need.pickedUpBy.some((p) => p.unit === unit)) throw new NeedAlreadyPickedUp(need.needId, unit);
  return [{ type: 'NeedPickedUp', data: { needId: need.needId, unit, ...stamp(ctx) } }];
}

export function resolveNeed(command: ResolveNeed, state: FamilyState, ctx: DecisionContext): NeedResolved[] {
  requirePart(state, ctx, 'resolve a need');
  const need = requireOpenNeed(state, command.data.needId, ctx);
  const decisionIds = optionalIdList(command.data.decisionIds, 'decisionIds').map(
    (id, i) => requireDecisionIn(state, id, ['active', 'under-appeal', 'expired', 'revoked'], 'linked to a need', ctx, `decisionIds[${i}]`).decisionId,
  );
  const paymentIds = optionalIdList(command.data.paymentIds, 'paymentIds').map((id, i) => {
    const payment = requirePayment(state, id, ctx, `paymentIds[${i}]`);
    if (payment.reversed) throw new PaymentAlreadyReversed(payment.paymentId);
    return payment.paymentId;
  });
  const resolution = optionalText(command.data.resolution, 'resolution', MAX_NEED_WORDS);
  if (decisionIds.length === 0 && paymentIds.length === 0 && resolution === null) throw new NeedResolutionRequired(need.needId);
  return [{ type: 'NeedResolved', data: { needId: need.needId, decisionIds, paymentIds, resolution, ...stamp(ctx) } }];
}

/** Withdrawing is a unit's act (with a part); partners only record needs (and the payments their enrolment allows). */
export function withdrawNeed(command: WithdrawNeed, state: FamilyState, ctx: DecisionContext): NeedWithdrawn[] {
  requirePart(state, ctx, 'withdraw a need');
  const need = requireOpenNeed(state, command.data.needId, ctx);
  return [{ type: 'NeedWithdrawn', data: { needId: need.needId, reason: optionalText(command.data.reason, 'reason', 1000), ...stamp(ctx) } }];
}

function requireOpenNeed(state: FamilyState, needId: unknown, ctx: DecisionContext): Need {
  const need = requireNeed(state, needId, ctx);
  if (need.status !== 'open') throw new NeedNotOpen(need.needId, need.status);
  return need;
}

/**
 * Municipal staff record for their unit (which needs a part); partners for their organisation,
 * only about members enrolled in a sub-project that names it.
 */
function needRecorder(state: FamilyState, ctx: DecisionContext, action: string, memberId: unknown): NeedRecorder {
  const actor = ctx.actor;
  if (actor.role === 'partner') {
    if (!actor.partnerOrganisation) throw new ActionNotPermitted(action, actor.role, 'your user is not linked to a partner organisation.');
    const enrolments = requireEnrolledPartner(state, actor, action, memberId === null ? null : String(memberId));
    const named = enrolments.flatMap((e) => e.partners).find((p) => p.organisationNumber === actor.partnerOrganisation);
    return { kind: 'partner', organisation: named?.name ?? actor.partnerOrganisation, organisationNumber: actor.partnerOrganisation, userId: actor.userId };
  }
  return { kind: 'unit', unit: requirePart(state, ctx, action), userId: actor.userId };
}

function optionalIdList(value: unknown, field: string): string[] {
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value)) throw new InvalidInput(field, 'must be a list of ids');
  const ids = value.map((id, i) => requireId(id, `${field}[${i}]`));
  if (new Set(ids).size !== ids.length) throw new InvalidInput(field, 'names the same id twice');
  return ids;
}
