import { createParamDecorator, ExecutionContext, UnauthorizedException } from '@nestjs/common';
import { Actor, isRole, isUnit } from '@familievedtak/domain';
import type { FastifyRequest } from 'fastify';

/**
 * The caller as a domain Actor. Until token authentication lands, the caller names itself in
 * X-User-Id, X-Role and X-Unit (or X-Partner-Organisation); a request without a valid actor
 * is refused with 401 before anything is read or written.
 */
export const CurrentActor = createParamDecorator((_: unknown, context: ExecutionContext): Actor => {
  const request = context.switchToHttp().getRequest<FastifyRequest>();
  const header = (name: string) => {
    const value = request.headers[name];
    return typeof value === 'string' && value.trim() ? value.trim() : undefined;
  };
  const userId = header('x-user-id');
  const role = header('x-role');
  const unit = header('x-unit');
  if (!userId || !role || !isRole(role)) throw new UnauthorizedException('Name the caller: X-User-Id and X-Role (and X-Unit for unit roles)');
  if (unit !== undefined && !isUnit(unit)) throw new UnauthorizedException(`Unknown unit ${unit}`);
  return { userId, role, unit, partnerOrganisation: header('x-partner-organisation') };
});
