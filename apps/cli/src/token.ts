import { parseArgs } from 'node:util';
import { isRole, isUnit, ROLES, UNITS, type Role, type Unit } from '@familievedtak/domain';
import { DEV_AUDIENCE, DEV_ISSUER, DEV_KEY_DIR, loadOrCreateDevKeyPair } from '../../api/src/auth/dev-keys';
import { partnerOrganisationOf } from '../../api/src/auth/verify-token';
import { parseTtl, signToken } from '../../api/src/auth/sign-token';

/**
 * `npm run token -- --unit NAV --role caseworker [--user nav-kari] [--org 974123456] [--clearance protected-address] [--ttl 8h]`:
 * prints a bearer token signed with the development key (./.data/dev-auth), which the API
 * trusts when no AUTH_* is configured. Not available when NODE_ENV=production.
 * --unit and --role may be repeated (or comma-separated) for a token with several.
 * --clearance protected-address lets reads show members with a protected address.
 * --org is a partner organisation's 9-digit organisation number (the API ignores anything else).
 */
const CLEARANCES = ['protected-address'] as const;

/** The signed token for the command-line arguments (throws with a message for the user when they are wrong). */
export function tokenFromArgs(args: string[], env: NodeJS.ProcessEnv = process.env, keyDir = DEV_KEY_DIR): string {
  const { values } = parseArgs({
    args,
    options: {
      unit: { type: 'string', multiple: true },
      role: { type: 'string', multiple: true },
      user: { type: 'string' },
      org: { type: 'string' },
      clearance: { type: 'string', multiple: true },
      ttl: { type: 'string', default: '8h' },
    },
    strict: true,
  });
  const list = (value: string[] | undefined) =>
    (value ?? [])
      .flatMap((v) => v.split(','))
      .map((v) => v.trim())
      .filter(Boolean);
  const roles = list(values.role);
  const units = list(values.unit);
  const clearances = list(values.clearance);
  if (roles.length === 0) throw new Error(`Name a role: --role ${ROLES.join('|')}`);
  for (const role of roles) if (!isRole(role)) throw new Error(`Unknown role ${role}: one of ${ROLES.join(', ')}`);
  for (const unit of units) if (!isUnit(unit)) throw new Error(`Unknown unit ${unit}: one of ${UNITS.join(', ')}`);
  for (const clearance of clearances) {
    if (!(CLEARANCES as readonly string[]).includes(clearance)) throw new Error(`Unknown clearance ${clearance}: one of ${CLEARANCES.join(', ')}`);
  }
  if (values.org !== undefined && partnerOrganisationOf(values.org) === undefined) {
    throw new Error(`--org must be the partner organisation's 9-digit organisation number, e.g. 974123456 (got ${JSON.stringify(values.org)})`);
  }
  const userId = values.user ?? `${(units[0] ?? roles[0]).toLowerCase()}-dev`;
  const { privateKey } = loadOrCreateDevKeyPair(env, keyDir);
  return signToken(
    { userId, roles: roles as Role[], units: units as Unit[], org: values.org, clearances },
    { privateKey, issuer: DEV_ISSUER, audience: DEV_AUDIENCE, ttlSeconds: parseTtl(values.ttl!) },
  );
}

if (require.main === module) {
  try {
    process.stdout.write(`${tokenFromArgs(process.argv.slice(2))}\n`);
  } catch (error) {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  }
}
