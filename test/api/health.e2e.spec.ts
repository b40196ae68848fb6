import { randomUUID } from 'node:crypto';
import { Client } from 'pg';
import { EVENT_STORE, EventStore } from '@familievedtak/event-store';
import { ProjectionDaemon } from '@familievedtak/projections';
import { PROBE_ROUTES } from '../../apps/api/src/auth/public.decorator';
import { withTimeout } from '../../apps/api/src/health/readiness';
import { createTestApp, TestApp } from '../support/test-app';

describe('API: /health and OpenAPI (PostgreSQL)', () => {
  let api: TestApp;
  let store: EventStore;

  beforeAll(async () => {
    api = await createTestApp();
    store = api.app.get(EVENT_STORE);
  });
  afterAll(() => api.close());

  const get = (url: string) => api.inject('GET', url, {});

  it('reports database, event store and projection lag', async () => {
    await store.appendToStream(`family-${randomUUID()}`, [{ id: randomUUID(), type: 'FamilyRegistered', data: {} }]);
    await store.appendToStream(`family-${randomUUID()}`, [{ id: randomUUID(), type: 'FamilyRegistered', data: {} }]);
    const response = await get('/health');
    expect(response.statusCode).toBe(200);
    const body = response.json();
    expect(body).toMatchObject({
      status: 'ok',
      database: { ok: true },
      eventStore: { kind: 'postgres', ok: true, headPosition: (await store.headPosition()).toString() },
    });
    // This instance was told not to run projections, so each is 2 events behind; the stream
    // catalogue also has the 4 events of the shipped rule sets loaded at start-up to catch up on.
    expect(body.projections).toContainEqual({ name: 'stream-catalogue', state: 'stopped', checkpoint: '0', lag: 2 + 4 });
    expect(body.projections).toContainEqual({ name: 'family-view', state: 'stopped', checkpoint: '0', lag: 2 });
  });

  it('serves the OpenAPI document and its UI', async () => {
    const json = await get('/docs-json');
    expect(json.statusCode).toBe(200);
    expect(Object.keys(json.json().paths)).toContain('/health');
    const ui = await get('/docs');
    expect(ui.statusCode).toBe(200);
    expect(ui.headers['content-type']).toContain('text/html');
  });

  it('/health/live: 200 without a token, touching nothing', async () => {
    const response = await get('/health/live');
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({ status: 'ok' });
  });

  it('/health/ready: ready without running projections when RUN_PROJECTIONS=false (the runners are stopped by design)', async () => {
    const response = await get('/health/ready');
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({
      status: 'ready',
      database: { ok: true },
      eventStore: { kind: 'postgres', ok: true },
      runsProjections: false,
      projections: [
        { name: 'stream-catalogue', state: 'stopped', ok: true },
        { name: 'family-view', state: 'stopped', ok: true },
      ],
    });
  });

  it('lists the three probes in the OpenAPI document, each body with the properties its 200 documents', async () => {
    type Schema = { $ref?: string; allOf?: Schema[]; properties?: Record<string, unknown>; required?: string[] };
    const document = (await get('/docs-json')).json() as {
      paths: Record<string, { get?: { responses: Record<string, { content: Record<string, { schema: Schema }> }> } }>;
      components: { schemas: Record<string, Schema> };
    };
    expect(
      Object.keys(document.paths)
        .filter((path) => path.startsWith('/health'))
        .sort(),
    ).toEqual(PROBE_ROUTES.map((route) => route.slice('GET '.length)).sort());
    // Own and inherited properties (ReadinessReport extends the checks: swagger writes them out in full).
    const resolve = (schema: Schema): Schema => (schema.$ref ? resolve(document.components.schemas[schema.$ref.split('/').pop()!]) : schema);
    const mismatches: string[] = [];
    for (const route of PROBE_ROUTES) {
      const path = route.slice('GET '.length);
      const schema = resolve(document.paths[path].get!.responses['200'].content['application/json'].schema);
      const body = (await get(path)).json() as Record<string, unknown>;
      const documented = Object.keys(schema.properties ?? {});
      const undocumented = Object.keys(body).filter((key) => !documented.includes(key));
      const missing = (schema.required ?? []).filter((key) => !(key in body));
      if (undocumented.length || missing.length) mismatches.push(`${route}: undocumented ${undocumented.join(',')}; missing ${missing.join(',')}`);
    }
    expect(mismatches).toEqual([]);
  });

  it('answers 400 problem details to a NUL in the URL, its only documented 400 (it reads neither query nor body)', async () => {
    const fastify = api.app.getHttpAdapter().getInstance();
    const answers: string[] = [];
    for (const route of PROBE_ROUTES) {
      const url = route.slice('GET '.length);
      const nul = await fastify.inject({ method: 'GET', url: `${url}?x=%00` });
      answers.push(`${url} NUL: ${nul.statusCode} ${String(nul.headers['content-type']).split(';')[0]}`);
      answers.push(`${url} bad query: ${(await fastify.inject({ method: 'GET', url: `${url}?x=%ZZ` })).statusCode}`);
      answers.push(
        `${url} bad body: ${(await fastify.inject({ method: 'GET', url, headers: { 'content-type': 'application/json' }, payload: '{' })).statusCode}`,
      );
    }
    expect(answers).toEqual(
      PROBE_ROUTES.map((route) => route.slice('GET '.length)).flatMap((url) => [
        `${url} NUL: 400 application/problem+json`,
        `${url} bad query: 200`,
        `${url} bad body: 200`,
      ]),
    );
  });

  it('bounds a check that hangs (withTimeout)', async () => {
    const hung = new Promise<never>(() => undefined);
    const started = Date.now();
    await expect(withTimeout(hung, 50, 'the database')).rejects.toMatchObject({ code: 'ETIMEDOUT', message: 'the database did not answer within 50 ms' });
    expect(Date.now() - started).toBeLessThan(2000);
    await expect(withTimeout(Promise.resolve(7), 50, 'x')).resolves.toBe(7);
  });
});

describe('API: /health/ready with projections running, a database outage and a stopped projection (PostgreSQL)', () => {
  let api: TestApp;
  let admin: Client;
  let database: string;
  let daemon: ProjectionDaemon;

  const ready = () => api.inject('GET', '/health/ready', {});
  /** Waits (on the runners' own change signal, not a clock) until every runner is in `state`. */
  const untilEveryRunner = async (state: string, timeoutMs = 20000) => {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const runners = ['stream-catalogue', 'family-view'].map((name) => daemon.runner(name)!);
      if (runners.every((r) => r.status().state === state)) return;
      if (Date.now() > deadline) throw new Error(`runners not ${state}: ${JSON.stringify(runners.map((r) => r.status()))}`);
      await Promise.race(runners.map((r) => r.nextChange(1000)));
    }
  };

  beforeAll(async () => {
    api = await createTestApp({ runProjections: true, poolSize: 5 });
    // The test's own pool loses its connections too: an idle client's error must not end the run.
    api.db.pool.on('error', () => undefined);
    daemon = api.app.get(ProjectionDaemon);
    database = new URL(api.db.url).pathname.slice(1);
    admin = new Client({ connectionString: process.env.FV_TEST_ADMIN_URL });
    await admin.connect();
  });
  afterAll(async () => {
    await admin.query(`ALTER DATABASE ${database} ALLOW_CONNECTIONS true`).catch(() => undefined);
    await admin.end();
    await api?.close();
  });

  it('is ready once every projection runner is running', async () => {
    await untilEveryRunner('running');
    const response = await ready();
    expect(response.statusCode).toBe(200);
    expect(response.json()).toMatchObject({
      status: 'ready',
      runsProjections: true,
      projections: [
        { name: 'stream-catalogue', state: 'running', ok: true },
        { name: 'family-view', state: 'running', ok: true },
      ],
    });
  });

  it('answers 503 problem details (NOT_READY, Retry-After) while the database refuses connections; live stays 200; ready again after', async () => {
    await admin.query(`ALTER DATABASE ${database} ALLOW_CONNECTIONS false`);
    await admin.query(`SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()`, [database]);
    try {
      const response = await ready();
      expect(response.statusCode).toBe(503);
      expect(response.headers['content-type']).toContain('application/problem+json');
      expect(response.headers['retry-after']).toBe('5');
      const body = response.json();
      expect(body).toMatchObject({
        type: 'urn:familievedtak:problem:not-ready',
        status: 503,
        code: 'NOT_READY',
        database: { ok: false, error: expect.stringContaining('database unavailable') },
        eventStore: { kind: 'postgres', ok: false },
      });
      expect(body.detail).toMatch(/^Not ready: the database does not answer/);
      // Public: no host, port, database name or SQL.
      expect(response.body).not.toMatch(/127\.0\.0\.1|localhost|fv_test_|SELECT/);

      const live = await api.inject('GET', '/health/live', {});
      expect(live.statusCode).toBe(200);
      expect(live.json()).toEqual({ status: 'ok' });
    } finally {
      await admin.query(`ALTER DATABASE ${database} ALLOW_CONNECTIONS true`);
    }
    // The pool reconnects on the next request: no restart of the API.
    const after = await ready();
    expect(after.statusCode).toBe(200);
    expect(after.json()).toMatchObject({ status: 'ready', database: { ok: true }, eventStore: { ok: true } });
  });

  it('answers 503 naming a projection that is not running on an instance that should run it', async () => {
    await untilEveryRunner('running');
    expect((await ready()).statusCode).toBe(200);
    await daemon.runner('family-view')!.stop();
    const response = await ready();
    expect(response.statusCode).toBe(503);
    expect(response.json()).toMatchObject({
      code: 'NOT_READY',
      detail: 'Not ready: projection family-view is stopped.',
      database: { ok: true },
      projections: [
        { name: 'stream-catalogue', state: 'running', ok: true },
        { name: 'family-view', state: 'stopped', ok: false },
      ],
    });
  });
});
