import { DEVELOPMENT_KEK, readAppConfig } from './app-config';

describe('readAppConfig: the read replica settings', () => {
  it('reads everything from the primary unless DATABASE_READ_URL is set; waits 500 ms for the replica by default', () => {
    const config = readAppConfig('postgres://primary/db', {});
    expect(config.databaseReadUrl).toBeUndefined();
    expect(config.readYourWritesWaitMs).toBe(500);
    expect(readAppConfig('postgres://primary/db', { DATABASE_READ_URL: '' }).databaseReadUrl).toBeUndefined();
  });

  it('takes DATABASE_READ_URL and READ_YOUR_WRITES_WAIT_MS (0: never wait, go to the primary at once)', () => {
    const config = readAppConfig('postgres://primary/db', { DATABASE_READ_URL: 'postgres://replica/db', READ_YOUR_WRITES_WAIT_MS: '0' });
    expect(config).toMatchObject({ databaseUrl: 'postgres://primary/db', databaseReadUrl: 'postgres://replica/db', readYourWritesWaitMs: 0 });
  });

  it('refuses a wait that is not a whole number of milliseconds', () => {
    for (const bad of ['-1', '1.5', 'soon', ' ']) {
      expect(() => readAppConfig('postgres://primary/db', { READ_YOUR_WRITES_WAIT_MS: bad })).toThrow(
        /READ_YOUR_WRITES_WAIT_MS must be a whole number of 0 or more/,
      );
    }
  });
});

describe('readAppConfig: the key-encryption keys of personal data (PERSONAL_DATA_KEKS)', () => {
  const key = (fill: number) => Buffer.alloc(32, fill).toString('base64');

  it('outside production without PERSONAL_DATA_KEKS: the fixed development KEK; cache of 10000 keys revalidated after 30 s', () => {
    const config = readAppConfig('postgres://primary/db', {});
    expect(config.personalDataKeks).toEqual([DEVELOPMENT_KEK]);
    expect(config.personalDataKeks[0].key).toHaveLength(32);
    expect(config).toMatchObject({ personalDataKeyCacheSize: 10000, personalDataKeyRevalidateMs: 30000 });
  });

  it('takes the KEKs in order (the first wraps, all unwrap), and the cache settings', () => {
    const config = readAppConfig('postgres://primary/db', {
      NODE_ENV: 'production',
      PERSONAL_DATA_KEKS: ` kek-2027:${key(2)} , kek-2026:${key(1)}`,
      PERSONAL_DATA_KEY_CACHE_SIZE: '500',
      PERSONAL_DATA_KEY_REVALIDATE_MS: '0',
    });
    expect(config.personalDataKeks.map((k) => [k.id, k.key.toString('base64')])).toEqual([
      ['kek-2027', key(2)],
      ['kek-2026', key(1)],
    ]);
    expect(config).toMatchObject({ personalDataKeyCacheSize: 500, personalDataKeyRevalidateMs: 0 });
  });

  it('in production without a KEK (or with only blanks) the process does not start, and says what to set', () => {
    for (const env of [{ NODE_ENV: 'production' }, { NODE_ENV: 'production', PERSONAL_DATA_KEKS: '  ' }]) {
      expect(() => readAppConfig('postgres://primary/db', env)).toThrow(/NODE_ENV=production needs PERSONAL_DATA_KEKS=<id>:<base64 of 32 random bytes>/);
    }
  });

  it('in production the development KEK is refused, under its id or its bytes', () => {
    const dev = DEVELOPMENT_KEK.key.toString('base64');
    for (const value of [`development:${key(3)}`, `mine:${dev}`]) {
      expect(() => readAppConfig('postgres://primary/db', { NODE_ENV: 'production', PERSONAL_DATA_KEKS: value })).toThrow(/development KEK/);
    }
  });

  it('refuses a malformed list anywhere: no id, not base64, not 32 bytes, an id twice', () => {
    const bad = [
      `:${key(1)}`,
      `k1${key(1)}`,
      'k1:not-base64-at-all',
      `k1:${Buffer.alloc(16, 1).toString('base64')}`,
      `k1:${Buffer.alloc(33, 1).toString('base64')}`,
      `k 1:${key(1)}`,
    ];
    for (const value of bad) expect(() => readAppConfig('postgres://primary/db', { PERSONAL_DATA_KEKS: value })).toThrow(/PERSONAL_DATA_KEKS entry 1 is not/);
    expect(() => readAppConfig('postgres://primary/db', { PERSONAL_DATA_KEKS: `k1:${key(1)},k1:${key(2)}` })).toThrow(/names KEK k1 twice/);
    expect(() => readAppConfig('postgres://primary/db', { PERSONAL_DATA_KEY_CACHE_SIZE: 'many' })).toThrow(
      /PERSONAL_DATA_KEY_CACHE_SIZE must be a whole number/,
    );
  });
});
