import { createPrivateKey, createPublicKey, generateKeyPairSync, type KeyObject } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

export const DEV_ISSUER = 'familievedtak-dev';
export const DEV_AUDIENCE = 'familievedtak-api';
export const DEV_KEY_DIR = resolve(process.env.DEV_AUTH_DIR ?? '.data/dev-auth');

export interface DevKeyPair {
  privateKey: KeyObject;
  publicKey: KeyObject;
  dir: string;
}

/**
 * The development key pair (ES256) under ./.data/dev-auth, generated on first use. It does
 * not exist in production: asking for it there is an error.
 */
export function loadOrCreateDevKeyPair(env: NodeJS.ProcessEnv = process.env, dir = DEV_KEY_DIR): DevKeyPair {
  if (env.NODE_ENV === 'production') throw new Error('The development signing key is not available when NODE_ENV=production');
  const privatePath = join(dir, 'private.pem');
  const publicPath = join(dir, 'public.pem');
  if (!existsSync(privatePath) || !existsSync(publicPath)) {
    mkdirSync(dir, { recursive: true });
    const pair = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
    writeFileSync(privatePath, pair.privateKey.export({ type: 'pkcs8', format: 'pem' }), { mode: 0o600 });
    chmodSync(privatePath, 0o600);
    writeFileSync(publicPath, pair.publicKey.export({ type: 'spki', format: 'pem' }));
  }
  return { privateKey: createPrivateKey(readFileSync(privatePath)), publicKey: createPublicKey(readFileSync(publicPath)), dir };
}
