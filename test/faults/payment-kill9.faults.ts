import { randomUUID } from 'node:crypto';
import { reconcileStore } from '@familievedtak/audit';
import { bearer, call, spawnApi, waitHealthy, type ApiProcess } from './support/api-process';
import { openFaultDb, type FaultDb } from './support/fault-db';
import { startFaultPostgres, type FaultPostgres } from './support/fault-postgres';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const semester = () => `${new Date().getUTCFullYear()}-${new Date().getUTCMonth() < 6 ? 'spring' : 'autumn'}`;

/**
 * Issue 12, process-manager mode (as on EventStoreDB, here on PostgreSQL): the API is killed
 * (SIGKILL, FAULT_KILL_AFTER_SPEND=1) right after a payment's spend is appended and before
 * the family payment is. A restarted API's recovery pass completes the payment from the
 * spend; reconcile then finds no difference, and nothing is recorded twice.
 */
describe('fault: kill -9 between the spend and the family payment (process manager), then restart', () => {
  let pg: FaultPostgres;
  let db: FaultDb;
  const apis: ApiProcess[] = [];

  afterAll(async () => {
    for (const api of apis) await api.kill9().catch(() => undefined);
    await db?.close();
    await pg?.destroy();
  });

  it('the restarted API completes the half-done payment; spends equal payments; reconcile finds nothing', async () => {
    pg = await startFaultPostgres();
    db = await openFaultDb(pg.url, { migrate: true });
    const env = { PAYMENT_CONSISTENCY: 'process-manager', PAYMENT_RECOVERY_INTERVAL_MS: '0' };
    const first = await spawnApi({ name: 'dies-after-spend', databaseUrl: pg.url, runProjections: false, env: { ...env, FAULT_KILL_AFTER_SPEND: '1' } });
    apis.push(first);
    await waitHealthy(first);
    const leader = bearer('hvk-leder', 'unit-leader', 'HVK');
    const caseworker = bearer('hvk-kari', 'caseworker', 'HVK');
    const subProjectId = `sp-${randomUUID().slice(0, 8)}`;
    const approved = await call(first, 'POST', '/sub-projects', leader, {
      subProjectId,
      name: 'Ny start',
      actors: [
        { name: 'HVK Heimdal', municipal: true, unit: 'HVK' },
        { name: 'Saupstad skole', municipal: true },
        { name: 'Trondheim Red Cross', municipal: false, organisationNumber: '974123456' },
      ],
      responsibleUnit: 'HVK',
      goals: ['Every child takes part in a leisure activity'],
      firstSemester: semester(),
    });
    expect(approved.status).toBe(201);
    const familyId = randomUUID();
    const childId = randomUUID();
    const registered = await call(first, 'POST', '/families', caseworker, {
      familyId,
      district: 'Heimdal',
      members: [{ memberId: childId, name: 'Yusuf', birthDate: '1999-04-04', role: 'adult' }],
    });
    expect(registered.status).toBe(201);

    // The payment: the process dies after the spend, so the request gets no answer.
    const paying = call(first, 'POST', `/families/${familyId}/payments`, caseworker, {
      recipientMemberId: childId,
      amountOre: 160_000,
      method: 'bank-transfer',
      funding: { kind: 'sub-project', subProjectId },
      documentationRef: 'KILL9-1',
      paidOn: new Date().toISOString().slice(0, 10),
    }).then(
      (answer) => ({ answered: answer.status }),
      () => ({ answered: 'connection lost' }),
    );
    const exit = await first.exit;
    expect(exit.signal).toBe('SIGKILL');
    expect(await paying).toEqual({ answered: 'connection lost' });
    const count = async (streamId: string, type: string) =>
      Number((await db.sql<{ n: string }>(`SELECT count(*) AS n FROM event_store.events WHERE stream_id = '${streamId}' AND type = '${type}'`))[0].n);
    expect(await count(`subproject-${subProjectId}`, 'SpendRecorded')).toBe(1);
    expect(await count(`family-${familyId}`, 'PaymentRecorded')).toBe(0);
    expect((await reconcileStore(db.store)).differences.map((d) => d.kind)).toEqual(['spend-without-payment']);

    // Restart without the fault: the recovery pass at start completes the payment.
    const second = await spawnApi({ name: 'recovers', databaseUrl: pg.url, runProjections: false, env: { ...env, PAYMENT_RECOVERY_GRACE_MS: '0' } });
    apis.push(second);
    await waitHealthy(second);
    const deadline = Date.now() + 30_000;
    while ((await count(`family-${familyId}`, 'PaymentRecorded')) === 0 && Date.now() < deadline) await sleep(100);
    expect(await count(`family-${familyId}`, 'PaymentRecorded')).toBe(1);
    expect(await count(`subproject-${subProjectId}`, 'SpendRecorded')).toBe(1);
    expect(await count(`subproject-${subProjectId}`, 'SpendReversed')).toBe(0);
    const reconciled = await reconcileStore(db.store);
    expect(reconciled).toMatchObject({ ok: true, differences: [], spentOre: 160_000, paidOre: 160_000 });
    // The completed payment names the spend as its cause and the original caseworker as actor.
    const [payment] = await db.sql<{ metadata: { actor: { userId: string }; recoveredBy: string } }>(
      `SELECT metadata FROM event_store.events WHERE stream_id = 'family-${familyId}' AND type = 'PaymentRecorded'`,
    );
    expect(payment.metadata).toMatchObject({ actor: { userId: 'hvk-kari' }, recoveredBy: 'payment-recovery' });
    await second.stop();
  });
});
