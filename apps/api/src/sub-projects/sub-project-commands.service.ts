import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { StreamCommandHandler } from '@familievedtak/application';
import {
  decideSubProject,
  EVENT_SCHEMA_VERSION,
  evolveSubProject,
  initialSubProjectState,
  SubProjectCommand,
  SubProjectContext,
  SubProjectEvent,
  SubProjectState,
  subProjectStreamId,
  TRONDHEIM_2023_RULE_SET,
} from '@familievedtak/domain';
import { Clock, EVENT_STORE, EventStore } from '@familievedtak/event-store';
import { CLOCK } from '../shared/clock.provider';
import { CommandOutcome, envelopeFor, RequestInfo } from '../shared/command-envelope';

/**
 * Commands on sub-project budget streams. Spending is appended with the revision the budget
 * check was made on, so concurrent payments are serialised by the log: one of two racing
 * spends is decided again on the new balance and refused if it no longer fits.
 */
@Injectable()
export class SubProjectCommandsService {
  private readonly handler: StreamCommandHandler<SubProjectCommand, SubProjectEvent, SubProjectState, SubProjectContext>;

  constructor(
    @Inject(EVENT_STORE) store: EventStore,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {
    this.handler = new StreamCommandHandler(store, {
      decide: decideSubProject,
      evolve: evolveSubProject,
      initialState: initialSubProjectState,
    });
  }

  async execute(subProjectId: string, command: SubProjectCommand, request: RequestInfo): Promise<CommandOutcome & { state: SubProjectState }> {
    const streamId = subProjectStreamId(subProjectId);
    const result = await this.handler.handle(streamId, command, {
      envelope: envelopeFor(command.type, request, TRONDHEIM_2023_RULE_SET.id),
      context: { now: this.clock.now(), newId: randomUUID, actor: request.actor },
      expectedRevision: request.expectedRevision,
      schemaVersion: EVENT_SCHEMA_VERSION,
    });
    return {
      streamId,
      revision: result.revision,
      replayed: result.replayed,
      state: result.state,
      events: result.events.map((e) => ({ id: e.id, type: e.type, revision: e.revision, globalPosition: e.globalPosition.toString() })),
    };
  }

  async load(subProjectId: string): Promise<{ state: SubProjectState; revision: number }> {
    const { state, revision } = await this.handler.load(subProjectStreamId(subProjectId));
    return { state, revision };
  }
}
