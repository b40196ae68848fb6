import type { ActorRef } from '../shared/actor';
import type { LocalDate } from '../shared/local-date';
import type { Ore } from '../shared/money';
import type { Unit } from '../shared/units';
import type { Semester } from './semester';
import type { ReviewOutcome, SpendCategory, SubProjectActor } from './sub-project.values';

export type Spend = {
  paymentId: string;
  amountOre: Ore;
  category: SpendCategory;
  semester: Semester;
  spentOn: LocalDate;
  familyId: string | null;
  reversed: boolean;
  recordedBy: ActorRef;
};

/** A payment run as recorded: what the same run id answers again. */
export type PaymentRun = {
  runId: string;
  description: string;
  count: number;
  totalOre: Ore;
  totalBySemesterOre: Record<string, Ore>;
  remainingBySemesterOre: Record<string, Ore>;
  paymentIds: string[];
  familyIds: string[];
  fingerprint: string;
  at: string;
  by: ActorRef;
};

export type SubProjectReview = { semester: Semester; outcome: ReviewOutcome; goalAttainment: string; at: string; by: ActorRef };

export type SubProjectState = {
  status: 'none' | 'active' | 'terminated';
  subProjectId: string | null;
  name: string | null;
  actors: SubProjectActor[];
  responsibleUnit: Unit | null;
  semesterBudgetOre: Ore;
  goals: string[];
  semesters: Semester[];
  spends: Record<string, Spend>;
  /** Net of reversals. */
  spentBySemester: Record<Semester, Ore>;
  reviews: Record<Semester, SubProjectReview>;
  /** Payment runs by run id. */
  runs: Record<string, PaymentRun>;
  terminatedAt: string | null;
};

export function initialSubProjectState(): SubProjectState {
  return {
    status: 'none',
    subProjectId: null,
    name: null,
    actors: [],
    responsibleUnit: null,
    semesterBudgetOre: 0,
    goals: [],
    semesters: [],
    spends: {},
    spentBySemester: {},
    reviews: {},
    runs: {},
    terminatedAt: null,
  };
}

export function remainingBudget(state: SubProjectState, semester: Semester): Ore {
  return state.semesterBudgetOre - (state.spentBySemester[semester] ?? 0);
}
