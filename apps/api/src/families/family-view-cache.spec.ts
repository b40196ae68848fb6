import { NO_ACCESS_REASON, type Actor, type AddressProtection, type FamilyState } from '@familievedtak/domain';
import { PostgresEventStore } from '@familievedtak/event-store';
import {
  createReadModelDataSource,
  FamilyViewProjection,
  FamilyViewQueries,
  ProjectionRunner,
  runReadModelMigrations,
  type ReadAs,
} from '@familievedtak/projections';
import type { DataSource } from 'typeorm';
import { createTestDatabase, TestDatabase } from '../../../../test/support/test-database';
import { appendHistory, decideHistory, type Step } from '../../../../libs/projections/src/family-view/testing/family-history';
import { actors, BARNAS_STEMME, step } from '../../../../libs/projections/src/family-view/testing/hassan-family';
import { FamilyViewCache, familyViewCacheBytes, type FamilyViewRead } from './family-view-cache';

/**
 * The view cache against PostgreSQL and the real projection: a hit is the same bytes and the
 * same access record as a fresh build; a consent withdrawal (a new revision) or a later access
 * day is never answered from an entry made before it; readers of another scope (unit,
 * clearance) never get each other's entry; memory stays within its bound.
 */

const DAY = '2024-06-14';
const nav: Actor = { userId: 'kari.nav', role: 'caseworker', unit: 'NAV' };
const navCleared: Actor = { userId: 'ola.nav', role: 'caseworker', unit: 'NAV', protectedAddressClearance: true };
const bft: Actor = { userId: 'siri.bft', role: 'caseworker', unit: 'BFT' };
const otherBft: Actor = { userId: 'per.bft', role: 'caseworker', unit: 'BFT' };
const hvk: Actor = { userId: 'anne.hvk', role: 'caseworker', unit: 'HVK' };
const school: Actor = actors.school;
const otherPartner: Actor = { userId: 'ola.partner', role: 'partner', partnerOrganisation: '987654321' };
const as = (actor: Actor, accessDay = DAY): ReadAs => ({ actor, accessDay });

const SECRET_NAME = 'Hemmelig Navnesen';
const member = (memberId: string, name: string, birthDate: string, role: 'adult' | 'child', protection: AddressProtection = 'none') => ({
  memberId,
  name,
  birthDate,
  role,
  addressProtection: protection,
  protectedAddress: protection !== 'none',
});
const register = (familyId: string, adultProtection: AddressProtection): Step =>
  step('2024-05-01', nav, 'RegisterFamily', {
    familyId,
    district: 'Heimdal',
    members: [member('m-1', SECRET_NAME, '1990-01-01', 'adult', adultProtection), member('m-2', 'Kid', '2015-01-01', 'child')],
    parentalResponsibility: [{ childId: 'm-2', holderId: 'm-1' }],
  } as never);

/** BFT has a part (NAV's referral of the child, accepted) and reads NAV's need about the mother only under her consent, until 30 June. */
const consentFamily: Step[] = [
  register('consent', 'none'),
  step('2024-05-02', nav, 'ReferToUnit', { referralId: 'r-1', toUnit: 'BFT', memberIds: ['m-2'], reason: 'Bekymring', ground: 'duty-to-inform-child-welfare' }),
  step('2024-05-02', bft, 'AcceptReferral', { referralId: 'r-1' }),
  step('2024-05-02', nav, 'GiveConsent', {
    consentId: 'c-1',
    memberId: 'm-1',
    givenByMemberId: 'm-1',
    kind: 'information-sharing',
    toUnits: ['NAV', 'BFT'],
    dataCategories: ['needs'],
    purpose: 'Share what helps.',
    validFrom: '2024-05-01',
    validUntil: '2024-06-30',
    evidence: { form: 'written', documentRef: 'ARK-c-1' },
  }),
  step('2024-05-03', nav, 'ExpressNeed', { needId: 'n-nav', memberId: 'm-1', words: 'Jobb' }),
];
/** The school (a partner) acts for the child through BFT's sub-project enrolment: it reads as its organisation number. */
const enrolledFamily: Step[] = [
  register('enrolled', 'none'),
  step('2024-05-02', nav, 'ReferToUnit', { referralId: 'r-1', toUnit: 'BFT', memberIds: ['m-2'], reason: 'Bekymring', ground: 'duty-to-inform-child-welfare' }),
  step('2024-05-02', bft, 'AcceptReferral', { referralId: 'r-1' }),
  step('2024-05-03', bft, 'EnrolInSubProject', { enrolmentId: 'e-1', subProjectId: BARNAS_STEMME.subProjectId, memberIds: ['m-2'], subProject: BARNAS_STEMME }),
  step('2024-05-04', school, 'ExpressNeed', { needId: 'n-school', memberId: 'm-2', words: 'Leksehjelp' }),
];
const withdrawal = step(DAY, nav, 'WithdrawConsent', { consentId: 'c-1', expressedByMemberId: 'm-1', channel: 'orally' });

describe('FamilyViewCache (PostgreSQL, projection running)', () => {
  let db: TestDatabase;
  let dataSource: DataSource;
  let store: PostgresEventStore;
  let runner: ProjectionRunner;
  let queries: FamilyViewQueries;
  let builds: number;
  let lookups: number;
  let consentState: FamilyState;
  let consentRevision: number;
  let kode6State: FamilyState;
  let kode6Revision: number;

  /** Counts the round trips (readView calls) and the builds among them: a hit is one round trip answered "unchanged". */
  const countingQueries = () => ({
    readView: async (...args: Parameters<FamilyViewQueries['readView']>) => {
      lookups++;
      const read = await queries.readView(...args);
      if (!read || !('unchanged' in read)) builds++;
      return read;
    },
  });
  const viewOf = (read: FamilyViewRead | undefined) => {
    if (read?.kind !== 'view') throw new Error(`expected a view, got ${JSON.stringify(read)}`);
    return { ...read, json: JSON.parse(read.body.toString('utf8')) };
  };
  const needIds = (json: { needs: { open: Array<{ needId: string }> } }) => json.needs.open.map((n) => n.needId);

  beforeAll(async () => {
    db = await createTestDatabase();
    store = new PostgresEventStore({ pool: db.pool, pollIntervalMs: 10 });
    await store.migrate();
    dataSource = createReadModelDataSource(db.url);
    await dataSource.initialize();
    await runReadModelMigrations(dataSource);
    queries = new FamilyViewQueries(dataSource);
    const consent = decideHistory(consentFamily);
    consentState = consent.state;
    consentRevision = await appendHistory(store, 'consent', consent.commits);
    const kode6 = decideHistory([register('kode6', 'strengt-fortrolig')]);
    kode6State = kode6.state;
    kode6Revision = await appendHistory(store, 'kode6', kode6.commits);
    await appendHistory(store, 'enrolled', decideHistory(enrolledFamily).commits);
    runner = new ProjectionRunner(dataSource, store, new FamilyViewProjection(), { batchSize: 50, standbyRetryMs: 50, checkpointCheckMs: 100 });
    runner.start();
    await runner.waitUntilCaughtUp();
  });
  afterAll(async () => {
    await runner.stop();
    await dataSource.destroy();
    await db.drop();
  });
  beforeEach(() => {
    builds = 0;
    lookups = 0;
  });

  it('a hit is the body and access record of a fresh build, without building; readers of one scope share it', async () => {
    const cache = new FamilyViewCache(countingQueries());
    const first = viewOf(await cache.read('consent', DAY, as(bft)));
    // One round trip per read, a build only when the scope holds nothing for the stored revision.
    expect([builds, lookups]).toEqual([1, 1]);
    const again = viewOf(await cache.read('consent', DAY, as(otherBft)));
    expect([builds, lookups]).toEqual([1, 2]);
    expect(cache.stats()).toMatchObject({ hits: 1, misses: 1, entries: 1 });
    expect(again.body.equals(first.body)).toBe(true);
    expect(again.access).toEqual(first.access);

    // The same JSON the controller built before the cache: revision, the view, then access.
    const stored = await queries.getView('consent', DAY, as(bft));
    if (!stored || 'denied' in stored) throw new Error('BFT must see the family');
    const { withheld, maskedMemberIds, consentIds } = stored.access;
    expect(first.json).toEqual({ revision: stored.revision, ...JSON.parse(JSON.stringify(stored.view)), access: { withheld, maskedMemberIds, consentIds } });
    expect(Object.keys(first.json)[0]).toBe('revision');
    expect(first.revision).toBe(consentRevision);
    // What goes to the read audit on every hit: the consent BFT relied on for NAV's need.
    expect(first.access).toEqual({
      familyId: 'consent',
      memberIds: stored.access.memberIds,
      categories: stored.access.categories,
      consentIds: ['c-1'],
      maskedMemberIds: [],
    });
    expect(needIds(first.json)).toContain('n-nav');

    // A read routed elsewhere (a replica) looks up and builds there, and shares the entries.
    let routed = 0;
    const replica = { readView: (...args: Parameters<FamilyViewQueries['readView']>) => (routed++, queries.readView(...args)) };
    expect(viewOf(await cache.read('consent', DAY, as(bft), replica)).body.equals(first.body)).toBe(true);
    expect([routed, builds]).toEqual([1, 1]);
  });

  it('a unit without a part gets the refusal, not the view cached for a unit with one; a refusal is decided every time', async () => {
    const cache = new FamilyViewCache(countingQueries());
    viewOf(await cache.read('consent', DAY, as(bft)));
    expect(await cache.read('consent', DAY, as(hvk))).toEqual({ kind: 'denied', reason: NO_ACCESS_REASON });
    expect(await cache.read('consent', DAY, as(hvk))).toEqual({ kind: 'denied', reason: NO_ACCESS_REASON });
    expect(viewOf(await cache.read('consent', DAY, as(bft))).access.consentIds).toEqual(['c-1']);
    expect(builds).toBe(3);
    expect(cache.stats()).toMatchObject({ entries: 1, hits: 1 });
  });

  it('a partner organisation not named in the enrolment gets the refusal, not the view cached for the school', async () => {
    const cache = new FamilyViewCache(countingQueries());
    const forSchool = viewOf(await cache.read('enrolled', DAY, as(school)));
    expect(needIds(forSchool.json)).toEqual(['n-school']);
    expect(await cache.read('enrolled', DAY, as(otherPartner))).toMatchObject({ kind: 'denied' });
    expect(viewOf(await cache.read('enrolled', DAY, as({ ...school, userId: 'another.teacher' }))).body.equals(forSchool.body)).toBe(true);
    expect(builds).toBe(2);
  });

  it('without clearance the masked view, after a cleared reader’s view was cached (and the other way round)', async () => {
    const cache = new FamilyViewCache(countingQueries());
    const cleared = viewOf(await cache.read('kode6', DAY, as(navCleared)));
    expect(cleared.body.toString()).toContain(SECRET_NAME);
    expect(cleared.access.maskedMemberIds).toEqual([]);
    const masked = viewOf(await cache.read('kode6', DAY, as(nav)));
    expect(masked.body.toString()).not.toContain(SECRET_NAME);
    expect(masked.access.maskedMemberIds).toEqual(['m-1']);
    expect(masked.json.access.maskedMemberIds).toEqual(['m-1']);
    expect(viewOf(await cache.read('kode6', DAY, as(navCleared))).body.toString()).toContain(SECRET_NAME);
    expect(viewOf(await cache.read('kode6', DAY, as(nav))).body.toString()).not.toContain(SECRET_NAME);
    expect(builds).toBe(2);
  });

  it('a consent that has expired by the access day is not relied on, whatever was cached the day before', async () => {
    const cache = new FamilyViewCache(countingQueries());
    expect(viewOf(await cache.read('consent', '2024-06-30', as(bft, '2024-06-30'))).access.consentIds).toEqual(['c-1']);
    // The view asked for the same day, read a day later: access is decided on the real day.
    const nextDay = viewOf(await cache.read('consent', '2024-06-30', as(bft, '2024-07-01')));
    expect(nextDay.access.consentIds).toEqual([]);
    expect(needIds(nextDay.json)).not.toContain('n-nav');
    // `today` is its own part of the scope: the view computed for another day is another entry.
    const asked = viewOf(await cache.read('consent', '2024-06-01', as(bft, '2024-06-30')));
    expect(asked.access.consentIds).toEqual(['c-1']);
    expect(asked.body.equals(viewOf(await cache.read('consent', '2024-06-30', as(bft, '2024-06-30'))).body)).toBe(false);
    expect(builds).toBe(3);
  });

  it('never outlives a consent withdrawal: the withdrawal is a new revision, and the entries of the old one go', async () => {
    const cache = new FamilyViewCache(countingQueries());
    const before = viewOf(await cache.read('consent', DAY, as(bft)));
    viewOf(await cache.read('consent', DAY, as(nav)));
    expect(before.access.consentIds).toEqual(['c-1']);
    expect(cache.stats().entries).toBe(2);

    const revision = await appendHistory(store, 'consent', decideHistory([withdrawal], consentState).commits, consentRevision);
    await runner.waitUntilCaughtUp();
    expect(revision).toBeGreaterThan(consentRevision);

    const after = viewOf(await cache.read('consent', DAY, as(bft)));
    expect(after.revision).toBe(revision);
    expect(after.access.consentIds).toEqual([]);
    expect(needIds(after.json)).not.toContain('n-nav');
    expect(after.json.revision).toBe(revision);
    // NAV's entry of the old revision went with the first read of the new one.
    expect(cache.stats()).toMatchObject({ entries: 1, misses: 3 });
    expect(builds).toBe(3);
  });

  it('no family: undefined, and nothing cached', async () => {
    const cache = new FamilyViewCache(countingQueries());
    expect(await cache.read('no-such-family', DAY, as(bft))).toBeUndefined();
    expect(await cache.read('no-such-family', DAY, as(bft))).toBeUndefined();
    expect(builds).toBe(2);
    expect(cache.stats().entries).toBe(0);
  });

  it('stays within its bound: the least recently used entry leaves first', async () => {
    const probe = new FamilyViewCache(countingQueries());
    viewOf(await probe.read('consent', DAY, as(bft)));
    viewOf(await probe.read('kode6', DAY, as(nav)));
    const both = probe.stats().bytes;
    // Room for the larger of the two, not for both.
    const cache = new FamilyViewCache(countingQueries(), both - 1);
    builds = 0;
    await cache.read('consent', DAY, as(bft));
    await cache.read('kode6', DAY, as(nav));
    expect(cache.stats().entries).toBe(1);
    expect(cache.stats().bytes).toBeLessThanOrEqual(both - 1);
    await cache.read('kode6', DAY, as(nav));
    expect(builds).toBe(2);
    await cache.read('consent', DAY, as(bft));
    expect(builds).toBe(3);
  });

  it("concurrent misses of one scope leave one entry, and it goes with the family's next revision", async () => {
    const cache = new FamilyViewCache(countingQueries());
    await Promise.all([cache.read('kode6', DAY, as(nav)), cache.read('kode6', DAY, as(nav))]);
    expect(cache.stats()).toMatchObject({ entries: 1, misses: 2 });
    const need = step(DAY, nav, 'ExpressNeed', { needId: 'n-later', memberId: 'm-2', words: 'Leksehjelp' });
    await appendHistory(store, 'kode6', decideHistory([need], kode6State).commits, kode6Revision);
    await runner.waitUntilCaughtUp();
    // Another scope reads the new revision first: NAV's old entry is dropped with it, not left behind.
    viewOf(await cache.read('kode6', DAY, as(navCleared)));
    expect(cache.stats().entries).toBe(1);
    expect(viewOf(await cache.read('kode6', DAY, as(nav))).revision).toBeGreaterThan(kode6Revision);
  });

  it('off with FAMILY_VIEW_CACHE_MB=0: every read builds', async () => {
    expect(familyViewCacheBytes({})).toBe(64 * 1024 * 1024);
    expect(familyViewCacheBytes({ FAMILY_VIEW_CACHE_MB: '8' })).toBe(8 * 1024 * 1024);
    expect(() => familyViewCacheBytes({ FAMILY_VIEW_CACHE_MB: 'lots' })).toThrow('FAMILY_VIEW_CACHE_MB must be a number of MiB');
    const cache = new FamilyViewCache(countingQueries(), familyViewCacheBytes({ FAMILY_VIEW_CACHE_MB: '0' }));
    await cache.read('kode6', DAY, as(nav));
    await cache.read('kode6', DAY, as(nav));
    expect(builds).toBe(2);
    expect(cache.stats().entries).toBe(0);
  });
});
