import type { DelegationRuleSet } from '../delegation/delegation-rule-set';
import { TRONDHEIM_2023_RULE_SET } from '../delegation/trondheim-2023.rule-set';
import { compareDates, type LocalDate } from '../shared/local-date';

/** An active version of a rule set and the day it holds from. */
export type RuleSetActivation = { ruleSet: DelegationRuleSet; effectiveFrom: LocalDate };

/** Active versions (given in activation order) ordered by effectiveFrom; the sort is stable, so a tie keeps activation order. */
export function orderActivations(activations: Iterable<RuleSetActivation>): RuleSetActivation[] {
  return [...activations].sort((a, b) => compareDates(a.effectiveFrom, b.effectiveFrom));
}

/**
 * The set in force on a date: the active version with the latest effectiveFrom on or before it
 * (ties: the later activation); with none, the 2023 baseline. One rule for the API's registry and
 * for time travel, which reads the activations from the log as it stood.
 */
export function ruleSetInForceOn(ordered: RuleSetActivation[], date: LocalDate): DelegationRuleSet {
  for (let i = ordered.length - 1; i >= 0; i--) {
    if (compareDates(ordered[i].effectiveFrom, date) <= 0) return ordered[i].ruleSet;
  }
  return TRONDHEIM_2023_RULE_SET;
}
