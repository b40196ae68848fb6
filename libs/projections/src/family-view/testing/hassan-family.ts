import type { Actor, AddressProtection, FamilyCommand, LocalDate } from '@familievedtak/domain';
import { actors as domainActors, members } from '../../../../domain/src/testing/family.fixtures';
import { decideHistory, type Step } from './family-history';

/**
 * The Hassan family in Heimdal (two adults, three children), January to June 2024, across
 * all five units: a history that exercises every section and warning of the view.
 * The view is read on TODAY, Friday 14 June 2024.
 */
export const TODAY = '2024-06-14';
export const HASSAN = 'hassan';

export const actors = {
  ...domainActors,
  oppvekstCaseworker: { userId: 'guri.oppvekst', role: 'caseworker', unit: 'OPPVEKST' },
  oppvekstApprover: { userId: 'tor.oppvekst', role: 'approver', unit: 'OPPVEKST' },
} satisfies Record<string, Actor>;

const nav = actors.navCaseworker;
const bft = actors.bftCaseworker;

export const step = <T extends FamilyCommand['type']>(on: LocalDate, actor: Actor, type: T, data: Extract<FamilyCommand, { type: T }>['data']): Step => ({
  on,
  actor,
  command: { type, data } as FamilyCommand,
});

/** On a signed form (the archive reference); every consent names until when it holds. */
const written = (documentRef: string) => ({ form: 'written' as const, documentRef });

const infoConsent = (
  consentId: string,
  memberId: string,
  givenByMemberId: string,
  toUnits: Array<'NAV' | 'BFT' | 'HVK' | 'INN' | 'OPPVEKST'>,
  validUntil: LocalDate,
  validFrom: LocalDate = '2024-01-10',
  dataCategories: Array<'needs' | 'decisions' | 'payments'> = ['needs', 'decisions', 'payments'],
) => ({
  consentId,
  memberId,
  givenByMemberId,
  kind: 'information-sharing' as const,
  toUnits,
  dataCategories,
  purpose: 'Units around the family may share what they know to help together.',
  validFrom,
  validUntil,
  evidence: written(`ARK-${consentId}`),
});

const combineConsent = (consentId: string, memberId: string) => ({
  consentId,
  memberId,
  givenByMemberId: memberId,
  kind: 'combine-family-decision' as const,
  toUnits: ['NAV' as const, 'BFT' as const, 'HVK' as const],
  dataCategories: ['decisions' as const, 'payments' as const],
  purpose: 'One family decision with one contact person.',
  validFrom: '2024-06-01',
  validUntil: '2025-05-31',
  evidence: written(`ARK-${consentId}`),
});

const coordinationConsent = (consentId: string, memberId: string) => ({
  consentId,
  memberId,
  givenByMemberId: memberId,
  kind: 'coordination' as const,
  toUnits: ['NAV' as const],
  dataCategories: ['needs' as const],
  purpose: 'NAV coordinates the help around the family.',
  validFrom: '2024-01-09',
  validUntil: '2024-12-31',
  evidence: { form: 'oral' as const, note: 'Said at the first meeting.' },
});

/** A unit refers, the other accepts: the accepted referral is what gives a unit its part in the case. */
const referral = (
  on: LocalDate,
  from: Actor,
  to: Actor,
  referralId: string,
  memberIds: string[],
  reason: string,
  ground?: 'consent' | 'duty-to-inform-child-welfare',
) => [
  step(on, from, 'ReferToUnit', { referralId, toUnit: to.unit!, memberIds, reason, ...(ground ? { ground } : {}) }),
  step(on, to, 'AcceptReferral', { referralId }),
];

const pay = (paymentId: string, decisionId: string, amountOre: number, paidOn: LocalDate) =>
  step(paidOn, nav, 'RecordPayment', {
    paymentId,
    recipientMemberId: 'm-amina',
    amountOre,
    method: 'bank-transfer',
    funding: { kind: 'unit', unit: 'NAV' },
    answersDecisionId: decisionId,
    documentationRef: `NAV-${paidOn}-${paymentId}`,
    paidOn,
  });

/** Saupstad skole: a partner, identified by its organisation number (the token's `org`). */
export const SCHOOL = actors.school.partnerOrganisation;
/** BFT's pilot sub-project, as the application reads it from the sub-project's stream. */
export const BARNAS_STEMME = {
  subProjectId: 'sp-barnas-stemme',
  responsibleUnit: 'BFT' as const,
  name: 'Barnas stemme',
  partners: [{ organisationNumber: SCHOOL, name: 'Saupstad skole', mayRecordPayments: false }],
  active: true,
};

const children = ['m-leila', 'm-sara', 'm-omar'];
const parentalResponsibility = children.flatMap((childId) =>
  ['m-amina', 'm-yusuf'].map((holderId) => ({ childId, holderId, basis: 'birth-registration' as const })),
);

export const hassanSteps: Step[] = [
  step('2024-01-08', nav, 'RegisterFamily', {
    familyId: HASSAN,
    district: 'Heimdal',
    members: [members.amina, members.yusuf, members.leila, members.sara, members.omar],
    parentalResponsibility,
  }),
  step('2024-01-08', nav, 'JoinContactPerson', { personId: 'p-kari', name: 'Kari Nordmann', affiliation: { kind: 'unit', unit: 'NAV' } }),
  // BFT's part: NAV's duty to inform the child-welfare service about the girls (barnevernsloven § 13-2).
  ...referral('2024-01-09', nav, bft, 'ref-bft', ['m-leila', 'm-sara'], 'The girls need support after school.', 'duty-to-inform-child-welfare'),
  step('2024-01-09', bft, 'JoinContactPerson', { personId: 'p-siri', name: 'Siri Berg', affiliation: { kind: 'unit', unit: 'BFT' } }),
  step('2024-01-09', nav, 'GiveConsent', coordinationConsent('c-amina-coord', 'm-amina')),
  step('2024-01-09', nav, 'GiveConsent', coordinationConsent('c-yusuf-coord', 'm-yusuf')),
  step('2024-01-09', nav, 'NameCoordinatingUnit', { unit: 'NAV' }),
  step('2024-01-10', nav, 'GiveConsent', infoConsent('c-amina-info', 'm-amina', 'm-amina', ['NAV', 'BFT', 'HVK'], '2024-07-31')),
  step('2024-01-10', nav, 'GiveConsent', infoConsent('c-yusuf-info', 'm-yusuf', 'm-yusuf', ['NAV', 'BFT', 'HVK', 'INN'], '2024-12-31')),
  step('2024-01-10', bft, 'GiveConsent', infoConsent('c-sara-info', 'm-sara', 'm-amina', ['BFT', 'OPPVEKST'], '2024-03-31')),
  // INN's part: a referral of Yusuf, under his consent naming INN.
  ...referral('2024-01-10', nav, actors.innCaseworker, 'ref-inn', ['m-yusuf'], 'Yusuf arrived as a refugee in 2023.'),
  // INN: the introduction programme ran out in March and the expiry was recorded.
  step('2024-01-10', actors.innCaseworker, 'ProposeDecision', {
    decisionId: 'd-inn',
    unit: 'INN',
    decisionType: 'introduction-programme',
    memberIds: ['m-yusuf'],
    periodFrom: '2024-01-10',
    periodUntil: '2024-03-31',
    outcome: 'granted',
    reasons: {
      rulesApplied: ['the decision type’s legal basis'],
      facts: 'Yusuf arrived as a refugee in 2023.',
      mainConsiderations: null,
      summary: 'Yusuf arrived as a refugee in 2023.',
    },
  }),
  step('2024-01-11', actors.innApprover, 'ApproveDecision', { decisionId: 'd-inn' }),
  // OPPVEKST's part: BFT refers Sara under her mother's consent naming OPPVEKST.
  ...referral('2024-01-11', bft, actors.oppvekstCaseworker, 'ref-oppvekst', ['m-sara'], 'Fee reductions for the children.'),
  // OPPVEKST: the after-school reduction ends in May; nobody records its expiry.
  step('2024-01-12', actors.oppvekstCaseworker, 'ProposeDecision', {
    decisionId: 'd-kg',
    unit: 'OPPVEKST',
    decisionType: 'kindergarten-fee-reduction',
    memberIds: ['m-omar'],
    periodFrom: '2024-01-01',
    periodUntil: '2024-06-30',
    amounts: { monthlyAmountOre: 150_000 },
    outcome: 'granted',
    reasons: { rulesApplied: ['the decision type’s legal basis'], facts: 'Low household income.', mainConsiderations: null, summary: 'Low household income.' },
    childViews: [{ memberId: 'm-omar', heard: false, whyNot: 'not-able-to-form-views', explanation: 'Omar is two.' }],
  }),
  step('2024-01-12', actors.oppvekstCaseworker, 'ProposeDecision', {
    decisionId: 'd-sfo',
    unit: 'OPPVEKST',
    decisionType: 'after-school-fee-reduction',
    memberIds: ['m-sara'],
    periodFrom: '2024-01-01',
    periodUntil: '2024-05-31',
    outcome: 'granted',
    reasons: { rulesApplied: ['the decision type’s legal basis'], facts: 'Low household income.', mainConsiderations: null, summary: 'Low household income.' },
    childViews: [
      { memberId: 'm-sara', heard: true, how: 'conversation', heardOn: '2024-01-05', views: 'Wants the help.', weight: 'Given weight by age and maturity.' },
    ],
  }),
  step('2024-01-15', actors.oppvekstApprover, 'ApproveDecision', { decisionId: 'd-kg' }),
  step('2024-01-15', actors.oppvekstApprover, 'ApproveDecision', { decisionId: 'd-sfo' }),
  // n-job: answered by NAV's qualification programme, proposed 21 days later.
  step('2024-01-15', nav, 'ExpressNeed', { needId: 'n-job', memberId: 'm-amina', words: 'Jeg vil ha en jobb.' }),
  step('2024-01-16', nav, 'PickUpNeed', { needId: 'n-job' }),
  step('2024-02-01', nav, 'ProposeDecision', {
    decisionId: 'd-nav',
    unit: 'NAV',
    decisionType: 'economic-social-assistance',
    memberIds: ['m-amina', 'm-yusuf'],
    periodFrom: '2024-02-01',
    periodUntil: '2024-07-31',
    amounts: { monthlyAmountOre: 1_250_000 },
    outcome: 'granted',
    reasons: {
      rulesApplied: ['the decision type’s legal basis'],
      facts: 'No income while both adults learn Norwegian.',
      mainConsiderations: null,
      summary: 'No income while both adults learn Norwegian.',
    },
  }),
  step('2024-02-02', actors.navApprover, 'ApproveDecision', { decisionId: 'd-nav' }),
  // fvl § 27: NAV notifies both parties in their digital mailbox; the appeal deadline counts from
  // each one's receipt (fvl § 29): Yusuf read it the same day, Amina on Monday.
  step('2024-02-02', nav, 'SendNotification', {
    notificationId: 'nt-nav-yusuf',
    subject: { kind: 'decision', id: 'd-nav' },
    recipientMemberId: 'm-yusuf',
    channel: 'digital-mailbox',
    sentOn: '2024-02-02',
  }),
  step('2024-02-02', nav, 'SendNotification', {
    notificationId: 'nt-nav-amina',
    subject: { kind: 'decision', id: 'd-nav' },
    recipientMemberId: 'm-amina',
    channel: 'digital-mailbox',
    sentOn: '2024-02-02',
  }),
  step('2024-02-02', nav, 'RecordNotificationReceived', { notificationId: 'nt-nav-yusuf', receivedOn: '2024-02-02', evidence: 'digital-read-receipt' }),
  step('2024-02-05', nav, 'RecordNotificationReceived', { notificationId: 'nt-nav-amina', receivedOn: '2024-02-05', evidence: 'digital-read-receipt' }),
  step('2024-02-05', nav, 'ProposeDecision', {
    decisionId: 'd-qual',
    unit: 'NAV',
    decisionType: 'qualification-programme',
    memberIds: ['m-amina'],
    periodFrom: '2024-02-05',
    periodUntil: '2024-12-31',
    amounts: { monthlyAmountOre: 800_000 },
    outcome: 'granted',
    reasons: { rulesApplied: ['the decision type’s legal basis'], facts: 'Amina wants work.', mainConsiderations: null, summary: 'Amina wants work.' },
  }),
  pay('pay-nav-feb', 'd-nav', 1_250_000, '2024-02-05'),
  step('2024-02-06', actors.navApprover, 'ApproveDecision', { decisionId: 'd-qual' }),
  step('2024-02-10', nav, 'ResolveNeed', { needId: 'n-job', decisionIds: ['d-qual'], resolution: 'Qualification programme.' }),
  // The social assistance is appealed; the appeal stays open, and the decision stays in force
  // (an appeal does not suspend execution unless decided under fvl § 42).
  step('2024-02-15', nav, 'RegisterAppeal', {
    appealId: 'a-nav',
    decisionId: 'd-nav',
    receivedOn: '2024-02-15',
    appellant: { memberId: 'm-yusuf' },
    channel: 'post',
    signed: true,
    grounds: 'Too little for five.',
  }),
  step('2024-02-15', nav, 'AssessAppealForm', { appealId: 'a-nav', specific: true, signed: true, reasons: 'Signed; names the amount.' }),
  // BFT enrols Sara in its sub-project Barnas stemme, which names the school: the school may now write for her.
  step('2024-02-19', bft, 'EnrolInSubProject', {
    enrolmentId: 'e-barnas-stemme',
    subProjectId: BARNAS_STEMME.subProjectId,
    memberIds: ['m-sara'],
    subProject: BARNAS_STEMME,
  }),
  // n-football: paid by a sub-project and by BFT's own budget (two payers for one need).
  step('2024-02-20', actors.school, 'ExpressNeed', {
    needId: 'n-football',
    memberId: 'm-sara',
    words: 'Jeg vil gå på fotball med de andre i klassen.',
  }),
  step('2024-02-22', bft, 'PickUpNeed', { needId: 'n-football' }),
  step('2024-03-01', bft, 'ProposeDecision', {
    decisionId: 'd-bft',
    unit: 'BFT',
    decisionType: 'child-welfare-support-measure',
    memberIds: ['m-sara'],
    periodFrom: '2024-03-01',
    periodUntil: '2024-12-31',
    outcome: 'granted',
    reasons: {
      rulesApplied: ['the decision type’s legal basis'],
      facts: 'Sara needs a support contact after school.',
      mainConsiderations: null,
      summary: 'Sara needs a support contact after school.',
    },
    childViews: [
      { memberId: 'm-sara', heard: true, how: 'conversation', heardOn: '2024-01-05', views: 'Wants the help.', weight: 'Given weight by age and maturity.' },
    ],
  }),
  step('2024-03-01', bft, 'ProposeDecision', {
    decisionId: 'd-coord',
    unit: 'BFT',
    decisionType: 'coordinator-child',
    memberIds: ['m-leila'],
    periodFrom: '2024-03-01',
    periodUntil: '2024-12-31',
    outcome: 'granted',
    reasons: {
      rulesApplied: ['the decision type’s legal basis'],
      facts: 'Leila has many helpers.',
      mainConsiderations: null,
      summary: 'Leila has many helpers.',
    },
    childViews: [
      { memberId: 'm-leila', heard: true, how: 'conversation', heardOn: '2024-01-05', views: 'Wants the help.', weight: 'Given weight by age and maturity.' },
    ],
  }),
  // n-summer-job: INN picked it up, so no warning however long it stays open (it sees the need
  // under the consent Leila's mother gave for her needs to INN).
  step('2024-03-01', nav, 'GiveConsent', infoConsent('c-leila-needs', 'm-leila', 'm-amina', ['INN'], '2024-12-31', '2024-03-01', ['needs'])),
  step('2024-03-01', nav, 'ExpressNeed', { needId: 'n-summer-job', memberId: 'm-leila', words: 'Jeg vil ha sommerjobb.' }),
  step('2024-03-04', actors.bftApprover, 'ApproveDecision', { decisionId: 'd-bft' }),
  step('2024-03-04', actors.bftApprover, 'ApproveDecision', { decisionId: 'd-coord' }),
  step('2024-03-04', actors.innCaseworker, 'PickUpNeed', { needId: 'n-summer-job' }),
  pay('pay-nav-mar', 'd-nav', 1_250_000, '2024-03-05'),
  pay('pay-qual-mar', 'd-qual', 800_000, '2024-03-05'),
  step('2024-03-14', bft, 'RecordPayment', {
    paymentId: 'pay-pilot',
    recipientMemberId: 'm-sara',
    amountOre: 120_000,
    method: 'gift-card',
    funding: { kind: 'sub-project', subProjectId: 'sp-barnas-stemme' },
    subProject: { subProjectId: 'sp-barnas-stemme', responsibleUnit: 'BFT' },
    answersNeedId: 'n-football',
    documentationRef: 'Receipt XXL 2024-03-14',
    paidOn: '2024-03-14',
  }),
  step('2024-03-20', bft, 'RecordPayment', {
    paymentId: 'pay-bft',
    recipientMemberId: 'm-sara',
    amountOre: 50_000,
    method: 'supplier-payment',
    funding: { kind: 'unit', unit: 'BFT' },
    answersNeedId: 'n-football',
    documentationRef: 'Invoice Heimdal IL 2024-117',
    paidOn: '2024-03-20',
    countsAsIncome: false,
  }),
  step('2024-03-21', bft, 'ResolveNeed', { needId: 'n-football', paymentIds: ['pay-pilot', 'pay-bft'] }),
  // n-licence: nobody picks it up; 74 days open on TODAY.
  step('2024-04-01', nav, 'ExpressNeed', { needId: 'n-licence', memberId: 'm-yusuf', words: 'Jeg trenger førerkort for å få jobb.' }),
  step('2024-04-02', actors.innCaseworker, 'ExpireDecision', { decisionId: 'd-inn' }),
  pay('pay-qual-apr', 'd-qual', 800_000, '2024-04-05'),
  // fvl §§ 16, 35: Leila asked for it herself, so advance notice is obviously unnecessary (§ 16 (3) c).
  step('2024-04-10', actors.bftApprover, 'RevokeDecision', {
    decisionId: 'd-coord',
    reason: 'Leila moved her support to school.',
    ground: 'general-doctrine',
    advanceNoticeWaiver: { ground: '§ 16 (3) c', explanation: 'Leila asked for the change herself.' },
  }),
  // HVK's part: a referral of Yusuf, under his consent naming HVK.
  ...referral('2024-04-12', nav, actors.hvkCaseworker, 'ref-hvk', ['m-yusuf'], 'Yusuf was injured at work.'),
  step('2024-04-15', actors.hvkCaseworker, 'ProposeDecision', {
    decisionId: 'd-hvk-care',
    unit: 'HVK',
    decisionType: 'adult-health-care-service',
    memberIds: ['m-yusuf'],
    periodFrom: '2024-05-01',
    periodUntil: '2024-10-31',
    outcome: 'granted',
    reasons: {
      rulesApplied: ['the decision type’s legal basis'],
      facts: 'Physiotherapy after an injury.',
      mainConsiderations: null,
      summary: 'Physiotherapy after an injury.',
    },
  }),
  step('2024-04-15', actors.hvkCaseworker, 'ProposeDecision', {
    decisionId: 'd-housing',
    unit: 'HVK',
    decisionType: 'municipal-housing',
    memberIds: ['m-amina', 'm-yusuf', 'm-leila', 'm-sara', 'm-omar'],
    periodFrom: '2024-05-01',
    periodUntil: '2025-04-30',
    outcome: 'granted',
    reasons: {
      rulesApplied: ['the decision type’s legal basis'],
      facts: 'The flat is too small.',
      mainConsiderations: null,
      summary: 'The flat is too small.',
    },
    childViews: [
      { memberId: 'm-leila', heard: true, how: 'conversation', heardOn: '2024-01-05', views: 'Wants the help.', weight: 'Given weight by age and maturity.' },
      { memberId: 'm-sara', heard: true, how: 'conversation', heardOn: '2024-01-05', views: 'Wants the help.', weight: 'Given weight by age and maturity.' },
      { memberId: 'm-omar', heard: false, whyNot: 'not-able-to-form-views', explanation: 'Omar is two.' },
    ],
  }),
  step('2024-04-18', actors.hvkApprover, 'RejectDecision', { decisionId: 'd-housing', reason: 'The family has a suitable flat.' }),
  step('2024-05-01', nav, 'WithdrawConsent', {
    consentId: 'c-yusuf-info',
    reason: 'Yusuf wants to decide case by case.',
    expressedByMemberId: 'm-yusuf',
    channel: 'in-writing',
    alertedUnits: ['BFT', 'HVK'],
  }),
  pay('pay-qual-may', 'd-qual', 800_000, '2024-05-06'),
  step('2024-05-07', nav, 'ReversePayment', { paymentId: 'pay-qual-may', reason: 'Paid twice for May.' }),
  step('2024-05-10', actors.school, 'ExpressNeed', { needId: 'n-homework', memberId: 'm-sara', words: 'Leksehjelp.' }),
  step('2024-05-12', bft, 'WithdrawNeed', { needId: 'n-homework', reason: 'The school offers it now.' }),
  // n-furniture: a need of the whole family, 25 days open on TODAY (not yet a warning).
  step('2024-05-20', nav, 'ExpressNeed', { needId: 'n-furniture', words: 'Vi trenger senger til barna.' }),
  step('2024-06-01', nav, 'GiveConsent', combineConsent('c-amina-combine', 'm-amina')),
  step('2024-06-01', nav, 'GiveConsent', combineConsent('c-yusuf-combine', 'm-yusuf')),
  // The family decision quotes BFT's decision for Sara: NAV may read it under her mother's consent.
  step('2024-06-01', bft, 'GiveConsent', infoConsent('c-sara-nav', 'm-sara', 'm-amina', ['NAV'], '2025-05-31', '2024-06-01', ['decisions'])),
  step('2024-06-03', actors.navApprover, 'IssueFamilyDecision', {
    familyDecisionId: 'fd-1',
    decisionIds: ['d-qual', 'd-bft'],
    reviewDate: '2024-08-01',
    responsibleUnit: 'NAV',
    contactPersonId: 'p-kari',
  }),
];

export const hassanHistory = () => decideHistory(hassanSteps);

/** The same history with address protection (adressesperre) on some members, as registered. */
export function hassanStepsWith(protection: Partial<Record<string, AddressProtection>>): Step[] {
  const [registration, ...rest] = hassanSteps;
  const command = registration.command as Extract<FamilyCommand, { type: 'RegisterFamily' }>;
  const registered = {
    ...command,
    data: {
      ...command.data,
      members: command.data.members.map((m) => {
        const level = m.memberId ? protection[m.memberId] : undefined;
        return level ? { ...m, addressProtection: level, protectedAddress: level !== 'none' } : m;
      }),
    },
  };
  return [{ ...registration, command: registered }, ...rest];
}
