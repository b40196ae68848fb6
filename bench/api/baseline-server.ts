/**
 * The baseline of the API load bench, run as its own process: a bare NestJS app on Fastify
 * with one route, GET /baseline/:id, doing one primary-key read of the family view
 * (FAMILY_STATE_SQL: the family's revision and its whole state, assembled as the API reads it)
 * through a pg pool of the API's size. No auth, no read audit, no validation pipe, no logging.
 * Env: DATABASE_URL, PORT, POOL_SIZE (20, as the API's pool).
 */
import 'reflect-metadata';
import { Controller, Get, Inject, Module, NotFoundException, Param } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, NestFastifyApplication } from '@nestjs/platform-fastify';
import { Pool } from 'pg';
// The state-store module alone (not the projections package): the baseline stays a bare app.
import { FAMILY_STATE_SQL } from '../../libs/projections/src/family-view/family-view.state-store';

const POOL = Symbol('POOL');

@Controller('baseline')
class BaselineController {
  constructor(@Inject(POOL) private readonly pool: Pool) {}

  @Get(':id')
  async read(@Param('id') id: string) {
    const { rows } = await this.pool.query(FAMILY_STATE_SQL, [id]);
    if (!rows.length) throw new NotFoundException();
    return rows[0];
  }
}

@Module({
  controllers: [BaselineController],
  providers: [{ provide: POOL, useFactory: () => new Pool({ connectionString: process.env.DATABASE_URL, max: Number(process.env.POOL_SIZE ?? 20) }) }],
})
class BaselineModule {}

async function main(): Promise<void> {
  const app = await NestFactory.create<NestFastifyApplication>(BaselineModule, new FastifyAdapter(), { logger: ['error'] });
  await app.listen({ port: Number(process.env.PORT ?? 3100), host: '127.0.0.1' });
  process.send?.({ ready: true });
  process.once('SIGTERM', () => void app.close().then(() => process.exit(0)));
}

main().catch((error) => {
  process.stderr.write(`${error instanceof Error ? error.stack : error}\n`);
  process.exit(1);
});
