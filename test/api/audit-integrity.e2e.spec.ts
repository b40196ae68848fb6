import { randomUUID } from 'node:crypto';
import { ProjectionDaemon } from '@familievedtak/projections';
import { asTamperer } from '../support/tamper';
import { Headers, TestApp, createTestApp, headersFor } from '../support/test-app';

const nav: Headers = headersFor({ userId: 'nav-kari', role: 'caseworker', unit: 'NAV' });
const auditor: Headers = headersFor({ userId: 'audit-anne', role: 'auditor' });
const clearedAuditor: Headers = headersFor({ userId: 'audit-cleared', role: 'auditor', clearances: ['protected-address'] });

/** Tamper evidence and replay verification through the API, on the real database the API writes. */
describe('API: GET /audit/verify and POST /audit/rebuild-compare (PostgreSQL)', () => {
  let api: TestApp;
  const open = randomUUID();
  const hidden = randomUUID();
  const hiddenMother = randomUUID();
  const adult = randomUUID();
  /** Fortrolig adresse (kode 7): names may show, where the family lives may not. */
  const kode7 = randomUUID();
  const kode7Mother = randomUUID();

  const auditRows = async (userId: string, route: string) =>
    (
      await api.db.pool.query('SELECT family_id, categories, outcome, status FROM audit.read_access WHERE user_id = $1 AND route = $2 ORDER BY id', [
        userId,
        route,
      ])
    ).rows;

  beforeAll(async () => {
    api = await createTestApp({ runProjections: true });
    const registered = await Promise.all([
      api.inject('POST', '/families', nav, {
        familyId: open,
        district: 'Heimdal',
        members: [{ memberId: adult, name: 'Amina', birthDate: '1988-03-02', role: 'adult' }],
      }),
      api.inject('POST', '/families', nav, {
        familyId: hidden,
        district: 'Lerkendal',
        members: [{ memberId: hiddenMother, name: 'Hemmelig Mor', birthDate: '1990-01-01', role: 'adult', protectedAddress: true }],
      }),
    ]);
    const third = await api.inject('POST', '/families', nav, {
      familyId: kode7,
      district: 'Byåsen',
      members: [{ memberId: kode7Mother, name: 'Synlig Mor', birthDate: '1991-02-02', role: 'adult', addressProtection: 'fortrolig' }],
    });
    expect([...registered, third].map((r) => r.statusCode)).toEqual([201, 201, 201]);
    const need = await api.inject('POST', `/families/${open}/needs`, nav, {
      needId: randomUUID(),
      memberId: adult,
      words: 'Arbeid',
      expressedOn: '2026-09-01',
    });
    expect(need.statusCode).toBe(201);
    await api.app.get(ProjectionDaemon).runner('family-view')!.waitUntilCaughtUp();
  });
  afterAll(() => api.close());

  it('refuses caseworkers (403) on both routes', async () => {
    expect((await api.inject('GET', '/audit/verify', nav)).statusCode).toBe(403);
    expect((await api.inject('POST', '/audit/rebuild-compare', nav)).statusCode).toBe(403);
  });

  it('an untouched store: every event verified, the replay identical to the live view; both calls recorded', async () => {
    const verify = await api.inject('GET', '/audit/verify', auditor);
    expect(verify.statusCode).toBe(200);
    expect(verify.json()).toMatchObject({ events: await api.eventCount(), broken: [], ok: true });

    const compare = await api.inject('POST', '/audit/rebuild-compare', auditor);
    expect(compare.statusCode).toBe(200);
    expect(compare.json()).toMatchObject({ ok: true, rows: { live: 3, rebuilt: 3 }, differences: [], truncated: false, shadowSchema: null });

    expect(await auditRows('audit-anne', 'GET /audit/verify')).toEqual([{ family_id: null, categories: ['event-integrity'], outcome: 'permit', status: 200 }]);
    expect(await auditRows('audit-anne', 'POST /audit/rebuild-compare')).toEqual([
      { family_id: null, categories: ['read-model-comparison'], outcome: 'permit', status: 200 },
    ]);
  });

  it('an event edited in SQL: verify names the stream and revision; one stream or a prefix can be checked alone', async () => {
    const { rows } = await api.db.pool.query(`SELECT revision::int, hash FROM event_store.events WHERE stream_id = $1 AND data ? 'words'`, [`family-${open}`]);
    expect(rows).toHaveLength(1);
    await asTamperer(api.db.pool, `UPDATE event_store.events SET data = jsonb_set(data, '{words}', '"Ingenting"') WHERE stream_id = $1 AND data ? 'words'`, [
      `family-${open}`,
    ]);

    const verify = await api.inject('GET', '/audit/verify', auditor);
    expect(verify.statusCode).toBe(200);
    expect(verify.json().ok).toBe(false);
    expect(verify.json().broken).toEqual([
      expect.objectContaining({ streamId: `family-${open}`, revision: rows[0].revision, actualHash: rows[0].hash.trim(), reason: 'content-altered' }),
    ]);
    expect(verify.json().broken[0].expectedHash).toMatch(/^[0-9a-f]{64}$/);
    expect(verify.json().broken[0].expectedHash).not.toBe(rows[0].hash.trim());

    expect((await api.inject('GET', `/audit/verify?streamId=family-${hidden}`, auditor)).json()).toMatchObject({ streams: 1, ok: true });
    expect((await api.inject('GET', '/audit/verify?streamPrefix=family-', auditor)).json()).toMatchObject({ streams: 3, ok: false });
    expect((await api.inject('GET', `/audit/verify?streamId=x&streamPrefix=family-`, auditor)).statusCode).toBe(400);
    expect((await api.inject('GET', `/audit/verify?streamId=family-${randomUUID()}`, auditor)).statusCode).toBe(404);
    // The families named in each answer go on record; the refused request as a deny.
    expect((await auditRows('audit-anne', 'GET /audit/verify')).slice(1)).toEqual([
      { family_id: open, categories: ['event-integrity'], outcome: 'permit', status: 200 },
      { family_id: null, categories: ['event-integrity'], outcome: 'permit', status: 200 },
      { family_id: open, categories: ['event-integrity'], outcome: 'permit', status: 200 },
      { family_id: null, categories: [], outcome: 'deny', status: 400 },
      { family_id: null, categories: [], outcome: 'deny', status: 404 },
    ]);
  });

  it('rebuild-compare: the edited event and a corrupted live row both show; protected-address values only with clearance', async () => {
    await api.db.pool.query(`UPDATE read_models.family_view SET core = jsonb_set(core, ARRAY['members', $2, 'name'], '"Noen Andre"') WHERE family_id = $1`, [
      hidden,
      hiddenMother,
    ]);
    // Kode 7: the district is what must not show.
    await api.db.pool.query(`UPDATE read_models.family_view SET core = jsonb_set(core, '{district}', '"Ranheim"') WHERE family_id = $1`, [kode7]);

    const compare = await api.inject('POST', '/audit/rebuild-compare', auditor);
    expect(compare.statusCode).toBe(200);
    const byFamily = new Map(compare.json().differences.map((d: { familyId: string }) => [d.familyId, d]));
    expect(compare.json()).toMatchObject({ ok: false, different: 3, missing: 0, extra: 0 });
    expect(byFamily.get(open)).toEqual({
      familyId: open,
      kind: 'different',
      fields: [expect.objectContaining({ live: 'Arbeid', rebuilt: 'Ingenting' })],
    });
    expect(byFamily.get(hidden)).toEqual({
      familyId: hidden,
      kind: 'different',
      fields: [{ path: `$.state.members["${hiddenMother}"].name` }],
      withheld: true,
    });
    expect(compare.body).not.toContain('Hemmelig');
    expect(byFamily.get(kode7)).toEqual({ familyId: kode7, kind: 'different', fields: [{ path: '$.state.district' }], withheld: true });
    for (const place of ['Byåsen', 'Ranheim']) expect(compare.body).not.toContain(place);

    const cleared = (await api.inject('POST', '/audit/rebuild-compare', clearedAuditor)).json();
    expect(cleared.differences.find((d: { familyId: string }) => d.familyId === hidden).fields).toEqual([
      { path: `$.state.members["${hiddenMother}"].name`, live: 'Noen Andre', rebuilt: 'Hemmelig Mor' },
    ]);

    const recorded = await auditRows('audit-anne', 'POST /audit/rebuild-compare');
    expect(
      recorded
        .slice(1)
        .map((r) => r.family_id)
        .sort(),
    ).toEqual([open, hidden, kode7].sort());
  });
});
