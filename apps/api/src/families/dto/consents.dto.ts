import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsDefined,
  IsIn,
  IsObject,
  IsOptional,
  IsString,
  IsUUID,
  MaxLength,
  MinLength,
  ValidateIf,
  ValidateNested,
} from 'class-validator';
import { CONSENT_EVIDENCE_FORMS, CONSENT_KINDS, DATA_CATEGORIES, UNITS, WITHDRAWAL_CHANNELS } from '@familievedtak/domain';
import { DateOnly } from './common.dto';

/** How the consent was given: a signed form (its archive reference), or orally (documented by the recording user, now). */
export class ConsentEvidenceDto {
  @ApiProperty({
    enum: CONSENT_EVIDENCE_FORMS,
    description: "'written': a signed consent form; 'oral': said to the recording caseworker, who is recorded as having documented it",
  })
  @IsIn(CONSENT_EVIDENCE_FORMS)
  form!: (typeof CONSENT_EVIDENCE_FORMS)[number];

  @ApiPropertyOptional({ example: 'P360-2026-004211', description: "Written: the signed form's archive reference (required)" })
  @ValidateIf((o) => o.form === 'written')
  @IsString()
  @MinLength(1)
  @MaxLength(200)
  documentRef?: string;

  @ApiPropertyOptional({
    type: String,
    example: 'Said at the meeting on 27 November, interpreter present',
    nullable: true,
    description: 'Oral: what was said and how',
  })
  @IsOptional()
  @IsString()
  @MaxLength(1000)
  note?: string | null;
}

export class GiveConsentDto {
  @ApiPropertyOptional({ format: 'uuid' })
  @IsOptional()
  @IsUUID()
  consentId?: string;

  @ApiProperty({ description: 'The member the consent is about', format: 'uuid' })
  @IsUUID()
  memberId!: string;

  @ApiProperty({
    description:
      'The member giving it, on ages from birth dates: from 18 only the member themself; under 18 a holder of recorded parental responsibility (barneloven ch. 5); from 16, health information only by the young person themself (pasient- og brukerrettighetsloven § 4-3)',
    format: 'uuid',
  })
  @IsUUID()
  givenByMemberId!: string;

  @ApiProperty({ enum: CONSENT_KINDS })
  @IsIn(CONSENT_KINDS)
  kind!: (typeof CONSENT_KINDS)[number];

  @ApiPropertyOptional({
    enum: UNITS,
    isArray: true,
    description: "Information-sharing: whose records may be shared (source units); default the recording caseworker's unit",
  })
  @IsOptional()
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(5)
  @IsIn(UNITS, { each: true })
  sourceUnits?: (typeof UNITS)[number][];

  @ApiProperty({ enum: UNITS, isArray: true, description: 'Who may receive them (target units)' })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(5)
  @IsIn(UNITS, { each: true })
  toUnits!: (typeof UNITS)[number][];

  @ApiProperty({ enum: DATA_CATEGORIES, isArray: true })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(4)
  @IsIn(DATA_CATEGORIES, { each: true })
  dataCategories!: (typeof DATA_CATEGORIES)[number][];

  @ApiProperty({ example: 'Coordinate help for the family across NAV and BFT' })
  @IsString()
  @MinLength(1)
  @MaxLength(1000)
  purpose!: string;

  @ApiProperty({ format: 'date', example: '2026-11-27' })
  @DateOnly()
  validFrom!: string;

  @ApiProperty({ format: 'date', example: '2027-11-27', description: 'Required: a consent names until when it holds; today or later' })
  @DateOnly()
  validUntil!: string;

  @ApiProperty({ type: ConsentEvidenceDto, description: 'How the consent was given (forvaltningsloven § 13 a no. 1: the consent must be documented)' })
  @IsDefined()
  @IsObject()
  @ValidateNested()
  @Type(() => ConsentEvidenceDto)
  evidence!: ConsentEvidenceDto;
}

export class WithdrawConsentDto {
  @ApiProperty({
    format: 'uuid',
    description:
      'The member who withdrew it: the member the consent is about, or a person entitled to give it for them today. The units that read under the consent are alerted (from the read audit).',
  })
  @IsUUID()
  expressedByMemberId!: string;

  @ApiProperty({ enum: WITHDRAWAL_CHANNELS, description: 'How the member said it' })
  @IsIn(WITHDRAWAL_CHANNELS)
  channel!: (typeof WITHDRAWAL_CHANNELS)[number];

  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @MaxLength(2000)
  reason?: string;
}
