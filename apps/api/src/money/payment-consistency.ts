import type { EventStore } from '@familievedtak/event-store';

/**
 * How a payment from a sub-project reaches both streams:
 * - 'atomic': the spend and the family payment in one appendToStreams (PostgreSQL), both
 *   expected revisions checked; either both are stored or neither.
 * - 'process-manager': without a cross-stream transaction (EventStoreDB) the spend goes first,
 *   carrying everything the family payment needs, then the family payment; a failure gives
 *   the money back (ReverseSpend), and a recovery pass completes what a crash left half done.
 * PAYMENT_CONSISTENCY=process-manager picks the second on PostgreSQL too (so its tests run
 * on a real database); the default is atomic wherever the store offers it.
 */
export type PaymentConsistency = 'atomic' | 'process-manager';

export function paymentConsistency(store: EventStore, env: NodeJS.ProcessEnv = process.env): PaymentConsistency {
  const chosen = env.PAYMENT_CONSISTENCY?.trim();
  if (chosen && chosen !== 'atomic' && chosen !== 'process-manager') {
    throw new Error(`PAYMENT_CONSISTENCY must be "atomic" or "process-manager", not "${chosen}"`);
  }
  if (chosen === 'atomic' && !store.appendToStreams) throw new Error(`PAYMENT_CONSISTENCY=atomic needs a store with appendToStreams; ${store.kind} has none`);
  if (chosen === 'process-manager') return 'process-manager';
  return store.appendToStreams ? 'atomic' : 'process-manager';
}

/**
 * Fault injection for the kill -9 test: the process kills itself right after a spend is
 * appended and before the family payment is. Honoured only outside production.
 */
export function faultKillAfterSpend(env: NodeJS.ProcessEnv = process.env): boolean {
  return env.NODE_ENV !== 'production' && env.FAULT_KILL_AFTER_SPEND === '1';
}
