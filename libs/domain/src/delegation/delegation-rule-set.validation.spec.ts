import { InvalidRuleSet } from './delegation.errors';
import { validateDelegationRuleSet } from './delegation-rule-set.validation';
import { TRONDHEIM_2023_RULE_SET } from './trondheim-2023.rule-set';

describe('validateDelegationRuleSet', () => {
  it('accepts the default rule set after a JSON round trip', () => {
    const json = JSON.parse(JSON.stringify(TRONDHEIM_2023_RULE_SET));
    expect(validateDelegationRuleSet(json)).toEqual(TRONDHEIM_2023_RULE_SET);
  });

  it('lists every problem of a broken draft at once', () => {
    const draft = {
      id: 'draft',
      version: 0,
      name: '',
      effectiveFrom: '2025-02-30',
      rules: [
        { id: 'a', decisionType: 'haircut', units: [], members: { ageMin: 18, ageMax: 17, shoeSize: 40 }, fourEyes: 'yes', bundlable: true },
        { id: 'a', decisionType: 'municipal-housing', units: ['HVK', 'KOMMUNE'], members: { programme: 'qualification' }, fourEyes: true, bundlable: false },
        'not a rule',
      ],
    };
    let thrown: unknown;
    try {
      validateDelegationRuleSet(draft);
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(InvalidRuleSet);
    const error = thrown as InvalidRuleSet;
    expect(error.code).toBe('INVALID_RULE_SET');
    expect(error.kind).toBe('invalid');
    expect(error.problems).toEqual([
      'version must be a whole number from 1',
      'name must be a non-empty string',
      'effectiveFrom must be a date YYYY-MM-DD',
      'rules[0].decisionType haircut is not in the catalogue',
      'rules[0].units must list at least one of HVK, BFT, NAV, INN, OPPVEKST',
      'rules[0].fourEyes must be true or false',
      'rules[0].members.ageMin is above ageMax, so nobody matches',
      'rules[0].members.shoeSize is not a known criterion',
      'rules[1].id a is used twice',
      'rules[1].units must list at least one of HVK, BFT, NAV, INN, OPPVEKST',
      "rules[1].members.programme must be 'introduction'",
      'rules[2] must be an object',
    ]);
  });

  it('refuses something that is not an object', () => {
    expect(() => validateDelegationRuleSet([])).toThrow(InvalidRuleSet);
  });
});
