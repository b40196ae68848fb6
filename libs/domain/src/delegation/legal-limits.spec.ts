import { decisionTypeEntry } from './decision-type.catalogue';
import type { DelegationRule, DelegationRuleSet } from './delegation-rule-set';
import { FOUR_EYES_FLOOR_PROVISION, legalLimitBreaches, PARTNER_DELEGATION_PROVISION, requireWithinLegalLimits, RuleOutsideLegalLimits } from './legal-limits';
import { TRONDHEIM_2023_RULE_SET } from './trondheim-2023.rule-set';

const set = (...rules: DelegationRule[]): DelegationRuleSet => ({ id: 'candidate', version: 1, name: 'Candidate', effectiveFrom: '2027-01-01', rules });
const rule = (over: Partial<DelegationRule>): DelegationRule => ({ id: 'r', units: [], members: {}, fourEyes: true, bundlable: true, ...over });
const SOTJL = 'NAV-loven § 13; sosialtjenesteloven § 3';
const BVL = decisionTypeEntry('child-welfare-support-measure').competenceProvision;

describe('delegation within the law (the catalogue’s limits)', () => {
  it('kl § 13-1: the 2023 rules are within the law', () => {
    expect(legalLimitBreaches(TRONDHEIM_2023_RULE_SET)).toEqual([]);
    expect(requireWithinLegalLimits(TRONDHEIM_2023_RULE_SET)).toBe(TRONDHEIM_2023_RULE_SET);
  });

  it('NAV-loven § 13: a rule letting OPPVEKST decide economic social assistance is refused, naming rule, type, unit and provision', () => {
    const candidate = set(rule({ id: 'oppvekst-assistance', decisionType: 'economic-social-assistance', units: ['OPPVEKST'] }));
    expect(legalLimitBreaches(candidate)).toEqual([
      expect.objectContaining({
        ruleId: 'oppvekst-assistance',
        decisionType: 'economic-social-assistance',
        unit: 'OPPVEKST',
        limit: 'competent-units',
        provision: SOTJL,
      }),
    ]);
    expect(() => requireWithinLegalLimits(candidate)).toThrow(RuleOutsideLegalLimits);
    expect(() => requireWithinLegalLimits(candidate)).toThrow(/OPPVEKST decide 'Economic social assistance', which only NAV may decide/);
  });

  it('NAV-loven § 13: a legal-area rule is judged for every type in the area', () => {
    const breaches = legalLimitBreaches(set(rule({ id: 'hvk-social', legalArea: 'social-services', units: ['HVK'] })));
    expect(breaches.map((b) => [b.decisionType, b.unit, b.provision])).toEqual([
      ['economic-social-assistance', 'HVK', SOTJL],
      ['qualification-programme', 'HVK', SOTJL],
    ]);
  });

  it('barnevernsloven: a district team of every unit deciding child welfare is refused for each unit but BFT', () => {
    const breaches = legalLimitBreaches(set(rule({ id: 'team-cw', decisionType: 'child-welfare-support-measure', deciders: [{ kind: 'district-team' }] })));
    expect(breaches.map((b) => [b.ruleId, b.unit, b.provision])).toEqual([
      ['team-cw', 'HVK', BVL],
      ['team-cw', 'NAV', BVL],
      ['team-cw', 'INN', BVL],
      ['team-cw', 'OPPVEKST', BVL],
    ]);
    // A team whose child-welfare decisions are made by BFT staff only is lawful.
    expect(legalLimitBreaches(set(rule({ decisionType: 'child-welfare-support-measure', deciders: [{ kind: 'district-team', units: ['BFT'] }] })))).toEqual([]);
  });

  it('barnevernsloven: the coordinating unit may be any unit, so it may not decide child welfare; it may bundle it', () => {
    expect(
      legalLimitBreaches(set(rule({ decisionType: 'child-welfare-support-measure', deciders: [{ kind: 'coordinating-unit' }] }))).map((b) => b.unit),
    ).toEqual(['HVK', 'NAV', 'INN', 'OPPVEKST']);
    expect(
      legalLimitBreaches(set(rule({ decisionType: 'child-welfare-support-measure', units: ['BFT'], bundledBy: [{ kind: 'coordinating-unit' }] }))),
    ).toEqual([]);
  });

  it('kl § 13-1: a competence the law gives the municipality may go to the coordinating unit', () => {
    expect(legalLimitBreaches(set(rule({ decisionType: 'kindergarten-fee-reduction', deciders: [{ kind: 'coordinating-unit' }] })))).toEqual([]);
  });

  it('kl § 5-4: no decision, and no family decision bundling one, goes to a private partner', () => {
    const breaches = legalLimitBreaches(
      set(
        rule({
          id: 'partner-housing',
          decisionType: 'municipal-housing',
          units: ['HVK'],
          deciders: [{ kind: 'partner', organisationNumber: '974123456' }],
          bundledBy: [{ kind: 'partner' }],
        }),
      ),
    );
    expect(breaches).toEqual([
      expect.objectContaining({
        ruleId: 'partner-housing',
        decisionType: 'municipal-housing',
        unit: 'partner',
        limit: 'no-private-delegation',
        provision: PARTNER_DELEGATION_PROVISION,
      }),
      expect.objectContaining({ ruleId: 'partner-housing', unit: 'partner', problem: expect.stringContaining('issue a family decision') }),
    ]);
  });

  it('kl § 25-1: a type whose floor is always four-eyes keeps its second approver; a policy type may waive it', () => {
    const noSecond = legalLimitBreaches(set(rule({ id: 'nav-alone', decisionType: 'qualification-programme', units: ['NAV'], fourEyes: false })));
    expect(noSecond).toEqual([
      expect.objectContaining({
        ruleId: 'nav-alone',
        decisionType: 'qualification-programme',
        unit: null,
        limit: 'four-eyes-floor',
        provision: FOUR_EYES_FLOOR_PROVISION,
      }),
    ]);
    const threshold = legalLimitBreaches(
      set(rule({ id: 'bft-small', decisionType: 'child-welfare-support-measure', units: ['BFT'], fourEyesAboveOre: 500_000 })),
    );
    expect(threshold.map((b) => [b.ruleId, b.limit])).toEqual([['bft-small', 'four-eyes-floor']]);
    expect(legalLimitBreaches(set(rule({ decisionType: 'municipal-housing', units: ['HVK'], fourEyesAboveOre: 500_000 })))).toEqual([]);
  });

  it('lists every breach of every rule at once, so a draft can be fixed in one go', () => {
    const refusal = (() => {
      try {
        requireWithinLegalLimits(
          set(
            rule({ id: 'a', decisionType: 'economic-social-assistance', units: ['INN'], fourEyes: false }),
            rule({ id: 'b', decisionType: 'child-welfare-support-measure', units: ['HVK'] }),
          ),
        );
      } catch (error) {
        return error as RuleOutsideLegalLimits;
      }
      throw new Error('accepted');
    })();
    expect(refusal.code).toBe('RULE_OUTSIDE_LEGAL_LIMITS');
    expect((refusal.details.errors as Array<{ ruleId: string; limit: string }>).map((e) => [e.ruleId, e.limit])).toEqual([
      ['a', 'competent-units'],
      ['a', 'four-eyes-floor'],
      ['b', 'competent-units'],
    ]);
  });
});
