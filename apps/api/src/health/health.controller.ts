import { Controller, Get, Inject, Res } from '@nestjs/common';
import { ApiExtraModels, ApiTags, getSchemaPath } from '@nestjs/swagger';
import { APP_CONFIG, AppConfig, PG_POOL } from '@familievedtak/database';
import { EVENT_STORE, EventStore } from '@familievedtak/event-store';
import { Projection, ProjectionDaemon, PROJECTIONS } from '@familievedtak/projections';
import type { FastifyReply } from 'fastify';
import { Pool } from 'pg';
import { Public } from '../auth/public.decorator';
import { DATABASE_RETRY_AFTER_SECONDS, describeDatabaseError } from '../shared/database-unavailable';
import { ProblemDetailsDto } from '../shared/openapi/problem-details.dto';
import { HealthReport, LivenessReport, ReadinessChecksDto, ReadinessReport } from './health.report';
import { ProbeRoute } from './probe-route.decorator';
import { notReadyReasons, projectionReady, READY_CHECK_TIMEOUT_MS, ReadinessChecks, withTimeout } from './readiness';

const timed = async <T>(work: () => Promise<T>): Promise<{ value?: T; ms: number; error?: string }> => {
  const start = performance.now();
  try {
    const value = await work();
    return { value, ms: Math.round((performance.now() - start) * 10) / 10 };
  } catch (error) {
    // /health is public: the error is named by its code only (no host, port or SQL).
    return { ms: Math.round(performance.now() - start), error: describeDatabaseError(error) };
  }
};

@ApiTags('health')
@ApiExtraModels(HealthReport, ReadinessChecksDto)
@Controller('health')
export class HealthController {
  constructor(
    @Inject(PG_POOL) private readonly pool: Pool,
    @Inject(EVENT_STORE) private readonly store: EventStore,
    private readonly projections: ProjectionDaemon,
    @Inject(PROJECTIONS) private readonly projectionList: Projection[],
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /**
   * Liveness: the process is up and its event loop answers. Touches no database, so a database
   * outage never gets a healthy process restarted. Outside the rate limit, like every /health route.
   */
  @Get('live')
  @Public()
  @ProbeRoute('getLiveness', 'Liveness: the process answers (touches no database)', { description: 'The process is up', type: LivenessReport })
  live(): { status: 'ok' } {
    return { status: 'ok' };
  }

  /**
   * Readiness: whether to send this instance traffic (see readiness.ts for what it checks).
   * 200 with the checks; 503 problem details (code NOT_READY, Retry-After) naming what is not.
   */
  @Get('ready')
  @Public()
  @ProbeRoute(
    'getReadiness',
    'Readiness: whether to send this instance traffic (database, event store, projection runners; not lag)',
    { description: 'Ready, with the checks', type: ReadinessReport },
    {
      description: 'Not ready: the detail names each failing check (Retry-After)',
      codes: ['NOT_READY'],
      schema: {
        allOf: [
          { $ref: getSchemaPath(ProblemDetailsDto) },
          { type: 'object', properties: { code: { type: 'string', enum: ['NOT_READY'] } } },
          { $ref: getSchemaPath(ReadinessChecksDto) },
        ],
      },
    },
  )
  async ready(@Res({ passthrough: true }) reply: FastifyReply): Promise<object> {
    const [database, head] = await Promise.all([
      timed(() => withTimeout(this.pool.query('SELECT 1'), READY_CHECK_TIMEOUT_MS, 'the database')),
      timed(() => withTimeout(this.store.headPosition(), READY_CHECK_TIMEOUT_MS, 'the event store')),
    ]);
    const runsProjections = this.config.runProjections;
    const checks: ReadinessChecks = {
      database: { ok: !database.error, error: database.error },
      eventStore: { kind: this.store.kind, ok: !head.error, error: head.error },
      runsProjections,
      projections: this.projectionList.map(({ name }) => {
        const state = this.projections.runner(name)?.status().state ?? 'stopped';
        return { name, state, ok: projectionReady(state, runsProjections) };
      }),
    };
    const reasons = notReadyReasons(checks);
    if (reasons.length === 0) return { status: 'ready', ...checks };
    void reply.status(503).header('content-type', 'application/problem+json').header('retry-after', String(DATABASE_RETRY_AFTER_SECONDS));
    return {
      type: 'urn:familievedtak:problem:not-ready',
      title: 'Service Unavailable',
      status: 503,
      detail: `Not ready: ${reasons.join('; ')}.`,
      code: 'NOT_READY',
      instance: '/health/ready',
      ...checks,
    };
  }

  @Get()
  @Public()
  @ProbeRoute(
    'getHealth',
    'Database, event store and projection lag; 503 when a dependency is down',
    { description: 'Every dependency answers', type: HealthReport },
    { description: 'The database or the event store does not answer: the same report, naming which', schema: { $ref: getSchemaPath(HealthReport) } },
  )
  async health(@Res({ passthrough: true }) reply: FastifyReply): Promise<HealthReport> {
    const [database, head, projections] = await Promise.all([
      timed(() => this.pool.query('SELECT 1')),
      timed(() => this.store.headPosition()),
      this.projections.health().catch(() => []),
    ]);
    const ok = !database.error && !head.error;
    reply.status(ok ? 200 : 503);
    return {
      status: ok ? 'ok' : 'unavailable',
      database: { ok: !database.error, latencyMs: database.ms, error: database.error },
      eventStore: { kind: this.store.kind, ok: !head.error, headPosition: head.value?.toString() ?? null, error: head.error },
      projections: projections.map((p) => ({ name: p.name, state: p.state, checkpoint: p.checkpoint, lag: p.lag, lastError: p.lastError })),
    };
  }
}
