export * from './database-url';
export * from './embedded-postgres.server';
export * from './free-port';
