import type { DecisionTypeCode } from '../../delegation/decision-type.catalogue';
import type { FamilyEvent } from '../../family/family.events';
import { foldFamily } from '../../family/family.evolve';
import type { FamilyState } from '../../family/family.state';
import type { AddressProtection, ConsentKind, DataCategory, EnrolledPartner, MemberDetails, ReferralGround } from '../../family/family.values';
import type { ActorRef } from '../../shared/actor';
import type { Unit } from '../../shared/units';
import { familyReadAccess, type FamilyReadGrant, type Reader } from '../family-read-access';

/**
 * Small, explicit event builders for the read-access specs (schema 2 events, as the deciders
 * write them). States are folded with the domain's own fold, so they are exactly what the API
 * folds from a stream. Not a decider history: the access rules are tested on any state.
 */

export const AT = '2026-11-01T09:00:00.000Z';
export const DELEGATION = { ruleSetId: 'trondheim-2023', ruleSetVersion: 1, ruleId: 'r' };
export const NO_AMOUNTS = { monthlyAmountOre: null, oneOffAmountOre: null };

export const RED_CROSS = '971373032';
export const SAUPSTAD_IL = '993155497';
export const BYMISJON = '982523281';

export const unitRef = (unit: Unit, role: ActorRef['role'] = 'caseworker'): ActorRef => ({
  userId: `${unit.toLowerCase()}-${role}`,
  role,
  unit,
  partnerOrganisation: null,
});
export const partnerRef = (organisationNumber: string): ActorRef => ({
  userId: 'partner-user',
  role: 'partner',
  unit: null,
  partnerOrganisation: organisationNumber,
});
const stampBy = (by: ActorRef, at = AT) => ({ at, by });

export const adult = (memberId: string, extra: Partial<MemberDetails> = {}): MemberDetails => ({
  memberId,
  name: `Adult ${memberId}`,
  birthDate: '1988-03-02',
  role: 'adult',
  nationalId: null,
  preferredLanguage: 'so',
  protectedAddress: false,
  addressProtection: 'none',
  ...extra,
});
export const child = (memberId: string, extra: Partial<MemberDetails> = {}): MemberDetails => ({
  memberId,
  name: `Child ${memberId}`,
  birthDate: '2016-09-14',
  role: 'child',
  nationalId: null,
  preferredLanguage: null,
  protectedAddress: false,
  addressProtection: 'none',
  ...extra,
});
export const protectedBy = (level: AddressProtection): Partial<MemberDetails> => ({ addressProtection: level, protectedAddress: level !== 'none' });

export const ev = {
  registered: (members: MemberDetails[], by: Unit = 'NAV', district = 'Heimdal'): FamilyEvent => ({
    type: 'FamilyRegistered',
    data: { familyId: 'fam', district, registeredOn: '2026-01-05', members, parentalResponsibility: [], ...stampBy(unitRef(by)) },
  }),
  parental: (childId: string, holderId: string): FamilyEvent => ({
    type: 'ParentalResponsibilityRecorded',
    data: { childId, holderId, basis: 'birth-registration', documentRef: 'FREG-1', since: '2026-01-05', ...stampBy(unitRef('NAV')) },
  }),
  memberLeft: (memberId: string): FamilyEvent => ({ type: 'MemberLeft', data: { memberId, leftOn: '2026-06-01', reason: null, ...stampBy(unitRef('NAV')) } }),
  referral: (
    referralId: string,
    fromUnit: Unit,
    toUnit: Unit,
    memberIds: string[],
    ground: ReferralGround = 'consent',
    consentIds: string[] = [],
  ): FamilyEvent => ({
    type: 'ReferralRecorded',
    data: { referralId, fromUnit, toUnit, memberIds, reason: `Referred from ${fromUnit} in Heimdal`, ground, consentIds, ...stampBy(unitRef(fromUnit)) },
  }),
  accepted: (referralId: string, unit: Unit): FamilyEvent => ({
    type: 'ReferralAccepted',
    data: { referralId, unit, since: '2026-02-01', ...stampBy(unitRef(unit)) },
  }),
  declined: (referralId: string, unit: Unit): FamilyEvent => ({
    type: 'ReferralDeclined',
    data: { referralId, unit, reason: 'Not ours', ...stampBy(unitRef(unit)) },
  }),
  /** A referral from `from` that `to` accepted: `to` gets a part. */
  part: (to: Unit, from: Unit = 'NAV', memberIds: string[] = [], referralId = `ref-${to}`): FamilyEvent[] => [
    ev.referral(referralId, from, to, memberIds),
    ev.accepted(referralId, to),
  ],
  closed: (unit: Unit, contactPersonIds: string[] = []): FamilyEvent => ({
    type: 'InvolvementClosed',
    data: { unit, reason: 'Our work is done', contactPersonIds, ...stampBy(unitRef(unit)) },
  }),
  enrolled: (
    enrolmentId: string,
    responsibleUnit: Unit,
    memberIds: string[],
    partners: EnrolledPartner[],
    subProjectName = 'Fritid i Heimdal',
  ): FamilyEvent => ({
    type: 'FamilyEnrolled',
    data: { enrolmentId, subProjectId: `sp-${enrolmentId}`, subProjectName, responsibleUnit, memberIds, partners, ...stampBy(unitRef(responsibleUnit)) },
  }),
  enrolmentEnded: (enrolmentId: string, unit: Unit): FamilyEvent => ({
    type: 'EnrolmentEnded',
    data: { enrolmentId, reason: 'Season over', contactPersonIds: [], ...stampBy(unitRef(unit)) },
  }),
  need: (needId: string, by: Unit | { partner: string; name?: string }, memberId: string | null, words = 'Words'): FamilyEvent => ({
    type: 'NeedExpressed',
    data: {
      needId,
      memberId,
      words,
      expressedOn: '2026-09-01',
      recordedBy:
        typeof by === 'string'
          ? { kind: 'unit', unit: by, userId: `${by}-cw` }
          : { kind: 'partner', organisation: by.name ?? `Org ${by.partner}`, organisationNumber: by.partner, userId: 'partner-user' },
      ...stampBy(typeof by === 'string' ? unitRef(by) : partnerRef(by.partner)),
    },
  }),
  pickUp: (needId: string, unit: Unit): FamilyEvent => ({ type: 'NeedPickedUp', data: { needId, unit, ...stampBy(unitRef(unit)) } }),
  resolve: (needId: string, decisionIds: string[], paymentIds: string[], resolution: string | null = null, by: Unit = 'NAV'): FamilyEvent => ({
    type: 'NeedResolved',
    data: { needId, decisionIds, paymentIds, resolution, ...stampBy(unitRef(by)) },
  }),
  decision: (decisionId: string, unit: Unit, decisionType: DecisionTypeCode, memberIds: string[], approved = true): FamilyEvent[] => [
    {
      type: 'DecisionProposed',
      data: {
        decisionId,
        unit,
        decisionType,
        memberIds,
        legalBasis: null,
        periodFrom: '2026-10-01',
        periodUntil: '2027-09-30',
        amounts: NO_AMOUNTS,
        reasons: 'Reasons',
        enkeltvedtak: true,
        fourEyes: true,
        subProject: null,
        delegation: DELEGATION,
        ...stampBy(unitRef(unit)),
      },
    },
    ...(approved
      ? [
          {
            type: 'DecisionApproved',
            data: { decisionId, notifiedOn: '2026-10-02', delegation: DELEGATION, ...stampBy(unitRef(unit, 'approver')) },
          } as FamilyEvent,
        ]
      : []),
  ],
  appeal: (appealId: string, decisionId: string, unit: Unit): FamilyEvent => ({
    type: 'AppealReceived',
    data: {
      appealId,
      decisionId,
      appellantMemberId: null,
      grounds: 'Too little',
      receivedDate: '2026-10-10',
      deadline: '2026-10-23',
      late: false,
      lateExcuse: null,
      ...stampBy(unitRef(unit)),
    },
  }),
  payment: (paymentId: string, unit: Unit, recipientMemberId: string, links: { answersDecisionId?: string; answersNeedId?: string } = {}): FamilyEvent => ({
    type: 'PaymentRecorded',
    data: {
      paymentId,
      recipientMemberId,
      amountOre: 100_000,
      method: 'bank-transfer',
      funding: { kind: 'unit', unit },
      answersNeedId: links.answersNeedId ?? null,
      answersDecisionId: links.answersDecisionId ?? null,
      documentationRef: 'BILAG Heimdal',
      paidOn: '2026-11-01',
      countsAsIncome: true,
      ...stampBy(unitRef(unit)),
    },
  }),
  partnerPayment: (paymentId: string, organisationNumber: string, recipientMemberId: string, subProjectId = 'sp-e1'): FamilyEvent => ({
    type: 'PaymentRecorded',
    data: {
      paymentId,
      recipientMemberId,
      amountOre: 50_000,
      method: 'gift-card',
      funding: { kind: 'sub-project', subProjectId },
      answersNeedId: null,
      answersDecisionId: null,
      documentationRef: 'KVITTERING',
      paidOn: '2026-11-01',
      countsAsIncome: false,
      ...stampBy(partnerRef(organisationNumber)),
    },
  }),
  consent: (
    consentId: string,
    memberId: string,
    toUnits: Unit[],
    dataCategories: DataCategory[],
    options: { givenBy?: string; validFrom?: string; validUntil?: string | null; kind?: ConsentKind; recordedBy?: Unit; sourceUnits?: Unit[] | null } = {},
  ): FamilyEvent => ({
    type: 'ConsentGiven',
    data: {
      consentId,
      memberId,
      givenByMemberId: options.givenBy ?? memberId,
      givenAsGuardian: (options.givenBy ?? memberId) !== memberId,
      kind: options.kind ?? 'information-sharing',
      sourceUnits: options.sourceUnits === undefined ? null : options.sourceUnits,
      toUnits,
      dataCategories,
      purpose: 'Purpose: help in Heimdal',
      validFrom: options.validFrom ?? '2026-01-01',
      validUntil: options.validUntil === undefined ? '2027-12-31' : options.validUntil,
      evidence: { form: 'written', documentRef: 'ARK-2026-1' },
      ...stampBy(unitRef(options.recordedBy ?? 'NAV')),
    },
  }),
  withdrawn: (consentId: string, effectiveFrom: string, options: { alertedUnits?: Unit[]; by?: Unit; at?: string } = {}): FamilyEvent => ({
    type: 'ConsentWithdrawn',
    data: {
      consentId,
      effectiveFrom,
      reason: 'Changed my mind',
      expressedByMemberId: null,
      channel: 'orally',
      alertedUnits: options.alertedUnits ?? [],
      ...stampBy(unitRef(options.by ?? 'NAV'), options.at),
    },
  }),
  team: (
    personId: string,
    affiliation: { kind: 'unit'; unit: Unit } | { kind: 'partner'; organisation: string; organisationNumber: string | null },
    teamRole: string | null = null,
  ): FamilyEvent => ({
    type: 'ContactPersonJoined',
    data: { personId, name: `Contact ${personId}`, affiliation, teamRole, ...stampBy(unitRef('NAV')) },
  }),
  teamLeft: (personId: string): FamilyEvent => ({ type: 'ContactPersonLeft', data: { personId, ...stampBy(unitRef('NAV')) } }),
  coordinating: (unit: Unit): FamilyEvent => ({ type: 'CoordinatingUnitNamed', data: { unit, previousUnit: null, ...stampBy(unitRef(unit)) } }),
  familyDecision: (
    familyDecisionId: string,
    responsibleUnit: Unit,
    decisions: Array<{ decisionId: string; unit: Unit; decisionType: DecisionTypeCode; memberIds: string[] }>,
    consentIds: string[],
  ): FamilyEvent => ({
    type: 'FamilyDecisionIssued',
    data: {
      familyDecisionId,
      responsibleUnit,
      contactPersonId: 'p-1',
      consentIds,
      ruleSetId: 'trondheim-2023',
      ruleSetVersion: 1,
      supersedes: null,
      reviewDate: '2027-05-31',
      decisions: decisions.map((d) => ({ ...d, legalBasis: null, periodFrom: '2026-10-01', periodUntil: '2027-09-30' })),
      ...stampBy(unitRef(responsibleUnit, 'approver')),
    },
  }),
};

export const fold = (...events: Array<FamilyEvent | FamilyEvent[]>): FamilyState => foldFamily(events.flat());

/** The state after more events. */
export const extend = (state: FamilyState, ...events: Array<FamilyEvent | FamilyEvent[]>): FamilyState => foldFamily(events.flat(), state);

/** The day the read-access specs read on, and their readers. */
export const TODAY = '2026-11-27';
export const unitReader = (u: Unit): Reader => ({ kind: 'unit', unit: u });
export const partnerReader = (organisationNumber: string): Reader => ({ kind: 'partner', organisationNumber });
export const AUDITOR: Reader = { kind: 'auditor' };

/** The grant a reader gets; a refusal fails the test with its reason. */
export function grant(state: FamilyState, reader: Reader, today = TODAY): FamilyReadGrant {
  const decided = familyReadAccess(state, reader, today);
  if (!decided.permit) throw new Error(`expected a permit, got: ${decided.reason}`);
  return decided.grant;
}

/** The sorted keys of a record map. */
export const ids = (records: object) => Object.keys(records).sort();
