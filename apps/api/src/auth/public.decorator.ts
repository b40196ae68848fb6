import { SetMetadata } from '@nestjs/common';

export const IS_PUBLIC = 'familievedtak:public';

/**
 * Marks a route as answering without a token. The allow-list is PUBLIC_ROUTES; a test checks
 * that every other route in the OpenAPI document answers 401 without a token.
 */
export const Public = () => SetMetadata(IS_PUBLIC, true);

/** Every route reachable without a token (/docs and /docs-json are served by Swagger, outside Nest's guards). */
export const PUBLIC_ROUTES: readonly string[] = ['GET /health', 'GET /docs', 'GET /docs-json'];
