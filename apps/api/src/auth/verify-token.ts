import type { KeyObject } from 'node:crypto';
import { errors, jwtVerify, type JWTPayload } from 'jose';
import { Actor, isRole, isUnit, Role, Unit } from '@familievedtak/domain';
import { AuthSettings } from './auth-settings';

/** What a verified token says about its holder. */
export interface VerifiedIdentity {
  userId: string;
  roles: Role[];
  units: Unit[];
  /** The partner's 9-digit organisation number (claim `org`); absent unless the claim is exactly that. */
  org?: string;
  /** From the `clearances` claim (a string or a list), e.g. 'protected-address'. */
  clearances: string[];
}

/** The clearance that lets reads show members with a protected address (strengt fortrolig adresse). */
export const PROTECTED_ADDRESS_CLEARANCE = 'protected-address';

/** The token is missing or not valid: 401. */
export class InvalidToken extends Error {}
/** The token is valid but the request asks to act as something it does not grant: 403. */
export class NotGranted extends Error {}
/** The keys cannot be fetched (JWKS down): 503, the request is neither allowed nor refused. */
export class VerificationUnavailable extends Error {}

const ALGORITHMS = ['ES256', 'ES384', 'ES512', 'RS256', 'RS384', 'RS512', 'PS256', 'PS384', 'PS512', 'EdDSA'];

/**
 * The algorithms one public key can verify. jose answers a token whose header names an
 * algorithm of another key type (RS256 against an EC key) with a TypeError, not a JOSEError;
 * allowing only the key's own algorithms makes that a plain "alg not allowed" (401).
 */
export function algorithmsFor(key: KeyObject): string[] {
  switch (key.asymmetricKeyType) {
    case 'ec': {
      const curve = key.asymmetricKeyDetails?.namedCurve;
      const alg = curve === 'prime256v1' ? 'ES256' : curve === 'secp384r1' ? 'ES384' : curve === 'secp521r1' ? 'ES512' : undefined;
      return alg ? [alg] : [];
    }
    case 'rsa':
      return ['RS256', 'RS384', 'RS512', 'PS256', 'PS384', 'PS512'];
    case 'rsa-pss':
      return ['PS256', 'PS384', 'PS512'];
    case 'ed25519':
    case 'ed448':
      return ['EdDSA'];
    default:
      return [];
  }
}

const stringList = (value: unknown): string[] | undefined => {
  if (typeof value === 'string') return [value];
  if (Array.isArray(value) && value.every((v) => typeof v === 'string')) return value as string[];
  return undefined;
};

/**
 * Tokens already verified, per settings: a client sends the same token with every request for
 * its lifetime, and an ECDSA verification (done twice per request: rate-limit key and guard)
 * was a tenth of the API's CPU under load. An entry is keyed by the whole token (signature
 * included), so only the exact bytes that passed verification hit; it is used only while
 * the token's own exp/nbf (with the same tolerance) still hold, and the map is emptied when
 * full so it cannot grow without bound.
 */
const VERIFIED = new WeakMap<AuthSettings, Map<string, { identity: VerifiedIdentity; notBeforeMs: number; expiresMs: number }>>();
const VERIFIED_MAX = 10_000;
const CLOCK_TOLERANCE_S = 5;

/** Verifies signature, issuer, audience, expiry (and not-before), then reads the claims. */
export async function verifyToken(token: string, settings: AuthSettings): Promise<VerifiedIdentity> {
  let cache = VERIFIED.get(settings);
  if (!cache) VERIFIED.set(settings, (cache = new Map()));
  const cached = cache.get(token);
  if (cached) {
    const now = Date.now();
    if (now >= cached.notBeforeMs && now < cached.expiresMs) return copyOf(cached.identity);
    cache.delete(token);
  }
  const { identity, payload } = await verifyUncached(token, settings);
  if (typeof payload.exp === 'number') {
    if (cache.size >= VERIFIED_MAX) cache.clear();
    const notBeforeMs = typeof payload.nbf === 'number' ? (payload.nbf - CLOCK_TOLERANCE_S) * 1000 : 0;
    cache.set(token, { identity, notBeforeMs, expiresMs: (payload.exp + CLOCK_TOLERANCE_S) * 1000 });
  }
  return copyOf(identity);
}

/** A copy: a caller must not be able to change what the next request with the same token gets. */
const copyOf = (identity: VerifiedIdentity): VerifiedIdentity => ({
  ...identity,
  roles: [...identity.roles],
  units: [...identity.units],
  clearances: [...identity.clearances],
});

async function verifyUncached(token: string, settings: AuthSettings): Promise<{ identity: VerifiedIdentity; payload: JWTPayload }> {
  let payload: JWTPayload;
  try {
    const options = { issuer: settings.issuer, audience: settings.audience, clockTolerance: CLOCK_TOLERANCE_S, requiredClaims: ['exp', 'sub'] };
    const result =
      typeof settings.key === 'function'
        ? await jwtVerify(token, settings.key, { ...options, algorithms: ALGORITHMS })
        : await jwtVerify(token, settings.key, { ...options, algorithms: algorithmsFor(settings.key) });
    payload = result.payload;
  } catch (error) {
    // Only a key set fetched over the network can be unavailable; a configured key never is, so
    // any failure against it is the token's fault (a forged header once answered 503 here).
    const remote = typeof settings.key === 'function';
    if (remote && (error instanceof errors.JWKSTimeout || !(error instanceof errors.JOSEError))) {
      throw new VerificationUnavailable(`Tokens cannot be verified right now: ${error instanceof Error ? error.message : error}`);
    }
    throw new InvalidToken(
      error instanceof errors.JWTExpired
        ? 'The token has expired'
        : `The token is not valid (${error instanceof errors.JOSEError ? error.code : 'unusable key or algorithm'})`,
    );
  }
  const userId = payload.sub;
  if (typeof userId !== 'string' || !userId.trim()) throw new InvalidToken('The token names no user (sub)');
  const roles = (stringList(payload.roles) ?? stringList(payload.role) ?? []).filter(isRole);
  const units = (stringList(payload.units) ?? stringList(payload.unit) ?? []).filter(isUnit);
  const org = partnerOrganisationOf(payload.org);
  const clearances = (stringList(payload.clearances) ?? []).map((c) => c.trim()).filter(Boolean);
  return { identity: { userId, roles: [...new Set(roles)], units: [...new Set(units)], org, clearances: [...new Set(clearances)] }, payload };
}

/** A partner organisation is its 9-digit organisation number (Enhetsregisteret), compared exactly. */
export const ORGANISATION_NUMBER_CLAIM = /^\d{9}$/;

/**
 * The `org` claim as a partner organisation: only a string of exactly nine digits. A name, a
 * number with spaces or any other value gives the actor no partner organisation (fail closed:
 * such a partner acts for, and reads, nothing).
 */
export function partnerOrganisationOf(claim: unknown): string | undefined {
  return typeof claim === 'string' && ORGANISATION_NUMBER_CLAIM.test(claim) ? claim : undefined;
}

/**
 * The actor this request acts as. With several roles (units) in the token the request picks
 * one with X-Act-As-Role (X-Act-As-Unit), which must be among the token's; with one, it is used.
 */
export function actAs(identity: VerifiedIdentity, asRole: string | undefined, asUnit: string | undefined): Actor {
  if (identity.roles.length === 0) throw new NotGranted('The token grants none of the roles of this API');
  let role: Role;
  if (asRole !== undefined) {
    if (!identity.roles.includes(asRole as Role)) throw new NotGranted(`The token does not grant the role ${asRole}`);
    role = asRole as Role;
  } else if (identity.roles.length === 1) {
    role = identity.roles[0];
  } else {
    throw new NotGranted(`The token grants several roles (${identity.roles.join(', ')}): choose one with X-Act-As-Role`);
  }
  let unit: Unit | undefined;
  if (asUnit !== undefined) {
    if (!identity.units.includes(asUnit as Unit)) throw new NotGranted(`The token does not grant acting for the unit ${asUnit}`);
    unit = asUnit as Unit;
  } else if (identity.units.length === 1) {
    unit = identity.units[0];
  } else if (identity.units.length > 1) {
    throw new NotGranted(`The token grants several units (${identity.units.join(', ')}): choose one with X-Act-As-Unit`);
  }
  const actor: Actor = { userId: identity.userId, role, unit, partnerOrganisation: identity.org };
  if (identity.clearances?.includes(PROTECTED_ADDRESS_CLEARANCE)) actor.protectedAddressClearance = true;
  return actor;
}
