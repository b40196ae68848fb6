import { EventFilter, RecordedEvent, SubscriptionMessage, Subscription } from './event-store.port';
import { WakeSignal } from './wake-signal';

/** One page of a catch-up read: the events, and how far the reader may safely move. */
export interface CatchUpPage {
  events: RecordedEvent[];
  /** Every event up to here has been returned or filtered out; safe to resume after it. */
  scannedTo: bigint;
  /**
   * Newest position already committed, visible or not yet safe to pass. While it is beyond
   * `scannedTo` an older transaction is still open, so the reader is not caught up yet.
   */
  committedHead?: bigint;
}

export interface CatchUpSource {
  readPage(after: bigint, maxCount: number, filter: EventFilter | undefined): Promise<CatchUpPage>;
}

export interface PollingSubscriptionOptions {
  fromPosition: bigint;
  filter?: EventFilter;
  batchSize: number;
  pollIntervalMs: number;
  wake: WakeSignal;
  /** Called with transient read errors before the subscription retries from its checkpoint. */
  onError?: (error: unknown) => void;
}

/**
 * A pull-based catch-up subscription: it reads a page only when the consumer has finished
 * with the previous one, retries from its last delivered position after a read error, and
 * emits `caught-up` whenever it reaches the head after delivering events (and once at start).
 */
export class PollingSubscription implements Subscription {
  private closed = false;

  constructor(
    private readonly source: CatchUpSource,
    private readonly options: PollingSubscriptionOptions,
  ) {}

  async close(): Promise<void> {
    this.closed = true;
    // Wakes every idle subscription of the store; the others just poll once more.
    this.options.wake.notify();
  }

  async *[Symbol.asyncIterator](): AsyncIterator<SubscriptionMessage> {
    let position = this.options.fromPosition;
    let deliveredSinceCaughtUp = true;
    let failures = 0;
    while (!this.closed) {
      let page: CatchUpPage;
      try {
        page = await this.source.readPage(position, this.options.batchSize, this.options.filter);
        failures = 0;
      } catch (error) {
        failures += 1;
        this.options.onError?.(error);
        await this.pause(Math.min(5000, 100 * 2 ** Math.min(failures, 6)));
        continue;
      }
      for (const event of page.events) {
        if (this.closed) return;
        yield { kind: 'event', event };
        position = event.globalPosition;
        deliveredSinceCaughtUp = true;
      }
      if (page.scannedTo > position) position = page.scannedTo;
      if (page.events.length < this.options.batchSize) {
        const behind = page.committedHead !== undefined && page.committedHead > position;
        if (deliveredSinceCaughtUp && !behind && !this.closed) {
          deliveredSinceCaughtUp = false;
          yield { kind: 'caught-up', position };
        }
        await this.pause(this.options.pollIntervalMs);
      }
    }
  }

  private pause(ms: number): Promise<void> {
    if (this.closed) return Promise.resolve();
    return this.options.wake.wait(ms);
  }
}
