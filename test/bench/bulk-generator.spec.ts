import { verifyChains } from '@familievedtak/audit';
import { PostgresEventStore, type Clock } from '@familievedtak/event-store';
import type { Pool } from 'pg';
import { bulkGenerateFamilies } from '../../bench/data/bulk';
import { generateFamilies } from '../../bench/data/generator';
import { createTestDatabase, type TestDatabase } from '../support/test-database';

const FAMILIES = 20;
const SEED = 2023;
/** One instant for both paths: recorded_at is the append's clock reading and goes into every hash. */
const fixedClock: Clock = { now: () => new Date('2026-03-01T12:00:00.000Z') };
const EVENTS_PER_TX = 1_048_576n;

/** Every table of the event_store schema, each row as text, in global order where there is one. */
async function eventStoreTables(pool: Pool): Promise<Map<string, string[][]>> {
  const { rows: tables } = await pool.query<{ name: string }>(
    `SELECT table_name AS name FROM information_schema.tables WHERE table_schema = 'event_store' AND table_name <> 'schema_migrations' ORDER BY 1`,
  );
  const out = new Map<string, string[][]>();
  for (const { name } of tables) {
    const { rows } = await pool.query({ text: `SELECT * FROM event_store.${name} ORDER BY 1`, rowMode: 'array' });
    out.set(
      name,
      rows.map((row: unknown[]) => row.map((v) => (v instanceof Date ? v.toISOString() : typeof v === 'object' ? JSON.stringify(v) : String(v)))),
    );
  }
  return out;
}

type Row = {
  global_position: string;
  stream_id: string;
  revision: string;
  event_id: string;
  type: string;
  data: unknown;
  metadata: unknown;
  recorded_at: Date;
  hash: string;
};
const rowsOf = async (pool: Pool) =>
  (
    await pool.query<Row>(
      'SELECT global_position, stream_id, revision, event_id, type, data, metadata, recorded_at, hash FROM event_store.events ORDER BY global_position',
    )
  ).rows;

/**
 * The bulk (COPY) path of the bench generator writes what the EventStore port writes: the same
 * rows, hash chains and position scheme; the store reads it and the integrity check passes.
 */
describe('bench generator: bulk path (COPY) against the port path', () => {
  let viaPort: TestDatabase;
  let viaCopy: TestDatabase;
  let copyStore: PostgresEventStore;
  let events = 0;

  beforeAll(async () => {
    viaPort = await createTestDatabase(4);
    viaCopy = await createTestDatabase(4);
    const portStore = new PostgresEventStore({ pool: viaPort.pool, clock: fixedClock });
    copyStore = new PostgresEventStore({ pool: viaCopy.pool, clock: fixedClock });
    await portStore.migrate();
    await copyStore.migrate();
    // One family at a time through the port, so the global order is family order (as on the bulk path).
    const port = await generateFamilies({ store: portStore, families: FAMILIES, seed: SEED, concurrency: 1, batchSize: 50 });
    // Several COPY transactions (small cap), so position numbering across transactions is exercised too.
    const bulk = await bulkGenerateFamilies({ pool: viaCopy.pool, families: FAMILIES, seed: SEED, clock: fixedClock, eventsPerTransaction: 500 });
    expect(bulk.events).toBe(port.events);
    expect(bulk.commands).toBe(port.commands);
    events = bulk.events;
  });

  afterAll(async () => {
    await viaPort?.drop();
    await viaCopy?.drop();
  });

  it('writes the same events: ids, streams, revisions, types, data, metadata, recorded_at and hashes, in the same global order', async () => {
    const port = await rowsOf(viaPort.pool);
    const bulk = await rowsOf(viaCopy.pool);
    expect(bulk).toHaveLength(events);
    expect(events).toBeGreaterThan(FAMILIES * 20);
    const content = ({ global_position: _, ...rest }: Row) => rest;
    expect(bulk.map(content)).toEqual(port.map(content));
  });

  it('numbers global positions as the adapter does: committed transaction id * 2^20 + offset, gap-free within a transaction', async () => {
    const bulk = await rowsOf(viaCopy.pool);
    const byTransaction = new Map<bigint, bigint[]>();
    for (const row of bulk) {
      const position = BigInt(row.global_position);
      const xid = position / EVENTS_PER_TX;
      byTransaction.set(xid, [...(byTransaction.get(xid) ?? []), position % EVENTS_PER_TX]);
    }
    expect(byTransaction.size).toBeGreaterThan(1);
    for (const [xid, offsets] of byTransaction) {
      expect(offsets).toEqual(offsets.map((_, i) => BigInt(i)));
      const { rows } = await viaCopy.pool.query<{ status: string }>('SELECT pg_xact_status($1::text::xid8) AS status', [xid.toString()]);
      expect(rows[0].status).toBe('committed');
    }
    // The port path's positions have the same form (one transaction per append).
    for (const row of await rowsOf(viaPort.pool)) {
      const { rows } = await viaPort.pool.query<{ status: string }>('SELECT pg_xact_status($1::text::xid8) AS status', [
        (BigInt(row.global_position) / EVENTS_PER_TX).toString(),
      ]);
      expect(rows[0].status).toBe('committed');
    }
  });

  it('leaves every event_store table as the port leaves it (apart from the transaction ids inside positions)', async () => {
    const port = await eventStoreTables(viaPort.pool);
    const bulk = await eventStoreTables(viaCopy.pool);
    expect([...bulk.keys()]).toEqual([...port.keys()]);
    for (const [table, rows] of port) {
      const withoutPositions = (r: string[][]) => (table === 'events' ? r.map((row) => row.slice(1)) : r);
      expect(withoutPositions(bulk.get(table)!)).toEqual(withoutPositions(rows));
    }
  });

  it('reads back through the store and passes the integrity check; the port then appends after it', async () => {
    const all = [];
    for (let from = 0n; ;) {
      const page = await copyStore.readAll({ fromPosition: from, maxCount: 500 });
      if (page.length === 0) break;
      all.push(...page);
      from = page[page.length - 1].globalPosition;
    }
    expect(all).toHaveLength(events);
    const verification = await verifyChains(copyStore, { pageSize: 300 });
    expect(verification).toMatchObject({ ok: true, events, streams: FAMILIES, broken: [] });

    // A command after the bulk load continues the chain: the port reads the head the COPY wrote.
    const streamId = all[0].streamId;
    const head = (await copyStore.readStream(streamId, { direction: 'backwards', maxCount: 1 }))[0];
    const next = await copyStore.appendToStream(streamId, [{ id: '00000000-0000-4000-8000-000000000001', type: 'BenchProbe', data: {} }], {
      expectedRevision: head.revision,
    });
    expect(next.nextExpectedRevision).toBe(head.revision + 1);
    expect(next.position).toBeGreaterThan(all[all.length - 1].globalPosition);
    expect((await verifyChains(copyStore, { streamId })).ok).toBe(true);
  });
});
