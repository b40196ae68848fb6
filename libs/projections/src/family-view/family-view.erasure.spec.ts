import { familyStreamId, type ErasedMarker } from '@familievedtak/domain';
import { withPersonalData, type PersonalDataEventStore } from '@familievedtak/event-store';
import { rebuildAndCompare } from '@familievedtak/audit';
import { FamilySearchQueries } from '../family-search/family-search.queries';
import { ProjectionRunner } from '../projection-runner';
import { FamilyStateCache } from './family-state-cache';
import { FamilyViewProjection } from './family-view.projection';
import { FamilyViewQueries, type ReadAs } from './family-view.queries';
import { eraseRecords, IDENTITY_RULE } from './testing/erasure';
import { appendHistory, decideHistory, type Step } from './testing/family-history';
import { actors, step } from './testing/hassan-family';
import { openReadModelTestDatabase, type ReadModelTestDatabase } from './testing/read-model-test-database';

/**
 * Design §5: the key goes first, then PersonalDataErased; the family view refolds the family from
 * the log when it meets the event, so the live view equals a rebuild by construction and keeps
 * nothing of the erased keys: not in its rows, its search keys or the process's state cache.
 */
const ERASED_NAME = 'Zorbalind Quexhaven';
const ERASED_BIRTH_DATE = '1987-03-14';
const ERASED_NATIONAL_ID = '14038712345';
const ERASED_WORDS = 'Vaskemaskinen til Plumbrexi gikk i stykker';
const DISTINCTIVE = [ERASED_NAME, 'Zorbalind', 'Quexhaven', ERASED_NATIONAL_ID, ERASED_WORDS, 'Plumbrexi', ERASED_BIRTH_DATE];
const KEPT_NAME = 'Beholdt Trondsen';

const FAMILY = 'fam-erased';
const OTHER = 'fam-kept';
const TODAY = '2031-03-01';
const AUDITOR: ReadAs = { actor: { role: 'auditor', protectedAddressClearance: true }, accessDay: TODAY };
const NAV: ReadAs = { actor: { role: 'caseworker', unit: 'NAV' }, accessDay: TODAY };
const NEED_RULE = { scheduleId: 'trondheim-retention-2026', version: 1, entry: 'need', provision: 'GDPR art. 5(1)(e), 17(1)(a)' };
const marker = (rule: typeof IDENTITY_RULE, on: string): ErasedMarker => ({
  erased: { on, rule: `${rule.scheduleId}@v${rule.version}/${rule.entry}`, provision: rule.provision },
});

const nav = actors.navCaseworker;
const familySteps = (familyId: string, name: string, words: string, birthDate = ERASED_BIRTH_DATE, nationalId = ERASED_NATIONAL_ID): Step[] => [
  step('2026-05-04', nav, 'RegisterFamily', {
    familyId,
    district: 'Heimdal',
    members: [
      { memberId: 'm-a', name, birthDate, role: 'adult', nationalId, preferredLanguage: 'so' },
      { memberId: 'm-b', name: KEPT_NAME, birthDate: '1990-01-01', role: 'adult' },
    ],
  }),
  step('2026-05-04', nav, 'ExpressNeed', { needId: 'n-a', memberId: 'm-a', words }),
];

describe('the family view after an erasure (PostgreSQL)', () => {
  let rm: ReadModelTestDatabase;
  let store: PersonalDataEventStore;
  let runner: ProjectionRunner;
  let queries: FamilyViewQueries;
  let search: FamilySearchQueries;
  const stateCache = new FamilyStateCache();
  const before: { view?: string; rows?: string; found?: number } = {};

  const readModelRows = async (): Promise<string> => {
    const tables: Array<{ name: string }> = await rm.dataSource.query(
      `SELECT quote_ident(table_name) AS name FROM information_schema.tables WHERE table_schema = 'read_models' AND table_type = 'BASE TABLE' ORDER BY 1`,
    );
    expect(tables.map((t) => t.name)).toEqual(expect.arrayContaining(['family_view', 'family_view_record']));
    const rows: string[] = [];
    for (const { name } of tables) for (const row of await rm.dataSource.query(`SELECT t::text AS row FROM read_models.${name} t`)) rows.push(row.row);
    return rows.join('\n');
  };
  const view = async (familyId: string, readAs: ReadAs = AUDITOR) => {
    const stored = await queries.getView(familyId, TODAY, readAs);
    if (!stored || 'denied' in stored) throw new Error(`no view of ${familyId}`);
    return stored;
  };
  const searchHits = async (criteria: Parameters<FamilySearchQueries['search']>[0]) => (await search.search(criteria, TODAY, NAV)).items.map((i) => i.familyId);

  beforeAll(async () => {
    rm = await openReadModelTestDatabase();
    store = withPersonalData(rm.store, { pool: rm.db.pool, pollIntervalMs: 10 });
    queries = new FamilyViewQueries(rm.dataSource, { stateCache });
    search = new FamilySearchQueries(rm.dataSource);
    // As the API wires it (ProjectionsModule): the log the runner reads is the projection's log too.
    runner = new ProjectionRunner(rm.dataSource, store, new FamilyViewProjection(undefined, { stateCache, log: store }), {
      batchSize: 50,
      standbyRetryMs: 50,
      checkpointCheckMs: 100,
    });
    runner.start();
    const revision = await appendHistory(store, FAMILY, decideHistory(familySteps(FAMILY, ERASED_NAME, ERASED_WORDS)).commits);
    await appendHistory(
      store,
      OTHER,
      decideHistory(familySteps(OTHER, 'Kontroll Familiesen', 'Trenger hjelp med regningene', '1979-08-08', '08087912345')).commits,
    );
    await runner.waitUntilCaughtUp();
    // What the test would see if the erasure did not reach the read side.
    before.view = JSON.stringify(await view(FAMILY));
    before.rows = await readModelRows();
    before.found = (await searchHits({ name: 'zorbalind' })).length;

    await eraseRecords(store, FAMILY, ['need/n-a'], { on: '2031-02-02', rule: NEED_RULE, provision: NEED_RULE.provision }, revision, ['m-a']);
    await eraseRecords(store, FAMILY, ['identity/m-a'], { on: '2031-02-03', rule: IDENTITY_RULE, provision: IDENTITY_RULE.provision }, revision + 1, ['m-a']);
    await runner.waitUntilCaughtUp();
  });
  afterAll(async () => {
    await runner?.stop();
    await store?.keyStore.close();
    await rm?.close();
  });

  it('held the distinctive strings before the erasure (so their absence afterwards means something)', () => {
    for (const text of [ERASED_NAME, ERASED_WORDS, ERASED_NATIONAL_ID]) {
      expect(before.view).toContain(text);
      expect(before.rows).toContain(text);
    }
    expect(before.found).toBe(1);
  });

  it('shows markers in the view in place of the erased name, birth date, national id, language and need words', async () => {
    const { view: shown, revision } = await view(FAMILY);
    expect(revision).toBe(3);
    const member = shown.members.find((m) => m.memberId === 'm-a')!;
    const identity = marker(IDENTITY_RULE, '2031-02-03');
    expect(member).toMatchObject({ name: identity, birthDate: identity, nationalId: identity, preferredLanguage: identity, ageOnAsOf: null });
    expect(shown.needs.open[0].words).toEqual(marker(NEED_RULE, '2031-02-02'));
    expect(shown.members.find((m) => m.memberId === 'm-b')).toMatchObject({ name: KEPT_NAME, birthDate: '1990-01-01' });
    for (const text of DISTINCTIVE) expect(JSON.stringify(shown)).not.toContain(text);
  });

  it('shows markers in the list rows too, for a caseworker as for an auditor', async () => {
    for (const readAs of [AUDITOR, NAV]) {
      const page = await queries.listFamilies({}, TODAY, readAs);
      const row = page.items.find((i) => i.familyId === FAMILY)!;
      expect(row.members.find((m) => m.memberId === 'm-a')).toMatchObject({
        name: marker(IDENTITY_RULE, '2031-02-03'),
        birthDate: marker(IDENTITY_RULE, '2031-02-03'),
      });
      for (const text of DISTINCTIVE) expect(JSON.stringify(page.items)).not.toContain(text);
    }
  });

  it('no longer finds the family by the erased name, birth date or national id (the search keys come from the refolded state)', async () => {
    expect(await searchHits({ name: 'zorbalind' })).toEqual([]);
    expect(await searchHits({ name: 'quexhaven' })).toEqual([]);
    expect(await searchHits({ birthDate: ERASED_BIRTH_DATE })).toEqual([]);
    expect(await searchHits({ nationalId: ERASED_NATIONAL_ID })).toEqual([]);
    expect(await searchHits({ name: 'beholdt' })).toEqual([FAMILY, OTHER]);
    const keys: Array<{ keys: string[] }> = await rm.dataSource.query(
      `SELECT read_models.family_view_search_keys(core) AS keys FROM read_models.family_view WHERE family_id = $1`,
      [FAMILY],
    );
    expect(keys[0].keys.filter((k) => /zorb|quex|14038712345|1987-03-14/.test(k))).toEqual([]);
  });

  it('equals a rebuild: rebuildAndCompare replays the log into a shadow copy and finds no difference', async () => {
    const comparison = await rebuildAndCompare(rm.dataSource, store);
    expect(comparison.differences).toEqual([]);
    expect(comparison).toMatchObject({ ok: true, missing: 0, extra: 0, different: 0, rows: { live: 2, rebuilt: 2 } });
  });

  it('leaves none of the distinctive strings in any row of any read_models table', async () => {
    const rows = await readModelRows();
    for (const text of DISTINCTIVE) expect(rows).not.toContain(text);
    expect(rows).toContain(KEPT_NAME);
  });

  it("keeps no plaintext of the family in the process's state cache", () => {
    const cached = stateCache.get(FAMILY);
    expect(cached?.revision).toBe(3);
    for (const text of DISTINCTIVE) expect(JSON.stringify(cached)).not.toContain(text);
  });

  it('reads the stream as erased too: the refold read what a rebuild reads (the log holds only ciphertext of the erased fields)', async () => {
    const events = await store.readStream(familyStreamId(FAMILY));
    expect(events.map((e) => e.type)).toEqual(['FamilyRegistered', 'NeedExpressed', 'PersonalDataErased', 'PersonalDataErased']);
    const json = (read: typeof events) => JSON.stringify(read.map((e) => e.data));
    for (const text of DISTINCTIVE) expect(json(events)).not.toContain(text);
    for (const text of DISTINCTIVE) expect(json(await rm.store.readStream(familyStreamId(FAMILY)))).not.toContain(text);
  });
});
