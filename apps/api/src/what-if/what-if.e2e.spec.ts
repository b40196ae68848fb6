import { TRONDHEIM_2023_RULE_SET } from '@familievedtak/domain';
import { EVENT_STORE, EventStore } from '@familievedtak/event-store';
import { Headers, TestApp, createTestApp, headersFor } from '../../../../test/support/test-app';
import { appendWhatIfHistory, FAMILY_DECISION_TEST_SET } from '../../../../libs/what-if/src/testing/what-if-history';

const analyst: Headers = headersFor({ userId: 'rules-team', role: 'rules-analyst' });

describe('API: what-if runs (PostgreSQL)', () => {
  let api: TestApp;
  beforeAll(async () => {
    api = await createTestApp({ poolSize: 5 });
    await appendWhatIfHistory(api.app.get<EventStore>(EVENT_STORE));
  });
  afterAll(() => api.close());

  it('runs for a rules analyst and writes nothing; the same body gives the same hash', async () => {
    const before = await api.eventCount();
    const body = { candidate: FAMILY_DECISION_TEST_SET, baseline: 'trondheim-2023' };
    const first = await api.inject('POST', '/what-if/runs', analyst, body);
    expect(first.statusCode).toBe(200);
    const report = first.json();
    expect(report.scope.familiesSelected).toBe(2);
    expect(report.families.find((f: { familyId: string }) => f.familyId === 'four-units').candidate.deciders).toEqual(['HVK']);
    const second = await api.inject('POST', '/what-if/runs', analyst, { ...body, baseline: TRONDHEIM_2023_RULE_SET });
    expect(second.json().hash).toBe(report.hash);
    expect(await api.eventCount()).toBe(before);
  });

  it('serves the report as a self-contained HTML page', async () => {
    const response = await api.inject('POST', '/what-if/runs/html', analyst, { candidate: FAMILY_DECISION_TEST_SET, selection: { district: 'Heimdal' } });
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toMatch(/^text\/html/);
    expect(response.body).toContain('<svg id="chart-deciders"');
  });

  it('refuses other roles with 403 and bad bodies with 400', async () => {
    for (const role of ['caseworker', 'auditor', 'unit-leader'] as const) {
      const headers = headersFor({ userId: 'someone', role, ...(role === 'auditor' ? {} : { unit: 'NAV' as const }) });
      expect((await api.inject('POST', '/what-if/runs', headers, { candidate: FAMILY_DECISION_TEST_SET })).statusCode).toBe(403);
      expect((await api.inject('POST', '/what-if/runs/html', headers, { candidate: FAMILY_DECISION_TEST_SET })).statusCode).toBe(403);
    }
    expect((await api.inject('POST', '/what-if/runs', analyst, {})).statusCode).toBe(400);
    expect((await api.inject('POST', '/what-if/runs', analyst, { candidate: FAMILY_DECISION_TEST_SET, selection: { from: 'soon' } })).statusCode).toBe(400);
    const invalid = await api.inject('POST', '/what-if/runs', analyst, { candidate: { id: 'x' } });
    expect(invalid.statusCode).toBeGreaterThanOrEqual(400);
    expect(invalid.statusCode).toBeLessThan(500);
    expect(invalid.json().code).toBe('INVALID_RULE_SET');
  });
});
