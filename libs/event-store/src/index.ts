export * from './event-store.port';
export * from './event-store.errors';
export * from './event-hash';
export * from './clock';
export * from './append-validation';
export * from './catch-up-subscription';
export * from './postgres/postgres-event-store.adapter';
export * from './postgres/sql-migrator';
export * from './personal-data';
export * from './nest/event-store.module';
// The EventStoreDB adapter is imported from './eventstoredb' directly, so that only a deployment
// that chooses it loads the gRPC client.
