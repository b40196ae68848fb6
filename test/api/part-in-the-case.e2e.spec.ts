import { randomUUID } from 'node:crypto';
import type { LightMyRequestResponse } from 'fastify';
import { EVENT_STORE, type EventStore } from '@familievedtak/event-store';
import { ProjectionDaemon } from '@familievedtak/projections';
import { FamilyCommandsService } from '../../apps/api/src/families/family-commands.service';
import { createTestApp, Headers, headersFor, TestApp } from '../support/test-app';
import {
  approveSubProject,
  consentBody,
  currentSemester,
  enrol,
  familyStream,
  partner,
  proposalBody,
  RED_CROSS,
  referAndAccept,
  registerFamily,
  SAUPSTAD_IL,
  send,
  staff,
  streamCount,
  subProjectStream,
} from '../support/parts';
import { osloToday } from '../support/today';

/**
 * Issue 11, one test per escalation: a unit (or partner) writes to and reads a family only
 * with a part in the case, gained by an accountable act (registration, an accepted referral,
 * an enrolment by the responsible unit). Every refusal is checked through the API: its status,
 * problem details that name nothing of the family, and the family stream (and the sub-project
 * stream where money is involved) left exactly as it was.
 */

const nav = staff('NAV');
const navLeader = staff('NAV', 'unit-leader');
const bft = staff('BFT');
const bftApprover = staff('BFT', 'approver');
const hvk = staff('HVK');
const hvkLeader = staff('HVK', 'unit-leader');
const oppvekst = staff('OPPVEKST');

const year = new Date().getUTCFullYear();
/** Ages that hold all year, whatever day the test runs. */
const born = (age: number) => `${year - age}-01-01`;
const today = osloToday();

type Family = Awaited<ReturnType<typeof registerFamily>>;

describe('API: a part in the case (issue 11) (PostgreSQL)', () => {
  let api: TestApp;
  beforeAll(async () => {
    api = await createTestApp({ runProjections: true, poolSize: 10 });
  });
  afterAll(() => api?.close());

  const caughtUp = () => api.app.get(ProjectionDaemon).runner('family-view')!.waitUntilCaughtUp();

  /**
   * NAV registers Amina (adult), Omar (adult, no parental responsibility recorded), Yusuf (10,
   * Amina holds parental responsibility), Sara (17, Amina holds it) and Leila (21, registered
   * as 'child' by mistake).
   */
  async function navFamily(): Promise<Family> {
    const family = await registerFamily(
      api,
      nav,
      [
        { name: 'Amina', birthDate: born(38), role: 'adult' },
        { name: 'Omar', birthDate: born(41), role: 'adult' },
        { name: 'Yusuf', birthDate: born(10), role: 'child' },
        { name: 'Sara', birthDate: born(17), role: 'child' },
        { name: 'Leila', birthDate: born(21), role: 'child' },
      ],
      { parentalResponsibility: [] },
    );
    const { familyId, ids } = family;
    for (const childId of [ids.Yusuf, ids.Sara]) {
      await send(api, 'POST', `/families/${familyId}/parental-responsibility`, nav, {
        childId,
        holderId: ids.Amina,
        basis: 'birth-registration',
        documentRef: 'FREG-1',
      });
    }
    return family;
  }

  /** Nothing of the family (names, member ids) in an error body; the request's own URL aside. */
  function namesNothing(response: LightMyRequestResponse, family: Family) {
    const { instance: _url, ...problem } = response.json() as Record<string, unknown>;
    const body = JSON.stringify(problem);
    for (const member of family.members) {
      expect({ body, leaks: body.includes(member.name) || body.includes(member.memberId) }).toEqual({ body, leaks: false });
    }
    expect(body).not.toContain('Heimdal');
  }

  /**
   * Sends a request that must be refused with `status`, and checks the streams it could touch
   * were left exactly as they were. Returns the problem details.
   */
  async function refused(
    status: number,
    method: 'GET' | 'POST' | 'PUT',
    url: string,
    headers: Headers,
    body: unknown,
    streams: string[],
    family?: Family,
  ): Promise<{ code?: string; detail: string }> {
    const before = await Promise.all(streams.map((s) => streamCount(api, s)));
    const total = await api.eventCount();
    const response = await api.inject(method, url, headers, body);
    expect({ url, status: response.statusCode, body: response.json() }).toMatchObject({ url, status, body: { status } });
    expect(response.headers['content-type']).toContain('application/problem+json');
    expect(await Promise.all(streams.map((s) => streamCount(api, s)))).toEqual(before);
    expect(await api.eventCount()).toBe(total);
    if (family) namesNothing(response, family);
    return response.json();
  }

  describe('partners act only through an enrolment naming their organisation number', () => {
    it('forvaltningsloven § 13: a partner that is not enrolled gets 403 reading the family, 403 recording a need (nothing appended), and still 403 reading after', async () => {
      const family = await navFamily();
      const { familyId, ids } = family;
      await caughtUp();
      const redCross = partner(RED_CROSS);
      const stream = [familyStream(familyId)];
      await refused(403, 'GET', `/families/${familyId}`, redCross, undefined, stream, family);
      await refused(403, 'GET', `/families/${familyId}/stream-state`, redCross, undefined, stream, family);
      const need = await refused(403, 'POST', `/families/${familyId}/needs`, redCross, { memberId: ids.Yusuf, words: 'Vil spille fotball' }, stream, family);
      expect(need.code).toBe('PARTNER_NOT_ENROLLED');
      const wholeFamily = await refused(403, 'POST', `/families/${familyId}/needs`, redCross, { words: 'Trenger hjelp' }, stream, family);
      expect(wholeFamily.code).toBe('PARTNER_NOT_ENROLLED');
      await caughtUp();
      await refused(403, 'GET', `/families/${familyId}`, redCross, undefined, stream, family);
      await refused(403, 'GET', `/families/${familyId}/stream-state`, redCross, undefined, stream, family);
      const listed = await api.inject('GET', '/families', redCross);
      expect(listed.statusCode).toBe(200);
      expect(listed.json().items.map((i: { familyId: string }) => i.familyId)).not.toContain(familyId);
    });

    it('forvaltningsloven § 13: a partner whose token names its organisation by name, by a different number or a padded number is refused even where the organisation is enrolled', async () => {
      const family = await navFamily();
      const { familyId, ids } = family;
      const subProjectId = await approveSubProject(api, navLeader, 'NAV', { payers: [RED_CROSS] });
      await enrol(api, familyId, nav, subProjectId, [ids.Yusuf]);
      await caughtUp();
      const streams = [familyStream(familyId), subProjectStream(subProjectId)];
      const payment = {
        recipientMemberId: ids.Yusuf,
        amountOre: 50_000,
        method: 'gift-card',
        funding: { kind: 'sub-project', subProjectId },
        documentationRef: 'KVITTERING-1',
        paidOn: today,
      };
      for (const org of ['Trondheim Red Cross', '974123457', ` ${RED_CROSS}`, `${RED_CROSS}0`, 'NO974123456']) {
        const impostor = headersFor({ userId: `impostor-${org.trim()}`, role: 'partner', org });
        await refused(403, 'POST', `/families/${familyId}/needs`, impostor, { memberId: ids.Yusuf, words: 'Fotball' }, streams, family);
        await refused(403, 'POST', `/families/${familyId}/payments`, impostor, payment, streams, family);
        await refused(403, 'GET', `/families/${familyId}`, impostor, undefined, streams, family);
      }
      // The enrolled organisation, by its exact number, is let in (the control).
      expect((await api.inject('POST', `/families/${familyId}/needs`, partner(RED_CROSS), { memberId: ids.Yusuf, words: 'Fotball' })).statusCode).toBe(201);
    });
  });

  describe('a unit without a part writes nothing and reads nothing', () => {
    it('forvaltningsloven § 13 (tjenstlig behov): an HVK caseworker with no part cannot record a need or a consent naming HVK, and still cannot read BFT’s child-welfare decision', async () => {
      const family = await navFamily();
      const { familyId, ids } = family;
      // BFT gets a part through NAV's duty to inform (barnevernsloven § 13-2) and decides for Yusuf.
      const referralId = randomUUID();
      await send(api, 'POST', `/families/${familyId}/referrals`, nav, {
        referralId,
        toUnit: 'BFT',
        memberIds: [ids.Yusuf],
        reason: 'Concern for the child',
        ground: 'duty-to-inform-child-welfare',
      });
      await send(api, 'POST', `/families/${familyId}/referrals/${referralId}/accept`, bft);
      const decisionId = randomUUID();
      await send(
        api,
        'POST',
        `/families/${familyId}/decisions`,
        bft,
        proposalBody({
          decisionId,
          unit: 'BFT',
          decisionType: 'child-welfare-support-measure',
          memberIds: [ids.Yusuf],
          children: [ids.Yusuf],
          periodFrom: today,
          periodUntil: `${year + 1}-06-30`,
          summary: 'Support contact twice a week.',
        }),
      );
      await send(api, 'POST', `/families/${familyId}/decisions/${decisionId}/approve`, bftApprover);
      await caughtUp();

      const stream = [familyStream(familyId)];
      const need = await refused(403, 'POST', `/families/${familyId}/needs`, hvk, { memberId: ids.Amina, words: 'Bolig' }, stream, family);
      expect(need.code).toBe('NO_PART_IN_CASE');
      const consent = await refused(
        403,
        'POST',
        `/families/${familyId}/consents`,
        hvk,
        consentBody(ids.Amina, ids.Amina, ['HVK'], { sourceUnits: ['BFT', 'NAV'] }),
        stream,
        family,
      );
      expect(consent.code).toBe('NO_PART_IN_CASE');
      for (const url of [`/families/${familyId}`, `/families/${familyId}/stream-state`]) {
        const read = await api.inject('GET', url, hvk);
        expect({ url, status: read.statusCode }).toEqual({ url, status: 403 });
        expect(read.body).not.toContain(decisionId);
        expect(read.body).not.toContain('child-welfare');
        namesNothing(read, family);
      }
    });

    it('forvaltningsloven § 13: an OPPVEKST caseworker with no part cannot withdraw NAV’s consent, name itself coordinating unit, remove a contact person or remove a member (403, nothing appended)', async () => {
      const family = await navFamily();
      const { familyId, ids } = family;
      const consentId = randomUUID();
      await send(api, 'POST', `/families/${familyId}/consents`, nav, { ...consentBody(ids.Amina, ids.Amina, ['BFT']), consentId });
      await send(api, 'POST', `/families/${familyId}/team`, nav, { personId: 'nav-kari', name: 'Kari Nordmann', affiliation: { kind: 'unit', unit: 'NAV' } });
      const stream = [familyStream(familyId)];
      const attempts: [string, 'POST' | 'PUT', string, unknown][] = [
        [
          'withdraw',
          'POST',
          `/families/${familyId}/consents/${consentId}/withdraw`,
          { expressedByMemberId: ids.Amina, channel: 'orally', reason: 'She said so' },
        ],
        ['coordinate', 'PUT', `/families/${familyId}/coordinating-unit`, { unit: 'OPPVEKST' }],
        ['contact person', 'POST', `/families/${familyId}/team/nav-kari/leave`, {}],
        ['member', 'POST', `/families/${familyId}/members/${ids.Omar}/leave`, { reason: 'Moved out' }],
      ];
      for (const [what, method, url, body] of attempts) {
        const refusal = await refused(403, method, url, oppvekst, body, stream, family);
        expect({ what, code: refusal.code }).toEqual({ what, code: 'NO_PART_IN_CASE' });
        // The message names no record: the same text whichever record was asked for.
        expect(refusal.detail).not.toMatch(/nav-kari|Kari|consent [0-9a-f-]{36}/);
      }
      const { state } = await loadFamily(familyId);
      expect(state.consents[consentId].withdrawnFrom).toBeNull();
      expect(state.coordinatingUnit).toBeNull();
      expect(state.team['nav-kari'].active).toBe(true);
      expect(state.members[ids.Omar].status).toBe('current');
    });
  });

  describe('sub-project money answers to its responsible unit', () => {
    it('pilot support is the responsible unit’s money (LAW.md: the municipal lawyer’s assessment, seed l.4527-4542): an HVK caseworker (with a part) paying from NAV’s sub-project gets 403 and neither stream moves', async () => {
      const family = await navFamily();
      const { familyId, ids } = family;
      const subProjectId = await approveSubProject(api, navLeader, 'NAV');
      const streams = [familyStream(familyId), subProjectStream(subProjectId)];
      const spends = await streamCount(api, subProjectStream(subProjectId));
      const hvkPays = {
        recipientMemberId: ids.Amina,
        amountOre: 150_000,
        method: 'supplier-payment',
        funding: { kind: 'sub-project', subProjectId },
        documentationRef: 'FAKTURA-9',
        paidOn: today,
      };
      // Without a part in the family, and then with one: never from NAV's sub-project.
      expect((await refused(403, 'POST', `/families/${familyId}/payments`, hvk, hvkPays, streams, family)).code).toBe('NO_PART_IN_CASE');
      await referAndAccept(api, familyId, nav, hvk, 'HVK', [ids.Amina]);
      const refusal = await refused(403, 'POST', `/families/${familyId}/payments`, hvk, hvkPays, streams, family);
      expect(refusal.code).toBe('UNIT_MISMATCH');
      expect(await streamCount(api, subProjectStream(subProjectId))).toBe(spends);
      // NAV, the responsible unit, pays from it (the control).
      const paid = await api.inject('POST', `/families/${familyId}/payments`, nav, {
        recipientMemberId: ids.Amina,
        amountOre: 150_000,
        method: 'supplier-payment',
        funding: { kind: 'sub-project', subProjectId },
        documentationRef: 'FAKTURA-10',
        paidOn: today,
      });
      expect(paid.statusCode).toBe(201);
      const { rows } = await api.db.pool.query(`SELECT data FROM event_store.events WHERE stream_id = $1 AND type = 'PaymentRecorded'`, [
        familyStream(familyId),
      ]);
      expect(rows[0].data.funding).toEqual({ kind: 'sub-project', subProjectId });
    });

    it('pilot support is the responsible unit’s money (LAW.md, seed l.4527-4542): an HVK unit leader terminating NAV’s sub-project gets 403', async () => {
      const subProjectId = await approveSubProject(api, navLeader, 'NAV');
      const refusal = await refused(
        403,
        'POST',
        `/sub-projects/${subProjectId}/reviews`,
        hvkLeader,
        {
          semester: currentSemester(),
          outcome: 'terminate',
          goalAttainment: 'Not needed any more',
        },
        [subProjectStream(subProjectId)],
      );
      expect(refusal.code).toBe('UNIT_MISMATCH');
      const budget = (await api.inject('GET', `/sub-projects/${subProjectId}`, navLeader)).json();
      expect(budget.status).toBe('active');
    });

    it('pilot support is the responsible unit’s money (LAW.md, seed l.4527-4542): a NAV leader approving a sub-project whose responsible unit is HVK gets 403', async () => {
      const subProjectId = `sp-${randomUUID().slice(0, 8)}`;
      const refusal = await refused(
        403,
        'POST',
        '/sub-projects',
        navLeader,
        {
          subProjectId,
          name: 'Housing first',
          responsibleUnit: 'HVK',
          actors: [
            { name: 'HVK Heimdal', municipal: true, unit: 'HVK' },
            { name: 'Trondheim Red Cross', municipal: false, organisationNumber: RED_CROSS },
            { name: 'Saupstad IL', municipal: false, organisationNumber: SAUPSTAD_IL },
          ],
          goals: ['Ten families in stable housing'],
          firstSemester: currentSemester(),
        },
        [subProjectStream(subProjectId)],
      );
      expect(refusal.code).toBe('UNIT_MISMATCH');
      expect(await streamCount(api, subProjectStream(subProjectId))).toBe(0);
      // A non-municipal actor without an organisation number is refused too (partners are known by number).
      await refused(
        400,
        'POST',
        '/sub-projects',
        hvkLeader,
        {
          subProjectId,
          name: 'Housing first',
          responsibleUnit: 'HVK',
          actors: [
            { name: 'HVK Heimdal', municipal: true, unit: 'HVK' },
            { name: 'Trondheim Red Cross', municipal: false },
            { name: 'Saupstad IL', municipal: false, organisationNumber: SAUPSTAD_IL },
          ],
          goals: ['Ten families in stable housing'],
          firstSemester: currentSemester(),
        },
        [subProjectStream(subProjectId)],
      );
    });
  });

  describe('consent is given by the person it is about, or by whoever the law names for them', () => {
    it('forvaltningsloven § 13 a no. 1, barneloven ch. 5, pasient- og brukerrettighetsloven § 4-3: consents from the wrong giver, without evidence or end date, or recorded by a unit without a part are refused (4xx, nothing appended)', async () => {
      const family = await navFamily();
      const { familyId, ids } = family;
      const url = `/families/${familyId}/consents`;
      const stream = [familyStream(familyId)];
      const { evidence: _evidence, ...withoutEvidence } = consentBody(ids.Amina, ids.Amina, ['BFT']);
      const { validUntil: _until, ...withoutEnd } = consentBody(ids.Amina, ids.Amina, ['BFT']);
      const cases: [string, Headers, unknown, number, string | undefined][] = [
        ['an adult for another adult', nav, consentBody(ids.Amina, ids.Omar, ['BFT']), 422, 'CONSENT_GIVER_NOT_PERMITTED'],
        ['an adult without recorded parental responsibility for a child', nav, consentBody(ids.Yusuf, ids.Omar, ['BFT']), 422, 'CONSENT_GIVER_NOT_PERMITTED'],
        ['a child under 16 for themself', nav, consentBody(ids.Yusuf, ids.Yusuf, ['BFT']), 422, 'CONSENT_GIVER_NOT_PERMITTED'],
        [
          'a parent for a 17-year-old’s health information',
          nav,
          consentBody(ids.Sara, ids.Amina, ['HVK'], { dataCategories: ['health'] }),
          422,
          'CONSENT_GIVER_NOT_PERMITTED',
        ],
        [
          'a 17-year-old mixing health with other categories',
          nav,
          consentBody(ids.Sara, ids.Sara, ['HVK'], { dataCategories: ['health', 'needs'] }),
          422,
          'CONSENT_GIVER_NOT_PERMITTED',
        ],
        ['a parent for a 21-year-old registered as child', nav, consentBody(ids.Leila, ids.Amina, ['BFT']), 422, 'CONSENT_GIVER_NOT_PERMITTED'],
        ['another adult for a 21-year-old registered as child', nav, consentBody(ids.Leila, ids.Omar, ['BFT']), 422, 'CONSENT_GIVER_NOT_PERMITTED'],
        ['no evidence', nav, withoutEvidence, 400, 'BAD_REQUEST'],
        [
          'written evidence without a document reference',
          nav,
          consentBody(ids.Amina, ids.Amina, ['BFT'], { evidence: { form: 'written' } }),
          400,
          'BAD_REQUEST',
        ],
        ['no end date', nav, withoutEnd, 400, 'BAD_REQUEST'],
        [
          'an end date already past',
          nav,
          consentBody(ids.Amina, ids.Amina, ['BFT'], { validFrom: `${year - 2}-01-01`, validUntil: `${year - 1}-12-31` }),
          422,
          'INVALID_DATE',
        ],
        ['recorded by a unit without a part', hvk, consentBody(ids.Amina, ids.Amina, ['HVK']), 403, 'NO_PART_IN_CASE'],
      ];
      for (const [name, headers, body, status, code] of cases) {
        const refusal = await refused(status, 'POST', url, headers, body, stream);
        expect({ name, code: refusal.code }).toEqual({ name, code });
      }
      // The givers the law names are accepted (the controls): herself, the holder for a child, the 17-year-old for her health, the 21-year-old herself.
      for (const body of [
        consentBody(ids.Amina, ids.Amina, ['BFT']),
        consentBody(ids.Yusuf, ids.Amina, ['BFT']),
        consentBody(ids.Sara, ids.Sara, ['HVK'], { dataCategories: ['health'] }),
        consentBody(ids.Sara, ids.Amina, ['BFT'], { dataCategories: ['needs'] }),
        consentBody(ids.Leila, ids.Leila, ['BFT']),
        consentBody(ids.Omar, ids.Omar, ['BFT'], { evidence: { form: 'oral', note: 'Said at the meeting' } }),
      ]) {
        const given = await api.inject('POST', url, nav, body);
        expect({ body, status: given.statusCode }).toEqual({ body, status: 201 });
      }
      // Read through the store as the API does: the note is personal data, stored encrypted (issue 17).
      const stored = await api.app.get<EventStore>(EVENT_STORE).readStream(familyStream(familyId), { direction: 'backwards', maxCount: 50 });
      const consent = stored.find((e) => e.type === 'ConsentGiven')!;
      expect(consent.data).toMatchObject({ sourceUnits: ['NAV'], evidence: { form: 'oral', documentedBy: 'nav-caseworker', note: 'Said at the meeting' } });
    });
  });

  describe('the ways in', () => {
    it('forvaltningsloven § 13 a no. 1: a referral with the members’ consent, accepted, lets the unit write; before it accepts it writes nothing', async () => {
      const family = await navFamily();
      const { familyId, ids } = family;
      const consentId = randomUUID();
      await send(api, 'POST', `/families/${familyId}/consents`, nav, { ...consentBody(ids.Amina, ids.Amina, ['HVK']), consentId });
      // Without a consent naming HVK for Omar, the referral of Omar is refused.
      const noConsent = await refused(
        422,
        'POST',
        `/families/${familyId}/referrals`,
        nav,
        { toUnit: 'HVK', memberIds: [ids.Amina, ids.Omar], reason: 'Housing' },
        [familyStream(familyId)],
      );
      expect(noConsent.code).toBe('REFERRAL_CONSENT_MISSING');
      const referralId = randomUUID();
      const referred = await send(api, 'POST', `/families/${familyId}/referrals`, nav, {
        referralId,
        toUnit: 'HVK',
        memberIds: [ids.Amina],
        reason: 'Amina asks for help with housing',
      });
      expect(referred.json().events).toMatchObject([{ type: 'ReferralRecorded' }]);
      // Not yet a part: HVK writes nothing; another unit cannot accept it for HVK (to BFT it does not exist).
      expect(
        (await refused(403, 'POST', `/families/${familyId}/needs`, hvk, { memberId: ids.Amina, words: 'Bolig' }, [familyStream(familyId)], family)).code,
      ).toBe('NO_PART_IN_CASE');
      expect((await refused(404, 'POST', `/families/${familyId}/referrals/${referralId}/accept`, bft, {}, [familyStream(familyId)], family)).code).toBe(
        'REFERRAL_NOT_FOUND',
      );
      const accepted = await api.inject('POST', `/families/${familyId}/referrals/${referralId}/accept`, hvk);
      expect(accepted.statusCode).toBe(200);
      expect(accepted.json().events).toMatchObject([{ type: 'ReferralAccepted' }]);
      const need = await api.inject('POST', `/families/${familyId}/needs`, hvk, { memberId: ids.Amina, words: 'Et sted å bo' });
      expect(need.statusCode).toBe(201);
      const { state } = await loadFamily(familyId);
      expect(state.parts.HVK).toMatchObject({ active: true, act: { kind: 'referral-accepted', referralId, referredBy: 'NAV' } });
      expect(state.referrals[referralId]).toMatchObject({ status: 'accepted', consentIds: [consentId], ground: 'consent' });
      // Accepted once: a second answer is a conflict.
      expect(
        (await refused(409, 'POST', `/families/${familyId}/referrals/${referralId}/decline`, hvk, { reason: 'Too late' }, [familyStream(familyId)])).code,
      ).toBe('REFERRAL_NOT_OPEN');
    });

    it('barnevernsloven § 13-2: the duty to inform lets a unit refer a child to BFT without consent; BFT accepts and decides; never for an adult or to another unit', async () => {
      const family = await navFamily();
      const { familyId, ids } = family;
      const stream = [familyStream(familyId)];
      const adult = await refused(
        422,
        'POST',
        `/families/${familyId}/referrals`,
        nav,
        { toUnit: 'BFT', memberIds: [ids.Amina], reason: 'Concern', ground: 'duty-to-inform-child-welfare' },
        stream,
      );
      expect(adult.code).toBe('INVALID_INPUT');
      // Leila is registered as a child but is 21: ages come from birth dates.
      await refused(
        422,
        'POST',
        `/families/${familyId}/referrals`,
        nav,
        { toUnit: 'BFT', memberIds: [ids.Leila], reason: 'Concern', ground: 'duty-to-inform-child-welfare' },
        stream,
      );
      await refused(
        422,
        'POST',
        `/families/${familyId}/referrals`,
        nav,
        { toUnit: 'HVK', memberIds: [ids.Yusuf], reason: 'Concern', ground: 'duty-to-inform-child-welfare' },
        stream,
      );
      const referralId = randomUUID();
      await send(api, 'POST', `/families/${familyId}/referrals`, nav, {
        referralId,
        toUnit: 'BFT',
        memberIds: [ids.Yusuf],
        reason: 'Yusuf is often alone at home',
        ground: 'duty-to-inform-child-welfare',
      });
      await send(api, 'POST', `/families/${familyId}/referrals/${referralId}/accept`, bft);
      const decision = await api.inject(
        'POST',
        `/families/${familyId}/decisions`,
        bft,
        proposalBody({
          unit: 'BFT',
          decisionType: 'child-welfare-support-measure',
          memberIds: [ids.Yusuf],
          children: [ids.Yusuf],
          periodFrom: today,
          periodUntil: `${year + 1}-06-30`,
          summary: 'Support contact twice a week.',
        }),
      );
      expect(decision.statusCode).toBe(201);
      const { state } = await loadFamily(familyId);
      expect(state.referrals[referralId]).toMatchObject({ ground: 'duty-to-inform-child-welfare', consentIds: [], status: 'accepted' });
    });

    it('public authority stays with the municipality (LAW.md, seed l.4543-4551): a partner acts for members the responsible unit enrolled: it records a need, and with leave pays; without leave, for another member or after the enrolment ends it is refused', async () => {
      const family = await navFamily();
      const { familyId, ids } = family;
      const subProjectId = await approveSubProject(api, navLeader, 'NAV', { payers: [RED_CROSS] });
      const streams = [familyStream(familyId), subProjectStream(subProjectId)];
      // Only the responsible unit enrols (BFT, given a part, may not enrol in NAV's sub-project).
      await referAndAccept(api, familyId, nav, bft, 'BFT', [ids.Amina]);
      expect((await refused(403, 'POST', `/families/${familyId}/enrolments`, bft, { subProjectId, memberIds: [ids.Yusuf] }, streams)).code).toBe(
        'UNIT_MISMATCH',
      );
      // The sub-project's facts come from its stream, never from the body.
      await refused(
        400,
        'POST',
        `/families/${familyId}/enrolments`,
        nav,
        {
          subProjectId,
          memberIds: [ids.Yusuf],
          subProject: {
            subProjectId,
            responsibleUnit: 'NAV',
            name: 'x',
            partners: [{ organisationNumber: SAUPSTAD_IL, name: 'x', mayRecordPayments: true }],
            active: true,
          },
        },
        streams,
      );
      const enrolmentId = await enrol(api, familyId, nav, subProjectId, [ids.Yusuf]);
      const { rows } = await api.db.pool.query(`SELECT data FROM event_store.events WHERE stream_id = $1 AND type = 'FamilyEnrolled'`, [
        familyStream(familyId),
      ]);
      expect(rows[0].data).toMatchObject({
        enrolmentId,
        subProjectId,
        responsibleUnit: 'NAV',
        subProjectName: 'Leisure for every child',
        memberIds: [ids.Yusuf],
        partners: [
          { organisationNumber: RED_CROSS, name: 'Trondheim Red Cross', mayRecordPayments: true },
          { organisationNumber: SAUPSTAD_IL, name: 'Saupstad IL', mayRecordPayments: false },
        ],
      });

      const redCross = partner(RED_CROSS);
      const need = await api.inject('POST', `/families/${familyId}/needs`, redCross, { memberId: ids.Yusuf, words: 'Vil gjerne spille fotball med de andre' });
      expect(need.statusCode).toBe(201);
      const pay = (recipientMemberId: string) => ({
        recipientMemberId,
        amountOre: 120_000,
        method: 'gift-card',
        funding: { kind: 'sub-project', subProjectId },
        documentationRef: `KVITTERING-${randomUUID().slice(0, 8)}`,
        paidOn: today,
      });
      const spendsBefore = await streamCount(api, subProjectStream(subProjectId));
      const paid = await api.inject('POST', `/families/${familyId}/payments`, redCross, pay(ids.Yusuf));
      expect(paid.statusCode).toBe(201);
      expect(await streamCount(api, subProjectStream(subProjectId))).toBe(spendsBefore + 1);

      expect((await refused(403, 'POST', `/families/${familyId}/needs`, redCross, { memberId: ids.Amina, words: 'Jobb' }, streams, family)).code).toBe(
        'PARTNER_NOT_ENROLLED',
      );
      expect((await refused(403, 'POST', `/families/${familyId}/payments`, redCross, pay(ids.Amina), streams, family)).code).toBe('PARTNER_NOT_ENROLLED');
      expect((await refused(403, 'POST', `/families/${familyId}/payments`, partner(SAUPSTAD_IL), pay(ids.Yusuf), streams, family)).code).toBe(
        'PARTNER_MAY_NOT_PAY',
      );
      // Partners never reach the municipal routes.
      await refused(403, 'POST', `/families/${familyId}/enrolments`, redCross, { subProjectId, memberIds: [ids.Amina] }, streams);

      await send(api, 'POST', `/families/${familyId}/enrolments/${enrolmentId}/end`, nav, { reason: 'The season is over' });
      expect((await refused(403, 'POST', `/families/${familyId}/needs`, redCross, { memberId: ids.Yusuf, words: 'Mer fotball' }, streams, family)).code).toBe(
        'PARTNER_NOT_ENROLLED',
      );
      expect((await refused(403, 'POST', `/families/${familyId}/payments`, redCross, pay(ids.Yusuf), streams, family)).code).toBe('PARTNER_NOT_ENROLLED');
    });

    it('forvaltningsloven § 13: a unit that closed its involvement writes nothing more (403, nothing appended); the last unit with a part cannot close while a need is open (fvl § 11 a)', async () => {
      const family = await navFamily();
      const { familyId, ids } = family;
      const stream = [familyStream(familyId)];
      await send(api, 'POST', `/families/${familyId}/needs`, nav, { memberId: ids.Amina, words: 'Hjelp med økonomien' });
      expect((await refused(409, 'POST', `/families/${familyId}/involvement/close`, nav, { reason: 'Done' }, stream)).code).toBe('INVOLVEMENT_STILL_NEEDED');
      await referAndAccept(api, familyId, nav, hvk, 'HVK', [ids.Amina]);
      await send(api, 'POST', `/families/${familyId}/team`, hvk, { personId: 'hvk-siv', name: 'Siv', affiliation: { kind: 'unit', unit: 'HVK' } });
      const closed = await api.inject('POST', `/families/${familyId}/involvement/close`, hvk, { reason: 'Amina has a flat now' });
      expect(closed.statusCode).toBe(200);
      expect(closed.json().events).toMatchObject([{ type: 'InvolvementClosed' }]);
      expect((await refused(403, 'POST', `/families/${familyId}/needs`, hvk, { memberId: ids.Amina, words: 'Møbler' }, stream, family)).code).toBe(
        'NO_PART_IN_CASE',
      );
      expect(
        (
          await refused(
            403,
            'POST',
            `/families/${familyId}/team`,
            hvk,
            { personId: 'hvk-siv', name: 'Siv', affiliation: { kind: 'unit', unit: 'HVK' } },
            stream,
            family,
          )
        ).code,
      ).toBe('NO_PART_IN_CASE');
      expect((await refused(403, 'POST', `/families/${familyId}/involvement/close`, hvk, { reason: 'Again' }, stream, family)).code).toBe('NO_PART_IN_CASE');
      const { state } = await loadFamily(familyId);
      expect(state.parts.HVK.active).toBe(false);
      expect(state.team['hvk-siv'].active).toBe(false);
    });

    it('forvaltningsloven § 13 a: a withdrawal is the member’s act and alerts the units that read under the consent (from the read audit)', async () => {
      const family = await navFamily();
      const { familyId, ids } = family;
      await send(api, 'POST', `/families/${familyId}/needs`, nav, { memberId: ids.Amina, words: 'Arbeid' });
      const { consentIds } = await referAndAccept(api, familyId, nav, bft, 'BFT', [ids.Amina]);
      const consentId = consentIds[ids.Amina];
      // BFT reads NAV's record of Amina's need under her consent: the read audit names the consent.
      const read = await api.inject('GET', `/families/${familyId}/stream-state`, bft);
      expect(read.statusCode).toBe(200);
      expect(read.json().access.consentIds).toContain(consentId);
      const url = `/families/${familyId}/consents/${consentId}/withdraw`;
      const stream = [familyStream(familyId)];
      // Someone not entitled to withdraw it (Omar, another adult) is refused; the alerted units never come from the body.
      expect((await refused(422, 'POST', url, nav, { expressedByMemberId: ids.Omar, channel: 'orally' }, stream)).code).toBe('CONSENT_GIVER_NOT_PERMITTED');
      await refused(400, 'POST', url, nav, { expressedByMemberId: ids.Amina, channel: 'orally', alertedUnits: [] }, stream);
      await refused(400, 'POST', url, nav, { channel: 'orally' }, stream);
      await refused(400, 'POST', url, nav, { expressedByMemberId: ids.Amina, channel: 'by-pigeon' }, stream);
      const withdrawn = await api.inject('POST', url, nav, {
        expressedByMemberId: ids.Amina,
        channel: 'in-writing',
        reason: 'Amina wants to decide case by case',
      });
      expect(withdrawn.statusCode).toBe(200);
      const { rows } = await api.db.pool.query(`SELECT data FROM event_store.events WHERE stream_id = $1 AND type = 'ConsentWithdrawn'`, [
        familyStream(familyId),
      ]);
      expect(rows[0].data).toMatchObject({ consentId, expressedByMemberId: ids.Amina, channel: 'in-writing', alertedUnits: ['BFT'] });
    });
  });

  /** The family folded from its stream, as the domain sees it (not filtered for a reader). */
  const loadFamily = (familyId: string) => api.app.get(FamilyCommandsService).load(familyId);
});
