import { Module } from '@nestjs/common';
import { FamiliesModule } from '../families/families.module';
import { clockProvider } from '../shared/clock.provider';
import { ArchiveExports } from './archive-export.service';
import { ArchiveExportsController } from './archive-exports.controller';
import { ErasureRequestsController } from './erasure-requests.controller';
import { ErasureRequests } from './erasure-requests.service';
import { RetentionController } from './retention.controller';
import { RetentionJob } from './retention-job.service';
import { RetentionScheduler } from './retention-scheduler.service';
import { RetentionSchedules } from './retention-schedules.service';

/**
 * Retention and erasure (docs/operations/retention-and-erasure.md): the adopted schedules, the
 * retention job, erasure on request and the archive export. Family commands go through the
 * families' one command path (FamiliesModule). Also used by the CLI (without the scheduler).
 */
@Module({
  imports: [FamiliesModule],
  controllers: [RetentionController, ErasureRequestsController, ArchiveExportsController],
  providers: [RetentionSchedules, RetentionJob, ErasureRequests, ArchiveExports, clockProvider],
  exports: [RetentionSchedules, RetentionJob, ErasureRequests, ArchiveExports],
})
export class RetentionModule {}

/** The retention routes with the API's optional timer (RETENTION_JOB_INTERVAL_MS); the CLI builds the services itself, without a timer. */
@Module({
  imports: [RetentionModule],
  providers: [RetentionScheduler],
})
export class RetentionSchedulerModule {}
