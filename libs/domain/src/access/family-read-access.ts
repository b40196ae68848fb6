import { legalAreaOf } from '../delegation/decision-type.catalogue';
import type { Consent, Decision, FamilyDecision, FamilyState, Member, Need, Payment } from '../family/family.state';
import { currentAdults, isConsentInForce } from '../family/family.queries';
import type { DataCategory } from '../family/family.values';
import type { Actor } from '../shared/actor';
import type { LocalDate } from '../shared/local-date';
import type { Unit } from '../shared/units';

/**
 * Who may read what of a family (default deny). Pure: the same state, reader and day always
 * give the same answer, so the API, the access-matrix test and an auditor agree.
 *
 * - Auditors see every record.
 * - Municipal staff (caseworker, approver, unit leader) see their own unit's records, and
 *   another unit's record about members only while, for every member it is about, a consent
 *   of that member (given by them or their guardian) is in force that names the reader's unit
 *   and the record's data category. A record about the whole family needs that of every
 *   current adult. Withdrawal ends it at once: a withdrawn consent is never relied on.
 * - Partners see the needs and payments their own organisation recorded, nothing else.
 * - Everyone with access sees the household and the team around it; members with a
 *   protected address are masked for readers without clearance (see maskProtectedMembers).
 * - Rules analysts read no family data.
 */

export type Reader =
  | { kind: 'auditor' }
  | { kind: 'unit'; unit: Unit }
  | { kind: 'partner'; organisation: string }
  | { kind: 'none'; reason: string };

export function readerOf(actor: Actor): Reader {
  switch (actor.role) {
    case 'auditor':
      return { kind: 'auditor' };
    case 'caseworker':
    case 'approver':
    case 'unit-leader':
      return actor.unit ? { kind: 'unit', unit: actor.unit } : { kind: 'none', reason: 'municipal staff read for a unit, and this user has none' };
    case 'partner':
      return actor.partnerOrganisation
        ? { kind: 'partner', organisation: actor.partnerOrganisation }
        : { kind: 'none', reason: 'this partner user is not linked to an organisation' };
    default:
      return { kind: 'none', reason: `the role '${actor.role}' reads no family data` };
  }
}

/** The data category of a decision: health-and-care decisions are 'health', the rest 'decisions'. */
export function decisionCategory(decision: Pick<Decision, 'decisionType'>): DataCategory {
  return legalAreaOf(decision.decisionType) === 'health-and-care' ? 'health' : 'decisions';
}

/** What a reader may see of one family on one day. */
export type FamilyReadGrant = {
  /** The family with only the records the reader may see (references to hidden records removed). */
  state: FamilyState;
  /** Consents in force the reader relied on to see another unit's records (for the read audit). */
  consentIds: string[];
  /** Data categories of the records shown. */
  categories: DataCategory[];
  /** Members whose records (or whose household data) the response holds. */
  memberIds: string[];
  /** How many records of each kind were left out (the caller may say that more exists, not what). */
  withheld: { needs: number; decisions: number; payments: number; consents: number; familyDecisions: number };
};

export type FamilyReadDecision = { permit: true; grant: FamilyReadGrant } | { permit: false; reason: string };

/** A record's owner and subjects: whose it is, which category, which members it is about. */
type RecordFacts = { ownerUnits: Unit[]; ownerPartner: string | null; category: DataCategory; memberIds: string[] | null };

const needFacts = (need: Need): RecordFacts => ({
  ownerUnits: [...(need.recordedBy.kind === 'unit' ? [need.recordedBy.unit] : []), ...need.pickedUpBy.map((p) => p.unit)],
  ownerPartner: need.recordedBy.kind === 'partner' ? need.recordedBy.organisation : null,
  category: 'needs',
  memberIds: need.memberId === null ? null : [need.memberId],
});

const decisionFacts = (decision: Decision): RecordFacts => ({
  ownerUnits: [decision.unit],
  ownerPartner: null,
  category: decisionCategory(decision),
  memberIds: decision.memberIds,
});

const paymentFacts = (payment: Payment): RecordFacts => ({
  ownerUnits: [...(payment.recordedBy.unit ? [payment.recordedBy.unit] : []), ...(payment.funding.kind === 'unit' ? [payment.funding.unit] : [])],
  ownerPartner: payment.recordedBy.role === 'partner' ? payment.recordedBy.partnerOrganisation : null,
  category: 'payments',
  memberIds: [payment.recipientMemberId],
});

/**
 * Decides one family for one reader on `today` (the real day: access never follows a day the
 * client asks the view to be computed for).
 */
export function familyReadAccess(state: FamilyState, reader: Reader, today: LocalDate): FamilyReadDecision {
  if (reader.kind === 'none') return { permit: false, reason: `No access to family data: ${reader.reason}.` };
  const consentsUsed = new Set<string>();
  const categories = new Set<DataCategory>();
  const subjects = new Set<string>();

  const adults = currentAdults(state).map((m) => m.memberId);
  const inForce = Object.values(state.consents).filter((c) => c.kind === 'information-sharing' && c.withdrawnAt === null && isConsentInForce(c, today));

  /** A consent in force of each member, for the reader's unit and the category; the ids relied on, or null. */
  const consentsCovering = (unit: Unit, category: DataCategory, memberIds: string[]): string[] | null => {
    if (memberIds.length === 0) return null;
    const used: string[] = [];
    for (const memberId of memberIds) {
      const consent = inForce.find((c) => c.memberId === memberId && c.toUnits.includes(unit) && c.dataCategories.includes(category));
      if (!consent) return null;
      used.push(consent.consentId);
    }
    return used;
  };

  const visible = (facts: RecordFacts): boolean => {
    let permitted = false;
    if (reader.kind === 'auditor') permitted = true;
    else if (reader.kind === 'partner') permitted = facts.ownerPartner === reader.organisation;
    else if (facts.ownerUnits.includes(reader.unit)) permitted = true;
    else {
      const used = consentsCovering(reader.unit, facts.category, facts.memberIds ?? adults);
      if (used) {
        used.forEach((id) => consentsUsed.add(id));
        permitted = true;
      }
    }
    if (permitted) {
      categories.add(facts.category);
      (facts.memberIds ?? adults).forEach((id) => subjects.add(id));
    }
    return permitted;
  };

  const needs = pick(state.needs, (n) => visible(needFacts(n)));
  const decisions = pick(state.decisions, (d) => visible(decisionFacts(d)));
  const payments = pick(state.payments, (p) => visible(paymentFacts(p)));
  const appeals = pick(state.appeals, (a) => a.decisionId in decisions);
  const inForceIds = new Set(inForce.map((c) => c.consentId));
  const consents = pick(state.consents, (c) => consentVisible(c, reader, inForceIds));
  const familyDecisions = pick(state.familyDecisions, (f) => familyDecisionVisible(f, reader, decisions));
  if (Object.keys(familyDecisions).length) categories.add('decisions');

  const hasPart =
    reader.kind === 'auditor' ||
    Object.keys(needs).length + Object.keys(decisions).length + Object.keys(payments).length + Object.keys(consents).length > 0 ||
    (reader.kind === 'unit' && unitHasPart(state, reader.unit, inForce)) ||
    (reader.kind === 'partner' && Object.values(state.team).some((p) => p.active && p.affiliation.kind === 'partner' && p.affiliation.organisation === reader.organisation));
  if (!hasPart) {
    const who = reader.kind === 'unit' ? `The unit ${reader.unit}` : reader.kind === 'partner' ? `The partner ${reader.organisation}` : 'This reader';
    return { permit: false, reason: `${who} has no part in this family's case and no consent in force covers it.` };
  }

  Object.keys(state.members).forEach((id) => subjects.add(id));
  const filtered: FamilyState = {
    ...state,
    needs: mapValues(needs, (n) => ({
      ...n,
      decisionIds: n.decisionIds.filter((id) => id in decisions),
      paymentIds: n.paymentIds.filter((id) => id in payments),
    })),
    decisions,
    appeals,
    payments: mapValues(payments, (p) => ({
      ...p,
      answersNeedId: p.answersNeedId !== null && p.answersNeedId in needs ? p.answersNeedId : null,
      answersDecisionId: p.answersDecisionId !== null && p.answersDecisionId in decisions ? p.answersDecisionId : null,
    })),
    consents,
    familyDecisions: mapValues(familyDecisions, (f) => ({
      ...f,
      decisions: f.decisions.filter((d) => d.decisionId in decisions),
      consentIds: f.consentIds.filter((id) => id in consents),
    })),
  };
  const count = (all: object, shown: object) => Object.keys(all).length - Object.keys(shown).length;
  return {
    permit: true,
    grant: {
      state: filtered,
      consentIds: [...consentsUsed].sort(),
      categories: [...categories].sort(),
      memberIds: [...subjects].sort(),
      withheld: {
        needs: count(state.needs, needs),
        decisions: count(state.decisions, decisions),
        payments: count(state.payments, payments),
        consents: count(state.consents, consents),
        familyDecisions: count(state.familyDecisions, familyDecisions),
      },
    },
  };
}

/** A unit has a part in the case without records of its own: it registered or coordinates it, sits in the team, or a consent in force names it. */
function unitHasPart(state: FamilyState, unit: Unit, inForce: Consent[]): boolean {
  return (
    state.registeredBy?.unit === unit ||
    state.coordinatingUnit === unit ||
    Object.values(state.team).some((p) => p.active && p.affiliation.kind === 'unit' && p.affiliation.unit === unit) ||
    inForce.some((c) => c.toUnits.includes(unit))
  );
}

/**
 * A consent shows to the unit that recorded it, and to the units it names while it is in
 * force (an ended consent gives a named unit no part in the case); partners see none.
 */
function consentVisible(consent: Consent, reader: Reader, inForceIds: Set<string>): boolean {
  if (reader.kind === 'auditor') return true;
  if (reader.kind !== 'unit') return false;
  return consent.recordedBy?.unit === reader.unit || (consent.toUnits.includes(reader.unit) && inForceIds.has(consent.consentId));
}

/** A family decision shows to its responsible unit and to units whose visible decisions it bundles. */
function familyDecisionVisible(familyDecision: FamilyDecision, reader: Reader, visibleDecisions: Record<string, Decision>): boolean {
  if (reader.kind === 'auditor') return true;
  if (reader.kind !== 'unit') return false;
  return familyDecision.responsibleUnit === reader.unit || familyDecision.decisions.some((d) => d.decisionId in visibleDecisions);
}

/** Every unit or partner that might read something of the family (a superset: the read model prefilters on it). */
export function possibleReaders(state: FamilyState): string[] {
  const keys = new Set<string>();
  const unit = (u: Unit | null | undefined) => u && keys.add(`unit:${u}`);
  const partner = (o: string | null | undefined) => o && keys.add(`partner:${o}`);
  unit(state.registeredBy?.unit);
  unit(state.coordinatingUnit);
  for (const p of Object.values(state.team)) {
    if (p.affiliation.kind === 'unit') unit(p.affiliation.unit);
    else partner(p.affiliation.organisation);
  }
  for (const n of Object.values(state.needs)) {
    const facts = needFacts(n);
    facts.ownerUnits.forEach(unit);
    partner(facts.ownerPartner);
  }
  for (const d of Object.values(state.decisions)) unit(d.unit);
  for (const p of Object.values(state.payments)) {
    const facts = paymentFacts(p);
    facts.ownerUnits.forEach(unit);
    partner(facts.ownerPartner);
  }
  for (const c of Object.values(state.consents)) {
    c.toUnits.forEach(unit);
    unit(c.recordedBy?.unit);
  }
  for (const f of Object.values(state.familyDecisions)) unit(f.responsibleUnit);
  return [...keys].sort();
}

export const readerKey = (reader: Reader): string | null =>
  reader.kind === 'unit' ? `unit:${reader.unit}` : reader.kind === 'partner' ? `partner:${reader.organisation}` : null;

/** Members whose details a reader without clearance must not see (strengt fortrolig adresse). */
export function membersToMask(state: FamilyState, actor: Pick<Actor, 'protectedAddressClearance'>): Member[] {
  if (actor.protectedAddressClearance) return [];
  return Object.values(state.members).filter((m) => m.protectedAddress);
}

/** The details that could lead someone to a member with a protected address. */
export type MaskedMember = Omit<Member, 'name' | 'birthDate' | 'nationalId' | 'preferredLanguage'> & {
  name: null;
  birthDate: null;
  nationalId: null;
  preferredLanguage: null;
  masked: true;
};

/** Keeps what the case needs (id, household role, membership period, the flag itself); blanks who and where. */
export function maskMember(member: Member): MaskedMember {
  return { ...member, name: null, birthDate: null, nationalId: null, preferredLanguage: null, masked: true };
}

/**
 * The family's state as a reader may receive it: the members with a protected address masked
 * and the district withheld (it narrows down where they live), unless the reader has clearance.
 */
/** A family state as a reader without clearance may receive it. */
export type MaskedFamilyState = Omit<FamilyState, 'members' | 'district'> & { members: Record<string, Member | MaskedMember>; district: string | null };

export function maskFamilyState(state: FamilyState, actor: Pick<Actor, 'protectedAddressClearance'>): { state: MaskedFamilyState; maskedMemberIds: string[] } {
  const masked = new Set(membersToMask(state, actor).map((m) => m.memberId));
  if (masked.size === 0) return { state, maskedMemberIds: [] };
  return {
    state: {
      ...state,
      district: null,
      members: Object.fromEntries(Object.entries(state.members).map(([id, m]) => [id, masked.has(id) ? maskMember(m) : m])),
    },
    maskedMemberIds: [...masked].sort(),
  };
}

function pick<T>(records: Record<string, T>, keep: (record: T) => boolean): Record<string, T> {
  return Object.fromEntries(Object.entries(records).filter(([, record]) => keep(record)));
}

function mapValues<T, U>(records: Record<string, T>, map: (record: T) => U): Record<string, U> {
  return Object.fromEntries(Object.entries(records).map(([id, record]) => [id, map(record)]));
}
