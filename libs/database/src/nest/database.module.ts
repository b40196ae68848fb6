import { DynamicModule, Global, Inject, Logger, Module, OnApplicationShutdown } from '@nestjs/common';
import { Pool } from 'pg';
import { APP_CONFIG, AppConfig } from '../app-config';

export const PG_POOL = Symbol('PG_POOL');

/** The configuration and one pg pool for the process (the event store and raw SQL use it). */
@Global()
@Module({})
export class DatabaseModule implements OnApplicationShutdown {
  constructor(@Inject(PG_POOL) private readonly pool: Pool) {}

  static forRoot(config: AppConfig): DynamicModule {
    return {
      module: DatabaseModule,
      providers: [
        { provide: APP_CONFIG, useValue: config },
        { provide: PG_POOL, useFactory: () => createPool(config.databaseUrl) },
      ],
      exports: [APP_CONFIG, PG_POOL],
    };
  }

  async onApplicationShutdown(): Promise<void> {
    await this.pool.end();
  }
}

/**
 * An idle connection the server ends (a restart, a failover, an administrator) makes the pool
 * emit 'error'; unheard, that would end the process. The pool drops the connection and opens
 * a new one for the next query, so a warning is all it takes.
 */
export function createPool(connectionString: string, max = 20): Pool {
  const pool = new Pool({ connectionString, max });
  const logger = new Logger('database');
  pool.on('error', (error) => logger.warn(`an idle database connection was closed: ${error.message}`));
  return pool;
}
