import { EventStoreDbEventStore } from '../../libs/event-store/src/eventstoredb';
import { ESDB_SKIP_LINE } from '../setup/global-setup';
import { ESDB_RUN_HINT } from '../setup/eventstoredb-server';
import { eventStoreContract } from './event-store.contract';

/**
 * The same contract against EventStoreDB/KurrentDB. The global setup provides a server from
 * EVENTSTORE_CONNECTION_STRING or testcontainers; without either, the suite is skipped with
 * loud lines saying so and how to run it. (The adapter's filtering, paging and positions are
 * also covered without a server: libs/event-store/src/eventstoredb/eventstoredb-filter.spec.ts.)
 */
const url = process.env.FV_TEST_ESDB_URL;

if (url) {
  eventStoreContract('EventStoreDB', async () => {
    const store = EventStoreDbEventStore.fromConnectionString(url);
    return { store, close: () => store.close() };
  });
} else {
  process.stdout.write(`\n[test] ${ESDB_SKIP_LINE}\n[test] ${ESDB_RUN_HINT}\n`);
  describe.skip(`EventStore contract: EventStoreDB (${ESDB_SKIP_LINE})`, () => {
    it('runs the shared contract cases', () => undefined);
  });
}
