import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { AuthenticatedRequest } from '../auth/auth.guard';
import type { ApiLogger } from './logger';

export const REQUEST_ID_HEADER = 'x-request-id';

/**
 * A caller's X-Request-Id is kept when it is 1-128 characters of letters, digits and `. _ : -`
 * (a UUID, a ULID, a proxy's trace id); anything else (spaces, quotes, control characters,
 * longer) is replaced, so it cannot forge log lines or bloat the audit.
 */
const SANE_REQUEST_ID = /^[A-Za-z0-9._:-]{1,128}$/;

/** Fastify's genReqId: the caller's X-Request-Id when sane, else a random UUID (never a per-process counter). */
export function requestIdFor(raw: IncomingMessage): string {
  const sent = raw.headers[REQUEST_ID_HEADER];
  return typeof sent === 'string' && SANE_REQUEST_ID.test(sent) ? sent : randomUUID();
}

/**
 * Every answer names its request id (X-Request-Id); with a logger, one access line per request
 * when the answer has been sent: method, route pattern, path (only of a matched route: its
 * parameters are ids; never the query string), status, duration and the verified user id.
 * Never headers, tokens or bodies. Probes (`/health`, `/health/...`), polled every few seconds,
 * are logged at debug.
 */
export function registerRequestLog(fastify: FastifyInstance, logger: ApiLogger | undefined): void {
  fastify.addHook('onRequest', (request, reply, done) => {
    void reply.header(REQUEST_ID_HEADER, request.id);
    done();
  });
  if (!logger || !logger.isLevelEnabled('info')) return;
  const access = logger.child({ context: 'access' });
  const probesLogged = logger.isLevelEnabled('debug');
  fastify.addHook('onResponse', (request, reply, done) => {
    const route = request.routeOptions.url;
    if (route === '/health' || route?.startsWith('/health/')) {
      if (probesLogged) access.debug(accessFields(request, reply), 'request');
    } else {
      access.info(accessFields(request, reply), 'request');
    }
    done();
  });
}

function accessFields(request: FastifyRequest, reply: FastifyReply) {
  const route = request.routeOptions.url;
  const query = request.url.indexOf('?');
  return {
    requestId: request.id as string,
    method: request.method,
    route: route ?? null,
    path: route === undefined ? undefined : query === -1 ? request.url : request.url.slice(0, query),
    status: reply.statusCode,
    durationMs: Math.round(reply.elapsedTime * 10) / 10,
    userId: (request as AuthenticatedRequest).actor?.userId,
  };
}
