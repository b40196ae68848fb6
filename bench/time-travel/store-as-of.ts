/**
 * Time travel on a generated store (bench/data): the auditor's as-of (familyAsOf by position)
 * of random families among all of them, cut in the middle of each family's stream and at its
 * end, against a raw SELECT of the same rows. Unlike time-travel.bench.ts (one synthetic
 * family of 1,000 events in an otherwise empty database), this is the cost at the store's real
 * size and mix: every read goes through indexes over millions of events.
 */
import { familyAsOf } from '@familievedtak/audit';
import { FAMILY_STREAM_PREFIX } from '@familievedtak/domain';
import type { PostgresEventStore } from '@familievedtak/event-store';
import type { Pool } from 'pg';
import type { BenchRow } from '../bench-row';
import { stats, TIME_TRAVEL_TARGET_MS } from './time-travel.bench';

const ms = (start: bigint) => Number(process.hrtime.bigint() - start) / 1e6;
const round = (n: number, digits = 2) => Math.round(n * 10 ** digits) / 10 ** digits;

export async function storeAsOfRows(
  dataset: { store: PostgresEventStore; pool: Pool; families: number; events: number },
  options: { samples?: number; log?: (line: string) => void } = {},
): Promise<BenchRow[]> {
  const log = options.log ?? (() => undefined);
  const samples = options.samples ?? 200;
  // Random families, each with its length and the positions of its middle and last events.
  const { rows: picked } = await dataset.pool.query<{ stream_id: string; n: string; mid: string; last: string }>(
    `WITH f AS (SELECT stream_id FROM event_store.events WHERE type = 'FamilyRegistered' ORDER BY random() LIMIT $1),
          s AS (SELECT f.stream_id, count(*) AS n, max(e.global_position) AS last
                  FROM f JOIN event_store.events e ON e.stream_id = f.stream_id GROUP BY f.stream_id)
     SELECT s.stream_id, s.n::text, s.last::text,
            (SELECT m.global_position FROM event_store.events m WHERE m.stream_id = s.stream_id AND m.revision = (s.n - 1) / 2)::text AS mid
       FROM s`,
    [samples],
  );
  const cuts = { middle: { asOf: [] as number[], raw: [] as number[] }, end: { asOf: [] as number[], raw: [] as number[] } };
  let events = 0;
  for (const family of picked) {
    const familyId = family.stream_id.slice(FAMILY_STREAM_PREFIX.length);
    events += Number(family.n);
    for (const [name, position] of [
      ['middle', BigInt(family.mid)],
      ['end', BigInt(family.last)],
    ] as const) {
      // Raw first, then as-of, per family: both meet the same cache state and machine load.
      let start = process.hrtime.bigint();
      await dataset.pool.query('SELECT data FROM event_store.events WHERE stream_id = $1 AND global_position <= $2 ORDER BY revision', [
        family.stream_id,
        position.toString(),
      ]);
      cuts[name].raw.push(ms(start));
      start = process.hrtime.bigint();
      const asOf = await familyAsOf(dataset.store, familyId, { position });
      cuts[name].asOf.push(ms(start));
      if (!asOf) throw new Error(`as-of of ${familyId} at ${position} found no family`);
    }
  }
  const area = `time travel on the store (${dataset.families.toLocaleString('en-US')} families)`;
  const note = `${picked.length} random families (${Math.round(events / Math.max(1, picked.length))} events each on average) among ${dataset.events.toLocaleString('en-US')} events; familyAsOf by position, one cold read per family and cut`;
  const rows: BenchRow[] = [];
  for (const name of ['middle', 'end'] as const) {
    const asOf = stats(cuts[name].asOf);
    const raw = stats(cuts[name].raw);
    log(`as-of on the store, cut at the ${name}: median ${asOf.median.toFixed(2)} ms, p95 ${asOf.p95.toFixed(2)} ms; raw ${raw.median.toFixed(2)} ms`);
    rows.push(
      {
        area,
        metric: `median ms, cut at the ${name}`,
        value: round(asOf.median),
        baseline: { name: 'raw SELECT of the same rows', value: round(raw.median) },
        ratio: round(asOf.median / raw.median),
        target: `< ${TIME_TRAVEL_TARGET_MS} ms`,
        met: asOf.median < TIME_TRAVEL_TARGET_MS,
        note,
      },
      {
        area,
        metric: `p95 ms, cut at the ${name}`,
        value: round(asOf.p95),
        baseline: { name: 'raw SELECT p95', value: round(raw.p95) },
        ratio: round(asOf.p95 / raw.p95),
        note,
      },
    );
  }
  return rows;
}
