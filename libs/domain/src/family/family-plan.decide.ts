import type { DecisionContext } from '../shared/decision-context';
import { InvalidDate, InvalidInput } from '../shared/domain-error';
import { parseLocalDate, type LocalDate } from '../shared/local-date';
import type { Unit } from '../shared/units';
import { idOrNew, requireId, requireList, requireText, requireUnit } from '../shared/validation';
import { mayReadFamilyPlan } from './family-plan.access';
import {
  FamilyPlanAlreadyActive,
  FamilyPlanConsentMissing,
  FamilyPlanNotActive,
  FamilyPlanNotFound,
  FamilyPlanUnitWithoutPart,
  NotInFamilyPlan,
} from './family-plan.errors';
import type {
  EndFamilyPlan,
  FamilyPlan,
  FamilyPlanContent,
  FamilyPlanEnded,
  FamilyPlanRecorded,
  FamilyPlanReviewed,
  FamilyPlanRevised,
  PlanContentInput,
  PlanCoordinator,
  PlanGoal,
  PlanResponsibility,
  RecordFamilyPlan,
  ReviewFamilyPlan,
  ReviseFamilyPlan,
} from './family-plan.types';
import { AlreadyExists, ContactPersonNotFound, ContactPersonNotOfUnit } from './family.errors';
import { hasActivePart, parsePastDate, requireCurrentMember, requirePart, stamp, today } from './family.guards';
import { consentsInForce, currentMembers } from './family.queries';
import type { FamilyState } from './family.state';

/**
 * The family's plan (individuell plan, helse- og omsorgstjenesteloven § 7-1; the right to it,
 * pasient- og brukerrettighetsloven § 2-5; the coordinator, hol § 7-2). The pilot asked families
 * "what do you need for a better life?" and paid for what they answered in their own words; the
 * plan keeps the goals that way («Individuell plan er tjenestemottakerens plan. Det betyr at det
 * er dine mål som skal være utgangspunktet», Statsforvalteren). Rules:
 *
 * - only a unit with a part in the case writes it (fvl § 13, tjenstlig behov), and only a unit
 *   the plan names (the coordinator's, or one answering for a goal or a task);
 * - every unit it names has a part in the case; the coordinator is an active contact person of
 *   the unit named with them;
 * - it rests on consent: each member it is about has a coordination consent in force today
 *   naming every unit of the plan, given by the member or whoever may consent for them (the
 *   consent rules: barneloven ch. 5, pbrl § 4-3). An individual plan is not made without it
 *   (pbrl § 2-5 with the regulation's consent rule, see FamilyPlanConsentMissing);
 * - goals are words, not codes; review dates are today or later.
 * One plan is active at a time; it is revised, reviewed, and ended (by a unit with a reason, or
 * by the decider when a consent it rests on is withdrawn: familyDecisionConsequences).
 */

export function recordFamilyPlan(command: RecordFamilyPlan, state: FamilyState, ctx: DecisionContext): FamilyPlanRecorded[] {
  const unit = requirePart(state, ctx, 'record the family plan');
  const planId = idOrNew(command.data.planId, 'planId', ctx.newId);
  if ((state.familyPlans ?? {})[planId]) throw new AlreadyExists('family plan', planId);
  const active = activePlan(state);
  if (active) throw new FamilyPlanAlreadyActive(active.planId);
  const content = requirePlanContent(command.data, state, unit, ctx, null);
  return [{ type: 'FamilyPlanRecorded', data: { planId, ...content, ...stamp(ctx) } }];
}

export function reviseFamilyPlan(command: ReviseFamilyPlan, state: FamilyState, ctx: DecisionContext): FamilyPlanRevised[] {
  const unit = requirePart(state, ctx, 'revise the family plan');
  const plan = requireActivePlan(state, command.data.planId, unit, 'revise the family plan', ctx);
  const reason = requireText(command.data.reason, 'reason', 1000);
  const content = requirePlanContent(command.data, state, unit, ctx, plan);
  return [{ type: 'FamilyPlanRevised', data: { planId: plan.planId, ...content, reason, ...stamp(ctx) } }];
}

/** A review is a meeting that happened (today or earlier, not before the plan was recorded). */
export function reviewFamilyPlan(command: ReviewFamilyPlan, state: FamilyState, ctx: DecisionContext): FamilyPlanReviewed[] {
  const unit = requirePart(state, ctx, 'review the family plan');
  const plan = requireActivePlan(state, command.data.planId, unit, 'review the family plan', ctx);
  const on = parsePastDate(command.data.on, 'on', ctx);
  if (on < plan.recordedAt.slice(0, 10)) throw new InvalidDate('on', on, 'is before the plan was recorded');
  const notes = requireText(command.data.notes, 'notes', 4000);
  return [{ type: 'FamilyPlanReviewed', data: { planId: plan.planId, on, notes, ...stamp(ctx) } }];
}

export function endFamilyPlan(command: EndFamilyPlan, state: FamilyState, ctx: DecisionContext): FamilyPlanEnded[] {
  const unit = requirePart(state, ctx, 'end the family plan');
  const plan = requireActivePlan(state, command.data.planId, unit, 'end the family plan', ctx);
  const reason = requireText(command.data.reason, 'reason', 1000);
  return [{ type: 'FamilyPlanEnded', data: { planId: plan.planId, endedOn: today(ctx), reason, cause: null, ...stamp(ctx) } }];
}

/** The active plan, if any (at most one). */
export function activePlan(state: Pick<FamilyState, 'familyPlans'>): FamilyPlan | null {
  return Object.values(state.familyPlans ?? {}).find((p) => p.status === 'active') ?? null;
}

/** Every unit a plan names: the coordinator's, those answering for goals, those with tasks. */
export function planUnits(plan: Pick<FamilyPlanContent, 'coordinator' | 'goals' | 'responsibilities'>): Unit[] {
  return [...new Set<Unit>([plan.coordinator.unit, ...plan.goals.flatMap((g) => g.answeredBy), ...plan.responsibilities.map((r) => r.unit)])].sort();
}

/** A plan the actor may not read does not exist for them (the same 404 as a wrong id). */
function requireActivePlan(state: FamilyState, planId: unknown, unit: Unit, action: string, ctx: DecisionContext): FamilyPlan {
  const id = requireId(planId, 'planId');
  const plan = (state.familyPlans ?? {})[id];
  if (!plan || !mayReadFamilyPlan(state, ctx.actor, plan)) throw new FamilyPlanNotFound(id);
  if (plan.status !== 'active') throw new FamilyPlanNotActive(id);
  if (!planUnits(plan).includes(unit)) throw new NotInFamilyPlan(unit, action);
  return plan;
}

function requirePlanContent(input: PlanContentInput, state: FamilyState, unit: Unit, ctx: DecisionContext, previous: FamilyPlan | null): FamilyPlanContent {
  const usedGoalIds = new Set<string>();
  const goals = requireList(input.goals, 'goals', 1, (v, field) => requireGoal(v, field, state, ctx, usedGoalIds));
  const responsibilities = requireList(input.responsibilities, 'responsibilities', 1, requireResponsibility);
  const coordinator = requireCoordinator(input.coordinator, state);
  const reviewDates = requireReviewDates(input.reviewDates, ctx);
  const units = planUnits({ coordinator, goals, responsibilities });
  const withoutPart = units.filter((u) => !hasActivePart(state, u));
  if (withoutPart.length > 0) throw new FamilyPlanUnitWithoutPart(withoutPart);
  // The unit writing must itself be in the plan it writes (the revising unit in the new version too).
  if (!units.includes(unit)) throw new NotInFamilyPlan(unit, previous ? 'revise the family plan' : 'record the family plan');
  const memberIds = goals.some((g) => g.memberIds.length === 0)
    ? currentMembers(state)
        .map((m) => m.memberId)
        .sort()
    : [...new Set(goals.flatMap((g) => g.memberIds))].sort();
  const consentIds = requirePlanConsents(state, today(ctx), memberIds, units);
  return { goals, responsibilities, coordinator, reviewDates, memberIds, consentIds };
}

/** A goal in the family's own words (see looksLikeCode); memberIds left out: the whole family. */
function requireGoal(value: unknown, field: string, state: FamilyState, ctx: DecisionContext, used: Set<string>): PlanGoal {
  const input = (value ?? {}) as Record<string, unknown>;
  const goalId = idOrNew(input.goalId, `${field}.goalId`, ctx.newId);
  if (used.has(goalId)) throw new InvalidInput(`${field}.goalId`, 'names the same goal twice');
  used.add(goalId);
  const words = requireText(input.words, `${field}.words`, 1000).trim();
  if (looksLikeCode(words)) throw new InvalidInput(`${field}.words`, "must be the family's own words, not a code");
  const memberIds =
    input.memberIds === undefined || input.memberIds === null
      ? []
      : requireList(input.memberIds, `${field}.memberIds`, 0, (v, f) => requireCurrentMember(state, v, f).memberId).sort();
  const answeredBy = requireList(input.answeredBy, `${field}.answeredBy`, 1, (v) => requireUnit(v)).sort();
  return { goalId, words, memberIds, answeredBy };
}

/**
 * A code, not words: every token only capitals, digits and signs, with a digit, '_' or '.'
 * somewhere ("Z59.0", "ICD-10 F32", "GOAL_2"). Words in scripts without case (Arabic,
 * Tigrinya) and words in capitals without digits pass: only what looks like a code is refused.
 */
export function looksLikeCode(words: string): boolean {
  const tokens = words.split(/\s+/).filter(Boolean);
  return tokens.every((t) => /^[\p{Lu}\p{N}\p{P}\p{S}]+$/u.test(t)) && /[\p{N}_.]/u.test(words);
}

function requireResponsibility(value: unknown, field: string): PlanResponsibility {
  const input = (value ?? {}) as Record<string, unknown>;
  return { unit: requireUnit(input.unit), for: requireText(input.for, `${field}.for`, 500).trim() };
}

function requireCoordinator(value: unknown, state: FamilyState): PlanCoordinator {
  const input = (value ?? {}) as Record<string, unknown>;
  const unit = requireUnit(input.unit);
  const personId = requireId(input.personId, 'coordinator.personId');
  const person = state.team[personId];
  if (!person?.active) throw new ContactPersonNotFound(personId);
  if (person.affiliation.kind !== 'unit' || person.affiliation.unit !== unit) throw new ContactPersonNotOfUnit(personId, unit);
  return { personId, unit };
}

/** At least one review date, each today or later; kept sorted. */
function requireReviewDates(value: unknown, ctx: DecisionContext): LocalDate[] {
  const dates = requireList(value, 'reviewDates', 1, (v, f) => parseLocalDate(v, f));
  const day = today(ctx);
  dates.forEach((d, i) => {
    if (d < day) throw new InvalidDate(`reviewDates[${i}]`, d, 'must be today or later');
  });
  return [...dates].sort();
}

/**
 * For each member: a coordination consent in force today naming every unit of the plan. Given
 * by the member or whoever may consent for them (checked when it was given). Returns them sorted.
 */
function requirePlanConsents(state: FamilyState, date: LocalDate, memberIds: string[], units: Unit[]): string[] {
  const consentIds: string[] = [];
  const missing: string[] = [];
  for (const memberId of memberIds) {
    const consent = consentsInForce(state, date, { memberId, kind: 'coordination' }).find((c) => units.every((u) => c.toUnits.includes(u)));
    if (consent) consentIds.push(consent.consentId);
    else missing.push(memberId);
  }
  if (missing.length > 0) throw new FamilyPlanConsentMissing(missing, units);
  return [...new Set(consentIds)].sort();
}
