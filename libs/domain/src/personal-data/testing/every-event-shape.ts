import type { Stamp } from '../../shared/stamp';
import { delegation } from '../../testing/family.fixtures';
import type { FamilyEvent } from '../../family/family.events';
import type { MemberDetails } from '../../family/family.values';

/**
 * One event of every family event type, and every union shape that carries text (structured and
 * free-text reasons, written and oral consent evidence, member and representative appellants,
 * heard and unheard children, notices and waivers, appeal effects), written from the types:
 * each `string` field that is not an id, a date, a code or a law reference comes from `t()`.
 * The member ids are m-a (adult), m-b (child), m-c (joins, then leaves).
 */
/** Free text that is not the family's: left readable on purpose (design §1), each with why. */
export const READABLE_FREE_TEXT: Record<string, Record<string, string>> = {
  FamilyRegistered: { district: "the municipality's district office the case belongs to, not an address" },
  ContactPersonJoined: {
    name: 'a contact person is staff (design §1: out of scope)',
    teamRole: "the contact person's role in the team",
    'affiliation.organisation': 'a partner organisation',
  },
  NeedExpressed: { 'recordedBy.organisation': 'the partner organisation that wrote the need down' },
  FamilyEnrolled: { subProjectName: "the sub-project's name", 'partners.*.name': 'a partner organisation' },
};

/** The sample with the readable free text (staff, organisations, district) replaced by `value`: only the family's data keeps its tokens. */
export function withReadableFreeText(events: FamilyEvent[], value: string): FamilyEvent[] {
  const replace = (node: unknown, path: Array<string | number>, patterns: string[]): unknown => {
    if (typeof node === 'string') return patterns.some((p) => matchesPattern(p, path)) ? value : node;
    if (Array.isArray(node)) return node.map((item, i) => replace(item, [...path, i], patterns));
    if (node !== null && typeof node === 'object') return Object.fromEntries(Object.entries(node).map(([k, v]) => [k, replace(v, [...path, k], patterns)]));
    return node;
  };
  return events.map((e) => ({ ...e, data: replace(e.data, [], Object.keys(READABLE_FREE_TEXT[e.type] ?? {})) }) as FamilyEvent);
}

/** A field pattern ('partners.*.name') against a concrete path. */
export function matchesPattern(pattern: string, path: ReadonlyArray<string | number>): boolean {
  const segments = pattern.split('.');
  return segments.length === path.length && segments.every((s, i) => (s === '*' ? typeof path[i] === 'number' : s === path[i]));
}

const nav = { at: '2024-03-01T09:00:00.000Z', by: { userId: 'kari.nav', role: 'caseworker', unit: 'NAV', partnerOrganisation: null } } satisfies Stamp;
const amounts = { monthlyAmountOre: 125_000, oneOffAmountOre: null };
const terms = (reasons: string) => ({ periodFrom: '2024-03-01', periodUntil: '2024-12-31', amounts, legalBasis: 'Barnevernsloven § 3-1', reasons });

export function everyEventShape(t: () => string): FamilyEvent[] {
  const member = (memberId: string, role: 'adult' | 'child', extra: boolean): MemberDetails => ({
    memberId,
    name: t(),
    birthDate: t(),
    role,
    nationalId: extra ? t() : null,
    preferredLanguage: extra ? t() : null,
    protectedAddress: false,
    addressProtection: 'none',
  });
  const d = delegation('bft-child-welfare-support');
  const events: FamilyEvent[] = [
    {
      type: 'FamilyRegistered',
      data: {
        familyId: 'fam-1',
        district: t(),
        registeredOn: '2024-01-08',
        members: [member('m-a', 'adult', true), member('m-b', 'child', false)],
        parentalResponsibility: [
          { childId: 'm-b', holderId: 'm-a', basis: 'court-decision', documentRef: t() },
          { childId: 'm-b', holderId: 'm-x', basis: 'birth-registration', documentRef: null },
        ],
        ...nav,
      },
    },
    { type: 'MemberJoined', data: { member: member('m-c', 'adult', true), joinedOn: '2024-02-01', ...nav } },
    { type: 'MemberLeft', data: { memberId: 'm-c', leftOn: '2024-02-02', reason: t(), ...nav } },
    {
      type: 'ContactPersonJoined',
      data: { personId: 'p-1', name: t(), affiliation: { kind: 'partner', organisation: t(), organisationNumber: '974123456' }, teamRole: t(), ...nav },
    },
    { type: 'ContactPersonJoined', data: { personId: 'p-2', name: t(), affiliation: { kind: 'unit', unit: 'BFT' }, teamRole: null, ...nav } },
    { type: 'ContactPersonLeft', data: { personId: 'p-1', ...nav } },
    { type: 'CoordinatingUnitNamed', data: { unit: 'BFT', previousUnit: 'NAV', ...nav } },
    {
      type: 'NeedExpressed',
      data: {
        needId: 'n-1',
        memberId: 'm-b',
        words: t(),
        expressedOn: '2024-02-20',
        recordedBy: { kind: 'partner', organisation: t(), organisationNumber: '974123456', userId: 'lise.school' },
        ...nav,
      },
    },
    {
      type: 'NeedExpressed',
      data: { needId: 'n-2', memberId: null, words: t(), expressedOn: '2024-02-20', recordedBy: { kind: 'unit', unit: 'NAV', userId: 'kari.nav' }, ...nav },
    },
    { type: 'NeedPickedUp', data: { needId: 'n-1', unit: 'BFT', ...nav } },
    { type: 'NeedResolved', data: { needId: 'n-1', decisionIds: ['d-1'], paymentIds: ['pay-1'], resolution: t(), ...nav } },
    { type: 'NeedWithdrawn', data: { needId: 'n-2', reason: t(), ...nav } },
    {
      type: 'ConsentGiven',
      data: {
        consentId: 'c-1',
        memberId: 'm-b',
        givenByMemberId: 'm-a',
        givenAsGuardian: true,
        kind: 'information-sharing',
        sourceUnits: ['NAV'],
        toUnits: ['BFT'],
        dataCategories: ['needs'],
        purpose: t(),
        validFrom: '2024-03-01',
        validUntil: '2024-12-31',
        evidence: { form: 'written', documentRef: t() },
        ...nav,
      },
    },
    {
      type: 'ConsentGiven',
      data: {
        consentId: 'c-2',
        memberId: 'm-a',
        givenByMemberId: 'm-a',
        givenAsGuardian: false,
        kind: 'coordination',
        sourceUnits: null,
        toUnits: ['NAV'],
        dataCategories: ['needs'],
        purpose: t(),
        validFrom: '2024-03-01',
        validUntil: '2024-12-31',
        evidence: { form: 'oral', documentedBy: 'kari.nav', documentedAt: '2024-03-01T09:00:00.000Z', note: t() },
        ...nav,
      },
    },
    {
      type: 'ConsentWithdrawn',
      data: { consentId: 'c-1', effectiveFrom: '2024-04-01', reason: t(), expressedByMemberId: 'm-a', channel: 'orally', alertedUnits: ['BFT'], ...nav },
    },
    {
      type: 'DecisionProposed',
      data: {
        decisionId: 'd-1',
        unit: 'BFT',
        decisionType: 'child-welfare-support-measure',
        memberIds: ['m-b'],
        legalBasis: 'Barnevernsloven § 3-1',
        periodFrom: '2024-03-01',
        periodUntil: '2024-12-31',
        amounts,
        reasons: { rulesApplied: ['barnevernsloven § 3-1'], facts: t(), mainConsiderations: t(), summary: t() },
        outcome: 'partly-granted',
        childViews: [
          { memberId: 'm-b', heard: true, how: 'conversation', heardOn: '2024-02-28', views: t(), weight: t() },
          { memberId: 'm-c', heard: false, whyNot: 'declined', explanation: t() },
        ],
        enkeltvedtak: true,
        fourEyes: true,
        subProject: { subProjectId: 'sp-1', responsibleUnit: 'BFT' },
        delegation: d,
        ...nav,
      },
    },
    {
      // Schema ≤ 2: reasons as free text, no outcome or child views.
      type: 'DecisionProposed',
      data: {
        decisionId: 'd-2',
        unit: 'NAV',
        decisionType: 'economic-social-assistance',
        memberIds: ['m-a'],
        legalBasis: null,
        periodFrom: '2024-03-01',
        periodUntil: '2024-12-31',
        amounts,
        reasons: t(),
        enkeltvedtak: true,
        fourEyes: false,
        subProject: null,
        delegation: d,
        ...nav,
      },
    },
    { type: 'DecisionApproved', data: { decisionId: 'd-1', notifiedOn: null, decidedOn: '2024-03-02', effectiveFrom: '2024-03-01', delegation: d, ...nav } },
    { type: 'DecisionRejected', data: { decisionId: 'd-2', reason: t(), delegation: d, ...nav } },
    {
      type: 'DecisionAmended',
      data: {
        decisionId: 'd-1',
        ...terms(t()),
        appealId: null,
        delegation: d,
        effectiveFrom: '2024-04-01',
        ground: 'general-doctrine',
        advanceNotice: { waiver: { ground: '§ 16 (3) c', explanation: t() } },
        ...nav,
      },
    },
    {
      type: 'AdvanceNoticeSent',
      data: {
        noticeId: 'an-1',
        decisionId: 'd-1',
        intendedAct: 'revoke',
        memberIds: ['m-a'],
        sentOn: '2024-04-02',
        answerBy: '2024-04-20',
        channel: 'post',
        language: t(),
        ...nav,
      },
    },
    { type: 'PartyStatementReceived', data: { noticeId: 'an-1', decisionId: 'd-1', memberId: 'm-a', receivedOn: '2024-04-10', summary: t(), ...nav } },
    {
      type: 'DecisionRevoked',
      data: {
        decisionId: 'd-1',
        reason: t(),
        delegation: d,
        effectiveFrom: '2024-05-01',
        ground: 'general-doctrine',
        advanceNotice: { noticeId: 'an-1' },
        ...nav,
      },
    },
    {
      type: 'DecisionRevoked',
      data: {
        decisionId: 'd-3',
        reason: t(),
        delegation: d,
        effectiveFrom: '2024-05-01',
        ground: 'general-doctrine',
        advanceNotice: { waiver: { ground: '§ 16 (3) a', explanation: t() } },
        ...nav,
      },
    },
    { type: 'DecisionExpired', data: { decisionId: 'd-1', periodUntil: '2024-12-31', delegation: d, ...nav } },
    {
      type: 'AppealReceived',
      data: {
        appealId: 'ap-0',
        decisionId: 'd-1',
        appellantMemberId: 'm-a',
        grounds: t(),
        receivedDate: '2024-03-10',
        deadline: '2024-03-25',
        late: true,
        lateExcuse: t(),
        ...nav,
      },
    },
    { type: 'AppealDecided', data: { appealId: 'ap-0', decisionId: 'd-1', outcome: 'upheld', reasons: t(), ...nav } },
    {
      type: 'NotificationSent',
      data: {
        notificationId: 'nt-1',
        subject: { kind: 'decision', id: 'd-1' },
        decisionId: 'd-1',
        recipientMemberId: 'm-a',
        channel: 'post',
        language: t(),
        sentOn: '2024-03-03',
        documentRef: t(),
        // From the decision-type catalogue, never typed by a caseworker.
        informs: {
          appealRight: true,
          deadlineWeeks: 3,
          appealBody: 'statsforvalteren',
          appealProvision: 'forvaltningsloven § 28',
          procedure: 'Send the appeal to the unit that decided.',
          documentAccess: 'forvaltningsloven §§ 18-19',
          suspension: 'forvaltningsloven § 42',
        },
        ...nav,
      },
    },
    { type: 'NotificationReceived', data: { notificationId: 'nt-1', receivedOn: '2024-03-05', evidence: 'postal-tracking', ...nav } },
    {
      type: 'AppealRegistered',
      data: {
        appealId: 'ap-1',
        decisionId: 'd-1',
        againstDismissalOf: null,
        appellant: { kind: 'member', memberId: 'm-a' },
        receivedOn: '2024-03-20',
        postedOn: null,
        channel: 'post',
        grounds: t(),
        signed: true,
        ...nav,
      },
    },
    {
      type: 'AppealRegistered',
      data: {
        appealId: 'ap-2',
        decisionId: 'd-1',
        againstDismissalOf: 'ap-1',
        appellant: { kind: 'representative', representative: t(), forMemberId: 'm-b' },
        receivedOn: '2024-03-20',
        postedOn: '2024-03-19',
        channel: 'email',
        grounds: t(),
        signed: null,
        ...nav,
      },
    },
    {
      type: 'AppealFormAssessed',
      data: {
        appealId: 'ap-1',
        standing: 'legal-interest',
        standingNote: t(),
        specific: true,
        signed: true,
        timeliness: 'late-special-reasons',
        deadline: '2024-03-26',
        computedFrom: 'nt-1',
        excuse: { ground: 'special-reasons', explanation: t() },
        pastOneYear: false,
        requirementsMet: true,
        reasons: t(),
        ...nav,
      },
    },
    {
      type: 'AppealDismissed',
      data: { appealId: 'ap-2', decisionId: 'd-1', dismissedOn: '2024-03-30', failed: ['signed (forvaltningsloven § 32 (1) b)'], reasons: t(), ...nav },
    },
    { type: 'AppealPrepared', data: { appealId: 'ap-1', investigations: t(), counterpartiesNotified: true, ...nav } },
    {
      type: 'AppealGrantedByUnit',
      data: {
        appealId: 'ap-1',
        decisionId: 'd-1',
        fully: false,
        reasons: t(),
        effect: { kind: 'amend', terms: terms(t()), effectiveFrom: '2024-04-01' },
        ...nav,
      },
    },
    {
      type: 'AppealForwarded',
      data: {
        appealId: 'ap-1',
        decisionId: 'd-1',
        body: 'statsforvalteren',
        provision: 'forvaltningsloven § 33',
        forwardedOn: '2024-04-02',
        unitStatement: t(),
        copyToParty: true,
        remainderOnly: true,
        ...nav,
      },
    },
    {
      type: 'AppealOutcomeRecorded',
      data: {
        appealId: 'ap-1',
        decisionId: 'd-1',
        body: 'statsforvalteren',
        outcome: 'changed',
        decidedOn: '2024-05-01',
        receivedOn: '2024-05-03',
        reference: t(),
        summary: t(),
        effect: { kind: 'amend', terms: terms(t()), effectiveFrom: '2024-05-01' },
        ...nav,
      },
    },
    {
      type: 'AppealOutcomeRecorded',
      data: {
        appealId: 'ap-3',
        decisionId: 'd-1',
        body: 'statsforvalteren',
        outcome: 'quashed-returned',
        decidedOn: '2024-05-01',
        receivedOn: '2024-05-03',
        reference: t(),
        summary: t(),
        effect: { kind: 'reopen-appeal', appealId: 'ap-2' },
        ...nav,
      },
    },
    { type: 'AppealWithdrawn', data: { appealId: 'ap-2', withdrawnOn: '2024-04-01', note: t(), ...nav } },
    { type: 'ExecutionSuspensionRequested', data: { appealId: 'ap-1', decisionId: 'd-1', requestedOn: '2024-03-21', ...nav } },
    { type: 'ExecutionSuspended', data: { appealId: 'ap-1', decisionId: 'd-1', from: '2024-03-22', until: 'appeal-decided', reasons: t(), ...nav } },
    { type: 'ExecutionSuspensionRefused', data: { appealId: 'ap-2', decisionId: 'd-1', reasons: t(), ...nav } },
    {
      type: 'PaymentRecorded',
      data: {
        paymentId: 'pay-1',
        recipientMemberId: 'm-a',
        amountOre: 125_000,
        method: 'bank-transfer',
        funding: { kind: 'sub-project', subProjectId: 'sp-1' },
        answersNeedId: 'n-1',
        answersDecisionId: 'd-1',
        documentationRef: t(),
        paidOn: '2024-03-05',
        countsAsIncome: false,
        ...nav,
      },
    },
    { type: 'PaymentReversed', data: { paymentId: 'pay-1', amountOre: 125_000, reversedOn: '2024-03-06', reason: t(), ...nav } },
    {
      type: 'PaymentAbandoned',
      data: {
        paymentId: 'pay-2',
        subProjectId: 'sp-1',
        recipientMemberId: 'm-b',
        amountOre: 50_000,
        reason: 'family-refused',
        refusal: 'MEMBER_NOT_CURRENT',
        ...nav,
      },
    },
    {
      type: 'FamilyDecisionIssued',
      data: {
        familyDecisionId: 'fd-1',
        decisions: [
          {
            decisionId: 'd-1',
            unit: 'BFT',
            decisionType: 'child-welfare-support-measure',
            memberIds: ['m-b'],
            legalBasis: 'Barnevernsloven § 3-1',
            periodFrom: '2024-03-01',
            periodUntil: '2024-12-31',
          },
        ],
        reviewDate: '2024-09-01',
        responsibleUnit: 'NAV',
        contactPersonId: 'p-2',
        consentIds: ['c-2'],
        ruleSetId: 'trondheim-2023',
        ruleSetVersion: 1,
        supersedes: null,
        ...nav,
      },
    },
    {
      type: 'ParentalResponsibilityRecorded',
      data: { childId: 'm-b', holderId: 'm-c', basis: 'agreement', documentRef: t(), since: '2024-02-01', ...nav },
    },
    { type: 'ParentalResponsibilityEnded', data: { childId: 'm-b', holderId: 'm-c', reason: t(), ...nav } },
    {
      type: 'ReferralRecorded',
      data: { referralId: 'r-1', fromUnit: 'NAV', toUnit: 'BFT', memberIds: ['m-b'], reason: t(), ground: 'consent', consentIds: ['c-1'], ...nav },
    },
    { type: 'ReferralAccepted', data: { referralId: 'r-1', unit: 'BFT', since: '2024-02-01', ...nav } },
    { type: 'ReferralDeclined', data: { referralId: 'r-2', unit: 'HVK', reason: t(), ...nav } },
    { type: 'InvolvementClosed', data: { unit: 'HVK', reason: t(), contactPersonIds: ['p-1'], ...nav } },
    {
      type: 'FamilyEnrolled',
      data: {
        enrolmentId: 'e-1',
        subProjectId: 'sp-1',
        subProjectName: t(),
        responsibleUnit: 'BFT',
        memberIds: ['m-b'],
        partners: [{ organisationNumber: '974123456', name: t(), mayRecordPayments: true }],
        ...nav,
      },
    },
    { type: 'EnrolmentEnded', data: { enrolmentId: 'e-1', reason: t(), contactPersonIds: [], ...nav } },
  ];
  const plan = () => ({
    planId: 'pl-1',
    goals: [
      { goalId: 'g-1', words: t(), memberIds: ['m-b'], answeredBy: ['BFT' as const] },
      { goalId: 'g-2', words: t(), memberIds: [], answeredBy: ['NAV' as const] },
    ],
    responsibilities: [{ unit: 'NAV' as const, for: t() }],
    coordinator: { personId: 'p-2', unit: 'BFT' as const },
    reviewDates: ['2024-09-01'],
    memberIds: ['m-a', 'm-b'],
    consentIds: ['c-2'],
  });
  events.push(
    { type: 'FamilyPlanRecorded', data: { ...plan(), ...nav } },
    { type: 'FamilyPlanRevised', data: { ...plan(), reason: t(), ...nav } },
    { type: 'FamilyPlanReviewed', data: { planId: 'pl-1', on: '2024-09-01', notes: t(), ...nav } },
    { type: 'FamilyPlanEnded', data: { planId: 'pl-1', endedOn: '2024-10-01', reason: t(), cause: null, ...nav } },
    { type: 'FamilyPlanEnded', data: { planId: 'pl-2', endedOn: '2024-10-01', reason: null, cause: { kind: 'consent-withdrawn', id: 'c-2' }, ...nav } },
    {
      type: 'FamilyDecisionSuspended',
      data: { familyDecisionId: 'fd-1', cause: { kind: 'consent-withdrawn', id: 'c-2' }, effectiveFrom: '2024-10-01', ...nav },
    },
    {
      type: 'LetterIssued',
      data: {
        letterId: 'l-1',
        decisionIds: ['d-1'],
        templateVersion: 'family-letter@3',
        language: 'nb',
        issuedOn: '2024-03-04',
        issuingUnit: 'BFT',
        copies: [{ recipientMemberId: 'm-a', sha256: 'a'.repeat(64), language: 'nb', decisionIds: ['d-1'] }],
        ...nav,
      },
    },
    {
      type: 'LetterDelivered',
      data: { letterId: 'l-1', recipientMemberId: 'm-a', channel: 'post', deliveredOn: '2024-03-06', notificationIds: ['nt-1'], ...nav },
    },
    {
      type: 'ErasureRequested',
      data: {
        requestId: 'er-1',
        memberId: 'm-a',
        categories: ['need', 'case'],
        receivedOn: '2031-01-10',
        requestedBy: { kind: 'representative', representative: t() },
        channel: 'in-writing',
        alreadyErased: ['need/n-2'],
        ...nav,
      },
    },
    {
      type: 'ErasureRequested',
      data: {
        requestId: 'er-2',
        memberId: 'm-b',
        categories: 'all',
        receivedOn: '2031-01-10',
        requestedBy: { kind: 'member', memberId: 'm-a' },
        channel: 'orally',
        alreadyErased: [],
        ...nav,
      },
    },
    {
      type: 'PersonalDataErased',
      data: {
        erasureId: 'ers-1',
        keyRefs: ['need/n-1', 'case/family'],
        subjects: ['m-a'],
        categories: ['need', 'case'],
        on: '2031-02-01',
        rule: { scheduleId: 'trondheim-2026', version: 1, entry: 'need-default', provision: 'arkivforskriften § 15' },
        requestId: null,
        ...nav,
      },
    },
    {
      type: 'ErasureRefused',
      data: {
        requestId: 'er-1',
        keyRef: 'decision/d-1',
        category: 'decision',
        reason: 'kept-for-archives',
        provision: 'arkivlova § 6',
        rule: null,
        keptUntil: null,
        keptBecauseOf: ['decision/d-1'],
        ...nav,
      },
    },
    {
      type: 'CaseExportedForArchive',
      data: { exportId: 'ex-1', manifestSha256: 'a'.repeat(64), exportedOn: '2031-02-01', streamRevision: 41, fileCount: 4, schemaVersion: 1, ...nav },
    },
  );
  return events;
}
