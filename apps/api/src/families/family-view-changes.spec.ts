import { randomUUID } from 'node:crypto';
import { familyStreamId } from '@familievedtak/domain';
import { PostgresEventStore, type RecordedEvent } from '@familievedtak/event-store';
import {
  changePayloads,
  FAMILY_VIEW_CHANNEL,
  FamilyStateCache,
  FamilyViewChangeHub,
  FamilyViewChangeListener,
  FamilyViewProjection,
  FamilyViewQueries,
  parseChanges,
  ProjectionRunner,
  type FamilyViewChange,
  type FamilyViewChangeSink,
  type ReadAs,
} from '@familievedtak/projections';
import type { DataSource } from 'typeorm';
import type { TestDatabase } from '../../../../test/support/test-database';
import { appendHistory, decideHistory } from '../../../../libs/projections/src/family-view/testing/family-history';
import { actors, HASSAN, hassanHistory, step, TODAY } from '../../../../libs/projections/src/family-view/testing/hassan-family';
import { FamilyViewCache, type FamilyViewRead } from './family-view-cache';
import { openReadModelTestDatabase } from '../../../../libs/projections/src/family-view/testing/read-model-test-database';

const AS_NAV: ReadAs = { actor: actors.navCaseworker, accessDay: TODAY };

/**
 * Passes everything to the cache and records it; `until` resolves once a condition on what was
 * heard holds (checked on every event, never on a timer).
 */
class RecordingSink implements FamilyViewChangeSink {
  readonly changes: FamilyViewChange[] = [];
  readonly states: boolean[] = [];
  private waiters: Array<{ condition: () => boolean; resolve: () => void }> = [];
  constructor(private readonly cache: FamilyViewCache) {}
  changed(change: FamilyViewChange): void {
    this.changes.push(change);
    this.cache.changed(change);
    this.settle();
  }
  listening(on: boolean): void {
    this.states.push(on);
    this.cache.listening(on);
    this.settle();
  }
  until(condition: () => boolean): Promise<void> {
    if (condition()) return Promise.resolve();
    return new Promise((resolve) => this.waiters.push({ condition, resolve }));
  }
  private settle(): void {
    this.waiters = this.waiters.filter((waiter) => (waiter.condition() ? (waiter.resolve(), false) : true));
  }
}

describe('family view change payloads', () => {
  it('split under the NOTIFY limit and read back whole, in order', () => {
    const changes = Array.from({ length: 600 }, (_, i) => ({ familyId: randomUUID(), revision: i * 1_000_003 }));
    const payloads = changePayloads(changes);
    expect(payloads.length).toBeGreaterThan(1);
    for (const payload of payloads) expect(Buffer.byteLength(payload)).toBeLessThan(8_000);
    expect(payloads.flatMap(parseChanges)).toEqual(changes);
    expect(parseChanges('garbage\n:x\n12:')).toEqual([{ familyId: '', revision: 12 }]);
  });
});

describe('FamilyViewCache on the change feed (PostgreSQL, projection running and notifying)', () => {
  let db: TestDatabase;
  let dataSource: DataSource;
  let store: PostgresEventStore;
  let runner: ProjectionRunner;
  let queries: FamilyViewQueries;
  let revision: number;
  const hub = new FamilyViewChangeHub();
  let state: ReturnType<typeof hassanHistory>['state'];
  /** readView calls (round trips to the database) and the builds among them. */
  let lookups = 0;
  const counting = () => ({
    readView: (...args: Parameters<FamilyViewQueries['readView']>) => {
      lookups++;
      return queries.readView(...args);
    },
  });
  const viewOf = (read: FamilyViewRead | undefined) => {
    if (read?.kind !== 'view') throw new Error(`expected a view, got ${JSON.stringify(read)}`);
    return read;
  };
  const listenerFor = (sink: FamilyViewChangeSink) => new FamilyViewChangeListener(db.url, sink, { retryMs: 20, maxRetryMs: 100 });
  /** One command on the Hassans, projected (and notified on commit). */
  const expressNeed = async (words: string) => {
    const need = step(TODAY, actors.navCaseworker, 'ExpressNeed', { needId: `n-${randomUUID()}`, memberId: 'm-amina', words });
    const decided = decideHistory([need], state);
    revision = await appendHistory(store, HASSAN, decided.commits, revision);
    state = decided.state;
    await runner.waitUntilCaughtUp();
    return revision;
  };

  beforeAll(async () => {
    ({ db, store, dataSource } = await openReadModelTestDatabase());
    const history = hassanHistory();
    state = history.state;
    revision = await appendHistory(store, HASSAN, history.commits);
    const states = new FamilyStateCache();
    queries = new FamilyViewQueries(dataSource, { stateCache: states });
    const projection = new FamilyViewProjection(undefined, {
      stateCache: states,
      notifyChannel: FAMILY_VIEW_CHANNEL,
      onCommitted: (changes) => hub.publish(changes),
    });
    runner = new ProjectionRunner(dataSource, store, projection, { batchSize: 50, standbyRetryMs: 50, checkpointCheckMs: 100 });
    runner.start();
    await runner.waitUntilCaughtUp();
  });
  afterAll(async () => {
    await runner.stop();
    await dataSource.destroy();
    await db.drop();
  });
  beforeEach(() => {
    lookups = 0;
  });

  it('an unchanged view is served without a lookup; a command is heard on commit and the next read builds the new revision', async () => {
    const source = counting();
    const cache = new FamilyViewCache(source);
    const sink = new RecordingSink(cache);
    const listener = listenerFor(sink);
    await listener.start();
    try {
      expect(sink.states).toEqual([true]);
      const first = viewOf(await cache.read(HASSAN, TODAY, AS_NAV));
      const again = viewOf(await cache.read(HASSAN, TODAY, AS_NAV));
      expect(again.body.equals(first.body)).toBe(true);
      expect(lookups).toBe(1);
      expect(cache.stats()).toMatchObject({ hits: 1, hitsWithoutLookup: 1, listening: true });

      const next = await expressNeed('Vi trenger hjelp med bolig');
      await sink.until(() => sink.changes.some((c) => c.familyId === HASSAN && c.revision === next));
      const after = viewOf(await cache.read(HASSAN, TODAY, AS_NAV));
      expect(lookups).toBe(2);
      expect(after.revision).toBe(next);
      expect(after.body.toString()).toContain('Vi trenger hjelp med bolig');
    } finally {
      await listener.stop();
    }
  });

  it('nothing is heard of a batch that rolls back: notifications come with the commit', async () => {
    const cache = new FamilyViewCache(counting());
    const sink = new RecordingSink(cache);
    const listener = listenerFor(sink);
    await listener.start();
    try {
      const need = step(TODAY, actors.navCaseworker, 'ExpressNeed', { needId: 'n-rolled-back', memberId: 'm-amina', words: 'Rulles tilbake' });
      const decided = decideHistory([need], state);
      // Never appended: a second projection applies them itself, in a transaction then rolled back.
      const events: RecordedEvent[] = decided.commits.flat().map((event, i) => ({
        id: randomUUID(),
        hash: '',
        streamId: familyStreamId(HASSAN),
        revision: revision + 1 + i,
        globalPosition: BigInt(Number.MAX_SAFE_INTEGER - 10 + i),
        type: event.type,
        data: event.data as unknown as RecordedEvent['data'],
        metadata: {},
        recordedAt: new Date(),
      }));
      const projection = new FamilyViewProjection(undefined, { notifyChannel: FAMILY_VIEW_CHANNEL });
      await expect(
        dataSource.transaction(async (manager) => {
          await projection.apply(events, manager);
          throw new Error('rolled back on purpose');
        }),
      ).rejects.toThrow('rolled back on purpose');
      // A marker committed after the rollback: once it is heard, anything the rollback sent would have been heard first.
      await dataSource.query('SELECT pg_notify($1, $2)', [FAMILY_VIEW_CHANNEL, '0:marker']);
      await sink.until(() => sink.changes.some((c) => c.familyId === 'marker'));
      expect(sink.changes.filter((c) => c.familyId === HASSAN)).toEqual([]);
    } finally {
      await listener.stop();
    }
  });

  it('a lost connection voids the trust: reads ask the database until the feed is back, then are trusted again', async () => {
    const cache = new FamilyViewCache(counting());
    const sink = new RecordingSink(cache);
    const listener = listenerFor(sink);
    await listener.start();
    try {
      viewOf(await cache.read(HASSAN, TODAY, AS_NAV));
      viewOf(await cache.read(HASSAN, TODAY, AS_NAV));
      expect(lookups).toBe(1);
      await dataSource.query(`SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = 'familievedtak-view-changes'`);
      await sink.until(() => sink.states.length >= 3);
      expect(sink.states).toEqual([true, false, true]);
      // Back, but in a new epoch: what was trusted before may have missed a change while the feed was down.
      viewOf(await cache.read(HASSAN, TODAY, AS_NAV));
      expect(lookups).toBe(2);
      viewOf(await cache.read(HASSAN, TODAY, AS_NAV));
      expect(lookups).toBe(2);
    } finally {
      await listener.stop();
    }
  });

  it('a view read while a newer revision was already heard is not trusted (a commit between the read and now)', async () => {
    const cache = new FamilyViewCache(counting());
    cache.listening(true);
    const current = viewOf(await cache.read(HASSAN, TODAY, AS_NAV)).revision;
    // As if the next commit's notification overtook this read: the entry must be checked, not trusted.
    const other = new FamilyViewCache(counting());
    other.listening(true);
    other.changed({ familyId: HASSAN, revision: current + 1 });
    lookups = 0;
    viewOf(await other.read(HASSAN, TODAY, AS_NAV));
    viewOf(await other.read(HASSAN, TODAY, AS_NAV));
    expect(lookups).toBe(2);
    expect(other.stats().hitsWithoutLookup).toBe(0);
    // Without a feed, every read looks up (the cache as it was before the feed).
    const deaf = new FamilyViewCache(counting());
    lookups = 0;
    await deaf.read(HASSAN, TODAY, AS_NAV);
    await deaf.read(HASSAN, TODAY, AS_NAV);
    expect([lookups, deaf.stats().hits]).toEqual([2, 1]);
  });

  it('in this process the cache hears a batch on commit, before the runner says it caught up (no NOTIFY needed)', async () => {
    const cache = new FamilyViewCache(counting());
    hub.subscribe((changes) => changes.forEach((change) => cache.changed(change)));
    cache.listening(true); // as if the feed were heard: only the in-process delivery can make the next read right
    viewOf(await cache.read(HASSAN, TODAY, AS_NAV));
    viewOf(await cache.read(HASSAN, TODAY, AS_NAV));
    expect(lookups).toBe(1);
    const next = await expressNeed('Hjelp til barnehageplass');
    const after = viewOf(await cache.read(HASSAN, TODAY, AS_NAV));
    expect(after.revision).toBe(next);
    expect(lookups).toBe(2);
  });

  it('a client naming a newer revision than a trusted entry (X-Min-Revision) gets a lookup, not the entry', async () => {
    const cache = new FamilyViewCache(counting());
    cache.listening(true);
    const current = viewOf(await cache.read(HASSAN, TODAY, AS_NAV)).revision;
    await cache.read(HASSAN, TODAY, AS_NAV, undefined, current);
    expect(lookups).toBe(1);
    await cache.read(HASSAN, TODAY, AS_NAV, undefined, current + 1);
    expect(lookups).toBe(2);
  });

  it('reads routed to another source (a replica) earn no trust; the primary’s do', async () => {
    const cache = new FamilyViewCache(counting());
    cache.listening(true);
    let replicaLookups = 0;
    const replica = { readView: (...args: Parameters<FamilyViewQueries['readView']>) => (replicaLookups++, queries.readView(...args)) };
    await cache.read(HASSAN, TODAY, AS_NAV, replica);
    await cache.read(HASSAN, TODAY, AS_NAV, replica);
    expect(replicaLookups).toBe(2);
    await cache.read(HASSAN, TODAY, AS_NAV);
    await cache.read(HASSAN, TODAY, AS_NAV);
    await cache.read(HASSAN, TODAY, AS_NAV, replica);
    expect([lookups, replicaLookups]).toEqual([1, 2]);
  });
});
