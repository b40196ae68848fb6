import { DEVELOPMENT_KEK } from '@familievedtak/database';
import type { Pool } from 'pg';
import type { EventStore } from '../event-store.port';
import { familyPersonalDataPolicy } from './family-personal-data.policy';
import type { Kek } from './field-cipher';
import { KeyStore } from './key-store';
import { PersonalDataEventStore } from './personal-data-event-store';

export type WithPersonalDataOptions = {
  /** Where keys.data_keys lives (the PostgreSQL database, whichever adapter holds the log). */
  pool: Pool;
  /** Default: the development KEK (never in production: the configuration refuses it there). */
  keks?: readonly Kek[];
  cacheSize?: number;
  revalidateAfterMs?: number;
  pollIntervalMs?: number;
};

/**
 * An adapter behind the family personal-data catalogue, as the Nest module provides EVENT_STORE:
 * for the CLI, benchmarks and tests that build a store by hand. Run the adapter's migrate (or
 * `keyStore.migrate()` for EventStoreDB) first: it creates keys.data_keys.
 */
export function withPersonalData(inner: EventStore, options: WithPersonalDataOptions): PersonalDataEventStore {
  const keyStore = new KeyStore({
    pool: options.pool,
    keks: options.keks ?? [DEVELOPMENT_KEK],
    cacheSize: options.cacheSize,
    revalidateAfterMs: options.revalidateAfterMs,
    categoryOf: familyPersonalDataPolicy.categoryOf,
  });
  return new PersonalDataEventStore(inner, { keyStore, policy: familyPersonalDataPolicy, pollIntervalMs: options.pollIntervalMs });
}
