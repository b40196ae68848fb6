import type { FamilyDecision } from './family.state';
import type { FamilyDecisionSuspended, FamilyPlan, FamilyPlanEvent } from './family-plan.types';

/** Folds the plan events into the plans map (pure: a new map, the other plans shared). */
export function evolveFamilyPlans(plans: Record<string, FamilyPlan>, event: Exclude<FamilyPlanEvent, FamilyDecisionSuspended>): Record<string, FamilyPlan> {
  const { at, by } = event.data;
  switch (event.type) {
    case 'FamilyPlanRecorded': {
      const { at: _at, by: _by, ...content } = event.data;
      const plan: FamilyPlan = {
        ...content,
        status: 'active',
        recordedAt: at,
        recordedBy: by,
        revisedAt: null,
        revisionReason: null,
        reviews: [],
        endedOn: null,
        endReason: null,
        endCause: null,
      };
      return { ...plans, [plan.planId]: plan };
    }
    case 'FamilyPlanRevised': {
      const { at: _at, by: _by, reason, ...content } = event.data;
      return { ...plans, [content.planId]: { ...plans[content.planId], ...content, revisedAt: at, revisionReason: reason } };
    }
    case 'FamilyPlanReviewed': {
      const plan = plans[event.data.planId];
      return { ...plans, [plan.planId]: { ...plan, reviews: [...plan.reviews, { on: event.data.on, notes: event.data.notes, at, by }] } };
    }
    case 'FamilyPlanEnded': {
      const plan = plans[event.data.planId];
      return { ...plans, [plan.planId]: { ...plan, status: 'ended', endedOn: event.data.endedOn, endReason: event.data.reason, endCause: event.data.cause } };
    }
  }
}

/**
 * The explicit suspension: the cause and from which day. A consent withdrawal recorded before
 * these events existed (schema ≤ 2) suspends implicitly in evolveFamily; when both apply to the
 * same withdrawal the explicit event only adds the cause and the effective date.
 */
export function suspendFamilyDecision(familyDecision: FamilyDecision, event: FamilyDecisionSuspended): FamilyDecision {
  const { cause, effectiveFrom, at } = event.data;
  return {
    ...familyDecision,
    status: 'suspended',
    suspendedByConsentId: cause.kind === 'consent-withdrawn' ? cause.id : familyDecision.suspendedByConsentId,
    suspension: { cause, effectiveFrom, at },
  };
}
