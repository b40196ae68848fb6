import type { LocalDate } from '../shared/local-date';
import type { Unit } from '../shared/units';
import { findDecisionType, legalAreaOf, type DecisionTypeCode } from './decision-type.catalogue';
import type { DeciderSpec, DelegationRule, DelegationRuleSet, FamilyCriteria, MemberCriteria } from './delegation-rule-set';

/** A member as the rules see them: facts on the date competence is assessed for. */
export type CompetenceMember = {
  memberId: string;
  ageOnDate: number;
  adult: boolean;
  inIntroductionProgramme: boolean;
};

/** The family's situation on the date competence is assessed for. */
export type CompetenceFamily = {
  district: string | null;
  coordinatingUnit: Unit | null;
  /** A family decision is in force. */
  inFamilyDecision: boolean;
};

export type CompetenceQuery = {
  decisionType: DecisionTypeCode;
  unit: Unit;
  members: CompetenceMember[];
  /** The date the members' facts hold on (a decision's period start). */
  date: LocalDate;
  /** For pilot support: the unit responsible for the paying sub-project, if one is named. */
  subProjectResponsibleUnit?: Unit | null;
  /** The family's situation; without it, family conditions and family-bound deciders never match. */
  family?: CompetenceFamily;
  /** The decision's amount (monthly + one-off, in øre), for four-eyes thresholds. */
  amountOre?: number;
};

/** One rule of the set, and what it says about this decision. */
export type RuleExplanation = {
  ruleId: string;
  /** 'chosen': authorises the decision; 'also-matches': would too, but an earlier rule won; 'not-matched'. */
  outcome: 'chosen' | 'also-matches' | 'not-matched';
  /** Why it did not match (empty when it matched). */
  reasons: string[];
};

export type CompetenceResult = {
  permitted: boolean;
  /** The first rule that authorises the decision. */
  ruleId?: string;
  rule?: DelegationRule;
  /** Who decides under that rule: a unit code, or `team:<district>` for a district team. */
  decider?: string;
  /** Whether a second person must approve (the rule's fourEyes and amount threshold). */
  fourEyesRequired?: boolean;
  /** Why each other rule for this decision type did not match, in plain language. */
  reasons: string[];
  /**
   * Every decider competent for this decision and these members, whoever asks, in rule order
   * (the first is the one the first matching rule names). Empty: nobody may decide it.
   */
  competentDeciders: string[];
  /** Every rule of the set, in order, with why it did or did not match. */
  explanation: RuleExplanation[];
};

/** Does the rule cover this decision type (directly or through its legal area)? */
export function ruleCovers(rule: DelegationRule, decisionType: DecisionTypeCode): boolean {
  if (rule.decisionType !== undefined) return rule.decisionType === decisionType;
  return rule.legalArea !== undefined && rule.legalArea === legalAreaOf(decisionType);
}

/**
 * The deciders a rule names, resolved against the family: unit codes, the coordinating unit,
 * `team:<district>`. Each comes with the units whose staff may act for it.
 */
export function resolveDeciders(rule: DelegationRule, family: CompetenceFamily | undefined): Array<{ id: string; units: Unit[] }> {
  const specs: DeciderSpec[] = [...rule.units.map((unit) => ({ kind: 'unit' as const, unit })), ...(rule.deciders ?? [])];
  return resolveSpecs(specs, family);
}

function resolveSpecs(specs: DeciderSpec[], family: CompetenceFamily | undefined): Array<{ id: string; units: Unit[] }> {
  const resolved: Array<{ id: string; units: Unit[] }> = [];
  for (const spec of specs) {
    if (spec.kind === 'unit') resolved.push({ id: spec.unit, units: [spec.unit] });
    else if (spec.kind === 'coordinating-unit') {
      if (family?.coordinatingUnit) resolved.push({ id: family.coordinatingUnit, units: [family.coordinatingUnit] });
    } else if (spec.kind === 'partner') {
      // A partner never holds public authority (kommuneloven § 5-4): it decides nothing.
      continue;
    } else if (family?.district) {
      resolved.push({ id: `team:${family.district}`, units: spec.units ?? ['HVK', 'BFT', 'NAV', 'INN', 'OPPVEKST'] });
    }
  }
  return resolved;
}

/** Whether `unit` may issue a family decision that bundles a decision made under `rule`. */
export function mayBundle(rule: DelegationRule, unit: Unit, family: CompetenceFamily | undefined): boolean {
  if (!rule.bundlable) return false;
  if (!rule.bundledBy) return true;
  return resolveSpecs(rule.bundledBy, family).some((d) => d.units.includes(unit));
}

/** Which rule, if any, lets `unit` make this decision for these members. Pure and total. */
export function evaluateCompetence(ruleSet: DelegationRuleSet, query: CompetenceQuery): CompetenceResult {
  const explanation: RuleExplanation[] = [];
  const reasons: string[] = [];
  const competent: string[] = [];
  let chosen: { rule: DelegationRule; decider: string } | undefined;
  for (const rule of ruleSet.rules) {
    if (!ruleCovers(rule, query.decisionType)) {
      explanation.push({ ruleId: rule.id, outcome: 'not-matched', reasons: [`covers ${coverage(rule)}, not ${label(query.decisionType)}`] });
      continue;
    }
    const conditions = conditionFailures(rule, query);
    const deciders = resolveDeciders(rule, query.family);
    if (conditions.length === 0) for (const d of deciders) if (!competent.includes(d.id)) competent.push(d.id);
    const acting = deciders.find((d) => d.units.includes(query.unit));
    const failures = [...(acting ? [] : [deciderFailure(rule, deciders, query)]), ...conditions];
    if (failures.length === 0 && acting) {
      explanation.push({ ruleId: rule.id, outcome: chosen ? 'also-matches' : 'chosen', reasons: [] });
      chosen ??= { rule, decider: acting.id };
      continue;
    }
    explanation.push({ ruleId: rule.id, outcome: 'not-matched', reasons: failures });
    if (!chosen) reasons.push(`Rule ${rule.id}: ${failures.join('; ')}.`);
  }
  if (!ruleSet.rules.some((rule) => ruleCovers(rule, query.decisionType))) {
    return {
      permitted: false,
      reasons: [`The rule set ${ruleSet.id} has no rule for ${label(query.decisionType)}, so no unit may decide it.`],
      competentDeciders: [],
      explanation,
    };
  }
  if (!chosen) return { permitted: false, reasons, competentDeciders: competent, explanation };
  const { rule, decider } = chosen;
  return {
    permitted: true,
    ruleId: rule.id,
    rule,
    decider,
    fourEyesRequired: fourEyesRequired(rule, query.amountOre),
    reasons,
    competentDeciders: competent,
    explanation,
  };
}

export function fourEyesRequired(rule: DelegationRule, amountOre: number | undefined): boolean {
  if (!rule.fourEyes) return false;
  if (rule.fourEyesAboveOre === undefined) return true;
  // Unknown amount: the safe side.
  return amountOre === undefined || amountOre > rule.fourEyesAboveOre;
}

function deciderFailure(rule: DelegationRule, deciders: Array<{ id: string; units: Unit[] }>, query: CompetenceQuery): string {
  const named = [
    ...rule.units,
    ...(rule.deciders ?? []).map((spec) =>
      spec.kind === 'unit'
        ? spec.unit
        : spec.kind === 'coordinating-unit'
          ? "the family's coordinating unit"
          : spec.kind === 'partner'
            ? 'a partner (never lawful)'
            : "the family's district team",
    ),
  ];
  let why = `only ${named.join(' or ')} may decide ${label(query.decisionType)}, not ${query.unit}`;
  const familyBound = deciders.slice(rule.units.length);
  if ((rule.deciders ?? []).some((s) => s.kind === 'coordinating-unit') && !query.family?.coordinatingUnit) {
    why += ' (the family has no coordinating unit)';
  } else if ((rule.deciders ?? []).some((s) => s.kind === 'district-team') && !query.family?.district) {
    why += ' (the family has no district)';
  } else if (familyBound.length > 0) {
    why += ` (for this family: ${familyBound.map((d) => d.id).join(' or ')})`;
  }
  return why;
}

function conditionFailures(rule: DelegationRule, query: CompetenceQuery): string[] {
  const failures: string[] = [];
  if (rule.subProjectResponsibleUnitOnly) {
    if (!query.subProjectResponsibleUnit) {
      failures.push('the decision must name the sub-project that pays');
    } else if (query.subProjectResponsibleUnit !== query.unit) {
      failures.push(`the sub-project is the responsibility of ${query.subProjectResponsibleUnit}, not ${query.unit}`);
    }
  }
  if (rule.family) failures.push(...familyFailures(rule.family, query.family));
  for (const member of query.members) {
    failures.push(...memberFailures(rule.members, member, query.date));
  }
  return failures;
}

function familyFailures(criteria: FamilyCriteria, family: CompetenceFamily | undefined): string[] {
  const failures: string[] = [];
  const coordinating = family?.coordinatingUnit ?? null;
  if (criteria.hasCoordinatingUnit === true && !coordinating) failures.push('the family has no coordinating unit');
  if (criteria.hasCoordinatingUnit === false && coordinating) failures.push(`the family has a coordinating unit (${coordinating})`);
  const inFamilyDecision = family?.inFamilyDecision ?? false;
  if (criteria.inFamilyDecision === true && !inFamilyDecision) failures.push('the family has no family decision in force');
  if (criteria.inFamilyDecision === false && inFamilyDecision) failures.push('the family has a family decision in force');
  if (criteria.districts && !(family?.district && criteria.districts.includes(family.district))) {
    failures.push(`the family's district (${family?.district ?? 'none'}) is not one of ${criteria.districts.join(', ')}`);
  }
  return failures;
}

function memberFailures(criteria: MemberCriteria, member: CompetenceMember, date: LocalDate): string[] {
  const failures: string[] = [];
  const tooYoung = criteria.ageMin !== undefined && member.ageOnDate < criteria.ageMin;
  const tooOld = criteria.ageMax !== undefined && member.ageOnDate > criteria.ageMax;
  if (tooYoung || tooOld) {
    failures.push(`member ${member.memberId} is ${member.ageOnDate} on ${date} and the rule covers ${ageRange(criteria)}`);
  }
  if (criteria.adult !== undefined && criteria.adult !== member.adult) {
    failures.push(
      `member ${member.memberId} is ${member.adult ? 'an adult' : 'a child'} in the household and the rule covers ${criteria.adult ? 'adults' : 'children'} only`,
    );
  }
  if (criteria.programme === 'introduction' && !member.inIntroductionProgramme) {
    failures.push(`member ${member.memberId} has no introduction programme decision in force on ${date}`);
  }
  return failures;
}

function ageRange(criteria: MemberCriteria): string {
  if (criteria.ageMin !== undefined && criteria.ageMax !== undefined) return `ages ${criteria.ageMin} to ${criteria.ageMax}`;
  if (criteria.ageMin !== undefined) return `ages ${criteria.ageMin} and over`;
  return `ages up to ${criteria.ageMax}`;
}

function coverage(rule: DelegationRule): string {
  if (rule.decisionType) return label(rule.decisionType);
  return `the legal area ${rule.legalArea ?? '(none)'}`;
}

function label(code: DecisionTypeCode): string {
  return `'${findDecisionType(code)?.label ?? code}'`;
}
