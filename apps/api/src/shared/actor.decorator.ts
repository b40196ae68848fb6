import { createParamDecorator, ExecutionContext, UnauthorizedException } from '@nestjs/common';
import type { Actor } from '@familievedtak/domain';
import type { AuthenticatedRequest } from '../auth/auth.guard';

/**
 * The caller as a domain Actor, as verified by the global AuthGuard from the bearer token
 * (and X-Act-As-Role / X-Act-As-Unit). There is no other way to name the caller.
 */
export const CurrentActor = createParamDecorator((_: unknown, context: ExecutionContext): Actor => {
  const actor = context.switchToHttp().getRequest<AuthenticatedRequest>().actor;
  // Only reachable on a @Public() route, which must not ask for an actor.
  if (!actor) throw new UnauthorizedException('A bearer token is required');
  return actor;
});
