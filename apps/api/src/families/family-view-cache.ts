import type { LocalDate } from '@familievedtak/domain';
import type { FamilyAccessRecord, FamilyViewQueries, ReadAs, StoredFamilyView } from '@familievedtak/projections';

/**
 * GET /families/:familyId served as bytes: the response body is serialised once per
 * (family, revision, reader scope) and reused until the family's revision moves. A reader
 * whose scope has an entry costs one primary-key lookup of the revision; when it still matches,
 * the state read and parse, the access decision, masking, the build and JSON.stringify are
 * skipped. A scope without an entry reads the view directly (one query, as without the cache).
 *
 * The scope is every input of familyReadAccess and viewForReader besides the state: role,
 * unit, partner organisation, protected-address clearance, the access day (consents and
 * enrolments start and end by day) and `today`. Everything else that changes what a reader
 * may see (a consent withdrawn, a part ended, an address protected) is an event, so a new
 * revision. The user id is not an input: readers with the same scope share an entry.
 * Refusals are not cached: they carry no revision to key them on, and are not the hot path.
 */

/** A permitted read carries what the access decision granted: the read audit records it on every hit. */
export type FamilyViewRead = { kind: 'view'; revision: number; body: Buffer; access: FamilyAccessRecord } | { kind: 'denied'; reason: string };

/** Where views are read: FamilyViewQueries on the primary or a replica. */
export type ViewSource = Pick<FamilyViewQueries, 'getView' | 'revisionOf'>;

type Entry = { familyId: string; read: Extract<FamilyViewRead, { kind: 'view' }>; bytes: number };

/** Rough fixed cost of an entry besides its body (key, access record, map slots). */
const ENTRY_OVERHEAD_BYTES = 512;

export const DEFAULT_FAMILY_VIEW_CACHE_MB = 64;

/** FAMILY_VIEW_CACHE_MB: the cache's bound in MiB (default 64); 0 turns it off (every read builds its view). */
export function familyViewCacheBytes(env: NodeJS.ProcessEnv = process.env): number {
  const value = env.FAMILY_VIEW_CACHE_MB?.trim();
  if (value === undefined || value === '') return DEFAULT_FAMILY_VIEW_CACHE_MB * 1024 * 1024;
  const mb = Number(value);
  if (!Number.isFinite(mb) || mb < 0) throw new Error(`FAMILY_VIEW_CACHE_MB must be a number of MiB, 0 or more, not "${value}"`);
  return Math.floor(mb * 1024 * 1024);
}

/** The body exactly as the controller sent it before the cache: the revision first, then the view, then what was withheld or masked. */
export function serialiseView(stored: StoredFamilyView): Buffer {
  const { withheld, maskedMemberIds, consentIds } = stored.access;
  return Buffer.from(JSON.stringify({ revision: stored.revision, ...stored.view, access: { withheld, maskedMemberIds, consentIds } }));
}

export class FamilyViewCache {
  /** Insertion order is recency order: a hit moves its entry to the end, eviction takes from the front. */
  private readonly entries = new Map<string, Entry>();
  /** Per family: the newest revision cached and its entries' keys, so a newer revision drops them all at once. */
  private readonly families = new Map<string, { revision: number; keys: Set<string> }>();
  private bytes = 0;
  private hits = 0;
  private misses = 0;

  constructor(
    private readonly queries: ViewSource,
    private readonly maxBytes: number = DEFAULT_FAMILY_VIEW_CACHE_MB * 1024 * 1024,
  ) {}

  /**
   * The view (as bytes) or the refusal for this reader; undefined when the family is not in the view.
   * `from`: the database this read is routed to (a replica or the primary); the lookup and the
   * build go to the same one. Entries are shared between them: a revision is the same events
   * folded the same way wherever it is read.
   */
  async read(familyId: string, today: LocalDate, readAs: ReadAs, from: ViewSource = this.queries): Promise<FamilyViewRead | undefined> {
    if (this.maxBytes <= 0) return this.build(from, familyId, today, readAs);
    const key = scopeKey(familyId, today, readAs);
    const entry = this.entries.get(key);
    if (entry) {
      const revision = await from.revisionOf(familyId);
      // Only the very revision the bytes were built from: a newer one (or a row gone) builds anew.
      if (revision === entry.read.revision) {
        this.entries.delete(key);
        this.entries.set(key, entry);
        this.hits++;
        return entry.read;
      }
      if (revision === undefined) this.dropFamily(familyId);
      else this.remove(key);
    }
    this.misses++;
    const read = await this.build(from, familyId, today, readAs);
    // Keyed by the revision the view was built from, whatever a lookup said before.
    if (read?.kind === 'view') this.store(key, familyId, read);
    return read;
  }

  /** Hits, misses, entries and bytes held (tests and metrics). */
  stats(): { hits: number; misses: number; entries: number; bytes: number } {
    return { hits: this.hits, misses: this.misses, entries: this.entries.size, bytes: this.bytes };
  }

  private async build(from: ViewSource, familyId: string, today: LocalDate, readAs: ReadAs): Promise<FamilyViewRead | undefined> {
    const stored = await from.getView(familyId, today, readAs);
    if (!stored) return undefined;
    if ('denied' in stored) return { kind: 'denied', reason: stored.denied };
    const { withheld: _withheld, ...access } = stored.access;
    return { kind: 'view', revision: stored.revision, body: serialiseView(stored), access };
  }

  private store(key: string, familyId: string, read: Entry['read']): void {
    const bytes = read.body.byteLength + key.length * 2 + ENTRY_OVERHEAD_BYTES;
    if (bytes > this.maxBytes) return;
    const known = this.families.get(familyId);
    if (known && known.revision > read.revision) return; // built from a row older than one already cached: keep the newer
    if (known && known.revision < read.revision) this.dropFamily(familyId);
    // Before looking the family up again: removing its last entry removes the family too.
    this.remove(key);
    let family = this.families.get(familyId);
    if (!family) {
      family = { revision: read.revision, keys: new Set() };
      this.families.set(familyId, family);
    }
    this.entries.set(key, { familyId, read, bytes });
    family.keys.add(key);
    this.bytes += bytes;
    while (this.bytes > this.maxBytes) {
      const oldest = this.entries.keys().next().value as string;
      this.remove(oldest);
    }
  }

  private remove(key: string): void {
    const entry = this.entries.get(key);
    if (!entry) return;
    this.entries.delete(key);
    this.bytes -= entry.bytes;
    const family = this.families.get(entry.familyId);
    family?.keys.delete(key);
    if (family && family.keys.size === 0) this.families.delete(entry.familyId);
  }

  private dropFamily(familyId: string): void {
    const family = this.families.get(familyId);
    if (!family) return;
    for (const key of [...family.keys]) this.remove(key);
    this.families.delete(familyId);
  }
}

/** JSON of the scope's parts: unambiguous whatever the strings hold (a partner organisation comes from a token claim). */
function scopeKey(familyId: string, today: LocalDate, { actor, accessDay }: ReadAs): string {
  return JSON.stringify([familyId, actor.role, actor.unit ?? null, actor.partnerOrganisation ?? null, Boolean(actor.protectedAddressClearance), accessDay, today]);
}
