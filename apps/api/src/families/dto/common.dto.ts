import { type Type as Class } from '@nestjs/common';
import { ApiProperty, ApiPropertyOptional, getSchemaPath } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { Equals, IsIn, IsInt, IsOptional, IsString, Matches, Max, MaxLength, Min, ValidateIf, ValidateBy } from 'class-validator';
import { isLocalDate, isReservedName, UNITS } from '@familievedtak/domain';

/**
 * An optional nested object that may be null, typed by its schema: `nullable` with `allOf: [$ref]`.
 * (@nestjs/swagger alone writes `type: object` beside the reference, which a generator may read
 * as an untyped object; the contract test refuses that.)
 */
export const ApiNullableNested = (type: Class<unknown>, options: { description?: string } = {}) =>
  ApiPropertyOptional({ ...options, type: () => type, nullable: true, allOf: [{ $ref: getSchemaPath(type) }] });

/** A legal date, YYYY-MM-DD (the domain checks that it exists). */
export const DATE = /^\d{4}-\d{2}-\d{2}$/;
export const DateOnly = () => Matches(DATE, { message: '$property must be a date, YYYY-MM-DD' });
/**
 * A day that exists (2026-02-30 does not), checked at the edge: for query parameters such as
 * `today`, which reach the read side without a domain check (an impossible day was a 500).
 */
export const ExistingDay = () =>
  ValidateBy({
    name: 'existingDay',
    validator: { validate: (value) => isLocalDate(value), defaultMessage: () => '$property must be a day that exists, YYYY-MM-DD' },
  });
/**
 * An ISO 8601 day or instant PostgreSQL's timestamptz accepts as meant: a day that exists, a
 * time of day that exists, an offset within ±15:59 ('2026-02-30' was a 500 from the read audit).
 */
const INSTANT = /^(\d{4}-\d{2}-\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.\d{1,9})?)?(Z|[+-](\d{2})(?::?(\d{2}))?)?)?$/i;
export function isInstant(value: unknown): boolean {
  if (typeof value !== 'string') return false;
  const m = INSTANT.exec(value);
  if (!m || !isLocalDate(m[1])) return false;
  const [hours, minutes, seconds, offsetHours, offsetMinutes] = [m[2], m[3], m[4], m[6], m[7]].map((v) => (v === undefined ? 0 : Number(v)));
  return hours <= 23 && minutes <= 59 && seconds <= 59 && offsetHours <= 15 && offsetMinutes <= 59;
}
export const Instant = () =>
  ValidateBy({
    name: 'instant',
    validator: { validate: (value) => isInstant(value), defaultMessage: () => '$property must be an ISO 8601 day or instant that exists' },
  });
export const ID = /^[A-Za-z0-9-]{1,64}$/;
export const Id = () =>
  ValidateBy({
    name: 'id',
    validator: {
      // 'constructor' and its kind would look up Object.prototype's members where ids key objects.
      validate: (value) => typeof value === 'string' && ID.test(value) && !isReservedName(value),
      defaultMessage: () => '$property must be an id of letters, digits and dashes (not a reserved name such as constructor)',
    },
  });
/** A partner organisation's 9-digit organisation number (Enhetsregisteret); compared exactly with a partner token's `org` claim. */
export const ORGANISATION_NUMBER = /^\d{9}$/;
export const OrganisationNumber = () => Matches(ORGANISATION_NUMBER, { message: '$property must be the 9-digit organisation number' });
/** Upper bound for money in øre: 10 billion NOK, far above any single payment. */
export const MAX_ORE = 1_000_000_000_000;

export class AmountsDto {
  @ApiPropertyOptional({ type: 'integer', description: 'Monthly amount in øre (integer)', example: 160000 })
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(MAX_ORE)
  monthlyAmountOre?: number | null;

  @ApiPropertyOptional({ type: 'integer', description: 'One-off amount in øre (integer)', example: 7000000 })
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(MAX_ORE)
  oneOffAmountOre?: number | null;
}

export class AffiliationDto {
  @ApiProperty({ enum: ['unit', 'partner'] })
  @IsIn(['unit', 'partner'])
  kind!: 'unit' | 'partner';

  @ApiPropertyOptional({ enum: UNITS })
  @ValidateIf((o) => o.kind === 'unit')
  @IsIn(UNITS)
  unit?: (typeof UNITS)[number];

  @ApiPropertyOptional({
    example: '974123456',
    description:
      "Partner: the organisation's 9-digit organisation number. The partner must be enrolled with the family through a sub-project naming that number.",
  })
  @ValidateIf((o) => o.kind === 'partner')
  @IsString()
  @OrganisationNumber()
  organisationNumber?: string;

  @ApiPropertyOptional({ example: 'Trondheim Red Cross', description: "Partner: the organisation's name (default: the name the sub-project gives it)" })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  organisation?: string;
}

export class FundingDto {
  @ApiProperty({ enum: ['unit', 'sub-project'] })
  @IsIn(['unit', 'sub-project'])
  kind!: 'unit' | 'sub-project';

  @ApiPropertyOptional({ enum: UNITS })
  @ValidateIf((o) => o.kind === 'unit')
  @IsIn(UNITS)
  unit?: (typeof UNITS)[number];

  @ApiPropertyOptional({ example: 'driving-licences' })
  @ValidateIf((o) => o.kind === 'sub-project')
  @Id()
  subProjectId?: string;
}

export { Type, Equals };
