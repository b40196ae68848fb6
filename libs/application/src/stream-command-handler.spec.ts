import { randomUUID } from 'node:crypto';
import {
  evolveFamily,
  foldFamily,
  initialFamilyState,
  decideFamily,
  type FamilyEvent,
  type FamilyState,
  type DecisionContext,
  TRONDHEIM_2023_RULE_SET,
} from '@familievedtak/domain';
import { PostgresEventStore, type ReadStreamOptions } from '@familievedtak/event-store';
import { asTamperer } from '../../../test/support/tamper';
import { createTestDatabase, type TestDatabase } from '../../../test/support/test-database';
import type { CommandEnvelope } from './command-metadata';
import { IdempotencyKeyReusedError } from './idempotency';
import { StreamCommandHandler, type StreamDecider } from './stream-command-handler';

/**
 * The handler keeps the folded state of recently used streams: a command reads the stream
 * from the cached revision on. These tests hold it to what a full read and fold would answer.
 */
type Add = { type: 'Add'; n: number } | { type: 'Nothing' };
type Added = { type: 'Added'; data: { n: number } };
type Tally = { total: number; items: number[] };
const tally: StreamDecider<Add, Added, Tally, null> = {
  decide: (command) => (command.type === 'Add' ? [{ type: 'Added', data: { n: command.n } }] : []),
  evolve: (state, event) => ({ total: state.total + event.data.n, items: [...state.items, event.data.n] }),
  initialState: () => ({ total: 0, items: [] }),
};
const envelope = (idempotencyKey: string | null = null, idempotencyFingerprint?: string): CommandEnvelope => ({
  commandId: randomUUID(),
  commandType: 'Add',
  correlationId: randomUUID(),
  causationId: randomUUID(),
  actor: { userId: 'tester', unit: 'NAV', role: 'caseworker', partnerOrganisation: null },
  ruleSetId: 'trondheim-2023',
  idempotencyKey,
  ...(idempotencyFingerprint === undefined ? {} : { idempotencyFingerprint }),
});
const options = (idempotencyKey: string | null = null, expectedRevision?: number) => ({
  envelope: envelope(idempotencyKey),
  context: null,
  schemaVersion: 1,
  expectedRevision,
});
/** A keyed command sent by a request with this fingerprint. */
const sent = (idempotencyKey: string, fingerprint: string) => ({ envelope: envelope(idempotencyKey, fingerprint), context: null, schemaVersion: 1 });

function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const child of Object.values(value)) deepFreeze(child);
  }
  return value;
}

describe('StreamCommandHandler (PostgreSQL)', () => {
  let db: TestDatabase;
  let store: PostgresEventStore;
  let reads: Array<{ streamId: string; from: number | undefined; rows: number }>;

  beforeAll(async () => {
    db = await createTestDatabase(5);
    store = new PostgresEventStore({ pool: db.pool, pollIntervalMs: 10 });
    await store.migrate();
    const readStream = store.readStream.bind(store);
    store.readStream = async (streamId: string, opts?: ReadStreamOptions) => {
      const rows = await readStream(streamId, opts);
      reads.push({ streamId, from: opts?.fromRevision, rows: rows.length });
      return rows;
    };
  });
  beforeEach(() => (reads = []));
  afterAll(async () => {
    await store.close();
    await db.drop();
  });

  it('reads a cached stream from its last folded event on, and answers as a full fold would', async () => {
    const handler = new StreamCommandHandler(store, tally);
    const stream = `tally-${randomUUID()}`;
    for (let n = 1; n <= 30; n++) await handler.handle(stream, { type: 'Add', n }, options());
    reads = [];
    const result = await handler.handle(stream, { type: 'Add', n: 31 }, options());
    expect(result.revision).toBe(30);
    expect(result.state.total).toBe((31 * 32) / 2);
    // The decide read: from revision 29 (the cached one, to check it is still there), one row.
    expect(reads[0]).toEqual({ streamId: stream, from: 29, rows: 1 });
    expect(reads.reduce((sum, r) => sum + r.rows, 0)).toBe(2); // and the appended event read back
    const fresh = await new StreamCommandHandler(store, tally, { cachedStreams: 0 }).load(stream);
    expect(fresh.state).toStrictEqual(result.state);
    expect((await handler.load(stream)).state).toStrictEqual(result.state);
  });

  it('catches up with what another process appended', async () => {
    const mine = new StreamCommandHandler(store, tally);
    const theirs = new StreamCommandHandler(store, tally);
    const stream = `tally-${randomUUID()}`;
    await mine.handle(stream, { type: 'Add', n: 1 }, options());
    await theirs.handle(stream, { type: 'Add', n: 10 }, options());
    await theirs.handle(stream, { type: 'Add', n: 100 }, options());
    const result = await mine.handle(stream, { type: 'Add', n: 1000 }, options());
    expect(result.state).toStrictEqual({ total: 1111, items: [1, 10, 100, 1000] });
    expect(result.revision).toBe(3);
  });

  it('decides again after losing a race, and stays consistent across handlers', async () => {
    const handlers = [new StreamCommandHandler(store, tally), new StreamCommandHandler(store, tally), new StreamCommandHandler(store, tally)];
    const stream = `tally-${randomUUID()}`;
    await handlers[0].handle(stream, { type: 'Add', n: 0 }, options());
    await Promise.all(Array.from({ length: 30 }, (_, i) => handlers[i % 3].handle(stream, { type: 'Add', n: 1 }, options())));
    for (const handler of handlers) {
      const { state } = await handler.handle(stream, { type: 'Nothing' }, options());
      expect(state.total).toBe(30);
      expect(state.items).toHaveLength(31);
    }
  });

  it('answers a duplicate sent at the same moment to another instance with the events the first stored, even when others landed in between', async () => {
    const stream = `tally-${randomUUID()}`;
    const first = new StreamCommandHandler(store, tally);
    await first.handle(stream, { type: 'Add', n: 100 }, options());
    // The second instance has decided on revision 0 and is about to append when the others land.
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    let appending!: () => void;
    const reachedAppend = new Promise<void>((resolve) => (appending = resolve));
    const slowStore = Object.create(store) as PostgresEventStore;
    slowStore.appendToStream = async (...args: Parameters<PostgresEventStore['appendToStream']>) => {
      appending();
      await gate;
      return store.appendToStream(...args);
    };
    const second = new StreamCommandHandler(slowStore, tally);
    const duplicate = second.handle(stream, { type: 'Add', n: 5 }, options('same-key'));
    await reachedAppend;
    await first.handle(stream, { type: 'Add', n: 1 }, options());
    const original = await first.handle(stream, { type: 'Add', n: 5 }, options('same-key'));
    release();
    const answer = await duplicate;
    expect(answer.events.map((e) => [e.id, e.revision])).toEqual(original.events.map((e) => [e.id, e.revision]));
    expect(answer.replayed).toBe(true);
    expect((await store.readStream(stream)).map((e) => e.data)).toEqual([{ n: 100 }, { n: 1 }, { n: 5 }]);
  });

  it('refuses a stale If-Match revision from the cached state too', async () => {
    const handler = new StreamCommandHandler(store, tally);
    const stream = `tally-${randomUUID()}`;
    await handler.handle(stream, { type: 'Add', n: 1 }, options());
    await new StreamCommandHandler(store, tally).handle(stream, { type: 'Add', n: 2 }, options());
    await expect(handler.handle(stream, { type: 'Add', n: 3 }, options(null, 0))).rejects.toThrow();
    expect((await handler.handle(stream, { type: 'Add', n: 3 }, options(null, 1))).revision).toBe(2);
  });

  it('answers a retried idempotency key with the first attempt, cached or not', async () => {
    const handler = new StreamCommandHandler(store, tally);
    const stream = `tally-${randomUUID()}`;
    await handler.handle(stream, { type: 'Add', n: 5 }, options());
    const first = await handler.handle(stream, { type: 'Add', n: 7 }, options('key-1'));
    await handler.handle(stream, { type: 'Add', n: 9 }, options());
    const retry = await handler.handle(stream, { type: 'Add', n: 7 }, options('key-1'));
    expect(retry.replayed).toBe(true);
    expect(retry.events.map((e) => e.id)).toEqual(first.events.map((e) => e.id));
    expect(retry.state.total).toBe(21);
    // Another process's handler, whose cache never saw the first attempt.
    const other = new StreamCommandHandler(store, tally);
    await other.handle(stream, { type: 'Nothing' }, options());
    expect((await other.handle(stream, { type: 'Add', n: 7 }, options('key-1'))).replayed).toBe(true);
    await handler.handle(stream, { type: 'Add', n: 1 }, options('key-2'));
    expect((await other.handle(stream, { type: 'Add', n: 1 }, options('key-2'))).replayed).toBe(true);
    expect((await handler.load(stream)).state.total).toBe(22);
  });

  it('stores the fingerprint with keyed events, replays only the same request, and refuses another request with the key (nothing appended)', async () => {
    const handler = new StreamCommandHandler(store, tally);
    const stream = `tally-${randomUUID()}`;
    const first = await handler.handle(stream, { type: 'Add', n: 7 }, sent('key-f', 'fp-a'));
    expect(first.events.map((e) => e.metadata.idempotencyFingerprint)).toEqual(['fp-a']);
    expect((await handler.handle(stream, { type: 'Add', n: 7 }, sent('key-f', 'fp-a'))).replayed).toBe(true);
    // Another body (or route) with the same key: refused, from the cache and from a fresh handler.
    await expect(handler.handle(stream, { type: 'Add', n: 8 }, sent('key-f', 'fp-b'))).rejects.toBeInstanceOf(IdempotencyKeyReusedError);
    await expect(new StreamCommandHandler(store, tally).handle(stream, { type: 'Add', n: 8 }, sent('key-f', 'fp-b'))).rejects.toMatchObject({
      code: 'IDEMPOTENCY_KEY_REUSED',
    });
    expect((await store.readStream(stream)).map((e) => e.data)).toEqual([{ n: 7 }]);
    // Without a key nothing is fingerprinted.
    expect((await handler.handle(stream, { type: 'Add', n: 1 }, options())).events[0].metadata.idempotencyFingerprint).toBeUndefined();
  });

  /** A second handler decides on revision 0 and appends only after `meanwhile` stored a request with the same key. */
  async function raceAfter(stream: string, second: { n: number; fingerprint: string }, meanwhile: () => Promise<unknown>) {
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    let appending!: () => void;
    const reachedAppend = new Promise<void>((resolve) => (appending = resolve));
    const slowStore = Object.create(store) as PostgresEventStore;
    slowStore.appendToStream = async (...args: Parameters<PostgresEventStore['appendToStream']>) => {
      appending();
      await gate;
      return store.appendToStream(...args);
    };
    const answer = new StreamCommandHandler(slowStore, tally).handle(stream, { type: 'Add', n: second.n }, sent('key-race', second.fingerprint));
    await reachedAppend;
    await meanwhile();
    release();
    return answer;
  }

  it('answers a true duplicate whose twin landed at the very same revisions as a replay, with the stream as stored', async () => {
    const stream = `tally-${randomUUID()}`;
    const first = new StreamCommandHandler(store, tally);
    await first.handle(stream, { type: 'Add', n: 100 }, options());
    let original!: Awaited<ReturnType<typeof first.handle>>;
    const answer = await raceAfter(
      stream,
      { n: 5, fingerprint: 'fp-same' },
      async () => (original = await first.handle(stream, { type: 'Add', n: 5 }, sent('key-race', 'fp-same'))),
    );
    expect(answer.replayed).toBe(true);
    expect(answer.events.map((e) => e.id)).toEqual(original.events.map((e) => e.id));
    expect(answer.state).toStrictEqual({ total: 105, items: [100, 5] });
  });

  it('refuses another request with the key on the "store already held these ids" path too', async () => {
    const stream = `tally-${randomUUID()}`;
    const first = new StreamCommandHandler(store, tally);
    await first.handle(stream, { type: 'Add', n: 100 }, options());
    // Landing at the very revisions the other request decided on: its events are not this one's.
    const other = raceAfter(stream, { n: 6, fingerprint: 'fp-other' }, () => first.handle(stream, { type: 'Add', n: 5 }, sent('key-race', 'fp-first')));
    await expect(other).rejects.toBeInstanceOf(IdempotencyKeyReusedError);
    expect((await store.readStream(stream)).map((e) => e.data)).toEqual([{ n: 100 }, { n: 5 }]);
  });

  it('still replays events stored before fingerprints existed (no fingerprint in their metadata)', async () => {
    const handler = new StreamCommandHandler(store, tally);
    const stream = `tally-${randomUUID()}`;
    const old = await handler.handle(stream, { type: 'Add', n: 3 }, options('key-old'));
    expect(old.events[0].metadata.idempotencyFingerprint).toBeUndefined();
    const retry = await new StreamCommandHandler(store, tally).handle(stream, { type: 'Add', n: 3 }, sent('key-old', 'fp-now'));
    expect(retry.replayed).toBe(true);
    expect(retry.events.map((e) => e.id)).toEqual(old.events.map((e) => e.id));
    expect((await store.readStream(stream)).length).toBe(1);
  });

  it('drops the cached fold when the event at its revision is no longer the one it folded', async () => {
    const handler = new StreamCommandHandler(store, tally);
    const stream = `tally-${randomUUID()}`;
    for (const n of [1, 2, 3]) await handler.handle(stream, { type: 'Add', n }, options());
    // The stream written anew (as a test that drops its database would leave it).
    await asTamperer(db.pool, 'DELETE FROM event_store.events WHERE stream_id = $1', [stream]);
    const other = new PostgresEventStore({ pool: db.pool, pollIntervalMs: 10 });
    const again = new StreamCommandHandler(other, tally);
    for (const n of [10, 20, 30]) await again.handle(stream, { type: 'Add', n }, options());
    const result = await handler.handle(stream, { type: 'Add', n: 40 }, options());
    expect(result.state).toStrictEqual({ total: 100, items: [10, 20, 30, 40] });
  });

  it('keeps at most cachedStreams streams, least recently used out; 0 keeps none', async () => {
    for (const cachedStreams of [0, 1]) {
      const handler = new StreamCommandHandler(store, tally, { cachedStreams });
      const [a, b] = [`tally-${randomUUID()}`, `tally-${randomUUID()}`];
      await handler.handle(a, { type: 'Add', n: 1 }, options());
      await handler.handle(b, { type: 'Add', n: 2 }, options());
      await handler.handle(b, { type: 'Add', n: 3 }, options());
      reads = [];
      await handler.handle(b, { type: 'Add', n: 5 }, options());
      expect(reads[0].from).toBe(cachedStreams ? 1 : 0); // b, the most recent, is kept
      reads = [];
      const result = await handler.handle(a, { type: 'Add', n: 4 }, options());
      expect(reads[0].from).toBe(0); // a was evicted (or never kept): read from the start
      expect(result.state).toStrictEqual({ total: 5, items: [1, 4] });
      expect((await handler.load(b)).state.total).toBe(10);
    }
  });

  it('never changes a state it handed out (returned states deep-frozen)', async () => {
    const handler = new StreamCommandHandler(store, tally);
    const stream = `tally-${randomUUID()}`;
    const states: Tally[] = [];
    for (let n = 1; n <= 5; n++) states.push(deepFreeze((await handler.handle(stream, { type: 'Add', n }, options())).state));
    deepFreeze((await handler.load(stream)).state);
    expect((await handler.handle(stream, { type: 'Add', n: 6 }, options())).state.total).toBe(21);
    expect(states.map((s) => s.total)).toEqual([1, 3, 6, 10, 15]);
  });

  it("folds a family with the decider's fold, equal to reducing with evolveFamily", async () => {
    const decider = { decide: decideFamily, evolve: evolveFamily, initialState: initialFamilyState, fold: foldFamily };
    const handler = new StreamCommandHandler(store, decider);
    const familyId = randomUUID();
    const stream = `family-${familyId}`;
    let now = Date.UTC(2024, 2, 15, 9);
    const context = (): DecisionContext => ({
      now: new Date((now += 60_000)),
      newId: randomUUID,
      actor: { userId: 'kari.nav', role: 'caseworker', unit: 'NAV' },
      ruleSet: TRONDHEIM_2023_RULE_SET,
    });
    const run = (command: Parameters<typeof decideFamily>[0]) =>
      handler.handle(stream, command, { envelope: envelope(), context: context(), schemaVersion: 1 });
    await run({
      type: 'RegisterFamily',
      data: { familyId, district: 'Heimdal', members: [{ memberId: 'm-1', name: 'Amina', birthDate: '1988-05-02', role: 'adult' }] },
    });
    for (let i = 0; i < 20; i++) {
      const needId = `need-${i}`;
      await run({ type: 'ExpressNeed', data: { needId, memberId: 'm-1', words: `need ${i}` } });
      if (i % 2) await run({ type: 'WithdrawNeed', data: { needId, reason: 'no longer' } });
    }
    const cached = await run({ type: 'ExpressNeed', data: { needId: 'last', words: 'the last' } });
    const events = (await store.readStream(stream)).map((e) => ({ type: e.type, data: e.data }) as unknown as FamilyEvent);
    const reference: FamilyState = events.reduce(evolveFamily, initialFamilyState());
    expect(cached.state).toStrictEqual(reference);
    expect((await new StreamCommandHandler(store, decider, { cachedStreams: 0 }).load(stream)).state).toStrictEqual(reference);
  });
});
