import { createHash } from 'node:crypto';
import { deterministicUuid } from '@familievedtak/application';
import { canonicalJson, type JsonValue } from '@familievedtak/event-store';

/**
 * Event ids of the money path, derived from the payment id: the same payment can only ever
 * leave one spend, one family payment and one reversal of each, whoever appends them (the
 * request, its retry, another instance, or the recovery pass). The store recognises a
 * repeated id and appends nothing, so completing twice is harmless.
 */
export const moneyEventId = {
  spend: (budgetStream: string, paymentId: string) => deterministicUuid(budgetStream, 'spend', paymentId),
  spendReversed: (budgetStream: string, paymentId: string) => deterministicUuid(budgetStream, 'spend-reversed', paymentId),
  payment: (familyStream: string, paymentId: string) => deterministicUuid(familyStream, 'payment', paymentId),
  paymentReversed: (familyStream: string, paymentId: string) => deterministicUuid(familyStream, 'payment-reversed', paymentId),
  run: (budgetStream: string, runId: string, index: number) => deterministicUuid(budgetStream, 'payment-run', runId, String(index)),
};

/** A run's payment ids: one per position in the run, so a resent run names the same payments. */
export const runPaymentId = (subProjectId: string, runId: string, index: number) => deterministicUuid('payment-run', subProjectId, runId, String(index));

/** sha256 over the canonical JSON of a request body: the same body always gives the same value. */
export const bodyFingerprint = (body: unknown) =>
  `sha256:${createHash('sha256')
    .update(canonicalJson(body as JsonValue))
    .digest('hex')}`;
