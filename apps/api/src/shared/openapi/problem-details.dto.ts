import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';

/** RFC 9457 problem details as the API sends them (application/problem+json): see problem-details.filter.ts. */
export class ProblemDetailsDto {
  @ApiProperty({
    description: 'urn:familievedtak:problem:<code> for domain refusals, urn:familievedtak:problem:http-<status> otherwise',
    example: 'urn:familievedtak:problem:MEMBER_NOT_FOUND',
  })
  type!: string;

  @ApiProperty({ example: 'MEMBER_NOT_FOUND' })
  title!: string;

  @ApiProperty({ type: 'integer', minimum: 400, maximum: 599, example: 404 })
  status!: number;

  @ApiProperty({
    description: 'Written for a caseworker; never a stack trace or SQL',
    example: 'No member 3f0c1a52-5d7e-4c1b-9a39-0d2f1e6b7a10 in this family.',
  })
  detail!: string;

  @ApiPropertyOptional({ description: 'The request path', example: '/families/0b9c1f54-2f4e-4b8a-9a53-6f3d2c1e0a77/payments' })
  instance?: string;

  @ApiPropertyOptional({
    description:
      "Stable machine-readable code: branch on it, not on detail. The codes a route can answer are listed per status (enum of `code`, and the operation's x-problem-codes)",
    example: 'MEMBER_NOT_FOUND',
  })
  code?: string;

  @ApiPropertyOptional({
    type: 'array',
    items: { oneOf: [{ type: 'string' }, { type: 'object', additionalProperties: true }] },
    description:
      'Validation (400): one message per broken field; rule-set documents (422): one message per line-level problem; RULE_OUTSIDE_LEGAL_LIMITS (422): one object per breach { ruleId, decisionType, unit, limit, provision, problem }',
  })
  errors?: Array<string | Record<string, unknown>>;

  @ApiPropertyOptional({ type: 'integer', description: 'REVISION_CONFLICT (409): the revision the stream is at now', example: 7 })
  currentRevision?: number;

  @ApiPropertyOptional({
    description: 'The request id (also the X-Request-Id response header): the same id is in the access log and the read audit',
    example: '0f1e2d3c-4b5a-4969-8877-665544332211',
  })
  requestId?: string;
}
