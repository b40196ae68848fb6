import { validateDelegationRuleSet } from '../delegation/delegation-rule-set.validation';
import type { DelegationRuleSet } from '../delegation/delegation-rule-set';
import type { DecisionContext } from '../shared/decision-context';
import type { Decider, DomainCommand, DomainEvent } from '../shared/decider';
import { DomainError, InvalidInput } from '../shared/domain-error';
import type { JsonObject } from '../shared/json';
import { parseLocalDate, type LocalDate } from '../shared/local-date';
import { requireRole } from '../shared/permissions';
import { stamp, type Stamp } from '../shared/stamp';
import { optionalText, requireText } from '../shared/validation';

/**
 * A delegation rule set's life in its own stream `ruleset-<id>`: a rules analyst drafts
 * versions (the document text and the parsed model, already validated against the schema by
 * libs/rules; checked again here), a unit leader activates a version from an effective date
 * or retires it. The set in force on a date is the active version with the latest
 * effectiveFrom on or before it, across all rule sets (see the API's registry).
 */

export const ruleSetStreamId = (ruleSetId: string) => `ruleset-${ruleSetId}`;
export const RULE_SET_STREAM_PREFIX = 'ruleset-';

export type DraftRuleSet = DomainCommand<'DraftRuleSet', { document: string; format: 'yaml' | 'json'; ruleSet: unknown }>;
export type ActivateRuleSet = DomainCommand<'ActivateRuleSet', { version?: number; effectiveFrom: unknown }>;
export type RetireRuleSet = DomainCommand<'RetireRuleSet', { version?: number; reason?: unknown }>;
export type RuleSetCommand = DraftRuleSet | ActivateRuleSet | RetireRuleSet;

export type RuleSetDrafted = DomainEvent<
  'RuleSetDrafted',
  Stamp & { ruleSetId: string; version: number; document: string; format: 'yaml' | 'json'; ruleSet: JsonObject }
>;
export type RuleSetActivated = DomainEvent<'RuleSetActivated', Stamp & { ruleSetId: string; version: number; effectiveFrom: LocalDate }>;
export type RuleSetRetired = DomainEvent<'RuleSetRetired', Stamp & { ruleSetId: string; version: number; reason: string | null }>;
export type RuleSetEvent = RuleSetDrafted | RuleSetActivated | RuleSetRetired;

export type RuleSetVersionStatus = 'draft' | 'active' | 'retired';
export type RuleSetVersion = {
  version: number;
  status: RuleSetVersionStatus;
  document: string;
  format: 'yaml' | 'json';
  ruleSet: DelegationRuleSet;
  effectiveFrom: LocalDate | null;
  draftedAt: string;
  draftedBy: string;
};
export type RuleSetState = { ruleSetId: string | null; versions: RuleSetVersion[] };

export type RuleSetContext = Pick<DecisionContext, 'now' | 'newId' | 'actor'>;

export class RuleSetNotFound extends DomainError {
  readonly code = 'RULE_SET_NOT_FOUND';
  readonly kind = 'not_found';
  constructor(ruleSetId: string, version?: number) {
    super(version === undefined ? `No rule set ${ruleSetId}.` : `Rule set ${ruleSetId} has no version ${version}.`, { ruleSetId });
  }
}

export class RuleSetStatusConflict extends DomainError {
  readonly code = 'RULE_SET_STATUS_CONFLICT';
  readonly kind = 'conflict';
  constructor(ruleSetId: string, version: number, status: string, action: string) {
    super(`Version ${version} of rule set ${ruleSetId} is ${status} and cannot be ${action}.`, { ruleSetId, version, status });
  }
}

export function initialRuleSetState(): RuleSetState {
  return { ruleSetId: null, versions: [] };
}

export function evolveRuleSet(state: RuleSetState, event: RuleSetEvent): RuleSetState {
  switch (event.type) {
    case 'RuleSetDrafted':
      return {
        ruleSetId: event.data.ruleSetId,
        versions: [
          ...state.versions,
          {
            version: event.data.version,
            status: 'draft',
            document: event.data.document,
            format: event.data.format,
            ruleSet: event.data.ruleSet as unknown as DelegationRuleSet,
            effectiveFrom: null,
            draftedAt: event.data.at,
            draftedBy: event.data.by.userId,
          },
        ],
      };
    case 'RuleSetActivated':
      return withVersion(state, event.data.version, (v) => ({ ...v, status: 'active', effectiveFrom: event.data.effectiveFrom }));
    case 'RuleSetRetired':
      return withVersion(state, event.data.version, (v) => ({ ...v, status: 'retired' }));
    default:
      return state;
  }
}

function withVersion(state: RuleSetState, version: number, change: (v: RuleSetVersion) => RuleSetVersion): RuleSetState {
  return { ...state, versions: state.versions.map((v) => (v.version === version ? change(v) : v)) };
}

export function decideRuleSet(command: RuleSetCommand, state: RuleSetState, ctx: RuleSetContext): RuleSetEvent[] {
  switch (command.type) {
    case 'DraftRuleSet': {
      requireRole(ctx.actor, ['rules-analyst'], 'draft delegation rules');
      const parsed = validateDelegationRuleSet(command.data.ruleSet);
      if (state.ruleSetId !== null && state.ruleSetId !== parsed.id) throw new InvalidInput('id', `this stream holds rule set ${state.ruleSetId}`);
      const document = requireText(command.data.document, 'document', 200_000);
      // The stream numbers the versions: the document's own version is replaced.
      const version = state.versions.length + 1;
      const ruleSet = { ...parsed, version };
      return [
        {
          type: 'RuleSetDrafted',
          data: { ruleSetId: parsed.id, version, document, format: command.data.format, ruleSet: ruleSet as unknown as JsonObject, ...stamp(ctx) },
        },
      ];
    }
    case 'ActivateRuleSet': {
      requireRole(ctx.actor, ['unit-leader'], 'activate delegation rules');
      const target = requireVersion(state, command.data.version);
      if (target.status !== 'draft') throw new RuleSetStatusConflict(state.ruleSetId!, target.version, target.status, 'activated');
      const effectiveFrom = parseLocalDate(command.data.effectiveFrom, 'effectiveFrom');
      return [{ type: 'RuleSetActivated', data: { ruleSetId: state.ruleSetId!, version: target.version, effectiveFrom, ...stamp(ctx) } }];
    }
    case 'RetireRuleSet': {
      requireRole(ctx.actor, ['unit-leader'], 'retire delegation rules');
      const target =
        command.data.version === undefined
          ? [...state.versions].reverse().find((v) => v.status === 'active') ?? requireVersion(state, undefined)
          : requireVersion(state, command.data.version);
      if (target.status === 'retired') throw new RuleSetStatusConflict(state.ruleSetId!, target.version, target.status, 'retired');
      const reason = optionalText(command.data.reason, 'reason', 2000);
      return [{ type: 'RuleSetRetired', data: { ruleSetId: state.ruleSetId!, version: target.version, reason, ...stamp(ctx) } }];
    }
    default:
      throw new InvalidInput('type', `unknown command ${JSON.stringify((command as { type?: unknown }).type)}`);
  }
}

/** The named version, or the latest one. */
function requireVersion(state: RuleSetState, version: number | undefined): RuleSetVersion {
  if (state.ruleSetId === null || state.versions.length === 0) throw new RuleSetNotFound('(none)');
  if (version === undefined) return state.versions[state.versions.length - 1];
  const found = state.versions.find((v) => v.version === version);
  if (!found) throw new RuleSetNotFound(state.ruleSetId, version);
  return found;
}

export const ruleSetDecider: Decider<RuleSetCommand, RuleSetEvent, RuleSetState, RuleSetContext> = {
  decide: decideRuleSet,
  evolve: evolveRuleSet,
  initialState: initialRuleSetState,
};
