import {
  BACKWARDS,
  END,
  EVENT_TYPE,
  EventStoreDBClient,
  FORWARDS,
  Filter,
  ReadPosition,
  START,
  STREAM_NAME,
  eventTypeFilter,
  excludeSystemEvents,
  streamNameFilter,
} from '@eventstore/db-client';
// @eventstore/db-client 6.2.1 (its last release: the package was renamed @kurrent/kurrentdb-client)
// sends a filter only with subscribeToAll; its readAll always sends "no filter". The server has
// served filtered reads of $all since 20.6, so a filtered read is built here from the client's
// own generated request classes, encoding the filter exactly as its subscribeToAll does.
import { Empty } from '@eventstore/db-client/generated/shared_pb';
import { StreamsClient } from '@eventstore/db-client/generated/streams_grpc_pb';
import { ReadReq } from '@eventstore/db-client/generated/streams_pb';
import { ReadStream } from '@eventstore/db-client/dist/streams/utils/ReadStream';
import { convertGrpcEvent } from '@eventstore/db-client/dist/utils/convertGrpcEvent';
import type { EventFilter } from '../event-store.port';

/** The fields we use of the client's RecordedEvent (a union over JSON and binary events). */
export interface ClientRecordedEvent {
  streamId: string;
  id: string;
  type: string;
  revision: bigint;
  created: Date;
  data: unknown;
  metadata: unknown;
  position?: { commit: bigint };
}

export interface ClientResolvedEvent {
  event?: ClientRecordedEvent;
  commitPosition?: bigint;
}

/** $all carries the server's own events ($-prefixed streams and types: settings, metadata, tombstones). */
export const isSystemEvent = (event: Pick<ClientRecordedEvent, 'streamId' | 'type'>): boolean => event.type.startsWith('$') || event.streamId.startsWith('$');

/** Escapes a literal for a .NET regular expression (the server's); the metacharacters are JavaScript's. */
export const escapeRegex = (literal: string): string => literal.replace(/[\\^$.*+?()[\]{}|]/g, (c) => `\\${c}`);

/**
 * How the port's EventFilter is read from EventStoreDB. The server filters on one field only
 * (the stream name or the event type), so:
 *
 * - event types given: the server filters on the event type (an anchored regex of exactly those
 *   types); stream prefixes, if any, are checked here. The event-type list is the narrower
 *   side in practice ("family-" covers most of the log; "FamilyRegistered" is a sliver of it).
 * - only stream prefixes: the server filters on the stream name by those prefixes.
 * - no filter: the server leaves out system events (event types starting with "$").
 *
 * `accepts` is the whole port filter plus the system-event exclusion, applied to whatever the
 * server sends: it is exact whichever side the server took, and a no-op for what the server
 * has already filtered.
 */
export interface FilterPlan {
  server: Filter;
  /** 'stream' or 'type': which field the server filters on; 'system' for the bare exclusion. */
  serverFilters: 'stream' | 'type' | 'system';
  accepts(event: Pick<ClientRecordedEvent, 'streamId' | 'type'>): boolean;
}

export const planFilter = (filter: EventFilter | undefined): FilterPlan => {
  const prefixes = filter?.streamPrefixes?.length ? filter.streamPrefixes : undefined;
  const types = filter?.eventTypes?.length ? filter.eventTypes : undefined;
  const accepts = (event: Pick<ClientRecordedEvent, 'streamId' | 'type'>): boolean =>
    !isSystemEvent(event) && (!prefixes || prefixes.some((p) => event.streamId.startsWith(p))) && (!types || types.includes(event.type));
  if (types) {
    const regex = `^(?:${[...new Set(types)].map(escapeRegex).join('|')})$`;
    return { server: eventTypeFilter({ regex }), serverFilters: 'type', accepts };
  }
  if (prefixes) return { server: streamNameFilter({ prefixes: [...new Set(prefixes)] }), serverFilters: 'stream', accepts };
  return { server: excludeSystemEvents(), serverFilters: 'system', accepts };
};

export interface FilteredReadAllOptions {
  /** Inclusive, as the client's readAll: START, END or a position. */
  fromPosition: ReadPosition;
  direction: typeof FORWARDS | typeof BACKWARDS;
  maxCount: number;
  filter: Filter;
}

/**
 * The request the client's readAll sends (`count` reads, not a subscription), with the filter
 * encoded as the client's subscribeToAll encodes it (prefix list or regex, on the stream
 * identifier or the event type; search window or `count`; checkpoint multiplier, which a
 * count read ignores).
 */
export function buildFilteredReadAllRequest(options: FilteredReadAllOptions): ReadReq {
  if (!(options.maxCount > 0)) throw new Error(`maxCount must be positive, got ${options.maxCount}`);
  const req = new ReadReq();
  const readOptions = new ReadReq.Options();
  const uuidOption = new ReadReq.Options.UUIDOption();
  uuidOption.setString(new Empty());
  const allOptions = new ReadReq.Options.AllOptions();
  const from = options.fromPosition;
  if (from === START) allOptions.setStart(new Empty());
  else if (from === END) allOptions.setEnd(new Empty());
  else {
    const position = new ReadReq.Options.Position();
    position.setCommitPosition(from.commit.toString(10));
    position.setPreparePosition(from.prepare.toString(10));
    allOptions.setPosition(position);
  }
  readOptions.setAll(allOptions);
  readOptions.setResolveLinks(false);
  readOptions.setCount(options.maxCount.toString(10));
  readOptions.setUuidOption(uuidOption);
  readOptions.setReadDirection(options.direction === BACKWARDS ? 1 : 0);

  const filter = options.filter;
  const expression = new ReadReq.Options.FilterOptions.Expression();
  if ('prefixes' in filter) expression.setPrefixList(filter.prefixes);
  if ('regex' in filter) expression.setRegex(filter.regex);
  const filterOptions = new ReadReq.Options.FilterOptions();
  if (filter.filterOn === STREAM_NAME) filterOptions.setStreamIdentifier(expression);
  else if (filter.filterOn === EVENT_TYPE) filterOptions.setEventType(expression);
  else throw new Error(`Unknown filter field ${String(filter.filterOn)}`);
  if (typeof filter.maxSearchWindow === 'number') {
    if (filter.maxSearchWindow <= 0) throw new Error('maxSearchWindow must be greater than 0');
    filterOptions.setMax(filter.maxSearchWindow);
  } else {
    filterOptions.setCount(new Empty());
  }
  if (!(filter.checkpointInterval > 0)) throw new Error('checkpointInterval must be greater than 0');
  filterOptions.setCheckpointintervalmultiplier(filter.checkpointInterval);
  readOptions.setFilter(filterOptions);

  req.setOptions(readOptions);
  return req;
}

/** The client's protected members a read goes through (the same its own readAll uses). */
interface ClientInternals {
  GRPCStreamCreator<C, T>(Client: unknown, debugName: string, creator: (client: C) => T | Promise<T>): () => Promise<T>;
  callArguments(baseOptions: object, callOptions?: object): unknown[];
}

/**
 * A filtered, bounded read of $all on the server: the client's readAll with a filter. The
 * result is the client's own ReadStream (an async iterable of resolved events that turns gRPC
 * errors into the client's CommandErrors), so it is consumed exactly like readAll's.
 */
export function readAllFiltered(client: EventStoreDBClient, options: FilteredReadAllOptions): AsyncIterable<ClientResolvedEvent> {
  const req = buildFilteredReadAllRequest(options);
  const internals = client as unknown as ClientInternals;
  const createStream = internals.GRPCStreamCreator(StreamsClient, 'readAll (filtered)', (grpc: StreamsClient) =>
    grpc.read(req, ...(internals.callArguments({}, { deadline: Infinity }) as [never, never])),
  );
  return new ReadStream(createStream, convertGrpcEvent, {}) as AsyncIterable<ClientResolvedEvent>;
}
