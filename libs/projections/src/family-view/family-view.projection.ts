import {
  evolveFamily,
  FAMILY_EVENT_TYPES,
  FAMILY_STREAM_PREFIX,
  foldFamily,
  initialFamilyState,
  isDecisionInForce,
  possibleReaders,
  UNITS,
  type FamilyEvent,
  type FamilyState,
} from '@familievedtak/domain';
import type { EventStore, RecordedEvent } from '@familievedtak/event-store';
import type { EntityManager } from 'typeorm';
import type { Projection } from '../projection';
import { compareText, involvedUnits } from './family-view.facts';
import { DEFAULT_CACHED_RECORDS, FamilyStateCache } from './family-state-cache';
import { changePayloads, type FamilyViewChange } from './family-view-changes';
import { FAMILY_VIEW_TABLE, familyStateSql, RECORD_KINDS, recordTableOf, splitFamilyState, type RecordKind } from './family-view.state-store';

const FAMILY_EVENTS = new Set<string>(FAMILY_EVENT_TYPES);
const ERASURE_EVENT = 'PersonalDataErased' satisfies (typeof FAMILY_EVENT_TYPES)[number];

/** The header's columns derived from the state (what the family list filters on). */
type Derived = { units: string[]; readers: string[]; open_needs: number; active_decisions: number; next_period_end: string | null };

type Folded = {
  familyId: string;
  state: FamilyState;
  /** The state the batch was folded on; null for a family new to the table. */
  previous: FamilyState | null;
  /** The derived columns stored with `previous`. */
  stored: Derived | null;
  revision: number;
  lastPosition: bigint;
};

export interface FamilyViewProjectionOptions {
  /**
   * Records (over all families, plus one per family) whose folded states are kept in memory, so
   * the next batch of a family folds on them instead of reading the family back. Default 10,000
   * (about 30 MB: a generated family's record costs ~3 KB of heap; in a 1,000-family rebuild a
   * larger cache bought no measurable speed, only memory); 0 turns the cache off.
   */
  cachedRecords?: number;
  /** The process's state cache, shared with the view readers (FamilyViewQueries); overrides cachedRecords. */
  stateCache?: FamilyStateCache;
  /**
   * NOTIFY this channel with the families (and revisions) each batch wrote, delivered when the
   * batch commits (family-view-changes.ts): API instances then serve unchanged views without
   * asking the database. Off by default (rebuild benches, shadow copies).
   */
  notifyChannel?: string;
  /** Told, in this process, of the families each batch wrote once the batch committed (before the runner's waiters). */
  onCommitted?: (changes: FamilyViewChange[]) => void;
  /**
   * The log the batches come from (the personal-data decorated store: erased fields read as
   * placeholders with their notes). With it, a batch holding PersonalDataErased for a family
   * refolds that family from its stream instead of folding on the stored state, so the view
   * holds nothing of the erased keys and equals a rebuild (design §5). Without it (a rebuild
   * from the start, a bench), batches fold incrementally: a replay already reads every event as
   * erased.
   */
  log?: Pick<EventStore, 'readStream'>;
}

/** Events read per page when refolding a family after an erasure. */
const REFOLD_PAGE = 1000;

/**
 * Keeps read_models.family_view (one header row per family stream: the list columns and the
 * small part of the folded state) and read_models.family_view_record (one row per record of
 * the maps that grow: needs, payments...; see family-view.state-store.ts).
 *
 * Per batch, whatever its size, two statements: one reads the touched families' headers (and
 * the whole state of those not cached), one writes the headers, the records whose object
 * changed and the deletion of records that left a map. The domain's evolve is immutable, so
 * an untouched record keeps its object: a command on a family with 2,400 needs writes the
 * header and the one need it touched, not the family, and derives the header's list columns
 * from that need (deriveFrom) rather than from all 2,400.
 */
export class FamilyViewProjection implements Projection {
  readonly name = 'family-view';
  readonly filter = { streamPrefixes: [FAMILY_STREAM_PREFIX] };
  readonly tables: string[];
  private readonly recordTable: string;
  private readonly cache: FamilyStateCache;
  private readonly notifyChannel: string | undefined;
  private readonly onCommitted: ((changes: FamilyViewChange[]) => void) | undefined;
  private readonly log: Pick<EventStore, 'readStream'> | undefined;
  /** What the last apply wrote, for `committed`. */
  private uncommitted: FamilyViewChange[] = [];

  /**
   * `table` (schema-qualified, trusted) lets the replay verification fold into a shadow copy
   * of the tables (`table` and `${table}_record`) with exactly this code; everything else uses
   * the live ones.
   */
  constructor(
    private readonly table = FAMILY_VIEW_TABLE,
    options: FamilyViewProjectionOptions = {},
  ) {
    this.recordTable = recordTableOf(table);
    this.tables = [table, this.recordTable];
    this.notifyChannel = options.notifyChannel;
    this.onCommitted = options.onCommitted;
    this.log = options.log;
    this.cache = options.stateCache ?? new FamilyStateCache(options.cachedRecords ?? DEFAULT_CACHED_RECORDS);
  }

  async apply(events: RecordedEvent[], manager: EntityManager): Promise<void> {
    this.uncommitted = [];
    const byFamily = new Map<string, RecordedEvent[]>();
    for (const event of events) {
      if (!event.streamId.startsWith(FAMILY_STREAM_PREFIX)) continue;
      const familyId = event.streamId.slice(FAMILY_STREAM_PREFIX.length);
      const list = byFamily.get(familyId);
      if (list) list.push(event);
      else byFamily.set(familyId, [event]);
    }
    if (byFamily.size === 0) return;

    // A cached state counts only if the stored header still has its revision (this process may
    // have lost the projection to another for a while, or its last transaction rolled back);
    // otherwise the server assembles the stored state.
    const ids = [...byFamily.keys()];
    // Taken before the query: readers sharing the cache may replace an entry while it runs.
    const held = new Map(ids.map((id) => [id, this.cache.get(id)]));
    const stored: Array<Derived & { family_id: string; revision: string; state: FamilyState | null }> = await manager.query(
      `SELECT h.family_id, h.revision, h.units, h.readers, h.open_needs, h.active_decisions, h.next_period_end::text,
              CASE WHEN h.revision = c.cached THEN NULL ELSE ${familyStateSql('h', this.table)} END AS state
         FROM unnest($1::text[], $2::bigint[]) AS c(family_id, cached)
         JOIN ${this.table} h ON h.family_id = c.family_id`,
      [ids, ids.map((id) => held.get(id)?.revision ?? -1)],
    );
    const known = new Map(stored.map((row) => [row.family_id, row]));

    const changed: Folded[] = [];
    for (const [familyId, familyEvents] of byFamily) {
      const row = known.get(familyId);
      const from = row ? Number(row.revision) : -1;
      const previous = row ? (row.state ?? held.get(familyId)!.state) : null;
      // The runner never re-applies a batch; this only guards against a stray replay.
      const fresh: RecordedEvent[] = [];
      let revision = from;
      for (const event of familyEvents) {
        if (event.revision <= revision) continue;
        fresh.push(event);
        revision = event.revision;
      }
      if (!fresh.length) continue;
      const last = fresh[fresh.length - 1];
      // An erasure: the stored state (and any cached copy) still holds the erased fields' plaintext.
      const erased = this.log !== undefined && fresh.some((event) => event.type === ERASURE_EVENT);
      if (erased) this.cache.forget(familyId);
      const folded: Folded = {
        familyId,
        state: erased ? await this.refold(last.streamId, last.revision) : foldEvents(previous ?? initialFamilyState(), fresh),
        previous,
        stored: row ?? null,
        revision: last.revision,
        lastPosition: last.globalPosition,
      };
      if (folded.state.status !== 'registered' || folded.state.district === null) {
        throw new Error(`family-view: stream ${FAMILY_STREAM_PREFIX}${familyId} has events but no FamilyRegistered`);
      }
      changed.push(folded);
    }
    if (!changed.length) return;
    const notify = this.notifyChannel ? { channel: this.notifyChannel, payloads: changePayloads(changed) } : undefined;
    const added = await write(manager, this.table, this.recordTable, changed, notify);
    for (const [i, folded] of changed.entries()) this.remember(folded, added[i]);
    if (this.onCommitted) this.uncommitted = changed.map(({ familyId, revision }) => ({ familyId, revision }));
  }

  /**
   * The family folded anew from its stream up to `revision` (the batch's last event), read through
   * the decorated log: the erased keys are gone by now (the key goes first, design §5; the decorator
   * drops cached keys named by a PersonalDataErased it decodes), so every erased field reads as its
   * placeholder and the state is what a rebuild folds.
   */
  private async refold(streamId: string, revision: number): Promise<FamilyState> {
    const events: RecordedEvent[] = [];
    for (let fromRevision = 0; ;) {
      const page = await this.log!.readStream(streamId, { fromRevision, maxCount: REFOLD_PAGE });
      for (const event of page) if (event.revision <= revision) events.push(event);
      if (page.length < REFOLD_PAGE || page[page.length - 1].revision >= revision) break;
      fromRevision = page[page.length - 1].revision + 1;
    }
    if (events.length !== revision + 1 || events[events.length - 1].revision !== revision) {
      throw new Error(`family-view: refolding ${streamId} after an erasure read ${events.length} events, expected ${revision + 1}`);
    }
    return foldEvents(initialFamilyState(), events);
  }

  committed(): void {
    const changes = this.uncommitted;
    this.uncommitted = [];
    if (changes.length) this.onCommitted?.(changes);
  }

  /** Counted from the previous count when there is one: counting a big family's maps costs as much as the rest of a command. */
  private remember({ familyId, revision, state, previous }: Folded, added: number): void {
    const cached = this.cache.get(familyId);
    this.cache.folded(familyId, revision, state, cached && cached.state === previous ? cached.records + added : undefined);
  }
}

/**
 * Folds one family's new events in one pass with the domain's foldFamily (linear: it copies
 * each record map once per batch, not once per event). Should anything be wrong (an unknown
 * type, an event the domain refuses), the events are folded again one by one, so the error
 * names the event exactly as before.
 */
function foldEvents(state: FamilyState, events: RecordedEvent[]): FamilyState {
  if (events.every((event) => FAMILY_EVENTS.has(event.type))) {
    try {
      return foldFamily(
        events.map((event) => ({ type: event.type, data: event.data }) as unknown as FamilyEvent),
        state,
      );
    } catch {
      // located below
    }
  }
  for (const event of events) state = fold(state, event);
  return state;
}

/**
 * An event this code does not know (a newer writer) stops the projection rather than being
 * skipped: skipping would leave the view silently wrong until a rebuild. The runner retries,
 * and releases its lock meanwhile, so an upgraded instance can take over.
 */
function fold(state: FamilyState, event: RecordedEvent): FamilyState {
  if (!FAMILY_EVENTS.has(event.type)) {
    throw new Error(`family-view: unknown event type ${event.type} at ${event.streamId}@${event.revision}`);
  }
  try {
    return evolveFamily(state, { type: event.type, data: event.data } as unknown as FamilyEvent);
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new Error(`family-view: cannot fold ${event.type} at ${event.streamId}@${event.revision}: ${reason}`);
  }
}

export type FamilyRecordRow = { family_id: string; kind: RecordKind; record_id: string; data?: unknown };

/** A record whose object changed: `before` absent for a new record, `after` absent for a removed one. */
type RecordChange = { kind: RecordKind; recordId: string; before: unknown; after: unknown };

/**
 * The records of `state` whose object is not the one in `previous`. A map the fold did not
 * touch is the same object and is skipped whole; in a touched map each record is compared by
 * reference (the domain's evolve keeps an untouched record's object).
 */
function changedRecords(state: FamilyState, previous: FamilyState | null): RecordChange[] {
  const changes: RecordChange[] = [];
  for (const kind of RECORD_KINDS) {
    const now: Record<string, unknown> = state[kind] ?? {};
    const before: Record<string, unknown> = previous?.[kind] ?? {};
    if (now === before) continue;
    // Object.keys rather than for-in: a third faster on maps of thousands of records.
    for (const recordId of Object.keys(now)) {
      const after = now[recordId];
      if (after !== undefined && after !== before[recordId]) changes.push({ kind, recordId, before: before[recordId], after });
    }
    for (const recordId of Object.keys(before)) {
      if (before[recordId] !== undefined && now[recordId] === undefined) changes.push({ kind, recordId, before: before[recordId], after: undefined });
    }
  }
  return changes;
}

/** The record rows to upsert (new or replaced records) and to delete (records gone from their map). */
export function familyRecordChanges(
  familyId: string,
  state: FamilyState,
  previous: FamilyState | null,
  upserts: FamilyRecordRow[],
  deletes: FamilyRecordRow[],
): void {
  for (const { kind, recordId, after } of changedRecords(state, previous)) {
    if (after === undefined) deletes.push({ family_id: familyId, kind, record_id: recordId });
    else upserts.push({ family_id: familyId, kind, record_id: recordId, data: after });
  }
}

/**
 * One statement for the whole batch: the rows travel as one JSON array per kind of change.
 * Returns, per family, how many records it gained (for the cache's count).
 */
async function write(
  manager: EntityManager,
  table: string,
  recordTable: string,
  rows: Folded[],
  notify?: { channel: string; payloads: string[] },
): Promise<number[]> {
  const upserts: FamilyRecordRow[] = [];
  const deletes: FamilyRecordRow[] = [];
  const added: number[] = [];
  const headers = rows.map(({ familyId, state, previous, stored, revision, lastPosition }) => {
    const changes = changedRecords(state, previous);
    let gained = 0;
    for (const { kind, recordId, before, after } of changes) {
      if (after === undefined) deletes.push({ family_id: familyId, kind, record_id: recordId });
      else upserts.push({ family_id: familyId, kind, record_id: recordId, data: after });
      gained += (after === undefined ? 0 : 1) - (before === undefined ? 0 : 1);
    }
    added.push(gained);
    const derived = (previous && stored && deriveFrom(previous, state, stored, changes)) || derive(state);
    return {
      family_id: familyId,
      district: state.district,
      ...derived,
      coordinating_unit: state.coordinatingUnit,
      revision,
      last_position: lastPosition.toString(),
      core: splitFamilyState(state).core,
    };
  });
  // One statement (one round trip) for both tables: the header upsert, the record upsert and
  // the record delete run as data-modifying CTEs on disjoint rows. An unchanged core, units or
  // readers is stored byte for byte the same (jsonb and arrays are canonical), so PostgreSQL can
  // update the header in place without touching its indexes; a record the domain rebuilt with
  // equal content is left as it is (no new row version, no WAL).
  await manager.query(
    `WITH headers AS (
       INSERT INTO ${table} AS v
         (family_id, district, units, readers, coordinating_unit, open_needs, active_decisions, next_period_end, revision, last_position, core, updated_at)
       SELECT r.family_id, r.district, r.units, r.readers, r.coordinating_unit, r.open_needs, r.active_decisions, r.next_period_end,
              r.revision, r.last_position, r.core, now()
         FROM jsonb_to_recordset($1::jsonb) AS r(
                family_id text, district text, units text[], readers text[], coordinating_unit text, open_needs int, active_decisions int,
                next_period_end date, revision bigint, last_position bigint, core jsonb)
       ON CONFLICT (family_id) DO UPDATE SET
         district = excluded.district,
         units = excluded.units,
         readers = excluded.readers,
         coordinating_unit = excluded.coordinating_unit,
         open_needs = excluded.open_needs,
         active_decisions = excluded.active_decisions,
         next_period_end = excluded.next_period_end,
         revision = excluded.revision,
         last_position = excluded.last_position,
         core = excluded.core,
         updated_at = excluded.updated_at
       WHERE v.revision < excluded.revision
       RETURNING 1),
     upserted AS (
       INSERT INTO ${recordTable} AS t (family_id, kind, record_id, data)
       SELECT r.family_id, r.kind, r.record_id, r.data
         FROM jsonb_to_recordset($2::jsonb) AS r(family_id text, kind text, record_id text, data jsonb)
       ON CONFLICT (family_id, kind, record_id) DO UPDATE SET data = excluded.data
       WHERE t.data IS DISTINCT FROM excluded.data
       RETURNING 1),
     deleted AS (
       DELETE FROM ${recordTable} t
        USING jsonb_to_recordset($3::jsonb) AS r(family_id text, kind text, record_id text)
        WHERE t.family_id = r.family_id AND t.kind = r.kind AND t.record_id = r.record_id
       RETURNING 1)
     ${notify ? 'SELECT pg_notify($4, payload) FROM unnest($5::text[]) AS payload' : 'SELECT 1'}`,
    [JSON.stringify(headers), JSON.stringify(upserts), JSON.stringify(deletes), ...(notify ? [notify.channel, notify.payloads] : [])],
  );
  return added;
}

/** The derived columns from the whole state: what a new family, a rebuild and any uncertain case use. */
function derive(state: FamilyState): Derived {
  return { units: involvedUnits(state), readers: possibleReaders(state), ...recordedCounts(state) };
}

/**
 * Maps that units and readers read as the surroundings of every record (a need recorded by a
 * partner is owned by the units enrolling that partner, a part or a referral stands on its
 * own): any change to them, or to the header part of the state, derives everything again.
 */
const CONTEXT_KINDS = new Set<RecordKind>(['team', 'parts', 'referrals', 'enrolments', 'parentalResponsibility']);
/** More changed records than this in one family: one pass over the whole state is cheaper. */
const MAX_INCREMENTAL_CHANGES = 32;

/**
 * The derived columns from the stored ones and the records that changed, so a command on a
 * family with thousands of records does not walk them all. involvedUnits and possibleReaders
 * are unions over the records, each judged with the context maps: the new value is the stored
 * one plus what each changed record yields on its own (the function applied to the context
 * with that one record). Only when no changed record yields less than before (nothing can have
 * dropped out; else, and on any deletion or context change, null: derive from the whole state).
 * The counts move by each changed record's difference. A rebuild derives from the whole state
 * and must agree: the family view specs compare both.
 */
function deriveFrom(previous: FamilyState, state: FamilyState, stored: Derived, changes: RecordChange[]): Derived | null {
  if (changes.length > MAX_INCREMENTAL_CHANGES) return null;
  for (const key of Object.keys(state) as Array<keyof FamilyState>) {
    const large = (RECORD_KINDS as readonly string[]).includes(key) && !CONTEXT_KINDS.has(key as RecordKind);
    if (!large && state[key] !== previous[key]) return null;
  }
  const context: Record<string, unknown> = { ...state };
  for (const kind of RECORD_KINDS) if (!CONTEXT_KINDS.has(kind)) context[kind] = {};
  const alone = (kind: RecordKind, recordId: string, record: unknown) => ({ ...context, [kind]: { [recordId]: record } }) as unknown as FamilyState;
  const units = new Set(stored.units);
  const readers = new Set(stored.readers);
  let openNeeds = stored.open_needs;
  let activeDecisions = stored.active_decisions;
  let decisionsChanged = false;
  for (const { kind, recordId, before, after } of changes) {
    if (after === undefined) return null;
    const now = alone(kind, recordId, after);
    const nowUnits = involvedUnits(now);
    const nowReaders = possibleReaders(now);
    if (before !== undefined) {
      const was = alone(kind, recordId, before);
      if (!involvedUnits(was).every((u) => nowUnits.includes(u)) || !possibleReaders(was).every((r) => nowReaders.includes(r))) return null;
    }
    nowUnits.forEach((u) => units.add(u));
    nowReaders.forEach((r) => readers.add(r));
    if (kind === 'needs') openNeeds += isOpen(after) - isOpen(before);
    if (kind === 'decisions') {
      activeDecisions += inForce(after) - inForce(before);
      decisionsChanged = true;
    }
  }
  return {
    units: UNITS.filter((u) => units.has(u)),
    readers: [...readers].sort(),
    open_needs: openNeeds,
    active_decisions: activeDecisions,
    next_period_end: decisionsChanged ? recordedCounts(state).next_period_end : stored.next_period_end,
  };
}

const isOpen = (need: unknown) => (need !== undefined && (need as FamilyState['needs'][string]).status === 'open' ? 1 : 0);
const inForce = (decision: unknown) => (decision !== undefined && isDecisionInForce(decision as FamilyState['decisions'][string]) ? 1 : 0);

/**
 * The stored counts say what the stream records, independent of any day (a projection
 * has no "today"); the queries recompute them as of the requested day from `state`.
 */
function recordedCounts(state: FamilyState) {
  const inForce = Object.values(state.decisions).filter(isDecisionInForce);
  return {
    open_needs: Object.values(state.needs).filter((n) => n.status === 'open').length,
    active_decisions: inForce.length,
    next_period_end: inForce.map((d) => d.periodUntil).sort(compareText)[0] ?? null,
  };
}
