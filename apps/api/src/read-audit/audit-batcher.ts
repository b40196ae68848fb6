/**
 * Group commit for the read audit: records added while a write is being prepared or in
 * flight are written together in one statement, and each caller awaits its batch's commit.
 * A record queued alone is written on the next turn of the event loop (no timer delay).
 */
export class AuditBatcher<T> {
  private queue: { item: T; resolve: () => void; reject: (error: unknown) => void }[] = [];
  private inFlight = 0;
  private scheduled = false;
  private batches = 0;
  private records = 0;

  constructor(
    private readonly write: (items: T[]) => Promise<void>,
    private readonly options: { maxBatch: number; maxInFlight: number } = { maxBatch: 500, maxInFlight: 2 },
  ) {}

  add(item: T): Promise<void> {
    return new Promise((resolve, reject) => {
      this.queue.push({ item, resolve, reject });
      this.schedule();
    });
  }

  /** Batches and records written so far (tests and metrics). */
  stats(): { batches: number; records: number } {
    return { batches: this.batches, records: this.records };
  }

  private schedule(): void {
    if (this.scheduled || this.inFlight >= this.options.maxInFlight || !this.queue.length) return;
    this.scheduled = true;
    setImmediate(() => {
      this.scheduled = false;
      this.flush();
    });
  }

  private flush(): void {
    while (this.queue.length && this.inFlight < this.options.maxInFlight) {
      const batch = this.queue.splice(0, this.options.maxBatch);
      this.inFlight++;
      this.batches++;
      this.records += batch.length;
      this.write(batch.map((b) => b.item))
        .then(
          () => batch.forEach((b) => b.resolve()),
          (error) => batch.forEach((b) => b.reject(error)),
        )
        .finally(() => {
          this.inFlight--;
          this.schedule();
        });
    }
  }
}
