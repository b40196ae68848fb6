import { DomainError } from '../shared/domain-error';
import { UNITS, type Unit } from '../shared/units';
import { DECISION_TYPES, decisionTypeEntry, type DecisionTypeCode } from './decision-type.catalogue';
import { ruleCovers } from './competence.evaluator';
import type { DeciderSpec, DelegationRule, DelegationRuleSet } from './delegation-rule-set';

/**
 * The limits the law sets on any delegation rule set, read from the decision-type catalogue
 * (never copied): which units may ever hold a type's competence (competentUnits, with its
 * provision), that no private partner ever does, and that a type whose four-eyes floor is
 * 'always' keeps its second approver.
 */

/** kommuneloven § 5-4: public authority goes to other legal persons only where a statute allows it; none here does. */
export const PARTNER_DELEGATION_PROVISION = 'kommuneloven § 5-4 (wording not verified): no public authority is delegated to a private partner';
/** The four-eyes floor is the municipality's internal control, not a statute (see README, "Where the law left a choice"). */
export const FOUR_EYES_FLOOR_PROVISION = 'kommuneloven § 25-1 (internal control; the municipal floor for this type)';

/** One way a rule breaks a legal limit. `unit` is the unit (or 'partner') that could act unlawfully; null for four-eyes. */
export type LegalLimitBreach = {
  ruleId: string;
  decisionType: DecisionTypeCode;
  unit: Unit | 'partner' | null;
  limit: 'competent-units' | 'no-private-delegation' | 'four-eyes-floor';
  provision: string;
  problem: string;
};

/**
 * Every unit whose staff could act under a specification: a named unit; the family's
 * coordinating unit (any unit may be named one); a district team (its `units`, else every unit).
 */
function actingUnits(spec: DeciderSpec): Array<Unit | 'partner'> {
  switch (spec.kind) {
    case 'unit':
      return [spec.unit];
    case 'coordinating-unit':
      return [...UNITS];
    case 'district-team':
      return spec.units ?? [...UNITS];
    case 'partner':
      return ['partner'];
  }
}

/** Every unit (or a partner) that could decide under the rule, in a stable order. */
export function unitsThatCouldDecide(rule: DelegationRule): Array<Unit | 'partner'> {
  const all = [...rule.units, ...(rule.deciders ?? []).flatMap(actingUnits)];
  const order = [...UNITS, 'partner'] as const;
  return order.filter((u) => all.includes(u));
}

/** Whether the law lets `unit` ever decide `type` (the catalogue's competentUnits). */
export function isLawfulDecider(type: DecisionTypeCode, unit: Unit): boolean {
  return (decisionTypeEntry(type).competentUnits as readonly string[]).includes(unit);
}

/** The law of a decision type as the catalogue holds it, with the provision for each limit: what `explain` shows (API and CLI). */
export function decisionTypeLaw(code: DecisionTypeCode) {
  const entry = decisionTypeEntry(code);
  return {
    decisionType: entry.code,
    label: entry.label,
    labelNo: entry.labelNo,
    legalBasis: entry.defaultLegalBasis,
    enkeltvedtak: entry.enkeltvedtak,
    enkeltvedtakProvision: entry.enkeltvedtakProvision,
    appeal: entry.appeal,
    competentUnits: entry.competentUnits,
    competenceProvision: entry.competenceProvision,
    fourEyesFloor: entry.fourEyesFloor,
    fourEyesFloorProvision: entry.fourEyesFloor === 'always' ? FOUR_EYES_FLOOR_PROVISION : null,
    privateDelegation: { allowed: false as const, provision: PARTNER_DELEGATION_PROVISION },
  };
}

/** Every breach of a legal limit in the rule set, rule by rule and type by type (a legal-area rule covers several types). */
export function legalLimitBreaches(ruleSet: DelegationRuleSet): LegalLimitBreach[] {
  const breaches: LegalLimitBreach[] = [];
  for (const rule of ruleSet.rules) {
    const bundlers = (rule.bundledBy ?? []).some((s) => s.kind === 'partner');
    for (const type of DECISION_TYPES.filter((t) => ruleCovers(rule, t))) {
      const entry = decisionTypeEntry(type);
      for (const unit of unitsThatCouldDecide(rule)) {
        if (unit === 'partner') {
          breaches.push({
            ruleId: rule.id,
            decisionType: type,
            unit,
            limit: 'no-private-delegation',
            provision: PARTNER_DELEGATION_PROVISION,
            problem: `rule ${rule.id} lets a private partner decide '${entry.label}'`,
          });
        } else if (!isLawfulDecider(type, unit)) {
          breaches.push({
            ruleId: rule.id,
            decisionType: type,
            unit,
            limit: 'competent-units',
            provision: entry.competenceProvision,
            problem: `rule ${rule.id} lets ${unit} decide '${entry.label}', which only ${entry.competentUnits.join(' or ')} may decide`,
          });
        }
      }
      // Issuing the family decision that bundles it is an act of authority too: never a partner's.
      if (bundlers) {
        breaches.push({
          ruleId: rule.id,
          decisionType: type,
          unit: 'partner',
          limit: 'no-private-delegation',
          provision: PARTNER_DELEGATION_PROVISION,
          problem: `rule ${rule.id} lets a private partner issue a family decision bundling '${entry.label}'`,
        });
      }
      if (entry.fourEyesFloor === 'always' && (!rule.fourEyes || rule.fourEyesAboveOre !== undefined)) {
        breaches.push({
          ruleId: rule.id,
          decisionType: type,
          unit: null,
          limit: 'four-eyes-floor',
          provision: FOUR_EYES_FLOOR_PROVISION,
          problem: `rule ${rule.id} waives the second approver for '${entry.label}' (${rule.fourEyes ? `only above ${rule.fourEyesAboveOre} øre` : 'fourEyes: false'}), which always needs one`,
        });
      }
    }
  }
  return breaches;
}

/** A rule set grants a competence the law does not allow: 422, one entry per breach in `errors`. */
export class RuleOutsideLegalLimits extends DomainError {
  readonly code = 'RULE_OUTSIDE_LEGAL_LIMITS';
  readonly kind = 'invalid';
  constructor(
    ruleSetId: string,
    readonly breaches: LegalLimitBreach[],
  ) {
    super(`The delegation rule set ${ruleSetId} is outside the law: ${breaches.map((b) => `${b.problem} (${b.provision})`).join('; ')}.`, {
      ruleSetId,
      errors: breaches.map((b) => ({ ...b })),
    });
  }
}

/** Throws RULE_OUTSIDE_LEGAL_LIMITS listing every breach, or returns the set unchanged. */
export function requireWithinLegalLimits(ruleSet: DelegationRuleSet): DelegationRuleSet {
  const breaches = legalLimitBreaches(ruleSet);
  if (breaches.length > 0) throw new RuleOutsideLegalLimits(ruleSet.id, breaches);
  return ruleSet;
}
