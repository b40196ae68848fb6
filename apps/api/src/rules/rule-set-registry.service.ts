import { Inject, Injectable } from '@nestjs/common';
import {
  DelegationRuleSet,
  LocalDate,
  orderActivations,
  RULE_SET_STREAM_PREFIX,
  RuleSetEvent,
  ruleSetInForceOn,
  type RuleSetActivation,
} from '@familievedtak/domain';
import { EVENT_STORE, EventStore, RecordedEvent } from '@familievedtak/event-store';

/** Resolves the rule set in force on a date, for a batch of commands: pure and synchronous. */
export type RuleSetSnapshot = { inForceOn(date: LocalDate): DelegationRuleSet };

/**
 * The delegation rule sets in force, from the `ruleset-*` streams, kept in memory.
 * The set in force on a date is the active version with the latest effectiveFrom on or before
 * it (ties: the later activation); with none, the 2023 baseline (TRONDHEIM_2023_RULE_SET).
 * Family commands never read a rule-set stream: the cache catches up from the log (only the
 * rule-set streams, from its last position) at most once per REFRESH_MS, and at once after a
 * rule-set command in this process.
 */
@Injectable()
export class RuleSetRegistry {
  static readonly REFRESH_MS = 1000;
  private readonly drafted = new Map<string, DelegationRuleSet>();
  private readonly active = new Map<string, RuleSetActivation>();
  /** Active versions ordered by effectiveFrom, then activation order. */
  private ordered: RuleSetActivation[] = [];
  private position = 0n;
  private refreshedAt = -Infinity;
  private refreshing: Promise<void> | null = null;

  constructor(@Inject(EVENT_STORE) private readonly store: EventStore) {}

  /** A resolver over the cache as it is now (refreshed first if older than REFRESH_MS). */
  async snapshot(): Promise<RuleSetSnapshot> {
    if (Date.now() - this.refreshedAt > RuleSetRegistry.REFRESH_MS) await this.refresh();
    const ordered = this.ordered;
    return { inForceOn: (date) => ruleSetInForceOn(ordered, date) };
  }

  async inForceOn(date: LocalDate): Promise<DelegationRuleSet> {
    return (await this.snapshot()).inForceOn(date);
  }

  /** Active versions, for listings: id, version, effectiveFrom. */
  async activations(): Promise<Array<{ ruleSetId: string; version: number; effectiveFrom: LocalDate }>> {
    await this.snapshot();
    return this.ordered.map((a) => ({ ruleSetId: a.ruleSet.id, version: a.ruleSet.version, effectiveFrom: a.effectiveFrom }));
  }

  /** Catches up from the log (single flight). */
  refresh(): Promise<void> {
    this.refreshing ??= this.catchUp().finally(() => {
      this.refreshing = null;
    });
    return this.refreshing;
  }

  private async catchUp(): Promise<void> {
    const started = Date.now();
    for (;;) {
      const page = await this.store.readAll({ fromPosition: this.position, maxCount: 500, filter: { streamPrefixes: [RULE_SET_STREAM_PREFIX] } });
      for (const event of page) this.apply(event);
      if (page.length > 0) this.position = page[page.length - 1].globalPosition;
      if (page.length < 500) break;
    }
    this.refreshedAt = started;
  }

  private apply(recorded: RecordedEvent): void {
    const event = { type: recorded.type, data: recorded.data } as unknown as RuleSetEvent;
    const key = (id: string, version: number) => `${id}@${version}`;
    switch (event.type) {
      case 'RuleSetDrafted':
        this.drafted.set(key(event.data.ruleSetId, event.data.version), event.data.ruleSet as unknown as DelegationRuleSet);
        return;
      case 'RuleSetActivated': {
        const ruleSet = this.drafted.get(key(event.data.ruleSetId, event.data.version));
        if (!ruleSet) return;
        this.active.set(key(event.data.ruleSetId, event.data.version), { ruleSet, effectiveFrom: event.data.effectiveFrom });
        break;
      }
      case 'RuleSetRetired':
        this.active.delete(key(event.data.ruleSetId, event.data.version));
        break;
      default:
        return;
    }
    // Map order is activation order.
    this.ordered = orderActivations(this.active.values());
  }
}
