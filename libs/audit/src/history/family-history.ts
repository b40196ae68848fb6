import {
  decisionCategory,
  evolveFamily,
  FAMILY_EVENT_TYPES,
  initialFamilyState,
  isConsentInForce,
  isUnit,
  localDateOf,
  protectionOf,
  upcastFamilyEvent,
  type FamilyEvent,
  type LocalDate,
  type FamilyState,
  type Role,
  type Unit,
} from '@familievedtak/domain';
import type { RecordedEvent } from '@familievedtak/event-store';
import { eventLabel, type NameOptions } from './event-label';
import { erasedFieldsOf, erasedNamesOf, erasedWords, type ErasedField } from './erasure-words';
import { before, onOrAfter, parsePeriodBound } from './history-period';
import { membersConcerned } from './members-concerned';

export type HistoryFilter = {
  /** Events acted by this unit, or about a decision (or family decision) of this unit. */
  unit?: string;
  /** Only these event types. */
  types?: string[];
  /** Recorded on or after: a date (whole Oslo day) or an ISO instant. */
  from?: string;
  /** Recorded until: a date (that whole day included) or an ISO instant (exclusive). */
  until?: string;
};

/** Keyset paging on the stream revision: entries after `after`. */
export type HistoryPaging = { after?: number; limit?: number };

export type HistoryOptions = {
  /**
   * Without protected-address clearance a member with strengt fortrolig adresse (kode 6) is "a
   * member with a protected address", and when any member has kode 6 or 7 labels carry no
   * district, no names of contact persons, partners or sub-projects (see NameOptions).
   */
  protectedAddressClearance?: boolean;
};

export type HistoryCategory = 'household' | 'team' | 'parts' | 'enrolments' | 'needs' | 'consents' | 'decisions' | 'health' | 'payments';

export type HistoryDelegation = { ruleSetId: string; ruleSetVersion: number; ruleId: string | null };

export type HistoryEntry = {
  revision: number;
  globalPosition: string;
  recordedAt: string;
  /**
   * Valid time: the day an approval, amendment or revocation holds from (null for other events).
   * Beside recordedAt, the history shows both times: a revocation recorded in March may hold from February.
   */
  effectiveFrom: LocalDate | null;
  type: string;
  /** What the event is about: for the read audit, and for an auditor scanning by kind. */
  category: HistoryCategory;
  label: string;
  actor: { userId: string; role: Role; unit: Unit | null; partnerOrganisation: string | null };
  commandId: string | null;
  correlationId: string | null;
  causationId: string | null;
  /** The delegation rule that authorised a decision event; a family decision names its rule set only. */
  delegation: HistoryDelegation | null;
  /** See consentsReliedOn. */
  consentsReliedOn: string[];
  /** Members the event is about (see membersConcerned). */
  memberIds: string[];
  /**
   * Fields of the event whose data was erased (design §4): where they were in the event's data,
   * and `{ erased: { on, rule, provision } }`. Empty for most events; always set here (optional
   * only for entries built by hand, as the page's screenshot fixture does).
   */
  erased?: ErasedField[];
};

export type FamilyHistoryPage = {
  entries: HistoryEntry[];
  /** The revision to pass as `after` for the next page; null on the last page. */
  nextCursor: number | null;
  /** Events in the stream, whatever the filter. */
  streamLength: number;
};

export const DEFAULT_HISTORY_LIMIT = 50;
export const MAX_HISTORY_LIMIT = 1000;

const KNOWN_TYPES = new Set<string>(FAMILY_EVENT_TYPES);

/**
 * A family's history from its stream alone (pure: the events of one family stream, in
 * revision order). Each entry is folded against the family as it was just before the event,
 * so names, decisions and consents are those known at that moment, not today.
 */
export function familyHistory(
  events: RecordedEvent[],
  filter: HistoryFilter = {},
  paging: HistoryPaging = {},
  options: HistoryOptions = {},
): FamilyHistoryPage {
  const limit = paging.limit ?? DEFAULT_HISTORY_LIMIT;
  if (!Number.isSafeInteger(limit) || limit < 1 || limit > MAX_HISTORY_LIMIT)
    throw new RangeError(`limit must be a whole number from 1 to ${MAX_HISTORY_LIMIT}`);
  if (paging.after !== undefined && (!Number.isSafeInteger(paging.after) || paging.after < -1)) throw new RangeError('after must be a stream revision');
  if (filter.unit !== undefined && !isUnit(filter.unit)) throw new RangeError(`unknown unit ${JSON.stringify(filter.unit)}`);
  const unknown = (filter.types ?? []).filter((t) => !KNOWN_TYPES.has(t));
  if (unknown.length) throw new RangeError(`unknown event type(s) ${unknown.join(', ')}`);
  const from = filter.from !== undefined ? parsePeriodBound(filter.from, 'from') : undefined;
  const until = filter.until !== undefined ? parsePeriodBound(filter.until, 'until') : undefined;
  const types = filter.types?.length ? new Set(filter.types) : undefined;

  // Fold all first: whether a member's name is hidden depends on the flag, wherever it was set.
  const folded: Array<{ recorded: RecordedEvent; event: FamilyEvent; before: FamilyState }> = [];
  let state = initialFamilyState();
  for (const recorded of events) {
    const event = { type: recorded.type, data: recorded.data } as unknown as FamilyEvent;
    folded.push({ recorded, event, before: state });
    state = evolveFamily(state, event);
  }
  const cleared = Boolean(options.protectedAddressClearance);
  const hidden = new Set(
    cleared
      ? []
      : Object.values(state.members)
          .filter((m) => protectionOf(m) === 'strengt-fortrolig')
          .map((m) => m.memberId),
  );
  // Any member, current or not: the history reaches back to when they lived there.
  const withholdPlaces = !cleared && Object.values(state.members).some((m) => protectionOf(m) !== 'none');
  const erasedName = erasedNameOf(events);

  const entries: HistoryEntry[] = [];
  let nextCursor: number | null = null;
  for (const { recorded, event, before: stateBefore } of folded) {
    if (paging.after !== undefined && recorded.revision <= paging.after) continue;
    if (types && !types.has(recorded.type)) continue;
    if (from && !onOrAfter(recorded.recordedAt, from)) continue;
    if (until && !before(recorded.recordedAt, until)) continue;
    if (filter.unit !== undefined && !unitsOf(event, stateBefore).includes(filter.unit as Unit)) continue;
    if (entries.length === limit) {
      nextCursor = entries[limit - 1].revision;
      break;
    }
    entries.push(entry(recorded, event, stateBefore, { hide: (id) => hidden.has(id), withholdPlaces, erasedName }));
  }
  return { entries, nextCursor, streamLength: events.length };
}

/** A member whose name was erased, as the labels name them: "a member whose name was erased on 3 February 2031 under …". */
function erasedNameOf(events: RecordedEvent[]): NameOptions['erasedName'] {
  const names = erasedNamesOf(events);
  if (names.size === 0) return undefined;
  return (memberId) => {
    const marker = names.get(memberId);
    return marker ? `a member whose name was ${erasedWords(marker, 'en')}` : undefined;
  };
}

/** Every event of the stream as a history entry, unfiltered (the subject-access export picks from them). */
export function historyEntries(events: RecordedEvent[], options: { hide?: (memberId: string) => boolean; withholdPlaces?: boolean } = {}): HistoryEntry[] {
  const names: NameOptions = { hide: (id) => options.hide?.(id) ?? false, withholdPlaces: Boolean(options.withholdPlaces), erasedName: erasedNameOf(events) };
  const entries: HistoryEntry[] = [];
  let state = initialFamilyState();
  for (const recorded of events) {
    const event = { type: recorded.type, data: recorded.data } as unknown as FamilyEvent;
    entries.push(entry(recorded, event, state, names));
    state = evolveFamily(state, event);
  }
  return entries;
}

function entry(recorded: RecordedEvent, event: FamilyEvent, stateBefore: FamilyState, names: NameOptions): HistoryEntry {
  const withholdPlaces = Boolean(names.withholdPlaces);
  const meta = recorded.metadata as Record<string, unknown>;
  const text = (v: unknown) => (typeof v === 'string' ? v : null);
  const memberIds = membersConcerned(event, stateBefore);
  const by = event.data.by;
  return {
    revision: recorded.revision,
    globalPosition: recorded.globalPosition.toString(),
    recordedAt: recorded.recordedAt.toISOString(),
    effectiveFrom: effectiveFromOf(event, stateBefore),
    type: recorded.type,
    category: categoryOf(event, stateBefore),
    label: eventLabel(event, stateBefore, names),
    // A partner's organisation number names it (and so where the family is): withheld with the places.
    actor: { userId: by.userId, role: by.role, unit: by.unit, partnerOrganisation: withholdPlaces ? null : by.partnerOrganisation },
    commandId: text(meta.commandId),
    correlationId: text(meta.correlationId),
    causationId: text(meta.causationId),
    delegation: delegationOf(event),
    consentsReliedOn: consentsReliedOn(event, stateBefore, memberIds),
    memberIds,
    erased: erasedFieldsOf(recorded),
  };
}

/** The valid date of a change to a decision, as the fold reads it (older schemas upcast). */
function effectiveFromOf(raw: FamilyEvent, stateBefore: FamilyState): LocalDate | null {
  const event = upcastFamilyEvent(raw);
  if (event.type === 'DecisionApproved') return event.data.effectiveFrom ?? stateBefore.decisions[event.data.decisionId]?.periodFrom ?? null;
  if (event.type === 'DecisionAmended' || event.type === 'DecisionRevoked') return event.data.effectiveFrom ?? null;
  return null;
}

/** Decisions about health and care are 'health', as in the read-access rules. */
function categoryOf(event: FamilyEvent, stateBefore: FamilyState): HistoryCategory {
  const t = event.type;
  if (t === 'FamilyRegistered' || t === 'MemberJoined' || t === 'MemberLeft' || t.startsWith('ParentalResponsibility')) return 'household';
  if (t === 'ContactPersonJoined' || t === 'ContactPersonLeft' || t === 'CoordinatingUnitNamed') return 'team';
  if (t.startsWith('Referral') || t === 'InvolvementClosed') return 'parts';
  if (t === 'FamilyEnrolled' || t === 'EnrolmentEnded') return 'enrolments';
  if (t.startsWith('Need')) return 'needs';
  if (t.startsWith('Consent')) return 'consents';
  if (t.startsWith('Payment')) return 'payments';
  if (t === 'FamilyDecisionIssued') return 'decisions';
  const decision = event.type === 'DecisionProposed' ? event.data : stateBefore.decisions[(event.data as { decisionId: string }).decisionId];
  return decision && decisionCategory(decision) === 'health' ? 'health' : 'decisions';
}

function delegationOf(event: FamilyEvent): HistoryDelegation | null {
  if (event.type === 'FamilyDecisionIssued') return { ruleSetId: event.data.ruleSetId, ruleSetVersion: event.data.ruleSetVersion, ruleId: null };
  const d = (event.data as { delegation?: HistoryDelegation }).delegation;
  return d ? { ruleSetId: d.ruleSetId, ruleSetVersion: d.ruleSetVersion, ruleId: d.ruleId } : null;
}

/**
 * The consents an event relied on. A family decision names them itself (the adults'
 * combine-family-decision consents). For every other event: the information-sharing consents
 * in force on the event's day (the Oslo date of its `at` stamp), as the family stood just
 * before the event, of the members the event is about, that name the acting user's unit. A partner or an
 * auditor acts for no unit, so relies on none; neither does an event about no member.
 */
export function consentsReliedOn(event: FamilyEvent, stateBefore: FamilyState, memberIds: string[]): string[] {
  if (event.type === 'FamilyDecisionIssued') return [...event.data.consentIds].sort();
  const unit = event.data.by.unit;
  if (!unit || memberIds.length === 0) return [];
  const day = localDateOf(new Date(event.data.at));
  return Object.values(stateBefore.consents)
    .filter((c) => c.kind === 'information-sharing' && memberIds.includes(c.memberId) && c.toUnits.includes(unit) && isConsentInForce(c, day))
    .map((c) => c.consentId)
    .sort();
}

/** The acting unit, and the deciding unit of the decision (or family decision) the event is about. */
function unitsOf(event: FamilyEvent, stateBefore: FamilyState): Unit[] {
  const units = new Set<Unit>();
  if (event.data.by.unit) units.add(event.data.by.unit);
  const d = event.data as Record<string, unknown>;
  if (event.type === 'DecisionProposed') units.add(event.data.unit);
  else if (typeof d.decisionId === 'string' && stateBefore.decisions[d.decisionId]) units.add(stateBefore.decisions[d.decisionId].unit);
  if (event.type === 'FamilyDecisionIssued') {
    units.add(event.data.responsibleUnit);
    event.data.decisions.forEach((included) => units.add(included.unit));
  }
  if (event.type === 'ReferralRecorded') units.add(event.data.toUnit);
  if (event.type === 'ReferralAccepted' || event.type === 'ReferralDeclined') {
    units.add(event.data.unit);
    const referral = stateBefore.referrals?.[event.data.referralId];
    if (referral) units.add(referral.fromUnit);
  }
  if (event.type === 'InvolvementClosed') units.add(event.data.unit);
  if (event.type === 'FamilyEnrolled') units.add(event.data.responsibleUnit);
  return [...units];
}
