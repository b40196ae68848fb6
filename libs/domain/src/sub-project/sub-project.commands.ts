import type { DomainCommand } from '../shared/decider';
import type { LocalDate } from '../shared/local-date';
import type { Ore } from '../shared/money';
import type { Unit } from '../shared/units';
import type { Semester } from './semester';
import type { PaymentToComplete, ReviewOutcome, SpendCategory } from './sub-project.values';

/** Commands on a sub-project's budget stream (`subproject-<subProjectId>`). */

export type ApproveSubProject = DomainCommand<
  'ApproveSubProject',
  {
    subProjectId: string;
    name: string;
    /**
     * A non-municipal actor names its 9-digit `organisationNumber` (required; partner tokens carry
     * it); `mayRecordPayments` (default false): its partner users may pay from the budget.
     */
    actors: { name: string; municipal: boolean; unit?: Unit | null; organisationNumber?: string | null; mayRecordPayments?: boolean }[];
    /** The municipal actor responsible; it must be one of the actors. */
    responsibleUnit: Unit;
    semesterBudgetOre?: Ore;
    /** The allocation letter's (tildelingsbrev) goals. */
    goals: string[];
    firstSemester: Semester;
    semesterCount?: number;
  }
>;

/**
 * Reserves money for a payment. The application appends it with the stream's expected
 * revision, so two concurrent payments cannot both pass the budget check.
 */
export type RecordSpend = DomainCommand<
  'RecordSpend',
  {
    paymentId: string;
    amountOre: Ore;
    category: SpendCategory;
    /** Decides which semester's budget pays. */
    spentOn: LocalDate;
    familyId?: string | null;
    description?: string | null;
    /** The family payment this spend pays for (requires familyId); see PaymentToComplete. */
    payment?: PaymentToComplete | null;
  }
>;

/** One payment of a run: a spend with the family payment it pays for. */
export type PaymentRunItem = {
  paymentId: string;
  familyId: string;
  amountOre: Ore;
  category: SpendCategory;
  spentOn: LocalDate;
  description?: string | null;
  payment: PaymentToComplete;
};

/**
 * Many payments from the budget at once (e.g. 1,600 NOK to every enrolled child for a month),
 * checked as a whole: every spend must be allowed and the run's total per semester must fit,
 * or nothing is recorded. `fingerprint` identifies the request body, so that the same run id
 * sent again with another body is told apart from a retry.
 */
export type RecordPaymentRun = DomainCommand<'RecordPaymentRun', { runId: string; description: string; payments: PaymentRunItem[]; fingerprint: string }>;

export type ReverseSpend = DomainCommand<'ReverseSpend', { paymentId: string; reason: string }>;

export type ReviewSubProject = DomainCommand<'ReviewSubProject', { semester: Semester; outcome: ReviewOutcome; goalAttainment: string }>;

export type SubProjectCommand = ApproveSubProject | RecordSpend | RecordPaymentRun | ReverseSpend | ReviewSubProject;
