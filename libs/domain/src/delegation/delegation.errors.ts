import { DomainError } from '../shared/domain-error';

export class UnknownDecisionType extends DomainError {
  readonly code = 'UNKNOWN_DECISION_TYPE';
  readonly kind = 'invalid';
  constructor(value: unknown) {
    super(`${JSON.stringify(value) ?? String(value)} is not a decision type in the catalogue.`);
  }
}

/** The delegation rules do not let this unit make this decision for these members. */
export class NotCompetent extends DomainError {
  readonly code = 'NOT_COMPETENT';
  readonly kind = 'forbidden';
  constructor(unit: string, decisionLabel: string, ruleSetId: string, reasons: string[]) {
    super(`${unit} is not authorised by the delegation rules (${ruleSetId}) to make this decision (${decisionLabel}). ${reasons.join(' ')}`, {
      unit,
      ruleSetId,
      reasons,
    });
  }
}

/** The rule set does not allow a decision type to be combined into a family decision. */
export class NotBundlable extends DomainError {
  readonly code = 'NOT_BUNDLABLE';
  readonly kind = 'invalid';
  constructor(decisionId: string, decisionLabel: string, ruleSetId: string) {
    super(`Decision ${decisionId} (${decisionLabel}) may not be included in a family decision under the delegation rules ${ruleSetId}.`, {
      decisionId,
      ruleSetId,
    });
  }
}

/** A drafted rule set is not well formed; `problems` lists every fault found. */
export class InvalidRuleSet extends DomainError {
  readonly code = 'INVALID_RULE_SET';
  readonly kind = 'invalid';
  constructor(readonly problems: string[]) {
    super(`The delegation rule set is not valid: ${problems.join('; ')}.`, { problems });
  }
}
