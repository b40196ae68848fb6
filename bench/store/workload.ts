import { randomUUID } from 'node:crypto';
import { JsonObject } from '@familievedtak/event-store';

/**
 * The one event shape every system writes: ~330 bytes of JSON, like a small case-decision
 * event. The raw pre-load builds the very same JSON in SQL (see `eventDataSql`).
 */
export const EVENT_TYPE = 'DecisionRecorded';
const UNIT = 'unit-0042';
const NOTE = 'Vedtak fattet etter samtale med familien; tiltak videreføres i påvente av ny vurdering av behovet.';
const METADATA: JsonObject = { actor: 'caseworker-0007', source: 'bench', schema: 1 };

export interface BenchEvent {
  id: string;
  type: string;
  data: JsonObject;
  metadata: JsonObject;
}

export function benchEvent(streamId: string, revision: number): BenchEvent {
  return {
    id: randomUUID(),
    type: EVENT_TYPE,
    data: { familyId: streamId, revision, unit: UNIT, decision: 'granted', amountNok: 12_000 + revision, note: NOTE },
    metadata: METADATA,
  };
}

/** SQL building the same data/metadata as benchEvent, over columns `stream_id` and `revision`. */
export const eventDataSql = {
  data: `jsonb_build_object('familyId', stream_id, 'revision', revision, 'unit', '${UNIT}', 'decision', 'granted',
           'amountNok', 12000 + revision, 'note', '${NOTE}')`,
  metadata: `'${JSON.stringify(METADATA)}'::jsonb`,
};

/** The read dataset: event n (0-based) is revision n % batch of stream `family-${n / batch}`. */
export const preloadStream = (n: number, batch: number): string => `family-${Math.floor(n / batch)}`;

export const now = (): bigint => process.hrtime.bigint();
export const seconds = (from: bigint, to: bigint = now()): number => Number(to - from) / 1e9;

/** Frees garbage of the previous phase outside the timed window (run with --expose-gc). */
export const collectGarbage = (): void => (globalThis as { gc?: () => void }).gc?.();

/**
 * `writers` concurrent loops; writer w performs `count` single-event appends, one at a time,
 * to its own stream `${prefix}-${w}` with revisions 0..count-1. Returns wall time in seconds.
 */
export async function runWriters(
  writers: number,
  count: number,
  prefix: string,
  appendOne: (streamId: string, revision: number, event: BenchEvent) => Promise<void>,
): Promise<number> {
  const start = now();
  await Promise.all(
    Array.from({ length: writers }, async (_, w) => {
      const streamId = `${prefix}-${w}`;
      for (let revision = 0; revision < count; revision++) await appendOne(streamId, revision, benchEvent(streamId, revision));
    }),
  );
  return seconds(start);
}

export const median = (values: number[]): number => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
};
