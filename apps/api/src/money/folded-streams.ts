import type { EventStore, RecordedEvent } from '@familievedtak/event-store';

export interface Folded<State> {
  state: State;
  /** -1: no stream. */
  revision: number;
  /** The stream's events read this time (all of them when `whole` was asked for). */
  events: RecordedEvent[];
}

/**
 * The money path's own view of streams: folded state per stream, kept for recently used
 * streams and brought up to date by reading only what is new (the budget stream of a busy
 * sub-project grows by thousands of spends; reading it whole per payment would not scale).
 * An entry is trusted only while the event at its revision is still the one remembered.
 */
export class FoldedStreams<State> {
  private readonly cache = new Map<string, { state: State; revision: number; lastEventId: string }>();

  constructor(
    private readonly store: EventStore,
    private readonly fold: (events: RecordedEvent[], state: State) => State,
    private readonly initial: () => State,
    private readonly capacity = 512,
  ) {}

  async load(streamId: string, options: { whole?: boolean } = {}): Promise<Folded<State>> {
    const cached = options.whole ? undefined : this.cache.get(streamId);
    if (cached) {
      const tail = await this.readFrom(streamId, cached.revision);
      if (tail[0]?.revision === cached.revision && tail[0].id === cached.lastEventId) {
        const fresh = tail.slice(1);
        const state = fresh.length ? this.fold(fresh, cached.state) : cached.state;
        return this.remember(streamId, state, fresh, cached);
      }
      this.cache.delete(streamId);
    }
    const events = await this.readFrom(streamId, 0);
    return this.remember(streamId, this.fold(events, this.initial()), events);
  }

  private remember(streamId: string, state: State, events: RecordedEvent[], base?: { revision: number; lastEventId: string }): Folded<State> {
    const last = events[events.length - 1];
    const revision = last ? last.revision : (base?.revision ?? -1);
    const lastEventId = last ? last.id : (base?.lastEventId ?? '');
    if (revision >= 0) {
      this.cache.delete(streamId);
      this.cache.set(streamId, { state, revision, lastEventId });
      while (this.cache.size > this.capacity) this.cache.delete(this.cache.keys().next().value as string);
    }
    return { state, revision, events };
  }

  private async readFrom(streamId: string, fromRevision: number): Promise<RecordedEvent[]> {
    const events: RecordedEvent[] = [];
    for (let from = fromRevision; ;) {
      const page = await this.store.readStream(streamId, { fromRevision: from, maxCount: 1000 });
      events.push(...page);
      if (page.length < 1000) return events;
      from = page[page.length - 1].revision + 1;
    }
  }
}
