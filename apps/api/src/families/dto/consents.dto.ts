import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ArrayMaxSize, ArrayMinSize, IsArray, IsIn, IsOptional, IsString, IsUUID, MaxLength, MinLength } from 'class-validator';
import { CONSENT_KINDS, DATA_CATEGORIES, UNITS } from '@familievedtak/domain';
import { DateOnly } from './common.dto';

export class GiveConsentDto {
  @ApiPropertyOptional({ format: 'uuid' }) @IsOptional() @IsUUID()
  consentId?: string;

  @ApiProperty({ description: 'The member the consent is about', format: 'uuid' }) @IsUUID()
  memberId!: string;

  @ApiProperty({ description: 'The member giving it: the member, or an adult guardian for a child', format: 'uuid' }) @IsUUID()
  givenByMemberId!: string;

  @ApiProperty({ enum: CONSENT_KINDS }) @IsIn(CONSENT_KINDS)
  kind!: (typeof CONSENT_KINDS)[number];

  @ApiProperty({ enum: UNITS, isArray: true }) @IsArray() @ArrayMinSize(1) @ArrayMaxSize(5) @IsIn(UNITS, { each: true })
  toUnits!: (typeof UNITS)[number][];

  @ApiProperty({ enum: DATA_CATEGORIES, isArray: true })
  @IsArray() @ArrayMinSize(1) @ArrayMaxSize(4) @IsIn(DATA_CATEGORIES, { each: true })
  dataCategories!: (typeof DATA_CATEGORIES)[number][];

  @ApiProperty({ example: 'Coordinate help for the family across NAV and BFT' }) @IsString() @MinLength(1) @MaxLength(1000)
  purpose!: string;

  @ApiProperty({ example: '2026-11-27' }) @DateOnly()
  validFrom!: string;

  @ApiPropertyOptional({ example: '2027-11-27', nullable: true }) @IsOptional() @DateOnly()
  validUntil?: string | null;
}

export class WithdrawConsentDto {
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(2000)
  reason?: string;
}
