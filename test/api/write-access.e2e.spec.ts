import { randomUUID } from 'node:crypto';
import { ROUTE_POLICIES } from '../../apps/api/src/auth/route-policies';
import { createTestApp, Headers, headersFor, TestApp } from '../support/test-app';
import { CONSENT_UNTIL, RED_CROSS, SAUPSTAD_IL, enrol, proposalBody, send } from '../support/parts';

const navCaseworker: Headers = headersFor({ userId: 'nav-kari', role: 'caseworker', unit: 'NAV' });
const navApprover: Headers = headersFor({ userId: 'nav-ola', role: 'approver', unit: 'NAV' });
const bftCaseworker: Headers = headersFor({ userId: 'bft-siri', role: 'caseworker', unit: 'BFT' });
const bftApprover: Headers = headersFor({ userId: 'bft-per', role: 'approver', unit: 'BFT' });
const leader: Headers = headersFor({ userId: 'nav-leder', role: 'unit-leader', unit: 'NAV' });
/** A volunteer of Trondheim Red Cross (token claim org: its organisation number). */
const redCross: Headers = headersFor({ userId: 'rk-ingrid', role: 'partner', org: RED_CROSS });
const auditor: Headers = headersFor({ userId: 'eva-audit', role: 'auditor' });
const rulesAnalyst: Headers = headersFor({ userId: 'rules-team', role: 'rules-analyst' });

describe('API: who may write what (PostgreSQL)', () => {
  let api: TestApp;
  beforeAll(async () => {
    api = await createTestApp({ poolSize: 5 });
  });
  afterAll(() => api.close());
  const inject: TestApp['inject'] = (...args) => api.inject(...args);

  /** Sends a command that must be refused with this status, and checks nothing was appended. */
  async function refused(status: 403 | 404, method: 'POST' | 'PUT', url: string, headers: Headers, body: unknown = {}) {
    const before = await api.eventCount();
    const response = await inject(method, url, headers, body);
    expect({ url, status: response.statusCode, body: response.json() }).toMatchObject({ url, status, body: { status } });
    expect(response.headers['content-type']).toContain('application/problem+json');
    expect(await api.eventCount()).toBe(before);
    return response.json() as { code?: string; detail: string };
  }

  async function registerFamily() {
    const familyId = randomUUID();
    const adultId = randomUUID();
    const childId = randomUUID();
    const response = await inject('POST', '/families', navCaseworker, {
      familyId,
      district: 'Saupstad',
      members: [
        { memberId: adultId, name: 'Amina', birthDate: '1988-03-02', role: 'adult' },
        { memberId: childId, name: 'Sara', birthDate: '2014-05-10', role: 'child' },
      ],
      parentalResponsibility: [{ childId, holderId: adultId, basis: 'birth-registration' }],
    });
    expect(response.statusCode).toBe(201);
    return { familyId, adultId, childId };
  }

  /** BFT takes part in the family: NAV refers the child under its duty to inform (barnevernsloven § 13-2), BFT accepts. */
  async function bftTakesPart(familyId: string, childId: string) {
    const referralId = randomUUID();
    await send(api, 'POST', `/families/${familyId}/referrals`, navCaseworker, {
      referralId,
      toUnit: 'BFT',
      memberIds: [childId],
      reason: 'Concern for the child',
      ground: 'duty-to-inform-child-welfare',
    });
    await send(api, 'POST', `/families/${familyId}/referrals/${referralId}/accept`, bftCaseworker);
  }

  const navDecision = (memberId: string, decisionId = randomUUID()) =>
    proposalBody({
      decisionId,
      unit: 'NAV',
      decisionType: 'economic-social-assistance',
      memberIds: [memberId],
      periodFrom: '2026-11-01',
      periodUntil: '2027-04-30',
      amounts: { monthlyAmountOre: 850000 },
      summary: 'Income below the national guideline for a household of three.',
    });

  async function approveSubProject(mayRecordPayments: boolean) {
    const subProjectId = `sp-${randomUUID().slice(0, 8)}`;
    const response = await inject('POST', '/sub-projects', leader, {
      subProjectId,
      name: 'Leisure for every child',
      actors: [
        { name: 'NAV Falkenborg', municipal: true, unit: 'NAV' },
        { name: 'Trondheim Red Cross', municipal: false, organisationNumber: RED_CROSS, mayRecordPayments },
        { name: 'Saupstad IL', municipal: false, organisationNumber: SAUPSTAD_IL },
      ],
      responsibleUnit: 'NAV',
      goals: ['Every child in the families takes part in a leisure activity'],
      firstSemester: '2026-autumn',
    });
    expect(response.statusCode).toBe(201);
    return subProjectId;
  }

  const payment = (memberId: string, funding: object) => ({
    recipientMemberId: memberId,
    amountOre: 120_000,
    method: 'gift-card',
    funding,
    documentationRef: `KVITTERING-${randomUUID().slice(0, 8)}`,
    paidOn: '2026-11-20',
  });

  describe('decisions: the unit proposes, its approver approves', () => {
    it('a caseworker of the unit proposes (201); a caseworker of another unit is refused (403), with or without a part', async () => {
      const { familyId, adultId, childId } = await registerFamily();
      expect((await inject('POST', `/families/${familyId}/decisions`, navCaseworker, navDecision(adultId))).statusCode).toBe(201);
      const refusal = await refused(403, 'POST', `/families/${familyId}/decisions`, bftCaseworker, navDecision(adultId));
      expect(refusal.code).toBe('UNIT_MISMATCH');
      await bftTakesPart(familyId, childId);
      expect((await refused(403, 'POST', `/families/${familyId}/decisions`, bftCaseworker, navDecision(adultId))).code).toBe('UNIT_MISMATCH');
    });

    it('a unit without a part in the case proposes nothing, even for its own competence (403 NO_PART_IN_CASE)', async () => {
      const { familyId, childId } = await registerFamily();
      const bftDecision = proposalBody({
        unit: 'BFT',
        decisionType: 'child-welfare-support-measure',
        memberIds: [childId],
        children: [childId],
        periodFrom: '2026-11-01',
        periodUntil: '2027-04-30',
        summary: 'Support contact twice a week.',
      });
      expect((await refused(403, 'POST', `/families/${familyId}/decisions`, bftCaseworker, bftDecision)).code).toBe('NO_PART_IN_CASE');
      await bftTakesPart(familyId, childId);
      expect((await inject('POST', `/families/${familyId}/decisions`, bftCaseworker, bftDecision)).statusCode).toBe(201);
    });

    it('a caseworker may not approve (403), an approver of another unit may not (403), the unit’s approver does (200)', async () => {
      const { familyId, adultId, childId } = await registerFamily();
      const decisionId = randomUUID();
      expect((await inject('POST', `/families/${familyId}/decisions`, navCaseworker, navDecision(adultId, decisionId))).statusCode).toBe(201);
      const approve = `/families/${familyId}/decisions/${decisionId}/approve`;
      // Without a part BFT learns nothing of the decision; with a part but no consent of Amina's
      // naming BFT, NAV's decision about her does not exist for BFT; with one, BFT is still not NAV's approver.
      expect((await refused(403, 'POST', approve, bftApprover)).code).toBe('NO_PART_IN_CASE');
      await bftTakesPart(familyId, childId);
      expect((await refused(404, 'POST', approve, bftApprover)).code).toBe('DECISION_NOT_FOUND');
      await send(api, 'POST', `/families/${familyId}/consents`, navCaseworker, {
        memberId: adultId,
        givenByMemberId: adultId,
        kind: 'information-sharing',
        toUnits: ['BFT'],
        dataCategories: ['decisions'],
        purpose: 'BFT follows up the family',
        validFrom: '2026-01-01',
        validUntil: CONSENT_UNTIL,
        evidence: { form: 'oral', note: 'At the meeting' },
      });
      expect((await refused(403, 'POST', approve, navCaseworker)).code).toBe('NOT_APPROVER');
      expect((await refused(403, 'POST', approve, bftCaseworker)).code).toBe('NOT_APPROVER');
      expect((await refused(403, 'POST', approve, bftApprover)).code).toBe('UNIT_MISMATCH');
      const approved = await inject('POST', approve, navApprover);
      expect(approved.statusCode).toBe(200);
      expect(approved.json()).toMatchObject({ events: [{ type: 'DecisionApproved' }] });
    });
  });

  describe('partners', () => {
    it('record a need in their own words (201), under their organisation, once enrolled with the member by the responsible unit', async () => {
      const subProjectId = await approveSubProject(false);
      const { familyId, childId } = await registerFamily();
      expect((await refused(403, 'POST', `/families/${familyId}/needs`, redCross, { memberId: childId, words: 'Fotball' })).code).toBe('PARTNER_NOT_ENROLLED');
      await enrol(api, familyId, navCaseworker, subProjectId, [childId]);
      const need = await inject('POST', `/families/${familyId}/needs`, redCross, { memberId: childId, words: 'Vil gjerne spille fotball med de andre' });
      expect(need.statusCode).toBe(201);
      const { rows } = await api.db.pool.query(`SELECT data FROM event_store.events WHERE stream_id = $1 AND type = 'NeedExpressed'`, [`family-${familyId}`]);
      expect(rows[0].data.recordedBy).toMatchObject({
        kind: 'partner',
        organisation: 'Trondheim Red Cross',
        organisationNumber: RED_CROSS,
        userId: 'rk-ingrid',
      });
    });

    it('may not propose a decision, record a consent or register a family (403, nothing appended)', async () => {
      const { familyId, adultId, childId } = await registerFamily();
      const decision = await refused(403, 'POST', `/families/${familyId}/decisions`, redCross, navDecision(adultId));
      expect(decision.detail).toContain('The role partner may not call POST /families/:familyId/decisions');
      await refused(403, 'POST', `/families/${familyId}/consents`, redCross, {
        memberId: childId,
        givenByMemberId: adultId,
        kind: 'information-sharing',
        toUnits: ['NAV', 'BFT'],
        dataCategories: ['needs'],
        purpose: 'Coordinate help',
        validFrom: '2026-01-01',
        validUntil: CONSENT_UNTIL,
        evidence: { form: 'written', documentRef: 'SAMTYKKE-1' },
      });
      await refused(403, 'POST', '/families', redCross, {
        familyId: randomUUID(),
        district: 'Saupstad',
        members: [{ memberId: randomUUID(), name: 'Ola', birthDate: '1980-01-01', role: 'adult' }],
      });
    });

    it('pay from a sub-project that allows their organisation (201), and the budget pays', async () => {
      const subProjectId = await approveSubProject(true);
      const { familyId, childId } = await registerFamily();
      await enrol(api, familyId, navCaseworker, subProjectId, [childId]);
      const paid = await inject('POST', `/families/${familyId}/payments`, redCross, payment(childId, { kind: 'sub-project', subProjectId }));
      expect(paid.statusCode).toBe(201);
      expect(paid.json()).toMatchObject({ events: [{ type: 'PaymentRecorded' }] });
      const budget = (await inject('GET', `/sub-projects/${subProjectId}`, leader)).json();
      expect(budget.remainingBySemesterOre['2026-autumn']).toBe(50_000_000 - 120_000);
      expect(budget.actors.find((a: { name: string }) => a.name === 'Trondheim Red Cross')).toMatchObject({
        mayRecordPayments: true,
        organisationNumber: RED_CROSS,
      });
      const { rows } = await api.db.pool.query(`SELECT metadata FROM event_store.events WHERE stream_id = $1 AND type = 'SpendRecorded'`, [
        `subproject-${subProjectId}`,
      ]);
      expect(rows[0].metadata.actor).toEqual({ userId: 'rk-ingrid', role: 'partner', unit: null, partnerOrganisation: RED_CROSS });
    });

    it('may not pay from a sub-project that does not allow them (403 PARTNER_MAY_NOT_PAY), nor from a unit budget (403)', async () => {
      const subProjectId = await approveSubProject(false);
      const { familyId, childId } = await registerFamily();
      await enrol(api, familyId, navCaseworker, subProjectId, [childId]);
      const notAllowed = await refused(403, 'POST', `/families/${familyId}/payments`, redCross, payment(childId, { kind: 'sub-project', subProjectId }));
      expect(notAllowed.code).toBe('PARTNER_MAY_NOT_PAY');
      const budget = (await inject('GET', `/sub-projects/${subProjectId}`, leader)).json();
      expect(budget.remainingBySemesterOre['2026-autumn']).toBe(50_000_000);

      // Another organisation, where Red Cross may pay: still not this partner's budget.
      const allowing = await approveSubProject(true);
      await enrol(api, familyId, navCaseworker, allowing, [childId]);
      const otherOrg = headersFor({ userId: 'il-trener', role: 'partner', org: SAUPSTAD_IL });
      expect(
        (await refused(403, 'POST', `/families/${familyId}/payments`, otherOrg, payment(childId, { kind: 'sub-project', subProjectId: allowing }))).code,
      ).toBe('PARTNER_MAY_NOT_PAY');

      const unitFunded = await refused(403, 'POST', `/families/${familyId}/payments`, redCross, payment(childId, { kind: 'unit', unit: 'NAV' }));
      expect(unitFunded.code).toBe('ACTION_NOT_PERMITTED');
    });

    it('may not reverse a payment, also one they recorded (403)', async () => {
      const subProjectId = await approveSubProject(true);
      const { familyId, childId } = await registerFamily();
      await enrol(api, familyId, navCaseworker, subProjectId, [childId]);
      const paymentId = randomUUID();
      const paid = await inject('POST', `/families/${familyId}/payments`, redCross, { ...payment(childId, { kind: 'sub-project', subProjectId }), paymentId });
      expect(paid.statusCode).toBe(201);
      await refused(403, 'POST', `/families/${familyId}/payments/${paymentId}/reverse`, redCross, { reason: 'Wrong size.' });
    });
  });

  describe('auditors and rules analysts write nothing to a family', () => {
    it.each([
      ['auditor', auditor],
      ['rules-analyst', rulesAnalyst],
    ])('%s: every family command answers 403 and appends nothing', async (role, headers) => {
      const { familyId, adultId } = await registerFamily();
      const decisionId = randomUUID();
      expect((await inject('POST', `/families/${familyId}/decisions`, navCaseworker, navDecision(adultId, decisionId))).statusCode).toBe(201);
      const commands = Object.keys(ROUTE_POLICIES).filter((route) => /^(POST|PUT) \/families(\/|$)/.test(route));
      expect(commands.length).toBeGreaterThan(20);
      for (const route of commands) {
        const [method, path] = route.split(' ');
        const url = path
          .replace(':familyId', familyId)
          .replace(':decisionId', decisionId)
          .replace(':memberId', adultId)
          .replace(/:[A-Za-z]+/g, () => randomUUID());
        const refusal = await refused(403, method as 'POST' | 'PUT', url, headers, route.endsWith('/decisions') ? navDecision(adultId) : {});
        expect(refusal.detail).toContain(`The role ${role} may not call ${route}`);
      }
    });
  });
});
