import type { DomainCommand, DomainEvent } from '../shared/decider';
import type { ActorRef } from '../shared/actor';
import type { LocalDate } from '../shared/local-date';
import type { Stamp } from '../shared/stamp';
import type { Unit } from '../shared/units';

/**
 * The family's plan (individuell plan, helse- og omsorgstjenesteloven § 7-1, pasient- og
 * brukerrettighetsloven § 2-5) and the coordinator (hol § 7-2), kept as one family-level record:
 * goals in the family's own words, which unit answers for what, the coordinator and the review
 * dates. "Individuell plan er tjenestemottakerens plan": the goals are the family's, never codes.
 * A family decision that follows its parts (FamilyDecisionSuspended) lives here too: both are
 * the family-level records of engineer D's part of issue 13.
 */

/** A goal as the family said it. No goal is about nobody: memberIds empty means the whole family. */
export type PlanGoal = { goalId: string; words: string; memberIds: string[]; answeredBy: Unit[] };

/** Which unit answers for what, in plain words ("the flat", "the driving licence"). */
export type PlanResponsibility = { unit: Unit; for: string };

/** The coordinator (hol § 7-2): a person on the family's team, from a unit with a part in the case. */
export type PlanCoordinator = { personId: string; unit: Unit };

/** Why a plan or a family decision no longer holds, when it follows from another record. */
export type FollowUpCause = {
  kind: 'decision-revoked' | 'decision-ended' | 'decision-quashed' | 'consent-withdrawn';
  id: string;
};

export type FamilyPlanContent = {
  goals: PlanGoal[];
  responsibilities: PlanResponsibility[];
  coordinator: PlanCoordinator;
  reviewDates: LocalDate[];
  /** The members the plan is about (every goal's members; a goal of the whole family: every current member). */
  memberIds: string[];
  /** The coordination consents it rests on, one per member at least (no plan without consent). */
  consentIds: string[];
};

// ---- commands ----

export type PlanGoalInput = { goalId?: string; words: string; memberIds?: string[]; answeredBy: Unit[] };
export type PlanContentInput = {
  goals: PlanGoalInput[];
  responsibilities: PlanResponsibility[];
  coordinator: PlanCoordinator;
  reviewDates: LocalDate[];
};

export type RecordFamilyPlan = DomainCommand<'RecordFamilyPlan', PlanContentInput & { planId?: string }>;
export type ReviseFamilyPlan = DomainCommand<'ReviseFamilyPlan', PlanContentInput & { planId: string; reason: string }>;
export type ReviewFamilyPlan = DomainCommand<'ReviewFamilyPlan', { planId: string; on: LocalDate; notes: string }>;
export type EndFamilyPlan = DomainCommand<'EndFamilyPlan', { planId: string; reason: string }>;

export type FamilyPlanCommand = RecordFamilyPlan | ReviseFamilyPlan | ReviewFamilyPlan | EndFamilyPlan;

// ---- events ----

export type FamilyPlanRecorded = DomainEvent<'FamilyPlanRecorded', Stamp & FamilyPlanContent & { planId: string }>;
export type FamilyPlanRevised = DomainEvent<'FamilyPlanRevised', Stamp & FamilyPlanContent & { planId: string; reason: string }>;
export type FamilyPlanReviewed = DomainEvent<'FamilyPlanReviewed', Stamp & { planId: string; on: LocalDate; notes: string }>;
/** Ended by a unit (reason), or because a consent it rested on was withdrawn (cause, appended by the decider). */
export type FamilyPlanEnded = DomainEvent<
  'FamilyPlanEnded',
  Stamp & { planId: string; endedOn: LocalDate; reason: string | null; cause: FollowUpCause | null }
>;
/**
 * A family decision no longer holds from `effectiveFrom` because one of its parts fell away:
 * appended by the decider in the same append as the cause (see familyDecisionConsequences).
 */
export type FamilyDecisionSuspended = DomainEvent<
  'FamilyDecisionSuspended',
  Stamp & { familyDecisionId: string; cause: FollowUpCause; effectiveFrom: LocalDate }
>;

export type FamilyPlanEvent = FamilyPlanRecorded | FamilyPlanRevised | FamilyPlanReviewed | FamilyPlanEnded | FamilyDecisionSuspended;

// ---- state ----

export type PlanReview = { on: LocalDate; notes: string; at: string; by: ActorRef };

export type FamilyPlan = FamilyPlanContent & {
  planId: string;
  status: 'active' | 'ended';
  recordedAt: string;
  recordedBy: ActorRef;
  revisedAt: string | null;
  /** Why it was last revised (the family's changed wishes, a new unit ...). */
  revisionReason: string | null;
  reviews: PlanReview[];
  endedOn: LocalDate | null;
  endReason: string | null;
  endCause: FollowUpCause | null;
};

/** What a reader receives: free text is null when places are withheld (protected address, no clearance). */
export type ReadableFamilyPlan = Omit<FamilyPlan, 'goals' | 'responsibilities' | 'reviews' | 'revisionReason' | 'endReason'> & {
  goals: (Omit<PlanGoal, 'words'> & { words: string | null })[];
  responsibilities: (Omit<PlanResponsibility, 'for'> & { for: string | null })[];
  reviews: (Omit<PlanReview, 'notes'> & { notes: string | null })[];
  revisionReason: string | null;
  endReason: string | null;
  withheld?: 'protected-address';
};

/** How a family decision stopped holding: the cause and from which day (valid time). */
export type FamilyDecisionSuspension = { cause: FollowUpCause; effectiveFrom: LocalDate; at: string };
