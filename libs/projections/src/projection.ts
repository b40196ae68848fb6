import type { EventFilter, RecordedEvent } from '@familievedtak/event-store';
import type { EntityManager } from 'typeorm';

/**
 * A read model fed by the log. `apply` runs inside the transaction that also moves the
 * checkpoint, so it must only write through the given manager.
 */
export interface Projection {
  /** Stable name: the checkpoint key and the advisory-lock key. */
  readonly name: string;
  /** Which events the projection needs; the rest are skipped by the store. */
  readonly filter?: EventFilter;
  /** Tables (schema-qualified) that a rebuild empties before replaying from position zero. */
  readonly tables: string[];
  apply(events: RecordedEvent[], manager: EntityManager): Promise<void>;
  /** Called by the runner after the transaction of the last `apply` committed (not after a rollback). */
  committed?(): void;
}

/** DI token for the list of projections the application runs. */
export const PROJECTIONS = Symbol('PROJECTIONS');
