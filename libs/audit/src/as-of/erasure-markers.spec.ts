import { familyStreamId, type ErasedMarker } from '@familievedtak/domain';
import { withPersonalData, type PersonalDataEventStore } from '@familievedtak/event-store';
import { eraseRecords, IDENTITY_RULE } from '../../../projections/src/family-view/testing/erasure';
import { appendHistory, decideHistory } from '../../../projections/src/family-view/testing/family-history';
import { actors, step } from '../../../projections/src/family-view/testing/hassan-family';
import { openReadModelTestDatabase, type ReadModelTestDatabase } from '../../../projections/src/family-view/testing/read-model-test-database';
import { readFamilyStream } from '../family-stream';
import { familyHistory } from '../history/family-history';
import { erasedWords } from '../history/erasure-words';
import { subjectAccessExport } from '../subject-access/subject-access';
import { subjectAccessHtml } from '../subject-access/subject-access.html';
import { asOfForReader, familyAsOf } from './family-as-of';

/**
 * Issue 17: time travel, history and subject access over erased history read "erased on <date>
 * under <rule>" in place of the data, never an error, and the same on every run. The family is
 * written and erased through the personal-data decorated store, as the API does (keys shredded
 * first, then PersonalDataErased).
 */
const NAME = 'Ulvrikke Snøbrandt';
const WORDS = 'Trenger hjelp med Qarvelund-husleia';
const NATIONAL_ID = '02029012345';
const DISTINCTIVE = [NAME, 'Ulvrikke', 'Snøbrandt', WORDS, 'Qarvelund', NATIONAL_ID, '1990-02-02'];
const FAMILY = 'fam-time-travel';
const TODAY = '2031-03-01';
const NEED_RULE = { scheduleId: 'trondheim-retention-2026', version: 1, entry: 'need', provision: 'GDPR art. 5(1)(e), 17(1)(a)' };
const IDENTITY: ErasedMarker = { erased: { on: '2031-02-03', rule: 'trondheim-retention-2026@v1/identity', provision: IDENTITY_RULE.provision } };
const NEED: ErasedMarker = { erased: { on: '2031-02-02', rule: 'trondheim-retention-2026@v1/need', provision: NEED_RULE.provision } };
const nav = actors.navCaseworker;

describe('time travel, history and subject access after an erasure (PostgreSQL, the decorated store)', () => {
  let rm: ReadModelTestDatabase;
  let store: PersonalDataEventStore;
  /** The global position of the last event before the erasure: a cut "before the data was erased". */
  let beforeErasure: bigint;

  beforeAll(async () => {
    rm = await openReadModelTestDatabase();
    store = withPersonalData(rm.store, { pool: rm.db.pool, pollIntervalMs: 10 });
    const { commits } = decideHistory([
      step('2026-05-04', nav, 'RegisterFamily', {
        familyId: FAMILY,
        district: 'Heimdal',
        members: [
          { memberId: 'm-a', name: NAME, birthDate: '1990-02-02', role: 'adult', nationalId: NATIONAL_ID, preferredLanguage: 'so' },
          { memberId: 'm-b', name: 'Beholdt Navnesen', birthDate: '1991-01-01', role: 'adult' },
        ],
      }),
      step('2026-05-04', nav, 'ExpressNeed', { needId: 'n-a', memberId: 'm-a', words: WORDS }),
    ]);
    const revision = await appendHistory(store, FAMILY, commits);
    beforeErasure = (await store.readStream(familyStreamId(FAMILY))).at(-1)!.globalPosition;
    await eraseRecords(store, FAMILY, ['need/n-a'], { on: '2031-02-02', rule: NEED_RULE, provision: NEED_RULE.provision }, revision, ['m-a']);
    await eraseRecords(store, FAMILY, ['identity/m-a'], { on: '2031-02-03', rule: IDENTITY_RULE, provision: IDENTITY_RULE.provision }, revision + 1, ['m-a']);
  });
  afterAll(async () => {
    await store?.keyStore.close();
    await rm?.close();
  });

  const withoutDistinctive = (value: unknown) => {
    const json = JSON.stringify(value, (_key, v: unknown) => (typeof v === 'bigint' ? v.toString() : v));
    for (const text of DISTINCTIVE) expect(json).not.toContain(text);
    expect(json).not.toContain('$erased');
  };

  it('time travel to a cut before the erasure shows markers (the data is gone, whatever the cut), the same on every run', async () => {
    const asOf = (await familyAsOf(store, FAMILY, { position: beforeErasure, today: TODAY }))!;
    expect(asOf.revision).toBe(1);
    expect(asOf.state.erasures).toEqual({});
    expect(asOf.view.members.find((m) => m.memberId === 'm-a')).toMatchObject({ name: IDENTITY, birthDate: IDENTITY, nationalId: IDENTITY, ageOnAsOf: null });
    expect(asOf.view.needs.open[0].words).toEqual(NEED);
    withoutDistinctive(asOf.view);
    const again = (await familyAsOf(store, FAMILY, { position: beforeErasure, today: TODAY }))!;
    expect(again.view).toEqual(asOf.view);
    expect(again.state).toEqual(asOf.state);

    const read = asOfForReader(asOf, nav, TODAY);
    if (!read.permit) throw new Error(read.reason);
    expect(read.state.members['m-a'].name).toEqual(IDENTITY);
    withoutDistinctive({ state: read.state, view: read.view });
  });

  it('time travel after the erasure shows the same markers', async () => {
    const asOf = (await familyAsOf(store, FAMILY, { position: await store.headPosition(), today: TODAY }))!;
    expect(asOf.revision).toBe(3);
    expect(asOf.view.members.find((m) => m.memberId === 'm-a')).toMatchObject({ name: IDENTITY, birthDate: IDENTITY });
    withoutDistinctive(asOf.view);
  });

  it('the history names the member as erased and lists what each event lost, by path, with its marker', async () => {
    const { entries } = familyHistory(await readFamilyStream(store, FAMILY), {}, { limit: 100 });
    expect(entries.map((e) => e.type)).toEqual(['FamilyRegistered', 'NeedExpressed', 'PersonalDataErased', 'PersonalDataErased']);
    expect(entries[0].label).toBe(
      'NAV registered the family in Heimdal with a member whose name was erased on 3 February 2031 under trondheim-retention-2026@v1/identity (GDPR art. 5(1)(e), 17(1)(a)) and Beholdt Navnesen',
    );
    expect(entries[0].erased).toEqual([
      { path: 'members.0.name', ...IDENTITY },
      { path: 'members.0.birthDate', ...IDENTITY },
      { path: 'members.0.nationalId', ...IDENTITY },
      { path: 'members.0.preferredLanguage', ...IDENTITY },
    ]);
    expect(entries[1].erased).toEqual([{ path: 'words', ...NEED }]);
    expect(entries[2].erased).toEqual([]);
    withoutDistinctive(entries);
  });

  it("subject access (JSON) shows markers for the member's identity, the need's words and each event's erased fields", async () => {
    const report = (await subjectAccessExport({ store, db: rm.db.pool }, 'm-a', { today: TODAY, generatedAt: new Date('2031-03-01T10:00:00Z') }))!;
    const part = report.families[0];
    expect(part.member).toMatchObject({ memberId: 'm-a', name: IDENTITY, birthDate: IDENTITY, nationalId: IDENTITY, preferredLanguage: IDENTITY });
    expect(part.needs.map((n) => n.words)).toEqual([NEED]);
    expect(part.events[0].data).toMatchObject({ members: [{ memberId: 'm-a', name: IDENTITY, birthDate: IDENTITY }], otherMembers: 1 });
    expect(part.events[1].data).toMatchObject({ words: NEED });
    expect(part.events[0].memberNames).toEqual([IDENTITY, 'Beholdt Navnesen']);
    withoutDistinctive(report);
  });

  it('subject access (page) says "slettet 3. februar 2031 etter …" in bokmål and "erased on 3 February 2031 under …" in English', async () => {
    const report = (await subjectAccessExport({ store, db: rm.db.pool }, 'm-a', { today: TODAY, generatedAt: new Date('2031-03-01T10:00:00Z') }))!;
    const nb = subjectAccessHtml(report, { lang: 'nb' });
    const en = subjectAccessHtml(report, { lang: 'en' });
    expect(nb).toContain('slettet 3. februar 2031 etter trondheim-retention-2026@v1/identity');
    expect(nb).toContain('slettet 2. februar 2031 etter trondheim-retention-2026@v1/need');
    expect(en).toContain('erased on 3 February 2031 under trondheim-retention-2026@v1/identity');
    for (const page of [nb, en]) {
      expect(page).not.toContain('[object Object]');
      for (const text of DISTINCTIVE.filter((t) => t !== '1990-02-02')) expect(page).not.toContain(text);
    }
  });

  it('erasedWords: bokmål, nynorsk and English; an erasure on request names its provision', () => {
    expect(erasedWords(IDENTITY, 'nb')).toBe('slettet 3. februar 2031 etter trondheim-retention-2026@v1/identity (GDPR art. 5(1)(e), 17(1)(a))');
    expect(erasedWords(IDENTITY, 'nn')).toBe('sletta 3. februar 2031 etter trondheim-retention-2026@v1/identity (GDPR art. 5(1)(e), 17(1)(a))');
    expect(erasedWords(IDENTITY, 'en')).toBe('erased on 3 February 2031 under trondheim-retention-2026@v1/identity (GDPR art. 5(1)(e), 17(1)(a))');
    const onRequest: ErasedMarker = { erased: { on: '2031-02-04', rule: null, provision: 'GDPR art. 17(1)' } };
    expect(erasedWords(onRequest, 'nb')).toBe('slettet 4. februar 2031 etter GDPR art. 17(1)');
    expect(erasedWords(onRequest, 'en')).toBe('erased on 4 February 2031 under GDPR art. 17(1)');
  });
});
