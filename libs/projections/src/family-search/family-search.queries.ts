import { isLocalDate, readerKey, readerOf, type LocalDate } from '@familievedtak/domain';
import type { DataSource } from 'typeorm';
import { DEFAULT_EXPIRY_WINDOW_DAYS } from '../family-view/family-decision-view';
import { listRowFor, type FamilyAccessRecord, type FamilyListItem, type ReadAs } from '../family-view/family-view.queries';
import { familyStatesSql } from '../family-view/family-view.state-store';
import { birthDateKey, nameKey, nameMatches, nameWords, nationalIdKey } from './search-keys';

/** What a caseworker searches by; at least one. Several together must all hold for one member. */
export type FamilySearchCriteria = {
  /** Part of a name: every word must begin a word of the member's name (case and accents folded). */
  name?: string;
  /** YYYY-MM-DD, exact. */
  birthDate?: LocalDate;
  /** Fødselsnummer or d-nummer: 11 digits, exact. Never logged, never echoed. */
  nationalId?: string;
  /** Page size: default 20, at most 50. */
  limit?: number;
  /** Keyset cursor: the nextCursor of the previous page. */
  after?: string;
};

export type FamilySearchHit = FamilyListItem & {
  /** The members (as this reader sees them) who match every criterion. */
  matchedMemberIds: string[];
};

export type FamilySearchPage = { items: FamilySearchHit[]; nextCursor: string | null; access: FamilyAccessRecord[] };

export const DEFAULT_SEARCH_LIMIT = 20;
export const MAX_SEARCH_LIMIT = 50;
export const MIN_NAME_LETTERS = 2;
export const MAX_NAME_WORDS = 6;

/** A search the API refuses (400); the message never carries what was searched for. */
export class InvalidFamilySearch extends RangeError {}

type Row = Parameters<typeof listRowFor>[0];

/**
 * Finding families by a member's name, birth date or national id, over the families the reader
 * may see, as the family list decides them: the GIN index on
 * read_models.family_view_search_keys(core) (migration FamilyViewSearch) narrows the rows to
 * those whose members' keys contain every key of the query (and to families the reader might
 * have a part in), then each row is decided by familyReadAccess, listedFor and masked exactly
 * like a list row, and the criteria are checked again on the members *as this reader sees them*.
 * So a kode 6 member (name, birth date and national id masked without clearance; the family is
 * not listed at all) never matches for a reader without clearance, a partner who sees names only
 * never matches by birth date or national id, and a family the reader has no part in is never
 * found: nothing in the answer tells a hidden person exists.
 */
export class FamilySearchQueries {
  private readonly maxScanRows: number;

  constructor(
    private readonly dataSource: DataSource,
    options: { maxScanRows?: number } = {},
  ) {
    this.maxScanRows = options.maxScanRows ?? 2000;
  }

  async search(criteria: FamilySearchCriteria, today: LocalDate, readAs: ReadAs): Promise<FamilySearchPage> {
    if (!isLocalDate(today) || !isLocalDate(readAs.accessDay)) throw new RangeError('today and accessDay must be dates YYYY-MM-DD');
    const query = checkedCriteria(criteria);
    const reader = readerOf(readAs.actor);
    if (reader.kind === 'none') return { items: [], nextCursor: null, access: [] };
    const items: FamilySearchHit[] = [];
    const access: FamilyAccessRecord[] = [];
    const page = (nextCursor: string | null): FamilySearchPage => ({ items, nextCursor, access });
    const chunk = Math.max(query.limit + 1, 100);
    let cursor = criteria.after;
    let scanned = 0;
    for (;;) {
      const rows = await this.candidates(query.keys, cursor, chunk, readerKey(reader));
      for (const row of rows) {
        scanned++;
        cursor = row.family_id;
        const shown = listRowFor(row, reader, today, DEFAULT_EXPIRY_WINDOW_DAYS, readAs);
        if (!shown) continue;
        const { item, view } = shown;
        const matchedMemberIds = view.members
          // An erased name (a marker) matches nothing: the index no longer holds it either.
          .filter((m) => query.nameWords === null || (typeof m.name === 'string' && nameMatches(m.name, query.nameWords)))
          .filter((m) => query.birthDate === undefined || m.birthDate === query.birthDate)
          .filter((m) => query.nationalId === undefined || m.nationalId === query.nationalId)
          .map((m) => m.memberId)
          .sort();
        if (matchedMemberIds.length === 0) continue;
        if (items.length === query.limit) return page(items[query.limit - 1].familyId);
        items.push({ ...item, matchedMemberIds });
        access.push(shown.access);
      }
      if (rows.length < chunk) return page(null);
      if (scanned >= this.maxScanRows) return page(cursor ?? null);
    }
  }

  private candidates(keys: string[], after: string | undefined, limit: number, readerKey: string | null): Promise<Row[]> {
    const params: unknown[] = [];
    const param = (value: unknown) => `$${params.push(value)}`;
    const where = [`read_models.family_view_search_keys(core) @> ${param(keys)}::text[]`];
    if (readerKey !== null) where.push(`readers @> ARRAY[${param(readerKey)}::text]`);
    if (after !== undefined) where.push(`family_id > ${param(after)}`);
    return this.dataSource.query(
      familyStatesSql(`SELECT * FROM read_models.family_view WHERE ${where.join(' AND ')} ORDER BY family_id LIMIT ${param(limit)}`),
      params,
    );
  }
}

type CheckedQuery = { keys: string[]; nameWords: string[] | null; birthDate?: LocalDate; nationalId?: string; limit: number };

/** Checks the criteria and turns them into index keys; refusals name the field, never its value. */
export function checkedCriteria(criteria: FamilySearchCriteria): CheckedQuery {
  const keys: string[] = [];
  let words: string[] | null = null;
  if (criteria.name !== undefined) {
    if (typeof criteria.name !== 'string' || criteria.name.length > 200) throw new InvalidFamilySearch('name must be text of at most 200 characters');
    words = nameWords(criteria.name);
    if (words.join('').length < MIN_NAME_LETTERS) throw new InvalidFamilySearch(`name must have at least ${MIN_NAME_LETTERS} letters`);
    if (words.length > MAX_NAME_WORDS) throw new InvalidFamilySearch(`name may have at most ${MAX_NAME_WORDS} words`);
    keys.push(...new Set(words.map(nameKey)));
  }
  if (criteria.birthDate !== undefined) {
    if (!isLocalDate(criteria.birthDate)) throw new InvalidFamilySearch('birthDate must be a date YYYY-MM-DD');
    keys.push(birthDateKey(criteria.birthDate));
  }
  if (criteria.nationalId !== undefined) {
    if (typeof criteria.nationalId !== 'string' || !/^\d{11}$/.test(criteria.nationalId)) throw new InvalidFamilySearch('nationalId must be 11 digits');
    keys.push(nationalIdKey(criteria.nationalId));
  }
  if (keys.length === 0) throw new InvalidFamilySearch('name, birthDate or nationalId is required');
  const limit = criteria.limit ?? DEFAULT_SEARCH_LIMIT;
  if (!Number.isSafeInteger(limit) || limit < 1 || limit > MAX_SEARCH_LIMIT)
    throw new InvalidFamilySearch(`limit must be a whole number from 1 to ${MAX_SEARCH_LIMIT}`);
  return { keys, nameWords: words, birthDate: criteria.birthDate, nationalId: criteria.nationalId, limit };
}
