import type { DelegationRuleSet } from '../delegation/delegation-rule-set';
import type { Actor } from './actor';
import type { LocalDate } from './local-date';

/**
 * Everything a decider needs from outside the stream. Injected, so that the same command
 * on the same history always gives the same events (deterministic replay and tests).
 */
export type DecisionContext = {
  /** The instant the command is decided (UTC). Legal dates derive from it in Europe/Oslo. */
  now: Date;
  /** Generates ids for entities the command did not name. */
  newId(): string;
  actor: Actor;
  /** The delegation rules in force today: who may decide what. */
  ruleSet: DelegationRuleSet;
  /**
   * The delegation rules in force on a date (asked for the day a decision is made, see
   * authoriseDecision). Absent: `ruleSet` for every date. Must be pure: the application
   * resolves it from a snapshot.
   */
  ruleSetOn?(date: LocalDate): DelegationRuleSet;
};
