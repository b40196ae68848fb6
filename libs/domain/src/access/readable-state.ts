import type {
  Appeal,
  CasePart,
  Consent,
  ContactPerson,
  Decision,
  DecisionHistoryEntry,
  Enrolment,
  FamilyDecision,
  FamilyState,
  Member,
  Need,
  ParentalResponsibility,
  Payment,
  Referral,
} from '../family/family.state';
import type { Unit } from '../shared/units';
import type { AddressProtection, ConsentEvidence, DecisionTerms, EnrolledPartner, NeedRecorder } from '../family/family.values';
import type { StructuredReasons } from '../family/decision-reasons';
import type { AdvanceNotice, PartyStatement } from '../family/decision-advance-notice';
import type { ReadableFamilyPlan } from '../family/family-plan.types';

/**
 * The family as a reader receives it: the folded state with only the records the reader may
 * see (familyReadAccess), then, for readers without the protected-address clearance, with
 * who and where withheld (maskFamilyState). Every FamilyState is a ReadableFamilyState; the
 * widening is only that withheld values are null and carry a marker.
 *
 * Readers build it from markErasedFields (erasure-markers.ts): a catalogued field whose record
 * key was erased then holds `{ erased: { on, rule, provision } }` instead of its text. The types
 * here keep the text's type; the shapes that expose such fields to callers say `Erasable` (the
 * family view's members, needs, payments and plan, the list rows, subject access).
 */

/** Put on every record (and the family) whose names, places or free text were withheld. */
export type WithheldMarker = { withheld?: 'protected-address' };

/** A member of whom the reader sees the name only (partners, a unit with a referral and no part). */
export type NameOnlyMember = Omit<Member, 'birthDate' | 'nationalId' | 'preferredLanguage'> & {
  birthDate: null;
  nationalId: null;
  preferredLanguage: null;
  nameOnly: true;
};

/** A member with strengt fortrolig adresse (kode 6) for a reader without clearance: who is withheld too. */
export type MaskedMember = Omit<Member, 'name' | 'birthDate' | 'nationalId' | 'preferredLanguage'> & {
  name: null;
  birthDate: null;
  nationalId: null;
  preferredLanguage: null;
  masked: true;
  nameOnly?: true;
};

export type ReadableMember = Member | NameOnlyMember | MaskedMember;

export type ReadableAffiliation = { kind: 'unit'; unit: Unit } | { kind: 'partner'; organisation: string | null; organisationNumber: string | null };

export type ReadableContactPerson = Omit<ContactPerson, 'name' | 'affiliation'> & { name: string | null; affiliation: ReadableAffiliation } & WithheldMarker;

export type ReadableNeedRecorder =
  Extract<NeedRecorder, { kind: 'unit' }> | { kind: 'partner'; organisation: string | null; organisationNumber: string | null; userId: string };

export type ReadableNeed = Omit<Need, 'words' | 'recordedBy'> & { words: string | null; recordedBy: ReadableNeedRecorder } & WithheldMarker;

export type ReadableConsentEvidence =
  ConsentEvidence | { form: 'written'; documentRef: null } | { form: 'oral'; documentedBy: string; documentedAt: string; note: null };

export type ReadableConsent = Omit<Consent, 'purpose' | 'evidence'> & { purpose: string | null; evidence: ReadableConsentEvidence | null } & WithheldMarker;

export type ReadableTerms = Omit<DecisionTerms, 'reasons'> & { reasons: string | null };

export type ReadableDecisionHistoryEntry = Omit<DecisionHistoryEntry, 'termsBefore'> & { termsBefore: ReadableTerms | null };

/** Free text of structured reasons, children's views and party statements is withheld (null) like the reasons. */
export type ReadableStructuredReasons = Omit<StructuredReasons, 'facts' | 'mainConsiderations' | 'summary'> & {
  facts: string | null;
  mainConsiderations: string | null;
  summary: string | null;
};
export type ReadableChildView = { memberId: string; heard: boolean; withheld?: 'protected-address' } & Record<string, unknown>;
export type ReadableDecision = Omit<Decision, 'reasons' | 'history' | 'structuredReasons' | 'childViews' | 'advanceNotices'> & {
  reasons: string | null;
  history: ReadableDecisionHistoryEntry[];
  structuredReasons: ReadableStructuredReasons;
  childViews: ReadableChildView[] | null;
  advanceNotices: (Omit<AdvanceNotice, 'statements'> & { statements: (Omit<PartyStatement, 'summary'> & { summary: string | null })[] })[];
} & WithheldMarker;

/** Nullable where a protected address withholds free text (and a representative's name). */
type Withholdable<T, K extends keyof T> = Omit<T, K> & { [P in K]: T[P] | null };
type Step<K extends keyof Appeal> = NonNullable<Appeal[K]>;

/** The free text of an appeal and its handling is withheld (null) like the grounds; so is the name of a representative. */
export type ReadableAppeal = Omit<
  Appeal,
  'appellant' | 'assessment' | 'preparation' | 'dismissal' | 'unitChange' | 'forwarded' | 'outcome' | 'withdrawal' | 'suspension'
> & {
  appellant: Extract<Appeal['appellant'], { kind: 'member' } | null> | Withholdable<Extract<Appeal['appellant'], { kind: 'representative' }>, 'representative'>;
  assessment:
    | (Omit<Withholdable<Step<'assessment'>, 'standingNote' | 'reasons'>, 'excuse'> & {
        excuse: Withholdable<NonNullable<Step<'assessment'>['excuse']>, 'explanation'> | null;
      })
    | null;
  preparation: Withholdable<Step<'preparation'>, 'investigations'> | null;
  dismissal: Withholdable<Step<'dismissal'>, 'reasons'> | null;
  unitChange: Withholdable<Step<'unitChange'>, 'reasons'> | null;
  forwarded: Withholdable<Step<'forwarded'>, 'unitStatement'> | null;
  outcome: Withholdable<Step<'outcome'>, 'summary'> | null;
  withdrawal: Step<'withdrawal'> | null;
  suspension: { requestedOn: Appeal['suspension']['requestedOn']; decision: Step<'suspension'>['decision'] };
  /** The schema ≤ 2 names of the excuse and the outcome's reasons: null in a masked appeal, as before. */
  lateExcuse?: null;
  outcomeReasons?: null;
} & WithheldMarker;

export type ReadablePayment = Omit<Payment, 'documentationRef'> & { documentationRef: string | null } & WithheldMarker;

export type ReadableReferral = Omit<Referral, 'reason'> & { reason: string | null } & WithheldMarker;

export type ReadableEnrolledPartner = Omit<EnrolledPartner, 'name' | 'organisationNumber'> & { name: string | null; organisationNumber: string | null };

export type ReadableEnrolment = Omit<Enrolment, 'subProjectName' | 'partners'> & {
  subProjectName: string | null;
  partners: ReadableEnrolledPartner[];
} & WithheldMarker;

export type ReadablePart = CasePart & WithheldMarker;

export type ReadableParentalResponsibility = ParentalResponsibility & WithheldMarker;

export type ReadableFamilyDecision = FamilyDecision;

export type ReadableFamilyState = Omit<
  FamilyState,
  | 'members'
  | 'team'
  | 'needs'
  | 'consents'
  | 'decisions'
  | 'appeals'
  | 'payments'
  | 'parts'
  | 'referrals'
  | 'enrolments'
  | 'parentalResponsibility'
  | 'familyPlans'
> & {
  members: Record<string, ReadableMember>;
  team: Record<string, ReadableContactPerson>;
  needs: Record<string, ReadableNeed>;
  consents: Record<string, ReadableConsent>;
  decisions: Record<string, ReadableDecision>;
  appeals: Record<string, ReadableAppeal>;
  payments: Record<string, ReadablePayment>;
  parts: Record<string, ReadablePart>;
  referrals: Record<string, ReadableReferral>;
  enrolments: Record<string, ReadableEnrolment>;
  parentalResponsibility: Record<string, ReadableParentalResponsibility>;
  /** The family's plans the reader sees (free text null when withheld). */
  familyPlans: Record<string, ReadableFamilyPlan>;
  /** Set when the district, names, places and free text were withheld (protected address, no clearance). */
  withheld?: 'protected-address';
  /**
   * The highest address protection among the family's current members, set by familyReadAccess
   * when the reader sees only some members (masking is decided on the whole family, not on
   * the members a reader happens to see). Absent: decided from `members`.
   */
  familyProtection?: AddressProtection;
};

/** The state a reader without clearance receives (kept as a name: it is what maskFamilyState returns). */
export type MaskedFamilyState = ReadableFamilyState;

/** A member's level of address protection; states folded before the level was kept have only the flag (kode 6 then). */
export function protectionOf(member: Pick<Member, 'protectedAddress'> & { addressProtection?: AddressProtection }): AddressProtection {
  return member.addressProtection ?? (member.protectedAddress ? 'strengt-fortrolig' : 'none');
}
