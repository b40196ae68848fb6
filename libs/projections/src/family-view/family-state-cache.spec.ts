import { initialFamilyState, type FamilyState } from '@familievedtak/domain';
import { PostgresEventStore } from '@familievedtak/event-store';
import type { DataSource } from 'typeorm';
import type { TestDatabase } from '../../../../test/support/test-database';
import { ProjectionRunner } from '../projection-runner';
import { countRecords, FamilyStateCache } from './family-state-cache';
import { FamilyViewProjection } from './family-view.projection';
import { FamilyViewQueries, type ReadAs } from './family-view.queries';
import { appendHistory, decideHistory } from './testing/family-history';
import { actors, HASSAN, hassanStepsWith, step, TODAY } from './testing/hassan-family';
import { openReadModelTestDatabase } from './testing/read-model-test-database';

const as = (actor: ReadAs['actor']): ReadAs => ({ actor, accessDay: TODAY });
const AUDITOR = as({ role: 'auditor', protectedAddressClearance: true });

/** Freezes every object reachable from `value`: a reader that mutates a shared state then throws (modules are strict). */
function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const key of Object.keys(value)) deepFreeze((value as Record<string, unknown>)[key]);
  }
  return value;
}

const stateWith = (needs: number): FamilyState => ({
  ...initialFamilyState(),
  needs: Object.fromEntries(Array.from({ length: needs }, (_, i) => [`n-${i}`, { needId: `n-${i}` }])) as unknown as FamilyState['needs'],
});

describe('FamilyStateCache (bounded by records, newest revision wins)', () => {
  it('counts the header and every record, and drops the least recently stored beyond its bound', () => {
    expect(countRecords(stateWith(3))).toBe(4);
    const cache = new FamilyStateCache(10);
    cache.folded('a', 1, stateWith(3));
    cache.folded('b', 1, stateWith(3));
    cache.folded('c', 1, stateWith(3));
    expect(cache.stats()).toEqual({ families: 2, records: 8 });
    expect(cache.get('a')).toBeUndefined();
    // A family larger than the whole bound is not held (and does not push the others out).
    cache.folded('huge', 1, stateWith(20));
    expect(cache.get('huge')).toBeUndefined();
    expect(cache.stats().families).toBe(2);
  });

  it('a state read from the database never replaces a newer one the projection folded', () => {
    const cache = new FamilyStateCache();
    const newer = stateWith(2);
    cache.folded('a', 7, newer);
    cache.read('a', 6, stateWith(1));
    expect(cache.get('a')).toMatchObject({ revision: 7, state: newer });
    cache.read('a', 8, stateWith(1));
    expect(cache.get('a')?.revision).toBe(8);
    expect(cache.revisionOf('none')).toBe(-1);
  });

  it('drops a state another process moved past (the change feed), so a reading process keeps no state an erasure refolded away', () => {
    const cache = new FamilyStateCache();
    cache.read('a', 3, stateWith(1));
    cache.folded('b', 5, stateWith(1));
    cache.moved('a', 4);
    cache.moved('b', 5);
    expect(cache.get('a')).toBeUndefined();
    expect(cache.get('b')?.revision).toBe(5);
    expect(cache.stats()).toEqual({ families: 1, records: 2 });
  });
});

describe('the view read on a state the process already holds (PostgreSQL, projection running)', () => {
  let db: TestDatabase;
  let dataSource: DataSource;
  let store: PostgresEventStore;
  let runner: ProjectionRunner;
  let states: FamilyStateCache;
  let queries: FamilyViewQueries;
  /** The `state` column of every answer to readView's query: null when the database sent no state. */
  let sent: Array<unknown>;

  beforeAll(async () => {
    ({ db, store, dataSource } = await openReadModelTestDatabase());
    // The Hassans with a kode 6 member: masking reads the shared state too.
    await appendHistory(store, HASSAN, decideHistory(hassanStepsWith({ 'm-omar': 'strengt-fortrolig' })).commits);
    states = new FamilyStateCache();
    queries = new FamilyViewQueries(dataSource, { stateCache: states });
    runner = new ProjectionRunner(dataSource, store, new FamilyViewProjection(undefined, { stateCache: states }), {
      batchSize: 50,
      standbyRetryMs: 50,
      checkpointCheckMs: 100,
    });
    runner.start();
    await runner.waitUntilCaughtUp();
    const query = dataSource.query.bind(dataSource);
    jest.spyOn(dataSource, 'query').mockImplementation(async (sql: string, parameters?: unknown[]) => {
      const rows = await query(sql, parameters);
      if (sql.includes('CASE WHEN h.revision = $2')) sent.push(...rows.map((row: { state: unknown }) => row.state));
      return rows;
    });
  });
  afterAll(async () => {
    jest.restoreAllMocks();
    await runner.stop();
    await dataSource.destroy();
    await db.drop();
  });
  beforeEach(() => {
    sent = [];
  });

  it('the state the projection just wrote serves the next read: one small row, no state sent, the same view as a cold read', async () => {
    const held = states.get(HASSAN)!;
    expect(held).toBeDefined();
    deepFreeze(held.state);
    const warm = await queries.getView(HASSAN, TODAY, AUDITOR);
    expect(sent).toEqual([null]);

    // A reader with its own, empty cache reads the state from the record rows.
    const cold = await new FamilyViewQueries(dataSource).getView(HASSAN, TODAY, AUDITOR);
    expect(sent).toHaveLength(2);
    expect(sent[1]).not.toBeNull();
    expect(JSON.parse(JSON.stringify(warm))).toEqual(JSON.parse(JSON.stringify(cold)));
  });

  it('readers of every kind decide and mask on the shared (frozen) state without changing it', async () => {
    const held = deepFreeze(states.get(HASSAN)!.state);
    const before = JSON.stringify(held);
    const readers = [actors.navCaseworker, actors.bftCaseworker, { ...actors.navCaseworker, protectedAddressClearance: true }, actors.oppvekstCaseworker];
    for (const actor of readers) {
      const warm = await queries.getView(HASSAN, TODAY, as(actor));
      const cold = await new FamilyViewQueries(dataSource).getView(HASSAN, TODAY, as(actor));
      expect(JSON.parse(JSON.stringify(warm))).toEqual(JSON.parse(JSON.stringify(cold)));
    }
    expect(JSON.stringify(states.get(HASSAN)!.state)).toBe(before);
  });

  it('a held state is a hint: at another revision than the stored one (a rolled-back batch, a replica behind), the stored state is read', async () => {
    const stored = await queries.getView(HASSAN, TODAY, AUDITOR);
    if (!stored || 'denied' in stored) throw new Error('the auditor reads every family');
    // Pretend this process folded a revision that never committed, with a state that is not the family's.
    states.folded(HASSAN, stored.revision + 1, initialFamilyState());
    sent = [];
    const read = await queries.getView(HASSAN, TODAY, AUDITOR);
    expect(sent).toHaveLength(1);
    expect(sent[0]).not.toBeNull();
    expect(JSON.parse(JSON.stringify(read))).toEqual(JSON.parse(JSON.stringify(stored)));
    // The newer (uncommitted) revision held stays: a read never replaces a newer state.
    expect(states.get(HASSAN)?.revision).toBe(stored.revision + 1);
  });

  it('readView answers "unchanged" for the revision the caller holds, and the view for any other', async () => {
    states.forget(HASSAN);
    const stored = await queries.getView(HASSAN, TODAY, AUDITOR);
    if (!stored || 'denied' in stored) throw new Error('the auditor reads every family');
    expect(await queries.readView(HASSAN, TODAY, AUDITOR, stored.revision)).toEqual({ unchanged: stored.revision });
    expect(await queries.readView(HASSAN, TODAY, AUDITOR, stored.revision - 1)).toMatchObject({ revision: stored.revision });
    expect(await queries.readView('no-such-family', TODAY, AUDITOR, 3)).toBeUndefined();
  });

  it('a new command: the projection folds on the held state and the next read needs no state from the database', async () => {
    states.forget(HASSAN);
    const first = await queries.getView(HASSAN, TODAY, AUDITOR);
    if (!first || 'denied' in first) throw new Error('the auditor reads every family');
    const held = states.get(HASSAN)!;
    const need = step(TODAY, actors.navCaseworker, 'ExpressNeed', { needId: 'n-cache', memberId: 'm-amina', words: 'Hjelp med lekser' });
    await appendHistory(store, HASSAN, decideHistory([need], held.state).commits, first.revision);
    await runner.waitUntilCaughtUp();
    sent = [];
    const next = await queries.getView(HASSAN, TODAY, AUDITOR);
    expect(sent).toEqual([null]);
    if (!next || 'denied' in next) throw new Error('the auditor reads every family');
    expect(next.revision).toBe(first.revision + 1);
    expect(JSON.stringify(next.view)).toContain('Hjelp med lekser');
  });
});
