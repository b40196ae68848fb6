import { Column, Entity, PrimaryColumn } from 'typeorm';

/** How far one projection has applied the log. Written in the same transaction as its read model. */
@Entity({ schema: 'projections', name: 'checkpoints' })
export class ProjectionCheckpoint {
  @PrimaryColumn({ type: 'text' })
  name!: string;

  /** Global position of the last event applied (bigint as string: pg returns int8 as text). */
  @Column({ type: 'bigint', default: '0' })
  position!: string;

  @Column({ name: 'updated_at', type: 'timestamptz' })
  updatedAt!: Date;

  /** When the read model was last reset for a replay from position zero. */
  @Column({ name: 'rebuilt_at', type: 'timestamptz', nullable: true })
  rebuiltAt!: Date | null;
}
