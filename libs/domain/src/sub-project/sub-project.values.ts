import type { Unit } from '../shared/units';
import { PAYMENT_METHODS } from '../family/family.values';

/**
 * One of the (at least three) actors a sub-project brings together. A non-municipal actor is
 * identified by its 9-digit organisation number (compared exactly with the `org` claim of a
 * partner's token); `mayRecordPayments` (default false) lets its users record payments from the
 * budget. Events from before these fields lack them: no number (no partner can act as it), false.
 */
export type SubProjectActor = {
  name: string;
  municipal: boolean;
  unit: Unit | null;
  organisationNumber?: string | null;
  mayRecordPayments?: boolean;
};

/** What money went to: the payment methods to citizens, and 'staff', which is never allowed. */
export const SPEND_CATEGORIES = [...PAYMENT_METHODS, 'staff'] as const;
export type SpendCategory = (typeof SPEND_CATEGORIES)[number];

export const REVIEW_OUTCOMES = ['continue', 'terminate'] as const;
export type ReviewOutcome = (typeof REVIEW_OUTCOMES)[number];

/** 500,000 NOK per semester (brief, seed l.212). */
export const DEFAULT_SEMESTER_BUDGET_ORE = 500_000_00;
/** Two years of funding. */
export const DEFAULT_SEMESTER_COUNT = 4;
export const MIN_SUB_PROJECT_ACTORS = 3;

/**
 * What a sub-project spend carries so that the family's own payment can be recorded from it
 * alone (the spend's amount, category, date, payment id and family complete it). Without a
 * cross-stream transaction (EventStoreDB) the spend is appended first; should the process
 * stop before the family's payment is, a recovery pass completes it from this. Null on
 * spends recorded before it existed, and on spends that are not a family payment.
 */
export type PaymentToComplete = {
  recipientMemberId: string;
  answersNeedId: string | null;
  answersDecisionId: string | null;
  documentationRef: string;
  countsAsIncome: boolean | null;
};

/** The most payments one payment run may carry (one transaction, one request). */
export const MAX_PAYMENT_RUN_SIZE = 5000;
