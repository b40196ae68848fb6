import type { Stamp } from '../shared/stamp';
import type { DomainEvent } from '../shared/decider';
import type { JsonObject } from '../shared/json';
import type { LocalDate } from '../shared/local-date';
import type { Ore } from '../shared/money';
import type { Unit } from '../shared/units';
import type { Semester } from './semester';
import type { PaymentToComplete, ReviewOutcome, SpendCategory, SubProjectActor } from './sub-project.values';

export type SubProjectApproved = DomainEvent<
  'SubProjectApproved',
  Stamp & {
    subProjectId: string;
    name: string;
    actors: SubProjectActor[];
    responsibleUnit: Unit;
    semesterBudgetOre: Ore;
    goals: string[];
    /** The funded semesters, in order. */
    semesters: Semester[];
  }
>;
export type SpendRecorded = DomainEvent<
  'SpendRecorded',
  Stamp & {
    subProjectId: string;
    paymentId: string;
    amountOre: Ore;
    category: SpendCategory;
    semester: Semester;
    spentOn: LocalDate;
    familyId: string | null;
    description: string | null;
    /** What is left of the semester's budget after this spend. */
    semesterRemainingOre: Ore;
    /** The family payment to complete from this spend (null before it existed: upcastSubProjectEvent). */
    payment: PaymentToComplete | null;
    /** The payment run it belongs to, or null. */
    runId: string | null;
  }
>;
/** A payment run, recorded before its spends (which carry its runId), in the same append. */
export type PaymentRunRecorded = DomainEvent<
  'PaymentRunRecorded',
  Stamp & {
    subProjectId: string;
    runId: string;
    description: string;
    count: number;
    totalOre: Ore;
    /** Per semester: the run's total there. */
    totalBySemesterOre: Record<string, Ore>;
    /** Per semester the run spends in: what is left after it. */
    remainingBySemesterOre: Record<string, Ore>;
    paymentIds: string[];
    familyIds: string[];
    fingerprint: string;
  }
>;
export type SpendReversed = DomainEvent<
  'SpendReversed',
  Stamp & {
    subProjectId: string;
    paymentId: string;
    amountOre: Ore;
    semester: Semester;
    reason: string;
    /** The spend's family (null: none): the reason is encrypted under that family's payment key. Absent on reversals recorded before. */
    familyId?: string | null;
  }
>;
export type SubProjectReviewed = DomainEvent<
  'SubProjectReviewed',
  Stamp & { subProjectId: string; semester: Semester; outcome: ReviewOutcome; goalAttainment: string }
>;
/** Follows a 'terminate' review: from now on the sub-project accepts no spending. */
export type SubProjectTerminated = DomainEvent<'SubProjectTerminated', Stamp & { subProjectId: string; semester: Semester; reason: string }>;

export type SubProjectEvent = SubProjectApproved | SpendRecorded | PaymentRunRecorded | SpendReversed | SubProjectReviewed | SubProjectTerminated;
export type SubProjectEventType = SubProjectEvent['type'];

const EVENT_TYPES: Record<SubProjectEventType, true> = {
  SubProjectApproved: true,
  SpendRecorded: true,
  PaymentRunRecorded: true,
  SpendReversed: true,
  SubProjectReviewed: true,
  SubProjectTerminated: true,
};
export const SUB_PROJECT_EVENT_TYPES = Object.keys(EVENT_TYPES) as SubProjectEventType[];

type AssertJson<T extends JsonObject> = T;
export type SubProjectEventData = AssertJson<SubProjectEvent['data']>;

export const SUB_PROJECT_STREAM_PREFIX = 'subproject-';

export function subProjectStreamId(subProjectId: string): string {
  return `${SUB_PROJECT_STREAM_PREFIX}${subProjectId}`;
}
