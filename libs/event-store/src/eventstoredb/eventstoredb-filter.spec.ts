import { Readable } from 'node:stream';
import { BACKWARDS, END, EVENT_TYPE, EventStoreDBClient, FORWARDS, START, STREAM_NAME, streamNameFilter } from '@eventstore/db-client';
import { StreamIdentifier, UUID } from '@eventstore/db-client/generated/shared_pb';
import { ReadReq, ReadResp } from '@eventstore/db-client/generated/streams_pb';
import { SubscriptionMessage } from '../event-store.port';
import { EventStoreDbEventStore } from './eventstoredb-event-store.adapter';
import { buildFilteredReadAllRequest, escapeRegex, planFilter } from './eventstoredb-filter';

/**
 * The EventStoreDB adapter's reads of $all without a server: the filter plan, the gRPC request
 * it sends, and the adapter's paging and positions against a fake of the gRPC boundary (the
 * client's StreamsClient.read), which filters as the server does. The contract suite in
 * test/contract runs the same adapter against a real KurrentDB when one is reachable.
 */

interface StoredEvent {
  streamId: string;
  type: string;
  position: bigint;
  revision: number;
  id: string;
  data: object;
  metadata: object;
}

/** Server-side filtering as EventStoreDB does it: one field, by prefixes or by a regex. */
function serverAccepts(event: StoredEvent, filter: ReadReq.Options.FilterOptions | undefined): boolean {
  if (!filter) return true;
  const expression = filter.hasStreamIdentifier() ? filter.getStreamIdentifier()! : filter.getEventType()!;
  const field = filter.hasStreamIdentifier() ? event.streamId : event.type;
  const prefixes = expression.getPrefixList();
  if (prefixes.length) return prefixes.some((p) => field.startsWith(p));
  return new RegExp(expression.getRegex()).test(field);
}

function toResponse(event: StoredEvent): ReadResp {
  const recorded = new ReadResp.ReadEvent.RecordedEvent();
  recorded.setId(new UUID().setString(event.id));
  recorded.setStreamIdentifier(new StreamIdentifier().setStreamName(Buffer.from(event.streamId)));
  recorded.setStreamRevision(String(event.revision));
  recorded.setCommitPosition(event.position.toString());
  recorded.setPreparePosition(event.position.toString());
  recorded.getMetadataMap().set('type', event.type);
  recorded.getMetadataMap().set('content-type', 'application/json');
  recorded.getMetadataMap().set('created', '638000000000000000');
  recorded.setData(Buffer.from(JSON.stringify(event.data)));
  recorded.setCustomMetadata(Buffer.from(JSON.stringify(event.metadata)));
  const read = new ReadResp.ReadEvent();
  read.setEvent(recorded);
  read.setCommitPosition(event.position.toString());
  return new ReadResp().setEvent(read);
}

/** A fake of the gRPC boundary: StreamsClient.read over an in-memory $all. */
class FakeServer {
  readonly log: StoredEvent[] = [];
  readonly requests: ReadReq[] = [];
  /** Events the fake has put on the wire, all requests together. */
  sent = 0;
  private nextPosition = 100n;
  private revisions = new Map<string, number>();

  append(streamId: string, type: string): bigint {
    const revision = (this.revisions.get(streamId) ?? -1) + 1;
    this.revisions.set(streamId, revision);
    const position = this.nextPosition;
    this.nextPosition += 37n; // sparse, like commit positions
    const id = `00000000-0000-4000-8000-${position.toString().padStart(12, '0')}`;
    this.log.push({ streamId, type, position, revision, id, data: { n: Number(position) }, metadata: {} });
    return position;
  }

  read(req: ReadReq): Readable {
    this.requests.push(req);
    const options = req.getOptions()!;
    const all = options.getAll()!;
    const backwards = options.getReadDirection() === ReadReq.Options.ReadDirection.BACKWARDS;
    const count = Number(options.getCount());
    const filter = options.hasFilter() ? options.getFilter() : undefined;
    let candidates = backwards ? [...this.log].reverse() : [...this.log];
    if (all.hasPosition()) {
      const from = BigInt(all.getPosition()!.getCommitPosition());
      // Forwards reads include the event at the position; backwards reads start before it.
      candidates = candidates.filter((e) => (backwards ? e.position < from : e.position >= from));
    } else if ((all.hasEnd() && !backwards) || (all.hasStart() && backwards)) {
      candidates = [];
    }
    const page = candidates.filter((e) => serverAccepts(e, filter)).slice(0, count);
    this.sent += page.length;
    return Readable.from(page.map(toResponse));
  }

  /** Stands in for EventStoreDBClient: only the members the adapter's reads of $all touch. */
  client(): EventStoreDBClient {
    const fake = {
      GRPCStreamCreator: (_client: unknown, _name: string, creator: (grpc: unknown) => Readable) => () =>
        Promise.resolve(creator({ read: (req: ReadReq) => this.read(req) })),
      callArguments: () => [],
      dispose: async () => undefined,
    };
    return fake as unknown as EventStoreDBClient;
  }
}

const filterOf = (req: ReadReq): ReadReq.Options.FilterOptions.AsObject => req.getOptions()!.getFilter()!.toObject();

describe('EventStoreDB filter plan', () => {
  it('filters on the stream name by prefix when only prefixes are given', () => {
    const plan = planFilter({ streamPrefixes: ['family-', 'subproject-'] });
    expect(plan.serverFilters).toBe('stream');
    expect(plan.server).toMatchObject({ filterOn: STREAM_NAME, prefixes: ['family-', 'subproject-'] });
    expect(plan.accepts({ streamId: 'family-1', type: 'X' })).toBe(true);
    expect(plan.accepts({ streamId: 'rule-set-1', type: 'X' })).toBe(false);
  });

  it('filters on the event type with an anchored regex of exactly those types', () => {
    const plan = planFilter({ eventTypes: ['FamilyRegistered', 'MemberJoined'] });
    expect(plan.serverFilters).toBe('type');
    expect(plan.server).toMatchObject({ filterOn: EVENT_TYPE, regex: '^(?:FamilyRegistered|MemberJoined)$' });
    const regex = new RegExp((plan.server as { regex: string }).regex);
    expect(regex.test('FamilyRegistered')).toBe(true);
    expect(regex.test('FamilyRegisteredAgain')).toBe(false);
    expect(regex.test('XMemberJoined')).toBe(false);
  });

  it('sends the event types to the server and checks the stream prefixes here when both are given', () => {
    const plan = planFilter({ streamPrefixes: ['family-'], eventTypes: ['FamilyRegistered'] });
    expect(plan.serverFilters).toBe('type');
    expect(plan.accepts({ streamId: 'family-1', type: 'FamilyRegistered' })).toBe(true);
    expect(plan.accepts({ streamId: 'other-1', type: 'FamilyRegistered' })).toBe(false);
    expect(plan.accepts({ streamId: 'family-1', type: 'MemberJoined' })).toBe(false);
  });

  it('leaves out system events on the server when there is no filter, and here for $-streams', () => {
    const plan = planFilter(undefined);
    expect(plan.serverFilters).toBe('system');
    expect(plan.server).toMatchObject({ filterOn: EVENT_TYPE, regex: '^[^$].*' });
    expect(plan.accepts({ streamId: 'family-1', type: 'X' })).toBe(true);
    expect(plan.accepts({ streamId: '$$family-1', type: '$metadata' })).toBe(false);
    expect(plan.accepts({ streamId: '$settings', type: 'Settings' })).toBe(false);
    expect(planFilter({ streamPrefixes: [], eventTypes: [] }).serverFilters).toBe('system');
  });

  it('escapes regex metacharacters in event types', () => {
    const odd = 'a.b*c+(d)[e]{f}|g?h^i$j\\k';
    const regex = new RegExp(`^(?:${escapeRegex(odd)})$`);
    expect(regex.test(odd)).toBe(true);
    expect(regex.test('aXb*c+(d)[e]{f}|g?h^i$j\\k')).toBe(false);
  });
});

describe('EventStoreDB filtered read request', () => {
  it('encodes the filter exactly as the client encodes it for subscribeToAll', async () => {
    // The client's own encoding, caught at the gRPC boundary before anything is sent.
    const client = EventStoreDBClient.connectionString('esdb://127.0.0.1:1?tls=false');
    const captured: ReadReq[] = [];
    (client as unknown as { GRPCStreamCreator: unknown }).GRPCStreamCreator = (_c: unknown, _n: string, creator: (grpc: unknown) => unknown) => () => {
      creator({ read: (req: ReadReq) => captured.push(req) });
      return new Promise(() => undefined); // never connects
    };
    try {
      const filters = [planFilter({ streamPrefixes: ['family-'] }), planFilter({ eventTypes: ['A', 'B.c'] }), planFilter(undefined)];
      for (const { server: filter } of filters) {
        client.subscribeToAll({ fromPosition: START, filter });
        const ours = buildFilteredReadAllRequest({ fromPosition: START, direction: FORWARDS, maxCount: 10, filter });
        expect(filterOf(ours)).toEqual(filterOf(captured[captured.length - 1]!));
      }
    } finally {
      await client.dispose();
    }
  });

  it('is a bounded read (count, direction, position), not a subscription', () => {
    const filter = streamNameFilter({ prefixes: ['family-'] });
    const forwards = buildFilteredReadAllRequest({ fromPosition: { commit: 42n, prepare: 42n }, direction: FORWARDS, maxCount: 7, filter });
    const options = forwards.getOptions()!;
    expect(options.hasSubscription()).toBe(false);
    expect(options.getCount()).toBe('7');
    expect(options.getReadDirection()).toBe(ReadReq.Options.ReadDirection.FORWARDS);
    expect(options.getAll()!.getPosition()!.getCommitPosition()).toBe('42');
    expect(options.getResolveLinks()).toBe(false);
    expect(filterOf(forwards).streamIdentifier?.prefixList).toEqual(['family-']);

    const backwards = buildFilteredReadAllRequest({ fromPosition: END, direction: BACKWARDS, maxCount: 1, filter });
    expect(backwards.getOptions()!.getReadDirection()).toBe(ReadReq.Options.ReadDirection.BACKWARDS);
    expect(backwards.getOptions()!.getAll()!.hasEnd()).toBe(true);
    expect(() => buildFilteredReadAllRequest({ fromPosition: START, direction: FORWARDS, maxCount: 0, filter })).toThrow();
  });
});

describe('EventStoreDB adapter reads of $all, filtered on the server (fake gRPC boundary)', () => {
  let server: FakeServer;
  let store: EventStoreDbEventStore;

  beforeEach(() => {
    server = new FakeServer();
    store = new EventStoreDbEventStore({ client: server.client(), pollIntervalMs: 5 });
  });

  /**
   * 50 family events, every tenth of them a FamilyRegistered, 50 rule-set events, one
   * FamilyRegistered outside the family streams, and system events among them.
   */
  function seed(): { registered: bigint[]; family: bigint[] } {
    const registered: bigint[] = [];
    const family: bigint[] = [];
    server.append('$settings', '$settings');
    for (let i = 0; i < 50; i++) {
      const type = i % 10 === 0 ? 'FamilyRegistered' : 'NeedRecorded';
      const position = server.append(`family-${i % 5}`, type);
      family.push(position);
      if (type === 'FamilyRegistered') registered.push(position);
      server.append(`rule-set-${i}`, 'RuleSetDrafted');
      if (i % 7 === 0) server.append(`$$family-${i % 5}`, '$metadata');
      if (i === 25) server.append('archive-1', 'FamilyRegistered');
    }
    return { registered, family };
  }

  it('readAll sends the filter and gets back only matching events, in order', async () => {
    const { family } = seed();
    const events = await store.readAll({ filter: { streamPrefixes: ['family-'] } });
    expect(events.map((e) => e.globalPosition)).toEqual(family);
    expect(server.sent).toBe(family.length); // nothing else crossed the wire
    expect(filterOf(server.requests[0]!).streamIdentifier?.prefixList).toEqual(['family-']);
  });

  it('readAll pages from an exclusive position, whichever side the server filters', async () => {
    const { registered, family } = seed();
    const first = await store.readAll({ maxCount: 2, filter: { streamPrefixes: ['family-'], eventTypes: ['FamilyRegistered'] } });
    expect(first.map((e) => e.globalPosition)).toEqual(registered.slice(0, 2));
    const rest = await store.readAll({ fromPosition: first[1]!.globalPosition, filter: { streamPrefixes: ['family-'], eventTypes: ['FamilyRegistered'] } });
    expect(rest.map((e) => e.globalPosition)).toEqual(registered.slice(2)); // not archive-1's
    const anyStream = await store.readAll({ fromPosition: first[1]!.globalPosition, filter: { eventTypes: ['FamilyRegistered'] } });
    expect(anyStream).toHaveLength(4);
    const page = await store.readAll({ fromPosition: family[9], maxCount: 3, filter: { streamPrefixes: ['family-'] } });
    expect(page.map((e) => e.globalPosition)).toEqual(family.slice(10, 13));
    expect(page.map((e) => e.type)).toEqual(['FamilyRegistered', 'NeedRecorded', 'NeedRecorded']);
    expect(page[0]).toMatchObject({ streamId: 'family-0', revision: 2, data: { n: Number(family[10]) } });
  });

  it('readAll without a filter leaves out system events', async () => {
    seed();
    const events = await store.readAll({ maxCount: 10_000 });
    expect(events).toHaveLength(101);
    expect(events.some((e) => e.type.startsWith('$') || e.streamId.startsWith('$'))).toBe(false);
    expect(filterOf(server.requests[0]!).eventType?.regex).toBe('^[^$].*');
  });

  it('headPosition is the newest non-system event, 0n for an empty store', async () => {
    expect(await store.headPosition()).toBe(0n);
    seed();
    const last = server.log.filter((e) => !e.type.startsWith('$')).at(-1)!.position;
    server.append('$$family-1', '$metadata');
    server.append('$stats', 'NotSystemTyped'); // a $-stream with an ordinary type: skipped here
    expect(await store.headPosition()).toBe(last);
  });

  it('countAfter counts only matching events after the position', async () => {
    const { registered, family } = seed();
    expect(await store.countAfter(0n, { streamPrefixes: ['family-'] })).toBe(50);
    expect(await store.countAfter(registered[2]!, { streamPrefixes: ['family-'], eventTypes: ['FamilyRegistered'] })).toBe(2);
    expect(await store.countAfter(family[49]!, { streamPrefixes: ['family-'] })).toBe(0);
    expect(await store.countAfter(0n, { eventTypes: ['FamilyRegistered'] })).toBe(6);
    expect(await store.countAfter(0n)).toBe(101);
  });

  it('a page that finds nothing still moves to the head, so rare events do not hold a reader back', async () => {
    const { registered } = seed();
    const head = await store.headPosition();
    const page = await store.readPage(registered[4]!, 10, { eventTypes: ['FamilyRegistered'] });
    expect(page.events).toEqual([]);
    expect(page.scannedTo).toBe(head);
    // A full page moves only to its last event: there may be more.
    const full = await store.readPage(0n, 3, { eventTypes: ['FamilyRegistered'] });
    expect(full.events.map((e) => e.globalPosition)).toEqual(registered.slice(0, 3));
    expect(full.scannedTo).toBe(registered[2]);
    // Nothing after the head: no filtered read at all.
    const before = server.requests.length;
    expect(await store.readPage(head, 10, undefined)).toEqual({ events: [], scannedTo: head });
    expect(server.requests.length).toBe(before + 1); // the head read only
  });

  it('a filtered subscription delivers its events and reports caught-up at the head', async () => {
    const { registered } = seed();
    registered.splice(3, 0, server.log.find((e) => e.streamId === 'archive-1')!.position); // 25 lies between the 3rd and 4th
    const subscription = store.subscribeToAll({ filter: { eventTypes: ['FamilyRegistered'] }, batchSize: 2 });
    const seen: SubscriptionMessage[] = [];
    const iterator = subscription[Symbol.asyncIterator]();
    const next = async (): Promise<SubscriptionMessage> => {
      const result = await iterator.next();
      if (result.done) throw new Error('subscription ended');
      seen.push(result.value);
      return result.value;
    };
    while ((await next()).kind !== 'caught-up');
    expect(seen.filter((m) => m.kind === 'event').map((m) => (m.kind === 'event' ? m.event.globalPosition : 0n))).toEqual(registered);
    expect(seen.at(-1)).toEqual({ kind: 'caught-up', position: await store.headPosition() });

    // Another process appends: a run of other events, then one of ours.
    for (let i = 0; i < 20; i++) server.append(`rule-set-x${i}`, 'RuleSetDrafted');
    const ours = server.append('family-9', 'FamilyRegistered');
    server.append('rule-set-y', 'RuleSetDrafted');
    const event = await next();
    expect(event).toMatchObject({ kind: 'event', event: { globalPosition: ours } });
    expect(await next()).toEqual({ kind: 'caught-up', position: await store.headPosition() });
    await subscription.close();
    await iterator.return?.();
  });
});
