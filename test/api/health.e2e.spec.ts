import { randomUUID } from 'node:crypto';
import { NestFastifyApplication } from '@nestjs/platform-fastify';
import { readAppConfig } from '@familievedtak/database';
import { EVENT_STORE, EventStore } from '@familievedtak/event-store';
import { createApp } from '../../apps/api/src/create-app';
import { createTestDatabase, TestDatabase } from '../support/test-database';

describe('API: /health and OpenAPI (PostgreSQL)', () => {
  let db: TestDatabase;
  let app: NestFastifyApplication;
  let store: EventStore;

  beforeAll(async () => {
    db = await createTestDatabase();
    app = await createApp(readAppConfig(db.url, { RUN_PROJECTIONS: 'false' }), false);
    await app.init();
    await app.getHttpAdapter().getInstance().ready();
    store = app.get(EVENT_STORE);
  });
  afterAll(async () => {
    await app.close();
    await db.drop();
  });

  const get = (url: string) => app.getHttpAdapter().getInstance().inject({ method: 'GET', url });

  it('reports database, event store and projection lag', async () => {
    await store.appendToStream(`family-${randomUUID()}`, [{ id: randomUUID(), type: 'FamilyRegistered', data: {} }]);
    await store.appendToStream(`family-${randomUUID()}`, [{ id: randomUUID(), type: 'FamilyRegistered', data: {} }]);
    const response = await get('/health');
    expect(response.statusCode).toBe(200);
    const body = response.json();
    expect(body).toMatchObject({
      status: 'ok',
      database: { ok: true },
      eventStore: { kind: 'postgres', ok: true, headPosition: (await store.headPosition()).toString() },
    });
    // This instance was told not to run projections, so the catalogue is 2 events behind.
    expect(body.projections).toEqual([{ name: 'stream-catalogue', state: 'stopped', checkpoint: '0', lag: 2 }]);
  });

  it('serves the OpenAPI document and its UI', async () => {
    const json = await get('/docs-json');
    expect(json.statusCode).toBe(200);
    expect(Object.keys(json.json().paths)).toContain('/health');
    const ui = await get('/docs');
    expect(ui.statusCode).toBe(200);
    expect(ui.headers['content-type']).toContain('text/html');
  });
});
