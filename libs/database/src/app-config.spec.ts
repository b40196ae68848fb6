import { readAppConfig } from './app-config';

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
