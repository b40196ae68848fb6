/**
 * The event store port. Everything above this line (domain, projections, API) sees only
 * these types; the PostgreSQL and EventStoreDB adapters sit below it.
 *
 * Positions are bigint: PostgreSQL hands out a bigint sequence and EventStoreDB a 64-bit
 * commit position. Revisions are 0-based numbers (a stream never holds 2^53 events).
 */

export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };
export type JsonObject = { [key: string]: JsonValue };

/** An event on its way in. `id` makes the append idempotent: the caller chooses it. */
export interface EventData {
  id: string;
  type: string;
  data: JsonObject;
  metadata?: JsonObject;
}

/** An event as stored. `hash` chains to the previous event of the same stream. */
export interface RecordedEvent {
  id: string;
  streamId: string;
  type: string;
  data: JsonObject;
  metadata: JsonObject;
  revision: number;
  globalPosition: bigint;
  recordedAt: Date;
  hash: string;
}

/** The four expected-revision modes of EventStoreDB, plus an exact 0-based revision. */
export type ExpectedRevision = 'any' | 'no_stream' | 'stream_exists' | number;

export interface AppendOptions {
  expectedRevision?: ExpectedRevision;
}

export interface AppendResult {
  /** Revision of the last event written (or, on an idempotent retry, of the original write). */
  nextExpectedRevision: number;
  /** Global position of the last event written. */
  position: bigint;
}

/** One stream's part of an atomic multi-stream append. */
export interface StreamAppend {
  streamId: string;
  events: EventData[];
  expectedRevision: ExpectedRevision;
}

export type Direction = 'forwards' | 'backwards';

export interface ReadStreamOptions {
  direction?: Direction;
  /** Inclusive start revision; defaults to the start (forwards) or the end (backwards). */
  fromRevision?: number;
  /** Page size; defaults to 1000. */
  maxCount?: number;
}

export interface EventFilter {
  /** Only streams whose id starts with one of these prefixes (e.g. "family-"). */
  streamPrefixes?: string[];
  /** Only these event types. */
  eventTypes?: string[];
}

export interface ReadAllOptions {
  /** Exclusive: events strictly after this position. 0n (the default) means from the beginning. */
  fromPosition?: bigint;
  maxCount?: number;
  filter?: EventFilter;
}

export interface SubscribeOptions {
  /** Exclusive checkpoint: the subscription delivers events strictly after it. */
  fromPosition?: bigint;
  filter?: EventFilter;
  /** Events fetched per round trip while catching up. */
  batchSize?: number;
}

export type SubscriptionMessage =
  | { kind: 'event'; event: RecordedEvent }
  /** Everything committed up to `position` has been delivered; emitted each time the subscription runs dry. */
  | { kind: 'caught-up'; position: bigint };

/**
 * A catch-up subscription over $all. Consume with `for await`; the next event is read only
 * when the consumer asks for it, so a slow handler applies back-pressure instead of piling
 * up un-awaited work. `close()` ends the iteration.
 */
export interface Subscription extends AsyncIterable<SubscriptionMessage> {
  close(): Promise<void>;
}

export interface EventStore {
  /** Short name of the adapter, for /health and logs. */
  readonly kind: 'postgres' | 'eventstoredb';
  appendToStream(streamId: string, events: EventData[], options?: AppendOptions): Promise<AppendResult>;
  /**
   * All the appends in one transaction, or none: each stream's expected revision is checked,
   * and any failure (a lost race, a conflicting id) leaves every stream as it was. Offered only
   * by adapters that can (PostgreSQL); EventStoreDB has no cross-stream transaction, and its
   * callers complete or compensate with a process manager instead. Results are in input order.
   */
  appendToStreams?(appends: StreamAppend[]): Promise<AppendResult[]>;
  readStream(streamId: string, options?: ReadStreamOptions): Promise<RecordedEvent[]>;
  readAll(options?: ReadAllOptions): Promise<RecordedEvent[]>;
  subscribeToAll(options?: SubscribeOptions): Subscription;
  /** Position of the newest event a reader may safely see, 0n for an empty store. */
  headPosition(): Promise<bigint>;
  /** Number of events (matching the filter) after `position`, up to the safe head: a projection's lag. */
  countAfter(position: bigint, filter?: EventFilter): Promise<number>;
  close(): Promise<void>;
}

/** DI token for the port. */
export const EVENT_STORE = Symbol('EVENT_STORE');
