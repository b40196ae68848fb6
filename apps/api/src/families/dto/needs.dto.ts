import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ArrayMaxSize, IsArray, IsOptional, IsString, IsUUID, MaxLength, MinLength } from 'class-validator';
import { DateOnly } from './common.dto';

export class ExpressNeedDto {
  @ApiPropertyOptional({ format: 'uuid' })
  @IsOptional()
  @IsUUID()
  needId?: string;

  @ApiPropertyOptional({ type: String, description: 'The member; left out or null for the whole family', format: 'uuid', nullable: true })
  @IsOptional()
  @IsUUID()
  memberId?: string | null;

  @ApiProperty({
    description: 'In the person\'s own words: "what do you need for a better life?"',
    example: 'A driving licence so I can take the job in Orkanger',
  })
  @IsString()
  @MinLength(1)
  @MaxLength(2000)
  words!: string;

  @ApiPropertyOptional({ format: 'date', example: '2026-11-20' })
  @IsOptional()
  @DateOnly()
  expressedOn?: string;
}

export class ResolveNeedDto {
  @ApiPropertyOptional({ format: 'uuid', type: [String] })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(50)
  @IsUUID('all', { each: true })
  decisionIds?: string[];

  @ApiPropertyOptional({ format: 'uuid', type: [String] })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(50)
  @IsUUID('all', { each: true })
  paymentIds?: string[];

  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @MaxLength(2000)
  resolution?: string;
}

export class WithdrawDto {
  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @MaxLength(2000)
  reason?: string;
}
