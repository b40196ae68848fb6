import { NotCompetent } from '../delegation/delegation.errors';
import type { DelegationRuleSet } from '../delegation/delegation-rule-set';
import { TRONDHEIM_2023_RULE_SET } from '../delegation/trondheim-2023.rule-set';
import type { LocalDate } from '../shared/local-date';
import { familyContext, familyRegistered, NOW } from '../testing/family.fixtures';
import { authoriseDecision, type CompetenceRequest } from './decision-competence';
import { foldFamily } from './family.evolve';

/** From 2025: HVK, not OPPVEKST, decides kindergarten fee reductions (lawful: any municipal unit may). */
const FROM_2025: DelegationRuleSet = {
  ...TRONDHEIM_2023_RULE_SET,
  id: 'hvk-fees-2025',
  effectiveFrom: '2025-01-01',
  rules: TRONDHEIM_2023_RULE_SET.rules.map((r) => (r.id === 'oppvekst-kindergarten-fee' ? { ...r, id: 'hvk-kindergarten-fee', units: ['HVK'] } : r)),
};

const state = foldFamily([familyRegistered]);

/** The sets in force by date, recording every date asked about. */
function rulesByDate() {
  const asked: LocalDate[] = [];
  return { asked, ruleSetOn: (date: LocalDate) => (asked.push(date), date >= '2025-01-01' ? FROM_2025 : TRONDHEIM_2023_RULE_SET) };
}

const fee = (unit: CompetenceRequest['unit'], date: LocalDate): CompetenceRequest => ({
  unit,
  decisionType: 'kindergarten-fee-reduction',
  memberIds: ['m-omar'],
  date,
  subProject: null,
});

describe('competence on the day the decision is made', () => {
  it('kl § 13-1: the rule set in force on the decision day decides, not the one in force when the period starts', () => {
    const rules = rulesByDate();
    // Decided on 2024-03-15 for a period from 2025-02-01: under the 2023 rules OPPVEKST decides, HVK not yet.
    const ctx = familyContext({ now: NOW, ruleSetOn: rules.ruleSetOn });
    expect(() => authoriseDecision(state, ctx, fee('HVK', '2025-02-01'))).toThrow(NotCompetent);
    expect(authoriseDecision(state, ctx, fee('OPPVEKST', '2025-02-01')).delegation).toEqual({
      ruleSetId: 'trondheim-2023',
      ruleSetVersion: 1,
      ruleId: 'oppvekst-kindergarten-fee',
    });
    expect(new Set(rules.asked)).toEqual(new Set(['2024-03-15']));
  });

  it('kl § 13-1: a decision made under the new rules for a period that began under the old ones is the new rules’ (the day in Oslo)', () => {
    const rules = rulesByDate();
    // 23:30 UTC on New Year's Eve is 00:30 on 1 January 2025 in Oslo.
    const ctx = familyContext({ now: new Date('2024-12-31T23:30:00.000Z'), ruleSetOn: rules.ruleSetOn });
    expect(authoriseDecision(state, ctx, fee('HVK', '2024-12-01')).delegation).toEqual({
      ruleSetId: 'hvk-fees-2025',
      ruleSetVersion: 1,
      ruleId: 'hvk-kindergarten-fee',
    });
    expect(() => authoriseDecision(state, ctx, fee('OPPVEKST', '2024-12-01'))).toThrow(/hvk-fees-2025/);
    expect(rules.asked).toEqual(['2025-01-01', '2025-01-01']);
  });

  it('barnevernsloven: the members’ criteria (age) stay on the period start, which the decision is for', () => {
    // Leila turns 18 on 2025-06-30. The 2023 rules let BFT decide child welfare for ages up to 17.
    const childWelfare = (date: LocalDate): CompetenceRequest => ({
      unit: 'BFT',
      decisionType: 'child-welfare-support-measure',
      memberIds: ['m-leila'],
      date,
      subProject: null,
    });
    const decidedAfterHerBirthday = familyContext({ now: new Date('2025-07-05T09:00:00.000Z'), ruleSet: TRONDHEIM_2023_RULE_SET });
    expect(authoriseDecision(state, decidedAfterHerBirthday, childWelfare('2025-06-01')).delegation.ruleId).toBe('bft-child-welfare-support');
    const decidedBefore = familyContext({ now: NOW, ruleSet: TRONDHEIM_2023_RULE_SET });
    expect(() => authoriseDecision(state, decidedBefore, childWelfare('2025-07-01'))).toThrow(/m-leila is 18 on 2025-07-01/);
  });

  it('NAV-loven § 13 (in depth): a rule set in force that grants social assistance to HVK still cannot let HVK decide it', () => {
    const unlawful: DelegationRuleSet = {
      ...TRONDHEIM_2023_RULE_SET,
      id: 'activated-before-the-limits',
      rules: [{ id: 'hvk-assistance', decisionType: 'economic-social-assistance', units: ['HVK'], members: {}, fourEyes: true, bundlable: true }],
    };
    const ctx = familyContext({ ruleSet: unlawful });
    const request: CompetenceRequest = {
      unit: 'HVK',
      decisionType: 'economic-social-assistance',
      memberIds: ['m-amina'],
      date: '2024-04-01',
      subProject: null,
    };
    expect(() => authoriseDecision(state, ctx, request)).toThrow(NotCompetent);
    expect(() => authoriseDecision(state, ctx, request)).toThrow(/only NAV decide it \(NAV-loven § 13; sosialtjenesteloven § 3\)/);
  });
});
