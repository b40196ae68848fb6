import { mayBundle, resolveDeciders, ruleCovers } from '../delegation/competence.evaluator';
import { decisionTypeEntry } from '../delegation/decision-type.catalogue';
import { competenceFamily } from './decision-competence';
import { NotBundlable } from '../delegation/delegation.errors';
import type { DecisionContext } from '../shared/decision-context';
import { InvalidDate } from '../shared/domain-error';
import { addDays, isLocalDate, parseLocalDate, type LocalDate } from '../shared/local-date';
import type { Unit } from '../shared/units';
import { idOrNew, requireId, requireList, requireUnit } from '../shared/validation';
import type { IssueFamilyDecision } from './family.commands';
import { AlreadyExists, ConsentMissing, ContactPersonNotFound, ContactPersonNotOfUnit } from './family.errors';
import type { FamilyDecisionIssued, FamilyEvent } from './family.events';
import { foldFamily } from './family.evolve';
import type { FamilyDecisionSuspended, FamilyPlanEnded, FollowUpCause } from './family-plan.types';
import { requireApprover, requireDecisionIn, requirePart, stamp, today } from './family.guards';
import { consentsInForce, currentAdults, familyDecisionInForce } from './family.queries';
import type { Decision, FamilyDecision, FamilyState } from './family.state';
import type { IncludedDecision } from './family.values';

/**
 * The family decision (familievedtak): one letter and one contact for the whole family,
 * bundling the members' active decisions. Each keeps its own legal basis and deciding
 * unit; only the review date, the responsible unit and the contact person are common.
 */

export function issueFamilyDecision(command: IssueFamilyDecision, state: FamilyState, ctx: DecisionContext): FamilyDecisionIssued[] {
  requirePart(state, ctx, 'issue a family decision');
  const data = command.data;
  const responsibleUnit = requireUnit(data.responsibleUnit);
  requireApprover(ctx.actor, responsibleUnit, 'issue a family decision');
  const familyDecisionId = idOrNew(data.familyDecisionId, 'familyDecisionId', ctx.newId);
  if (state.familyDecisions[familyDecisionId]) throw new AlreadyExists('family decision', familyDecisionId);
  const decisions = requireList(data.decisionIds, 'decisionIds', 1, requireId).map((id, i) =>
    requireDecisionIn(state, id, ['active'], 'included in a family decision', ctx, `decisionIds[${i}]`),
  );
  decisions.forEach((decision) => requireBundlable(state, decision, responsibleUnit, ctx));
  const reviewDate = parseLocalDate(data.reviewDate, 'reviewDate');
  if (reviewDate < today(ctx)) throw new InvalidDate('reviewDate', reviewDate, 'must be today or later');
  const contactPersonId = requireContactPersonOf(state, data.contactPersonId, responsibleUnit);
  const units = [...new Set<Unit>([responsibleUnit, ...decisions.map((d) => d.unit)])];
  const consentIds = requireAdultsConsent(state, today(ctx), units);
  return [
    {
      type: 'FamilyDecisionIssued',
      data: {
        familyDecisionId,
        decisions: decisions.map(included),
        reviewDate,
        responsibleUnit,
        contactPersonId,
        consentIds,
        ruleSetId: ctx.ruleSet.id,
        ruleSetVersion: ctx.ruleSet.version,
        supersedes: familyDecisionInForce(state)?.familyDecisionId ?? null,
        ...stamp(ctx),
      },
    },
  ];
}

/**
 * The rule set in force must allow the decision to be bundled: a rule covering its type under
 * which its unit decides (or could, for this family) that is bundlable by the responsible unit.
 */
function requireBundlable(state: FamilyState, decision: Decision, responsibleUnit: Unit, ctx: DecisionContext): void {
  const family = competenceFamily(state);
  const bundlable = ctx.ruleSet.rules.some(
    (rule) =>
      ruleCovers(rule, decision.decisionType) &&
      resolveDeciders(rule, family).some((d) => d.units.includes(decision.unit)) &&
      mayBundle(rule, responsibleUnit, family),
  );
  if (!bundlable) throw new NotBundlable(decision.decisionId, decisionTypeEntry(decision.decisionType).label, ctx.ruleSet.id);
}

function requireContactPersonOf(state: FamilyState, personId: unknown, unit: Unit): string {
  const id = requireId(personId, 'contactPersonId');
  const person = state.team[id];
  if (!person?.active) throw new ContactPersonNotFound(id);
  if (person.affiliation.kind !== 'unit' || person.affiliation.unit !== unit) throw new ContactPersonNotOfUnit(id, unit);
  return id;
}

/**
 * Every adult in the household must have a 'combine-family-decision' consent in force today
 * that covers every unit involved; returns the consents relied on, for the auditor.
 */
function requireAdultsConsent(state: FamilyState, date: string, units: Unit[]): string[] {
  const consentIds: string[] = [];
  const missing: string[] = [];
  for (const adult of currentAdults(state)) {
    const consent = consentsInForce(state, date, { memberId: adult.memberId, kind: 'combine-family-decision' }).find((c) =>
      units.every((unit) => c.toUnits.includes(unit)),
    );
    if (consent) consentIds.push(consent.consentId);
    else missing.push(adult.memberId);
  }
  if (missing.length > 0) throw new ConsentMissing(missing, units);
  return consentIds;
}

function included(decision: Decision): IncludedDecision {
  return {
    decisionId: decision.decisionId,
    unit: decision.unit,
    decisionType: decision.decisionType,
    memberIds: decision.memberIds,
    legalBasis: decision.legalBasis,
    periodFrom: decision.periodFrom,
    periodUntil: decision.periodUntil,
  };
}

// ---------------------------------------------------------------------------------------------
// A family decision follows its parts

/**
 * The follow-up events of a command, appended in the same append as its own events: a family
 * decision (or the family plan) never outlives what it rests on.
 *
 * - A family decision bundles decisions that each keep their own legal basis and unit; it only
 *   gathers them into one letter, one contact and one review date (seed l.4600-4622). When a
 *   bundled decision is revoked (fvl § 35), ends (its period is over), or is quashed on appeal
 *   (fvl § 34), the letter no longer describes what the family holds: it is suspended, with the
 *   cause and from the day the part fell away, until a new family decision is issued.
 * - It rests on every adult's consent to combine (the pilot's consent form); a consent can be
 *   withdrawn at any time, and the family decision is suspended from the day it no longer holds.
 * - The family plan rests on the members' consent: an individual plan is not made without it
 *   (pbrl § 2-5 and the regulation's consent rule), so the withdrawal of a consent it rests on
 *   ends it (FamilyPlanEnded with the cause); the units may record a new plan on a new consent.
 *
 * Pure: derived from the state before the command and the state after its events. Only causes
 * that arise with these events count (a family decision of an old stream, still in force after
 * a revocation recorded before this rule, is left as it was read).
 */
export function familyDecisionConsequences(before: FamilyState, events: readonly FamilyEvent[], ctx: DecisionContext): FamilyEvent[] {
  const inForce = Object.values(before.familyDecisions).filter((f) => f.status === 'in-force');
  const plans = Object.values(before.familyPlans ?? {}).filter((p) => p.status === 'active');
  if (events.length === 0 || (inForce.length === 0 && plans.length === 0)) return [];
  const after = foldFamily(events, before);
  const followUps: FamilyEvent[] = [];
  for (const familyDecision of inForce) {
    // Superseded by these events: the new one replaces it. (A withdrawal also suspends implicitly in evolve, as for old streams: the cause is still recorded.)
    if (after.familyDecisions[familyDecision.familyDecisionId]?.status === 'superseded') continue;
    const cause = firstCause(familyDecision, before, after, events, ctx);
    if (cause) followUps.push(suspended(familyDecision.familyDecisionId, cause, ctx));
  }
  for (const plan of plans) {
    const withdrawn = plan.consentIds.find((id) => newlyWithdrawn(id, before, after));
    if (withdrawn) followUps.push(planEnded(plan.planId, withdrawn, after.consents[withdrawn].withdrawnFrom ?? today(ctx), ctx));
  }
  return followUps;
}

type DatedCause = { cause: FollowUpCause; effectiveFrom: LocalDate };

/** Decision statuses that end what a family decision bundles (read by name: a status another part adds counts once it exists). */
const CAUSE_OF_STATUS: Partial<Record<string, FollowUpCause['kind']>> = {
  revoked: 'decision-revoked',
  expired: 'decision-ended',
  quashed: 'decision-quashed',
};

function firstCause(
  familyDecision: FamilyDecision,
  before: FamilyState,
  after: FamilyState,
  events: readonly FamilyEvent[],
  ctx: DecisionContext,
): DatedCause | null {
  for (const included of familyDecision.decisions) {
    const quashed = quashedOnAppeal(included.decisionId, events);
    if (quashed) return { cause: { kind: 'decision-quashed', id: included.decisionId }, effectiveFrom: quashed };
    const was = before.decisions[included.decisionId];
    const now = after.decisions[included.decisionId];
    const kind = now ? CAUSE_OF_STATUS[now.status] : undefined;
    if (!kind || (was && CAUSE_OF_STATUS[was.status])) continue;
    return { cause: { kind, id: included.decisionId }, effectiveFrom: effectiveFromOf(now, kind, events, ctx) };
  }
  for (const consentId of familyDecision.consentIds) {
    if (newlyWithdrawn(consentId, before, after)) {
      return { cause: { kind: 'consent-withdrawn', id: consentId }, effectiveFrom: after.consents[consentId].withdrawnFrom ?? today(ctx) };
    }
  }
  return null;
}

/**
 * The appeal body quashed the decision and sent it back (fvl § 34 (4)): the unit must decide
 * anew, so the decision no longer stands from the body's decision day. Read by the event's
 * fields, whatever else the appeal events carry.
 */
function quashedOnAppeal(decisionId: string, events: readonly FamilyEvent[]): LocalDate | null {
  for (const event of events) {
    const data = event.data as { decisionId?: unknown; outcome?: unknown; decidedOn?: unknown };
    if (event.type === 'AppealOutcomeRecorded' && data.decisionId === decisionId && data.outcome === 'quashed-returned' && isLocalDate(data.decidedOn))
      return data.decidedOn;
  }
  return null;
}

function newlyWithdrawn(consentId: string, before: FamilyState, after: FamilyState): boolean {
  return before.consents[consentId]?.withdrawnFrom === null && (after.consents[consentId]?.withdrawnFrom ?? null) !== null;
}

/**
 * The day the part fell away, in valid time: the effective date the causing event carries
 * (a revocation's or an appeal outcome's `effectiveFrom`), else for an ended period the day
 * after it ends, else the day it was recorded.
 */
function effectiveFromOf(decision: Decision, kind: FollowUpCause['kind'], events: readonly FamilyEvent[], ctx: DecisionContext): LocalDate {
  for (const event of events) {
    const data = event.data as { decisionId?: unknown; appealedDecisionId?: unknown; effectiveFrom?: unknown; effect?: { effectiveFrom?: unknown } | null };
    if (data.decisionId !== decision.decisionId && data.appealedDecisionId !== decision.decisionId) continue;
    if (isLocalDate(data.effectiveFrom)) return data.effectiveFrom;
    if (isLocalDate(data.effect?.effectiveFrom)) return data.effect.effectiveFrom;
  }
  return kind === 'decision-ended' ? addDays(decision.periodUntil, 1) : today(ctx);
}

function suspended(familyDecisionId: string, { cause, effectiveFrom }: DatedCause, ctx: DecisionContext): FamilyDecisionSuspended {
  return { type: 'FamilyDecisionSuspended', data: { familyDecisionId, cause, effectiveFrom, ...stamp(ctx) } };
}

function planEnded(planId: string, consentId: string, endedOn: LocalDate, ctx: DecisionContext): FamilyPlanEnded {
  return { type: 'FamilyPlanEnded', data: { planId, endedOn, reason: null, cause: { kind: 'consent-withdrawn', id: consentId }, ...stamp(ctx) } };
}
