import {
  foldFamily,
  type ConsentGiven,
  type DecisionApproved,
  type DecisionProposed,
  type FamilyEvent,
  type FamilyState,
  type MemberDetails,
} from '@familievedtak/domain';
import {
  actors,
  bftPart,
  by,
  childWelfareApproved,
  childWelfareProposed,
  delegation,
  familyRegistered,
  members,
  navContactJoined,
  referralAccepted,
  socialAssistanceApproved,
  socialAssistanceProposed,
} from '../../../domain/src/testing/family.fixtures';

/**
 * A realistic family for the letter (issue 14): Amina and Yusuf, and three children under three
 * units. Leila (16) is Amina's daughter: only Amina holds parental responsibility for her;
 * both hold it for Sara (11) and Omar (4). Issued Friday 15 March 2024.
 *
 * - NAV: economic social assistance for Amina and Yusuf, 12,500 NOK a month.
 * - BFT: a support contact for Sara (heard), and a leisure measure for Leila (heard).
 * - HVK: a health and care service for Yusuf alone: his, and confidential towards Amina.
 * - One family decision bundles them (NAV responsible, contact Kari Nordmann, review 2 September).
 * - Amina received NAV's decision in person on Tuesday 12 March: her deadline is 2 April 2024.
 */
export const ISSUED_ON = '2024-03-15';
export const LETTER_ID = 'l-1';
export const DECISION_IDS = ['d-nav', 'd-bft', 'd-bft-leila', 'd-hvk'];

const stripLegacy = (event: DecisionApproved): DecisionApproved => {
  const { notifiedOn: _legacy, ...data } = event.data;
  return { ...event, data };
};

function registered(overrides: Partial<Record<'amina' | 'yusuf' | 'leila', Partial<MemberDetails>>> = {}): FamilyEvent {
  const m = (key: 'amina' | 'yusuf' | 'leila' | 'sara' | 'omar'): MemberDetails => ({
    ...members[key],
    ...(overrides as Record<string, Partial<MemberDetails>>)[key],
  });
  return {
    ...familyRegistered,
    data: {
      ...familyRegistered.data,
      members: [m('amina'), { ...m('yusuf'), preferredLanguage: overrides.yusuf?.preferredLanguage ?? 'nn' }, m('leila'), m('sara'), m('omar')],
      parentalResponsibility: [
        { childId: 'm-leila', holderId: 'm-amina', basis: 'birth-registration', documentRef: null },
        ...['m-sara', 'm-omar'].flatMap((childId) =>
          ['m-amina', 'm-yusuf'].map((holderId) => ({ childId, holderId, basis: 'birth-registration' as const, documentRef: null })),
        ),
      ],
    },
  } as FamilyEvent;
}

const leilaProposed: DecisionProposed = {
  ...childWelfareProposed,
  data: {
    ...childWelfareProposed.data,
    decisionId: 'd-bft-leila',
    memberIds: ['m-leila'],
    periodFrom: '2024-03-01',
    periodUntil: '2024-08-31',
    amounts: { monthlyAmountOre: null, oneOffAmountOre: 450_000 },
    reasons: {
      rulesApplied: ['barnevernsloven § 3-1'],
      facts: 'Leila trener fotball på Heimdal. Familien har ikke råd til utstyr og treningsavgift.',
      mainConsiderations: 'Trening gir Leila venner og en trygg voksen.',
      summary: 'Fotball for Leila.',
    },
    childViews: [
      {
        memberId: 'm-leila',
        heard: true,
        how: 'conversation',
        heardOn: '2024-02-27',
        views: 'Jeg vil fortsette på laget.',
        weight: 'Vi la stor vekt på det hun sa.',
      },
    ],
    ...by(actors.bftCaseworker, '2024-03-01T10:00:00.000Z'),
  },
};
const leilaApproved: DecisionApproved = stripLegacy({
  ...childWelfareApproved,
  data: { ...childWelfareApproved.data, decisionId: 'd-bft-leila', ...by(actors.bftApprover, '2024-03-04T10:00:00.000Z') },
});

const hvkProposed: DecisionProposed = {
  type: 'DecisionProposed',
  data: {
    decisionId: 'd-hvk',
    unit: 'HVK',
    decisionType: 'adult-health-care-service',
    memberIds: ['m-yusuf'],
    legalBasis: 'Helse- og omsorgstjenesteloven § 3-2',
    periodFrom: '2024-03-01',
    periodUntil: '2024-06-30',
    amounts: { monthlyAmountOre: null, oneOffAmountOre: null },
    reasons: {
      rulesApplied: ['helse- og omsorgstjenesteloven § 3-2'],
      facts: 'Yusuf har vondt i ryggen og trenger hjelp til trening.',
      mainConsiderations: 'Han får trening to ganger i uka, ikke tre.',
      summary: 'Fysioterapi for Yusuf.',
    },
    outcome: 'partly-granted',
    childViews: [],
    enkeltvedtak: true,
    fourEyes: true,
    subProject: null,
    delegation: delegation('hvk-health-care'),
    ...by(actors.hvkCaseworker, '2024-03-05T09:00:00.000Z'),
  },
};
const hvkApproved: DecisionApproved = {
  type: 'DecisionApproved',
  data: {
    decisionId: 'd-hvk',
    decidedOn: '2024-03-06',
    effectiveFrom: '2024-03-01',
    delegation: delegation('hvk-health-care'),
    ...by(actors.hvkApprover, '2024-03-06T09:00:00.000Z'),
  },
};

const included = (decision: DecisionProposed) => {
  const d = decision.data;
  return {
    decisionId: d.decisionId,
    unit: d.unit,
    decisionType: d.decisionType,
    memberIds: d.memberIds,
    legalBasis: d.legalBasis,
    periodFrom: d.periodFrom,
    periodUntil: d.periodUntil,
  };
};

const familyDecision: FamilyEvent = {
  type: 'FamilyDecisionIssued',
  data: {
    familyDecisionId: 'fd-1',
    decisions: [socialAssistanceProposed, childWelfareProposed, leilaProposed, hvkProposed].map(included),
    reviewDate: '2024-09-02',
    responsibleUnit: 'NAV',
    contactPersonId: 'p-kari',
    consentIds: [],
    ruleSetId: 'trondheim-2023',
    ruleSetVersion: 1,
    supersedes: null,
    ...by(actors.navApprover, '2024-03-07T09:00:00.000Z'),
  },
} as FamilyEvent;

const plan: FamilyEvent = {
  type: 'FamilyPlanRecorded',
  data: {
    planId: 'plan-1',
    goals: [
      { goalId: 'g-1', words: 'Vi vil ha et trygt sted å bo.', memberIds: [], answeredBy: ['NAV'] },
      { goalId: 'g-2', words: 'Yusuf vil ha mindre vondt i ryggen.', memberIds: ['m-yusuf'], answeredBy: ['HVK'] },
      { goalId: 'g-3', words: 'Sara vil gjøre lekser sammen med noen.', memberIds: ['m-sara'], answeredBy: ['BFT'] },
    ],
    responsibilities: [{ unit: 'NAV', for: 'penger og bolig' }],
    coordinator: { personId: 'p-kari', unit: 'NAV' },
    reviewDates: ['2024-09-02'],
    memberIds: ['m-amina', 'm-yusuf', 'm-leila', 'm-sara', 'm-omar'],
    consentIds: [],
    ...by(actors.navCaseworker, '2024-03-08T09:00:00.000Z'),
  },
} as FamilyEvent;

/** NAV handed Amina its decision on Tuesday 12 March (fvl § 27): received the same day. */
const aminaNotified: FamilyEvent[] = [
  {
    type: 'NotificationSent',
    data: {
      notificationId: 'n-amina',
      subject: { kind: 'decision', id: 'd-nav' },
      decisionId: 'd-nav',
      recipientMemberId: 'm-amina',
      channel: 'in-person',
      language: 'nb',
      sentOn: '2024-03-12',
      documentRef: null,
      informs: {
        appealRight: true,
        deadlineWeeks: 3,
        appealBody: 'statsforvalteren',
        appealProvision: 'sosialtjenesteloven § 48; forvaltningsloven § 29',
        procedure: 'Send a signed appeal to NAV.',
        documentAccess: 'You may see the case documents (forvaltningsloven §§ 18-19).',
        suspension: 'You may ask for suspended execution (forvaltningsloven § 42).',
      },
      ...by(actors.navCaseworker, '2024-03-12T09:00:00.000Z'),
    },
  },
  {
    type: 'NotificationReceived',
    data: { notificationId: 'n-amina', receivedOn: '2024-03-12', evidence: 'signed-in-person', ...by(actors.navCaseworker, '2024-03-12T09:00:00.000Z') },
  },
];

/** Yusuf agrees to one family decision (combine-family-decision), with or without the category health. */
export function yusufConsent(categories: ('decisions' | 'payments' | 'health')[]): ConsentGiven {
  return {
    type: 'ConsentGiven',
    data: {
      consentId: 'c-yusuf',
      memberId: 'm-yusuf',
      givenByMemberId: 'm-yusuf',
      givenAsGuardian: false,
      kind: 'combine-family-decision',
      sourceUnits: null,
      toUnits: ['NAV', 'BFT', 'HVK'],
      dataCategories: categories,
      purpose: 'Ett vedtak og ett brev til familien.',
      validFrom: '2024-03-01',
      validUntil: '2024-12-31',
      evidence: { form: 'written', documentRef: 'form-c-yusuf' },
      ...by(actors.navCaseworker, '2024-03-01T10:00:00.000Z'),
    },
  };
}

export function letterFamilyEvents(
  options: { protect?: Partial<Record<'amina' | 'yusuf' | 'leila', 'fortrolig' | 'strengt-fortrolig'>>; extra?: FamilyEvent[] } = {},
): FamilyEvent[] {
  const overrides = Object.fromEntries(Object.entries(options.protect ?? {}).map(([k, level]) => [k, { addressProtection: level, protectedAddress: true }]));
  return [
    registered(overrides),
    ...bftPart,
    ...referralAccepted('HVK'),
    navContactJoined,
    socialAssistanceProposed,
    stripLegacy(socialAssistanceApproved),
    childWelfareProposed,
    stripLegacy(childWelfareApproved),
    leilaProposed,
    leilaApproved,
    hvkProposed,
    hvkApproved,
    familyDecision,
    plan,
    ...aminaNotified,
    ...(options.extra ?? []),
  ];
}

export function letterFamily(options: Parameters<typeof letterFamilyEvents>[0] = {}): FamilyState {
  return foldFamily(letterFamilyEvents(options));
}
