import { generateKeyPairSync, type KeyObject } from 'node:crypto';
import { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { LightMyRequestResponse as InjectResponse } from 'fastify';
import { readAppConfig } from '@familievedtak/database';
import type { Role, Unit } from '@familievedtak/domain';
import type { AuthSettings } from '../../apps/api/src/auth/auth-settings';
import { signToken } from '../../apps/api/src/auth/sign-token';
import { createApp } from '../../apps/api/src/create-app';
import { createTestDatabase, TestDatabase } from './test-database';

export type Headers = Record<string, string>;

/** The test key pair, generated in memory once per worker: the test app trusts its public key. */
export const TEST_KEYS = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
export const TEST_ISSUER = 'familievedtak-test';
export const TEST_AUDIENCE = 'familievedtak-api';
export const TEST_AUTH: AuthSettings = { issuer: TEST_ISSUER, audience: TEST_AUDIENCE, key: TEST_KEYS.publicKey, source: 'test key pair' };

export interface TokenRequest {
  userId: string;
  role?: Role;
  roles?: Role[];
  unit?: Unit;
  units?: Unit[];
  org?: string;
  /** The `clearances` claim, e.g. ['protected-address']. */
  clearances?: string[];
  /** Overrides for the refusal tests. */
  ttlSeconds?: number;
  issuer?: string;
  audience?: string;
  privateKey?: KeyObject;
}

/** A bearer token the test app accepts (unless overridden). */
export function tokenFor(request: TokenRequest): string {
  return signToken(
    {
      userId: request.userId,
      roles: request.roles ?? (request.role ? [request.role] : []),
      units: request.units ?? (request.unit ? [request.unit] : []),
      org: request.org,
      clearances: request.clearances,
    },
    {
      privateKey: request.privateKey ?? TEST_KEYS.privateKey,
      issuer: request.issuer ?? TEST_ISSUER,
      audience: request.audience ?? TEST_AUDIENCE,
      ttlSeconds: request.ttlSeconds ?? 3600,
    },
  );
}

/** `{ authorization: 'Bearer ...' }` for a caller, plus any extra headers (e.g. X-Act-As-Unit). */
export function headersFor(request: TokenRequest, extra: Headers = {}): Headers {
  return { authorization: `Bearer ${tokenFor(request)}`, ...extra };
}

export interface TestApp {
  app: NestFastifyApplication;
  db: TestDatabase;
  inject(method: 'GET' | 'POST' | 'PUT', url: string, headers: Headers, payload?: unknown): Promise<InjectResponse>;
  /** Events in the whole store: tests compare it before and after a refused request. */
  eventCount(): Promise<number>;
  close(): Promise<void>;
}

/** The real API on a fresh database, driven through Fastify's inject (no port needed). */
export async function createTestApp(options: { runProjections?: boolean; poolSize?: number; env?: Record<string, string> } = {}): Promise<TestApp> {
  const db = await createTestDatabase(options.poolSize ?? 20);
  const app = await createApp(
    readAppConfig(db.url, { RUN_PROJECTIONS: options.runProjections ? 'true' : 'false', RATE_LIMIT_PER_MINUTE: '1000000', ...options.env }),
    TEST_AUTH,
    false,
  );
  await app.init();
  const fastify = app.getHttpAdapter().getInstance();
  await fastify.ready();
  return {
    app,
    db,
    inject: (method, url, headers, payload) => fastify.inject({ method, url, headers, payload: payload as object }),
    eventCount: async () => Number((await db.pool.query('SELECT count(*) AS n FROM event_store.events')).rows[0].n),
    close: async () => {
      await app.close();
      await db.drop();
    },
  };
}
