import { randomUUID } from 'node:crypto';
import { ProjectionDaemon } from '@familievedtak/projections';
import { Headers, TestApp, createTestApp, headersFor } from '../support/test-app';

const nav: Headers = headersFor({ userId: 'nav-kari', role: 'caseworker', unit: 'NAV' });
const navCleared: Headers = headersFor({ userId: 'nav-cleared', role: 'caseworker', unit: 'NAV', clearances: ['protected-address'] });
const auditor: Headers = headersFor({ userId: 'audit-anne', role: 'auditor' });
const auditorCleared: Headers = headersFor({ userId: 'audit-cleared', role: 'auditor', clearances: ['protected-address'] });

/**
 * Protected addresses (adressesperre) through the API: strengt fortrolig (kode 6) hides who and
 * where, fortrolig (kode 7) where. Without the `protected-address` clearance (auditors too): a
 * kode 6 member is masked; with a kode 6 or 7 member the district, contact person names and
 * roles, partner and sub-project names and free text are withheld; a family with a kode 6
 * member is not listed; and the district filter never matches a withheld district.
 */
describe('API: protected addresses without clearance (PostgreSQL)', () => {
  let api: TestApp;
  const kode6 = { familyId: randomUUID(), mother: randomUUID(), child: randomUUID() };
  const kode7 = { familyId: randomUUID(), mother: randomUUID(), child: randomUUID() };
  const plain = { familyId: randomUUID(), mother: randomUUID(), child: randomUUID() };
  const masked = {
    name: null,
    birthDate: null,
    nationalId: null,
    preferredLanguage: null,
    masked: true,
    protectedAddress: true,
    addressProtection: 'strengt-fortrolig',
  };

  const send = async (url: string, body: unknown, headers = nav) => {
    const response = await api.inject('POST', url, headers, body);
    if (response.statusCode >= 300) throw new Error(`${url}: ${response.statusCode} ${response.body}`);
  };

  async function seed(f: typeof kode6, protection: 'none' | 'fortrolig' | 'strengt-fortrolig') {
    await send('/families', {
      familyId: f.familyId,
      district: 'Heimdal',
      members: [
        {
          memberId: f.mother,
          name: 'Hemmelig Mor',
          birthDate: '1990-01-01',
          role: 'adult',
          nationalId: '01019012345',
          preferredLanguage: 'nb',
          addressProtection: protection,
        },
        { memberId: f.child, name: 'Liten', birthDate: '2018-05-05', role: 'child' },
      ],
      parentalResponsibility: [{ childId: f.child, holderId: f.mother, basis: 'birth-registration', documentRef: 'FREG-Heimdal' }],
    });
    const fam = `/families/${f.familyId}`;
    await send(`${fam}/team`, { personId: randomUUID(), name: 'Kari Nordmann', affiliation: { kind: 'unit', unit: 'NAV' }, teamRole: 'Heimdal-teamet' });
    await send(`${fam}/needs`, { memberId: f.child, words: 'Fotball på Heimdal IL', expressedOn: '2026-09-01' });
    await send(`${fam}/payments`, {
      recipientMemberId: f.mother,
      amountOre: 10_000,
      method: 'bank-transfer',
      funding: { kind: 'unit', unit: 'NAV' },
      documentationRef: 'BILAG Heimdal 17',
      paidOn: '2026-11-01',
    });
    await send(`${fam}/consents`, {
      memberId: f.child,
      givenByMemberId: f.mother,
      kind: 'information-sharing',
      toUnits: ['BFT'],
      dataCategories: ['needs'],
      purpose: 'Samarbeid på Heimdal',
      validFrom: '2026-09-01',
      validUntil: '2027-12-31',
      evidence: { form: 'written', documentRef: 'ARK-Heimdal' },
    });
  }

  beforeAll(async () => {
    api = await createTestApp({ runProjections: true });
    await seed(kode6, 'strengt-fortrolig');
    await seed(kode7, 'fortrolig');
    await seed(plain, 'none');
    await api.app.get(ProjectionDaemon).runner('family-view')!.waitUntilCaughtUp();
  });
  afterAll(() => api.close());

  const members = (body: { members: Array<{ memberId: string }> }) => new Map(body.members.map((m) => [m.memberId, m]));
  const PLACES_AND_TEXT = ['Heimdal', 'Kari Nordmann', 'Fotball', 'BILAG', 'Samarbeid', 'ARK-', 'FREG-'];

  it('kode 6: the member masked (not the family) in the view and the stream state; district, names and free text withheld', async () => {
    const view = await api.inject('GET', `/families/${kode6.familyId}`, nav);
    expect(view.statusCode).toBe(200);
    const body = view.json();
    expect(body.district).toBeNull();
    expect(body.withheld).toBe('protected-address');
    expect(members(body).get(kode6.mother)).toMatchObject({ ...masked, ageOnAsOf: null });
    expect(members(body).get(kode6.child)).toMatchObject({ name: 'Liten', birthDate: '2018-05-05' });
    expect(body.access.maskedMemberIds).toEqual([kode6.mother]);
    expect(body.team.contactPersons).toEqual([expect.objectContaining({ name: null, teamRole: null, affiliation: { kind: 'unit', unit: 'NAV' } })]);
    expect(body.needs.open).toEqual([expect.objectContaining({ words: null, withheld: 'protected-address' })]);
    expect(body.payments.items).toEqual([expect.objectContaining({ documentationRef: null, amountOre: 10_000 })]);
    expect(body.consents.inForce).toEqual([expect.objectContaining({ purpose: null, evidence: { form: 'written', documentRef: null } })]);
    for (const leak of ['Hemmelig', '01019012345', ...PLACES_AND_TEXT]) expect([leak, view.body.includes(leak)]).toEqual([leak, false]);

    const state = await api.inject('GET', `/families/${kode6.familyId}/stream-state`, nav);
    expect(state.statusCode).toBe(200);
    expect(state.json().state.members[kode6.mother]).toMatchObject(masked);
    expect(state.json().state.district).toBeNull();
    for (const leak of ['Hemmelig', '01019012345', ...PLACES_AND_TEXT]) expect([leak, state.body.includes(leak)]).toEqual([leak, false]);
  });

  it('kode 7: names stay; the district, names of places and people and free text are withheld', async () => {
    const body = (await api.inject('GET', `/families/${kode7.familyId}`, nav)).json();
    expect(members(body).get(kode7.mother)).toMatchObject({ name: 'Hemmelig Mor', addressProtection: 'fortrolig' });
    expect(body.access.maskedMemberIds).toEqual([]);
    expect(body.district).toBeNull();
    expect(body.withheld).toBe('protected-address');
    for (const leak of PLACES_AND_TEXT) expect([leak, JSON.stringify(body).includes(leak)]).toEqual([leak, false]);
  });

  it('the list: a family with a kode 6 member only with clearance; district= never matches a withheld district', async () => {
    const listed = async (headers: Headers, query = '') =>
      (await api.inject('GET', `/families?limit=200${query}`, headers)).json().items as Array<{ familyId: string; district: string | null }>;
    const ids = async (headers: Headers, query = '') => (await listed(headers, query)).map((i) => i.familyId).sort();
    expect(await ids(nav)).toEqual([kode7.familyId, plain.familyId].sort());
    expect(await ids(navCleared)).toEqual([kode6.familyId, kode7.familyId, plain.familyId].sort());
    expect((await listed(nav)).find((i) => i.familyId === kode7.familyId)!.district).toBeNull();
    expect(await ids(nav, '&district=Heimdal')).toEqual([plain.familyId]);
    expect(await ids(navCleared, '&district=Heimdal')).toEqual([kode6.familyId, kode7.familyId, plain.familyId].sort());
    expect(await ids(auditor, '&district=Heimdal')).toEqual([plain.familyId]);
  });

  it('shows everything to a reader with the protected-address clearance', async () => {
    const body = (await api.inject('GET', `/families/${kode6.familyId}`, navCleared)).json();
    expect(body.district).toBe('Heimdal');
    expect(body.withheld).toBeNull();
    expect(members(body).get(kode6.mother)).toMatchObject({ name: 'Hemmelig Mor', nationalId: '01019012345', protectedAddress: true });
    expect(body.access.maskedMemberIds).toEqual([]);
    expect(body.needs.open[0].words).toBe('Fotball på Heimdal IL');
  });

  it('masks for auditors without clearance too, in the view, the history, as-of and subject access', async () => {
    const view = (await api.inject('GET', `/families/${kode6.familyId}`, auditor)).json();
    expect(members(view).get(kode6.mother)).toMatchObject(masked);
    expect(view.district).toBeNull();

    const history = await api.inject('GET', `/audit/families/${kode6.familyId}/history?limit=100`, auditor);
    expect(history.statusCode).toBe(200);
    expect(history.json().entries[0].label).toBe('NAV registered the family with a member with a protected address and Liten');
    for (const leak of ['Hemmelig', 'Heimdal', 'Kari Nordmann', 'Heimdal-teamet']) expect([leak, history.body.includes(leak)]).toEqual([leak, false]);
    const clearedHistory = (await api.inject('GET', `/audit/families/${kode6.familyId}/history?limit=100`, auditorCleared)).json();
    expect(clearedHistory.entries[0].label).toBe('NAV registered the family in Heimdal with Hemmelig Mor and Liten');

    const asOf = await api.inject('GET', `/audit/families/${kode6.familyId}/as-of?at=${new Date().toISOString()}`, auditor);
    expect(asOf.statusCode).toBe(200);
    expect(asOf.json().state.members[kode6.mother]).toMatchObject(masked);
    expect(asOf.json().view.district).toBeNull();
    for (const leak of ['Hemmelig', '01019012345', ...PLACES_AND_TEXT]) expect([leak, asOf.body.includes(leak)]).toEqual([leak, false]);

    // Subject access of the child (a co-member): never the mother's details, nor the district without clearance.
    const subject = await api.inject('GET', `/audit/members/${kode6.child}/subject-access`, auditor);
    expect(subject.statusCode).toBe(200);
    for (const leak of ['Hemmelig', '01019012345', ...PLACES_AND_TEXT]) expect([leak, subject.body.includes(leak)]).toEqual([leak, false]);
    // The mother's own export needs the clearance.
    expect((await api.inject('GET', `/audit/members/${kode6.mother}/subject-access`, auditor)).statusCode).toBe(403);
    expect((await api.inject('GET', `/audit/members/${kode7.mother}/subject-access`, auditor)).statusCode).toBe(403);
    expect((await api.inject('GET', `/audit/members/${kode6.mother}/subject-access`, auditorCleared)).statusCode).toBe(200);
  });
});
