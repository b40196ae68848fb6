import { randomBytes, randomUUID } from 'node:crypto';
import type { Pool } from 'pg';
import { reconcileStore, verifyChains } from '@familievedtak/audit';
import type { PaymentRecorded, PaymentReversed, SpendRecorded, SpendReversed } from '@familievedtak/domain';
import { asTamperer } from '../../../../test/support/tamper';
import { createTestDatabase, type TestDatabase } from '../../../../test/support/test-database';
import type { EventData, JsonObject, RecordedEvent } from '../event-store.port';
import { PostgresEventStore } from '../postgres/postgres-event-store.adapter';
import { familyPersonalDataPolicy } from './family-personal-data.policy';
import { isSealedField, type Kek } from './field-cipher';
import { KeyStore } from './key-store';
import { PersonalDataErasedError } from './personal-data.errors';
import { PersonalDataEventStore } from './personal-data-event-store';

/**
 * The budget (sub-project) streams on a real PostgreSQL: a spend that pays a family payment carries
 * the family's texts (what it was for, the documentation reference, why it was given back). They
 * are encrypted under the family's payment key, one key row `(family-<id>, payment/<paymentId>)`
 * for both streams: shredding the payment (bokføringsloven § 13: five years after its year) makes
 * both read as placeholders with erasure notes, verify stays clean, and the money still reconciles
 * (amounts and ids stay readable).
 */

const KEK: Kek = { id: 'kek-budget', key: randomBytes(32) };
const SECRET = 'Vinterdress til Saras bror, mor har ikke råd';
const RECEIPT = 'Kvittering XXL Tiller 4471 - Hassan';
const WHY = 'The family payment was reversed: the family moved to Malvik';

describe('PersonalDataEventStore over PostgreSQL: budget streams under the family payment key', () => {
  let db: TestDatabase;
  let inner: PostgresEventStore;
  let store: PersonalDataEventStore;
  let keyQueries = 0;

  const counted = (pool: Pool): Pool =>
    new Proxy(pool, {
      get(target, property) {
        if (property === 'query') {
          return (...args: Parameters<Pool['query']>) => {
            keyQueries++;
            return (target.query as (...a: unknown[]) => unknown)(...args);
          };
        }
        const value = Reflect.get(target, property) as unknown;
        return typeof value === 'function' ? (value as (...a: unknown[]) => unknown).bind(target) : value;
      },
    });
  const decorated = () =>
    new PersonalDataEventStore(inner, {
      keyStore: new KeyStore({ pool: counted(db.pool), keks: [KEK], categoryOf: familyPersonalDataPolicy.categoryOf }),
      policy: familyPersonalDataPolicy,
      pollIntervalMs: 10,
    });

  beforeAll(async () => {
    db = await createTestDatabase(6);
    inner = new PostgresEventStore({ pool: db.pool, pollIntervalMs: 10 });
    await inner.migrate();
    store = decorated();
  });
  afterAll(async () => {
    store.keyStore.close();
    await inner.close();
    await db.drop();
  });

  const stamp = (day: string) => ({
    at: `${day}T09:00:00.000Z`,
    by: { userId: 'anne.bft', role: 'caseworker' as const, unit: 'BFT' as const, partnerOrganisation: null },
  });
  const data = (event: { data: object }) => event.data as unknown as JsonObject;
  const asEventData = (event: { type: string; data: object }): EventData => ({
    id: randomUUID(),
    type: event.type,
    data: data(event),
    metadata: { by: 'spec' },
  });

  /** A family payment from a sub-project: the spend in the budget stream and the payment in the family stream, in one transaction. */
  function payment(familyId: string, subProjectId: string, paymentId: string) {
    const spend: SpendRecorded = {
      type: 'SpendRecorded',
      data: {
        subProjectId,
        paymentId,
        amountOre: 89_900,
        category: 'supplier-payment',
        semester: '2031-spring',
        spentOn: '2031-02-01',
        familyId,
        description: SECRET,
        semesterRemainingOre: 49_910_100,
        payment: { recipientMemberId: 'm-amina', answersNeedId: null, answersDecisionId: null, documentationRef: RECEIPT, countsAsIncome: false },
        runId: null,
        ...stamp('2031-02-01'),
      },
    };
    const paid: PaymentRecorded = {
      type: 'PaymentRecorded',
      data: {
        paymentId,
        recipientMemberId: 'm-amina',
        amountOre: 89_900,
        method: 'supplier-payment',
        funding: { kind: 'sub-project', subProjectId },
        answersNeedId: null,
        answersDecisionId: null,
        documentationRef: RECEIPT,
        paidOn: '2031-02-01',
        countsAsIncome: false,
        ...stamp('2031-02-01'),
      },
    };
    const reversed: PaymentReversed = {
      type: 'PaymentReversed',
      data: { paymentId, amountOre: 89_900, reversedOn: '2031-03-01', reason: 'The family moved to Malvik', ...stamp('2031-03-01') },
    };
    const given: SpendReversed = {
      type: 'SpendReversed',
      data: { subProjectId, paymentId, amountOre: 89_900, semester: '2031-spring', reason: WHY, familyId, ...stamp('2031-03-01') },
    };
    return { spend, paid, reversed, given };
  }

  /** A family with a sub-project payment, paid and reversed on both sides. */
  async function paidAndReversed() {
    const familyId = randomUUID();
    const subProjectId = randomUUID();
    const paymentId = randomUUID();
    const family = `family-${familyId}`;
    const budget = `subproject-${subProjectId}`;
    const { spend, paid, reversed, given } = payment(familyId, subProjectId, paymentId);
    keyQueries = 0;
    await store.appendToStreams!([
      { streamId: budget, events: [asEventData(spend)], expectedRevision: 'no_stream' },
      { streamId: family, events: [asEventData(paid)], expectedRevision: 'no_stream' },
    ]);
    const appendQueries = keyQueries;
    await store.appendToStreams!([
      { streamId: family, events: [asEventData(reversed)], expectedRevision: 0 },
      { streamId: budget, events: [asEventData(given)], expectedRevision: 0 },
    ]);
    return { familyId, subProjectId, paymentId, family, budget, spend, paid, reversed, given, appendQueries };
  }

  it('round trip: the spend’s description, documentation reference and reversal reason are stored as {"$pd"} under payment/<id> of the family’s key row (named in "s"), and read back as written', async () => {
    const { family, budget, paymentId, spend, paid, reversed, given, appendQueries } = await paidAndReversed();
    // One round trip for the spend and the payment together: one key, created once, with the recipient as its subject.
    expect(appendQueries).toBe(1);

    const raw = await store.raw.readStream(budget);
    const storedSpend = raw[0].data as JsonObject & { payment: JsonObject };
    for (const sealed of [storedSpend.description, storedSpend.payment.documentationRef, raw[1].data.reason]) {
      expect(isSealedField(sealed)).toBe(true);
      expect(isSealedField(sealed) && sealed.$pd).toMatchObject({ k: `payment/${paymentId}`, s: family });
    }
    // The family's own fields keep the form they always had (no "s": the key is the stream's own).
    const [storedPaid] = await store.raw.readStream(family);
    expect(storedPaid.data.documentationRef).toEqual({ $pd: { k: `payment/${paymentId}`, c: expect.any(String) } });
    // Money and ids stay readable.
    expect(storedSpend).toMatchObject({ paymentId, amountOre: 89_900, familyId: family.slice('family-'.length), semester: '2031-spring' });

    const rows = await db.pool.query('SELECT stream_id, key_ref, category, subject_ids FROM keys.data_keys WHERE key_ref = $1', [`payment/${paymentId}`]);
    expect(rows.rows).toEqual([{ stream_id: family, key_ref: `payment/${paymentId}`, category: 'payment', subject_ids: ['m-amina'] }]);
    const texts = [
      ...(await db.pool.query<{ t: string }>('SELECT e::text AS t FROM event_store.events e')).rows,
      ...(await db.pool.query<{ t: string }>('SELECT k::text AS t FROM keys.data_keys k')).rows,
    ].map((r) => r.t);
    for (const needle of [SECRET, RECEIPT, 'Malvik', 'Vinterdress']) expect(texts.filter((t) => t.includes(needle))).toEqual([]);

    const cold = decorated();
    expect((await cold.readStream(budget)).map((e) => e.data)).toEqual([data(spend), data(given)]);
    expect((await cold.readStream(family)).map((e) => e.data)).toEqual([data(paid), data(reversed)]);
    expect((await cold.readAll({ filter: { streamPrefixes: [budget] } })).map((e) => e.data)).toEqual([data(spend), data(given)]);
    cold.keyStore.close();
  });

  it('a spend that names no family stays readable: it is not about a family member', async () => {
    const budget = `subproject-${randomUUID()}`;
    const collective = { ...payment('x', 'y', randomUUID()).spend.data, familyId: null, payment: null, description: 'Buss til sommerleiren' };
    await store.appendToStream(budget, [{ id: randomUUID(), type: 'SpendRecorded', data: collective as unknown as JsonObject }]);
    expect((await store.raw.readStream(budget))[0].data.description).toBe('Buss til sommerleiren');
  });

  describe('shredding the family’s payment key', () => {
    let paid: Awaited<ReturnType<typeof paidAndReversed>>;
    const erasure = {
      on: '2037-01-01',
      rule: 'trondheim-retention-2026@v1/payment',
      provision: 'bokføringsloven § 13 andre ledd',
      by: 'familievedtak-retention',
      erasureId: 'ers-p',
    };
    const note = (path: string) => ({
      path,
      keyRef: `payment/${paid.paymentId}`,
      category: 'payment',
      on: erasure.on,
      rule: erasure.rule,
      provision: erasure.provision,
    });

    beforeAll(async () => {
      paid = await paidAndReversed();
      await store.readStream(paid.budget); // cached: the shred must still reach it
      expect(await store.keyStore.shred(paid.family, [`payment/${paid.paymentId}`], erasure)).toEqual({
        erased: [`payment/${paid.paymentId}`],
        alreadyErased: [],
      });
    });

    it('erases the budget stream’s texts with the family’s: placeholders of their kind and $erased notes, in both streams, through readStream, readAll and a cold store', async () => {
      const expectErased = (events: RecordedEvent[]) => {
        const [spend, given] = events;
        expect(spend.data).toMatchObject({ description: null, payment: { documentationRef: '', recipientMemberId: 'm-amina' }, amountOre: 89_900 });
        // In the stored document's order (jsonb keeps shorter keys first): the same on every read.
        expect(spend.data.$erased).toEqual([note('payment.documentationRef'), note('description')]);
        expect(given.data).toMatchObject({ reason: '', amountOre: 89_900 });
        expect(given.data.$erased).toEqual([note('reason')]);
      };
      expectErased(await store.readStream(paid.budget));
      expectErased(await store.readAll({ filter: { streamPrefixes: [paid.budget] } }));
      const cold = decorated();
      expectErased(await cold.readStream(paid.budget));
      const family = await cold.readStream(paid.family);
      expect(family.map((e) => [e.data.documentationRef ?? e.data.reason, e.data.$erased])).toEqual([
        ['', [note('documentationRef')]],
        ['', [note('reason')]],
      ]);
      cold.keyStore.close();
    });

    it('verify stays clean on both streams (the chain covers the ciphertext), and the money still reconciles (no text is needed)', async () => {
      const verified = await verifyChains(store);
      expect(verified.broken).toEqual([]);
      expect(verified.ok).toBe(true);
      const money = await reconcileStore(store);
      expect(money.differences).toEqual([]);
      expect(money.ok).toBe(true);
      expect(money.spends).toBeGreaterThanOrEqual(1);
    });

    it('an append to the budget stream that needs the erased key is refused and stores nothing', async () => {
      const again = { ...paid.given.data, reason: 'Once more' };
      await expect(store.appendToStream(paid.budget, [{ id: randomUUID(), type: 'SpendReversed', data: again as unknown as JsonObject }])).rejects.toThrow(
        PersonalDataErasedError,
      );
      expect(await store.raw.readStream(paid.budget)).toHaveLength(2);
    });
  });

  it('a budget ciphertext pointed at another family’s key row, or moved to another field, does not decrypt: an integrity error, never a placeholder', async () => {
    const one = await paidAndReversed();
    const other = await paidAndReversed();
    const [spend] = await store.raw.readStream(one.budget);
    const sealed = spend.data.description as { $pd: { k: string; c: string; s: string } };
    // The other family's key row under the same key ref name would be found: point "s" at it.
    const forged = { $pd: { ...sealed.$pd, k: `payment/${other.paymentId}`, s: other.family } };
    await asTamperer(db.pool, `UPDATE event_store.events SET data = jsonb_set(data, '{description}', $1::jsonb) WHERE event_id = $2`, [
      JSON.stringify(forged),
      spend.id,
    ]);
    await expect(decorated().readStream(one.budget)).rejects.toMatchObject({
      code: 'PERSONAL_DATA_INTEGRITY',
      path: 'description',
      keyRef: `payment/${other.paymentId}`,
    });
    const [, given] = await store.raw.readStream(other.budget);
    await asTamperer(db.pool, `UPDATE event_store.events SET data = jsonb_set(data, '{reason}', $1::jsonb) WHERE event_id = $2`, [
      JSON.stringify((await store.raw.readStream(other.budget))[0].data.description),
      given.id,
    ]);
    await expect(decorated().readStream(other.budget)).rejects.toMatchObject({ code: 'PERSONAL_DATA_INTEGRITY', path: 'reason' });
    const verified = await verifyChains(store);
    expect(verified.broken.map((b) => b.streamId).sort()).toEqual([one.budget, other.budget].sort());
  });
});
