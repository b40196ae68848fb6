import { Column, Entity, PrimaryColumn } from 'typeorm';
import type { FamilyCore, RecordKind } from './family-view.state-store';

/**
 * One row per family (the header): the small part of the folded state plus the columns the
 * family list filters on; the record maps are rows of FamilyViewRecordRow. Read the whole state
 * with family-view.state-store.ts (the view is built from it at read time, because most of the
 * view depends on the day).
 * The counts are as recorded on the stream, not as of a day (see FamilyViewProjection).
 */
@Entity({ schema: 'read_models', name: 'family_view' })
export class FamilyViewRow {
  @PrimaryColumn({ name: 'family_id', type: 'text', collation: 'C' })
  familyId!: string;

  @Column({ type: 'text' })
  district!: string;

  /** Units involved with the family (decision, active contact person, pick-up, payment, coordination). */
  @Column({ type: 'text', array: true })
  units!: string[];

  /**
   * Who might read the family: 'unit:NAV' for units with an active part, records of their own
   * or an open referral to them; 'partner:<9-digit organisation number>' for partners of active
   * enrolments (possibleReaders). The list's prefilter; access is decided per read.
   */
  @Column({ type: 'text', array: true })
  readers!: string[];

  @Column({ name: 'coordinating_unit', type: 'text', nullable: true })
  coordinatingUnit!: string | null;

  @Column({ name: 'open_needs', type: 'int' })
  openNeeds!: number;

  /** Decisions recorded as active or under appeal. */
  @Column({ name: 'active_decisions', type: 'int' })
  activeDecisions!: number;

  /** Earliest period end among those decisions. */
  @Column({ name: 'next_period_end', type: 'date', nullable: true })
  nextPeriodEnd!: string | null;

  /** Revision of the last family event applied (0-based). */
  @Column({ type: 'bigint' })
  revision!: string;

  @Column({ name: 'last_position', type: 'bigint' })
  lastPosition!: string;

  /** The state without its record maps (see RECORD_KINDS). */
  @Column({ type: 'jsonb' })
  core!: FamilyCore;

  @Column({ name: 'updated_at', type: 'timestamptz' })
  updatedAt!: Date;
}

/** One record of a family's record map: state[kind][recordId] = data. */
@Entity({ schema: 'read_models', name: 'family_view_record' })
export class FamilyViewRecordRow {
  @PrimaryColumn({ name: 'family_id', type: 'text', collation: 'C' })
  familyId!: string;

  @PrimaryColumn({ type: 'text', collation: 'C' })
  kind!: RecordKind;

  @PrimaryColumn({ name: 'record_id', type: 'text', collation: 'C' })
  recordId!: string;

  @Column({ type: 'jsonb' })
  data!: unknown;
}
