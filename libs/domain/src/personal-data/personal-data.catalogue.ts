import type { JsonObject, JsonValue } from '../shared/json';
import type { FamilyEventType } from '../family/family.events';
import type { FamilyRecordCategory } from '../retention/retention-schedule';

/**
 * The personal-data catalogue (docs/design/retention-and-erasure.md §1): for every family event
 * type, the fields that identify or describe a family member or are the family's own words or
 * free text about them, the record they belong to and the key ref that encrypts them. The event
 * store encrypts exactly these fields (crypto-shredding); everything else stays readable: ids
 * (pseudonymous UUIDs), dates of acts, amounts, units, codes, law references and staff.
 *
 * The key ref comes from the event's data alone (no state), so that the store below the domain
 * can find it: a later event about a record (NeedResolved, DecisionAmended…) names the record.
 */

/** The categories of the family stream's records (the read audit is not in the log). */
type RecordCategory = FamilyRecordCategory;

/**
 * How a field reads once its key is erased (design §4): a placeholder of its own type, so the
 * fold stays total. A birth date reads as 0001-01-01: no age rule can mistake it for a child.
 * Every personal datum of the family events is a string leaf; structured values (child views,
 * consent evidence, appellants) are encrypted leaf by leaf, so their discriminators and ids stay.
 */
export const PERSONAL_FIELD_KINDS = ['text', 'optional-text', 'birth-date'] as const;
export type PersonalFieldKind = (typeof PERSONAL_FIELD_KINDS)[number];

export const ERASED_PLACEHOLDERS: Readonly<Record<PersonalFieldKind, JsonValue>> = { text: '', 'optional-text': null, 'birth-date': '0001-01-01' };

export function placeholderFor(kind: PersonalFieldKind): JsonValue {
  return ERASED_PLACEHOLDERS[kind];
}

/**
 * The key of a record: its ref, its retention category and whose it is (member ids; [] for the
 * family as a whole). `familyId`: the key lives with that family's stream (its key row), not with
 * the stream of the event that carries the field: a sub-project spend's texts are the family's
 * payment record (sub-project-personal-data.ts). Absent: the event's own stream.
 */
export type RecordKey = { keyRef: string; category: RecordCategory; subjects: string[]; familyId?: string };

/** A personal field of one event: its concrete JSON path in the event's data, and its key. */
export type PersonalField = RecordKey & { path: Array<string | number>; kind: PersonalFieldKind };

type Data = JsonObject;
/**
 * The key of the record a matched field belongs to, from the event's data and the array indices
 * its `*`s matched; null: the value is not personal data in this event (a spend that names no family).
 */
type KeyOf = (data: Data, indices: readonly number[]) => RecordKey | null;

/** A field pattern: dot-separated keys, `*` for every element of an array ('members.*.name'). */
export type FieldRule = { path: string; kind: PersonalFieldKind; key: KeyOf };

/** An event type's entry: its personal fields, or an explicit statement that it carries none and why. */
export type EventClassification = { fields: readonly FieldRule[] } | { none: string };

// ---- reading the data (the catalogue is total: a shape it does not expect yields no field) ----

function valueAt(data: JsonValue | undefined, path: ReadonlyArray<string | number>): JsonValue | undefined {
  let value: JsonValue | undefined = data;
  for (const segment of path) {
    if (value === null || typeof value !== 'object') return undefined;
    value = Array.isArray(value) ? (typeof segment === 'number' ? value[segment] : undefined) : (value as JsonObject)[segment];
  }
  return value;
}
const text = (data: Data, ...path: Array<string | number>): string => {
  const value = valueAt(data, path);
  return typeof value === 'string' ? value : '';
};
const texts = (data: Data, ...path: Array<string | number>): string[] => {
  const value = valueAt(data, path);
  return Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : [];
};
const distinct = (ids: Array<string | null>): string[] => [...new Set(ids.filter((id): id is string => typeof id === 'string' && id !== ''))];

// ---- the keys ----

const identity = (memberId: string): RecordKey => ({ keyRef: `identity/${memberId}`, category: 'identity', subjects: distinct([memberId]) });
/** Key of a record named by an id field of the event; subjects as far as this event knows them (the record's first event creates the key). */
const recordOf =
  (prefix: string, category: RecordCategory, idField: string, subjects: (data: Data) => string[] = () => []): KeyOf =>
  (data) => ({ keyRef: `${prefix}/${text(data, idField)}`, category, subjects: subjects(data) });
/**
 * Free text about the family with no record of its own (a member-left reason, an involvement's
 * closing reason, parental-responsibility documents and ends): a key per append, named by the
 * stamp's instant (`case/family:<at>`). One key for all of them (`case/family`, before) was erased
 * with the case's closing, and a text written after a reopening (a referral accepted) then needed
 * that erased key: the store refuses such an append. A later instant never meets an erased key.
 * Events stored before keep `case/family` (the key ref is stored with the ciphertext).
 */
const familyText =
  (subjects: (data: Data, indices: readonly number[]) => string[] = () => []): KeyOf =>
  (data, indices) => ({ keyRef: familyTextKeyRef(text(data, 'at')), category: 'case', subjects: subjects(data, indices) });
const relationOf = (d: Data, prefix: Array<string | number> = []) => distinct([text(d, ...prefix, 'childId'), text(d, ...prefix, 'holderId')]);

const needOf = recordOf('need', 'need', 'needId', (d) => distinct([text(d, 'memberId')]));
const consentOf = recordOf('consent', 'consent', 'consentId', (d) => distinct([text(d, 'memberId'), text(d, 'givenByMemberId')]));
const decisionOf = (subjects: (data: Data) => string[] = () => []) => recordOf('decision', 'decision', 'decisionId', subjects);
const decisionMembers = decisionOf((d) => distinct(texts(d, 'memberIds')));
/**
 * An appeal's texts under its own key, in the decision category: AppealFormAssessed, AppealPrepared
 * and AppealWithdrawn name only the appeal, so `decision/<decisionId>` cannot be found from them.
 */
const appealOf = (subjects: (data: Data) => string[] = () => []) => recordOf('appeal', 'decision', 'appealId', subjects);
const paymentOf = recordOf('payment', 'payment', 'paymentId', (d) => distinct([text(d, 'recipientMemberId')]));
const caseRecordOf = (idField: string, subjects?: (data: Data) => string[]) => recordOf('case', 'case', idField, subjects);

const memberIdentity: FieldRule[] = [
  { path: 'member.name', kind: 'text', key: (d) => identity(text(d, 'member', 'memberId')) },
  { path: 'member.birthDate', kind: 'birth-date', key: (d) => identity(text(d, 'member', 'memberId')) },
  { path: 'member.nationalId', kind: 'optional-text', key: (d) => identity(text(d, 'member', 'memberId')) },
  { path: 'member.preferredLanguage', kind: 'optional-text', key: (d) => identity(text(d, 'member', 'memberId')) },
];
const membersIdentity: FieldRule[] = memberIdentity.map((rule) => ({
  path: rule.path.replace(/^member\./, 'members.*.'),
  kind: rule.kind,
  key: (d, [i]) => identity(text(d, 'members', i, 'memberId')),
}));

/** Structured reasons (schema 3) leaf by leaf; the rules applied are law references and stay readable. */
const decisionReasons = (key: KeyOf): FieldRule[] => [
  { path: 'reasons', kind: 'text', key }, // schema ≤ 2: free text (only a string value matches a text rule)
  { path: 'reasons.facts', kind: 'text', key },
  { path: 'reasons.mainConsiderations', kind: 'optional-text', key },
  { path: 'reasons.summary', kind: 'text', key },
];
const waiverExplanation = (key: KeyOf): FieldRule => ({ path: 'advanceNotice.waiver.explanation', kind: 'text', key });
/** The terms an appeal gives the decision: their reasons become the decision's, under its key. */
const effectReasons: FieldRule = { path: 'effect.terms.reasons', kind: 'text', key: decisionOf() };
const planKey = caseRecordOf('planId', (d) => distinct(texts(d, 'memberIds')));
const planContent: FieldRule[] = [
  { path: 'goals.*.words', kind: 'text', key: planKey },
  { path: 'responsibilities.*.for', kind: 'text', key: planKey },
];

const STAFF = 'contact persons, recorders and actors are staff or partner organisations, not family members (design §1)';

/** Every family event type, classified. A Record: a new event type does not compile until it is here. */
export const PERSONAL_DATA_CATALOGUE: Readonly<Record<FamilyEventType, EventClassification>> = {
  FamilyRegistered: {
    fields: [
      ...membersIdentity,
      { path: 'parentalResponsibility.*.documentRef', kind: 'optional-text', key: familyText((d, [i]) => relationOf(d, ['parentalResponsibility', i])) },
    ],
  },
  MemberJoined: { fields: memberIdentity },
  MemberLeft: { fields: [{ path: 'reason', kind: 'optional-text', key: familyText((d) => distinct([text(d, 'memberId')])) }] },
  ContactPersonJoined: { none: `the name is a contact person's: ${STAFF}` },
  ContactPersonLeft: { none: 'ids only' },
  CoordinatingUnitNamed: { none: 'units only' },
  NeedExpressed: { fields: [{ path: 'words', kind: 'text', key: needOf }] },
  NeedPickedUp: { none: 'ids and a unit' },
  NeedResolved: { fields: [{ path: 'resolution', kind: 'optional-text', key: needOf }] },
  NeedWithdrawn: { fields: [{ path: 'reason', kind: 'optional-text', key: needOf }] },
  ConsentGiven: {
    fields: [
      { path: 'purpose', kind: 'text', key: consentOf },
      { path: 'evidence.documentRef', kind: 'text', key: consentOf },
      { path: 'evidence.note', kind: 'optional-text', key: consentOf },
    ],
  },
  ConsentWithdrawn: { fields: [{ path: 'reason', kind: 'optional-text', key: consentOf }] },
  DecisionProposed: {
    fields: [
      ...decisionReasons(decisionMembers),
      { path: 'childViews.*.views', kind: 'text', key: decisionMembers },
      { path: 'childViews.*.weight', kind: 'text', key: decisionMembers },
      { path: 'childViews.*.explanation', kind: 'text', key: decisionMembers },
    ],
  },
  DecisionApproved: { none: 'dates and the delegation rule' },
  DecisionRejected: { fields: [{ path: 'reason', kind: 'text', key: decisionOf() }] },
  DecisionAmended: { fields: [{ path: 'reasons', kind: 'text', key: decisionOf() }, waiverExplanation(decisionOf())] },
  DecisionRevoked: { fields: [{ path: 'reason', kind: 'text', key: decisionOf() }, waiverExplanation(decisionOf())] },
  DecisionExpired: { none: 'a date and the delegation rule' },
  // The language defaults to the member's preferred language (identity): kept with the decision's record.
  AdvanceNoticeSent: { fields: [{ path: 'language', kind: 'text', key: decisionMembers }] },
  PartyStatementReceived: { fields: [{ path: 'summary', kind: 'text', key: decisionOf((d) => distinct([text(d, 'memberId')])) }] },
  AppealReceived: {
    fields: [
      { path: 'grounds', kind: 'optional-text', key: appealOf((d) => distinct([text(d, 'appellantMemberId')])) },
      { path: 'lateExcuse', kind: 'optional-text', key: appealOf((d) => distinct([text(d, 'appellantMemberId')])) },
    ],
  },
  AppealDecided: { fields: [{ path: 'reasons', kind: 'text', key: appealOf() }] },
  NotificationSent: {
    fields: [
      { path: 'language', kind: 'text', key: decisionOf((d) => distinct([text(d, 'recipientMemberId')])) },
      { path: 'documentRef', kind: 'optional-text', key: decisionOf((d) => distinct([text(d, 'recipientMemberId')])) },
    ],
  },
  NotificationReceived: { none: 'a date and a receipt code' },
  AppealRegistered: {
    fields: [
      { path: 'grounds', kind: 'text', key: appealOf((d) => distinct([text(d, 'appellant', 'memberId'), text(d, 'appellant', 'forMemberId')])) },
      // A representative's name: not a member, but it says who acts for one in this appeal.
      { path: 'appellant.representative', kind: 'text', key: appealOf((d) => distinct([text(d, 'appellant', 'forMemberId')])) },
    ],
  },
  AppealFormAssessed: {
    fields: [
      { path: 'standingNote', kind: 'text', key: appealOf() }, // holds the stated legal interest
      { path: 'excuse.explanation', kind: 'text', key: appealOf() },
      { path: 'reasons', kind: 'text', key: appealOf() },
    ],
  },
  AppealDismissed: { fields: [{ path: 'reasons', kind: 'text', key: appealOf() }] },
  AppealPrepared: { fields: [{ path: 'investigations', kind: 'text', key: appealOf() }] },
  AppealGrantedByUnit: { fields: [{ path: 'reasons', kind: 'text', key: appealOf() }, effectReasons] },
  AppealForwarded: { fields: [{ path: 'unitStatement', kind: 'text', key: appealOf() }] },
  AppealOutcomeRecorded: {
    fields: [
      { path: 'summary', kind: 'text', key: appealOf() },
      { path: 'reference', kind: 'text', key: appealOf() }, // the appeal body's case reference
      effectReasons,
    ],
  },
  AppealWithdrawn: { fields: [{ path: 'note', kind: 'optional-text', key: appealOf() }] },
  ExecutionSuspensionRequested: { none: 'ids and a date' },
  ExecutionSuspended: { fields: [{ path: 'reasons', kind: 'optional-text', key: appealOf() }] },
  ExecutionSuspensionRefused: { fields: [{ path: 'reasons', kind: 'text', key: appealOf() }] },
  PaymentRecorded: { fields: [{ path: 'documentationRef', kind: 'text', key: paymentOf }] },
  PaymentReversed: { fields: [{ path: 'reason', kind: 'text', key: paymentOf }] },
  PaymentAbandoned: { none: "ids, an amount and codes (the abandon reason and the domain's refusal code, never free text)" },
  FamilyDecisionIssued: { none: 'the included decisions as ids, units, codes, law references and periods' },
  ParentalResponsibilityRecorded: { fields: [{ path: 'documentRef', kind: 'optional-text', key: familyText((d) => relationOf(d)) }] },
  ParentalResponsibilityEnded: { fields: [{ path: 'reason', kind: 'text', key: familyText((d) => relationOf(d)) }] },
  ReferralRecorded: { fields: [{ path: 'reason', kind: 'text', key: caseRecordOf('referralId', (d) => distinct(texts(d, 'memberIds'))) }] },
  ReferralAccepted: { none: 'ids, a unit and a date' },
  ReferralDeclined: { fields: [{ path: 'reason', kind: 'text', key: caseRecordOf('referralId') }] },
  InvolvementClosed: { fields: [{ path: 'reason', kind: 'text', key: familyText() }] },
  FamilyEnrolled: { none: `the sub-project's name and its partner organisations are not the family's data; ${STAFF}` },
  EnrolmentEnded: { fields: [{ path: 'reason', kind: 'text', key: caseRecordOf('enrolmentId') }] },
  FamilyPlanRecorded: { fields: planContent },
  FamilyPlanRevised: { fields: [...planContent, { path: 'reason', kind: 'text', key: planKey }] },
  FamilyPlanReviewed: { fields: [{ path: 'notes', kind: 'text', key: planKey }] },
  FamilyPlanEnded: { fields: [{ path: 'reason', kind: 'optional-text', key: planKey }] },
  FamilyDecisionSuspended: { none: 'ids, a cause code and a date' },
  // The rendered copies live outside the log (letter/<letterId> governs them); the log keeps codes and their SHA-256.
  LetterIssued: { none: 'recipients, decisions, template version, language code and the hash of each rendered copy' },
  LetterDelivered: { none: 'ids, a channel and a date' },
  PersonalDataErased: { none: 'ids, key refs, categories, a date and the schedule rule: what was erased, never what it said' },
  // A representative's name (fvl § 12) under the request's own key: the member's identity key may be shredded in the same append.
  ErasureRequested: { fields: [{ path: 'requestedBy.representative', kind: 'text', key: caseRecordOf('requestId', (d) => distinct([text(d, 'memberId')])) }] },
  ErasureRefused: { none: 'a key ref, codes, a provision, the schedule rule and dates' },
  CaseExportedForArchive: { none: "ids, a date, a revision, a count and the package manifest's SHA-256" },
};

const CATALOGUE: Readonly<Record<string, EventClassification>> = PERSONAL_DATA_CATALOGUE;

/** The classification of an event type, or undefined for a type the catalogue does not know. */
export function classificationOf(type: string): EventClassification | undefined {
  return Object.prototype.hasOwnProperty.call(CATALOGUE, type) ? CATALOGUE[type] : undefined;
}

const rulesOf = (type: string): readonly FieldRule[] => {
  const entry = classificationOf(type);
  return entry && 'fields' in entry ? entry.fields : [];
};
const segmentsCache = new Map<string, string[]>();
const segmentsOf = (pattern: string): string[] => {
  let segments = segmentsCache.get(pattern);
  if (!segments) segmentsCache.set(pattern, (segments = pattern.split('.')));
  return segments;
};

/**
 * The personal fields present in one event's data under `rules`, with concrete paths. A rule
 * matches a string value only: `null` stays `null` (nothing to hide), an absent field (older
 * schemas) is skipped, and so is a value its key says is not personal here (null key).
 */
export function fieldsByRules(rules: readonly FieldRule[], data: JsonObject): PersonalField[] {
  const fields: PersonalField[] = [];
  for (const rule of rules) {
    const segments = segmentsOf(rule.path);
    const walk = (value: JsonValue | undefined, depth: number, path: Array<string | number>, indices: number[]): void => {
      if (depth === segments.length) {
        const key = typeof value === 'string' ? rule.key(data, indices) : null;
        if (key) fields.push({ path, kind: rule.kind, ...key });
        return;
      }
      if (value === null || typeof value !== 'object') return;
      const segment = segments[depth];
      if (segment === '*') {
        if (Array.isArray(value)) value.forEach((item, i) => walk(item, depth + 1, [...path, i], [...indices, i]));
      } else if (!Array.isArray(value)) {
        walk(value[segment], depth + 1, [...path, segment], indices);
      }
    };
    walk(data, 0, [], []);
  }
  return fields;
}

/** The personal fields of a family event (fieldsByRules over its entry); unknown event types have none. */
export function personalFieldsOf(type: string, data: JsonObject): PersonalField[] {
  return fieldsByRules(rulesOf(type), data);
}

/** The kind of the field at a concrete path under `rules`, or undefined if no rule names it. */
export function fieldKindByRules(rules: readonly FieldRule[], path: ReadonlyArray<string | number>): PersonalFieldKind | undefined {
  for (const rule of rules) {
    const segments = segmentsOf(rule.path);
    if (
      segments.length === path.length &&
      segments.every((s, i) => (s === '*' ? typeof path[i] === 'number' || /^\d+$/.test(String(path[i])) : s === String(path[i])))
    )
      return rule.kind;
  }
  return undefined;
}

/** The kind of the field at a concrete path of a family event (for its placeholder once erased), or undefined if no rule names it. */
export function fieldKindAt(type: string, path: ReadonlyArray<string | number>): PersonalFieldKind | undefined {
  return fieldKindByRules(rulesOf(type), path);
}

/** What an erased field at this path reads as; a path no rule names (declassified since) reads as null. */
export function placeholderAt(type: string, path: ReadonlyArray<string | number>): JsonValue {
  const kind = fieldKindAt(type, path);
  return kind === undefined ? null : placeholderFor(kind);
}

// ---- key refs: the one place that reads them (the retention records and the key store use it too) ----

/** Key ref prefixes and the category each names: the category's own name, and `appeal` (part of a decision's record). */
export const KEY_REF_PREFIXES: Readonly<Record<string, RecordCategory>> = {
  identity: 'identity',
  need: 'need',
  consent: 'consent',
  decision: 'decision',
  appeal: 'decision',
  payment: 'payment',
  letter: 'letter',
  case: 'case',
};

/** The family-level case texts' key of one append (see familyText): `case/family:<at>`. */
export function familyTextKeyRef(at: string): string {
  return `case/family:${at}`;
}

/** The one key of the family-level case texts stored before they had a key per append: still read, still erased. */
export const LEGACY_FAMILY_TEXT_KEY_REF = 'case/family';

/** A key ref taken apart: `<prefix>/<record id>` and the category the prefix names; undefined for a string of no known form. */
export function parseKeyRef(keyRef: string): { prefix: string; id: string; category: RecordCategory } | undefined {
  const slash = keyRef.indexOf('/');
  if (slash <= 0 || slash === keyRef.length - 1) return undefined;
  const prefix = keyRef.slice(0, slash);
  if (!Object.prototype.hasOwnProperty.call(KEY_REF_PREFIXES, prefix)) return undefined;
  return { prefix, id: keyRef.slice(slash + 1), category: KEY_REF_PREFIXES[prefix] };
}

/**
 * The category of a key ref ('appeal/…' is part of a decision's record), or undefined for a ref
 * of no known form. The only key ref → category function: the retention records, erasure
 * events and the key store (a tombstone filed before any event created the key) all use it.
 */
export function keyRefCategory(keyRef: string): RecordCategory | undefined {
  return parseKeyRef(keyRef)?.category;
}

/**
 * The key refs an erasure event says were shredded (design §5: the key goes first, the event
 * follows). A reader that meets it drops those keys from any cache before it decodes more.
 */
export function keyRefsErasedBy(type: string, data: JsonObject): string[] {
  if (type !== 'PersonalDataErased') return [];
  return texts(data, 'keyRefs');
}
