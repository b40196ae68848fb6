import { randomUUID, sign, type KeyObject } from 'node:crypto';
import { Role, Unit } from '@familievedtak/domain';

export interface TokenClaims {
  userId: string;
  roles: Role[];
  units?: Unit[];
  /** Partner organisation (a volunteer organisation or school), claim `org`. */
  org?: string;
  /** Clearances, claim `clearances` (e.g. 'protected-address'). */
  clearances?: string[];
}

export interface SignOptions {
  privateKey: KeyObject;
  issuer: string;
  audience: string;
  /** Seconds until expiry; negative gives an already expired token (tests). */
  ttlSeconds: number;
  now?: Date;
}

const base64url = (value: string | Buffer) => Buffer.from(value).toString('base64url');

/**
 * Signs an ES256 JWT with Node's crypto, synchronously (the dev token command and the tests).
 * Production tokens come from the identity provider; this only mints what the API verifies.
 */
export function signToken(claims: TokenClaims, options: SignOptions): string {
  const iat = Math.floor((options.now ?? new Date()).getTime() / 1000);
  const header = { alg: 'ES256', typ: 'JWT' };
  const payload: Record<string, unknown> = {
    iss: options.issuer,
    aud: options.audience,
    sub: claims.userId,
    iat,
    nbf: iat - 5,
    exp: iat + options.ttlSeconds,
    jti: randomUUID(),
    roles: claims.roles,
  };
  if (claims.units?.length) payload.units = claims.units;
  if (claims.org) payload.org = claims.org;
  if (claims.clearances?.length) payload.clearances = claims.clearances;
  const input = `${base64url(JSON.stringify(header))}.${base64url(JSON.stringify(payload))}`;
  const signature = sign('sha256', Buffer.from(input), { key: options.privateKey, dsaEncoding: 'ieee-p1363' });
  return `${input}.${base64url(signature)}`;
}

/** "8h", "30m", "90s", "2d" or plain seconds. */
export function parseTtl(value: string): number {
  const match = /^(\d+)\s*([smhd]?)$/.exec(value.trim());
  if (!match) throw new Error(`Cannot read the time to live "${value}": use e.g. 8h, 30m, 90s`);
  const unit = { '': 1, s: 1, m: 60, h: 3600, d: 86400 }[match[2] as '' | 's' | 'm' | 'h' | 'd'];
  return Number(match[1]) * unit;
}
