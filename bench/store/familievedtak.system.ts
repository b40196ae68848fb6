import { Pool } from 'pg';
import { PostgresEventStore } from '@familievedtak/event-store';
import { createPool } from './server';
import { OrderCheck, ReadOutcome, SystemUnderTest } from './system';
import { BenchEvent, benchEvent, preloadStream } from './workload';

/** Our store, through its public port only (appendToStream / readAll). */
export class FamilievedtakSystem implements SystemUnderTest {
  readonly name = 'familievedtak';
  private constructor(
    readonly pool: Pool,
    readonly store: PostgresEventStore,
  ) {}

  static async open(url: string, poolSize: number): Promise<FamilievedtakSystem> {
    const pool = createPool(url, poolSize);
    const store = new PostgresEventStore({ pool });
    await store.migrate();
    return new FamilievedtakSystem(pool, store);
  }

  async appendOne(streamId: string, revision: number, event: BenchEvent): Promise<void> {
    // The exact revision the writer knows: 'no_stream' before the first event, else the previous one.
    await this.store.appendToStream(streamId, [event], { expectedRevision: revision === 0 ? 'no_stream' : revision - 1 });
  }

  async preload(count: number, batch: number): Promise<void> {
    for (let n = 0; n < count; n += batch) {
      const streamId = preloadStream(n, batch);
      const events = Array.from({ length: Math.min(batch, count - n) }, (_, i) => benchEvent(streamId, i));
      await this.store.appendToStream(streamId, events, { expectedRevision: 'no_stream' });
    }
  }

  async readAll(pageSize: number): Promise<ReadOutcome> {
    const check = new OrderCheck(this.name);
    let from = 0n;
    for (;;) {
      const page = await this.store.readAll({ fromPosition: from, maxCount: pageSize });
      for (const event of page) check.next(event.globalPosition);
      if (page.length) from = page[page.length - 1].globalPosition;
      if (page.length < pageSize) break; // a short page: nothing more up to the safe head
    }
    return { events: check.seen };
  }

  async count(): Promise<number> {
    return Number((await this.pool.query<{ n: string }>('SELECT count(*) AS n FROM event_store.events')).rows[0].n);
  }

  async vacuum(): Promise<void> {
    await this.pool.query('VACUUM (ANALYZE) event_store.events');
  }

  async close(): Promise<void> {
    await this.pool.end();
  }
}
