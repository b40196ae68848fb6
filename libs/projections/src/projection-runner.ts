import type { EventStore, RecordedEvent, Subscription } from '@familievedtak/event-store';
import type { DataSource, QueryRunner } from 'typeorm';
import type { Projection } from './projection';

export type RunnerState = 'starting' | 'running' | 'standby' | 'stopped';

export interface ProjectionStatus {
  name: string;
  state: RunnerState;
  /** Position of the last applied event, as stored in the checkpoint. */
  checkpoint: string;
  lastError?: string;
}

export interface ProjectionRunnerOptions {
  /** Most events applied in one transaction while keeping up with the log (default 500). */
  batchSize?: number;
  /**
   * While far behind (every batch filled up, as in a rebuild or catch-up), batches double up
   * to this size, so a family appearing all over the log is read and rewritten fewer times;
   * back to batchSize once caught up. Default: batchSize when that is given, else 5,000.
   */
  maxBatchSize?: number;
  /** How often a standby runner tries to take over the projection. */
  standbyRetryMs?: number;
  /** How often a running runner re-reads its checkpoint in case a rebuild reset it. */
  checkpointCheckMs?: number;
  log?: (message: string) => void;
}

/** Raised inside the batch transaction when the stored checkpoint is not where this runner left it. */
class CheckpointMovedError extends Error {}

export const projectionLockKey = (name: string) => `projection:${name}`;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Full batches read while earlier ones are still being applied (memory: this many batches of events). */
const READ_AHEAD_BATCHES = 2;

/**
 * Runs one projection in exactly one process of all those sharing the database:
 * - a session-level advisory lock on a dedicated connection elects the runner; the others
 *   wait in standby and take over when its connection goes away;
 * - each batch of events and the checkpoint are written in one transaction that first locks
 *   the checkpoint row and checks it still holds the position this runner read, so neither a
 *   crash nor a second runner nor a concurrent rebuild can skip or double-apply an event.
 */
export class ProjectionRunner {
  private state: RunnerState = 'stopped';
  private position = 0n;
  private lastError?: string;
  private applied = 0;
  private stopping = false;
  private loop?: Promise<void>;
  private subscription?: Subscription;
  private lockConnection?: QueryRunner;
  private lockLost = false;
  private wakeStandby?: () => void;
  private changeWaiters: Array<() => void> = [];

  constructor(
    private readonly dataSource: DataSource,
    private readonly store: EventStore,
    readonly projection: Projection,
    private readonly options: ProjectionRunnerOptions = {},
  ) {}

  start(): void {
    if (this.loop) return;
    this.stopping = false;
    this.setState('starting');
    this.loop = this.run();
  }

  async stop(): Promise<void> {
    this.stopping = true;
    this.wakeStandby?.();
    await this.subscription?.close();
    await this.loop;
    this.loop = undefined;
    this.setState('stopped');
  }

  status(): ProjectionStatus {
    return { name: this.projection.name, state: this.state, checkpoint: this.position.toString(), lastError: this.lastError };
  }

  /**
   * Resolves at this runner's next committed batch or change of state, or after `timeoutMs`:
   * lets a caller follow progress without polling.
   */
  nextChange(timeoutMs: number): Promise<void> {
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        this.changeWaiters = this.changeWaiters.filter((w) => w !== done);
        resolve();
      };
      const timer = setTimeout(done, timeoutMs);
      this.changeWaiters.push(done);
    });
  }

  private changed(): void {
    for (const wake of this.changeWaiters.slice()) wake();
  }

  private setState(state: RunnerState): void {
    this.state = state;
    this.changed();
  }

  /** Events this runner has applied and committed since it was created. */
  appliedEvents(): number {
    return this.applied;
  }

  /** Events (matching the projection's filter) committed after the checkpoint. */
  async lag(): Promise<number> {
    const checkpoint = this.state === 'running' ? this.position : await readCheckpoint(this.dataSource, this.projection.name);
    return this.store.countAfter(checkpoint, this.projection.filter);
  }

  /** Resolves once the projection has applied everything up to the store's head at call time. */
  async waitUntilCaughtUp(timeoutMs = 30000): Promise<void> {
    const head = await this.store.headPosition();
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      const checkpoint = await readCheckpoint(this.dataSource, this.projection.name);
      if (checkpoint >= head || (await this.store.countAfter(checkpoint, this.projection.filter)) === 0) return;
      await sleep(20);
    }
    throw new Error(`Projection ${this.projection.name} did not catch up within ${timeoutMs} ms`);
  }

  private log(message: string): void {
    this.options.log?.(`[projection ${this.projection.name}] ${message}`);
  }

  private async run(): Promise<void> {
    while (!this.stopping) {
      try {
        if (!this.lockConnection && !(await this.acquireLock())) {
          this.setState('standby');
          await new Promise<void>((resolve) => {
            const timer = setTimeout(resolve, this.options.standbyRetryMs ?? 2000);
            this.wakeStandby = () => {
              clearTimeout(timer);
              resolve();
            };
          });
          continue;
        }
        this.setState('running');
        // Returns when stopped, when a rebuild moved the checkpoint (keep the lock and start
        // over from it), or when the lock connection died (give the lock up).
        await this.consume();
        if (this.lockLost) await this.releaseLock();
      } catch (error) {
        if (!(error instanceof CheckpointMovedError)) {
          this.lastError = error instanceof Error ? error.message : String(error);
          this.log(`error, restarting from the stored checkpoint: ${this.lastError}`);
          this.changed();
          await this.releaseLock();
          if (!this.stopping) await sleep(500);
        }
      }
    }
    await this.releaseLock();
  }

  /** Takes the projection's advisory lock on a connection of its own (session locks die with it). */
  private async acquireLock(): Promise<boolean> {
    const connection = this.dataSource.createQueryRunner();
    let locked: boolean;
    try {
      await connection.connect();
      [{ locked }] = await connection.query('SELECT pg_try_advisory_lock(hashtextextended($1, 0)) AS locked', [projectionLockKey(this.projection.name)]);
    } catch (error) {
      // E.g. the server going away between connecting and asking: give the connection back,
      // or every failed attempt keeps one of the pool's few connections checked out for good.
      await connection.release().catch(() => undefined);
      throw error;
    }
    if (!locked) {
      await connection.release();
      return false;
    }
    this.lockConnection = connection;
    this.lockLost = false;
    return true;
  }

  private async releaseLock(): Promise<void> {
    const connection = this.lockConnection;
    this.lockConnection = undefined;
    if (!connection) return;
    await connection.query('SELECT pg_advisory_unlock(hashtextextended($1, 0))', [projectionLockKey(this.projection.name)]).catch(() => undefined);
    await connection.release().catch(() => undefined);
  }

  private async consume(): Promise<void> {
    await ensureCheckpoint(this.dataSource, this.projection.name);
    this.position = await readCheckpoint(this.dataSource, this.projection.name);
    this.log(`running from position ${this.position}`);
    const batchSize = this.options.batchSize ?? 500;
    const maxBatchSize = Math.max(batchSize, this.options.maxBatchSize ?? (this.options.batchSize === undefined ? 5000 : batchSize));
    const subscription = this.store.subscribeToAll({
      fromPosition: this.position,
      filter: this.projection.filter,
      batchSize,
    });
    this.subscription = subscription;
    // A rebuild elsewhere resets the checkpoint; notice it even while idle.
    const watchdog = setInterval(() => {
      const expected = this.position;
      void readCheckpoint(this.dataSource, this.projection.name)
        .then((stored) => {
          if (stored !== expected && this.position === expected && !this.flushing) void subscription.close();
        })
        .catch(() => undefined);
      void this.lockConnection?.query('SELECT 1').catch(() => {
        this.lockLost = true;
        void subscription.close();
      });
    }, this.options.checkpointCheckMs ?? 1000);
    // Batches are applied one after the other, in log order, each checking the checkpoint the
    // previous one committed; meanwhile reading goes on, up to READ_AHEAD_BATCHES batches ahead,
    // so the next pages are parsed while PostgreSQL writes a batch. A failed batch fails every
    // batch chained after it without applying it.
    const queued: Promise<void>[] = [];
    let failed = false;
    let scheduledTo = this.position;
    const settled = () => Promise.all(queued).then(() => undefined);
    const schedule = async (events: RecordedEvent[], to: bigint) => {
      while (queued.length >= READ_AHEAD_BATCHES) await queued[0];
      scheduledTo = to;
      const previous = queued[queued.length - 1] ?? Promise.resolve();
      const flush = previous.then(() => this.flush(events, to));
      queued.push(flush);
      flush.then(
        () => void queued.splice(queued.indexOf(flush), 1),
        () => {
          failed = true;
        },
      );
    };
    try {
      let batch: RecordedEvent[] = [];
      let limit = batchSize;
      for await (const message of subscription) {
        if (failed) await settled();
        if (message.kind === 'event') {
          batch.push(message.event);
          if (batch.length >= limit) {
            await schedule(batch, message.event.globalPosition);
            batch = [];
            limit = Math.min(maxBatchSize, limit * 2);
          }
        } else {
          const last = batch.length ? batch[batch.length - 1].globalPosition : message.position;
          const target = message.position > last ? message.position : last;
          if (batch.length || target > scheduledTo) await schedule(batch, target);
          batch = [];
          limit = batchSize;
          // Caught up: nothing to read ahead, so settle now.
          await settled();
        }
        if (this.stopping) break;
      }
      await settled();
    } finally {
      clearInterval(watchdog);
      await settled().catch(() => undefined);
      await subscription.close();
      this.subscription = undefined;
    }
  }

  private flushing = false;

  private async flush(events: RecordedEvent[], to: bigint): Promise<void> {
    this.flushing = true;
    try {
      await this.dataSource.transaction(async (manager) => {
        const rows: Array<{ position: string }> = await manager.query('SELECT position FROM projections.checkpoints WHERE name = $1 FOR UPDATE', [
          this.projection.name,
        ]);
        if (!rows.length || BigInt(rows[0].position) !== this.position) throw new CheckpointMovedError();
        if (events.length) await this.projection.apply(events, manager);
        await manager.query('UPDATE projections.checkpoints SET position = $2, updated_at = now() WHERE name = $1', [this.projection.name, to.toString()]);
      });
      // Before anyone waiting on the runner hears of it: in-process readers act on the commit first.
      if (events.length) this.projection.committed?.();
      this.position = to;
      this.applied += events.length;
      this.lastError = undefined;
      this.changed();
    } finally {
      this.flushing = false;
    }
  }
}

export async function ensureCheckpoint(dataSource: DataSource, name: string): Promise<void> {
  await dataSource.query('INSERT INTO projections.checkpoints (name) VALUES ($1) ON CONFLICT (name) DO NOTHING', [name]);
}

export async function readCheckpoint(dataSource: DataSource, name: string): Promise<bigint> {
  const rows: Array<{ position: string }> = await dataSource.query('SELECT position FROM projections.checkpoints WHERE name = $1', [name]);
  return rows.length ? BigInt(rows[0].position) : 0n;
}
