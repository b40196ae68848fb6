import { evaluateCompetence, type CompetenceMember } from './competence.evaluator';
import { DECISION_TYPES } from './decision-type.catalogue';
import type { DelegationRuleSet } from './delegation-rule-set';
import { validateDelegationRuleSet } from './delegation-rule-set.validation';
import { TRONDHEIM_2023_RULE_SET as rules } from './trondheim-2023.rule-set';

const adult = (memberId = 'm-adult', ageOnDate = 35): CompetenceMember => ({ memberId, ageOnDate, adult: true, inIntroductionProgramme: false });
const child = (memberId = 'm-child', ageOnDate = 11): CompetenceMember => ({ memberId, ageOnDate, adult: false, inIntroductionProgramme: false });
const date = '2024-03-01';

describe('evaluateCompetence with the 2023 Trondheim rules', () => {
  it('is itself a valid rule set covering every decision type', () => {
    expect(validateDelegationRuleSet(rules)).toBe(rules);
    for (const type of DECISION_TYPES) expect(rules.rules.some((r) => r.decisionType === type)).toBe(true);
  });

  it.each([
    ['HVK', 'adult-health-care-service', [adult()], 'hvk-adult-health-care'],
    ['HVK', 'municipal-housing', [adult(), child()], 'hvk-municipal-housing'],
    ['HVK', 'coordinator-adult', [adult('m-young', 18)], 'hvk-coordinator-adult'],
    ['BFT', 'child-welfare-support-measure', [child()], 'bft-child-welfare-support'],
    ['BFT', 'coordinator-child', [child('m-teen', 17)], 'bft-coordinator-child'],
    ['NAV', 'economic-social-assistance', [adult(), adult('m-2')], 'nav-social-assistance'],
    ['NAV', 'qualification-programme', [adult()], 'nav-qualification-programme'],
    ['INN', 'introduction-programme', [adult()], 'inn-introduction-programme'],
    ['OPPVEKST', 'kindergarten-fee-reduction', [child('m-small', 3)], 'oppvekst-kindergarten-fee'],
    ['OPPVEKST', 'after-school-fee-reduction', [child('m-pupil', 7)], 'oppvekst-after-school-fee'],
  ] as const)('lets %s decide %s', (unit, decisionType, members, ruleId) => {
    const result = evaluateCompetence(rules, { unit, decisionType, members: [...members], date });
    expect(result).toMatchObject({ permitted: true, ruleId });
  });

  it('refuses another unit and says which unit may', () => {
    const result = evaluateCompetence(rules, { unit: 'NAV', decisionType: 'child-welfare-support-measure', members: [child()], date });
    expect(result.permitted).toBe(false);
    expect(result.ruleId).toBeUndefined();
    expect(result.reasons).toEqual(["Rule bft-child-welfare-support: only BFT may decide 'Child welfare support measure', not NAV."]);
  });

  it('splits coordinators at 18: BFT for 17, HVK from the 18th birthday', () => {
    const seventeen = [child('m-teen', 17)];
    const eighteen = [child('m-teen', 18)];
    expect(evaluateCompetence(rules, { unit: 'HVK', decisionType: 'coordinator-adult', members: seventeen, date }).reasons).toEqual([
      'Rule hvk-coordinator-adult: member m-teen is 17 on 2024-03-01 and the rule covers ages 18 and over.',
    ]);
    expect(evaluateCompetence(rules, { unit: 'HVK', decisionType: 'coordinator-adult', members: eighteen, date }).permitted).toBe(true);
    expect(evaluateCompetence(rules, { unit: 'BFT', decisionType: 'coordinator-child', members: eighteen, date }).reasons).toEqual([
      'Rule bft-coordinator-child: member m-teen is 18 on 2024-03-01 and the rule covers ages up to 17.',
    ]);
  });

  it('lets INN decide the introduction benefit only for members in the programme', () => {
    const outside = evaluateCompetence(rules, { unit: 'INN', decisionType: 'introduction-benefit', members: [adult()], date });
    expect(outside.reasons).toEqual(['Rule inn-introduction-benefit: member m-adult has no introduction programme decision in force on 2024-03-01.']);
    const inside = evaluateCompetence(rules, {
      unit: 'INN',
      decisionType: 'introduction-benefit',
      members: [{ ...adult(), inIntroductionProgramme: true }],
      date,
    });
    expect(inside).toMatchObject({ permitted: true, ruleId: 'inn-introduction-benefit' });
  });

  it('gives pilot support to the unit responsible for the paying sub-project only', () => {
    const query = { unit: 'BFT' as const, decisionType: 'pilot-support' as const, members: [child()], date };
    expect(evaluateCompetence(rules, query).reasons).toEqual(['Rule pilot-support-by-sub-project-unit: the decision must name the sub-project that pays.']);
    expect(evaluateCompetence(rules, { ...query, subProjectResponsibleUnit: 'HVK' }).reasons).toEqual([
      'Rule pilot-support-by-sub-project-unit: the sub-project is the responsibility of HVK, not BFT.',
    ]);
    expect(evaluateCompetence(rules, { ...query, subProjectResponsibleUnit: 'BFT' })).toMatchObject({ permitted: true });
  });

  it('lists every failing condition of a rule', () => {
    const result = evaluateCompetence(rules, { unit: 'NAV', decisionType: 'adult-health-care-service', members: [child()], date });
    expect(result.reasons).toEqual([
      "Rule hvk-adult-health-care: only HVK may decide 'Health and care service for an adult', not NAV; member m-child is 11 on 2024-03-01 and the rule covers ages 18 and over.",
    ]);
  });
});

describe('evaluateCompetence with a drafted rule set', () => {
  // A draft of the kind the report asks for: one unit decides for the whole family.
  const draft: DelegationRuleSet = {
    id: 'draft-one-door',
    version: 2,
    name: 'Draft: HVK decides for families',
    effectiveFrom: '2025-01-01',
    rules: [
      { id: 'family-hvk', decisionType: 'child-welfare-support-measure', units: ['HVK'], members: { adult: false }, fourEyes: true, bundlable: true },
      { id: 'bft-teens', decisionType: 'child-welfare-support-measure', units: ['BFT'], members: { ageMin: 13, ageMax: 17 }, fourEyes: true, bundlable: false },
    ],
  };

  it('takes the first matching rule and explains the rules before it', () => {
    const result = evaluateCompetence(draft, { unit: 'BFT', decisionType: 'child-welfare-support-measure', members: [child('m-teen', 15)], date });
    expect(result).toMatchObject({
      permitted: true,
      ruleId: 'bft-teens',
      rule: draft.rules[1],
      reasons: ["Rule family-hvk: only HVK may decide 'Child welfare support measure', not BFT."],
    });
  });

  it('checks the household role and age ranges', () => {
    const result = evaluateCompetence(draft, {
      unit: 'BFT',
      decisionType: 'child-welfare-support-measure',
      members: [adult('m-adult', 40)],
      date,
    });
    expect(result.reasons).toEqual([
      "Rule family-hvk: only HVK may decide 'Child welfare support measure', not BFT; member m-adult is an adult in the household and the rule covers children only.",
      'Rule bft-teens: member m-adult is 40 on 2024-03-01 and the rule covers ages 13 to 17.',
    ]);
  });

  it('says so when no rule covers a decision type', () => {
    const result = evaluateCompetence(draft, { unit: 'NAV', decisionType: 'economic-social-assistance', members: [adult()], date });
    expect(result).toMatchObject({
      permitted: false,
      reasons: ["The rule set draft-one-door has no rule for 'Economic social assistance', so no unit may decide it."],
    });
  });
});
