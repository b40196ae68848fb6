import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, IsString, MaxLength, MinLength } from 'class-validator';

export class VerifyQueryDto {
  @ApiPropertyOptional({ description: 'Verify this stream only (e.g. family-<id>)' })
  @IsOptional()
  @IsString()
  @MinLength(1)
  @MaxLength(200)
  streamId?: string;

  @ApiPropertyOptional({ description: 'Verify the streams whose id starts with this (e.g. family-)' })
  @IsOptional()
  @IsString()
  @MinLength(1)
  @MaxLength(200)
  streamPrefix?: string;
}
