import { randomUUID } from 'node:crypto';
import { reconcileStore } from '@familievedtak/audit';
import { EVENT_STORE, WrongExpectedVersionError, type EventStore } from '@familievedtak/event-store';
import { PaymentRecovery } from '../../apps/api/src/money/payment-recovery.service';
import { SubProjectPayments } from '../../apps/api/src/money/sub-project-payments.service';
import { createTestApp, headersFor, type TestApp } from '../support/test-app';
import { approveSubProject, familyStream, registerFamily, staff, streamCount, subProjectStream } from '../support/parts';
import { osloToday } from '../support/today';

/**
 * Issue 12: 60 sub-project payments and 140 needs sent at once to one family, without
 * Idempotency-Key. Before the fix, payments that lost the race for the family answered 409
 * after their spend was stored: the budget held more spends than the family had payments.
 * Now a 409 means nothing was stored; spends equal payments and reconcile finds nothing,
 * in both consistency modes.
 */
const PAYMENTS = 60;
const NEEDS = 140;
const AMOUNT_ORE = 10_000;

function storm(mode: 'atomic' | 'process-manager') {
  describe(`money storm on one family (${mode}, PostgreSQL)`, () => {
    let api: TestApp;
    const previous = process.env.PAYMENT_CONSISTENCY;
    beforeAll(async () => {
      process.env.PAYMENT_CONSISTENCY = mode;
      api = await createTestApp({ poolSize: 30 });
    });
    afterAll(async () => {
      await api.close();
      if (previous === undefined) delete process.env.PAYMENT_CONSISTENCY;
      else process.env.PAYMENT_CONSISTENCY = previous;
    });

    it(`${PAYMENTS} payments and ${NEEDS} needs at once, no Idempotency-Key: every spend has its payment, reconcile finds no difference`, async () => {
      expect(api.app.get(SubProjectPayments).mode).toBe(mode);
      const caseworker = staff('HVK');
      const subProjectId = await approveSubProject(api, headersFor({ userId: 'hvk-leder', role: 'unit-leader', unit: 'HVK' }), 'HVK');
      const { familyId, ids } = await registerFamily(api, caseworker, [{ name: 'Omar', birthDate: '1990-01-20', role: 'adult' }]);
      const today = osloToday();
      const payment = (i: number) => ({
        recipientMemberId: ids.Omar,
        amountOre: AMOUNT_ORE,
        method: 'bank-transfer',
        funding: { kind: 'sub-project', subProjectId },
        documentationRef: `STORM-${i}`,
        paidOn: today,
      });
      const requests = [
        ...Array.from({ length: PAYMENTS }, (_, i) => ({
          kind: 'payment',
          send: () => api.inject('POST', `/families/${familyId}/payments`, caseworker, payment(i)),
        })),
        ...Array.from({ length: NEEDS }, (_, i) => ({
          kind: 'need',
          send: () => api.inject('POST', `/families/${familyId}/needs`, caseworker, { words: `Need number ${i} in my own words` }),
        })),
      ].sort(() => Math.random() - 0.5);
      const answers = await Promise.all(requests.map(async (r) => ({ kind: r.kind, response: await r.send() })));
      const statuses = (kind: string) => answers.filter((a) => a.kind === kind).map((a) => a.response.statusCode);
      // Accepted, or refused as a lost race (409) with nothing stored: never anything else.
      for (const status of [...statuses('payment'), ...statuses('need')]) expect([201, 409]).toContain(status);
      const paid = statuses('payment').filter((s) => s === 201).length;
      process.stdout.write(
        `[money storm ${mode}] payments 201: ${paid}, 409: ${PAYMENTS - paid}; needs 201: ${statuses('need').filter((s) => s === 201).length}, 409: ${statuses('need').filter((s) => s === 409).length}\n`,
      );

      const store = api.app.get<EventStore>(EVENT_STORE);
      const familyEvents = await store.readStream(familyStream(familyId), { maxCount: 10_000 });
      const budgetEvents = await store.readStream(subProjectStream(subProjectId), { maxCount: 10_000 });
      const payments = familyEvents.filter((e) => e.type === 'PaymentRecorded');
      const liveSpends = budgetEvents.filter((e) => e.type === 'SpendRecorded').length - budgetEvents.filter((e) => e.type === 'SpendReversed').length;
      expect(payments).toHaveLength(paid);
      expect(liveSpends).toBe(paid);
      expect(new Set(payments.map((e) => e.data.paymentId)).size).toBe(paid);
      const budget = (await api.inject('GET', `/sub-projects/${subProjectId}`, caseworker)).json();
      expect(budget.spentBySemesterOre[Object.keys(budget.spentBySemesterOre)[0]] ?? 0).toBe(paid * AMOUNT_ORE);
      // Nothing is left for the recovery pass to do.
      const recovery = await api.app.get(PaymentRecovery).recover({ graceMs: 0 });
      expect(recovery).toMatchObject({ completed: 0, compensated: 0, reversalsCompleted: 0, pending: 0 });
      const reconciled = await reconcileStore(store);
      expect(reconciled.differences).toEqual([]);
      expect(reconciled).toMatchObject({ ok: true, spentOre: paid * AMOUNT_ORE, paidOre: paid * AMOUNT_ORE });
      // The auditor's route says the same.
      const audit = await api.inject('GET', '/audit/reconcile', headersFor({ userId: 'revisor', role: 'auditor' }));
      expect(audit.statusCode).toBe(200);
      expect(audit.json()).toMatchObject({ ok: true, differences: [], differenceCount: 0 });
      expect((await api.inject('GET', '/audit/reconcile', caseworker)).statusCode).toBe(403);
    }, 300_000);

    it('a payment that loses every race for the family answers 409 and leaves no spend behind (the issue-12 leak, made certain)', async () => {
      const caseworker = staff('HVK');
      const subProjectId = await approveSubProject(api, headersFor({ userId: 'hvk-leder', role: 'unit-leader', unit: 'HVK' }), 'HVK');
      const { familyId, ids } = await registerFamily(api, caseworker, [{ name: 'Sara', birthDate: '1991-02-03', role: 'adult' }]);
      const store = api.app.get<EventStore>(EVENT_STORE);
      // Every append that touches this family with an expected revision loses its race, as under a
      // storm of other commands on it (an append at revision 'any', the family's abandonment of the payment, races nothing).
      const target = familyStream(familyId);
      const lose = async (streamId: string) => {
        const head = await store.readStream(streamId, { direction: 'backwards', maxCount: 1 });
        throw new WrongExpectedVersionError(streamId, 'any', (head[0]?.revision ?? -1) + 1);
      };
      const single = store.appendToStream.bind(store);
      const multi = store.appendToStreams?.bind(store);
      const patched = store as { appendToStream: EventStore['appendToStream']; appendToStreams?: EventStore['appendToStreams'] };
      patched.appendToStream = async (streamId, events, options) =>
        streamId === target && options?.expectedRevision !== 'any' ? lose(streamId) : single(streamId, events, options);
      if (multi) patched.appendToStreams = async (appends) => (appends.some((a) => a.streamId === target) ? lose(target) : multi(appends));
      try {
        const response = await api.inject('POST', `/families/${familyId}/payments`, caseworker, {
          recipientMemberId: ids.Sara,
          amountOre: AMOUNT_ORE,
          method: 'bank-transfer',
          funding: { kind: 'sub-project', subProjectId },
          documentationRef: 'LOST-RACE-1',
          paidOn: osloToday(),
        });
        expect(response.statusCode).toBe(409);
        expect(response.json().code).toBe('REVISION_CONFLICT');
      } finally {
        patched.appendToStream = single;
        if (multi) patched.appendToStreams = multi;
      }
      // The client may now follow the 409's advice and send it again: it must not have been paid already.
      const budget = await store.readStream(subProjectStream(subProjectId), { maxCount: 1000 });
      const liveSpends = budget.filter((e) => e.type === 'SpendRecorded').length - budget.filter((e) => e.type === 'SpendReversed').length;
      expect(liveSpends).toBe(0);
      // Process manager: the family abandoned the payment before its money went back (nothing to abandon when atomic).
      const family = await store.readStream(target, { maxCount: 1000 });
      expect(family.filter((e) => e.type === 'PaymentRecorded')).toHaveLength(0);
      expect(family.filter((e) => e.type === 'PaymentAbandoned')).toHaveLength(mode === 'process-manager' ? 1 : 0);
      expect((await reconcileStore(store)).differences).toEqual([]);
    }, 120_000);

    it('a refused payment (member unknown to the family) stores nothing on either stream', async () => {
      const caseworker = staff('HVK');
      const subProjectId = await approveSubProject(api, headersFor({ userId: 'hvk-leder', role: 'unit-leader', unit: 'HVK' }), 'HVK');
      const { familyId } = await registerFamily(api, caseworker, [{ name: 'Lina', birthDate: '1988-05-02', role: 'adult' }]);
      const before = [await streamCount(api, familyStream(familyId)), await streamCount(api, subProjectStream(subProjectId)), await api.eventCount()];
      const response = await api.inject('POST', `/families/${familyId}/payments`, caseworker, {
        recipientMemberId: randomUUID(),
        amountOre: AMOUNT_ORE,
        method: 'bank-transfer',
        funding: { kind: 'sub-project', subProjectId },
        documentationRef: 'REFUSED-1',
        paidOn: osloToday(),
      });
      expect(response.statusCode).toBeGreaterThanOrEqual(400);
      expect(response.statusCode).toBeLessThan(500);
      expect([await streamCount(api, familyStream(familyId)), await streamCount(api, subProjectStream(subProjectId)), await api.eventCount()]).toEqual(before);
    });
  });
}

storm('atomic');
storm('process-manager');
