import { randomUUID } from 'node:crypto';
import { ProjectionDaemon } from '@familievedtak/projections';
import { Headers, TestApp, createTestApp, headersFor } from '../support/test-app';

const nav: Headers = headersFor({ userId: 'nav-kari', role: 'caseworker', unit: 'NAV' });
const navCleared: Headers = headersFor({ userId: 'nav-cleared', role: 'caseworker', unit: 'NAV', clearances: ['protected-address'] });
const auditor: Headers = headersFor({ userId: 'audit-anne', role: 'auditor' });

/**
 * Strengt fortrolig adresse: a member with a protected address is masked in every response
 * for readers without clearance (the family is not hidden); the district is withheld too.
 */
describe('API: protected addresses are masked without clearance (PostgreSQL)', () => {
  let api: TestApp;
  const familyId = randomUUID();
  const mother = randomUUID();
  const child = randomUUID();
  const masked = { memberId: mother, name: null, birthDate: null, nationalId: null, preferredLanguage: null, masked: true, protectedAddress: true };

  beforeAll(async () => {
    api = await createTestApp({ runProjections: true });
    const registered = await api.inject('POST', '/families', nav, {
      familyId,
      district: 'Heimdal',
      members: [
        { memberId: mother, name: 'Hemmelig Mor', birthDate: '1990-01-01', role: 'adult', nationalId: '01019012345', preferredLanguage: 'nb', protectedAddress: true },
        { memberId: child, name: 'Liten', birthDate: '2018-05-05', role: 'child' },
      ],
    });
    expect(registered.statusCode).toBe(201);
    await api.app.get(ProjectionDaemon).runner('family-view')!.waitUntilCaughtUp();
  });
  afterAll(() => api.close());

  const members = (body: { members: Array<{ memberId: string }> }) => new Map(body.members.map((m) => [m.memberId, m]));

  it('masks the member (not the family) in the view, the list and the stream state', async () => {
    const view = await api.inject('GET', `/families/${familyId}`, nav);
    expect(view.statusCode).toBe(200);
    const body = view.json();
    expect(body.district).toBeNull();
    expect(members(body).get(mother)).toMatchObject({ ...masked, ageOnAsOf: null });
    expect(members(body).get(child)).toMatchObject({ name: 'Liten', birthDate: '2018-05-05' });
    expect(body.access.maskedMemberIds).toEqual([mother]);
    expect(view.body).not.toContain('Hemmelig');
    expect(view.body).not.toContain('01019012345');

    const list = await api.inject('GET', '/families?limit=200', nav);
    const row = list.json().items.find((i: { familyId: string }) => i.familyId === familyId);
    expect(row).toMatchObject({ familyId, district: null });

    const state = await api.inject('GET', `/families/${familyId}/stream-state`, nav);
    expect(state.statusCode).toBe(200);
    expect(state.json().state.members[mother]).toMatchObject(masked);
    expect(state.json().state.district).toBeNull();
    expect(state.body).not.toContain('Hemmelig');
  });

  it('shows everything to a reader with the protected-address clearance', async () => {
    const body = (await api.inject('GET', `/families/${familyId}`, navCleared)).json();
    expect(body.district).toBe('Heimdal');
    expect(members(body).get(mother)).toMatchObject({ name: 'Hemmelig Mor', nationalId: '01019012345', protectedAddress: true });
    expect(body.access.maskedMemberIds).toEqual([]);
  });

  it('masks for auditors without clearance too: they see every record, not every address', async () => {
    const body = (await api.inject('GET', `/families/${familyId}`, auditor)).json();
    expect(members(body).get(mother)).toMatchObject(masked);
  });
});
