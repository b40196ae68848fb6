import { randomUUID } from 'node:crypto';
import { RequestMethod } from '@nestjs/common';
import { METHOD_METADATA, PATH_METADATA } from '@nestjs/common/constants';
import { ModulesContainer } from '@nestjs/core';
import { ProjectionDaemon } from '@familievedtak/projections';
import { READS_FAMILY_DATA } from '../../apps/api/src/read-audit/reads-family-data.decorator';
import { ReadAuditService } from '../../apps/api/src/read-audit/read-audit.service';
import { Headers, TestApp, createTestApp, headersFor } from '../support/test-app';
import { CONSENT_UNTIL, send } from '../support/parts';

const nav: Headers = headersFor({ userId: 'nav-kari', role: 'caseworker', unit: 'NAV' });
const bft: Headers = headersFor({ userId: 'bft-siri', role: 'caseworker', unit: 'BFT' });
const auditor: Headers = headersFor({ userId: 'audit-anne', role: 'auditor' });

type Row = Record<string, unknown>;

/** The read audit against real PostgreSQL: every read of family data leaves a committed record. */
describe('API: read audit (PostgreSQL)', () => {
  let api: TestApp;
  const familyId = randomUUID();
  const adultId = randomUUID();
  const childId = randomUUID();
  const adultConsent = randomUUID();

  const rowsFor = async (where: string, params: unknown[]): Promise<Row[]> =>
    (await api.db.pool.query(`SELECT * FROM audit.read_access WHERE ${where} ORDER BY id`, params)).rows;
  /** The id Fastify gave the request: the last row's request_id for this user. */
  const lastFor = async (userId: string) => (await rowsFor('user_id = $1', [userId])).at(-1)!;

  beforeAll(async () => {
    api = await createTestApp({ runProjections: true });
    const register = await api.inject('POST', '/families', nav, {
      familyId,
      district: 'Heimdal',
      members: [
        { memberId: adultId, name: 'Amina', birthDate: '1988-03-02', role: 'adult' },
        { memberId: childId, name: 'Yusuf', birthDate: '2016-09-14', role: 'child' },
      ],
      parentalResponsibility: [{ childId, holderId: adultId }],
    });
    expect(register.statusCode).toBe(201);
    await api.inject('POST', `/families/${familyId}/needs`, nav, { needId: randomUUID(), memberId: adultId, words: 'Arbeid', expressedOn: '2026-09-01' });
    // BFT sees NAV's record of the mother's need only through her consent: the audit names it.
    const consent = await api.inject('POST', `/families/${familyId}/consents`, nav, {
      consentId: adultConsent,
      memberId: adultId,
      givenByMemberId: adultId,
      kind: 'information-sharing',
      toUnits: ['BFT'],
      dataCategories: ['needs'],
      purpose: 'Family follow-up',
      validFrom: '2026-09-01',
      validUntil: CONSENT_UNTIL,
      evidence: { form: 'written', documentRef: 'SAMTYKKE-7' },
    });
    expect(consent.statusCode).toBe(201);
    // BFT takes part in the case by accepting NAV's referral, which the consent allows.
    const referralId = randomUUID();
    await send(api, 'POST', `/families/${familyId}/referrals`, nav, { referralId, toUnit: 'BFT', memberIds: [adultId], reason: 'Family follow-up' });
    await send(api, 'POST', `/families/${familyId}/referrals/${referralId}/accept`, bft);
    await api.app.get(ProjectionDaemon).runner('family-view')!.waitUntilCaughtUp();
  });
  afterAll(() => api.close());

  it('records a view read with who, unit, role, family, members, categories, purpose, outcome and request id', async () => {
    const before = Date.now();
    const response = await api.inject('GET', `/families/${familyId}`, { ...nav, 'x-purpose': 'follow-up meeting' });
    expect(response.statusCode).toBe(200);
    const row = await lastFor('nav-kari');
    expect(row).toMatchObject({
      user_id: 'nav-kari',
      unit: 'NAV',
      role: 'caseworker',
      family_id: familyId,
      categories: ['needs'],
      purpose: 'follow-up meeting',
      consent_ids: [],
      outcome: 'permit',
      status: 200,
      route: 'GET /families/:familyId',
    });
    expect((row.member_ids as string[]).sort()).toEqual([adultId, childId].sort());
    expect(typeof row.request_id).toBe('string');
    expect((row.at as Date).getTime()).toBeGreaterThanOrEqual(before - 1000);
  });

  it('records stream-state and list reads (one row per listed family); commands are not reads', async () => {
    expect((await api.inject('GET', `/families/${familyId}/stream-state`, bft)).statusCode).toBe(200);
    const state = await lastFor('bft-siri');
    expect(state).toMatchObject({
      family_id: familyId,
      route: 'GET /families/:familyId/stream-state',
      purpose: 'casework',
      outcome: 'permit',
      unit: 'BFT',
      consent_ids: [adultConsent],
      categories: ['needs'],
    });
    expect((state.member_ids as string[]).sort()).toEqual([adultId, childId].sort());

    const list = await api.inject('GET', '/families', bft);
    expect(list.statusCode).toBe(200);
    const listed = list.json().items.map((i: { familyId: string }) => i.familyId);
    expect(listed).toContain(familyId);
    const rows = await rowsFor(`user_id = 'bft-siri' AND route = 'GET /families'`, []);
    expect(rows.map((r) => r.family_id)).toEqual(listed);
    expect(rows[0]).toMatchObject({ categories: ['needs'], consent_ids: [adultConsent], outcome: 'permit' });
    expect(rows.every((r) => r.request_id === rows[0].request_id)).toBe(true);
    // An empty page is recorded too, as one row naming no family.
    expect(
      (await api.inject('GET', '/families?unit=OPPVEKST', headersFor({ userId: 'opp-empty', role: 'caseworker', unit: 'OPPVEKST' }))).json().items,
    ).toEqual([]);
    expect(await lastFor('opp-empty')).toMatchObject({ family_id: null, outcome: 'permit' });

    const count = Number((await api.db.pool.query('SELECT count(*) FROM audit.read_access')).rows[0].count);
    await api.inject('POST', `/families/${familyId}/needs`, nav, { needId: randomUUID(), memberId: childId, words: 'Skole', expressedOn: '2026-09-02' });
    expect(Number((await api.db.pool.query('SELECT count(*) FROM audit.read_access')).rows[0].count)).toBe(count);
  });

  it('records denied attempts where the user is known: 404, 400, and 403 from the guard; not 401', async () => {
    const unknown = randomUUID();
    expect((await api.inject('GET', `/families/${unknown}`, headersFor({ userId: 'nav-404', role: 'caseworker', unit: 'NAV' }))).statusCode).toBe(404);
    expect(await lastFor('nav-404')).toMatchObject({ family_id: unknown, outcome: 'deny', status: 404, categories: [], member_ids: [] });

    expect((await api.inject('GET', '/families/not-a-uuid', headersFor({ userId: 'nav-400', role: 'caseworker', unit: 'NAV' }))).statusCode).toBe(400);
    expect(await lastFor('nav-400')).toMatchObject({ family_id: 'not-a-uuid', outcome: 'deny', status: 400 });

    const twoUnits = headersFor({ userId: 'multi-unit', role: 'caseworker', units: ['NAV', 'BFT'] }, { 'x-act-as-unit': 'HVK' });
    expect((await api.inject('GET', `/families/${familyId}`, twoUnits)).statusCode).toBe(403);
    expect(await lastFor('multi-unit')).toMatchObject({ family_id: familyId, outcome: 'deny', status: 403, unit: 'HVK', role: 'caseworker' });

    const count = Number((await api.db.pool.query('SELECT count(*) FROM audit.read_access')).rows[0].count);
    expect((await api.inject('GET', `/families/${familyId}`, {})).statusCode).toBe(401);
    expect((await api.inject('GET', `/families/${familyId}`, { authorization: 'Bearer not.a.token' })).statusCode).toBe(401);
    expect(Number((await api.db.pool.query('SELECT count(*) FROM audit.read_access')).rows[0].count)).toBe(count);
  });

  it('is append-only: UPDATE, DELETE and TRUNCATE are refused', async () => {
    await expect(api.db.pool.query(`UPDATE audit.read_access SET user_id = 'someone-else'`)).rejects.toThrow(/append-only/);
    await expect(api.db.pool.query(`DELETE FROM audit.read_access`)).rejects.toThrow(/append-only/);
    await expect(api.db.pool.query(`TRUNCATE audit.read_access`)).rejects.toThrow(/append-only/);
    expect(Number((await api.db.pool.query(`SELECT count(*) FROM audit.read_access WHERE user_id = 'nav-kari'`)).rows[0].count)).toBeGreaterThan(0);
  });

  it('lets auditors query by family, member, user and period; the query is itself recorded', async () => {
    const byFamily = await api.inject('GET', `/audit/reads?familyId=${familyId}`, auditor);
    expect(byFamily.statusCode).toBe(200);
    const items = byFamily.json().items as Row[];
    expect(items.length).toBeGreaterThanOrEqual(3);
    expect(items.every((i) => i.familyId === familyId)).toBe(true);
    expect(new Set(items.map((i) => i.userId))).toEqual(new Set(['nav-kari', 'bft-siri', 'multi-unit']));

    // A member's own access report: who looked at the child's data.
    const byMember = (await api.inject('GET', `/audit/reads?memberId=${childId}`, auditor)).json().items as Row[];
    expect(byMember.length).toBeGreaterThanOrEqual(2);
    expect(byMember.every((i) => (i.memberIds as string[]).includes(childId))).toBe(true);

    const byUser = (await api.inject('GET', '/audit/reads?userId=bft-siri', auditor)).json().items as Row[];
    expect(byUser.length).toBeGreaterThanOrEqual(2);
    expect(byUser.every((i) => i.userId === 'bft-siri')).toBe(true);

    const future = (await api.inject('GET', `/audit/reads?from=${new Date(Date.now() + 3_600_000).toISOString()}`, auditor)).json().items;
    expect(future).toEqual([]);
    const past = (await api.inject('GET', `/audit/reads?until=${new Date(Date.now() - 3_600_000).toISOString()}`, auditor)).json().items;
    expect(past).toEqual([]);
    const now = (
      await api.inject(
        'GET',
        `/audit/reads?userId=nav-kari&from=${new Date(Date.now() - 3_600_000).toISOString()}&until=${new Date(Date.now() + 1000).toISOString()}&limit=1`,
        auditor,
      )
    ).json().items;
    expect(now).toHaveLength(1);

    const own = await rowsFor(`user_id = 'audit-anne' AND route = 'GET /audit/reads'`, []);
    expect(own.length).toBe(6);
    expect(own[1]).toMatchObject({ member_ids: [childId], categories: ['access-log'], outcome: 'permit', role: 'auditor' });
  });

  it('refuses non-auditors (403) and records the refusal', async () => {
    const response = await api.inject('GET', `/audit/reads?familyId=${familyId}`, nav);
    expect(response.statusCode).toBe(403);
    expect(response.headers['content-type']).toContain('application/problem+json');
    expect(await lastFor('nav-kari')).toMatchObject({ route: 'GET /audit/reads', outcome: 'deny', status: 403, family_id: familyId });
    expect((await api.inject('GET', '/audit/reads', bft)).statusCode).toBe(403);
  });

  it('names the units that read under a consent, for the alert a withdrawal sends (permitted reads only)', async () => {
    const audit = api.app.get(ReadAuditService);
    expect(await audit.unitsThatReadUnderConsent(familyId, adultConsent)).toEqual(['BFT']);
    expect(await audit.unitsThatReadUnderConsent(familyId, randomUUID())).toEqual([]);
    expect(await audit.unitsThatReadUnderConsent(randomUUID(), adultConsent)).toEqual([]);
    // A refused read relied on nothing: a unit refused under the same family is not named.
    expect((await api.inject('GET', `/families/${familyId}/stream-state`, headersFor({ userId: 'inn-ola', role: 'caseworker', unit: 'INN' }))).statusCode).toBe(
      403,
    );
    expect(await audit.unitsThatReadUnderConsent(familyId, adultConsent)).toEqual(['BFT']);
  });

  it('batches the commits of concurrent reads into multi-row INSERTs', async () => {
    const audit = api.app.get(ReadAuditService);
    const before = audit.batcher.stats();
    const reader = headersFor({ userId: 'nav-batch', role: 'caseworker', unit: 'NAV' });
    const responses = await Promise.all(Array.from({ length: 40 }, () => api.inject('GET', `/families/${familyId}`, reader)));
    expect(responses.every((r) => r.statusCode === 200)).toBe(true);
    const after = audit.batcher.stats();
    expect(after.records - before.records).toBe(40);
    expect(after.batches - before.batches).toBeLessThan(40);
    const rows = await rowsFor(`user_id = 'nav-batch'`, []);
    expect(new Set(rows.map((r) => r.request_id)).size).toBe(40);
  });

  it('fails a read with 503 and no family data when its record cannot be written', async () => {
    await api.db.pool.query('ALTER TABLE audit.read_access RENAME TO read_access_away');
    try {
      const response = await api.inject('GET', `/families/${familyId}`, nav);
      expect(response.statusCode).toBe(503);
      expect(response.headers['content-type']).toContain('application/problem+json');
      expect(response.body).not.toContain('Amina');
      expect(response.body).not.toContain(adultId);
      expect(response.json()).toMatchObject({ status: 503 });
      expect(response.body).not.toMatch(/read_access|relation|INSERT/);
      // Refused reads that cannot be recorded fail the same way.
      expect((await api.inject('GET', `/families/${randomUUID()}`, nav)).statusCode).toBe(503);
      expect((await api.inject('GET', '/families', nav)).statusCode).toBe(503);
    } finally {
      await api.db.pool.query('ALTER TABLE audit.read_access_away RENAME TO read_access');
    }
    expect((await api.inject('GET', `/families/${familyId}`, nav)).statusCode).toBe(200);
  });

  it('audits every GET route under /families in the OpenAPI document (no route can forget)', async () => {
    const doc = (await api.inject('GET', '/docs-json', {})).json() as { paths: Record<string, Record<string, unknown>> };
    const familyGets = Object.entries(doc.paths)
      .filter(([path, ops]) => path.startsWith('/families') && ops.get)
      .map(([path]) => path);
    expect(familyGets.length).toBeGreaterThanOrEqual(3);

    // Every controller route with whether it is marked @ReadsFamilyData(), as "GET /families/{familyId}".
    const audited = new Map<string, boolean>();
    for (const module of api.app.get(ModulesContainer).values()) {
      for (const wrapper of module.controllers.values()) {
        const type = wrapper.metatype as (new (...args: never[]) => unknown) | undefined;
        if (!type) continue;
        const base = String(Reflect.getMetadata(PATH_METADATA, type) ?? '');
        for (const name of Object.getOwnPropertyNames(type.prototype)) {
          const handler = type.prototype[name];
          if (typeof handler !== 'function' || Reflect.getMetadata(METHOD_METADATA, handler) !== RequestMethod.GET) continue;
          const path = `/${[base, String(Reflect.getMetadata(PATH_METADATA, handler) ?? '')].filter((p) => p && p !== '/').join('/')}`
            .replace(/\/+/g, '/')
            .replace(/:(\w+)/g, '{$1}');
          audited.set(path, Boolean(Reflect.getMetadata(READS_FAMILY_DATA, handler)));
        }
      }
    }
    for (const path of familyGets) expect([path, audited.get(path)]).toEqual([path, true]);
    expect(audited.get('/audit/reads')).toBe(true);
  });
});
