import { createHash } from 'node:crypto';
import { Pool } from 'pg';
import { to as copyTo } from 'pg-copy-streams';
import { createPool } from './server';
import { ReadOutcome, SystemUnderTest } from './system';
import { BenchEvent, EVENT_TYPE, eventDataSql } from './workload';

/**
 * The ceiling: what this server does with the same rows and no event-store logic at all.
 * A plain table with the same columns and the same unique indexes as event_store.events,
 * a bigserial key instead of positions derived from transaction ids, and no type index.
 */
const DDL = `
  CREATE TABLE raw_events (
    global_position bigserial   PRIMARY KEY,
    stream_id       text        NOT NULL,
    revision        bigint      NOT NULL,
    event_id        uuid        NOT NULL,
    type            text        NOT NULL,
    data            jsonb       NOT NULL,
    metadata        jsonb       NOT NULL,
    recorded_at     timestamptz NOT NULL,
    hash            text        NOT NULL,
    UNIQUE (stream_id, revision),
    UNIQUE (event_id)
  )`;

const INSERT = `INSERT INTO raw_events (stream_id, revision, event_id, type, data, metadata, recorded_at, hash)
                VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`;

const COLUMNS = 'global_position, stream_id, revision, event_id, type, data, metadata, recorded_at, hash';

/** Rows in a COPY text chunk: every row ends in exactly one newline (newlines in values are escaped). */
function countLines(chunk: Buffer): number {
  let lines = 0;
  for (let i = chunk.indexOf(10); i !== -1; i = chunk.indexOf(10, i + 1)) lines++;
  return lines;
}

export class RawSystem implements SystemUnderTest {
  readonly name = 'raw';
  private constructor(private readonly pool: Pool) {}

  static async open(url: string, poolSize: number): Promise<RawSystem> {
    const pool = createPool(url, poolSize);
    await pool.query(DDL);
    return new RawSystem(pool);
  }

  /**
   * One autocommit single-row INSERT, as a named prepared statement (parsed and planned once
   * per connection, as our store's fast path is): the cheapest durable write of one event.
   */
  async appendOne(streamId: string, revision: number, event: BenchEvent): Promise<void> {
    const hash = createHash('sha256').update(event.id).digest('hex'); // a 64-char text, as ours stores
    await this.pool.query({
      name: 'raw_insert_one',
      text: INSERT,
      values: [streamId, revision, event.id, event.type, JSON.stringify(event.data), JSON.stringify(event.metadata), new Date(), hash],
    });
  }

  /** One INSERT ... SELECT generate_series: same streams, revisions and JSON as the other preloads. */
  async preload(count: number, batch: number): Promise<void> {
    await this.pool.query(
      `INSERT INTO raw_events (stream_id, revision, event_id, type, data, metadata, recorded_at, hash)
       SELECT stream_id, revision, id, $3, ${eventDataSql.data}, ${eventDataSql.metadata}, now(),
              encode(sha256(id::text::bytea), 'hex')
         FROM (SELECT g, 'family-' || (g / $2) AS stream_id, (g % $2)::bigint AS revision, gen_random_uuid() AS id
                 FROM generate_series(0, $1::int - 1) AS g) AS s
        ORDER BY g`,
      [count, batch, EVENT_TYPE],
    );
  }

  /** COPY (... ORDER BY global_position) TO STDOUT: rows and bytes counted, nothing parsed. */
  async readAll(): Promise<ReadOutcome> {
    return copyOut(this.pool, `SELECT ${COLUMNS} FROM raw_events ORDER BY global_position`);
  }

  async count(): Promise<number> {
    return Number((await this.pool.query<{ n: string }>('SELECT count(*) AS n FROM raw_events')).rows[0].n);
  }

  async vacuum(): Promise<void> {
    await this.pool.query('VACUUM (ANALYZE) raw_events');
  }

  async close(): Promise<void> {
    await this.pool.end();
  }
}

/** Streams a query out through COPY TO STDOUT on one pooled connection. */
export async function copyOut(pool: Pool, query: string): Promise<ReadOutcome> {
  const client = await pool.connect();
  try {
    let events = 0;
    let bytes = 0;
    for await (const chunk of client.query(copyTo(`COPY (${query}) TO STDOUT`)) as AsyncIterable<Buffer>) {
      bytes += chunk.length;
      events += countLines(chunk);
    }
    return { events, bytes };
  } finally {
    client.release();
  }
}
