import type { LocalDate } from '../shared/local-date';
import type { Unit } from '../shared/units';
import { findDecisionType, type DecisionTypeCode } from './decision-type.catalogue';
import type { DelegationRule, DelegationRuleSet, MemberCriteria } from './delegation-rule-set';

/** A member as the rules see them: facts on the date competence is assessed for. */
export type CompetenceMember = {
  memberId: string;
  ageOnDate: number;
  adult: boolean;
  inIntroductionProgramme: boolean;
};

export type CompetenceQuery = {
  decisionType: DecisionTypeCode;
  unit: Unit;
  members: CompetenceMember[];
  /** The date the members' facts hold on (a decision's period start). */
  date: LocalDate;
  /** For pilot support: the unit responsible for the paying sub-project, if one is named. */
  subProjectResponsibleUnit?: Unit | null;
};

export type CompetenceResult = {
  permitted: boolean;
  /** The first rule that authorises the decision. */
  ruleId?: string;
  rule?: DelegationRule;
  /** Why each other rule for this decision type did not match, in plain language. */
  reasons: string[];
};

/** Which rule, if any, lets `unit` make this decision for these members. Pure and total. */
export function evaluateCompetence(ruleSet: DelegationRuleSet, query: CompetenceQuery): CompetenceResult {
  const candidates = ruleSet.rules.filter((rule) => rule.decisionType === query.decisionType);
  if (candidates.length === 0) {
    return {
      permitted: false,
      reasons: [`The rule set ${ruleSet.id} has no rule for ${label(query.decisionType)}, so no unit may decide it.`],
    };
  }
  const reasons: string[] = [];
  for (const rule of candidates) {
    const failures = ruleFailures(rule, query);
    if (failures.length === 0) {
      return { permitted: true, ruleId: rule.id, rule, reasons };
    }
    reasons.push(`Rule ${rule.id}: ${failures.join('; ')}.`);
  }
  return { permitted: false, reasons };
}

function ruleFailures(rule: DelegationRule, query: CompetenceQuery): string[] {
  const failures: string[] = [];
  if (!rule.units.includes(query.unit)) {
    failures.push(`only ${rule.units.join(' or ')} may decide ${label(rule.decisionType)}, not ${query.unit}`);
  }
  if (rule.subProjectResponsibleUnitOnly) {
    if (!query.subProjectResponsibleUnit) {
      failures.push('the decision must name the sub-project that pays');
    } else if (query.subProjectResponsibleUnit !== query.unit) {
      failures.push(`the sub-project is the responsibility of ${query.subProjectResponsibleUnit}, not ${query.unit}`);
    }
  }
  for (const member of query.members) {
    failures.push(...memberFailures(rule.members, member, query.date));
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
    failures.push(`member ${member.memberId} is ${member.adult ? 'an adult' : 'a child'} in the household and the rule covers ${criteria.adult ? 'adults' : 'children'} only`);
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

function label(code: DecisionTypeCode): string {
  return `'${findDecisionType(code)?.label ?? code}'`;
}
