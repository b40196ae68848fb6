import {
  evolveFamily,
  FAMILY_EVENT_TYPES,
  FAMILY_STREAM_PREFIX,
  foldFamily,
  initialFamilyState,
  isDecisionInForce,
  possibleReaders,
  type FamilyEvent,
  type FamilyState,
} from '@familievedtak/domain';
import type { RecordedEvent } from '@familievedtak/event-store';
import type { EntityManager } from 'typeorm';
import type { Projection } from '../projection';
import { compareText, involvedUnits } from './family-view.facts';

const FAMILY_EVENTS = new Set<string>(FAMILY_EVENT_TYPES);

type Folded = { familyId: string; state: FamilyState; revision: number; lastPosition: bigint };

/**
 * Keeps read_models.family_view: per family stream, the state folded with the domain's own
 * evolve, and the columns the list filters on. Each batch costs two statements whatever
 * its size: one read of the touched families' rows, one upsert of them all.
 */
export class FamilyViewProjection implements Projection {
  readonly name = 'family-view';
  readonly filter = { streamPrefixes: [FAMILY_STREAM_PREFIX] };
  readonly tables: string[];

  /**
   * `table` (schema-qualified, trusted) lets the replay verification fold into a shadow copy
   * of the table with exactly this code; everything else uses the live one.
   */
  constructor(private readonly table = 'read_models.family_view') {
    this.tables = [table];
  }

  async apply(events: RecordedEvent[], manager: EntityManager): Promise<void> {
    const byFamily = new Map<string, RecordedEvent[]>();
    for (const event of events) {
      if (!event.streamId.startsWith(FAMILY_STREAM_PREFIX)) continue;
      const familyId = event.streamId.slice(FAMILY_STREAM_PREFIX.length);
      const list = byFamily.get(familyId);
      if (list) list.push(event);
      else byFamily.set(familyId, [event]);
    }
    if (byFamily.size === 0) return;

    const stored: Array<{ family_id: string; revision: string; state: FamilyState }> = await manager.query(
      `SELECT family_id, revision, state FROM ${this.table} WHERE family_id = ANY($1::text[])`,
      [[...byFamily.keys()]],
    );
    const known = new Map(stored.map((row) => [row.family_id, row]));

    const changed: Folded[] = [];
    for (const [familyId, familyEvents] of byFamily) {
      const row = known.get(familyId);
      const from = row ? Number(row.revision) : -1;
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
      const folded: Folded = {
        familyId,
        state: foldEvents(row?.state ?? initialFamilyState(), fresh),
        revision: last.revision,
        lastPosition: last.globalPosition,
      };
      if (folded.state.status !== 'registered' || folded.state.district === null) {
        throw new Error(`family-view: stream ${FAMILY_STREAM_PREFIX}${familyId} has events but no FamilyRegistered`);
      }
      changed.push(folded);
    }
    if (changed.length) await upsert(manager, this.table, changed);
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

/** One statement for the whole batch: the rows travel as one JSON array. */
async function upsert(manager: EntityManager, table: string, rows: Folded[]): Promise<void> {
  const payload = rows.map(({ familyId, state, revision, lastPosition }) => ({
    family_id: familyId,
    district: state.district,
    units: involvedUnits(state),
    readers: possibleReaders(state),
    coordinating_unit: state.coordinatingUnit,
    ...recordedCounts(state),
    revision,
    last_position: lastPosition.toString(),
    state,
  }));
  await manager.query(
    `INSERT INTO ${table} AS v
       (family_id, district, units, readers, coordinating_unit, open_needs, active_decisions, next_period_end, revision, last_position, state, updated_at)
     SELECT r.family_id, r.district, r.units, r.readers, r.coordinating_unit, r.open_needs, r.active_decisions, r.next_period_end,
            r.revision, r.last_position, r.state, now()
       FROM jsonb_to_recordset($1::jsonb) AS r(
              family_id text, district text, units text[], readers text[], coordinating_unit text, open_needs int, active_decisions int,
              next_period_end date, revision bigint, last_position bigint, state jsonb)
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
       state = excluded.state,
       updated_at = excluded.updated_at
     WHERE v.revision < excluded.revision`,
    [JSON.stringify(payload)],
  );
}

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
