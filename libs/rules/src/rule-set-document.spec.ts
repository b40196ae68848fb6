import {
  DECISION_TYPES,
  evaluateCompetence,
  legalLimitBreaches,
  mayBundle,
  TRONDHEIM_2023_RULE_SET,
  UNITS,
  type CompetenceFamily,
  type CompetenceMember,
} from '@familievedtak/domain';
import { InvalidRuleSetDocument, loadShippedRuleSet, parseRuleSetDocument, ruleSetFromDocument, SHIPPED_RULE_SETS } from './rule-set-document';

const errorsOf = (text: string) => {
  const parsed = parseRuleSetDocument(text);
  if (parsed.valid) throw new Error('expected the document to be invalid');
  return parsed.errors.map((e) => e.message);
};

const header = `id: draft\nname: Draft\neffectiveFrom: "2026-01-01"\nrules:\n`;
const rule = (extra = '') => `  - id: r1\n    decisionType: municipal-housing\n    units: [HVK]\n    fourEyes: true\n    bundlable: true\n${extra}`;

describe('rule-set documents', () => {
  it.each(SHIPPED_RULE_SETS)('the shipped document %s is valid', (name) => {
    const ruleSet = loadShippedRuleSet(name);
    expect(ruleSet.id).toBe(name);
    expect(ruleSet.rules.length).toBeGreaterThan(0);
  });

  it.each(SHIPPED_RULE_SETS)('the shipped document %s sets the open-need warning limit (issue 16)', (name) => {
    expect(loadShippedRuleSet(name).openNeedWarningDays).toBe(180);
  });

  it('takes openNeedWarningDays as whole days from 1 to 3650, optional', () => {
    expect(ruleSetFromDocument(header + rule()).openNeedWarningDays).toBeUndefined();
    expect(ruleSetFromDocument(`openNeedWarningDays: 90\n` + header + rule()).openNeedWarningDays).toBe(90);
    expect(errorsOf(`openNeedWarningDays: 0\n` + header + rule())).toEqual([expect.stringMatching(/^line 1, column \d+: openNeedWarningDays: /)]);
    expect(errorsOf(`openNeedWarningDays: 1.5\n` + header + rule())).toHaveLength(1);
    expect(errorsOf(`openNeedWarningDays: "180"\n` + header + rule())).toHaveLength(1);
  });

  it('accepts YAML and the same document as JSON, defaulting version and members', () => {
    const yaml = ruleSetFromDocument(header + `  - id: r1\n    decisionType: municipal-housing\n    units: [HVK]\n    fourEyes: true\n    bundlable: true\n`);
    expect(yaml).toMatchObject({ id: 'draft', version: 1, rules: [{ id: 'r1', units: ['HVK'], members: {} }] });
    const json = parseRuleSetDocument(JSON.stringify({ ...yaml, version: 3 }, null, 2));
    expect(json).toMatchObject({ valid: true, format: 'json', ruleSet: { version: 3 } });
  });

  it('gives an unknown unit with its line and column', () => {
    expect(errorsOf(header + rule().replace('units: [HVK]', 'units:\n      - HVK\n      - KOMMUNE'))).toEqual([
      'line 9, column 9: rules[0].units[1]: must be one of HVK, BFT, NAV, INN, OPPVEKST',
    ]);
  });

  it('gives an unknown decision type, a wrong type and an unknown field, each on its line', () => {
    const text = header + rule().replace('municipal-housing', 'haircut').replace('fourEyes: true', 'fourEyes: yes') + '    shoeSize: 40\n';
    expect(errorsOf(text)).toEqual([
      'line 10, column 5: rules[0].shoeSize: is not a known field',
      expect.stringMatching(/^line 6, column 19: rules\[0\]\.decisionType: must be one of economic-social-assistance, qualification-programme, /),
      'line 8, column 15: rules[0].fourEyes: must be true or false',
    ]);
  });

  it('says which field is missing, at the rule', () => {
    expect(errorsOf(header + '  - id: r1\n    decisionType: municipal-housing\n    units: [HVK]\n    fourEyes: true\n')).toEqual([
      'line 5, column 5: rules[0]: must have bundlable',
    ]);
    expect(errorsOf('id: x\nrules: []\n')).toEqual(
      expect.arrayContaining(['line 1, column 1: (document): must have name', 'line 2, column 8: rules: must NOT have fewer than 1 items']),
    );
  });

  it('reports the domain checks (duplicate ids, impossible ages, neither type nor area) on their lines', () => {
    const text =
      header +
      rule() +
      '  - id: r1\n    decisionType: municipal-housing\n    units: [HVK]\n    members: { ageMin: 18, ageMax: 17 }\n    fourEyes: true\n    bundlable: true\n' +
      '  - id: r3\n    units: [NAV]\n    fourEyes: true\n    bundlable: true\n';
    expect(errorsOf(text)).toEqual([
      'line 10, column 9: rules[1].id: r1 is used twice',
      'line 13, column 24: rules[1].members.ageMin: is above ageMax, so nobody matches',
      'line 16, column 5: rules[2]: must name a decisionType or a legalArea',
    ]);
  });

  it('reports YAML syntax errors with their position', () => {
    const [message] = errorsOf('id: x\nname: [unclosed\n');
    expect(message).toMatch(/^line \d+, column \d+: \(document\): /);
  });

  it('throws INVALID_RULE_SET_DOCUMENT with the messages', () => {
    expect(() => ruleSetFromDocument('id: x\n')).toThrow(InvalidRuleSetDocument);
  });
});

describe('the baseline document is the 2023 rule set', () => {
  const document = loadShippedRuleSet('trondheim-2023');
  const date = '2024-03-01';
  const members: Record<string, CompetenceMember[]> = {
    adult: [{ memberId: 'a', ageOnDate: 35, adult: true, inIntroductionProgramme: false }],
    'adult in the introduction programme': [{ memberId: 'a', ageOnDate: 30, adult: true, inIntroductionProgramme: true }],
    'young adult (18)': [{ memberId: 'y', ageOnDate: 18, adult: false, inIntroductionProgramme: false }],
    'teen (17)': [{ memberId: 't', ageOnDate: 17, adult: false, inIntroductionProgramme: false }],
    child: [{ memberId: 'c', ageOnDate: 6, adult: false, inIntroductionProgramme: false }],
    'adult and child': [
      { memberId: 'a', ageOnDate: 35, adult: true, inIntroductionProgramme: false },
      { memberId: 'c', ageOnDate: 6, adult: false, inIntroductionProgramme: false },
    ],
  };

  it('has the same rules', () => {
    expect(document).toEqual(TRONDHEIM_2023_RULE_SET);
  });

  it('evaluates identically for every decision type x member kind x unit', () => {
    let compared = 0;
    for (const decisionType of DECISION_TYPES)
      for (const kind of Object.keys(members))
        for (const unit of UNITS)
          for (const subProjectResponsibleUnit of [null, unit]) {
            const query = { decisionType, unit, members: members[kind], date, subProjectResponsibleUnit };
            expect(evaluateCompetence(document, query)).toEqual(evaluateCompetence(TRONDHEIM_2023_RULE_SET, query));
            compared++;
          }
    expect(compared).toBe(DECISION_TYPES.length * 6 * UNITS.length * 2);
  });
});

describe('the alternative rule sets', () => {
  const familyDecision = loadShippedRuleSet('family-decision');
  const placeBased = loadShippedRuleSet('place-based-team');
  const child: CompetenceMember = { memberId: 'c', ageOnDate: 9, adult: false, inIntroductionProgramme: false };
  const adult: CompetenceMember = { memberId: 'a', ageOnDate: 40, adult: true, inIntroductionProgramme: false };
  const coordinated: CompetenceFamily = { district: 'Lerkendal', coordinatingUnit: 'NAV', inFamilyDecision: false };
  const date = '2026-03-01';

  it.each(SHIPPED_RULE_SETS)('NAV-loven § 13, barnevernsloven, kl § 5-4, kl § 25-1: the shipped document %s is within the law', (name) => {
    expect(legalLimitBreaches(loadShippedRuleSet(name))).toEqual([]);
  });

  it('kl § 13-1: in a family decision the coordinating unit decides what the law gives the municipality, and says why others did not match', () => {
    const result = evaluateCompetence(familyDecision, { decisionType: 'kindergarten-fee-reduction', unit: 'NAV', members: [child], date, family: coordinated });
    expect(result).toMatchObject({
      permitted: true,
      ruleId: 'coordinating-unit-kindergarten-fee-reduction',
      decider: 'NAV',
      competentDeciders: ['NAV', 'OPPVEKST'],
    });
    const explanation = Object.fromEntries(result.explanation.map((e) => [e.ruleId, e]));
    expect(explanation['oppvekst-kindergarten-fee']).toEqual({
      ruleId: 'oppvekst-kindergarten-fee',
      outcome: 'not-matched',
      reasons: ["only OPPVEKST may decide 'Kindergarten fee reduction', not NAV"],
    });
    expect(explanation['nav-social-assistance'].reasons).toEqual(["covers 'Economic social assistance', not 'Kindergarten fee reduction'"]);
    expect(result.explanation).toHaveLength(familyDecision.rules.length);
  });

  it('barnevernsloven: in a family decision BFT still decides child welfare; the coordinating unit (NAV) only bundles it', () => {
    const byNav = evaluateCompetence(familyDecision, {
      decisionType: 'child-welfare-support-measure',
      unit: 'NAV',
      members: [child],
      date,
      family: coordinated,
    });
    expect(byNav).toMatchObject({ permitted: false, competentDeciders: ['BFT'] });
    const byBft = evaluateCompetence(familyDecision, {
      decisionType: 'child-welfare-support-measure',
      unit: 'BFT',
      members: [child],
      date,
      family: coordinated,
    });
    expect(byBft).toMatchObject({ permitted: true, ruleId: 'bft-child-welfare-support' });
    expect(mayBundle(byBft.rule!, 'NAV', coordinated)).toBe(true);
    expect(mayBundle(byBft.rule!, 'HVK', coordinated)).toBe(false);
  });

  it('kl § 13-1: without a coordinating unit, NAV may not decide a kindergarten fee reduction', () => {
    const result = evaluateCompetence(familyDecision, {
      decisionType: 'kindergarten-fee-reduction',
      unit: 'NAV',
      members: [child],
      date,
      family: { ...coordinated, coordinatingUnit: null },
    });
    expect(result.permitted).toBe(false);
    expect(result.competentDeciders).toEqual(['OPPVEKST']);
    expect(result.reasons[0]).toBe(
      "Rule coordinating-unit-kindergarten-fee-reduction: only the family's coordinating unit may decide 'Kindergarten fee reduction', not NAV (the family has no coordinating unit); the family has no coordinating unit.",
    );
  });

  it('place-based team: staff of any unit decide municipal matters as team:<district>, four-eyes only above the threshold', () => {
    const small = evaluateCompetence(placeBased, {
      decisionType: 'municipal-housing',
      unit: 'HVK',
      members: [adult],
      date,
      family: coordinated,
      amountOre: 100_000,
    });
    expect(small).toMatchObject({ permitted: true, decider: 'team:Lerkendal', fourEyesRequired: false, competentDeciders: ['team:Lerkendal'] });
    const large = evaluateCompetence(placeBased, {
      decisionType: 'municipal-housing',
      unit: 'OPPVEKST',
      members: [adult],
      date,
      family: coordinated,
      amountOre: 900_000,
    });
    expect(large).toMatchObject({ permitted: true, fourEyesRequired: true });
    const noFamily = evaluateCompetence(placeBased, { decisionType: 'municipal-housing', unit: 'HVK', members: [adult], date });
    expect(noFamily.permitted).toBe(false);
    expect(noFamily.reasons[0]).toContain('(the family has no district)');
  });

  it('NAV-loven § 13, kl § 25-1: in the place-based team only NAV staff decide social assistance, always with a second approver', () => {
    const byHvk = evaluateCompetence(placeBased, {
      decisionType: 'economic-social-assistance',
      unit: 'HVK',
      members: [adult],
      date,
      family: coordinated,
      amountOre: 100_000,
    });
    expect(byHvk.permitted).toBe(false);
    const byNav = evaluateCompetence(placeBased, {
      decisionType: 'economic-social-assistance',
      unit: 'NAV',
      members: [adult],
      date,
      family: coordinated,
      amountOre: 100_000,
    });
    expect(byNav).toMatchObject({ permitted: true, decider: 'team:Lerkendal', fourEyesRequired: true });
  });
});

describe('rule-set documents: versions named and unreadable documents', () => {
  it('says whether the document named its own version', () => {
    const named = parseRuleSetDocument(`id: draft\nversion: 3\nname: Draft\neffectiveFrom: "2026-01-01"\nrules:\n${rule()}`);
    const unnamed = parseRuleSetDocument(header + rule());
    expect(named).toMatchObject({ valid: true, versionNamed: true, ruleSet: { version: 3 } });
    expect(unnamed).toMatchObject({ valid: true, versionNamed: false, ruleSet: { version: 1 } });
  });

  it('answers a YAML alias bomb as an invalid document, not a throw', () => {
    const bomb =
      'a: &a ["x","x","x","x","x","x","x","x","x"]\nb: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]\nc: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]\nd: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]\ne: [*d,*d,*d,*d,*d,*d,*d,*d,*d]\n';
    expect(errorsOf(bomb)).toEqual([expect.stringMatching(/^line 1, column 1: \(document\): could not be read: /)]);
  });

  it('a __proto__ key is an unknown field, and leaves Object.prototype alone', () => {
    expect(errorsOf(header.replace('name: Draft', 'name: Draft\n__proto__: { polluted: true }') + rule())).toEqual([
      'line 3, column 1: __proto__: is not a known field',
    ]);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });
});
