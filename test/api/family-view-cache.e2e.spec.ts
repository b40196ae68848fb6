import { FamilyViewCache } from '../../apps/api/src/families/family-view-cache';
import { randomUUID } from 'node:crypto';
import { FamilyViewQueries, ProjectionDaemon } from '@familievedtak/projections';
import { Headers, TestApp, createTestApp, headersFor } from '../support/test-app';

const nav: Headers = headersFor({ userId: 'nav-kari', role: 'caseworker', unit: 'NAV' });
const navCleared: Headers = headersFor({ userId: 'nav-cleared', role: 'caseworker', unit: 'NAV', clearances: ['protected-address'] });
const bft: Headers = headersFor({ userId: 'bft-siri', role: 'caseworker', unit: 'BFT' });
const bftOther: Headers = headersFor({ userId: 'bft-per', role: 'caseworker', unit: 'BFT' });
const hvk: Headers = headersFor({ userId: 'hvk-anne', role: 'caseworker', unit: 'HVK' });

/**
 * GET /families/:familyId through the view cache (API, PostgreSQL, projections running): a
 * second reader of the same scope is served without building; a reader of another scope never
 * gets that entry (no part: 403; no clearance: the masked view); a consent withdrawal is a new
 * revision and the next read no longer relies on it; every read is in the read audit.
 */
describe('API: the family view cache', () => {
  let api: TestApp;
  /** readView: one call per read; a build is an answer other than "unchanged". */
  let reads: jest.SpyInstance;
  const builds = async () => (await Promise.all(reads.mock.results.map((result) => result.value))).filter((read) => !read || !('unchanged' in read)).length;
  const familyId = randomUUID();
  const adultId = randomUUID();
  const childId = randomUUID();
  const consentId = randomUUID();
  const needId = randomUUID();
  const kode6 = { familyId: randomUUID(), mother: randomUUID(), child: randomUUID() };
  let revision = -1;

  const send = async (url: string, headers: Headers, body: unknown = {}) => {
    const response = await api.inject('POST', url, headers, body);
    if (response.statusCode >= 300) throw new Error(`${url}: ${response.statusCode} ${response.body}`);
    return response.json().revision as number;
  };
  const read = async (headers: Headers, id = familyId) => {
    await api.app.get(ProjectionDaemon).runner('family-view')!.waitUntilCaughtUp();
    return api.inject('GET', `/families/${id}`, headers);
  };
  const audited = async () =>
    (
      await api.db.pool.query(
        `SELECT user_id, outcome, status, consent_ids FROM audit.read_access WHERE family_id = $1 AND route = 'GET /families/:familyId' ORDER BY id`,
        [familyId],
      )
    ).rows;

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
    const referralId = randomUUID();
    await send(`${f}/referrals`, nav, {
      referralId,
      toUnit: 'BFT',
      memberIds: [childId],
      reason: 'Bekymring for barnet',
      ground: 'duty-to-inform-child-welfare',
    });
    await send(`${f}/referrals/${referralId}/accept`, bft);
    await send(`${f}/needs`, nav, { needId, memberId: adultId, words: 'Arbeid', expressedOn: '2026-09-01' });
    // BFT reads NAV's need about the mother only under her consent.
    revision = await send(`${f}/consents`, nav, {
      consentId,
      memberId: adultId,
      givenByMemberId: adultId,
      kind: 'information-sharing',
      sourceUnits: ['NAV'],
      toUnits: ['BFT'],
      dataCategories: ['needs'],
      purpose: 'Samarbeid',
      validFrom: '2026-09-01',
      validUntil: '2027-12-31',
      evidence: { form: 'written', documentRef: 'ARK-1' },
    });
    await send('/families', nav, {
      familyId: kode6.familyId,
      district: 'Heimdal',
      members: [
        { memberId: kode6.mother, name: 'Hemmelig Mor', birthDate: '1990-01-01', role: 'adult', addressProtection: 'strengt-fortrolig' },
        { memberId: kode6.child, name: 'Liten', birthDate: '2018-05-05', role: 'child' },
      ],
      parentalResponsibility: [{ childId: kode6.child, holderId: kode6.mother, basis: 'birth-registration' }],
    });
    reads = jest.spyOn(api.app.get(FamilyViewQueries, { strict: false }), 'readView');
  });
  afterAll(async () => {
    reads.mockRestore();
    await api.close();
  });

  it('serves a second reader of the same scope the same bytes without building; another unit with no part gets 403; each read is audited', async () => {
    reads.mockClear();
    const first = await read(bft);
    const second = await read(bftOther);
    expect([first.statusCode, second.statusCode]).toEqual([200, 200]);
    // The API hears the view projection's change feed: the second read asks the database nothing.
    expect(reads).toHaveBeenCalledTimes(1);
    expect(await builds()).toBe(1);
    expect(api.app.get(FamilyViewCache, { strict: false }).stats()).toMatchObject({ listening: true, hitsWithoutLookup: 1 });
    expect(second.body).toBe(first.body);
    expect(second.headers.etag).toBe(`"${revision}"`);
    expect(second.headers['content-type']).toBe('application/json; charset=utf-8');
    const body = second.json();
    expect(body.revision).toBe(revision);
    expect(body.needs.open.map((n: { needId: string }) => n.needId)).toContain(needId);
    expect(body.access.consentIds).toEqual([consentId]);

    const refused = await read(hvk);
    expect(refused.statusCode).toBe(403);
    expect(refused.body).not.toContain(needId);
    expect(await audited()).toEqual([
      { user_id: 'bft-siri', outcome: 'permit', status: 200, consent_ids: [consentId] },
      { user_id: 'bft-per', outcome: 'permit', status: 200, consent_ids: [consentId] },
      { user_id: 'hvk-anne', outcome: 'deny', status: 403, consent_ids: [] },
    ]);
  });

  it('never serves a view past the withdrawal of a consent it relied on', async () => {
    expect((await read(bft)).json().access.consentIds).toEqual([consentId]);
    const withdrawn = await send(`/families/${familyId}/consents/${consentId}/withdraw`, nav, {
      expressedByMemberId: adultId,
      channel: 'orally',
      reason: 'Vil ikke dele mer',
    });
    expect(withdrawn).toBeGreaterThan(revision);
    const after = await read(bftOther);
    expect(after.statusCode).toBe(200);
    expect(after.headers.etag).toBe(`"${withdrawn}"`);
    const body = after.json();
    expect(body.access.consentIds).toEqual([]);
    expect(body.needs.open.map((n: { needId: string }) => n.needId)).not.toContain(needId);
    expect((await audited()).at(-1)).toEqual({ user_id: 'bft-per', outcome: 'permit', status: 200, consent_ids: [] });
  });

  it('a reader without clearance gets the masked view after a cleared reader’s view was cached, and the other way round', async () => {
    const cleared = await read(navCleared, kode6.familyId);
    expect(cleared.body).toContain('Hemmelig Mor');
    const masked = await read(nav, kode6.familyId);
    expect(masked.statusCode).toBe(200);
    expect(masked.body).not.toContain('Hemmelig Mor');
    expect(masked.json().access.maskedMemberIds).toEqual([kode6.mother]);
    expect((await read(navCleared, kode6.familyId)).body).toBe(cleared.body);
    expect((await read(nav, kode6.familyId)).body).toBe(masked.body);
  });
});
