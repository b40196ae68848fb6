import { randomUUID } from 'node:crypto';
import { ProjectionDaemon } from '@familievedtak/projections';
import { Headers, TestApp, createTestApp, headersFor } from '../support/test-app';
import { familyStream, registerFamily, send, staff, streamCount } from '../support/parts';

/**
 * Decisions in valid time against PostgreSQL (issue 13): the finding — a decision revoked
 * from 2023-03-01 is shown as active for 2023-02-01 — as known now, as recorded before the
 * revocation, and both; structured reasons, the child's voice and advance notice refused with a
 * clear 4xx and nothing stored.
 */
const nav: Headers = staff('NAV');
const navApprover: Headers = staff('NAV', 'approver');
const auditor: Headers = headersFor({ userId: 'eva-audit', role: 'auditor' });

describe('API: decisions in valid time (fvl §§ 2, 16, 24-25, 35; barnekonvensjonen art. 12)', () => {
  let api: TestApp;
  let familyId: string;
  let ids: Record<string, string>;
  const decisionId = randomUUID();
  const noticeId = randomUUID();
  let beforeRevocation: string;

  const proposal = (extra: Record<string, unknown> = {}) => ({
    decisionId,
    unit: 'NAV',
    decisionType: 'economic-social-assistance',
    memberIds: [ids.Amina],
    periodFrom: '2023-01-01',
    periodUntil: '2023-06-30',
    amounts: { monthlyAmountOre: 900_000 },
    outcome: 'granted',
    reasons: { rulesApplied: ['sosialtjenesteloven § 18'], facts: 'No income in the household.', summary: 'Economic assistance January to June.' },
    ...extra,
  });

  const view = async (query: string) => {
    await api.app.get(ProjectionDaemon).runner('family-view')!.waitUntilCaughtUp();
    const response = await api.inject('GET', `/families/${familyId}?${query}`, nav);
    expect(response.statusCode).toBe(200);
    return response.json().decisions.find((d: { decisionId: string }) => d.decisionId === decisionId);
  };

  /** A refused request: the status and code, and not one event more in the family's stream. */
  const refused = async (url: string, headers: Headers, body: unknown, status: number, code?: string) => {
    const before = await streamCount(api, familyStream(familyId));
    const response = await api.inject('POST', url, headers, body);
    expect(response.statusCode).toBe(status);
    if (code) expect(response.json().code).toBe(code);
    expect(await streamCount(api, familyStream(familyId))).toBe(before);
    return response.json();
  };

  beforeAll(async () => {
    api = await createTestApp({ runProjections: true });
    ({ familyId, ids } = await registerFamily(api, nav, [
      { name: 'Amina', birthDate: '1988-03-02', role: 'adult' },
      { name: 'Sara', birthDate: '2016-09-14', role: 'child' },
    ]));
  });

  afterAll(async () => {
    await api?.close();
  });

  it('fvl § 2: sending enkeltvedtak is refused (400); free-text reasons are refused (400); nothing is stored', async () => {
    await refused(`/families/${familyId}/decisions`, nav, proposal({ enkeltvedtak: false }), 400);
    await refused(`/families/${familyId}/decisions`, nav, proposal({ reasons: 'Because.' }), 400);
  });

  it('fvl §§ 24-25: a refusal without main considerations is 422 REASONS_INCOMPLETE naming it; bvl § 1-4: a child without a view is 422 CHILD_VIEWS_MISSING', async () => {
    const incomplete = await refused(`/families/${familyId}/decisions`, nav, proposal({ outcome: 'refused' }), 422, 'REASONS_INCOMPLETE');
    expect(JSON.stringify(incomplete)).toContain('mainConsiderations');
    const child = await refused(`/families/${familyId}/decisions`, nav, proposal({ memberIds: [ids.Amina, ids.Sara] }), 422, 'CHILD_VIEWS_MISSING');
    expect(JSON.stringify(child)).toContain(ids.Sara);
  });

  it('proposes, approves (in force from the period start) and refuses a revocation without advance notice (fvl § 16)', async () => {
    await send(api, 'POST', `/families/${familyId}/decisions`, nav, proposal());
    await send(api, 'POST', `/families/${familyId}/decisions/${decisionId}/approve`, navApprover, {});
    const revoke = { reason: 'Income was not declared.', effectiveFrom: '2023-03-01', ground: 'invalid' };
    await refused(`/families/${familyId}/decisions/${decisionId}/revoke`, navApprover, revoke, 422, 'ADVANCE_NOTICE_REQUIRED');
    await refused(
      `/families/${familyId}/decisions/${decisionId}/revoke`,
      navApprover,
      { ...revoke, advanceNoticeWaiver: { ground: '§ 16 (3) c', explanation: 'Known.' }, effectiveFrom: '2022-12-01' },
      422,
      'EFFECTIVE_DATE_INVALID',
    );
    const decision = await view('today=2023-02-01');
    expect(decision).toMatchObject({ status: 'active', outcome: 'granted', effectiveFrom: '2023-01-01', enkeltvedtak: true });
    beforeRevocation = new Date().toISOString();
  });

  it('revokes from 2023-03-01 after advance notice and a statement: the view for 2023-02-01 shows it active, for 2023-03-15 revoked', async () => {
    const notice = { noticeId, intendedAct: 'revoke', memberIds: [ids.Amina], sentOn: '2023-02-01', answerBy: '2023-02-15', channel: 'post' };
    await send(api, 'POST', `/families/${familyId}/decisions/${decisionId}/advance-notices`, nav, notice);
    await send(api, 'POST', `/families/${familyId}/advance-notices/${noticeId}/statements`, nav, {
      memberId: ids.Amina,
      receivedOn: '2023-02-10',
      summary: 'Amina says the income was a loan.',
    });
    await send(api, 'POST', `/families/${familyId}/decisions/${decisionId}/revoke`, navApprover, {
      reason: 'Income was not declared.',
      effectiveFrom: '2023-03-01',
      ground: 'invalid',
      advanceNoticeId: noticeId,
    });
    expect(await view('today=2023-02-01')).toMatchObject({ status: 'active', recordedStatus: 'revoked' });
    const revoked = await view('today=2023-03-15');
    expect(revoked.status).toBe('revoked');
    expect(revoked.validity.map((s: { from: string; status: string }) => [s.from, s.status])).toEqual([
      ['2023-01-01', 'in-force'],
      ['2023-03-01', 'revoked'],
    ]);
  });

  it('as recorded at an instant before the revocation it stood on 2023-03-15 too; the history shows both times', async () => {
    expect(await view(`today=2023-03-15&recordedAt=${beforeRevocation}`)).toMatchObject({ status: 'active', recordedStatus: 'active' });
    const asOf = await api.inject('GET', `/audit/families/${familyId}/as-of?at=${beforeRevocation}&today=2023-03-15`, auditor);
    expect(asOf.statusCode).toBe(200);
    expect(asOf.json().view.decisions[0]).toMatchObject({ decisionId, status: 'active' });
    const history = await api.inject('GET', `/audit/families/${familyId}/history?type=DecisionRevoked,DecisionApproved`, auditor);
    expect(history.statusCode).toBe(200);
    const entries = history
      .json()
      .entries.map((e: { type: string; effectiveFrom: string; recordedAt: string }) => [e.type, e.effectiveFrom, e.recordedAt > beforeRevocation]);
    expect(entries).toEqual([
      ['DecisionApproved', '2023-01-01', false],
      ['DecisionRevoked', '2023-03-01', true],
    ]);
  });

  it('a bad recordedAt or today is 400', async () => {
    expect((await api.inject('GET', `/families/${familyId}?recordedAt=yesterday`, nav)).statusCode).toBe(400);
    expect((await api.inject('GET', `/families/${familyId}?today=2023-02-30`, nav)).statusCode).toBe(400);
  });
});
