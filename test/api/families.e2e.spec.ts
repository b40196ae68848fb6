import { randomUUID } from 'node:crypto';
import { EVENT_SCHEMA_VERSION } from '@familievedtak/domain';
import { Headers, TestApp, createTestApp, headersFor } from '../support/test-app';
import { CONSENT_UNTIL, approveSubProject, proposalBody, send } from '../support/parts';
const navCaseworker: Headers = headersFor({ userId: 'nav-kari', role: 'caseworker', unit: 'NAV' });
const navApprover: Headers = headersFor({ userId: 'nav-ola', role: 'approver', unit: 'NAV' });
const bftCaseworker: Headers = headersFor({ userId: 'bft-siri', role: 'caseworker', unit: 'BFT' });
const bftApprover: Headers = headersFor({ userId: 'bft-per', role: 'approver', unit: 'BFT' });

describe('API: family commands end to end (PostgreSQL)', () => {
  let api: TestApp;
  beforeAll(async () => {
    api = await createTestApp();
  });
  afterAll(() => api.close());
  const inject: TestApp['inject'] = (...args) => api.inject(...args);
  const eventCount = () => api.eventCount();

  /** A family of one adult and one child (the adult holds parental responsibility), registered by a NAV caseworker: NAV has the first part. */
  async function registerFamily() {
    const familyId = randomUUID();
    const adultId = randomUUID();
    const childId = randomUUID();
    const response = await inject('POST', '/families', navCaseworker, {
      familyId,
      district: 'Heimdal',
      members: [
        { memberId: adultId, name: 'Amina', birthDate: '1988-03-02', role: 'adult', preferredLanguage: 'ar' },
        { memberId: childId, name: 'Yusuf', birthDate: '2016-09-14', role: 'child' },
      ],
      parentalResponsibility: [{ childId, holderId: adultId, basis: 'birth-registration', documentRef: 'FREG-2016-0914' }],
    });
    expect(response.statusCode).toBe(201);
    return { familyId, adultId, childId };
  }

  it('walks a family through need, consent, a referral to BFT, decisions in two units with four eyes, and a payment', async () => {
    const { familyId, adultId, childId } = await registerFamily();
    const need = await inject('POST', `/families/${familyId}/needs`, navCaseworker, {
      memberId: adultId,
      words: 'Et sted å bo der barna kan ha hvert sitt rom',
    });
    expect(need.statusCode).toBe(201);
    const needId = need.json().events[0].id && (await inject('GET', `/families/${familyId}/stream-state`, navCaseworker)).json();
    expect(Object.keys(needId.state.needs)).toHaveLength(1);

    const consent = await inject('POST', `/families/${familyId}/consents`, navCaseworker, {
      memberId: childId,
      givenByMemberId: adultId,
      kind: 'information-sharing',
      toUnits: ['NAV', 'BFT'],
      dataCategories: ['needs', 'decisions'],
      purpose: 'Coordinate help for the family',
      validFrom: '2026-01-01',
      validUntil: CONSENT_UNTIL,
      evidence: { form: 'written', documentRef: 'SAMTYKKE-2026-0042' },
    });
    expect(consent.statusCode).toBe(201);

    const navDecisionId = randomUUID();
    const proposed = await inject(
      'POST',
      `/families/${familyId}/decisions`,
      navCaseworker,
      proposalBody({
        decisionId: navDecisionId,
        unit: 'NAV',
        decisionType: 'economic-social-assistance',
        memberIds: [adultId],
        periodFrom: '2026-11-01',
        periodUntil: '2027-04-30',
        amounts: { monthlyAmountOre: 850000 },
        summary: 'Income below the national guideline for a household of two.',
      }),
    );
    expect(proposed.statusCode).toBe(201);
    const proposedEvent = proposed.json().events[0];
    expect(proposedEvent.type).toBe('DecisionProposed');

    const approved = await inject('POST', `/families/${familyId}/decisions/${navDecisionId}/approve`, navApprover);
    expect(approved.statusCode).toBe(200);

    // BFT takes part by accepting NAV's referral of Yusuf, which his mother's consent allows.
    const referralId = randomUUID();
    const referral = await inject('POST', `/families/${familyId}/referrals`, navCaseworker, {
      referralId,
      toUnit: 'BFT',
      memberIds: [childId],
      reason: 'Support for Yusuf',
    });
    expect(referral.statusCode).toBe(201);
    expect((await inject('POST', `/families/${familyId}/referrals/${referralId}/accept`, bftCaseworker)).statusCode).toBe(200);

    const bftDecisionId = randomUUID();
    expect(
      (
        await inject(
          'POST',
          `/families/${familyId}/decisions`,
          bftCaseworker,
          proposalBody({
            decisionId: bftDecisionId,
            unit: 'BFT',
            decisionType: 'child-welfare-support-measure',
            memberIds: [childId],
            children: [childId],
            periodFrom: '2026-12-01',
            periodUntil: '2027-11-30',
            summary: 'Support contact twice a week, as the family asked.',
          }),
        )
      ).statusCode,
    ).toBe(201);
    expect((await inject('POST', `/families/${familyId}/decisions/${bftDecisionId}/approve`, bftApprover)).statusCode).toBe(200);

    const payment = await inject('POST', `/families/${familyId}/payments`, navCaseworker, {
      recipientMemberId: adultId,
      amountOre: 850000,
      method: 'bank-transfer',
      funding: { kind: 'unit', unit: 'NAV' },
      answersDecisionId: navDecisionId,
      documentationRef: 'BILAG-2026-1142',
      paidOn: '2026-11-15',
    });
    expect(payment.json()).toMatchObject({ events: [{ type: 'PaymentRecorded' }] });
    expect(payment.statusCode).toBe(201);

    const state = (await inject('GET', `/families/${familyId}/stream-state`, navCaseworker)).json();
    expect(state.state.decisions[navDecisionId].status).toBe('active');
    // BFT's decision is BFT's record: the consent shares NAV's records (its source), not BFT's.
    expect(state.state.decisions[bftDecisionId]).toBeUndefined();
    const seenByBft = (await inject('GET', `/families/${familyId}/stream-state`, bftCaseworker)).json();
    expect(seenByBft.state.decisions[bftDecisionId].status).toBe('active');
    expect(state.state.decisions[navDecisionId].delegation).toMatchObject({ ruleSetId: 'trondheim-2023' });

    // Every event carries who and why.
    const { rows } = await api.db.pool.query(`SELECT type, metadata FROM event_store.events WHERE stream_id = $1 ORDER BY revision`, [`family-${familyId}`]);
    expect(rows.map((r) => r.type)).toEqual([
      'FamilyRegistered',
      'NeedExpressed',
      'ConsentGiven',
      'DecisionProposed',
      'DecisionApproved',
      'ReferralRecorded',
      'ReferralAccepted',
      'DecisionProposed',
      'DecisionApproved',
      'PaymentRecorded',
    ]);
    for (const { metadata } of rows) {
      expect(metadata).toMatchObject({
        commandId: expect.any(String),
        correlationId: expect.any(String),
        causationId: expect.any(String),
        ruleSetId: 'trondheim-2023',
        schemaVersion: EVENT_SCHEMA_VERSION,
        actor: { userId: expect.any(String), role: expect.any(String), unit: expect.any(String) },
      });
    }
  });

  it('pilot support names its sub-project; the responsible unit comes from the sub-project’s stream, and an unknown sub-project is told only to a unit with a part', async () => {
    const { familyId, adultId } = await registerFamily();
    const subProjectId = await approveSubProject(api, headersFor({ userId: 'nav-leder', role: 'unit-leader', unit: 'NAV' }), 'NAV');
    const pilot = (sp: string) =>
      proposalBody({
        unit: 'NAV',
        decisionType: 'pilot-support',
        memberIds: [adultId],
        periodFrom: '2026-11-01',
        periodUntil: '2027-04-30',
        amounts: { oneOffAmountOre: 500_000 },
        summary: 'Driving lessons',
        subProjectId: sp,
      });
    const before = await eventCount();
    const unknown = await inject('POST', `/families/${familyId}/decisions`, navCaseworker, pilot('sp-none'));
    expect({ status: unknown.statusCode, code: unknown.json().code }).toEqual({ status: 404, code: 'SUB_PROJECT_NOT_FOUND' });
    const hvk = headersFor({ userId: 'hvk-anne', role: 'caseworker', unit: 'HVK' });
    const noPart = await inject('POST', `/families/${familyId}/decisions`, hvk, { ...pilot('sp-none'), unit: 'HVK' });
    expect({ status: noPart.statusCode, code: noPart.json().code }).toEqual({ status: 403, code: 'NO_PART_IN_CASE' });
    expect(await eventCount()).toBe(before);
    const decisionId = randomUUID();
    expect((await inject('POST', `/families/${familyId}/decisions`, navCaseworker, { ...pilot(subProjectId), decisionId })).statusCode).toBe(201);
    const { rows } = await api.db.pool.query(`SELECT data FROM event_store.events WHERE stream_id = $1 AND type = 'DecisionProposed'`, [`family-${familyId}`]);
    expect(rows[0].data.subProject).toEqual({ subProjectId, responsibleUnit: 'NAV' });
  });

  it('answers 409 with the current revision when If-Match is stale, and appends nothing', async () => {
    const { familyId, adultId } = await registerFamily();
    const first = await inject('POST', `/families/${familyId}/needs`, { ...navCaseworker, 'if-match': '"0"' }, { memberId: adultId, words: 'Arbeid' });
    expect(first.statusCode).toBe(201);
    expect(first.headers.etag).toBe('"1"');
    const before = await eventCount();
    const stale = await inject('POST', `/families/${familyId}/needs`, { ...navCaseworker, 'if-match': '"0"' }, { memberId: adultId, words: 'Bolig' });
    expect(stale.statusCode).toBe(409);
    expect(stale.headers['content-type']).toContain('application/problem+json');
    expect(stale.json()).toMatchObject({ status: 409, code: 'REVISION_CONFLICT', currentRevision: 1 });
    expect(await eventCount()).toBe(before);
  });

  it('an Idempotency-Key retry returns the first answer and appends nothing', async () => {
    const { familyId, adultId } = await registerFamily();
    const headers = { ...navCaseworker, 'idempotency-key': `pay-${randomUUID()}` };
    const body = {
      recipientMemberId: adultId,
      amountOre: 160000,
      method: 'gift-card',
      funding: { kind: 'unit', unit: 'NAV' },
      documentationRef: 'GAVEKORT-77',
      paidOn: '2026-11-27',
    };
    const first = await inject('POST', `/families/${familyId}/payments`, headers, body);
    expect(first.statusCode).toBe(201);
    const before = await eventCount();
    const retry = await inject('POST', `/families/${familyId}/payments`, headers, body);
    expect(retry.statusCode).toBe(201);
    expect(retry.json().events).toEqual(first.json().events);
    expect(retry.json().replayed).toBe(true);
    expect(await eventCount()).toBe(before);
    const state = (await inject('GET', `/families/${familyId}/stream-state`, navCaseworker)).json();
    expect(Object.keys(state.state.payments)).toHaveLength(1);
  });

  describe('bad input gets a clear 4xx and nothing is stored', () => {
    let family: { familyId: string; adultId: string; childId: string };
    beforeAll(async () => {
      family = await registerFamily();
      // BFT takes part (barnevernsloven § 13-2), so its refusals below are about competence, not about the part.
      const referralId = randomUUID();
      await send(api, 'POST', `/families/${family.familyId}/referrals`, navCaseworker, {
        referralId,
        toUnit: 'BFT',
        memberIds: [family.childId],
        reason: 'Concern',
        ground: 'duty-to-inform-child-welfare',
      });
      await send(api, 'POST', `/families/${family.familyId}/referrals/${referralId}/accept`, bftCaseworker);
    });
    const hvkCaseworker: Headers = headersFor({ userId: 'hvk-anne', role: 'caseworker', unit: 'HVK' });
    const consent = () => ({
      memberId: family.adultId,
      givenByMemberId: family.adultId,
      kind: 'information-sharing',
      toUnits: ['BFT'],
      dataCategories: ['needs'],
      purpose: 'Follow-up',
      validFrom: '2026-01-01',
      validUntil: CONSENT_UNTIL,
      evidence: { form: 'written', documentRef: 'S-1' },
    });

    const proposal = () =>
      proposalBody({
        unit: 'NAV',
        decisionType: 'economic-social-assistance',
        memberIds: [family.adultId],
        periodFrom: '2026-12-01',
        periodUntil: '2027-05-31',
        summary: 'Income below the guideline.',
      });

    const cases: Array<[string, () => { url: string; headers?: Headers; body: unknown }, number, string | undefined]> = [
      [
        'wrong types',
        () => ({ url: `/families/${family.familyId}/decisions`, body: { ...proposal(), memberIds: 'everyone', periodFrom: 20261201 } }),
        400,
        undefined,
      ],
      [
        'negative amount',
        () => ({
          url: `/families/${family.familyId}/payments`,
          body: {
            recipientMemberId: family.adultId,
            amountOre: -100,
            method: 'gift-card',
            funding: { kind: 'unit', unit: 'NAV' },
            documentationRef: 'X',
            paidOn: '2026-11-27',
          },
        }),
        400,
        undefined,
      ],
      [
        'fractional øre',
        () => ({
          url: `/families/${family.familyId}/payments`,
          body: {
            recipientMemberId: family.adultId,
            amountOre: 10.5,
            method: 'gift-card',
            funding: { kind: 'unit', unit: 'NAV' },
            documentationRef: 'X',
            paidOn: '2026-11-27',
          },
        }),
        400,
        undefined,
      ],
      ['unknown unit', () => ({ url: `/families/${family.familyId}/decisions`, body: { ...proposal(), unit: 'POLICE' } }), 400, undefined],
      [
        'until before from',
        () => ({ url: `/families/${family.familyId}/decisions`, body: { ...proposal(), periodFrom: '2027-05-31', periodUntil: '2026-12-01' } }),
        422,
        'INVALID_PERIOD',
      ],
      [
        'a date that does not exist',
        () => ({ url: `/families/${family.familyId}/decisions`, body: { ...proposal(), periodUntil: '2027-02-30' } }),
        422,
        undefined,
      ],
      [
        'unknown member',
        () => ({ url: `/families/${family.familyId}/decisions`, body: { ...proposal(), memberIds: [randomUUID()] } }),
        404,
        'MEMBER_NOT_FOUND',
      ],
      ['unknown field', () => ({ url: `/families/${family.familyId}/decisions`, body: { ...proposal(), approvedBy: 'me' } }), 400, undefined],
      [
        'oversized body',
        () => ({ url: `/families/${family.familyId}/needs`, body: { memberId: family.adultId, words: 'x'.repeat(300 * 1024) } }),
        413,
        undefined,
      ],
      [
        'not competent (BFT decides social assistance)',
        () => ({ url: `/families/${family.familyId}/decisions`, headers: bftCaseworker, body: { ...proposal(), unit: 'BFT' } }),
        403,
        'NOT_COMPETENT',
      ],
      ['no caller', () => ({ url: `/families/${family.familyId}/needs`, headers: {}, body: { words: 'Noe' } }), 401, undefined],
      ['unknown family', () => ({ url: `/families/${randomUUID()}/needs`, body: { words: 'Noe' } }), 404, 'FAMILY_NOT_FOUND'],
      ['family id that is not a UUID', () => ({ url: `/families/not-a-uuid/needs`, body: { words: 'Noe' } }), 400, undefined],
      ['a unit without a part', () => ({ url: `/families/${family.familyId}/needs`, headers: hvkCaseworker, body: { words: 'Noe' } }), 403, 'NO_PART_IN_CASE'],
      ['a consent without evidence', () => ({ url: `/families/${family.familyId}/consents`, body: { ...consent(), evidence: undefined } }), 400, undefined],
      [
        'a consent without an end date',
        () => ({ url: `/families/${family.familyId}/consents`, body: { ...consent(), validUntil: undefined } }),
        400,
        undefined,
      ],
      [
        'a consent naming who read under it',
        () => ({
          url: `/families/${family.familyId}/consents/${randomUUID()}/withdraw`,
          body: { expressedByMemberId: family.adultId, channel: 'orally', alertedUnits: ['BFT'] },
        }),
        400,
        undefined,
      ],
      [
        'a withdrawal without who said it',
        () => ({ url: `/families/${family.familyId}/consents/${randomUUID()}/withdraw`, body: { channel: 'orally' } }),
        400,
        undefined,
      ],
      [
        'a referral to an unknown unit',
        () => ({ url: `/families/${family.familyId}/referrals`, body: { toUnit: 'POLICE', memberIds: [family.adultId], reason: 'x' } }),
        400,
        undefined,
      ],
      [
        'a referral to a unit that has a part',
        () => ({ url: `/families/${family.familyId}/referrals`, body: { toUnit: 'BFT', memberIds: [family.adultId], reason: 'x' } }),
        409,
        'ALREADY_HAS_PART',
      ],
      [
        'an enrolment naming its own partners',
        () => ({
          url: `/families/${family.familyId}/enrolments`,
          body: {
            subProjectId: 'sp-x',
            memberIds: [family.childId],
            subProject: { subProjectId: 'sp-x', responsibleUnit: 'NAV', name: 'x', partners: [], active: true },
          },
        }),
        400,
        undefined,
      ],
      [
        'an enrolment in a sub-project that does not exist',
        () => ({ url: `/families/${family.familyId}/enrolments`, body: { subProjectId: 'sp-none', memberIds: [family.childId] } }),
        404,
        'SUB_PROJECT_NOT_FOUND',
      ],
      [
        'a payment naming its own sub-project facts',
        () => ({
          url: `/families/${family.familyId}/payments`,
          body: {
            recipientMemberId: family.adultId,
            amountOre: 100,
            method: 'gift-card',
            funding: { kind: 'sub-project', subProjectId: 'sp-x' },
            subProject: { subProjectId: 'sp-x', responsibleUnit: 'NAV' },
            documentationRef: 'X',
            paidOn: '2026-11-27',
          },
        }),
        400,
        undefined,
      ],
      [
        'a partner contact person with a name for a number',
        () => ({
          url: `/families/${family.familyId}/team`,
          body: { personId: 'rk-1', name: 'Ingrid', affiliation: { kind: 'partner', organisation: 'Red Cross' } },
        }),
        400,
        undefined,
      ],
      [
        'parental responsibility for an adult',
        () => ({ url: `/families/${family.familyId}/parental-responsibility`, body: { childId: family.adultId, holderId: family.adultId } }),
        422,
        'INVALID_INPUT',
      ],
      [
        'closing an involvement without a reason',
        () => ({ url: `/families/${family.familyId}/involvement/close`, headers: bftCaseworker, body: {} }),
        400,
        undefined,
      ],
    ];

    it.each(cases)('%s', async (_name, make, status, code) => {
      const { url, headers, body } = make();
      const before = await eventCount();
      const response = await inject('POST', url, headers ?? navCaseworker, body);
      expect(response.statusCode).toBe(status);
      expect(response.headers['content-type']).toContain('application/problem+json');
      const problem = response.json();
      expect(problem).toMatchObject({ status, type: expect.stringMatching(/^urn:familievedtak:problem:/), detail: expect.any(String) });
      if (code) expect(problem.code).toBe(code);
      expect(JSON.stringify(problem)).not.toMatch(/at .*\.ts:\d+|SELECT |INSERT /);
      expect(await eventCount()).toBe(before);
    });

    it('nobody approves their own proposal', async () => {
      const decisionId = randomUUID();
      const approverAsProposer = headersFor({ userId: 'nav-ola', role: 'approver', unit: 'NAV' });
      const proposed = await inject('POST', `/families/${family.familyId}/decisions`, approverAsProposer, { ...proposal(), decisionId });
      expect(proposed.statusCode).toBe(201);
      const before = await eventCount();
      const self = await inject('POST', `/families/${family.familyId}/decisions/${decisionId}/approve`, approverAsProposer);
      expect(self.statusCode).toBe(403);
      expect(self.json().code).toBe('SELF_APPROVAL');
      expect(await eventCount()).toBe(before);
    });
  });
});
