import { isLocalDate, TRONDHEIM_2023_RULE_SET, validateDelegationRuleSet, type DelegationRuleSet } from '@familievedtak/domain';
import type { WhatIfInput, WhatIfSelection } from './what-if.types';

/** Baselines callers may name instead of sending a rule set. */
export const NAMED_BASELINES: Readonly<Record<string, DelegationRuleSet>> = { 'trondheim-2023': TRONDHEIM_2023_RULE_SET };

export class InvalidWhatIfRequest extends Error {
  constructor(readonly problems: string[]) {
    super(`The what-if request is not valid: ${problems.join('; ')}.`);
  }
}

const SELECTION_KEYS = ['unit', 'subProjectId', 'district', 'from', 'until'] as const;

/**
 * A what-if request as it arrives as JSON (API body, or CLI options gathered into one):
 * { candidate, baseline?: 'trondheim-2023' | rule set, selection?, asOf? }. Rule sets are
 * checked by the domain's validator (INVALID_RULE_SET with every problem); the rest here.
 */
export function parseWhatIfRequest(body: unknown): WhatIfInput {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) throw new InvalidWhatIfRequest(['the body must be a JSON object']);
  const value = body as Record<string, unknown>;
  const problems: string[] = [];
  for (const key of Object.keys(value)) if (!['candidate', 'baseline', 'selection', 'asOf'].includes(key)) problems.push(`${key} is not a known field`);
  if (value.candidate === undefined) problems.push('candidate (a delegation rule set) is required');
  let baseline = TRONDHEIM_2023_RULE_SET;
  if (typeof value.baseline === 'string') {
    const named = NAMED_BASELINES[value.baseline];
    if (!named) problems.push(`baseline ${value.baseline} is not a known rule set (known: ${Object.keys(NAMED_BASELINES).join(', ')})`);
    else baseline = named;
  }
  const selection: WhatIfSelection = {};
  if (value.selection !== undefined) {
    if (typeof value.selection !== 'object' || value.selection === null || Array.isArray(value.selection)) {
      problems.push('selection must be an object');
    } else {
      for (const [key, v] of Object.entries(value.selection)) {
        if (!(SELECTION_KEYS as readonly string[]).includes(key)) problems.push(`selection.${key} is not a known filter (${SELECTION_KEYS.join(', ')})`);
        else if (v === undefined || v === null) continue;
        else if (typeof v !== 'string' || !v.trim()) problems.push(`selection.${key} must be a non-empty string`);
        else if ((key === 'from' || key === 'until') && !isLocalDate(v)) problems.push(`selection.${key} must be a date YYYY-MM-DD`);
        else selection[key as (typeof SELECTION_KEYS)[number]] = v;
      }
      if (selection.from && selection.until && selection.from > selection.until) problems.push('selection.from is after selection.until');
    }
  }
  if (value.asOf !== undefined && value.asOf !== null && !isLocalDate(value.asOf)) problems.push('asOf must be a date YYYY-MM-DD');
  if (problems.length > 0) throw new InvalidWhatIfRequest(problems);
  const candidate = validateDelegationRuleSet(value.candidate);
  if (typeof value.baseline === 'object' && value.baseline !== null) baseline = validateDelegationRuleSet(value.baseline);
  return { candidate, baseline, selection, ...(isLocalDate(value.asOf) ? { asOf: value.asOf } : {}) };
}
