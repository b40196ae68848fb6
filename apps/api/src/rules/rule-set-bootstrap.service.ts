import { Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { RULE_SET_BOOTSTRAP_ACTOR, RuleSetVersionConflict } from '@familievedtak/domain';
import { WrongExpectedVersionError } from '@familievedtak/event-store';
import { shippedRuleSetDocuments } from '@familievedtak/rules';
import { RuleSetCommandsService } from './rule-set-commands.service';

/** Correlates the events of every start-up load: "why" they are there. */
export const RULE_SET_BOOTSTRAP_CORRELATION = 'familievedtak-bootstrap:shipped-rule-sets';

/**
 * Loads the shipped rule-set documents (libs/rules/rule-sets) when the API starts, through the
 * same command path as the rules team: LoadShippedRuleSet by the system actor, drafted under the
 * version each document names, the set in force (trondheim-2023) activated from its
 * effectiveFrom. Idempotent: a version already stored adds nothing (the domain decides no
 * events), and the idempotency key `shipped:<id>@v<version>` gives the events fixed ids, so two
 * instances starting at once append them once (the loser's append is recognised as a retry or
 * loses the revision race and decides again on the stored stream).
 */
@Injectable()
export class RuleSetBootstrap implements OnApplicationBootstrap {
  private readonly logger = new Logger('rule-sets');

  constructor(private readonly commands: RuleSetCommandsService) {}

  async onApplicationBootstrap(): Promise<void> {
    await this.loadShipped();
  }

  /** Returns how many events were appended (0 on every start but the first). */
  async loadShipped(): Promise<number> {
    let appended = 0;
    for (const shipped of shippedRuleSetDocuments()) {
      const key = `shipped:${shipped.ruleSet.id}@v${shipped.ruleSet.version}`;
      try {
        const outcome = await this.commands.execute(
          shipped.ruleSet.id,
          { type: 'LoadShippedRuleSet', data: { document: shipped.text, format: shipped.format, ruleSet: shipped.ruleSet, activate: shipped.inForce } },
          { actor: RULE_SET_BOOTSTRAP_ACTOR, idempotencyKey: key, correlationId: RULE_SET_BOOTSTRAP_CORRELATION },
        );
        if (!outcome.replayed) appended += outcome.events.length;
      } catch (error) {
        // The municipality stored other rules under this version: theirs stand; say so, go on.
        if (error instanceof RuleSetVersionConflict || error instanceof WrongExpectedVersionError) {
          this.logger.warn(`shipped rule set ${shipped.name} not loaded: ${error.message}`);
          continue;
        }
        throw error;
      }
    }
    if (appended > 0) this.logger.log(`loaded the shipped rule sets (${appended} events)`);
    return appended;
  }
}
