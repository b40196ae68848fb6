import { randomUUID } from 'node:crypto';
import { ProjectionDaemon } from '@familievedtak/projections';
import { registerFamily, send, staff } from '../support/parts';
import { createTestApp, headersFor, type TestApp } from '../support/test-app';
import { clockOf, closeCase, keyRows } from './retention-fixtures';

/**
 * Issue 17, "Done when": a member erased through the API (GDPR art. 17 after the case closed),
 * then no plaintext of that member is left in any column of any table of the database: the log,
 * the key store, the read models, the read audit, the documents, the checkpoints. Every table of
 * every schema but PostgreSQL's own is read whole as text (`SELECT t::text FROM t`), so a table
 * added later is scanned too. The kept member's strings are still found (the scan can see), and
 * verify stays clean (the chain covers the ciphertext).
 *
 * Not seen by a scan: old row versions not yet vacuumed (see docs/operations/personal-data-encryption.md).
 */
const ERASED = { name: 'Quillon Værdalsbråten', words: 'Kjøleskapet til Quillon streiker igjen' };
const DISTINCTIVE = ['Quillon', 'Værdalsbråten', 'Kjøleskapet til Quillon'];
const KEPT = 'Hilde Tverrlien';

const nav = staff('NAV');
const navLeader = staff('NAV', 'unit-leader');

async function tablesHolding(api: TestApp, needle: string): Promise<string[]> {
  const { rows: tables } = await api.db.pool.query<{ schema: string; name: string }>(
    `SELECT table_schema AS schema, table_name AS name FROM information_schema.tables
      WHERE table_type = 'BASE TABLE' AND table_schema NOT IN ('pg_catalog', 'information_schema') ORDER BY 1, 2`,
  );
  expect(tables.map((t) => `${t.schema}.${t.name}`)).toEqual(expect.arrayContaining(['event_store.events', 'keys.data_keys', 'audit.read_access']));
  const holding: string[] = [];
  for (const { schema, name } of tables) {
    const { rows } = await api.db.pool.query<{ n: number }>(`SELECT count(*)::int AS n FROM "${schema}"."${name}" t WHERE strpos(t::text, $1) > 0`, [needle]);
    if (rows[0].n > 0) holding.push(`${schema}.${name}`);
  }
  return holding;
}

describe('API: no plaintext of an erased member in any table (PostgreSQL)', () => {
  let api: TestApp;
  let familyId: string;
  let erased: string;

  beforeAll(async () => {
    api = await createTestApp({ runProjections: true, poolSize: 6 });
    const clock = clockOf(api);
    clock.on('2026-03-02');
    const family = await registerFamily(api, nav, [
      { name: ERASED.name, birthDate: '1979-11-23', role: 'adult' },
      { name: KEPT, birthDate: '1981-02-14', role: 'adult' },
    ]);
    familyId = family.familyId;
    erased = family.ids[ERASED.name];
    const f = `/families/${familyId}`;
    const needId = randomUUID();
    await send(api, 'POST', `${f}/needs`, nav, { needId, memberId: erased, words: ERASED.words, expressedOn: '2026-03-02' });
    // Read by a caseworker (a read-audit row) before the need is withdrawn and the case closed.
    await api.app.get(ProjectionDaemon).runner('family-view')!.waitUntilCaughtUp();
    expect((await api.inject('GET', f, nav)).statusCode).toBe(200);
    await send(api, 'POST', `${f}/needs/${needId}/withdraw`, nav, { reason: 'Ordnet seg' });
    await closeCase(api, familyId, 'NAV', '2026-04-01');
    await api.app.get(ProjectionDaemon).runner('family-view')!.waitUntilCaughtUp();
    expect(await tablesHolding(api, 'Quillon')).toEqual(expect.arrayContaining(['read_models.family_view']));
  });

  afterAll(async () => {
    await api.close();
  });

  it('GDPR art. 17: the request erases the member (identity and need keys shredded); afterwards no table holds any of their strings, the kept member is still there, verify is clean', async () => {
    clockOf(api).on('2026-04-02');
    const response = await api.inject('POST', `/families/${familyId}/erasure-requests`, navLeader, {
      memberId: erased,
      categories: 'all',
      receivedOn: '2026-04-02',
      requestedBy: { memberId: erased },
      channel: 'in-writing',
    });
    expect(response.statusCode).toBe(201);
    const keys = await keyRows(api, familyId);
    const erasedKeys = [...keys].filter(([, isErased]) => isErased).map(([ref]) => ref.split(':').slice(1).join(':'));
    expect(erasedKeys).toEqual(expect.arrayContaining([`identity/${erased}`]));
    expect(erasedKeys.some((ref) => ref.startsWith('need/'))).toBe(true);
    await api.app.get(ProjectionDaemon).runner('family-view')!.waitUntilCaughtUp();
    // A reader after the erasure: the view answers, with markers, and another read-audit row.
    const auditor = { ...headersFor({ userId: 'audit-anne', role: 'auditor' }), 'x-purpose': 'tilsyn' };
    expect((await api.inject('GET', `/audit/families/${familyId}/history`, auditor)).statusCode).toBe(200);

    for (const needle of DISTINCTIVE) expect({ needle, tables: await tablesHolding(api, needle) }).toEqual({ needle, tables: [] });
    expect(await tablesHolding(api, KEPT)).toEqual(expect.arrayContaining(['read_models.family_view']));
    const verified = await api.inject('GET', `/audit/verify?streamPrefix=family-${familyId}`, auditor);
    expect(verified.statusCode).toBe(200);
    expect(verified.json()).toMatchObject({ ok: true, broken: [], streams: 1 });
  });
});
