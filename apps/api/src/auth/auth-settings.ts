import { createPublicKey, type KeyObject } from 'node:crypto';
import { createRemoteJWKSet, type JWTVerifyGetKey } from 'jose';
import { DEV_AUDIENCE, DEV_ISSUER, loadOrCreateDevKeyPair } from './dev-keys';

/** How the API verifies bearer tokens: which key(s), which issuer and audience. */
export interface AuthSettings {
  issuer: string;
  audience: string;
  /** A public key, or a key set fetched (and cached) from a JWKS URL. */
  key: KeyObject | JWTVerifyGetKey;
  /** For the start-up log: where the key comes from. */
  source: string;
}

export const AUTH_SETTINGS = Symbol('AUTH_SETTINGS');

/**
 * AUTH_JWKS_URL or AUTH_PUBLIC_KEY (PEM), with AUTH_ISSUER and AUTH_AUDIENCE. Without either,
 * outside production, the development key pair of `npm run token`; in production the API
 * refuses to start.
 */
export function readAuthSettings(env: NodeJS.ProcessEnv = process.env): AuthSettings {
  const jwksUrl = env.AUTH_JWKS_URL?.trim();
  const publicKey = env.AUTH_PUBLIC_KEY?.trim();
  if (jwksUrl || publicKey) {
    if (jwksUrl && publicKey) throw new Error('Set AUTH_JWKS_URL or AUTH_PUBLIC_KEY, not both');
    const issuer = env.AUTH_ISSUER?.trim();
    const audience = env.AUTH_AUDIENCE?.trim();
    if (!issuer || !audience) throw new Error('Token verification needs AUTH_ISSUER and AUTH_AUDIENCE (with AUTH_JWKS_URL or AUTH_PUBLIC_KEY)');
    if (jwksUrl) {
      let url: URL;
      try {
        url = new URL(jwksUrl);
      } catch {
        throw new Error(`AUTH_JWKS_URL is not a URL: ${jwksUrl}`);
      }
      return { issuer, audience, key: createRemoteJWKSet(url), source: `JWKS ${url.origin}${url.pathname}` };
    }
    let key: KeyObject;
    try {
      // PEM in an environment variable often arrives with literal \n.
      key = createPublicKey(publicKey!.replace(/\\n/g, '\n'));
    } catch (error) {
      throw new Error(`AUTH_PUBLIC_KEY is not a PEM public key: ${error instanceof Error ? error.message : error}`);
    }
    return { issuer, audience, key, source: 'AUTH_PUBLIC_KEY' };
  }
  if (env.NODE_ENV === 'production') {
    throw new Error(
      'No token verification configured: set AUTH_JWKS_URL (or AUTH_PUBLIC_KEY), AUTH_ISSUER and AUTH_AUDIENCE. ' +
        'The development key is not used when NODE_ENV=production.',
    );
  }
  const dev = loadOrCreateDevKeyPair(env);
  return { issuer: DEV_ISSUER, audience: DEV_AUDIENCE, key: dev.publicKey, source: `development key in ${dev.dir} (not for production)` };
}
