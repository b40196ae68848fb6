import { Pool } from 'pg';
import type { DataSource } from 'typeorm';
import { type EventStore, PostgresEventStore, withPersonalData } from '@familievedtak/event-store';
import { createReadModelDataSource, FamilyViewProjection, projectionLockKey, readCheckpoint, runReadModelMigrations } from '@familievedtak/projections';
import { rebuildAndCompare, type RebuildComparison } from '@familievedtak/audit';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** The test's own view of the database the API processes share: the log, checkpoints, locks. */
export interface FaultDb {
  pool: Pool;
  store: EventStore;
  dataSource: DataSource;
  sql<T = Record<string, unknown>>(text: string, params?: unknown[]): Promise<T[]>;
  checkpoint(name?: string): Promise<bigint>;
  head(): Promise<bigint>;
  /** Waits until the family view has applied every family event (checkpoint at the head, or nothing after it). */
  waitForCatchUp(timeoutMs?: number): Promise<void>;
  /** Backend pids holding the projection's advisory lock right now. */
  lockHolders(projection: string): Promise<number[]>;
  compare(): Promise<RebuildComparison>;
  /**
   * Streams whose catalogue row (event count, revision, last position) differs from the log:
   * the catalogue counts events, so one applied twice or skipped shows here.
   */
  catalogueDifferences(): Promise<Array<{ stream_id: string; in_log: string | null; in_catalogue: string | null }>>;
  close(): Promise<void>;
}

export async function openFaultDb(url: string, options: { migrate?: boolean } = {}): Promise<FaultDb> {
  const pool = new Pool({ connectionString: url, max: 5 });
  pool.on('error', () => undefined); // the server restarts under us in one case
  const raw = new PostgresEventStore({ pool, pollIntervalMs: 20 });
  if (options.migrate) await raw.migrate();
  // The API writes family streams encrypted (the development KEK): read them as it does.
  const store = withPersonalData(raw, { pool, pollIntervalMs: 20 });
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
        const [checkpoint, catalogue, head] = await Promise.all([db.checkpoint(), db.checkpoint('stream-catalogue'), db.head()]).catch(() => [-1n, -1n, 0n]);
        const viewDone = checkpoint >= 0n && (checkpoint >= head || (await store.countAfter(checkpoint, familyView.filter)) === 0);
        if (viewDone && catalogue >= head) return;
        await sleep(50);
      }
      throw new Error(
        `projections not caught up within ${timeoutMs} ms (family view ${await db.checkpoint()}, stream catalogue ${await db.checkpoint('stream-catalogue')}, head ${await db.head()})`,
      );
    },
    lockHolders: async (projection) =>
      (
        await db.sql<{ pid: number }>(
          `SELECT pid FROM pg_locks
            WHERE locktype = 'advisory' AND granted AND objsubid = 1
              AND database = (SELECT oid FROM pg_database WHERE datname = current_database())
              AND ((classid::bigint << 32) | objid::bigint) = hashtextextended($1, 0)`,
          [projectionLockKey(projection)],
        )
      ).map((r) => r.pid),
    compare: () => rebuildAndCompare(dataSource, store, { maxDifferences: 5 }),
    catalogueDifferences: () =>
      db.sql(
        `WITH log AS (
           SELECT stream_id, count(*) AS n, max(revision) AS revision, max(global_position) AS last_position FROM event_store.events GROUP BY stream_id)
         SELECT coalesce(l.stream_id, c.stream_id) AS stream_id, l.n::text AS in_log, c.event_count::text AS in_catalogue
           FROM log l FULL JOIN read_models.stream_catalogue c ON c.stream_id = l.stream_id
          WHERE l.n IS DISTINCT FROM c.event_count OR l.revision IS DISTINCT FROM c.revision OR l.last_position IS DISTINCT FROM c.last_position
          ORDER BY 1 LIMIT 20`,
      ),
    close: async () => {
      await dataSource.destroy().catch(() => undefined);
      await store.close().catch(() => undefined);
      await pool.end().catch(() => undefined);
    },
  };
  return db;
}
