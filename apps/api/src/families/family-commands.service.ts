import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { CommandEnvelope, HandleResult, StreamCommandHandler } from '@familievedtak/application';
import {
  Actor,
  actorRef,
  DecisionContext,
  decideFamily,
  EVENT_SCHEMA_VERSION,
  evolveFamily,
  FamilyCommand,
  FamilyEvent,
  FamilyState,
  initialFamilyState,
  TRONDHEIM_2023_RULE_SET,
} from '@familievedtak/domain';
import { Clock, EVENT_STORE, EventStore } from '@familievedtak/event-store';
import { CLOCK } from '../shared/clock.provider';

export const familyStream = (familyId: string) => `family-${familyId}`;

export interface RequestInfo {
  actor: Actor;
  idempotencyKey?: string;
  correlationId?: string;
  causationId?: string;
  expectedRevision?: number;
}

export interface CommandOutcome {
  familyId: string;
  revision: number;
  replayed: boolean;
  events: Array<{ id: string; type: string; revision: number; globalPosition: string }>;
}

/** Sends family commands through the one load-decide-append path, with who and why attached. */
@Injectable()
export class FamilyCommandsService {
  private readonly handler: StreamCommandHandler<FamilyCommand, FamilyEvent, FamilyState, DecisionContext>;

  constructor(
    @Inject(EVENT_STORE) store: EventStore,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {
    this.handler = new StreamCommandHandler(store, { decide: decideFamily, evolve: evolveFamily, initialState: initialFamilyState });
  }

  async execute(familyId: string, command: FamilyCommand, request: RequestInfo): Promise<CommandOutcome> {
    // The delegation rule set in force; a versioned rule-set stream replaces this constant later.
    const ruleSet = TRONDHEIM_2023_RULE_SET;
    const commandId = randomUUID();
    const envelope: CommandEnvelope = {
      commandId,
      commandType: command.type,
      correlationId: request.correlationId ?? commandId,
      causationId: request.causationId ?? commandId,
      actor: actorRef(request.actor),
      ruleSetId: ruleSet.id,
      idempotencyKey: request.idempotencyKey ?? null,
    };
    const result: HandleResult<FamilyState> = await this.handler.handle(familyStream(familyId), command, {
      envelope,
      context: { now: this.clock.now(), newId: randomUUID, actor: request.actor, ruleSet },
      expectedRevision: request.expectedRevision,
      schemaVersion: EVENT_SCHEMA_VERSION,
    });
    return {
      familyId,
      revision: result.revision,
      replayed: result.replayed,
      events: result.events.map((e) => ({ id: e.id, type: e.type, revision: e.revision, globalPosition: e.globalPosition.toString() })),
    };
  }

  /** The family folded straight from its stream (for reads that must not lag the projection). */
  async load(familyId: string): Promise<{ state: FamilyState; revision: number }> {
    const { state, revision } = await this.handler.load(familyStream(familyId));
    return { state, revision };
  }
}
