export * from './database-url';
export * from './embedded-postgres.server';
export * from './free-port';
export * from './reachable-binaries';
export * from './app-config';
export * from './nest/database.module';
