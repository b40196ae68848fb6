import type { FamilyState } from '@familievedtak/domain';
import { RECORD_KINDS } from './family-view.state-store';

/** A family's folded state as of a revision, and how many records it holds (the cache's unit of size). */
export type CachedFamilyState = { revision: number; state: FamilyState; records: number };

/** Records held by default over all families (plus one per family): about 30 MB of heap for generated families (~3 KB a record). */
export const DEFAULT_CACHED_RECORDS = 10_000;

/**
 * Folded family states kept in memory per family, bounded by records, most recently used last.
 * One per process, shared by the view projection (which folds the next batch on the state it
 * wrote) and the view readers (which skip reading and parsing a state they already hold): in
 * one process running both, the state a command's projection just wrote is the state the next
 * read needs.
 *
 * An entry is a hint, never the truth: every user asks the database for the stored revision and
 * takes the state from here only when the revisions match (a rolled-back batch, another process
 * holding the projection, or a replica behind the primary all show up as a different revision).
 * States are the domain's immutable objects; nobody may mutate one taken from here.
 */
export class FamilyStateCache {
  private readonly entries = new Map<string, CachedFamilyState>();
  private recordCount = 0;

  /** `limit`: records held at most; 0 holds nothing. */
  constructor(private readonly limit: number = DEFAULT_CACHED_RECORDS) {}

  get(familyId: string): CachedFamilyState | undefined {
    return this.entries.get(familyId);
  }

  /** The revision held for the family, -1 when none (for `CASE WHEN revision = $n` in SQL). */
  revisionOf(familyId: string): number {
    return this.entries.get(familyId)?.revision ?? -1;
  }

  /**
   * The projection's newly folded state. `records`: its record count when the caller knows it
   * (counting a big family's maps costs as much as the rest of a command), else counted here.
   */
  folded(familyId: string, revision: number, state: FamilyState, records?: number): void {
    this.put(familyId, { revision, state, records: records ?? countRecords(state) });
  }

  /** A state a reader read from the database: kept unless a newer one is already held. */
  read(familyId: string, revision: number, state: FamilyState): void {
    const held = this.entries.get(familyId);
    if (held && held.revision >= revision) return;
    this.put(familyId, { revision, state, records: countRecords(state) });
  }

  /**
   * Another process moved the family to `revision` (the view's change feed): a state held at an
   * older revision is dropped, so a process that only reads holds no state the log has moved past
   * (after an erasure: the plaintext the refold removed). The state this process folded itself is
   * at that revision already and stays.
   */
  moved(familyId: string, revision: number): void {
    const entry = this.entries.get(familyId);
    if (entry && entry.revision < revision) this.forget(familyId);
  }

  forget(familyId: string): void {
    const entry = this.entries.get(familyId);
    if (!entry) return;
    this.entries.delete(familyId);
    this.recordCount -= entry.records;
  }

  /** Families and records held (tests and metrics). */
  stats(): { families: number; records: number } {
    return { families: this.entries.size, records: this.recordCount };
  }

  private put(familyId: string, entry: CachedFamilyState): void {
    this.forget(familyId);
    if (entry.records > this.limit) return;
    this.entries.set(familyId, entry);
    this.recordCount += entry.records;
    for (const [oldest, held] of this.entries) {
      if (this.recordCount <= this.limit) break;
      this.entries.delete(oldest);
      this.recordCount -= held.records;
    }
  }
}

/** One per family (the header) plus one per record in the maps that grow. */
export function countRecords(state: FamilyState): number {
  let count = 1;
  for (const kind of RECORD_KINDS) {
    const map = state[kind];
    if (map) for (const _ in map) count++;
  }
  return count;
}
