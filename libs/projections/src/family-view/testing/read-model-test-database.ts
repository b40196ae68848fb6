import { PostgresEventStore } from '@familievedtak/event-store';
import type { DataSource } from 'typeorm';
import { createTestDatabase, type TestDatabase } from '../../../../../test/support/test-database';
import { createReadModelDataSource } from '../../read-model-data-source';
import { runReadModelMigrations } from '../../read-model-migrations';

/** A test database with the event store and the read models migrated: what every family-view spec starts from. */
export type ReadModelTestDatabase = { db: TestDatabase; store: PostgresEventStore; dataSource: DataSource; close(): Promise<void> };

export async function openReadModelTestDatabase(): Promise<ReadModelTestDatabase> {
  const db = await createTestDatabase();
  const store = new PostgresEventStore({ pool: db.pool, pollIntervalMs: 10 });
  await store.migrate();
  const dataSource = createReadModelDataSource(db.url);
  await dataSource.initialize();
  await runReadModelMigrations(dataSource);
  return {
    db,
    store,
    dataSource,
    async close() {
      await dataSource.destroy();
      await db.drop();
    },
  };
}
