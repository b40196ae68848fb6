import { BadRequestException } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';

const KEY = /^[A-Za-z0-9._:-]{8,200}$/;
const CORRELATION = /^[A-Za-z0-9._:-]{1,200}$/;

/**
 * Optimistic concurrency and idempotency from the request headers:
 * If-Match: "<revision>" pins the revision the client saw; Idempotency-Key makes a retry
 * return the first answer; X-Correlation-Id / X-Causation-Id thread a conversation.
 */
export function requestHeaders(request: FastifyRequest): {
  expectedRevision?: number;
  idempotencyKey?: string;
  correlationId?: string;
  causationId?: string;
} {
  const header = (name: string) => {
    const value = request.headers[name];
    return typeof value === 'string' ? value.trim() : undefined;
  };
  const ifMatch = header('if-match');
  let expectedRevision: number | undefined;
  if (ifMatch !== undefined) {
    const match = /^(?:W\/)?"?(-?\d{1,15})"?$/.exec(ifMatch);
    if (!match) throw new BadRequestException('If-Match must be the revision in quotes, e.g. "4"');
    expectedRevision = Number(match[1]);
  }
  const idempotencyKey = header('idempotency-key');
  if (idempotencyKey !== undefined && !KEY.test(idempotencyKey)) {
    throw new BadRequestException('Idempotency-Key must be 8-200 characters of letters, digits and . _ : -');
  }
  for (const name of ['x-correlation-id', 'x-causation-id']) {
    const value = header(name);
    if (value !== undefined && !CORRELATION.test(value)) throw new BadRequestException(`${name} has characters that are not allowed`);
  }
  return { expectedRevision, idempotencyKey, correlationId: header('x-correlation-id'), causationId: header('x-causation-id') };
}
