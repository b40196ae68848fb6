import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { StreamCommandHandler } from '@familievedtak/application';
import {
  EVENT_SCHEMA_VERSION,
  ruleSetDecider,
  RuleSetCommand,
  RuleSetContext,
  RuleSetEvent,
  RuleSetNotFound,
  RuleSetState,
  ruleSetStreamId,
  RULE_SET_STREAM_PREFIX,
} from '@familievedtak/domain';
import { Clock, EVENT_STORE, EventStore } from '@familievedtak/event-store';
import { CLOCK } from '../shared/clock.provider';
import { CommandOutcome, envelopeFor, RequestInfo } from '../shared/command-envelope';
import { RuleSetRegistry } from './rule-set-registry.service';

/** Commands on `ruleset-<id>` streams, through the one load-decide-append path. */
@Injectable()
export class RuleSetCommandsService {
  private readonly handler: StreamCommandHandler<RuleSetCommand, RuleSetEvent, RuleSetState, RuleSetContext>;

  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(CLOCK) private readonly clock: Clock,
    private readonly registry: RuleSetRegistry,
  ) {
    this.handler = new StreamCommandHandler(store, ruleSetDecider);
  }

  async execute(ruleSetId: string, command: RuleSetCommand, request: RequestInfo): Promise<CommandOutcome & { state: RuleSetState }> {
    const streamId = ruleSetStreamId(ruleSetId);
    const result = await this.handler.handle(streamId, command, {
      envelope: envelopeFor(command.type, request, ruleSetId),
      context: { now: this.clock.now(), newId: randomUUID, actor: request.actor },
      expectedRevision: request.expectedRevision,
      schemaVersion: EVENT_SCHEMA_VERSION,
    });
    // This process sees its own change at once.
    await this.registry.refresh();
    return {
      streamId,
      revision: result.revision,
      replayed: result.replayed,
      state: result.state,
      events: result.events.map((e) => ({ id: e.id, type: e.type, revision: e.revision, globalPosition: e.globalPosition.toString() })),
    };
  }

  async load(ruleSetId: string): Promise<{ state: RuleSetState; revision: number }> {
    const { state, revision } = await this.handler.load(ruleSetStreamId(ruleSetId));
    if (state.ruleSetId === null) throw new RuleSetNotFound(ruleSetId);
    return { state, revision };
  }

  /** Every rule set id with a stream. */
  async ids(): Promise<string[]> {
    const ids = new Set<string>();
    let position = 0n;
    for (;;) {
      const page = await this.store.readAll({
        fromPosition: position,
        maxCount: 1000,
        filter: { streamPrefixes: [RULE_SET_STREAM_PREFIX], eventTypes: ['RuleSetDrafted'] },
      });
      for (const e of page) ids.add(e.streamId.slice(RULE_SET_STREAM_PREFIX.length));
      if (page.length < 1000) break;
      position = page[page.length - 1].globalPosition;
    }
    return [...ids].sort();
  }
}
