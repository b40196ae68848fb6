import { randomUUID } from 'node:crypto';
import {
  chainHash,
  contentDigest,
  EventData,
  EventIdConflictError,
  EventStore,
  GENESIS_HASH,
  InvalidAppendError,
  RecordedEvent,
  Subscription,
  SubscriptionMessage,
  WrongExpectedVersionError,
} from '@familievedtak/event-store';

/**
 * The behaviour every EventStore adapter must have. Each adapter's spec calls this with a
 * factory; cases use a fresh stream prefix so they never see each other's events, even on a
 * shared EventStoreDB server.
 */
export interface ContractHarness {
  store: EventStore;
  close(): Promise<void>;
}

const event = (type = 'SomethingHappened', data: Record<string, unknown> = {}, metadata?: Record<string, unknown>): EventData => ({
  id: randomUUID(),
  type,
  data: data as EventData['data'],
  metadata: metadata as EventData['metadata'],
});

/** Collects subscription messages until `until` says stop (or the time limit passes). */
export async function collect(
  subscription: Subscription,
  until: (events: RecordedEvent[], last: SubscriptionMessage) => boolean,
  timeoutMs = 30000,
): Promise<{ events: RecordedEvent[]; messages: SubscriptionMessage[] }> {
  const events: RecordedEvent[] = [];
  const messages: SubscriptionMessage[] = [];
  const timer = setTimeout(() => void subscription.close(), timeoutMs);
  try {
    for await (const message of subscription) {
      messages.push(message);
      if (message.kind === 'event') events.push(message.event);
      if (until(events, message)) break;
    }
  } finally {
    clearTimeout(timer);
    await subscription.close();
  }
  return { events, messages };
}

export interface ContractOptions {
  /**
   * Whether the adapter offers appendToStreams (one transaction over several streams). The
   * cases for it run only then; an adapter that says it does not must not expose the method,
   * so that callers fall back to their process managers.
   */
  multiStream: boolean;
}

export function eventStoreContract(name: string, open: () => Promise<ContractHarness>, options: ContractOptions = { multiStream: false }): void {
  describe(`EventStore contract: ${name}`, () => {
    let harness: ContractHarness;
    let store: EventStore;
    let prefix: string;
    const stream = (suffix: string) => `${prefix}${suffix}`;

    beforeAll(async () => {
      harness = await open();
      store = harness.store;
    });
    afterAll(async () => harness?.close());
    beforeEach(() => {
      prefix = `c${randomUUID().slice(0, 8)}-`;
    });

    describe('appendToStream', () => {
      it('writes events with revisions from 0 and returns the next expected revision and position', async () => {
        const events = [event('A', { n: 1 }, { who: 'u1' }), event('B', { n: 2 })];
        const result = await store.appendToStream(stream('s'), events, { expectedRevision: 'no_stream' });
        expect(result.nextExpectedRevision).toBe(1);

        const read = await store.readStream(stream('s'));
        expect(read.map((e) => [e.id, e.type, e.revision, e.streamId])).toEqual([
          [events[0].id, 'A', 0, stream('s')],
          [events[1].id, 'B', 1, stream('s')],
        ]);
        expect(read[0].data).toEqual({ n: 1 });
        expect(read[0].metadata).toEqual({ who: 'u1' });
        expect(read[1].metadata).toEqual({});
        expect(read[1].globalPosition).toBe(result.position);
        expect(read[1].globalPosition > read[0].globalPosition).toBe(true);
        expect(read[0].recordedAt).toBeInstanceOf(Date);
        expect(read[0].hash).toMatch(/^[0-9a-f]{64}$/);
      });

      it('honours expected revision "any"', async () => {
        await store.appendToStream(stream('s'), [event()], { expectedRevision: 'any' });
        const second = await store.appendToStream(stream('s'), [event()]);
        expect(second.nextExpectedRevision).toBe(1);
      });

      it('refuses "no_stream" on an existing stream, carrying the actual revision', async () => {
        await store.appendToStream(stream('s'), [event(), event()]);
        const error = await store.appendToStream(stream('s'), [event()], { expectedRevision: 'no_stream' }).catch((e) => e);
        expect(error).toBeInstanceOf(WrongExpectedVersionError);
        expect(error.actualRevision).toBe(1);
        expect(await store.readStream(stream('s'))).toHaveLength(2);
      });

      it('refuses "stream_exists" on a missing stream, actual revision -1', async () => {
        const error = await store.appendToStream(stream('none'), [event()], { expectedRevision: 'stream_exists' }).catch((e) => e);
        expect(error).toBeInstanceOf(WrongExpectedVersionError);
        expect(error.actualRevision).toBe(-1);
        expect(await store.readStream(stream('none'))).toEqual([]);
        await store.appendToStream(stream('s'), [event()]);
        await expect(store.appendToStream(stream('s'), [event()], { expectedRevision: 'stream_exists' })).resolves.toMatchObject({
          nextExpectedRevision: 1,
        });
      });

      it('accepts an exact revision that matches and refuses a stale one', async () => {
        await store.appendToStream(stream('s'), [event()], { expectedRevision: 'no_stream' });
        await store.appendToStream(stream('s'), [event()], { expectedRevision: 0 });
        const error = await store.appendToStream(stream('s'), [event()], { expectedRevision: 0 }).catch((e) => e);
        expect(error).toBeInstanceOf(WrongExpectedVersionError);
        expect(error).toMatchObject({ streamId: stream('s'), expectedRevision: 0, actualRevision: 1 });
        const onMissing = await store.appendToStream(stream('x'), [event()], { expectedRevision: 3 }).catch((e) => e);
        expect(onMissing).toMatchObject({ actualRevision: -1 });
      });

      it('is idempotent by event id: a retried append stores nothing and returns the original result', async () => {
        const batch = [event('PaymentMade', { amountOre: 160000 }), event('PaymentMade', { amountOre: 5000 })];
        const first = await store.appendToStream(stream('s'), batch, { expectedRevision: 'no_stream' });
        await store.appendToStream(stream('s'), [event()]);
        // The retry still carries the stale expected revision of the first try.
        const retry = await store.appendToStream(stream('s'), batch, { expectedRevision: 'no_stream' });
        expect(retry).toEqual(first);
        expect(await store.readStream(stream('s'))).toHaveLength(3);
      });

      it('refuses a batch that repeats only some stored event ids', async () => {
        const stored = event();
        await store.appendToStream(stream('s'), [stored]);
        const error = await store.appendToStream(stream('s'), [stored, event()]).catch((e) => e);
        expect(error).toBeInstanceOf(EventIdConflictError);
        expect(await store.readStream(stream('s'))).toHaveLength(1);
      });

      it('refuses invalid input before storing anything', async () => {
        await expect(store.appendToStream(stream('s'), [])).rejects.toBeInstanceOf(InvalidAppendError);
        await expect(store.appendToStream(stream('s'), [{ id: 'not-a-uuid', type: 'A', data: {} }])).rejects.toBeInstanceOf(InvalidAppendError);
        const twice = event();
        await expect(store.appendToStream(stream('s'), [twice, twice])).rejects.toBeInstanceOf(InvalidAppendError);
        await expect(store.appendToStream(stream('s'), [event()], { expectedRevision: -2 })).rejects.toBeInstanceOf(InvalidAppendError);
        expect(await store.readStream(stream('s'))).toEqual([]);
      });

      it('chains each event hash to the previous event of its stream over the canonical content', async () => {
        await store.appendToStream(stream('s'), [event('A', { b: 1, a: [1, 'x'] }, { z: true })]);
        await store.appendToStream(stream('s'), [event('B', { nested: { y: null } }), event('C')]);
        const read = await store.readStream(stream('s'));
        let previous = GENESIS_HASH;
        for (const e of read) {
          expect(e.hash).toBe(chainHash(previous, e.streamId, e.revision, contentDigest(e)));
          previous = e.hash;
        }
      });
    });

    if (!options.multiStream) {
      it('offers no appendToStreams (no cross-stream transaction): callers use their process managers', () => {
        expect(store.appendToStreams).toBeUndefined();
      });
    }

    (options.multiStream ? describe : describe.skip)('appendToStreams', () => {
      const atomic = (appends: Parameters<NonNullable<EventStore['appendToStreams']>>[0]) => store.appendToStreams!(appends);
      const counts = async (...ids: string[]) => Promise.all(ids.map(async (id) => (await store.readStream(id)).length));

      it('appends to several streams at once: results in input order, each stream chained, one transaction in positions', async () => {
        await store.appendToStream(stream('budget'), [event('Approved')], { expectedRevision: 'no_stream' });
        const spend = event('SpendRecorded', { amountOre: 160000 });
        const paid = event('PaymentRecorded', { amountOre: 160000 });
        const note = event('Noted');
        const results = await atomic([
          { streamId: stream('budget'), events: [spend], expectedRevision: 0 },
          { streamId: stream('family-b'), events: [paid, note], expectedRevision: 'no_stream' },
          { streamId: stream('family-a'), events: [event('PaymentRecorded')], expectedRevision: 'any' },
        ]);
        expect(results.map((r) => r.nextExpectedRevision)).toEqual([1, 1, 0]);
        const budget = await store.readStream(stream('budget'));
        const family = await store.readStream(stream('family-b'));
        expect(budget.map((e) => e.id)).toEqual([budget[0].id, spend.id]);
        expect(family.map((e) => [e.id, e.revision])).toEqual([
          [paid.id, 0],
          [note.id, 1],
        ]);
        expect(results[0].position).toBe(budget[1].globalPosition);
        expect(results[1].position).toBe(family[1].globalPosition);
        for (const events of [budget, family]) {
          let previous = GENESIS_HASH;
          for (const e of events) {
            expect(e.hash).toBe(chainHash(previous, e.streamId, e.revision, contentDigest(e)));
            previous = e.hash;
          }
        }
        // Readers of $all see all of it, in position order.
        const all = await store.readAll({ filter: { streamPrefixes: [prefix] } });
        expect(all).toHaveLength(5);
        // A single-stream append continues each chain from there.
        await store.appendToStream(stream('budget'), [event('SpendRecorded')], { expectedRevision: 1 });
        const [, , third] = await store.readStream(stream('budget'));
        expect(third.hash).toBe(chainHash(budget[1].hash, third.streamId, 2, contentDigest(third)));
      });

      it('a stale expected revision on one stream refuses the whole append: no stream changes', async () => {
        await store.appendToStream(stream('budget'), [event(), event()]);
        await store.appendToStream(stream('family'), [event()]);
        const error = await atomic([
          { streamId: stream('family'), events: [event('PaymentRecorded')], expectedRevision: 0 },
          { streamId: stream('new'), events: [event('Created')], expectedRevision: 'no_stream' },
          { streamId: stream('budget'), events: [event('SpendRecorded')], expectedRevision: 0 },
        ]).catch((e) => e);
        expect(error).toBeInstanceOf(WrongExpectedVersionError);
        expect(error).toMatchObject({ streamId: stream('budget'), expectedRevision: 0, actualRevision: 1 });
        expect(await counts(stream('budget'), stream('family'), stream('new'))).toEqual([2, 1, 0]);
        expect(await store.readAll({ filter: { streamPrefixes: [prefix] } })).toHaveLength(3);
      });

      it('an exact retry (same ids, stale revisions) stores nothing and returns the original results', async () => {
        const appends = [
          { streamId: stream('budget'), events: [event('SpendRecorded')], expectedRevision: 'no_stream' as const },
          { streamId: stream('family'), events: [event('PaymentRecorded')], expectedRevision: 'no_stream' as const },
        ];
        const first = await atomic(appends);
        await store.appendToStream(stream('family'), [event('NeedExpressed')]);
        expect(await atomic(appends)).toEqual(first);
        expect(await counts(stream('budget'), stream('family'))).toEqual([1, 2]);
      });

      it('refuses ids of which only some streams hold them (not the same append), storing nothing', async () => {
        const spend = event('SpendRecorded');
        await store.appendToStream(stream('budget'), [spend]);
        const error = await atomic([
          { streamId: stream('family'), events: [event('PaymentRecorded')], expectedRevision: 'any' },
          { streamId: stream('budget'), events: [spend], expectedRevision: 'any' },
        ]).catch((e) => e);
        expect(error).toBeInstanceOf(EventIdConflictError);
        expect(await counts(stream('budget'), stream('family'))).toEqual([1, 0]);
      });

      it('refuses invalid input before storing anything', async () => {
        const shared = event();
        for (const appends of [
          [],
          [{ streamId: stream('a'), events: [], expectedRevision: 'any' as const }],
          [
            { streamId: stream('a'), events: [event()], expectedRevision: 'any' as const },
            { streamId: stream('a'), events: [event()], expectedRevision: 'any' as const },
          ],
          [
            { streamId: stream('a'), events: [shared], expectedRevision: 'any' as const },
            { streamId: stream('b'), events: [shared], expectedRevision: 'any' as const },
          ],
          [{ streamId: stream('a'), events: [event()], expectedRevision: -3 }],
        ]) {
          await expect(atomic(appends)).rejects.toBeInstanceOf(InvalidAppendError);
        }
        expect(await counts(stream('a'), stream('b'))).toEqual([0, 0]);
      });

      it('12 writers move money between one budget and their own streams, racing single appends: every spend has its payment', async () => {
        const writers = 12;
        const perWriter = 25;
        await store.appendToStream(stream('budget'), [event('Approved')], { expectedRevision: 'no_stream' });
        let conflicts = 0;
        await Promise.all(
          Array.from({ length: writers }, async (_, w) => {
            const own = stream(`family-${w}`);
            for (let i = 0; i < perWriter; i++) {
              const ref = `${w}-${i}`;
              const spend = event('SpendRecorded', { ref });
              const paid = event('PaymentRecorded', { ref });
              for (;;) {
                const [budget, family] = await Promise.all([
                  store.readStream(stream('budget'), { direction: 'backwards', maxCount: 1 }),
                  store.readStream(own, { direction: 'backwards', maxCount: 1 }),
                ]);
                try {
                  await atomic([
                    { streamId: stream('budget'), events: [spend], expectedRevision: budget[0].revision },
                    { streamId: own, events: [paid], expectedRevision: family[0]?.revision ?? 'no_stream' },
                  ]);
                  break;
                } catch (error) {
                  if (!(error instanceof WrongExpectedVersionError)) throw error;
                  conflicts++;
                }
              }
              // Other commands on the same family, through the single-stream path.
              if (i % 5 === 0) await store.appendToStream(own, [event('NeedExpressed')]);
            }
          }),
        );
        expect(conflicts).toBeGreaterThan(0);
        const budget = await store.readStream(stream('budget'), { maxCount: 10000 });
        expect(budget.map((e) => e.revision)).toEqual(Array.from({ length: writers * perWriter + 1 }, (_, i) => i));
        const spent = budget
          .filter((e) => e.type === 'SpendRecorded')
          .map((e) => e.data.ref)
          .sort();
        const paid: unknown[] = [];
        for (let w = 0; w < writers; w++) {
          const family = await store.readStream(stream(`family-${w}`), { maxCount: 10000 });
          expect(family.map((e) => e.revision)).toEqual(Array.from({ length: family.length }, (_, i) => i));
          paid.push(...family.filter((e) => e.type === 'PaymentRecorded').map((e) => e.data.ref));
        }
        expect(spent).toHaveLength(writers * perWriter);
        expect(paid.sort()).toEqual(spent);
      }, 120000);
    });

    describe('readStream', () => {
      it('reads forwards and backwards from a revision, paged', async () => {
        const events = Array.from({ length: 10 }, (_, i) => event('E', { i }));
        await store.appendToStream(stream('s'), events);
        const page1 = await store.readStream(stream('s'), { maxCount: 4 });
        const page2 = await store.readStream(stream('s'), { fromRevision: 4, maxCount: 4 });
        const page3 = await store.readStream(stream('s'), { fromRevision: 8, maxCount: 4 });
        expect([...page1, ...page2, ...page3].map((e) => e.revision)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
        const back = await store.readStream(stream('s'), { direction: 'backwards', maxCount: 3 });
        expect(back.map((e) => e.revision)).toEqual([9, 8, 7]);
        const backFrom = await store.readStream(stream('s'), { direction: 'backwards', fromRevision: 2 });
        expect(backFrom.map((e) => e.revision)).toEqual([2, 1, 0]);
      });

      it('returns an empty list for a stream that does not exist', async () => {
        expect(await store.readStream(stream('missing'))).toEqual([]);
      });
    });

    describe('readAll', () => {
      it('reads in global order from an exclusive position, paged, filtered by stream prefix and type', async () => {
        await store.appendToStream(stream('a'), [event('Kept', { i: 0 }), event('Dropped')]);
        await store.appendToStream(stream('b'), [event('Kept', { i: 1 })]);
        await store.appendToStream(`other${prefix}a`, [event('Kept')]);
        await store.appendToStream(stream('a'), [event('Kept', { i: 2 })]);

        const all = await store.readAll({ filter: { streamPrefixes: [prefix] } });
        expect(all.map((e) => e.type)).toEqual(['Kept', 'Dropped', 'Kept', 'Kept']);
        for (let i = 1; i < all.length; i++) expect(all[i].globalPosition > all[i - 1].globalPosition).toBe(true);

        const kept = await store.readAll({ filter: { streamPrefixes: [prefix], eventTypes: ['Kept'] } });
        expect(kept.map((e) => e.data)).toEqual([{ i: 0 }, { i: 1 }, { i: 2 }]);

        const first = await store.readAll({ filter: { streamPrefixes: [prefix] }, maxCount: 2 });
        const rest = await store.readAll({ filter: { streamPrefixes: [prefix] }, fromPosition: first[1].globalPosition });
        expect([...first, ...rest].map((e) => e.id)).toEqual(all.map((e) => e.id));
      });
    });

    describe('subscribeToAll', () => {
      it('catches up from a checkpoint, signals caught-up, then delivers live events', async () => {
        await store.appendToStream(stream('s'), [event('Old', { i: 0 }), event('Old', { i: 1 }), event('Old', { i: 2 })]);
        const [checkpoint] = await store.readAll({ filter: { streamPrefixes: [prefix] }, maxCount: 1 });
        const subscription = store.subscribeToAll({ fromPosition: checkpoint.globalPosition, filter: { streamPrefixes: [prefix] } });
        let appendedLive = false;
        const { events, messages } = await collect(subscription, (seen, last) => {
          if (last.kind === 'caught-up' && !appendedLive) {
            appendedLive = true;
            void store.appendToStream(stream('t'), [event('Live')]);
          }
          return seen.length === 3;
        });
        expect(events.map((e) => [e.type, e.data])).toEqual([
          ['Old', { i: 1 }],
          ['Old', { i: 2 }],
          ['Live', {}],
        ]);
        const caughtUpAt = messages.findIndex((m) => m.kind === 'caught-up');
        expect(caughtUpAt).toBe(2);
      });

      it('applies the event-type filter', async () => {
        await store.appendToStream(stream('s'), [event('Wanted'), event('Unwanted'), event('Wanted')]);
        const subscription = store.subscribeToAll({ filter: { streamPrefixes: [prefix], eventTypes: ['Wanted'] } });
        const { events } = await collect(subscription, (_, last) => last.kind === 'caught-up');
        expect(events.map((e) => e.type)).toEqual(['Wanted', 'Wanted']);
      });

      it('stops when closed', async () => {
        const subscription = store.subscribeToAll({ filter: { streamPrefixes: [prefix] } });
        const messages: SubscriptionMessage[] = [];
        // Closed on its first message (caught up on an empty prefix), not after a time; then an
        // event is written that a subscription still running would deliver. The loop must end by
        // itself; an event arriving ends it too, so a broken close fails below instead of hanging.
        for await (const message of subscription) {
          messages.push(message);
          if (message.kind === 'event') break;
          if (messages.length === 1) {
            await subscription.close();
            await store.appendToStream(stream('after-close'), [event('AfterClose')]);
          }
        }
        expect(messages).toEqual([{ kind: 'caught-up', position: expect.any(BigInt) }]);
      });
    });

    describe('positions and lag', () => {
      it('reports the head position and counts events after a position', async () => {
        await store.appendToStream(stream('s'), [event('A'), event('B'), event('A')]);
        const all = await store.readAll({ filter: { streamPrefixes: [prefix] } });
        expect(await store.headPosition()).toBeGreaterThanOrEqual(all[2].globalPosition);
        expect(await store.countAfter(all[0].globalPosition, { streamPrefixes: [prefix] })).toBe(2);
        expect(await store.countAfter(all[0].globalPosition, { streamPrefixes: [prefix], eventTypes: ['A'] })).toBe(1);
      });
    });

    describe('concurrency', () => {
      it('16 writers x 500 events on overlapping streams: the subscriber sees every committed event once, in order', async () => {
        const writers = 16;
        const perWriter = 500;
        const streams = 8;
        const total = writers * perWriter;
        const subscription = store.subscribeToAll({ filter: { streamPrefixes: [prefix] }, batchSize: 1000 });
        const seen = collect(subscription, (events) => events.length >= total, 120000);

        let conflicts = 0;
        const acknowledged: string[] = [];
        await Promise.all(
          Array.from({ length: writers }, async (_, w) => {
            const streamId = stream(`w${w % streams}`);
            let expected = -1;
            for (let i = 0; i < perWriter; i++) {
              const e = event('Written', { writer: w, i });
              for (;;) {
                try {
                  const result = await store.appendToStream(streamId, [e], {
                    expectedRevision: expected < 0 ? 'no_stream' : expected,
                  });
                  expected = result.nextExpectedRevision;
                  acknowledged.push(e.id);
                  break;
                } catch (error) {
                  if (!(error instanceof WrongExpectedVersionError)) throw error;
                  conflicts++;
                  expect(error.actualRevision).not.toBe(expected);
                  expected = error.actualRevision;
                }
              }
            }
          }),
        );

        const { events } = await seen;
        expect(conflicts).toBeGreaterThan(0);
        expect(acknowledged).toHaveLength(total);
        expect(events).toHaveLength(total);
        expect(new Set(events.map((e) => e.id)).size).toBe(total);
        expect(new Set(events.map((e) => e.id))).toEqual(new Set(acknowledged));
        for (let i = 1; i < events.length; i++) {
          if (!(events[i].globalPosition > events[i - 1].globalPosition)) {
            throw new Error(`position ${events[i].globalPosition} after ${events[i - 1].globalPosition}`);
          }
        }
        for (let s = 0; s < streams; s++) {
          const revisions = events.filter((e) => e.streamId === stream(`w${s}`)).map((e) => e.revision);
          expect(revisions).toEqual(Array.from({ length: revisions.length }, (_, i) => i));
        }
      }, 180000);
    });
  });
}
