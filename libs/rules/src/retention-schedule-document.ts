import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import Ajv, { type ErrorObject } from 'ajv';
import { LineCounter, parseDocument } from 'yaml';
import { article, dedupe, located, offsetOf, pathText, type DocumentError } from './document-locations';
import { DomainError, InvalidRetentionSchedule, validateRetentionSchedule, type RetentionSchedule } from '@familievedtak/domain';
import { RETENTION_SCHEDULE_DOCUMENT_SCHEMA } from './retention-schedule.schema';

/**
 * Retention schedule documents (docs/design/retention-and-erasure.md § 6), read like the
 * delegation rule sets: YAML or JSON, the schema, then the domain's validateRetentionSchedule,
 * every problem with its line and column. The shipped documents live in libs/rules/retention.
 */

/** One problem, where it is: "line 12, column 5: entries[3].anchor: must be one of ...". */
export type RetentionScheduleDocumentError = DocumentError;

export type ParsedRetentionScheduleDocument =
  | { valid: true; format: 'yaml' | 'json'; schedule: RetentionSchedule; errors: [] }
  | { valid: false; format: 'yaml' | 'json'; errors: RetentionScheduleDocumentError[] };

/** A document that failed validation: 422 with the line-level messages as `errors`. */
export class InvalidRetentionScheduleDocument extends DomainError {
  readonly code = 'INVALID_RETENTION_SCHEDULE_DOCUMENT';
  readonly kind = 'invalid';
  constructor(
    readonly errors: RetentionScheduleDocumentError[],
    source = 'the retention schedule document',
  ) {
    super(`${source} is not valid:\n${errors.map((e) => e.message).join('\n')}`, { errors: errors.map((e) => e.message) });
  }
}

/** The shipped documents: libs/rules/retention/<name>.yaml. */
export const RETENTION_SCHEDULE_DOCUMENTS_DIR =
  [
    join(__dirname, '..', 'retention'),
    // Built: dist/libs/rules/src -> the sources' libs/rules/retention.
    join(__dirname, '..', '..', '..', '..', 'libs', 'rules', 'retention'),
  ].find((dir) => existsSync(dir)) ?? join(__dirname, '..', 'retention');
export const SHIPPED_RETENTION_SCHEDULES = ['trondheim-retention-2026'] as const;
export type ShippedRetentionScheduleName = (typeof SHIPPED_RETENTION_SCHEDULES)[number];

const ajv = new Ajv({ allErrors: true, strict: false });
const validateSchema = ajv.compile(RETENTION_SCHEDULE_DOCUMENT_SCHEMA);

/** Parses and checks a document; never throws for a bad document (an alias bomb included), only returns its errors. */
export function parseRetentionScheduleDocument(text: string): ParsedRetentionScheduleDocument {
  const format = text.trimStart().startsWith('{') ? 'json' : 'yaml';
  try {
    return parseChecked(text, format);
  } catch (error) {
    if (error instanceof ReferenceError || error instanceof RangeError || (error instanceof Error && error.name === 'YAMLError')) {
      return { format, valid: false, errors: [located({ line: 1, col: 1 }, '(document)', `could not be read: ${error.message.split('\n')[0].slice(0, 200)}`)] };
    }
    throw error;
  }
}

/** Parses a document or throws INVALID_RETENTION_SCHEDULE_DOCUMENT with every line-level error. */
export function retentionScheduleFromDocument(text: string, source?: string): RetentionSchedule {
  const parsed = parseRetentionScheduleDocument(text);
  if (!parsed.valid) throw new InvalidRetentionScheduleDocument(parsed.errors, source);
  return parsed.schedule;
}

export function loadRetentionScheduleFile(path: string): RetentionSchedule {
  return retentionScheduleFromDocument(readFileSync(path, 'utf8'), path);
}

export function loadShippedRetentionSchedule(name: ShippedRetentionScheduleName): RetentionSchedule {
  return loadRetentionScheduleFile(join(RETENTION_SCHEDULE_DOCUMENTS_DIR, `${name}.yaml`));
}

/** A shipped document's text as written (stored with the version when adopted) and what it parses to. */
export function shippedRetentionScheduleDocuments(): { name: ShippedRetentionScheduleName; text: string; schedule: RetentionSchedule }[] {
  return SHIPPED_RETENTION_SCHEDULES.map((name) => {
    const path = join(RETENTION_SCHEDULE_DOCUMENTS_DIR, `${name}.yaml`);
    const text = readFileSync(path, 'utf8');
    return { name, text, schedule: retentionScheduleFromDocument(text, path) };
  });
}

function parseChecked(text: string, format: 'yaml' | 'json'): ParsedRetentionScheduleDocument {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: true });
  const at = (offset: number) => lineCounter.linePos(offset);
  if (doc.errors.length > 0) {
    return {
      format,
      valid: false,
      errors: doc.errors.map((e) => located(at(e.pos[0]), '(document)', e.message.split('\n')[0].replace(/ at line \d+, column \d+:?$/, ''))),
    };
  }
  const value: unknown = doc.toJS();
  const locate = (path: Array<string | number>, key?: string) => at(offsetOf(doc.contents, path, key));
  if (!validateSchema(value)) {
    return { format, valid: false, errors: dedupe((validateSchema.errors ?? []).map((e) => schemaError(e, locate))) };
  }
  try {
    return { format, valid: true, schedule: validateRetentionSchedule(value), errors: [] };
  } catch (error) {
    if (!(error instanceof InvalidRetentionSchedule)) throw error;
    // The domain's problems start with their path ("entries[2].period ..."): locate that node.
    const errors = error.problems.map((problem) => {
      const match = /^([A-Za-z]+(?:\[\d+\]|\.[A-Za-z]+)*)\s+(.*)$/.exec(problem);
      const path = match ? match[1] : '(document)';
      const segments = [...path.matchAll(/([A-Za-z]+)|\[(\d+)\]/g)].map((m) => (m[2] !== undefined ? Number(m[2]) : m[1]));
      return located(match ? locate(segments) : { line: 1, col: 1 }, path, match ? match[2] : problem);
    });
    return { format, valid: false, errors };
  }
}

function schemaError(e: ErrorObject, locate: (path: Array<string | number>, key?: string) => { line: number; col: number }): RetentionScheduleDocumentError {
  const segments = e.instancePath
    .split('/')
    .slice(1)
    .map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'))
    .map((s) => (/^\d+$/.test(s) ? Number(s) : s));
  const path = pathText(segments) || '(document)';
  switch (e.keyword) {
    case 'additionalProperties': {
      const field = String(e.params.additionalProperty);
      return located(locate(segments, field), pathText([...segments, field]), 'is not a known field');
    }
    case 'required':
      return located(locate(segments), path, `must have ${String(e.params.missingProperty)}`);
    case 'enum':
      return located(locate(segments), path, `must be one of ${(e.params.allowedValues as unknown[]).join(', ')}`);
    case 'type':
      return located(locate(segments), path, `must be ${article(String(e.params.type))}`);
    case 'pattern':
      return located(locate(segments), path, path === 'effectiveFrom' ? 'must be a date YYYY-MM-DD' : 'must be lower-case letters, digits and dashes');
    default:
      return located(locate(segments), path, e.message ?? 'is not valid');
  }
}
