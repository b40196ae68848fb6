import { randomBytes } from 'node:crypto';
import { decryptField, encryptField, fieldAad, isSealedField, newDataKey, unwrapDataKey, wrapDataKey, type Kek } from './field-cipher';

describe('field cipher (AES-256-GCM, node:crypto)', () => {
  const dek = newDataKey();
  const aad = fieldAad('family-f1', 'A0000000-0000-4000-8000-000000000001', 'members.0.name', 'identity/m-1');

  it('round-trips any JSON value; each encryption has its own iv; the stored shape is {"$pd":{"k","c"}}', () => {
    for (const value of ['Amina Ødegård', '', null, 42, { a: [1, 'ø'] }, ['x']]) {
      const sealed = encryptField(dek, 'identity/m-1', value, aad);
      expect(isSealedField(sealed)).toBe(true);
      expect(Object.keys(sealed)).toEqual(['$pd']);
      expect(sealed.$pd.k).toBe('identity/m-1');
      expect(decryptField(dek, sealed.$pd.c, aad)).toEqual(value);
    }
    const a = encryptField(dek, 'identity/m-1', 'same', aad).$pd.c;
    const b = encryptField(dek, 'identity/m-1', 'same', aad).$pd.c;
    expect(a).not.toBe(b);
  });

  it('the additional data binds the ciphertext to stream, event, path and key ref (the event id as PostgreSQL prints it)', () => {
    expect(aad).toBe('family-f1|a0000000-0000-4000-8000-000000000001|members.0.name|identity/m-1');
    const { c } = encryptField(dek, 'identity/m-1', 'Amina', aad).$pd;
    for (const other of [
      fieldAad('family-f2', 'a0000000-0000-4000-8000-000000000001', 'members.0.name', 'identity/m-1'),
      fieldAad('family-f1', 'a0000000-0000-4000-8000-000000000002', 'members.0.name', 'identity/m-1'),
      fieldAad('family-f1', 'a0000000-0000-4000-8000-000000000001', 'members.1.name', 'identity/m-1'),
      fieldAad('family-f1', 'a0000000-0000-4000-8000-000000000001', 'members.0.name', 'identity/m-2'),
    ]) {
      expect(() => decryptField(dek, c, other)).toThrow();
    }
    expect(() => decryptField(newDataKey(), c, aad)).toThrow();
    const bytes = Buffer.from(c, 'base64');
    bytes[14] ^= 1;
    expect(() => decryptField(dek, bytes.toString('base64'), aad)).toThrow();
  });

  it('wraps a data key under a KEK bound to its id, stream and key ref', () => {
    const kek: Kek = { id: 'kek-a', key: randomBytes(32) };
    const wrapped = wrapDataKey(kek, dek, 'family-f1', 'identity/m-1');
    expect(unwrapDataKey(kek, wrapped, 'family-f1', 'identity/m-1').equals(dek)).toBe(true);
    expect(() => unwrapDataKey(kek, wrapped, 'family-f2', 'identity/m-1')).toThrow();
    expect(() => unwrapDataKey(kek, wrapped, 'family-f1', 'need/n-1')).toThrow();
    expect(() => unwrapDataKey({ id: 'kek-b', key: kek.key }, wrapped, 'family-f1', 'identity/m-1')).toThrow();
  });

  it('timing: encrypt + decrypt of one field (a name), in microseconds (printed, not asserted)', () => {
    const rounds = 20_000;
    const value = 'Amina Hassan Ødegård';
    for (let i = 0; i < 2_000; i++) decryptField(dek, encryptField(dek, 'identity/m-1', value, aad).$pd.c, aad);
    let started = process.hrtime.bigint();
    const sealed: string[] = [];
    for (let i = 0; i < rounds; i++) sealed.push(encryptField(dek, 'identity/m-1', value, aad).$pd.c);
    const encryptNs = Number(process.hrtime.bigint() - started) / rounds;
    started = process.hrtime.bigint();
    for (const c of sealed) decryptField(dek, c, aad);
    const decryptNs = Number(process.hrtime.bigint() - started) / rounds;
    process.stdout.write(
      `[personal-data] per field: encrypt ${(encryptNs / 1000).toFixed(1)} µs, decrypt ${(decryptNs / 1000).toFixed(1)} µs, together ${((encryptNs + decryptNs) / 1000).toFixed(1)} µs (${rounds} rounds)\n`,
    );
    expect(sealed).toHaveLength(rounds);
  });
});
