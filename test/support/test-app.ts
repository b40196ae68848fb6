import { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { LightMyRequestResponse as InjectResponse } from 'fastify';
import { readAppConfig } from '@familievedtak/database';
import { createApp } from '../../apps/api/src/create-app';
import { createTestDatabase, TestDatabase } from './test-database';

export type Headers = Record<string, string>;

export interface TestApp {
  app: NestFastifyApplication;
  db: TestDatabase;
  inject(method: 'GET' | 'POST' | 'PUT', url: string, headers: Headers, payload?: unknown): Promise<InjectResponse>;
  /** Events in the whole store: tests compare it before and after a refused request. */
  eventCount(): Promise<number>;
  close(): Promise<void>;
}

/** The real API on a fresh database, driven through Fastify's inject (no port needed). */
export async function createTestApp(options: { runProjections?: boolean; poolSize?: number } = {}): Promise<TestApp> {
  const db = await createTestDatabase(options.poolSize ?? 20);
  const app = await createApp(readAppConfig(db.url, { RUN_PROJECTIONS: options.runProjections ? 'true' : 'false' }), false);
  await app.init();
  const fastify = app.getHttpAdapter().getInstance();
  await fastify.ready();
  return {
    app,
    db,
    inject: (method, url, headers, payload) => fastify.inject({ method, url, headers, payload: payload as object }),
    eventCount: async () => Number((await db.pool.query('SELECT count(*) AS n FROM event_store.events')).rows[0].n),
    close: async () => {
      await app.close();
      await db.drop();
    },
  };
}
