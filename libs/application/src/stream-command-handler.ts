import { EventStore, JsonObject, RecordedEvent, WrongExpectedVersionError } from '@familievedtak/event-store';
import { CommandEnvelope, eventMetadata } from './command-metadata';
import { deterministicUuid } from './deterministic-id';
import { assertSameFingerprint } from './idempotency';

/** The decider shape of libs/domain: pure functions, context injected. */
export interface StreamDecider<Command, Event extends { type: string; data: object }, State, Context> {
  decide(command: Command, state: State, context: Context): Event[];
  evolve(state: State, event: Event): State;
  initialState(): State;
  /**
   * Folds many events at once onto `state`, equal to reducing them with evolve (e.g. the
   * domain's foldFamily, linear where a reduce copies per event). Optional: reduce otherwise.
   */
  fold?(events: Event[], state: State): State;
}

export interface StreamCommandHandlerOptions {
  /**
   * How many streams keep their folded state in memory between commands (least recently used
   * first out; 0: none). A cached stream is read from its last folded event on, not from 0.
   */
  cachedStreams?: number;
  /**
   * Events after which a cached state is not extended but the stream folded again from its start:
   * an erasure (the family's PersonalDataErased), after which the cached state still holds what
   * the log no longer reads (docs/design/retention-and-erasure.md §5). Default: none.
   */
  foldAgainAfter?: (event: RecordedEvent) => boolean;
}

/** Streams whose folded state is kept by default. */
export const DEFAULT_CACHED_STREAMS = 256;

/** A stream folded up to `revision`, whose event there had id `lastEventId`. Never mutated once cached, except `keyedIds` (which only grows). */
interface Folded<State> {
  state: State;
  revision: number;
  lastEventId: string;
  /** Ids of the stream's events appended with an idempotency key (the only ones a retry looks for). */
  keyedIds: Set<string>;
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
 * - The stream is folded into state; the decider decides on it. The folded state of recently
 *   used streams is kept (with its revision and the id of the event there): the next command
 *   reads only from that event on, and folds only what is new. The log is append-only, so a
 *   cached prefix stays true; should the event at the cached revision not be the one
 *   remembered (a stream dropped and written again, as tests do), the cache entry is dropped
 *   and the stream read from 0.
 * - The append expects the revision that was read, so a concurrent writer is detected; the
 *   command is then decided again on the new state (unless the client pinned a revision).
 * - With an idempotency key, event ids derive from it: a retry finds its events in the
 *   stream and gets the first answer back, appending nothing. The events carry the
 *   fingerprint of the request that sent the key: another request with the same key is
 *   refused (IdempotencyKeyReusedError), never answered with the first one's events.
 */
export class StreamCommandHandler<Command, Event extends { type: string; data: object }, State, Context> {
  private readonly cache = new Map<string, Folded<State>>();
  private readonly cachedStreams: number;
  private readonly foldAgainAfter: (event: RecordedEvent) => boolean;

  constructor(
    private readonly store: EventStore,
    private readonly decider: StreamDecider<Command, Event, State, Context>,
    options: StreamCommandHandlerOptions = {},
  ) {
    this.cachedStreams = Math.max(0, options.cachedStreams ?? DEFAULT_CACHED_STREAMS);
    this.foldAgainAfter = options.foldAgainAfter ?? (() => false);
  }

  /** The whole stream and its state (the events from 0; the fold resumes from the cache where it can). */
  async load(streamId: string): Promise<{ events: RecordedEvent[]; state: State; revision: number }> {
    const events = await this.readFrom(streamId, 0);
    const cached = this.cache.get(streamId);
    const resumable =
      cached !== undefined &&
      events[cached.revision]?.revision === cached.revision &&
      events[cached.revision].id === cached.lastEventId &&
      !events.slice(cached.revision + 1).some(this.foldAgainAfter);
    if (cached && !resumable) this.cache.delete(streamId);
    const folded = resumable
      ? this.extend(cached, events.slice(cached.revision + 1))
      : this.extend({ state: this.decider.initialState(), revision: -1, lastEventId: '', keyedIds: new Set() }, events);
    this.remember(streamId, folded);
    return { events, state: folded.state, revision: folded.revision };
  }

  /**
   * The stream's state and revision for deciding: from the cache, brought up to date by
   * reading from the cached revision on (that event must still be the one remembered).
   */
  private async current(streamId: string): Promise<Folded<State>> {
    const cached = this.cache.get(streamId);
    if (cached) {
      const tail = await this.readFrom(streamId, cached.revision);
      if (tail.length > 0 && tail[0].revision === cached.revision && tail[0].id === cached.lastEventId && !tail.slice(1).some(this.foldAgainAfter)) {
        const folded = this.extend(cached, tail.slice(1));
        this.remember(streamId, folded);
        return folded;
      }
      this.cache.delete(streamId);
    }
    const { state, revision } = await this.load(streamId);
    return this.cache.get(streamId) ?? { state, revision, lastEventId: '', keyedIds: new Set() };
  }

  private async readFrom(streamId: string, fromRevision: number): Promise<RecordedEvent[]> {
    const events: RecordedEvent[] = [];
    for (let from = fromRevision; ;) {
      const page = await this.store.readStream(streamId, { fromRevision: from, maxCount: 1000 });
      for (const event of page) events.push(event);
      if (page.length < 1000) break;
      from = page[page.length - 1].revision + 1;
    }
    return events;
  }

  /** `folded` with `events` (the ones after its revision) folded in; `folded` itself is left as it was. */
  private extend(folded: Folded<State>, events: RecordedEvent[]): Folded<State> {
    if (events.length === 0) return folded;
    const domainEvents = events.map((e) => ({ type: e.type, data: e.data }) as unknown as Event);
    const state = this.decider.fold ? this.decider.fold(domainEvents, folded.state) : domainEvents.reduce((s, e) => this.decider.evolve(s, e), folded.state);
    // The id set only grows, and a stream only grows: sharing it with older entries is safe.
    for (const e of events) if (typeof e.metadata?.idempotencyKey === 'string') folded.keyedIds.add(e.id);
    const last = events[events.length - 1];
    return { state, revision: last.revision, lastEventId: last.id, keyedIds: folded.keyedIds };
  }

  /** Keeps the newest fold of a stream (never an older one), most recently used last. */
  private remember(streamId: string, folded: Folded<State>): void {
    if (this.cachedStreams === 0 || folded.revision < 0) return;
    const cached = this.cache.get(streamId);
    if (cached && cached.revision > folded.revision) return;
    this.cache.delete(streamId);
    this.cache.set(streamId, folded);
    while (this.cache.size > this.cachedStreams) this.cache.delete(this.cache.keys().next().value as string);
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
      const loaded = await this.current(streamId);
      if (key && loaded.keyedIds.has(deterministicUuid(streamId, key, '0'))) {
        // A retry: the first attempt's events are read back from the whole stream.
        const whole = await this.load(streamId);
        if (this.alreadyHandled(streamId, whole.events, key)) {
          const earlier = whole.events.filter((e) => e.metadata.idempotencyKey === key);
          // Only the same request gets the first answer; the key sent with another is refused (422).
          assertSameFingerprint(earlier, key, options.envelope.idempotencyFingerprint);
          return { events: earlier, revision: whole.revision, state: whole.state, replayed: true };
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
      let appended: { nextExpectedRevision: number };
      try {
        appended = await this.store.appendToStream(streamId, toAppend, {
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
      const revision = loaded.revision + decided.length;
      const stored = await this.store.readStream(streamId, { fromRevision: loaded.revision + 1, maxCount: decided.length });
      // The store already held these event ids: a request with the same key, sent at the same
      // moment to another instance, was stored first. At other revisions (others landed in
      // between), or at these very revisions: then the events there are another command's.
      if (key && (appended.nextExpectedRevision !== revision || stored.some((e) => e.metadata?.commandId !== options.envelope.commandId))) {
        // The same request gets the first answer; another one with the key is refused (nothing of it was stored).
        const whole = await this.load(streamId);
        const earlier = whole.events.filter((e) => e.metadata.idempotencyKey === key);
        assertSameFingerprint(earlier, key, options.envelope.idempotencyFingerprint);
        return { events: earlier, revision: whole.revision, state: whole.state, replayed: true };
      }
      const state = decided.reduce((s, e) => this.decider.evolve(s, e), loaded.state);
      const last = stored[stored.length - 1];
      if (last?.revision === revision) {
        for (const e of stored) if (typeof e.metadata?.idempotencyKey === 'string') loaded.keyedIds.add(e.id);
        this.remember(streamId, { state, revision, lastEventId: last.id, keyedIds: loaded.keyedIds });
      }
      return { events: stored, revision, state, replayed: false };
    }
  }
}
