import { Inject, Injectable } from '@nestjs/common';
import { PG_POOL } from '@familievedtak/database';
import { remainingBudget, SUB_PROJECT_STREAM_PREFIX, type Spend, type SubProjectState } from '@familievedtak/domain';
import type { Pool } from 'pg';
import { SubProjectCommandsService } from './sub-project-commands.service';

/** One sub-project as a list shows it: the budget and who takes part, never which families got money. */
export interface SubProjectSummary {
  subProjectId: string;
  revision: number;
  name: string;
  status: 'active' | 'terminated';
  responsibleUnit: string | null;
  units: string[];
  partners: Array<{ name: string; organisationNumber: string; mayRecordPayments: boolean }>;
  semesterBudgetOre: number;
  semesters: string[];
  spentBySemesterOre: Record<string, number>;
  remainingBySemesterOre: Record<string, number>;
  spendCount: number;
  terminatedAt: string | null;
}

export interface SubProjectFilter {
  /** Responsible for it or one of its actors. */
  unit?: string;
  /** A non-municipal actor's organisation number. */
  partner?: string;
  /** A semester it is funded for. */
  semester?: string;
}

export interface Page<T> {
  items: T[];
  /** Pass as `after` for the next page; null on the last page. */
  nextCursor: string | null;
}

export const DEFAULT_PAGE_SIZE = 50;
export const MAX_PAGE_SIZE = 500;

export function summarise(subProjectId: string, revision: number, state: SubProjectState): SubProjectSummary {
  const partners = state.actors.flatMap((a) =>
    !a.municipal && typeof a.organisationNumber === 'string'
      ? [{ name: a.name, organisationNumber: a.organisationNumber, mayRecordPayments: a.mayRecordPayments === true }]
      : [],
  );
  const units = [
    ...new Set([state.responsibleUnit, ...state.actors.map((a) => a.unit)].filter((u): u is NonNullable<typeof u> => typeof u === 'string')),
  ].sort();
  return {
    subProjectId,
    revision,
    name: state.name ?? subProjectId,
    status: state.status === 'terminated' ? 'terminated' : 'active',
    responsibleUnit: state.responsibleUnit,
    units,
    partners,
    semesterBudgetOre: state.semesterBudgetOre,
    semesters: [...state.semesters],
    spentBySemesterOre: Object.fromEntries(state.semesters.map((s) => [s, state.spentBySemester[s] ?? 0])),
    remainingBySemesterOre: Object.fromEntries(state.semesters.map((s) => [s, remainingBudget(state, s)])),
    spendCount: Object.keys(state.spends).length,
    terminatedAt: state.terminatedAt,
  };
}

export function matches(summary: SubProjectSummary, filter: SubProjectFilter): boolean {
  if (filter.unit !== undefined && !summary.units.includes(filter.unit)) return false;
  if (filter.partner !== undefined && !summary.partners.some((p) => p.organisationNumber === filter.partner)) return false;
  if (filter.semester !== undefined && !summary.semesters.includes(filter.semester)) return false;
  return true;
}

/**
 * A page of a list ordered by `key`, after the cursor (the last key of the previous page).
 * Keyset paging: a page does not shift when earlier items are added between requests.
 */
export function pageAfter<T>(items: T[], key: (item: T) => string, after: string | undefined, limit: number): Page<T> {
  const sorted = [...items].sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0));
  const start = after === undefined ? 0 : sorted.findIndex((item) => key(item) > after);
  const rest = start < 0 ? [] : sorted.slice(start);
  const items_ = rest.slice(0, limit);
  return { items: items_, nextCursor: rest.length > limit ? key(items_[items_.length - 1]) : null };
}

/**
 * Reads for sub-project budgets. A municipality has tens of sub-projects, so the list folds
 * each budget stream (from the command handler's cache) rather than keeping another read
 * model; which streams exist comes from the stream catalogue, so a sub-project approved a
 * moment ago appears once the catalogue has caught up.
 */
@Injectable()
export class SubProjectQueries {
  constructor(
    private readonly subProjects: SubProjectCommandsService,
    @Inject(PG_POOL) private readonly pool: Pool,
  ) {}

  async list(filter: SubProjectFilter, after: string | undefined, limit: number): Promise<Page<SubProjectSummary>> {
    const { rows } = await this.pool.query<{ stream_id: string }>(`SELECT stream_id FROM read_models.stream_catalogue WHERE category = $1 ORDER BY stream_id`, [
      SUB_PROJECT_STREAM_PREFIX.slice(0, -1),
    ]);
    const summaries: SubProjectSummary[] = [];
    for (const { stream_id } of rows) {
      const subProjectId = stream_id.slice(SUB_PROJECT_STREAM_PREFIX.length);
      const { state, revision } = await this.subProjects.load(subProjectId);
      if (state.status === 'none') continue;
      const summary = summarise(subProjectId, revision, state);
      if (matches(summary, filter)) summaries.push(summary);
    }
    return pageAfter(summaries, (s) => s.subProjectId, after, limit);
  }
}

/**
 * The spends of one budget in the order they were recorded, paged by position: the log only
 * appends, and a reversal marks its spend in place, so positions never shift.
 */
export function spendPage(
  state: SubProjectState,
  semester: string | undefined,
  after: number,
  limit: number,
): { items: Array<Spend & { position: number }>; nextCursor: string | null } {
  const all = Object.values(state.spends).map((spend, position) => ({ ...spend, position }));
  const selected = all.filter((s) => s.position > after && (semester === undefined || s.semester === semester));
  const items = selected.slice(0, limit);
  return { items, nextCursor: selected.length > limit ? String(items[items.length - 1].position) : null };
}
