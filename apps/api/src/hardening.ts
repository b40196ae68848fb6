import helmet from '@fastify/helmet';
import rateLimit from '@fastify/rate-limit';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { AuthSettings } from './auth/auth-settings';
import { verifyToken } from './auth/verify-token';

/** Swagger UI needs inline styles and scripts; the API itself answers JSON under a strict policy. */
const DOCS_CSP = "default-src 'self'; script-src 'self' 'unsafe-inline'; style-src 'self' 'unsafe-inline'; img-src 'self' data: https:; frame-ancestors 'none'";

/**
 * Security headers (helmet, strict CSP except for /docs) and a per-user rate limit. The
 * limit is keyed by the user id of a *verified* token (a forged `sub` cannot spend someone
 * else's budget), else by client IP.
 */
export async function registerHardening(fastify: FastifyInstance, auth: AuthSettings, perMinute: number): Promise<void> {
  await fastify.register(helmet, {
    contentSecurityPolicy: { directives: { defaultSrc: ["'none'"], frameAncestors: ["'none'"], baseUri: ["'none'"], formAction: ["'none'"] } },
  });
  fastify.addHook('onSend', async (request, reply) => {
    if (request.url === '/docs' || request.url.startsWith('/docs/') || request.url.startsWith('/docs?')) {
      void reply.header('content-security-policy', DOCS_CSP);
    }
  });
  // A NUL in a path parameter or the query (/families/%00) cannot be stored or looked up in
  // PostgreSQL text: refused here, before a query fails on it with a 500.
  fastify.addHook('preValidation', async (request, reply) => {
    if (hasNul(request.params) || hasNul(request.query)) {
      await reply
        .status(400)
        .header('content-type', 'application/problem+json')
        .send({ type: 'urn:familievedtak:problem:http-400', title: 'Bad Request', status: 400, detail: 'The URL may not contain NUL characters (%00).' });
    }
  });
  await fastify.register(rateLimit, {
    max: perMinute,
    timeWindow: 60_000,
    keyGenerator: (request) => rateLimitKey(request, auth),
    errorResponseBuilder: (_request, context) => ({
      statusCode: 429,
      type: 'urn:familievedtak:problem:http-429',
      title: 'Too Many Requests',
      status: 429,
      detail: `Rate limit of ${context.max} requests per minute exceeded; retry in ${Math.ceil(context.ttl / 1000)} s`,
    }),
  });
}

async function rateLimitKey(request: FastifyRequest, auth: AuthSettings): Promise<string> {
  const match = /^Bearer\s+([A-Za-z0-9\-_.]+)\s*$/i.exec(request.headers.authorization ?? '');
  if (match) {
    try {
      return `user:${(await verifyToken(match[1], auth)).userId}`;
    } catch {
      // Not verified: counted against the client address.
    }
  }
  return `ip:${request.ip}`;
}

function hasNul(values: unknown): boolean {
  if (!values || typeof values !== 'object') return false;
  return Object.values(values).some((v) => (typeof v === 'string' ? v.includes('\u0000') : Array.isArray(v) && v.some((x) => typeof x === 'string' && x.includes('\u0000'))));
}
