import { randomUUID } from 'node:crypto';
import { familyStreamId } from '@familievedtak/domain';
import { PostgresEventStore, type RecordedEvent } from '@familievedtak/event-store';
import type { DataSource } from 'typeorm';
import { createTestDatabase, TestDatabase } from '../../../../test/support/test-database';
import { rebuildProjection } from '../projection-rebuild';
import { ProjectionRunner } from '../projection-runner';
import { createReadModelDataSource } from '../read-model-data-source';
import { runReadModelMigrations } from '../read-model-migrations';
import { buildFamilyDecisionView } from './family-decision-view';
import { FamilyViewProjection } from './family-view.projection';
import { FamilyViewQueries, type FamilyListFilter, type ReadAs } from './family-view.queries';
import { familyStateSql } from './family-view.state-store';

/** These tests are about the projection: they read as an auditor with clearance, who sees every record unmasked. */
const AUDITOR: ReadAs = { actor: { role: 'auditor', protectedAddressClearance: true }, accessDay: '2024-06-01' };
async function getView(queries: FamilyViewQueries, familyId: string, day: string) {
  const stored = await queries.getView(familyId, day, AUDITOR);
  if (stored && 'denied' in stored) throw new Error(stored.denied);
  return stored;
}
import { appendHistory, decideHistory, foldCommits, type Commit, type Step } from './testing/family-history';
import { actors, HASSAN, hassanHistory, step, TODAY } from './testing/hassan-family';

/**
 * Six small families beside the Hassans, for the list. Each has one adult and one contact
 * person (NAV or BFT); some have a need nobody answered since 1 May (a warning on TODAY),
 * fam-03 a NAV decision ending 30 June (16 days after TODAY).
 */
const SMALL = [
  { id: 'fam-01', district: 'Heimdal', unit: 'NAV', need: true },
  { id: 'fam-02', district: 'Heimdal', unit: 'BFT', need: false },
  { id: 'fam-03', district: 'Lerkendal', unit: 'NAV', need: false, decision: true },
  { id: 'fam-04', district: 'Lerkendal', unit: 'NAV', need: false },
  { id: 'fam-05', district: 'Heimdal', unit: 'NAV', need: true },
  { id: 'fam-06', district: 'Lerkendal', unit: 'BFT', need: true },
] as const;

function smallFamilySteps(f: (typeof SMALL)[number]): Step[] {
  const caseworker = f.unit === 'NAV' ? actors.navCaseworker : actors.bftCaseworker;
  const steps: Step[] = [
    step('2024-05-01', caseworker, 'RegisterFamily', {
      familyId: f.id,
      district: f.district,
      members: [{ memberId: 'm-1', name: `Adult of ${f.id}`, birthDate: '1990-01-01', role: 'adult' }],
    }),
    step('2024-05-01', caseworker, 'JoinContactPerson', { personId: 'p-1', name: 'Contact', affiliation: { kind: 'unit', unit: f.unit } }),
  ];
  if (f.need) steps.push(step('2024-05-01', caseworker, 'ExpressNeed', { needId: 'n-1', memberId: 'm-1', words: 'Hjelp med regningene.' }));
  if ('decision' in f) {
    steps.push(
      step('2024-05-02', actors.navCaseworker, 'ProposeDecision', {
        decisionId: 'd-1',
        unit: 'NAV',
        decisionType: 'economic-social-assistance',
        memberIds: ['m-1'],
        periodFrom: '2024-05-01',
        periodUntil: '2024-06-30',
        amounts: { monthlyAmountOre: 900_000 },
        outcome: 'granted',
        reasons: {
          rulesApplied: ['the decision type’s legal basis'],
          facts: 'No income in May and June.',
          mainConsiderations: null,
          summary: 'No income in May and June.',
        },
      }),
      step('2024-05-03', actors.navApprover, 'ApproveDecision', { decisionId: 'd-1' }),
    );
  }
  return steps;
}

describe('FamilyViewProjection and FamilyViewQueries (PostgreSQL)', () => {
  let db: TestDatabase;
  let store: PostgresEventStore;
  let dataSource: DataSource;
  let queries: FamilyViewQueries;
  let runner: ProjectionRunner;
  const projection = new FamilyViewProjection();
  const histories = new Map<string, Commit[]>();
  const revisions = new Map<string, number>();

  const startRunner = () => {
    runner = new ProjectionRunner(dataSource, store, projection, { batchSize: 7, standbyRetryMs: 50, checkpointCheckMs: 100 });
    runner.start();
    return runner;
  };
  const expectedView = (familyId: string, day = TODAY) => buildFamilyDecisionView(foldCommits(histories.get(familyId) ?? []), day);
  const allViews = async () => Promise.all([...histories.keys()].sort().map(async (id) => ({ id, stored: await getView(queries, id, TODAY) })));
  const storedRow = async (familyId: string) =>
    (
      await dataSource.query(
        `SELECT district, units, coordinating_unit, open_needs, active_decisions, next_period_end::text, revision::text, last_position::text
           FROM read_models.family_view WHERE family_id = $1`,
        [familyId],
      )
    )[0];
  const listAll = async (filter: FamilyListFilter, q = queries) => {
    const pages: string[][] = [];
    for (let after: string | undefined, guard = 0; guard < 20; guard++) {
      const page = await q.listFamilies({ ...filter, after }, TODAY, AUDITOR);
      pages.push(page.items.map((i) => i.familyId));
      if (page.nextCursor === null) return pages;
      after = page.nextCursor;
    }
    throw new Error('the cursor never ended');
  };

  beforeAll(async () => {
    db = await createTestDatabase();
    store = new PostgresEventStore({ pool: db.pool, pollIntervalMs: 10 });
    await store.migrate();
    dataSource = createReadModelDataSource(db.url);
    await dataSource.initialize();
    expect(await runReadModelMigrations(dataSource)).toContain('FamilyView1764288000000');
    queries = new FamilyViewQueries(dataSource);

    // Live: the runner is already following while the histories are appended command by command.
    startRunner();
    const hassan = hassanHistory().commits;
    histories.set(HASSAN, hassan);
    for (const f of SMALL) histories.set(f.id, decideHistory(smallFamilySteps(f)).commits);
    await Promise.all([...histories].map(async ([id, commits]) => revisions.set(id, await appendHistory(store, id, commits))));
    await runner.waitUntilCaughtUp();
  });
  afterAll(async () => {
    await runner.stop();
    await dataSource.destroy();
    await db.drop();
  });

  it('stores what the domain folds: the view read back equals the view of the folded history', async () => {
    for (const [id] of histories) {
      const stored = await getView(queries, id, TODAY);
      expect(stored?.revision).toBe(revisions.get(id));
      expect(stored?.view).toEqual(expectedView(id));
    }
    expect(await getView(queries, 'no-such-family', TODAY)).toBeUndefined();
  });

  it("serves the Hassans' sections: needs, statuses, totals, income basis, expiry and all three warnings", async () => {
    const view = (await getView(queries, HASSAN, TODAY))!.view;
    expect(view.needs.resolved.map((n) => [n.needId, n.daysToFirstResponse])).toEqual([
      ['n-job', 21],
      ['n-football', 23],
    ]);
    expect(view.needs.open.map((n) => [n.needId, n.pickedUpBy.map((p) => p.unit), n.daysOpen])).toEqual([
      ['n-summer-job', ['INN'], 105],
      ['n-licence', [], 74],
      ['n-furniture', [], 25],
    ]);
    expect(Object.fromEntries(view.decisions.map((d) => [d.decisionId, d.status]))).toEqual({
      'd-kg': 'active',
      'd-sfo': 'expired',
      'd-inn': 'expired',
      'd-nav': 'active', // appealed: in force with an open appeal (an appeal does not suspend it, fvl § 42)
      'd-qual': 'active',
      'd-bft': 'active',
      'd-coord': 'revoked',
      'd-housing': 'rejected',
      'd-hvk-care': 'proposed',
    });
    expect(view.decisions.find((d) => d.decisionId === 'd-nav')?.openAppeal).toMatchObject({ appealId: 'a-nav', receivedDate: '2024-02-15', late: false });
    expect(view.payments.totals.byFundingSource.map((t) => [t.fundingSource, t.totalOre])).toEqual([
      ['sub-project:sp-barnas-stemme', 120_000],
      ['unit:BFT', 50_000],
      ['unit:NAV', 4_100_000],
    ]);
    expect(view.payments.totals.byMonth).toEqual([
      { month: '2024-02', totalOre: 1_250_000 },
      { month: '2024-03', totalOre: 2_220_000 },
      { month: '2024-04', totalOre: 800_000 },
    ]);
    expect(view.incomeBasis.totalOre).toBe(1_600_000);
    expect(view.incomeBasis.paymentIds).not.toContain('pay-pilot');
    expect(view.expiring.items.map((i) => [i.kind, i.on])).toEqual([
      ['decision', '2024-06-30'],
      ['consent', '2024-07-31'],
      ['decision', '2024-07-31'],
      ['family-decision-review', '2024-08-01'],
    ]);
    expect(view.warnings.map((w) => w.kind)).toEqual(['different-end-dates', 'need-without-response', 'several-payers-for-need']);
    expect(view.familyDecisions.inForce?.familyDecisionId).toBe('fd-1');
    // The day is the reader's: the same row read a week later has one more unanswered need.
    expect((await getView(queries, HASSAN, '2024-06-21'))!.view).toEqual(expectedView(HASSAN, '2024-06-21'));
  });

  it('keeps the list columns as the stream records them, and the position of the last event', async () => {
    const events = await store.readStream(familyStreamId(HASSAN), { maxCount: 1000 });
    expect(await storedRow(HASSAN)).toEqual({
      district: 'Heimdal',
      units: ['HVK', 'BFT', 'NAV', 'INN', 'OPPVEKST'],
      coordinating_unit: 'NAV',
      open_needs: 3,
      // Recorded, not as of a day: d-sfo is still 'active' on the stream, so it counts and ends first.
      active_decisions: 5,
      next_period_end: '2024-05-31',
      revision: String(events.length - 1),
      last_position: events[events.length - 1].globalPosition.toString(),
    });
  });

  it('follows new events, and leaves a row alone when a batch repeats what it already holds', async () => {
    const hassan = histories.get(HASSAN)!;
    const june = decideHistory(
      [
        step(TODAY, actors.navCaseworker, 'RecordPayment', {
          paymentId: 'pay-qual-jun',
          recipientMemberId: 'm-amina',
          amountOre: 800_000,
          method: 'bank-transfer',
          funding: { kind: 'unit', unit: 'NAV' },
          answersDecisionId: 'd-qual',
          documentationRef: 'NAV-2024-06-14',
          paidOn: TODAY,
        }),
      ],
      foldCommits(hassan),
    );
    const revision = await appendHistory(store, HASSAN, june.commits, revisions.get(HASSAN));
    histories.set(HASSAN, [...hassan, ...june.commits]);
    revisions.set(HASSAN, revision);
    await runner.waitUntilCaughtUp();
    const stored = (await getView(queries, HASSAN, TODAY))!;
    expect(stored.revision).toBe(revision);
    expect(stored.view).toEqual(expectedView(HASSAN));
    expect(stored.view.incomeBasis.byMonth).toContainEqual({ month: '2024-06', totalOre: 800_000 });

    // The whole stream again, as a stray replay would deliver it: every event is at or below the stored revision.
    const row = () =>
      dataSource.query(
        `SELECT v.revision::text, v.core, v.updated_at, v.xmin::text,
                (SELECT array_agg(r.xmin::text ORDER BY r.kind, r.record_id) FROM read_models.family_view_record r WHERE r.family_id = v.family_id) AS records
           FROM read_models.family_view v WHERE v.family_id = $1`,
        [HASSAN],
      );
    const before = await row();
    const events = await store.readStream(familyStreamId(HASSAN), { maxCount: 1000 });
    await dataSource.transaction((manager) => projection.apply(events, manager));
    expect(await row()).toEqual(before);
  });

  it('stops on an event type it does not know rather than skip it', async () => {
    const [last] = await store.readStream(familyStreamId('fam-04'), { direction: 'backwards', maxCount: 1 });
    const unknown = {
      ...last,
      id: randomUUID(),
      type: 'FamilyNoteAdded',
      revision: last.revision + 1,
      globalPosition: last.globalPosition + 1n,
    };
    await expect(dataSource.transaction((manager) => projection.apply([unknown], manager))).rejects.toThrow(
      'unknown event type FamilyNoteAdded at family-fam-04@',
    );
  });

  it("names the event the domain cannot fold, also when several of the family's events come in one batch", async () => {
    const [last] = await store.readStream(familyStreamId('fam-04'), { direction: 'backwards', maxCount: 1 });
    const next = (n: number, type: string, data: Record<string, string>): RecordedEvent => ({
      ...last,
      id: randomUUID(),
      type,
      data: { ...last.data, ...data },
      revision: last.revision + n,
      globalPosition: last.globalPosition + BigInt(n),
    });
    // A valid event first, then one about a contact person the family never had.
    const events = [next(1, 'CoordinatingUnitNamed', { unit: 'NAV' }), next(2, 'ContactPersonLeft', { personId: 'nobody' })];
    await expect(dataSource.transaction((manager) => projection.apply(events, manager))).rejects.toThrow(
      `cannot fold ContactPersonLeft at family-fam-04@${last.revision + 2}`,
    );
  });

  it('a full rebuild gives the same views as the live projection', async () => {
    const live = await allViews();
    const liveRows = await dataSource.query(
      `SELECT family_id, district, units, coordinating_unit, open_needs, active_decisions, next_period_end::text, revision::text, last_position::text, ${familyStateSql('v')} AS state FROM read_models.family_view v ORDER BY family_id`,
    );
    await runner.stop();
    expect(await rebuildProjection(dataSource, store, projection, { batchSize: 5 })).toBe('rebuilt');
    expect(await allViews()).toEqual(live);
    expect(
      await dataSource.query(
        `SELECT family_id, district, units, coordinating_unit, open_needs, active_decisions, next_period_end::text, revision::text, last_position::text, ${familyStateSql('v')} AS state FROM read_models.family_view v ORDER BY family_id`,
      ),
    ).toEqual(liveRows);
    startRunner();
  });

  describe('listFamilies', () => {
    it("lists a unit's families in family-id order, page by page with a keyset cursor", async () => {
      expect(await listAll({ unit: 'NAV', limit: 2 })).toEqual([['fam-01', 'fam-03'], ['fam-04', 'fam-05'], ['hassan']]);
      expect(await listAll({ unit: 'BFT', limit: 2 })).toEqual([['fam-02', 'fam-06'], ['hassan']]);
      expect(await listAll({ unit: 'OPPVEKST' })).toEqual([['hassan']]);
      expect(await listAll({ district: 'Lerkendal' })).toEqual([['fam-03', 'fam-04', 'fam-06']]);
      expect(await listAll({ unit: 'NAV', district: 'Lerkendal', limit: 1 })).toEqual([['fam-03'], ['fam-04']]);
    });

    it('summarises each family as of the day', async () => {
      const { access, ...page } = await queries.listFamilies({ unit: 'OPPVEKST' }, TODAY, AUDITOR);
      expect(access.map((a) => a.familyId)).toEqual(['hassan']);
      expect(page).toEqual({
        items: [
          {
            familyId: 'hassan',
            district: 'Heimdal',
            units: ['HVK', 'BFT', 'NAV', 'INN', 'OPPVEKST'],
            coordinatingUnit: 'NAV',
            openNeeds: 3,
            activeDecisions: 4,
            nextPeriodEnd: '2024-06-30',
            warningCount: 3,
            expiringCount: 4,
            members: expect.any(Array),
          },
        ],
        nextCursor: null,
      });
      // Issue 16: the row names the people, oldest first (as the view does).
      expect(page.items[0].members.map((m) => [m.memberId, m.name, m.masked])).toEqual([
        ['m-yusuf', 'Yusuf Hassan', false],
        ['m-amina', 'Amina Hassan', false],
        ['m-leila', 'Leila Hassan', false],
        ['m-sara', 'Sara Hassan', false],
        ['m-omar', 'Omar Hassan', false],
      ]);
    });

    it('filters on warnings and on expiry as of the day', async () => {
      expect(await listAll({ unit: 'NAV', hasWarnings: true, limit: 2 })).toEqual([['fam-01', 'fam-05'], ['hassan']]);
      expect(await listAll({ unit: 'NAV', hasWarnings: false })).toEqual([['fam-03', 'fam-04']]);
      expect(await listAll({ expiringWithinDays: 20 })).toEqual([['fam-03', 'hassan']]);
      expect(await listAll({ expiringWithinDays: 10 })).toEqual([[]]);
      // Thirty days earlier nobody's need was old enough to warn about, and the Hassans had other warnings.
      const earlier = await queries.listFamilies({ hasWarnings: true }, '2024-05-15', AUDITOR);
      expect(earlier.items.map((i) => i.familyId)).toEqual(['hassan']);
    });

    it('stops after maxScanRows and hands back a cursor, so a sparse filter never scans the whole table', async () => {
      const capped = new FamilyViewQueries(dataSource, { maxScanRows: 2 });
      const first = await capped.listFamilies({ hasWarnings: true, limit: 5 }, TODAY, AUDITOR);
      expect(first).toMatchObject({ items: [expect.objectContaining({ familyId: 'fam-01' })], nextCursor: 'fam-02' });
      expect(first.items).toHaveLength(1);
      expect((await listAll({ hasWarnings: true, limit: 5 }, capped)).flat()).toEqual(['fam-01', 'fam-05', 'fam-06', 'hassan']);
    });

    it('refuses a bad limit, unit, window or day', async () => {
      await expect(queries.listFamilies({ limit: 0 }, TODAY, AUDITOR)).rejects.toThrow(RangeError);
      await expect(queries.listFamilies({ limit: 201 }, TODAY, AUDITOR)).rejects.toThrow(RangeError);
      await expect(queries.listFamilies({ unit: 'SKOLE' as never }, TODAY, AUDITOR)).rejects.toThrow(RangeError);
      await expect(queries.listFamilies({ expiringWithinDays: -1 }, TODAY, AUDITOR)).rejects.toThrow(RangeError);
      await expect(queries.listFamilies({}, '2024-13-01', AUDITOR)).rejects.toThrow(RangeError);
      expect((await queries.listFamilies({ limit: 200 }, TODAY, AUDITOR)).items).toHaveLength(7);
    });
  });
});
