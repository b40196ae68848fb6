import { PostgresEventStore } from '@familievedtak/event-store';
import { createTestDatabase } from '../support/test-database';
import { eventStoreContract } from './event-store.contract';

eventStoreContract(
  'PostgreSQL',
  async () => {
    const db = await createTestDatabase(24);
    const store = new PostgresEventStore({ pool: db.pool, pollIntervalMs: 20 });
    await store.migrate();
    return { store, close: () => db.drop() };
  },
  { multiStream: true },
);
