import type { Decider } from '../shared/decider';
import type { DecisionContext } from '../shared/decision-context';
import type { Actor } from '../shared/actor';
import { ActionNotPermitted, InvalidInput } from '../shared/domain-error';
import { localDateOf, parseLocalDate } from '../shared/local-date';
import { parseOre } from '../shared/money';
import { requireActorOfUnit, requireMunicipalActor, requireRole } from '../shared/permissions';
import type { Role } from '../shared/roles';
import { ORGANISATION_NUMBER } from '../family/family.values';
import { stamp } from '../shared/stamp';
import { optionalText, requireBoolean, requireId, requireList, requireOneOf, requireText, requireUnit } from '../shared/validation';
import { compareSemesters, parseSemester, semesterOf, semestersFrom } from './semester';
import type {
  ApproveSubProject,
  PaymentRunItem,
  RecordPaymentRun,
  RecordSpend,
  ReverseSpend,
  ReviewSubProject,
  SubProjectCommand,
} from './sub-project.commands';
import {
  BudgetExceeded,
  NoResponsibleMunicipalActor,
  PartnerMayNotPay,
  PaymentRunAlreadyRecorded,
  PaymentRunOverBudget,
  ReviewAlreadyRecorded,
  SemesterNotFunded,
  SpendAlreadyRecorded,
  SpendAlreadyReversed,
  SpendNotFound,
  StaffNotFundable,
  SubProjectAlreadyApproved,
  SubProjectNotFound,
  SubProjectWasTerminated,
  TooFewActors,
} from './sub-project.errors';
import type { PaymentRunRecorded, SpendRecorded, SpendReversed, SubProjectApproved, SubProjectEvent } from './sub-project.events';
import { evolveSubProject } from './sub-project.evolve';
import { initialSubProjectState, remainingBudget, type SubProjectState } from './sub-project.state';
import {
  DEFAULT_SEMESTER_BUDGET_ORE,
  DEFAULT_SEMESTER_COUNT,
  MAX_PAYMENT_RUN_SIZE,
  MIN_SUB_PROJECT_ACTORS,
  type PaymentToComplete,
  REVIEW_OUTCOMES,
  SPEND_CATEGORIES,
  type SubProjectActor,
} from './sub-project.values';

/**
 * A pilot sub-project (delprosjekt): at least three actors, one municipal unit responsible,
 * a budget per semester that is never overspent, and a review every six months that may
 * stop it. Needs no delegation rules, so it takes any context with now, newId and actor.
 */
export type SubProjectContext = Pick<DecisionContext, 'now' | 'newId' | 'actor'>;

export function decideSubProject(command: SubProjectCommand, state: SubProjectState, ctx: SubProjectContext): SubProjectEvent[] {
  switch (command.type) {
    case 'ApproveSubProject':
      return approveSubProject(command, state, ctx);
    case 'RecordSpend':
      return recordSpend(command, state, ctx);
    case 'RecordPaymentRun':
      return recordPaymentRun(command, state, ctx);
    case 'ReverseSpend':
      return reverseSpend(command, state, ctx);
    case 'ReviewSubProject':
      return reviewSubProject(command, state, ctx);
    default:
      throw new InvalidInput('type', `unknown command ${JSON.stringify((command as { type?: unknown }).type)}`);
  }
}

export const subProjectDecider: Decider<SubProjectCommand, SubProjectEvent, SubProjectState, SubProjectContext> = {
  decide: decideSubProject,
  evolve: evolveSubProject,
  initialState: initialSubProjectState,
};

function approveSubProject(command: ApproveSubProject, state: SubProjectState, ctx: SubProjectContext): SubProjectApproved[] {
  requireRole(ctx.actor, ['unit-leader'], 'approve a sub-project');
  const data = command.data;
  const subProjectId = requireId(data.subProjectId, 'subProjectId');
  if (state.status !== 'none') throw new SubProjectAlreadyApproved(subProjectId);
  const responsibleUnit = requireUnit(data.responsibleUnit);
  // Only the leader of the unit that will answer for the money approves it.
  requireActorOfUnit(ctx.actor, responsibleUnit, 'approve a sub-project it is responsible for', ['unit-leader']);
  const actors = parseActors(data.actors);
  const distinctActors = new Set(actors.map((a) => a.name.trim().toLowerCase())).size;
  if (distinctActors < MIN_SUB_PROJECT_ACTORS) throw new TooFewActors(distinctActors, MIN_SUB_PROJECT_ACTORS);
  if (!actors.some((a) => a.municipal && a.unit === responsibleUnit)) throw new NoResponsibleMunicipalActor(responsibleUnit);
  const semesterCount = data.semesterCount ?? DEFAULT_SEMESTER_COUNT;
  if (!Number.isInteger(semesterCount) || semesterCount < 1 || semesterCount > 20) {
    throw new InvalidInput('semesterCount', 'must be a whole number of semesters from 1 to 20');
  }
  return [
    {
      type: 'SubProjectApproved',
      data: {
        subProjectId,
        name: requireText(data.name, 'name', 200),
        actors,
        responsibleUnit,
        semesterBudgetOre:
          data.semesterBudgetOre === undefined ? DEFAULT_SEMESTER_BUDGET_ORE : parseOre(data.semesterBudgetOre, 'semesterBudgetOre', { positive: true }),
        goals: requireList(data.goals, 'goals', 1, (v, f) => requireText(v, f, 1000)),
        semesters: semestersFrom(parseSemester(data.firstSemester, 'firstSemester'), semesterCount),
        ...stamp(ctx),
      },
    },
  ];
}

function recordSpend(command: RecordSpend, state: SubProjectState, ctx: SubProjectContext): SpendRecorded[] {
  const subProjectId = requireMaySpend(state, ctx);
  return [spendFrom(command.data, state, ctx, subProjectId, null)];
}

/** Who may spend: the responsible unit's municipal staff, or a partner organisation given leave to pay. */
function requireMaySpend(state: SubProjectState, ctx: SubProjectContext): string {
  if (ctx.actor.role !== 'partner') requireMunicipalActor(ctx.actor, 'spend sub-project money');
  const subProjectId = requireSpendable(state);
  if (ctx.actor.role === 'partner') requirePayingPartner(ctx.actor, state, subProjectId);
  else requireResponsibleUnit(ctx.actor, state, 'spend sub-project money');
  return subProjectId;
}

/** One spend checked against `state` (which already holds the earlier spends of a run). */
function spendFrom(data: RecordSpend['data'], state: SubProjectState, ctx: SubProjectContext, subProjectId: string, runId: string | null): SpendRecorded {
  const paymentId = requireId(data.paymentId, 'paymentId');
  if (state.spends[paymentId]) throw new SpendAlreadyRecorded(paymentId);
  const category = requireOneOf(data.category, 'category', SPEND_CATEGORIES);
  if (category === 'staff') throw new StaffNotFundable();
  const amountOre = parseOre(data.amountOre, 'amountOre', { positive: true });
  const spentOn = parseLocalDate(data.spentOn, 'spentOn');
  const semester = semesterOf(spentOn);
  if (!state.semesters.includes(semester)) throw new SemesterNotFunded(semester, state.semesters);
  const remaining = remainingBudget(state, semester);
  if (amountOre > remaining) throw new BudgetExceeded(subProjectId, semester, amountOre, remaining);
  const familyId = data.familyId === undefined || data.familyId === null ? null : requireId(data.familyId, 'familyId');
  const payment = data.payment === undefined || data.payment === null ? null : parsePaymentToComplete(data.payment);
  if (payment && familyId === null) throw new InvalidInput('familyId', 'a spend that pays a family payment names the family');
  return {
    type: 'SpendRecorded',
    data: {
      subProjectId,
      paymentId,
      amountOre,
      category,
      semester,
      spentOn,
      familyId,
      description: optionalText(data.description, 'description', 1000),
      semesterRemainingOre: remaining - amountOre,
      payment,
      runId,
      ...stamp(ctx),
    },
  };
}

/** The family payment's own fields, checked only as far as the budget cares (the family's decider checks the rest). */
function parsePaymentToComplete(value: unknown): PaymentToComplete {
  const input = value as Partial<Record<keyof PaymentToComplete, unknown>> | null;
  if (typeof input !== 'object' || input === null || Array.isArray(input)) throw new InvalidInput('payment', 'must describe the family payment');
  const optionalId = (v: unknown, field: string) => (v === undefined || v === null ? null : requireId(v, field));
  return {
    recipientMemberId: requireId(input.recipientMemberId, 'payment.recipientMemberId'),
    answersNeedId: optionalId(input.answersNeedId, 'payment.answersNeedId'),
    answersDecisionId: optionalId(input.answersDecisionId, 'payment.answersDecisionId'),
    documentationRef: requireText(input.documentationRef, 'payment.documentationRef', 200),
    countsAsIncome: input.countsAsIncome === undefined || input.countsAsIncome === null ? null : requireBoolean(input.countsAsIncome, 'payment.countsAsIncome'),
  };
}

/**
 * A payment run is checked as a whole: the run's total per semester must fit what is left
 * (refused naming the run's total, not its first payment that fails), and every payment must
 * be a spend the actor may record on its own. Nothing is recorded unless all of it is.
 */
function recordPaymentRun(command: RecordPaymentRun, state: SubProjectState, ctx: SubProjectContext): SubProjectEvent[] {
  const subProjectId = requireMaySpend(state, ctx);
  const data = command.data;
  const runId = requireId(data.runId, 'runId');
  if (state.runs[runId]) throw new PaymentRunAlreadyRecorded(runId);
  const description = requireText(data.description, 'description', 1000);
  const fingerprint = requireText(data.fingerprint, 'fingerprint', 200);
  if (!Array.isArray(data.payments) || data.payments.length === 0) throw new InvalidInput('payments', 'a payment run pays at least one payment');
  if (data.payments.length > MAX_PAYMENT_RUN_SIZE) throw new InvalidInput('payments', `a payment run pays at most ${MAX_PAYMENT_RUN_SIZE} payments`);
  const items: PaymentRunItem[] = data.payments;
  const seen = new Set<string>();
  const totalBySemesterOre: Record<string, number> = {};
  for (const [i, item] of items.entries()) {
    if (typeof item !== 'object' || item === null) throw new InvalidInput(`payments[${i}]`, 'must describe a payment');
    const paymentId = requireId(item.paymentId, `payments[${i}].paymentId`);
    if (seen.has(paymentId)) throw new InvalidInput(`payments[${i}].paymentId`, `payment ${paymentId} appears twice in the run`);
    seen.add(paymentId);
    const semester = semesterOf(parseLocalDate(item.spentOn, `payments[${i}].spentOn`));
    totalBySemesterOre[semester] = (totalBySemesterOre[semester] ?? 0) + parseOre(item.amountOre, `payments[${i}].amountOre`, { positive: true });
  }
  for (const [semester, total] of Object.entries(totalBySemesterOre)) {
    if (!state.semesters.includes(semester as (typeof state.semesters)[number])) throw new SemesterNotFunded(semester, state.semesters);
    const remaining = remainingBudget(state, semester as (typeof state.semesters)[number]);
    if (total > remaining) throw new PaymentRunOverBudget(subProjectId, semester, total, remaining);
  }
  const spends: SpendRecorded[] = [];
  let running = state;
  for (const item of items) {
    if (item.payment === undefined || item.payment === null) throw new InvalidInput('payments', 'every payment of a run names its family payment');
    const spend = spendFrom(item, running, ctx, subProjectId, runId);
    spends.push(spend);
    running = evolveSubProject(running, spend);
  }
  const remainingBySemesterOre = Object.fromEntries(
    Object.keys(totalBySemesterOre).map((semester) => [semester, remainingBudget(running, semester as (typeof state.semesters)[number])]),
  );
  const run: PaymentRunRecorded = {
    type: 'PaymentRunRecorded',
    data: {
      subProjectId,
      runId,
      description,
      count: spends.length,
      totalOre: spends.reduce((sum, s) => sum + s.data.amountOre, 0),
      totalBySemesterOre,
      remainingBySemesterOre,
      paymentIds: spends.map((s) => s.data.paymentId),
      familyIds: [...new Set(spends.map((s) => s.data.familyId as string))],
      fingerprint,
      ...stamp(ctx),
    },
  };
  return [run, ...spends];
}

/** Gives the money back to its semester; allowed after termination too (it only returns money). */
function reverseSpend(command: ReverseSpend, state: SubProjectState, ctx: SubProjectContext): SpendReversed[] {
  if (ctx.actor.role !== 'partner') requireMunicipalActor(ctx.actor, 'reverse a sub-project payment');
  if (state.status === 'none' || state.subProjectId === null) throw new SubProjectNotFound();
  if (ctx.actor.role !== 'partner') requireResponsibleUnit(ctx.actor, state, 'reverse a sub-project payment');
  const paymentId = requireId(command.data.paymentId, 'paymentId');
  const spend = state.spends[paymentId];
  if (!spend) throw new SpendNotFound(paymentId);
  // A partner only takes back a spend of its own (the API does so when the family refuses the payment it paid for).
  if (ctx.actor.role === 'partner' && (spend.recordedBy.role !== 'partner' || spend.recordedBy.userId !== ctx.actor.userId)) {
    throw new ActionNotPermitted('reverse a sub-project payment', 'partner', 'a partner may only take back a spend it recorded itself.');
  }
  if (spend.reversed) throw new SpendAlreadyReversed(paymentId);
  return [
    {
      type: 'SpendReversed',
      data: {
        subProjectId: state.subProjectId,
        paymentId,
        amountOre: spend.amountOre,
        semester: spend.semester,
        reason: requireText(command.data.reason, 'reason', 1000),
        // The family's payment key encrypts the reason (often the family's own reversal reason): found from the event alone.
        familyId: spend.familyId,
        ...stamp(ctx),
      },
    },
  ];
}

function reviewSubProject(command: ReviewSubProject, state: SubProjectState, ctx: SubProjectContext): SubProjectEvent[] {
  requireRole(ctx.actor, ['unit-leader'], 'review a sub-project');
  const subProjectId = requireSpendable(state);
  requireResponsibleUnit(ctx.actor, state, 'review or terminate this sub-project', ['unit-leader']);
  const data = command.data;
  const semester = parseSemester(data.semester, 'semester');
  if (!state.semesters.includes(semester)) throw new SemesterNotFunded(semester, state.semesters);
  if (compareSemesters(semester, semesterOf(localDateOf(ctx.now))) > 0) {
    throw new InvalidInput('semester', `${semester} has not started yet; review it when it has run`);
  }
  if (state.reviews[semester]) throw new ReviewAlreadyRecorded(semester);
  const outcome = requireOneOf(data.outcome, 'outcome', REVIEW_OUTCOMES);
  const goalAttainment = requireText(data.goalAttainment, 'goalAttainment', 5000);
  const reviewed: SubProjectEvent = {
    type: 'SubProjectReviewed',
    data: { subProjectId, semester, outcome, goalAttainment, ...stamp(ctx) },
  };
  if (outcome === 'continue') return [reviewed];
  return [reviewed, { type: 'SubProjectTerminated', data: { subProjectId, semester, reason: goalAttainment, ...stamp(ctx) } }];
}

/** A partner pays only as a non-municipal actor of the sub-project that may record payments: organisation numbers compared exactly. */
function requirePayingPartner(actor: Actor, state: SubProjectState, subProjectId: string): void {
  const organisation = actor.partnerOrganisation;
  const allowed = !!organisation && state.actors.some((a) => !a.municipal && a.mayRecordPayments === true && a.organisationNumber === organisation);
  if (!allowed) throw new PartnerMayNotPay(subProjectId, actor.partnerOrganisation ?? null);
}

/** Municipal staff act on a sub-project's money only for its responsible unit. */
function requireResponsibleUnit(actor: Actor, state: SubProjectState, action: string, roles?: readonly Role[]): void {
  if (!state.responsibleUnit) throw new SubProjectNotFound();
  requireActorOfUnit(actor, state.responsibleUnit, action, roles);
}

function requireSpendable(state: SubProjectState): string {
  if (state.status === 'none' || state.subProjectId === null) throw new SubProjectNotFound();
  if (state.status === 'terminated') throw new SubProjectWasTerminated(state.subProjectId);
  return state.subProjectId;
}

function parseActors(value: unknown): SubProjectActor[] {
  if (!Array.isArray(value)) throw new InvalidInput('actors', 'must be a list');
  return value.map((input: Partial<Record<string, unknown>> | null, i) => {
    const field = `actors[${i}]`;
    if (typeof input !== 'object' || input === null) throw new InvalidInput(field, 'must describe an actor');
    const municipal = requireBoolean(input.municipal, `${field}.municipal`);
    const unit = input.unit === undefined || input.unit === null ? null : requireUnit(input.unit);
    if (!municipal && unit !== null) throw new InvalidInput(`${field}.unit`, 'only a municipal actor belongs to a unit');
    const mayRecordPayments =
      input.mayRecordPayments === undefined || input.mayRecordPayments === null ? false : requireBoolean(input.mayRecordPayments, `${field}.mayRecordPayments`);
    if (municipal && mayRecordPayments) {
      throw new InvalidInput(`${field}.mayRecordPayments`, 'only a non-municipal actor is given leave to record payments (municipal staff pay as their unit)');
    }
    const organisationNumber = municipal ? null : requireText(input.organisationNumber, `${field}.organisationNumber`, 9);
    if (organisationNumber !== null && !ORGANISATION_NUMBER.test(organisationNumber)) {
      throw new InvalidInput(`${field}.organisationNumber`, 'must be the 9-digit organisation number of the partner');
    }
    return { name: requireText(input.name, `${field}.name`, 200), municipal, unit, organisationNumber, mayRecordPayments };
  });
}
