import type { FamilyState } from '../family/family.state';
import type { LocalDate } from '../shared/local-date';
import { retentionRuleId } from '../retention/retention-schedule';
import { familyTextKeyRef } from '../personal-data/personal-data.catalogue';

/**
 * What readers see where a record's personal data was erased (docs/design/retention-and-erasure.md
 * §4): `{ "erased": { "on", "rule", "provision" } }` in place of the field, "erased on <date> under
 * <rule>", never the placeholder the fold works with ('' , null, 0001-01-01) and never an error.
 *
 * The fold keeps which keys were erased and which of their fields it saw (FamilyState.erasedKeys,
 * from the decoded events' `$erased` notes), so markErasedFields knows exactly which fields of the
 * state came from an erased event: an optional text that was never given stays null.
 */
export type ErasedMarker = { erased: { on: LocalDate; rule: string | null; provision: string | null } };

/** A field that may be shown as erased. */
export type Erasable<T> = T | ErasedMarker;

export function isErasedMarker(value: unknown): value is ErasedMarker {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const erased = (value as { erased?: unknown }).erased;
  return typeof erased === 'object' && erased !== null && typeof (erased as { on?: unknown }).on === 'string';
}

type ErasureKnowledge = Pick<FamilyState, 'erasures'> & Pick<Partial<FamilyState>, 'erasedKeys'>;

/**
 * The marker for a record key, or null while it is not erased: from the key's tombstone as the
 * notes gave it (the same at every cut of the stream, also before PersonalDataErased), else from
 * PersonalDataErased.
 */
export function erasedMarkerOf(state: ErasureKnowledge, keyRef: string): ErasedMarker | null {
  const noted = state.erasedKeys?.[keyRef];
  if (noted) return { erased: { on: noted.on, rule: noted.rule, provision: noted.provision } };
  const recorded = state.erasures?.[keyRef];
  if (recorded) return { erased: { on: recorded.on, rule: recorded.rule ? retentionRuleId(recorded.rule) : null, provision: recorded.provision } };
  return null;
}

/** Whether anything of the family is erased (most families: nothing to mark, the state is returned as it is). */
export function hasErasures(state: ErasureKnowledge): boolean {
  return Object.keys(state.erasedKeys ?? {}).length > 0 || Object.keys(state.erasures ?? {}).length > 0;
}

// ---------------------------------------------------------------------------------------------
// Where each catalogued field lands in the state

/**
 * A field of a record (`at`: a dot path inside the record, `*` for every element of an array)
 * and the event fields it is folded from (`<event type>:<path>`, as FamilyState.erasedKeys keeps
 * them). A function gives them per array element (a decision's history entry names its event).
 */
type FieldSpec = { at: string; from: readonly string[] | ((item: Record<string, unknown>) => readonly string[]) };

const identity = (field: string): FieldSpec => ({ at: field, from: [`FamilyRegistered:members.*.${field}`, `MemberJoined:member.${field}`] });
const MEMBER_FIELDS: FieldSpec[] = ['name', 'birthDate', 'nationalId', 'preferredLanguage'].map(identity);

const NEED_FIELDS: FieldSpec[] = [
  { at: 'words', from: ['NeedExpressed:words'] },
  { at: 'resolution', from: ['NeedResolved:resolution'] },
  { at: 'withdrawalReason', from: ['NeedWithdrawn:reason'] },
];

const CONSENT_FIELDS: FieldSpec[] = [
  { at: 'purpose', from: ['ConsentGiven:purpose'] },
  { at: 'evidence.documentRef', from: ['ConsentGiven:evidence.documentRef'] },
  { at: 'evidence.note', from: ['ConsentGiven:evidence.note'] },
];

/** The texts a decision's terms take their reasons from (its own proposal and amendments, and an appeal's effect). */
const TERMS_REASONS = [
  'DecisionProposed:reasons',
  'DecisionProposed:reasons.summary',
  'DecisionAmended:reasons',
  'AppealGrantedByUnit:effect.terms.reasons',
  'AppealOutcomeRecorded:effect.terms.reasons',
];

/** A decision's history note by the event that wrote it: the decision's own texts (its key). */
const DECISION_NOTES: Readonly<Record<string, readonly string[]>> = {
  DecisionRejected: ['DecisionRejected:reason'],
  DecisionAmended: ['DecisionAmended:reasons'],
  DecisionRevoked: ['DecisionRevoked:reason'],
  PartyStatementReceived: ['PartyStatementReceived:summary'],
};

/** A decision's history note written by an appeal event: the appeal's texts (appeal/<appealId>). */
const APPEAL_NOTES: Readonly<Record<string, readonly string[]>> = {
  AppealRegistered: ['AppealRegistered:grounds'],
  AppealReceived: ['AppealReceived:grounds'],
  AppealDecided: ['AppealDecided:reasons'],
  AppealGrantedByUnit: ['AppealGrantedByUnit:reasons'],
  AppealOutcomeRecorded: ['AppealOutcomeRecorded:reference'],
  AppealWithdrawn: ['AppealWithdrawn:note'],
  ExecutionSuspended: ['ExecutionSuspended:reasons'],
  ExecutionSuspensionRefused: ['ExecutionSuspensionRefused:reasons'],
};

const noteSources = (notes: Readonly<Record<string, readonly string[]>>) => (entry: Record<string, unknown>) => notes[String(entry.event)] ?? [];

const DECISION_FIELDS: FieldSpec[] = [
  { at: 'reasons', from: TERMS_REASONS },
  { at: 'structuredReasons.facts', from: ['DecisionProposed:reasons.facts', 'DecisionProposed:reasons'] },
  { at: 'structuredReasons.mainConsiderations', from: ['DecisionProposed:reasons.mainConsiderations'] },
  { at: 'structuredReasons.summary', from: ['DecisionProposed:reasons.summary', 'DecisionProposed:reasons'] },
  { at: 'childViews.*.views', from: ['DecisionProposed:childViews.*.views'] },
  { at: 'childViews.*.weight', from: ['DecisionProposed:childViews.*.weight'] },
  { at: 'childViews.*.explanation', from: ['DecisionProposed:childViews.*.explanation'] },
  { at: 'advanceNotices.*.language', from: ['AdvanceNoticeSent:language'] },
  { at: 'advanceNotices.*.statements.*.summary', from: ['PartyStatementReceived:summary'] },
  { at: 'history.*.note', from: noteSources(DECISION_NOTES) },
  { at: 'history.*.termsBefore.reasons', from: TERMS_REASONS },
];

/** The history notes an appeal wrote on its decision: marked when one of the decision's appeals is erased. */
const DECISION_APPEAL_NOTES: FieldSpec[] = [{ at: 'history.*.note', from: noteSources(APPEAL_NOTES) }];

const NOTIFICATION_FIELDS: FieldSpec[] = [
  { at: 'language', from: ['NotificationSent:language'] },
  { at: 'documentRef', from: ['NotificationSent:documentRef'] },
];

const APPEAL_FIELDS: FieldSpec[] = [
  { at: 'grounds', from: ['AppealRegistered:grounds', 'AppealReceived:grounds'] },
  { at: 'appellant.representative', from: ['AppealRegistered:appellant.representative'] },
  { at: 'assessment.standingNote', from: ['AppealFormAssessed:standingNote'] },
  { at: 'assessment.reasons', from: ['AppealFormAssessed:reasons'] },
  { at: 'assessment.excuse.explanation', from: ['AppealFormAssessed:excuse.explanation', 'AppealReceived:lateExcuse'] },
  { at: 'preparation.investigations', from: ['AppealPrepared:investigations'] },
  { at: 'dismissal.reasons', from: ['AppealDismissed:reasons'] },
  { at: 'unitChange.reasons', from: ['AppealGrantedByUnit:reasons', 'AppealDecided:reasons'] },
  { at: 'forwarded.unitStatement', from: ['AppealForwarded:unitStatement'] },
  { at: 'outcome.summary', from: ['AppealOutcomeRecorded:summary'] },
  { at: 'outcome.reference', from: ['AppealOutcomeRecorded:reference'] },
  { at: 'withdrawal.note', from: ['AppealWithdrawn:note'] },
  { at: 'suspension.decision.reasons', from: ['ExecutionSuspended:reasons', 'ExecutionSuspensionRefused:reasons'] },
];
/** The terms an appeal gave its decision carry the decision's reasons (decision/<decisionId>). */
const APPEAL_DECISION_FIELDS: FieldSpec[] = [
  { at: 'unitChange.effect.terms.reasons', from: ['AppealGrantedByUnit:effect.terms.reasons'] },
  { at: 'outcome.effect.terms.reasons', from: ['AppealOutcomeRecorded:effect.terms.reasons'] },
];

const PAYMENT_FIELDS: FieldSpec[] = [
  { at: 'documentationRef', from: ['PaymentRecorded:documentationRef'] },
  { at: 'reversalReason', from: ['PaymentReversed:reason'] },
];

/** An involvement's closing reason, on the part and on each earlier period: a family text keyed by its instant. */
const PART_FIELDS: FieldSpec[] = [{ at: 'endReason', from: ['InvolvementClosed:reason'] }];

const REFERRAL_FIELDS: FieldSpec[] = [
  { at: 'reason', from: ['ReferralRecorded:reason'] },
  { at: 'declineReason', from: ['ReferralDeclined:reason'] },
];

const ENROLMENT_FIELDS: FieldSpec[] = [{ at: 'endReason', from: ['EnrolmentEnded:reason'] }];

const PARENTAL_RESPONSIBILITY_FIELDS: FieldSpec[] = [
  { at: 'documentRef', from: ['FamilyRegistered:parentalResponsibility.*.documentRef', 'ParentalResponsibilityRecorded:documentRef'] },
];

const PLAN_FIELDS: FieldSpec[] = [
  { at: 'goals.*.words', from: ['FamilyPlanRecorded:goals.*.words', 'FamilyPlanRevised:goals.*.words'] },
  { at: 'responsibilities.*.for', from: ['FamilyPlanRecorded:responsibilities.*.for', 'FamilyPlanRevised:responsibilities.*.for'] },
  { at: 'reviews.*.notes', from: ['FamilyPlanReviewed:notes'] },
  { at: 'revisionReason', from: ['FamilyPlanRevised:reason'] },
  { at: 'endReason', from: ['FamilyPlanEnded:reason'] },
];

const REQUEST_FIELDS: FieldSpec[] = [{ at: 'requestedBy.representative', from: ['ErasureRequested:requestedBy.representative'] }];

// ---------------------------------------------------------------------------------------------
// Marking

type Json = Record<string, unknown>;

/**
 * The state with every catalogued field of an erased record replaced by its ErasedMarker, for
 * readers only (views, lists, time travel, subject access): never decide or fold on it. Applied
 * before familyReadAccess and maskFamilyState, so whatever those withhold (null) stays withheld.
 * The result keeps the state's type; a field that may hold a marker is typed `Erasable` where a
 * reader's shape exposes it (the family view, the list). A family with nothing erased is returned
 * as it is.
 */
export function markErasedFields<S extends FamilyState>(state: S): S {
  if (!hasErasures(state)) return state;
  const noted = state.erasedKeys ?? {};
  const marker = (keyRef: string) => erasedMarkerOf(state, keyRef);
  /** A family-level text's key: one per append (`case/family:<at>`), or the one key of texts stored before (`case/family`). */
  const familyText = (at: string | null | undefined) => (at && marker(familyTextKeyRef(at)) ? familyTextKeyRef(at) : 'case/family');
  const mark = (record: unknown, keyRef: string, specs: FieldSpec[]): unknown => {
    const erased = marker(keyRef);
    if (!erased || typeof record !== 'object' || record === null) return record;
    const seen = new Set(noted[keyRef]?.fields ?? []);
    let marked: unknown = record;
    for (const spec of specs) marked = markAt(marked, spec.at.split('.'), spec.from, seen, erased);
    return marked;
  };
  const each = <T>(records: Record<string, T> | undefined, fn: (record: T, id: string) => unknown): Record<string, T> | undefined => {
    if (!records) return records;
    let changed = false;
    const out: Record<string, T> = {};
    for (const [id, record] of Object.entries(records)) {
      const next = fn(record, id) as T;
      if (next !== record) changed = true;
      out[id] = next;
    }
    return changed ? out : records;
  };
  const appealsOf = (decisionId: string) => Object.values(state.appeals ?? {}).filter((a) => a.decisionId === decisionId);
  return {
    ...state,
    members: each(state.members, (m, id) => mark(m, `identity/${id}`, MEMBER_FIELDS)),
    needs: each(state.needs, (n, id) => mark(n, `need/${id}`, NEED_FIELDS)),
    consents: each(state.consents, (c, id) => mark(c, `consent/${id}`, CONSENT_FIELDS)),
    decisions: each(state.decisions, (d, id) =>
      appealsOf(id).reduce((marked, appeal) => mark(marked, `appeal/${appeal.appealId}`, DECISION_APPEAL_NOTES), mark(d, `decision/${id}`, DECISION_FIELDS)),
    ),
    appeals: each(state.appeals, (a, id) => mark(mark(a, `appeal/${id}`, APPEAL_FIELDS), `decision/${a.decisionId}`, APPEAL_DECISION_FIELDS)),
    notifications: each(state.notifications, (n) => mark(n, `decision/${n.decisionId}`, NOTIFICATION_FIELDS)),
    payments: each(state.payments, (p, id) => mark(p, `payment/${id}`, PAYMENT_FIELDS)),
    parts: each(state.parts, (p) => {
      const part = mark(p, familyText(p.endedAt), PART_FIELDS) as typeof p;
      const earlier = (part.earlier ?? []).map((e) => mark(e, familyText(e.endedAt), PART_FIELDS) as (typeof part.earlier)[number]);
      return earlier.some((e, i) => e !== part.earlier[i]) ? { ...part, earlier } : part;
    }),
    referrals: each(state.referrals, (r, id) => mark(r, `case/${id}`, REFERRAL_FIELDS)),
    enrolments: each(state.enrolments, (e, id) => mark(e, `case/${id}`, ENROLMENT_FIELDS)),
    parentalResponsibility: each(state.parentalResponsibility, (r) => mark(r, familyText(r.recordedAt), PARENTAL_RESPONSIBILITY_FIELDS)),
    familyPlans: each(state.familyPlans, (p, id) => mark(p, `case/${id}`, PLAN_FIELDS)),
    erasureRequests: each(state.erasureRequests, (r, id) => mark(r, `case/${id}`, REQUEST_FIELDS)),
  } as S;
}

/** `value` with the leaves at `path` replaced by the marker where the fold saw them come from an erased field; copied only along what changed. */
function markAt(value: unknown, path: string[], from: FieldSpec['from'], seen: ReadonlySet<string>, marker: ErasedMarker, parent?: Json): unknown {
  if (path.length === 0) {
    const sources = typeof from === 'function' ? from(parent ?? {}) : from;
    return sources.some((source) => seen.has(source)) && !isErasedMarker(value) ? marker : value;
  }
  if (typeof value !== 'object' || value === null) return value;
  const [segment, ...rest] = path;
  if (segment === '*') {
    if (!Array.isArray(value)) return value;
    let changed = false;
    const out = value.map((item) => {
      const next = markAt(item, rest, from, seen, marker, item as Json);
      if (next !== item) changed = true;
      return next;
    });
    return changed ? out : value;
  }
  const record = value as Json;
  if (Array.isArray(value) || !(segment in record)) return value;
  // A leaf's sources may depend on the record holding it (a history entry names its event).
  const next = markAt(record[segment], rest, from, seen, marker, rest.length === 0 ? record : parent);
  return next === record[segment] ? value : { ...record, [segment]: next };
}
