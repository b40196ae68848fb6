import { Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { RETENTION_JOB_ACTOR } from '@familievedtak/domain';
import { RetentionJob } from './retention-job.service';
import { RetentionRunInProgress } from './retention.errors';

/** The environment setting of the API's own timer: milliseconds between runs, e.g. 86400000 for daily. Unset or 0: no timer. */
export const RETENTION_JOB_INTERVAL_ENV = 'RETENTION_JOB_INTERVAL_MS';
/** Below this a timer would run the job back to back: refused at start. */
export const MIN_RETENTION_JOB_INTERVAL_MS = 100;

/** The interval from the environment, or null for none. Throws for a value that is not a whole number of ms (a typo must not silently switch erasure off). */
export function retentionJobInterval(env: NodeJS.ProcessEnv = process.env): number | null {
  const text = (env[RETENTION_JOB_INTERVAL_ENV] ?? '').trim();
  if (text === '' || text === '0') return null;
  if (!/^\d+$/.test(text) || Number(text) < MIN_RETENTION_JOB_INTERVAL_MS) {
    throw new Error(
      `${RETENTION_JOB_INTERVAL_ENV} must be 0 (off) or a whole number of milliseconds from ${MIN_RETENTION_JOB_INTERVAL_MS}, e.g. 86400000 for daily; got "${text}"`,
    );
  }
  return Number(text);
}

/**
 * The API process's timer for the retention job: when RETENTION_JOB_INTERVAL_MS is set, a run on
 * that interval (the first one interval after start). Erasure cannot be undone, so the timer is opt-in: a deployment
 * sets it (86400000: daily); tests and development leave it off and run the job on demand.
 * A run already in progress elsewhere (another instance, the CLI) is skipped, not queued.
 */
@Injectable()
export class RetentionScheduler implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('retention-job');
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<void> | null = null;

  constructor(private readonly job: RetentionJob) {}

  onApplicationBootstrap(): void {
    const interval = retentionJobInterval();
    if (interval === null) return;
    this.logger.log(`the retention job runs every ${interval} ms (${RETENTION_JOB_INTERVAL_ENV})`);
    this.timer = setInterval(() => void this.tick(), interval);
    this.timer.unref();
  }

  async onApplicationShutdown(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    await this.running;
  }

  private tick(): Promise<void> {
    // One run at a time in this process; the advisory lock keeps other processes out.
    this.running ??= this.job
      .run({ userId: RETENTION_JOB_ACTOR.userId, role: null, via: 'schedule' })
      .then(() => undefined)
      .catch((error: unknown) => {
        if (error instanceof RetentionRunInProgress) this.logger.log('scheduled retention run skipped: another run is in progress');
        else this.logger.error(`scheduled retention run failed: ${error instanceof Error ? error.message : String(error)}`);
      })
      .finally(() => (this.running = null));
    return this.running;
  }
}
