import { applyDecorators, type Type } from '@nestjs/common';
import { ApiExtension, ApiExtraModels, ApiOperation, ApiResponse, getSchemaPath } from '@nestjs/swagger';
import type { ReferenceObject, SchemaObject } from '@nestjs/swagger/dist/interfaces/open-api-spec.interface';
import { ProblemDetailsDto } from '../shared/openapi/problem-details.dto';

/** The problem codes the probes answer with, by status (the domain's table, statusOfCode, does not know them). */
export const PROBE_PROBLEM_STATUS: Readonly<Record<string, number>> = { NOT_READY: 503 };

export interface ProbeUnavailable {
  description: string;
  schema: SchemaObject | ReferenceObject;
  /** Problem codes of this 503 (each in PROBE_PROBLEM_STATUS). */
  codes?: string[];
}

/**
 * The contract of a health probe. Unlike ApiRoute: public (no 401/403), outside the rate limit
 * (no 429, see hardening.ts), and reports an outage in its own 503 body rather than
 * DATABASE_UNAVAILABLE. It reads neither query nor body: its only 400 is hardening.ts's refusal
 * of a NUL in the URL.
 */
export function ProbeRoute(operationId: string, summary: string, ok: { description: string; type: Type<unknown> }, unavailable?: ProbeUnavailable) {
  const decorators = [
    ApiOperation({ operationId, summary }),
    ApiExtraModels(ProblemDetailsDto),
    ApiResponse({ status: 200, description: ok.description, type: ok.type }),
    ApiResponse({
      status: 400,
      description: 'A NUL (%00) in the URL',
      content: { 'application/problem+json': { schema: { $ref: getSchemaPath(ProblemDetailsDto) } } },
    }),
  ];
  const codes: Record<string, string[]> = {};
  if (unavailable) {
    const problemCodes = unavailable.codes ?? [];
    decorators.push(
      ApiResponse({
        status: 503,
        description: problemCodes.length ? `${unavailable.description}. Codes: ${problemCodes.join(', ')}` : unavailable.description,
        content: { [problemCodes.length ? 'application/problem+json' : 'application/json']: { schema: unavailable.schema } },
      }),
    );
    if (problemCodes.length) codes['503'] = [...problemCodes].sort();
  }
  decorators.push(ApiExtension('x-problem-codes', codes));
  return applyDecorators(...decorators);
}
