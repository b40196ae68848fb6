import {
  familyReadAccess,
  isLocalDate,
  isUnit,
  listedFor,
  markErasedFields,
  readerKey,
  readerOf,
  type Actor,
  type DelegationRuleSet,
  type Erasable,
  type FamilyReadGrant,
  type FamilyState,
  type LocalDate,
  type Unit,
} from '@familievedtak/domain';
import type { DataSource } from 'typeorm';
import { DEFAULT_EXPIRY_WINDOW_DAYS, type FamilyDecisionView } from './family-decision-view';
import { viewForReader } from './family-view.masking';
import { FamilyStateCache } from './family-state-cache';
import { FAMILY_STATE_UNLESS_SQL, familyStatesSql } from './family-view.state-store';

/**
 * Who reads, and the real day access is decided on (never the day a client asks the view to
 * be computed for: a past day must not revive a withdrawn or expired consent).
 */
export type ReadAs = {
  actor: Pick<Actor, 'role' | 'unit' | 'partnerOrganisation' | 'protectedAddressClearance'>;
  accessDay: LocalDate;
  /** What the rule set in force on the view's day sets for the view (default: the built-in limits). */
  rules?: ViewRules;
};

/** The view's settings that come from the rule set in force (DelegationRuleSet). */
export type ViewRules = { openNeedWarningDays?: number };

export function viewRulesOf(ruleSet: Pick<DelegationRuleSet, 'openNeedWarningDays'>): ViewRules {
  return { openNeedWarningDays: ruleSet.openNeedWarningDays };
}

/** What one read exposed of one family: for the read audit. */
export type FamilyAccessRecord = {
  familyId: string;
  memberIds: string[];
  categories: string[];
  consentIds: string[];
  maskedMemberIds: string[];
};

export type StoredFamilyView = {
  /** Stream revision the view reflects: the API's ETag, and If-Match for the next command. */
  revision: number;
  view: FamilyDecisionView;
  access: FamilyAccessRecord & { withheld: FamilyReadGrant['withheld'] };
};

/** The reader may not see this family at all (the API answers 403 and records the denial). */
export type DeniedFamilyView = { denied: string };

/** The stored view is still at the revision the caller already holds (nothing decided or built). */
export type UnchangedFamilyView = { unchanged: number };

export type FamilyListFilter = {
  /** Families this unit is involved with (part, decision, contact person, pick-up, payment, coordination), as far as the reader sees. */
  unit?: Unit;
  /** Never matches a family whose district is withheld from the reader (protected address, no clearance). */
  district?: string;
  /** Only families with (true) or without (false) coordination warnings as of today. */
  hasWarnings?: boolean;
  /** Only families where something expires between today and today + N days. */
  expiringWithinDays?: number;
  /** Page size: default 50, at most 200. */
  limit?: number;
  /** Keyset cursor: the nextCursor of the previous page (family ids after it). */
  after?: string;
};

export type FamilyListItem = {
  familyId: string;
  /** null when a member has a protected address (kode 7: a family with a kode 6 member is not listed without clearance). */
  district: string | null;
  units: Unit[];
  coordinatingUnit: Unit | null;
  openNeeds: number;
  activeDecisions: number;
  nextPeriodEnd: LocalDate | null;
  warningCount: number;
  /** Items expiring within expiringWithinDays (60 when not filtered). */
  expiringCount: number;
  /**
   * Who is in the family, as this reader sees them (oldest first, as in the view): a kode 6
   * member without clearance has name and birth date null and `masked: true` (such a family is
   * not listed without clearance at all; kept for readers whose grant masks), a partner who
   * sees names only gets no birth date.
   */
  members: FamilyListMember[];
};

/** name and birth date: a marker `{ erased: { on, rule, provision } }` once the member's identity was erased. */
export type FamilyListMember = {
  memberId: string;
  name: Erasable<string> | null;
  birthDate: Erasable<LocalDate> | null;
  role: string;
  /** 'left': no longer in the household. */
  status: 'current' | 'left';
  masked: boolean;
};

/** nextCursor is null on the last page. A page may hold fewer than `limit` items and still have a cursor. */
export type FamilyListPage = { items: FamilyListItem[]; nextCursor: string | null; access: FamilyAccessRecord[] };

export const DEFAULT_LIST_LIMIT = 50;
export const MAX_LIST_LIMIT = 200;

type Row = { family_id: string; state: FamilyState };

/**
 * Reads of the family decision view. The stored row holds the folded state; the view and
 * every count in a list row are computed for the requested day, so nothing goes stale
 * between events.
 */
export class FamilyViewQueries {
  /** Rows examined at most per list call when a day-dependent filter leaves many out. */
  private readonly maxScanRows: number;
  /** Parsed states per family and revision (shared with the view projection in the API). */
  readonly states: FamilyStateCache;

  constructor(
    private readonly dataSource: DataSource,
    options: { maxScanRows?: number; stateCache?: FamilyStateCache } = {},
  ) {
    this.maxScanRows = options.maxScanRows ?? 2000;
    this.states = options.stateCache ?? new FamilyStateCache();
  }

  /** The view as this reader may see it; undefined when there is no such family. */
  async getView(familyId: string, today: LocalDate, readAs: ReadAs): Promise<StoredFamilyView | DeniedFamilyView | undefined> {
    return (await this.readView(familyId, today, readAs)) as Exclude<Awaited<ReturnType<FamilyViewQueries['readView']>>, UnchangedFamilyView>;
  }

  /**
   * getView for a caller that may already hold the view at `unlessRevision` (a cache of built
   * views): then only `{ unchanged }`. One round trip in every case: the stored revision, and
   * the state only when the state cache does not hold that revision.
   */
  async readView(
    familyId: string,
    today: LocalDate,
    readAs: ReadAs,
    unlessRevision?: number,
  ): Promise<StoredFamilyView | DeniedFamilyView | UnchangedFamilyView | undefined> {
    requireDay(today);
    requireDay(readAs.accessDay);
    const held = this.states.get(familyId);
    const rows: Array<{ revision: string; state: FamilyState | null }> = await this.dataSource.query(FAMILY_STATE_UNLESS_SQL, [familyId, held?.revision ?? -1]);
    if (!rows.length) {
      this.states.forget(familyId);
      return undefined;
    }
    const revision = Number(rows[0].revision);
    if (revision === unlessRevision) return { unchanged: revision };
    let state = rows[0].state;
    if (state === null) state = held!.state;
    else this.states.read(familyId, revision, state);
    // Erased fields as markers (design §4) before access and masking: what they withhold stays null.
    const access = familyReadAccess(markErasedFields(state), readerOf(readAs.actor), readAs.accessDay);
    if (!access.permit) return { denied: access.reason };
    const { view, maskedMemberIds } = viewForReader(access.grant.state, today, readAs.actor, { openNeedWarningDays: readAs.rules?.openNeedWarningDays });
    return { revision, view, access: { ...accessRecord(familyId, access.grant, maskedMemberIds), withheld: access.grant.withheld } };
  }

  /**
   * Unit, district and cursor narrow the rows in SQL (GIN on units, btree on district, the
   * primary key for the cursor; `readers` to families the reader might have a part in).
   * Each row is then decided by familyReadAccess like the view, masked like the view, and
   * every filter is checked again on what this reader sees: a family with a kode 6 member is
   * listed only with clearance, `district` never matches a withheld district, and `unit`
   * only a unit the reader sees involved. Warnings and expiry depend on the day and are
   * decided on the same row. When filters reject many rows the call stops after maxScanRows
   * and hands back a cursor.
   */
  async listFamilies(filter: FamilyListFilter, today: LocalDate, readAs: ReadAs): Promise<FamilyListPage> {
    requireDay(today);
    requireDay(readAs.accessDay);
    const reader = readerOf(readAs.actor);
    if (reader.kind === 'none') return { items: [], nextCursor: null, access: [] };
    const limit = filter.limit ?? DEFAULT_LIST_LIMIT;
    if (!Number.isSafeInteger(limit) || limit < 1 || limit > MAX_LIST_LIMIT) {
      throw new RangeError(`limit must be a whole number from 1 to ${MAX_LIST_LIMIT}`);
    }
    if (filter.unit !== undefined && !isUnit(filter.unit)) throw new RangeError(`unknown unit ${JSON.stringify(filter.unit)}`);
    const window = filter.expiringWithinDays;
    if (window !== undefined && (!Number.isSafeInteger(window) || window < 0)) {
      throw new RangeError('expiringWithinDays must be a whole number of days, 0 or more');
    }
    // Filters decided per row after access (not only in SQL) may reject many rows: scan in larger chunks.
    const dayFiltered = filter.hasWarnings !== undefined || window !== undefined || filter.district !== undefined || filter.unit !== undefined;
    const chunk = dayFiltered ? Math.max(1, Math.min(Math.max(limit + 1, 200), this.maxScanRows)) : limit + 1;

    const items: FamilyListItem[] = [];
    const access: FamilyAccessRecord[] = [];
    const page = (nextCursor: string | null): FamilyListPage => ({ items, nextCursor, access });
    let cursor = filter.after;
    let scanned = 0;
    for (;;) {
      const rows = await this.candidates(filter, cursor, chunk, readerKey(reader));
      for (const row of rows) {
        scanned++;
        cursor = row.family_id;
        const shown = listRowFor(row, reader, today, window ?? DEFAULT_EXPIRY_WINDOW_DAYS, readAs);
        if (!shown) continue;
        const { item } = shown;
        if (filter.district !== undefined && item.district !== filter.district) continue;
        if (filter.unit !== undefined && !item.units.includes(filter.unit)) continue;
        if (filter.hasWarnings !== undefined && item.warningCount > 0 !== filter.hasWarnings) continue;
        if (window !== undefined && item.expiringCount === 0) continue;
        // One match beyond the page proves there is a next page.
        if (items.length === limit) return page(items[limit - 1].familyId);
        items.push(item);
        access.push(shown.access);
      }
      if (rows.length < chunk) return page(null);
      if (scanned >= this.maxScanRows) return page(cursor ?? null);
    }
  }

  private candidates(filter: FamilyListFilter, after: string | undefined, limit: number, readerKey: string | null): Promise<Row[]> {
    const where: string[] = [];
    const params: unknown[] = [];
    const param = (value: unknown) => `$${params.push(value)}`;
    // Auditors (no key) read every family; everyone else only families they might have a part in.
    if (readerKey !== null) where.push(`readers @> ARRAY[${param(readerKey)}::text]`);
    if (filter.unit !== undefined) where.push(`units @> ARRAY[${param(filter.unit)}::text]`);
    if (filter.district !== undefined) where.push(`district = ${param(filter.district)}`);
    if (after !== undefined) where.push(`family_id > ${param(after)}`);
    return this.dataSource.query(
      familyStatesSql(
        `SELECT * FROM read_models.family_view
          ${where.length ? `WHERE ${where.join(' AND ')}` : ''}
          ORDER BY family_id LIMIT ${param(limit)}`,
      ),
      params,
    );
  }

  /** The revision the stored view reflects (undefined: no such family): one primary-key read, no state, for caches keyed on it. */
  async revisionOf(familyId: string): Promise<number | undefined> {
    const rows: Array<{ revision: string }> = await this.dataSource.query('SELECT revision FROM read_models.family_view WHERE family_id = $1', [familyId]);
    return rows.length ? Number(rows[0].revision) : undefined;
  }
}

function accessRecord(familyId: string, grant: FamilyReadGrant, maskedMemberIds: string[]): FamilyAccessRecord {
  return { familyId, memberIds: grant.memberIds, categories: grant.categories, consentIds: grant.consentIds, maskedMemberIds };
}

/**
 * A candidate row as this reader's list row, or undefined when it is not shown to them: decided
 * by the same familyReadAccess as the single view (a row counts only what the reader may see),
 * left out where the family is not listed for them (listedFor), masked like the view. The family
 * list and the family search both build their rows here.
 */
export function listRowFor(
  row: { family_id: string; state: FamilyState },
  reader: ReturnType<typeof readerOf>,
  today: LocalDate,
  expiryWindowDays: number,
  readAs: ReadAs,
): { item: FamilyListItem; view: FamilyDecisionView; access: FamilyAccessRecord } | undefined {
  const decided = familyReadAccess(markErasedFields(row.state), reader, readAs.accessDay);
  if (!decided.permit || !listedFor(row.state, readAs.actor)) return undefined;
  const { item, view, maskedMemberIds } = listItem(row.family_id, decided.grant.state, today, expiryWindowDays, readAs);
  return { item, view, access: accessRecord(row.family_id, decided.grant, maskedMemberIds) };
}

/** One list row from what the reader was granted, masked like the view. */
function listItem(familyId: string, state: FamilyReadGrant['state'], today: LocalDate, expiryWindowDays: number, readAs: ReadAs) {
  const { view, maskedMemberIds } = viewForReader(state, today, readAs.actor, { expiryWindowDays, openNeedWarningDays: readAs.rules?.openNeedWarningDays });
  const item: FamilyListItem = {
    familyId,
    district: view.district,
    units: view.team.units,
    coordinatingUnit: view.team.coordinatingUnit,
    openNeeds: view.summary.openNeeds,
    activeDecisions: view.summary.activeDecisions,
    nextPeriodEnd: view.summary.nextPeriodEnd,
    warningCount: view.summary.warningCount,
    expiringCount: view.summary.expiringCount,
    members: view.members.map((m) => ({
      memberId: m.memberId,
      name: m.name,
      birthDate: m.birthDate,
      role: m.role,
      status: m.status,
      masked: 'masked' in m && m.masked === true,
    })),
  };
  return { item, maskedMemberIds, view };
}

function requireDay(today: LocalDate): void {
  if (!isLocalDate(today)) throw new RangeError(`today must be a date 'YYYY-MM-DD', got ${JSON.stringify(today)}`);
}
