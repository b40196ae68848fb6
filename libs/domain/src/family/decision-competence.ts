import { evaluateCompetence } from '../delegation/competence.evaluator';
import { findDecisionType, type DecisionTypeCode } from '../delegation/decision-type.catalogue';
import type { DelegationRule } from '../delegation/delegation-rule-set';
import { NotCompetent } from '../delegation/delegation.errors';
import type { DecisionContext } from '../shared/decision-context';
import { ageOn, type LocalDate } from '../shared/local-date';
import type { Unit } from '../shared/units';
import { isInIntroductionProgramme } from './family.queries';
import type { FamilyState } from './family.state';
import type { DelegationRef, SubProjectRef } from './family.values';

export type CompetenceRequest = {
  unit: Unit;
  decisionType: DecisionTypeCode;
  memberIds: string[];
  /** The period's start: members' ages and programme on that day decide. */
  date: LocalDate;
  subProject: SubProjectRef | null;
};

/**
 * Asks the delegation rule set in the context whether the unit may make this decision for
 * these members, and returns the rule that authorises it (recorded on the event), or throws
 * NOT_COMPETENT with every rule's reason.
 */
export function authoriseDecision(
  state: FamilyState,
  ctx: DecisionContext,
  request: CompetenceRequest,
): { delegation: DelegationRef; rule: DelegationRule } {
  const result = evaluateCompetence(ctx.ruleSet, {
    decisionType: request.decisionType,
    unit: request.unit,
    date: request.date,
    subProjectResponsibleUnit: request.subProject?.responsibleUnit ?? null,
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
    throw new NotCompetent(request.unit, label, ctx.ruleSet.id, result.reasons);
  }
  return {
    delegation: { ruleSetId: ctx.ruleSet.id, ruleSetVersion: ctx.ruleSet.version, ruleId: result.rule.id },
    rule: result.rule,
  };
}
