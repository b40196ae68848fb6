import { Pool } from 'pg';
import type { DataSource } from 'typeorm';
import { PostgresEventStore } from '@familievedtak/event-store';
import { createReadModelDataSource, FamilyViewProjection, projectionLockKey, readCheckpoint, runReadModelMigrations } from '@familievedtak/projections';
import { rebuildAndCompare, type RebuildComparison } from '@familievedtak/audit';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** The test's own view of the database the API processes share: the log, checkpoints, locks. */
export interface FaultDb {
  pool: Pool;
  store: PostgresEventStore;
  dataSource: DataSource;
  sql<T = Record<string, unknown>>(text: string, params?: unknown[]): Promise<T[]>;
  checkpoint(name?: string): Promise<bigint>;
  head(): Promise<bigint>;
  /** Waits until the family view has applied every family event (checkpoint at the head, or nothing after it). */
  waitForCatchUp(timeoutMs?: number): Promise<void>;
  /** Backend pids holding the projection's advisory lock right now. */
  lockHolders(projection: string): Promise<number[]>;
  compare(): Promise<RebuildComparison>;
  close(): Promise<void>;
}

export async function openFaultDb(url: string, options: { migrate?: boolean } = {}): Promise<FaultDb> {
  const pool = new Pool({ connectionString: url, max: 5 });
  pool.on('error', () => undefined); // the server restarts under us in one case
  const store = new PostgresEventStore({ pool, pollIntervalMs: 20 });
  if (options.migrate) await store.migrate();
  const dataSource = createReadModelDataSource(url);
  await dataSource.initialize();
  if (options.migrate) await runReadModelMigrations(dataSource);
  const familyView = new FamilyViewProjection();
  const db: FaultDb = {
    pool,
    store,
    dataSource,
    sql: async (text, params = []) => (await pool.query(text, params)).rows,
    checkpoint: (name = familyView.name) => readCheckpoint(dataSource, name),
    head: () => store.headPosition(),
    waitForCatchUp: async (timeoutMs = 60000) => {
      const deadline = Date.now() + timeoutMs;
      while (Date.now() < deadline) {
        const checkpoint = await db.checkpoint().catch(() => -1n);
        if (checkpoint >= 0n && (checkpoint >= (await db.head()) || (await store.countAfter(checkpoint, familyView.filter)) === 0)) return;
        await sleep(50);
      }
      throw new Error(`family view not caught up within ${timeoutMs} ms (checkpoint ${await db.checkpoint()}, head ${await db.head()})`);
    },
    lockHolders: async (projection) =>
      (
        await db.sql<{ pid: number }>(
          `SELECT pid FROM pg_locks
            WHERE locktype = 'advisory' AND granted AND objsubid = 1
              AND ((classid::bigint << 32) | objid::bigint) = hashtextextended($1, 0)`,
          [projectionLockKey(projection)],
        )
      ).map((r) => r.pid),
    compare: () => rebuildAndCompare(dataSource, store, { maxDifferences: 5 }),
    close: async () => {
      await dataSource.destroy().catch(() => undefined);
      await store.close().catch(() => undefined);
      await pool.end().catch(() => undefined);
    },
  };
  return db;
}
