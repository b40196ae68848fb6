import { randomUUID } from 'node:crypto';
import { ProjectionDaemon } from '@familievedtak/projections';
import { Headers, TestApp, createTestApp, headersFor } from '../support/test-app';
import { proposalBody } from '../support/parts';

const nav: Headers = headersFor({ userId: 'nav-kari', role: 'caseworker', unit: 'NAV' });
const navApprover: Headers = headersFor({ userId: 'nav-ola', role: 'approver', unit: 'NAV' });
const bft: Headers = headersFor({ userId: 'bft-siri', role: 'caseworker', unit: 'BFT' });
const bftApprover: Headers = headersFor({ userId: 'bft-per', role: 'approver', unit: 'BFT' });
const hvk: Headers = headersFor({ userId: 'hvk-anne', role: 'caseworker', unit: 'HVK' });

/**
 * The family decision view read through the API while the projection runs in the app. NAV
 * registers the family (its part in the case); BFT gets a part by accepting NAV's referral of
 * the child; NAV reads BFT's decision about the child only under the mother's consent.
 */
describe('API: the family decision view (PostgreSQL, projections running)', () => {
  let api: TestApp;
  const familyId = randomUUID();
  const adultId = randomUUID();
  const childId = randomUUID();
  const navDecision = randomUUID();
  const bftDecision = randomUUID();
  const referralId = randomUUID();
  const hvkReferral = randomUUID();
  const consentId = randomUUID();
  let lastRevision = -1;

  const send = async (url: string, headers: Headers, body?: unknown) => {
    const response = await api.inject('POST', url, headers, body ?? {});
    if (response.statusCode >= 300) throw new Error(`${url}: ${response.statusCode} ${response.body}`);
    lastRevision = response.json().revision;
  };

  /** The view as soon as the projection has applied everything the commands wrote. */
  const view = async (headers: Headers = nav, today = '2026-11-27') => {
    await api.app.get(ProjectionDaemon).runner('family-view')!.waitUntilCaughtUp();
    const response = await api.inject('GET', `/families/${familyId}?today=${today}`, headers);
    expect(response.statusCode).toBe(200);
    expect(response.headers.etag).toBe(`"${lastRevision}"`);
    return response.json();
  };

  beforeAll(async () => {
    api = await createTestApp({ runProjections: true });
    const f = `/families/${familyId}`;
    await send('/families', nav, {
      familyId,
      district: 'Heimdal',
      members: [
        { memberId: adultId, name: 'Amina', birthDate: '1988-03-02', role: 'adult' },
        { memberId: childId, name: 'Yusuf', birthDate: '2016-09-14', role: 'child' },
      ],
      parentalResponsibility: [{ childId, holderId: adultId, basis: 'birth-registration' }],
    });
    await send(`${f}/needs`, nav, { needId: randomUUID(), memberId: adultId, words: 'Arbeid', expressedOn: '2026-09-01' });
    await send(
      `${f}/decisions`,
      nav,
      proposalBody({
        decisionId: navDecision,
        unit: 'NAV',
        decisionType: 'economic-social-assistance',
        memberIds: [adultId],
        periodFrom: '2026-10-01',
        periodUntil: '2026-12-31',
        amounts: { monthlyAmountOre: 850000 },
        summary: 'Below the guideline.',
      }),
    );
    await send(`${f}/decisions/${navDecision}/approve`, navApprover);
    // BFT's part: NAV's duty to inform the child-welfare service about the child (barnevernsloven § 13-2).
    await send(`${f}/referrals`, nav, {
      referralId,
      toUnit: 'BFT',
      memberIds: [childId],
      reason: 'Bekymring for barnet',
      ground: 'duty-to-inform-child-welfare',
    });
    await send(`${f}/referrals/${referralId}/accept`, bft, {});
    await send(
      `${f}/decisions`,
      bft,
      proposalBody({
        decisionId: bftDecision,
        unit: 'BFT',
        decisionType: 'child-welfare-support-measure',
        memberIds: [childId],
        children: [childId],
        periodFrom: '2026-10-01',
        periodUntil: '2027-09-30',
        summary: 'Support contact, as asked.',
      }),
    );
    await send(`${f}/decisions/${bftDecision}/approve`, bftApprover);
    // NAV reads BFT's decision about the child only because the mother consented for him (BFT's records, to NAV).
    await send(`${f}/consents`, bft, {
      consentId,
      memberId: childId,
      givenByMemberId: adultId,
      kind: 'information-sharing',
      sourceUnits: ['BFT'],
      toUnits: ['NAV'],
      dataCategories: ['decisions'],
      purpose: 'One plan for the family',
      validFrom: '2026-09-01',
      validUntil: '2027-12-31',
      evidence: { form: 'written', documentRef: 'ARK-1' },
    });
    for (const [paidOn, amountOre] of [
      ['2026-10-05', 850000],
      ['2026-11-05', 850000],
    ] as const) {
      await send(`${f}/payments`, nav, {
        recipientMemberId: adultId,
        amountOre,
        method: 'bank-transfer',
        funding: { kind: 'unit', unit: 'NAV' },
        answersDecisionId: navDecision,
        documentationRef: `BILAG-${paidOn}`,
        paidOn,
        countsAsIncome: true,
      });
    }
    // An open referral to HVK: HVK has no part yet.
    await send(`${f}/consents`, nav, {
      memberId: adultId,
      givenByMemberId: adultId,
      kind: 'information-sharing',
      toUnits: ['HVK'],
      dataCategories: ['health'],
      purpose: 'Henvisning',
      validFrom: '2026-09-01',
      validUntil: '2027-12-31',
      evidence: { form: 'oral', note: 'Sa ja i møtet' },
    });
    await send(`${f}/referrals`, nav, { referralId: hvkReferral, toUnit: 'HVK', memberIds: [adultId], reason: 'Trenger fastlege' });
  });
  afterAll(() => api.close());

  it('shows decisions of both units (the other under consent), payments by source and month, the income basis, expiries and warnings', async () => {
    const v = await view();
    expect(v.familyId).toBe(familyId);
    expect(v.decisions.map((d: { unit: string; status: string }) => [d.unit, d.status]).sort()).toEqual([
      ['BFT', 'active'],
      ['NAV', 'active'],
    ]);
    expect(v.access.consentIds).toEqual([consentId]);
    expect(v.payments.totals.totalOre).toBe(1_700_000);
    expect(v.payments.totals.byMonth).toEqual([
      { month: '2026-10', totalOre: 850000 },
      { month: '2026-11', totalOre: 850000 },
    ]);
    expect(v.incomeBasis.totalOre).toBe(1_700_000);
    // NAV's decision ends 2026-12-31, within 60 days of 2026-11-27; BFT's does not; NAV sees no consent ending.
    expect(v.expiring.items).toEqual([expect.objectContaining({ kind: 'decision', decisionId: navDecision, on: '2026-12-31' })]);
    const kinds = v.warnings.map((w: { kind: string }) => w.kind).sort();
    expect(kinds).toEqual(['different-end-dates', 'need-without-response']);
  });

  it('shows who has a part, since when and by which act, and the referrals of the reading unit', async () => {
    const v = await view();
    expect(v.parts.map((p: { unit: string; active: boolean; act: { kind: string } }) => [p.unit, p.active, p.act.kind])).toEqual([
      ['BFT', true, 'referral-accepted'],
      ['NAV', true, 'registered'],
    ]);
    expect(v.parts[0].act).toEqual({ kind: 'referral-accepted', referralId, referredBy: 'NAV' });
    expect(v.referrals.open.map((r: { referralId: string; direction: string }) => [r.referralId, r.direction])).toEqual([[hvkReferral, 'outgoing']]);
    expect(v.referrals.answered.map((r: { referralId: string; status: string }) => [r.referralId, r.status])).toEqual([[referralId, 'accepted']]);
    const forBft = await view(bft);
    expect(forBft.referrals.answered.map((r: { direction: string }) => r.direction)).toEqual(['incoming']);
    expect(forBft.referrals.open).toEqual([]);
  });

  it("a unit with an open referral to it and no part sees that referral and the referred member's name, nothing else", async () => {
    const v = await view(hvk);
    expect(v.members).toEqual([expect.objectContaining({ memberId: adultId, name: 'Amina', birthDate: null, nameOnly: true })]);
    expect(v.referrals.open.map((r: { referralId: string; direction: string }) => [r.referralId, r.direction])).toEqual([[hvkReferral, 'incoming']]);
    expect([v.district, v.parts, v.decisions, v.needs.open, v.payments.items, v.team.contactPersons]).toEqual([null, [], [], [], [], []]);
    expect(v.access.withheld).toBeNull();
  });

  it('after a withdrawal, the unit that read under the consent gets an alert', async () => {
    // NAV read BFT's decision under the consent (the read audit knows): the withdrawal alerts NAV.
    await view();
    await send(`/families/${familyId}/consents/${consentId}/withdraw`, bft, { expressedByMemberId: adultId, channel: 'orally', reason: 'Vil ikke dele mer' });
    const v = await view();
    expect(v.alerts).toEqual([expect.objectContaining({ consentId, memberId: childId, channel: 'orally', toUnits: ['NAV'] })]);
    expect(v.decisions.map((d: { unit: string }) => d.unit)).toEqual(['NAV']);
    expect(v.access.withheld).toMatchObject({ decisions: 1 });
  });

  it('lists the family for the units with a part, filtered by unit only as far as the reader sees', async () => {
    await api.app.get(ProjectionDaemon).runner('family-view')!.waitUntilCaughtUp();
    const listed = async (headers: Headers, query: string) =>
      ((await api.inject('GET', `/families?${query}&today=2026-11-27`, headers)).json().items as Array<{ familyId: string }>).map((i) => i.familyId);
    expect(await listed(nav, 'unit=NAV')).toContain(familyId);
    expect(await listed(nav, 'unit=BFT')).toContain(familyId);
    expect(await listed(nav, 'unit=OPPVEKST')).not.toContain(familyId);
    expect(await listed(hvk, 'limit=200')).toContain(familyId);
    // HVK sees no parts (only its referral): no unit filter matches for it.
    expect(await listed(hvk, 'unit=NAV')).not.toContain(familyId);
    expect(await listed(headersFor({ userId: 'inn', role: 'caseworker', unit: 'INN' }), 'limit=200')).not.toContain(familyId);
    const bad = await api.inject('GET', '/families?limit=100000', nav);
    expect(bad.statusCode).toBe(400);
  });

  it('answers 404 for a family the view does not hold, 403 to a unit with no part (naming nothing of the family)', async () => {
    expect((await api.inject('GET', `/families/${randomUUID()}`, nav)).statusCode).toBe(404);
    const refused = await api.inject('GET', `/families/${familyId}`, headersFor({ userId: 'inn', role: 'caseworker', unit: 'INN' }));
    expect(refused.statusCode).toBe(403);
    for (const leak of ['Heimdal', 'Amina', 'Yusuf', 'BFT', 'NAV']) expect([leak, refused.body.includes(leak)]).toEqual([leak, false]);
  });
});
