import { validateDelegationRuleSet } from '../delegation/delegation-rule-set.validation';
import { requireWithinLegalLimits } from '../delegation/legal-limits';
import type { DelegationRuleSet } from '../delegation/delegation-rule-set';
import type { Actor } from '../shared/actor';
import type { DecisionContext } from '../shared/decision-context';
import type { Decider, DomainCommand, DomainEvent } from '../shared/decider';
import { DomainError, InvalidDate, InvalidInput } from '../shared/domain-error';
import type { JsonObject } from '../shared/json';
import { compareDates, localDateOf, parseLocalDate, type LocalDate } from '../shared/local-date';
import { requireRole } from '../shared/permissions';
import { stamp, type Stamp } from '../shared/stamp';
import { optionalText, requireText } from '../shared/validation';

/**
 * A delegation rule set's life in its own stream `ruleset-<id>`: a rules analyst drafts
 * versions (the document text and the parsed model, already validated against the schema by
 * libs/rules; checked again here, and against the law's limits: RULE_OUTSIDE_LEGAL_LIMITS), the
 * delegation authority activates a version from an effective date, naming the delegation
 * decision it rests on (kommuneloven § 13-1), or retires it. The set in force on a date is the
 * active version with the latest effectiveFrom on or before it, across all rule sets (see the
 * API's registry).
 */

export const ruleSetStreamId = (ruleSetId: string) => `ruleset-${ruleSetId}`;
export const RULE_SET_STREAM_PREFIX = 'ruleset-';

/**
 * `versionNamed`: the document gave its own `version` (default true: the model's version is
 * meant). Then that is the version stored, or the draft is refused; without one, an unchanged
 * draft is the latest version again and a changed one the next number.
 */
export type DraftRuleSet = DomainCommand<'DraftRuleSet', { document: string; format: 'yaml' | 'json'; ruleSet: unknown; versionNamed?: boolean }>;
export type ActivateRuleSet = DomainCommand<'ActivateRuleSet', { version?: number; effectiveFrom: unknown; delegationDecision?: unknown }>;
export type RetireRuleSet = DomainCommand<'RetireRuleSet', { version?: number; reason?: unknown }>;
/**
 * A document shipped with the system, loaded at start-up by the system actor: drafted under the
 * version it names, and activated from its effectiveFrom when `activate` (the set in force) and
 * the stream was empty. Never touches a version already stored: a stream the municipality has
 * worked on keeps its history.
 */
export type LoadShippedRuleSet = DomainCommand<'LoadShippedRuleSet', { document: string; format: 'yaml' | 'json'; ruleSet: unknown; activate: boolean }>;
export type RuleSetCommand = DraftRuleSet | ActivateRuleSet | RetireRuleSet | LoadShippedRuleSet;

/** The role of the start-up loader. It is no Role: tokens' roles are filtered by isRole, so no caller can act as it. */
export const SYSTEM_ROLE = 'system';
/** Who loads the shipped rule sets (recorded in the events' `by` and the envelope's actor). */
export const RULE_SET_BOOTSTRAP_ACTOR: Actor = { userId: 'familievedtak-bootstrap', role: SYSTEM_ROLE as Actor['role'] };
const isSystemActor = (actor: Actor) => (actor.role as string) === SYSTEM_ROLE;

export type RuleSetDrafted = DomainEvent<
  'RuleSetDrafted',
  Stamp & { ruleSetId: string; version: number; document: string; format: 'yaml' | 'json'; ruleSet: JsonObject }
>;
/**
 * The decision of the council, the executive committee or the chief executive that delegates
 * the competences (kommuneloven § 13-1): who made it, on what day, under which case number.
 */
export type DelegationDecisionRef = { body: string; decidedOn: LocalDate; caseNumber: string };
/**
 * `delegationDecision` null: activated by the start-up loader into an empty stream (the rules in
 * force when the system was installed, see README), or recorded before activations named one
 * (upcast, upcastRuleSetEvent).
 */
export type RuleSetActivated = DomainEvent<
  'RuleSetActivated',
  Stamp & { ruleSetId: string; version: number; effectiveFrom: LocalDate; delegationDecision: DelegationDecisionRef | null }
>;
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
  /** The delegation decision the activation names; null while a draft, for a bootstrap activation, or for an old event. */
  delegationDecision: DelegationDecisionRef | null;
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

/** A draft names a version that is stored with other rules, or that is below the latest: 409. */
export class RuleSetVersionConflict extends DomainError {
  readonly code = 'RULE_SET_VERSION_CONFLICT';
  readonly kind = 'conflict';
  constructor(ruleSetId: string, version: number, why: string, latest: number) {
    super(
      `Rule set ${ruleSetId} cannot take this document as version ${version}: ${why}. Name version ${latest + 1} (or leave version out) for a new version.`,
      {
        ruleSetId,
        version,
        latestVersion: latest,
      },
    );
  }
}

/** An activation names no delegation decision, or an incomplete one (kommuneloven § 13-1): 422. */
export class DelegationDecisionRequired extends DomainError {
  readonly code = 'DELEGATION_DECISION_REQUIRED';
  readonly kind = 'invalid';
  constructor(ruleSetId: string, problem: string) {
    super(
      `Rule set ${ruleSetId} can be put in force only on a delegation decision (kommuneloven § 13-1): name it as delegationDecision { body, decidedOn, caseNumber }. ${problem}`,
      { ruleSetId },
    );
  }
}

/** An activation from a day before today: delegation is never put in force backwards. */
export class RuleSetBackdated extends DomainError {
  readonly code = 'RULE_SET_BACKDATED';
  readonly kind = 'invalid';
  constructor(ruleSetId: string, effectiveFrom: string, today: string) {
    super(
      `Rule set ${ruleSetId} cannot be in force from ${effectiveFrom}: that is before today (${today}); decisions already made stand under the rules in force when they were made.`,
      {
        ruleSetId,
        effectiveFrom,
        today,
      },
    );
  }
}

/** An activation from a day before the delegation decision it names. */
export class ActivationBeforeDelegationDecision extends DomainError {
  readonly code = 'ACTIVATION_BEFORE_DELEGATION_DECISION';
  readonly kind = 'invalid';
  constructor(ruleSetId: string, effectiveFrom: string, decidedOn: string) {
    super(`Rule set ${ruleSetId} cannot be in force from ${effectiveFrom}, before the delegation decision of ${decidedOn} it rests on (kommuneloven § 13-1).`, {
      ruleSetId,
      effectiveFrom,
      decidedOn,
    });
  }
}

/** Where a drafted model goes: an existing version (nothing to append) or a new one. */
export type DraftTarget = { version: number; existing: boolean };

/**
 * The version a draft is stored as. A version is its rules (the parsed model; comments and
 * layout of the text do not count). Named version N: stored with the same rules, it is that
 * version again; stored with other rules, or below the latest, a conflict; else N (versions only
 * grow, gaps allowed). No version named: the latest again if its rules are the same, else latest + 1.
 */
export function draftTarget(state: RuleSetState, ruleSet: DelegationRuleSet, versionNamed: boolean): DraftTarget {
  const latest = state.versions.length > 0 ? state.versions[state.versions.length - 1].version : 0;
  const same = (v: RuleSetVersion) => sameValue({ ...v.ruleSet, version: 0 }, { ...ruleSet, version: 0 });
  if (!versionNamed) {
    const last = state.versions[state.versions.length - 1];
    return last && same(last) ? { version: last.version, existing: true } : { version: latest + 1, existing: false };
  }
  const stored = state.versions.find((v) => v.version === ruleSet.version);
  if (stored) {
    if (same(stored)) return { version: stored.version, existing: true };
    throw new RuleSetVersionConflict(ruleSet.id, ruleSet.version, `version ${ruleSet.version} is stored with other rules`, latest);
  }
  if (ruleSet.version < latest) throw new RuleSetVersionConflict(ruleSet.id, ruleSet.version, `versions only grow and the latest is ${latest}`, latest);
  return { version: ruleSet.version, existing: false };
}

/** Structural equality of JSON-like values; a member whose value is undefined counts as absent (as in the stored JSON). */
function sameValue(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null || Array.isArray(a) !== Array.isArray(b)) return false;
  if (Array.isArray(a)) return a.length === (b as unknown[]).length && a.every((v, i) => sameValue(v, (b as unknown[])[i]));
  const keys = (o: object) => Object.keys(o).filter((k) => (o as Record<string, unknown>)[k] !== undefined);
  const ka = keys(a);
  const kb = keys(b);
  return ka.length === kb.length && ka.every((k) => Object.hasOwn(b, k) && sameValue((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k]));
}

export function initialRuleSetState(): RuleSetState {
  return { ruleSetId: null, versions: [] };
}

/**
 * Reads a stored rule-set event as today's code writes it. Stateless and idempotent:
 * a RuleSetActivated recorded before activations named their delegation decision reads
 * `delegationDecision: null` (it was in force on a unit leader's word; history keeps it as it was).
 */
export function upcastRuleSetEvent(event: RuleSetEvent): RuleSetEvent {
  if (event.type === 'RuleSetActivated' && event.data.delegationDecision === undefined) {
    return { ...event, data: { ...event.data, delegationDecision: null } };
  }
  return event;
}

export function evolveRuleSet(state: RuleSetState, stored: RuleSetEvent): RuleSetState {
  const event = upcastRuleSetEvent(stored);
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
            delegationDecision: null,
            draftedAt: event.data.at,
            draftedBy: event.data.by.userId,
          },
        ],
      };
    case 'RuleSetActivated':
      return withVersion(state, event.data.version, (v) => ({
        ...v,
        status: 'active',
        effectiveFrom: event.data.effectiveFrom,
        delegationDecision: event.data.delegationDecision,
      }));
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
      // The law's limits hold from the first draft: an unlawful set is never stored (what-if may still analyse one).
      const parsed = requireWithinLegalLimits(validateDelegationRuleSet(command.data.ruleSet));
      if (state.ruleSetId !== null && state.ruleSetId !== parsed.id) throw new InvalidInput('id', `this stream holds rule set ${state.ruleSetId}`);
      const document = requireText(command.data.document, 'document', 200_000);
      const target = draftTarget(state, parsed, command.data.versionNamed !== false);
      // Drafting the same rules again changes nothing: the caller gets the existing version.
      if (target.existing) return [];
      return [drafted(parsed, target.version, document, command.data.format, ctx)];
    }
    case 'LoadShippedRuleSet': {
      if (!isSystemActor(ctx.actor)) throw new InvalidInput('type', 'shipped rule sets are loaded only by the system at start-up');
      const parsed = requireWithinLegalLimits(validateDelegationRuleSet(command.data.ruleSet));
      if (state.ruleSetId !== null && state.ruleSetId !== parsed.id) throw new InvalidInput('id', `this stream holds rule set ${state.ruleSetId}`);
      const document = requireText(command.data.document, 'document', 200_000);
      const target = draftTarget(state, parsed, true);
      if (target.existing) return [];
      const draftedEvent = drafted(parsed, target.version, document, command.data.format, ctx);
      // Only into an empty stream is the shipped set activated, from its own (past) date and on
      // no delegation decision of ours: it records the rules the municipality already had in
      // force when the system was installed, as history. Every later change is the delegation
      // authority's, on a named decision, never backdated (ActivateRuleSet).
      if (!command.data.activate || state.ruleSetId !== null) return [draftedEvent];
      const effectiveFrom = parseLocalDate(parsed.effectiveFrom, 'effectiveFrom');
      return [
        draftedEvent,
        { type: 'RuleSetActivated', data: { ruleSetId: parsed.id, version: target.version, effectiveFrom, delegationDecision: null, ...stamp(ctx) } },
      ];
    }
    case 'ActivateRuleSet': {
      requireRole(ctx.actor, ['delegation-authority'], 'activate delegation rules');
      const target = requireVersion(state, command.data.version);
      if (target.status !== 'draft') throw new RuleSetStatusConflict(state.ruleSetId!, target.version, target.status, 'activated');
      // A draft stored before the legal limits were checked is held to them here.
      requireWithinLegalLimits(target.ruleSet);
      const ruleSetId = state.ruleSetId!;
      const today = localDateOf(ctx.now);
      const delegationDecision = delegationDecisionOf(command.data.delegationDecision, ruleSetId, today);
      const effectiveFrom = parseLocalDate(command.data.effectiveFrom, 'effectiveFrom');
      if (compareDates(effectiveFrom, delegationDecision.decidedOn) < 0)
        throw new ActivationBeforeDelegationDecision(ruleSetId, effectiveFrom, delegationDecision.decidedOn);
      if (compareDates(effectiveFrom, today) < 0) throw new RuleSetBackdated(ruleSetId, effectiveFrom, today);
      return [{ type: 'RuleSetActivated', data: { ruleSetId, version: target.version, effectiveFrom, delegationDecision, ...stamp(ctx) } }];
    }
    case 'RetireRuleSet': {
      // Retiring an active version changes who may decide as much as activating one does.
      requireRole(ctx.actor, ['delegation-authority'], 'retire delegation rules');
      const target =
        command.data.version === undefined
          ? ([...state.versions].reverse().find((v) => v.status === 'active') ?? requireVersion(state, undefined))
          : requireVersion(state, command.data.version);
      if (target.status === 'retired') throw new RuleSetStatusConflict(state.ruleSetId!, target.version, target.status, 'retired');
      const reason = optionalText(command.data.reason, 'reason', 2000);
      return [{ type: 'RuleSetRetired', data: { ruleSetId: state.ruleSetId!, version: target.version, reason, ...stamp(ctx) } }];
    }
    default:
      throw new InvalidInput('type', `unknown command ${JSON.stringify((command as { type?: unknown }).type)}`);
  }
}

function drafted(parsed: DelegationRuleSet, version: number, document: string, format: 'yaml' | 'json', ctx: RuleSetContext): RuleSetDrafted {
  const ruleSet = { ...parsed, version };
  return { type: 'RuleSetDrafted', data: { ruleSetId: parsed.id, version, document, format, ruleSet: ruleSet as unknown as JsonObject, ...stamp(ctx) } };
}

/** The delegation decision an activation names, checked: body and case number as text, a day already passed or today. */
function delegationDecisionOf(value: unknown, ruleSetId: string, today: LocalDate): DelegationDecisionRef {
  if (value === undefined || value === null) throw new DelegationDecisionRequired(ruleSetId, 'None was named.');
  if (typeof value !== 'object' || Array.isArray(value)) throw new DelegationDecisionRequired(ruleSetId, 'It must be an object.');
  const v = value as Record<string, unknown>;
  const missing = (['body', 'decidedOn', 'caseNumber'] as const).filter((k) => v[k] === undefined || v[k] === null || v[k] === '');
  if (missing.length > 0) throw new DelegationDecisionRequired(ruleSetId, `Missing: ${missing.join(', ')}.`);
  const unknown = Object.keys(v).filter((k) => !['body', 'decidedOn', 'caseNumber'].includes(k));
  if (unknown.length > 0) throw new InvalidInput(`delegationDecision.${unknown[0]}`, 'is not a known field');
  const body = requireText(v.body, 'delegationDecision.body', 200);
  const caseNumber = requireText(v.caseNumber, 'delegationDecision.caseNumber', 100);
  const decidedOn = parseLocalDate(v.decidedOn, 'delegationDecision.decidedOn');
  // A decision not yet made cannot be what a rule set rests on.
  if (compareDates(decidedOn, today) > 0)
    throw new InvalidDate('delegationDecision.decidedOn', decidedOn, `must be a decision already made (today is ${today} or earlier)`);
  return { body, decidedOn, caseNumber };
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
