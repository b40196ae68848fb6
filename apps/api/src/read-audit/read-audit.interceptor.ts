import { CallHandler, ExecutionContext, HttpException, Injectable, NestInterceptor } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { isDomainError } from '@familievedtak/domain';
import type { FastifyReply } from 'fastify';
import { catchError, mergeMap, Observable } from 'rxjs';
import type { AuthenticatedRequest } from '../auth/auth.guard';
import { askedFor, DescribeAccess } from './access-subjects';
import { READS_FAMILY_DATA } from './reads-family-data.decorator';
import { AuditUnavailable, ReadAuditService } from './read-audit.service';

const DOMAIN_STATUS: Record<string, number> = { not_found: 404, conflict: 409, forbidden: 403, invalid: 422 };

function statusOf(error: unknown): number {
  if (error instanceof HttpException) return error.getStatus();
  if (isDomainError(error)) return DOMAIN_STATUS[error.kind] ?? 500;
  return 500;
}

/**
 * Global: on every route marked @ReadsFamilyData(), the body is held back until its access
 * record is committed; a failed or refused call is recorded as a deny. If the record cannot
 * be written the caller gets 503 and no family data.
 */
@Injectable()
export class ReadAuditInterceptor implements NestInterceptor {
  constructor(
    private readonly reflector: Reflector,
    private readonly audit: ReadAuditService,
  ) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const describe = this.reflector.get<DescribeAccess | undefined>(READS_FAMILY_DATA, context.getHandler());
    if (!describe) return next.handle();
    const http = context.switchToHttp();
    const request = http.getRequest<AuthenticatedRequest>();
    const actor = request.actor;
    // The guard lets no one through without an actor; a @Public() route cannot read family data.
    if (!actor) throw new Error(`${request.url} reads family data but has no verified actor`);
    const reader = { userId: actor.userId, unit: actor.unit ?? null, role: actor.role };
    return next.handle().pipe(
      mergeMap(async (body: unknown) => {
        const status = http.getResponse<FastifyReply>().statusCode;
        await this.audit.record(request, reader, 'permit', status, describe(body, request));
        return body;
      }),
      catchError(async (error: unknown) => {
        if (error instanceof AuditUnavailable) throw error;
        await this.audit.record(request, reader, 'deny', statusOf(error), askedFor(request));
        throw error;
      }),
    );
  }
}
