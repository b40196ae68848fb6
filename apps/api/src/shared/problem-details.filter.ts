import { ArgumentsHost, Catch, ExceptionFilter, HttpException, HttpStatus, Logger } from '@nestjs/common';
import { isDomainError } from '@familievedtak/domain';
import { EventIdConflictError, InvalidAppendError, WrongExpectedVersionError } from '@familievedtak/event-store';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { DATABASE_RETRY_AFTER_SECONDS, describeDatabaseError, isDatabaseUnavailable } from './database-unavailable';

/** RFC 9457 problem details: the one error format of the API. */
export interface ProblemDetails {
  type: string;
  title: string;
  status: number;
  detail: string;
  instance?: string;
  code?: string;
  errors?: unknown;
  currentRevision?: number;
}

const DOMAIN_STATUS = { not_found: 404, conflict: 409, forbidden: 403, invalid: 422 } as const;

/**
 * Turns every error into problem details. Domain errors keep their code and their message
 * (written for caseworkers); unexpected errors are logged and answered without internals.
 */
@Catch()
export class ProblemDetailsFilter implements ExceptionFilter {
  private readonly logger = new Logger('errors');

  catch(error: unknown, host: ArgumentsHost): void {
    const http = host.switchToHttp();
    const request = http.getRequest<FastifyRequest>();
    const reply = http.getResponse<FastifyReply>();
    const problem = this.toProblem(error);
    problem.instance = request.url;
    if (problem.status === 503) void reply.header('retry-after', String(DATABASE_RETRY_AFTER_SECONDS));
    void reply.status(problem.status).header('content-type', 'application/problem+json').send(problem);
  }

  private toProblem(error: unknown): ProblemDetails {
    if (isDomainError(error)) {
      const status = DOMAIN_STATUS[error.kind];
      const problem: ProblemDetails = { type: `urn:familievedtak:problem:${error.code}`, title: error.code, status, detail: error.message, code: error.code };
      // Line-level problems of a document (a rule set): one message per entry.
      if (Array.isArray(error.details.errors)) problem.errors = error.details.errors;
      return problem;
    }
    if (error instanceof WrongExpectedVersionError) {
      return {
        type: 'urn:familievedtak:problem:REVISION_CONFLICT',
        title: 'REVISION_CONFLICT',
        status: 409,
        detail: `The family was changed by someone else (now at revision ${error.actualRevision}). Reload it and try again.`,
        code: 'REVISION_CONFLICT',
        currentRevision: error.actualRevision,
      };
    }
    if (error instanceof EventIdConflictError || error instanceof InvalidAppendError) {
      return { type: `urn:familievedtak:problem:${error.code}`, title: error.code, status: 409, detail: error.message, code: error.code };
    }
    if (error instanceof HttpException) {
      const status = error.getStatus();
      const response = error.getResponse();
      const body = typeof response === 'object' && response ? (response as { message?: unknown; error?: string }) : {};
      const messages = Array.isArray(body.message) ? body.message : undefined;
      return {
        type: `urn:familievedtak:problem:http-${status}`,
        title: body.error ?? HttpStatus[status] ?? 'Error',
        status,
        detail: messages ? 'The request is not valid: see errors.' : String(body.message ?? error.message),
        errors: messages,
      };
    }
    if (isDatabaseUnavailable(error)) {
      // A restart, failover or full connection pool: the client may retry; the pool reconnects.
      this.logger.warn(`database unavailable: ${describeDatabaseError(error)}: ${error instanceof Error ? error.message : String(error)}`);
      return {
        type: 'urn:familievedtak:problem:database-unavailable',
        title: 'Service Unavailable',
        status: 503,
        detail: `The database is unavailable at the moment. Try again in ${DATABASE_RETRY_AFTER_SECONDS} seconds.`,
        code: 'DATABASE_UNAVAILABLE',
      };
    }
    const status = (error as { statusCode?: number }).statusCode;
    if (typeof status === 'number' && status >= 400 && status < 500) {
      // Fastify's own refusals: body too large, malformed JSON, wrong content type.
      return { type: `urn:familievedtak:problem:http-${status}`, title: HttpStatus[status] ?? 'Bad request', status, detail: (error as Error).message };
    }
    this.logger.error(error instanceof Error ? error.stack : String(error));
    return { type: 'urn:familievedtak:problem:internal', title: 'Internal error', status: 500, detail: 'Something went wrong on our side.' };
  }
}
