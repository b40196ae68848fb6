import { PostgresEventStore } from '@familievedtak/event-store';
import type { Actor, AddressProtection } from '@familievedtak/domain';
import type { DataSource } from 'typeorm';
import { createTestDatabase, TestDatabase } from '../../../../test/support/test-database';
import { ProjectionRunner } from '../projection-runner';
import { createReadModelDataSource } from '../read-model-data-source';
import { runReadModelMigrations } from '../read-model-migrations';
import { FamilyViewProjection } from './family-view.projection';
import { FamilyViewQueries, type FamilyListFilter, type ReadAs } from './family-view.queries';
import { appendHistory, decideHistory, type Step } from './testing/family-history';
import { actors, BARNAS_STEMME, SCHOOL, step } from './testing/hassan-family';

/**
 * The family list per reader (PostgreSQL): the `readers` prefilter follows the parts in the
 * case and the enrolments (by organisation number); each row is decided by familyReadAccess
 * and masked like the view; a family with a kode 6 member is listed only with clearance, and
 * no filter matches a value the reader may not see (a withheld district, a unit it does not
 * see involved).
 */

const DAY = '2024-06-14';
const nav = actors.navCaseworker;
const bft = actors.bftCaseworker;
const as = (actor: Actor): ReadAs => ({ actor, accessDay: DAY });
const cleared = (actor: Actor): Actor => ({ ...actor, protectedAddressClearance: true });

const adult = (protection: AddressProtection = 'none') => ({
  memberId: 'm-1',
  name: 'Adult',
  birthDate: '1990-01-01',
  role: 'adult' as const,
  addressProtection: protection,
  protectedAddress: protection !== 'none',
});
const kid = { memberId: 'm-2', name: 'Kid', birthDate: '2015-01-01', role: 'child' as const };
const register = (by: Actor, familyId: string, district: string, members: object[]): Step =>
  step('2024-05-01', by, 'RegisterFamily', { familyId, district, members, parentalResponsibility: [{ childId: 'm-2', holderId: 'm-1' }] } as never);

const FAMILIES: Record<string, Step[]> = {
  plain: [register(nav, 'plain', 'Heimdal', [adult(), kid]), step('2024-05-02', nav, 'ExpressNeed', { needId: 'n-1', memberId: 'm-1', words: 'Jobb' })],
  kode6: [register(nav, 'kode6', 'Heimdal', [adult('strengt-fortrolig'), kid])],
  kode7: [register(nav, 'kode7', 'Heimdal', [adult('fortrolig'), kid])],
  'bft-only': [register(bft, 'bft-only', 'Heimdal', [adult(), kid])],
  // NAV refers the child to BFT (duty to inform), BFT has not answered: BFT sees the referral only.
  referred: [
    register(nav, 'referred', 'Lerkendal', [adult(), kid]),
    step('2024-05-02', nav, 'ReferToUnit', {
      referralId: 'r-1',
      toUnit: 'BFT',
      memberIds: ['m-2'],
      reason: 'Bekymring',
      ground: 'duty-to-inform-child-welfare',
    }),
  ],
  // BFT accepted, and enrolled the child in Barnas stemme with the school.
  enrolled: [
    register(nav, 'enrolled', 'Lerkendal', [adult(), kid]),
    step('2024-05-02', nav, 'ReferToUnit', {
      referralId: 'r-1',
      toUnit: 'BFT',
      memberIds: ['m-2'],
      reason: 'Bekymring',
      ground: 'duty-to-inform-child-welfare',
    }),
    step('2024-05-02', bft, 'AcceptReferral', { referralId: 'r-1' }),
    step('2024-05-03', bft, 'EnrolInSubProject', {
      enrolmentId: 'e-1',
      subProjectId: BARNAS_STEMME.subProjectId,
      memberIds: ['m-2'],
      subProject: BARNAS_STEMME,
    }),
    step('2024-05-04', actors.school, 'ExpressNeed', { needId: 'n-school', memberId: 'm-2', words: 'Leksehjelp' }),
    step('2024-05-04', nav, 'ExpressNeed', { needId: 'n-nav', memberId: 'm-1', words: 'Jobb' }),
  ],
};

describe('the family list follows the part in the case and protected addresses (PostgreSQL)', () => {
  let db: TestDatabase;
  let dataSource: DataSource;
  let queries: FamilyViewQueries;
  let runner: ProjectionRunner;

  beforeAll(async () => {
    db = await createTestDatabase();
    const store = new PostgresEventStore({ pool: db.pool, pollIntervalMs: 10 });
    await store.migrate();
    dataSource = createReadModelDataSource(db.url);
    await dataSource.initialize();
    await runReadModelMigrations(dataSource);
    queries = new FamilyViewQueries(dataSource);
    for (const [id, steps] of Object.entries(FAMILIES)) await appendHistory(store, id, decideHistory(steps).commits);
    runner = new ProjectionRunner(dataSource, store, new FamilyViewProjection(), { batchSize: 50, standbyRetryMs: 50, checkpointCheckMs: 100 });
    runner.start();
    await runner.waitUntilCaughtUp();
  });
  afterAll(async () => {
    await runner.stop();
    await dataSource.destroy();
    await db.drop();
  });

  const list = async (actor: Actor, filter: FamilyListFilter = {}) => (await queries.listFamilies({ limit: 200, ...filter }, DAY, as(actor))).items;
  const ids = async (actor: Actor, filter: FamilyListFilter = {}) => (await list(actor, filter)).map((i) => i.familyId).sort();

  it('the readers column: units with a part (or records, or an open referral to them) and partners of active enrolments by organisation number', async () => {
    const rows: Array<{ family_id: string; readers: string[] }> = await dataSource.query(
      'SELECT family_id, readers FROM read_models.family_view ORDER BY family_id',
    );
    expect(Object.fromEntries(rows.map((r) => [r.family_id, r.readers]))).toEqual({
      'bft-only': ['unit:BFT'],
      enrolled: [`partner:${SCHOOL}`, 'unit:BFT', 'unit:NAV'],
      kode6: ['unit:NAV'],
      kode7: ['unit:NAV'],
      plain: ['unit:NAV'],
      referred: ['unit:BFT', 'unit:NAV'],
    });
  });

  it('a family with a kode 6 member is listed only to readers with clearance', async () => {
    expect(await ids(nav)).toEqual(['enrolled', 'kode7', 'plain', 'referred']);
    expect(await ids(cleared(nav))).toEqual(['enrolled', 'kode6', 'kode7', 'plain', 'referred']);
    expect(await ids(actors.auditor)).toEqual(['bft-only', 'enrolled', 'kode7', 'plain', 'referred']);
  });

  it('district= never matches a district withheld from the reader (kode 7 without clearance)', async () => {
    expect(await ids(nav, { district: 'Heimdal' })).toEqual(['plain']);
    expect(await ids(cleared(nav), { district: 'Heimdal' })).toEqual(['kode6', 'kode7', 'plain']);
    const kode7 = (await list(nav)).find((i) => i.familyId === 'kode7')!;
    expect(kode7.district).toBeNull();
  });

  it('unit= matches only a unit the reader sees involved; a referred unit sees no parts', async () => {
    expect(await ids(bft)).toEqual(['bft-only', 'enrolled', 'referred']);
    expect(await ids(bft, { unit: 'NAV' })).toEqual(['enrolled']);
    const referred = (await list(bft)).find((i) => i.familyId === 'referred')!;
    expect(referred).toMatchObject({ district: null, units: [], openNeeds: 0, activeDecisions: 0 });
  });

  it('a partner lists only families with an active enrolment naming its organisation number, counting its own records', async () => {
    const items = await list(actors.school);
    expect(items).toEqual([
      expect.objectContaining({ familyId: 'enrolled', district: null, units: [], coordinatingUnit: null, openNeeds: 1, warningCount: 0 }),
    ]);
    expect(await ids({ userId: 'x', role: 'partner', partnerOrganisation: '999999999' })).toEqual([]);
  });
});
