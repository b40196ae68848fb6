import { SqlMigration } from '../sql-migrator';
import { eventsTable } from './001-events.migration';
import { appendFunction } from './002-append-function.migration';
import { appendOnly } from './003-append-only.migration';
import { appendToStreamsFunction } from './004-append-to-streams.migration';
import { dataKeysTable } from './005-data-keys.migration';

export const eventStoreMigrations: SqlMigration[] = [eventsTable, appendFunction, appendOnly, appendToStreamsFunction, dataKeysTable];
