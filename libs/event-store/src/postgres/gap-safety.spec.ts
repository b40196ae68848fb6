import { randomUUID } from 'node:crypto';
import type { PoolClient } from 'pg';
import { createTestDatabase, TestDatabase } from '../../../../test/support/test-database';
import { CatchUpPage } from '../catch-up-subscription';
import { RecordedEvent } from '../event-store.port';
import { PostgresEventStore } from './postgres-event-store.adapter';

/**
 * Watches the pages a store reads (readAll and subscriptions both read through readPage), so a
 * test waits for "the reader has looked at the log in this state", not for a time.
 */
function watchPages(store: PostgresEventStore) {
  const read = store.readPage.bind(store);
  const waiters: Array<{ test: (page: CatchUpPage) => boolean; resolve: (page: CatchUpPage) => void }> = [];
  store.readPage = async (...args) => {
    const page = await read(...args);
    for (const w of waiters.splice(0)) {
      if (w.test(page)) w.resolve(page);
      else waiters.push(w);
    }
    return page;
  };
  return {
    /** The next page read (from now on) that satisfies `test`. */
    next: (test: (page: CatchUpPage) => boolean = () => true) => new Promise<CatchUpPage>((resolve) => waiters.push({ test, resolve })),
  };
}

/**
 * The hazard: positions come from a sequence before commit, so a slow transaction can commit
 * position 5 after a fast one committed position 6. A reader that already moved past 6 would
 * never see 5. These tests hold a transaction open in the middle of an append and check that
 * readers wait for it instead of skipping it.
 */
describe('PostgreSQL event store: gap safety', () => {
  let db: TestDatabase;
  let store: PostgresEventStore;
  /**
   * Waits for older transactions: other test files' transactions on the same server hold the
   * (cluster-wide) horizon for a moment, so starting points are taken with it.
   */
  let settled: PostgresEventStore;

  beforeAll(async () => {
    db = await createTestDatabase();
    // No settling: these tests look at the raw horizon while a transaction is held open.
    store = new PostgresEventStore({ pool: db.pool, pollIntervalMs: 10, settleTimeoutMs: 0 });
    settled = new PostgresEventStore({ pool: db.pool });
    await store.migrate();
  });
  /**
   * Transactions and subscriptions a failed test left open: ended after each test, so that one
   * failure does not hold the horizon for the next tests (or keep jest from exiting).
   */
  const held = new Set<PoolClient>();
  const open = new Set<{ close(): Promise<void> }>();
  afterEach(async () => {
    for (const client of held) {
      await client.query('ROLLBACK');
      client.release();
    }
    held.clear();
    for (const subscription of open) await subscription.close();
    open.clear();
  });
  afterAll(() => db.drop());

  /** Starts an append in its own transaction and leaves it uncommitted. */
  async function beginSlowAppend(streamId: string) {
    const client = await db.pool.connect();
    held.add(client);
    await client.query('BEGIN');
    const payload = [{ id: randomUUID(), type: 'Slow', data: {}, metadata: {}, recordedAt: new Date().toISOString(), digest: '0'.repeat(64) }];
    const { rows } = await client.query('SELECT * FROM event_store.append_events($1, $2, $3)', [streamId, 'any', JSON.stringify(payload)]);
    return {
      position: BigInt(rows[0].global_position),
      commit: async () => {
        await client.query('COMMIT');
        held.delete(client);
        client.release();
      },
    };
  }

  it('hides a later committed event while an earlier position is still uncommitted', async () => {
    const before = await settled.headPosition();
    const slow = await beginSlowAppend('gap-slow');
    const fast = await store.appendToStream('gap-fast', [{ id: randomUUID(), type: 'Fast', data: {} }]);
    expect(fast.position > slow.position).toBe(true);

    expect((await store.readAll({ fromPosition: before })).map((e) => e.type)).toEqual([]);
    expect(await store.headPosition()).toBeLessThan(slow.position);
    expect(await store.countAfter(before)).toBe(0);
    // A settling reader waits for the older transaction instead of answering without it: once it
    // has read a page that shows the gap (Fast committed, Slow not), it must read again rather
    // than return. Ordering, not a timer: either it polls again or readAll settles first.
    const reader = new PostgresEventStore({ pool: db.pool });
    const pages = watchPages(reader);
    const gapSeen = pages.next((page) => (page.committedHead ?? 0n) >= fast.position && page.scannedTo < slow.position);
    const waited = reader.readAll({ fromPosition: before });
    await gapSeen;
    const first = await Promise.race([pages.next().then(() => 'read again' as const), waited.then(() => 'returned' as const)]);
    expect(first).toBe('read again');
    await slow.commit();
    const expected = [
      ['Slow', slow.position],
      ['Fast', fast.position],
    ];
    expect((await waited).map((e) => [e.type, e.globalPosition])).toEqual(expected);
    const after = await settled.readAll({ fromPosition: before });
    expect(after.map((e) => [e.type, e.globalPosition])).toEqual(expected);
  });

  it('a running subscription delivers the slow event first, never skipping it', async () => {
    const from = await settled.headPosition();
    const reader = new PostgresEventStore({ pool: db.pool, pollIntervalMs: 10, settleTimeoutMs: 0 });
    const pages = watchPages(reader);
    const subscription = reader.subscribeToAll({ fromPosition: from });
    open.add(subscription);
    const seen: RecordedEvent[] = [];
    const done = (async () => {
      for await (const message of subscription) {
        if (message.kind === 'event') seen.push(message.event);
        if (message.kind === 'event' && message.event.type === 'Marker') break;
      }
    })();

    const slow = await beginSlowAppend('gap-slow-2');
    await store.appendToStream('gap-fast-2', [{ id: randomUUID(), type: 'Fast', data: {} }]);
    const fast = await store.appendToStream('gap-fast-2', [{ id: randomUUID(), type: 'Fast', data: {} }]);
    // The hazard happened: the subscription read the log while both Fast events were committed
    // and Slow (an earlier position) was not.
    await pages.next((page) => (page.committedHead ?? 0n) >= fast.position);

    await slow.commit();
    // A positive marker instead of "nothing arrived within 200 ms": committed after Slow, it is
    // delivered last; anything delivered during the gap (a Fast) would come before Slow, and a
    // skipped Slow would be missing before the marker.
    await store.appendToStream('gap-marker-2', [{ id: randomUUID(), type: 'Marker', data: {} }]);
    await done;
    await subscription.close();
    expect(seen.map((e) => e.type)).toEqual(['Slow', 'Fast', 'Fast', 'Marker']);
    expect(seen[0].globalPosition).toBe(slow.position);
  });

  it('moves on past positions left by a rolled-back append', async () => {
    const from = await settled.headPosition();
    const client = await db.pool.connect();
    await client.query('BEGIN');
    const payload = [{ id: randomUUID(), type: 'Lost', data: {}, metadata: {}, recordedAt: new Date().toISOString(), digest: '0'.repeat(64) }];
    await client.query('SELECT * FROM event_store.append_events($1, $2, $3)', ['gap-rollback', 'any', JSON.stringify(payload)]);
    await client.query('ROLLBACK');
    client.release();
    await store.appendToStream('gap-after', [{ id: randomUUID(), type: 'Kept', data: {} }]);
    expect((await settled.readAll({ fromPosition: from })).map((e) => e.type)).toEqual(['Kept']);
  });
});
