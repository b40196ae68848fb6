import type { RecordedEvent } from '@familievedtak/event-store';
import type { EntityManager } from 'typeorm';
import type { Projection } from '../projection';

interface StreamDelta {
  streamId: string;
  category: string;
  revision: number;
  count: number;
  lastType: string;
  lastPosition: bigint;
  firstAt: Date;
  lastAt: Date;
}

/**
 * The catalogue of streams (used by health, audits and listings). It counts events, so a
 * double-applied batch would show: the projection tests rely on that.
 */
export class StreamCatalogueProjection implements Projection {
  readonly name = 'stream-catalogue';
  readonly tables = ['read_models.stream_catalogue'];

  async apply(events: RecordedEvent[], manager: EntityManager): Promise<void> {
    const deltas = new Map<string, StreamDelta>();
    for (const event of events) {
      const delta = deltas.get(event.streamId);
      if (delta) {
        delta.revision = event.revision;
        delta.count += 1;
        delta.lastType = event.type;
        delta.lastPosition = event.globalPosition;
        delta.lastAt = event.recordedAt;
      } else {
        deltas.set(event.streamId, {
          streamId: event.streamId,
          category: event.streamId.split('-')[0],
          revision: event.revision,
          count: 1,
          lastType: event.type,
          lastPosition: event.globalPosition,
          firstAt: event.recordedAt,
          lastAt: event.recordedAt,
        });
      }
    }
    if (deltas.size === 0) return;
    const rows = [...deltas.values()];
    // One statement per batch: unnest the columns rather than one round trip per stream.
    await manager.query(
      `INSERT INTO read_models.stream_catalogue AS c
         (stream_id, category, revision, event_count, last_event_type, last_position, first_recorded_at, last_recorded_at)
       SELECT * FROM unnest($1::text[], $2::text[], $3::bigint[], $4::bigint[], $5::text[], $6::bigint[], $7::timestamptz[], $8::timestamptz[])
       ON CONFLICT (stream_id) DO UPDATE SET
         revision = excluded.revision,
         event_count = c.event_count + excluded.event_count,
         last_event_type = excluded.last_event_type,
         last_position = excluded.last_position,
         last_recorded_at = excluded.last_recorded_at`,
      [
        rows.map((r) => r.streamId),
        rows.map((r) => r.category),
        rows.map((r) => r.revision),
        rows.map((r) => r.count),
        rows.map((r) => r.lastType),
        rows.map((r) => r.lastPosition.toString()),
        rows.map((r) => r.firstAt.toISOString()),
        rows.map((r) => r.lastAt.toISOString()),
      ],
    );
  }
}
