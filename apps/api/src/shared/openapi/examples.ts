import { applyDecorators, type Type } from '@nestjs/common';
import { ApiBody } from '@nestjs/swagger';

/**
 * Request examples of the document. They tell one story about one family (NAV registers Amina
 * and her son Yusuf, records a need, a payment, her consents and the family's plan, grants her
 * social assistance, notifies her; she appeals, NAV forwards the appeal to statsforvalteren, which
 * upholds the decision; NAV gives advance notice and revokes it), with fixed ids that refer to
 * each other, so a client team can post them in order against an empty system and see them
 * succeed, each on the day EXAMPLE_DAYS gives it (the law counts from the day a thing is done).
 * test/api/openapi-examples.e2e.spec.ts posts every one of them.
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
  coordinationConsentId: 'c1b2c3d4-e5f6-4a70-8b1c-2d3e4f5a6b7c',
  planId: '27c8d9e0-f1a2-4b3c-8d4e-f5a6b7c8d9e0',
  goalId: '38d9e0f1-a2b3-4c4d-9e5f-a6b7c8d9e0f1',
  notificationId: '49e0f1a2-b3c4-4d5e-8f6a-b7c8d9e0f1a2',
  noticeId: '6c7d8e9f-0a1b-4c2d-8e3f-4a5b6c7d8e9f',
  letterId: '5b6c7d8e-9f0a-4b1c-8d2e-3f4a5b6c7d8e',
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
  giveCoordinationConsent: {
    consentId: E.coordinationConsentId,
    memberId: E.adultId,
    givenByMemberId: E.adultId,
    kind: 'coordination',
    toUnits: ['NAV'],
    dataCategories: ['needs', 'decisions'],
    purpose: "A plan for Amina's way to work, with NAV coordinating",
    validFrom: '2026-11-27',
    validUntil: '2028-11-27',
    evidence: { form: 'written', documentRef: 'P360-2026-004212' },
  },
  recordFamilyPlan: {
    planId: E.planId,
    goals: [
      {
        goalId: E.goalId,
        words: 'Amina wants a job where she can use her Arabic, and a driving licence to get there',
        memberIds: [E.adultId],
        answeredBy: ['NAV'],
      },
    ],
    responsibilities: [{ unit: 'NAV', for: 'the job search, the driving licence and the money while Amina looks for work' }],
    coordinator: { personId: E.contactPersonId, unit: 'NAV' },
    reviewDates: ['2027-03-01', '2027-09-01'],
  },
  reviseFamilyPlan: {
    goals: [
      {
        goalId: E.goalId,
        words: 'Amina wants a job where she can use her Arabic, and a driving licence to get there',
        memberIds: [E.adultId],
        answeredBy: ['NAV'],
      },
    ],
    responsibilities: [{ unit: 'NAV', for: 'the job search, the driving licence and the money while Amina looks for work' }],
    coordinator: { personId: E.contactPersonId, unit: 'NAV' },
    reviewDates: ['2027-06-01'],
    reason: 'Amina passed the theory test; the next review is after the driving test',
  },
  reviewFamilyPlan: { on: '2027-02-22', notes: 'Amina passed the theory test; two job interviews in Orkanger' },
  endFamilyPlan: { reason: 'Amina has the job and the licence; the family no longer wants a plan' },
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
  approveDecision: { effectiveFrom: '2026-12-01' },
  reason: { reason: 'The household income was documented wrongly' },
  amendDecision: { periodUntil: '2027-06-30', reasons: 'The introduction programme was extended by a month', effectiveFrom: '2027-05-01' },
  // Advance notice (fvl § 16) before a revocation to Amina's detriment, her answer, then the revocation.
  sendAdvanceNotice: {
    noticeId: E.noticeId,
    intendedAct: 'revoke',
    memberIds: [E.adultId],
    sentOn: '2027-02-15',
    answerBy: '2027-03-01',
    channel: 'digital-mailbox',
    language: 'ar',
  },
  partyStatement: { memberId: E.adultId, receivedOn: '2027-02-22', summary: 'Amina says the income in November was a one-off payment' },
  revokeDecision: {
    reason: 'The household income was documented wrongly: the November income is a monthly wage',
    effectiveFrom: '2027-03-01',
    ground: 'general-doctrine',
    advanceNoticeId: E.noticeId,
  },
  // Notification (fvl § 27) and the appeal (fvl §§ 28-34, 42).
  sendNotification: {
    notificationId: E.notificationId,
    subject: { kind: 'decision', id: E.decisionId },
    recipientMemberId: E.adultId,
    channel: 'post',
    language: 'ar',
    sentOn: '2026-11-30',
    documentRef: 'P360-2026-004388',
  },
  recordNotificationReceived: { receivedOn: '2026-12-02', evidence: 'postal-tracking' },
  // The family letter (issue 14): not in the story; test/api/letters.e2e.spec.ts issues and delivers letters.
  previewLetter: { decisionIds: [E.decisionId], language: 'nb' },
  issueLetter: { letterId: E.letterId, decisionIds: [E.decisionId], language: 'nb' },
  recordLetterDelivered: { recipientMemberId: E.adultId, channel: 'digital-mailbox', deliveredOn: '2026-12-01' },
  registerAppeal: {
    appealId: E.appealId,
    decisionId: E.decisionId,
    appellant: { memberId: E.adultId },
    receivedOn: '2026-12-10',
    channel: 'digital',
    grounds: 'The amount does not cover the rent; I want the rent counted in full',
    signed: true,
  },
  assessAppealForm: {
    specific: true,
    signed: true,
    reasons: 'Amina is a party; the appeal names the decision and the change she wants, is signed and came in time (deadline 23 December)',
  },
  dismissAppeal: { reasons: 'The appeal is not signed, and Amina did not sign it when asked to (forvaltningsloven § 32 first paragraph b)' },
  prepareAppeal: { investigations: 'Rent contract obtained from the landlord; housing benefit checked with Husbanken', counterpartiesNotified: false },
  changeDecisionOnAppeal: {
    fully: false,
    reasons: 'The rent contract shows a higher rent than the application said: NAV raises the amount from January',
    change: { kind: 'amend', effectiveFrom: '2027-01-01', amendment: { amounts: { monthlyAmountOre: 950000 } } },
    unitStatement: 'NAV counts the documented rent; the rest of the appeal (the guideline amount for living costs) goes to statsforvalteren',
  },
  forwardAppeal: {
    unitStatement: 'NAV upholds the decision: the amount follows the guideline rates, and the rent above them is covered by housing benefit',
    copyToParty: true,
    appealBody: 'statsforvalteren',
  },
  recordAppealOutcome: {
    outcome: 'upheld',
    decidedOn: '2027-02-05',
    receivedOn: '2027-02-08',
    reference: 'SF 2026/8841',
    summary: 'Statsforvalteren upholds the decision: the amount follows the guideline, and housing benefit covers the rent',
  },
  withdrawAppeal: { withdrawnOn: '2026-12-14', note: 'Amina withdrew the appeal by phone after housing benefit was granted' },
  requestSuspension: { requestedOn: '2026-12-10' },
  decideSuspension: { granted: false, reasons: 'The decision grants assistance: suspending it would only stop the payments Amina lives on' },
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
  issueFamilyDecision: {
    familyDecisionId: E.familyDecisionId,
    decisionIds: [E.decisionId],
    reviewDate: '2027-05-31',
    responsibleUnit: 'NAV',
    contactPersonId: E.contactPersonId,
  },
  recordParentalResponsibility: { childId: E.childId, holderId: E.adultId, basis: 'agreement', documentRef: 'AGREEMENT-2026-77' },
  endParentalResponsibility: { childId: E.childId, holderId: E.adultId, reason: 'Court decision of 12 November: sole parental responsibility to the father' },
  referToUnit: {
    referralId: E.referralId,
    toUnit: 'BFT',
    memberIds: [E.adultId],
    reason: 'The family asks for support at home; BFT runs the parenting programme',
    ground: 'consent',
  },
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
  activateRuleSet: {
    effectiveFrom: '2030-01-01',
    version: 1,
    delegationDecision: { body: 'kommunedirektøren', decidedOn: '2026-11-20', caseNumber: '2026/4711' },
  },
  retireRuleSet: { version: 1, reason: 'Replaced by the place-based team rules' },
  searchFamilies: { name: 'amina', birthDate: '1988-03-02', purpose: 'casework' },
  explainCompetence: {
    decisionType: 'economic-social-assistance',
    unit: 'NAV',
    date: '2026-12-01',
    members: [{ memberId: E.adultId, age: 38 }],
    family: { district: 'Heimdal', coordinatingUnit: 'NAV', inFamilyDecision: false },
    amountOre: 850000,
  },
  // Retention (docs/operations/retention-and-erasure.md): Amina asks for her records to be erased; the plan of a run.
  requestErasure: {
    memberId: E.adultId,
    categories: 'all',
    receivedOn: '2027-02-01',
    requestedBy: { memberId: E.adultId },
    channel: 'in-writing',
  },
  runRetention: { dryRun: true },
} as const;

/**
 * The day the story posts each of its examples (Europe/Oslo): their dates are set against it,
 * since the law counts from the day a thing is done (a notification is sent on the day the
 * decision was made or later, never in the future; the appeal body decides after the appeal
 * was forwarded). An example not listed is posted on the day of the one before it.
 */
export const EXAMPLE_DAYS: Readonly<Record<string, string>> = {
  registerFamily: '2026-11-27',
  approveDecision: '2026-11-30',
  sendNotification: '2026-11-30',
  recordNotificationReceived: '2026-12-03',
  registerAppeal: '2026-12-10',
  assessAppealForm: '2026-12-11',
  prepareAppeal: '2026-12-14',
  forwardAppeal: '2026-12-15',
  recordAppealOutcome: '2027-02-10',
  sendAdvanceNotice: '2027-02-15',
  recordPartyStatement: '2027-02-22',
  revokeDecision: '2027-02-24',
};

/** The request body's schema (the DTO) with one example that passes the route's validation. */
export function ApiBodyExample(type: Type<unknown>, value: object, summary?: string): MethodDecorator {
  return applyDecorators(ApiBody({ type, examples: { example: { summary, value } } })) as MethodDecorator;
}

/** The request body's schema with several named examples (each passes validation; the story posts them in this order). */
export function ApiBodyExamples(type: Type<unknown>, examples: Record<string, { summary: string; value: object }>): MethodDecorator {
  return applyDecorators(ApiBody({ type, examples })) as MethodDecorator;
}
