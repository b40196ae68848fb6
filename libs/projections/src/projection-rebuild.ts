import type { EventStore } from '@familievedtak/event-store';
import type { DataSource } from 'typeorm';
import type { Projection } from './projection';
import { ensureCheckpoint, ProjectionRunner, ProjectionRunnerOptions } from './projection-runner';

/**
 * Empties the projection's tables and moves its checkpoint back to zero in one transaction.
 * It locks the checkpoint row first, as every batch does, so it cannot interleave with a
 * batch of the running instance; that instance notices the reset and replays from zero.
 */
export async function resetProjection(dataSource: DataSource, projection: Projection): Promise<void> {
  await ensureCheckpoint(dataSource, projection.name);
  await dataSource.transaction(async (manager) => {
    await manager.query('SELECT position FROM projections.checkpoints WHERE name = $1 FOR UPDATE', [projection.name]);
    if (projection.tables.length) await manager.query(`TRUNCATE ${projection.tables.join(', ')}`);
    await manager.query('UPDATE projections.checkpoints SET position = 0, updated_at = now(), rebuilt_at = now() WHERE name = $1', [projection.name]);
  });
}

/** Batches of a rebuild grow up to this many events while the log is far ahead (see ProjectionRunnerOptions.maxBatchSize). */
export const REBUILD_MAX_BATCH_SIZE = 5000;

/** With no batch committed for this long, the rebuild asks the log whether anything is left. */
const QUIET_MS = 1000;

export type RebuildOutcome = 'rebuilt' | 'handed-to-running-instance';

/**
 * Replays a projection from position zero into emptied tables. If no other process runs the
 * projection, this process replays it to the head and reports progress; otherwise the running
 * instance does the replay and this returns at once.
 */
export async function rebuildProjection(
  dataSource: DataSource,
  store: EventStore,
  projection: Projection,
  options: ProjectionRunnerOptions & { onProgress?: (applied: number, total: number) => void; timeoutMs?: number } = {},
): Promise<RebuildOutcome> {
  await resetProjection(dataSource, projection);
  // Counted once: progress then comes from the runner's own tally, and being done from the
  // checkpoint passing the head, instead of a count over the rest of the log after each batch.
  const head = await store.headPosition();
  const total = await store.countAfter(0n, projection.filter);
  const runner = new ProjectionRunner(dataSource, store, projection, {
    maxBatchSize: Math.max(REBUILD_MAX_BATCH_SIZE, options.batchSize ?? 0),
    ...options,
    standbyRetryMs: 60_000,
  });
  runner.start();
  try {
    const deadline = Date.now() + (options.timeoutMs ?? 3_600_000);
    let quiet = false;
    for (;;) {
      // Woken by each committed batch (no poll tick between the last batch and returning); a
      // second without one asks the log (events matching nothing at its end, a head that moved on).
      // Listening before looking, so a batch committed meanwhile still wakes this at once.
      const change = runner.nextChange(QUIET_MS);
      const state = runner.status().state;
      if (state === 'standby') return 'handed-to-running-instance';
      const progressed = state === 'running' ? runner.appliedEvents() : -1;
      if (state === 'running') {
        const checkpoint = BigInt(runner.status().checkpoint);
        const done = checkpoint >= head || (quiet && (await store.countAfter(checkpoint, projection.filter)) === 0);
        options.onProgress?.(done ? total : Math.min(runner.appliedEvents(), total), total);
        if (done) return 'rebuilt';
      }
      if (Date.now() > deadline) throw new Error(`Rebuild of ${projection.name} did not finish in time`);
      await change;
      quiet = runner.status().state === 'running' && runner.appliedEvents() === progressed;
    }
  } finally {
    await runner.stop();
  }
}
