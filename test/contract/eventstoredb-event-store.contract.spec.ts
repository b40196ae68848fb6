import { EventStoreDbEventStore } from '../../libs/event-store/src/eventstoredb';
import { ESDB_SKIP_LINE } from '../setup/global-setup';
import { eventStoreContract } from './event-store.contract';

/**
 * The same contract against EventStoreDB/KurrentDB. The global setup provides a server from
 * EVENTSTORE_CONNECTION_STRING or testcontainers; without either, the suite is skipped with
 * one loud line saying how to run it.
 */
const url = process.env.FV_TEST_ESDB_URL;

if (url) {
  eventStoreContract('EventStoreDB', async () => {
    const store = EventStoreDbEventStore.fromConnectionString(url);
    return { store, close: () => store.close() };
  });
} else {
  process.stdout.write(`\n[test] ${ESDB_SKIP_LINE}\n`);
  describe.skip(`EventStore contract: EventStoreDB (${ESDB_SKIP_LINE})`, () => {
    it('runs the shared contract cases', () => undefined);
  });
}
