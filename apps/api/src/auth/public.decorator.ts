import { SetMetadata } from '@nestjs/common';

export const IS_PUBLIC = 'familievedtak:public';

/**
 * Marks a route as answering without a token. The allow-list is PUBLIC_ROUTES; a test checks
 * that every other route in the OpenAPI document answers 401 without a token.
 */
export const Public = () => SetMetadata(IS_PUBLIC, true);

/** The health probes: public, in the OpenAPI document, outside the rate limit (hardening.ts). */
export const PROBE_ROUTES: readonly string[] = ['GET /health', 'GET /health/live', 'GET /health/ready'];

/** Every route reachable without a token (/docs and /docs-json are served by Swagger, outside Nest's guards and the document). */
export const PUBLIC_ROUTES: readonly string[] = [...PROBE_ROUTES, 'GET /docs', 'GET /docs-json'];
