import { SqlMigration } from '../sql-migrator';
import { eventsTable } from './001-events.migration';
import { appendFunction } from './002-append-function.migration';

export const eventStoreMigrations: SqlMigration[] = [eventsTable, appendFunction];
