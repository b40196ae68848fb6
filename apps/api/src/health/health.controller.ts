import { Controller, Get, Inject, Res } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiServiceUnavailableResponse, ApiTags } from '@nestjs/swagger';
import { ApiRoute } from '../shared/openapi/api-route.decorator';
import { PG_POOL } from '@familievedtak/database';
import { EVENT_STORE, EventStore } from '@familievedtak/event-store';
import { ProjectionDaemon } from '@familievedtak/projections';
import type { FastifyReply } from 'fastify';
import { Pool } from 'pg';
import { Public } from '../auth/public.decorator';
import { describeDatabaseError } from '../shared/database-unavailable';
import { HealthReport } from './health.report';

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
@Controller('health')
export class HealthController {
  constructor(
    @Inject(PG_POOL) private readonly pool: Pool,
    @Inject(EVENT_STORE) private readonly store: EventStore,
    private readonly projections: ProjectionDaemon,
  ) {}

  @Get()
  @Public()
  @ApiOperation({ summary: 'Database, event store and projection lag; 503 when a dependency is down' })
  @ApiOkResponse({ type: HealthReport })
  @ApiServiceUnavailableResponse({ type: HealthReport })
  @ApiRoute('getHealth', { status: 200, type: HealthReport, description: 'Every dependency answers' }, { isPublic: true, ownUnavailableBody: true })
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
