import { generateKeyPairSync } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { readAuthSettings } from './auth-settings';
import { signToken } from './sign-token';
import { actAs, InvalidToken, NotGranted, verifyToken } from './verify-token';

const keys = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
const sign = (ttlSeconds = 60, roles: ('caseworker' | 'partner')[] = ['caseworker']) =>
  signToken({ userId: 'nav-kari', roles, units: ['NAV'], org: 'Røde Kors' }, { privateKey: keys.privateKey, issuer: 'https://idp.example', audience: 'fv', ttlSeconds });

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
    expect(identity).toEqual({ userId: 'nav-kari', roles: ['caseworker'], units: ['NAV'], org: 'Røde Kors' });
    expect(actAs(identity, undefined, undefined)).toEqual({ userId: 'nav-kari', role: 'caseworker', unit: 'NAV', partnerOrganisation: 'Røde Kors' });
    expect(() => actAs(identity, undefined, 'BFT')).toThrow(NotGranted);
    await expect(verifyToken(sign(-30), settings)).rejects.toThrow(InvalidToken);
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
