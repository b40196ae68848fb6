import { randomBytes, randomUUID } from 'node:crypto';
import type { Pool } from 'pg';
import { verifyChains } from '@familievedtak/audit';
import { PERSONAL_DATA_CATALOGUE, type FamilyEvent } from '@familievedtak/domain';
import { everyEventShape, withReadableFreeText } from '../../../domain/src/personal-data/testing/every-event-shape';
import { asTamperer } from '../../../../test/support/tamper';
import { createTestDatabase, type TestDatabase } from '../../../../test/support/test-database';
import { InvalidAppendError } from '../event-store.errors';
import type { EventData, JsonObject, RecordedEvent, Subscription } from '../event-store.port';
import { PostgresEventStore } from '../postgres/postgres-event-store.adapter';
import { familyPersonalDataPolicy } from './family-personal-data.policy';
import { isSealedField, type Kek } from './field-cipher';
import { valueAt } from './json-path';
import { KeyStore, type KeyStoreOptions } from './key-store';
import { PersonalDataErasedError, PersonalDataIntegrityError } from './personal-data.errors';
import { PersonalDataEventStore, rawStoreOf, type ErasedFieldNote } from './personal-data-event-store';
import { withPersonalData } from './with-personal-data';

/**
 * The decorator over the PostgreSQL adapter, on a real database: what is stored is ciphertext,
 * what is read is the plaintext or, once a key is shredded, placeholders with erasure notes.
 */

const KEK_A: Kek = { id: 'kek-a', key: randomBytes(32) };
const KEK_B: Kek = { id: 'kek-b', key: randomBytes(32) };
/** Distinctive enough that finding it in a row's text means plaintext leaked. */
const NAME = 'Quillfeather-Ødegård';

const asEventData = (events: FamilyEvent[]): EventData[] =>
  events.map((e) => ({ id: randomUUID().toUpperCase(), type: e.type, data: e.data as JsonObject, metadata: { by: 'spec' } }));
/** The all-types sample: the family's data carries NAME, the readable free text (staff, organisations, district) does not. */
function sample(): EventData[] {
  let n = 0;
  return asEventData(
    withReadableFreeText(
      everyEventShape(() => `${NAME} ${++n}`),
      'Saupstad skole',
    ),
  );
}
const family = () => `family-${randomUUID()}`;
const stamp = { at: '2031-02-01T09:00:00.000Z', by: { userId: 'retention', role: 'caseworker', unit: null, partnerOrganisation: null } };
const erasure = {
  on: '2031-02-01',
  rule: 'trondheim-2026@v1/identity-after-case',
  provision: 'arkivforskriften § 15',
  by: 'familievedtak-retention',
  erasureId: 'ers-1',
};

async function untilCaughtUp(subscription: Subscription): Promise<RecordedEvent[]> {
  const events: RecordedEvent[] = [];
  for await (const message of subscription) {
    if (message.kind === 'caught-up') break;
    events.push(message.event);
  }
  await subscription.close();
  return events;
}

describe('PersonalDataEventStore over PostgreSQL', () => {
  let db: TestDatabase;
  let inner: PostgresEventStore;
  let store: PersonalDataEventStore;
  let keyQueries = 0;
  const stores: PersonalDataEventStore[] = [];

  /** The pool as the key store sees it: every query counted (the adapter uses the plain pool). */
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
  const decorated = (keks: Kek[] = [KEK_A], options: Partial<KeyStoreOptions> = {}) => {
    const keyStore = new KeyStore({ pool: counted(db.pool), keks, categoryOf: familyPersonalDataPolicy.categoryOf, ...options });
    const decorator = new PersonalDataEventStore(inner, { keyStore, policy: familyPersonalDataPolicy, pollIntervalMs: 10 });
    stores.push(decorator);
    return decorator;
  };
  const countOf = async (streamId: string) =>
    Number((await db.pool.query('SELECT count(*) AS n FROM event_store.events WHERE stream_id = $1', [streamId])).rows[0].n);

  beforeAll(async () => {
    db = await createTestDatabase(6);
    inner = new PostgresEventStore({ pool: db.pool, pollIntervalMs: 10 });
    await inner.migrate();
    store = decorated();
  });
  afterAll(async () => {
    for (const s of stores) s.keyStore.close();
    await inner.close();
    await db.drop();
  });

  it('round-trips every catalogued field of every event type; the adapter stores {"$pd"} in each, under the key ref the catalogue names', async () => {
    const streamId = family();
    const events = sample();
    await store.appendToStream(streamId, events.slice(0, 25), { expectedRevision: 'no_stream' });
    await store.appendToStream(streamId, events.slice(25), { expectedRevision: 24 });

    const read = await store.readStream(streamId);
    expect(read.map((e) => e.data)).toEqual(events.map((e) => e.data));
    expect(read.map((e) => e.id)).toEqual(events.map((e) => e.id.toLowerCase()));

    const raw = await store.raw.readStream(streamId);
    let fields = 0;
    const sealedTypes = new Set<string>();
    raw.forEach((event, i) => {
      for (const field of familyPersonalDataPolicy.fieldsOf(event.type, events[i].data, streamId)) {
        const stored = valueAt(event.data, field.path);
        expect(isSealedField(stored)).toBe(true);
        expect(isSealedField(stored) && stored.$pd.k).toBe(field.keyRef);
        sealedTypes.add(event.type);
        fields++;
      }
      expect(JSON.stringify(event.data)).not.toContain(NAME);
    });
    const typesWithFields = Object.entries(PERSONAL_DATA_CATALOGUE)
      .filter(([, entry]) => 'fields' in entry)
      .map(([type]) => type);
    expect([...sealedTypes].sort()).toEqual(typesWithFields.sort());
    expect(fields).toBeGreaterThan(70);
    expect((await store.readAll({ filter: { streamPrefixes: [streamId] } })).map((e) => e.data)).toEqual(events.map((e) => e.data));
  });

  it('no plaintext of a distinctive name, text or national id in event_store.events or keys.data_keys (every row read as text)', async () => {
    const streamId = family();
    const events = sample();
    await store.appendToStream(streamId, events);
    const texts = [
      ...(await db.pool.query<{ t: string }>('SELECT e::text AS t FROM event_store.events e')).rows,
      ...(await db.pool.query<{ t: string }>('SELECT k::text AS t FROM keys.data_keys k')).rows,
    ].map((r) => r.t);
    expect(texts.length).toBeGreaterThan(100);
    for (const needle of [NAME, 'Quillfeather', 'Ødegård', '\\u00d8deg']) expect(texts.filter((t) => t.includes(needle))).toEqual([]);
    // The key rows hold wrapped keys, their category and subjects (member ids): nothing readable of the family.
    const { rows } = await db.pool.query('SELECT key_ref, category, subject_ids, kek_id FROM keys.data_keys WHERE stream_id = $1 ORDER BY key_ref', [streamId]);
    expect(rows.find((r) => r.key_ref === 'identity/m-a')).toEqual({ key_ref: 'identity/m-a', category: 'identity', subject_ids: ['m-a'], kek_id: 'kek-a' });
    expect(rows.find((r) => r.key_ref === 'appeal/ap-1')).toMatchObject({ category: 'decision' });
  });

  it('round trips to the key store: none without personal fields or with every key cached, one for new keys (also for several streams at once), one per cold read', async () => {
    const [a, b] = [family(), family()];
    const [registered, ...rest] = sample();
    const need = (type: string, data: JsonObject): EventData => ({ id: randomUUID(), type, data: { ...data, ...stamp } });
    keyQueries = 0;
    await store.appendToStream(a, [registered]);
    expect(keyQueries).toBe(1);
    await store.appendToStream(a, [need('NeedPickedUp', { needId: 'n-1', unit: 'BFT' })]);
    expect(keyQueries).toBe(1);
    await store.appendToStream(a, [
      need('NeedExpressed', {
        needId: 'n-1',
        memberId: 'm-b',
        words: 'Fotball',
        expressedOn: '2024-02-20',
        recordedBy: { kind: 'unit', unit: 'NAV', userId: 'u' },
      }),
    ]);
    expect(keyQueries).toBe(2);
    await store.appendToStream(a, [need('NeedResolved', { needId: 'n-1', decisionIds: [], paymentIds: [], resolution: 'Fikk plass på laget' })]);
    expect(keyQueries).toBe(2);
    await store.appendToStreams!([
      { streamId: a, events: rest.slice(0, 3), expectedRevision: 3 },
      { streamId: b, events: asEventData(everyEventShape(() => 'x')).slice(0, 4), expectedRevision: 'no_stream' },
    ]);
    expect(keyQueries).toBe(3);

    const cold = decorated();
    keyQueries = 0;
    const first = await cold.readStream(a);
    expect(keyQueries).toBe(1);
    expect(await cold.readStream(a)).toEqual(first);
    expect(keyQueries).toBe(1);
    expect(first[3].data.resolution).toBe('Fikk plass på laget');
  });

  it('plaintext written before encryption reads as it is; other streams pass through untouched; reserved keys are refused on the way in', async () => {
    const streamId = family();
    const [old] = sample();
    await store.raw.appendToStream(streamId, [old]);
    expect((await store.readStream(streamId))[0].data).toEqual(old.data);

    // A budget stream's spend that names no family is not about a family member (sub-project-personal-data.store.spec.ts: one that does).
    const budget = `subproject-${randomUUID()}`;
    await store.appendToStream(budget, [{ id: randomUUID(), type: 'SpendRecorded', data: { paymentId: 'p-0', familyId: null, description: NAME } }]);
    expect((await store.raw.readStream(budget))[0].data).toEqual({ paymentId: 'p-0', familyId: null, description: NAME });
    const rules = `ruleset-${randomUUID()}`;
    await store.appendToStream(rules, [{ id: randomUUID(), type: 'RuleSetDrafted', data: { description: NAME, note: { $pd: 'not ours' } } }]);
    expect((await store.raw.readStream(rules))[0].data).toEqual({ description: NAME, note: { $pd: 'not ours' } });

    const forged = { $pd: { k: 'identity/m-a', c: 'AAAA' } };
    await expect(store.appendToStream(streamId, [{ id: randomUUID(), type: 'NeedPickedUp', data: { needId: 'n', unit: 'BFT', x: [forged] } }])).rejects.toThrow(
      InvalidAppendError,
    );
    await expect(store.appendToStream(streamId, [{ id: randomUUID(), type: 'NeedPickedUp', data: { needId: 'n', unit: 'BFT', $erased: [] } }])).rejects.toThrow(
      /"\$erased" is reserved/,
    );
    expect(await countOf(streamId)).toBe(1);
  });

  it('a ciphertext moved to another event or another field does not decrypt: an integrity error (not a placeholder), and verify names the edit', async () => {
    const streamId = family();
    const [registered] = sample();
    const left = (reason: string): EventData => ({ id: randomUUID(), type: 'MemberLeft', data: { memberId: 'm-c', leftOn: '2024-02-02', reason, ...stamp } });
    await store.appendToStream(streamId, [registered, left('moved away'), left('moved back')]);
    const raw = await store.raw.readStream(streamId);
    // Same key (the member-left texts of one append share case/family:<at>), same path, another event.
    await asTamperer(db.pool, `UPDATE event_store.events SET data = jsonb_set(data, '{reason}', $1::jsonb) WHERE event_id = $2`, [
      JSON.stringify(raw[1].data.reason),
      raw[2].id,
    ]);
    const moved = await store.readStream(streamId).catch((error: unknown) => error);
    expect(moved).toBeInstanceOf(PersonalDataIntegrityError);
    expect(moved).toMatchObject({ code: 'PERSONAL_DATA_INTEGRITY', streamId, eventId: raw[2].id, path: 'reason', keyRef: `case/family:${stamp.at}` });
    expect((moved as Error).message).toMatch(/does not decrypt under its key at this place/);
    const verified = await verifyChains(store, { streamId });
    expect(verified.broken).toEqual([expect.objectContaining({ revision: 2, reason: 'content-altered' })]);

    // Same key (identity/m-a), same event, another path: the name's ciphertext as the national id.
    const other = family();
    await store.appendToStream(other, [{ ...registered, id: randomUUID() }]);
    const [stored] = await store.raw.readStream(other);
    await asTamperer(db.pool, `UPDATE event_store.events SET data = jsonb_set(data, '{members,0,nationalId}', $1::jsonb) WHERE event_id = $2`, [
      JSON.stringify(valueAt(stored.data, ['members', 0, 'name'])),
      stored.id,
    ]);
    await expect(store.readStream(other)).rejects.toMatchObject({ code: 'PERSONAL_DATA_INTEGRITY', path: 'members.0.nationalId' });
  });

  describe('after a key is shredded', () => {
    const streamId = family();
    let events: EventData[];
    const shredded = ['identity/m-a', 'decision/d-1', 'appeal/ap-1', 'letter/l-1'];

    beforeAll(async () => {
      events = sample();
      await store.appendToStream(streamId, events);
      await store.readStream(streamId); // every key of the stream cached
      expect(await store.keyStore.shred(streamId, shredded, erasure)).toEqual({ erased: shredded.slice().sort(), alreadyErased: [] });
    });

    it('is idempotent: the first tombstone stays; a key no event created (letter/…) gets a tombstone of its category', async () => {
      expect(await store.keyStore.shred(streamId, ['identity/m-a', 'letter/l-1'], { ...erasure, erasureId: 'ers-2', on: '2032-01-01' })).toEqual({
        erased: [],
        alreadyErased: ['identity/m-a', 'letter/l-1'],
      });
      const tombstones = await store.keyStore.tombstones({ streamId });
      expect(tombstones.map((t) => [t.keyRef, t.category, t.on, t.erasureId])).toEqual([
        ['appeal/ap-1', 'decision', '2031-02-01', 'ers-1'],
        ['decision/d-1', 'decision', '2031-02-01', 'ers-1'],
        ['identity/m-a', 'identity', '2031-02-01', 'ers-1'],
        ['letter/l-1', 'letter', '2031-02-01', 'ers-1'],
      ]);
      expect((await store.keyStore.tombstones({ subjectId: 'm-a' })).map((t) => t.keyRef)).toContain('identity/m-a');
      expect((await store.keyStore.tombstones({ erasureId: 'ers-1', streamId })).length).toBe(4);
    });

    it('reads placeholders of their own type and $erased notes from the tombstone; the rest reads as written', async () => {
      const [registered] = await store.readStream(streamId, { maxCount: 1 });
      const members = registered.data.members as JsonObject[];
      expect(members[0]).toMatchObject({ memberId: 'm-a', name: '', birthDate: '0001-01-01', nationalId: null, preferredLanguage: null, role: 'adult' });
      expect(members[1]).toEqual((events[0].data.members as JsonObject[])[1]);
      const note = (path: string, keyRef: string, category: string): ErasedFieldNote => ({
        path,
        keyRef,
        category,
        on: '2031-02-01',
        rule: erasure.rule,
        provision: erasure.provision,
      });
      expect(registered.data.$erased).toEqual(
        expect.arrayContaining(['name', 'birthDate', 'nationalId', 'preferredLanguage'].map((f) => note(`members.0.${f}`, 'identity/m-a', 'identity'))),
      );
      expect(registered.data.$erased).toHaveLength(4);

      const all = await store.readStream(streamId);
      const proposed = all.find((e) => e.type === 'DecisionProposed' && e.data.decisionId === 'd-1')!;
      expect(proposed.data.reasons).toEqual({ rulesApplied: ['barnevernsloven § 3-1'], facts: '', mainConsiderations: null, summary: '' });
      expect((proposed.data.childViews as JsonObject[]).map((v) => [v.views ?? v.explanation, v.memberId])).toEqual([
        ['', 'm-b'],
        ['', 'm-c'],
      ]);
      const granted = all.find((e) => e.type === 'AppealGrantedByUnit')!;
      expect(granted.data.$erased).toEqual(
        expect.arrayContaining([note('reasons', 'appeal/ap-1', 'decision'), note('effect.terms.reasons', 'decision/d-1', 'decision')]),
      );
      expect(granted.data.$erased).toHaveLength(2);
      // Other records keep their text.
      const need = all.find((e) => e.type === 'NeedExpressed')!;
      expect(need.data.words).toBe(events.find((e) => e.type === 'NeedExpressed')!.data.words);
      expect(need.data.$erased).toBeUndefined();
      const erasedEvents = all.filter((e) => e.data.$erased !== undefined).map((e) => e.type);
      expect(erasedEvents).toEqual(
        expect.arrayContaining(['FamilyRegistered', 'DecisionProposed', 'AppealRegistered', 'NotificationSent', 'PartyStatementReceived']),
      );
    });

    it('is deterministic: the same on every read, with a cold cache, through readAll and through a subscription', async () => {
      const first = await store.readStream(streamId);
      const cold = decorated();
      expect(await cold.readStream(streamId)).toEqual(first);
      expect(await cold.readAll({ filter: { streamPrefixes: [streamId] } })).toEqual(first);
      const delivered = await untilCaughtUp(decorated().subscribeToAll({ filter: { streamPrefixes: [streamId] }, batchSize: 7 }));
      expect(delivered).toEqual(first);
    });

    it('verify stays clean: the chain covers the ciphertext, which shredding leaves as it was', async () => {
      expect(rawStoreOf(store)).toBe(inner);
      expect(await verifyChains(store, { streamId })).toEqual({ streams: 1, events: events.length, broken: [], ok: true });
      expect(await verifyChains(store, { streamPrefix: streamId })).toMatchObject({ ok: true });
    });

    it('an append that needs an erased key is refused and stores nothing, in one stream or several at once; appends without it go on', async () => {
      const before = await countOf(streamId);
      const other = family();
      const amended: EventData = {
        id: randomUUID(),
        type: 'DecisionAmended',
        data: {
          decisionId: 'd-1',
          periodFrom: '2024-03-01',
          periodUntil: '2024-12-31',
          amounts: { monthlyAmountOre: 1, oneOffAmountOre: null },
          legalBasis: null,
          reasons: 'New reasons',
          appealId: null,
          delegation: { ruleSetId: 'r', ruleSetVersion: 1, ruleId: 'x' },
          ...stamp,
        },
      };
      const words: EventData = {
        id: randomUUID(),
        type: 'NeedExpressed',
        data: { needId: 'n-9', memberId: null, words: 'Ny', expressedOn: '2031-02-01', recordedBy: { kind: 'unit', unit: 'NAV', userId: 'u' }, ...stamp },
      };
      const refused = await store.appendToStream(streamId, [words, amended]).catch((error: unknown) => error);
      expect(refused).toBeInstanceOf(PersonalDataErasedError);
      expect(refused).toMatchObject({ code: 'PERSONAL_DATA_ERASED', streamId, keyRefs: ['decision/d-1'] });
      // With a cold cache the refusal comes from the key store's answer.
      await expect(decorated().appendToStream(streamId, [amended])).rejects.toThrow(PersonalDataErasedError);
      await expect(
        store.appendToStreams!([
          { streamId: other, events: [{ ...words, id: randomUUID() }], expectedRevision: 'no_stream' },
          { streamId, events: [amended], expectedRevision: before - 1 },
        ]),
      ).rejects.toThrow(PersonalDataErasedError);
      expect([await countOf(streamId), await countOf(other)]).toEqual([before, 0]);
      // The key stays erased; an event that needs no erased key is stored.
      expect((await store.keyStore.tombstones({ streamId })).map((t) => t.keyRef)).toContain('decision/d-1');
      await store.appendToStream(streamId, [
        { id: randomUUID(), type: 'DecisionExpired', data: { decisionId: 'd-1', periodUntil: '2024-12-31', delegation: {}, ...stamp } },
      ]);
      expect(await countOf(streamId)).toBe(before + 1);
    });
  });

  it('an erased key leaves every cache of this process at once; another process stops decrypting within its revalidation bound, or at once when it meets the erasure event', async () => {
    const streamId = family();
    await store.appendToStream(streamId, sample());
    const second = decorated();
    let clock = 1_000_000;
    const elsewhere = decorated([KEK_A], { now: () => clock, revalidateAfterMs: 30_000 });
    for (const reader of [store, second, elsewhere]) await reader.readStream(streamId);
    const nameOf = async (reader: PersonalDataEventStore) => ((await reader.readStream(streamId, { maxCount: 1 }))[0].data.members as JsonObject[])[1].name;
    const plain = await nameOf(second);
    expect(plain).toContain(NAME);

    await store.keyStore.shred(streamId, ['identity/m-b'], erasure);
    expect(await nameOf(second)).toBe('');
    expect(await nameOf(elsewhere)).toBe('');

    // Another process shreds (here: the same SQL from outside any key store of this process).
    await db.pool.query(
      `UPDATE keys.data_keys SET wrapped = NULL, erased_at = now(), erased_on = '2031-02-01' WHERE stream_id = $1 AND key_ref = 'identity/m-a'`,
      [streamId],
    );
    const nameOfA = async () => ((await elsewhere.readStream(streamId, { maxCount: 1 }))[0].data.members as JsonObject[])[0].name;
    expect(await nameOfA()).toContain(NAME); // still cached here, within the bound
    clock += 29_999;
    expect(await nameOfA()).toContain(NAME);
    clock += 1;
    expect(await nameOfA()).toBe('');

    // The erasure event (design §5) names the keys: a reader that meets it forgets them before decoding.
    const needWords = async () => (await elsewhere.readStream(streamId)).find((e) => e.type === 'NeedExpressed')!.data.words;
    expect(await needWords()).toContain(NAME);
    await db.pool.query(`UPDATE keys.data_keys SET wrapped = NULL, erased_at = now(), erased_on = '2031-02-01' WHERE stream_id = $1 AND key_ref = 'need/n-1'`, [
      streamId,
    ]);
    await store.appendToStream(streamId, [
      {
        id: randomUUID(),
        type: 'PersonalDataErased',
        data: { erasureId: 'e', keyRefs: ['need/n-1'], subjects: ['m-b'], categories: ['need'], on: '2031-02-01', rule: null, requestId: 'r', ...stamp },
      },
    ]);
    expect(await needWords()).toBe('');
    // Once read, the tombstone stays cached: the erasure event does not send every later read to the key store.
    const queries = keyQueries;
    expect(await needWords()).toBe('');
    expect(keyQueries).toBe(queries);
  });

  it('withPersonalData wraps an adapter as EventStoreModule does: the family catalogue, the development KEK unless told otherwise', async () => {
    const byHand = withPersonalData(inner, { pool: db.pool, pollIntervalMs: 10 });
    stores.push(byHand);
    const streamId = family();
    const [registered] = sample();
    await byHand.appendToStream(streamId, [registered]);
    expect((await byHand.readStream(streamId))[0].data).toEqual(registered.data);
    const { rows } = await db.pool.query('SELECT DISTINCT kek_id FROM keys.data_keys WHERE stream_id = $1', [streamId]);
    expect(rows).toEqual([{ kek_id: 'development' }]);
    await expect(store.readStream(streamId)).rejects.toThrow(/KEK "development", which PERSONAL_DATA_KEKS does not list/);
  });

  it('keys.data_keys keeps every key and tombstone: no DELETE or TRUNCATE, an erased key is never live again, only erasing or re-wrapping changes a row', async () => {
    const streamId = family();
    await store.appendToStream(streamId, sample().slice(0, 2));
    await store.keyStore.shred(streamId, ['identity/m-a'], erasure);
    await expect(db.pool.query('DELETE FROM keys.data_keys WHERE stream_id = $1', [streamId])).rejects.toThrow(/DELETE refused/);
    await expect(db.pool.query('TRUNCATE keys.data_keys')).rejects.toThrow(/TRUNCATE refused/);
    await expect(
      db.pool.query(`UPDATE keys.data_keys SET wrapped = '\\x00', erased_at = NULL, erased_on = NULL WHERE stream_id = $1 AND key_ref = 'identity/m-a'`, [
        streamId,
      ]),
    ).rejects.toThrow(/is erased and stays erased/);
    await expect(db.pool.query(`UPDATE keys.data_keys SET subject_ids = '{}' WHERE stream_id = $1 AND key_ref = 'identity/m-b'`, [streamId])).rejects.toThrow(
      /only erasing or re-wrapping/,
    );
  });
});

describe('PersonalDataEventStore: KEK rotation', () => {
  let db: TestDatabase;
  let inner: PostgresEventStore;
  const keyStores: KeyStore[] = [];
  const decorated = (keks: Kek[]) => {
    const keyStore = new KeyStore({ pool: db.pool, keks, categoryOf: familyPersonalDataPolicy.categoryOf });
    keyStores.push(keyStore);
    return new PersonalDataEventStore(inner, { keyStore, policy: familyPersonalDataPolicy });
  };

  beforeAll(async () => {
    db = await createTestDatabase(4);
    inner = new PostgresEventStore({ pool: db.pool });
    const keyStore = new KeyStore({ pool: db.pool, keks: [KEK_A] });
    await keyStore.migrate(); // alone, as for EventStoreDB: the key table before the log's tables
    keyStore.close();
    await inner.migrate();
  });
  afterAll(async () => {
    keyStores.forEach((k) => k.close());
    await db.drop();
  });

  it('a key wrapped by an older KEK still unwraps when it is not first; new keys go under the first; re-wrapping lets the old KEK go', async () => {
    const [before, after] = [family(), family()];
    const written = sample();
    await decorated([KEK_A]).appendToStream(before, written);

    const rotated = decorated([KEK_B, KEK_A]);
    expect((await rotated.readStream(before)).map((e) => e.data)).toEqual(written.map((e) => e.data));
    await rotated.appendToStream(
      after,
      written.map((e) => ({ ...e, id: randomUUID() })),
    );
    const kekOf = async (streamId: string) =>
      (await db.pool.query('SELECT DISTINCT kek_id FROM keys.data_keys WHERE stream_id = $1', [streamId])).rows.map((r) => r.kek_id);
    expect([await kekOf(before), await kekOf(after)]).toEqual([['kek-a'], ['kek-b']]);

    await rotated.keyStore.shred(before, ['need/n-2'], erasure);
    const onlyB = decorated([KEK_B]);
    await expect(onlyB.readStream(before)).rejects.toThrow(/wrapped by KEK "kek-a", which PERSONAL_DATA_KEKS does not list/);
    expect((await onlyB.readStream(after)).map((e) => e.data)).toEqual(written.map((e) => e.data));

    const live = Number((await db.pool.query(`SELECT count(*) AS n FROM keys.data_keys WHERE kek_id = 'kek-a' AND wrapped IS NOT NULL`)).rows[0].n);
    expect(await rotated.keyStore.rewrap(3)).toBe(live);
    const liveKeks = (await db.pool.query('SELECT DISTINCT kek_id FROM keys.data_keys WHERE wrapped IS NOT NULL')).rows.map((r) => r.kek_id);
    expect(liveKeks).toEqual(['kek-b']);
    const reread = await decorated([KEK_B]).readStream(before);
    expect(reread.find((e) => e.type === 'FamilyRegistered')!.data).toEqual(written[0].data);
    expect(reread.find((e) => e.type === 'NeedWithdrawn')!.data.reason).toBeNull(); // erased before the re-wrap: its tombstone untouched
  });

  it('a key store needs a KEK to start', () => {
    expect(() => new KeyStore({ pool: db.pool, keks: [] })).toThrow(/At least one key-encryption key/);
    expect(() => new KeyStore({ pool: db.pool, keks: [{ id: 'short', key: randomBytes(16) }] })).toThrow(/16 bytes, not 32/);
  });
});
