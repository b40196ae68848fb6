import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { Equals, IsIn, IsInt, IsOptional, IsString, Matches, Max, MaxLength, Min, ValidateIf } from 'class-validator';
import { UNITS } from '@familievedtak/domain';

/** A legal date, YYYY-MM-DD (the domain checks that it exists). */
export const DATE = /^\d{4}-\d{2}-\d{2}$/;
export const DateOnly = () => Matches(DATE, { message: '$property must be a date, YYYY-MM-DD' });
export const ID = /^[A-Za-z0-9-]{1,64}$/;
export const Id = () => Matches(ID, { message: '$property must be an id of letters, digits and dashes' });
/** Upper bound for money in øre: 10 billion NOK, far above any single payment. */
export const MAX_ORE = 1_000_000_000_000;

export class AmountsDto {
  @ApiPropertyOptional({ description: 'Monthly amount in øre (integer)', example: 160000 })
  @IsOptional() @IsInt() @Min(0) @Max(MAX_ORE)
  monthlyAmountOre?: number | null;

  @ApiPropertyOptional({ description: 'One-off amount in øre (integer)', example: 7000000 })
  @IsOptional() @IsInt() @Min(0) @Max(MAX_ORE)
  oneOffAmountOre?: number | null;
}

export class AffiliationDto {
  @ApiProperty({ enum: ['unit', 'partner'] }) @IsIn(['unit', 'partner'])
  kind!: 'unit' | 'partner';

  @ApiPropertyOptional({ enum: UNITS }) @ValidateIf((o) => o.kind === 'unit') @IsIn(UNITS)
  unit?: (typeof UNITS)[number];

  @ApiPropertyOptional({ example: 'Red Cross' }) @ValidateIf((o) => o.kind === 'partner') @IsString() @MaxLength(200)
  organisation?: string;
}

export class FundingDto {
  @ApiProperty({ enum: ['unit', 'sub-project'] }) @IsIn(['unit', 'sub-project'])
  kind!: 'unit' | 'sub-project';

  @ApiPropertyOptional({ enum: UNITS }) @ValidateIf((o) => o.kind === 'unit') @IsIn(UNITS)
  unit?: (typeof UNITS)[number];

  @ApiPropertyOptional({ example: 'driving-licences' }) @ValidateIf((o) => o.kind === 'sub-project') @Id()
  subProjectId?: string;
}

export { Type, Equals };
