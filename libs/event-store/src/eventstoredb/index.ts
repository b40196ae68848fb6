export { EventStoreDbEventStore } from './eventstoredb-event-store.adapter';
export type { EventStoreDbEventStoreOptions } from './eventstoredb-event-store.adapter';
