import { Pool } from 'pg';
import { contentDigest } from '@familievedtak/event-store';
import { FamilievedtakSystem } from './familievedtak.system';
import { RawSystem } from './raw.system';
import { SystemUnderTest } from './system';
import { BenchEvent } from './workload';
import { SystemSpec } from './workloads';

/**
 * Append variants that take our append apart, one cost at a time, on the same 16-writer
 * workload. They all run against our own schema (migrated as usual) in a database of their
 * own. Nothing in libs/ is changed.
 */
export interface DiagnosticSpec extends SystemSpec {
  name: string;
  why: string;
}

type AppendOne = (pool: Pool, streamId: string, revision: number, event: BenchEvent) => Promise<void>;

/** Our store with a different append: everything else (count, close) stays ours. */
class Variant implements SystemUnderTest {
  constructor(
    readonly name: string,
    private readonly base: FamilievedtakSystem,
    private readonly append: AppendOne,
  ) {}
  appendOne(streamId: string, revision: number, event: BenchEvent): Promise<void> {
    return this.append(this.base.pool, streamId, revision, event);
  }
  preload = (): Promise<void> => Promise.reject(new Error('diagnostics only append'));
  readAll = (): Promise<never> => Promise.reject(new Error('diagnostics only append'));
  count = (): Promise<number> => this.base.count();
  vacuum = (): Promise<void> => this.base.vacuum();
  close = (): Promise<void> => this.base.close();
}

/** The SQL call our adapter makes, with the payload it builds (digest included), minus the adapter. */
const callAppendEvents: AppendOne = async (pool, streamId, revision, event) => {
  const recordedAt = new Date();
  const payload = [
    {
      id: event.id,
      type: event.type,
      data: event.data,
      metadata: event.metadata,
      recordedAt: recordedAt.toISOString(),
      digest: contentDigest({ ...event, recordedAt }),
    },
  ];
  const { rows } = await pool.query('SELECT outcome FROM event_store.append_events($1, $2, $3)', [
    streamId,
    revision === 0 ? 'no_stream' : String(revision - 1),
    JSON.stringify(payload),
  ]);
  if (rows[0].outcome !== 'ok') throw new Error(`append_events: ${rows[0].outcome}`);
};

/** The raw baseline's INSERT, but into event_store.events: our table, its transaction-id positions and type index. */
const insertIntoOurTable: AppendOne = async (pool, streamId, revision, event) => {
  await pool.query(
    `INSERT INTO event_store.events (global_position, stream_id, revision, event_id, type, data, metadata, recorded_at, hash)
     VALUES (pg_current_xact_id()::text::bigint * 1048576, $1, $2, $3, $4, $5, $6, $7, $8)`,
    [streamId, revision, event.id, event.type, JSON.stringify(event.data), JSON.stringify(event.metadata), new Date(), '0'.repeat(64)],
  );
};

const ours =
  (name: string, append: AppendOne, prepare?: (pool: Pool) => Promise<unknown>) =>
  async (url: string, poolSize: number): Promise<SystemUnderTest> => {
    const base = await FamilievedtakSystem.open(url, poolSize);
    await prepare?.(base.pool);
    return new Variant(name, base, append);
  };

export const DIAGNOSTICS: DiagnosticSpec[] = [
  {
    key: 'diag_store',
    name: 'PostgresEventStore.appendToStream',
    why: 'reference, re-measured in these rounds',
    open: (url, size) => FamilievedtakSystem.open(url, size),
  },
  {
    key: 'diag_function',
    name: 'append_events() called directly',
    why: "same SQL call and payload without the adapter: the adapter's share",
    open: ours('diag_function', callAppendEvents),
  },
  {
    key: 'diag_insert_ours',
    name: 'single-row INSERT into event_store.events',
    why: "no function at all, our table (positions from the transaction id, type index): the schema's share",
    open: ours('diag_insert_ours', insertIntoOurTable),
  },
  {
    key: 'diag_raw',
    name: 'single-row INSERT into raw table',
    why: 'the raw ceiling, re-measured in these rounds',
    open: (url, size) => RawSystem.open(url, size),
  },
];
