import { TRONDHEIM_2023_RULE_SET } from '@familievedtak/domain';
import { PostgresEventStore, withPersonalData, type PersonalDataEventStore } from '@familievedtak/event-store';
import { createTestDatabase, type TestDatabase } from '../../../test/support/test-database';
import { eraseRecords, IDENTITY_RULE } from '../../projections/src/family-view/testing/erasure';
import { appendHistory, decideHistory } from '../../projections/src/family-view/testing/family-history';
import { actors, step } from '../../projections/src/family-view/testing/hassan-family';
import { FAMILY_DECISION_TEST_SET } from './testing/what-if-history';
import { runWhatIf } from './what-if.engine';
import { renderWhatIfHtml } from './what-if.html';
import type { WhatIfReport } from './what-if.types';

/**
 * Issue 17: what-if over erased history. The erased member's birth date reads as its placeholder
 * (0001-01-01, design §4): the fold stays total and every run reads the same, so two runs give
 * the same report; the report counts the decisions about members whose identity was erased, so
 * the policy team knows how many were judged without a real age.
 */
const nav = actors.navCaseworker;
const FAMILY = 'fam-what-if-erased';
const NAME = 'Pernilla Vrosk';

describe('what-if over erased history (PostgreSQL, the decorated store)', () => {
  let db: TestDatabase;
  let store: PersonalDataEventStore;
  const run = () => runWhatIf(store, { candidate: FAMILY_DECISION_TEST_SET, baseline: TRONDHEIM_2023_RULE_SET });
  const withoutRows = (report: WhatIfReport) => ({ ...report, families: [] });
  const rowsWithoutPseudonyms = (report: WhatIfReport) => report.families.map(({ family: _pseudonym, ...row }) => row);
  let before: WhatIfReport;

  beforeAll(async () => {
    db = await createTestDatabase(5);
    const raw = new PostgresEventStore({ pool: db.pool, pollIntervalMs: 10 });
    await raw.migrate();
    store = withPersonalData(raw, { pool: db.pool, pollIntervalMs: 10 });
    const { commits } = decideHistory([
      step('2026-05-04', nav, 'RegisterFamily', {
        familyId: FAMILY,
        district: 'Heimdal',
        members: [
          { memberId: 'm-a', name: NAME, birthDate: '1990-02-02', role: 'adult' },
          { memberId: 'm-b', name: 'Beholdt Navnesen', birthDate: '1991-01-01', role: 'adult' },
        ],
      }),
      step('2026-05-05', nav, 'ProposeDecision', {
        decisionId: 'd-a',
        unit: 'NAV',
        decisionType: 'economic-social-assistance',
        memberIds: ['m-a'],
        periodFrom: '2026-05-01',
        periodUntil: '2026-10-31',
        amounts: { monthlyAmountOre: 900_000 },
        outcome: 'granted',
        reasons: { rulesApplied: ['the decision type’s legal basis'], facts: 'No income.', mainConsiderations: null, summary: 'No income.' },
      }),
      step('2026-05-06', actors.navApprover, 'ApproveDecision', { decisionId: 'd-a' }),
      step('2026-05-07', nav, 'ProposeDecision', {
        decisionId: 'd-b',
        unit: 'NAV',
        decisionType: 'economic-social-assistance',
        memberIds: ['m-b'],
        periodFrom: '2026-05-01',
        periodUntil: '2026-10-31',
        amounts: { monthlyAmountOre: 900_000 },
        outcome: 'granted',
        reasons: { rulesApplied: ['the decision type’s legal basis'], facts: 'No income.', mainConsiderations: null, summary: 'No income.' },
      }),
      step('2026-05-08', actors.navApprover, 'ApproveDecision', { decisionId: 'd-b' }),
    ]);
    const revision = await appendHistory(store, FAMILY, commits);
    before = await run();
    await eraseRecords(store, FAMILY, ['identity/m-a'], { on: '2031-02-03', rule: IDENTITY_RULE, provision: IDENTITY_RULE.provision }, revision, ['m-a']);
  });
  afterAll(async () => {
    await store?.close();
    await db?.drop();
  });

  it('counts no decision with an erased identity before the erasure', () => {
    expect(before.scope.decisionsWithErasedIdentity).toBe(0);
    expect(before.scope.decisionsAnalysed).toBe(2);
  });

  it('gives the same report on two runs over the erased history (figures, hash and the rows but their pseudonyms)', async () => {
    const [first, second] = [await run(), await run()];
    expect(withoutRows(second)).toEqual(withoutRows(first));
    expect(second.hash).toBe(first.hash);
    expect(rowsWithoutPseudonyms(second)).toEqual(rowsWithoutPseudonyms(first));
    expect(JSON.stringify(first)).not.toContain(NAME);
  });

  it('counts the decisions about a member whose identity was erased, and says so on the page', async () => {
    const report = await run();
    expect(report.scope).toMatchObject({ decisionsAnalysed: 2, decisionsWithErasedIdentity: 1 });
    expect(renderWhatIfHtml(report, { lang: 'en' })).toContain('1 decision concerns a member whose identity was erased');
    expect(renderWhatIfHtml(report, { lang: 'nb' })).toContain('1 vedtak gjelder et familiemedlem der personopplysningene er slettet');
    expect(renderWhatIfHtml(before, { lang: 'en' })).not.toContain('identity was erased');
  });
});
