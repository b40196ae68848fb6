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
