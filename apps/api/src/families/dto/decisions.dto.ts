import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { ArrayMaxSize, ArrayMinSize, IsArray, IsBoolean, IsIn, IsOptional, IsString, IsUUID, MaxLength, MinLength, ValidateNested } from 'class-validator';
import { DECISION_TYPES, UNITS } from '@familievedtak/domain';
import { AmountsDto, DateOnly, Id } from './common.dto';

export class ProposeDecisionDto {
  @ApiPropertyOptional({ format: 'uuid' }) @IsOptional() @IsUUID()
  decisionId?: string;

  @ApiProperty({ enum: UNITS, description: "Must be the proposing caseworker's unit" }) @IsIn(UNITS)
  unit!: (typeof UNITS)[number];

  @ApiProperty({ enum: DECISION_TYPES }) @IsIn(DECISION_TYPES)
  decisionType!: (typeof DECISION_TYPES)[number];

  @ApiProperty({ type: [String], format: 'uuid' }) @IsArray() @ArrayMinSize(1) @ArrayMaxSize(30) @IsUUID('all', { each: true })
  memberIds!: string[];

  @ApiPropertyOptional({ type: String, description: "Defaults to the catalogue's legal basis", nullable: true }) @IsOptional() @IsString() @MaxLength(500)
  legalBasis?: string | null;

  @ApiProperty({ format: 'date', example: '2026-12-01' }) @DateOnly()
  periodFrom!: string;

  @ApiProperty({ format: 'date', example: '2027-05-31' }) @DateOnly()
  periodUntil!: string;

  @ApiPropertyOptional({ type: AmountsDto }) @IsOptional() @ValidateNested() @Type(() => AmountsDto)
  amounts?: AmountsDto;

  @ApiProperty({ description: 'The grounds the party is told (forvaltningsloven §§ 24-25)' }) @IsString() @MinLength(1) @MaxLength(10000)
  reasons!: string;

  @ApiPropertyOptional({ description: 'Appealable individual decision; defaults from the catalogue' }) @IsOptional() @IsBoolean()
  enkeltvedtak?: boolean;

  @ApiPropertyOptional({ description: 'Pilot support only: the paying sub-project (its responsible unit is looked up)', example: 'driving-licences' })
  @IsOptional() @Id()
  subProjectId?: string;
}

export class ReasonDto {
  @ApiProperty() @IsString() @MinLength(1) @MaxLength(10000)
  reason!: string;
}

export class AmendDecisionDto {
  @ApiPropertyOptional({ format: 'date' }) @IsOptional() @DateOnly()
  periodFrom?: string;

  @ApiPropertyOptional({ format: 'date' }) @IsOptional() @DateOnly()
  periodUntil?: string;

  @ApiPropertyOptional({ type: AmountsDto }) @IsOptional() @ValidateNested() @Type(() => AmountsDto)
  amounts?: AmountsDto;

  @ApiPropertyOptional({ type: String, nullable: true }) @IsOptional() @IsString() @MaxLength(500)
  legalBasis?: string | null;

  @ApiProperty() @IsString() @MinLength(1) @MaxLength(10000)
  reasons!: string;
}

export class ReceiveAppealDto {
  @ApiPropertyOptional({ format: 'uuid' }) @IsOptional() @IsUUID()
  appealId?: string;

  @ApiProperty({ format: 'uuid' }) @IsUUID()
  decisionId!: string;

  @ApiProperty({ format: 'date', example: '2026-12-10' }) @DateOnly()
  receivedDate!: string;

  @ApiPropertyOptional({ type: String, format: 'uuid', nullable: true }) @IsOptional() @IsUUID()
  appellantMemberId?: string | null;

  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(10000)
  grounds?: string;

  @ApiPropertyOptional({ description: 'Why a late appeal should still be considered (forvaltningsloven § 31)' })
  @IsOptional() @IsString() @MaxLength(5000)
  lateExcuse?: string;
}

export class TermsChangeDto {
  @ApiPropertyOptional({ format: 'date' }) @IsOptional() @DateOnly()
  periodFrom?: string;

  @ApiPropertyOptional({ format: 'date' }) @IsOptional() @DateOnly()
  periodUntil?: string;

  @ApiPropertyOptional({ type: AmountsDto }) @IsOptional() @ValidateNested() @Type(() => AmountsDto)
  amounts?: AmountsDto;

  @ApiPropertyOptional({ type: String, nullable: true }) @IsOptional() @IsString() @MaxLength(500)
  legalBasis?: string | null;
}

export class DecideAppealDto {
  @ApiProperty({ enum: ['upheld', 'reversed'] }) @IsIn(['upheld', 'reversed'])
  outcome!: 'upheld' | 'reversed';

  @ApiProperty() @IsString() @MinLength(1) @MaxLength(10000)
  reasons!: string;

  @ApiPropertyOptional({ type: TermsChangeDto, description: 'Required when reversed' }) @IsOptional() @ValidateNested() @Type(() => TermsChangeDto)
  amendment?: TermsChangeDto;
}
