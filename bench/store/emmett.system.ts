import { Pool } from 'pg';
import { dumbo, Dumbo } from '@event-driven-io/dumbo';
import { getPostgreSQLEventStore, messagesTable, PostgresEventStore, readMessagesBatch } from '@event-driven-io/emmett-postgresql';
import { OrderCheck, ReadOutcome, SystemUnderTest } from './system';
import { BenchEvent, benchEvent, preloadStream } from './workload';

type EmmettEvent = { type: string; data: BenchEvent['data']; metadata: BenchEvent['metadata'] };

const toEmmett = (event: BenchEvent): EmmettEvent => ({ type: event.type, data: event.data, metadata: event.metadata });

/**
 * Emmett's PostgreSQL event store, used as its docs show: getPostgreSQLEventStore and
 * appendToStream with an expected stream version. Its pool is a pg.Pool of the same size as
 * ours, handed over through Emmett's own connection library (dumbo).
 */
export class EmmettSystem implements SystemUnderTest {
  readonly name = 'emmett';
  private constructor(
    private readonly pool: Pool,
    private readonly db: Dumbo,
    private readonly store: PostgresEventStore,
  ) {}

  static async open(url: string, poolSize: number): Promise<EmmettSystem> {
    const pool = new Pool({ connectionString: url, max: poolSize });
    const db = dumbo({ connectionString: url, pool });
    const store = getPostgreSQLEventStore(url, { connectionOptions: { dumbo: db } });
    await store.schema.migrate(); // otherwise the first append would migrate inside the timed window
    return new EmmettSystem(pool, db, store);
  }

  async appendOne(streamId: string, revision: number, event: BenchEvent): Promise<void> {
    // Emmett's stream versions count events (1-based); 0n is "no events yet" and is checked exactly.
    await this.store.appendToStream(streamId, [toEmmett(event)], { expectedStreamVersion: BigInt(revision) });
  }

  async preload(count: number, batch: number): Promise<void> {
    for (let n = 0; n < count; n += batch) {
      const streamId = preloadStream(n, batch);
      const events = Array.from({ length: Math.min(batch, count - n) }, (_, i) => toEmmett(benchEvent(streamId, i)));
      await this.store.appendToStream(streamId, events, { expectedStreamVersion: 0n });
    }
  }

  /**
   * Emmett's event store object has no read-all. `readMessagesBatch` is its exported function
   * that its own consumers (postgreSQLEventStoreMessageBatchPuller) page through the global
   * log with: `after` a global position, ORDER BY transaction_id, global_position, with the
   * same "transaction older than every running one" visibility rule as ours. The same page
   * size as ours (Emmett's consumers default to 100). In 0.42 emt_messages has no index on
   * either column, so every page is a scan of the whole table plus a top-N sort: Emmett's
   * read rate falls as the log grows, and the ratio to ours depends on BENCH_READ_EVENTS.
   */
  async readAll(pageSize: number): Promise<ReadOutcome> {
    const check = new OrderCheck(this.name);
    let after = 0n;
    for (;;) {
      const batch = await readMessagesBatch(this.db.execute, { after, batchSize: pageSize });
      for (const message of batch.messages) check.next(message.metadata.globalPosition);
      after = batch.currentGlobalPosition;
      if (!batch.areMessagesLeft) break; // Emmett's own "short page" signal
    }
    return { events: check.seen };
  }

  async count(): Promise<number> {
    return Number((await this.pool.query<{ n: string }>(`SELECT count(*) AS n FROM ${messagesTable.name}`)).rows[0].n);
  }

  async vacuum(): Promise<void> {
    await this.pool.query(`VACUUM (ANALYZE) ${messagesTable.name}`);
  }

  async close(): Promise<void> {
    await this.store.close(); // a no-op for a handed-in pool: ending it is ours
    await this.pool.end();
  }
}
