import { EventStore, JsonObject, RecordedEvent, WrongExpectedVersionError } from '@familievedtak/event-store';
import { CommandEnvelope, eventMetadata } from './command-metadata';
import { deterministicUuid } from './deterministic-id';

/** The decider shape of libs/domain: pure functions, context injected. */
export interface StreamDecider<Command, Event extends { type: string; data: object }, State, Context> {
  decide(command: Command, state: State, context: Context): Event[];
  evolve(state: State, event: Event): State;
  initialState(): State;
}

export interface HandleOptions<Context> {
  envelope: CommandEnvelope;
  context: Context;
  /** The revision the client last saw (If-Match): a different current revision is a conflict. */
  expectedRevision?: number;
  schemaVersion: number;
}

export interface HandleResult<State> {
  /** The events this command produced (on a retry: the ones the first attempt stored). */
  events: RecordedEvent[];
  /** Stream revision after the command (-1: the stream does not exist). */
  revision: number;
  state: State;
  /** True when the idempotency key had already been handled: nothing was appended. */
  replayed: boolean;
}

/** Raised when the client's If-Match revision is not the stream's revision. */
export class StaleRevisionError extends WrongExpectedVersionError {}

/** Attempts for a command that keeps losing races on a hot stream (decided again each time). */
const MAX_RACE_RETRIES = 50;
const backoff = (attempt: number) => new Promise((resolve) => setTimeout(resolve, Math.random() * Math.min(50, 2 * attempt)));

/**
 * Load, decide, append: the one way commands reach the log.
 * - The stream is folded into state; the decider decides on it.
 * - The append expects the revision that was read, so a concurrent writer is detected; the
 *   command is then decided again on the new state (unless the client pinned a revision).
 * - With an idempotency key, event ids derive from it: a retry finds its events in the
 *   stream and gets the first answer back, appending nothing.
 */
export class StreamCommandHandler<Command, Event extends { type: string; data: object }, State, Context> {
  constructor(
    private readonly store: EventStore,
    private readonly decider: StreamDecider<Command, Event, State, Context>,
  ) {}

  async load(streamId: string): Promise<{ events: RecordedEvent[]; state: State; revision: number }> {
    const events: RecordedEvent[] = [];
    for (let from = 0; ; ) {
      const page = await this.store.readStream(streamId, { fromRevision: from, maxCount: 1000 });
      events.push(...page);
      if (page.length < 1000) break;
      from = page[page.length - 1].revision + 1;
    }
    const state = events.reduce(
      (s, e) => this.decider.evolve(s, { type: e.type, data: e.data } as unknown as Event),
      this.decider.initialState(),
    );
    return { events, state, revision: events.length ? events[events.length - 1].revision : -1 };
  }

  /** Whether the command sent with this idempotency key already left its events in the stream. */
  alreadyHandled(streamId: string, events: RecordedEvent[], idempotencyKey: string): boolean {
    // The first attempt's events carry ids derived from the key: found means handled.
    const firstId = deterministicUuid(streamId, idempotencyKey, '0');
    return events.some((e) => e.id === firstId);
  }

  async handle(streamId: string, command: Command, options: HandleOptions<Context>): Promise<HandleResult<State>> {
    const key = options.envelope.idempotencyKey;
    const idFor = (index: number) => (key ? deterministicUuid(streamId, key, String(index)) : undefined);
    for (let attempt = 1; ; attempt++) {
      const loaded = await this.load(streamId);
      if (key) {
        if (this.alreadyHandled(streamId, loaded.events, key)) {
          const earlier = loaded.events.filter((e) => e.metadata.idempotencyKey === key);
          return { events: earlier, revision: loaded.revision, state: loaded.state, replayed: true };
        }
      }
      if (options.expectedRevision !== undefined && options.expectedRevision !== loaded.revision) {
        throw new StaleRevisionError(streamId, options.expectedRevision, loaded.revision);
      }
      const decided = this.decider.decide(command, loaded.state, options.context);
      if (decided.length === 0) return { events: [], revision: loaded.revision, state: loaded.state, replayed: false };
      const metadata = eventMetadata(options.envelope, options.schemaVersion);
      const toAppend = decided.map((event, index) => ({
        id: idFor(index) ?? deterministicUuid(options.envelope.commandId, String(index)),
        type: event.type,
        data: event.data as JsonObject,
        metadata,
      }));
      try {
        await this.store.appendToStream(streamId, toAppend, {
          expectedRevision: loaded.revision < 0 ? 'no_stream' : loaded.revision,
        });
      } catch (error) {
        const raced = error instanceof WrongExpectedVersionError;
        if (raced && options.expectedRevision === undefined && attempt < MAX_RACE_RETRIES) {
          await backoff(attempt);
          continue;
        }
        throw error;
      }
      const state = decided.reduce((s, e) => this.decider.evolve(s, e), loaded.state);
      const stored = await this.store.readStream(streamId, { fromRevision: loaded.revision + 1, maxCount: decided.length });
      return { events: stored, revision: loaded.revision + decided.length, state, replayed: false };
    }
  }
}
