import { randomUUID } from 'node:crypto';
import { EventStore, PostgresEventStore, RecordedEvent } from '@familievedtak/event-store';
import { DataSource, EntityManager } from 'typeorm';
import { createTestDatabase, TestDatabase } from '../../../test/support/test-database';
import { Projection } from './projection';
import { rebuildProjection, resetProjection } from './projection-rebuild';
import { ProjectionRunner, projectionLockKey, readCheckpoint } from './projection-runner';
import { createReadModelDataSource } from './read-model-data-source';
import { runReadModelMigrations } from './read-model-migrations';
import { StreamCatalogueProjection } from './stream-catalogue/stream-catalogue.projection';

/**
 * Waits for a runner's state to satisfy `condition`, woken by each change of state or committed
 * batch (ProjectionRunner.nextChange), not by a timer; the limit only bounds a broken build.
 */
async function until(runner: ProjectionRunner, condition: () => boolean, what: string, timeoutMs = 15000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() >= deadline) throw new Error(`timed out waiting until ${what} (state ${runner.status().state})`);
    await runner.nextChange(deadline - Date.now());
  }
}

/** Counts the times a runner enters `state` (each refused take-over attempt enters standby again). */
function countEntries(runner: ProjectionRunner, state: string): () => number {
  const spy = jest.spyOn(runner as unknown as { setState(state: string): void }, 'setState');
  return () => spy.mock.calls.filter(([s]) => s === state).length;
}

/**
 * Sessions holding the projection's advisory lock in this test's database. pg_locks lists every
 * database's locks, and other specs (or a second jest run) hold the same key in theirs.
 */
async function lockHolders(dataSource: DataSource, name: string): Promise<number> {
  const [{ n }] = await dataSource.query(
    `SELECT count(*)::int AS n FROM pg_locks, hashtextextended($1, 0) AS h
      WHERE locktype = 'advisory' AND granted AND objsubid = 1
        AND database = (SELECT oid FROM pg_database WHERE datname = current_database())
        AND classid = ((h >> 32) & 4294967295)::text::oid AND objid = (h & 4294967295)::text::oid`,
    [projectionLockKey(name)],
  );
  return n;
}

async function appendMany(store: EventStore, streams: number, perStream: number, prefix = 'family-'): Promise<void> {
  for (let i = 0; i < perStream; i++) {
    await Promise.all(
      Array.from({ length: streams }, (_, s) =>
        store.appendToStream(`${prefix}${s}`, [{ id: randomUUID(), type: i % 2 ? 'NeedExpressed' : 'ConsentGiven', data: { i } }]),
      ),
    );
  }
}

/** The catalogue as it must be, computed straight from the log. */
async function expectedCatalogue(store: EventStore) {
  const all: RecordedEvent[] = [];
  for (let from = 0n; ;) {
    const page = await store.readAll({ fromPosition: from, maxCount: 1000 });
    if (!page.length) break;
    all.push(...page);
    from = page[page.length - 1].globalPosition;
  }
  const byStream = new Map<string, { stream_id: string; event_count: string; revision: string; last_event_type: string }>();
  for (const e of all) {
    const row = byStream.get(e.streamId);
    byStream.set(e.streamId, {
      stream_id: e.streamId,
      event_count: String(Number(row?.event_count ?? 0) + 1),
      revision: String(e.revision),
      last_event_type: e.type,
    });
  }
  return [...byStream.values()].sort((a, b) => a.stream_id.localeCompare(b.stream_id));
}

const actualCatalogue = (dataSource: DataSource) =>
  dataSource.query('SELECT stream_id, event_count::text, revision::text, last_event_type FROM read_models.stream_catalogue ORDER BY stream_id COLLATE "C"');

describe('ProjectionRunner (PostgreSQL)', () => {
  let db: TestDatabase;
  let store: PostgresEventStore;
  let dataSource: DataSource;
  const runners: ProjectionRunner[] = [];
  const runner = (projection: Projection, options = {}) => {
    const r = new ProjectionRunner(dataSource, store, projection, { standbyRetryMs: 50, checkpointCheckMs: 100, batchSize: 50, ...options });
    runners.push(r);
    return r;
  };

  beforeAll(async () => {
    db = await createTestDatabase();
    store = new PostgresEventStore({ pool: db.pool, pollIntervalMs: 10 });
    await store.migrate();
    dataSource = createReadModelDataSource(db.url);
    await dataSource.initialize();
    expect(await runReadModelMigrations(dataSource)).toContain('ProjectionsFoundation1764201600000');
    expect(await runReadModelMigrations(dataSource)).toEqual([]);
  });
  afterEach(async () => {
    await Promise.all(runners.splice(0).map((r) => r.stop()));
    await resetProjection(dataSource, new StreamCatalogueProjection());
  });
  afterAll(async () => {
    await dataSource.destroy();
    await db.drop();
  });

  it('applies the log into the read model and reports lag', async () => {
    const projection = new StreamCatalogueProjection();
    await appendMany(store, 5, 40);
    const r = runner(projection);
    expect(await r.lag()).toBe(200);
    r.start();
    await r.waitUntilCaughtUp();
    expect(await r.lag()).toBe(0);
    expect(await actualCatalogue(dataSource)).toEqual(await expectedCatalogue(store));
    await appendMany(store, 3, 10, 'budget-');
    await r.waitUntilCaughtUp();
    expect(await actualCatalogue(dataSource)).toEqual(await expectedCatalogue(store));
    expect(r.status().state).toBe('running');
  });

  it('a batch that fails half-way leaves no trace: the read model equals a clean replay', async () => {
    const catalogue = new StreamCatalogueProjection();
    let failures = 0;
    // Writes its rows, then dies before the checkpoint commit: the transaction must roll back both.
    const crashing: Projection = {
      name: catalogue.name,
      tables: catalogue.tables,
      apply: async (events: RecordedEvent[], manager: EntityManager) => {
        await catalogue.apply(events, manager);
        if (failures < 3 && events.some((e) => (e.data as { i?: number }).i === 7)) {
          failures++;
          throw new Error('simulated crash between read-model write and checkpoint');
        }
      },
    };
    await appendMany(store, 4, 20);
    const r = runner(crashing, { batchSize: 7 });
    r.start();
    await r.waitUntilCaughtUp(20000);
    expect(failures).toBe(3);
    expect(await actualCatalogue(dataSource)).toEqual(await expectedCatalogue(store));
  });

  it('runs each projection in exactly one process; a standby takes over when the active one stops', async () => {
    const first = runner(new StreamCatalogueProjection());
    const second = runner(new StreamCatalogueProjection());
    const secondRefused = countEntries(second, 'standby');
    first.start();
    // The first holds the lock before the second asks (was: sleep(100)).
    await until(first, () => first.status().state === 'running', 'the first runner holds the lock');
    second.start();
    await until(second, () => second.status().state !== 'starting', 'the second runner has asked for the lock');
    expect(second.status().state).toBe('standby');
    await appendMany(store, 4, 25);
    await first.waitUntilCaughtUp();
    // The standby asked again (it retries every 50 ms) and was refused again (was: sleep(150)).
    const refusedSoFar = secondRefused();
    await until(second, () => secondRefused() > refusedSoFar || second.status().state !== 'standby', 'the standby has asked again');
    expect([first.status().state, second.status().state]).toEqual(['running', 'standby']);
    expect(await lockHolders(dataSource, 'stream-catalogue')).toBe(1);

    await first.stop();
    await appendMany(store, 4, 25, 'handover-');
    await until(second, () => second.status().state === 'running', 'the standby takes over');
    await second.waitUntilCaughtUp();
    expect(second.status().state).toBe('running');
    expect(await lockHolders(dataSource, 'stream-catalogue')).toBe(1);
    expect(await actualCatalogue(dataSource)).toEqual(await expectedCatalogue(store));
  });

  it('a rebuild while running replays from zero into emptied tables', async () => {
    // Its own events, so that it proves the replay when run alone too (jest -t).
    await appendMany(store, 2, 4, 'before-rebuild-');
    const r = runner(new StreamCatalogueProjection());
    r.start();
    await r.waitUntilCaughtUp();
    const before = await actualCatalogue(dataSource);
    const appliedBefore = r.appliedEvents();
    await resetProjection(dataSource, new StreamCatalogueProjection());
    // Written after the reset, so the end state is not the start state.
    await appendMany(store, 2, 3, 'rebuilt-');
    await r.waitUntilCaughtUp();
    // Replayed from zero: every event in the log applied once more by the running instance (a
    // reset that left the checkpoint would apply only the six new ones), into emptied tables (on
    // top of the old rows, the catalogue's event counts would double).
    expect(r.appliedEvents() - appliedBefore).toBe(await store.countAfter(0n));
    const after = await actualCatalogue(dataSource);
    expect(after).toEqual(await expectedCatalogue(store));
    expect(after).not.toEqual(before);
  });

  it('while behind, batches double up to maxBatchSize; a batchSize given alone stays fixed', async () => {
    const catalogue = new StreamCatalogueProjection();
    const recording = (sizes: number[]): Projection => ({
      name: catalogue.name,
      tables: catalogue.tables,
      apply: async (events: RecordedEvent[], manager: EntityManager) => {
        sizes.push(events.length);
        await catalogue.apply(events, manager);
      },
    });
    const total = await store.countAfter(0n);
    expect(total).toBeGreaterThan(150);

    const growing: number[] = [];
    await resetProjection(dataSource, catalogue);
    const r = runner(recording(growing), { batchSize: 10, maxBatchSize: 40 });
    r.start();
    await r.waitUntilCaughtUp();
    await r.stop();
    expect(growing.slice(0, 4)).toEqual([10, 20, 40, 40]);
    expect(Math.max(...growing)).toBe(40);
    expect(growing.reduce((a, b) => a + b, 0)).toBe(total);
    expect(r.appliedEvents()).toBe(total);
    expect(await actualCatalogue(dataSource)).toEqual(await expectedCatalogue(store));

    const fixed: number[] = [];
    await resetProjection(dataSource, catalogue);
    const f = runner(recording(fixed), { batchSize: 10 });
    f.start();
    await f.waitUntilCaughtUp();
    expect(Math.max(...fixed)).toBe(10);
    expect(fixed.reduce((a, b) => a + b, 0)).toBe(total);
  });

  it('rebuildProjection replays in this process when nobody else runs it, reporting progress', async () => {
    const progress: Array<[number, number]> = [];
    const outcome = await rebuildProjection(dataSource, store, new StreamCatalogueProjection(), {
      onProgress: (applied, total) => progress.push([applied, total]),
      batchSize: 100,
    });
    expect(outcome).toBe('rebuilt');
    const total = await store.countAfter(0n);
    expect(progress[progress.length - 1]).toEqual([total, total]);
    expect(await readCheckpoint(dataSource, 'stream-catalogue')).toBe(await store.headPosition());
    expect(await actualCatalogue(dataSource)).toEqual(await expectedCatalogue(store));
  });

  it('rebuildProjection hands the replay to the running instance when there is one', async () => {
    await appendMany(store, 2, 2, 'before-handover-');
    const r = runner(new StreamCatalogueProjection());
    r.start();
    await r.waitUntilCaughtUp();
    const appliedBefore = r.appliedEvents();
    expect(await rebuildProjection(dataSource, store, new StreamCatalogueProjection())).toBe('handed-to-running-instance');
    await r.waitUntilCaughtUp();
    // The running instance did the replay (was: sleep(300), and an end state equal to the start).
    expect(r.appliedEvents() - appliedBefore).toBe(await store.countAfter(0n));
    expect(await actualCatalogue(dataSource)).toEqual(await expectedCatalogue(store));
  });
});
