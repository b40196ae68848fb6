import { ApiPropertyOptional } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import { IsArray, IsIn, IsInt, IsISO8601, IsOptional, IsString, Matches, Max, MaxLength, Min } from 'class-validator';
import { FAMILY_EVENT_TYPES, UNITS } from '@familievedtak/domain';
import { MAX_HISTORY_LIMIT } from '@familievedtak/audit';
import { ExistingDay } from '../families/dto/common.dto';

const DATE_OR_INSTANT = /^\d{4}-\d{2}-\d{2}(T.+)?$/;
const DateOrInstant = () => Matches(DATE_OR_INSTANT, { message: '$property must be a date YYYY-MM-DD or an ISO 8601 instant' });

export class HistoryQueryDto {
  @ApiPropertyOptional({ enum: UNITS, description: 'Events acted by this unit or about its decisions' })
  @IsOptional()
  @IsIn(UNITS)
  unit?: (typeof UNITS)[number];

  @ApiPropertyOptional({ enum: FAMILY_EVENT_TYPES, isArray: true, description: 'Event types; repeat the parameter or separate by commas' })
  @IsOptional()
  @Transform(({ value }) => (Array.isArray(value) ? value : String(value).split(',')).map((v: string) => v.trim()).filter(Boolean))
  @IsArray()
  @IsIn(FAMILY_EVENT_TYPES, { each: true })
  type?: string[];

  @ApiPropertyOptional({ description: 'Recorded on or after: a date (whole Oslo day) or an ISO instant', example: '2026-11-01' })
  @IsOptional()
  @IsString()
  @MaxLength(40)
  @DateOrInstant()
  from?: string;

  @ApiPropertyOptional({ description: 'Recorded until: a date (that day included) or an ISO instant (exclusive)', example: '2026-11-30' })
  @IsOptional()
  @IsString()
  @MaxLength(40)
  @DateOrInstant()
  until?: string;

  @ApiPropertyOptional({ type: 'integer', description: 'nextCursor of the previous page (a stream revision)' })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(-1)
  after?: number;

  @ApiPropertyOptional({ type: 'integer', default: 50, maximum: MAX_HISTORY_LIMIT })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(MAX_HISTORY_LIMIT)
  limit?: number;
}

export class AsOfQueryDto {
  @ApiPropertyOptional({ description: 'The instant to look back to (events recorded at or before it)', example: '2026-11-20T12:00:00Z' })
  @IsOptional()
  @IsISO8601({ strict: true })
  at?: string;

  @ApiPropertyOptional({ description: 'Or a global position (events at or before it)', example: '123456789' })
  @IsOptional()
  @Matches(/^\d{1,19}$/, { message: 'position must be a whole number' })
  position?: string;

  @ApiPropertyOptional({
    format: 'date',
    description: "The day the view's time-dependent parts are computed for (default: the Oslo date of `at`, or of the last event)",
  })
  @IsOptional()
  @ExistingDay()
  today?: string;
}
