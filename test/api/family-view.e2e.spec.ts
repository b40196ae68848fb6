import { randomUUID } from 'node:crypto';
import { ProjectionDaemon } from '@familievedtak/projections';
import { Headers, TestApp, createTestApp, headersFor } from '../support/test-app';

const nav: Headers = headersFor({ userId: 'nav-kari', role: 'caseworker', unit: 'NAV' });
const navApprover: Headers = headersFor({ userId: 'nav-ola', role: 'approver', unit: 'NAV' });
const bft: Headers = headersFor({ userId: 'bft-siri', role: 'caseworker', unit: 'BFT' });
const bftApprover: Headers = headersFor({ userId: 'bft-per', role: 'approver', unit: 'BFT' });

/** The family decision view read through the API while the projection runs in the app. */
describe('API: the family decision view (PostgreSQL, projections running)', () => {
  let api: TestApp;
  const familyId = randomUUID();
  const adultId = randomUUID();
  const childId = randomUUID();
  const navDecision = randomUUID();
  const bftDecision = randomUUID();
  let lastRevision = -1;

  const send = async (url: string, headers: Headers, body?: unknown) => {
    const response = await api.inject('POST', url, headers, body);
    expect(response.statusCode).toBeLessThan(300);
    lastRevision = response.json().revision;
  };

  /** The view as soon as the projection has applied everything the commands wrote. */
  const view = async (today = '2026-11-27') => {
    await api.app.get(ProjectionDaemon).runner('family-view')!.waitUntilCaughtUp();
    const response = await api.inject('GET', `/families/${familyId}?today=${today}`, nav);
    expect(response.statusCode).toBe(200);
    expect(response.headers.etag).toBe(`"${lastRevision}"`);
    return response.json();
  };

  beforeAll(async () => {
    api = await createTestApp({ runProjections: true });
    await send('/families', nav, {
      familyId,
      district: 'Heimdal',
      members: [
        { memberId: adultId, name: 'Amina', birthDate: '1988-03-02', role: 'adult' },
        { memberId: childId, name: 'Yusuf', birthDate: '2016-09-14', role: 'child' },
      ],
    });
    await send(`/families/${familyId}/needs`, nav, { needId: randomUUID(), memberId: adultId, words: 'Arbeid', expressedOn: '2026-09-01' });
    await send(`/families/${familyId}/decisions`, nav, {
      decisionId: navDecision, unit: 'NAV', decisionType: 'economic-social-assistance', memberIds: [adultId],
      periodFrom: '2026-10-01', periodUntil: '2026-12-31', amounts: { monthlyAmountOre: 850000 }, reasons: 'Below the guideline.',
    });
    await send(`/families/${familyId}/decisions/${navDecision}/approve`, navApprover);
    await send(`/families/${familyId}/decisions`, bft, {
      decisionId: bftDecision, unit: 'BFT', decisionType: 'child-welfare-support-measure', memberIds: [childId],
      periodFrom: '2026-10-01', periodUntil: '2027-09-30', reasons: 'Support contact, as asked.',
    });
    await send(`/families/${familyId}/decisions/${bftDecision}/approve`, bftApprover);
    // NAV reads BFT's decision about the child only because the mother consented for him.
    await send(`/families/${familyId}/consents`, nav, {
      consentId: randomUUID(), memberId: childId, givenByMemberId: adultId, kind: 'information-sharing',
      toUnits: ['NAV'], dataCategories: ['decisions'], purpose: 'One plan for the family', validFrom: '2026-09-01',
    });
    for (const [paidOn, amountOre] of [['2026-10-05', 850000], ['2026-11-05', 850000]] as const) {
      await send(`/families/${familyId}/payments`, nav, {
        recipientMemberId: adultId, amountOre, method: 'bank-transfer', funding: { kind: 'unit', unit: 'NAV' },
        answersDecisionId: navDecision, documentationRef: `BILAG-${paidOn}`, paidOn, countsAsIncome: true,
      });
    }
  });
  afterAll(() => api.close());

  it('shows decisions of both units, payments by source and month, the income basis, expiries and warnings', async () => {
    const v = await view();
    expect(v.familyId).toBe(familyId);
    expect(v.decisions.map((d: { unit: string; status: string }) => [d.unit, d.status]).sort()).toEqual([
      ['BFT', 'active'],
      ['NAV', 'active'],
    ]);
    expect(v.payments.totals.totalOre).toBe(1_700_000);
    expect(v.payments.totals.byMonth).toEqual([
      { month: '2026-10', totalOre: 850000 },
      { month: '2026-11', totalOre: 850000 },
    ]);
    expect(v.incomeBasis.totalOre).toBe(1_700_000);
    // NAV's decision ends 2026-12-31, within 60 days of 2026-11-27; BFT's does not.
    expect(v.expiring.items).toEqual([expect.objectContaining({ kind: 'decision', decisionId: navDecision, on: '2026-12-31' })]);
    const kinds = v.warnings.map((w: { kind: string }) => w.kind).sort();
    expect(kinds).toEqual(['different-end-dates', 'need-without-response']);
  });

  it('lists the family for the units involved, not for the others', async () => {
    await api.app.get(ProjectionDaemon).runner('family-view')!.waitUntilCaughtUp();
    const forNav = (await api.inject('GET', '/families?unit=NAV&today=2026-11-27', nav)).json();
    expect(forNav.items.map((i: { familyId: string }) => i.familyId)).toContain(familyId);
    const forOppvekst = (await api.inject('GET', '/families?unit=OPPVEKST&today=2026-11-27', nav)).json();
    expect(forOppvekst.items.map((i: { familyId: string }) => i.familyId)).not.toContain(familyId);
    const bad = await api.inject('GET', '/families?limit=100000', nav);
    expect(bad.statusCode).toBe(400);
  });

  it('answers 404 for a family the view does not hold', async () => {
    const response = await api.inject('GET', `/families/${randomUUID()}`, nav);
    expect(response.statusCode).toBe(404);
  });
});
