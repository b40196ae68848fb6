import { generateKeyPairSync, sign as cryptoSign } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { readAuthSettings } from './auth-settings';
import { signToken } from './sign-token';
import { actAs, InvalidToken, NotGranted, verifyToken } from './verify-token';

const keys = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
const sign = (ttlSeconds = 60, roles: ('caseworker' | 'partner')[] = ['caseworker'], clearances?: string[]) =>
  signToken(
    { userId: 'nav-kari', roles, units: ['NAV'], org: '974123456', clearances },
    { privateKey: keys.privateKey, issuer: 'https://idp.example', audience: 'fv', ttlSeconds },
  );

/** Signs arbitrary claims (ES256) with the test key. */
function signRaw(claims: Record<string, unknown>): string {
  const input = `${Buffer.from(JSON.stringify({ alg: 'ES256', typ: 'JWT' })).toString('base64url')}.${Buffer.from(JSON.stringify(claims)).toString('base64url')}`;
  const signature = cryptoSign('sha256', Buffer.from(input), { key: keys.privateKey, dsaEncoding: 'ieee-p1363' });
  return `${input}.${signature.toString('base64url')}`;
}

describe('token verification settings', () => {
  it('refuses to start in production without AUTH_* configuration', () => {
    expect(() => readAuthSettings({ NODE_ENV: 'production' })).toThrow(/AUTH_JWKS_URL.*AUTH_ISSUER.*AUTH_AUDIENCE/);
  });

  it('needs issuer and audience with a key', () => {
    const pem = keys.publicKey.export({ type: 'spki', format: 'pem' }).toString();
    expect(() => readAuthSettings({ AUTH_PUBLIC_KEY: pem })).toThrow(/AUTH_ISSUER and AUTH_AUDIENCE/);
    expect(() => readAuthSettings({ AUTH_PUBLIC_KEY: 'nonsense', AUTH_ISSUER: 'i', AUTH_AUDIENCE: 'a' })).toThrow(/not a PEM/);
  });

  it('verifies against AUTH_PUBLIC_KEY (PEM, also with literal \\n) and reads the claims', async () => {
    const pem = keys.publicKey.export({ type: 'spki', format: 'pem' }).toString().replace(/\n/g, '\\n');
    const settings = readAuthSettings({ NODE_ENV: 'production', AUTH_PUBLIC_KEY: pem, AUTH_ISSUER: 'https://idp.example', AUTH_AUDIENCE: 'fv' });
    const identity = await verifyToken(sign(), settings);
    expect(identity).toEqual({ userId: 'nav-kari', roles: ['caseworker'], units: ['NAV'], org: '974123456', clearances: [] });
    expect(actAs(identity, undefined, undefined)).toEqual({ userId: 'nav-kari', role: 'caseworker', unit: 'NAV', partnerOrganisation: '974123456' });
    expect(() => actAs(identity, undefined, 'BFT')).toThrow(NotGranted);
    await expect(verifyToken(sign(-30), settings)).rejects.toThrow(InvalidToken);
  });

  it('remembers a verified token only while it is valid, and never lets a caller change what the next request gets', async () => {
    const pem = keys.publicKey.export({ type: 'spki', format: 'pem' }).toString();
    const settings = readAuthSettings({ NODE_ENV: 'production', AUTH_PUBLIC_KEY: pem, AUTH_ISSUER: 'https://idp.example', AUTH_AUDIENCE: 'fv' });
    const token = sign(60);
    const first = await verifyToken(token, settings);
    first.roles.push('partner');
    expect(await verifyToken(token, settings)).toEqual({ userId: 'nav-kari', roles: ['caseworker'], units: ['NAV'], org: '974123456', clearances: [] });
    // A cached token past its exp (plus the 5 s tolerance) is verified again, and refused.
    jest.useFakeTimers({ now: Date.now() + 66_000, doNotFake: ['nextTick', 'setImmediate', 'queueMicrotask'] });
    try {
      await expect(verifyToken(token, settings)).rejects.toThrow('The token has expired');
    } finally {
      jest.useRealTimers();
    }
    // The same claims with a tampered signature are never served from the cache.
    await expect(verifyToken(`${token.slice(0, -4)}AAAA`, settings)).rejects.toThrow(InvalidToken);
  });

  it('reads the clearances claim (a list or one string): protected-address clears the actor for protected addresses', async () => {
    const pem = keys.publicKey.export({ type: 'spki', format: 'pem' }).toString();
    const settings = readAuthSettings({ AUTH_PUBLIC_KEY: pem, AUTH_ISSUER: 'https://idp.example', AUTH_AUDIENCE: 'fv' });

    const cleared = await verifyToken(sign(60, ['caseworker'], ['protected-address', 'something-else']), settings);
    expect(cleared.clearances).toEqual(['protected-address', 'something-else']);
    expect(actAs(cleared, undefined, undefined)).toStrictEqual({
      userId: 'nav-kari',
      role: 'caseworker',
      unit: 'NAV',
      partnerOrganisation: '974123456',
      protectedAddressClearance: true,
    });

    const asString = signToken(
      { userId: 'nav-kari', roles: ['caseworker'], units: ['NAV'] },
      { privateKey: keys.privateKey, issuer: 'https://idp.example', audience: 'fv', ttlSeconds: 60 },
    );
    // The claim as one string: signed by hand, as some identity providers send it.
    const [, payload] = asString.split('.');
    const claims = { ...JSON.parse(Buffer.from(payload, 'base64url').toString()), clearances: 'protected-address' };
    const single = signRaw(claims);
    expect(actAs(await verifyToken(single, settings), undefined, undefined).protectedAddressClearance).toBe(true);

    const without = await verifyToken(sign(), settings);
    expect(without.clearances).toEqual([]);
    expect(actAs(without, undefined, undefined)).not.toHaveProperty('protectedAddressClearance');
    const other = await verifyToken(sign(60, ['caseworker'], ['restricted']), settings);
    expect(actAs(other, undefined, undefined)).not.toHaveProperty('protectedAddressClearance');
  });

  describe('AUTH_JWKS_URL', () => {
    let server: Server;
    let url: string;
    beforeAll(async () => {
      const jwk = { ...keys.publicKey.export({ format: 'jwk' }), alg: 'ES256', use: 'sig', kid: 'k1' };
      server = createServer((_req, res) => res.setHeader('content-type', 'application/json').end(JSON.stringify({ keys: [jwk] })));
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/jwks`;
    });
    afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

    it('verifies against the key set and refuses another key', async () => {
      const settings = readAuthSettings({ NODE_ENV: 'production', AUTH_JWKS_URL: url, AUTH_ISSUER: 'https://idp.example', AUTH_AUDIENCE: 'fv' });
      expect((await verifyToken(sign(), settings)).userId).toBe('nav-kari');
      const other = generateKeyPairSync('ec', { namedCurve: 'prime256v1' }).privateKey;
      const forged = signToken({ userId: 'x', roles: ['auditor'] }, { privateKey: other, issuer: 'https://idp.example', audience: 'fv', ttlSeconds: 60 });
      await expect(verifyToken(forged, settings)).rejects.toThrow(InvalidToken);
    });
  });
});
