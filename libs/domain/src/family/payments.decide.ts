import { decisionTypeEntry } from '../delegation/decision-type.catalogue';
import type { DecisionContext } from '../shared/decision-context';
import { ActionNotPermitted, InvalidInput, UnitMismatch } from '../shared/domain-error';
import { parseOre } from '../shared/money';
import { idOrNew, requireBoolean, requireId, requireOneOf, requireText, requireUnit } from '../shared/validation';
import type { RecordPayment, ReversePayment } from './family.commands';
import type { Actor } from '../shared/actor';
import { AlreadyExists, FundingMismatch, NeedNotOpen, PaymentAlreadyReversed, PaymentWasAbandoned, PilotPaymentNotIncome } from './family.errors';
import type { PaymentAbandoned, PaymentRecorded, PaymentReversed } from './family.events';
import { PartnerMayNotPay, SubProjectNotFound } from '../sub-project/sub-project.errors';
import {
  parsePastDate,
  requireCurrentMember,
  requireEnrolledPartner,
  requirePart,
  requireDecisionIn,
  requireNeed,
  requirePayment,
  requireRegistered,
  stamp,
  today,
} from './family.guards';
import type { Decision, FamilyState } from './family.state';
import { PAYMENT_METHODS, type Funding } from './family.values';

/**
 * Money paid to or for a member, in integer øre. A sub-project payment must also be
 * reserved on the sub-project's own stream (RecordSpend), which keeps its budget.
 */

export function recordPayment(command: RecordPayment, state: FamilyState, ctx: DecisionContext): PaymentRecorded[] {
  const partner = ctx.actor.role === 'partner';
  const actorUnit = partner ? null : requirePart(state, ctx, 'record a payment');
  requireRegistered(state);
  const data = command.data;
  if (partner) requirePayingPartner(state, ctx, data);
  const paymentId = idOrNew(data.paymentId, 'paymentId', ctx.newId);
  if (state.payments[paymentId]) throw new AlreadyExists('payment', paymentId);
  // Abandoned: its spend's money went back (or is going back); recording it now would pay without a spend.
  if (state.abandonedPayments?.[paymentId]) throw new PaymentWasAbandoned(paymentId);
  const recipient = requireCurrentMember(state, data.recipientMemberId, 'recipientMemberId');
  const amountOre = parseOre(data.amountOre, 'amountOre', { positive: true });
  const method = requireOneOf(data.method, 'method', PAYMENT_METHODS);
  const funding = parseFunding(data.funding);
  // A partner pays only from a sub-project budget; whether that sub-project lets its
  // organisation pay is decided on the sub-project's stream (RecordSpend).
  if (partner && funding.kind === 'unit') {
    throw new ActionNotPermitted('record a payment', 'partner', `a partner pays only from a sub-project budget, never from ${funding.unit}'s.`);
  }
  if (funding.kind === 'unit' && funding.unit !== actorUnit) throw new UnitMismatch(actorUnit ?? undefined, funding.unit, 'pay from its budget');
  if (funding.kind === 'sub-project' && actorUnit !== null) {
    // Only the sub-project's responsible unit pays from it (its stream says which; the application fills it in).
    const subProject = data.subProject;
    if (!subProject || subProject.subProjectId !== funding.subProjectId) throw new SubProjectNotFound();
    if (subProject.responsibleUnit !== actorUnit)
      throw new UnitMismatch(actorUnit, subProject.responsibleUnit, 'pay from this sub-project (its responsible unit)');
  }
  const answersNeedId = data.answersNeedId === undefined || data.answersNeedId === null ? null : requireNeed(state, data.answersNeedId, ctx).needId;
  if (answersNeedId !== null && state.needs[answersNeedId].status === 'withdrawn') throw new NeedNotOpen(answersNeedId, 'withdrawn');
  const decision =
    data.answersDecisionId === undefined || data.answersDecisionId === null
      ? null
      : requireDecisionIn(state, data.answersDecisionId, ['active', 'under-appeal'], 'paid under', ctx, 'answersDecisionId');
  if (decision) requireFundingFits(decision, funding);
  return [
    {
      type: 'PaymentRecorded',
      data: {
        paymentId,
        recipientMemberId: recipient.memberId,
        amountOre,
        method,
        funding,
        answersNeedId,
        answersDecisionId: decision?.decisionId ?? null,
        documentationRef: requireText(data.documentationRef, 'documentationRef', 200),
        paidOn: parsePastDate(data.paidOn, 'paidOn', ctx),
        countsAsIncome: countsAsIncome(data.countsAsIncome, funding, decision),
        ...stamp(ctx),
      },
    },
  ];
}

/** Never deletes: the reversal is a new event, and only the paying unit may record it (never a partner). */
export function reversePayment(command: ReversePayment, state: FamilyState, ctx: DecisionContext): PaymentReversed[] {
  const actorUnit = requirePart(state, ctx, 'reverse a payment');
  const payment = requirePayment(state, command.data.paymentId, ctx);
  if (payment.reversed) throw new PaymentAlreadyReversed(payment.paymentId);
  if (payment.funding.kind === 'unit' && payment.funding.unit !== actorUnit) {
    throw new UnitMismatch(actorUnit, payment.funding.unit, 'reverse its payments');
  }
  return [
    {
      type: 'PaymentReversed',
      data: {
        paymentId: payment.paymentId,
        amountOre: payment.amountOre,
        reversedOn: today(ctx),
        reason: requireText(command.data.reason, 'reason', 1000),
        ...stamp(ctx),
      },
    },
  ];
}

/** A sub-project payment the money path gives up: what its spend says, and why (a code). */
export type PaymentToAbandon = Omit<PaymentAbandoned['data'], 'at' | 'by'>;

/**
 * The family's once-per-payment answer that a spend's payment will not be made (process manager,
 * apps/api/src/money): appended before the spend's money goes back, so no late completer can
 * record the payment after that. No permission check: it records what the money path could not
 * do on the actor's behalf, and must not be blocked by the refusal it records. Nothing when the
 * family holds the payment or its abandonment already: the first of the two decides.
 */
export function abandonPayment(payment: PaymentToAbandon, state: FamilyState, ctx: { now: Date; actor: Actor }): PaymentAbandoned[] {
  requireRegistered(state);
  if (state.payments[payment.paymentId] || state.abandonedPayments?.[payment.paymentId]) return [];
  const { paymentId, subProjectId, recipientMemberId, amountOre, reason, refusal } = payment;
  return [{ type: 'PaymentAbandoned', data: { paymentId, subProjectId, recipientMemberId, amountOre, reason, refusal, ...stamp(ctx) } }];
}

/**
 * The NAV letter: pilot money never counts as income when social assistance is assessed,
 * whether it comes from a sub-project budget or a unit pays under a pilot-support decision.
 * Other unit money counts unless the caller says otherwise or the decision type says not.
 */
function countsAsIncome(value: unknown, funding: Funding, decision: Decision | null): boolean {
  const stated = value === undefined || value === null ? null : requireBoolean(value, 'countsAsIncome');
  if (funding.kind === 'sub-project' || decision?.decisionType === 'pilot-support') {
    if (stated === true) throw new PilotPaymentNotIncome();
    return false;
  }
  return stated ?? (decision ? decisionTypeEntry(decision.decisionType).paymentsCountAsIncome : true);
}

/**
 * A partner pays only from a sub-project, to a member enrolled in that sub-project through an
 * enrolment naming its organisation with leave to pay (the sub-project's own stream checks the budget).
 */
function requirePayingPartner(state: FamilyState, ctx: DecisionContext, data: RecordPayment['data']): void {
  const funding = data.funding as Partial<Funding> | null | undefined;
  if (funding?.kind !== 'sub-project') {
    throw new ActionNotPermitted('record a payment', 'partner', "a partner pays only from a sub-project budget, never from a unit's.");
  }
  const enrolments = requireEnrolledPartner(state, ctx.actor, 'record a payment', String(data.recipientMemberId));
  const mayPay = enrolments.some(
    (e) => e.subProjectId === funding.subProjectId && e.partners.some((p) => p.organisationNumber === ctx.actor.partnerOrganisation && p.mayRecordPayments),
  );
  if (!mayPay) throw new PartnerMayNotPay(String(funding.subProjectId), ctx.actor.partnerOrganisation ?? null);
}

function parseFunding(value: unknown): Funding {
  const input = value as Partial<Record<string, unknown>> | null | undefined;
  if (input?.kind === 'unit') return { kind: 'unit', unit: requireUnit(input.unit) };
  if (input?.kind === 'sub-project') return { kind: 'sub-project', subProjectId: requireId(input.subProjectId, 'funding.subProjectId') };
  throw new InvalidInput('funding', "must be { kind: 'unit', unit } or { kind: 'sub-project', subProjectId }");
}

/** Under a decision, money comes from the deciding unit or from the decision's own sub-project. */
function requireFundingFits(decision: Decision, funding: Funding): void {
  if (funding.kind === 'unit' && funding.unit !== decision.unit) {
    throw new FundingMismatch(decision.decisionId, `cannot come from ${funding.unit}'s budget: ${decision.unit} made the decision.`);
  }
  if (funding.kind === 'sub-project' && decision.subProject && decision.subProject.subProjectId !== funding.subProjectId) {
    throw new FundingMismatch(decision.decisionId, `comes from sub-project ${decision.subProject.subProjectId}, not ${funding.subProjectId}.`);
  }
}
