import { Pool } from 'pg';
import { CatchUpPage, CatchUpSource, PollingSubscription } from '../catch-up-subscription';
import { Clock, systemClock } from '../clock';
import { chainHash, contentDigest, GENESIS_HASH } from '../event-hash';
import { EventIdConflictError, InvalidAppendError, WrongExpectedVersionError } from '../event-store.errors';
import {
  AppendOptions,
  AppendResult,
  EventData,
  EventFilter,
  EventStore,
  ExpectedRevision,
  JsonObject,
  ReadAllOptions,
  ReadStreamOptions,
  RecordedEvent,
  StreamAppend,
  SubscribeOptions,
  Subscription,
} from '../event-store.port';
import { validateAppend } from '../append-validation';
import { WakeSignal } from '../wake-signal';
import { eventStoreMigrations } from './migrations';
import { StreamHeadCache } from './stream-head-cache';
import { migrateSchema } from './sql-migrator';

export interface PostgresEventStoreOptions {
  pool: Pool;
  clock?: Clock;
  /** How often an idle subscription looks for other processes' appends. */
  pollIntervalMs?: number;
  /** Whether close() ends the pool too (true when the store created it). */
  ownsPool?: boolean;
  /**
   * How long readAll, headPosition and countAfter wait for transactions that are older than
   * the newest committed event to finish (see SAFE). 0 answers at once with what is safe.
   */
  settleTimeoutMs?: number;
}

interface EventRow {
  global_position: string;
  stream_id: string;
  revision: string;
  event_id: string;
  type: string;
  data: JsonObject;
  metadata: JsonObject;
  /** recorded_at in whole milliseconds since the epoch (int8 as text). */
  recorded_ms: string;
  hash: string;
}

/**
 * recorded_at as the whole milliseconds a Date holds (truncated, as pg's timestamptz parser does),
 * computed exactly also where extract() answers in double precision (before PostgreSQL 14).
 * new Date(ms) instead of parsing the text form: that parser was ~3% of a projection rebuild.
 */
const RECORDED_MS = `extract(epoch FROM date_trunc('second', recorded_at))::bigint * 1000 + floor(extract(milliseconds FROM recorded_at))::bigint % 1000`;

const COLUMNS = `global_position, stream_id, revision, event_id, type, data, metadata, ${RECORDED_MS} AS recorded_ms, hash`;

/**
 * Readers of $all see an event only once every transaction that could still commit an
 * earlier position has ended. Positions are derived from transaction ids (append_events), so
 * "below the oldest running transaction" is a gap-free horizon, and a plain key range.
 */
const SAFE = 'global_position < event_store.safe_horizon()';

const UNIQUE_VIOLATION = '23505';
/** Must match c_per_tx in append_events: positions are transaction id * this + offset. */
const EVENTS_PER_TRANSACTION = 1048576;

/** The predecessor must be stored with the hash the chain continues from (or there is none). */
const PREDECESSOR_CHECK = `($2::bigint < 0 OR EXISTS (
  SELECT 1 FROM event_store.events p WHERE p.stream_id = $1 AND p.revision = $2 AND p.hash = $3))`;

const FAST_APPEND_ONE = `
  INSERT INTO event_store.events (global_position, stream_id, revision, event_id, type, data, metadata, recorded_at, hash)
  SELECT pg_current_xact_id()::text::bigint * ${EVENTS_PER_TRANSACTION}, $1, $2::bigint + 1, $4::uuid, $5, $6::jsonb, $7::jsonb, $8::timestamptz, $9
   WHERE ${PREDECESSOR_CHECK}
  RETURNING global_position`;

const FAST_APPEND_MANY = `
  INSERT INTO event_store.events (global_position, stream_id, revision, event_id, type, data, metadata, recorded_at, hash)
  SELECT pg_current_xact_id()::text::bigint * ${EVENTS_PER_TRANSACTION} + t.n - 1, $1, $2::bigint + t.n,
         t.id, t.type, t.data, t.metadata, t.recorded_at, t.hash
    FROM jsonb_to_recordset($4::jsonb)
         AS t(n bigint, id uuid, type text, data jsonb, metadata jsonb, recorded_at timestamptz, hash text)
   WHERE ${PREDECESSOR_CHECK}
  RETURNING global_position`;

/** Default bound on how long reads wait for older in-flight transactions. */
const SETTLE_TIMEOUT_MS = 10_000;
const SETTLE_POLL_MS = 2;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

const toEvent = (row: EventRow): RecordedEvent => ({
  id: row.event_id,
  streamId: row.stream_id,
  type: row.type,
  data: row.data,
  metadata: row.metadata,
  revision: Number(row.revision),
  globalPosition: BigInt(row.global_position),
  recordedAt: new Date(Number(row.recorded_ms)),
  hash: row.hash.trim(),
});

/** LIKE pattern for a literal prefix. */
const prefixPattern = (prefix: string): string => `${prefix.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;

function filterSql(filter: EventFilter | undefined, params: unknown[]): string {
  let sql = '';
  if (filter?.streamPrefixes?.length) {
    params.push(filter.streamPrefixes.map(prefixPattern));
    sql += ` AND stream_id LIKE ANY ($${params.length}::text[])`;
  }
  if (filter?.eventTypes?.length) {
    params.push(filter.eventTypes);
    sql += ` AND type = ANY ($${params.length}::text[])`;
  }
  return sql;
}

export class PostgresEventStore implements EventStore, CatchUpSource {
  readonly kind = 'postgres' as const;
  private readonly clock: Clock;
  private readonly wake = new WakeSignal();
  private readonly heads = new StreamHeadCache();

  constructor(private readonly options: PostgresEventStoreOptions) {
    this.clock = options.clock ?? systemClock;
  }

  /** Creates or upgrades the event_store schema. Safe to call from several processes at once. */
  async migrate(): Promise<void> {
    await migrateSchema(this.options.pool, 'event_store', eventStoreMigrations);
  }

  /**
   * Two paths, one outcome. The fast path is one plain INSERT: when the caller expects an
   * exact revision (or no stream) and this process knows the hash at that revision, the
   * chain is computed here and the insert only goes ahead if the predecessor is stored with
   * that hash; the unique (stream, revision) and event-id indexes arbitrate races. Anything
   * else, and any fast-path miss or conflict, goes through append_events, which decides
   * between success, idempotent duplicate, wrong expected version and id conflict.
   */
  async appendToStream(streamId: string, events: EventData[], options: AppendOptions = {}): Promise<AppendResult> {
    validateAppend(streamId, events, options);
    const expected = options.expectedRevision ?? 'any';
    const recordedAt = this.clock.now();
    const payload = events.map((e) => {
      const metadata = e.metadata ?? {};
      const id = e.id.toLowerCase(); // as PostgreSQL prints a uuid, so the digest can be recomputed
      return {
        id,
        type: e.type,
        data: e.data,
        metadata,
        recordedAt: recordedAt.toISOString(),
        digest: contentDigest({ id, type: e.type, data: e.data, metadata, recordedAt }),
      };
    });
    const predecessor = expected === 'no_stream' ? -1 : typeof expected === 'number' ? expected : undefined;
    const previousHash = predecessor === -1 ? GENESIS_HASH : predecessor !== undefined ? this.heads.get(streamId, predecessor) : undefined;
    if (predecessor !== undefined && previousHash) {
      const fast = await this.tryFastAppend(streamId, predecessor, previousHash, payload);
      if (fast) return fast;
    }
    return this.appendThroughFunction(streamId, expected, payload, events);
  }

  /**
   * Several streams in one transaction (append_to_streams: append_events per stream, in
   * stream-id order). Either every stream's append is new and all commit, or every one is an
   * exact retry of stored events (the original results come back, nothing is written), or the
   * transaction is rolled back and the first refusal thrown: a lost race, or ids of which only
   * some are stored (a retry that is not the same multi-stream append).
   */
  async appendToStreams(appends: StreamAppend[]): Promise<AppendResult[]> {
    if (appends.length === 0) throw new InvalidAppendError('appendToStreams needs at least one stream');
    const streams = new Set<string>();
    const ids = new Set<string>();
    for (const append of appends) {
      validateAppend(append.streamId, append.events, { expectedRevision: append.expectedRevision });
      if (streams.has(append.streamId)) throw new InvalidAppendError(`Stream ${append.streamId} appears twice in one appendToStreams`);
      streams.add(append.streamId);
      for (const e of append.events) {
        if (ids.has(e.id.toLowerCase())) throw new InvalidAppendError(`Event id ${e.id} appears in two streams of one appendToStreams`);
        ids.add(e.id.toLowerCase());
      }
    }
    const recordedAt = this.clock.now();
    const body = JSON.stringify(
      appends.map((a) => ({ stream: a.streamId, expected: String(a.expectedRevision), events: this.payloadOf(a.events, recordedAt) })),
    );
    type Row = { idx: number; outcome: string; revision: string | null; global_position: string | null; hash: string | null };
    let rows: Row[] = [];
    for (let attempt = 1; ; attempt++) {
      const client = await this.options.pool.connect();
      let release: boolean | Error = false;
      try {
        await client.query('BEGIN');
        rows = (await client.query<Row>('SELECT idx, outcome, revision, global_position, hash FROM event_store.append_to_streams($1)', [body])).rows;
        const allNew = rows.length === appends.length && rows.every((r) => r.outcome === 'ok');
        await client.query(allNew ? 'COMMIT' : 'ROLLBACK');
        break;
      } catch (error) {
        await client.query('ROLLBACK').catch((rollbackError: Error) => (release = rollbackError));
        const { code } = error as { code?: string };
        // A concurrent fast-path insert took a revision or id after the function looked: ask again.
        if (code === UNIQUE_VIOLATION && attempt < 3) continue;
        if (code === UNIQUE_VIOLATION) throw new EventIdConflictError(appends[0].streamId, [...ids]);
        throw error;
      } finally {
        client.release(release);
      }
    }
    const failed = rows.find((r) => r.outcome !== 'ok' && r.outcome !== 'duplicate');
    if (failed) {
      const append = appends[failed.idx];
      if (failed.outcome === 'wrong_expected_version') throw new WrongExpectedVersionError(append.streamId, append.expectedRevision, Number(failed.revision));
      if (failed.outcome === 'id_conflict')
        throw new EventIdConflictError(
          append.streamId,
          append.events.map((e) => e.id),
        );
      throw new Error(`append_to_streams returned an unknown outcome: ${failed.outcome}`);
    }
    const duplicates = rows.filter((r) => r.outcome === 'duplicate');
    if (duplicates.length > 0 && duplicates.length < rows.length) {
      // Some streams hold these ids, others do not: not a retry of this atomic append (rolled back).
      const append = appends[duplicates[0].idx];
      throw new EventIdConflictError(
        append.streamId,
        append.events.map((e) => e.id),
      );
    }
    const results: AppendResult[] = new Array(appends.length);
    for (const row of rows) {
      results[row.idx] = { nextExpectedRevision: Number(row.revision), position: BigInt(row.global_position!) };
      if (row.outcome === 'ok') this.heads.remember(appends[row.idx].streamId, Number(row.revision), row.hash!);
    }
    if (duplicates.length === 0) this.wake.notify();
    return results;
  }

  /** Events as append_events takes them: ids lower-cased (as PostgreSQL prints a uuid) and their content digests. */
  private payloadOf(events: EventData[], recordedAt: Date) {
    return events.map((e) => {
      const metadata = e.metadata ?? {};
      const id = e.id.toLowerCase();
      return {
        id,
        type: e.type,
        data: e.data,
        metadata,
        recordedAt: recordedAt.toISOString(),
        digest: contentDigest({ id, type: e.type, data: e.data, metadata, recordedAt }),
      };
    });
  }

  private async tryFastAppend(
    streamId: string,
    predecessor: number,
    previousHash: string,
    payload: Array<{ id: string; type: string; data: JsonObject; metadata: JsonObject; recordedAt: string; digest: string }>,
  ): Promise<AppendResult | undefined> {
    let hash = previousHash;
    let position = 0n;
    const rows = payload.map((e, i) => {
      hash = chainHash(hash, streamId, predecessor + 1 + i, e.digest);
      return { n: i + 1, id: e.id, type: e.type, data: e.data, metadata: e.metadata, recorded_at: e.recordedAt, hash };
    });
    try {
      // Named (prepared once per connection): the server parses and plans the insert once.
      const { rows: inserted } = await this.options.pool.query<{ global_position: string }>(
        rows.length === 1
          ? {
              name: 'event_store_fast_append_one',
              text: FAST_APPEND_ONE,
              values: [
                streamId,
                predecessor,
                previousHash,
                rows[0].id,
                rows[0].type,
                JSON.stringify(rows[0].data),
                JSON.stringify(rows[0].metadata),
                rows[0].recorded_at,
                rows[0].hash,
              ],
            }
          : { name: 'event_store_fast_append_many', text: FAST_APPEND_MANY, values: [streamId, predecessor, previousHash, JSON.stringify(rows)] },
      );
      if (inserted.length !== rows.length) return undefined; // predecessor not there (yet): the function decides
      for (const row of inserted) if (BigInt(row.global_position) > position) position = BigInt(row.global_position);
    } catch (error) {
      if ((error as { code?: string }).code === UNIQUE_VIOLATION) return undefined; // lost a race or a retry: the function decides
      throw error;
    }
    const revision = predecessor + rows.length;
    this.heads.remember(streamId, revision, hash);
    this.wake.notify();
    return { nextExpectedRevision: revision, position };
  }

  private async appendThroughFunction(streamId: string, expected: ExpectedRevision, payload: unknown[], events: EventData[]): Promise<AppendResult> {
    let row: { outcome: string; revision: string | null; global_position: string | null; hash: string | null };
    for (let attempt = 1; ; attempt++) {
      try {
        const result = await this.options.pool.query('SELECT outcome, revision, global_position, hash FROM event_store.append_events($1, $2, $3)', [
          streamId,
          String(expected),
          JSON.stringify(payload),
        ]);
        row = result.rows[0];
        break;
      } catch (error) {
        const { code, constraint } = error as { code?: string; constraint?: string };
        if (code !== UNIQUE_VIOLATION) throw error;
        // A concurrent fast-path insert took this revision or id after the function looked:
        // asking again sees it committed and answers properly.
        if (attempt < 3) continue;
        if (constraint === 'events_event_id_key')
          throw new EventIdConflictError(
            streamId,
            events.map((e) => e.id),
          );
        throw error;
      }
    }
    switch (row.outcome) {
      case 'ok':
        this.heads.remember(streamId, Number(row.revision), row.hash!);
        this.wake.notify();
        return { nextExpectedRevision: Number(row.revision), position: BigInt(row.global_position!) };
      case 'duplicate':
        return { nextExpectedRevision: Number(row.revision), position: BigInt(row.global_position!) };
      case 'wrong_expected_version':
        throw new WrongExpectedVersionError(streamId, expected, Number(row.revision));
      case 'id_conflict':
        throw new EventIdConflictError(
          streamId,
          events.map((e) => e.id),
        );
      default:
        throw new Error(`append_events returned an unknown outcome: ${row.outcome}`);
    }
  }

  async readStream(streamId: string, options: ReadStreamOptions = {}): Promise<RecordedEvent[]> {
    const backwards = options.direction === 'backwards';
    const params: unknown[] = [streamId, options.maxCount ?? 1000];
    let where = 'stream_id = $1';
    if (options.fromRevision !== undefined) {
      params.push(options.fromRevision);
      where += backwards ? ' AND revision <= $3' : ' AND revision >= $3';
    }
    const { rows } = await this.options.pool.query<EventRow>(
      `SELECT ${COLUMNS} FROM event_store.events WHERE ${where}
        ORDER BY revision ${backwards ? 'DESC' : 'ASC'} LIMIT $2`,
      params,
    );
    const events = rows.map(toEvent);
    // Callers that read a stream before appending to it (load, decide, append) hit the fast path.
    const newest = backwards ? events[0] : events[events.length - 1];
    if (newest) this.heads.remember(streamId, newest.revision, newest.hash);
    return events;
  }

  async readAll(options: ReadAllOptions = {}): Promise<RecordedEvent[]> {
    const after = options.fromPosition ?? 0n;
    const maxCount = options.maxCount ?? 1000;
    const deadline = Date.now() + (this.options.settleTimeoutMs ?? SETTLE_TIMEOUT_MS);
    for (;;) {
      const page = await this.readPage(after, maxCount, options.filter);
      // A short page that stops before the committed head means an older transaction is still
      // open: wait for it rather than return a page that misses what the caller just wrote.
      const settled = page.events.length === maxCount || page.scannedTo >= (page.committedHead ?? 0n);
      if (settled || Date.now() >= deadline) return page.events;
      await sleep(SETTLE_POLL_MS);
    }
  }

  /** One page after `after`, plus the safe head in the same snapshot (so filtered scans can move on). */
  async readPage(after: bigint, maxCount: number, filter: EventFilter | undefined): Promise<CatchUpPage> {
    const params: unknown[] = [after.toString(), maxCount];
    const filters = filterSql(filter, params);
    const { rows } = await this.options.pool.query<EventRow & { head: string | null; committed: string | null }>(
      `WITH page AS (
         SELECT ${COLUMNS} FROM event_store.events
          WHERE global_position > $1 AND ${SAFE}${filters}
          ORDER BY global_position LIMIT $2)
       SELECT page.*, NULL AS head, NULL AS committed FROM page
       UNION ALL
       SELECT NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL,
              (SELECT max(global_position) FROM event_store.events WHERE ${SAFE}),
              (SELECT max(global_position) FROM event_store.events)`,
      params,
    );
    const headRow = rows.pop();
    const committedHead = headRow?.committed ? BigInt(headRow.committed) : 0n;
    const events = rows.map(toEvent);
    const head = headRow?.head ? BigInt(headRow.head) : 0n;
    const last = events.length ? events[events.length - 1].globalPosition : after;
    // Only a short page proves nothing matching lies between its last event and the head.
    const scannedTo = events.length < maxCount && head > last ? head : last;
    return { events, scannedTo, committedHead };
  }

  subscribeToAll(options: SubscribeOptions = {}): Subscription {
    return new PollingSubscription(this, {
      fromPosition: options.fromPosition ?? 0n,
      filter: options.filter,
      batchSize: options.batchSize ?? 500,
      pollIntervalMs: this.options.pollIntervalMs ?? 100,
      wake: this.wake,
    });
  }

  /**
   * The safe head, once it has reached what was committed when the call began (bounded wait),
   * so that a caller sees its own appends.
   */
  async headPosition(): Promise<bigint> {
    const deadline = Date.now() + (this.options.settleTimeoutMs ?? SETTLE_TIMEOUT_MS);
    let target: bigint | undefined;
    for (;;) {
      const { rows } = await this.options.pool.query<{ head: string | null; committed: string | null }>(
        `SELECT (SELECT max(global_position) FROM event_store.events WHERE ${SAFE}) AS head,
                (SELECT max(global_position) FROM event_store.events) AS committed`,
      );
      const head = rows[0].head ? BigInt(rows[0].head) : 0n;
      target ??= rows[0].committed ? BigInt(rows[0].committed) : 0n;
      if (head >= target || Date.now() >= deadline) return head;
      await sleep(SETTLE_POLL_MS);
    }
  }

  async countAfter(position: bigint, filter?: EventFilter): Promise<number> {
    await this.headPosition();
    const params: unknown[] = [position.toString()];
    const { rows } = await this.options.pool.query<{ n: string }>(
      `SELECT count(*) AS n FROM event_store.events WHERE global_position > $1 AND ${SAFE}${filterSql(filter, params)}`,
      params,
    );
    return Number(rows[0].n);
  }

  async close(): Promise<void> {
    if (this.options.ownsPool) await this.options.pool.end();
  }
}
