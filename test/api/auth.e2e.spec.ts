import { generateKeyPairSync, randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EVENT_STORE, EventStore } from '@familievedtak/event-store';
import { PROBE_ROUTES, PUBLIC_ROUTES } from '../../apps/api/src/auth/public.decorator';
import { verifyToken } from '../../apps/api/src/auth/verify-token';
import { tokenFromArgs } from '../../apps/cli/src/token';
import { createTestApp, Headers, headersFor, TEST_AUTH, TestApp, tokenFor, TokenRequest } from '../support/test-app';
import { RED_CROSS, approveSubProject, enrol, registerFamily } from '../support/parts';

const kari: TokenRequest = { userId: 'nav-kari', role: 'caseworker', unit: 'NAV' };
const bearer = (token: string): Headers => ({ authorization: `Bearer ${token}` });

describe('API: authentication (PostgreSQL)', () => {
  let api: TestApp;
  beforeAll(async () => {
    api = await createTestApp({ poolSize: 5 });
  });
  afterAll(() => api.close());

  const registration = () => ({
    familyId: randomUUID(),
    district: 'Heimdal',
    members: [{ memberId: randomUUID(), name: 'Amina', birthDate: '1988-03-02', role: 'adult' }],
  });

  /** A write that would append an event: refused, it must append nothing. */
  async function expectRefused(headers: Headers, status: 401 | 403) {
    const before = await api.eventCount();
    const response = await api.inject('POST', '/families', headers, registration());
    expect(response.statusCode).toBe(status);
    expect(response.headers['content-type']).toContain('application/problem+json');
    expect(response.json()).toMatchObject({ status, type: `urn:familievedtak:problem:http-${status}`, detail: expect.any(String) });
    if (status === 401) expect(response.headers['www-authenticate']).toBe('Bearer');
    expect(await api.eventCount()).toBe(before);
    return response;
  }

  const otherKey = generateKeyPairSync('ec', { namedCurve: 'prime256v1' }).privateKey;
  const valid = tokenFor(kari);
  const [header, payload] = valid.split('.');
  const refusals: [string, Headers][] = [
    ['missing token', {}],
    ['not a bearer scheme', { authorization: `Basic ${Buffer.from('nav-kari:secret').toString('base64')}` }],
    ['malformed token', bearer('not.a.jwt')],
    ['garbage', bearer('abc')],
    ['signed with another key', headersFor({ ...kari, privateKey: otherKey })],
    ['unsigned (alg none)', bearer(`${Buffer.from(JSON.stringify({ alg: 'none', typ: 'JWT' })).toString('base64url')}.${payload}.`)],
    [
      'tampered payload',
      bearer(`${header}.${Buffer.from(JSON.stringify({ sub: 'nav-kari', roles: ['auditor'] })).toString('base64url')}.${valid.split('.')[2]}`),
    ],
    ['expired', headersFor({ ...kari, ttlSeconds: -60 })],
    ['wrong issuer', headersFor({ ...kari, issuer: 'someone-else' })],
    ['wrong audience', headersFor({ ...kari, audience: 'another-api' })],
    ['old identity headers only', { 'x-user-id': 'nav-kari', 'x-role': 'caseworker', 'x-unit': 'NAV' }],
  ];

  it.each(refusals)('401 and nothing appended: %s', async (_name, headers) => {
    await expectRefused(headers, 401);
  });

  it('a valid token is accepted and its subject, role and unit are recorded as the actor', async () => {
    const body = registration();
    // Identity headers of the past are ignored: the token alone names the caller.
    const response = await api.inject('POST', '/families', headersFor(kari, { 'x-user-id': 'someone-else', 'x-role': 'auditor' }), body);
    expect(response.statusCode).toBe(201);
    const [event] = await api.app.get<EventStore>(EVENT_STORE).readStream(`family-${body.familyId}`);
    expect((event.metadata as { actor: unknown }).actor).toEqual({ userId: 'nav-kari', role: 'caseworker', unit: 'NAV', partnerOrganisation: null });
    expect((await api.inject('GET', '/rule-sets', headersFor({ userId: 'rules-team', role: 'rules-analyst' }))).statusCode).toBe(200);
  });

  it('with several units or roles the request picks one among the token claims, else 403', async () => {
    const twoUnits: TokenRequest = { userId: 'kari', role: 'caseworker', units: ['NAV', 'BFT'] };
    const body = registration();
    const chosen = await api.inject('POST', '/families', headersFor(twoUnits, { 'x-act-as-unit': 'NAV' }), body);
    expect(chosen.statusCode).toBe(201);
    const [event] = await api.app.get<EventStore>(EVENT_STORE).readStream(`family-${body.familyId}`);
    expect((event.metadata as { actor: { unit: string } }).actor.unit).toBe('NAV');

    await expectRefused(headersFor(twoUnits, { 'x-act-as-unit': 'HVK' }), 403);
    await expectRefused(headersFor(twoUnits), 403);
    await expectRefused(headersFor(kari, { 'x-act-as-unit': 'BFT' }), 403);
    await expectRefused(headersFor(kari, { 'x-act-as-unit': 'POLICE' }), 403);
    await expectRefused(headersFor(kari, { 'x-act-as-role': 'approver' }), 403);
    const twoRoles: TokenRequest = { userId: 'ola', roles: ['caseworker', 'approver'], unit: 'NAV' };
    await expectRefused(headersFor(twoRoles), 403);
    await expectRefused(headersFor({ userId: 'nobody', roles: [], unit: 'NAV' }), 403);
    expect((await api.inject('POST', '/families', headersFor(twoRoles, { 'x-act-as-role': 'caseworker' }), registration())).statusCode).toBe(201);
  });

  describe('the partner organisation (claim org) is a 9-digit organisation number, compared exactly', () => {
    it('reads org only when it is exactly nine digits; anything else gives the actor no organisation (fail closed)', async () => {
      const orgOf = async (org: unknown) => (await verifyToken(tokenFor({ userId: `p-${String(org)}`, role: 'partner', org: org as string }), TEST_AUTH)).org;
      expect(await orgOf(RED_CROSS)).toBe(RED_CROSS);
      for (const org of [
        'Trondheim Red Cross',
        ` ${RED_CROSS}`,
        `${RED_CROSS} `,
        '97412345',
        '9741234560',
        'NO974123456',
        '974 123 456',
        '97412345x',
        '٩٧٤١٢٣٤٥٦',
      ]) {
        expect({ org, read: await orgOf(org) }).toEqual({ org, read: undefined });
      }
    });

    it('a partner whose org is not an organisation number records nothing, even for a family its organisation is enrolled with (403, nothing appended)', async () => {
      const nav = headersFor(kari);
      const { familyId, ids } = await registerFamily(api, nav, [
        { name: 'Amina', birthDate: '1988-03-02', role: 'adult' },
        { name: 'Yusuf', birthDate: '2016-09-14', role: 'child' },
      ]);
      const subProjectId = await approveSubProject(api, headersFor({ userId: 'nav-leder', role: 'unit-leader', unit: 'NAV' }), 'NAV');
      await enrol(api, familyId, nav, subProjectId, [ids.Yusuf]);
      for (const org of ['Trondheim Red Cross', ` ${RED_CROSS}`]) {
        const before = await api.eventCount();
        const response = await api.inject('POST', `/families/${familyId}/needs`, headersFor({ userId: 'rk-ingrid', role: 'partner', org }), {
          memberId: ids.Yusuf,
          words: 'Fotball',
        });
        expect({ org, status: response.statusCode }).toEqual({ org, status: 403 });
        expect(await api.eventCount()).toBe(before);
      }
      const exact = await api.inject('POST', `/families/${familyId}/needs`, headersFor({ userId: 'rk-ingrid', role: 'partner', org: RED_CROSS }), {
        memberId: ids.Yusuf,
        words: 'Fotball',
      });
      expect(exact.statusCode).toBe(201);
      const [event] = (await api.app.get<EventStore>(EVENT_STORE).readStream(`family-${familyId}`)).filter((e) => e.type === 'NeedExpressed');
      expect((event.metadata as { actor: unknown }).actor).toEqual({ userId: 'rk-ingrid', role: 'partner', unit: null, partnerOrganisation: RED_CROSS });
    });

    it('npm run token -- --org validates the organisation number', () => {
      const dir = mkdtempSync(join(tmpdir(), 'fv-dev-auth-'));
      const run = (args: string[]) => {
        try {
          return { token: tokenFromArgs(args, {}, dir), error: undefined };
        } catch (error) {
          return { token: undefined, error: error instanceof Error ? error.message : String(error) };
        }
      };
      try {
        const ok = run(['--role', 'partner', '--org', RED_CROSS]);
        expect(ok.error).toBeUndefined();
        const payload = JSON.parse(Buffer.from(ok.token!.split('.')[1], 'base64url').toString());
        expect(payload).toMatchObject({ roles: ['partner'], org: RED_CROSS });
        for (const org of ['Trondheim Red Cross', '97412345', ` ${RED_CROSS}`, '']) {
          const refused = run(['--role', 'partner', '--org', org]);
          expect({ org, token: refused.token, error: refused.error }).toEqual({
            org,
            token: undefined,
            error: expect.stringContaining('9-digit organisation number'),
          });
        }
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    });
  });

  it('every public route (the probes, /docs and /docs-json) answers without a token', async () => {
    const refused: string[] = [];
    for (const route of PUBLIC_ROUTES) {
      const status = (await api.inject('GET', route.slice('GET '.length), {})).statusCode;
      // /docs may redirect to /docs/.
      if (status !== 200 && !(route === 'GET /docs' && status < 400)) refused.push(`${route}: ${status}`);
    }
    expect(refused).toEqual([]);
  });

  it('every route in the OpenAPI document outside the public allow-list answers 401 without a token', async () => {
    const document = (await api.inject('GET', '/docs-json', {})).json() as { paths: Record<string, Record<string, unknown>> };
    const routes: string[] = [];
    for (const [path, operations] of Object.entries(document.paths)) {
      for (const method of Object.keys(operations)) {
        if (['get', 'post', 'put', 'patch', 'delete'].includes(method)) routes.push(`${method.toUpperCase()} ${path}`);
      }
    }
    expect(routes.length).toBeGreaterThan(10);
    expect(routes).toEqual(expect.arrayContaining([...PROBE_ROUTES]));
    const before = await api.eventCount();
    const unprotected: string[] = [];
    for (const route of routes) {
      if (PUBLIC_ROUTES.includes(route)) continue;
      const [method, path] = route.split(' ');
      const url = path.replace(/\{[^}]+\}/g, () => randomUUID());
      for (const headers of [{}, bearer('invalid')]) {
        const response = await api.app
          .getHttpAdapter()
          .getInstance()
          .inject({ method: method as 'GET', url, headers });
        if (response.statusCode !== 401) unprotected.push(`${route}: ${response.statusCode}`);
      }
    }
    expect(unprotected).toEqual([]);
    expect(await api.eventCount()).toBe(before);
  });
});
