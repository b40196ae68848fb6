import { evaluateCompetence, type CompetenceFamily } from '../delegation/competence.evaluator';
import { findDecisionType, type DecisionTypeCode } from '../delegation/decision-type.catalogue';
import type { DelegationRule } from '../delegation/delegation-rule-set';
import { NotCompetent } from '../delegation/delegation.errors';
import type { DecisionContext } from '../shared/decision-context';
import { ageOn, type LocalDate } from '../shared/local-date';
import type { Unit } from '../shared/units';
import { familyDecisionInForce, isInIntroductionProgramme } from './family.queries';
import type { FamilyState } from './family.state';
import type { DelegationRef, SubProjectRef } from './family.values';

export type CompetenceRequest = {
  unit: Unit;
  decisionType: DecisionTypeCode;
  memberIds: string[];
  /** The period's start: members' ages and programme on that day decide. */
  date: LocalDate;
  subProject: SubProjectRef | null;
  /** The decision's amount (monthly + one-off, øre), for four-eyes thresholds. */
  amountOre?: number;
};

/** The family's situation as the delegation rules see it (coordinating unit, district, family decision). */
export function competenceFamily(state: FamilyState): CompetenceFamily {
  return { district: state.district, coordinatingUnit: state.coordinatingUnit, inFamilyDecision: familyDecisionInForce(state) !== null };
}

/**
 * Asks the delegation rule set in force on the request's date (ctx.ruleSetOn, else ctx.ruleSet) whether the unit may make this decision for
 * these members, and returns the rule that authorises it (recorded on the event), or throws
 * NOT_COMPETENT with every rule's reason.
 */
export function authoriseDecision(
  state: FamilyState,
  ctx: DecisionContext,
  request: CompetenceRequest,
): { delegation: DelegationRef; rule: DelegationRule; fourEyes: boolean } {
  const ruleSet = ctx.ruleSetOn ? ctx.ruleSetOn(request.date) : ctx.ruleSet;
  const result = evaluateCompetence(ruleSet, {
    decisionType: request.decisionType,
    unit: request.unit,
    date: request.date,
    subProjectResponsibleUnit: request.subProject?.responsibleUnit ?? null,
    family: competenceFamily(state),
    amountOre: request.amountOre,
    members: request.memberIds.map((memberId) => {
      const member = state.members[memberId];
      return {
        memberId,
        ageOnDate: ageOn(member.birthDate, request.date),
        adult: member.role === 'adult',
        inIntroductionProgramme: isInIntroductionProgramme(state, memberId, request.date),
      };
    }),
  });
  if (!result.permitted || !result.rule) {
    const label = findDecisionType(request.decisionType)?.label ?? request.decisionType;
    throw new NotCompetent(request.unit, label, ruleSet.id, result.reasons);
  }
  return {
    delegation: { ruleSetId: ruleSet.id, ruleSetVersion: ruleSet.version, ruleId: result.rule.id },
    rule: result.rule,
    fourEyes: result.fourEyesRequired ?? result.rule.fourEyes,
  };
}
