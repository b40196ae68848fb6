import { reconcileStore } from '@familievedtak/audit';
import { EVENT_STORE, WrongExpectedVersionError, type EventStore, type RecordedEvent } from '@familievedtak/event-store';
import { PaymentRecovery } from '../../apps/api/src/money/payment-recovery.service';
import { SubProjectPayments, type SpendToComplete } from '../../apps/api/src/money/sub-project-payments.service';
import { createTestApp, headersFor, type Headers, type TestApp } from '../support/test-app';
import { approveSubProject, familyStream, registerFamily, staff, subProjectStream } from '../support/parts';
import { osloToday } from '../support/today';

/**
 * Two completers of one payment in process-manager mode: the request's own process manager
 * (still retrying under contention) and the recovery pass (or a retry). Their writes are on
 * two streams with no transaction; the family stream decides, once per payment, by the event
 * id its PaymentRecorded and its PaymentAbandoned share. Each case puts the other completer
 * exactly between one completer's check and its act, and ends consistent: exactly one of
 * payment and abandonment on the family, the spend live iff the payment is recorded, and
 * reconcile finding nothing.
 */
const AMOUNT_ORE = 25_000;
const leader = headersFor({ userId: 'hvk-leder', role: 'unit-leader', unit: 'HVK' });
const caseworker = staff('HVK');

type Append = EventStore['appendToStream'];

describe('a payment with two completers (process-manager, PostgreSQL)', () => {
  let api: TestApp;
  let store: EventStore;
  let recovery: PaymentRecovery;
  let payments: SubProjectPayments;
  let original: Append;
  const previous = { mode: process.env.PAYMENT_CONSISTENCY, interval: process.env.PAYMENT_RECOVERY_INTERVAL_MS };

  beforeAll(async () => {
    process.env.PAYMENT_CONSISTENCY = 'process-manager';
    process.env.PAYMENT_RECOVERY_INTERVAL_MS = '0'; // the pass at start only: each test runs its own, at its moment
    api = await createTestApp({ poolSize: 10 });
    store = api.app.get<EventStore>(EVENT_STORE);
    recovery = api.app.get(PaymentRecovery);
    payments = api.app.get(SubProjectPayments);
    original = store.appendToStream.bind(store);
    expect(payments.mode).toBe('process-manager');
    await recovery.recover({ graceMs: 0 }); // the pass at start is over
  });
  afterEach(() => {
    (store as { appendToStream: Append }).appendToStream = original;
  });
  afterAll(async () => {
    await api.close();
    for (const [key, value] of [
      ['PAYMENT_CONSISTENCY', previous.mode],
      ['PAYMENT_RECOVERY_INTERVAL_MS', previous.interval],
    ] as const) {
      if (value === undefined) delete process.env[key];
      else process.env[key] = value;
    }
  });

  async function setUp(name: string) {
    const subProjectId = await approveSubProject(api, leader, 'HVK');
    const { familyId, ids } = await registerFamily(api, caseworker, [{ name, birthDate: '1990-01-20', role: 'adult' }]);
    const body = {
      recipientMemberId: ids[name],
      amountOre: AMOUNT_ORE,
      method: 'bank-transfer',
      funding: { kind: 'sub-project', subProjectId },
      documentationRef: `TWO-COMPLETERS-${name}`,
      paidOn: osloToday(),
    };
    return { subProjectId, familyId, body, pay: (headers: Headers = caseworker) => api.inject('POST', `/families/${familyId}/payments`, headers, body) };
  }

  /** Replaces appendToStream; `next` is the store's own. */
  function intercept(wrapper: (next: Append, ...args: Parameters<Append>) => ReturnType<Append>) {
    (store as { appendToStream: Append }).appendToStream = (streamId, events, options) => wrapper(original, streamId, events, options);
  }

  /** An append by the request's own process manager on the family that checks a revision: lost, as under a storm of other commands. */
  const requestsFamilyAppend = (target: string, ...[streamId, events, options]: Parameters<Append>) =>
    streamId === target && options?.expectedRevision !== 'any' && !events.some((e) => e.metadata?.recoveredBy);
  const lose = async (streamId: string): Promise<never> => {
    const [head] = await store.readStream(streamId, { direction: 'backwards', maxCount: 1 });
    throw new WrongExpectedVersionError(streamId, 'any', head.revision + 1);
  };

  /** The family's and the budget's money events for the payment, and reconcile over the whole store. */
  async function settled(familyId: string, subProjectId: string) {
    const family = await store.readStream(familyStream(familyId), { maxCount: 10_000 });
    const budget = await store.readStream(subProjectStream(subProjectId), { maxCount: 10_000 });
    const of = (events: RecordedEvent[], type: string) => events.filter((e) => e.type === type).length;
    return {
      recorded: of(family, 'PaymentRecorded'),
      abandoned: of(family, 'PaymentAbandoned'),
      liveSpends: of(budget, 'SpendRecorded') - of(budget, 'SpendReversed'),
      differences: (await reconcileStore(store)).differences,
    };
  }

  it('(a) the request gives up after its retries; the recovery pass records the payment between its look at the family and its giving up: the payment stands, 201, the spend stays', async () => {
    const { subProjectId, familyId, pay } = await setUp('Amal');
    const target = familyStream(familyId);
    let recovered: Awaited<ReturnType<PaymentRecovery['recover']>> | undefined;
    intercept(async (next, streamId, events, options) => {
      if (requestsFamilyAppend(target, streamId, events, options)) return lose(streamId);
      // The request's first act of giving up (before the fix: the spend's reversal; after: the
      // family's abandonment), held until the recovery pass has completed the payment.
      const givingUp = events.some((e) => !e.metadata?.recoveredBy && (e.type === 'SpendReversed' || e.type === 'PaymentAbandoned'));
      if (givingUp && !recovered) recovered = await recovery.recover({ graceMs: 0 });
      return next(streamId, events, options);
    });
    const response = await pay();
    expect(recovered).toMatchObject({ completed: 1 });
    expect({ status: response.statusCode, ...(await settled(familyId, subProjectId)) }).toEqual({
      status: 201,
      recorded: 1,
      abandoned: 0,
      liveSpends: 1,
      differences: [],
    });
    expect(response.json().events).toEqual([expect.objectContaining({ type: 'PaymentRecorded' })]);
  }, 120_000);

  it('(b) the recovery pass saw the spend open; the request gives up and gives the money back before the pass records the payment: nothing is paid, the spend stays given back', async () => {
    const { subProjectId, familyId, pay } = await setUp('Bilal');
    const target = familyStream(familyId);
    let requestAnswered!: () => void;
    const requestDone = new Promise<void>((resolve) => (requestAnswered = resolve));
    let passAtItsAct!: () => void;
    const passArrived = new Promise<void>((resolve) => (passAtItsAct = resolve));
    let spendStored!: () => void;
    const spendSeen = new Promise<void>((resolve) => (spendStored = resolve));
    let held = false;
    intercept(async (next, streamId, events, options) => {
      if (requestsFamilyAppend(target, streamId, events, options)) return lose(streamId);
      if (!held && streamId === target && events.some((e) => e.type === 'PaymentRecorded' && e.metadata?.recoveredBy)) {
        // The pass has looked (no payment, the spend live) and acts: held until the request has answered.
        held = true;
        passAtItsAct();
        await requestDone;
      }
      // The request gives up (before the fix: the spend's reversal; after: the family's abandonment) only once the pass has looked.
      if (events.some((e) => !e.metadata?.recoveredBy && (e.type === 'SpendReversed' || e.type === 'PaymentAbandoned'))) await passArrived;
      const result = await next(streamId, events, options);
      if (events.some((e) => e.type === 'SpendRecorded')) spendStored();
      return result;
    });
    const request = pay().finally(requestAnswered);
    await spendSeen; // the request now retries its family payment, losing every race
    const pass = await recovery.recover({ graceMs: 0 });
    const response = await request;
    expect(held).toBe(true);
    expect({ status: response.statusCode, code: response.json().code }).toEqual({ status: 409, code: 'REVISION_CONFLICT' });
    expect(pass).toMatchObject({ completed: 0, compensated: 1 });
    expect(await settled(familyId, subProjectId)).toEqual({ recorded: 0, abandoned: 1, liveSpends: 0, differences: [] });
  }, 120_000);

  it('(b, a late completer) completing the spend after the request gave its money back records nothing and answers PAYMENT_ABANDONED', async () => {
    const { subProjectId, familyId, pay } = await setUp('Dina');
    const target = familyStream(familyId);
    intercept(async (next, streamId, events, options) =>
      requestsFamilyAppend(target, streamId, events, options) ? lose(streamId) : next(streamId, events, options),
    );
    expect((await pay()).statusCode).toBe(409);
    (store as { appendToStream: Append }).appendToStream = original;
    // The recovery pass's completion, from the spend as it listed it before the money went back.
    const spend = (await store.readStream(subProjectStream(subProjectId), { maxCount: 1000 })).find((e) => e.type === 'SpendRecorded')!;
    const late = payments.onBudget(subProjectId, () =>
      payments.completeFromSpend(
        spend.data as unknown as SpendToComplete,
        { userId: 'hvk-caseworker', role: 'caseworker', unit: 'HVK' },
        { ...spend.metadata },
      ),
    );
    await expect(late).rejects.toMatchObject({ code: 'PAYMENT_ABANDONED' });
    expect(await settled(familyId, subProjectId)).toEqual({ recorded: 0, abandoned: 1, liveSpends: 0, differences: [] });
  }, 120_000);

  it('a retry with the same Idempotency-Key after the money went back answers PAYMENT_ABANDONED and moves no money', async () => {
    const { subProjectId, familyId, pay } = await setUp('Ebba');
    const target = familyStream(familyId);
    const keyed = { ...caseworker, 'idempotency-key': `abandon-retry-${familyId}` };
    intercept(async (next, streamId, events, options) =>
      requestsFamilyAppend(target, streamId, events, options) ? lose(streamId) : next(streamId, events, options),
    );
    expect((await pay(keyed)).statusCode).toBe(409);
    (store as { appendToStream: Append }).appendToStream = original;
    const retry = await pay(keyed);
    expect({ status: retry.statusCode, code: retry.json().code }).toEqual({ status: 409, code: 'PAYMENT_ABANDONED' });
    expect(await settled(familyId, subProjectId)).toEqual({ recorded: 0, abandoned: 1, liveSpends: 0, differences: [] });
  }, 120_000);

  it('a payment append that finds the abandonment stored first under its id answers the abandonment: the spend is given back, nothing is paid', async () => {
    const { subProjectId, familyId, pay } = await setUp('Farah');
    const target = familyStream(familyId);
    let abandonedFirst = false;
    intercept(async (next, streamId, events, options) => {
      if (!abandonedFirst && streamId === target && events.some((e) => e.type === 'PaymentRecorded')) {
        abandonedFirst = true;
        // Another completer gives the payment up between the request's decision and its append.
        const spend = (await store.readStream(subProjectStream(subProjectId), { maxCount: 1000 })).find((e) => e.type === 'SpendRecorded')!;
        const answer = await payments.abandon(
          spend.data as unknown as SpendToComplete,
          { userId: 'payment-recovery', role: 'unit-leader', unit: 'HVK' },
          { ...spend.metadata, recoveredBy: 'payment-recovery' },
          { reason: 'not-recorded', refusal: null },
          new Error('given up'),
        );
        expect(answer).toEqual({ kind: 'abandoned' });
      }
      return next(streamId, events, options);
    });
    const response = await pay();
    expect(abandonedFirst).toBe(true);
    expect({ status: response.statusCode, code: response.json().code }).toEqual({ status: 409, code: 'PAYMENT_ABANDONED' });
    expect(await settled(familyId, subProjectId)).toEqual({ recorded: 0, abandoned: 1, liveSpends: 0, differences: [] });
  }, 120_000);
});
