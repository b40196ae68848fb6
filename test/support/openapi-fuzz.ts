import fc from 'fast-check';

/**
 * Schema-aware input for fuzzing the API from its OpenAPI document: valid-ish values derived
 * from a request schema, and mutations of them (wrong types, missing required fields, unknown
 * fields, huge strings, SQL and script fragments, unicode edge cases, deep nesting).
 */

export interface Schema {
  $ref?: string;
  type?: string;
  format?: string;
  enum?: unknown[];
  items?: Schema;
  properties?: Record<string, Schema>;
  required?: string[];
  nullable?: boolean;
  example?: unknown;
  minimum?: number;
  maximum?: number;
  minLength?: number;
  maxLength?: number;
  oneOf?: Schema[];
  anyOf?: Schema[];
  allOf?: Schema[];
}

export interface Parameter {
  name: string;
  in: 'path' | 'query' | 'header' | 'cookie';
  required?: boolean;
  schema?: Schema;
}

export interface Operation {
  method: 'GET' | 'POST' | 'PUT';
  /** OpenAPI path, e.g. /families/{familyId}. */
  path: string;
  /** Fastify route, e.g. "POST /families/:familyId" (the key of ROUTE_POLICIES). */
  route: string;
  parameters: Parameter[];
  body?: Schema;
}

export interface OpenApiDocument {
  paths: Record<string, Record<string, { parameters?: Parameter[]; requestBody?: { content?: Record<string, { schema?: Schema }> } }>>;
  components?: { schemas?: Record<string, Schema> };
}

export function operationsOf(document: OpenApiDocument): Operation[] {
  const operations: Operation[] = [];
  for (const [path, methods] of Object.entries(document.paths)) {
    for (const [method, operation] of Object.entries(methods)) {
      const upper = method.toUpperCase();
      if (upper !== 'GET' && upper !== 'POST' && upper !== 'PUT') continue;
      operations.push({
        method: upper,
        path,
        route: `${upper} ${path.replace(/\{([^}]+)\}/g, ':$1')}`,
        parameters: operation.parameters ?? [],
        body: operation.requestBody?.content?.['application/json']?.schema,
      });
    }
  }
  return operations;
}

/** Resolves `$ref`s (and a single allOf) against the document's components. */
export function resolver(document: OpenApiDocument): (schema: Schema | undefined) => Schema {
  const resolve = (schema: Schema | undefined): Schema => {
    if (!schema) return {};
    if (schema.$ref) return resolve(document.components?.schemas?.[schema.$ref.replace('#/components/schemas/', '')]);
    if (schema.allOf?.length === 1) return { ...resolve(schema.allOf[0]), ...schema, allOf: undefined };
    return schema;
  };
  return resolve;
}

/** Known ids the valid-ish values draw from, so some requests reach the domain's own checks. */
export interface KnownIds {
  uuids: string[];
}

const isoDate = fc
  .date({ min: new Date('1990-01-01T00:00:00Z'), max: new Date('2030-12-31T00:00:00Z'), noInvalidDate: true })
  .map((d) => d.toISOString().slice(0, 10));

/** A valid-looking value of a schema (types, formats, enums and required fields respected). */
export function validArbitrary(schema: Schema | undefined, resolve: (s: Schema | undefined) => Schema, known: KnownIds, depth = 0): fc.Arbitrary<unknown> {
  const s = resolve(schema);
  if (s.enum?.length) return fc.constantFrom(...s.enum);
  if (s.oneOf?.length || s.anyOf?.length) return fc.oneof(...(s.oneOf ?? s.anyOf ?? []).map((x) => validArbitrary(x, resolve, known, depth + 1)));
  switch (s.type) {
    case 'string':
      if (s.format === 'uuid') return fc.oneof(fc.constantFrom(...known.uuids), fc.uuid({ version: 4 }));
      if (s.format === 'date-time') return isoDate.map((d) => `${d}T12:00:00Z`);
      if (s.format === 'date' || /^\d{4}-\d{2}-\d{2}$/.test(String(s.example ?? ''))) return isoDate;
      if (typeof s.example === 'string') return fc.oneof(fc.constant(s.example), fc.string({ minLength: 1, maxLength: 20 }));
      return fc.string({ minLength: Math.max(1, s.minLength ?? 1), maxLength: Math.min(40, s.maxLength ?? 40) });
    case 'integer':
      return fc.integer({ min: s.minimum ?? 0, max: s.maximum ?? 100_000 });
    case 'number':
      return fc.integer({ min: s.minimum ?? 0, max: s.maximum ?? 100_000 });
    case 'boolean':
      return fc.boolean();
    case 'array':
      return depth > 4 ? fc.constant([]) : fc.array(validArbitrary(s.items, resolve, known, depth + 1), { minLength: 1, maxLength: 3 });
    case 'object':
    default: {
      if (!s.properties) return s.example !== undefined ? fc.constant(s.example) : fc.constant({});
      if (depth > 4) return fc.constant({});
      const required = new Set(s.required ?? []);
      const shape: Record<string, fc.Arbitrary<unknown>> = {};
      for (const [name, property] of Object.entries(s.properties)) shape[name] = validArbitrary(property, resolve, known, depth + 1);
      return fc.record(shape, { requiredKeys: Object.keys(shape).filter((k) => required.has(k)) });
    }
  }
}

/** The 256 KiB body limit of the API (create-app.ts). */
export const BODY_LIMIT = 256 * 1024;

export const SQL_FRAGMENTS = [
  "' OR 1=1 --",
  "'; DROP TABLE event_store.events; --",
  '1; SELECT pg_sleep(0) --',
  '" OR ""="',
  "\\'; TRUNCATE audit.read_access; --",
  '$1',
  '%',
  '_',
];
export const SCRIPT_FRAGMENTS = [
  '<script>alert(1)</script>',
  '"><img src=x onerror=alert(1)>',
  'javascript:alert(1)',
  '{{constructor.constructor("return process")()}}',
  '${process.exit(1)}',
];
export const UNICODE_EDGES = ['\uD800', '\uDFFF', 'a\uD83Dz', '\u0000', 'nul\u0000byte', '\u202Eevil\u202C', '\u200B', '\uFEFF', 'Å̴̢̛̬̪̤̈́̾̃', '𝕏😀👨‍👩‍👧', '\r\n\t', ' '];
export const NUMBER_EDGES = [1e308, -1e308, -0, 0, -1, 2 ** 53 + 1, Number.MIN_VALUE, 'NaN', 'Infinity', '-0', '1e308', '0x10', ' 1 '];

/** Any hostile JSON value: wrong types, huge strings, fragments, edge numbers, deep nesting. */
export const hostileValue: fc.Arbitrary<unknown> = fc.oneof(
  fc.constantFrom<unknown>(null, true, false, 0, '', [], {}, '[]', '{}', 'null', 'undefined', 'true'),
  fc.constantFrom<unknown>(...SQL_FRAGMENTS, ...SCRIPT_FRAGMENTS, ...UNICODE_EDGES, ...NUMBER_EDGES),
  fc.string({ maxLength: 30, unit: 'binary' }),
  fc.integer({ min: 1_000, max: 200_000 }).map((n) => 'x'.repeat(n)),
  fc.double(),
  fc.array(fc.anything({ maxDepth: 2 }), { maxLength: 3 }),
  fc.anything({ maxDepth: 3, withObjectString: true, withNullPrototype: false }),
  fc.integer({ min: 10, max: 200 }).map((depth) => nested(depth)),
  fc.constantFrom<unknown>({ __proto__: { admin: true } }, JSON.parse('{"__proto__":{"polluted":true}}'), { constructor: { prototype: { polluted: true } } }),
);

export function nested(depth: number): unknown {
  let value: unknown = 'deep';
  for (let i = 0; i < depth; i++) value = i % 2 ? [value] : { a: value };
  return value;
}

/** Paths to every value inside a JSON value (objects and arrays). */
function pathsOf(value: unknown, prefix: (string | number)[] = [], out: (string | number)[][] = []): (string | number)[][] {
  out.push(prefix);
  if (Array.isArray(value)) value.forEach((v, i) => pathsOf(v, [...prefix, i], out));
  else if (value && typeof value === 'object') for (const [k, v] of Object.entries(value)) pathsOf(v, [...prefix, k], out);
  return out;
}

function clone<T>(value: T): T {
  try {
    return structuredClone(value);
  } catch {
    return value === undefined ? value : (JSON.parse(JSON.stringify(value)) as T);
  }
}

function setAt(root: unknown, path: (string | number)[], value: unknown, remove = false): unknown {
  if (path.length === 0) return remove ? undefined : value;
  let parent = root as Record<string | number, unknown>;
  for (const key of path.slice(0, -1)) parent = parent[key] as Record<string | number, unknown>;
  const last = path[path.length - 1];
  if (remove) {
    if (Array.isArray(parent)) parent.splice(Number(last), 1);
    else delete parent[last];
  } else {
    Object.defineProperty(parent, last, { value, enumerable: true, writable: true, configurable: true });
  }
  return root;
}

export type Mutation =
  | { kind: 'replace'; at: number; value: unknown }
  | { kind: 'remove'; at: number }
  | { kind: 'unknown-field'; at: number; name: string; value: unknown }
  | { kind: 'wrap-in-array'; at: number };

export const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  { weight: 4, arbitrary: fc.record({ kind: fc.constant('replace' as const), at: fc.nat(), value: hostileValue }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('remove' as const), at: fc.nat() }) },
  {
    weight: 2,
    arbitrary: fc.record({
      kind: fc.constant('unknown-field' as const),
      at: fc.nat(),
      name: fc.oneof(
        fc.constantFrom('__proto__', 'constructor', 'prototype', 'isAdmin', "'; DROP TABLE x; --", '', '\u0000', 'x'.repeat(5000)),
        fc.string({ maxLength: 12 }),
      ),
      value: hostileValue,
    }),
  },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('wrap-in-array' as const), at: fc.nat() }) },
);

/** Applies mutations to a copy of a value; each picks one of the value's paths by index. */
export function mutate(value: unknown, mutations: Mutation[]): unknown {
  let result = clone(value);
  for (const m of mutations) {
    const paths = pathsOf(result);
    const path = paths[m.at % paths.length];
    let target: unknown = result;
    for (const key of path) target = (target as Record<string | number, unknown>)[key];
    switch (m.kind) {
      case 'replace':
        result = setAt(result, path, clone(m.value));
        break;
      case 'remove':
        result = setAt(result, path, undefined, true);
        break;
      case 'wrap-in-array':
        result = setAt(result, path, [target]);
        break;
      case 'unknown-field':
        if (target && typeof target === 'object' && !Array.isArray(target)) setAt(target, [m.name], clone(m.value));
        else result = setAt(result, path, { [m.name]: clone(m.value) });
        break;
    }
  }
  return result;
}

/** Hostile path parameter values (before URL encoding: the fuzzer encodes some, not all). */
export const HOSTILE_PATH_PARAMS = [
  'not-a-uuid',
  '../',
  '..%2F..%2Fetc%2Fpasswd',
  '%2e%2e%2f',
  '%00',
  '%ZZ',
  '%',
  '%C0%AF',
  '%FF%FE',
  '%F0%9F%98%80',
  '%D8%00',
  encodeURIComponent("' OR 1=1 --"),
  encodeURIComponent('<script>alert(1)</script>'),
  'x'.repeat(99),
  'x'.repeat(101),
  'x'.repeat(5_000),
  '00000000-0000-0000-0000-000000000000',
  'FFFFFFFF-FFFF-FFFF-FFFF-FFFFFFFFFFFF',
  '123',
  '-1',
  'null',
  'undefined',
  '__proto__',
  'constructor',
];

/** Query/header string values (header values stay within what an HTTP client can send). */
export const hostileString: fc.Arbitrary<string> = fc.oneof(
  fc.constantFrom(
    ...SQL_FRAGMENTS,
    ...SCRIPT_FRAGMENTS,
    '',
    ' ',
    'NaN',
    '-0',
    '1e308',
    '-1',
    '0',
    '99999999999999999999',
    'true',
    '[]',
    '{}',
    'null',
    '2026-02-30',
    '2026-13-01',
    '\u0000',
    'a\u0000b',
    '\uD800',
    '\u202Eevil',
    '0000-00-00',
    '9999-12-31T99:99:99Z',
    '2028-02-29',
    '0000-01-01',
    '10000-01-01',
    '2026-01-01T00:00:00+99:00',
    '9999999999999999999',
    '9223372036854775808',
    '1e300',
    '4294967296',
    '-9223372036854775809',
    'HVK',
    'NAV',
  ),
  fc.string({ maxLength: 20 }),
  fc.integer({ min: 100, max: 20_000 }).map((n) => 'y'.repeat(n)),
);

export const headerSafe = (value: string) => value.replace(/[^\x20-\x7e]/g, '?');
