import { TRONDHEIM_2023_RULE_SET } from '../delegation/trondheim-2023.rule-set';
import { familyDecider } from '../family/family.decider';
import type {
  ConsentGiven,
  ContactPersonJoined,
  ContactPersonLeft,
  DecisionApproved,
  DecisionProposed,
  FamilyEnrolled,
  FamilyEvent,
  FamilyRegistered,
  MemberLeft,
  NeedExpressed,
  ParentalResponsibilityInput,
  PaymentRecorded,
  ReferralAccepted,
  ReferralRecorded,
} from '../family/family.events';
import type {
  Affiliation,
  ConsentKind,
  DataCategory,
  DecisionAmounts,
  DelegationRef,
  EnrolledPartner,
  MemberDetails,
  SubProjectFacts,
} from '../family/family.values';
import type { Actor } from '../shared/actor';
import type { DecisionContext } from '../shared/decision-context';
import { stamp, type Stamp } from '../shared/stamp';
import type { Unit } from '../shared/units';
import { deciderSpecification, sequentialIds } from './decider-specification';

/**
 * A refugee family in Trondheim, shaped by the pilot: two adults and three children.
 * "Today" is Friday 15 March 2024, 10:00 in Oslo.
 *
 * NAV registered the family (8 January), so NAV has a part in the case from the start. Every
 * other unit takes part only by accepting a referral: `referralAccepted('BFT')` is the history
 * that gives BFT its part. Both parents hold parental responsibility for the three children.
 * The school (Saupstad skole, organisation number 974123456) acts for the children only
 * through their enrolment in BFT's sub-project Barnas stemme (`schoolEnrolled`).
 */

export const NOW = new Date('2024-03-15T09:00:00.000Z');
export const TODAY = '2024-03-15';

/** Saupstad skole in Enhetsregisteret: partners are identified by this number, never by name. */
export const SCHOOL_ORGANISATION_NUMBER = '974123456';
/** Heimdal IL, a sports club: a partner organisation that is not enrolled with the family. */
export const CLUB_ORGANISATION_NUMBER = '983456789';

export const actors = {
  navCaseworker: { userId: 'kari.nav', role: 'caseworker', unit: 'NAV' },
  navApprover: { userId: 'ola.nav', role: 'approver', unit: 'NAV' },
  bftCaseworker: { userId: 'siri.bft', role: 'caseworker', unit: 'BFT' },
  bftApprover: { userId: 'per.bft', role: 'approver', unit: 'BFT' },
  hvkCaseworker: { userId: 'anne.hvk', role: 'caseworker', unit: 'HVK' },
  hvkApprover: { userId: 'jon.hvk', role: 'approver', unit: 'HVK' },
  innCaseworker: { userId: 'maja.inn', role: 'caseworker', unit: 'INN' },
  innApprover: { userId: 'knut.inn', role: 'approver', unit: 'INN' },
  school: { userId: 'lise.school', role: 'partner', partnerOrganisation: SCHOOL_ORGANISATION_NUMBER },
  club: { userId: 'tor.club', role: 'partner', partnerOrganisation: CLUB_ORGANISATION_NUMBER },
  auditor: { userId: 'eva.audit', role: 'auditor' },
} satisfies Record<string, Actor>;

/** A caseworker of each unit, for tests that go through the units. */
export const caseworkerOf: Record<Unit, Actor> = {
  NAV: actors.navCaseworker,
  BFT: actors.bftCaseworker,
  HVK: actors.hvkCaseworker,
  INN: actors.innCaseworker,
  OPPVEKST: { userId: 'mona.oppvekst', role: 'caseworker', unit: 'OPPVEKST' },
};

export function familyContext(overrides: Partial<DecisionContext> = {}): DecisionContext {
  return { now: NOW, newId: sequentialIds(), actor: actors.navCaseworker, ruleSet: TRONDHEIM_2023_RULE_SET, ...overrides };
}

export const familySpec = deciderSpecification(familyDecider, familyContext);

/** Stamp of an event decided at NOW by `actor`. */
export function by(actor: Actor, at: Date | string = NOW): Stamp {
  return stamp({ now: typeof at === 'string' ? new Date(at) : at, actor });
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
    addressProtection: 'none',
  },
  yusuf: {
    memberId: 'm-yusuf',
    name: 'Yusuf Hassan',
    birthDate: '1985-11-20',
    role: 'adult',
    nationalId: '20118512345',
    preferredLanguage: 'so',
    protectedAddress: false,
    addressProtection: 'none',
  },
  /** 16 on 30 June 2023: consents to health matters herself (pbrl § 4-3). */
  leila: {
    memberId: 'm-leila',
    name: 'Leila Hassan',
    birthDate: '2007-06-30',
    role: 'child',
    nationalId: null,
    preferredLanguage: 'nb',
    protectedAddress: false,
    addressProtection: 'none',
  },
  /** 11 today. */
  sara: {
    memberId: 'm-sara',
    name: 'Sara Hassan',
    birthDate: '2012-09-01',
    role: 'child',
    nationalId: null,
    preferredLanguage: null,
    protectedAddress: false,
    addressProtection: 'none',
  },
  omar: {
    memberId: 'm-omar',
    name: 'Omar Hassan',
    birthDate: '2020-01-10',
    role: 'child',
    nationalId: null,
    preferredLanguage: null,
    protectedAddress: false,
    addressProtection: 'none',
  },
} satisfies Record<string, MemberDetails>;

/** Both parents hold parental responsibility for each child, from the birth registration. */
export const parentsOfTheChildren: ParentalResponsibilityInput[] = ['m-leila', 'm-sara', 'm-omar'].flatMap((childId) =>
  ['m-amina', 'm-yusuf'].map((holderId) => ({ childId, holderId, basis: 'birth-registration' as const, documentRef: null })),
);

export const familyRegistered: FamilyRegistered = {
  type: 'FamilyRegistered',
  data: {
    familyId: 'fam-1',
    district: 'Heimdal',
    registeredOn: '2024-01-08',
    members: [members.amina, members.yusuf, members.leila, members.sara, members.omar],
    parentalResponsibility: parentsOfTheChildren,
    ...by(actors.navCaseworker, '2024-01-08T08:00:00.000Z'),
  },
};

/**
 * An information-sharing consent of an adult for themself, recorded by NAV on 8 January:
 * NAV's records of the categories to the target units, until the end of 2024, on a signed form.
 */
export function sharingConsent(
  consentId: string,
  memberId: string,
  toUnits: Unit[],
  options: { sourceUnits?: Unit[] | null; dataCategories?: DataCategory[]; givenByMemberId?: string; recordedBy?: Actor; at?: string } = {},
): ConsentGiven {
  const givenByMemberId = options.givenByMemberId ?? memberId;
  return {
    type: 'ConsentGiven',
    data: {
      consentId,
      memberId,
      givenByMemberId,
      givenAsGuardian: givenByMemberId !== memberId,
      kind: 'information-sharing',
      sourceUnits: options.sourceUnits === undefined ? ['NAV'] : options.sourceUnits,
      toUnits,
      dataCategories: options.dataCategories ?? ['needs', 'decisions'],
      purpose: `Cooperation between NAV and ${toUnits.join(', ')}.`,
      validFrom: '2024-01-08',
      validUntil: '2024-12-31',
      evidence: { form: 'written', documentRef: `form-${consentId}` },
      ...by(options.recordedBy ?? actors.navCaseworker, options.at ?? '2024-01-08T08:30:00.000Z'),
    },
  };
}

/**
 * How a unit gets its part in the case: NAV refers, the unit accepts (8 January). BFT is
 * referred the children under the duty to inform (barnevernsloven § 13-2); any other unit is
 * referred Amina under her information-sharing consent, recorded just before.
 */
export function referralAccepted(unit: Exclude<Unit, 'NAV'>, acceptedBy: Actor = caseworkerOf[unit]): FamilyEvent[] {
  const referralId = `ref-${unit.toLowerCase()}`;
  const consent = unit === 'BFT' ? null : sharingConsent(`c-ref-${unit.toLowerCase()}`, 'm-amina', [unit]);
  const recorded: ReferralRecorded = {
    type: 'ReferralRecorded',
    data: {
      referralId,
      fromUnit: 'NAV',
      toUnit: unit,
      memberIds: consent ? ['m-amina'] : ['m-leila', 'm-sara', 'm-omar'],
      reason: consent ? 'Amina asks for help from more services.' : 'The children need support after school.',
      ground: consent ? 'consent' : 'duty-to-inform-child-welfare',
      consentIds: consent ? [consent.data.consentId] : [],
      ...by(actors.navCaseworker, '2024-01-08T09:00:00.000Z'),
    },
  };
  const accepted: ReferralAccepted = {
    type: 'ReferralAccepted',
    data: { referralId, unit, since: '2024-01-08', ...by(acceptedBy, '2024-01-08T10:00:00.000Z') },
  };
  return [...(consent ? [consent] : []), recorded, accepted];
}

/** The family with BFT's part: what most child-welfare specs start from. */
export const bftPart: FamilyEvent[] = referralAccepted('BFT');

/** BFT's sub-project Barnas stemme as the application reads it from the sub-project stream. */
export const barnasStemme: SubProjectFacts = {
  subProjectId: 'sp-barnas-stemme',
  responsibleUnit: 'BFT',
  name: 'Barnas stemme',
  partners: [{ organisationNumber: SCHOOL_ORGANISATION_NUMBER, name: 'Saupstad skole', mayRecordPayments: true }],
  active: true,
};

/** BFT enrols the three children in Barnas stemme (1 February): the school acts for them, and may pay. */
export const schoolEnrolled: FamilyEnrolled = {
  type: 'FamilyEnrolled',
  data: {
    enrolmentId: 'e-1',
    subProjectId: 'sp-barnas-stemme',
    subProjectName: 'Barnas stemme',
    responsibleUnit: 'BFT',
    memberIds: ['m-leila', 'm-sara', 'm-omar'],
    partners: barnasStemme.partners,
    ...by(actors.bftCaseworker, '2024-02-01T08:00:00.000Z'),
  },
};

/** The family as a partner meets it: registered, BFT with a part, the children enrolled with the school. */
export const withSchoolEnrolled: FamilyEvent[] = [familyRegistered, ...bftPart, schoolEnrolled];

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
    reasons: {
      rulesApplied: ['sosialtjenesteloven § 18'],
      facts: 'The household has no income while both adults take Norwegian courses.',
      mainConsiderations: null,
      summary: 'The household has no income while both adults take Norwegian courses.',
    },
    outcome: 'granted',
    childViews: [],
    enkeltvedtak: true,
    fourEyes: true,
    subProject: null,
    delegation: delegation('nav-social-assistance'),
    ...by(actors.navCaseworker, '2024-02-01T09:00:00.000Z'),
  },
};

export const socialAssistanceApproved: DecisionApproved = {
  type: 'DecisionApproved',
  data: {
    decisionId: 'd-nav',
    notifiedOn: '2024-02-02',
    decidedOn: '2024-02-02',
    effectiveFrom: '2024-02-01',
    delegation: delegation('nav-social-assistance'),
    ...by(actors.navApprover, '2024-02-02T09:00:00.000Z'),
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
    reasons: {
      rulesApplied: ['barnevernsloven § 3-1'],
      facts: 'Sara needs a support contact after school.',
      mainConsiderations: null,
      summary: 'Sara needs a support contact after school.',
    },
    outcome: 'granted',
    childViews: [
      {
        memberId: 'm-sara',
        heard: true,
        how: 'conversation',
        heardOn: '2024-02-28',
        views: 'Wants someone to do homework with.',
        weight: 'Decisive: she is 11 and clear about it.',
      },
    ],
    enkeltvedtak: true,
    fourEyes: true,
    subProject: null,
    delegation: delegation('bft-child-welfare-support'),
    ...by(actors.bftCaseworker, '2024-03-01T09:00:00.000Z'),
  },
};

export const childWelfareApproved: DecisionApproved = {
  type: 'DecisionApproved',
  data: {
    decisionId: 'd-bft',
    notifiedOn: '2024-03-04',
    decidedOn: '2024-03-04',
    effectiveFrom: '2024-03-01',
    delegation: delegation('bft-child-welfare-support'),
    ...by(actors.bftApprover, '2024-03-04T09:00:00.000Z'),
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
    ...by(actors.navCaseworker, '2024-01-08T08:00:00.000Z'),
  },
};

export const bftContactJoined: ContactPersonJoined = {
  type: 'ContactPersonJoined',
  data: {
    personId: 'p-siri',
    name: 'Siri Berg',
    affiliation: { kind: 'unit', unit: 'BFT' },
    teamRole: null,
    ...by(actors.bftCaseworker, '2024-01-09T08:00:00.000Z'),
  },
};

/** The school writes down Sara's need (she is enrolled in Barnas stemme, which names the school). */
export const needExpressed: NeedExpressed = {
  type: 'NeedExpressed',
  data: {
    needId: 'n-1',
    memberId: 'm-sara',
    words: 'Jeg vil gå på fotball med de andre i klassen.',
    expressedOn: '2024-02-20',
    recordedBy: { kind: 'partner', organisation: 'Saupstad skole', organisationNumber: SCHOOL_ORGANISATION_NUMBER, userId: 'lise.school' },
    ...by(actors.school, '2024-02-20T12:00:00.000Z'),
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
    ...by(actors.navCaseworker, '2024-03-01T10:00:00.000Z'),
  },
};

/** An adult's consent of a kind that is not information-sharing (no source units), 1 March - 31 December. */
function adultConsent(kind: ConsentKind, consentId: string, memberId: string, toUnits: Unit[], dataCategories: DataCategory[], purpose: string): ConsentGiven {
  return {
    type: 'ConsentGiven',
    data: {
      consentId,
      memberId,
      givenByMemberId: memberId,
      givenAsGuardian: false,
      kind,
      sourceUnits: null,
      toUnits,
      dataCategories,
      purpose,
      validFrom: '2024-03-01',
      validUntil: '2024-12-31',
      evidence: { form: 'written', documentRef: `form-${consentId}` },
      ...by(actors.navCaseworker, '2024-03-01T10:00:00.000Z'),
    },
  };
}

/** A 'combine-family-decision' consent from an adult, to NAV, BFT and HVK, 1 March - 31 December. */
export function combineConsent(consentId: string, memberId: string): ConsentGiven {
  return adultConsent(
    'combine-family-decision',
    consentId,
    memberId,
    ['NAV', 'BFT', 'HVK'],
    ['decisions', 'payments'],
    'One family decision with one contact person.',
  );
}

/** A 'coordination' consent from an adult: `unit` may coordinate the help around the family. */
export function coordinationConsent(consentId: string, memberId: string, unit: Unit): ConsentGiven {
  return adultConsent('coordination', consentId, memberId, [unit], ['needs'], `${unit} coordinates the help around the family.`);
}

/** The family with both decisions active, as most decision specs start. */
export const withActiveDecisions: FamilyEvent[] = [
  familyRegistered,
  ...bftPart,
  socialAssistanceProposed,
  socialAssistanceApproved,
  childWelfareProposed,
  childWelfareApproved,
];

/** Heimdal IL as a sub-project partner (no leave to pay). */
export const clubPartner: EnrolledPartner = { organisationNumber: CLUB_ORGANISATION_NUMBER, name: 'Heimdal IL', mayRecordPayments: false };

/** A contact person joins the team (recorded by `actor`, on 1 March unless `at` says otherwise). */
export function contactPersonJoined(
  personId: string,
  name: string,
  affiliation: Affiliation,
  actor: Actor = actors.navCaseworker,
  at = '2024-03-01T08:00:00.000Z',
): ContactPersonJoined {
  return { type: 'ContactPersonJoined', data: { personId, name, affiliation, teamRole: null, ...by(actor, at) } };
}

/** A contact person leaves the team (2 March). */
export function contactPersonLeft(personId: string, actor: Actor = actors.navCaseworker): ContactPersonLeft {
  return { type: 'ContactPersonLeft', data: { personId, ...by(actor, '2024-03-02T08:00:00.000Z') } };
}

/** A member moves out of the household (1 March). */
export function memberLeft(memberId: string): MemberLeft {
  return { type: 'MemberLeft', data: { memberId, leftOn: '2024-03-01', reason: null, ...by(actors.navCaseworker, '2024-03-01T08:00:00.000Z') } };
}

/**
 * Structured reasons (forvaltningsloven §§ 24-25) for a proposal in a test: the rule applied, the
 * facts, and (for anything but a plain grant) the main considerations.
 */
export function reasonsFor(summary: string, rule = 'sosialtjenesteloven § 18', mainConsiderations: string | null = null) {
  return { rulesApplied: [rule], facts: summary, mainConsiderations, summary };
}

/** A child heard in conversation before the decision (barnekonvensjonen art. 12). */
export function childHeard(memberId: string, heardOn = '2024-03-01') {
  return {
    memberId,
    heard: true as const,
    how: 'conversation' as const,
    heardOn,
    views: 'Wants to keep going to football.',
    weight: 'Given weight by age and maturity.',
  };
}
