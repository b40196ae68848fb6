import {
  CanActivate,
  ExecutionContext,
  ForbiddenException,
  Inject,
  Injectable,
  Optional,
  ServiceUnavailableException,
  UnauthorizedException,
} from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { Actor } from '@familievedtak/domain';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { AUTH_SETTINGS, AuthSettings } from './auth-settings';
import { DENIAL_RECORDER, DenialRecorder } from './denial-recorder';
import { IS_PUBLIC } from './public.decorator';
import { rolesFor } from './route-policies';
import { actAs, InvalidToken, NotGranted, VerificationUnavailable, VerifiedIdentity, verifyToken } from './verify-token';

/** The request after the guard: the verified actor it acts as. */
export type AuthenticatedRequest = FastifyRequest & { actor?: Actor };

/**
 * The global guard (APP_GUARD): every route needs a valid bearer token unless marked
 * @Public(), and the actor's role must be listed for the route in ROUTE_POLICIES (default
 * deny: a route without an entry is refused to everyone). It runs before pipes and handlers,
 * so a refused request reads and writes nothing.
 */
@Injectable()
export class AuthGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    @Inject(AUTH_SETTINGS) private readonly settings: AuthSettings,
    @Optional() @Inject(DENIAL_RECORDER) private readonly denials?: DenialRecorder,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    if (this.reflector.getAllAndOverride<boolean>(IS_PUBLIC, [context.getHandler(), context.getClass()])) return true;
    const request = context.switchToHttp().getRequest<AuthenticatedRequest>();
    const reply = context.switchToHttp().getResponse<FastifyReply>();
    const refuse = (detail: string) => {
      void reply.header('www-authenticate', 'Bearer');
      return new UnauthorizedException(detail);
    };
    const authorization = request.headers.authorization;
    if (!authorization) throw refuse('A bearer token is required (Authorization: Bearer <token>)');
    const match = /^Bearer\s+([A-Za-z0-9\-_.]+)\s*$/i.exec(authorization);
    if (!match) throw refuse('The Authorization header must be "Bearer <token>"');
    let identity: VerifiedIdentity;
    try {
      identity = await verifyToken(match[1], this.settings);
    } catch (error) {
      if (error instanceof InvalidToken) throw refuse(error.message);
      if (error instanceof VerificationUnavailable) throw new ServiceUnavailableException('Tokens cannot be verified right now; try again shortly');
      throw error;
    }
    const asRole = header(request, 'x-act-as-role');
    const asUnit = header(request, 'x-act-as-unit');
    let actor: Actor;
    try {
      actor = actAs(identity, asRole, asUnit);
    } catch (error) {
      if (!(error instanceof NotGranted)) throw error;
      // The user is known: a refused read of family data goes on the record (read audit).
      const only = <T>(xs: T[]) => (xs.length === 1 ? xs[0] : null);
      await this.denials?.recordDenied(context, { userId: identity.userId, role: asRole ?? only(identity.roles), unit: asUnit ?? only(identity.units) }, 403);
      throw new ForbiddenException(error.message);
    }
    // HEAD is answered by the GET route (Fastify exposes it), so it follows the GET policy.
    const method = request.method === 'HEAD' ? 'GET' : request.method;
    const route = `${method} ${request.routeOptions.url ?? request.url}`;
    const allowed = rolesFor(method, request.routeOptions.url);
    if (!allowed || !allowed.includes(actor.role)) {
      await this.denials?.recordDenied(context, { userId: actor.userId, role: actor.role, unit: actor.unit ?? null }, 403);
      throw new ForbiddenException(
        allowed
          ? `The role ${actor.role} may not call ${route} (allowed: ${allowed.join(', ')})`
          : `The role ${actor.role} may not call ${route}: the route has no access policy`,
      );
    }
    request.actor = actor;
    return true;
  }
}

function header(request: FastifyRequest, name: string): string | undefined {
  const value = request.headers[name];
  return typeof value === 'string' && value.trim() ? value.trim() : undefined;
}
