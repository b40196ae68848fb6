import { ApiPropertyOptional } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import { IsBoolean, IsIn, IsInt, IsOptional, IsString, IsUUID, Max, MaxLength, Min } from 'class-validator';
import { UNITS } from '@familievedtak/domain';
import { ExistingDay, Instant } from './common.dto';

export class ViewQueryDto {
  @ApiPropertyOptional({ format: 'date', description: 'The day the time-dependent parts are computed for (default today)', example: '2026-11-27' })
  @IsOptional()
  @ExistingDay()
  today?: string;
}

/**
 * One family's view. `today` is valid time (as it stood on that day, as known now); with
 * `recordedAt` the view is rebuilt from the events recorded up to that instant: "as recorded
 * then, as it stood on today" (bitemporal).
 */
export class FamilyViewQueryDto extends ViewQueryDto {
  @ApiPropertyOptional({ description: 'An ISO 8601 instant: only what was recorded at or before it counts', example: '2026-11-27T12:00:00Z' })
  @IsOptional()
  @IsString()
  @MaxLength(40)
  @Instant()
  recordedAt?: string;
}

export class FamilyListQueryDto extends ViewQueryDto {
  @ApiPropertyOptional({ enum: UNITS })
  @IsOptional()
  @IsIn(UNITS)
  unit?: (typeof UNITS)[number];

  @ApiPropertyOptional({ example: 'Heimdal' })
  @IsOptional()
  @IsString()
  @MaxLength(100)
  district?: string;

  @ApiPropertyOptional({ description: 'Only families with (true) or without (false) coordination warnings' })
  @IsOptional()
  @Transform(({ value }) => (value === 'true' ? true : value === 'false' ? false : value))
  @IsBoolean()
  hasWarnings?: boolean;

  @ApiPropertyOptional({ type: 'integer', description: 'Only families where something expires within N days', example: 60 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(0)
  @Max(3650)
  expiringWithinDays?: number;

  @ApiPropertyOptional({ type: 'integer', default: 50, maximum: 200 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(200)
  limit?: number;

  @ApiPropertyOptional({ description: 'nextCursor of the previous page', format: 'uuid' })
  @IsOptional()
  @IsUUID()
  after?: string;
}
