import {
  familyReadAccess,
  foldFamily,
  isLocalDate,
  localDateOf,
  markErasedFields,
  maskFamilyState,
  readerOf,
  type FamilyEvent,
  type FamilyReadGrant,
  type FamilyState,
  type LocalDate,
  type MaskedFamilyState,
} from '@familievedtak/domain';
import type { EventStore, RecordedEvent } from '@familievedtak/event-store';
import { buildFamilyDecisionView, viewForReader, viewRulesOf, type FamilyDecisionView, type ViewReader, type ViewRules } from '@familievedtak/projections';
import { readFamilyStream } from '../family-stream';
import { ruleSetInForce } from './rule-set-in-force';

/** Where to cut the log: at an instant (recordedAt) or at a global position, both inclusive. */
export type AsOfCut = { at?: Date; position?: bigint; today?: LocalDate };

export type FamilyAsOf = {
  /** Revision of the last event folded (0-based). */
  revision: number;
  /** Its global position: what read_models.family_view.last_position held once it was applied. */
  lastPosition: bigint;
  /** recordedAt of the last event folded. */
  lastRecordedAt: Date;
  state: FamilyState;
  view: FamilyDecisionView;
  /** The view's settings (the open-need limit) from the rule set in force on view.asOf; asOfForReader uses them too. */
  rules: ViewRules;
};

/**
 * The family as it was at a point of the log, rebuilt from its stream alone with the domain's
 * own fold (foldFamily: equal to reducing with evolveFamily, in linear time): the events
 * recorded at or before `at` (or at or before global position `position`). The view is computed for `today`, by default the Oslo date of `at`, or of the
 * last event folded when cut by position. Undefined when the family did not exist yet.
 *
 * The view's settings come from the rule set in force on that day among the rule-set events
 * recorded by the same cut (ruleSetInForce): the view as it was, under the rules held then.
 *
 * The cut is a prefix of the stream: reading stops at the first event past it, so a clock
 * that stepped back between two appends cannot make the fold skip an event in the middle.
 */
export async function familyAsOf(store: EventStore, familyId: string, cut: AsOfCut): Promise<FamilyAsOf | undefined> {
  if ((cut.at === undefined) === (cut.position === undefined)) throw new RangeError('give exactly one of at (an instant) or position');
  if (cut.at !== undefined && Number.isNaN(cut.at.getTime())) throw new RangeError('at must be a valid instant');
  if (cut.today !== undefined && !isLocalDate(cut.today)) throw new RangeError(`today must be a date 'YYYY-MM-DD', got ${JSON.stringify(cut.today)}`);
  const keep =
    cut.at !== undefined ? (e: RecordedEvent) => e.recordedAt.getTime() <= cut.at!.getTime() : (e: RecordedEvent) => e.globalPosition <= cut.position!;
  const events = await readFamilyStream(store, familyId, keep);
  if (events.length === 0) return undefined;
  const today = viewDayOf(events, cut);
  return foldAsOf(events, { today, rules: viewRulesOf(await ruleSetInForce(store, today, keep)) });
}

/**
 * The fold itself, for callers that already hold the events (pure). `rules`: the view's settings
 * from the rule set the caller resolved (absent: the built-in limits).
 */
export function foldAsOf(events: RecordedEvent[], cut: Pick<AsOfCut, 'at' | 'today'> & { rules?: ViewRules } = {}): FamilyAsOf | undefined {
  if (events.length === 0) return undefined;
  const state = foldFamily(events.map((e) => ({ type: e.type, data: e.data }) as unknown as FamilyEvent));
  const last = events[events.length - 1];
  const rules = cut.rules ?? {};
  return {
    revision: last.revision,
    lastPosition: last.globalPosition,
    lastRecordedAt: last.recordedAt,
    state,
    // Erased fields as markers (design §4): at a cut before the erasure too, the data is gone.
    view: buildFamilyDecisionView(markErasedFields(state), viewDayOf(events, cut), rules),
    rules,
  };
}

/** The day the view is computed for: `today`, else the Oslo date of `at`, else of the last event. */
const viewDayOf = (events: RecordedEvent[], cut: Pick<AsOfCut, 'at' | 'today'>): LocalDate =>
  cut.today ?? localDateOf(cut.at ?? events[events.length - 1].recordedAt);

/**
 * The family as it was, as this reader may see it: the same access decision (familyReadAccess,
 * on the real day `accessDay`, never the cut's) and the same masking as the live view
 * (viewForReader), so the past shows no more than the present would.
 */
export function asOfForReader(
  asOf: FamilyAsOf,
  reader: ViewReader,
  accessDay: LocalDate,
): { permit: false; reason: string } | { permit: true; grant: FamilyReadGrant; state: MaskedFamilyState; view: FamilyDecisionView; maskedMemberIds: string[] } {
  const decided = familyReadAccess(markErasedFields(asOf.state), readerOf(reader), accessDay);
  if (!decided.permit) return decided;
  const { view, maskedMemberIds } = viewForReader(decided.grant.state, asOf.view.asOf, reader, asOf.rules);
  return { permit: true, grant: decided.grant, state: maskFamilyState(decided.grant.state, reader).state, view, maskedMemberIds };
}
