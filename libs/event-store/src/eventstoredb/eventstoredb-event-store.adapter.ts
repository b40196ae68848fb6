import { BACKWARDS, END, ErrorType, EventStoreDBClient, FORWARDS, NO_STREAM, START, isCommandError, jsonEvent } from '@eventstore/db-client';
import { validateAppend } from '../append-validation';
import { CatchUpPage, CatchUpSource, PollingSubscription } from '../catch-up-subscription';
import { Clock, systemClock } from '../clock';
import { GENESIS_HASH, chainHash, contentDigest } from '../event-hash';
import { EventIdConflictError, InvalidAppendError, WrongExpectedVersionError } from '../event-store.errors';
import {
  AppendOptions,
  AppendResult,
  EventData,
  EventFilter,
  EventStore,
  ExpectedRevision,
  JsonObject,
  ReadAllOptions,
  ReadStreamOptions,
  RecordedEvent,
  SubscribeOptions,
  Subscription,
} from '../event-store.port';
import { WakeSignal } from '../wake-signal';
import { ClientResolvedEvent, FilterPlan, planFilter, readAllFiltered } from './eventstoredb-filter';

export interface EventStoreDbEventStoreOptions {
  client: EventStoreDBClient;
  clock?: Clock;
  /** Whether close() disposes the client too (true when the store created it). */
  ownsClient?: boolean;
  /** How often an idle subscription looks for other processes' appends. */
  pollIntervalMs?: number;
}

/**
 * Our bookkeeping travels in the event metadata under these keys; readers get the caller's
 * metadata without them. EventStoreDB has no column for a hash, and its own `created` is the
 * server's clock, not the injected one.
 */
const RESERVED_PREFIX = '$fv.';
const HASH_KEY = `${RESERVED_PREFIX}hash`;
const RECORDED_AT_KEY = `${RESERVED_PREFIX}recordedAt`;

/** Appends that lose a race under 'any' / 'stream_exists' re-read and try again this often. */
const MAX_APPEND_ATTEMPTS = 20;
/** Size bound of the per-stream idempotency cache, in event ids plus one per stream; oldest streams go first. */
const MAX_CACHE_WEIGHT = 100_000;

/** Largest and smallest page asked of the server in one filtered read. */
const MAX_PAGE = 4096;
const MIN_PAGE = 32;
/** Backwards page while looking for the newest non-system event (the server already leaves out $-types). */
const HEAD_PAGE = 16;

/** What an append needs to know about its stream: the chain head and every event id in it. */
interface StreamState {
  /** Last revision, -1 when the stream does not exist. */
  revision: number;
  /** Hash of the last event; undefined if that event was not written by this adapter. */
  hash: string | undefined;
  ids: Map<string, { revision: number; position: bigint }>;
  /** Weight (ids + 1) as last counted into the cache total, 0 while not cached. */
  counted: number;
}

const isJsonObject = (value: unknown): value is JsonObject =>
  value !== null && typeof value === 'object' && !Array.isArray(value) && !(value instanceof Uint8Array);

const positionOf = (resolved: ClientResolvedEvent): bigint | undefined => resolved.commitPosition ?? resolved.event?.position?.commit;

const satisfies = (expected: ExpectedRevision, current: number): boolean => {
  switch (expected) {
    case 'any':
      return true;
    case 'no_stream':
      return current === -1;
    case 'stream_exists':
      return current >= 0;
    default:
      return current === expected;
  }
};

const isClientError = (error: unknown, type: ErrorType): boolean => error instanceof Error && isCommandError(error) && error.type === type;

/** The client reports the actual revision as a bigint, or 'no_stream' when there is none. */
const actualRevisionOf = (error: unknown): number | undefined => {
  const actual = (error as { actualVersion?: bigint | string }).actualVersion;
  if (typeof actual === 'bigint') return Number(actual);
  return actual === NO_STREAM ? -1 : undefined;
};

/** A cached stream state no longer lines up with the stream (truncated or deleted since). */
class StreamGapError extends Error {}

/**
 * The event store port over EventStoreDB / KurrentDB, behaving like the PostgreSQL adapter:
 *
 * - The hash chain is computed here, so every append first reads the stream's head and then
 *   writes with that exact revision: no other writer can slip between read and write, and a
 *   lost race is re-read and retried (for 'any' / 'stream_exists') or reported.
 * - Idempotency by event id is checked against the whole stream (EventStoreDB's own check only
 *   covers a retry of the latest write). To avoid re-reading long streams on every append, the
 *   ids of recently used streams are cached and brought up to date with an incremental read;
 *   streams are append-only, so the cache can only be behind, never wrong.
 *   Unlike PostgreSQL, an event id reused in a *different* stream is not detected: EventStoreDB
 *   has no global index on event ids.
 * - $all is filtered on the server (see eventstoredb-filter.ts): stream prefixes or event types,
 *   and system events left out, so a projection reads only its own events.
 * - Subscriptions are pull-based (PollingSubscription over readPage), see subscribeToAll.
 */
export class EventStoreDbEventStore implements EventStore, CatchUpSource {
  readonly kind = 'eventstoredb' as const;
  private readonly client: EventStoreDBClient;
  private readonly clock: Clock;
  private readonly wake = new WakeSignal();
  /** LRU by insertion order. */
  private readonly streamStates = new Map<string, StreamState>();
  private cacheWeight = 0;

  constructor(private readonly options: EventStoreDbEventStoreOptions) {
    this.client = options.client;
    this.clock = options.clock ?? systemClock;
  }

  /** e.g. "esdb://localhost:2113?tls=false"; the store owns (and closes) the client. */
  static fromConnectionString(url: string, clock?: Clock): EventStoreDbEventStore {
    return new EventStoreDbEventStore({ client: EventStoreDBClient.connectionString(url), clock, ownsClient: true });
  }

  async appendToStream(streamId: string, events: EventData[], options: AppendOptions = {}): Promise<AppendResult> {
    validateAppend(streamId, events, options);
    for (const event of events) {
      if (event.metadata && Object.keys(event.metadata).some((k) => k.startsWith(RESERVED_PREFIX))) {
        throw new InvalidAppendError(`Event ${event.id}: metadata keys starting with "${RESERVED_PREFIX}" are reserved`);
      }
    }
    const expected = options.expectedRevision ?? 'any';
    const recordedAt = this.clock.now();
    const content = events.map((e) => {
      const id = e.id.toLowerCase(); // as the PostgreSQL adapter stores it, so digests agree
      const metadata = e.metadata ?? {};
      return { id, type: e.type, data: e.data, metadata, digest: contentDigest({ id, type: e.type, data: e.data, metadata, recordedAt }) };
    });

    let lastSeen = -1;
    for (let attempt = 0; attempt < MAX_APPEND_ATTEMPTS; attempt++) {
      const state = await this.loadStreamState(streamId);
      lastSeen = state.revision;

      // Same order as the PostgreSQL adapter: idempotency first, then the expected revision.
      const found = content.map((e) => state.ids.get(e.id)).filter((f) => f !== undefined);
      if (found.length === content.length) {
        const last = found.reduce((a, b) => (b.revision > a.revision ? b : a));
        return { nextExpectedRevision: last.revision, position: last.position };
      }
      if (found.length > 0)
        throw new EventIdConflictError(
          streamId,
          events.map((e) => e.id),
        );
      if (!satisfies(expected, state.revision)) {
        throw new WrongExpectedVersionError(streamId, expected, state.revision);
      }
      if (state.hash === undefined) {
        throw new Error(`Stream ${streamId}: the last event carries no hash, so the hash chain cannot be continued`);
      }

      let previousHash = state.hash;
      const proposed = content.map((e, i) => {
        previousHash = chainHash(previousHash, streamId, state.revision + 1 + i, e.digest);
        return jsonEvent({
          id: e.id,
          type: e.type,
          data: e.data,
          metadata: { ...e.metadata, [HASH_KEY]: previousHash, [RECORDED_AT_KEY]: recordedAt.toISOString() },
        });
      });

      // Always the exact revision we read, whatever the caller's mode: the hashes depend on it.
      const result = await this.client
        .appendToStream(streamId, proposed, {
          expectedRevision: state.revision < 0 ? NO_STREAM : BigInt(state.revision),
        })
        .catch((error: unknown) => {
          if (!isClientError(error, ErrorType.WRONG_EXPECTED_VERSION)) throw error;
          lastSeen = actualRevisionOf(error) ?? lastSeen;
          return undefined;
        });
      // Somebody wrote first (success is false when the client is set not to throw): re-read,
      // then re-check the ids and the caller's expectation against the new head.
      if (!result?.success) continue;

      this.wake.notify();
      const lastRevision = Number(result.nextExpectedRevision);
      // For a single event the reported position is that event's; for a batch, read it back
      // rather than rely on which event of the write the server reports.
      const position = proposed.length === 1 && result.position ? result.position.commit : await this.positionOfRevision(streamId, lastRevision);
      return { nextExpectedRevision: lastRevision, position };
    }
    throw new WrongExpectedVersionError(streamId, expected, lastSeen);
  }

  async readStream(streamId: string, options: ReadStreamOptions = {}): Promise<RecordedEvent[]> {
    const backwards = options.direction === 'backwards';
    const maxCount = options.maxCount ?? 1000;
    if (maxCount <= 0) return [];
    const events: RecordedEvent[] = [];
    try {
      const read = this.client.readStream(streamId, {
        direction: backwards ? BACKWARDS : FORWARDS,
        fromRevision: options.fromRevision !== undefined ? BigInt(options.fromRevision) : backwards ? END : START,
        maxCount,
      });
      for await (const resolved of read as AsyncIterable<ClientResolvedEvent>) {
        const event = toRecordedEvent(resolved);
        if (event) events.push(event);
      }
    } catch (error) {
      if (isClientError(error, ErrorType.STREAM_NOT_FOUND)) return [];
      throw error;
    }
    return events;
  }

  async readAll(options: ReadAllOptions = {}): Promise<RecordedEvent[]> {
    const maxCount = options.maxCount ?? 1000;
    if (maxCount <= 0) return [];
    const { events } = await this.collect(options.fromPosition ?? 0n, maxCount, planFilter(options.filter));
    return events;
  }

  /**
   * Up to `maxCount` matching events strictly after `after`, filtered on the server.
   * `scannedTo` says how far the reader may move even when nothing matched: the head (newest
   * non-system event) is read *before* the filtered read, so a read that comes back short has
   * seen every matching event up to that head. A caught-up subscription therefore reports the
   * same position as headPosition(), and a projection whose events are rare still advances its
   * checkpoint. A full page moves only to its last event.
   */
  async readPage(after: bigint, maxCount: number, filter: EventFilter | undefined): Promise<CatchUpPage> {
    if (maxCount <= 0) return { events: [], scannedTo: after };
    const head = await this.headPosition();
    if (head <= after) return { events: [], scannedTo: after }; // an idle poll costs one small read
    const { events, reachedEnd, cursor } = await this.collect(after, maxCount, planFilter(filter));
    if (!reachedEnd) return { events, scannedTo: events[events.length - 1]!.globalPosition };
    return { events, scannedTo: head > cursor ? head : cursor };
  }

  /**
   * A pull-based catch-up subscription, as in the PostgreSQL adapter, rather than the client's
   * push subscription: it reads the next page only when the consumer asks, and after any read
   * error (connection lost, leader change) it resumes from its last delivered position, so a
   * dropped connection costs a retry, never a gap or a duplicate. Local appends wake it at once;
   * other processes' appends are found by polling.
   */
  subscribeToAll(options: SubscribeOptions = {}): Subscription {
    return new PollingSubscription(this, {
      fromPosition: options.fromPosition ?? 0n,
      filter: options.filter,
      batchSize: options.batchSize ?? 500,
      pollIntervalMs: this.options.pollIntervalMs ?? 100,
      wake: this.wake,
    });
  }

  /**
   * Commit position of the newest non-system event, 0n when there is none: a backwards read
   * with the server's system-event filter (event types starting with "$"), usually one event
   * long; events of other types in $-streams are skipped here.
   */
  async headPosition(): Promise<bigint> {
    const plan = planFilter(undefined);
    let cursor: bigint | undefined;
    for (;;) {
      const page = await this.readAllPage(cursor, HEAD_PAGE, 'backwards', plan);
      let fresh = 0;
      for (const resolved of page) {
        const position = positionOf(resolved);
        if (position === undefined || (cursor !== undefined && position >= cursor)) continue;
        fresh += 1;
        cursor = position;
        if (resolved.event && plan.accepts(resolved.event)) return position;
      }
      if (page.length < HEAD_PAGE || fresh === 0) return 0n;
    }
  }

  /**
   * Matching events after `position`, counted from server-filtered pages (the server has no
   * count of a filtered range, but it sends only the events the filter lets through).
   */
  async countAfter(position: bigint, filter?: EventFilter): Promise<number> {
    const plan = planFilter(filter);
    let count = 0;
    await this.scanAll(position, 1000, plan, (resolved) => {
      if (resolved.event && plan.accepts(resolved.event)) count += 1;
      return true;
    });
    return count;
  }

  async close(): Promise<void> {
    if (this.options.ownsClient) await this.client.dispose();
  }

  /**
   * Up to `maxCount` events the plan accepts, strictly after `after`, from server-filtered
   * pages. `reachedEnd`: the server ran out of matching events (the page is not full because
   * the log is not); `cursor`: the last position the server sent, `after` if none.
   */
  private async collect(after: bigint, maxCount: number, plan: FilterPlan): Promise<{ events: RecordedEvent[]; reachedEnd: boolean; cursor: bigint }> {
    const events: RecordedEvent[] = [];
    // One more than wanted: the read starts at `after` itself, which comes back if it matches.
    // At least MIN_PAGE, for the filter half checked here (stream prefixes beside event types).
    const pageSize = Math.min(Math.max(maxCount + 1, MIN_PAGE), MAX_PAGE);
    const { reachedEnd, cursor } = await this.scanAll(after, pageSize, plan, (resolved) => {
      if (resolved.event && plan.accepts(resolved.event)) events.push(toRecordedEvent(resolved)!);
      return events.length < maxCount;
    });
    return { events, reachedEnd, cursor };
  }

  /**
   * Visits every event of $all the server filter lets through, strictly after `after`, in
   * order, until `visit` returns false or the end is reached (`reachedEnd`); `cursor` is the
   * last position visited (`after` if none). EventStoreDB's fromPosition is inclusive, so each
   * page (which starts at the last position seen) skips positions up to the cursor.
   */
  private async scanAll(
    after: bigint,
    pageSize: number,
    plan: FilterPlan,
    visit: (resolved: ClientResolvedEvent, position: bigint) => boolean,
  ): Promise<{ reachedEnd: boolean; cursor: bigint }> {
    let cursor: bigint | undefined = after === 0n ? undefined : after;
    for (;;) {
      const page = await this.readAllPage(cursor, pageSize, 'forwards', plan);
      let fresh = 0;
      for (const resolved of page) {
        const position = positionOf(resolved);
        if (position === undefined || (cursor !== undefined && position <= cursor)) continue;
        fresh += 1;
        cursor = position;
        if (!visit(resolved, position)) return { reachedEnd: false, cursor };
      }
      if (page.length < pageSize || fresh === 0) return { reachedEnd: true, cursor: cursor ?? after };
    }
  }

  /** One bounded, server-filtered read of $all, fully drained, so no half-read gRPC stream is left open. */
  private async readAllPage(from: bigint | undefined, maxCount: number, direction: 'forwards' | 'backwards', plan: FilterPlan): Promise<ClientResolvedEvent[]> {
    const read = readAllFiltered(this.client, {
      direction: direction === 'forwards' ? FORWARDS : BACKWARDS,
      // Every event's prepare position equals its commit position (no explicit transactions over gRPC).
      fromPosition: from === undefined ? (direction === 'forwards' ? START : END) : { commit: from, prepare: from },
      maxCount,
      filter: plan.server,
    });
    const page: ClientResolvedEvent[] = [];
    for await (const resolved of read) page.push(resolved);
    return page;
  }

  private async positionOfRevision(streamId: string, revision: number): Promise<bigint> {
    const [event] = await this.readStream(streamId, { direction: 'backwards', fromRevision: revision, maxCount: 1 });
    if (!event || event.revision !== revision) {
      throw new Error(`Stream ${streamId}: revision ${revision} was just written but cannot be read back`);
    }
    return event.globalPosition;
  }

  /** The cached state of a stream, brought up to date by reading only what was appended since. */
  private async loadStreamState(streamId: string): Promise<StreamState> {
    const cached = this.streamStates.get(streamId);
    try {
      return await this.refreshStreamState(streamId, cached ?? emptyStreamState());
    } catch (error) {
      if (!(error instanceof StreamGapError)) throw error;
      // The stream was truncated or recreated since we cached it: start over from scratch.
      this.forget(streamId);
      return this.refreshStreamState(streamId, emptyStreamState());
    }
  }

  private async refreshStreamState(streamId: string, state: StreamState): Promise<StreamState> {
    const fresh = state.revision < 0 && state.ids.size === 0;
    try {
      const read = this.client.readStream(streamId, {
        direction: FORWARDS,
        fromRevision: state.revision < 0 ? START : BigInt(state.revision + 1),
      });
      for await (const resolved of read as AsyncIterable<ClientResolvedEvent>) {
        const event = resolved.event;
        if (!event) continue;
        const revision = Number(event.revision);
        // Another append of this process may have advanced the shared state meanwhile.
        if (revision <= state.revision) continue;
        // A truncated stream starts above 0; that is only acceptable on a first read.
        if (revision !== state.revision + 1 && !(fresh && state.revision < 0)) throw new StreamGapError();
        const position = positionOf(resolved);
        if (position === undefined) throw new Error(noPositionMessage);
        const metadata = isJsonObject(event.metadata) ? event.metadata : {};
        state.revision = revision;
        state.hash = typeof metadata[HASH_KEY] === 'string' ? metadata[HASH_KEY] : undefined;
        state.ids.set(event.id.toLowerCase(), { revision, position });
      }
    } catch (error) {
      if (!isClientError(error, ErrorType.STREAM_NOT_FOUND)) throw error;
      if (state.revision >= 0) throw new StreamGapError(); // it existed before: deleted since
    }
    this.remember(streamId, state);
    return state;
  }

  private remember(streamId: string, state: StreamState): void {
    if (this.streamStates.get(streamId) === state)
      this.streamStates.delete(streamId); // move to the LRU end
    else this.forget(streamId);
    this.streamStates.set(streamId, state);
    this.cacheWeight += state.ids.size + 1 - state.counted;
    state.counted = state.ids.size + 1;
    for (const oldest of this.streamStates.keys()) {
      if (this.cacheWeight <= MAX_CACHE_WEIGHT || oldest === streamId) break;
      this.forget(oldest);
    }
  }

  private forget(streamId: string): void {
    const state = this.streamStates.get(streamId);
    if (!state) return;
    this.streamStates.delete(streamId);
    this.cacheWeight -= state.counted;
    state.counted = 0;
  }
}

const noPositionMessage = 'EventStoreDB returned an event without its commit position (server 22.6 or later needed)';

const emptyStreamState = (): StreamState => ({ revision: -1, hash: GENESIS_HASH, ids: new Map(), counted: 0 });

/**
 * Maps a client event to the port's shape: the caller's metadata without our reserved keys,
 * hash and recordedAt from those keys. Events written by other tools (no reserved keys) get
 * the server's `created` and an empty hash; data that is not a JSON object reads as {}.
 */
function toRecordedEvent(resolved: ClientResolvedEvent): RecordedEvent | undefined {
  const event = resolved.event;
  if (!event) return undefined;
  const globalPosition = positionOf(resolved);
  if (globalPosition === undefined) throw new Error(noPositionMessage);
  const stored = isJsonObject(event.metadata) ? event.metadata : {};
  const metadata: JsonObject = {};
  for (const [key, value] of Object.entries(stored)) {
    if (!key.startsWith(RESERVED_PREFIX)) metadata[key] = value;
  }
  const hash = stored[HASH_KEY];
  const recordedAt = stored[RECORDED_AT_KEY];
  return {
    id: event.id.toLowerCase(),
    streamId: event.streamId,
    type: event.type,
    data: isJsonObject(event.data) ? event.data : {},
    metadata,
    revision: Number(event.revision),
    globalPosition,
    recordedAt: typeof recordedAt === 'string' ? new Date(recordedAt) : event.created,
    hash: typeof hash === 'string' ? hash : '',
  };
}
