import { STATUS_CODES } from 'node:http';
import { ArgumentsHost, Catch, ExceptionFilter, HttpException, HttpStatus, Logger } from '@nestjs/common';
import { IdempotencyKeyReusedError, IdempotentRequestInFlightError } from '@familievedtak/application';
import { isDomainError } from '@familievedtak/domain';
import {
  EventIdConflictError,
  InvalidAppendError,
  PersonalDataErasedError,
  PersonalDataIntegrityError,
  WrongExpectedVersionError,
} from '@familievedtak/event-store';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { DATABASE_RETRY_AFTER_SECONDS, describeDatabaseError, isDatabaseUnavailable, isUnstorableText } from './database-unavailable';

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
  /** The request's id (X-Request-Id): the same in the access log and the read audit. */
  requestId?: string;
}

const DOMAIN_STATUS = { not_found: 404, conflict: 409, forbidden: 403, invalid: 422 } as const;

/**
 * An error the API raises before a route runs (body parser, rate limit), with the status and
 * stable `code` of its problem details. Fastify's own error codes (FST_ERR_...) are internals
 * and never answered; its refusals get a code by status (HTTP_CODES).
 */
export class HttpProblem extends Error {
  constructor(
    readonly statusCode: number,
    readonly problemCode: string,
    message: string,
  ) {
    super(message);
    this.name = 'HttpProblem';
  }
}

/** The `code` of problem details answered for a bare HTTP status. */
const HTTP_CODES: Record<number, string> = {
  413: 'BODY_TOO_LARGE',
  415: 'UNSUPPORTED_MEDIA_TYPE',
  429: 'RATE_LIMITED',
  431: 'REQUEST_HEADERS_TOO_LARGE',
};
const httpCode = (status: number) => HTTP_CODES[status] ?? HttpStatus[status] ?? `HTTP_${status}`;
const httpTitle = (status: number) => STATUS_CODES[status] ?? 'Error';

/** Problem details for a refusal by status alone (also used outside Nest: the 431 of the HTTP parser). */
export function httpProblem(status: number, detail: string, code = httpCode(status)): ProblemDetails {
  return { type: `urn:familievedtak:problem:http-${status}`, title: httpTitle(status), status, detail, code };
}

export const UNSUPPORTED_MEDIA_TYPE_DETAIL = 'Send the body as application/json (a rule-set document may also be sent as text/yaml).';

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
    const requestId = request.id === undefined ? undefined : String(request.id);
    const problem = this.toProblem(error, requestId);
    problem.instance = request.url;
    if (requestId !== undefined) problem.requestId = requestId;
    if (problem.status === 503) void reply.header('retry-after', String(DATABASE_RETRY_AFTER_SECONDS));
    void reply.status(problem.status).header('content-type', 'application/problem+json').send(problem);
  }

  private toProblem(error: unknown, requestId: string | undefined): ProblemDetails {
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
    if (error instanceof IdempotencyKeyReusedError) {
      return { type: `urn:familievedtak:problem:${error.code}`, title: 'Idempotency-Key reused', status: 422, detail: error.message, code: error.code };
    }
    if (error instanceof IdempotentRequestInFlightError) {
      return { type: `urn:familievedtak:problem:${error.code}`, title: 'Request in flight', status: 409, detail: error.message, code: error.code };
    }
    if (error instanceof EventIdConflictError || error instanceof InvalidAppendError) {
      return { type: `urn:familievedtak:problem:${error.code}`, title: error.code, status: 409, detail: error.message, code: error.code };
    }
    if (error instanceof PersonalDataErasedError) {
      // The record's key was shredded: it can never take personal data again (design § 2). Nothing was stored.
      return { type: `urn:familievedtak:problem:${error.code}`, title: 'Personal data erased', status: 410, detail: error.message, code: error.code };
    }
    if (error instanceof PersonalDataIntegrityError) {
      // Not the caller's fault and never an erasure: a ciphertext or key row was altered, or a KEK is missing. Operators must look.
      this.logger.error({
        requestId,
        msg: `personal data integrity: ${error.message}`,
        streamId: error.streamId,
        keyRef: error.keyRef,
        eventId: error.eventId,
      });
      return {
        type: `urn:familievedtak:problem:${error.code}`,
        title: 'Personal data cannot be read',
        status: 500,
        detail:
          'Stored personal data of this family does not decrypt under its key (altered data or a missing key-encryption key). The operators have been alerted.',
        code: error.code,
      };
    }
    if (error instanceof HttpException) {
      const status = error.getStatus();
      const response = error.getResponse();
      const body = typeof response === 'object' && response ? (response as { message?: unknown; error?: string }) : {};
      const messages = Array.isArray(body.message) ? body.message : undefined;
      // Fastify's own refusals arrive here too (Nest maps them to HttpException): body too large,
      // malformed JSON, a content type without a parser (415: say which ones there are).
      return {
        type: `urn:familievedtak:problem:http-${status}`,
        title: body.error ?? httpTitle(status),
        status,
        detail: status === 415 ? UNSUPPORTED_MEDIA_TYPE_DETAIL : messages ? 'The request is not valid: see errors.' : String(body.message ?? error.message),
        code: httpCode(status),
        errors: messages,
      };
    }
    if (isDatabaseUnavailable(error)) {
      // A restart, failover or full connection pool: the client may retry; the pool reconnects.
      this.logger.warn({ requestId, msg: `database unavailable: ${describeDatabaseError(error)}: ${error instanceof Error ? error.message : String(error)}` });
      return {
        type: 'urn:familievedtak:problem:database-unavailable',
        title: 'Service Unavailable',
        status: 503,
        detail: `The database is unavailable at the moment. Try again in ${DATABASE_RETRY_AFTER_SECONDS} seconds.`,
        code: 'DATABASE_UNAVAILABLE',
      };
    }
    if (isUnstorableText(error)) {
      this.logger.warn({ requestId, msg: `unstorable text refused: ${describeDatabaseError(error)}` });
      return httpProblem(
        400,
        'Text in the request is not valid Unicode (such as a lone UTF-16 surrogate, \\ud800 without its pair) and cannot be stored.',
        'INVALID_TEXT',
      );
    }
    const status = (error as { statusCode?: number }).statusCode;
    if (typeof status === 'number' && status >= 400 && status < 500) {
      // Ours (body parser, rate limit), and any other error carrying a client status.
      if (error instanceof HttpProblem) return httpProblem(status, error.message, error.problemCode);
      if (status === 415) return httpProblem(415, UNSUPPORTED_MEDIA_TYPE_DETAIL);
      const message = (error as { message?: unknown }).message;
      return httpProblem(status, typeof message === 'string' && message ? message : httpTitle(status));
    }
    this.logger.error({ requestId, msg: 'unexpected error', err: error instanceof Error ? error : new Error(String(error)) });
    return { type: 'urn:familievedtak:problem:internal', title: 'Internal error', status: 500, detail: 'Something went wrong on our side.' };
  }
}
