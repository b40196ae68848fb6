import { familyStreamId, possibleReaders, type FamilyState } from '@familievedtak/domain';
import { PostgresEventStore } from '@familievedtak/event-store';
import type { DataSource } from 'typeorm';
import type { TestDatabase } from '../../../../test/support/test-database';
import { FamilyViewRecords1764892800000 } from '../migrations/1764892800000-FamilyViewRecords';
import { rebuildProjection } from '../projection-rebuild';
import { involvedUnits } from './family-view.facts';
import { familyRecordChanges, FamilyViewProjection, type FamilyRecordRow } from './family-view.projection';
import { FAMILY_STATE_SQL, familyStateSql, MEMBER_FAMILIES_SQL, RECORD_KINDS } from './family-view.state-store';
import { runReadModelMigrations } from '../read-model-migrations';
import { openReadModelTestDatabase } from './testing/read-model-test-database';
import { appendHistory, decideHistory, foldCommits, type Commit, type Step } from './testing/family-history';
import { actors, HASSAN, hassanHistory, step } from './testing/hassan-family';

const smallFamily = (familyId: string): Step[] => [
  step('2024-05-01', actors.navCaseworker, 'RegisterFamily', {
    familyId,
    district: 'Heimdal',
    members: [{ memberId: `m-${familyId}`, name: `Adult of ${familyId}`, birthDate: '1990-01-01', role: 'adult' }],
  }),
  step('2024-05-01', actors.navCaseworker, 'JoinContactPerson', { personId: 'p-1', name: 'Contact', affiliation: { kind: 'unit', unit: 'NAV' } }),
  step('2024-05-02', actors.navCaseworker, 'ExpressNeed', { needId: 'n-1', memberId: `m-${familyId}`, words: 'Hjelp med regningene.' }),
];

/** Plain JSON, as the database hands a state back (no undefined fields). */
const json = (value: unknown) => JSON.parse(JSON.stringify(value)) as unknown;

type Family = { id: string; commits: Commit[]; revision: number };

const setUp = openReadModelTestDatabase;

describe('family view records: one command writes the header and the records it touched (PostgreSQL)', () => {
  let db: TestDatabase;
  let store: PostgresEventStore;
  let dataSource: DataSource;
  const families = new Map<string, Family>();
  const live = new FamilyViewProjection();

  /** Applies the family's events after `afterRevision` in one transaction, as a runner batch would. */
  const applyFrom = async (projection: FamilyViewProjection, familyId: string, afterRevision: number) => {
    const events = await store.readStream(familyStreamId(familyId), { fromRevision: afterRevision + 1, maxCount: 10_000 });
    await dataSource.transaction((manager) => projection.apply(events, manager));
  };
  /** Runs one command on the family (the real decider), appends it and applies it with `projection`. */
  const command = async (projection: FamilyViewProjection, familyId: string, next: Step) => {
    const family = families.get(familyId)!;
    const before = foldCommits(family.commits);
    const decided = decideHistory([next], before);
    const revision = await appendHistory(store, familyId, decided.commits, family.revision);
    await applyFrom(projection, familyId, family.revision);
    families.set(familyId, { id: familyId, commits: [...family.commits, ...decided.commits], revision });
    return { before, after: decided.state };
  };
  /** Row versions (xmin) of the family's header and of each of its records. */
  const versions = async (familyId: string) => {
    const [header] = await dataSource.query('SELECT xmin::text AS xmin FROM read_models.family_view WHERE family_id = $1', [familyId]);
    const records: Array<{ key: string; xmin: string }> = await dataSource.query(
      `SELECT kind || '/' || record_id AS key, xmin::text AS xmin FROM read_models.family_view_record WHERE family_id = $1`,
      [familyId],
    );
    return { header: header.xmin as string, records: new Map(records.map((r) => [r.key, r.xmin])) };
  };
  /** Records whose content the command changed, by the domain's own states. */
  const changedByDomain = (before: FamilyState, after: FamilyState) =>
    RECORD_KINDS.flatMap((kind) => {
      const was: Record<string, unknown> = before[kind] ?? {};
      const now: Record<string, unknown> = after[kind] ?? {};
      return [...new Set([...Object.keys(was), ...Object.keys(now)])]
        .filter((id) => JSON.stringify(was[id]) !== JSON.stringify(now[id]))
        .map((id) => `${kind}/${id}`);
    }).sort();
  const rewritten = (before: Awaited<ReturnType<typeof versions>>, after: Awaited<ReturnType<typeof versions>>) =>
    [...new Set([...before.records.keys(), ...after.records.keys()])].filter((key) => before.records.get(key) !== after.records.get(key)).sort();
  const storedState = async (familyId: string) => (await dataSource.query(FAMILY_STATE_SQL, [familyId]))[0]?.state as FamilyState | undefined;
  /** Both tables as they are, but for updated_at. */
  const tables = async () => ({
    headers: await dataSource.query(
      `SELECT family_id, district, units, readers, coordinating_unit, open_needs, active_decisions, next_period_end::text, revision::text, last_position::text, core
         FROM read_models.family_view ORDER BY family_id`,
    ),
    records: await dataSource.query('SELECT family_id, kind, record_id, data FROM read_models.family_view_record ORDER BY family_id, kind, record_id'),
  });

  beforeAll(async () => {
    ({ db, store, dataSource } = await setUp());
    const hassan = hassanHistory().commits;
    families.set(HASSAN, { id: HASSAN, commits: hassan, revision: await appendHistory(store, HASSAN, hassan) });
    for (const id of ['fam-01', 'fam-02']) {
      const commits = decideHistory(smallFamily(id)).commits;
      families.set(id, { id, commits, revision: await appendHistory(store, id, commits) });
    }
    // Command by command, as the runner follows a live API: the derived columns are mostly
    // moved by the changed records (deriveFrom), which the rebuild below must agree with.
    for (const family of families.values()) {
      const events = await store.readStream(familyStreamId(family.id), { maxCount: 10_000 });
      for (let at = 0, i = 0; i < family.commits.length; at += family.commits[i].length, i++) {
        const commit = events.slice(at, at + family.commits[i].length);
        if (commit.length) await dataSource.transaction((manager) => live.apply(commit, manager));
      }
    }
  });
  afterAll(async () => {
    await dataSource.destroy();
    await store.close();
    await db.drop();
  });

  it('stores each record of the growing maps as a row, and the rest of the state in the header', async () => {
    const [{ kinds }] = await dataSource.query(`SELECT count(*)::int AS kinds FROM read_models.family_view WHERE core ?| $1::text[]`, [[...RECORD_KINDS]]);
    expect(kinds).toBe(0);
    const state = foldCommits(families.get(HASSAN)!.commits);
    const [{ records }] = await dataSource.query(`SELECT count(*)::int AS records FROM read_models.family_view_record WHERE family_id = $1`, [HASSAN]);
    expect(records).toBe(RECORD_KINDS.reduce((sum, kind) => sum + Object.keys(state[kind] ?? {}).length, 0));
    expect(records).toBeGreaterThan(40);
    expect(await storedState(HASSAN)).toEqual(json(state));
  });

  it('a new need: the header and that one record row are written, no other row gets a new version', async () => {
    const before = await versions(HASSAN);
    const { before: was, after: now } = await command(
      live,
      HASSAN,
      step('2024-06-14', actors.navCaseworker, 'ExpressNeed', { needId: 'n-bike', memberId: 'm-yusuf', words: 'En sykkel til skolen.' }),
    );
    const after = await versions(HASSAN);
    expect(changedByDomain(was, now)).toEqual(['needs/n-bike']);
    expect(rewritten(before, after)).toEqual(['needs/n-bike']);
    expect(after.header).not.toBe(before.header);
    expect(await storedState(HASSAN)).toEqual(json(now));
  });

  it('a changed need, applied by a fresh instance that assembles the state from the tables: again only that record and the header', async () => {
    const before = await versions(HASSAN);
    const { before: was, after: now } = await command(
      new FamilyViewProjection(),
      HASSAN,
      step('2024-06-14', actors.navCaseworker, 'PickUpNeed', { needId: 'n-licence' }),
    );
    const after = await versions(HASSAN);
    const touched = changedByDomain(was, now);
    expect(touched).toContain('needs/n-licence');
    expect(rewritten(before, after)).toEqual(touched);
    expect(after.header).not.toBe(before.header);
    expect(await storedState(HASSAN)).toEqual(json(now));
  });

  it('a cached state whose revision is no longer the stored one is not used: the family is read back', async () => {
    const other = new FamilyViewProjection();
    // `live` caches fam-01 at its revision; `other` moves the stored family on behind its back.
    await command(live, 'fam-01', step('2024-06-01', actors.navCaseworker, 'PickUpNeed', { needId: 'n-1' }));
    await command(other, 'fam-01', step('2024-06-02', actors.navCaseworker, 'ExpressNeed', { needId: 'n-2', words: 'Vinterklær.' }));
    const { after } = await command(
      live,
      'fam-01',
      step('2024-06-03', actors.navCaseworker, 'ResolveNeed', { needId: 'n-1', resolution: 'Avtale med kreditor.' }),
    );
    expect(Object.keys(after.needs).sort()).toEqual(['n-1', 'n-2']);
    expect(await storedState('fam-01')).toEqual(json(after));
  });

  it('a rebuild from the log gives exactly the tables the command-by-command projection left, with and without the cache', async () => {
    const incremental = await tables();
    expect(incremental.headers).toHaveLength(3);
    // The derived columns as the domain computes them on the whole state.
    for (const header of incremental.headers) {
      const state = foldCommits(families.get(header.family_id)!.commits);
      expect(header.readers).toEqual(possibleReaders(state));
      expect(header.units).toEqual(involvedUnits(state));
    }
    expect(await rebuildProjection(dataSource, store, new FamilyViewProjection(), { batchSize: 7 })).toBe('rebuilt');
    expect(await tables()).toEqual(incremental);
    expect(await rebuildProjection(dataSource, store, new FamilyViewProjection(undefined, { cachedRecords: 0 }), { batchSize: 3 })).toBe('rebuilt');
    expect(await tables()).toEqual(incremental);
    for (const family of families.values()) expect(await storedState(family.id)).toEqual(json(foldCommits(family.commits)));
  });

  it('the state-store SQL serves a page of families in family order, each assembled whole', async () => {
    const rows: Array<{ family_id: string; state: FamilyState }> = await dataSource.query(
      `SELECT v.family_id, ${familyStateSql('v')} AS state FROM read_models.family_view v ORDER BY v.family_id`,
    );
    expect(rows.map((r) => r.family_id)).toEqual(['fam-01', 'fam-02', HASSAN]);
    for (const row of rows) expect(row.state).toEqual(json(foldCommits(families.get(row.family_id)!.commits)));
  });
});

describe('familyRecordChanges', () => {
  const state = (needs: FamilyState['needs']) => ({ needs }) as unknown as FamilyState;
  const need = (words: string) => ({ words }) as unknown as FamilyState['needs'][string];

  it('upserts new and replaced records, deletes records gone from a map, and skips maps that are the same object', () => {
    const kept = need('kept');
    const previous = state({ kept, replaced: need('old'), gone: need('gone') });
    const next = state({ kept, replaced: need('new'), added: need('added') });
    const upserts: FamilyRecordRow[] = [];
    const deletes: FamilyRecordRow[] = [];
    familyRecordChanges('f', next, previous, upserts, deletes);
    expect(upserts).toEqual([
      { family_id: 'f', kind: 'needs', record_id: 'replaced', data: { words: 'new' } },
      { family_id: 'f', kind: 'needs', record_id: 'added', data: { words: 'added' } },
    ]);
    expect(deletes).toEqual([{ family_id: 'f', kind: 'needs', record_id: 'gone' }]);

    const untouched: FamilyRecordRow[] = [];
    familyRecordChanges('f', state(next.needs), next, untouched, untouched);
    expect(untouched).toEqual([]);
  });
});

describe('FamilyViewRecords migration: an upgraded database keeps its families (PostgreSQL)', () => {
  let db: TestDatabase;
  let store: PostgresEventStore;
  let dataSource: DataSource;
  const migration = new FamilyViewRecords1764892800000();

  beforeAll(async () => {
    ({ db, store, dataSource } = await setUp());
  });
  afterAll(async () => {
    await dataSource.destroy();
    await store.close();
    await db.drop();
  });

  it('moves the records of every stored state into rows; the same states are served, the member index still serves the lookup', async () => {
    const commits = new Map<string, Commit[]>([[HASSAN, hassanHistory().commits]]);
    for (const id of ['fam-01', 'fam-02']) commits.set(id, decideHistory(smallFamily(id)).commits);
    const revisions = new Map<string, number>();
    for (const [id, history] of commits) revisions.set(id, await appendHistory(store, id, history));

    // The database as the previous release left it: one `state` jsonb per family, as the old
    // projection wrote it (the whole folded state), and no record table.
    const runner = dataSource.createQueryRunner();
    await migration.down(runner);
    await runner.query(`DELETE FROM read_model_migrations WHERE name = $1`, [migration.name]);
    await runner.release();
    for (const [id, history] of commits) {
      const state = foldCommits(history);
      const events = await store.readStream(familyStreamId(id), { maxCount: 10_000 });
      await dataSource.query(
        `INSERT INTO read_models.family_view (family_id, district, units, readers, coordinating_unit, open_needs, active_decisions, next_period_end, revision, last_position, state)
         VALUES ($1, $2, '{}', $3, $4, 0, 0, NULL, $5, $6, $7)`,
        [
          id,
          state.district,
          possibleReaders(state),
          state.coordinatingUnit,
          revisions.get(id),
          events[events.length - 1].globalPosition.toString(),
          JSON.stringify(state),
        ],
      );
    }

    expect(await runReadModelMigrations(dataSource)).toEqual([migration.name]);
    for (const [id, history] of commits) expect((await dataSource.query(FAMILY_STATE_SQL, [id]))[0].state).toEqual(json(foldCommits(history)));
    const [{ kinds }] = await dataSource.query(`SELECT count(*)::int AS kinds FROM read_models.family_view WHERE core ?| $1::text[]`, [[...RECORD_KINDS]]);
    expect(kinds).toBe(0);

    // The subject-access lookup still uses the GIN index, now on core->'members'.
    expect((await dataSource.query(MEMBER_FAMILIES_SQL, ['m-fam-02'])).map((r: { family_id: string }) => r.family_id)).toEqual(['fam-02']);
    const plan = await dataSource.transaction(async (manager) => {
      await manager.query('SET LOCAL enable_seqscan = off');
      return manager.query(`EXPLAIN ${MEMBER_FAMILIES_SQL.replace('$1', `'m-fam-02'`)}`);
    });
    expect(JSON.stringify(plan)).toContain('family_view_members_idx');

    // The projection goes on from the moved rows: the next command lands on top of them.
    const before = foldCommits(commits.get(HASSAN)!);
    const next = decideHistory([step('2024-06-14', actors.navCaseworker, 'ExpressNeed', { needId: 'n-bike', words: 'En sykkel.' })], before);
    await appendHistory(store, HASSAN, next.commits, revisions.get(HASSAN));
    const events = await store.readStream(familyStreamId(HASSAN), { fromRevision: revisions.get(HASSAN)! + 1 });
    await dataSource.transaction((manager) => new FamilyViewProjection().apply(events, manager));
    expect((await dataSource.query(FAMILY_STATE_SQL, [HASSAN]))[0].state).toEqual(json(next.state));
  });
});
