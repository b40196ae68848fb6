import { createHash } from 'node:crypto';
import { BadRequestException, UnauthorizedException } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import type { AuthenticatedRequest } from '../auth/auth.guard';

const KEY = /^[A-Za-z0-9._:-]{8,200}$/;
const CORRELATION = /^[A-Za-z0-9._:-]{1,200}$/;

/** An Idempotency-Key as the API uses it: scoped to the user, with the fingerprint of the request that sent it. */
export interface IdempotencyOfRequest {
  /** The key as the client sent it. */
  clientKey: string;
  /** The key scoped to the verified user: every id derived from it is that user's alone. */
  key: string;
  /** Hash of method, route (pattern and path parameters) and body (canonical JSON). */
  fingerprint: string;
}

/**
 * The user's scope of a key: `<client key>@<user id>`. The client key cannot contain `@` and
 * the encoded user id contains neither `@` nor `:`, so suffixes derived keys add (`:spend`)
 * never make two users' keys meet.
 */
export const scopedIdempotencyKey = (userId: string, clientKey: string): string => `${clientKey}@${encodeURIComponent(userId)}`;

/** JSON with object keys sorted: the same body in another key order has the same fingerprint. */
export function canonicalJson(value: unknown): string {
  if (value === undefined) return 'null';
  if (value === null || typeof value !== 'object') return JSON.stringify(value);
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  const record = value as Record<string, unknown>;
  return `{${Object.keys(record)
    .sort()
    .map((k) => `${JSON.stringify(k)}:${canonicalJson(record[k])}`)
    .join(',')}}`;
}

/** What makes two requests "the same request" (IETF httpapi Idempotency-Key draft): method, target and content. */
export function requestFingerprint(request: FastifyRequest): string {
  const route = request.routeOptions.url ?? request.url.split('?')[0];
  return createHash('sha256')
    .update(canonicalJson([request.method, route, request.params ?? {}, request.body ?? null]), 'utf8')
    .digest('base64url');
}

const computed = new WeakMap<FastifyRequest, IdempotencyOfRequest | null>();

/**
 * The request's Idempotency-Key, scoped to its verified user, and its fingerprint; undefined
 * without the header. Computed once per request (the interceptor and the handler share it).
 */
export function idempotencyOf(request: FastifyRequest): IdempotencyOfRequest | undefined {
  if (computed.has(request)) return computed.get(request) ?? undefined;
  const clientKey = header(request, 'idempotency-key');
  let result: IdempotencyOfRequest | null = null;
  if (clientKey !== undefined) {
    if (!KEY.test(clientKey))
      throw new BadRequestException('Idempotency-Key must be 8-200 characters of letters, digits and . _ : - (a new UUID per request is a good key)');
    const userId = (request as AuthenticatedRequest).actor?.userId;
    if (!userId) throw new UnauthorizedException('An Idempotency-Key needs a verified caller: keys are per user');
    result = { clientKey, key: scopedIdempotencyKey(userId, clientKey), fingerprint: requestFingerprint(request) };
  }
  computed.set(request, result);
  return result ?? undefined;
}

function header(request: FastifyRequest, name: string): string | undefined {
  const value = request.headers[name];
  return typeof value === 'string' ? value.trim() : undefined;
}

/**
 * Optimistic concurrency and idempotency from the request headers:
 * If-Match: "<revision>" pins the revision the client saw; Idempotency-Key makes a retry
 * return the first answer (per user; the fingerprint tells a retry from a reuse);
 * X-Correlation-Id / X-Causation-Id thread a conversation.
 */
export function requestHeaders(request: FastifyRequest): {
  expectedRevision?: number;
  idempotencyKey?: string;
  idempotencyFingerprint?: string;
  correlationId?: string;
  causationId?: string;
} {
  const ifMatch = header(request, 'if-match');
  let expectedRevision: number | undefined;
  if (ifMatch !== undefined) {
    const match = /^(?:W\/)?"?(-?\d{1,15})"?$/.exec(ifMatch);
    if (!match) throw new BadRequestException('If-Match must be the revision in quotes, e.g. "4"');
    expectedRevision = Number(match[1]);
  }
  const idempotency = idempotencyOf(request);
  for (const name of ['x-correlation-id', 'x-causation-id']) {
    const value = header(request, name);
    if (value !== undefined && !CORRELATION.test(value)) throw new BadRequestException(`${name} has characters that are not allowed`);
  }
  return {
    expectedRevision,
    idempotencyKey: idempotency?.key,
    idempotencyFingerprint: idempotency?.fingerprint,
    correlationId: header(request, 'x-correlation-id'),
    causationId: header(request, 'x-causation-id'),
  };
}
