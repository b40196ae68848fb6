import { mayBundle, resolveDeciders, ruleCovers } from '../delegation/competence.evaluator';
import { decisionTypeEntry } from '../delegation/decision-type.catalogue';
import { competenceFamily } from './decision-competence';
import { NotBundlable } from '../delegation/delegation.errors';
import type { DecisionContext } from '../shared/decision-context';
import { InvalidDate } from '../shared/domain-error';
import { parseLocalDate } from '../shared/local-date';
import type { Unit } from '../shared/units';
import { idOrNew, requireId, requireList, requireUnit } from '../shared/validation';
import type { IssueFamilyDecision } from './family.commands';
import { AlreadyExists, ConsentMissing, ContactPersonNotFound, ContactPersonNotOfUnit } from './family.errors';
import type { FamilyDecisionIssued } from './family.events';
import { requireApprover, requireDecisionIn, requirePart, stamp, today } from './family.guards';
import { consentsInForce, currentAdults, familyDecisionInForce } from './family.queries';
import type { Decision, FamilyState } from './family.state';
import type { IncludedDecision } from './family.values';

/**
 * The family decision (familievedtak): one letter and one contact for the whole family,
 * bundling the members' active decisions. Each keeps its own legal basis and deciding
 * unit; only the review date, the responsible unit and the contact person are common.
 */

export function issueFamilyDecision(command: IssueFamilyDecision, state: FamilyState, ctx: DecisionContext): FamilyDecisionIssued[] {
  requirePart(state, ctx, 'issue a family decision');
  const data = command.data;
  const responsibleUnit = requireUnit(data.responsibleUnit);
  requireApprover(ctx.actor, responsibleUnit, 'issue a family decision');
  const familyDecisionId = idOrNew(data.familyDecisionId, 'familyDecisionId', ctx.newId);
  if (state.familyDecisions[familyDecisionId]) throw new AlreadyExists('family decision', familyDecisionId);
  const decisions = requireList(data.decisionIds, 'decisionIds', 1, requireId).map((id, i) =>
    requireDecisionIn(state, id, ['active'], 'included in a family decision', ctx, `decisionIds[${i}]`),
  );
  decisions.forEach((decision) => requireBundlable(state, decision, responsibleUnit, ctx));
  const reviewDate = parseLocalDate(data.reviewDate, 'reviewDate');
  if (reviewDate < today(ctx)) throw new InvalidDate('reviewDate', reviewDate, 'must be today or later');
  const contactPersonId = requireContactPersonOf(state, data.contactPersonId, responsibleUnit);
  const units = [...new Set<Unit>([responsibleUnit, ...decisions.map((d) => d.unit)])];
  const consentIds = requireAdultsConsent(state, today(ctx), units);
  return [
    {
      type: 'FamilyDecisionIssued',
      data: {
        familyDecisionId,
        decisions: decisions.map(included),
        reviewDate,
        responsibleUnit,
        contactPersonId,
        consentIds,
        ruleSetId: ctx.ruleSet.id,
        ruleSetVersion: ctx.ruleSet.version,
        supersedes: familyDecisionInForce(state)?.familyDecisionId ?? null,
        ...stamp(ctx),
      },
    },
  ];
}

/**
 * The rule set in force must allow the decision to be bundled: a rule covering its type under
 * which its unit decides (or could, for this family) that is bundlable by the responsible unit.
 */
function requireBundlable(state: FamilyState, decision: Decision, responsibleUnit: Unit, ctx: DecisionContext): void {
  const family = competenceFamily(state);
  const bundlable = ctx.ruleSet.rules.some(
    (rule) =>
      ruleCovers(rule, decision.decisionType) &&
      resolveDeciders(rule, family).some((d) => d.units.includes(decision.unit)) &&
      mayBundle(rule, responsibleUnit, family),
  );
  if (!bundlable) throw new NotBundlable(decision.decisionId, decisionTypeEntry(decision.decisionType).label, ctx.ruleSet.id);
}

function requireContactPersonOf(state: FamilyState, personId: unknown, unit: Unit): string {
  const id = requireId(personId, 'contactPersonId');
  const person = state.team[id];
  if (!person?.active) throw new ContactPersonNotFound(id);
  if (person.affiliation.kind !== 'unit' || person.affiliation.unit !== unit) throw new ContactPersonNotOfUnit(id, unit);
  return id;
}

/**
 * Every adult in the household must have a 'combine-family-decision' consent in force today
 * that covers every unit involved; returns the consents relied on, for the auditor.
 */
function requireAdultsConsent(state: FamilyState, date: string, units: Unit[]): string[] {
  const consentIds: string[] = [];
  const missing: string[] = [];
  for (const adult of currentAdults(state)) {
    const consent = consentsInForce(state, date, { memberId: adult.memberId, kind: 'combine-family-decision' }).find((c) =>
      units.every((unit) => c.toUnits.includes(unit)),
    );
    if (consent) consentIds.push(consent.consentId);
    else missing.push(adult.memberId);
  }
  if (missing.length > 0) throw new ConsentMissing(missing, units);
  return consentIds;
}

function included(decision: Decision): IncludedDecision {
  return {
    decisionId: decision.decisionId,
    unit: decision.unit,
    decisionType: decision.decisionType,
    memberIds: decision.memberIds,
    legalBasis: decision.legalBasis,
    periodFrom: decision.periodFrom,
    periodUntil: decision.periodUntil,
  };
}
