import { deterministicUuid } from '@familievedtak/application';
import {
  DEFAULT_SEMESTER_BUDGET_ORE,
  semesterOf,
  semestersFrom,
  type Actor,
  type FamilyCommand,
  type LocalDate,
  type Ore,
  type Semester,
  type SubProjectCommand,
  type Unit,
} from '@familievedtak/domain';
import { addMonths, lastDay, monthOf, monthsFromTo, semesterFirstMonth, semesterLastMonth, type Month } from './calendar';
import { DEMO_SUB_PROJECTS, type DemoSubProject, type DemoSubProjectKey } from './demo-sub-projects';
import { Random, seedOf } from './prng';

/** One command of the plan, with who sends it and the Idempotency-Key that makes a rerun a no-op. */
export type DemoStep =
  | { stream: 'sub-project'; streamKey: string; label: string; idempotencyKey: string; actor: Actor; command: SubProjectCommand }
  | { stream: 'family'; streamKey: string; label: string; idempotencyKey: string; actor: Actor; command: FamilyCommand };

export type DemoPlanOptions = {
  seed: number;
  /** Multiplies every cohort except the twelve refugee families, which are the pilot's fixed design (1 = the report's sizes). */
  scale: number;
  /** Today in Norway by the command services' clock: all history is laid before it. */
  today: LocalDate;
  /** The pilot's first semester: the report's autumn 2021, moved so that its history is recent. */
  pilotStart?: Semester;
  /** At most this many months of child money (to keep tests short); default: every funded month up to last month. */
  childMoneyMonths?: number;
};

export const DEFAULT_PILOT_START: Semester = '2024-autumn';

export type PlannedSubProject = DemoSubProject & {
  subProjectId: string;
  semesters: Semester[];
  /** Semesters it may pay in: up to the review that stopped it. */
  payingSemesters: Semester[];
};

/**
 * Keeps each sub-project's remaining money per semester while the plan is made, so that the
 * plan never asks for a payment the budget cannot carry: the domain would refuse it (and the
 * pilot's rule is that a budget is never overspent).
 */
export class BudgetLedger {
  private readonly remaining = new Map<string, Map<Semester, Ore>>();

  open(subProjectId: string, semesters: Semester[], budgetOre: Ore): void {
    this.remaining.set(subProjectId, new Map(semesters.map((s) => [s, budgetOre])));
  }

  fits(subProjectId: string, date: LocalDate, amountOre: Ore): boolean {
    const left = this.remaining.get(subProjectId)?.get(semesterOf(date));
    return left !== undefined && amountOre <= left;
  }

  /** Takes the amount from the semester of `date` if it fits; false (and nothing taken) if not. */
  reserve(subProjectId: string, date: LocalDate, amountOre: Ore): boolean {
    if (!this.fits(subProjectId, date, amountOre)) return false;
    const semesters = this.remaining.get(subProjectId)!;
    semesters.set(semesterOf(date), semesters.get(semesterOf(date))! - amountOre);
    return true;
  }

  remainingOre(subProjectId: string, semester: Semester): Ore {
    return this.remaining.get(subProjectId)?.get(semester) ?? 0;
  }
}

/** What every part of the plan shares: the seed, today, ids, keys, random streams and budgets. */
export class PlanContext {
  readonly seed: number;
  readonly scale: number;
  readonly today: LocalDate;
  readonly todayMonth: Month;
  /** Monthly history ends here: a month that is over, so every payment date is in the past. */
  readonly lastMonth: Month;
  readonly pilotStart: Semester;
  readonly childMoneyMonths: number | undefined;
  readonly ledger = new BudgetLedger();
  readonly subProjects: Record<DemoSubProjectKey, PlannedSubProject>;

  constructor(options: DemoPlanOptions) {
    if (!Number.isSafeInteger(options.seed)) throw new Error('seed must be a whole number');
    if (!(options.scale >= 0)) throw new Error('scale must be zero or more');
    this.seed = options.seed;
    this.scale = options.scale;
    this.today = options.today;
    this.todayMonth = monthOf(options.today);
    this.lastMonth = addMonths(this.todayMonth, -1);
    this.pilotStart = options.pilotStart ?? DEFAULT_PILOT_START;
    this.childMoneyMonths = options.childMoneyMonths;
    this.subProjects = Object.fromEntries(
      DEMO_SUB_PROJECTS.map((sp) => {
        const semesters = semestersFrom(semestersFrom(this.pilotStart, sp.startOffset + 1)[sp.startOffset], sp.semesterCount);
        const payingSemesters = sp.terminatedAtReviewOf === undefined ? semesters : semesters.slice(0, sp.terminatedAtReviewOf + 1);
        const planned: PlannedSubProject = { ...sp, subProjectId: `${sp.key}-s${this.seed}`, semesters, payingSemesters };
        this.ledger.open(planned.subProjectId, semesters, DEFAULT_SEMESTER_BUDGET_ORE);
        return [sp.key, planned];
      }),
    ) as Record<DemoSubProjectKey, PlannedSubProject>;
  }

  /** A stable UUID for anything the demo names: the same seed and name give the same id. */
  uuid(...parts: string[]): string {
    return deterministicUuid('familievedtak-demo', String(this.seed), ...parts);
  }

  /** Idempotency-Key (letters, digits and . _ : -, as the API accepts): unique per stream and step. */
  idempotencyKey(scope: string, label: string): string {
    const key = `demo-${this.seed}:${scope}:${label}`;
    if (!/^[A-Za-z0-9._:-]{8,190}$/.test(key)) throw new Error(`Bad idempotency key for the demo: ${key}`);
    return key;
  }

  /** An independent random stream per name, so that a bigger scale never reshuffles the families before it. */
  rng(...parts: (string | number)[]): Random {
    return new Random(seedOf(this.seed, ...parts));
  }

  /** Families in a cohort of `base` at scale 1. */
  count(base: number): number {
    return Math.round(base * this.scale);
  }

  /** The months a sub-project may pay in that are over (oldest first). */
  payingMonths(key: DemoSubProjectKey): Month[] {
    const sp = this.subProjects[key];
    const first = semesterFirstMonth(sp.payingSemesters[0]);
    const last = semesterLastMonth(sp.payingSemesters[sp.payingSemesters.length - 1]);
    return monthsFromTo(first, last < this.lastMonth ? last : this.lastMonth);
  }

  /** The last day of the month `months` after this one: an end date that lies ahead whenever the plan is made. */
  lastDayMonthsAhead(months: number): LocalDate {
    return lastDay(addMonths(this.todayMonth, months));
  }

  responsibleUnit(key: DemoSubProjectKey): Unit {
    return this.subProjects[key].responsibleUnit;
  }
}
