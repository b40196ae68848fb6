export * from './database-url';
export * from './embedded-postgres.server';
export * from './free-port';
export * from './app-config';
export * from './nest/database.module';
