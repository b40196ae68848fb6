import { Column, Entity, PrimaryColumn } from 'typeorm';

/** One row per stream: what exists in the log and how far each stream has grown. */
@Entity({ schema: 'read_models', name: 'stream_catalogue' })
export class StreamCatalogueEntry {
  @PrimaryColumn({ name: 'stream_id', type: 'text' })
  streamId!: string;

  /** The part of the stream id before the first '-' (e.g. "family"). */
  @Column({ type: 'text' })
  category!: string;

  @Column({ type: 'bigint' })
  revision!: string;

  @Column({ name: 'event_count', type: 'bigint' })
  eventCount!: string;

  @Column({ name: 'last_event_type', type: 'text' })
  lastEventType!: string;

  @Column({ name: 'last_position', type: 'bigint' })
  lastPosition!: string;

  @Column({ name: 'first_recorded_at', type: 'timestamptz' })
  firstRecordedAt!: Date;

  @Column({ name: 'last_recorded_at', type: 'timestamptz' })
  lastRecordedAt!: Date;
}
