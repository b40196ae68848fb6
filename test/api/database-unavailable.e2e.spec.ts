import { randomUUID } from 'node:crypto';
import { Client } from 'pg';
import { createTestApp, headersFor, TestApp } from '../support/test-app';

/**
 * The database goes away under a running API (its connections terminated, new ones refused, as
 * during a restart or maintenance): the API answers 503 problem details with Retry-After, never
 * 500, and /health says the database is down; once the database is back it recovers by itself.
 * (The real restart of the server is in test/faults.)
 */
describe('API: database unavailable (PostgreSQL refusing connections)', () => {
  let api: TestApp;
  let admin: Client;
  let database: string;
  const caseworker = headersFor({ userId: 'nav-kari', role: 'caseworker', unit: 'NAV' });

  const register = (familyId = randomUUID()) =>
    api.inject('POST', '/families', caseworker, {
      familyId,
      district: 'Heimdal',
      members: [{ memberId: randomUUID(), name: 'Amina', birthDate: '1988-03-02', role: 'adult' }],
    });

  beforeAll(async () => {
    api = await createTestApp({ poolSize: 5 });
    // The test's own pool loses its connections too: an idle client's error must not end the run.
    api.db.pool.on('error', () => undefined);
    database = new URL(api.db.url).pathname.slice(1);
    admin = new Client({ connectionString: process.env.FV_TEST_ADMIN_URL });
    await admin.connect();
  });
  afterAll(async () => {
    await admin.query(`ALTER DATABASE ${database} ALLOW_CONNECTIONS true`).catch(() => undefined);
    await admin.end();
    await api?.close();
  });

  it('answers 503 with Retry-After while the database refuses connections, and recovers by itself', async () => {
    const familyId = randomUUID();
    // The log is not empty on a fresh instance: the shipped rule sets are loaded at start-up.
    const initial = await api.eventCount();
    expect((await register(familyId)).statusCode).toBe(201);

    await admin.query(`ALTER DATABASE ${database} ALLOW_CONNECTIONS false`);
    await admin.query(`SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()`, [database]);

    const answers = [
      await register(),
      await api.inject('GET', `/families/${familyId}/stream-state`, caseworker),
      await api.inject('GET', '/families', caseworker),
      await register(),
    ];
    for (const response of answers) {
      expect(response.statusCode).toBe(503);
      expect(response.headers['retry-after']).toBeDefined();
      expect(response.headers['content-type']).toContain('application/problem+json');
      expect(response.json()).toMatchObject({ status: 503 });
      expect(response.body).not.toMatch(/ECONN|57P0|55000|terminating|127\.0\.0\.1|SELECT|INSERT|at .*\.ts/);
    }
    // A command refused for want of the database names it; a read is refused by the read audit (it cannot record it).
    expect(answers[0].json()).toMatchObject({ code: 'DATABASE_UNAVAILABLE', detail: 'The database is unavailable at the moment. Try again in 5 seconds.' });

    const health = await api.inject('GET', '/health', {});
    expect(health.statusCode).toBe(503);
    expect(health.json()).toMatchObject({ status: 'unavailable', database: { ok: false, error: expect.stringContaining('database unavailable') } });
    expect(health.body).not.toMatch(/127\.0\.0\.1|localhost|fv_test_/);

    await admin.query(`ALTER DATABASE ${database} ALLOW_CONNECTIONS true`);
    // The pool reconnects on the next request: no restart of the API.
    const after = await register();
    expect(after.statusCode).toBe(201);
    expect((await api.inject('GET', '/health', {})).statusCode).toBe(200);
    expect(await api.eventCount()).toBe(initial + 2);
  });

  it('gets through (or 503, never 500) when its connections are terminated but the database still accepts new ones', async () => {
    await admin.query(`SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()`, [database]);
    const statuses: number[] = [];
    for (let i = 0; i < 4; i++) statuses.push((await register()).statusCode);
    expect(statuses.filter((status) => status !== 201 && status !== 503)).toEqual([]);
    // By the last attempt the pool has replaced its connections.
    expect(statuses[statuses.length - 1]).toBe(201);
  });
});
