import { Inject, Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { APP_CONFIG, AppConfig } from '@familievedtak/database';
import { EVENT_STORE, EventStore } from '@familievedtak/event-store';
import { DataSource } from 'typeorm';
import { Projection, PROJECTIONS } from '../projection';
import { ProjectionRunner, ProjectionStatus } from '../projection-runner';
import { runReadModelMigrations } from '../read-model-migrations';
import { guardCheckedOutConnections } from '../connection-errors';

export interface ProjectionHealth extends ProjectionStatus {
  /** Events behind the head of the log, or null if it could not be measured. */
  lag: number | null;
}

/**
 * Migrates the read models at start-up and runs every projection. Each instance starts a
 * runner per projection; the advisory lock makes exactly one of them active, the others
 * stand by to take over.
 */
@Injectable()
export class ProjectionDaemon implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(ProjectionDaemon.name);
  private readonly runners: ProjectionRunner[];

  constructor(
    private readonly dataSource: DataSource,
    @Inject(EVENT_STORE) store: EventStore,
    @Inject(PROJECTIONS) projections: Projection[],
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {
    // Before any connection is checked out: a database restart must not end the process.
    guardCheckedOutConnections(dataSource, (m) => this.logger.warn(m));
    const batchSize = projectionBatchSize(process.env);
    this.runners = projections.map((p) => new ProjectionRunner(dataSource, store, p, { batchSize, log: (m) => this.logger.log(m) }));
  }

  async onApplicationBootstrap(): Promise<void> {
    const applied = await runReadModelMigrations(this.dataSource);
    if (applied.length) this.logger.log(`read-model migrations applied: ${applied.join(', ')}`);
    if (this.config.runProjections) for (const runner of this.runners) runner.start();
  }

  async onApplicationShutdown(): Promise<void> {
    await Promise.all(this.runners.map((r) => r.stop()));
  }

  runner(name: string): ProjectionRunner | undefined {
    return this.runners.find((r) => r.projection.name === name);
  }

  async health(): Promise<ProjectionHealth[]> {
    return Promise.all(this.runners.map(async (runner) => ({ ...runner.status(), lag: await runner.lag().catch(() => null) })));
  }
}

/** PROJECTION_BATCH_SIZE: most events per read-model transaction (default 500; small in the fault tests). */
export function projectionBatchSize(env: NodeJS.ProcessEnv): number | undefined {
  const value = env.PROJECTION_BATCH_SIZE?.trim();
  if (!value) return undefined;
  const n = Number(value);
  if (!Number.isSafeInteger(n) || n < 1) throw new Error(`PROJECTION_BATCH_SIZE must be a whole number of 1 or more, not "${value}"`);
  return n;
}
