import { PostgresEventStore } from '@familievedtak/event-store';
import { TRONDHEIM_2023_RULE_SET } from '@familievedtak/domain';
import { createTestDatabase, TestDatabase } from '../../../test/support/test-database';
import { appendWhatIfHistory, FAMILY_DECISION_TEST_SET, NO_CHILD_WELFARE_TEST_SET } from './testing/what-if-history';
import { runWhatIf } from './what-if.engine';
import { renderWhatIfHtml } from './what-if.html';
import type { WhatIfReport } from './what-if.types';

describe('what-if runs over a constructed history (PostgreSQL)', () => {
  let db: TestDatabase;
  let store: PostgresEventStore;
  let report: WhatIfReport;
  const eventCount = async () => Number((await db.pool.query('SELECT count(*) AS n FROM event_store.events')).rows[0].n);
  const run = (candidate = FAMILY_DECISION_TEST_SET, extra: Partial<Parameters<typeof runWhatIf>[1]> = {}) =>
    runWhatIf(store, { candidate, baseline: TRONDHEIM_2023_RULE_SET, ...extra });

  beforeAll(async () => {
    db = await createTestDatabase(5);
    store = new PostgresEventStore({ pool: db.pool, pollIntervalMs: 10 });
    await store.migrate();
    await appendWhatIfHistory(store);
    report = await run();
  });
  afterAll(async () => {
    await store.close();
    await db.drop();
  });

  const family = (id: string) => report.families.find((f) => f.familyId === id)!;

  it('reads every family and event', async () => {
    expect(report.scope).toEqual({ familiesRead: 2, familiesSelected: 2, eventsRead: await eventCount(), decisionsAnalysed: 5, needsAnalysed: 3 });
  });

  it('the family facing HVK, BFT, NAV and INN faces one unit under the family-decision set', () => {
    expect(family('four-units').baseline.deciders).toEqual(['BFT', 'HVK', 'INN', 'NAV']);
    expect(family('four-units').candidate.deciders).toEqual(['HVK']);
    expect(family('one-unit').baseline.deciders).toEqual(['NAV']);
    expect(family('one-unit').candidate.deciders).toEqual(['NAV']);
    expect(report.baseline.decidersPerFamily).toEqual({ mean: 2.5, p90: 4, max: 4, histogram: [
      { deciders: 0, families: 0 }, { deciders: 1, families: 1 }, { deciders: 2, families: 0 }, { deciders: 3, families: 0 }, { deciders: 4, families: 1 },
    ] });
    expect(report.candidate.decidersPerFamily).toEqual({ mean: 1, p90: 1, max: 1, histogram: [{ deciders: 0, families: 0 }, { deciders: 1, families: 2 }] });
    expect(report.baseline.decisionsPerFamily).toEqual({ mean: 2.5, p90: 4, max: 4 });
  });

  it('lists the decisions that move, by route', () => {
    expect(report.moves.decisions).toEqual([
      { familyId: 'four-units', decisionId: 'd-bft', decisionType: 'child-welfare-support-measure', from: 'BFT', to: 'HVK' },
      { familyId: 'four-units', decisionId: 'd-inn', decisionType: 'introduction-programme', from: 'INN', to: 'HVK' },
      { familyId: 'four-units', decisionId: 'd-nav', decisionType: 'economic-social-assistance', from: 'NAV', to: 'HVK' },
    ]);
    expect(report.moves.byRoute).toEqual([
      { from: 'BFT', to: 'HVK', decisions: 1 },
      { from: 'INN', to: 'HVK', decisions: 1 },
      { from: 'NAV', to: 'HVK', decisions: 1 },
    ]);
    expect(report.candidateUncovered).toEqual([]);
  });

  it('bundles the four decisions into one family decision with one review date', () => {
    // Reference day 2024-02-01: all four in force; ends 06-30, 07-31 and 12-31 (twice).
    expect(family('four-units').referenceDate).toBe('2024-02-01');
    expect(family('four-units').baseline).toMatchObject({ bundle: 0, reviewDates: 3 });
    expect(family('four-units').candidate).toMatchObject({ bundle: 4, reviewDates: 1 });
    expect(report.baseline).toMatchObject({ bundledDecisions: 0, familiesWithFamilyDecision: 0 });
    expect(report.candidate).toMatchObject({ bundledDecisions: 4, familiesWithFamilyDecision: 1 });
    expect(report.candidate.reviewDatesPerFamily).toEqual({ mean: 1, p90: 1, max: 1 });
  });

  it('counts hand-offs: a need taken up by one unit and decided by another', () => {
    expect(report.handOffs.baseline).toEqual([{ familyId: 'four-units', needId: 'n-job', decisionId: 'd-nav', pickedUpBy: ['HVK'], decidedBy: 'NAV' }]);
    expect(report.handOffs.candidate).toEqual([{ familyId: 'four-units', needId: 'n-school', decisionId: 'd-bft', pickedUpBy: ['BFT'], decidedBy: 'HVK' }]);
  });

  it('reports needs that are nobody’s job, and decisions no unit may make', async () => {
    expect(report.needsNobodysJob.baseline.map((n) => [n.needId, n.reason])).toEqual([['n-bike', 'no-answer']]);
    expect(report.needsNobodysJob.candidate.map((n) => [n.needId, n.reason])).toEqual([['n-bike', 'no-answer']]);
    const noChildWelfare = await run(NO_CHILD_WELFARE_TEST_SET);
    expect(noChildWelfare.candidateUncovered).toEqual([
      { familyId: 'four-units', decisionId: 'd-bft', decisionType: 'child-welfare-support-measure', unit: 'BFT', baselineDecider: 'BFT' },
    ]);
    expect(noChildWelfare.newlyUncovered).toHaveLength(1);
    expect(noChildWelfare.candidate.decisionsWithoutDecider).toBe(1);
    expect(noChildWelfare.needsNobodysJob.candidate.map((n) => [n.needId, n.reason])).toEqual([
      ['n-bike', 'no-answer'],
      ['n-school', 'decision-not-covered'],
    ]);
    expect(noChildWelfare.moves.total).toBe(0);
  });

  it('uses family-bound deciders: a district team decides across units for its families', async () => {
    const teams = await run({
      ...TRONDHEIM_2023_RULE_SET,
      id: 'test-district-team',
      name: 'Test: one team per district',
      rules: TRONDHEIM_2023_RULE_SET.rules.map((rule) => (rule.bundlable ? { ...rule, units: [], deciders: [{ kind: 'district-team' as const }] } : rule)),
    });
    expect(teams.families.map((f) => [f.familyId, f.candidate.deciders])).toEqual([
      ['four-units', ['team:Heimdal']],
      ['one-unit', ['team:Lerkendal']],
    ]);
    expect(teams.moves.byRoute).toEqual([
      { from: 'BFT', to: 'team:Heimdal', decisions: 1 },
      { from: 'HVK', to: 'team:Heimdal', decisions: 1 },
      { from: 'INN', to: 'team:Heimdal', decisions: 1 },
      { from: 'NAV', to: 'team:Heimdal', decisions: 1 },
      { from: 'NAV', to: 'team:Lerkendal', decisions: 1 },
    ]);
    expect(teams.candidate.bundledDecisions).toBe(4);
  });

  it('selects families by district, unit and period', async () => {
    expect((await run(undefined, { selection: { district: 'Lerkendal' } })).families.map((f) => f.familyId)).toEqual(['one-unit']);
    expect((await run(undefined, { selection: { unit: 'INN' } })).families.map((f) => f.familyId)).toEqual(['four-units']);
    const autumn = await run(undefined, { selection: { from: '2024-08-01', until: '2024-12-31' } });
    expect(autumn.families.map((f) => [f.familyId, f.baseline.deciders])).toEqual([['four-units', ['HVK', 'INN']]]);
    expect((await run(undefined, { selection: { subProjectId: 'none' } })).families).toEqual([]);
  });

  it('is deterministic, reports progress and writes nothing', async () => {
    const before = await eventCount();
    const progress: Array<[number, number]> = [];
    const again = await runWhatIf(store, { candidate: FAMILY_DECISION_TEST_SET, baseline: TRONDHEIM_2023_RULE_SET }, { onProgress: (d, t) => progress.push([d, t]), pageSize: 1, concurrency: 1 });
    expect(again).toEqual(report);
    expect(again.hash).toBe(report.hash);
    expect(renderWhatIfHtml(again)).toBe(renderWhatIfHtml(report));
    expect(progress[progress.length - 1]).toEqual([before, before]);
    expect((await run(NO_CHILD_WELFARE_TEST_SET)).hash).not.toBe(report.hash);
    expect((await run(undefined, { asOf: '2024-12-31' })).hash).not.toBe(report.hash);
    expect(await eventCount()).toBe(before);
  });

  it('lists only the first families by id when asked to, and keeps every figure over all of them', async () => {
    const listed = await runWhatIf(store, { candidate: FAMILY_DECISION_TEST_SET, baseline: TRONDHEIM_2023_RULE_SET }, { sampleFamilies: 1 });
    expect(listed.families.map((f) => f.familyId)).toEqual(['four-units']);
    expect(listed.listed).toEqual({ families: 1, limit: 1, familiesSha256: report.listed.familiesSha256 });
    expect(report.listed).toMatchObject({ families: 2 });
    expect(listed.handOffs.baseline.every((h) => h.familyId === 'four-units')).toBe(true);
    for (const key of ['scope', 'baseline', 'candidate'] as const) expect(listed[key]).toEqual(report[key]);
    expect(listed.moves.total).toBe(report.moves.total);
    expect(listed.moves.byRoute).toEqual(report.moves.byRoute);
    expect(renderWhatIfHtml(listed)).toContain('among the first 1 by id');
  });

  it('renders a self-contained HTML page with both charts', () => {
    const html = renderWhatIfHtml(report);
    expect(html).toContain('<svg id="chart-deciders"');
    expect(html).toContain('<svg id="chart-moves"');
    expect(html).not.toMatch(/<script|<link|src="http|@import|url\(/i);
    expect(html).toContain(report.hash);
  });
});
