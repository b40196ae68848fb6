import type { ReadableFamilyState, ReadablePayment } from '@familievedtak/domain';
import type { FundingTotal, IncomeBasis, PaymentsView, PaymentView } from './family-decision-view.types';
import { compareText, fundingSource, sortPayments, totalsByMonth } from './family-view.facts';

type FamilyState = ReadableFamilyState;
type Payment = ReadablePayment;

/** Payments not reversed that count as income for social assistance (the domain's incomeBasisPayments). */
function incomeBasisPayments(state: FamilyState): Payment[] {
  return Object.values(state.payments).filter((p) => !p.reversed && p.countsAsIncome);
}

/** Payments with totals per budget and per month of paidOn; reversed payments count in no total. */
export function paymentsView(state: FamilyState): PaymentsView {
  const all = sortPayments(Object.values(state.payments));
  const counted = all.filter((p) => !p.reversed);
  const bySource = new Map<string, FundingTotal>();
  for (const p of counted) {
    const key = fundingSource(p.funding);
    const total = bySource.get(key) ?? { fundingSource: key, funding: p.funding, totalOre: 0, count: 0 };
    bySource.set(key, { ...total, totalOre: total.totalOre + p.amountOre, count: total.count + 1 });
  }
  return {
    items: all.map(paymentView),
    totals: {
      totalOre: sum(counted),
      reversedOre: sum(all.filter((p) => p.reversed)),
      byFundingSource: [...bySource.values()].sort((a, b) => compareText(a.fundingSource, b.fundingSource)),
      byMonth: totalsByMonth(
        counted,
        (p) => p.paidOn,
        (p) => p.amountOre,
      ),
    },
  };
}

/**
 * The income basis for social assistance, from the domain's rule (not reversed, counts as
 * income). Pilot money is left out again here, whatever the flag says: the NAV letter
 * forbids counting it, and a payment under a pilot-support decision from a unit's own
 * budget could otherwise be flagged as income.
 */
export function incomeBasis(state: FamilyState): IncomeBasis {
  const pilotDecision = (p: Payment) => p.answersDecisionId !== null && state.decisions[p.answersDecisionId]?.decisionType === 'pilot-support';
  const payments = sortPayments(incomeBasisPayments(state).filter((p) => p.funding.kind !== 'sub-project' && !pilotDecision(p)));
  return {
    totalOre: sum(payments),
    byMonth: totalsByMonth(
      payments,
      (p) => p.paidOn,
      (p) => p.amountOre,
    ),
    paymentIds: payments.map((p) => p.paymentId),
  };
}

function paymentView(p: Payment): PaymentView {
  return {
    paymentId: p.paymentId,
    recipientMemberId: p.recipientMemberId,
    amountOre: p.amountOre,
    method: p.method,
    funding: p.funding,
    fundingSource: fundingSource(p.funding),
    answersNeedId: p.answersNeedId,
    answersDecisionId: p.answersDecisionId,
    documentationRef: p.documentationRef,
    paidOn: p.paidOn,
    countsAsIncome: p.countsAsIncome,
    reversed: p.reversed,
    reversedOn: p.reversedOn,
    ...(p.withheld ? { withheld: p.withheld } : {}),
  };
}

function sum(payments: Payment[]): number {
  return payments.reduce((total, p) => total + p.amountOre, 0);
}
