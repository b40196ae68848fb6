import { randomUUID } from 'node:crypto';
import { ROLES, type Role } from '@familievedtak/domain';
import { PUBLIC_ROUTES } from '../../apps/api/src/auth/public.decorator';
import { ROUTE_POLICIES } from '../../apps/api/src/auth/route-policies';
import { createTestApp, Headers, headersFor, TestApp, TokenRequest } from '../support/test-app';
import { RED_CROSS } from '../support/parts';

/** A valid token for each role: municipal staff act for NAV, the partner for Red Cross (by organisation number). */
const caller = (role: Role): TokenRequest =>
  role === 'caseworker' || role === 'approver' || role === 'unit-leader'
    ? { userId: `nav-${role}`, role, unit: 'NAV' }
    : role === 'partner'
      ? { userId: 'rk-partner', role, org: RED_CROSS }
      : { userId: `${role}-1`, role };

/** "GET /families/{familyId}" (OpenAPI) as Fastify names it: "GET /families/:familyId". */
const fastifyRoute = (route: string) => route.replace(/\{([^}]+)\}/g, ':$1');

describe('API: route policies, default deny (PostgreSQL)', () => {
  let api: TestApp;
  let routes: string[];
  beforeAll(async () => {
    api = await createTestApp({ poolSize: 5 });
    const document = (await api.inject('GET', '/docs-json', {})).json() as { paths: Record<string, Record<string, unknown>> };
    routes = [];
    for (const [path, operations] of Object.entries(document.paths)) {
      for (const method of Object.keys(operations)) {
        if (['get', 'post', 'put', 'patch', 'delete'].includes(method)) routes.push(fastifyRoute(`${method.toUpperCase()} ${path}`));
      }
    }
  });
  afterAll(() => api.close());

  it('every route outside the public allow-list has a policy, and every policy is a real route', () => {
    expect(routes.length).toBeGreaterThan(30);
    const guarded = routes.filter((route) => !PUBLIC_ROUTES.includes(route));
    expect(guarded.filter((route) => !(route in ROUTE_POLICIES))).toEqual([]);
    expect(Object.keys(ROUTE_POLICIES).filter((route) => !routes.includes(route))).toEqual([]);
    for (const [route, roles] of Object.entries(ROUTE_POLICIES)) {
      expect({ route, unknown: roles.filter((role) => !(ROLES as readonly string[]).includes(role)) }).toEqual({ route, unknown: [] });
    }
  });

  it('keeps auditors and rules analysts from every family command, and partners to needs and payments', () => {
    const familyCommands = Object.keys(ROUTE_POLICIES).filter((route) => /^(POST|PUT) \/families(\/|$)/.test(route));
    expect(familyCommands.length).toBeGreaterThan(20);
    for (const route of familyCommands) {
      expect({ route, roles: ROUTE_POLICIES[route].filter((r) => r === 'auditor' || r === 'rules-analyst') }).toEqual({ route, roles: [] });
    }
    expect(familyCommands.filter((route) => ROUTE_POLICIES[route].includes('partner')).sort()).toEqual([
      'POST /families/:familyId/needs',
      'POST /families/:familyId/payments',
    ]);
    expect(ROUTE_POLICIES['GET /audit/reads']).toEqual(['auditor']);
  });

  it('gives the part-in-the-case routes (referrals, involvement, enrolments, parental responsibility) to municipal staff only', () => {
    const partRoutes = [
      'POST /families/:familyId/referrals',
      'POST /families/:familyId/referrals/:referralId/accept',
      'POST /families/:familyId/referrals/:referralId/decline',
      'POST /families/:familyId/involvement/close',
      'POST /families/:familyId/enrolments',
      'POST /families/:familyId/enrolments/:enrolmentId/end',
      'POST /families/:familyId/parental-responsibility',
      'POST /families/:familyId/parental-responsibility/end',
    ];
    for (const route of partRoutes) {
      expect({ route, roles: ROUTE_POLICIES[route] }).toEqual({ route, roles: ['caseworker', 'approver', 'unit-leader'] });
      expect(routes).toContain(route);
    }
  });

  it('answers 403 to every role a route does not list, naming role and route, and appends nothing', async () => {
    const before = await api.eventCount();
    const wrong: string[] = [];
    let refusals = 0;
    for (const route of Object.keys(ROUTE_POLICIES)) {
      const [method, path] = route.split(' ');
      const url = path.replace(/:[A-Za-z]+/g, () => randomUUID());
      for (const role of ROLES.filter((r) => !ROUTE_POLICIES[route].includes(r))) {
        const response = await api.inject(method as 'GET' | 'POST' | 'PUT', url, headersFor(caller(role)), {});
        refusals += 1;
        const body = response.json() as { status?: number; detail?: string };
        if (response.statusCode !== 403 || !body.detail?.includes(`role ${role}`) || !body.detail.includes(route)) {
          wrong.push(`${role} ${route}: ${response.statusCode} ${body.detail}`);
        }
      }
    }
    expect(wrong).toEqual([]);
    expect(refusals).toBeGreaterThan(80);
    expect(await api.eventCount()).toBe(before);
  });

  it('lets a listed role past the route gate (what it may then do is the domain’s to decide)', async () => {
    const passed = async (method: 'GET' | 'POST', url: string, headers: Headers, body?: unknown) => {
      const response = await api.inject(method, url, headers, body);
      expect({ url, status: response.statusCode }).not.toEqual({ url, status: 403 });
      return response;
    };
    await passed('GET', '/rule-sets', headersFor(caller('rules-analyst')));
    await passed('GET', '/audit/reads', headersFor(caller('auditor')));
    await passed('GET', `/sub-projects/${randomUUID()}`, headersFor(caller('partner')));
    // Validation runs after the gate: a listed role with an empty body gets 400, not 403.
    expect((await passed('POST', '/families', headersFor(caller('caseworker')), {})).statusCode).toBe(400);
  });

  it('treats HEAD like GET and records a refused family read in the read audit', async () => {
    const familyId = randomUUID();
    const head = await api.app
      .getHttpAdapter()
      .getInstance()
      .inject({ method: 'HEAD', url: `/families/${familyId}`, headers: headersFor(caller('rules-analyst')) });
    expect(head.statusCode).toBe(403);
    const response = await api.inject('GET', `/families/${familyId}`, headersFor(caller('rules-analyst')));
    expect(response.statusCode).toBe(403);
    expect(response.json().detail).toBe(
      'The role rules-analyst may not call GET /families/:familyId (allowed: caseworker, approver, unit-leader, partner, auditor)',
    );
    const { rows } = await api.db.pool.query(`SELECT user_id, role, outcome, status FROM audit.read_access WHERE family_id = $1`, [familyId]);
    expect(rows).toContainEqual({ user_id: 'rules-analyst-1', role: 'rules-analyst', outcome: 'deny', status: 403 });
  });
});
