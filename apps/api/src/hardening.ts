import helmet from '@fastify/helmet';
import rateLimit from '@fastify/rate-limit';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { AuthSettings } from './auth/auth-settings';
import { verifyToken } from './auth/verify-token';
import { canonicalIdsIn } from './shared/canonical-ids';
import { HttpProblem } from './shared/problem-details.filter';

/** HTTP settings from the environment. */
export interface HttpSettings {
  /**
   * Fastify's trustProxy: whether (and which) proxies' X-Forwarded-For is believed for the
   * client address (the anonymous rate-limit bucket). Off by default: a client could otherwise
   * pick its own address, and a fresh bucket with it.
   */
  trustProxy: boolean | number | string[];
}

/**
 * TRUST_PROXY: unset, empty or `false`: off; `true`: every proxy; a number: that many hops;
 * otherwise a comma-separated list of proxy addresses, CIDR ranges or proxy-addr's names
 * (loopback, linklocal, uniquelocal).
 */
export function readHttpSettings(env: NodeJS.ProcessEnv = process.env): HttpSettings {
  const value = env.TRUST_PROXY?.trim() ?? '';
  if (value === '' || value === 'false') return { trustProxy: false };
  if (value === 'true') return { trustProxy: true };
  if (/^\d{1,2}$/.test(value)) return { trustProxy: Number(value) };
  const proxies = value
    .split(',')
    .map((p) => p.trim())
    .filter(Boolean);
  if (proxies.length === 0 || !proxies.every((p) => /^[0-9A-Fa-f:.]+(\/\d{1,3})?$|^(loopback|linklocal|uniquelocal)$/.test(p))) {
    throw new Error(`TRUST_PROXY must be true, false, a number of hops or a comma-separated list of addresses/CIDR ranges, not "${value}"`);
  }
  return { trustProxy: proxies };
}

/** Routes outside the rate limit: health and readiness probes must answer even when a client floods the API. */
const isProbe = (request: FastifyRequest) => {
  const route = request.routeOptions.url;
  return route === '/health' || (route?.startsWith('/health/') ?? false);
};

/** Swagger UI needs inline styles and scripts; the API itself answers JSON under a strict policy. */
const DOCS_CSP = "default-src 'self'; script-src 'self' 'unsafe-inline'; style-src 'self' 'unsafe-inline'; img-src 'self' data: https:; frame-ancestors 'none'";

/**
 * Security headers (helmet, strict CSP except for /docs) and a per-user rate limit. The
 * limit is keyed by the user id of a *verified* token (a forged `sub` cannot spend someone
 * else's budget), else by client IP (behind a proxy: see TRUST_PROXY); /health is outside it.
 */
export async function registerHardening(fastify: FastifyInstance, auth: AuthSettings, perMinute: number): Promise<void> {
  // @fastify/helmet builds helmet from its options on every request, parsing the CSP directives
  // each time; the policy is static, so helmet's own CSP middleware is built (and parsed) once here.
  const apiCsp = helmet.contentSecurityPolicy({
    directives: { defaultSrc: ["'none'"], frameAncestors: ["'none'"], baseUri: ["'none'"], formAction: ["'none'"] },
  });
  await fastify.register(helmet, { contentSecurityPolicy: false });
  fastify.addHook('onRequest', (request, reply, done) => apiCsp(request.raw, reply.raw, done));
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
        .send({
          type: 'urn:familievedtak:problem:http-400',
          title: 'Bad Request',
          status: 400,
          detail: 'The URL may not contain NUL characters (%00).',
          code: 'BAD_REQUEST',
          requestId: String(request.id),
        });
      return;
    }
    // Ids in one form: /families/ABC... and /families/abc... are one family (and one stream).
    canonicalIdsIn(request.params);
  });
  await fastify.register(rateLimit, {
    max: perMinute,
    timeWindow: 60_000,
    keyGenerator: (request) => rateLimitKey(request, auth),
    allowList: (request) => isProbe(request),
    // Thrown by the plugin, answered by the problem-details filter (with Retry-After from the plugin).
    errorResponseBuilder: (_request, context) =>
      new HttpProblem(
        context.statusCode,
        context.statusCode === 429 ? 'RATE_LIMITED' : 'FORBIDDEN',
        `Rate limit of ${context.max} requests per minute exceeded; retry in ${Math.ceil(context.ttl / 1000)} s.`,
      ),
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
  return Object.values(values).some((v) =>
    typeof v === 'string' ? v.includes('\u0000') : Array.isArray(v) && v.some((x) => typeof x === 'string' && x.includes('\u0000')),
  );
}
