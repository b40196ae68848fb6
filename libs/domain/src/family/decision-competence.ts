import { evaluateCompetence, type CompetenceFamily } from '../delegation/competence.evaluator';
import { decisionTypeEntry, findDecisionType, type DecisionTypeCode } from '../delegation/decision-type.catalogue';
import type { DelegationRule } from '../delegation/delegation-rule-set';
import { isLawfulDecider } from '../delegation/legal-limits';
import { NotCompetent } from '../delegation/delegation.errors';
import type { DecisionContext } from '../shared/decision-context';
import { ageOn, localDateOf, type LocalDate } from '../shared/local-date';
import type { Unit } from '../shared/units';
import { familyDecisionInForce, isInIntroductionProgramme } from './family.queries';
import type { FamilyState } from './family.state';
import type { DelegationRef, SubProjectRef } from './family.values';

export type CompetenceRequest = {
  unit: Unit;
  decisionType: DecisionTypeCode;
  memberIds: string[];
  /**
   * The period's start: members' ages and programme on that day decide (they describe who the
   * period is for). Which rule set applies is NOT read from it: see authoriseDecision.
   */
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
 * Asks the delegation rule set in force on the day the decision is made (the proposal or
 * approval day, from the injected clock: ctx.ruleSetOn(localDateOf(ctx.now)), else ctx.ruleSet)
 * whether the unit may make this decision for these members, and returns the rule that
 * authorises it (recorded on the event), or throws NOT_COMPETENT with every rule's reason.
 * Competence is a matter of who may decide when deciding: a decision made today for a period
 * that starts next year is made under today's delegation, not next year's (kommuneloven
 * § 13-1; see README, "Decisions: where the law left a choice").
 * Then, in depth, the law's own limits (the catalogue's competentUnits): a rule set activated
 * before drafts were checked against them still cannot let a unit decide outside them.
 */
export function authoriseDecision(
  state: FamilyState,
  ctx: DecisionContext,
  request: CompetenceRequest,
): { delegation: DelegationRef; rule: DelegationRule; fourEyes: boolean } {
  const decidedOn = localDateOf(ctx.now);
  const ruleSet = ctx.ruleSetOn ? ctx.ruleSetOn(decidedOn) : ctx.ruleSet;
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
  if (!isLawfulDecider(request.decisionType, request.unit)) {
    const entry = decisionTypeEntry(request.decisionType);
    throw new NotCompetent(request.unit, entry.label, ruleSet.id, [
      `Rule ${result.rule.id} grants it, but the law lets only ${entry.competentUnits.join(' or ')} decide it (${entry.competenceProvision}).`,
    ]);
  }
  return {
    delegation: { ruleSetId: ruleSet.id, ruleSetVersion: ruleSet.version, ruleId: result.rule.id },
    rule: result.rule,
    fourEyes: result.fourEyesRequired ?? result.rule.fourEyes,
  };
}
