import { Body, Controller, Get, Inject, Post, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { localDateOf, requireRole, type Actor } from '@familievedtak/domain';
import type { Clock } from '@familievedtak/event-store';
import type { FastifyReply } from 'fastify';
import { CurrentActor } from '../shared/actor.decorator';
import { CLOCK } from '../shared/clock.provider';
import { ApiRoute } from '../shared/openapi/api-route.decorator';
import { ApiBodyExample, REQUEST_EXAMPLES } from '../shared/openapi/examples';
import { RetentionRunDto, RetentionRunRequestDto, RetentionRunsDto, RetentionScheduleDto } from './retention.dto';
import { RetentionJob } from './retention-job.service';
import { RetentionSchedules } from './retention-schedules.service';

/** The role that runs the job on demand: it acts for the municipality and no unit (see docs/operations/retention-and-erasure.md). */
export const RETENTION_RUNNER = 'delegation-authority';

/**
 * The retention schedule in force and the retention job (docs/operations/retention-and-erasure.md):
 * staff read the schedule; the delegation authority runs the job on demand (it erases only what
 * the adopted schedule makes due, and the domain checks every key again); auditors may ask for
 * the plan (a dry run) and read the recorded runs.
 */
@ApiTags('retention')
@ApiBearerAuth()
@Controller('retention')
export class RetentionController {
  constructor(
    private readonly schedules: RetentionSchedules,
    private readonly job: RetentionJob,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  @Get('schedule')
  @ApiOperation({
    summary:
      'The retention schedule in force today, with every version (id@version, effective date, document hash, when adopted: a shipped version is adopted by the first erasure)',
  })
  @ApiRoute(
    'getRetentionSchedule',
    { status: 200, type: RetentionScheduleDto, description: 'The schedule in force and the adopted versions' },
    { codes: ['RETENTION_SCHEDULE_NOT_ADOPTED'] },
  )
  async schedule(): Promise<RetentionScheduleDto> {
    const asOf = localDateOf(this.clock.now());
    const [inForce, versions] = await Promise.all([this.schedules.inForceOn(asOf), this.schedules.known()]);
    const version = (v: typeof inForce) => ({
      ref: v.ref,
      id: v.schedule.id,
      version: v.schedule.version,
      name: v.schedule.name,
      effectiveFrom: v.schedule.effectiveFrom,
      adopted: v.adoptedAt !== null,
      adoptedAt: v.adoptedAt,
      documentSha256: v.documentSha256,
      inForce: v.ref === inForce.ref,
    });
    return { asOf, inForce: { ...version(inForce), entries: inForce.schedule.entries, document: inForce.document }, versions: versions.map(version) };
  }

  @Post('runs')
  @ApiOperation({
    summary:
      'Run the retention job now (delegation-authority): repair tombstones without their event, erase what the schedule in force makes due in every family (key first, then PersonalDataErased), delete the copies of erased letters, purge the read audit, record the run. { dryRun: true } (also auditors): the plan, nothing stored',
  })
  @ApiRoute(
    'runRetention',
    {
      status: 201,
      type: RetentionRunDto,
      description: 'The run, as recorded in retention-runs',
      also: { status: 200, description: 'A dry run: the plan; nothing stored' },
    },
    { codes: ['ACTION_NOT_PERMITTED', 'RETENTION_RUN_IN_PROGRESS', 'RETENTION_SCHEDULE_NOT_ADOPTED'], body: true },
  )
  @ApiBodyExample(RetentionRunRequestDto, REQUEST_EXAMPLES.runRetention, 'The plan of a run today (nothing stored)')
  async run(@CurrentActor() actor: Actor, @Res({ passthrough: true }) res: FastifyReply, @Body() body: RetentionRunRequestDto) {
    if (body?.dryRun === true) {
      void res.status(200);
      return this.job.plan();
    }
    requireRole(actor, [RETENTION_RUNNER], 'run the retention job (erase what the schedule makes due)');
    return this.job.run({ userId: actor.userId, role: actor.role, via: 'api' });
  }

  @Get('runs')
  @ApiOperation({
    summary:
      'The recorded retention runs (RetentionRunCompleted), newest first: schedule, day, families checked, keys erased per category, read-audit rows purged, by whom',
  })
  @ApiRoute('listRetentionRuns', { status: 200, type: RetentionRunsDto, description: 'The last 50 runs' })
  async runs(): Promise<RetentionRunsDto> {
    return { runs: await this.job.runs(50) };
  }
}
