import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { readAppConfig } from '@familievedtak/database';
import { createApp } from '../../apps/api/src/create-app';
import { RuleSetBootstrap } from '../../apps/api/src/rules/rule-set-bootstrap.service';
import { createTestDatabase, TestDatabase } from '../support/test-database';
import { headersFor, TEST_AUTH } from '../support/test-app';

const analyst = headersFor({ userId: 'rules-ragnhild', role: 'rules-analyst' });
const document = (name: string) => readFileSync(join(__dirname, '../../libs/rules/rule-sets', `${name}.yaml`), 'utf8');

/** An API instance on an existing database (a restart, or a second instance). */
async function start(db: TestDatabase): Promise<NestFastifyApplication> {
  const app = await createApp(readAppConfig(db.url, { RUN_PROJECTIONS: 'false', RATE_LIMIT_PER_MINUTE: '1000000' }), TEST_AUTH, false);
  await app.init();
  await app.getHttpAdapter().getInstance().ready();
  return app;
}

const get = (app: NestFastifyApplication, url: string) => app.getHttpAdapter().getInstance().inject({ method: 'GET', url, headers: analyst });

type Row = { stream_id: string; revision: number; type: string; data: { version: number; by: unknown; effectiveFrom?: string }; metadata: Record<string, unknown> };

describe('API: the shipped rule sets are loaded on first start (PostgreSQL)', () => {
  let db: TestDatabase;
  let first: NestFastifyApplication;
  const events = async () =>
    (await db.pool.query<Row>(`SELECT stream_id, revision::int AS revision, type, data, metadata FROM event_store.events ORDER BY global_position`)).rows;

  beforeAll(async () => {
    db = await createTestDatabase(10);
    first = await start(db);
  });
  afterAll(async () => {
    await first.close();
    await db.drop();
  });

  it('a fresh instance lists them: the 2023 rules active from their date, the alternatives as drafts', async () => {
    const listing = await get(first, '/rule-sets');
    expect(listing.statusCode).toBe(200);
    expect(listing.json()).toEqual({
      ruleSets: [
        { ruleSetId: 'family-decision', versions: [expect.objectContaining({ version: 1, status: 'draft', effectiveFrom: null })] },
        { ruleSetId: 'place-based-team', versions: [expect.objectContaining({ version: 1, status: 'draft', effectiveFrom: null })] },
        { ruleSetId: 'trondheim-2023', versions: [expect.objectContaining({ version: 1, status: 'active', effectiveFrom: '2023-01-01' })] },
      ],
      activations: [{ ruleSetId: 'trondheim-2023', version: 1, effectiveFrom: '2023-01-01' }],
    });
    // The stored document is the shipped text, under the version it names.
    const stored = (await get(first, '/rule-sets/family-decision')).json().versions[0];
    expect(stored).toMatchObject({ version: 1, document: document('family-decision'), format: 'yaml', draftedBy: 'familievedtak-bootstrap', ruleSet: { version: 1 } });
  });

  it('records them as events of the system actor, with the command envelope of any rule-set command', async () => {
    const system = { userId: 'familievedtak-bootstrap', role: 'system', unit: null, partnerOrganisation: null };
    expect((await events()).map((e) => [e.stream_id, e.revision, e.type, e.data.version, e.data.by, e.data.effectiveFrom ?? null])).toEqual([
      ['ruleset-trondheim-2023', 0, 'RuleSetDrafted', 1, system, null],
      ['ruleset-trondheim-2023', 1, 'RuleSetActivated', 1, system, '2023-01-01'],
      ['ruleset-family-decision', 0, 'RuleSetDrafted', 1, system, null],
      ['ruleset-place-based-team', 0, 'RuleSetDrafted', 1, system, null],
    ]);
    for (const e of await events()) {
      expect(e.metadata).toMatchObject({
        commandType: 'LoadShippedRuleSet',
        actor: system,
        correlationId: 'familievedtak-bootstrap:shipped-rule-sets',
        idempotencyKey: `shipped:${e.stream_id.slice('ruleset-'.length)}@v1`,
      });
    }
  });

  it('a restart, and two instances starting at once, add nothing', async () => {
    const before = await events();
    const restarted = await start(db);
    const [a, b] = await Promise.all([start(db), start(db)]);
    // And the loader run again by hand, twice at once, on a running instance.
    const loaded = await Promise.all([restarted.get(RuleSetBootstrap).loadShipped(), a.get(RuleSetBootstrap).loadShipped()]);
    expect(loaded).toEqual([0, 0]);
    await Promise.all([restarted.close(), a.close(), b.close()]);
    expect(await events()).toEqual(before);
  });

  it('two instances starting at once on an empty store load each event once', async () => {
    const fresh = await createTestDatabase(10);
    try {
      const apps = await Promise.all([start(fresh), start(fresh), start(fresh)]);
      const { rows } = await fresh.pool.query<{ stream_id: string; n: number }>(
        `SELECT stream_id, count(*)::int AS n FROM event_store.events GROUP BY stream_id ORDER BY stream_id`,
      );
      expect(rows).toEqual([
        { stream_id: 'ruleset-family-decision', n: 1 },
        { stream_id: 'ruleset-place-based-team', n: 1 },
        { stream_id: 'ruleset-trondheim-2023', n: 2 },
      ]);
      await Promise.all(apps.map((app) => app.close()));
    } finally {
      await fresh.drop();
    }
  });

  it('drafting a shipped document again is its stored version: 200, nothing appended', async () => {
    const before = (await events()).length;
    const response = await first.getHttpAdapter().getInstance().inject({
      method: 'POST',
      url: '/rule-sets',
      headers: { ...analyst, 'content-type': 'application/yaml' },
      payload: document('place-based-team'),
    });
    expect(response.statusCode).toBe(200);
    expect(response.json()).toMatchObject({ ruleSetId: 'place-based-team', version: 1, replayed: true, events: [] });
    expect((await events()).length).toBe(before);
  });
});
