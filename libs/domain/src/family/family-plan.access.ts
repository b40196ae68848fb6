import { readerOf, standingOf, type Reader } from '../access/family-read-access';
import type { Actor } from '../shared/actor';
import type { Unit } from '../shared/units';
import type { FamilyPlan, ReadableFamilyPlan } from './family-plan.types';
import type { FamilyState } from './family.state';

/**
 * Who reads the family's plan. It is a family-level record resting on the members' consent to
 * the units it names working together (pbrl § 2-5, fvl § 13 a no. 1), so it shows to:
 * - auditors;
 * - a unit with an active part in the case that the plan names (coordinator's unit, a unit
 *   answering for a goal or a task), whatever consent covers its other records.
 * A unit not named, a unit whose part ended, a referred unit and partners see no plan. Its
 * free text (goals, tasks, review notes, reasons) is withheld like all free text when a member
 * has a protected address and the reader no clearance (maskFamilyPlan); it holds no address.
 */
export function mayReadFamilyPlan(state: FamilyState, actor: Pick<Actor, 'role'> & Partial<Actor>, plan: FamilyPlan): boolean {
  return planVisibleTo(state, readerOf(actor), plan);
}

export function planVisibleTo(state: FamilyState, reader: Reader, plan: FamilyPlan): boolean {
  const standing = standingOf(state, reader);
  if (standing === 'auditor') return true;
  return standing === 'part' && reader.kind === 'unit' && unitsOf(plan).includes(reader.unit);
}

/** The plans a reader sees, with consent references narrowed to the consents it sees. */
export function readablePlans(state: FamilyState, reader: Reader, visibleConsents: Record<string, unknown>): Record<string, FamilyPlan> {
  const shown = Object.values(state.familyPlans ?? {}).filter((plan) => planVisibleTo(state, reader, plan));
  return Object.fromEntries(shown.map((plan) => [plan.planId, { ...plan, consentIds: plan.consentIds.filter((id) => id in visibleConsents) }]));
}

/** Free text withheld (protected address, reader without clearance); ids, units and dates stay. */
export function maskFamilyPlan(plan: ReadableFamilyPlan): ReadableFamilyPlan {
  return {
    ...plan,
    goals: plan.goals.map((g) => ({ ...g, words: null })),
    responsibilities: plan.responsibilities.map((r) => ({ ...r, for: null })),
    reviews: plan.reviews.map((r) => ({ ...r, notes: null })),
    revisionReason: null,
    endReason: null,
    withheld: 'protected-address',
  };
}

function unitsOf(plan: FamilyPlan): Unit[] {
  return [plan.coordinator.unit, ...plan.goals.flatMap((g) => g.answeredBy), ...plan.responsibilities.map((r) => r.unit)];
}
