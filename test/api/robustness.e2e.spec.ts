import { readFileSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import { randomUUID } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import type { LightMyRequestResponse } from 'fastify';
import { readAppConfig } from '@familievedtak/database';
import { createApp } from '../../apps/api/src/create-app';
import { readHttpSettings } from '../../apps/api/src/hardening';
import { createTestApp, headersFor, Headers, TEST_AUTH, TestApp, tokenFor } from '../support/test-app';
import { createTestDatabase } from '../support/test-database';
import { familyStream, registerFamily, streamCount } from '../support/parts';

/**
 * Issue 12 (robustness): findings of a client team's probe with hostile requests. Each refusal
 * is a 4xx problem-details answer, and nothing is stored (events counted before and after).
 */
const nav: Headers = headersFor({ userId: 'nav-kari', role: 'caseworker', unit: 'NAV' });
const json: Headers = { ...nav, 'content-type': 'application/json' };

function expectProblem(response: LightMyRequestResponse, status: number, code?: string) {
  expect({ status: response.statusCode, contentType: response.headers['content-type'] }).toEqual({
    status,
    contentType: expect.stringContaining('application/problem+json'),
  });
  const body = response.json();
  expect(body).toMatchObject({ type: expect.any(String), title: expect.any(String), status, detail: expect.any(String) });
  if (code) expect(body.code).toBe(code);
  expect(response.body).not.toMatch(/at .*\.(ts|js):\d+|SELECT|INSERT/);
  return body;
}

describe('API robustness (issue 12)', () => {
  let api: TestApp;
  beforeAll(async () => {
    api = await createTestApp({ poolSize: 5 });
  });
  afterAll(() => api.close());

  const adult = () => ({ name: 'Amina', birthDate: '1988-03-02', role: 'adult' as const });

  describe('arrays where a list of objects is expected', () => {
    // The fuzzer's seed 1132106791 sent `families: [[{...}]]` to a payment run: class-validator's
    // ValidateNested validates an inner array's items, so the route received an array as a family (500).
    it('refuses a list of lists in place of a list of objects with 400 on every such route, and stores nothing', async () => {
      const { familyId, ids } = await registerFamily(api, nav, [adult()]);
      const leader = headersFor({ userId: 'nav-leder', role: 'unit-leader', unit: 'NAV' });
      const member = { memberId: randomUUID(), name: 'A', birthDate: '1988-03-02', role: 'adult' };
      const before = await api.eventCount();
      const cases: Array<[Headers, string, object]> = [
        [nav, '/families', { familyId: randomUUID(), district: 'Heimdal', members: [[member]] }],
        [
          leader,
          '/sub-projects',
          {
            subProjectId: 'nested-arrays',
            name: 'Nested',
            actors: [[{ name: 'NAV', municipal: true, unit: 'NAV' }], { name: 'B', municipal: true }, { name: 'C', municipal: true }],
            responsibleUnit: 'NAV',
            goals: ['x'],
            firstSemester: '2026-autumn',
          },
        ],
        [
          nav,
          '/sub-projects/nested-arrays/payment-runs',
          { runId: 'run-1', description: 'x', paidOn: '2026-11-27', amountOre: 100, families: [[{ familyId, recipientMemberIds: [ids.Amina] }]] },
        ],
      ];
      for (const [headers, url, body] of cases) {
        const answer = await api.inject('POST', url, headers, body);
        expect([url, answer.statusCode]).toEqual([url, 400]);
      }
      expect(await api.eventCount()).toBe(before);
    });
  });

  describe('lone surrogates in text', () => {
    it('refuses a lone surrogate in any text field or key with 400, and stores nothing', async () => {
      const { familyId, ids } = await registerFamily(api, nav, [adult()]);
      const before = await api.eventCount();
      const family = await streamCount(api, familyStream(familyId));
      // The JSON text carries the escapes themselves (JSON.stringify would too for such a string).
      const bodies: Array<[string, string]> = [
        [
          '/families',
          `{"familyId":"${randomUUID()}","district":"x\\ud800y","members":[{"memberId":"${randomUUID()}","name":"A","birthDate":"1988-03-02","role":"adult"}]}`,
        ],
        [
          '/families',
          `{"familyId":"${randomUUID()}","district":"Heimdal","members":[{"memberId":"${randomUUID()}","name":"\\udc00","birthDate":"1988-03-02","role":"adult"}]}`,
        ],
        [`/families/${familyId}/needs`, `{"memberId":"${ids.Amina}","words":"Bolig \\ud83d"}`],
        [`/families/${familyId}/needs`, `{"memberId":"${ids.Amina}","words":"Bolig","\\ud800":1}`],
      ];
      for (const [url, body] of bodies) expectProblem(await api.inject('POST', url, json, body), 400);
      expect(await api.eventCount()).toBe(before);
      expect(await streamCount(api, familyStream(familyId))).toBe(family);
      // A well-formed pair (an emoji) is text like any other.
      expect((await api.inject('POST', `/families/${familyId}/needs`, json, `{"memberId":"${ids.Amina}","words":"Bolig \\ud83d\\ude00"}`)).statusCode).toBe(
        201,
      );
    });
    it('refuses a lone surrogate that only a YAML escape produces (a rule-set document) with 400, not 500', async () => {
      const analyst = headersFor({ userId: 'ra-1', role: 'rules-analyst' });
      const document = readFileSync('libs/rules/rule-sets/trondheim-2023.yaml', 'utf8')
        .replace(/^id: .*$/m, 'id: surrogate-probe')
        .replace(/^name: .*$/m, 'name: "x\\ud800y"');
      const before = await api.eventCount();
      expectProblem(await api.inject('POST', '/rule-sets', { ...analyst, 'content-type': 'text/yaml' }, document), 400, 'INVALID_TEXT');
      expectProblem(
        await api.inject('POST', '/rule-sets', { ...analyst, 'content-type': 'application/json' }, JSON.stringify({ document })),
        400,
        'INVALID_TEXT',
      );
      expect(await api.eventCount()).toBe(before);
    });
  });

  describe('forged tokens', () => {
    const b64 = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');
    const claims = {
      iss: TEST_AUTH.issuer,
      aud: TEST_AUTH.audience,
      sub: 'nav-kari',
      roles: ['caseworker'],
      units: ['NAV'],
      exp: Math.floor(Date.now() / 1000) + 3600,
    };
    it.each(['RS256', 'RS512', 'PS256', 'ES384', 'ES512', 'EdDSA', 'HS256'])(
      'answers a token whose header says %s with 401 (the key is ES256), not 503',
      async (alg) => {
        const forged = `${b64({ alg, typ: 'JWT' })}.${b64(claims)}.${Buffer.alloc(alg === 'ES512' ? 132 : 64, 7).toString('base64url')}`;
        const before = await api.eventCount();
        const response = await api.inject(
          'POST',
          '/families',
          { authorization: `Bearer ${forged}`, 'content-type': 'application/json' },
          { familyId: randomUUID(), district: 'Heimdal', members: [] },
        );
        expectProblem(response, 401);
        expect(response.headers['www-authenticate']).toBe('Bearer');
        expect(await api.eventCount()).toBe(before);
      },
    );
  });

  describe('ids in one canonical form', () => {
    it('an uppercase family id names the same family as its lowercase form: no second family', async () => {
      const { familyId, ids } = await registerFamily(api, nav, [adult()]);
      const upper = familyId.toUpperCase();
      const before = await api.eventCount();
      const again = await api.inject('POST', '/families', nav, { familyId: upper, district: 'Heimdal', members: [{ memberId: randomUUID(), ...adult() }] });
      expectProblem(again, 409);
      expect(await api.eventCount()).toBe(before);
      expect(await streamCount(api, familyStream(upper))).toBe(0);

      // Path and body ids in upper case reach the same stream and member.
      const need = await api.inject('POST', `/families/${upper}/needs`, nav, { memberId: ids.Amina.toUpperCase(), words: 'Bolig' });
      expect(need.statusCode).toBe(201);
      expect(need.json().streamId).toBe(familyStream(familyId));
      expect(await api.eventCount()).toBe(before + 1);
      const state = await api.inject('GET', `/families/${upper}/stream-state`, nav);
      expect(state.statusCode).toBe(200);
      expect(state.json().familyId).toBe(familyId);
      expect(Object.values(state.json().state.needs as Record<string, { memberId: string }>).map((n) => n.memberId)).toEqual([ids.Amina]);
    });

    it('registers a family sent with an uppercase id under its lowercase id', async () => {
      const familyId = randomUUID();
      const memberId = randomUUID();
      const registered = await api.inject('POST', '/families', nav, {
        familyId: familyId.toUpperCase(),
        district: 'Heimdal',
        members: [{ memberId: memberId.toUpperCase(), ...adult() }],
      });
      expect(registered.statusCode).toBe(201);
      expect(registered.json().streamId).toBe(familyStream(familyId));
      const state = (await api.inject('GET', `/families/${familyId}/stream-state`, nav)).json();
      expect(Object.keys(state.state.members)).toEqual([memberId]);
    });
  });

  describe('bounded work before validation', () => {
    const manyKeys = (n: number) => Object.fromEntries(Array.from({ length: n }, (_, i) => [`k${i}`, 1]));

    it('refuses 22,000 unknown keys with 413 problem details, before validation, and stores nothing', async () => {
      const before = await api.eventCount();
      const body = { familyId: randomUUID(), district: 'Heimdal', members: [], ...manyKeys(22_000) };
      const body413 = expectProblem(await api.inject('POST', '/families', json, JSON.stringify(body)), 413, 'BODY_TOO_LARGE');
      expect(body413.detail).toMatch(/properties/);
      expect(await api.eventCount()).toBe(before);
    });

    it.each([
      ['too many properties in one object', () => ({ members: [manyKeys(101)] }), /properties/],
      ['too many properties in all', () => ({ members: Array.from({ length: 30 }, () => manyKeys(90)) }), /properties/],
      ['too many array items', () => ({ members: Array.from({ length: 1001 }, () => 0) }), /items/],
      [
        'too many values in all',
        () => ({ a: Array.from({ length: 900 }, () => 0), b: Array.from({ length: 900 }, () => [0, 0, 0, 0, 0, 0, 0, 0, 0, 0]) }),
        /values/,
      ],
      ['a string too long', () => ({ district: 'x'.repeat(64 * 1024 + 1) }), /characters/],
      ['a key too long', () => ({ ['k'.repeat(257)]: 1 }), /name/],
    ])('refuses %s with 413 and stores nothing', async (_name, body, detail) => {
      const before = await api.eventCount();
      const problem = expectProblem(await api.inject('POST', '/families', json, JSON.stringify({ familyId: randomUUID(), ...body() })), 413, 'BODY_TOO_LARGE');
      expect(problem.detail).toMatch(detail);
      expect(await api.eventCount()).toBe(before);
    });

    it("still takes bodies within the limits, and leaves the DTOs' own limits to validation", async () => {
      const { familyId, ids } = await registerFamily(api, nav, [adult()]);
      expect((await api.inject('POST', `/families/${familyId}/needs`, nav, { memberId: ids.Amina, words: 'ø'.repeat(2000) })).statusCode).toBe(201);
      // Over the DTO's own limit but within the parser's: validation (400), not the parser (413), refuses it.
      expectProblem(await api.inject('POST', `/families/${familyId}/needs`, nav, { memberId: ids.Amina, words: 'x'.repeat(60 * 1024) }), 400);
    });
  });

  describe('content types', () => {
    it.each([
      ['text/plain', 'text/plain'],
      ['text/plain; charset=utf-8', 'text/plain; charset=utf-8'],
      ['application/xml', 'application/xml'],
      ['multipart/form-data', 'multipart/form-data; boundary=x'],
    ])('answers JSON sent as %s with 415 problem details, storing nothing', async (_name, contentType) => {
      const { familyId, ids } = await registerFamily(api, nav, [adult()]);
      const before = await streamCount(api, familyStream(familyId));
      const response = await api.inject(
        'POST',
        `/families/${familyId}/needs`,
        { ...nav, 'content-type': contentType },
        JSON.stringify({ memberId: ids.Amina, words: 'Bolig' }),
      );
      const problem = expectProblem(response, 415, 'UNSUPPORTED_MEDIA_TYPE');
      expect(problem.detail).toMatch(/application\/json/);
      expect(await streamCount(api, familyStream(familyId))).toBe(before);
    });
  });

  describe('431: request headers too large', () => {
    it("answers with problem details, not Fastify's own JSON", async () => {
      await api.app.listen(0, '127.0.0.1');
      const { port } = api.app.getHttpServer().address() as AddressInfo;
      const answer = await new Promise<{ status: number; contentType: string; body: string }>((resolve, reject) => {
        const request = httpRequest(
          { host: '127.0.0.1', port, path: '/families', method: 'GET', headers: { ...nav, 'x-padding': 'x'.repeat(32 * 1024) } },
          (response) => {
            let body = '';
            response.setEncoding('utf8');
            response.on('data', (chunk) => (body += chunk));
            response.on('end', () => resolve({ status: response.statusCode ?? 0, contentType: String(response.headers['content-type']), body }));
          },
        );
        request.on('error', reject);
        request.end();
      });
      expect({ status: answer.status, contentType: answer.contentType }).toEqual({
        status: 431,
        contentType: expect.stringContaining('application/problem+json'),
      });
      expect(JSON.parse(answer.body)).toMatchObject({
        type: expect.any(String),
        title: expect.any(String),
        status: 431,
        detail: expect.any(String),
        code: 'REQUEST_HEADERS_TOO_LARGE',
      });
    });
  });
});

describe('API robustness: rate limit buckets (RATE_LIMIT_PER_MINUTE=3)', () => {
  /** An app with its own rate limit settings; TRUST_PROXY as given. */
  async function appWith(env: Record<string, string>) {
    const db = await createTestDatabase(3);
    const config = readAppConfig(db.url, { RUN_PROJECTIONS: 'false', RATE_LIMIT_PER_MINUTE: '3', ...env });
    const app = await createApp(config, TEST_AUTH, false, readHttpSettings(env));
    await app.init();
    const fastify = app.getHttpAdapter().getInstance();
    await fastify.ready();
    return {
      inject: (url: string, headers: Headers = {}) => fastify.inject({ method: 'GET', url, headers }),
      close: async () => {
        await app.close();
        await db.drop();
      },
    };
  }

  it('keeps /health outside the limit, gives each user a bucket, and answers 429 as problem details', async () => {
    const app = await appWith({});
    try {
      for (let i = 0; i < 8; i++) expect((await app.inject('/health')).statusCode).toBe(200);
      // Anonymous callers from one address share its bucket: /health did not spend it.
      for (let i = 0; i < 3; i++) expect((await app.inject('/families')).statusCode).toBe(401);
      const limited = await app.inject('/families');
      const problem = expectProblem(limited, 429, 'RATE_LIMITED');
      expect(problem.type).toBe('urn:familievedtak:problem:http-429');
      expect(limited.headers['retry-after']).toBeDefined();
      expect(Object.keys(problem).sort()).toEqual(['code', 'detail', 'instance', 'requestId', 'status', 'title', 'type']);
      // A verified user from the same address has a bucket of their own.
      const kari = headersFor({ userId: 'nav-kari', role: 'caseworker', unit: 'NAV' });
      for (let i = 0; i < 3; i++) expect((await app.inject('/families', kari)).statusCode).toBe(200);
      expectProblem(await app.inject('/families', kari), 429, 'RATE_LIMITED');
      expect((await app.inject('/families', { authorization: `Bearer ${tokenFor({ userId: 'nav-ola', role: 'caseworker', unit: 'NAV' })}` })).statusCode).toBe(
        200,
      );
      expect((await app.inject('/health')).statusCode).toBe(200);
      // Without TRUST_PROXY, X-Forwarded-For is not believed: still the same (spent) address.
      expect((await app.inject('/families', { 'x-forwarded-for': '203.0.113.9' })).statusCode).toBe(429);
    } finally {
      await app.close();
    }
  });

  it('with TRUST_PROXY, anonymous clients behind the proxy get a bucket each (by X-Forwarded-For)', async () => {
    const app = await appWith({ TRUST_PROXY: '127.0.0.1' });
    try {
      const from = (ip: string) => ({ 'x-forwarded-for': ip });
      for (let i = 0; i < 3; i++) expect((await app.inject('/families', from('203.0.113.1'))).statusCode).toBe(401);
      expect((await app.inject('/families', from('203.0.113.1'))).statusCode).toBe(429);
      expect((await app.inject('/families', from('203.0.113.2'))).statusCode).toBe(401);
    } finally {
      await app.close();
    }
  });
});

describe('readHttpSettings (TRUST_PROXY)', () => {
  it.each([
    [undefined, false],
    ['', false],
    ['false', false],
    ['true', true],
    ['2', 2],
    ['127.0.0.1', ['127.0.0.1']],
    ['10.0.0.0/8, 127.0.0.1', ['10.0.0.0/8', '127.0.0.1']],
    ['loopback,uniquelocal', ['loopback', 'uniquelocal']],
  ])('reads %p as %p', (value, expected) => {
    expect(readHttpSettings(value === undefined ? {} : { TRUST_PROXY: value }).trustProxy).toEqual(expected);
  });
  it('refuses a value it cannot read', () => {
    expect(() => readHttpSettings({ TRUST_PROXY: 'yes please' })).toThrow(/TRUST_PROXY/);
  });
});
