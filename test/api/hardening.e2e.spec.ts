import { FamilyViewQueries } from '@familievedtak/projections';
import { randomUUID } from 'node:crypto';
import { TestApp, createTestApp, headersFor } from '../support/test-app';

const nav = headersFor({ userId: 'nav-kari', role: 'caseworker', unit: 'NAV' });

describe('API: hardening (headers, body limit, errors)', () => {
  let api: TestApp;
  beforeAll(async () => {
    api = await createTestApp();
  });
  afterAll(() => api.close());

  it('sends security headers, with a strict CSP on the API and a relaxed one only for /docs', async () => {
    const response = await api.inject('GET', '/families', nav);
    expect(response.statusCode).toBe(200);
    expect(response.headers['x-content-type-options']).toBe('nosniff');
    expect(response.headers['x-frame-options']).toBe('SAMEORIGIN');
    expect(response.headers['strict-transport-security']).toContain('max-age=');
    expect(response.headers['referrer-policy']).toBe('no-referrer');
    expect(response.headers['content-security-policy']).toContain("default-src 'none'");
    expect(response.headers['x-powered-by']).toBeUndefined();

    const docs = await api.inject('GET', '/docs', {});
    expect(docs.statusCode).toBe(200);
    expect(docs.headers['content-security-policy']).toContain("script-src 'self' 'unsafe-inline'");
    expect(docs.headers['x-content-type-options']).toBe('nosniff');
  });

  it('refuses a body over 256 KiB with 413 problem details', async () => {
    const before = await api.eventCount();
    const response = await api.inject(
      'POST',
      '/families',
      { ...nav, 'content-type': 'application/json' },
      JSON.stringify({ familyId: randomUUID(), district: 'x'.repeat(300 * 1024), members: [] }),
    );
    expect(response.statusCode).toBe(413);
    expect(response.json()).toMatchObject({ status: 413 });
    expect(await api.eventCount()).toBe(before);
  });

  it('answers an internal error with a generic 500 body: no stack trace, no SQL', async () => {
    const queries = api.app.get(FamilyViewQueries, { strict: false });
    const failure = new Error('relation "read_models.family_view" does not exist: SELECT state FROM read_models.family_view WHERE family_id = $1');
    const spy = jest.spyOn(queries, 'readView').mockRejectedValueOnce(failure);
    try {
      const response = await api.inject('GET', `/families/${randomUUID()}`, nav);
      expect(response.statusCode).toBe(500);
      expect(response.json()).toEqual({
        type: 'urn:familievedtak:problem:internal',
        title: 'Internal error',
        status: 500,
        detail: 'Something went wrong on our side.',
        instance: expect.any(String),
        requestId: response.headers['x-request-id'],
      });
      expect(response.body).not.toMatch(/SELECT|read_models|relation|at .*\.ts/);
    } finally {
      spy.mockRestore();
    }
  });
});

describe('API: rate limit per user (RATE_LIMIT_PER_MINUTE=5)', () => {
  let api: TestApp;
  beforeAll(async () => {
    api = await createTestApp({ env: { RATE_LIMIT_PER_MINUTE: '5' } });
  });
  afterAll(() => api.close());

  it('answers 429 problem details after the limit, counted per verified user', async () => {
    const kari = headersFor({ userId: 'nav-kari', role: 'caseworker', unit: 'NAV' });
    for (let i = 0; i < 5; i++) expect((await api.inject('GET', '/families', kari)).statusCode).toBe(200);
    const refused = await api.inject('GET', '/families', kari);
    expect(refused.statusCode).toBe(429);
    expect(refused.headers['content-type']).toContain('application/problem+json');
    expect(refused.json()).toMatchObject({ status: 429, type: 'urn:familievedtak:problem:http-429' });
    expect(refused.headers['retry-after']).toBeDefined();
    // Another user (from the same address) still has their own budget.
    expect((await api.inject('GET', '/families', headersFor({ userId: 'nav-ola', role: 'caseworker', unit: 'NAV' }))).statusCode).toBe(200);
    // An unverified token is counted against the address, never against a user; and refused.
    expect((await api.inject('GET', '/families', { authorization: 'Bearer abc.def.ghi' })).statusCode).toBe(401);
  });
});
