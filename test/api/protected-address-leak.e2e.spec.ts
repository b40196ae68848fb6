import { randomUUID } from 'node:crypto';
import { TRONDHEIM_2023_RULE_SET, type Unit } from '@familievedtak/domain';
import { ProjectionDaemon } from '@familievedtak/projections';
import { pdfText } from '../support/pdf-text';
import { createTestApp, Headers, headersFor, TestApp } from '../support/test-app';
import {
  CONSENT_FROM,
  CONSENT_UNTIL,
  approveSubProject,
  childHeard,
  consentBody,
  enrol,
  proposalBody,
  registerFamily,
  send,
  staff,
  writtenEvidence,
} from '../support/parts';
import { addDays, osloToday } from '../support/today';

/**
 * Leak test for strengt fortrolig adresse (kode 6): a family whose mother has a protected
 * address, with distinctive strings everywhere a place can hide (the district, the team's names
 * and roles, a partner, a sub-project, a need naming the mother, decision reasons, a child's
 * views, a notification's document, an appeal by a named representative and its handling, a
 * party's statement after advance notice, the family's plan and its review). Every route
 * that returns family data is called as every role without the protected-address clearance,
 * and every answer (bodies of errors included) is searched for every string: zero occurrences.
 * A reader with clearance sees them (so the strings are really there to be found).
 */

const DISTRICT = 'Gråkallåsen Nordre';
const SECRET = {
  district: DISTRICT,
  motherName: 'Zephyrine',
  surname: 'Kvalvikstrand',
  nationalId: '01018712345',
  motherBirthDate: '1987-01-01',
  contactName: 'Brynjulf Saltdalshei',
  teamRole: 'Oppfølger ved Lianvatnet skole',
  partnerName: 'Granåsen Skiklubb',
  partnerNumber: '987654321',
  subProjectName: 'Bymarka turlag for familier',
  needPlace: 'Fjellsætra',
  reasonsPlace: 'Skjøla',
  factsPlace: 'Leinstrand bru',
  considerationsPlace: 'Stavsetbakken',
  childViewPlace: 'Bosbergheia',
  notificationDocument: 'Brev til Ferstadvollen',
  representative: 'Advokat Ingebrigtsen-Raudberg',
  appealGrounds: 'Sverresborgveien',
  assessmentPlace: 'Hallstein Langeggen',
  investigationPlace: 'Kystadmyra',
  statementPlace: 'Ilsvikøra',
  goalPlace: 'Granåsmyra',
  planTaskPlace: 'Ugla skole',
  reviewPlace: 'Sjetnemarka',
};
const ALL = Object.entries(SECRET);

const UNITS: Unit[] = ['HVK', 'BFT', 'NAV', 'INN', 'OPPVEKST'];
const today = osloToday();
const inDays = (days: number) => addDays(osloToday(), days);
const ROLES = ['caseworker', 'approver', 'unit-leader'] as const;

describe('API leak test: a kode 6 family reveals nothing to readers without clearance (PostgreSQL)', () => {
  let api: TestApp;
  let familyId: string;
  let mother: string;
  let child: string;
  let subProjectId: string;
  let decisionId: string;
  const notificationId = randomUUID();
  const appealId = randomUUID();
  const noticeId = randomUUID();
  const planId = randomUUID();
  const contactPersonId = randomUUID();
  const letterId = randomUUID();
  const navCleared = headersFor({ userId: 'nav-letters', role: 'caseworker', unit: 'NAV', clearances: ['protected-address'] });
  const nav = staff('NAV');
  const navApprover = staff('NAV', 'approver');
  const bft = staff('BFT');

  beforeAll(async () => {
    api = await createTestApp({ runProjections: true, poolSize: 10 });
    const members = [
      {
        name: `${SECRET.motherName} ${SECRET.surname}`,
        birthDate: SECRET.motherBirthDate,
        role: 'adult' as const,
        addressProtection: 'strengt-fortrolig' as const,
        nationalId: SECRET.nationalId,
      },
      { name: 'Tindra Haugen', birthDate: '2015-05-05', role: 'child' as const },
    ];
    const family = await registerFamily(api, nav, members, { district: DISTRICT });
    familyId = family.familyId;
    [mother, child] = family.members.map((m) => m.memberId);
    await send(api, 'POST', `/families/${familyId}/team`, nav, {
      personId: contactPersonId,
      name: SECRET.contactName,
      affiliation: { kind: 'unit', unit: 'NAV' },
      teamRole: SECRET.teamRole,
    });
    // BFT takes part on the duty to inform about the child; its decision's reasons name a place.
    const referralId = randomUUID();
    await send(api, 'POST', `/families/${familyId}/referrals`, nav, {
      referralId,
      toUnit: 'BFT',
      memberIds: [child],
      reason: `Bekymring meldt fra ${SECRET.needPlace}`,
      ground: 'duty-to-inform-child-welfare',
    });
    await send(api, 'POST', `/families/${familyId}/referrals/${referralId}/accept`, bft);
    await send(api, 'POST', `/families/${familyId}/needs`, nav, {
      memberId: mother,
      words: `${SECRET.motherName} vil flytte fra ${SECRET.needPlace} og trenger hjelp`,
    });
    await send(
      api,
      'POST',
      `/families/${familyId}/consents`,
      nav,
      consentBody(mother, mother, ['BFT'], { purpose: `Samarbeid om flytting fra ${SECRET.needPlace}` }),
    );
    decisionId = randomUUID();
    await send(
      api,
      'POST',
      `/families/${familyId}/decisions`,
      nav,
      proposalBody({
        decisionId,
        unit: 'NAV',
        decisionType: 'economic-social-assistance',
        memberIds: [mother],
        periodFrom: `${new Date().getUTCFullYear()}-01-01`,
        periodUntil: `${new Date().getUTCFullYear()}-12-31`,
        amounts: { monthlyAmountOre: 850000 },
        outcome: 'partly-granted',
        summary: `Husleie i ${SECRET.reasonsPlace} er over normen`,
        facts: `Leier ved ${SECRET.factsPlace}`,
        mainConsiderations: `Avstand til ${SECRET.considerationsPlace}`,
      }),
    );
    await send(api, 'POST', `/families/${familyId}/decisions/${decisionId}/approve`, navApprover);
    // BFT's decision about the child records her views (barnekonvensjonen art. 12), which name a place.
    await send(
      api,
      'POST',
      `/families/${familyId}/decisions`,
      staff('BFT'),
      proposalBody({
        unit: 'BFT',
        decisionType: 'child-welfare-support-measure',
        memberIds: [child],
        periodFrom: today,
        periodUntil: `${new Date().getUTCFullYear() + 1}-06-30`,
        childViews: [{ ...childHeard(child), views: `Vil fortsatt gå tur til ${SECRET.childViewPlace}` }],
      }),
    );
    // Notification (fvl § 27), an appeal by a representative, assessed and prepared (fvl §§ 28-33).
    await send(api, 'POST', `/families/${familyId}/notifications`, nav, {
      notificationId,
      subject: { kind: 'decision', id: decisionId },
      recipientMemberId: mother,
      channel: 'post',
      language: 'nb',
      sentOn: today,
      documentRef: SECRET.notificationDocument,
    });
    await send(api, 'POST', `/families/${familyId}/notifications/${notificationId}/received`, nav, { receivedOn: today, evidence: 'postal-tracking' });
    await send(api, 'POST', `/families/${familyId}/appeals`, nav, {
      appealId,
      decisionId,
      appellant: { representative: SECRET.representative, forMemberId: mother },
      receivedOn: today,
      channel: 'post',
      grounds: `Husleia i ${SECRET.appealGrounds} er ikke tatt med`,
      signed: true,
    });
    await send(api, 'POST', `/families/${familyId}/appeals/${appealId}/assessment`, nav, {
      specific: true,
      signed: true,
      reasons: `Signert; ${SECRET.assessmentPlace} nevnt`,
    });
    await send(api, 'POST', `/families/${familyId}/appeals/${appealId}/preparation`, nav, {
      investigations: `Husleiekontrakt fra ${SECRET.investigationPlace}`,
      counterpartiesNotified: false,
    });
    // Advance notice of a revocation (fvl § 16) and the mother's statement, which names a place.
    await send(api, 'POST', `/families/${familyId}/decisions/${decisionId}/advance-notices`, nav, {
      noticeId,
      intendedAct: 'revoke',
      memberIds: [mother],
      sentOn: today,
      answerBy: inDays(14),
      channel: 'post',
    });
    await send(api, 'POST', `/families/${familyId}/advance-notices/${noticeId}/statements`, nav, {
      memberId: mother,
      receivedOn: today,
      summary: `Flytter til ${SECRET.statementPlace}`,
    });
    // The family's plan (hol § 7-1) on the mother's coordination consent, and a review.
    await send(api, 'POST', `/families/${familyId}/consents`, nav, {
      memberId: mother,
      givenByMemberId: mother,
      kind: 'coordination',
      toUnits: ['NAV'],
      dataCategories: ['needs'],
      purpose: 'One plan',
      validFrom: CONSENT_FROM,
      validUntil: CONSENT_UNTIL,
      evidence: writtenEvidence(),
    });
    await send(api, 'POST', `/families/${familyId}/family-plans`, nav, familyPlan(planId));
    await send(api, 'POST', `/families/${familyId}/family-plans/${planId}/reviews`, nav, { on: today, notes: `Møte på ${SECRET.reviewPlace}` });
    // A partner in a sub-project named after a place, enrolled by NAV, with a contact person in the team.
    subProjectId = await approveSubProject(api, staff('NAV', 'unit-leader'), 'NAV', {
      name: SECRET.subProjectName,
      partners: [
        { name: SECRET.partnerName, organisationNumber: SECRET.partnerNumber },
        { name: 'Trondheim Røde Kors', organisationNumber: '974123456' },
      ],
      payers: [SECRET.partnerNumber],
    });
    await enrol(api, familyId, nav, subProjectId, [mother, child]);
    await send(api, 'POST', `/families/${familyId}/team`, nav, {
      personId: randomUUID(),
      name: `Trener fra ${SECRET.partnerName}`,
      affiliation: { kind: 'partner', organisationNumber: SECRET.partnerNumber },
      teamRole: 'Turleder',
    });
    // The family letter (issue 14) to the mother, issued by a cleared caseworker: its copies name her, her district and the places.
    await send(api, 'POST', `/families/${familyId}/letters`, navCleared, { letterId, decisionIds: [decisionId] });
    await api.app.get(ProjectionDaemon).runner('family-view')!.waitUntilCaughtUp();
  }, 120_000);
  afterAll(() => api.close());

  const familyPlan = (id: string) => ({
    planId: id,
    goals: [{ words: `Vi vil bo nær ${SECRET.goalPlace}`, memberIds: [mother], answeredBy: ['NAV'] }],
    responsibilities: [{ unit: 'NAV', for: `Følge opp ${SECRET.planTaskPlace}` }],
    coordinator: { personId: contactPersonId, unit: 'NAV' },
    reviewDates: [inDays(60)],
  });

  /** Every reader without clearance, by name. */
  const readers = (): Array<[string, Headers]> => [
    ...UNITS.flatMap((unit) => ROLES.map((role): [string, Headers] => [`${unit} ${role}`, staff(unit, role)])),
    ['enrolled partner', headersFor({ userId: 'granasen', role: 'partner', org: SECRET.partnerNumber })],
    ['other partner', headersFor({ userId: 'rodekors', role: 'partner', org: '974123456' })],
    ['auditor', headersFor({ userId: 'eva-audit', role: 'auditor' })],
    ['rules analyst', headersFor({ userId: 'rita-rules', role: 'rules-analyst' })],
  ];

  /** Every route that returns family data, or an error about the family. */
  const requests = (): Array<[string, 'GET' | 'POST', string, unknown?]> => [
    ['view', 'GET', `/families/${familyId}`],
    ['view for a day', 'GET', `/families/${familyId}?today=${today}`],
    ['list', 'GET', '/families?limit=200'],
    ['list by unit', 'GET', '/families?unit=NAV&limit=200'],
    ['list by district', 'GET', `/families?district=${encodeURIComponent(DISTRICT)}&limit=200`],
    ['list with warnings', 'GET', '/families?hasWarnings=true&limit=200'],
    ['list expiring', 'GET', '/families?expiringWithinDays=400&limit=200'],
    ['stream state', 'GET', `/families/${familyId}/stream-state`],
    ['history', 'GET', `/audit/families/${familyId}/history?limit=500`],
    ['as-of', 'GET', `/audit/families/${familyId}/as-of?at=${new Date().toISOString()}`],
    ['subject access (mother)', 'GET', `/audit/members/${mother}/subject-access`],
    ['subject access (co-member)', 'GET', `/audit/members/${child}/subject-access`],
    ['subject access HTML (co-member)', 'GET', `/audit/members/${child}/subject-access.html`],
    ['read audit', 'GET', `/audit/reads?familyId=${familyId}`],
    ['what-if JSON', 'POST', '/what-if/runs', { candidate: TRONDHEIM_2023_RULE_SET }],
    ['what-if HTML', 'POST', '/what-if/runs/html', { candidate: TRONDHEIM_2023_RULE_SET }],
    ['error: a need without words', 'POST', `/families/${familyId}/needs`, { memberId: mother }],
    ['error: approve an unknown decision', 'POST', `/families/${familyId}/decisions/${randomUUID()}/approve`, {}],
    ['error: a member who is not there', 'POST', `/families/${familyId}/members/${randomUUID()}/leave`, {}],
    // Notification, appeals, advance notice and the family's plan: errors about records that exist.
    [
      'error: a notification already received',
      'POST',
      `/families/${familyId}/notifications/${notificationId}/received`,
      { receivedOn: today, evidence: 'postal-tracking' },
    ],
    [
      'error: notifying of an unknown decision',
      'POST',
      `/families/${familyId}/notifications`,
      { subject: { kind: 'decision', id: randomUUID() }, recipientMemberId: mother, channel: 'post', sentOn: today },
    ],
    [
      'error: an appeal against an unknown decision',
      'POST',
      `/families/${familyId}/appeals`,
      { decisionId: randomUUID(), appellant: { memberId: mother }, receivedOn: today, channel: 'post', grounds: 'Nei', signed: true },
    ],
    [
      'error: assessing an appeal under preparation',
      'POST',
      `/families/${familyId}/appeals/${appealId}/assessment`,
      { specific: true, signed: true, reasons: 'Igjen' },
    ],
    [
      'error: the body’s outcome before forwarding',
      'POST',
      `/families/${familyId}/appeals/${appealId}/outcome`,
      { outcome: 'upheld', decidedOn: today, receivedOn: today, reference: 'SF', summary: 'Stadfestet' },
    ],
    ['error: an unknown appeal withdrawn', 'POST', `/families/${familyId}/appeals/${randomUUID()}/withdraw`, { withdrawnOn: today }],
    [
      'error: advance notice of an unknown decision',
      'POST',
      `/families/${familyId}/decisions/${randomUUID()}/advance-notices`,
      { intendedAct: 'revoke', memberIds: [mother], sentOn: today, answerBy: inDays(14), channel: 'post' },
    ],
    [
      'error: a statement from someone not notified',
      'POST',
      `/families/${familyId}/advance-notices/${noticeId}/statements`,
      { memberId: child, receivedOn: today, summary: 'Nei' },
    ],
    ['error: a second family plan', 'POST', `/families/${familyId}/family-plans`, familyPlan(randomUUID())],
    ['error: a review in the future', 'POST', `/families/${familyId}/family-plans/${planId}/reviews`, { on: inDays(7), notes: 'Ikke ennå' }],
    // The family letter: a copy is the family's words in full, so without clearance it is refused, and so is a preview.
    ['letter preview', 'POST', `/families/${familyId}/letters/preview`, { decisionIds: [decisionId] }],
    ['letter preview PDF', 'POST', `/families/${familyId}/letters/preview?format=pdf&recipientMemberId=${mother}`, { decisionIds: [decisionId] }],
    ['letter copy PDF', 'GET', `/families/${familyId}/letters/${letterId}/copies/${mother}/pdf`],
    ['letter copy HTML', 'GET', `/families/${familyId}/letters/${letterId}/copies/${mother}/html`],
    [
      'error: a letter delivered to a child',
      'POST',
      `/families/${familyId}/letters/${letterId}/deliveries`,
      { recipientMemberId: child, channel: 'post', deliveredOn: today },
    ],
    [
      'error: an unknown letter delivered',
      'POST',
      `/families/${familyId}/letters/${randomUUID()}/deliveries`,
      { recipientMemberId: mother, channel: 'post', deliveredOn: today },
    ],
    [
      'error: revising an unknown plan',
      'POST',
      `/families/${familyId}/family-plans/${randomUUID()}/revise`,
      { ...familyPlan(randomUUID()), planId: undefined, reason: 'Ny' },
    ],
  ];

  const found = (body: string) => ALL.filter(([, value]) => body.toLowerCase().includes(value.toLowerCase())).map(([key]) => key);

  it('zero occurrences of the district, names, team, partner, sub-project and place names in any answer to any reader without clearance', async () => {
    const leaks: string[] = [];
    let answered = 0;
    for (const [who, headers] of readers()) {
      for (const [route, method, url, body] of requests()) {
        const response = await api.inject(method, url, headers, body);
        answered++;
        const hits = found(response.body);
        if (hits.length) leaks.push(`${who} / ${route} (${response.statusCode}): ${hits.join(', ')}`);
      }
    }
    expect(answered).toBe(readers().length * requests().length);
    expect(leaks).toEqual([]);
  }, 300_000);

  it('a family with a kode 6 member is listed only to readers with clearance; a district filter never matches a withheld district', async () => {
    const listed = (headers: Headers, query = '') =>
      api.inject('GET', `/families?limit=200${query}`, headers).then((r) => r.json().items.map((i: { familyId: string }) => i.familyId));
    expect(await listed(nav)).not.toContain(familyId);
    expect(await listed(nav, `&district=${encodeURIComponent(DISTRICT)}`)).toEqual([]);
    const cleared = headersFor({ userId: 'nav-cleared', role: 'caseworker', unit: 'NAV', clearances: ['protected-address'] });
    expect(await listed(cleared)).toContain(familyId);
    expect(await listed(cleared, `&district=${encodeURIComponent(DISTRICT)}`)).toEqual([familyId]);
  });

  it('control: a reader with clearance and a part sees the strings the leak test looks for', async () => {
    // NAV sees its own records; the child's views are in BFT's decision, which BFT sees.
    const seen: string[] = [];
    for (const unit of ['NAV', 'BFT'] as const) {
      const cleared = headersFor({ userId: `${unit.toLowerCase()}-cleared`, role: 'caseworker', unit, clearances: ['protected-address'] });
      const view = await api.inject('GET', `/families/${familyId}`, cleared);
      const state = await api.inject('GET', `/families/${familyId}/stream-state`, cleared);
      expect([unit, view.statusCode, state.statusCode]).toEqual([unit, 200, 200]);
      seen.push(...found(view.body), ...found(state.body));
    }
    expect([...new Set(seen)].sort()).toEqual(Object.keys(SECRET).sort());
  });

  it('control: with clearance the letter copy is read, and holds the name, district and places the leak test looks for', async () => {
    const html = await api.inject('GET', `/families/${familyId}/letters/${letterId}/copies/${mother}/html`, navCleared);
    expect(html.statusCode).toBe(200);
    expect(found(html.body)).toEqual(expect.arrayContaining(['district', 'motherName', 'surname', 'factsPlace', 'considerationsPlace']));
    const pdf = await api.inject('GET', `/families/${familyId}/letters/${letterId}/copies/${mother}/pdf`, navCleared);
    expect(pdf.statusCode).toBe(200);
    expect(found((await pdfText(pdf.rawPayload)).text.replace(/\s+/g, ' '))).toEqual(expect.arrayContaining(['district', 'motherName', 'factsPlace']));
  });
});
