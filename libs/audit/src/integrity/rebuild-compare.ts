import { randomBytes } from 'node:crypto';
import type { EventStore, JsonObject, RecordedEvent } from '@familievedtak/event-store';
import { FAMILY_VIEW_TABLE, familyStateSql, FamilyViewProjection, recordTableOf } from '@familievedtak/projections';
import type { DataSource, QueryRunner } from 'typeorm';
import { diffJson, type FieldDifference } from './json-diff';

export type { FieldDifference } from './json-diff';

const LIVE_TABLE = FAMILY_VIEW_TABLE;

/** missing: the replay has the row, the live view does not; extra: the other way round. */
export interface RowDifference {
  familyId: string;
  kind: 'missing' | 'extra' | 'different';
  /** Per differing field of a 'different' row; empty for missing and extra rows. */
  fields: FieldDifference[];
  /** The values were withheld (see RebuildCompareOptions.withholdValues): paths only. */
  withheld?: true;
}

export interface RebuildComparison {
  /** The live view's checkpoint: both sides hold exactly the family events up to it. */
  position: string;
  eventsReplayed: number;
  rows: { live: number; rebuilt: number };
  missing: number;
  extra: number;
  different: number;
  /** Every differing row, in family order, up to maxDifferences. */
  differences: RowDifference[];
  truncated: boolean;
  ok: boolean;
  /** The shadow schema, if kept for inspection; null once dropped. */
  shadowSchema: string | null;
}

export type RebuildComparePhase = 'replay' | 'compare';

export interface RebuildCompareOptions {
  /** Events folded per statement pair (as the projection runner's batch). */
  batchSize?: number;
  /** Rows read per side per comparison step. */
  pageSize?: number;
  /** Keep (commit) the shadow schema instead of dropping it. */
  keepShadow?: boolean;
  /** Rows listed in `differences`; counting goes on past it. Unbounded by default. */
  maxDifferences?: number;
  onProgress?: (phase: RebuildComparePhase, done: number, total: number) => void;
  /** Checked between batches and pages: a bounded caller (the API) aborts a long run. */
  signal?: AbortSignal;
  /**
   * Whether a differing row's values may not be shown to this reader (e.g. a member with a
   * protected address, for a reader without clearance). The difference is still found on the
   * real values and reported by path; only the values are left out.
   */
  withholdValues?: (live: JsonObject | null, rebuilt: JsonObject | null) => boolean;
}

/** live and rebuilt are only sent for a row on both sides whose columns differ. */
type ComparedRow = { family_id: string; in_live: boolean; in_rebuilt: boolean; live: JsonObject | null; rebuilt: JsonObject | null };

/**
 * Replay verification of the family decision view: fold every family event up to the live
 * view's checkpoint into a shadow copy of its table, with the projection's own code, and
 * compare the copy row by row with the live table.
 *
 * Why at the checkpoint rather than the head: the live view may be behind (or moving). All
 * the work runs in one REPEATABLE READ transaction whose first statement reads the checkpoint,
 * so the live rows compared are exactly those of that checkpoint, however far the running
 * projection moves meanwhile, and nothing waits for it. The shadow schema lives in the same
 * transaction: rolling back drops it, even when the run fails; keepShadow commits it.
 */
export async function rebuildAndCompare(
  dataSource: DataSource,
  store: Pick<EventStore, 'readAll' | 'countAfter'>,
  options: RebuildCompareOptions = {},
): Promise<RebuildComparison> {
  const batchSize = options.batchSize ?? 1000;
  const pageSize = options.pageSize ?? 500;
  const maxDifferences = options.maxDifferences ?? Number.POSITIVE_INFINITY;
  const abortIfAsked = () => {
    if (options.signal?.aborted) throw options.signal.reason ?? new Error('Rebuild comparison aborted');
  };
  const schema = `shadow_${randomBytes(6).toString('hex')}`;
  const shadowTable = `${schema}.family_view`;
  const projection = new FamilyViewProjection(shadowTable);

  const runner = dataSource.createQueryRunner();
  await runner.connect();
  let commit = false;
  try {
    await runner.query('START TRANSACTION ISOLATION LEVEL REPEATABLE READ');
    // The first statement takes the snapshot: the live rows read later match this checkpoint.
    const [checkpoint] = await runner.query(`SELECT position::text AS position FROM projections.checkpoints WHERE name = $1`, [projection.name]);
    const position = BigInt(checkpoint?.position ?? 0);
    await runner.query(`CREATE SCHEMA ${schema}`);
    // The projection keeps a family in two tables: the header and its records.
    for (const [shadow, live] of [
      [shadowTable, LIVE_TABLE],
      [recordTableOf(shadowTable), recordTableOf(LIVE_TABLE)],
    ]) {
      await runner.query(`CREATE TABLE ${shadow} (LIKE ${live} INCLUDING ALL)`);
    }

    const eventsReplayed = await replay(runner, store, projection, position, batchSize, options, abortIfAsked);
    const result = await compare(runner, shadowTable, pageSize, maxDifferences, options, abortIfAsked);
    commit = options.keepShadow === true;
    return { position: position.toString(), eventsReplayed, ...result, shadowSchema: commit ? schema : null };
  } finally {
    await runner.query(commit ? 'COMMIT' : 'ROLLBACK').catch(() => undefined);
    await runner.release();
  }
}

async function replay(
  runner: QueryRunner,
  store: Pick<EventStore, 'readAll' | 'countAfter'>,
  projection: FamilyViewProjection,
  position: bigint,
  batchSize: number,
  options: RebuildCompareOptions,
  abortIfAsked: () => void,
): Promise<number> {
  const total = (await store.countAfter(0n, projection.filter)) - (await store.countAfter(position, projection.filter));
  let done = 0;
  options.onProgress?.('replay', 0, total);
  for (let after = 0n; after < position;) {
    abortIfAsked();
    const page = await store.readAll({ fromPosition: after, maxCount: batchSize, filter: projection.filter });
    const upToCheckpoint: RecordedEvent[] = page.filter((e) => e.globalPosition <= position);
    if (upToCheckpoint.length) await projection.apply(upToCheckpoint, runner.manager);
    done += upToCheckpoint.length;
    options.onProgress?.('replay', done, Math.max(total, done));
    if (page.length < batchSize || upToCheckpoint.length < page.length) break;
    after = page[page.length - 1].globalPosition;
  }
  return done;
}

/**
 * The compared header columns: all but the key and updated_at (when a row was written, not what
 * it says), and `core`, which is compared as part of the whole state (header core plus records).
 */
const UNCOMPARED = ['family_id', 'updated_at', 'core'];

/**
 * A family as JSON for the diff: its header columns and, as `state`, the whole stored state, so
 * a difference is named by its path in the state wherever it is stored (bigint last_position as
 * text: JSON numbers lose precision past 2^53).
 */
const rowJson = (alias: string, state: string) =>
  `to_jsonb(${alias}) - '${UNCOMPARED.join("' - '")}' || jsonb_build_object('last_position', ${alias}.last_position::text, 'state', ${state})`;

/**
 * A merge over both tables in family order: each step takes the next `pageSize` keys of each
 * side, so a step costs two index range scans whatever the table size.
 */
async function compare(
  runner: QueryRunner,
  shadowTable: string,
  pageSize: number,
  maxDifferences: number,
  options: RebuildCompareOptions,
  abortIfAsked: () => void,
): Promise<Omit<RebuildComparison, 'position' | 'eventsReplayed' | 'shadowSchema'>> {
  // Equal rows are recognised column by column in the server; only differing ones are turned
  // into JSON and sent (building JSON of every row costs more than the whole comparison).
  const columns: Array<{ name: string }> = await runner.query(
    `SELECT quote_ident(column_name) AS name FROM information_schema.columns
      WHERE table_schema = 'read_models' AND table_name = 'family_view' AND NOT (column_name = ANY($1)) ORDER BY ordinal_position`,
    [UNCOMPARED],
  );
  const differ = `l.family_id IS NOT NULL AND s.family_id IS NOT NULL
    AND (${columns.map((c) => `l.${c.name}`).join(', ')}, st.live) IS DISTINCT FROM (${columns.map((c) => `s.${c.name}`).join(', ')}, st.rebuilt)`;
  const [counts] = await runner.query(`SELECT (SELECT count(*) FROM ${LIVE_TABLE})::int AS live, (SELECT count(*) FROM ${shadowTable})::int AS rebuilt`);
  const rows = { live: counts.live as number, rebuilt: counts.rebuilt as number };
  const differences: RowDifference[] = [];
  const tally = { missing: 0, extra: 0, different: 0 };
  const note = (difference: RowDifference) => {
    tally[difference.kind]++;
    if (differences.length < maxDifferences) differences.push(difference);
  };
  let done = 0;
  const total = Math.max(rows.live, rows.rebuilt);
  options.onProgress?.('compare', 0, total);
  for (let after = ''; ;) {
    abortIfAsked();
    const page: ComparedRow[] = await runner.query(
      `WITH keys AS (
         SELECT family_id FROM (
           (SELECT family_id FROM ${LIVE_TABLE} WHERE family_id > $1 ORDER BY family_id LIMIT $2)
           UNION
           (SELECT family_id FROM ${shadowTable} WHERE family_id > $1 ORDER BY family_id LIMIT $2)) k
         ORDER BY family_id LIMIT $2)
       SELECT k.family_id, l.family_id IS NOT NULL AS in_live, s.family_id IS NOT NULL AS in_rebuilt,
              CASE WHEN ${differ} THEN ${rowJson('l', 'st.live')} END AS live,
              CASE WHEN ${differ} THEN ${rowJson('s', 'st.rebuilt')} END AS rebuilt
         FROM keys k
         LEFT JOIN ${LIVE_TABLE} l ON l.family_id = k.family_id
         LEFT JOIN ${shadowTable} s ON s.family_id = k.family_id
        -- Each side's state assembled once, and only for a family on both sides.
        CROSS JOIN LATERAL (
          SELECT CASE WHEN l.family_id IS NOT NULL AND s.family_id IS NOT NULL THEN ${familyStateSql('l', LIVE_TABLE)} END AS live,
                 CASE WHEN l.family_id IS NOT NULL AND s.family_id IS NOT NULL THEN ${familyStateSql('s', shadowTable)} END AS rebuilt) st
        ORDER BY k.family_id`,
      [after, pageSize],
    );
    for (const row of page) {
      if (!row.in_live) note({ familyId: row.family_id, kind: 'missing', fields: [] });
      else if (!row.in_rebuilt) note({ familyId: row.family_id, kind: 'extra', fields: [] });
      else if (row.live && row.rebuilt) {
        const fields = diffJson(row.live, row.rebuilt);
        if (!fields.length) continue;
        if (options.withholdValues?.(row.live, row.rebuilt))
          note({ familyId: row.family_id, kind: 'different', fields: fields.map(({ path }) => ({ path })), withheld: true });
        else note({ familyId: row.family_id, kind: 'different', fields });
      }
    }
    done += page.length;
    options.onProgress?.('compare', Math.min(done, total), total);
    if (page.length < pageSize) break;
    after = page[page.length - 1].family_id;
  }
  const found = tally.missing + tally.extra + tally.different;
  return { rows, ...tally, differences, truncated: found > differences.length, ok: found === 0 };
}
