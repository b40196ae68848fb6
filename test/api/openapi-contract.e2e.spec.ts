import { PROBE_ROUTES } from '../../apps/api/src/auth/public.decorator';
import { PROBE_PROBLEM_STATUS } from '../../apps/api/src/health/probe-route.decorator';
import { DOMAIN_CODES, statusOfCode } from '../../apps/api/src/shared/openapi/problem-codes';
import { createTestApp, TestApp } from '../support/test-app';

/**
 * The OpenAPI document is the contract a client team generates its client from: every
 * operation has a readable operationId, a success body schema and problem details for its
 * errors, with the codes it can answer; types say what the values are. Each check lists the
 * offenders, so a route added without its contract shows by name.
 */
type Schema = Record<string, unknown> & { $ref?: string; type?: string; nullable?: boolean; properties?: Record<string, Schema>; allOf?: Schema[] };
interface Operation {
  operationId?: string;
  requestBody?: { content?: Record<string, { schema?: Schema }> };
  responses?: Record<string, { content?: Record<string, { schema?: Schema }> }>;
  'x-problem-codes'?: Record<string, string[]>;
}
interface Document {
  paths: Record<string, Record<string, Operation>>;
  components: { schemas: Record<string, Schema> };
}

const PROBLEM_REF = '#/components/schemas/ProblemDetailsDto';

describe('OpenAPI document: a contract for client generation', () => {
  let api: TestApp;
  let document: Document;
  let operations: Array<{ label: string; operation: Operation }>;

  beforeAll(async () => {
    api = await createTestApp({ poolSize: 2 });
    document = (await api.inject('GET', '/docs-json', {})).json();
    operations = Object.entries(document.paths).flatMap(([path, methods]) =>
      Object.entries(methods).map(([method, operation]) => ({ label: `${method.toUpperCase()} ${path}`, operation })),
    );
  });
  afterAll(() => api?.close());

  const problemSchema = (schema: Schema | undefined) => schema?.$ref === PROBLEM_REF || schema?.allOf?.[0]?.$ref === PROBLEM_REF;

  it('lists the health probes with the rest of the API', () => {
    expect(PROBE_ROUTES.filter((route) => !operations.some(({ label }) => label === route))).toEqual([]);
  });

  it('gives every operation a readable, unique operationId (no Controller_method names)', () => {
    expect(operations.length).toBeGreaterThan(40);
    expect(
      operations
        .filter(({ operation }) => !/^[a-z][A-Za-z0-9]+$/.test(operation.operationId ?? ''))
        .map(({ label, operation }) => `${label}: ${operation.operationId}`),
    ).toEqual([]);
    const ids = operations.map(({ operation }) => operation.operationId);
    expect(ids.filter((id, i) => ids.indexOf(id) !== i)).toEqual([]);
  });

  it('gives every operation a 2xx response with a body schema', () => {
    const offenders = operations.filter(({ operation }) => {
      const success = Object.entries(operation.responses ?? {}).filter(([status]) => status.startsWith('2'));
      return success.length === 0 || success.some(([, response]) => !Object.values(response.content ?? {}).some((media) => media.schema));
    });
    expect(offenders.map(({ label }) => label)).toEqual([]);
  });

  it('documents problem details (application/problem+json, the ProblemDetails schema) for 400, 429, 503 and, behind the guard, 401 and 403; the probes only 400', () => {
    const offenders: string[] = [];
    for (const { label, operation } of operations) {
      const responses = operation.responses ?? {};
      const probe = PROBE_ROUTES.includes(label);
      const required = probe ? ['400'] : ['400', '401', '403', '429', '503'];
      for (const status of required)
        if (!problemSchema(responses[status]?.content?.['application/problem+json']?.schema)) offenders.push(`${label}: ${status}`);
      // Public and outside the rate limit (hardening.ts): a probe cannot answer these.
      if (probe) for (const status of ['401', '403', '429']) if (responses[status]) offenders.push(`${label}: documents ${status}`);
      for (const [status, response] of Object.entries(responses)) {
        // A probe's 503 may be its own report (GET /health), as long as it has a schema.
        const ownReport = probe && status === '503' && !!response.content?.['application/json']?.schema;
        if (Number(status) >= 400 && !ownReport && !problemSchema(response.content?.['application/problem+json']?.schema))
          offenders.push(`${label}: ${status} is not problem details`);
      }
    }
    expect(offenders).toEqual([]);
  });

  it('lists the problem codes per status, each under the status its error answers with, and as an enum of code', () => {
    const offenders: string[] = [];
    const documented = new Set<string>();
    for (const { label, operation } of operations) {
      for (const [status, codes] of Object.entries(operation['x-problem-codes'] ?? {})) {
        const schema = operation.responses?.[status]?.content?.['application/problem+json']?.schema;
        const enumerated = (schema?.allOf?.[1]?.properties as Record<string, { enum?: string[] }> | undefined)?.code?.enum;
        if (JSON.stringify(enumerated) !== JSON.stringify(codes))
          offenders.push(`${label} ${status}: enum ${JSON.stringify(enumerated)} vs ${JSON.stringify(codes)}`);
        for (const code of codes) {
          documented.add(code);
          if (String(PROBE_PROBLEM_STATUS[code] ?? statusOfCode(code)) !== status) offenders.push(`${label}: ${code} under ${status}`);
        }
      }
    }
    expect(offenders).toEqual([]);
    // Every code a command route can raise shows on some route, REVISION_CONFLICT with them.
    expect(
      ['REVISION_CONFLICT', 'DATABASE_UNAVAILABLE', 'BUDGET_EXCEEDED', 'MEMBER_NOT_FOUND', 'INVALID_RULE_SET_DOCUMENT', 'NOT_READY'].filter(
        (code) => !documented.has(code),
      ),
    ).toEqual([]);
    expect(DOMAIN_CODES.length).toBeGreaterThan(60);
  });

  it('types values as they are: no untyped nullables (object), no float where the value is whole', () => {
    const offenders: string[] = [];
    const walk = (value: unknown, path: string) => {
      if (!value || typeof value !== 'object') return;
      const schema = value as Schema;
      if (schema.type === 'object' && schema.nullable && !schema.properties && !schema.additionalProperties) offenders.push(`${path}: nullable object`);
      // Floats only where a fraction is meant (health latency in ms).
      if (schema.type === 'number' && !path.endsWith('latencyMs')) offenders.push(`${path}: number (integer?)`);
      if (/Ore$|Count$|revision$/.test(path) && schema.type && schema.type !== 'integer' && schema.type !== 'object') offenders.push(`${path}: ${schema.type}`);
      for (const [key, child] of Object.entries(value)) walk(child, `${path}.${key}`);
    };
    walk(document.components.schemas, 'components');
    walk(document.paths, 'paths');
    expect(offenders).toEqual([]);
  });

  it('types ids and dates in the request bodies (uuid, date)', () => {
    const schemas = document.components.schemas;
    const property = (schema: string, name: string) => schemas[schema]?.properties?.[name] as Schema | undefined;
    expect(property('RecordPaymentDto', 'answersNeedId')).toMatchObject({ type: 'string', format: 'uuid', nullable: true });
    expect(property('RecordPaymentDto', 'amountOre')).toMatchObject({ type: 'integer' });
    expect(property('RecordPaymentDto', 'paidOn')).toMatchObject({ type: 'string', format: 'date' });
    expect(property('RegisterFamilyDto', 'familyId')).toMatchObject({ type: 'string', format: 'uuid' });
    expect(property('FamilyViewDto', 'registeredAt')).toMatchObject({ type: 'string', format: 'date-time', nullable: true });
  });

  it('describes the rule-set document with the schema drafts are checked against', () => {
    expect(document.components.schemas.DelegationRuleSetDocument).toMatchObject({ type: 'object', required: ['id', 'name', 'effectiveFrom', 'rules'] });
    const draft = document.paths['/rule-sets'].post.requestBody?.content ?? {};
    expect(Object.keys(draft).sort()).toEqual(['application/json', 'text/yaml']);
    expect(draft['application/json'].schema).toMatchObject({ required: ['document'] });
  });
});
