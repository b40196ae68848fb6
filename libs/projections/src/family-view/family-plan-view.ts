import {
  localDateOf,
  type Erasable,
  type FollowUpCause,
  type LocalDate,
  type ReadableFamilyPlan,
  type ReadableFamilyState,
  type Unit,
} from '@familievedtak/domain';

/**
 * The family's plan as the view shows it (individuell plan, hol § 7-1): the goals in the
 * family's own words, who answers for what, the coordinator (hol § 7-2) and the review dates,
 * with the next one and whether a review is overdue on `today`. Built from what the reader may
 * see, masked (free text null when withheld), like the rest of the view; an erased text is a marker (markErasedFields).
 */
export type FamilyPlanView = {
  planId: string;
  goals: { goalId: string; words: Erasable<string> | null; memberIds: string[]; answeredBy: Unit[] }[];
  responsibilities: { unit: Unit; for: Erasable<string> | null }[];
  coordinator: { personId: string; unit: Unit; name: string | null };
  reviewDates: LocalDate[];
  /** The first review date on or after today, if any. */
  nextReviewDate: LocalDate | null;
  /** A review date has passed with no review recorded on or after it. */
  reviewOverdue: boolean;
  reviews: { on: LocalDate; notes: Erasable<string> | null }[];
  memberIds: string[];
  consentIds: string[];
  recordedOn: LocalDate;
  revisedOn: LocalDate | null;
  withheld: 'protected-address' | null;
};

export type EndedFamilyPlanView = {
  planId: string;
  recordedOn: LocalDate;
  endedOn: LocalDate | null;
  reason: Erasable<string> | null;
  cause: FollowUpCause | null;
};

export type FamilyPlansView = { active: FamilyPlanView | null; ended: EndedFamilyPlanView[] };

export function familyPlansView(state: ReadableFamilyState, today: LocalDate): FamilyPlansView {
  const plans = Object.values(state.familyPlans ?? {}).sort((a, b) =>
    a.recordedAt < b.recordedAt ? -1 : a.recordedAt > b.recordedAt ? 1 : a.planId < b.planId ? -1 : 1,
  );
  const active = plans.find((p) => p.status === 'active');
  return {
    active: active ? planView(state, active, today) : null,
    ended: plans
      .filter((p) => p.status === 'ended')
      .map((p) => ({ planId: p.planId, recordedOn: localDateOf(new Date(p.recordedAt)), endedOn: p.endedOn, reason: p.endReason, cause: p.endCause })),
  };
}

function planView(state: ReadableFamilyState, plan: ReadableFamilyPlan, today: LocalDate): FamilyPlanView {
  const lastReview =
    plan.reviews
      .map((r) => r.on)
      .sort()
      .at(-1) ?? null;
  return {
    planId: plan.planId,
    goals: plan.goals.map(({ goalId, words, memberIds, answeredBy }) => ({ goalId, words, memberIds, answeredBy })),
    responsibilities: plan.responsibilities.map(({ unit, for: task }) => ({ unit, for: task })),
    coordinator: { ...plan.coordinator, name: state.team[plan.coordinator.personId]?.name ?? null },
    reviewDates: plan.reviewDates,
    nextReviewDate: plan.reviewDates.find((d) => d >= today) ?? null,
    reviewOverdue: plan.reviewDates.some((d) => d < today && (lastReview === null || lastReview < d)),
    reviews: plan.reviews.map(({ on, notes }) => ({ on, notes })),
    memberIds: plan.memberIds,
    consentIds: plan.consentIds,
    recordedOn: localDateOf(new Date(plan.recordedAt)),
    revisedOn: plan.revisedAt ? localDateOf(new Date(plan.revisedAt)) : null,
    withheld: plan.withheld ?? null,
  };
}
