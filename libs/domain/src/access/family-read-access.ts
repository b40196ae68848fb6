import { legalAreaOf } from '../delegation/decision-type.catalogue';
import type { AbandonedPayment, Appeal, Consent, Decision, Enrolment, FamilyDecision, FamilyState, Need, Payment, Referral } from '../family/family.state';
import { isConsentInForce } from '../family/family.queries';
import { ORGANISATION_NUMBER, type DataCategory } from '../family/family.values';
import type { Actor } from '../shared/actor';
import type { LocalDate } from '../shared/local-date';
import { UNITS, type Unit } from '../shared/units';
import { familyProtection } from './protected-address';
import { readablePlans } from '../family/family-plan.access';
import type { FollowUpCause } from '../family/family-plan.types';
import type { NameOnlyMember, ReadableFamilyState } from './readable-state';

export * from './readable-state';
export * from './protected-address';
export * from './erasure-markers';

/**
 * Who may read what of a family (default deny), following the part in the case
 * (tjenstlig behov, forvaltningsloven § 13) and consent (§ 13 a no. 1), never who wrote last.
 * Pure: the same state, reader and day always give the same answer, so the API, the deciders'
 * record lookups, the tests and an auditor agree.
 *
 * - Auditor: every record. Rules analyst (and any reader of no kind): nothing.
 * - A unit with an active part (`state.parts[unit].active`): the household, the team, the
 *   parts, its referrals, the enrolments, parental responsibility; its own records; another
 *   unit's record only under an information-sharing consent in force of each member the record
 *   is about (a record of the whole family: every current adult; with none, not covered) that
 *   names the reader among `toUnits`, the record's category, and an owner of the record among
 *   `sourceUnits` (null: any unit's).
 * - A unit whose part ended, or with records of its own but no part: its own records and the
 *   household only (no team, no other unit's record, only the consents it recorded). With no
 *   record of its own it has no service need left: refused (unless a referral to it is open).
 * - A unit with an open referral to it and no part: that referral and the referred members' names.
 * - A partner with an active enrolment naming its organisation number: the names of the
 *   enrolled members, its own contact persons, the needs and payments its organisation
 *   recorded; no district, team composition, parts, referrals, consents, decisions, and no
 *   withheld counts.
 * - Anyone else: refused, with a reason that names nothing of the family.
 *
 * Own records of a unit: needs it recorded or picked up, its decisions (with their appeals),
 * payments it recorded or funded, consents it recorded, family decisions it is responsible for,
 * and the records of partners named in an enrolment it is responsible for (active or ended).
 *
 * Protected addresses are masked afterwards, by maskFamilyState (see protected-address.ts).
 */

/** `leader`: the unit's leader (role unit-leader), who records and answers erasure requests for the unit (see erasureRequestShown). */
export type Reader =
  { kind: 'auditor' } | { kind: 'unit'; unit: Unit; leader?: true } | { kind: 'partner'; organisationNumber: string } | { kind: 'none'; reason: string };

export function readerOf(actor: Pick<Actor, 'role'> & Partial<Actor>): Reader {
  switch (actor.role) {
    case 'auditor':
      return { kind: 'auditor' };
    case 'caseworker':
    case 'approver':
    case 'unit-leader':
      if (!actor.unit) return { kind: 'none', reason: 'municipal staff read for a unit, and this user has none' };
      return actor.role === 'unit-leader' ? { kind: 'unit', unit: actor.unit, leader: true } : { kind: 'unit', unit: actor.unit };
    case 'partner':
      return actor.partnerOrganisation && ORGANISATION_NUMBER.test(actor.partnerOrganisation)
        ? { kind: 'partner', organisationNumber: actor.partnerOrganisation }
        : { kind: 'none', reason: 'this partner user is not linked to an organisation number' };
    default:
      return { kind: 'none', reason: `the role '${actor.role}' reads no family data` };
  }
}

/** The data category of a decision: health-and-care decisions are 'health', the rest 'decisions'. */
export function decisionCategory(decision: Pick<Decision, 'decisionType'>): DataCategory {
  return legalAreaOf(decision.decisionType) === 'health-and-care' ? 'health' : 'decisions';
}

/**
 * How a reader stands in this family's case:
 * - 'part': a unit with an active part; 'ended': a unit without an active part (ended, or
 *   never had one) that owns records; 'referred': a unit with an open referral to it and neither;
 * - 'partner': a partner with an active enrolment naming it; 'auditor'.
 */
export type Standing = 'auditor' | 'part' | 'ended' | 'referred' | 'partner';

/** What a reader may see of one family on one day. */
export type FamilyReadGrant = {
  standing: Standing;
  /** The family with only what the reader may see (references to hidden records removed). Not yet masked. */
  state: ReadableFamilyState;
  /** Information-sharing consents in force the reader relied on to see another unit's records (for the read audit). */
  consentIds: string[];
  /** Data categories of the records shown. */
  categories: DataCategory[];
  /** Members whose records, household data or names the response holds. */
  memberIds: string[];
  /**
   * How many records of each kind were left out (the caller may say that more exists, not
   * what): only for a unit with an active part and auditors; null for everyone else.
   */
  withheld: WithheldCounts | null;
};

export type WithheldCounts = { needs: number; decisions: number; payments: number; consents: number; familyDecisions: number };

export type FamilyReadDecision = { permit: true; grant: FamilyReadGrant } | { permit: false; reason: string };

/** The refusal says nothing of the family (not whether it has records, units or members). */
export const NO_ACCESS_REASON = 'No access to this family: the reader has no part in the case.';

// ---------------------------------------------------------------------------------------------
// Records: owners, category, subjects

/** A record's owners and subjects: whose it is, which category, which members it is about (null: the whole family). */
export type RecordFacts = { ownerUnits: Unit[]; ownerPartner: string | null; category: DataCategory; memberIds: string[] | null };

/**
 * Whether an enrolment names a partner organisation number (compared exactly). An empty or
 * missing number names no partner (fail closed), like a need recorded before organisation numbers.
 */
function namesPartner(enrolment: Enrolment, organisationNumber: string | null | undefined): boolean {
  return Boolean(organisationNumber) && enrolment.partners.some((p) => p.organisationNumber === organisationNumber);
}

/** Active enrolments naming a partner organisation number (compared exactly). */
export function enrolmentsNaming(state: Pick<FamilyState, 'enrolments'>, organisationNumber: string | null | undefined): Enrolment[] {
  return Object.values(state.enrolments ?? {}).filter((e) => e.active && namesPartner(e, organisationNumber));
}

/**
 * A partner's records count as the responsible units' of the enrolments naming it (active or
 * ended: the records were written for the unit's sub-project, and stay its own like any record
 * of a unit whose part ended).
 */
function partnerOwners(state: FamilyState, organisationNumber: string | null): Unit[] {
  return Object.values(state.enrolments ?? {})
    .filter((e) => namesPartner(e, organisationNumber))
    .map((e) => e.responsibleUnit);
}

const unique = <T>(items: T[]): T[] => [...new Set(items)];

export function needFacts(state: FamilyState, need: Need): RecordFacts {
  const by = need.recordedBy;
  const recorder =
    by.kind === 'unit' ? { units: [by.unit], partner: null } : { units: partnerOwners(state, by.organisationNumber), partner: by.organisationNumber };
  return {
    ownerUnits: unique([...recorder.units, ...need.pickedUpBy.map((p) => p.unit)]),
    ownerPartner: recorder.partner,
    category: 'needs',
    memberIds: need.memberId === null ? null : [need.memberId],
  };
}

export function decisionFacts(decision: Decision): RecordFacts {
  return { ownerUnits: [decision.unit], ownerPartner: null, category: decisionCategory(decision), memberIds: decision.memberIds };
}

export function paymentFacts(state: FamilyState, payment: Payment): RecordFacts {
  const partner = payment.recordedBy.role === 'partner' ? payment.recordedBy.partnerOrganisation : null;
  return {
    ownerUnits: unique([
      ...(partner !== null ? partnerOwners(state, partner) : payment.recordedBy.unit ? [payment.recordedBy.unit] : []),
      ...(payment.funding.kind === 'unit' ? [payment.funding.unit] : []),
    ]),
    ownerPartner: partner,
    category: 'payments',
    memberIds: [payment.recipientMemberId],
  };
}

/** A payment the money path gave up (PaymentAbandoned) is read as the payment it would have been: by who paid, about its recipient. */
export function abandonedPaymentFacts(state: FamilyState, abandoned: AbandonedPayment): RecordFacts {
  const partner = abandoned.abandonedBy.role === 'partner' ? abandoned.abandonedBy.partnerOrganisation : null;
  return {
    ownerUnits: partner !== null ? partnerOwners(state, partner) : abandoned.abandonedBy.unit ? [abandoned.abandonedBy.unit] : [],
    ownerPartner: partner,
    category: 'payments',
    memberIds: abandoned.recipientMemberId === null ? null : [abandoned.recipientMemberId],
  };
}

/** The members a record is about: its own, or for a record of the whole family every current adult (in no particular order). */
export function subjectsOf(state: FamilyState, facts: RecordFacts): string[] {
  return facts.memberIds ?? currentAdultIds(state);
}

function currentAdultIds(state: FamilyState): string[] {
  return Object.values(state.members)
    .filter((m) => m.status === 'current' && m.role === 'adult')
    .map((m) => m.memberId);
}

/** A consent that names a unit gives it something only while in force and never once withdrawn (whatever its effective date). */
function inForceNow(consent: Consent, today: LocalDate): boolean {
  return consent.withdrawnAt === null && isConsentInForce(consent, today);
}

/** Whether a consent's sources include an owner of the record (null: any unit's, as on consents recorded before sources were named). */
function fromSourceOf(consent: Consent, facts: RecordFacts): boolean {
  const sources = consent.sourceUnits;
  return sources === null || facts.ownerUnits.some((owner) => sources.includes(owner));
}

/**
 * The information-sharing consents in force that let `unit` see the record: for each member it
 * is about, every consent of that member naming the unit, the category, and an owner of the
 * record among its sources (null: any unit's). Null when some member has none (or the record is
 * about the whole family and there is no current adult). In no particular order.
 */
export function consentsCovering(state: FamilyState, unit: Unit, facts: RecordFacts, today: LocalDate): string[] | null {
  const subjects = subjectsOf(state, facts);
  if (subjects.length === 0) return null;
  const used: string[] = [];
  for (const memberId of subjects) {
    const covering = Object.values(state.consents).filter(
      (c) =>
        c.kind === 'information-sharing' &&
        c.memberId === memberId &&
        inForceNow(c, today) &&
        c.toUnits.includes(unit) &&
        c.dataCategories.includes(facts.category) &&
        fromSourceOf(c, facts),
    );
    if (covering.length === 0) return null;
    used.push(...covering.map((c) => c.consentId));
  }
  return used;
}

// ---------------------------------------------------------------------------------------------
// Standing

/** Whether the unit owns any record of the family (a need, decision, payment, consent or family decision). */
function ownsAnyRecord(state: FamilyState, unit: Unit): boolean {
  return (
    Object.values(state.needs).some((n) => needFacts(state, n).ownerUnits.includes(unit)) ||
    Object.values(state.decisions).some((d) => d.unit === unit) ||
    Object.values(state.payments).some((p) => paymentFacts(state, p).ownerUnits.includes(unit)) ||
    Object.values(state.consents).some((c) => c.recordedBy.unit === unit) ||
    Object.values(state.familyDecisions).some((f) => f.responsibleUnit === unit)
  );
}

function openReferralsTo(state: FamilyState, unit: Unit): Referral[] {
  return Object.values(state.referrals ?? {}).filter((r) => r.toUnit === unit && r.status === 'open');
}

/**
 * How a unit stands in the case, or null. A unit whose part ended keeps its own records (and
 * with them the household they are about); with nothing of its own left it has no service
 * need at all: only an open referral to it, or nothing.
 */
export function unitStanding(state: FamilyState, unit: Unit): Exclude<Standing, 'auditor' | 'partner'> | null {
  const part = (state.parts ?? {})[unit];
  if (part?.active) return 'part';
  if (ownsAnyRecord(state, unit)) return 'ended';
  if (openReferralsTo(state, unit).length > 0) return 'referred';
  return null;
}

/**
 * A reader with its standing and what the rules compare against: the unit a municipal reader
 * reads for, the organisation number of a partner (auditors and partners read for no unit).
 */
type Position =
  | { standing: 'auditor'; unit: null }
  | { standing: 'part' | 'ended' | 'referred'; unit: Unit }
  | { standing: 'partner'; unit: null; organisationNumber: string };

/** A reader's position in the case, or null (refused). A family that was never registered has no parts. */
function positionOf(state: FamilyState, reader: Reader): Position | null {
  switch (reader.kind) {
    case 'auditor':
      return { standing: 'auditor', unit: null };
    case 'unit': {
      const standing = state.status === 'registered' ? unitStanding(state, reader.unit) : null;
      return standing === null ? null : { standing, unit: reader.unit };
    }
    case 'partner':
      return enrolmentsNaming(state, reader.organisationNumber).length > 0
        ? { standing: 'partner', unit: null, organisationNumber: reader.organisationNumber }
        : null;
    default:
      return null;
  }
}

/** How a reader stands in the case, or null (refused). */
export function standingOf(state: FamilyState, reader: Reader): Standing | null {
  return positionOf(state, reader)?.standing ?? null;
}

// ---------------------------------------------------------------------------------------------
// Per-record predicates (for the deciders' lookups: a record the actor may not read does not exist for them)

/**
 * Whether the reader sees a record with these facts, and relying on which consents: none for
 * its own record (and for auditors and partners), the consents in force that cover another
 * unit's record for a unit with an active part; null: not shown.
 */
function consentsToSee(state: FamilyState, position: Position, facts: RecordFacts, today: LocalDate): string[] | null {
  switch (position.standing) {
    case 'auditor':
      return [];
    case 'partner':
      return facts.ownerPartner === position.organisationNumber ? [] : null;
    case 'part':
      return facts.ownerUnits.includes(position.unit) ? [] : consentsCovering(state, position.unit, facts, today);
    case 'ended':
      return facts.ownerUnits.includes(position.unit) ? [] : null;
    case 'referred':
      return null;
  }
}

export function mayReadRecord(state: FamilyState, reader: Reader, facts: RecordFacts, today: LocalDate): boolean {
  const position = positionOf(state, reader);
  return position !== null && consentsToSee(state, position, facts, today) !== null;
}

export function mayReadNeed(state: FamilyState, reader: Reader, need: Need, today: LocalDate): boolean {
  return mayReadRecord(state, reader, needFacts(state, need), today);
}

export function mayReadDecision(state: FamilyState, reader: Reader, decision: Decision, today: LocalDate): boolean {
  return mayReadRecord(state, reader, decisionFacts(decision), today);
}

/** An appeal is part of its decision's record. */
export function mayReadAppeal(state: FamilyState, reader: Reader, appeal: Appeal, today: LocalDate): boolean {
  const decision = state.decisions[appeal.decisionId];
  return decision !== undefined && mayReadDecision(state, reader, decision, today);
}

export function mayReadPayment(state: FamilyState, reader: Reader, payment: Payment, today: LocalDate): boolean {
  return mayReadRecord(state, reader, paymentFacts(state, payment), today);
}

/**
 * A consent shows to the unit that recorded it; with an active part also while it is in force
 * and names the unit, once withdrawn to the units alerted (they had read under it), and to the
 * unit responsible for a family decision it suspended. Partners see none.
 */
export function mayReadConsent(state: FamilyState, reader: Reader, consent: Consent, today: LocalDate): boolean {
  const position = positionOf(state, reader);
  return position !== null && consentVisible(state, position, consent, today);
}

function consentVisible(state: FamilyState, position: Position, consent: Consent, today: LocalDate): boolean {
  switch (position.standing) {
    case 'auditor':
      return true;
    case 'part':
      return (
        consent.recordedBy.unit === position.unit ||
        (consent.toUnits.includes(position.unit) && inForceNow(consent, today)) ||
        (consent.withdrawal !== null && consent.withdrawal.alertedUnits.includes(position.unit)) ||
        Object.values(state.familyDecisions).some((f) => f.suspendedByConsentId === consent.consentId && f.responsibleUnit === position.unit)
      );
    case 'ended':
      return consent.recordedBy.unit === position.unit;
    default: // a referred unit, a partner
      return false;
  }
}

/**
 * A family decision shows to auditors, to its responsible unit and to units that see one of the
 * decisions it bundles (a partner or a referred unit sees no decision and is responsible for none).
 */
function familyDecisionVisible(familyDecision: FamilyDecision, position: Position, visibleDecisions: Record<string, unknown>): boolean {
  return (
    position.standing === 'auditor' ||
    familyDecision.responsibleUnit === position.unit ||
    familyDecision.decisions.some((d) => d.decisionId in visibleDecisions)
  );
}

/** Its referrals: made by or to the unit; with no part, only the open ones to it. Partners (no unit): none. */
function referralVisible(referral: Referral, position: Position): boolean {
  if (position.standing === 'auditor') return true;
  if (position.standing === 'referred') return referral.toUnit === position.unit && referral.status === 'open';
  return referral.fromUnit === position.unit || referral.toUnit === position.unit;
}

/** The household, team, parts and enrolments a reader sees. */
type CaseContext = Pick<ReadableFamilyState, 'members' | 'team' | 'parts' | 'enrolments'>;

/**
 * Members: the household to units with a part (or an ended one) and auditors; names only of the
 * referred members (a referral) or the enrolled members (a partner). A unit whose part ended
 * keeps its own part and the enrolments it is responsible for, no team; a partner its own
 * active contact persons.
 */
function caseContext(state: FamilyState, position: Position, referrals: Record<string, Referral>): CaseContext {
  switch (position.standing) {
    case 'auditor':
    case 'part':
      return { members: state.members, team: state.team, parts: state.parts ?? {}, enrolments: state.enrolments ?? {} };
    case 'ended':
      return {
        members: state.members,
        team: {},
        parts: pick(state.parts ?? {}, (p) => p.unit === position.unit),
        enrolments: pick(state.enrolments ?? {}, (e) => e.responsibleUnit === position.unit),
      };
    case 'referred':
      return {
        members: namesOf(
          state,
          Object.values(referrals).flatMap((r) => r.memberIds),
        ),
        team: {},
        parts: {},
        enrolments: {},
      };
    case 'partner':
      return {
        members: namesOf(
          state,
          enrolmentsNaming(state, position.organisationNumber).flatMap((e) => e.memberIds),
        ),
        team: pick(state.team, (p) => p.active && p.affiliation.kind === 'partner' && p.affiliation.organisationNumber === position.organisationNumber),
        parts: {},
        enrolments: {},
      };
  }
}

/** A reference kept only when the record it points to is shown (null otherwise). */
function shownId(id: string | null, shown: Record<string, unknown>): string | null {
  return Object.keys(shown).find((key) => key === id) ?? null;
}

/** Why a family decision was suspended, kept only when the reader sees the consent or decision it names. */
function causeShown(cause: FollowUpCause, consents: Record<string, unknown>, decisions: Record<string, unknown>): boolean {
  return cause.kind === 'consent-withdrawn' ? cause.id in consents : cause.id in decisions;
}

// ---------------------------------------------------------------------------------------------
// The decision for a whole family

/**
 * Decides one family for one reader on `today` (the real day: access never follows a day the
 * client asks the view to be computed for).
 */
export function familyReadAccess(state: FamilyState, reader: Reader, today: LocalDate): FamilyReadDecision {
  if (reader.kind === 'none') return { permit: false, reason: `No access to family data: ${reader.reason}.` };
  const position = positionOf(state, reader);
  if (position === null) return { permit: false, reason: NO_ACCESS_REASON };
  const standing = position.standing;

  const consentsUsed = new Set<string>();
  const categories = new Set<DataCategory>();
  const subjects = new Set<string>();
  const show = (facts: RecordFacts): boolean => {
    const relied = consentsToSee(state, position, facts, today);
    if (relied === null) return false;
    relied.forEach((id) => consentsUsed.add(id));
    categories.add(facts.category);
    subjectsOf(state, facts).forEach((id) => subjects.add(id));
    return true;
  };

  const needs = pick(state.needs, (n) => show(needFacts(state, n)));
  const decisions = pick(state.decisions, (d) => show(decisionFacts(d)));
  const payments = pick(state.payments, (p) => show(paymentFacts(state, p)));
  const abandonedPayments = pick(state.abandonedPayments ?? {}, (a) => show(abandonedPaymentFacts(state, a)));
  const appeals = pick(state.appeals, (a) => a.decisionId in decisions);
  // Notifications (fvl § 27) are part of their decision's record, like its appeals.
  const notifications = pick(state.notifications ?? {}, (n) => n.decisionId in decisions);
  const consents = pick(state.consents, (c) => consentVisible(state, position, c, today));
  const familyDecisions = pick(state.familyDecisions, (f) => familyDecisionVisible(f, position, decisions));
  if (Object.keys(familyDecisions).length) categories.add('decisions');
  const referrals = pick(state.referrals ?? {}, (r) => referralVisible(r, position));
  // The family's plan: to the units it names with a part, and auditors (family-plan.access.ts).
  const familyPlans = readablePlans(state, reader, consents);
  for (const plan of Object.values(familyPlans)) {
    categories.add('needs'); // the goals are the family's words, like its needs
    plan.memberIds.forEach((id) => subjects.add(id));
  }

  const full = standing === 'auditor' || standing === 'part';
  const household = full || standing === 'ended';
  const context = caseContext(state, position, referrals);
  Object.keys(context.members).forEach((id) => subjects.add(id));

  const filtered: ReadableFamilyState = {
    ...state,
    // Masking is decided on the whole family, whichever members this reader sees.
    ...(household ? {} : { familyProtection: familyProtection(state) }),
    district: household ? state.district : null,
    registeredAt: household ? state.registeredAt : null,
    registeredBy: household ? state.registeredBy : null,
    ...context,
    coordinatingUnit: full ? state.coordinatingUnit : null,
    needs: mapValues(needs, (n) => ({
      ...n,
      // Who picked a partner's need up would tell a partner which units work with the family.
      pickedUpBy: standing === 'partner' ? [] : n.pickedUpBy,
      resolution: standing === 'partner' ? null : n.resolution,
      decisionIds: n.decisionIds.filter((id) => id in decisions),
      paymentIds: n.paymentIds.filter((id) => id in payments),
    })),
    decisions,
    appeals,
    notifications,
    payments: mapValues(payments, (p) => ({
      ...p,
      answersNeedId: shownId(p.answersNeedId, needs),
      answersDecisionId: shownId(p.answersDecisionId, decisions),
    })),
    abandonedPayments,
    consents,
    familyDecisions: mapValues(familyDecisions, (f) => ({
      ...f,
      decisions: f.decisions.filter((d) => d.decisionId in decisions),
      consentIds: f.consentIds.filter((id) => id in consents),
      suspendedByConsentId: shownId(f.suspendedByConsentId, consents),
      // The cause names a consent or a decision: shown, with its day, only with the record it names.
      ...(f.suspension ? { suspension: causeShown(f.suspension.cause, consents, decisions) ? f.suspension : null } : {}),
    })),
    referrals: mapValues(referrals, (r) => ({ ...r, consentIds: r.consentIds.filter((id) => id in consents) })),
    familyPlans,
    // A letter names its decisions: shown only when the reader sees every one of them (issue 14).
    letters: pick(state.letters ?? {}, (l) => l.decisionIds.every((id) => id in decisions)),
    parentalResponsibility: full ? (state.parentalResponsibility ?? {}) : {},
  };
  Object.assign(filtered, erasuresShown(state, reader, filtered, household));
  const count = (all: object, shown: object) => Object.keys(all).length - Object.keys(shown).length;
  return {
    permit: true,
    grant: {
      standing,
      state: filtered,
      consentIds: [...consentsUsed].sort(),
      categories: [...categories].sort(),
      memberIds: [...subjects].sort(),
      withheld: full
        ? {
            needs: count(state.needs, needs),
            decisions: count(state.decisions, decisions),
            payments: count(state.payments, payments),
            consents: count(state.consents, consents),
            familyDecisions: count(state.familyDecisions, familyDecisions),
          }
        : null,
    },
  };
}

// ---------------------------------------------------------------------------------------------
// Erasures and erasure requests

/**
 * Erasure requests (GDPR art. 17) go to auditors and to the leader of the unit that recorded the
 * request, who answers it for the unit's archive: no one else needs to know that a member asked to
 * be forgotten, nor the name of a representative (GDPR art. 5(1)(c) data minimisation;
 * forvaltningsloven § 13, a person's circumstances are confidential). Caseworkers of that unit and
 * other units see only what every reader of a record sees: that its data was erased, when and under
 * which rule (the marker).
 */
export const ERASURE_REQUESTS_PROVISION = 'GDPR art. 5(1)(c); forvaltningsloven § 13';

export function erasureRequestShown(request: { recordedBy: { unit: Unit | null } }, reader: Reader): boolean {
  return reader.kind === 'auditor' || (reader.kind === 'unit' && reader.leader === true && request.recordedBy.unit === reader.unit);
}

/**
 * What the reader receives of the family's erasures: the requests as above; the erased keys (and
 * their PersonalDataErased records) only of records the reader is shown (a key ref names its
 * record: an erased need of another unit would tell it exists), `case/family` with the household.
 */
function erasuresShown(
  state: FamilyState,
  reader: Reader,
  shown: ReadableFamilyState,
  household: boolean,
): Pick<ReadableFamilyState, 'erasures' | 'erasureRequests' | 'erasedKeys'> {
  const requests = pick(state.erasureRequests ?? {}, (r) => erasureRequestShown(r, reader));
  const recordShown = (keyRef: string): boolean => {
    const slash = keyRef.indexOf('/');
    const [kind, id] = [keyRef.slice(0, slash), keyRef.slice(slash + 1)];
    switch (kind) {
      case 'identity':
        return id in shown.members;
      case 'need':
        return id in shown.needs;
      case 'consent':
        return id in shown.consents;
      case 'decision':
        return id in shown.decisions;
      case 'appeal':
        return id in shown.appeals;
      case 'payment':
        return id in shown.payments;
      case 'letter':
        return id in (shown.letters ?? {});
      case 'case':
        // Family-level texts: `case/family:<at>` (one key per append), `case/family` before.
        return id === 'family' || id.startsWith('family:')
          ? household
          : id in (shown.referrals ?? {}) || id in (shown.enrolments ?? {}) || id in (shown.familyPlans ?? {}) || id in requests;
      default:
        return false;
    }
  };
  const erasedKeys = state.erasedKeys ? pick(state.erasedKeys, (k) => recordShown(k.keyRef)) : undefined;
  return {
    erasures: pick(state.erasures ?? {}, (e) => recordShown(e.keyRef)),
    erasureRequests: requests,
    ...(erasedKeys ? { erasedKeys } : {}),
  };
}

function nameOnly(member: FamilyState['members'][string]): NameOnlyMember {
  return { ...member, birthDate: null, nationalId: null, preferredLanguage: null, nameOnly: true };
}

/** The names only of these members. */
function namesOf(state: FamilyState, memberIds: string[]): Record<string, NameOnlyMember> {
  return mapValues(
    pick(state.members, (m) => memberIds.includes(m.memberId)),
    nameOnly,
  );
}

// ---------------------------------------------------------------------------------------------
// The list's prefilter

/**
 * Every unit or partner that might read something of the family (a superset: the read model's
 * `readers` column prefilters the list on it; each row is then decided by familyReadAccess):
 * units with a part (active or ended), units owning records, units with an open referral to
 * them, and partners named in an active enrolment (by organisation number).
 */
export function possibleReaders(state: FamilyState): string[] {
  const keys = new Set<string>();
  for (const unit of UNITS) if (unitStanding(state, unit) !== null) keys.add(`unit:${unit}`);
  for (const enrolment of Object.values(state.enrolments ?? {})) {
    if (enrolment.active) enrolment.partners.forEach((p) => p.organisationNumber && keys.add(`partner:${p.organisationNumber}`));
  }
  return [...keys].sort();
}

export const readerKey = (reader: Reader): string | null =>
  reader.kind === 'unit' ? `unit:${reader.unit}` : reader.kind === 'partner' ? `partner:${reader.organisationNumber}` : null;

function pick<T>(records: Record<string, T>, keep: (record: T) => boolean): Record<string, T> {
  return Object.fromEntries(Object.entries(records).filter(([, record]) => keep(record)));
}

function mapValues<T, U>(records: Record<string, T>, map: (record: T) => U): Record<string, U> {
  return Object.fromEntries(Object.entries(records).map(([id, record]) => [id, map(record)]));
}
