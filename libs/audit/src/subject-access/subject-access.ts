import {
  findDecisionType,
  markErasedFields,
  maskFamilyState,
  placesWithheld,
  protectionOf,
  type Erasable,
  type FamilyDecision,
  type LocalDate,
  type ReadableAppeal,
  type ReadableConsent,
  type ReadableFamilyState,
} from '@familievedtak/domain';
import type { EventStore, JsonObject, JsonValue, RecordedEvent } from '@familievedtak/event-store';
import {
  viewForReader,
  viewRulesOf,
  type DecisionView,
  type ErasedMemberView,
  type FamilyWarning,
  type MemberView,
  type NeedView,
  type PaymentView,
  type ViewRules,
} from '@familievedtak/projections';
import { foldAsOf } from '../as-of/family-as-of';
import { ruleSetInForce } from '../as-of/rule-set-in-force';
import { readFamilyStream } from '../family-stream';
import { historyEntries, type HistoryEntry } from '../history/family-history';
import { dataWithMarkers } from '../history/erasure-words';
import { findMemberFamilies } from './find-member-families';
import type { Queryable } from './queryable';
import { unitNameNb } from './subject-access.text';

/**
 * memberNames: beside memberIds, null where the name is withheld (see SubjectConsent), a marker
 * where it was erased. `data`: the payload with each erased field as `{ erased: { on, rule, provision } }`.
 */
export type SubjectEvent = HistoryEntry & { data: JsonObject; memberNames: (Erasable<string> | null)[] };
/**
 * Names beside ids (the JSON stays machine-readable): a member's name is null when it is
 * withheld (another member with a protected address, as in the history's labels); units by
 * their Norwegian names.
 */
export type SubjectConsent = ReadableConsent & {
  status: 'in-force' | 'upcoming' | 'ended';
  aboutName: Erasable<string> | null;
  givenByName: Erasable<string> | null;
  toUnitNames: string[];
};
export type SubjectDecision = DecisionView & { unitName: string; memberNames: (Erasable<string> | null)[] };
export type SubjectAppeal = ReadableAppeal & { decisionTypeLabel: string | null; unitName: string | null };
/** A warning the view gives caseworkers about one of the member's own needs: it waits for an answer, or stays open past the rule set's limit. */
export type SubjectWarning = Extract<FamilyWarning, { kind: 'need-without-response' | 'need-open-too-long' }>;

/** What one family's records hold about the member. */
export type SubjectFamilyPart = {
  familyId: string;
  /** The stream revision the export was made from. */
  revision: number;
  /** An erased identity field is a marker (design §4). */
  member: MemberView | ErasedMemberView;
  events: SubjectEvent[];
  decisions: SubjectDecision[];
  needs: NeedView[];
  payments: PaymentView[];
  consents: SubjectConsent[];
  appeals: SubjectAppeal[];
  familyDecisions: FamilyDecision[];
  /** The view's warnings about the member's own needs, on `today` under the rule set in force then. */
  warnings: SubjectWarning[];
  /** 'protected-address': a member has a protected address and the reader no clearance: the district, names of places and people, and free text were withheld. */
  withheld: 'protected-address' | null;
};

export type ReadAuditRow = {
  id: string;
  at: string;
  userId: string;
  unit: string | null;
  role: string | null;
  familyId: string | null;
  categories: string[];
  purpose: string;
  consentIds: string[];
  outcome: string;
  status: number;
  route: string;
  unitName: string | null;
};

export type SubjectAccessExport = {
  memberId: string;
  generatedAt: string;
  /** The day the view parts (statuses, consents in force) are computed for. */
  today: LocalDate;
  /** How the member's family was found. */
  foundIn: 'read-model' | 'stream-scan';
  families: SubjectFamilyPart[];
  /** Every recorded read of data about the member (audit.read_access), oldest first. */
  readAudit: ReadAuditRow[];
};

export type SubjectAccessOptions = {
  today: LocalDate;
  generatedAt: Date;
  /** Progress of the log scan, when the read model does not know the member. */
  onScan?: (done: number, total: number) => void;
  /**
   * The reader is cleared for protected addresses. Without it, when a member of the family has
   * kode 6 or 7, the district, names of contact persons, partners and sub-projects, and free
   * text are withheld from the export (labels, view parts and event payloads alike).
   */
  protectedAddressClearance?: boolean;
};

/**
 * Everything the system holds about one member: for each family they are in, the events
 * about them (see membersConcerned) with the stream's own payload, the current view parts
 * about them (computed from the stream, not the possibly lagging read model), and every
 * recorded read of their data. Undefined when no family holds the member.
 *
 * Other people's details are left out: a registration lists only the subject among the
 * members, and labels name no one with a protected address but the subject. A co-member's
 * protected address withholds the district and every name of a place or person (see
 * SubjectAccessOptions.protectedAddressClearance).
 *
 * The view parts are computed for `today` under the rule set in force on it (ruleSetInForce over
 * the whole log: the current rules, as the live view uses them).
 */
export async function subjectAccessExport(
  deps: { store: EventStore; db: Queryable },
  memberId: string,
  options: SubjectAccessOptions,
): Promise<SubjectAccessExport | undefined> {
  const found = await findMemberFamilies(deps.store, deps.db, memberId, options.onScan);
  const families: SubjectFamilyPart[] = [];
  const rules = viewRulesOf(await ruleSetInForce(deps.store, options.today));
  for (const familyId of found.familyIds) {
    const events = await readFamilyStream(deps.store, familyId);
    const part = familyPart(familyId, events, memberId, options.today, rules, Boolean(options.protectedAddressClearance));
    if (part) families.push(part);
  }
  if (!families.length) return undefined;
  return {
    memberId,
    generatedAt: options.generatedAt.toISOString(),
    today: options.today,
    foundIn: found.source,
    families,
    readAudit: await readAuditOf(deps.db, memberId),
  };
}

function familyPart(
  familyId: string,
  events: RecordedEvent[],
  memberId: string,
  today: LocalDate,
  rules: ViewRules,
  cleared: boolean,
): SubjectFamilyPart | undefined {
  const folded = foldAsOf(events, { today, rules });
  if (!folded) return undefined;
  // Erased fields as markers (design §4), before masking: what masking withholds stays null.
  const full = markErasedFields(folded.state);
  if (!full.members[memberId]) return undefined;
  const reader = { role: 'auditor' as const, protectedAddressClearance: cleared };
  // Any member, current or not: the export reaches back to when they lived there.
  const withhold = !cleared && Object.values(full.members).some((m) => protectionOf(m) !== 'none');
  // Masking decides on the current members; the export withholds for any member who ever had a protected address.
  const family: ReadableFamilyState = withhold && !placesWithheld(full, reader) ? { ...full, familyProtection: 'fortrolig' } : full;
  const { state } = maskFamilyState(family, reader);
  const { view: shown } = viewForReader(family, today, reader, rules);
  const member = shown.members.find((m) => m.memberId === memberId) as MemberView | ErasedMemberView | undefined;
  if (!member) return undefined;
  const hide = (id: string) => id !== memberId && protectionOf(full.members[id] ?? { protectedAddress: false }) !== 'none';
  const nameOf = (id: string): Erasable<string> | null => (hide(id) ? null : (full.members[id]?.name ?? null));
  const entries = historyEntries(events, { hide, withholdPlaces: withhold });
  const concerns = new Set(
    Object.values(full.decisions)
      .filter((d) => d.memberIds.includes(memberId))
      .map((d) => d.decisionId),
  );
  const status = (c: ReadableConsent): SubjectConsent['status'] =>
    shown.consents.inForce.some((x) => x.consentId === c.consentId)
      ? 'in-force'
      : shown.consents.upcoming.some((x) => x.consentId === c.consentId)
        ? 'upcoming'
        : 'ended';
  return {
    familyId,
    revision: folded.revision,
    member,
    events: entries
      .map((e, i) => ({ entry: e, recorded: events[i] }))
      .filter(({ entry }) => entry.memberIds.includes(memberId))
      .map(({ entry, recorded }) => ({ ...entry, memberNames: entry.memberIds.map(nameOf), data: subjectData(recorded, memberId, withhold) })),
    decisions: shown.decisions
      .filter((d) => d.memberIds.includes(memberId))
      .map((d) => ({ ...d, unitName: unitNameNb(d.unit), memberNames: d.memberIds.map(nameOf) })),
    needs: [...shown.needs.open, ...shown.needs.resolved, ...shown.needs.withdrawn].filter((n) => n.memberId === memberId),
    payments: shown.payments.items.filter((p) => p.recipientMemberId === memberId),
    consents: Object.values(state.consents)
      .filter((c) => c.memberId === memberId || c.givenByMemberId === memberId)
      .map((c) => ({ ...c, status: status(c), aboutName: nameOf(c.memberId), givenByName: nameOf(c.givenByMemberId), toUnitNames: c.toUnits.map(unitNameNb) })),
    appeals: Object.values(state.appeals)
      .filter((a) => appellantOf(a) === memberId || concerns.has(a.decisionId))
      .map((a) => {
        const decision = full.decisions[a.decisionId];
        return {
          ...a,
          decisionTypeLabel: decision ? (findDecisionType(decision.decisionType)?.labelNo ?? null) : null,
          unitName: decision ? unitNameNb(decision.unit) : null,
        };
      }),
    familyDecisions: familyDecisionsAbout(state, memberId),
    // Only warnings about the member's own needs: the others (different end dates, several payers) draw on other members' decisions and budgets.
    warnings: shown.warnings.filter(
      (w): w is SubjectWarning => (w.kind === 'need-without-response' || w.kind === 'need-open-too-long') && w.memberId === memberId,
    ),
    withheld: withhold ? 'protected-address' : null,
  };
}

function familyDecisionsAbout(state: ReadableFamilyState, memberId: string): FamilyDecision[] {
  return Object.values(state.familyDecisions).filter((f) => f.decisions.some((d) => d.memberIds.includes(memberId)));
}

/**
 * The payload as read (erased fields as markers), except a registration's other members (their details are theirs);
 * with places withheld also the district, names of contact persons, partners and sub-projects,
 * and every free text (null, like the masked state).
 */
function subjectData(event: RecordedEvent, memberId: string, withhold: boolean): JsonObject {
  let data = dataWithMarkers(event);
  if (event.type === 'FamilyRegistered') {
    const members = (data.members as JsonObject[]).filter((m) => m.memberId === memberId);
    data = { ...data, members, otherMembers: (data.members as JsonObject[]).length - members.length };
  }
  return withhold ? (withheldText(data) as JsonObject) : data;
}

/** Keys whose values name a place or a person around the family, or are free text. */
const WITHHELD_KEYS = new Set([
  'district',
  'words',
  'resolution',
  'reason',
  'reasons',
  'grounds',
  'lateExcuse',
  'purpose',
  'documentationRef',
  'documentRef',
  'note',
  'teamRole',
  'organisation',
  'organisationNumber',
  'partnerOrganisation',
  'subProjectName',
  'declineReason',
  'endReason',
  // Issue 13: structured reasons, a child's views, statements and waivers, an appeal's handling, the family's plan.
  'facts',
  'mainConsiderations',
  'summary',
  'views',
  'weight',
  'explanation',
  'standingNote',
  'legalInterest',
  'investigations',
  'unitStatement',
  'representative',
  'notes',
  'for',
]);

function withheldText(value: JsonValue): JsonValue {
  if (Array.isArray(value)) return value.map(withheldText);
  if (value === null || typeof value !== 'object') return value;
  const isMember = 'memberId' in value && 'birthDate' in value;
  return Object.fromEntries(
    Object.entries(value).map(([key, v]) => [key, WITHHELD_KEYS.has(key) || (key === 'name' && !isMember) ? null : withheldText(v as JsonValue)]),
  );
}

async function readAuditOf(db: Queryable, memberId: string): Promise<ReadAuditRow[]> {
  const { rows } = await db.query<Record<string, unknown>>(
    `SELECT id, at, user_id, unit, role, family_id, categories, purpose, consent_ids, outcome, status, route
       FROM audit.read_access WHERE member_ids @> ARRAY[$1]::text[] ORDER BY at, id`,
    [memberId],
  );
  return rows.map((r) => ({
    id: String(r.id),
    at: (r.at as Date).toISOString(),
    userId: r.user_id as string,
    unit: r.unit as string | null,
    role: r.role as string | null,
    familyId: r.family_id as string | null,
    categories: r.categories as string[],
    purpose: r.purpose as string,
    consentIds: r.consent_ids as string[],
    outcome: r.outcome as string,
    status: Number(r.status),
    route: r.route as string,
    unitName: r.unit ? unitNameNb(r.unit as string) : null,
  }));
}

/** The member an appeal is for: the appellant, or the one a representative appeals for. */
function appellantOf(a: { appellant: { kind: 'member'; memberId: string } | { kind: 'representative'; forMemberId: string } | null }): string | null {
  return a.appellant === null ? null : a.appellant.kind === 'member' ? a.appellant.memberId : a.appellant.forMemberId;
}
