import type { Actor } from '../shared/actor';
import type { AddressProtection } from '../family/family.values';
import {
  protectionOf,
  type MaskedFamilyState,
  type MaskedMember,
  type ReadableAppeal,
  type ReadableConsentEvidence,
  type ReadableFamilyState,
  type ReadableMember,
} from './readable-state';
import { maskFamilyPlan } from '../family/family-plan.access';

/**
 * Protected addresses (adressesperre), for readers without the `protected-address` clearance
 * (auditors included): strengt fortrolig (kode 6) hides who and where, fortrolig (kode 7)
 * where. Pure; applied to what familyReadAccess granted, before anything is built from it.
 *
 * - A kode 6 member loses name, birth date (so age), national id and language (`masked: true`).
 * - When any current member has kode 6 or 7, everything that could lead to where the family
 *   lives is withheld: the district, contact persons' names and team roles, partner
 *   organisations' names and numbers, sub-project names, and all free text (need words,
 *   resolutions, reasons, appeal grounds, consent purposes and evidence notes, payment
 *   documentation references, referral reasons). Withheld values are null, and the record
 *   (and the family) carries `withheld: 'protected-address'`.
 */

type Clearance = Pick<Actor, 'protectedAddressClearance'>;

/** Members whose details a reader without clearance must not see (strengt fortrolig adresse, kode 6). */
export function membersToMask<M extends ReadableMember>(state: { members: Record<string, M> }, actor: Clearance): M[] {
  if (actor.protectedAddressClearance) return [];
  return Object.values(state.members).filter((m) => protectionOf(m) === 'strengt-fortrolig');
}

/** The highest address protection among the family's current members (kode 6 above kode 7 above none). */
export function familyProtection(state: { members: Record<string, ReadableMember>; familyProtection?: AddressProtection }): AddressProtection {
  if (state.familyProtection !== undefined) return state.familyProtection;
  const levels = Object.values(state.members ?? {})
    .filter((m) => m.status === 'current')
    .map(protectionOf);
  return levels.includes('strengt-fortrolig') ? 'strengt-fortrolig' : levels.includes('fortrolig') ? 'fortrolig' : 'none';
}

type Family = { members: Record<string, ReadableMember>; familyProtection?: AddressProtection };

/** Whether a current member has a protected address of either level (kode 6 or 7). */
export function hasProtectedAddress(state: Family): boolean {
  return familyProtection(state) !== 'none';
}

/** Whether a current member has strengt fortrolig adresse (kode 6). */
export function hasStrictlyProtectedMember(state: Family): boolean {
  return familyProtection(state) === 'strengt-fortrolig';
}

/** The district, names, places and free text are withheld from this reader. */
export function placesWithheld(state: Family, actor: Clearance): boolean {
  return !actor.protectedAddressClearance && hasProtectedAddress(state);
}

/**
 * Whether the family may be listed to this reader at all: a family with a kode 6 member only to
 * readers with clearance (a list row would place the family among a unit's cases).
 */
export function listedFor(state: Family, actor: Clearance): boolean {
  return Boolean(actor.protectedAddressClearance) || !hasStrictlyProtectedMember(state);
}

/** Keeps what the case needs (id, household role, membership period, the flag itself); blanks who and where. */
export function maskMember(member: ReadableMember): MaskedMember {
  return { ...member, name: null, birthDate: null, nationalId: null, preferredLanguage: null, masked: true };
}

/** The family's state as this reader may receive it (see the module comment). */
export function maskFamilyState(state: ReadableFamilyState, actor: Clearance): { state: MaskedFamilyState; maskedMemberIds: string[] } {
  const masked = new Set(membersToMask(state, actor).map((m) => m.memberId));
  const places = placesWithheld(state, actor);
  if (masked.size === 0 && !places) return { state, maskedMemberIds: [] };
  const members = Object.fromEntries(Object.entries(state.members).map(([id, m]) => [id, masked.has(id) ? maskMember(m) : m]));
  if (!places) return { state: { ...state, members }, maskedMemberIds: [...masked].sort() };
  const W = 'protected-address' as const;
  return {
    state: {
      ...state,
      withheld: W,
      district: null,
      members,
      team: mapValues(state.team, (p) => ({
        ...p,
        name: null,
        teamRole: null,
        affiliation: p.affiliation.kind === 'partner' ? { kind: 'partner' as const, organisation: null, organisationNumber: null } : p.affiliation,
        withheld: W,
      })),
      needs: mapValues(state.needs, (n) => ({
        ...n,
        words: null,
        resolution: null,
        withdrawalReason: null,
        recordedBy: n.recordedBy.kind === 'partner' ? { ...n.recordedBy, organisation: null, organisationNumber: null } : n.recordedBy,
        withheld: W,
      })),
      consents: mapValues(state.consents, (c) => ({ ...c, purpose: null, evidence: maskEvidence(c.evidence), withheld: W })),
      decisions: mapValues(state.decisions, (d) => ({
        ...d,
        reasons: null,
        // Facts, considerations, a child's words and a party's statement can tell where the family lives.
        structuredReasons: d.structuredReasons ? { ...d.structuredReasons, facts: null, mainConsiderations: null, summary: null } : d.structuredReasons,
        childViews: d.childViews ? d.childViews.map((v) => ({ memberId: v.memberId, heard: v.heard, withheld: W })) : null,
        advanceNotices: (d.advanceNotices ?? []).map((n) => ({ ...n, statements: n.statements.map((st) => ({ ...st, summary: null })) })),
        history: d.history.map((h) => ({ ...h, note: null, termsBefore: h.termsBefore ? { ...h.termsBefore, reasons: null } : null })),
        withheld: W,
      })),
      appeals: mapValues(state.appeals, maskAppeal),
      // The letter's document reference can name where it was sent (fvl § 27 notification).
      notifications: mapValues(state.notifications, (n) => ({ ...n, documentRef: null })),
      payments: mapValues(state.payments, (p) => ({
        ...p,
        documentationRef: null,
        reversalReason: null,
        recordedBy: p.recordedBy.partnerOrganisation === null ? p.recordedBy : { ...p.recordedBy, partnerOrganisation: null },
        withheld: W,
      })),
      parts: mapValues(state.parts, (p) => ({ ...p, endReason: null, earlier: (p.earlier ?? []).map((e) => ({ ...e, endReason: null })), withheld: W })),
      referrals: mapValues(state.referrals, (r) => ({ ...r, reason: null, declineReason: null, withheld: W })),
      enrolments: mapValues(state.enrolments, (e) => ({
        ...e,
        subProjectName: null,
        partners: e.partners.map((p) => ({ ...p, name: null, organisationNumber: null })),
        endReason: null,
        withheld: W,
      })),
      parentalResponsibility: mapValues(state.parentalResponsibility, (r) => ({ ...r, documentRef: null, withheld: W })),
      familyPlans: mapValues(state.familyPlans, maskFamilyPlan),
    },
    maskedMemberIds: [...masked].sort(),
  };
}

/**
 * An appeal and its handling (fvl §§ 28-34, 42): the grounds, a representative's name, the
 * assessment's notes and excuse, the investigations, the unit's and the body's reasons and any
 * note are free text; dates, stages and the appeal body's reference stay.
 */
function maskAppeal(a: ReadableAppeal): ReadableAppeal {
  return {
    ...a,
    appellant: a.appellant?.kind === 'representative' ? { ...a.appellant, representative: null } : a.appellant,
    grounds: null,
    lateExcuse: null,
    outcomeReasons: null,
    assessment: a.assessment && {
      ...a.assessment,
      standingNote: null,
      reasons: null,
      excuse: a.assessment.excuse && { ...a.assessment.excuse, explanation: null },
    },
    preparation: a.preparation && { ...a.preparation, investigations: null },
    dismissal: a.dismissal && { ...a.dismissal, reasons: null },
    unitChange: a.unitChange && { ...a.unitChange, reasons: null },
    forwarded: a.forwarded && { ...a.forwarded, unitStatement: null },
    outcome: a.outcome && { ...a.outcome, summary: null },
    withdrawal: a.withdrawal && { ...a.withdrawal, note: null },
    suspension: { ...a.suspension, decision: a.suspension.decision && { ...a.suspension.decision, reasons: null } },
    withheld: 'protected-address',
  };
}

function maskEvidence(evidence: ReadableConsentEvidence | null): ReadableConsentEvidence | null {
  if (evidence === null) return null;
  return evidence.form === 'written' ? { form: 'written', documentRef: null } : { ...evidence, note: null };
}

function mapValues<T, U>(records: Record<string, T>, map: (record: T) => U): Record<string, U> {
  return Object.fromEntries(Object.entries(records ?? {}).map(([id, record]) => [id, map(record)]));
}
