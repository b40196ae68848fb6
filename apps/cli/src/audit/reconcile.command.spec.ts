import { randomUUID } from 'node:crypto';
import { EVENT_STORE, type EventStore } from '@familievedtak/event-store';
import { createTestApp, type TestApp } from '../../../../test/support/test-app';
import { captureCliOutput } from '../testing/cli-output';
import { actingAs, testReadAudit } from '../testing/cli-read-audit';
import type { CliReadAudit } from '../read-audit/cli-read-audit';
import { AuditReconcileCommand } from './reconcile.command';

/** `audit reconcile` against the API's database, as the CLI runs it. */
describe('CLI: audit reconcile (PostgreSQL)', () => {
  let api: TestApp;
  let store: EventStore;
  let readAudit: CliReadAudit;
  const output = captureCliOutput();
  actingAs('eva-audit');

  beforeAll(async () => {
    api = await createTestApp({ runProjections: false });
    store = api.app.get(EVENT_STORE);
    readAudit = testReadAudit(api.db.pool);
  });
  afterAll(() => api.close());

  it('exit 0 when spends and payments match, 1 listing each difference, 2 on a bad option', async () => {
    const familyId = randomUUID();
    const paymentId = randomUUID();
    await store.appendToStream(`subproject-sp-cli`, [
      { id: randomUUID(), type: 'SpendRecorded', data: { subProjectId: 'sp-cli', paymentId, familyId, amountOre: 160000 } },
    ]);
    await store.appendToStream(`family-${familyId}`, [
      { id: randomUUID(), type: 'PaymentRecorded', data: { paymentId, amountOre: 160000, funding: { kind: 'sub-project', subProjectId: 'sp-cli' } } },
    ]);
    await new AuditReconcileCommand(store, readAudit).run([], {});
    expect(process.exitCode).toBe(0);
    expect(output.tables).toEqual([
      [expect.objectContaining({ verdict: 'spends and payments match', 'sub-projects': 1, spends: 1, payments: 1, spent: '1600.00 NOK', paid: '1600.00 NOK' })],
    ]);

    // The issue-12 leak: a spend whose family payment was never recorded.
    const leaked = randomUUID();
    await store.appendToStream(`subproject-sp-cli`, [
      { id: randomUUID(), type: 'SpendRecorded', data: { subProjectId: 'sp-cli', paymentId: leaked, familyId, amountOre: 160000 } },
    ]);
    output.out.length = 0;
    await new AuditReconcileCommand(store, readAudit).run([], {});
    expect(process.exitCode).toBe(1);
    expect(output.out).toEqual([
      `DIFFERENCE spend-without-payment sub-project sp-cli payment ${leaked} family ${familyId}: spend of 160000 øre for family ${familyId} has no payment in the family's stream`,
    ]);

    output.out.length = 0;
    await new AuditReconcileCommand(store, readAudit).run([], { json: true });
    expect(JSON.parse(output.out[0])).toMatchObject({ ok: false, spends: 2, payments: 1, differences: [{ kind: 'spend-without-payment', paymentId: leaked }] });

    await new AuditReconcileCommand(store, readAudit).run([], { pageSize: 'many' });
    expect(process.exitCode).toBe(2);
  });
});
