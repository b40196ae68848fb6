import { TRONDHEIM_2023_RULE_SET } from '../delegation/trondheim-2023.rule-set';
import { familyDecider } from '../family/family.decider';
import type {
  ConsentGiven,
  ContactPersonJoined,
  DecisionApproved,
  DecisionProposed,
  FamilyEvent,
  FamilyRegistered,
  NeedExpressed,
  PaymentRecorded,
} from '../family/family.events';
import type { DecisionAmounts, DelegationRef, MemberDetails } from '../family/family.values';
import type { Actor } from '../shared/actor';
import type { DecisionContext } from '../shared/decision-context';
import { stamp, type Stamp } from '../shared/stamp';
import { deciderSpecification, sequentialIds } from './decider-specification';

/**
 * A refugee family in Trondheim, shaped by the pilot: two adults and three children.
 * "Today" is Friday 15 March 2024, 10:00 in Oslo.
 */

export const NOW = new Date('2024-03-15T09:00:00.000Z');
export const TODAY = '2024-03-15';

export const actors = {
  navCaseworker: { userId: 'kari.nav', role: 'caseworker', unit: 'NAV' },
  navApprover: { userId: 'ola.nav', role: 'approver', unit: 'NAV' },
  bftCaseworker: { userId: 'siri.bft', role: 'caseworker', unit: 'BFT' },
  bftApprover: { userId: 'per.bft', role: 'approver', unit: 'BFT' },
  hvkCaseworker: { userId: 'anne.hvk', role: 'caseworker', unit: 'HVK' },
  hvkApprover: { userId: 'jon.hvk', role: 'approver', unit: 'HVK' },
  innCaseworker: { userId: 'maja.inn', role: 'caseworker', unit: 'INN' },
  innApprover: { userId: 'knut.inn', role: 'approver', unit: 'INN' },
  school: { userId: 'lise.school', role: 'partner', partnerOrganisation: 'Saupstad skole' },
  auditor: { userId: 'eva.audit', role: 'auditor' },
} satisfies Record<string, Actor>;

export function familyContext(overrides: Partial<DecisionContext> = {}): DecisionContext {
  return { now: NOW, newId: sequentialIds(), actor: actors.navCaseworker, ruleSet: TRONDHEIM_2023_RULE_SET, ...overrides };
}

export const familySpec = deciderSpecification(familyDecider, familyContext);

/** Stamp of an event decided at NOW by `actor`. */
export function by(actor: Actor, at: Date = NOW): Stamp {
  return stamp({ now: at, actor });
}

export const members = {
  amina: {
    memberId: 'm-amina',
    name: 'Amina Hassan',
    birthDate: '1988-05-02',
    role: 'adult',
    nationalId: null,
    preferredLanguage: 'so',
    protectedAddress: false,
  },
  yusuf: {
    memberId: 'm-yusuf',
    name: 'Yusuf Hassan',
    birthDate: '1985-11-20',
    role: 'adult',
    nationalId: '20118512345',
    preferredLanguage: 'so',
    protectedAddress: false,
  },
  leila: {
    memberId: 'm-leila',
    name: 'Leila Hassan',
    birthDate: '2007-06-30',
    role: 'child',
    nationalId: null,
    preferredLanguage: 'nb',
    protectedAddress: false,
  },
  sara: {
    memberId: 'm-sara',
    name: 'Sara Hassan',
    birthDate: '2012-09-01',
    role: 'child',
    nationalId: null,
    preferredLanguage: null,
    protectedAddress: false,
  },
  omar: {
    memberId: 'm-omar',
    name: 'Omar Hassan',
    birthDate: '2020-01-10',
    role: 'child',
    nationalId: null,
    preferredLanguage: null,
    protectedAddress: false,
  },
} satisfies Record<string, MemberDetails>;

export const familyRegistered: FamilyRegistered = {
  type: 'FamilyRegistered',
  data: {
    familyId: 'fam-1',
    district: 'Heimdal',
    registeredOn: '2024-01-08',
    members: [members.amina, members.yusuf, members.leila, members.sara, members.omar],
    ...by(actors.navCaseworker, new Date('2024-01-08T08:00:00.000Z')),
  },
};

export function delegation(ruleId: string): DelegationRef {
  return { ruleSetId: 'trondheim-2023', ruleSetVersion: 1, ruleId };
}

export const noAmounts: DecisionAmounts = { monthlyAmountOre: null, oneOffAmountOre: null };

/** NAV's social assistance for both adults, 1 Feb - 31 Jul 2024, 12,500 NOK a month. */
export const socialAssistanceProposed: DecisionProposed = {
  type: 'DecisionProposed',
  data: {
    decisionId: 'd-nav',
    unit: 'NAV',
    decisionType: 'economic-social-assistance',
    memberIds: ['m-amina', 'm-yusuf'],
    legalBasis: 'Lov om sosiale tjenester i NAV § 18',
    periodFrom: '2024-02-01',
    periodUntil: '2024-07-31',
    amounts: { monthlyAmountOre: 1_250_000, oneOffAmountOre: null },
    reasons: 'The household has no income while both adults take Norwegian courses.',
    enkeltvedtak: true,
    fourEyes: true,
    subProject: null,
    delegation: delegation('nav-social-assistance'),
    ...by(actors.navCaseworker, new Date('2024-02-01T09:00:00.000Z')),
  },
};

export const socialAssistanceApproved: DecisionApproved = {
  type: 'DecisionApproved',
  data: {
    decisionId: 'd-nav',
    notifiedOn: '2024-02-02',
    delegation: delegation('nav-social-assistance'),
    ...by(actors.navApprover, new Date('2024-02-02T09:00:00.000Z')),
  },
};

/** BFT's support measure for Sara (11), 1 Mar - 31 Dec 2024. */
export const childWelfareProposed: DecisionProposed = {
  type: 'DecisionProposed',
  data: {
    decisionId: 'd-bft',
    unit: 'BFT',
    decisionType: 'child-welfare-support-measure',
    memberIds: ['m-sara'],
    legalBasis: 'Barnevernsloven § 3-1',
    periodFrom: '2024-03-01',
    periodUntil: '2024-12-31',
    amounts: noAmounts,
    reasons: 'Sara needs a support contact after school.',
    enkeltvedtak: true,
    fourEyes: true,
    subProject: null,
    delegation: delegation('bft-child-welfare-support'),
    ...by(actors.bftCaseworker, new Date('2024-03-01T09:00:00.000Z')),
  },
};

export const childWelfareApproved: DecisionApproved = {
  type: 'DecisionApproved',
  data: {
    decisionId: 'd-bft',
    notifiedOn: '2024-03-04',
    delegation: delegation('bft-child-welfare-support'),
    ...by(actors.bftApprover, new Date('2024-03-04T09:00:00.000Z')),
  },
};

/** A team with a contact person from NAV and one from BFT. */
export const navContactJoined: ContactPersonJoined = {
  type: 'ContactPersonJoined',
  data: {
    personId: 'p-kari',
    name: 'Kari Nordmann',
    affiliation: { kind: 'unit', unit: 'NAV' },
    teamRole: 'caseworker',
    ...by(actors.navCaseworker, new Date('2024-01-08T08:00:00.000Z')),
  },
};

export const bftContactJoined: ContactPersonJoined = {
  type: 'ContactPersonJoined',
  data: {
    personId: 'p-siri',
    name: 'Siri Berg',
    affiliation: { kind: 'unit', unit: 'BFT' },
    teamRole: null,
    ...by(actors.bftCaseworker, new Date('2024-01-09T08:00:00.000Z')),
  },
};

export const needExpressed: NeedExpressed = {
  type: 'NeedExpressed',
  data: {
    needId: 'n-1',
    memberId: 'm-sara',
    words: 'Jeg vil gå på fotball med de andre i klassen.',
    expressedOn: '2024-02-20',
    recordedBy: { kind: 'partner', organisation: 'Saupstad skole', userId: 'lise.school' },
    ...by(actors.school, new Date('2024-02-20T12:00:00.000Z')),
  },
};

export const navPaymentRecorded: PaymentRecorded = {
  type: 'PaymentRecorded',
  data: {
    paymentId: 'pay-1',
    recipientMemberId: 'm-amina',
    amountOre: 1_250_000,
    method: 'bank-transfer',
    funding: { kind: 'unit', unit: 'NAV' },
    answersNeedId: null,
    answersDecisionId: 'd-nav',
    documentationRef: 'NAV-2024-0301',
    paidOn: '2024-03-01',
    countsAsIncome: false,
    ...by(actors.navCaseworker, new Date('2024-03-01T10:00:00.000Z')),
  },
};

/** A 'combine-family-decision' consent from an adult, to NAV, BFT and HVK, from 1 March. */
export function combineConsent(consentId: string, memberId: string): ConsentGiven {
  return {
    type: 'ConsentGiven',
    data: {
      consentId,
      memberId,
      givenByMemberId: memberId,
      givenAsGuardian: false,
      kind: 'combine-family-decision',
      toUnits: ['NAV', 'BFT', 'HVK'],
      dataCategories: ['decisions', 'payments'],
      purpose: 'One family decision with one contact person.',
      validFrom: '2024-03-01',
      validUntil: null,
      ...by(actors.navCaseworker, new Date('2024-03-01T10:00:00.000Z')),
    },
  };
}

/** The family with both decisions active, as most decision specs start. */
export const withActiveDecisions: FamilyEvent[] = [
  familyRegistered,
  socialAssistanceProposed,
  socialAssistanceApproved,
  childWelfareProposed,
  childWelfareApproved,
];
