import { BenchEvent } from './workload';

export interface ReadOutcome {
  /** Events (rows) delivered, in global order. */
  events: number;
  /** Bytes received, where the reader sees raw bytes (COPY). */
  bytes?: number;
}

/** One system under test, bound to its own database. */
export interface SystemUnderTest {
  readonly name: string;
  /** One single-event append; `revision` is the event's 0-based place in its stream. */
  appendOne(streamId: string, revision: number, event: BenchEvent): Promise<void>;
  /** Untimed: writes `count` events, `batch` per append call, into streams of `batch` events. */
  preload(count: number, batch: number): Promise<void>;
  /** Reads every event in global order, page by page, until exhausted. */
  readAll(pageSize: number): Promise<ReadOutcome>;
  /** Events stored (a check that the workload did what it says). */
  count(): Promise<number>;
  /** VACUUM ANALYZE the event table, so every system is read with the same table state. */
  vacuum(): Promise<void>;
  close(): Promise<void>;
}

/** Fails loudly if a reader skipped, repeated or reordered events. */
export class OrderCheck {
  private last = -1n;
  seen = 0;
  constructor(private readonly system: string) {}
  next(position: bigint): void {
    if (position <= this.last) throw new Error(`${this.system}: position ${position} after ${this.last}: not in global order`);
    this.last = position;
    this.seen++;
  }
}
