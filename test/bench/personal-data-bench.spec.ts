import { PostgresEventStore, withPersonalData, type RecordedEvent } from '@familievedtak/event-store';
import { decideGeneratedFamily } from '../../bench/data/generator';
import { measurePersonalData, personalDataRows, type PersonalDataResult } from '../../bench/personal-data/encryption.bench';
import { createTestDatabase, type TestDatabase } from '../support/test-database';

const FAMILIES = 5;
const SEED = 2023;

const countEvents = async (db: TestDatabase) => Number((await db.pool.query<{ n: string }>('SELECT count(*) AS n FROM event_store.events')).rows[0].n);
/** Rows of event_store.events whose stored data holds the text anywhere. */
const rowsHolding = async (db: TestDatabase, text: string) =>
  Number((await db.pool.query<{ n: string }>('SELECT count(*) AS n FROM event_store.events WHERE strpos(data::text, $1) > 0', [text])).rows[0].n);

/** The generated families' member names (the FamilyRegistered members). */
function memberNames(): string[] {
  const names = new Set<string>();
  for (let index = 0; index < FAMILIES; index++) {
    for (const event of decideGeneratedFamily(SEED, index).events) {
      if (event.type !== 'FamilyRegistered') continue;
      for (const member of (event.data as { members: Array<{ name: string }> }).members) names.add(member.name);
    }
  }
  return [...names];
}

/**
 * The personal-data encryption bench (bench/personal-data) at a tiny size: its figures have the
 * shape the table needs and are sane (same events on both sides, ciphertext on the encrypted
 * one, finite positive ratios). How fast anything is, is never asserted here.
 */
describe('bench: personal-data encryption, plain against encrypted', () => {
  let plain: TestDatabase;
  let encrypted: TestDatabase;
  let result: PersonalDataResult;

  beforeAll(async () => {
    plain = await createTestDatabase(8);
    encrypted = await createTestDatabase(8);
    result = await measurePersonalData(plain, encrypted, {
      families: FAMILIES,
      seed: SEED,
      chunks: 2,
      concurrency: 2,
      readRounds: 2,
      rebuildRounds: 1,
      samples: FAMILIES,
      appendFamilies: 1,
      appendRounds: 2,
      writers: 1,
    });
  }, 300_000);

  afterAll(async () => {
    await plain?.drop();
    await encrypted?.drop();
  });

  it('generates the same events into both databases (and the microbench the same appends)', async () => {
    expect(result.generation.plain.families).toBe(FAMILIES);
    expect(result.generation.encrypted.events).toBe(result.generation.plain.events);
    expect(result.events).toBeGreaterThan(FAMILIES * 10);
    const inPlain = await countEvents(plain);
    expect(await countEvents(encrypted)).toBe(inPlain);
    expect(result.appends.appendsPerRound).toHaveLength(2);
    expect(inPlain).toBe(result.events + result.appends.appends);
    expect(result.readAll.events).toBe(result.events);
    expect(result.rebuild.events).toBe(result.events);
  });

  it('stores ciphertext on the encrypted side: no generated member name is in its log, every one is in the plain log', async () => {
    const names = memberNames();
    expect(names.length).toBeGreaterThanOrEqual(FAMILIES * 2);
    for (const name of names) {
      expect(await rowsHolding(plain, name)).toBeGreaterThan(0);
      expect(await rowsHolding(encrypted, name)).toBe(0);
    }
    expect(result.storage.keyRows.plain).toBe(0);
    expect(result.storage.keyRows.encrypted).toBeGreaterThan(FAMILIES);
    expect(result.storage.keyRowsByCategory.identity).toBeGreaterThanOrEqual(names.length);
  });

  it('reads the same events through the encrypting store as through the plain one', async () => {
    const byId = (events: RecordedEvent[]) => new Map(events.map((e) => [e.id.toLowerCase(), { type: e.type, data: e.data, streamId: e.streamId }]));
    const plainStore = new PostgresEventStore({ pool: plain.pool });
    const decrypting = withPersonalData(new PostgresEventStore({ pool: encrypted.pool }), { pool: encrypted.pool });
    try {
      const a = byId(await plainStore.readAll({ maxCount: 100_000 }));
      const b = byId(await decrypting.readAll({ maxCount: 100_000 }));
      expect(b.size).toBe(a.size);
      expect(b).toEqual(a);
    } finally {
      decrypting.keyStore.close();
    }
  });

  it('gives rows with finite, positive figures and ratios encrypted / plain, each with its runs', () => {
    const positive = (n: number) => Number.isFinite(n) && n > 0;
    for (const paired of [result.generation.rates, result.appends.rates, result.readAll.rates, result.rebuild.rates]) {
      expect(paired.plain.length).toBeGreaterThan(0);
      expect(paired.encrypted).toHaveLength(paired.plain.length);
      expect(paired.ratios).toHaveLength(paired.plain.length);
      for (const n of [...paired.plain, ...paired.encrypted, ...paired.ratios, paired.ratio]) expect(positive(n)).toBe(true);
    }
    expect(result.generation.rates.ratios).toHaveLength(2);
    expect(result.readAll.rates.ratios).toHaveLength(2);
    expect(positive(result.readAll.decryptionRatio)).toBe(true);
    // The key store is asked at most once per append: by every append that needs a key not cached.
    expect(result.generation.keyQueries).toBeGreaterThanOrEqual(FAMILIES);
    expect(result.generation.keyQueries).toBeLessThanOrEqual(result.generation.appendCalls);
    expect(result.appends.keyQueries).toBeGreaterThan(0);
    expect(result.appends.keyQueries).toBeLessThanOrEqual(result.appends.appends);
    expect(result.asOf.families).toBe(FAMILIES);
    for (const cut of ['middle', 'end'] as const) {
      for (const side of ['plain', 'encrypted'] as const) {
        expect(result.asOf.cuts[cut][side].runs).toBe(FAMILIES);
        expect(positive(result.asOf.cuts[cut][side].median)).toBe(true);
      }
    }
    for (const side of ['plain', 'encrypted'] as const) expect(positive(result.storage.eventsBytes[side])).toBe(true);
    expect(result.storage.eventsBytes.encrypted).toBeGreaterThan(result.storage.eventsBytes.plain);

    const rows = personalDataRows(result);
    expect(rows.length).toBeGreaterThanOrEqual(12);
    for (const row of rows) {
      expect(row.area).toMatch(/personal data/);
      expect(row.metric.length).toBeGreaterThan(0);
      expect(positive(row.value)).toBe(true);
      if (row.baseline) {
        expect(positive(row.baseline.value)).toBe(true);
        expect(positive(row.ratio!)).toBe(true);
      }
    }
    expect(rows.filter((r) => r.ratio !== undefined)).toHaveLength(rows.length - 1);
  });
});
