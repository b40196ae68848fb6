import { randomUUID } from 'node:crypto';
import { familyStreamId, RETENTION_JOB_ACTOR, type Unit } from '@familievedtak/domain';
import type { RetentionPlanReport, RetentionRunReport } from '../../apps/api/src/retention/retention-job.service';
import { consentBody, proposalBody, registerFamily, send, staff } from '../support/parts';
import { createTestApp, headersFor, type TestApp } from '../support/test-app';
import { clockOf, closeCase, erasedInLog, keyRows, keyStoreOf, storedCounts, storeOf } from './retention-fixtures';

const nav = staff('NAV');
const delegationAuthority = headersFor({ userId: 'kd-kristin', role: 'delegation-authority' });
const auditor = headersFor({ userId: 'eva-audit', role: 'auditor' });
/** The closing reason's key (a family-level text has a key per append) and the family's older common key. */
const familyTexts = ['case/family', 'case/family:2026-04-01T10:00:00.000Z'];

/**
 * The retention job end to end on PostgreSQL, through the API, with the app's clock pinned:
 * three families registered in March 2026, two of them closed on 1 April 2026 (their needs
 * withdrawn, NAV the last unit to close its involvement), run on 3 June 2029, when the shipped
 * schedule's three years after closing have run out. What a dry run plans is exactly what the run
 * then erases (keys shredded, PersonalDataErased recorded), a second run erases nothing, a dry
 * run stores nothing, the read audit loses exactly its rows older than the cut-off.
 */
describe('API: the retention job (PostgreSQL, injected clock)', () => {
  let api: TestApp;
  let clock: ReturnType<typeof clockOf>;
  const f: Record<'a' | 'b' | 'c', { familyId: string; ids: Record<string, string> }> = {} as never;
  const needs = { a: randomUUID(), b: randomUUID(), c: randomUUID() };
  const consents = { a: randomUUID(), b: randomUUID() };
  const decisionC = randomUUID();
  let planned: RetentionPlanReport;

  const register = async (members: Array<{ name: string; birthDate: string; role: 'adult' | 'child' }>) => registerFamily(api, nav, members);
  const giveAndWithdrawConsent = async (familyId: string, memberId: string, consentId: string) => {
    await send(api, 'POST', `/families/${familyId}/consents`, nav, {
      ...consentBody(memberId, memberId, ['BFT'], { validFrom: '2026-03-01', validUntil: '2027-12-31' }),
      consentId,
    });
    clock.on('2026-03-10');
    await send(api, 'POST', `/families/${familyId}/consents/${consentId}/withdraw`, nav, {
      expressedByMemberId: memberId,
      channel: 'in-writing',
      reason: 'Vil ikke dele mer',
    });
    clock.on('2026-03-02');
  };
  const expressNeed = (familyId: string, needId: string, memberId: string, words: string) =>
    send(api, 'POST', `/families/${familyId}/needs`, nav, { needId, memberId, words, expressedOn: '2026-03-02' });

  beforeAll(async () => {
    api = await createTestApp({ poolSize: 8 });
    clock = clockOf(api);
    clock.on('2026-03-02');
    // A: Amina and her son, a need and a withdrawn consent; case closed. Everything goes, identities last.
    f.a = await register([
      { name: 'Amina Hassan', birthDate: '1988-03-02', role: 'adult' },
      { name: 'Yusuf Hassan', birthDate: '2016-09-14', role: 'child' },
    ]);
    await expressNeed(f.a.familyId, needs.a, f.a.ids['Amina Hassan'], 'Vi trenger hjelp med husleia');
    await giveAndWithdrawConsent(f.a.familyId, f.a.ids['Amina Hassan'], consents.a);
    // B: the case is open: only the withdrawn consent's proof period has run out.
    f.b = await register([{ name: 'Ola Berg', birthDate: '1979-01-15', role: 'adult' }]);
    await expressNeed(f.b.familyId, needs.b, f.b.ids['Ola Berg'], 'Jeg trenger jobb');
    await giveAndWithdrawConsent(f.b.familyId, f.b.ids['Ola Berg'], consents.b);
    // C: a rejected decision is kept for the archives, and with it Kari's identity; her need goes.
    f.c = await register([{ name: 'Kari Lie', birthDate: '1990-05-05', role: 'adult' }]);
    await expressNeed(f.c.familyId, needs.c, f.c.ids['Kari Lie'], 'Trenger penger til mat');
    await send(
      api,
      'POST',
      `/families/${f.c.familyId}/decisions`,
      nav,
      proposalBody({
        decisionId: decisionC,
        unit: 'NAV',
        decisionType: 'economic-social-assistance',
        memberIds: [f.c.ids['Kari Lie']],
        periodFrom: '2026-03-01',
        periodUntil: '2026-08-31',
        amounts: { monthlyAmountOre: 500_000 },
      }),
    );
    await send(api, 'POST', `/families/${f.c.familyId}/decisions/${decisionC}/reject`, staff('NAV', 'approver'), { reason: 'Inntekten er over normen' });
    // A need open holds the case open (fvl § 11 a): answered first, then NAV, the last unit, closes the case.
    clock.on('2026-03-31');
    for (const [family, needId] of [
      [f.a, needs.a],
      [f.c, needs.c],
    ] as const)
      await send(api, 'POST', `/families/${family.familyId}/needs/${needId}/withdraw`, nav, { reason: 'Familien klarer seg selv nå' });
    for (const family of [f.a, f.c]) await closeCase(api, family.familyId, 'NAV' as Unit, '2026-04-01');
  });
  afterAll(async () => {
    clock?.restore();
    await api?.close();
  });

  it('reads the shipped schedule in force, versioned (staff: 200; a partner: 403)', async () => {
    clock.on('2029-06-03');
    const response = await api.inject('GET', '/retention/schedule', nav);
    expect(response.statusCode).toBe(200);
    const body = response.json();
    expect(body).toMatchObject({
      asOf: '2029-06-03',
      inForce: { ref: 'trondheim-retention-2026@v1', id: 'trondheim-retention-2026', version: 1, inForce: true },
    });
    // Shipped, not adopted yet: reading writes nothing; the first erasure adopts it.
    expect(body.versions).toEqual([
      expect.objectContaining({
        ref: 'trondheim-retention-2026@v1',
        effectiveFrom: '2026-01-01',
        documentSha256: expect.stringMatching(/^[0-9a-f]{64}$/),
        adopted: false,
        adoptedAt: null,
      }),
    ]);
    expect(body.inForce.entries.map((e: { id: string }) => e.id)).toContain('need');
    expect((await api.inject('GET', '/retention/schedule', headersFor({ userId: 'rk', role: 'partner', org: '974123456' }))).statusCode).toBe(403);
  });

  it('a dry run answers the plan and stores nothing (events, keys, read-audit rows, letter copies)', async () => {
    clock.on('2029-06-03');
    const before = await storedCounts(api);
    const response = await api.inject('POST', '/retention/runs', auditor, { dryRun: true });
    expect(response.statusCode).toBe(200);
    planned = response.json();
    expect(await storedCounts(api)).toEqual(before);
    expect(planned).toMatchObject({ dryRun: true, schedule: 'trondheim-retention-2026@v1', asOf: '2029-06-03', familiesChecked: 3, failures: [] });
    const due = (family: { familyId: string }) =>
      planned.families
        .find((p) => p.familyId === family.familyId)
        ?.keys.map((k) => k.keyRef)
        .sort() ?? [];
    expect(due(f.a)).toEqual(
      [`need/${needs.a}`, `consent/${consents.a}`, ...familyTexts, `identity/${f.a.ids['Amina Hassan']}`, `identity/${f.a.ids['Yusuf Hassan']}`].sort(),
    );
    expect(due(f.b)).toEqual([`consent/${consents.b}`]);
    expect(due(f.c)).toEqual([`need/${needs.c}`, ...familyTexts].sort());
    expect(planned.keysDueTotal).toBe(10);
  });

  it('refuses a run to a caseworker (route policy) and to an auditor (only the plan): 403, nothing stored', async () => {
    const before = await storedCounts(api);
    expect((await api.inject('POST', '/retention/runs', nav, {})).statusCode).toBe(403);
    const auditorRun = await api.inject('POST', '/retention/runs', auditor, { dryRun: false });
    expect({ status: auditorRun.statusCode, code: auditorRun.json().code }).toEqual({ status: 403, code: 'ACTION_NOT_PERMITTED' });
    expect((await api.inject('POST', '/retention/runs', delegationAuthority, { dryRun: 'yes' })).statusCode).toBe(400);
    expect((await api.inject('POST', '/retention/runs', delegationAuthority, { dryRun: true, everything: true })).statusCode).toBe(400);
    expect(await storedCounts(api)).toEqual(before);
  });

  it('a run repairs a crash between shredding and the event, erases exactly the planned keys, deletes what is due in the read audit, and records itself', async () => {
    clock.on('2029-06-03');
    // A crash of an earlier run after shredding A's need and before its event: the tombstone has no event.
    const crashed = randomUUID();
    await keyStoreOf(api).shred(familyStreamId(f.a.familyId), [`need/${needs.a}`], {
      on: '2029-06-02',
      rule: 'trondheim-retention-2026@v1/need',
      provision: 'GDPR art. 5(1)(e)',
      by: RETENTION_JOB_ACTOR.userId,
      erasureId: crashed,
    });
    // The read audit: one row read on the last day due (2 June 2026, 23:59:59.999 in Oslo: + 3 years < 3 June 2029), one at the cut-off (3 June, 00:00 Oslo).
    const insert = `INSERT INTO audit.read_access (at, request_id, user_id, family_id, purpose, outcome, status, route) VALUES ($1, $2, 'nav-kari', $3, 'casework', 'permit', 200, 'GET /families/:familyId') RETURNING id`;
    const old = (await api.db.pool.query(insert, ['2026-06-02T21:59:59.999Z', 'old', f.a.familyId])).rows[0].id;
    const kept = (await api.db.pool.query(insert, ['2026-06-02T22:00:00.000Z', 'kept', f.a.familyId])).rows[0].id;
    const readsBefore = (await api.db.pool.query(`SELECT id, at FROM audit.read_access`)).rows as Array<{ id: string; at: Date }>;

    const response = await api.inject('POST', '/retention/runs', delegationAuthority, {});
    expect(response.statusCode).toBe(201);
    const run: RetentionRunReport = response.json();
    expect(run).toMatchObject({
      dryRun: false,
      schedule: 'trondheim-retention-2026@v1',
      asOf: '2029-06-03',
      familiesChecked: 3,
      familiesWithErasures: 3,
      keysErasedTotal: 9,
      repaired: { erasures: 1, keys: 1 },
      unrepaired: [],
      failures: [],
      triggeredBy: { userId: 'kd-kristin', role: 'delegation-authority', via: 'api' },
      readAudit: { purgeBefore: '2026-06-03', cutoff: '2026-06-02T22:00:00.000Z' },
    });
    expect(run.keysErased).toMatchObject({ need: 1, consent: 2, case: 4, identity: 2 });

    // Exactly the planned keys: shredded in the key store and recorded in the log, nothing else.
    for (const family of [f.a, f.b, f.c]) {
      const plannedKeys = planned.families
        .find((p) => p.familyId === family.familyId)!
        .keys.map((k) => k.keyRef)
        .sort();
      const rows = await keyRows(api, family.familyId);
      const shredded = [...rows].filter(([, erased]) => erased).map(([id]) => id.slice(id.indexOf(':') + 1));
      expect(shredded.sort()).toEqual(plannedKeys);
      expect((await erasedInLog(api, family.familyId)).flatMap((e) => e.keyRefs).sort()).toEqual(plannedKeys);
    }
    // The repair recorded the crashed erasure under its own id; the run's erasure is another.
    const inA = await erasedInLog(api, f.a.familyId);
    expect(inA.filter((e) => e.erasureId === crashed).flatMap((e) => e.keyRefs)).toEqual([`need/${needs.a}`]);
    expect(new Set(inA.map((e) => e.erasureId)).size).toBe(2);
    // The decision and Kari's identity stay (kept for the archives; identity goes last); B's need waits for the case to close.
    const c = await keyRows(api, f.c.familyId);
    expect(c.get(`${familyStreamId(f.c.familyId)}:decision/${decisionC}`)).toBe(false);
    expect(c.get(`${familyStreamId(f.c.familyId)}:identity/${f.c.ids['Kari Lie']}`)).toBe(false);
    expect((await keyRows(api, f.b.familyId)).get(`${familyStreamId(f.b.familyId)}:need/${needs.b}`)).toBe(false);
    // The erased texts read as placeholders with the erasure's notes.
    const registered = (await storeOf(api).readStream(familyStreamId(f.a.familyId)))[0].data as { members: Array<{ name: string }>; $erased?: unknown[] };
    expect(registered.members.map((m) => m.name)).toEqual(['', '']);
    expect(registered.$erased).toEqual(expect.arrayContaining([expect.objectContaining({ keyRef: `identity/${f.a.ids['Amina Hassan']}`, on: '2029-06-03' })]));

    // The read audit: exactly the rows older than the cut-off are gone.
    const readsAfter = new Set(((await api.db.pool.query(`SELECT id FROM audit.read_access`)).rows as Array<{ id: string }>).map((r) => r.id));
    const cutoff = new Date('2026-06-02T22:00:00.000Z').getTime();
    expect(
      readsBefore
        .filter((r) => !readsAfter.has(r.id))
        .map((r) => r.id)
        .sort(),
    ).toEqual(
      readsBefore
        .filter((r) => r.at.getTime() < cutoff)
        .map((r) => r.id)
        .sort(),
    );
    expect(readsAfter.has(old)).toBe(false);
    expect(readsAfter.has(kept)).toBe(true);
    expect(run.readAudit.rowsPurged).toBe(readsBefore.length - readsAfter.size);

    // The schedule version the erasures name was adopted into the log before them.
    const adoptions = await storeOf(api).readStream('retention-schedules');
    expect(adoptions.map((e) => [e.type, (e.data as { scheduleId: string }).scheduleId])).toEqual([['RetentionScheduleAdopted', 'trondheim-retention-2026']]);
    const firstErasure = (await storeOf(api).readStream(familyStreamId(f.a.familyId))).find((e) => e.type === 'PersonalDataErased')!;
    expect(adoptions[0].globalPosition < firstErasure.globalPosition).toBe(true);
    expect((await api.inject('GET', '/retention/schedule', nav)).json().versions).toEqual([
      expect.objectContaining({ adopted: true, adoptedAt: expect.any(String) }),
    ]);

    // Recorded in retention-runs, by whom, with the counts.
    const runs = await storeOf(api).readStream('retention-runs');
    expect(runs.map((e) => e.type)).toEqual(['RetentionRunCompleted']);
    expect(runs[0].data).toMatchObject({
      runId: run.runId,
      schedule: 'trondheim-retention-2026@v1',
      asOf: '2029-06-03',
      keysErasedTotal: 9,
      triggeredBy: run.triggeredBy,
    });
    expect(runs[0].metadata).toMatchObject({ actor: { userId: RETENTION_JOB_ACTOR.userId, role: 'system' } });
    expect((await api.inject('GET', '/retention/runs', auditor)).json().runs).toEqual([expect.objectContaining({ runId: run.runId })]);
  });

  it('a second run erases nothing (and records that it ran)', async () => {
    const before = await storedCounts(api);
    const response = await api.inject('POST', '/retention/runs', delegationAuthority, {});
    expect(response.statusCode).toBe(201);
    expect(response.json()).toMatchObject({
      keysErasedTotal: 0,
      familiesWithErasures: 0,
      repaired: { erasures: 0 },
      families: [],
      readAudit: { rowsPurged: 0 },
    });
    const after = await storedCounts(api);
    expect(after).toEqual({ ...before, events: before.events + 1 });
    expect((await storeOf(api).readStream('retention-runs')).length).toBe(2);
  });

  it('the read audit stays append-only outside the purge: a plain DELETE, one at or after the cut-off, a future cut-off, UPDATE and TRUNCATE are refused', async () => {
    const pool = api.db.pool;
    const { id } = (
      await pool.query(
        `INSERT INTO audit.read_access (at, request_id, user_id, purpose, outcome, status, route) VALUES ('2026-01-01T00:00:00Z', 'r', 'u', 'p', 'permit', 200, 'x') RETURNING id`,
      )
    ).rows[0];
    await expect(pool.query(`DELETE FROM audit.read_access WHERE id = $1`, [id])).rejects.toMatchObject({ code: '42501' });
    await expect(pool.query(`UPDATE audit.read_access SET purpose = 'x' WHERE id = $1`, [id])).rejects.toMatchObject({ code: '42501' });
    await expect(pool.query(`TRUNCATE audit.read_access`)).rejects.toMatchObject({ code: '42501' });
    const inTransaction = async (cutoff: string) => {
      const client = await pool.connect();
      try {
        await client.query('BEGIN');
        await client.query(`SELECT set_config('familievedtak.read_audit_purge_before', $1, true)`, [cutoff]);
        return await client.query(`DELETE FROM audit.read_access WHERE id = $1`, [id]);
      } finally {
        await client.query('ROLLBACK');
        client.release();
      }
    };
    // The row is not older than the cut-off; a cut-off in the future is no schedule's.
    await expect(inTransaction('2026-01-01T00:00:00Z')).rejects.toMatchObject({ code: '42501' });
    await expect(inTransaction(new Date(Date.now() + 86_400_000).toISOString())).rejects.toMatchObject({ code: '42501' });
    // The setting is the transaction's own: after it, a DELETE on the same connection is refused again.
    const client = await pool.connect();
    try {
      await client.query('BEGIN');
      await client.query(`SET LOCAL familievedtak.read_audit_purge_before = '2026-01-02T00:00:00Z'`);
      expect((await client.query(`DELETE FROM audit.read_access WHERE id = $1`, [id])).rowCount).toBe(1);
      await client.query('ROLLBACK');
      await expect(client.query(`DELETE FROM audit.read_access WHERE id = $1`, [id])).rejects.toMatchObject({ code: '42501' });
    } finally {
      client.release();
    }
  });
});

describe('API: the retention job on a timer (RETENTION_JOB_INTERVAL_MS)', () => {
  let api: TestApp;
  beforeAll(async () => {
    process.env.RETENTION_JOB_INTERVAL_MS = '200';
    try {
      api = await createTestApp({ poolSize: 4 });
    } finally {
      delete process.env.RETENTION_JOB_INTERVAL_MS;
    }
  });
  afterAll(() => api?.close());

  it('runs by itself and records the run as the schedule’s', async () => {
    const store = storeOf(api);
    const deadline = Date.now() + 20_000;
    let runs = await store.readStream('retention-runs');
    while (runs.length === 0 && Date.now() < deadline) {
      await new Promise((resolve) => setImmediate(resolve));
      runs = await store.readStream('retention-runs');
    }
    expect(runs[0]?.data).toMatchObject({ triggeredBy: { userId: RETENTION_JOB_ACTOR.userId, role: null, via: 'schedule' }, familiesChecked: 0 });
  });
});
