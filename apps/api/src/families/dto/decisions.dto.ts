import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { ArrayMaxSize, ArrayMinSize, IsArray, IsBoolean, IsIn, IsOptional, IsString, IsUUID, MaxLength, MinLength, ValidateNested } from 'class-validator';
import {
  ADVANCE_NOTICE_WAIVER_GROUNDS,
  CHANGE_GROUNDS,
  CHILD_HEARD_HOW,
  CHILD_NOT_HEARD_WHY,
  DECISION_OUTCOMES,
  DECISION_TYPES,
  INTENDED_ACTS,
  NOTICE_CHANNELS,
  UNITS,
} from '@familievedtak/domain';
import { AmountsDto, DateOnly, Id } from './common.dto';

/** fvl §§ 24-25. Checked in the domain too, which names everything missing (422 REASONS_INCOMPLETE). */
export class StructuredReasonsDto {
  @ApiProperty({ type: [String], description: 'The rules the decision rests on, e.g. "sosialtjenesteloven § 18"', example: ['sosialtjenesteloven § 18'] })
  @IsArray()
  @ArrayMaxSize(20)
  @IsString({ each: true })
  @MaxLength(500, { each: true })
  rulesApplied!: string[];

  @ApiProperty({ description: 'The facts the decision relies on' })
  @IsString()
  @MaxLength(10000)
  facts!: string;

  @ApiPropertyOptional({ type: String, nullable: true, description: 'Required unless the outcome is granted' })
  @IsOptional()
  @IsString()
  @MaxLength(10000)
  mainConsiderations?: string | null;

  @ApiProperty({ description: 'What the party reads first' })
  @IsString()
  @MinLength(1)
  @MaxLength(10000)
  summary!: string;
}

/**
 * One child's voice (barnekonvensjonen art. 12, Grunnloven § 104, barnevernsloven § 1-4): heard, with
 * how, when, the views and their weight; or not heard, with why. The domain checks the combination.
 */
export class ChildViewDto {
  @ApiProperty({ format: 'uuid' })
  @IsUUID()
  memberId!: string;

  @ApiProperty()
  @IsBoolean()
  heard!: boolean;

  @ApiPropertyOptional({ enum: CHILD_HEARD_HOW })
  @IsOptional()
  @IsIn(CHILD_HEARD_HOW)
  how?: (typeof CHILD_HEARD_HOW)[number];

  @ApiPropertyOptional({ format: 'date' })
  @IsOptional()
  @DateOnly()
  heardOn?: string;

  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @MaxLength(10000)
  views?: string;

  @ApiPropertyOptional({ description: 'The weight given to the views, by age and maturity' })
  @IsOptional()
  @IsString()
  @MaxLength(10000)
  weight?: string;

  @ApiPropertyOptional({ enum: CHILD_NOT_HEARD_WHY })
  @IsOptional()
  @IsIn(CHILD_NOT_HEARD_WHY)
  whyNot?: (typeof CHILD_NOT_HEARD_WHY)[number];

  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @MaxLength(10000)
  explanation?: string;
}

export class ProposeDecisionDto {
  @ApiPropertyOptional({ format: 'uuid' })
  @IsOptional()
  @IsUUID()
  decisionId?: string;

  @ApiProperty({ enum: UNITS, description: "Must be the proposing caseworker's unit" })
  @IsIn(UNITS)
  unit!: (typeof UNITS)[number];

  @ApiProperty({ enum: DECISION_TYPES })
  @IsIn(DECISION_TYPES)
  decisionType!: (typeof DECISION_TYPES)[number];

  @ApiProperty({ type: [String], format: 'uuid' })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(30)
  @IsUUID('all', { each: true })
  memberIds!: string[];

  @ApiPropertyOptional({ type: String, description: "Defaults to the catalogue's legal basis", nullable: true })
  @IsOptional()
  @IsString()
  @MaxLength(500)
  legalBasis?: string | null;

  @ApiProperty({ format: 'date', example: '2026-12-01' })
  @DateOnly()
  periodFrom!: string;

  @ApiProperty({ format: 'date', example: '2027-05-31' })
  @DateOnly()
  periodUntil!: string;

  @ApiPropertyOptional({ type: AmountsDto })
  @IsOptional()
  @ValidateNested()
  @Type(() => AmountsDto)
  amounts?: AmountsDto;

  @ApiProperty({ enum: DECISION_OUTCOMES, description: 'A refusal is an enkeltvedtak too; it grants nothing' })
  @IsIn(DECISION_OUTCOMES)
  outcome!: (typeof DECISION_OUTCOMES)[number];

  @ApiProperty({ type: StructuredReasonsDto, description: 'Structured reasons (forvaltningsloven §§ 24-25)' })
  @ValidateNested()
  @Type(() => StructuredReasonsDto)
  reasons!: StructuredReasonsDto;

  @ApiPropertyOptional({ type: [ChildViewDto], description: 'One per member under 18 on the decision day' })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(30)
  @ValidateNested({ each: true })
  @Type(() => ChildViewDto)
  childViews?: ChildViewDto[];

  // No `enkeltvedtak`: it follows from the decision type (forvaltningsloven § 2); sending it is 400.

  @ApiPropertyOptional({ description: 'Pilot support only: the paying sub-project (its responsible unit is looked up)', example: 'driving-licences' })
  @IsOptional()
  @Id()
  subProjectId?: string;
}

export class ReasonDto {
  @ApiProperty()
  @IsString()
  @MinLength(1)
  @MaxLength(10000)
  reason!: string;
}

export class ApproveDecisionDto {
  @ApiPropertyOptional({ format: 'date', description: 'The day the decision holds from (valid time); default: the period start' })
  @IsOptional()
  @DateOnly()
  effectiveFrom?: string;
}

export class AdvanceNoticeWaiverDto {
  @ApiProperty({ enum: ADVANCE_NOTICE_WAIVER_GROUNDS })
  @IsIn(ADVANCE_NOTICE_WAIVER_GROUNDS)
  ground!: (typeof ADVANCE_NOTICE_WAIVER_GROUNDS)[number];

  @ApiProperty()
  @IsString()
  @MinLength(1)
  @MaxLength(5000)
  explanation!: string;
}

/** Valid time and the law of changing one's own decision (forvaltningsloven §§ 16, 35). */
export class DecisionChangeDto {
  @ApiPropertyOptional({ format: 'date', description: 'The day the change holds from; default: today' })
  @IsOptional()
  @DateOnly()
  effectiveFrom?: string;

  @ApiPropertyOptional({ enum: CHANGE_GROUNDS, description: 'forvaltningsloven § 35 (1); required for a change to the party’s detriment' })
  @IsOptional()
  @IsIn(CHANGE_GROUNDS)
  ground?: (typeof CHANGE_GROUNDS)[number];

  @ApiPropertyOptional({ format: 'uuid', description: 'The advance notice (forvaltningsloven § 16) the change rests on' })
  @IsOptional()
  @IsUUID()
  advanceNoticeId?: string;

  @ApiPropertyOptional({ type: AdvanceNoticeWaiverDto })
  @IsOptional()
  @ValidateNested()
  @Type(() => AdvanceNoticeWaiverDto)
  advanceNoticeWaiver?: AdvanceNoticeWaiverDto;
}

export class RevokeDecisionDto extends DecisionChangeDto {
  @ApiProperty()
  @IsString()
  @MinLength(1)
  @MaxLength(10000)
  reason!: string;
}

export class SendAdvanceNoticeDto {
  @ApiPropertyOptional({ format: 'uuid' })
  @IsOptional()
  @IsUUID()
  noticeId?: string;

  @ApiProperty({ enum: INTENDED_ACTS })
  @IsIn(INTENDED_ACTS)
  intendedAct!: (typeof INTENDED_ACTS)[number];

  @ApiProperty({ type: [String], format: 'uuid' })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(30)
  @IsUUID('all', { each: true })
  memberIds!: string[];

  @ApiProperty({ format: 'date' })
  @DateOnly()
  sentOn!: string;

  @ApiProperty({ format: 'date' })
  @DateOnly()
  answerBy!: string;

  @ApiProperty({ enum: NOTICE_CHANNELS })
  @IsIn(NOTICE_CHANNELS)
  channel!: (typeof NOTICE_CHANNELS)[number];

  @ApiPropertyOptional({ description: 'BCP 47; default: the first recipient’s preferred language' })
  @IsOptional()
  @IsString()
  @MaxLength(35)
  language?: string;
}

export class PartyStatementDto {
  @ApiProperty({ format: 'uuid' })
  @IsUUID()
  memberId!: string;

  @ApiProperty({ format: 'date' })
  @DateOnly()
  receivedOn!: string;

  @ApiProperty()
  @IsString()
  @MinLength(1)
  @MaxLength(10000)
  summary!: string;
}

export class AmendDecisionDto extends DecisionChangeDto {
  @ApiPropertyOptional({ format: 'date' })
  @IsOptional()
  @DateOnly()
  periodFrom?: string;

  @ApiPropertyOptional({ format: 'date' })
  @IsOptional()
  @DateOnly()
  periodUntil?: string;

  @ApiPropertyOptional({ type: AmountsDto })
  @IsOptional()
  @ValidateNested()
  @Type(() => AmountsDto)
  amounts?: AmountsDto;

  @ApiPropertyOptional({ type: String, nullable: true })
  @IsOptional()
  @IsString()
  @MaxLength(500)
  legalBasis?: string | null;

  @ApiProperty()
  @IsString()
  @MinLength(1)
  @MaxLength(10000)
  reasons!: string;
}
