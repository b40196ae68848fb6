/**
 * The baseline of the API load bench, run as its own process: a bare NestJS app on Fastify
 * with one route, GET /baseline/:id, doing one primary-key read of the family view
 * (`SELECT family_id, revision, state FROM read_models.family_view WHERE family_id = $1`)
 * through a pg pool of the API's size. No auth, no read audit, no validation pipe, no logging.
 * Env: DATABASE_URL, PORT, POOL_SIZE (20, as the API's pool).
 */
import 'reflect-metadata';
import { Controller, Get, Inject, Module, NotFoundException, Param } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, NestFastifyApplication } from '@nestjs/platform-fastify';
import { Pool } from 'pg';

const POOL = Symbol('POOL');

@Controller('baseline')
class BaselineController {
  constructor(@Inject(POOL) private readonly pool: Pool) {}

  @Get(':id')
  async read(@Param('id') id: string) {
    const { rows } = await this.pool.query('SELECT family_id, revision, state FROM read_models.family_view WHERE family_id = $1', [id]);
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
