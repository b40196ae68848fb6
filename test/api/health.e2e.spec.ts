import { randomUUID } from 'node:crypto';
import { EVENT_STORE, EventStore } from '@familievedtak/event-store';
import { createTestApp, TestApp } from '../support/test-app';

describe('API: /health and OpenAPI (PostgreSQL)', () => {
  let api: TestApp;
  let store: EventStore;

  beforeAll(async () => {
    api = await createTestApp();
    store = api.app.get(EVENT_STORE);
  });
  afterAll(() => api.close());

  const get = (url: string) => api.inject('GET', url, {});

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
    // This instance was told not to run projections, so each is 2 events behind; the stream
    // catalogue also has the 4 events of the shipped rule sets loaded at start-up to catch up on.
    expect(body.projections).toContainEqual({ name: 'stream-catalogue', state: 'stopped', checkpoint: '0', lag: 2 + 4 });
    expect(body.projections).toContainEqual({ name: 'family-view', state: 'stopped', checkpoint: '0', lag: 2 });
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
