import { once } from 'node:events';
import { join } from 'node:path';
import type { Writable } from 'node:stream';
import { Worker } from 'node:worker_threads';
import type { Pool, PoolClient } from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import { chainHash, contentDigest, GENESIS_HASH, systemClock, type Clock } from '@familievedtak/event-store';
import { decideGeneratedFamily, type DecidedFamily, type GenerateSummary } from './generator';

/**
 * The bulk path of the generator: the same decided families as generateFamilies (each one
 * decided purely through the domain by decideGeneratedFamily), written with COPY straight into
 * event_store.events instead of through the EventStore port. It writes exactly what
 * PostgresEventStore's append would have written:
 * - event_id lower-cased, data and metadata as the port stores them (metadata defaults to {});
 * - revisions 0..n-1 per stream;
 * - global_position = writing transaction id * 2^20 + offset in the transaction, as
 *   append_events/appendToStreams number a multi-stream transaction, so the readers' safe
 *   horizon (positions below the oldest running transaction id * 2^20) stays gap-free;
 * - recorded_at one clock reading per family (per chunk of 8 families with workers; the port
 *   path reads the clock once per append);
 * - hash = the stream's chain from GENESIS_HASH over contentDigest, computed with the same
 *   functions the adapter and the integrity verifier use.
 * Proven row for row against the port path in test/bench/bulk-generator.spec.ts.
 *
 * Only for families that are not in the store yet (fresh streams): it checks nothing the port
 * would check (expected revision, duplicate ids); the unique indexes still refuse a rerun.
 */
export type BulkGenerateOptions = {
  pool: Pool;
  families: number;
  seed: number;
  firstIndex?: number;
  /** recorded_at of a family's events, read once per family; the system clock by default, as the adapter's. */
  clock?: Clock;
  /**
   * Worker threads that decide and encode families (compiled JS only: bulk-worker.js next to
   * this file); 0 or 1 does it in this thread. Deciding is most of the cost, so on a machine
   * with cores to spare this is what scales the generator.
   */
  workers?: number;
  /** Events per COPY transaction; at most 2^20 (append_events' per-transaction limit). */
  eventsPerTransaction?: number;
  onProgress?: (familiesDone: number, eventsDone: number) => void;
};

/** Must match EVENTS_PER_TRANSACTION / c_per_tx of the PostgreSQL adapter. */
const EVENTS_PER_TRANSACTION = 1_048_576;
const COLUMNS = 'global_position, stream_id, revision, event_id, type, data, metadata, recorded_at, hash';

/** COPY text format: backslash, and the row/column separators, are escaped. JSON text only ever has backslashes. */
const copyText = (value: string): string =>
  /[\\\t\n\r]/.test(value) ? value.replace(/[\\\t\n\r]/g, (c) => (c === '\\' ? '\\\\' : c === '\t' ? '\\t' : c === '\n' ? '\\n' : '\\r')) : value;

/**
 * The COPY rows of one family without their global position (the writer prefixes it, as only
 * it knows the transaction), with the stream's hash chain.
 */
export function familyCopyRows(family: DecidedFamily, recordedAt: Date): string[] {
  const recorded = recordedAt.toISOString();
  const stream = copyText(family.streamId);
  let previous = GENESIS_HASH;
  return family.events.map((event, revision) => {
    const id = event.id.toLowerCase(); // as PostgreSQL prints a uuid, so the digest can be recomputed from the row
    const metadata = event.metadata ?? {};
    previous = chainHash(previous, family.streamId, revision, contentDigest({ id, type: event.type, data: event.data, metadata, recordedAt }));
    return `${stream}\t${revision}\t${id}\t${copyText(event.type)}\t${copyText(JSON.stringify(event.data))}\t${copyText(JSON.stringify(metadata))}\t${recorded}\t${previous}\n`;
  });
}

/** One family ready to write: decided, hashed, encoded. */
export type EncodedFamily = { index: number; commands: number; rows: string[] };

export function encodeFamily(seed: number, index: number, recordedAt: Date): EncodedFamily {
  const family = decideGeneratedFamily(seed, index);
  return { index, commands: family.commands, rows: familyCopyRows(family, recordedAt) };
}

/**
 * The families in index order, decided and encoded in-process or by `workers` worker threads
 * (family i by worker i mod workers, a chunk at a time, at most two chunks ahead per worker, so
 * memory stays bounded however many families). The order, and so the store, is the same either way.
 */
async function* encodedFamilies(seed: number, first: number, count: number, workers: number, recordedAt: () => Date): AsyncGenerator<EncodedFamily> {
  if (workers <= 1) {
    for (let index = first; index < first + count; index++) yield encodeFamily(seed, index, recordedAt());
    return;
  }
  const CHUNK = 8;
  const chunks = Math.ceil(count / CHUNK);
  const pool = Array.from({ length: workers }, () => new Worker(join(__dirname, 'bulk-worker.js'), { workerData: { seed } }));
  // Replies come back in request order per worker: a FIFO of resolvers each.
  const waiting = pool.map(() => [] as Array<{ resolve: (f: EncodedFamily[]) => void; reject: (e: unknown) => void }>);
  pool.forEach((worker, w) => {
    worker.on('message', (families: EncodedFamily[]) => waiting[w].shift()?.resolve(families));
    worker.on('error', (error) => waiting[w].splice(0).forEach((p) => p.reject(error)));
  });
  const request = (chunk: number): Promise<EncodedFamily[]> => {
    const w = chunk % workers;
    const from = first + chunk * CHUNK;
    const indices = Array.from({ length: Math.min(CHUNK, first + count - from) }, (_, i) => from + i);
    const reply = new Promise<EncodedFamily[]>((resolve, reject) => waiting[w].push({ resolve, reject }));
    pool[w].postMessage({ indices, recordedAt: recordedAt().toISOString() });
    return reply;
  };
  const ahead: Promise<EncodedFamily[]>[] = [];
  let requested = 0;
  try {
    for (let chunk = 0; chunk < chunks; chunk++) {
      while (requested < chunks && requested < chunk + 2 * workers) ahead.push(request(requested++));
      yield* await ahead.shift()!;
    }
  } finally {
    await Promise.all(pool.map((worker) => worker.terminate()));
  }
}

/**
 * Decides and writes `families` families; the encoders (this thread or workers) decide the next
 * families while PostgreSQL parses the rows already sent. Each transaction takes whole families.
 */
export async function bulkGenerateFamilies(options: BulkGenerateOptions): Promise<GenerateSummary> {
  const clock = options.clock ?? systemClock;
  const cap = Math.min(options.eventsPerTransaction ?? 200_000, EVENTS_PER_TRANSACTION);
  const first = options.firstIndex ?? 0;
  const started = process.hrtime.bigint();
  let events = 0;
  let commands = 0;
  let familiesDone = 0;

  const client: PoolClient = await options.pool.connect();
  type Open = { copy: Writable; base: bigint; offset: number; done: Promise<unknown> };
  let open: Open | undefined;
  const begin = async (): Promise<Open> => {
    await client.query('BEGIN');
    // Many events per commit: the wait for the WAL flush is paid once per transaction anyway.
    await client.query('SET LOCAL synchronous_commit = off');
    const { rows } = await client.query<{ xid: string }>('SELECT pg_current_xact_id()::text AS xid');
    const copy = client.query(copyFrom(`COPY event_store.events (${COLUMNS}) FROM STDIN`));
    const done = new Promise((resolve, reject) => {
      copy.on('finish', resolve);
      copy.on('error', reject);
    });
    done.catch(() => undefined); // awaited in commit; an early error must not be unhandled meanwhile
    return { copy, base: BigInt(rows[0].xid) * BigInt(EVENTS_PER_TRANSACTION), offset: 0, done };
  };
  const commit = async () => {
    if (!open) return;
    const { copy, done } = open;
    open = undefined;
    copy.end();
    await done;
    await client.query('COMMIT');
  };

  let failed = false;
  try {
    for await (const family of encodedFamilies(options.seed, first, options.families, options.workers ?? 0, () => clock.now())) {
      const n = family.rows.length;
      if (n > cap) throw new Error(`family ${family.index} has ${n} events, more than one transaction takes (${cap})`);
      if (open && open.offset + n > cap) await commit();
      open ??= await begin();
      const tx = open;
      let text = '';
      for (let i = 0; i < n; i++) text += `${tx.base + BigInt(tx.offset + i)}\t${family.rows[i]}`;
      tx.offset += n;
      if (!tx.copy.write(text)) await Promise.race([once(tx.copy, 'drain'), tx.done]);
      events += n;
      commands += family.commands;
      familiesDone++;
      options.onProgress?.(familiesDone, events);
    }
    await commit();
  } catch (error) {
    failed = true;
    open?.copy.destroy();
    await client.query('ROLLBACK').catch(() => undefined);
    throw error;
  } finally {
    client.release(failed);
  }
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  return { families: familiesDone, commands, events, seconds, eventsPerSecond: events / seconds };
}
