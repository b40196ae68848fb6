import { chainHash, contentDigest, GENESIS_HASH, rawStoreOf, type EventStore, type RecordedEvent } from '@familievedtak/event-store';

/**
 * Why a link is broken:
 * - content-altered: the event's stored content, chained from the previous stored hash, no
 *   longer yields its stored hash, while that hash still carries the rest of the chain (or the
 *   event is the stream's last, where no successor can tell): the row's data, metadata, type,
 *   id or time was edited (or, indistinguishably, the previous event was edited and re-hashed);
 * - chain-broken: the stored hash fits neither this event nor its successor (a hash edited or
 *   swapped), or events of the stream are stored out of revision order;
 * - revision-gap: revisions jump, i.e. events were deleted from the middle of the stream;
 * - missing-genesis: the stream does not start at revision 0 (its first events were deleted).
 */
export type ChainBreakReason = 'content-altered' | 'chain-broken' | 'revision-gap' | 'missing-genesis';

export interface ChainBreak {
  streamId: string;
  /** Revision of the stored event at which the chain stops holding. */
  revision: number;
  /** Decimal string: positions are bigints and the result travels as JSON. */
  globalPosition: string;
  eventId: string;
  /** The hash this event should carry, chained from the previous stored event. */
  expectedHash: string;
  /** The hash stored with it. */
  actualHash: string;
  reason: ChainBreakReason;
  detail: string;
}

export interface ChainVerification {
  streams: number;
  events: number;
  /** The first broken link of each broken stream, in the order they were found. */
  broken: ChainBreak[];
  ok: boolean;
}

export interface VerifyChainsOptions {
  /** Only this stream (read by revision, through its own index). */
  streamId?: string;
  /** Only streams whose id starts with this prefix. */
  streamPrefix?: string;
  /** Events per read; the verifier never holds more than one page. */
  pageSize?: number;
  onProgress?: (done: number, total: number) => void;
  /** Checked between pages: a bounded caller (the API) aborts a run that takes too long. */
  signal?: AbortSignal;
}

export type ChainSource = Pick<EventStore, 'readAll' | 'readStream' | 'countAfter'>;

/** A suspicious link whose reason depends on the stream's next event (see ChainBreakReason). */
interface Suspect {
  event: RecordedEvent;
  expectedHash: string;
  reason: ChainBreakReason;
  detail: string;
  /** Gives the final reason once the successor is known; undefined keeps `reason`. */
  classify?: (next: RecordedEvent) => Partial<Pick<Suspect, 'reason' | 'detail'>> | undefined;
}

interface StreamState {
  lastRevision: number;
  lastHash: string;
  /** The stream already has its first break (reported, or pending in `suspect`): later events are only counted. */
  done: boolean;
  suspect?: Suspect;
}

const hashOf = (event: RecordedEvent, previousHash: string): string => chainHash(previousHash, event.streamId, event.revision, contentDigest(event));

/**
 * Walks the log once, page by page, in global order (or one stream by revision), recomputing
 * every event's content digest and chain hash. Memory is one page plus a small state per
 * stream, so it scales with the number of streams, not events. It works on the EventStore
 * port, so the same check applies to either adapter.
 *
 * Deleting the last events of a stream leaves a shorter chain that is still valid: a hash
 * chain alone cannot show truncation at the tail.
 *
 * Hashes cover what is stored, so a store behind the personal-data decorator is read raw: the
 * ciphertext is hashed, never the decrypted text or an erased field's placeholder.
 */
export async function verifyChains(store: ChainSource, options: VerifyChainsOptions = {}): Promise<ChainVerification> {
  const source = rawStoreOf(store);
  const pageSize = options.pageSize ?? 1000;
  const streams = new Map<string, StreamState>();
  const broken: ChainBreak[] = [];
  let events = 0;

  const report = (s: Suspect) =>
    broken.push({
      streamId: s.event.streamId,
      revision: s.event.revision,
      globalPosition: s.event.globalPosition.toString(),
      eventId: s.event.id,
      expectedHash: s.expectedHash,
      actualHash: s.event.hash,
      reason: s.reason,
      detail: s.detail,
    });

  const check = (event: RecordedEvent) => {
    events++;
    let state = streams.get(event.streamId);
    if (!state) {
      state = { lastRevision: -1, lastHash: GENESIS_HASH, done: false };
      streams.set(event.streamId, state);
    }
    if (state.suspect) {
      const suspect = state.suspect;
      state.suspect = undefined;
      Object.assign(suspect, suspect.classify?.(event));
      report(suspect);
      return;
    }
    if (state.done) return;

    const expectedRevision = state.lastRevision + 1;
    const expectedHash = hashOf(event, state.lastHash);
    if (event.revision !== expectedRevision) {
      state.done = true;
      const first = state.lastRevision < 0;
      const missing = first
        ? `revisions 0..${event.revision - 1}`
        : `revision ${expectedRevision}${event.revision > expectedRevision + 1 ? `..${event.revision - 1}` : ''}`;
      state.suspect = {
        event,
        expectedHash,
        reason: first ? 'missing-genesis' : 'revision-gap',
        detail: `${missing} missing: revision ${event.revision} follows ${first ? 'nothing' : `revision ${state.lastRevision}`}`,
        // The missing revision turning up next means the events were moved, not deleted.
        classify: (next) =>
          next.revision < event.revision
            ? { reason: 'chain-broken', detail: `stored out of order: revision ${next.revision} comes after revision ${event.revision}` }
            : undefined,
      };
      return;
    }
    if (expectedHash !== event.hash) {
      state.done = true;
      state.suspect = {
        event,
        expectedHash,
        reason: 'content-altered',
        detail: "the stored content does not produce the stored hash (it is the stream's last event, so an edited hash cannot be ruled out)",
        classify: (next) =>
          next.revision === event.revision + 1 && hashOf(next, event.hash) === next.hash
            ? {
                detail:
                  'the stored content does not produce the stored hash, which the next event still chains from: this event was edited (or the one before it re-hashed)',
              }
            : { reason: 'chain-broken', detail: 'the stored hash fits neither this event nor the next one chained from it' },
      };
      return;
    }
    state.lastRevision = event.revision;
    state.lastHash = event.hash;
  };

  const abortIfAsked = () => {
    if (options.signal?.aborted) throw options.signal.reason ?? new Error('Verification aborted');
  };

  if (options.streamId !== undefined) {
    const [newest] = await source.readStream(options.streamId, { direction: 'backwards', maxCount: 1 });
    const total = newest ? newest.revision + 1 : 0;
    for (let from = 0; ;) {
      abortIfAsked();
      const page = await source.readStream(options.streamId, { fromRevision: from, maxCount: pageSize });
      page.forEach(check);
      options.onProgress?.(events, Math.max(total, events));
      if (page.length < pageSize) break;
      from = page[page.length - 1].revision + 1;
    }
  } else {
    const filter = options.streamPrefix !== undefined ? { streamPrefixes: [options.streamPrefix] } : undefined;
    const total = await source.countAfter(0n, filter);
    for (let after = 0n; ;) {
      abortIfAsked();
      const page = await source.readAll({ fromPosition: after, maxCount: pageSize, filter });
      page.forEach(check);
      options.onProgress?.(events, Math.max(total, events));
      if (page.length < pageSize) break;
      after = page[page.length - 1].globalPosition;
    }
  }

  // Suspects whose stream had no further event keep their provisional reason.
  for (const state of streams.values()) if (state.suspect) report(state.suspect);
  return { streams: streams.size, events, broken, ok: broken.length === 0 };
}
