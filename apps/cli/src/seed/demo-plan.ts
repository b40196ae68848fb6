import { lastDay, semesterLastMonth } from './calendar';
import { unitLeader, actorOf } from './demo-staff';
import type { Cohort } from './family-builder';
import { planOrdinaryFamilies } from './ordinary-cohort';
import {
  planBrundalenFamilies,
  planDrivingLicenceFamilies,
  planFritidFamilies,
  planLademoenFamilies,
  planStoppedSubProjectFamilies,
  planSteadyStartFamilies,
} from './pilot-cohorts';
import { PlanContext, type DemoPlanOptions, type DemoStep, type PlannedSubProject } from './plan-context';
import { planRefugeeFamilies } from './refugee-cohort';

export type DemoFamily = { key: string; familyId: string; cohort: Cohort; steps: DemoStep[] };

/** Everything the demo will send, in order: sub-projects first, then family by family, then the reviews. */
export type DemoPlan = {
  seed: number;
  scale: number;
  today: string;
  pilotStart: string;
  subProjects: PlannedSubProject[];
  approvals: DemoStep[];
  families: DemoFamily[];
  reviews: DemoStep[];
};

/**
 * The demo as data: pure, no I/O, the same plan for the same options. Executing it is the
 * seeder's job (demo-seeder.ts), through the command services the API uses.
 */
export function planDemo(options: DemoPlanOptions): DemoPlan {
  const ctx = new PlanContext(options);
  if (ctx.payingMonths('flyktning').length === 0) {
    throw new Error(`The demo's pilot starts in ${ctx.pilotStart}; today (${ctx.today}) is too early to have any history.`);
  }
  const subProjects = Object.values(ctx.subProjects);
  const builders = [
    ...planRefugeeFamilies(ctx),
    ...planFritidFamilies(ctx),
    ...planDrivingLicenceFamilies(ctx),
    ...planSteadyStartFamilies(ctx),
    ...planBrundalenFamilies(ctx),
    ...planLademoenFamilies(ctx),
    ...planStoppedSubProjectFamilies(ctx),
    ...planOrdinaryFamilies(ctx),
  ];
  return {
    seed: ctx.seed,
    scale: ctx.scale,
    today: ctx.today,
    pilotStart: ctx.pilotStart,
    subProjects,
    approvals: subProjects.map((sp) => approval(ctx, sp)),
    families: builders.map((f) => ({ key: f.key, familyId: f.familyId, cohort: f.cohort, steps: f.steps })),
    // After the families: a review that stops a sub-project must come after its last spending.
    reviews: subProjects.flatMap((sp) => reviews(ctx, sp)),
  };
}

export function planSteps(plan: DemoPlan): DemoStep[] {
  return [...plan.approvals, ...plan.families.flatMap((f) => f.steps), ...plan.reviews];
}

/** Approved by a unit leader of the responsible unit, with the allocation letter's goals. */
function approval(ctx: PlanContext, sp: PlannedSubProject): DemoStep {
  return {
    stream: 'sub-project',
    streamKey: sp.subProjectId,
    label: 'approve',
    idempotencyKey: ctx.idempotencyKey(`sub-project:${sp.key}`, 'approve'),
    actor: actorOf(unitLeader(sp.responsibleUnit)),
    command: {
      type: 'ApproveSubProject',
      data: {
        subProjectId: sp.subProjectId,
        name: sp.name,
        actors: sp.actors,
        responsibleUnit: sp.responsibleUnit,
        goals: sp.goals,
        firstSemester: sp.semesters[0],
        semesterCount: sp.semesterCount,
      },
    },
  };
}

/**
 * The six-monthly reviews of every semester that is over and decides the next one's money
 * (so not the last); the review that found low goal attainment stops the sub-project.
 */
function reviews(ctx: PlanContext, sp: PlannedSubProject): DemoStep[] {
  const steps: DemoStep[] = [];
  for (const [i, semester] of sp.semesters.slice(0, -1).entries()) {
    if (lastDay(semesterLastMonth(semester)) >= ctx.today) break;
    const terminate = i === sp.terminatedAtReviewOf;
    steps.push({
      stream: 'sub-project',
      streamKey: sp.subProjectId,
      label: `review-${semester}`,
      idempotencyKey: ctx.idempotencyKey(`sub-project:${sp.key}`, `review-${semester}`),
      actor: actorOf(unitLeader(sp.responsibleUnit)),
      command: {
        type: 'ReviewSubProject',
        data: {
          semester,
          outcome: terminate ? 'terminate' : 'continue',
          goalAttainment: terminate ? sp.termination! : sp.reviews[Math.min(i, sp.reviews.length - 1)],
        },
      },
    });
    if (terminate) break;
  }
  return steps;
}
