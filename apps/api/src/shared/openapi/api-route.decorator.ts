import { applyDecorators, type Type } from '@nestjs/common';
import { ApiExtension, ApiExtraModels, ApiResponse, getSchemaPath } from '@nestjs/swagger';
import type { SchemaObject } from '@nestjs/swagger/dist/interfaces/open-api-spec.interface';
import { ProblemDetailsDto } from './problem-details.dto';
import {
  APPEND_CODES,
  COMMAND_PROBLEM_CODES,
  DATABASE_UNAVAILABLE,
  isFamilyCommand,
  PERSONAL_DATA_ERASED,
  statusOfCode,
  type CommandType,
} from './problem-codes';

export type ProblemStatus = 400 | 401 | 403 | 404 | 409 | 410 | 413 | 415 | 422 | 429 | 503;

export interface Problems {
  /** Problem codes the route can answer; each goes under the status its error class maps to. */
  codes?: readonly string[];
  /** Statuses answered without a code (Nest's NotFoundException, ConflictException, ...). */
  statuses?: ProblemStatus[];
  /** The route reads a request body: 413 (over 256 KiB) and 415 (a content type it does not parse). */
  body?: boolean;
  /** @Public(): no 401/403 from the guard. */
  isPublic?: boolean;
  /** The route answers 503 with its own body (GET /health), not problem details. */
  ownUnavailableBody?: boolean;
}

export interface Success {
  status: 200 | 201;
  description: string;
  type?: Type<unknown> | [Type<unknown>];
  schema?: SchemaObject;
  /** text/html instead of JSON. */
  html?: boolean;
  /** A second success status with the same body (a draft already stored answers 200, a new one 201). */
  also?: { status: 200 | 201; description: string };
}

const PROBLEM_TITLES: Record<ProblemStatus, string> = {
  400: 'The request is not valid: a field fails validation (errors lists them; unknown fields are refused), a malformed query, NUL or bad percent-encoding in the URL or body, invalid JSON',
  401: 'No valid bearer token',
  403: 'The role may not call this route, the acting-as choice is not granted, or the domain refuses the caller',
  404: 'Not found (or not visible to the caller)',
  409: 'Conflicts with the current state; REVISION_CONFLICT carries currentRevision',
  410: "The record's personal data was erased (its key shredded): it can take no personal data again, and nothing was stored",
  413: 'The body is over 256 KiB',
  415: 'The content type is not accepted',
  422: 'A rule of the domain the input breaks',
  429: 'Over the rate limit for this user',
  503: 'The database is unavailable: retry after Retry-After seconds',
};

/** The problems of a command route: its commands' codes, plus what any append can answer. */
export function commandProblems(...commands: CommandType[]): Problems {
  const erased = commands.some(isFamilyCommand) ? [PERSONAL_DATA_ERASED] : [];
  return { codes: [...new Set([...commands.flatMap((c) => COMMAND_PROBLEM_CODES[c]), ...APPEND_CODES, ...erased])], body: true };
}

/**
 * @nestjs/swagger's metadata key of @ApiOperation (DECORATORS.API_OPERATION, not exported by the
 * package); the contract test fails if an operation lacks its operationId, so a rename shows.
 */
const API_OPERATION = 'swagger/apiOperation';

/** Sets the operationId on the operation metadata, merged so it does not matter where @ApiOperation sits. */
function OperationId(operationId: string): MethodDecorator {
  return (_target, _key, descriptor) => {
    const previous = Reflect.getMetadata(API_OPERATION, descriptor.value as object) ?? {};
    Reflect.defineMetadata(API_OPERATION, { ...previous, operationId }, descriptor.value as object);
    return descriptor;
  };
}

/**
 * The contract of one route in one line: a readable operationId, the success body, and RFC 9457
 * problem details for every status it can answer, with the codes per status (as an enum of
 * `code` in the response schema and as the operation's `x-problem-codes`).
 */
export function ApiRoute(operationId: string, success: Success, problems: Problems = {}): MethodDecorator {
  const byStatus = new Map<ProblemStatus, string[]>();
  const add = (status: ProblemStatus, code?: string) => {
    const codes = byStatus.get(status) ?? [];
    if (code && !codes.includes(code)) codes.push(code);
    byStatus.set(status, codes);
  };
  add(400);
  if (!problems.isPublic) {
    add(401);
    add(403);
  }
  if (problems.body) {
    add(413);
    add(415);
  }
  add(429);
  for (const status of problems.statuses ?? []) add(status);
  for (const code of problems.codes ?? []) add(statusOfCode(code) as ProblemStatus, code);
  if (!problems.ownUnavailableBody) add(503, DATABASE_UNAVAILABLE);

  const decorators: Array<MethodDecorator | ClassDecorator> = [OperationId(operationId), ApiExtraModels(ProblemDetailsDto)];
  if (success.html) {
    decorators.push(ApiResponse({ status: success.status, description: success.description, content: { 'text/html': { schema: { type: 'string' } } } }));
  } else if (success.schema) {
    decorators.push(ApiResponse({ status: success.status, description: success.description, schema: success.schema }));
  } else {
    decorators.push(ApiResponse({ status: success.status, description: success.description, type: success.type }));
  }
  if (success.also)
    decorators.push(ApiResponse({ status: success.also.status, description: success.also.description, type: success.type, schema: success.schema }));
  const codesByStatus: Record<string, string[]> = {};
  for (const [status, codes] of [...byStatus].sort(([a], [b]) => a - b)) {
    const sorted = [...codes].sort();
    if (sorted.length) codesByStatus[status] = sorted;
    const ref = { $ref: getSchemaPath(ProblemDetailsDto) };
    const schema = sorted.length ? { allOf: [ref, { type: 'object', properties: { code: { type: 'string', enum: sorted } } }] } : ref;
    decorators.push(
      ApiResponse({
        status,
        description: sorted.length ? `${PROBLEM_TITLES[status]}. Codes: ${sorted.join(', ')}` : PROBLEM_TITLES[status],
        content: { 'application/problem+json': { schema } },
      }),
    );
  }
  decorators.push(ApiExtension('x-problem-codes', codesByStatus));
  return applyDecorators(...decorators) as MethodDecorator;
}
