import {
  evolveRuleSet,
  initialRuleSetState,
  isLocalDate,
  RuleSetNotFound,
  ruleSetStreamId,
  TRONDHEIM_2023_RULE_SET,
  validateDelegationRuleSet,
  type DelegationRuleSet,
  type RuleSetEvent,
} from '@familievedtak/domain';
import type { EventStore } from '@familievedtak/event-store';
import { InvalidRuleSetDocument, parseRuleSetDocument } from '@familievedtak/rules';
import type { WhatIfInput, WhatIfSelection } from './what-if.types';

/**
 * Rule sets a reference may name when the store holds no stream of that id (a store the API
 * never started on, the CLI's tests): the 2023 baseline, equal to the shipped trondheim-2023 v1.
 * A Map: a name from the request never reaches Object.prototype ("__proto__", "constructor").
 */
export const BUILT_IN_RULE_SETS: ReadonlyMap<string, DelegationRuleSet> = new Map([['trondheim-2023', TRONDHEIM_2023_RULE_SET]]);

export class InvalidWhatIfRequest extends Error {
  constructor(readonly problems: string[]) {
    super(`The what-if request is not valid: ${problems.join('; ')}.`);
  }
}

/** Where a side's rule set comes from: given in the request, or a version stored in `ruleset-<id>` (latest when none is named). */
export type RuleSetSource = { kind: 'given'; ruleSet: DelegationRuleSet } | { kind: 'stored'; ruleSetId: string; version?: number };

/** A what-if request read from its JSON: the rule sets still to be looked up where stored ones are named. */
export type WhatIfRequest = { candidate: RuleSetSource; baseline: RuleSetSource; selection: WhatIfSelection; asOf?: WhatIfInput['asOf'] };

const SELECTION_KEYS = ['unit', 'subProjectId', 'district', 'from', 'until'] as const;
const REQUEST_KEYS = ['candidate', 'baseline', 'selection', 'asOf'];
/** As the rule-set document schema has it: nothing else can be a stored rule set's id. */
const RULE_SET_ID = /^[a-z0-9][a-z0-9-]{0,62}$/;
const isPlainObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * A what-if request as it arrives as JSON (API body, or CLI options gathered into one):
 * { candidate, baseline?, selection?, asOf? }. The candidate and the baseline are each one of
 * - a stored version: { "ruleSetId": "family-decision", "version": 1 } (version left out: the
 *   latest), or just the id as a string ("trondheim-2023");
 * - a rule-set document as text: { "document": "<YAML or JSON>" }, checked with line-level
 *   errors (INVALID_RULE_SET_DOCUMENT);
 * - a DelegationRuleSet as JSON, checked by the domain's validator (INVALID_RULE_SET).
 * The baseline defaults to the 2023 rules. Shape problems: InvalidWhatIfRequest, all at once.
 */
export function readWhatIfRequest(body: unknown): WhatIfRequest {
  if (!isPlainObject(body)) throw new InvalidWhatIfRequest(['the body must be a JSON object']);
  const problems: string[] = [];
  for (const key of Object.keys(body)) if (!REQUEST_KEYS.includes(key)) problems.push(`${key} is not a known field`);
  if (body.candidate === undefined || body.candidate === null) problems.push('candidate (a rule set, { ruleSetId, version } or { document }) is required');
  const candidate = body.candidate === undefined || body.candidate === null ? undefined : sourceOf(body.candidate, 'candidate', problems);
  const baseline: RuleSetSource | undefined =
    body.baseline === undefined || body.baseline === null ? { kind: 'given', ruleSet: TRONDHEIM_2023_RULE_SET } : sourceOf(body.baseline, 'baseline', problems);
  const selection: WhatIfSelection = {};
  if (body.selection !== undefined) {
    if (!isPlainObject(body.selection)) {
      problems.push('selection must be an object');
    } else {
      for (const [key, v] of Object.entries(body.selection)) {
        if (!(SELECTION_KEYS as readonly string[]).includes(key)) problems.push(`selection.${key} is not a known filter (${SELECTION_KEYS.join(', ')})`);
        else if (v === undefined || v === null) continue;
        else if (typeof v !== 'string' || !v.trim()) problems.push(`selection.${key} must be a non-empty string`);
        else if ((key === 'from' || key === 'until') && !isLocalDate(v)) problems.push(`selection.${key} must be a date YYYY-MM-DD`);
        else selection[key as (typeof SELECTION_KEYS)[number]] = v;
      }
      if (selection.from && selection.until && selection.from > selection.until) problems.push('selection.from is after selection.until');
    }
  }
  if (body.asOf !== undefined && body.asOf !== null && !isLocalDate(body.asOf)) problems.push('asOf must be a date YYYY-MM-DD');
  if (problems.length > 0 || !candidate || !baseline) throw new InvalidWhatIfRequest(problems);
  return { candidate, baseline, selection, ...(isLocalDate(body.asOf) ? { asOf: body.asOf } : {}) };
}

/**
 * One side's rule set. Shape problems are collected; a document or rule set that does not
 * validate throws at once (422 with its own list of problems).
 */
function sourceOf(value: unknown, side: 'candidate' | 'baseline', problems: string[]): RuleSetSource | undefined {
  if (typeof value === 'string') return reference(value, undefined, side, problems);
  if (!isPlainObject(value)) {
    problems.push(`${side} must be a rule set, { "ruleSetId": "...", "version": n }, { "document": "..." } or a rule-set id`);
    return undefined;
  }
  if (Object.hasOwn(value, 'ruleSetId')) {
    const extra = Object.keys(value).filter((k) => k !== 'ruleSetId' && k !== 'version');
    if (extra.length > 0) problems.push(`${side}: a stored rule set is named by ruleSetId and version only (not ${extra.join(', ')})`);
    return reference(value.ruleSetId, value.version, side, problems);
  }
  if (Object.hasOwn(value, 'document')) {
    const extra = Object.keys(value).filter((k) => k !== 'document');
    if (extra.length > 0) problems.push(`${side}: a document is sent alone as { "document": "..." } (not with ${extra.join(', ')})`);
    if (typeof value.document !== 'string' || value.document.trim() === '') {
      problems.push(`${side}.document must be the text of a rule-set document (YAML or JSON)`);
      return undefined;
    }
    const parsed = parseRuleSetDocument(value.document);
    if (!parsed.valid) throw new InvalidRuleSetDocument(parsed.errors, `the ${side} document`);
    return { kind: 'given', ruleSet: parsed.ruleSet };
  }
  return { kind: 'given', ruleSet: validateDelegationRuleSet(value) };
}

function reference(ruleSetId: unknown, version: unknown, side: string, problems: string[]): RuleSetSource | undefined {
  let ok = true;
  if (typeof ruleSetId !== 'string' || !RULE_SET_ID.test(ruleSetId)) {
    problems.push(`${side}.ruleSetId must be a rule-set id (lower-case letters, digits and dashes)`);
    ok = false;
  }
  if (version !== undefined && version !== null && (!Number.isSafeInteger(version) || (version as number) < 1)) {
    problems.push(`${side}.version must be a whole number from 1`);
    ok = false;
  }
  if (!ok) return undefined;
  return { kind: 'stored', ruleSetId: ruleSetId as string, ...(typeof version === 'number' ? { version } : {}) };
}

/** Events read per page of a rule-set stream. */
const RULE_SET_PAGE = 500;

/**
 * A stored version of a rule set, folded from its stream `ruleset-<id>` (reads only). Without a
 * version: the latest. No such stream: a built-in set of that id, else RULE_SET_NOT_FOUND (404),
 * as is a version the stream does not have.
 */
export async function loadStoredRuleSet(store: EventStore, ruleSetId: string, version?: number): Promise<DelegationRuleSet> {
  let state = initialRuleSetState();
  for (let fromRevision = 0; ;) {
    const page = await store.readStream(ruleSetStreamId(ruleSetId), { fromRevision, maxCount: RULE_SET_PAGE });
    for (const event of page) state = evolveRuleSet(state, { type: event.type, data: event.data } as unknown as RuleSetEvent);
    if (page.length < RULE_SET_PAGE) break;
    fromRevision = page[page.length - 1].revision + 1;
  }
  if (state.versions.length === 0) {
    const builtIn = BUILT_IN_RULE_SETS.get(ruleSetId);
    if (builtIn && (version === undefined || version === builtIn.version)) return builtIn;
    throw new RuleSetNotFound(ruleSetId, version);
  }
  const found = version === undefined ? state.versions[state.versions.length - 1] : state.versions.find((v) => v.version === version);
  if (!found) throw new RuleSetNotFound(ruleSetId, version);
  return found.ruleSet;
}

/** The run's input: stored versions looked up (RULE_SET_NOT_FOUND for one the store does not hold). */
export async function resolveWhatIfRequest(store: EventStore, request: WhatIfRequest): Promise<WhatIfInput> {
  const resolve = (source: RuleSetSource) =>
    source.kind === 'given' ? Promise.resolve(source.ruleSet) : loadStoredRuleSet(store, source.ruleSetId, source.version);
  const [candidate, baseline] = [await resolve(request.candidate), await resolve(request.baseline)];
  return { candidate, baseline, selection: request.selection, ...(request.asOf ? { asOf: request.asOf } : {}) };
}
