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

const decide = (on: string, who: Actor, approver: Actor, d: {
  decisionId: string;
  unit: Unit;
  decisionType: string;
  memberIds: string[];
  periodFrom: string;
  periodUntil: string;
}): Step[] => [
  step(on, who, 'ProposeDecision', { ...d, reasons: 'Constructed for the what-if test.' } as never),
  step(on, approver, 'ApproveDecision', { decisionId: d.decisionId }),
];

export const fourUnitsSteps: Step[] = [
  step('2024-01-08', hvk, 'RegisterFamily', { familyId: 'four-units', district: 'Heimdal', members: [members.amina, members.yusuf, members.leila] }),
  step('2024-01-08', hvk, 'JoinContactPerson', { personId: 'p-anne', name: 'Anne Hvk', affiliation: { kind: 'unit', unit: 'HVK' } }),
  step('2024-01-08', hvk, 'NameCoordinatingUnit', { unit: 'HVK' }),
  ...decide('2024-01-10', inn, actors.innApprover, {
    decisionId: 'd-inn', unit: 'INN', decisionType: 'introduction-programme', memberIds: ['m-yusuf'], periodFrom: '2024-01-10', periodUntil: '2024-12-31',
  }),
  step('2024-01-15', hvk, 'ExpressNeed', { needId: 'n-job', memberId: 'm-amina', words: 'Jeg vil ha en jobb.' }),
  step('2024-01-15', hvk, 'PickUpNeed', { needId: 'n-job' }),
  step('2024-01-16', bft, 'ExpressNeed', { needId: 'n-school', memberId: 'm-leila', words: 'Hjelp med lekser.' }),
  step('2024-01-16', bft, 'PickUpNeed', { needId: 'n-school' }),
  step('2024-01-17', hvk, 'ExpressNeed', { needId: 'n-bike', memberId: 'm-leila', words: 'En sykkel så jeg kan komme meg på trening.' }),
  ...decide('2024-02-01', nav, actors.navApprover, {
    decisionId: 'd-nav', unit: 'NAV', decisionType: 'economic-social-assistance', memberIds: ['m-amina'], periodFrom: '2024-02-01', periodUntil: '2024-07-31',
  }),
  ...decide('2024-02-01', bft, actors.bftApprover, {
    decisionId: 'd-bft', unit: 'BFT', decisionType: 'child-welfare-support-measure', memberIds: ['m-leila'], periodFrom: '2024-02-01', periodUntil: '2024-06-30',
  }),
  ...decide('2024-02-01', hvk, actors.hvkApprover, {
    decisionId: 'd-hvk', unit: 'HVK', decisionType: 'adult-health-care-service', memberIds: ['m-amina'], periodFrom: '2024-02-01', periodUntil: '2024-12-31',
  }),
  step('2024-02-02', nav, 'ResolveNeed', { needId: 'n-job', decisionIds: ['d-nav'] }),
  step('2024-02-02', bft, 'ResolveNeed', { needId: 'n-school', decisionIds: ['d-bft'] }),
];

export const oneUnitSteps: Step[] = [
  step('2024-03-01', nav, 'RegisterFamily', { familyId: 'one-unit', district: 'Lerkendal', members: [members.yusuf] }),
  ...decide('2024-03-01', nav, actors.navApprover, {
    decisionId: 'd-nav-2', unit: 'NAV', decisionType: 'economic-social-assistance', memberIds: ['m-yusuf'], periodFrom: '2024-03-01', periodUntil: '2024-07-31',
  }),
];

export async function appendWhatIfHistory(store: EventStore): Promise<void> {
  await appendHistory(store, 'four-units', decideHistory(fourUnitsSteps).commits);
  await appendHistory(store, 'one-unit', decideHistory(oneUnitSteps).commits);
}

/** "Family decision": the coordinating unit (here HVK) is competent for every bundlable type. */
export const FAMILY_DECISION_TEST_SET: DelegationRuleSet = {
  ...TRONDHEIM_2023_RULE_SET,
  id: 'test-family-decision',
  name: 'Test: HVK may decide every bundlable type',
  effectiveFrom: '2025-01-01',
  rules: TRONDHEIM_2023_RULE_SET.rules.map((rule) =>
    rule.bundlable && !rule.units.includes('HVK') ? { ...rule, units: [...rule.units, 'HVK'] } : rule,
  ),
};

/** Without the child welfare rule: nobody may decide child welfare support measures. */
export const NO_CHILD_WELFARE_TEST_SET: DelegationRuleSet = {
  ...TRONDHEIM_2023_RULE_SET,
  id: 'test-no-child-welfare',
  name: 'Test: no rule for child welfare support',
  effectiveFrom: '2025-01-01',
  rules: TRONDHEIM_2023_RULE_SET.rules.filter((rule) => rule.id !== 'bft-child-welfare-support'),
};
