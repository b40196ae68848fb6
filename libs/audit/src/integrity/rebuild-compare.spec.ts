import { PostgresEventStore } from '@familievedtak/event-store';
import { createReadModelDataSource, FamilyViewProjection, ProjectionRunner, readCheckpoint, runReadModelMigrations } from '@familievedtak/projections';
import type { DataSource } from 'typeorm';
import { appendHistory, decideHistory, type Step } from '../../../projections/src/family-view/testing/family-history';
import { actors, HASSAN, hassanHistory, step } from '../../../projections/src/family-view/testing/hassan-family';
import { createTestDatabase, TestDatabase } from '../../../../test/support/test-database';
import { rebuildAndCompare } from './rebuild-compare';

const SMALL = ['fam-01', 'fam-02', 'fam-03', 'fam-04', 'fam-05'];

const smallFamily = (familyId: string): Step[] => [
  step('2024-05-01', actors.navCaseworker, 'RegisterFamily', {
    familyId,
    district: 'Heimdal',
    members: [{ memberId: 'm-1', name: `Adult of ${familyId}`, birthDate: '1990-01-01', role: 'adult' }],
  }),
  step('2024-05-01', actors.navCaseworker, 'JoinContactPerson', { personId: 'p-1', name: 'Contact', affiliation: { kind: 'unit', unit: 'NAV' } }),
  step('2024-05-02', actors.navCaseworker, 'ExpressNeed', { needId: 'n-1', memberId: 'm-1', words: 'Hjelp med regningene.' }),
];

describe('rebuildAndCompare: the family view replayed into a shadow schema against the live one (PostgreSQL)', () => {
  let db: TestDatabase;
  let store: PostgresEventStore;
  let dataSource: DataSource;
  let runner: ProjectionRunner;
  let familyEvents: number;
  const revisions = new Map<string, number>();
  const sql = (text: string, params: unknown[] = []) => dataSource.query(text, params);
  const shadowSchemas = async () =>
    (await sql(`SELECT nspname FROM pg_namespace WHERE nspname LIKE 'shadow\\_%' ORDER BY 1`)).map((r: { nspname: string }) => r.nspname);

  beforeAll(async () => {
    db = await createTestDatabase();
    store = new PostgresEventStore({ pool: db.pool, pollIntervalMs: 10 });
    await store.migrate();
    dataSource = createReadModelDataSource(db.url);
    await dataSource.initialize();
    await runReadModelMigrations(dataSource);
    revisions.set(HASSAN, await appendHistory(store, HASSAN, hassanHistory().commits));
    for (const id of SMALL) revisions.set(id, await appendHistory(store, id, decideHistory(smallFamily(id)).commits));
    familyEvents = [...revisions.values()].reduce((sum, revision) => sum + revision + 1, 0);
    runner = new ProjectionRunner(dataSource, store, new FamilyViewProjection(), { batchSize: 5, standbyRetryMs: 50 });
    runner.start();
    await runner.waitUntilCaughtUp();
  });
  afterAll(async () => {
    await runner.stop();
    await dataSource.destroy();
    await store.close();
    await db.drop();
  });

  it('a live view kept by the projection matches its replay exactly; the shadow schema is gone afterwards', async () => {
    const phases = new Map<string, [number, number]>();
    const result = await rebuildAndCompare(dataSource, store, {
      batchSize: 7,
      pageSize: 2,
      onProgress: (phase, done, total) => phases.set(phase, [done, total]),
    });
    expect(result).toEqual({
      position: (await readCheckpoint(dataSource, 'family-view')).toString(),
      eventsReplayed: familyEvents,
      rows: { live: 6, rebuilt: 6 },
      missing: 0,
      extra: 0,
      different: 0,
      differences: [],
      truncated: false,
      ok: true,
      shadowSchema: null,
    });
    expect(phases.get('replay')).toEqual([familyEvents, familyEvents]);
    expect(phases.get('compare')).toEqual([6, 6]);
    expect(await shadowSchemas()).toEqual([]);
  });

  it('a corrupted, a deleted and an invented live row: each reported precisely, with JSON paths and both values', async () => {
    await runner.stop(); // nothing may rewrite the tampered rows meanwhile
    await sql(`UPDATE read_models.family_view SET core = jsonb_set(core, '{members,m-1,name}', '"Somebody Else"'), open_needs = 7 WHERE family_id = 'fam-02'`);
    // A record row is compared too, under its path in the whole state.
    await sql(
      `UPDATE read_models.family_view_record SET data = jsonb_set(data, '{words}', '"Noe annet."') WHERE family_id = 'fam-02' AND kind = 'needs' AND record_id = 'n-1'`,
    );
    await sql(`DELETE FROM read_models.family_view WHERE family_id = 'fam-04'`);
    await sql(`INSERT INTO read_models.family_view SELECT 'ghost', district, units, coordinating_unit, open_needs, active_decisions, next_period_end, revision, last_position, core, updated_at, readers
                 FROM read_models.family_view WHERE family_id = 'fam-01'`);

    const result = await rebuildAndCompare(dataSource, store, { pageSize: 4 });
    expect(result).toMatchObject({ ok: false, rows: { live: 6, rebuilt: 6 }, missing: 1, extra: 1, different: 1, truncated: false });
    expect(result.differences).toEqual([
      {
        familyId: 'fam-02',
        kind: 'different',
        fields: [
          { path: '$.open_needs', live: 7, rebuilt: 1 },
          { path: '$.state.members["m-1"].name', live: 'Somebody Else', rebuilt: 'Adult of fam-02' },
          { path: '$.state.needs["n-1"].words', live: 'Noe annet.', rebuilt: 'Hjelp med regningene.' },
        ],
      },
      { familyId: 'fam-04', kind: 'missing', fields: [] },
      { familyId: 'ghost', kind: 'extra', fields: [] },
    ]);
  });

  it('withheld values: the same differences by path, without the values', async () => {
    const result = await rebuildAndCompare(dataSource, store, { withholdValues: (live) => live?.district === 'Heimdal' });
    expect(result.differences[0]).toEqual({
      familyId: 'fam-02',
      kind: 'different',
      fields: [{ path: '$.open_needs' }, { path: '$.state.members["m-1"].name' }, { path: '$.state.needs["n-1"].words' }],
      withheld: true,
    });
  });

  it('compares at the live checkpoint: a family the live view has not reached yet is left out of the replay too; keepShadow keeps the copy', async () => {
    const checkpoint = await readCheckpoint(dataSource, 'family-view');
    // The runner is stopped, so this family lies beyond the live checkpoint.
    await appendHistory(store, 'fam-06', decideHistory(smallFamily('fam-06')).commits);
    expect(await store.countAfter(checkpoint, { streamPrefixes: ['family-'] })).toBe(3);

    const result = await rebuildAndCompare(dataSource, store, { keepShadow: true, maxDifferences: 1 });
    expect(result).toMatchObject({ position: checkpoint.toString(), eventsReplayed: familyEvents, missing: 1, extra: 1, different: 1, truncated: true });
    expect(result.differences.map((d) => d.familyId)).toEqual(['fam-02']);
    expect(result.shadowSchema).toMatch(/^shadow_[0-9a-f]{12}$/);
    expect(await shadowSchemas()).toEqual([result.shadowSchema]);
    const kept = await sql(`SELECT family_id FROM ${result.shadowSchema}.family_view ORDER BY family_id`);
    expect(kept.map((r: { family_id: string }) => r.family_id)).toEqual(['fam-01', 'fam-02', 'fam-03', 'fam-04', 'fam-05', HASSAN]);
    const keptNeeds = await sql(
      `SELECT family_id FROM ${result.shadowSchema}.family_view_record WHERE kind = 'needs' AND record_id = 'n-1' ORDER BY family_id`,
    );
    expect(keptNeeds.map((r: { family_id: string }) => r.family_id)).toEqual(['fam-01', 'fam-02', 'fam-03', 'fam-04', 'fam-05']);
    await sql(`DROP SCHEMA ${result.shadowSchema} CASCADE`);
  });

  it('once the projection catches up, the new family is in both and only the tampering remains', async () => {
    runner.start();
    await runner.waitUntilCaughtUp();
    const result = await rebuildAndCompare(dataSource, store);
    expect(result).toMatchObject({
      position: (await readCheckpoint(dataSource, 'family-view')).toString(),
      eventsReplayed: familyEvents + 3,
      rows: { live: 7, rebuilt: 7 },
    });
    expect(result.differences.map((d) => `${d.familyId}:${d.kind}`)).toEqual(['fam-02:different', 'fam-04:missing', 'ghost:extra']);
  });

  it('an aborted run leaves no shadow schema behind', async () => {
    const controller = new AbortController();
    const run = rebuildAndCompare(dataSource, store, {
      batchSize: 2,
      onProgress: (phase, done) => phase === 'replay' && done >= 4 && controller.abort(new Error('too long')),
      signal: controller.signal,
    });
    await expect(run).rejects.toThrow('too long');
    expect(await shadowSchemas()).toEqual([]);
  });
});
