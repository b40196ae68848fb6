import { randomUUID } from 'node:crypto';
import { chainHash, contentDigest, PostgresEventStore, type RecordedEvent } from '@familievedtak/event-store';
import { asTamperer } from '../../../../test/support/tamper';
import { createTestDatabase, TestDatabase } from '../../../../test/support/test-database';
import { verifyChains } from './chain-verifier';

/**
 * Each test writes its own streams under its own prefix and tampers with them directly in
 * PostgreSQL (event_store.events has no trigger refusing UPDATE or DELETE), then verifies.
 */
describe('verifyChains (PostgreSQL)', () => {
  let db: TestDatabase;
  let store: PostgresEventStore;

  /** Streams `${prefix}-a`, `-b`, `-c` of `count` events each, appended one or two at a time and interleaved. */
  async function writeStreams(prefix: string, count = 5): Promise<string[]> {
    const ids = ['a', 'b', 'c'].map((s) => `${prefix}-${s}`);
    for (let i = 0; i < count;) {
      const batch = i % 3 === 0 && i + 1 < count ? 2 : 1;
      for (const id of ids) {
        await store.appendToStream(
          id,
          Array.from({ length: batch }, (_, k) => ({
            id: randomUUID(),
            type: 'NoteTaken',
            data: { words: `note ${i + k} of ${id}`, n: i + k },
            metadata: { by: 'tester' },
          })),
        );
      }
      i += batch;
    }
    return ids;
  }
  const stored = async (streamId: string) => store.readStream(streamId);
  /** Direct SQL past the append-only triggers, as a tamperer with superuser rights would. */
  const sql = (text: string, params: unknown[] = []) => asTamperer(db.pool, text, params);

  beforeAll(async () => {
    db = await createTestDatabase(5);
    store = new PostgresEventStore({ pool: db.pool, pollIntervalMs: 10 });
    await store.migrate();
  });
  afterAll(async () => {
    await store.close();
    await db.drop();
  });

  it('an untouched store verifies: every stream, every event, progress up to the total', async () => {
    await writeStreams('intact', 7);
    const progress: Array<[number, number]> = [];
    const result = await verifyChains(store, { pageSize: 4, onProgress: (done, total) => progress.push([done, total]) });
    expect(result).toEqual({ streams: 3, events: 21, broken: [], ok: true });
    expect(progress.at(-1)).toEqual([21, 21]);
    expect(progress.map(([done]) => done)).toEqual([...progress.map(([done]) => done)].sort((x, y) => x - y));
  });

  it('an event edited in SQL: names the stream, revision, position, expected and actual hash', async () => {
    const [, b] = await writeStreams('edit');
    const before = await stored(b);
    await sql(`UPDATE event_store.events SET data = jsonb_set(data, '{words}', '"nothing happened"') WHERE stream_id = $1 AND revision = 2`, [b]);
    const altered = (await stored(b))[2];
    expect(altered.data.words).toBe('nothing happened');

    const result = await verifyChains(store, { streamPrefix: 'edit-' });
    expect(result.ok).toBe(false);
    expect(result.streams).toBe(3);
    expect(result.broken).toEqual([
      {
        streamId: b,
        revision: 2,
        globalPosition: before[2].globalPosition.toString(),
        eventId: before[2].id,
        expectedHash: chainHash(before[1].hash, b, 2, contentDigest(altered)),
        actualHash: before[2].hash,
        reason: 'content-altered',
        detail:
          'the stored content does not produce the stored hash, which the next event still chains from: this event was edited (or the one before it re-hashed)',
      },
    ]);
    // The same break, found through the single-stream path.
    expect((await verifyChains(store, { streamId: b })).broken).toEqual(result.broken);
    expect((await verifyChains(store, { streamId: `edit-a` })).ok).toBe(true);
  });

  it('an edited metadata value or recorded time breaks the chain too', async () => {
    const [a, , c] = await writeStreams('meta');
    await sql(`UPDATE event_store.events SET metadata = '{"by":"someone else"}' WHERE stream_id = $1 AND revision = 0`, [a]);
    await sql(`UPDATE event_store.events SET recorded_at = recorded_at - interval '1 day' WHERE stream_id = $1 AND revision = 4`, [c]);
    const result = await verifyChains(store, { streamPrefix: 'meta-' });
    expect(result.broken.map((b) => [b.streamId, b.revision, b.reason])).toEqual([
      [a, 0, 'content-altered'],
      [c, 4, 'content-altered'],
    ]);
    // The last event has no successor to vouch for its stored hash: the detail says so.
    expect(result.broken[1].detail).toMatch(/last event/);
  });

  it('a deleted event: a revision gap at the event after it', async () => {
    const [a] = await writeStreams('delete');
    const before = await stored(a);
    await sql('DELETE FROM event_store.events WHERE stream_id = $1 AND revision = 3', [a]);
    const result = await verifyChains(store, { streamPrefix: 'delete-' });
    expect(result.events).toBe(14);
    expect(result.broken).toEqual([
      {
        streamId: a,
        revision: 4,
        globalPosition: before[4].globalPosition.toString(),
        eventId: before[4].id,
        expectedHash: chainHash(before[2].hash, a, 4, contentDigest(before[4])),
        actualHash: before[4].hash,
        reason: 'revision-gap',
        detail: 'revision 3 missing: revision 4 follows revision 2',
      },
    ]);
  });

  it('deleted first events: missing genesis', async () => {
    const [, b] = await writeStreams('genesis');
    await sql('DELETE FROM event_store.events WHERE stream_id = $1 AND revision < 2', [b]);
    const [broken] = (await verifyChains(store, { streamPrefix: 'genesis-' })).broken;
    expect(broken).toMatchObject({ streamId: b, revision: 2, reason: 'missing-genesis', detail: 'revisions 0..1 missing: revision 2 follows nothing' });
  });

  it('hashes swapped between two events of a stream: chain broken at the first', async () => {
    const [, , c] = await writeStreams('swap');
    const before = await stored(c);
    await sql(
      `UPDATE event_store.events e SET hash = o.hash FROM event_store.events o
        WHERE e.stream_id = $1 AND o.stream_id = $1 AND ((e.revision = 1 AND o.revision = 2) OR (e.revision = 2 AND o.revision = 1))`,
      [c],
    );
    const result = await verifyChains(store, { streamPrefix: 'swap-' });
    expect(result.broken).toEqual([
      {
        streamId: c,
        revision: 1,
        globalPosition: before[1].globalPosition.toString(),
        eventId: before[1].id,
        expectedHash: before[1].hash,
        actualHash: before[2].hash,
        reason: 'chain-broken',
        detail: 'the stored hash fits neither this event nor the next one chained from it',
      },
    ]);
  });

  it('a re-hashed forgery: content and its own hash rewritten consistently, the successor no longer chains from it', async () => {
    const [a] = await writeStreams('forge');
    const before = await stored(a);
    await sql(`UPDATE event_store.events SET data = jsonb_set(data, '{n}', '99') WHERE stream_id = $1 AND revision = 1`, [a]);
    const forged: RecordedEvent = (await stored(a))[1];
    const forgedHash = chainHash(before[0].hash, a, 1, contentDigest(forged));
    await sql('UPDATE event_store.events SET hash = $2 WHERE stream_id = $1 AND revision = 1', [a, forgedHash]);

    const [broken] = (await verifyChains(store, { streamPrefix: 'forge-' })).broken;
    expect(broken).toMatchObject({
      streamId: a,
      revision: 2,
      expectedHash: chainHash(forgedHash, a, 2, contentDigest(before[2])),
      actualHash: before[2].hash,
      reason: 'content-altered',
    });
    expect(broken.detail).toMatch(/or the one before it re-hashed/);
  });

  it("two events stored in each other's place in the global order: chain broken, out of order", async () => {
    const [, b] = await writeStreams('reorder');
    const before = await stored(b);
    const [p1, p2] = [before[1].globalPosition, before[2].globalPosition];
    // Through a free position: the primary key is checked row by row.
    await sql('UPDATE event_store.events SET global_position = 1 WHERE global_position = $1', [p1.toString()]);
    await sql('UPDATE event_store.events SET global_position = $1 WHERE global_position = $2', [p1.toString(), p2.toString()]);
    await sql('UPDATE event_store.events SET global_position = $1 WHERE global_position = 1', [p2.toString()]);

    const [broken] = (await verifyChains(store, { streamPrefix: 'reorder-' })).broken;
    expect(broken).toMatchObject({
      streamId: b,
      revision: 2,
      globalPosition: p1.toString(),
      reason: 'chain-broken',
      detail: 'stored out of order: revision 1 comes after revision 2',
    });
  });

  it('the whole store: one first break per tampered stream, the intact streams pass', async () => {
    const result = await verifyChains(store, { pageSize: 10 });
    expect(result.ok).toBe(false);
    expect(result.streams).toBe(3 * 8);
    expect(result.broken.map((b) => `${b.streamId}@${b.revision}:${b.reason}`).sort()).toEqual(
      [
        'delete-a@4:revision-gap',
        'edit-b@2:content-altered',
        'forge-a@2:content-altered',
        'genesis-b@2:missing-genesis',
        'meta-a@0:content-altered',
        'meta-c@4:content-altered',
        'reorder-b@2:chain-broken',
        'swap-c@1:chain-broken',
      ].sort(),
    );
  });

  it('an aborted run stops between pages', async () => {
    const controller = new AbortController();
    controller.abort(new Error('took too long'));
    await expect(verifyChains(store, { signal: controller.signal })).rejects.toThrow('took too long');
  });

  it('ordinary SQL cannot change the log: UPDATE, DELETE and TRUNCATE are refused', async () => {
    const [a] = await writeStreams('locked');
    await expect(db.pool.query(`UPDATE event_store.events SET data = '{}' WHERE stream_id = $1`, [a])).rejects.toThrow(/append-only: UPDATE refused/);
    await expect(db.pool.query('DELETE FROM event_store.events WHERE stream_id = $1', [a])).rejects.toThrow(/append-only: DELETE refused/);
    await expect(db.pool.query('TRUNCATE event_store.events')).rejects.toThrow(/append-only: TRUNCATE refused/);
    expect(await stored(a)).toHaveLength(5);
    expect((await verifyChains(store, { streamPrefix: 'locked-' })).ok).toBe(true);
  });
});
