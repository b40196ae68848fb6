import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import Ajv, { type ErrorObject } from 'ajv';
import { LineCounter, parseDocument } from 'yaml';
import { article, dedupe, located, offsetOf, pathText, type DocumentError } from './document-locations';
import { DomainError, InvalidRuleSet, validateDelegationRuleSet, type DelegationRuleSet } from '@familievedtak/domain';
import { RULE_SET_DOCUMENT_SCHEMA } from './rule-set.schema';

/** One problem in a rule-set document, where it is. `message` reads "line 12, column 5: rules[3].units[0]: must be ...". */
export type RuleSetDocumentError = DocumentError;

export type RuleSetDocumentFormat = 'yaml' | 'json';

export type ParsedRuleSetDocument =
  /** `versionNamed`: the document gave its own `version` (else version 1 is assumed). */
  | { valid: true; format: RuleSetDocumentFormat; ruleSet: DelegationRuleSet; versionNamed: boolean; errors: [] }
  | { valid: false; format: RuleSetDocumentFormat; errors: RuleSetDocumentError[] };

/** A document that failed validation: 422 with the line-level messages as `errors`. */
export class InvalidRuleSetDocument extends DomainError {
  readonly code = 'INVALID_RULE_SET_DOCUMENT';
  readonly kind = 'invalid';
  constructor(
    readonly errors: RuleSetDocumentError[],
    source = 'the rule-set document',
  ) {
    super(`${source} is not valid:\n${errors.map((e) => e.message).join('\n')}`, { errors: errors.map((e) => e.message) });
  }
}

/** The shipped documents: libs/rules/rule-sets/<name>.yaml. */
export const RULE_SET_DOCUMENTS_DIR =
  [
    join(__dirname, '..', 'rule-sets'),
    // Built: dist/libs/rules/src -> the sources' libs/rules/rule-sets.
    join(__dirname, '..', '..', '..', '..', 'libs', 'rules', 'rule-sets'),
  ].find((dir) => existsSync(dir)) ?? join(__dirname, '..', 'rule-sets');
export const SHIPPED_RULE_SETS = ['trondheim-2023', 'family-decision', 'place-based-team'] as const;
export type ShippedRuleSetName = (typeof SHIPPED_RULE_SETS)[number];
/** The shipped set in force (active from its effectiveFrom on a fresh store); the others are alternatives, loaded as drafts. */
export const SHIPPED_RULE_SET_IN_FORCE: ShippedRuleSetName = 'trondheim-2023';

/** A shipped document: its text as written and what it parses to. */
export type ShippedRuleSetDocument = { name: ShippedRuleSetName; text: string; format: RuleSetDocumentFormat; ruleSet: DelegationRuleSet; inForce: boolean };

/** Every shipped document, read and checked (throws INVALID_RULE_SET_DOCUMENT for a broken one). */
export function shippedRuleSetDocuments(): ShippedRuleSetDocument[] {
  return SHIPPED_RULE_SETS.map((name) => {
    const path = join(RULE_SET_DOCUMENTS_DIR, `${name}.yaml`);
    const text = readFileSync(path, 'utf8');
    const parsed = parseRuleSetDocument(text);
    if (!parsed.valid) throw new InvalidRuleSetDocument(parsed.errors, path);
    return { name, text, format: parsed.format, ruleSet: parsed.ruleSet, inForce: name === SHIPPED_RULE_SET_IN_FORCE };
  });
}

const ajv = new Ajv({ allErrors: true, strict: false });
const validateSchema = ajv.compile(RULE_SET_DOCUMENT_SCHEMA);

/**
 * Parses a YAML or JSON rule-set document, checks it against the schema and the domain's
 * rules, and returns the typed rule set or every problem with its line and column. A document
 * the YAML reader gives up on while building it (an alias bomb: "Excessive alias count
 * indicates a resource exhaustion attack"; too deep to convert) is invalid too, never a throw.
 */
export function parseRuleSetDocument(text: string): ParsedRuleSetDocument {
  const format: RuleSetDocumentFormat = text.trimStart().startsWith('{') ? 'json' : 'yaml';
  try {
    return parseChecked(text, format);
  } catch (error) {
    if (error instanceof ReferenceError || error instanceof RangeError || (error instanceof Error && error.name === 'YAMLError')) {
      return { format, valid: false, errors: [located({ line: 1, col: 1 }, '(document)', `could not be read: ${error.message.split('\n')[0].slice(0, 200)}`)] };
    }
    throw error;
  }
}

function parseChecked(text: string, format: RuleSetDocumentFormat): ParsedRuleSetDocument {
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
    const errors = (validateSchema.errors ?? []).map((e) => schemaError(e, locate));
    return { format, valid: false, errors: dedupe(errors) };
  }
  const versionNamed = Object.hasOwn(value as object, 'version');
  const normalised = normalise(value as unknown as Record<string, unknown>);
  try {
    return { format, valid: true, ruleSet: validateDelegationRuleSet(normalised), versionNamed, errors: [] };
  } catch (error) {
    if (!(error instanceof InvalidRuleSet)) throw error;
    const errors = error.problems.map((problem) => {
      const match = /^([A-Za-z]+(?:\[\d+\]|\.[A-Za-z]+)*)\s*(.*)$/.exec(problem);
      const path = match ? match[1] : '';
      const segments = [...path.matchAll(/([A-Za-z]+)|\[(\d+)\]/g)].map((m) => (m[2] !== undefined ? Number(m[2]) : m[1]));
      return located(locate(segments), path || '(document)', match ? match[2] : problem);
    });
    return { format, valid: false, errors };
  }
}

/** Parses a document or throws INVALID_RULE_SET_DOCUMENT with every line-level error. */
export function ruleSetFromDocument(text: string, source?: string): DelegationRuleSet {
  const parsed = parseRuleSetDocument(text);
  if (!parsed.valid) throw new InvalidRuleSetDocument(parsed.errors, source);
  return parsed.ruleSet;
}

/** Reads a YAML or JSON rule-set file into a DelegationRuleSet (throws INVALID_RULE_SET_DOCUMENT). */
export function loadRuleSetFile(path: string): DelegationRuleSet {
  return ruleSetFromDocument(readFileSync(path, 'utf8'), path);
}

/** One of the shipped documents, by name: 'trondheim-2023', 'family-decision', 'place-based-team'. */
export function loadShippedRuleSet(name: ShippedRuleSetName): DelegationRuleSet {
  return loadRuleSetFile(join(RULE_SET_DOCUMENTS_DIR, `${name}.yaml`));
}

/** Fields a document may leave out: units (when deciders name who decides), members (anyone), version (1). */
function normalise(value: Record<string, unknown>): Record<string, unknown> {
  const { description: _description, ...rest } = value;
  return {
    ...rest,
    version: rest.version ?? 1,
    rules: (rest.rules as Array<Record<string, unknown>>).map((rule) => ({ ...rule, units: rule.units ?? [], members: rule.members ?? {} })),
  };
}

function schemaError(e: ErrorObject, locate: (path: Array<string | number>, key?: string) => { line: number; col: number }): RuleSetDocumentError {
  const segments = e.instancePath
    .split('/')
    .slice(1)
    .map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'))
    .map((s) => (/^\d+$/.test(s) ? Number(s) : s));
  const path = pathText(segments);
  switch (e.keyword) {
    case 'additionalProperties': {
      const field = String(e.params.additionalProperty);
      return located(locate(segments, field), pathText([...segments, field]), 'is not a known field');
    }
    case 'required':
      return located(locate(segments), path || '(document)', `must have ${String(e.params.missingProperty)}`);
    case 'enum':
      return located(locate(segments), path, `must be one of ${(e.params.allowedValues as unknown[]).join(', ')}`);
    case 'type':
      return located(locate(segments), path, `must be ${article(String(e.params.type))}`);
    case 'pattern':
      return located(locate(segments), path, path === 'effectiveFrom' ? 'must be a date YYYY-MM-DD' : 'must be lower-case letters, digits and dashes');
    default:
      return located(locate(segments), path || '(document)', e.message ?? 'is not valid');
  }
}
