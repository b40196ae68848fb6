export * from './command-metadata';
export * from './deterministic-id';
export * from './stream-command-handler';
export * from './idempotency';
