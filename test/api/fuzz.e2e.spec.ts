import { randomUUID } from 'node:crypto';
import fc from 'fast-check';
import type { LightMyRequestResponse } from 'fastify';
import type { Role } from '@familievedtak/domain';
import { PROBE_ROUTES, PUBLIC_ROUTES } from '../../apps/api/src/auth/public.decorator';
import { ROUTE_POLICIES } from '../../apps/api/src/auth/route-policies';
import {
  BODY_LIMIT,
  HOSTILE_PATH_PARAMS,
  KnownIds,
  OpenApiDocument,
  Operation,
  headerSafe,
  hostileString,
  hostileValue,
  mutate,
  mutation,
  nested,
  operationsOf,
  resolver,
  validArbitrary,
} from '../support/openapi-fuzz';
import { createTestApp, headersFor, TestApp, TokenRequest } from '../support/test-app';
import { RED_CROSS } from '../support/parts';

/**
 * Fuzzes every operation of the OpenAPI document with malformed, oversized and hostile input,
 * as a role the route admits (so requests get past the guard). Never a 500; an error answer is
 * problem details without stack trace or SQL; a refused request appends no event.
 *
 * Reproduce a run with FC_SEED=<seed> (printed on failure); FC_RUNS sets the generated cases
 * per operation (default 30), on top of the fixed transport cases.
 */
const SEED = process.env.FC_SEED ? Number(process.env.FC_SEED) : Date.now() % 2 ** 31;
const RUNS = process.env.FC_RUNS ? Number(process.env.FC_RUNS) : 30;

const caller = (role: Role): TokenRequest =>
  role === 'caseworker' || role === 'approver' || role === 'unit-leader'
    ? { userId: `nav-${role}`, role, unit: 'NAV' }
    : role === 'partner'
      ? { userId: 'rk-partner', role, org: RED_CROSS }
      : { userId: `${role}-1`, role };

interface FuzzRequest {
  method: 'GET' | 'POST' | 'PUT';
  url: string;
  headers: Record<string, string>;
  payload?: string | Buffer | object;
  label: string;
}

const safeJson = (value: unknown): string => {
  try {
    return JSON.stringify(value) ?? '';
  } catch {
    return '';
  }
};

const STACK = /\n\s+at\s|\bat\s+\S+\s+\(.*:\d+:\d+\)|\.ts:\d+|node_modules/;
const SQL_INTERNALS =
  /QueryFailedError|DatabaseError|syntax error at or near|violates .* constraint|duplicate key value|invalid input syntax for|relation "[a-z_.]+" does not exist|column "[a-z_]+"|FROM event_store\.|INSERT INTO|current transaction is aborted/i;

describe(`API: fuzzed from its OpenAPI document (FC_SEED=${SEED}, FC_RUNS=${RUNS})`, () => {
  let api: TestApp;
  let operations: Operation[];
  let resolve: ReturnType<typeof resolver>;
  let known: KnownIds;
  const ids: Record<string, string> = {};

  beforeAll(async () => {
    api = await createTestApp({ poolSize: 5 });
    const document = (await api.inject('GET', '/docs-json', {})).json() as OpenApiDocument;
    operations = operationsOf(document);
    resolve = resolver(document);
    // A family for the family-scoped routes to reach the domain with.
    ids.familyId = randomUUID();
    ids.memberId = randomUUID();
    ids.childId = randomUUID();
    const registered = await api.inject('POST', '/families', headersFor(caller('caseworker')), {
      familyId: ids.familyId,
      district: 'Heimdal',
      members: [
        { memberId: ids.memberId, name: 'Amina', birthDate: '1988-03-02', role: 'adult' },
        { memberId: ids.childId, name: 'Yusuf', birthDate: '2016-09-14', role: 'child' },
      ],
      parentalResponsibility: [{ childId: ids.childId, holderId: ids.memberId }],
    });
    expect(registered.statusCode).toBe(201);
    known = { uuids: [ids.familyId, ids.memberId, ids.childId] };
  });
  afterAll(() => api?.close());

  /** A path parameter: the seeded family or member, a fresh UUID, or something hostile. */
  const pathParam = (name: string): fc.Arbitrary<string> =>
    fc.oneof(
      { weight: 6, arbitrary: fc.constant(name === 'familyId' ? ids.familyId : name === 'memberId' ? ids.memberId : randomUUID()) },
      { weight: 1, arbitrary: fc.uuid({ version: 4 }) },
      { weight: 3, arbitrary: fc.constantFrom(...HOSTILE_PATH_PARAMS) },
      { weight: 1, arbitrary: fc.string({ maxLength: 30 }).map(encodeURIComponent) },
    );

  /** A token of a role the route admits; none for a public route (the probes). */
  const tokenFor = (operation: Operation): Record<string, string> =>
    PUBLIC_ROUTES.includes(operation.route) ? {} : headersFor(caller(ROUTE_POLICIES[operation.route][0]));

  function requestArbitrary(operation: Operation): fc.Arbitrary<FuzzRequest> {
    const token = tokenFor(operation);
    const pathParams = operation.parameters.filter((p) => p.in === 'path');
    const queryParams = operation.parameters.filter((p) => p.in === 'query');
    const headerParams = operation.parameters.filter((p) => p.in === 'header');
    const path = fc.tuple(...pathParams.map((p) => pathParam(p.name))).map((values) => {
      let url = operation.path;
      pathParams.forEach((p, i) => (url = url.replace(`{${p.name}}`, values[i])));
      return url;
    });
    const query = fc.tuple(
      ...queryParams.map((p) =>
        fc.option(
          fc.oneof(
            validArbitrary(p.schema, resolve, known).map((v) => (Array.isArray(v) ? v.map(String) : String(v))),
            hostileString,
            fc.array(hostileString, { minLength: 2, maxLength: 3 }),
          ),
          { nil: undefined },
        ),
      ),
    );
    // Mostly absent: a hostile X-Act-As-Unit is refused (403) before the body is even looked at.
    const headers = fc.tuple(
      ...headerParams.map(() => fc.oneof({ weight: 9, arbitrary: fc.constant(undefined) }, { weight: 1, arbitrary: hostileString.map(headerSafe) })),
    );
    const validBody = operation.body ? validArbitrary(operation.body, resolve, known) : fc.constant({});
    const body = fc.oneof(
      { weight: 2, arbitrary: validBody },
      { weight: 6, arbitrary: fc.tuple(validBody, fc.array(mutation, { minLength: 1, maxLength: 3 })).map(([v, m]) => mutate(v, m)) },
      { weight: 1, arbitrary: hostileValue },
    );
    return fc
      .record({ path, query, headers, body, encoding: fc.constantFrom('object', 'object', 'object', 'text', 'yaml') })
      .map(({ path, query, headers, body, encoding }) => {
        const search = new URLSearchParams();
        queryParams.forEach((p, i) => {
          const value = query[i];
          if (Array.isArray(value)) value.forEach((v) => search.append(p.name, v));
          else if (value !== undefined) search.append(p.name, value);
        });
        const all: Record<string, string> = { ...token };
        headerParams.forEach((p, i) => {
          if (headers[i] !== undefined) all[p.name.toLowerCase()] = headers[i] as string;
        });
        const url = search.size ? `${path}?${search.toString()}` : path;
        if (operation.method === 'GET') return { method: operation.method, url, headers: all, label: 'generated' };
        if (encoding === 'yaml') {
          return {
            method: operation.method,
            url,
            headers: { ...all, 'content-type': 'text/yaml' },
            payload: typeof body === 'string' ? body : safeJson(body),
            label: 'generated yaml',
          };
        }
        let json: string | undefined;
        try {
          json = JSON.stringify(body);
        } catch {
          json = '{"circular":true}';
        }
        if (json === undefined || json.length > 2 * BODY_LIMIT) {
          return { method: operation.method, url, headers: { ...all, 'content-type': 'application/json' }, payload: 'null', label: 'generated' };
        }
        return { method: operation.method, url, headers: { ...all, 'content-type': 'application/json' }, payload: json, label: 'generated' };
      });
  }

  /** Transport-level cases for a body-taking operation: bytes, encodings and sizes. */
  function transportCases(operation: Operation): FuzzRequest[] {
    const token = tokenFor(operation);
    const url = operation.path
      .replace(/\{familyId\}/g, ids.familyId)
      .replace(/\{memberId\}/g, ids.memberId)
      .replace(/\{[^}]+\}/g, () => randomUUID());
    const json = { ...token, 'content-type': 'application/json' };
    const c = (label: string, headers: Record<string, string>, payload?: string | Buffer): FuzzRequest => ({
      method: operation.method,
      url,
      headers,
      payload,
      label,
    });
    const filler = (size: number) => JSON.stringify({ familyId: ids.familyId, district: 'x'.repeat(size) });
    const cases = [
      c('invalid UTF-8 bytes', json, Buffer.from([0x7b, 0x22, 0x61, 0x22, 0x3a, 0x22, 0xc3, 0x28, 0xff, 0xfe, 0xed, 0xa0, 0x80, 0x22, 0x7d])),
      c('invalid UTF-8 only', json, Buffer.from([0xff, 0xfe, 0xfd])),
      c('UTF-16 BOM body', json, Buffer.from('\ufeff{"a":1}', 'utf16le')),
      c('invalid JSON', json, '{"familyId": '),
      c('invalid JSON: trailing comma', json, '{"a":1,}'),
      c('invalid JSON: single quotes', json, "{'a':1}"),
      c('JSON with NUL escape', json, '{"district":"a\\u0000b","familyId":"\\u0000"}'),
      c('JSON with lone surrogate escapes', json, '{"district":"\\ud800","name":"\\udfff"}'),
      c('JSON __proto__ key', json, '{"__proto__":{"isAdmin":true},"constructor":{"prototype":{"x":1}}}'),
      c('empty JSON body', json, ''),
      c('JSON null', json, 'null'),
      c('JSON number', json, '1e308'),
      c('JSON string', json, '"\'; DROP TABLE event_store.events; --"'),
      c('JSON array', json, '[{"a":1}]'),
      c('deeply nested JSON', json, `${'{"a":['.repeat(5_000)}1${']}'.repeat(5_000)}`),
      c('nested JSON', json, JSON.stringify({ familyId: ids.familyId, district: nested(150), members: [nested(150)] })),
      c('just under the body limit', json, filler(BODY_LIMIT - 200)),
      c('just over the body limit', json, filler(BODY_LIMIT + 10)),
      c('text/plain', { ...token, 'content-type': 'text/plain' }, 'hello'),
      c('application/xml', { ...token, 'content-type': 'application/xml' }, '<a><![CDATA[x]]></a>'),
      c('multipart without boundary', { ...token, 'content-type': 'multipart/form-data' }, '--x\r\n'),
      c('form urlencoded', { ...token, 'content-type': 'application/x-www-form-urlencoded' }, 'a=1&b=%ZZ'),
      c('garbage content type', { ...token, 'content-type': ';;;==' }, '{}'),
      c('json with odd charset', { ...token, 'content-type': 'application/json; charset=latin1' }, '{"a":"\xe6"}'),
      c('yaml: invalid', { ...token, 'content-type': 'text/yaml' }, 'a: [b\n  - : :'),
      c(
        'yaml: alias bomb',
        { ...token, 'content-type': 'text/yaml' },
        'a: &a ["x","x","x","x","x","x","x","x","x"]\nb: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]\nc: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]\nd: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]\ne: [*d,*d,*d,*d,*d,*d,*d,*d,*d]\n',
      ),
      c('yaml: tags', { ...token, 'content-type': 'text/yaml' }, '!!js/function "function(){}"\n'),
      c('yaml: invalid UTF-8', { ...token, 'content-type': 'text/yaml' }, Buffer.from([0x61, 0x3a, 0x20, 0xff, 0xc0])),
    ];
    return operation.method === 'GET' ? [] : cases;
  }

  /** Answers by status class, per run: shows the fuzzer reaches the domain (2xx, 404, 409, 422), not only validation. */
  const statuses = new Map<number, number>();

  async function check(request: FuzzRequest, failures: string[]): Promise<void> {
    const before = await api.eventCount();
    let response: LightMyRequestResponse;
    try {
      response = await api.app
        .getHttpAdapter()
        .getInstance()
        .inject({ method: request.method, url: request.url, headers: request.headers, payload: request.payload });
    } catch (error) {
      failures.push(`${request.label} ${request.method} ${request.url.slice(0, 200)}: inject threw ${String(error)}`);
      return;
    }
    const after = await api.eventCount();
    statuses.set(response.statusCode, (statuses.get(response.statusCode) ?? 0) + 1);
    const describe = () =>
      `${request.label} ${request.method} ${request.url.slice(0, 200)} ${typeof request.payload === 'string' ? request.payload.slice(0, 300) : request.payload instanceof Buffer ? `<${request.payload.length} bytes>` : ''} -> ${response.statusCode} ${response.body.slice(0, 300)}`;
    if (response.statusCode >= 500) failures.push(`5xx: ${describe()}`);
    if (response.statusCode >= 400) {
      if (after !== before) failures.push(`appended ${after - before} event(s) on refusal: ${describe()}`);
      let body: { status?: unknown; title?: unknown; type?: unknown } | undefined;
      try {
        body = response.json();
      } catch {
        failures.push(`error body is not JSON: ${describe()}`);
      }
      if (body && (body.status !== response.statusCode || typeof body.title !== 'string' || typeof body.type !== 'string'))
        failures.push(`not problem details: ${describe()}`);
      if (!String(response.headers['content-type']).includes('json')) failures.push(`error content type ${response.headers['content-type']}: ${describe()}`);
      if (STACK.test(response.body)) failures.push(`stack trace in body: ${describe()}`);
      if (SQL_INTERNALS.test(response.body)) failures.push(`SQL in body: ${describe()}`);
    }
  }

  it('finds the whole API in the document, with a permitted role for every operation', () => {
    expect(operations.length).toBeGreaterThan(40);
    expect(operations.filter((o) => !PUBLIC_ROUTES.includes(o.route) && !ROUTE_POLICIES[o.route]).map((o) => o.route)).toEqual([]);
    expect(PROBE_ROUTES.filter((route) => !operations.some((o) => o.route === route))).toEqual([]);
  });

  it('never answers 500, always answers problem details, and appends nothing on refusal, for every operation', async () => {
    const failures: string[] = [];
    let requests = 0;
    for (const operation of operations) {
      for (const request of transportCases(operation)) {
        await check(request, failures);
        requests += 1;
      }
      await fc.assert(
        fc.asyncProperty(requestArbitrary(operation), async (request) => {
          await check(request, failures);
          requests += 1;
        }),
        { seed: SEED + operations.indexOf(operation), numRuns: RUNS, endOnFailure: true },
      );
    }
    // One message per distinct failure (by status line), so a systematic bug does not drown the rest.
    const distinct = [...new Map(failures.map((f) => [f.replace(/[0-9a-f]{8}-[0-9a-f-]{27}/g, '<uuid>').slice(0, 120), f])).values()];
    console.log(
      `fuzz: ${requests} requests over ${operations.length} operations (FC_SEED=${SEED}, FC_RUNS=${RUNS}); statuses ${JSON.stringify(Object.fromEntries([...statuses].sort(([a], [b]) => a - b)))}`,
    );
    expect(distinct).toEqual([]);
    expect([...statuses.keys()].filter((s) => s < 300).length).toBeGreaterThan(0);
    expect(requests).toBeGreaterThan(operations.length * RUNS);
    // ~1,700 requests: about 30 s alone, longer beside the other suites on two cores.
  }, 300_000);
});

/** The bugs the fuzzer found, one case each (they answered 500, 503 or non-problem JSON). */
describe('API: fuzz regressions', () => {
  let api: TestApp;
  const caseworker = headersFor({ userId: 'nav-kari', role: 'caseworker', unit: 'NAV' });
  const json = { ...caseworker, 'content-type': 'application/json' };
  let familyId: string;
  let memberId: string;
  beforeAll(async () => {
    api = await createTestApp({ poolSize: 5 });
    familyId = randomUUID();
    memberId = randomUUID();
    const registered = await api.inject('POST', '/families', caseworker, {
      familyId,
      district: 'Heimdal',
      members: [{ memberId, name: 'Amina', birthDate: '1988-03-02', role: 'adult' }],
    });
    expect(registered.statusCode).toBe(201);
  });
  afterAll(() => api?.close());

  const problem = (response: LightMyRequestResponse, status: number) => {
    expect({ status: response.statusCode, type: response.headers['content-type'] }).toEqual({
      status,
      type: expect.stringContaining('application/problem+json'),
    });
    expect(response.json()).toMatchObject({ status, type: `urn:familievedtak:problem:http-${status}` });
  };

  it('refuses a JSON body nested 5000 deep with 400 (it overflowed the stack: 500)', async () => {
    const before = await api.eventCount();
    problem(await api.inject('POST', `/families/${familyId}/needs`, json, `${'{"a":['.repeat(5_000)}1${']}'.repeat(5_000)}`), 400);
    // Within the limit the DTO validation answers as before.
    problem(await api.inject('POST', `/families/${familyId}/needs`, json, JSON.stringify({ memberId, words: nested(40) })), 400);
    expect(await api.eventCount()).toBe(before);
  });

  it('answers bad percent-encoding (400) and an over-long path segment (414) with problem details, not Fastify JSON', async () => {
    for (const url of ['/families/%ZZ', '/families/%C0%AF/needs', '/rule-sets/%/retire']) problem(await api.inject('GET', url, caseworker), 400);
    const long = await api.inject('GET', `/families/${'x'.repeat(5_000)}`, caseworker);
    problem(long, 414);
    expect(long.body).not.toContain('xxxxxxxxxx');
  });

  it('refuses NUL in a path parameter or the query with 400 (the read audit failed its batch: 503; rule sets: 500)', async () => {
    const nul = await api.inject('GET', '/families/%00', caseworker);
    problem(nul, 400);
    // Like every problem: the request id, as in the X-Request-Id header and the access log.
    expect(nul.json().requestId).toBe(nul.headers['x-request-id']);
    problem(await api.inject('GET', `/families/${familyId}%00`, caseworker), 400);
    problem(await api.inject('GET', '/rule-sets/%00', headersFor({ userId: 'ra-1', role: 'rules-analyst' })), 400);
    problem(await api.inject('GET', '/audit/reads?familyId=a%00b', headersFor({ userId: 'auditor-1', role: 'auditor' })), 400);
    // The read audit still records (and answers) the next read.
    expect((await api.inject('GET', `/families/${familyId}/stream-state`, caseworker)).statusCode).toBe(200);
  });

  it('refuses NUL anywhere in a JSON or YAML body with 400 and appends nothing (jsonb cannot store it)', async () => {
    const before = await api.eventCount();
    problem(await api.inject('POST', `/families/${familyId}/needs`, json, JSON.stringify({ memberId, words: 'nul\u0000byte' })), 400);
    problem(await api.inject('POST', `/families/${familyId}/needs`, json, JSON.stringify({ memberId, words: 'ok', ['x\u0000']: 1 })), 400);
    problem(
      await api.inject('POST', '/rule-sets', { ...headersFor({ userId: 'ra-1', role: 'rules-analyst' }), 'content-type': 'text/yaml' }, 'id: a\u0000b\n'),
      400,
    );
    expect(await api.eventCount()).toBe(before);
  });

  it('answers a YAML alias bomb posted as a rule set with 422 (the YAML reader threw ReferenceError: 500)', async () => {
    const bomb =
      'a: &a ["x","x","x","x","x","x","x","x","x"]\nb: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]\nc: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]\nd: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]\ne: [*d,*d,*d,*d,*d,*d,*d,*d,*d]\n';
    const before = await api.eventCount();
    const response = await api.inject('POST', '/rule-sets', { ...headersFor({ userId: 'ra-1', role: 'rules-analyst' }), 'content-type': 'text/yaml' }, bomb);
    expect(response.statusCode).toBe(422);
    expect(response.json()).toMatchObject({ status: 422, detail: expect.stringContaining('could not be read') });
    expect(await api.eventCount()).toBe(before);
  });

  it('refuses days that do not exist in query parameters with 400 (GET /families/:id?today=2026-02-30 was a 500)', async () => {
    const auditor = headersFor({ userId: 'auditor-1', role: 'auditor' });
    const answers: Record<string, number> = {};
    for (const [url, headers] of [
      [`/families/${familyId}?today=2026-02-30`, caseworker],
      ['/families?today=2026-13-01', caseworker],
      [`/audit/families/${familyId}/as-of?today=2026-02-30`, auditor],
      [`/audit/families/${familyId}/as-of?at=2026-02-30T12:00:00Z`, auditor],
      [`/audit/families/${familyId}/history?from=2026-02-30`, auditor],
      [`/audit/families/${familyId}/history?until=2026-02-30T25:00:00Z`, auditor],
      ['/audit/reads?from=2026-02-30', auditor],
      ['/audit/reads?until=2026-99-99T00:00:00Z', auditor],
      ['/audit/reads?from=2026-01-01T00:00:00%2B99:00', auditor],
      ['/audit/reads?from=2026-01-01T24:61:00Z', auditor],
    ] as const) {
      answers[url] = (await api.inject('GET', url, headers)).statusCode;
    }
    expect(Object.entries(answers).filter(([, status]) => status !== 400)).toEqual([]);
    // Days and instants that exist still pass.
    for (const query of ['from=2026-01-01', 'from=2026-01-01T10:00:00%2B01:00&until=2026-12-31T23:59:59.999Z', `until=${new Date().toISOString()}`]) {
      expect({ query, status: (await api.inject('GET', `/audit/reads?${query}`, auditor)).statusCode }).toEqual({ query, status: 200 });
    }
    expect((await api.inject('GET', `/families?today=2028-02-29`, caseworker)).statusCode).toBe(200);
  });

  it('answers numbers past bigint in query parameters below 500', async () => {
    const auditor = headersFor({ userId: 'auditor-1', role: 'auditor' });
    const answers: Record<string, number> = {};
    for (const url of [
      `/audit/families/${familyId}/as-of?position=9999999999999999999`,
      `/audit/families/${familyId}/history?after=1e308`,
      `/audit/families/${familyId}/history?after=9223372036854775808`,
      `/audit/families/${familyId}/history?limit=1e308`,
      `/audit/verify?streamId=${'x'.repeat(5000)}`,
      '/audit/verify?streamPrefix=%25',
      '/audit/reads?limit=-0',
    ]) {
      answers[url.slice(0, 120)] = (await api.inject('GET', url, auditor)).statusCode;
    }
    expect(Object.entries(answers).filter(([, status]) => status >= 500)).toEqual([]);
  });

  it('still parses form-encoded and JSON bodies with the replaced parsers, and refuses prototype poisoning', async () => {
    problem(await api.inject('POST', `/families/${familyId}/needs`, json, '{"__proto__":{"isAdmin":true}}'), 400);
    const form = await api.inject(
      'POST',
      `/families/${familyId}/needs`,
      { ...caseworker, 'content-type': 'application/x-www-form-urlencoded' },
      `memberId=${memberId}&words=hei`,
    );
    expect(form.statusCode).toBeLessThan(500);
    const ok = await api.inject('POST', `/families/${familyId}/needs`, json, JSON.stringify({ memberId, words: 'Et sted å bo' }));
    expect(ok.statusCode).toBe(201);
  });
});
