import { randomUUID } from 'node:crypto';
import { createTestDatabase, TestDatabase } from '../../../../test/support/test-database';
import { RecordedEvent } from '../event-store.port';
import { PostgresEventStore } from './postgres-event-store.adapter';

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
  afterAll(() => db.drop());

  /** Starts an append in its own transaction and leaves it uncommitted. */
  async function beginSlowAppend(streamId: string) {
    const client = await db.pool.connect();
    await client.query('BEGIN');
    const payload = [{ id: randomUUID(), type: 'Slow', data: {}, metadata: {}, recordedAt: new Date().toISOString(), digest: '0'.repeat(64) }];
    const { rows } = await client.query('SELECT * FROM event_store.append_events($1, $2, $3)', [streamId, 'any', JSON.stringify(payload)]);
    return {
      position: BigInt(rows[0].global_position),
      commit: async () => {
        await client.query('COMMIT');
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
    // A settling reader waits for the older transaction instead of answering without it.
    const waited = settled.readAll({ fromPosition: before });
    await new Promise((resolve) => setTimeout(resolve, 100));

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
    const subscription = store.subscribeToAll({ fromPosition: from });
    const seen: RecordedEvent[] = [];
    const done = (async () => {
      for await (const message of subscription) {
        if (message.kind === 'event') seen.push(message.event);
        if (seen.length === 3) break;
      }
    })();

    const slow = await beginSlowAppend('gap-slow-2');
    await store.appendToStream('gap-fast-2', [{ id: randomUUID(), type: 'Fast', data: {} }]);
    await store.appendToStream('gap-fast-2', [{ id: randomUUID(), type: 'Fast', data: {} }]);
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(seen).toEqual([]);

    await slow.commit();
    await done;
    await subscription.close();
    expect(seen.map((e) => e.type)).toEqual(['Slow', 'Fast', 'Fast']);
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
