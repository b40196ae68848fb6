import type { Pool, PoolClient } from 'pg';
import { dataKeysTable } from '../postgres/migrations/005-data-keys.migration';
import { migrateSchema } from '../postgres/sql-migrator';
import { checkKeks, newDataKey, unwrapDataKey, wrapDataKey, type Kek } from './field-cipher';
import { PersonalDataIntegrityError } from './personal-data.errors';

/** What the tombstone of an erased key says (no personal data: a date, a rule, who, which erasure). */
export type KeyTombstone = {
  on: string;
  rule: string | null;
  provision: string | null;
  by: string | null;
  erasureId: string | null;
  erasedAt: string;
};

/** A stream's key as a reader or writer needs it. `unreadable`: the row exists but its key cannot be unwrapped (never cached). */
export type KeyState =
  | { status: 'live'; keyRef: string; category: string; key: Buffer }
  | { status: 'erased'; keyRef: string; category: string; tombstone: KeyTombstone }
  | { status: 'unreadable'; keyRef: string; category: string; detail: string };

/** A key an append needs: created with this category and these subjects if missing. */
export type KeySpec = { keyRef: string; category: string; subjects: readonly string[] };

export type ShredOptions = {
  /** The erasure day (YYYY-MM-DD). */
  on: string;
  /** The schedule rule (`<schedule>@v<version>/<entry>`), or null for an erasure on request. */
  rule: string | null;
  provision: string | null;
  /** Who erased (a user id or the retention job). */
  by: string;
  /** Shared by the keys and the PersonalDataErased event that records them. */
  erasureId: string;
};

export type ShredResult = { erased: string[]; alreadyErased: string[] };

export type KeyRow = { streamId: string; keyRef: string; category: string; subjects: string[]; erased: boolean; createdAt: string };
export type TombstoneRow = Omit<KeyRow, 'erased' | 'createdAt'> & KeyTombstone;

export interface KeyStoreOptions {
  /** The PostgreSQL pool: the key store lives there whichever adapter holds the log. */
  pool: Pool;
  /** The first wraps new keys; all unwrap (rotation). */
  keks: readonly Kek[];
  /** Unwrapped keys kept in memory (LRU); tombstones too. Default 10,000. */
  cacheSize?: number;
  /**
   * A cached live key older than this is fetched again before use, so a key erased by another
   * process stops decrypting here within this bound. Default 30 s. Keys erased through this
   * process leave every cache of the process at once.
   */
  revalidateAfterMs?: number;
  /** The category of a tombstone filed for a key no event created yet (default: the ref's prefix). */
  categoryOf?: (keyRef: string) => string | undefined;
  now?: () => number;
}

/** DI token: the KeyStore behind EVENT_STORE (EventStoreModule). */
export const KEY_STORE = Symbol('KEY_STORE');

type Entry = { state: KeyState; at: number };
const HONOURED_ERASURES = 10_000;

/** LRU by Map insertion order: a hit moves the entry to the end, the oldest go first. */
class KeyCache {
  private readonly entries = new Map<string, Entry>();
  constructor(readonly capacity: number) {}

  static id(streamId: string, keyRef: string): string {
    return `${streamId}\u0000${keyRef}`;
  }
  get(streamId: string, keyRef: string): Entry | undefined {
    const id = KeyCache.id(streamId, keyRef);
    const entry = this.entries.get(id);
    if (entry) {
      this.entries.delete(id);
      this.entries.set(id, entry);
    }
    return entry;
  }
  set(streamId: string, state: KeyState, at: number): void {
    if (this.capacity <= 0 || state.status === 'unreadable') return;
    const id = KeyCache.id(streamId, state.keyRef);
    this.entries.delete(id);
    this.entries.set(id, { state, at });
    while (this.entries.size > this.capacity) this.entries.delete(this.entries.keys().next().value as string);
  }
  /** Without touching its place in the LRU. */
  peek(streamId: string, keyRef: string): Entry | undefined {
    return this.entries.get(KeyCache.id(streamId, keyRef));
  }
  delete(streamId: string, keyRefs: readonly string[]): void {
    for (const keyRef of keyRefs) this.entries.delete(KeyCache.id(streamId, keyRef));
  }
  get size(): number {
    return this.entries.size;
  }
}

/** Every key cache of this process: a key shredded through any key store leaves all of them. */
const processCaches = new Set<WeakRef<KeyCache>>();
function evictEverywhere(streamId: string, keyRefs: readonly string[]): void {
  for (const ref of processCaches) {
    const cache = ref.deref();
    if (cache) cache.delete(streamId, keyRefs);
    else processCaches.delete(ref);
  }
}

type DataKeyRow = {
  stream_id: string;
  key_ref: string;
  category: string | null;
  wrapped: Buffer | null;
  kek_id: string | null;
  erased_at: Date | null;
  erased_on: string | null;
  erased_rule: string | null;
  erased_provision: string | null;
  erased_by: string | null;
  erasure_id: string | null;
};
const KEY_COLUMNS =
  'd.stream_id, d.key_ref, d.category, d.wrapped, d.kek_id, d.erased_at, d.erased_on::text AS erased_on, d.erased_rule, d.erased_provision, d.erased_by, d.erasure_id';

/**
 * Creates what is missing and reads what exists, in one statement. Rows inserted by the statement
 * are invisible to its own join (one snapshot), so `created` tells them apart; a row another
 * transaction committed while this one waited on it shows neither way and is read again.
 * Inserted in (stream, key ref) order, so two writers never wait on each other crosswise.
 */
const KEYS_FOR = `
  WITH wanted AS (
    SELECT * FROM jsonb_to_recordset($1::jsonb) AS w(n int, stream_id text, key_ref text, category text, subjects jsonb, wrapped text)
  ), created AS (
    INSERT INTO keys.data_keys (stream_id, key_ref, category, subject_ids, wrapped, kek_id)
    SELECT w.stream_id, w.key_ref, w.category, ARRAY(SELECT jsonb_array_elements_text(w.subjects)), decode(w.wrapped, 'base64'), $2
      FROM wanted w ORDER BY w.n
    ON CONFLICT (stream_id, key_ref) DO NOTHING
    RETURNING stream_id, key_ref
  )
  SELECT w.stream_id AS wanted_stream, w.key_ref AS wanted_ref, c.key_ref IS NOT NULL AS created, ${KEY_COLUMNS}
    FROM wanted w
    LEFT JOIN created c ON c.stream_id = w.stream_id AND c.key_ref = w.key_ref
    LEFT JOIN keys.data_keys d ON d.stream_id = w.stream_id AND d.key_ref = w.key_ref`;

/**
 * The data keys of crypto-shredding (keys.data_keys): one per record of a stream, wrapped by a
 * KEK, unwrapped keys cached in a bounded LRU. Erasing a key (shred) is final.
 */
export class KeyStore {
  private readonly cache: KeyCache;
  private readonly cacheRef: WeakRef<KeyCache>;
  private readonly keks: readonly Kek[];
  private readonly kekById: Map<string, Kek>;
  private readonly revalidateAfterMs: number;
  private readonly now: () => number;
  /** Erasure events this process has acted on (bounded: forgetting one costs a refetch, never a stale key). */
  private readonly honoured = new Set<string>();

  constructor(private readonly options: KeyStoreOptions) {
    checkKeks(options.keks);
    this.keks = options.keks;
    this.kekById = new Map(options.keks.map((k) => [k.id, k]));
    this.cache = new KeyCache(options.cacheSize ?? 10_000);
    this.cacheRef = new WeakRef(this.cache);
    processCaches.add(this.cacheRef);
    this.revalidateAfterMs = options.revalidateAfterMs ?? 30_000;
    this.now = options.now ?? Date.now;
  }

  /** Creates keys.data_keys (event-store migration 5) where it is missing; alone, so it also serves an EventStoreDB deployment. */
  async migrate(): Promise<void> {
    await migrateSchema(this.options.pool, 'event_store', [dataKeysTable]);
  }

  /** The id of the KEK that wraps new keys. */
  get currentKekId(): string {
    return this.keks[0].id;
  }

  /** A cached state that may be used without asking the database: a tombstone always, a live key until it is due for revalidation. */
  cached(streamId: string, keyRef: string): KeyState | undefined {
    const entry = this.cache.get(streamId, keyRef);
    if (!entry) return undefined;
    if (entry.state.status === 'live' && this.now() - entry.at >= this.revalidateAfterMs) return undefined;
    return entry.state;
  }

  /**
   * A reader met an erasure event (appended after its keys were shredded): the live keys it names
   * leave the cache, so their next use asks the database. Once per event and process: whatever is
   * fetched after the first meeting already knows the shred, so later reads keep their cache.
   */
  honourErasure(eventId: string, streamId: string, keyRefs: readonly string[]): void {
    if (this.honoured.has(eventId)) return;
    this.honoured.add(eventId);
    if (this.honoured.size > HONOURED_ERASURES) this.honoured.delete(this.honoured.values().next().value as string);
    this.evict(streamId, keyRefs);
  }

  /** Forgets cached live keys of a stream; a cached tombstone stays (an erased key never comes back). */
  evict(streamId: string, keyRefs: readonly string[]): void {
    this.cache.delete(
      streamId,
      keyRefs.filter((keyRef) => this.cache.peek(streamId, keyRef)?.state.status === 'live'),
    );
  }

  get cachedKeys(): number {
    return this.cache.size;
  }

  /** The keys an append needs, created where missing: no round trip when all are cached, else one. */
  async keysFor(streamId: string, specs: readonly KeySpec[]): Promise<Map<string, KeyState>> {
    return (await this.keysForStreams([{ streamId, specs }])).get(streamId) ?? new Map();
  }

  /** As keysFor, for the streams of one multi-stream append: still at most one round trip. */
  async keysForStreams(requests: ReadonlyArray<{ streamId: string; specs: readonly KeySpec[] }>): Promise<Map<string, Map<string, KeyState>>> {
    const result = new Map<string, Map<string, KeyState>>();
    const missing: Array<{ streamId: string; spec: KeySpec }> = [];
    const asked = new Map<string, KeySpec>();
    for (const { streamId, specs } of requests) {
      const states = result.get(streamId) ?? new Map<string, KeyState>();
      result.set(streamId, states);
      for (const spec of specs) {
        const id = KeyCache.id(streamId, spec.keyRef);
        if (states.has(spec.keyRef) || asked.has(id)) continue;
        const cached = this.cached(streamId, spec.keyRef);
        if (cached) states.set(spec.keyRef, cached);
        else {
          asked.set(id, spec);
          missing.push({ streamId, spec });
        }
      }
    }
    if (missing.length === 0) return result;
    missing.sort((a, b) =>
      a.streamId < b.streamId ? -1 : a.streamId > b.streamId ? 1 : a.spec.keyRef < b.spec.keyRef ? -1 : a.spec.keyRef > b.spec.keyRef ? 1 : 0,
    );
    const kek = this.keks[0];
    const offered = new Map<string, Buffer>();
    const body = missing.map(({ streamId, spec }, n) => {
      const dek = newDataKey();
      offered.set(KeyCache.id(streamId, spec.keyRef), dek);
      return {
        n,
        stream_id: streamId,
        key_ref: spec.keyRef,
        category: spec.category,
        subjects: [...new Set(spec.subjects)],
        wrapped: wrapDataKey(kek, dek, streamId, spec.keyRef).toString('base64'),
      };
    });
    const { rows } = await this.options.pool.query<DataKeyRow & { wanted_stream: string; wanted_ref: string; created: boolean }>(KEYS_FOR, [
      JSON.stringify(body),
      kek.id,
    ]);
    const raced: Array<{ streamId: string; keyRef: string }> = [];
    const at = this.now();
    for (const row of rows) {
      const streamId = row.wanted_stream;
      const keyRef = row.wanted_ref;
      let state: KeyState | undefined;
      if (row.created) {
        const id = KeyCache.id(streamId, keyRef);
        state = { status: 'live', keyRef, category: asked.get(id)!.category, key: offered.get(id)! };
      } else if (row.key_ref !== null) {
        state = this.stateOf(row);
      }
      if (!state) raced.push({ streamId, keyRef });
      else {
        this.cache.set(streamId, state, at);
        result.get(streamId)!.set(keyRef, state);
      }
    }
    if (raced.length > 0) {
      const found = new Map((await this.rowsOf(raced)).map((r) => [KeyCache.id(r.stream_id, r.key_ref), r]));
      for (const { streamId, keyRef } of raced) {
        const row = found.get(KeyCache.id(streamId, keyRef));
        if (!row) throw new Error(`Key ${keyRef} of ${streamId} was neither created nor found`);
        const state = this.stateOf(row);
        this.cache.set(streamId, state, at);
        result.get(streamId)!.set(keyRef, state);
      }
    }
    return result;
  }

  /** Every key of these streams (live, erased or unreadable), in one query; the cache is filled on the way. */
  async keysOfStreams(streamIds: readonly string[]): Promise<Map<string, Map<string, KeyState>>> {
    const result = new Map<string, Map<string, KeyState>>(streamIds.map((s) => [s, new Map()]));
    if (streamIds.length === 0) return result;
    const { rows } = await this.options.pool.query<DataKeyRow>(`SELECT ${KEY_COLUMNS} FROM keys.data_keys d WHERE d.stream_id = ANY ($1::text[])`, [
      [...new Set(streamIds)],
    ]);
    const at = this.now();
    for (const row of rows) {
      const state = this.stateOf(row);
      this.cache.set(row.stream_id, state, at);
      result.get(row.stream_id)!.set(row.key_ref, state);
    }
    return result;
  }

  async keysOfStream(streamId: string): Promise<Map<string, KeyState>> {
    return (await this.keysOfStreams([streamId])).get(streamId)!;
  }

  /**
   * These keys (of any streams), in one query; the cache is filled on the way. For reads that need
   * single keys of other streams' rows (a budget stream's spends under their families' payment
   * keys) without every key of those families. A key with no row is left out.
   */
  async keysOfRefs(keys: ReadonlyArray<{ streamId: string; keyRef: string }>): Promise<Map<string, Map<string, KeyState>>> {
    const result = new Map<string, Map<string, KeyState>>();
    if (keys.length === 0) return result;
    const at = this.now();
    for (const row of await this.rowsOf(keys)) {
      const state = this.stateOf(row);
      this.cache.set(row.stream_id, state, at);
      const ofStream = result.get(row.stream_id) ?? new Map<string, KeyState>();
      result.set(row.stream_id, ofStream);
      ofStream.set(row.key_ref, state);
    }
    return result;
  }

  /**
   * Erases keys for good: wrapped := NULL plus the tombstone. A key no event created yet gets a
   * tombstone row, so it can never be created. Idempotent: a key already erased keeps its first
   * tombstone and is reported as such. Every cache of this process forgets the keys at once.
   */
  async shred(streamId: string, keyRefs: readonly string[], options: ShredOptions): Promise<ShredResult> {
    const refs = [...new Set(keyRefs)].sort();
    if (refs.length === 0) return { erased: [], alreadyErased: [] };
    if (!/^\d{4}-\d{2}-\d{2}$/.test(options.on)) throw new Error(`shred: "on" must be a date (YYYY-MM-DD), not ${options.on}`);
    const categoryOf = this.options.categoryOf ?? ((ref: string) => ref.slice(0, ref.indexOf('/')) || undefined);
    const wanted = refs.map((keyRef, n) => {
      const category = categoryOf(keyRef);
      if (!category) throw new Error(`shred: ${keyRef} is not a key ref of a known category`);
      return { n, key_ref: keyRef, category };
    });
    try {
      const { rows } = await this.options.pool.query<{ key_ref: string }>(
        `INSERT INTO keys.data_keys AS d (stream_id, key_ref, category, wrapped, kek_id, erased_at, erased_on, erased_rule, erased_provision, erased_by, erasure_id)
         SELECT $1, w.key_ref, w.category, NULL, NULL, now(), $3::date, $4, $5, $6, $7
           FROM jsonb_to_recordset($2::jsonb) AS w(n int, key_ref text, category text) ORDER BY w.n
         ON CONFLICT (stream_id, key_ref) DO UPDATE
            SET wrapped = NULL, erased_at = EXCLUDED.erased_at, erased_on = EXCLUDED.erased_on, erased_rule = EXCLUDED.erased_rule,
                erased_provision = EXCLUDED.erased_provision, erased_by = EXCLUDED.erased_by, erasure_id = EXCLUDED.erasure_id
          WHERE d.wrapped IS NOT NULL
         RETURNING d.key_ref`,
        [streamId, JSON.stringify(wanted), options.on, options.rule, options.provision, options.by, options.erasureId],
      );
      const erased = rows.map((r) => r.key_ref).sort();
      return { erased, alreadyErased: refs.filter((r) => !erased.includes(r)) };
    } finally {
      this.cache.delete(streamId, refs);
      evictEverywhere(streamId, refs);
    }
  }

  /** Tombstones of erased keys: of a stream, of one erasure, or of keys whose subjects include a member. */
  async tombstones(filter: { streamId?: string; erasureId?: string; subjectId?: string } = {}): Promise<TombstoneRow[]> {
    const { rows } = await this.options.pool.query<DataKeyRow & { subject_ids: string[] }>(
      `SELECT ${KEY_COLUMNS}, d.subject_ids FROM keys.data_keys d
        WHERE d.wrapped IS NULL AND ($1::text IS NULL OR d.stream_id = $1) AND ($2::text IS NULL OR d.erasure_id = $2)
          AND ($3::text IS NULL OR d.subject_ids @> ARRAY[$3::text])
        ORDER BY d.stream_id, d.key_ref`,
      [filter.streamId ?? null, filter.erasureId ?? null, filter.subjectId ?? null],
    );
    return rows.map((row) => ({ streamId: row.stream_id, keyRef: row.key_ref, category: row.category ?? '', subjects: row.subject_ids, ...tombstoneOf(row) }));
  }

  /** The keys whose subjects include a member, in every stream ("everything of member X"). */
  async keysOfSubject(subjectId: string): Promise<KeyRow[]> {
    const { rows } = await this.options.pool.query<{
      stream_id: string;
      key_ref: string;
      category: string;
      subject_ids: string[];
      erased: boolean;
      created_at: Date;
    }>(
      `SELECT stream_id, key_ref, category, subject_ids, wrapped IS NULL AS erased, created_at FROM keys.data_keys
        WHERE subject_ids @> ARRAY[$1::text] ORDER BY stream_id, key_ref`,
      [subjectId],
    );
    return rows.map((r) => ({
      streamId: r.stream_id,
      keyRef: r.key_ref,
      category: r.category,
      subjects: r.subject_ids,
      erased: r.erased,
      createdAt: r.created_at.toISOString(),
    }));
  }

  /**
   * Rotation: re-wraps live keys wrapped by any other KEK under the current (first) one, in
   * batches, so that an old KEK can be retired. Returns how many keys were re-wrapped.
   */
  async rewrap(batchSize = 500): Promise<number> {
    const kek = this.keks[0];
    let total = 0;
    for (;;) {
      const client = await this.options.pool.connect();
      let done = 0;
      let release: boolean | Error = false;
      try {
        await client.query('BEGIN');
        done = await this.rewrapBatch(client, kek, batchSize);
        await client.query('COMMIT');
      } catch (error) {
        await client.query('ROLLBACK').catch((rollbackError: Error) => (release = rollbackError));
        throw error;
      } finally {
        client.release(release);
      }
      total += done;
      if (done < batchSize) return total;
    }
  }

  private async rewrapBatch(client: PoolClient, kek: Kek, batchSize: number): Promise<number> {
    const { rows } = await client.query<DataKeyRow>(
      `SELECT ${KEY_COLUMNS} FROM keys.data_keys d WHERE d.wrapped IS NOT NULL AND d.kek_id <> $1 LIMIT $2 FOR UPDATE SKIP LOCKED`,
      [kek.id, batchSize],
    );
    const rewrapped = rows.map((row) => {
      const state = this.stateOf(row);
      if (state.status !== 'live') throw new PersonalDataIntegrityError(row.stream_id, row.key_ref, state.status === 'unreadable' ? state.detail : 'erased');
      return { stream_id: row.stream_id, key_ref: row.key_ref, wrapped: wrapDataKey(kek, state.key, row.stream_id, row.key_ref).toString('base64') };
    });
    if (rewrapped.length > 0) {
      await client.query(
        `UPDATE keys.data_keys d SET wrapped = decode(r.wrapped, 'base64'), kek_id = $2
           FROM jsonb_to_recordset($1::jsonb) AS r(stream_id text, key_ref text, wrapped text)
          WHERE d.stream_id = r.stream_id AND d.key_ref = r.key_ref AND d.wrapped IS NOT NULL`,
        [JSON.stringify(rewrapped), kek.id],
      );
    }
    return rewrapped.length;
  }

  /** Leaves the process's eviction list (the pool is the caller's). */
  close(): void {
    processCaches.delete(this.cacheRef);
  }

  private async rowsOf(keys: ReadonlyArray<{ streamId: string; keyRef: string }>): Promise<DataKeyRow[]> {
    const { rows } = await this.options.pool.query<DataKeyRow>(
      `SELECT ${KEY_COLUMNS} FROM keys.data_keys d JOIN jsonb_to_recordset($1::jsonb) AS w(stream_id text, key_ref text)
          ON d.stream_id = w.stream_id AND d.key_ref = w.key_ref`,
      [JSON.stringify(keys.map((k) => ({ stream_id: k.streamId, key_ref: k.keyRef })))],
    );
    return rows;
  }

  private stateOf(row: DataKeyRow): KeyState {
    const { key_ref: keyRef, stream_id: streamId } = row;
    const category = row.category ?? '';
    if (row.wrapped === null) return { status: 'erased', keyRef, category, tombstone: tombstoneOf(row) };
    const kek = row.kek_id === null ? undefined : this.kekById.get(row.kek_id);
    if (!kek) {
      return {
        status: 'unreadable',
        keyRef,
        category,
        detail: `its key is wrapped by KEK "${row.kek_id}", which PERSONAL_DATA_KEKS does not list (a KEK was removed before its keys were re-wrapped)`,
      };
    }
    try {
      return { status: 'live', keyRef, category, key: unwrapDataKey(kek, row.wrapped, streamId, keyRef) };
    } catch {
      return { status: 'unreadable', keyRef, category, detail: `its wrapped key does not open under KEK "${kek.id}" (the key row was altered or moved)` };
    }
  }
}

function tombstoneOf(row: DataKeyRow): KeyTombstone {
  return {
    on: row.erased_on ?? '',
    rule: row.erased_rule,
    provision: row.erased_provision,
    by: row.erased_by,
    erasureId: row.erasure_id,
    erasedAt: row.erased_at ? row.erased_at.toISOString() : '',
  };
}
