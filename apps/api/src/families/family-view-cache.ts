import type { LocalDate } from '@familievedtak/domain';
import type { FamilyAccessRecord, FamilyViewChange, FamilyViewChangeSink, FamilyViewQueries, ReadAs, StoredFamilyView } from '@familievedtak/projections';

/**
 * GET /families/:familyId served as bytes: the response body is serialised once per
 * (family, revision, reader scope) and reused until the family's revision moves. Every read is
 * one round trip (FamilyViewQueries.readView): the stored revision, and the state only when the
 * process's state cache does not hold that revision. When the revision matches the entry, the
 * access decision, masking, the build and JSON.stringify are skipped too.
 *
 * The scope is every input of familyReadAccess and viewForReader besides the state: role,
 * unit, partner organisation, protected-address clearance, the access day (consents and
 * enrolments start and end by day), `today` and the rule set's view settings for it. Everything else that changes what a reader
 * may see (a consent withdrawn, a part ended, an address protected) is an event, so a new
 * revision. The user id is not an input: readers with the same scope share an entry.
 * Refusals are not cached: they carry no revision to key them on, and are not the hot path.
 */

/** A permitted read carries what the access decision granted: the read audit records it on every hit. */
export type FamilyViewRead = { kind: 'view'; revision: number; body: Buffer; access: FamilyAccessRecord } | { kind: 'denied'; reason: string };

/** Where views are read: FamilyViewQueries on the primary or a replica. */
export type ViewSource = Pick<FamilyViewQueries, 'readView'>;

type Entry = {
  familyId: string;
  read: Extract<FamilyViewRead, { kind: 'view' }>;
  bytes: number;
  /** The listening epoch in which the entry was known current: while it lasts, the entry is served without a lookup. */
  trustedIn: number | null;
};

/** A read's view of the change feed when it started: its entry may be trusted only if nothing it missed could have moved the family. */
type ReadStart = { seq: number; epoch: number; listening: boolean };

/** Changes remembered per family (for reads in flight when they arrive): the most recent this many families. */
const REMEMBERED_CHANGES = 65_536;

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

export class FamilyViewCache implements FamilyViewChangeSink {
  /** Insertion order is recency order: a hit moves its entry to the end, eviction takes from the front. */
  private readonly entries = new Map<string, Entry>();
  /** Per family: the newest revision cached and its entries' keys, so a newer revision drops them all at once. */
  private readonly families = new Map<string, { revision: number; keys: Set<string> }>();
  private bytes = 0;
  private hits = 0;
  private misses = 0;
  private hitsWithoutLookup = 0;
  // The change feed (FamilyViewChangeListener): without it every hit asks for the revision.
  private feedListening = false;
  /** Moves whenever the feed stops or starts listening: trust from another epoch is void (notifications may have been lost). */
  private epoch = 0;
  /** Changes heard so far, and per family the newest revision heard and when (insertion order: oldest first). */
  private seq = 0;
  private readonly heard = new Map<string, { revision: number; seq: number }>();
  /** A read that started before this change number may have missed one forgotten since: its entry is not trusted. */
  private forgottenUpTo = 0;

  constructor(
    private readonly queries: ViewSource,
    private readonly maxBytes: number = DEFAULT_FAMILY_VIEW_CACHE_MB * 1024 * 1024,
  ) {}

  /**
   * The view (as bytes) or the refusal for this reader; undefined when the family is not in the view.
   * `from`: the database this read is routed to (a replica or the primary); the lookup and the
   * build go to the same one. Entries are shared between them: a revision is the same events
   * folded the same way wherever it is read. `minRevision`: the client's X-Min-Revision (an
   * entry older than it is checked with the database, never served on trust).
   */
  async read(familyId: string, today: LocalDate, readAs: ReadAs, from: ViewSource = this.queries, minRevision = -1): Promise<FamilyViewRead | undefined> {
    if (this.maxBytes <= 0) return toRead(await from.readView(familyId, today, readAs));
    const key = scopeKey(familyId, today, readAs);
    const entry = this.entries.get(key);
    // A trusted entry is current on the primary, so it serves a read routed to a replica too (never older than the replica's).
    // Not for a client that names a newer revision it wrote (X-Min-Revision) than the entry's: it may be on its way.
    if (entry && this.feedListening && entry.trustedIn === this.epoch && entry.read.revision >= minRevision) return this.hit(key, entry, true);
    // Only reads of the primary earn trust: the feed comes from the primary, and a replica may lag it by any amount.
    const start: ReadStart = { seq: this.seq, epoch: this.epoch, listening: this.feedListening && from === this.queries };
    const stored = await from.readView(familyId, today, readAs, entry?.read.revision);
    // Only the very revision the bytes were built from: a newer one (or a row gone) builds anew.
    if (entry && stored && 'unchanged' in stored) {
      // Looked at again after the await: a concurrent read may have replaced or evicted it.
      if (this.entries.get(key) === entry && this.trustworthy(familyId, entry.read.revision, start)) entry.trustedIn = this.epoch;
      return this.hit(key, entry, false);
    }
    if (!stored) this.dropFamily(familyId);
    else if (entry && this.entries.get(key) === entry) this.remove(key);
    this.misses++;
    const read = toRead(stored);
    // Keyed by the revision the view was built from.
    if (read?.kind === 'view') this.store(key, familyId, read, this.trustworthy(familyId, read.revision, start) ? this.epoch : null);
    return read;
  }

  /** FamilyViewChangeSink: the family moved to `revision`; its entries of older revisions go. */
  changed({ familyId, revision }: FamilyViewChange): void {
    this.seq++;
    this.heard.delete(familyId);
    this.heard.set(familyId, { revision, seq: this.seq });
    if (this.heard.size > REMEMBERED_CHANGES) {
      const [oldest, change] = this.heard.entries().next().value as [string, { seq: number }];
      this.heard.delete(oldest);
      this.forgottenUpTo = change.seq;
    }
    const family = this.families.get(familyId);
    if (family && family.revision < revision) this.dropFamily(familyId);
  }

  /** FamilyViewChangeSink: whether changes are heard. Either way trust given before is void. */
  listening(on: boolean): void {
    if (on === this.feedListening) return;
    this.feedListening = on;
    this.epoch++;
  }

  /** Hits (of them served without a lookup), misses, entries and bytes held, changes heard, whether the feed is heard (tests and metrics). */
  stats(): { hits: number; hitsWithoutLookup: number; misses: number; entries: number; bytes: number; changesHeard: number; listening: boolean } {
    return {
      hits: this.hits,
      hitsWithoutLookup: this.hitsWithoutLookup,
      misses: this.misses,
      entries: this.entries.size,
      bytes: this.bytes,
      changesHeard: this.seq,
      listening: this.feedListening,
    };
  }

  private hit(key: string, entry: Entry, withoutLookup: boolean): FamilyViewRead {
    if (this.entries.get(key) === entry) {
      this.entries.delete(key);
      this.entries.set(key, entry);
    }
    this.hits++;
    if (withoutLookup) this.hitsWithoutLookup++;
    return entry.read;
  }

  /**
   * Whether a view of `revision`, read by a read that started at `start`, is current for as long
   * as no change is heard: the feed was heard throughout (same epoch, listening at the start),
   * no change the read might have missed was forgotten, and no change heard names a newer
   * revision (a replica behind, or a commit between the read and now).
   */
  private trustworthy(familyId: string, revision: number, start: ReadStart): boolean {
    if (!start.listening || !this.feedListening || start.epoch !== this.epoch || start.seq < this.forgottenUpTo) return false;
    return (this.heard.get(familyId)?.revision ?? -1) <= revision;
  }

  private store(key: string, familyId: string, read: Entry['read'], trustedIn: number | null): void {
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
    this.entries.set(key, { familyId, read, bytes, trustedIn });
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

function toRead(stored: Awaited<ReturnType<ViewSource['readView']>>): FamilyViewRead | undefined {
  if (!stored) return undefined;
  if ('denied' in stored) return { kind: 'denied', reason: stored.denied };
  if ('unchanged' in stored) throw new Error('readView answered "unchanged" without being asked');
  const { withheld: _withheld, ...access } = stored.access;
  return { kind: 'view', revision: stored.revision, body: serialiseView(stored), access };
}

/** JSON of the scope's parts: unambiguous whatever the strings hold (a partner organisation comes from a token claim). */
function scopeKey(familyId: string, today: LocalDate, { actor, accessDay, rules }: ReadAs): string {
  return JSON.stringify([
    familyId,
    actor.role,
    actor.unit ?? null,
    actor.partnerOrganisation ?? null,
    Boolean(actor.protectedAddressClearance),
    accessDay,
    today,
    // A rule set activated for the day may change a limit without any family event.
    rules?.openNeedWarningDays ?? null,
  ]);
}
