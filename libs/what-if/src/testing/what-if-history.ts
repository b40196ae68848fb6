import { TRONDHEIM_2023_RULE_SET, type Actor, type DelegationRuleSet, type Unit } from '@familievedtak/domain';
import type { EventStore } from '@familievedtak/event-store';
import { actors, members } from '../../../domain/src/testing/family.fixtures';
import { appendHistory, decideHistory, type Step } from '../../../projections/src/family-view/testing/family-history';
import { step } from '../../../projections/src/family-view/testing/hassan-family';

/**
 * A constructed history for the what-if tests, decided by the real family decider under the
 * 2023 rules:
 * - "four-units" (Heimdal, coordinating unit HVK): INN, NAV, BFT and HVK each decide one
 *   thing for one member, all in force on 1 February 2024 with three distinct end dates.
 *   Need n-job is taken up by HVK and answered by NAV's decision (a hand-off); n-school is
 *   taken up by BFT and answered by BFT's decision; n-bike is never answered.
 * - "one-unit" (Lerkendal, no coordinating unit): one NAV decision.
 */
const hvk = actors.hvkCaseworker;
const nav = actors.navCaseworker;
const bft = actors.bftCaseworker;
const inn = actors.innCaseworker;

const isChild = (memberId: string) => Object.values(members).some((m) => m.memberId === memberId && m.role === 'child');

const decide = (
  on: string,
  who: Actor,
  approver: Actor,
  d: {
    decisionId: string;
    unit: Unit;
    decisionType: string;
    memberIds: string[];
    periodFrom: string;
    periodUntil: string;
  },
): Step[] => [
  step(on, who, 'ProposeDecision', {
    ...d,
    outcome: 'granted',
    reasons: { rulesApplied: ['Constructed for the what-if test'], facts: 'Constructed for the what-if test.', summary: 'Constructed for the what-if test.' },
    // The children named are heard (barnekonvensjonen art. 12); their views do not affect who decides.
    childViews: d.memberIds
      .filter(isChild)
      .map((memberId) => ({ memberId, heard: false, whyNot: 'not-able-to-form-views', explanation: 'Constructed for the what-if test.' })),
  } as never),
  step(on, approver, 'ApproveDecision', { decisionId: d.decisionId }),
];

/** Recorded by `unit`'s caseworker: an oral consent, held until the end of 2025. */
const consent = (on: string, recordedBy: Actor, consentId: string, memberId: string, kind: 'information-sharing' | 'coordination', toUnits: Unit[]): Step =>
  step(on, recordedBy, 'GiveConsent', {
    consentId,
    memberId,
    givenByMemberId: memberId,
    kind,
    toUnits,
    dataCategories: ['needs', 'decisions'],
    purpose: 'Constructed for the what-if test.',
    validFrom: on,
    validUntil: '2025-12-31',
    evidence: { form: 'oral' },
  });

/** `from` (with a part) refers the members to `to`, which accepts: `to` has a part from then on. */
const referral = (on: string, from: Actor, to: Actor, referralId: string, memberIds: string[], ground?: 'duty-to-inform-child-welfare'): Step[] => [
  step(on, from, 'ReferToUnit', { referralId, toUnit: to.unit as Unit, memberIds, reason: 'Constructed for the what-if test.', ...(ground ? { ground } : {}) }),
  step(on, to, 'AcceptReferral', { referralId }),
];

export const fourUnitsSteps: Step[] = [
  step('2024-01-08', hvk, 'RegisterFamily', { familyId: 'four-units', district: 'Heimdal', members: [members.amina, members.yusuf, members.leila] }),
  step('2024-01-08', hvk, 'JoinContactPerson', { personId: 'p-anne', name: 'Anne Hvk', affiliation: { kind: 'unit', unit: 'HVK' } }),
  consent('2024-01-08', hvk, 'c-amina-coord', 'm-amina', 'coordination', ['HVK']),
  consent('2024-01-08', hvk, 'c-yusuf-coord', 'm-yusuf', 'coordination', ['HVK']),
  step('2024-01-08', hvk, 'NameCoordinatingUnit', { unit: 'HVK' }),
  // HVK registered the family; INN, NAV and BFT take part by accepting HVK's referrals.
  consent('2024-01-09', hvk, 'c-yusuf-info', 'm-yusuf', 'information-sharing', ['INN']),
  consent('2024-01-09', hvk, 'c-amina-info', 'm-amina', 'information-sharing', ['NAV']),
  ...referral('2024-01-09', hvk, inn, 'r-inn', ['m-yusuf']),
  ...referral('2024-01-09', hvk, nav, 'r-nav', ['m-amina']),
  ...referral('2024-01-09', hvk, bft, 'r-bft', ['m-leila'], 'duty-to-inform-child-welfare'),
  ...decide('2024-01-10', inn, actors.innApprover, {
    decisionId: 'd-inn',
    unit: 'INN',
    decisionType: 'introduction-programme',
    memberIds: ['m-yusuf'],
    periodFrom: '2024-01-10',
    periodUntil: '2024-12-31',
  }),
  step('2024-01-15', hvk, 'ExpressNeed', { needId: 'n-job', memberId: 'm-amina', words: 'Jeg vil ha en jobb.' }),
  step('2024-01-15', hvk, 'PickUpNeed', { needId: 'n-job' }),
  step('2024-01-16', bft, 'ExpressNeed', { needId: 'n-school', memberId: 'm-leila', words: 'Hjelp med lekser.' }),
  step('2024-01-16', bft, 'PickUpNeed', { needId: 'n-school' }),
  step('2024-01-17', hvk, 'ExpressNeed', { needId: 'n-bike', memberId: 'm-leila', words: 'En sykkel så jeg kan komme meg på trening.' }),
  ...decide('2024-02-01', nav, actors.navApprover, {
    decisionId: 'd-nav',
    unit: 'NAV',
    decisionType: 'economic-social-assistance',
    memberIds: ['m-amina'],
    periodFrom: '2024-02-01',
    periodUntil: '2024-07-31',
  }),
  ...decide('2024-02-01', bft, actors.bftApprover, {
    decisionId: 'd-bft',
    unit: 'BFT',
    decisionType: 'child-welfare-support-measure',
    memberIds: ['m-leila'],
    periodFrom: '2024-02-01',
    periodUntil: '2024-06-30',
  }),
  ...decide('2024-02-01', hvk, actors.hvkApprover, {
    decisionId: 'd-hvk',
    unit: 'HVK',
    decisionType: 'adult-health-care-service',
    memberIds: ['m-amina'],
    periodFrom: '2024-02-01',
    periodUntil: '2024-12-31',
  }),
  step('2024-02-02', nav, 'ResolveNeed', { needId: 'n-job', decisionIds: ['d-nav'] }),
  step('2024-02-02', bft, 'ResolveNeed', { needId: 'n-school', decisionIds: ['d-bft'] }),
];

export const oneUnitSteps: Step[] = [
  step('2024-03-01', nav, 'RegisterFamily', { familyId: 'one-unit', district: 'Lerkendal', members: [members.yusuf] }),
  ...decide('2024-03-01', nav, actors.navApprover, {
    decisionId: 'd-nav-2',
    unit: 'NAV',
    decisionType: 'economic-social-assistance',
    memberIds: ['m-yusuf'],
    periodFrom: '2024-03-01',
    periodUntil: '2024-07-31',
  }),
];

export async function appendWhatIfHistory(store: EventStore): Promise<void> {
  await appendHistory(store, 'four-units', decideHistory(fourUnitsSteps).commits);
  await appendHistory(store, 'one-unit', decideHistory(oneUnitSteps).commits);
}

/**
 * "Family decision": the coordinating unit (here HVK) is competent for every bundlable type.
 * Outside the law on purpose (social assistance and the qualification programme are NAV's,
 * child welfare BFT's): what-if analyses such a candidate and marks every unlawful rule.
 */
export const FAMILY_DECISION_TEST_SET: DelegationRuleSet = {
  ...TRONDHEIM_2023_RULE_SET,
  id: 'test-family-decision',
  name: 'Test: HVK may decide every bundlable type',
  effectiveFrom: '2025-01-01',
  rules: TRONDHEIM_2023_RULE_SET.rules.map((rule) => (rule.bundlable && !rule.units.includes('HVK') ? { ...rule, units: [...rule.units, 'HVK'] } : rule)),
};

/** Without the child welfare rule: nobody may decide child welfare support measures. */
export const NO_CHILD_WELFARE_TEST_SET: DelegationRuleSet = {
  ...TRONDHEIM_2023_RULE_SET,
  id: 'test-no-child-welfare',
  name: 'Test: no rule for child welfare support',
  effectiveFrom: '2025-01-01',
  rules: TRONDHEIM_2023_RULE_SET.rules.filter((rule) => rule.id !== 'bft-child-welfare-support'),
};

/**
 * Families for the privacy tests, each with a distinctive name, member ids and need words that
 * no what-if report may contain. Registered by NAV, each with one NAV decision answering one
 * need and one need of the whole family that nobody answers.
 * - Midtbyen: 5 families (the only district a report may show), decisions in 2025.
 * - Heimdal: 4 families besides "four-units" (5 in all), one with a kode 6 (strengt fortrolig)
 *   adult: withheld for the protected address, not for its size. Decisions in 2024.
 * - Østbyen: 5 families, one with a kode 7 (fortrolig) adult: withheld. Decisions in 2025.
 * - Lerkendal keeps only "one-unit": fewer than 5 families, withheld.
 */
export type PrivacyFamily = {
  familyId: string;
  district: string;
  memberIds: string[];
  names: string[];
  words: string[];
  addressProtection: 'none' | 'fortrolig' | 'strengt-fortrolig';
  year: 2024 | 2025;
};

const privacyFamily = (n: number, district: string, year: 2024 | 2025, addressProtection: PrivacyFamily['addressProtection'] = 'none'): PrivacyFamily => ({
  familyId: `fam-privacy-${n}`,
  district,
  memberIds: [`m-privacy-${n}-a`, `m-privacy-${n}-c`],
  names: [`Xanthippe Vindøy-${n}`, `Quirin Vindøy-${n}`],
  words: [`Kvasirbrønn ${n}: jeg ønsker meg en blå kajakk`, `Trollhummer ${n}: vi trenger ro om kvelden`],
  addressProtection,
  year,
});

export const PRIVACY_FAMILIES: PrivacyFamily[] = [
  ...[1, 2, 3, 4, 5].map((n) => privacyFamily(n, 'Midtbyen', 2025)),
  ...[6, 7, 8].map((n) => privacyFamily(n, 'Heimdal', 2024)),
  privacyFamily(9, 'Heimdal', 2024, 'strengt-fortrolig'),
  ...[10, 11, 12, 13].map((n) => privacyFamily(n, 'Østbyen', 2025)),
  privacyFamily(14, 'Østbyen', 2025, 'fortrolig'),
];

function privacyFamilySteps(f: PrivacyFamily): Step[] {
  const on = `${f.year}-02-03`;
  const [adult, child] = f.memberIds;
  return [
    step(on, nav, 'RegisterFamily', {
      familyId: f.familyId,
      district: f.district,
      members: [
        { memberId: adult, name: f.names[0], birthDate: '1983-04-05', role: 'adult', addressProtection: f.addressProtection },
        { memberId: child, name: f.names[1], birthDate: '2015-08-09', role: 'child', addressProtection: f.addressProtection },
      ],
    }),
    step(on, nav, 'ExpressNeed', { needId: `n-privacy-${f.familyId}-1`, memberId: adult, words: f.words[0] }),
    step(on, nav, 'PickUpNeed', { needId: `n-privacy-${f.familyId}-1` }),
    step(on, nav, 'ExpressNeed', { needId: `n-privacy-${f.familyId}-2`, memberId: null, words: f.words[1] }),
    ...decide(on, nav, actors.navApprover, {
      decisionId: `d-privacy-${f.familyId}`,
      unit: 'NAV',
      decisionType: 'economic-social-assistance',
      memberIds: [adult],
      periodFrom: on,
      periodUntil: `${f.year}-06-30`,
    }),
    step(on, nav, 'ResolveNeed', { needId: `n-privacy-${f.familyId}-1`, decisionIds: [`d-privacy-${f.familyId}`] }),
  ];
}

/** Every string of the constructed histories that identifies a family or a member, or is a family's own words. */
export const IDENTIFYING_STRINGS: string[] = [
  'four-units',
  'one-unit',
  'm-amina',
  'm-yusuf',
  'm-leila',
  members.amina.name,
  members.yusuf.name,
  members.leila.name,
  'Hassan',
  'Jeg vil ha en jobb',
  'Hjelp med lekser',
  'En sykkel så jeg kan komme meg på trening',
  'Vindøy',
  'Kvasirbrønn',
  'Trollhummer',
  'blå kajakk',
  ...PRIVACY_FAMILIES.flatMap((f) => [f.familyId, ...f.memberIds, ...f.names, ...f.words]),
];

/** appendWhatIfHistory, then the privacy families. */
export async function appendPrivacyHistory(store: EventStore): Promise<void> {
  await appendWhatIfHistory(store);
  for (const f of PRIVACY_FAMILIES) await appendHistory(store, f.familyId, decideHistory(privacyFamilySteps(f)).commits);
}
