import { applyDecorators, type Type } from '@nestjs/common';
import { ApiBody } from '@nestjs/swagger';

/**
 * Request examples of the document. They tell one story about one family (NAV registers Amina
 * and her son Yusuf, records a need, a consent, a decision, a payment...), with fixed ids that
 * refer to each other, so a client team can post them in order against an empty system and see
 * them succeed. test/api/openapi-examples.e2e.spec.ts posts every one of them.
 */
export const EXAMPLE_IDS = {
  familyId: '0b9c1f54-2f4e-4b8a-9a53-6f3d2c1e0a77',
  adultId: '3f0c1a52-5d7e-4c1b-9a39-0d2f1e6b7a10',
  childId: '7d2e4b61-8c3f-4a2d-b1e5-2f6a9c0d3e21',
  newMemberId: '9e1f2a3b-4c5d-4e6f-8a7b-1c2d3e4f5a6b',
  needId: '5a8b7c6d-1e2f-4a3b-9c8d-7e6f5a4b3c2d',
  consentId: 'c0a1b2c3-d4e5-4f60-8a1b-2c3d4e5f6a7b',
  decisionId: 'd1e2f3a4-b5c6-4d7e-8f90-a1b2c3d4e5f6',
  paymentId: 'e2f3a4b5-c6d7-4e8f-9a01-b2c3d4e5f6a7',
  appealId: 'a3b4c5d6-e7f8-4a9b-8c0d-e1f2a3b4c5d6',
  referralId: 'b4c5d6e7-f8a9-4b0c-9d1e-f2a3b4c5d6e7',
  enrolmentId: 'f5a6b7c8-d9e0-4f1a-8b2c-d3e4f5a6b7c8',
  familyDecisionId: '16b7c8d9-e0f1-4a2b-9c3d-e4f5a6b7c8d9',
  subProjectId: 'driving-licences',
  contactPersonId: 'nav-kari',
} as const;

const E = EXAMPLE_IDS;

export const REQUEST_EXAMPLES = {
  registerFamily: {
    familyId: E.familyId,
    district: 'Heimdal',
    members: [
      { memberId: E.adultId, name: 'Amina', birthDate: '1988-03-02', role: 'adult', preferredLanguage: 'ar' },
      { memberId: E.childId, name: 'Yusuf', birthDate: '2016-09-14', role: 'child' },
    ],
    parentalResponsibility: [{ childId: E.childId, holderId: E.adultId, basis: 'birth-registration', documentRef: 'FREG-2026-1187' }],
  },
  joinMember: { member: { memberId: E.newMemberId, name: 'Leila', birthDate: '2024-05-01', role: 'child' }, joinedOn: '2026-11-27' },
  leaveMember: { leftOn: '2026-12-15', reason: 'Moved to her father in Bergen' },
  joinTeam: { personId: E.contactPersonId, name: 'Kari Nordmann', affiliation: { kind: 'unit', unit: 'NAV' }, teamRole: 'coordinator' },
  nameCoordinatingUnit: { unit: 'NAV' },
  expressNeed: { needId: E.needId, memberId: E.adultId, words: 'A driving licence so I can take the job in Orkanger', expressedOn: '2026-11-20' },
  resolveNeed: { paymentIds: [E.paymentId], resolution: 'The theory course is paid; the need is met' },
  withdrawNeed: { reason: 'Amina got a lift arrangement with a colleague' },
  giveConsent: {
    consentId: E.consentId,
    memberId: E.adultId,
    givenByMemberId: E.adultId,
    kind: 'information-sharing',
    toUnits: ['BFT'],
    dataCategories: ['needs', 'decisions', 'payments'],
    purpose: 'Coordinate help for the family across NAV and BFT',
    validFrom: '2026-11-27',
    validUntil: '2030-11-27',
    evidence: { form: 'written', documentRef: 'P360-2026-004211' },
  },
  withdrawConsent: { expressedByMemberId: E.adultId, channel: 'orally', reason: 'Amina no longer wants BFT to see her records' },
  proposeDecision: {
    decisionId: E.decisionId,
    unit: 'NAV',
    decisionType: 'economic-social-assistance',
    memberIds: [E.adultId],
    periodFrom: '2026-12-01',
    periodUntil: '2027-05-31',
    amounts: { monthlyAmountOre: 850000 },
    outcome: 'granted',
    reasons: {
      rulesApplied: ['sosialtjenesteloven § 18'],
      facts: 'Income below the national guideline for a household of two; no savings.',
      mainConsiderations: null,
      summary: 'You get economic social assistance for living costs from December to May.',
    },
  },
  reason: { reason: 'The household income was documented wrongly' },
  amendDecision: { periodUntil: '2027-06-30', reasons: 'The introduction programme was extended by a month', effectiveFrom: '2027-05-01' },
  revokeDecision: {
    reason: 'The household income was documented wrongly',
    effectiveFrom: '2027-01-01',
    ground: 'general-doctrine',
    advanceNoticeId: '6c7d8e9f-0a1b-4c2d-8e3f-4a5b6c7d8e9f',
  },
  sendAdvanceNotice: {
    noticeId: '6c7d8e9f-0a1b-4c2d-8e3f-4a5b6c7d8e9f',
    intendedAct: 'revoke',
    memberIds: [E.adultId],
    sentOn: '2026-12-01',
    answerBy: '2026-12-15',
    channel: 'digital-mailbox',
    language: 'ar',
  },
  partyStatement: { memberId: E.adultId, receivedOn: '2026-12-10', summary: 'Amina says the income was a one-off payment' },
  receiveAppeal: { appealId: E.appealId, decisionId: E.decisionId, receivedDate: '2026-12-10', appellantMemberId: E.adultId, grounds: 'The amount does not cover the rent' },
  decideAppeal: { outcome: 'upheld', reasons: 'The amount follows the municipal guideline; the rent is covered by housing benefit' },
  recordPayment: {
    paymentId: E.paymentId,
    recipientMemberId: E.adultId,
    amountOre: 160000,
    method: 'bank-transfer',
    funding: { kind: 'unit', unit: 'NAV' },
    answersNeedId: E.needId,
    documentationRef: 'BILAG-2026-1142',
    paidOn: '2026-11-27',
    countsAsIncome: false,
  },
  issueFamilyDecision: { familyDecisionId: E.familyDecisionId, decisionIds: [E.decisionId], reviewDate: '2027-05-31', responsibleUnit: 'NAV', contactPersonId: E.contactPersonId },
  recordParentalResponsibility: { childId: E.childId, holderId: E.adultId, basis: 'agreement', documentRef: 'AGREEMENT-2026-77' },
  endParentalResponsibility: { childId: E.childId, holderId: E.adultId, reason: 'Court decision of 12 November: sole parental responsibility to the father' },
  referToUnit: { referralId: E.referralId, toUnit: 'BFT', memberIds: [E.adultId], reason: 'The family asks for support at home; BFT runs the parenting programme', ground: 'consent' },
  reasonRequired: { reason: 'The family no longer needs the service' },
  enrolInSubProject: { enrolmentId: E.enrolmentId, subProjectId: E.subProjectId, memberIds: [E.adultId] },
  approveSubProject: {
    subProjectId: E.subProjectId,
    name: 'Driving licences for young adults',
    actors: [
      { name: 'NAV Heimdal', municipal: true, unit: 'NAV' },
      { name: 'Trondheim Red Cross', municipal: false, organisationNumber: '974123456', mayRecordPayments: true },
      { name: 'Heimdal Driving School', municipal: false, organisationNumber: '912345678' },
    ],
    responsibleUnit: 'NAV',
    semesterBudgetOre: 50000000,
    goals: ['Ten young adults take a driving licence and get a job that needs one'],
    firstSemester: '2026-autumn',
    semesterCount: 4,
  },
  recordPaymentRun: {
    runId: 'ny-start-2026-11',
    description: 'November 2026: 1,600 NOK per enrolled child',
    paidOn: '2026-11-27',
    method: 'bank-transfer',
    amountOre: 160000,
    documentationRef: 'UTBETALING-2026-11',
    families: [{ familyId: E.familyId, recipientMemberIds: [E.childId] }],
  },
  reviewSubProject: { semester: '2026-autumn', outcome: 'continue', goalAttainment: '8 of 10 participants passed the theory test' },
  draftRuleSet: {
    document: [
      'id: example-nav-only',
      'name: "Example: NAV decides economic social assistance"',
      'effectiveFrom: "2027-01-01"',
      'rules:',
      '  - id: nav-economic-social-assistance',
      '    decisionType: economic-social-assistance',
      '    deciders: [{ kind: unit, unit: NAV }]',
      '    members: {}',
      '    fourEyes: true',
      '    bundlable: true',
      '    bundledBy: [{ kind: unit, unit: NAV }]',
      '',
    ].join('\n'),
  },
  // Never backdated: far enough ahead that the example stays valid for years.
  activateRuleSet: { effectiveFrom: '2030-01-01', version: 1, delegationDecision: { body: 'kommunedirektøren', decidedOn: '2026-11-20', caseNumber: '2026/4711' } },
  retireRuleSet: { version: 1, reason: 'Replaced by the place-based team rules' },
  explainCompetence: {
    decisionType: 'economic-social-assistance',
    unit: 'NAV',
    date: '2026-12-01',
    members: [{ memberId: E.adultId, age: 38 }],
    family: { district: 'Heimdal', coordinatingUnit: 'NAV', inFamilyDecision: false },
    amountOre: 850000,
  },
} as const;

/** The request body's schema (the DTO) with one example that passes the route's validation. */
export function ApiBodyExample(type: Type<unknown>, value: object, summary?: string): MethodDecorator {
  return applyDecorators(ApiBody({ type, examples: { example: { summary, value } } })) as MethodDecorator;
}
