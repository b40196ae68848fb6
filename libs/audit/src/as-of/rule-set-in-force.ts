import {
  orderActivations,
  RULE_SET_STREAM_PREFIX,
  ruleSetInForceOn,
  upcastRuleSetEvent,
  type RuleSetActivation,
  type DelegationRuleSet,
  type LocalDate,
  type RuleSetEvent,
} from '@familievedtak/domain';
import type { EventStore, RecordedEvent } from '@familievedtak/event-store';

const PAGE = 500;

/**
 * The delegation rule set in force on `day`, read from the `ruleset-*` streams of the log and
 * chosen as the API's RuleSetRegistry chooses (apps/api/src/rules/rule-set-registry.service.ts):
 * the active version with the latest effectiveFrom on or before the day, the later activation on
 * a tie, else the 2023 baseline. Read here rather than asked of the registry because this lib
 * works from the log alone (the CLI has no registry), and because `keep` can cut the log: time
 * travel counts only the rule-set events recorded by its cut, so a past view is computed with the
 * rules the system held then, not with a set activated later with an earlier effectiveFrom.
 * `keep` stops the read at the first event it rejects (the cut is a prefix, as for the family).
 */
export async function ruleSetInForce(store: EventStore, day: LocalDate, keep: (event: RecordedEvent) => boolean = () => true): Promise<DelegationRuleSet> {
  const drafted = new Map<string, DelegationRuleSet>();
  // Insertion order is activation order (the registry's tie-break).
  const active = new Map<string, RuleSetActivation>();
  for (let after = 0n; ;) {
    const page = await store.readAll({ fromPosition: after, maxCount: PAGE, filter: { streamPrefixes: [RULE_SET_STREAM_PREFIX] } });
    for (const recorded of page) {
      if (!keep(recorded)) return chosen(active, day);
      const event = upcastRuleSetEvent({ type: recorded.type, data: recorded.data } as unknown as RuleSetEvent);
      const key = `${event.data.ruleSetId}@${event.data.version}`;
      if (event.type === 'RuleSetDrafted') drafted.set(key, event.data.ruleSet as unknown as DelegationRuleSet);
      else if (event.type === 'RuleSetActivated') {
        const ruleSet = drafted.get(key);
        if (ruleSet) active.set(key, { ruleSet, effectiveFrom: event.data.effectiveFrom });
      } else if (event.type === 'RuleSetRetired') active.delete(key);
    }
    if (page.length < PAGE) return chosen(active, day);
    after = page[page.length - 1].globalPosition;
  }
}

function chosen(active: Map<string, RuleSetActivation>, day: LocalDate): DelegationRuleSet {
  // Map order is activation order: the same rule as the API's registry.
  return ruleSetInForceOn(orderActivations(active.values()), day);
}
