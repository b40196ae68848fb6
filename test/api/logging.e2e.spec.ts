import { randomUUID } from 'node:crypto';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { FastifyInstance } from 'fastify';
import pino from 'pino';
import { readAppConfig } from '@familievedtak/database';
import { ProjectionDaemon } from '@familievedtak/projections';
import { AuthGuard } from '../../apps/api/src/auth/auth.guard';
import { createApp } from '../../apps/api/src/create-app';
import { createLogger, plainText, readLogLevel } from '../../apps/api/src/shared/logger';
import { TEST_AUTH, tokenFor, type Headers } from '../support/test-app';
import { createTestDatabase, type TestDatabase } from '../support/test-database';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
// eslint-disable-next-line no-control-regex -- an ANSI escape (ESC [) is what this test looks for
const ANSI = /\u001b\[/;

type Line = Record<string, unknown>;

/**
 * Logs as an operator reads them: the real API on PostgreSQL with its pino logger writing into
 * this test (an injected destination) instead of stdout.
 */
describe('API: JSON logs, access log and request ids', () => {
  const raw: string[] = [];
  const tokens: string[] = [];
  let db: TestDatabase;
  let app: NestFastifyApplication;
  let fastify: FastifyInstance;
  const familyId = randomUUID();
  const adultId = randomUUID();

  const headers = (userId: string, extra: Headers = {}): Headers => {
    const token = tokenFor({ userId, role: 'caseworker', unit: 'NAV' });
    tokens.push(token);
    return { authorization: `Bearer ${token}`, ...extra };
  };
  const nav = () => headers('nav-kari');
  const get = (url: string, h: Headers = nav()) => fastify.inject({ method: 'GET', url, headers: h });
  const lines = (): Line[] => raw.map((l) => JSON.parse(l) as Line);
  const accessLines = () => lines().filter((l) => l.context === 'access');
  const accessFor = (requestId: string) => accessLines().filter((l) => l.requestId === requestId);

  beforeAll(async () => {
    db = await createTestDatabase();
    const logger = createLogger({ level: 'debug', destination: { write: (line: string) => void raw.push(line) } });
    app = await createApp(readAppConfig(db.url, { RUN_PROJECTIONS: 'true', RATE_LIMIT_PER_MINUTE: '1000000' }), TEST_AUTH, logger);
    await app.init();
    fastify = app.getHttpAdapter().getInstance();
    await fastify.ready();
    const register = await fastify.inject({
      method: 'POST',
      url: '/families',
      headers: nav(),
      payload: { familyId, district: 'Heimdal', members: [{ memberId: adultId, name: 'Amina Nordmann', birthDate: '1988-03-02', role: 'adult' }] },
    });
    expect(register.statusCode).toBe(201);
    await app.get(ProjectionDaemon).runner('family-view')!.waitUntilCaughtUp();
  });
  afterAll(async () => {
    await app.close();
    await db.drop();
  });

  it("sends Nest's own lines (bootstrap, read-model migrations, projection runners) through the same JSON logger", () => {
    const all = lines();
    expect(all.find((l) => l.context === 'InstanceLoader')).toMatchObject({ level: 'debug', msg: expect.any(String), time: expect.any(String) });
    expect(all.find((l) => l.context === 'ProjectionDaemon')).toMatchObject({ level: 'info', msg: expect.any(String) });
    expect(all.find((l) => l.context === 'NestApplication')).toMatchObject({ msg: 'Nest application successfully started' });
  });

  it('writes one JSON access line per request: method, route, path, status, duration, request id, user', async () => {
    const before = accessLines().length;
    const response = await get(`/families/${familyId}`);
    expect(response.statusCode).toBe(200);
    const requestId = response.headers['x-request-id'] as string;
    expect(requestId).toMatch(UUID);
    const access = accessFor(requestId);
    expect(access).toHaveLength(1);
    expect(access[0]).toMatchObject({
      level: 'info',
      msg: 'request',
      method: 'GET',
      route: '/families/:familyId',
      path: `/families/${familyId}`,
      status: 200,
      durationMs: expect.any(Number),
      userId: 'nav-kari',
      time: expect.any(String),
      pid: process.pid,
    });

    // N requests, N lines, N distinct ids; the query string is not logged.
    const answers = await Promise.all(Array.from({ length: 5 }, () => get('/families?unit=NAV')));
    const ids = answers.map((a) => a.headers['x-request-id'] as string);
    expect(new Set(ids).size).toBe(5);
    for (const id of ids) {
      expect(accessFor(id)).toEqual([expect.objectContaining({ route: '/families', path: '/families', status: 200 })]);
      expect(JSON.stringify(accessFor(id))).not.toContain('unit=');
    }
    expect(accessLines().length).toBe(before + 6);
  });

  it('logs refusals too: a 401 has no user, an unknown route no path', async () => {
    const anonymous = await get('/families', {});
    expect(anonymous.statusCode).toBe(401);
    const line = accessFor(anonymous.headers['x-request-id'] as string)[0];
    expect(line).toMatchObject({ status: 401, route: '/families', method: 'GET' });
    expect(line).not.toHaveProperty('userId');
    const missing = await get('/no-such-route/12345678901');
    expect(missing.statusCode).toBe(404);
    const notFound = accessFor(missing.headers['x-request-id'] as string)[0];
    expect(notFound).toMatchObject({ status: 404, route: null });
    expect(JSON.stringify(notFound)).not.toContain('12345678901');
  });

  it('logs probes (/health) at debug: polled every few seconds, they would drown the access log at info', async () => {
    const health = await get('/health', {});
    expect(health.statusCode).toBe(200);
    expect(accessFor(health.headers['x-request-id'] as string)).toEqual([expect.objectContaining({ level: 'debug', route: '/health', status: 200 })]);
  });

  it("keeps a caller's sane X-Request-Id: echoed, logged, in problem details and in the read audit", async () => {
    const callerId = `trace-${randomUUID()}.1:a_b`;
    const response = await get(`/families/${familyId}`, headers('nav-kari', { 'x-request-id': callerId }));
    expect(response.statusCode).toBe(200);
    expect(response.headers['x-request-id']).toBe(callerId);
    expect(accessFor(callerId)).toHaveLength(1);
    const audit = await db.pool.query('SELECT request_id FROM audit.read_access WHERE request_id = $1', [callerId]);
    expect(audit.rowCount).toBe(1);

    const unknown = await get(`/families/${randomUUID()}`, headers('nav-kari', { 'x-request-id': 'ULID01HZX3Q' }));
    expect(unknown.statusCode).toBe(404);
    expect(unknown.json()).toMatchObject({ status: 404, requestId: 'ULID01HZX3Q' });
  });

  it.each([
    ['spaces', 'has a space'],
    ['quotes and braces', '"},{"level":"fatal'],
    ['too long', 'a'.repeat(129)],
    ['empty', ''],
    ['non-ASCII', 'æøå'],
    ['a path', '../../etc'],
  ])('replaces an X-Request-Id with %s by a UUID', async (_name, sent) => {
    const response = await fastify.inject({
      method: 'GET',
      url: '/families',
      headers: { ...nav(), 'x-request-id': Buffer.from(sent, 'utf8').toString('latin1') },
    });
    expect(response.statusCode).toBe(200);
    const id = response.headers['x-request-id'] as string;
    expect(id).toMatch(UUID);
    expect(accessFor(id)).toHaveLength(1);
    if (sent) expect(raw.some((l) => l.includes(sent))).toBe(false);
  });

  it('carries the request id into problem details: domain refusals, guard refusals, validation, router refusals', async () => {
    const cases = [
      await get(`/families/${randomUUID()}`), // 404 from the domain
      await get('/families', {}), // 401 from the guard
      await fastify.inject({ method: 'POST', url: '/families', headers: nav(), payload: { familyId: 'not-a-uuid' } }), // 400 validation
      await get('/families/%E0%A4%A'), // 400 from Fastify's router (bad percent-encoding)
      await get(`/families/${'a'.repeat(200)}`), // 414 from Fastify's router (path segment too long)
      await fastify.inject({
        method: 'POST',
        url: '/families',
        headers: { ...nav(), 'content-type': 'application/json' },
        payload: JSON.stringify({ district: 'x'.repeat(300 * 1024) }),
      }), // 413 from the body parser
      await fastify.inject({ method: 'POST', url: '/families', headers: { ...nav(), 'content-type': 'text/plain' }, payload: '{}' }), // 415
    ];
    expect(cases.map((c) => c.statusCode)).toEqual([404, 401, 400, 400, 414, 413, 415]);
    for (const response of cases) {
      expect(response.headers['content-type']).toContain('application/problem+json');
      const id = response.headers['x-request-id'] as string;
      expect(id).toMatch(UUID);
      expect(response.json().requestId).toBe(id);
    }
  });

  it('records the UUID in the read audit (not a per-process req-N)', async () => {
    const response = await get(`/families/${familyId}/stream-state`);
    expect(response.statusCode).toBe(200);
    const id = response.headers['x-request-id'] as string;
    expect(id).toMatch(UUID);
    const rows = (await db.pool.query(`SELECT request_id, route FROM audit.read_access WHERE user_id = 'nav-kari' ORDER BY id`)).rows as {
      request_id: string;
      route: string;
    }[];
    expect(rows.at(-1)).toEqual({ request_id: id, route: 'GET /families/:familyId/stream-state' });
    expect(rows.filter((r) => /^req-/.test(r.request_id))).toEqual([]);
  });

  it('logs an unexpected error once, with the request id and stack, and answers it with the same id', async () => {
    const spy = jest.spyOn(AuthGuard.prototype, 'canActivate').mockRejectedValueOnce(new Error('boom in the guard'));
    try {
      const response = await get('/families');
      expect(response.statusCode).toBe(500);
      const id = response.headers['x-request-id'] as string;
      expect(response.json().requestId).toBe(id);
      const errors = lines().filter((l) => l.level === 'error' && l.requestId === id);
      expect(errors).toHaveLength(1);
      expect(errors[0]).toMatchObject({
        context: 'errors',
        msg: 'unexpected error',
        err: { message: 'boom in the guard', stack: expect.stringContaining('boom') },
      });
      expect(accessFor(id)[0]).toMatchObject({ status: 500 });
    } finally {
      spy.mockRestore();
    }
  });

  it('never writes an Authorization header or a token, and no ANSI colour codes (stdout is not a terminal here)', () => {
    expect(tokens.length).toBeGreaterThan(10);
    for (const line of raw) {
      for (const token of tokens) {
        expect(line).not.toContain(token);
        expect(line).not.toContain(token.split('.')[2]); // not even the signature
      }
      expect(line).not.toMatch(/authorization|bearer|eyJ[A-Za-z0-9_-]{10,}/i);
      expect(line).not.toMatch(ANSI);
      expect(line.endsWith('\n')).toBe(true);
    }
    // No names from the family either (the body of the registration is not logged).
    expect(raw.some((l) => l.includes('Amina'))).toBe(false);
  });
});

describe('logger: JSON unless stdout is a terminal; LOG_LEVEL', () => {
  const isTTY = Object.getOwnPropertyDescriptor(process.stdout, 'isTTY');
  afterEach(() => {
    if (isTTY) Object.defineProperty(process.stdout, 'isTTY', isTTY);
    else delete (process.stdout as { isTTY?: boolean }).isTTY;
  });

  it("writes JSON through pino's asynchronous destination when stdout is not a terminal, plain text when it is", () => {
    Object.defineProperty(process.stdout, 'isTTY', { value: false, configurable: true });
    const json = createLogger({ level: 'info' }) as unknown as Record<symbol, { fd?: number; sync?: boolean; constructor: { name: string } }>;
    const stream = json[pino.symbols.streamSym];
    expect(stream.constructor.name).toBe('SonicBoom');
    expect(stream.fd).toBe(1);
    expect(stream.sync).toBe(false);

    Object.defineProperty(process.stdout, 'isTTY', { value: true, configurable: true });
    const tty = createLogger({ level: 'info' }) as unknown as Record<symbol, { constructor: { name: string } }>;
    expect(tty[pino.symbols.streamSym].constructor.name).not.toBe('SonicBoom');
  });

  it('formats a line as plain readable text for a terminal, without colour codes', () => {
    const line = JSON.stringify({
      level: 'info',
      time: '2026-09-30T12:04:05.123Z',
      pid: 1,
      hostname: 'h',
      context: 'access',
      msg: 'request',
      method: 'GET',
      route: '/families',
      status: 200,
      durationMs: 3.2,
    });
    const text = plainText(line);
    expect(text).toBe('12:04:05.123 INFO  [access] request method=GET route=/families status=200 durationMs=3.2');
    expect(text).not.toMatch(ANSI);
    const withError = plainText(
      JSON.stringify({ level: 'error', time: '2026-09-30T12:04:05.123Z', msg: 'unexpected error', err: { message: 'x', stack: 'Error: x\n    at y' } }),
    );
    expect(withError).toBe('12:04:05.123 ERROR unexpected error\nError: x\n    at y');
  });

  it('reads LOG_LEVEL (default info) and refuses an unknown level', () => {
    expect(readLogLevel({})).toBe('info');
    expect(readLogLevel({ LOG_LEVEL: 'WARN' })).toBe('warn');
    expect(readLogLevel({ LOG_LEVEL: 'silent' })).toBe('silent');
    expect(() => readLogLevel({ LOG_LEVEL: 'verbose' })).toThrow(/LOG_LEVEL/);
  });

  it('at LOG_LEVEL=warn writes no access lines (the hook is not even registered); a 429 still names its request', async () => {
    const raw: string[] = [];
    const db = await createTestDatabase(4);
    const app = await createApp(
      readAppConfig(db.url, { RUN_PROJECTIONS: 'false', RATE_LIMIT_PER_MINUTE: '1' }),
      TEST_AUTH,
      createLogger({ level: 'warn', destination: { write: (l: string) => void raw.push(l) } }),
    );
    try {
      await app.init();
      const fastify = app.getHttpAdapter().getInstance();
      const response = await fastify.inject({
        method: 'GET',
        url: '/families',
        headers: { authorization: `Bearer ${tokenFor({ userId: 'u', role: 'caseworker', unit: 'NAV' })}` },
      });
      expect(response.statusCode).toBe(200);
      expect(response.headers['x-request-id']).toMatch(UUID);
      const limited = await fastify.inject({
        method: 'GET',
        url: '/families',
        headers: { authorization: `Bearer ${tokenFor({ userId: 'u', role: 'caseworker', unit: 'NAV' })}`, 'x-request-id': 'limited-1' },
      });
      expect(limited.statusCode).toBe(429);
      expect(limited.headers['x-request-id']).toBe('limited-1');
      expect(limited.json()).toMatchObject({ code: 'RATE_LIMITED', requestId: 'limited-1' });
      expect(raw.filter((l) => l.includes('"level":"info"') || l.includes('"level":"debug"'))).toEqual([]);
    } finally {
      await app.close();
      await db.drop();
    }
  });
});
