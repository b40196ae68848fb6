import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { randomUUID } from 'node:crypto';
import { readAppConfig } from '@familievedtak/database';
import { TRONDHEIM_2023_RULE_SET } from '@familievedtak/domain';
import { PostgresEventStore, type JsonObject } from '@familievedtak/event-store';
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

type Row = {
  stream_id: string;
  revision: number;
  type: string;
  data: { version: number; by: unknown; effectiveFrom?: string; delegationDecision?: unknown };
  metadata: Record<string, unknown>;
};

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
        // The alternatives are version 2: their version 1 was outside the law (issue 13).
        { ruleSetId: 'family-decision', versions: [expect.objectContaining({ version: 2, status: 'draft', effectiveFrom: null, withinLegalLimits: true })] },
        { ruleSetId: 'place-based-team', versions: [expect.objectContaining({ version: 2, status: 'draft', effectiveFrom: null, withinLegalLimits: true })] },
        // Bootstrap: the 2023 rules in force from their own date, on no delegation decision of ours (see README).
        {
          ruleSetId: 'trondheim-2023',
          versions: [expect.objectContaining({ version: 1, status: 'active', effectiveFrom: '2023-01-01', delegationDecision: null, withinLegalLimits: true })],
        },
      ],
      activations: [{ ruleSetId: 'trondheim-2023', version: 1, effectiveFrom: '2023-01-01' }],
    });
    // The stored document is the shipped text, under the version it names.
    const stored = (await get(first, '/rule-sets/family-decision')).json().versions[0];
    expect(stored).toMatchObject({
      version: 2,
      document: document('family-decision'),
      format: 'yaml',
      draftedBy: 'familievedtak-bootstrap',
      ruleSet: { version: 2 },
      legalLimitBreaches: [],
    });
  });

  it('records them as events of the system actor, with the command envelope of any rule-set command', async () => {
    const system = { userId: 'familievedtak-bootstrap', role: 'system', unit: null, partnerOrganisation: null };
    expect(
      (await events()).map((e) => [e.stream_id, e.revision, e.type, e.data.version, e.data.by, e.data.effectiveFrom ?? null, e.data.delegationDecision]),
    ).toEqual([
      ['ruleset-trondheim-2023', 0, 'RuleSetDrafted', 1, system, null, undefined],
      // The only activation without a delegation decision: the system's, into an empty stream.
      ['ruleset-trondheim-2023', 1, 'RuleSetActivated', 1, system, '2023-01-01', null],
      ['ruleset-family-decision', 0, 'RuleSetDrafted', 2, system, null, undefined],
      ['ruleset-place-based-team', 0, 'RuleSetDrafted', 2, system, null, undefined],
    ]);
    for (const e of await events()) {
      expect(e.metadata).toMatchObject({
        commandType: 'LoadShippedRuleSet',
        actor: system,
        correlationId: 'familievedtak-bootstrap:shipped-rule-sets',
        idempotencyKey: `shipped:${e.stream_id.slice('ruleset-'.length)}@v${e.data.version}`,
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

  it('a store from before the legal limits: the old unlawful version stays as it was but cannot be activated; the lawful one joins it; an old activation reads no decision', async () => {
    const old = await createTestDatabase(10);
    try {
      const store = new PostgresEventStore({ pool: old.pool, pollIntervalMs: 10 });
      await store.migrate();
      const leader = { userId: 'hvk-leder', role: 'unit-leader', unit: 'HVK', partnerOrganisation: null };
      const stamp = (at: string, by: JsonObject) => ({ at, by });
      // Version 1 of the family-decision alternative let the coordinating unit decide social assistance.
      const unlawful = {
        id: 'family-decision',
        version: 1,
        name: 'Old alternative',
        effectiveFrom: '2026-01-01',
        rules: [
          {
            id: 'coordinating-unit-economic-social-assistance',
            decisionType: 'economic-social-assistance',
            units: [],
            deciders: [{ kind: 'coordinating-unit' }],
            members: {},
            family: { hasCoordinatingUnit: true },
            fourEyes: true,
            bundlable: true,
          },
        ],
      };
      await store.appendToStream(
        'ruleset-family-decision',
        [
          {
            id: randomUUID(),
            type: 'RuleSetDrafted',
            data: {
              ruleSetId: 'family-decision',
              version: 1,
              document: 'id: family-decision',
              format: 'yaml',
              ruleSet: unlawful,
              ...stamp('2025-06-01T08:00:00.000Z', { userId: 'rules-ragnhild', role: 'rules-analyst' }),
            },
          },
        ],
        { expectedRevision: 'no_stream' },
      );
      const baseline = JSON.parse(JSON.stringify(TRONDHEIM_2023_RULE_SET)) as JsonObject;
      await store.appendToStream(
        'ruleset-trondheim-2023',
        [
          {
            id: randomUUID(),
            type: 'RuleSetDrafted',
            data: {
              ruleSetId: 'trondheim-2023',
              version: 1,
              document: document('trondheim-2023'),
              format: 'yaml',
              ruleSet: baseline,
              ...stamp('2025-06-01T08:00:00.000Z', { userId: 'rules-ragnhild', role: 'rules-analyst' }),
            },
          },
          // Activated by a unit leader, as the API allowed then: no delegation decision recorded.
          {
            id: randomUUID(),
            type: 'RuleSetActivated',
            data: { ruleSetId: 'trondheim-2023', version: 1, effectiveFrom: '2023-01-01', ...stamp('2025-06-02T08:00:00.000Z', leader) },
          },
        ],
        { expectedRevision: 'no_stream' },
      );
      const app = await start(old);
      try {
        const familyDecision = (await get(app, '/rule-sets/family-decision')).json();
        expect(familyDecision.versions).toEqual([
          // Any unit but NAV may be a coordinating unit: four breaches.
          expect.objectContaining({
            version: 1,
            status: 'draft',
            legalLimitBreaches: ['HVK', 'BFT', 'INN', 'OPPVEKST'].map((unit) =>
              expect.objectContaining({ ruleId: 'coordinating-unit-economic-social-assistance', unit, provision: 'NAV-loven § 13; sosialtjenesteloven § 3' }),
            ),
          }),
          expect.objectContaining({ version: 2, status: 'draft', legalLimitBreaches: [], draftedBy: 'familievedtak-bootstrap' }),
        ]);
        const { rows: before } = await old.pool.query('SELECT count(*)::int AS n FROM event_store.events');
        const activated = await app
          .getHttpAdapter()
          .getInstance()
          .inject({
            method: 'POST',
            url: '/rule-sets/family-decision/activate',
            headers: headersFor({ userId: 'kd-kristin', role: 'delegation-authority' }),
            payload: { version: 1, effectiveFrom: '2099-01-01', delegationDecision: { body: 'kommunestyret', decidedOn: '2026-01-15', caseNumber: '2026/1' } },
          });
        expect([activated.statusCode, activated.json().code]).toEqual([422, 'RULE_OUTSIDE_LEGAL_LIMITS']);
        const { rows: after } = await old.pool.query('SELECT count(*)::int AS n FROM event_store.events');
        expect(after[0].n).toBe(before[0].n);
        const trondheim = (await get(app, '/rule-sets/trondheim-2023')).json();
        expect(trondheim.versions).toEqual([expect.objectContaining({ version: 1, status: 'active', effectiveFrom: '2023-01-01', delegationDecision: null })]);
      } finally {
        await app.close();
      }
    } finally {
      await old.drop();
    }
  });

  it('drafting a shipped document again is its stored version: 200, nothing appended', async () => {
    const before = (await events()).length;
    const response = await first
      .getHttpAdapter()
      .getInstance()
      .inject({
        method: 'POST',
        url: '/rule-sets',
        headers: { ...analyst, 'content-type': 'application/yaml' },
        payload: document('place-based-team'),
      });
    expect(response.statusCode).toBe(200);
    expect(response.json()).toMatchObject({ ruleSetId: 'place-based-team', version: 2, replayed: true, events: [] });
    expect((await events()).length).toBe(before);
  });
});
