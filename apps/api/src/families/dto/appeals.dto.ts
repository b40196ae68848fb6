import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsBoolean, IsIn, IsOptional, IsString, IsUUID, MaxLength, MinLength, ValidateNested } from 'class-validator';
import {
  APPEAL_CHANNELS,
  BODY_OUTCOMES,
  LATE_EXCUSE_GROUNDS,
  NOTIFICATION_CHANNELS,
  NOTIFICATION_SUBJECTS,
  RECEIPT_EVIDENCE,
  SUSPENSION_UNTIL,
} from '@familievedtak/domain';
import { AmountsDto, ApiNullableNested, DateOnly } from './common.dto';

/** Bodies of the notification (fvl § 27) and appeal (fvl §§ 28-34, 42) routes; the domain checks the law. */

export class NotificationSubjectDto {
  @ApiProperty({ enum: NOTIFICATION_SUBJECTS, description: 'decision: id is a decisionId; appeal-outcome and dismissal: id is an appealId' })
  @IsIn(NOTIFICATION_SUBJECTS)
  kind!: (typeof NOTIFICATION_SUBJECTS)[number];

  @ApiProperty({ format: 'uuid' })
  @IsUUID()
  id!: string;
}

export class SendNotificationDto {
  @ApiPropertyOptional({ format: 'uuid' })
  @IsOptional()
  @IsUUID()
  notificationId?: string;

  @ApiProperty({ type: NotificationSubjectDto })
  @ValidateNested()
  @Type(() => NotificationSubjectDto)
  subject!: NotificationSubjectDto;

  @ApiProperty({ format: 'uuid', description: 'A party of the decision (fvl § 2 (1) e)' })
  @IsUUID()
  recipientMemberId!: string;

  @ApiProperty({ enum: NOTIFICATION_CHANNELS, description: 'in-person: received the day it is handed over' })
  @IsIn(NOTIFICATION_CHANNELS)
  channel!: (typeof NOTIFICATION_CHANNELS)[number];

  @ApiPropertyOptional({ type: String, nullable: true, description: "BCP 47; default: the recipient's preferred language", example: 'nb' })
  @IsOptional()
  @IsString()
  @MaxLength(35)
  language?: string | null;

  @ApiProperty({ format: 'date', example: '2026-03-10' })
  @DateOnly()
  sentOn!: string;

  @ApiPropertyOptional({ type: String, nullable: true, description: 'The archived letter' })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  documentRef?: string | null;
}

export class NotificationReceivedDto {
  @ApiProperty({ format: 'date', example: '2026-03-12' })
  @DateOnly()
  receivedOn!: string;

  @ApiProperty({ enum: RECEIPT_EVIDENCE })
  @IsIn(RECEIPT_EVIDENCE)
  evidence!: (typeof RECEIPT_EVIDENCE)[number];
}

export class AppellantDto {
  @ApiPropertyOptional({ format: 'uuid', description: 'The member appealing' })
  @IsOptional()
  @IsUUID()
  memberId?: string;

  @ApiPropertyOptional({ description: 'A representative (fullmektig, fvl § 12) appealing for forMemberId' })
  @IsOptional()
  @IsString()
  @MinLength(1)
  @MaxLength(200)
  representative?: string;

  @ApiPropertyOptional({ format: 'uuid' })
  @IsOptional()
  @IsUUID()
  forMemberId?: string;
}

export class RegisterAppealDto {
  @ApiPropertyOptional({ format: 'uuid' })
  @IsOptional()
  @IsUUID()
  appealId?: string;

  @ApiProperty({ format: 'uuid' })
  @IsUUID()
  decisionId!: string;

  @ApiPropertyOptional({
    type: String,
    format: 'uuid',
    nullable: true,
    description: 'An appeal against the dismissal of this appeal (fvl § 2 third paragraph)',
  })
  @IsOptional()
  @IsUUID()
  againstDismissalOf?: string | null;

  @ApiProperty({ type: AppellantDto })
  @ValidateNested()
  @Type(() => AppellantDto)
  appellant!: AppellantDto;

  @ApiProperty({ format: 'date', example: '2026-04-09' })
  @DateOnly()
  receivedOn!: string;

  @ApiPropertyOptional({ type: String, nullable: true, format: 'date', description: 'Handed to the postal operator (fvl § 30)' })
  @IsOptional()
  @DateOnly()
  postedOn?: string | null;

  @ApiProperty({ enum: APPEAL_CHANNELS })
  @IsIn(APPEAL_CHANNELS)
  channel!: (typeof APPEAL_CHANNELS)[number];

  @ApiProperty()
  @IsString()
  @MinLength(1)
  @MaxLength(5000)
  grounds!: string;

  @ApiPropertyOptional({ type: Boolean, nullable: true, description: 'Null: not yet known' })
  @IsOptional()
  @IsBoolean()
  signed?: boolean | null;
}

export class LateExcuseDto {
  @ApiProperty({ enum: LATE_EXCUSE_GROUNDS, description: 'fvl § 31 first paragraph a (not to blame) or b (special reasons)' })
  @IsIn(LATE_EXCUSE_GROUNDS)
  ground!: (typeof LATE_EXCUSE_GROUNDS)[number];

  @ApiProperty()
  @IsString()
  @MinLength(1)
  @MaxLength(5000)
  explanation!: string;
}

export class AssessAppealFormDto {
  @ApiProperty({ description: 'Names the decision and the change sought (fvl § 32)' })
  @IsBoolean()
  specific!: boolean;

  @ApiProperty()
  @IsBoolean()
  signed!: boolean;

  @ApiPropertyOptional({ type: String, nullable: true, description: 'For an appellant who is not a party: the legal interest (fvl § 28 (1))' })
  @IsOptional()
  @IsString()
  @MaxLength(5000)
  legalInterest?: string | null;

  @ApiNullableNested(LateExcuseDto, { description: 'For a late appeal: why it should still be heard (fvl § 31)' })
  @IsOptional()
  @ValidateNested()
  @Type(() => LateExcuseDto)
  excuse?: LateExcuseDto | null;

  @ApiProperty()
  @IsString()
  @MinLength(1)
  @MaxLength(10000)
  reasons!: string;
}

export class AppealReasonsDto {
  @ApiProperty()
  @IsString()
  @MinLength(1)
  @MaxLength(10000)
  reasons!: string;
}

export class PrepareAppealDto {
  @ApiProperty({ description: 'What the unit investigated (fvl § 33 (1))' })
  @IsString()
  @MinLength(1)
  @MaxLength(5000)
  investigations!: string;

  @ApiProperty()
  @IsBoolean()
  counterpartiesNotified!: boolean;
}

export class AmendmentDto {
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
}

const EFFECT_KINDS = ['amend', 'reinstate', 'revoke'] as const;
export class AppealEffectDto {
  @ApiProperty({ enum: EFFECT_KINDS })
  @IsIn(EFFECT_KINDS)
  kind!: (typeof EFFECT_KINDS)[number];

  @ApiProperty({ format: 'date', description: 'From which day the change holds (valid time)' })
  @DateOnly()
  effectiveFrom!: string;

  @ApiPropertyOptional({ type: AmendmentDto, description: 'amend only' })
  @IsOptional()
  @ValidateNested()
  @Type(() => AmendmentDto)
  amendment?: AmendmentDto;
}

export class ChangeDecisionOnAppealDto {
  @ApiProperty({ description: 'false: the rest is forwarded to the appeal body in the same step (fvl § 33)' })
  @IsBoolean()
  fully!: boolean;

  @ApiProperty()
  @IsString()
  @MinLength(1)
  @MaxLength(10000)
  reasons!: string;

  @ApiNullableNested(AppealEffectDto, { description: 'Omitted on an appeal against a dismissal' })
  @IsOptional()
  @ValidateNested()
  @Type(() => AppealEffectDto)
  change?: AppealEffectDto | null;

  @ApiPropertyOptional({ type: String, nullable: true, description: 'Required when fully is false' })
  @IsOptional()
  @IsString()
  @MaxLength(5000)
  unitStatement?: string | null;
}

export class ForwardAppealDto {
  @ApiProperty({ description: "The unit's statement to the appeal body" })
  @IsString()
  @MinLength(1)
  @MaxLength(5000)
  unitStatement!: string;

  @ApiProperty()
  @IsBoolean()
  copyToParty!: boolean;

  @ApiPropertyOptional({
    type: String,
    nullable: true,
    description: 'Optional check: the body always comes from the catalogue; another one is 422 APPEAL_BODY_MISMATCH',
  })
  @IsOptional()
  @IsString()
  @MaxLength(100)
  appealBody?: string | null;
}

export class RecordAppealOutcomeDto {
  @ApiProperty({ enum: BODY_OUTCOMES })
  @IsIn(BODY_OUTCOMES)
  outcome!: (typeof BODY_OUTCOMES)[number];

  @ApiProperty({ format: 'date', description: "The appeal body's decision date" })
  @DateOnly()
  decidedOn!: string;

  @ApiProperty({ format: 'date', description: 'The day its letter reached the unit' })
  @DateOnly()
  receivedOn!: string;

  @ApiProperty({ description: "The body's case reference", example: 'SF 2026/1234' })
  @IsString()
  @MinLength(1)
  @MaxLength(200)
  reference!: string;

  @ApiProperty()
  @IsString()
  @MinLength(1)
  @MaxLength(10000)
  summary!: string;

  @ApiNullableNested(AppealEffectDto, { description: "Required for 'changed'" })
  @IsOptional()
  @ValidateNested()
  @Type(() => AppealEffectDto)
  effect?: AppealEffectDto | null;
}

export class WithdrawAppealDto {
  @ApiProperty({ format: 'date' })
  @DateOnly()
  withdrawnOn!: string;

  @ApiPropertyOptional({ type: String, nullable: true })
  @IsOptional()
  @IsString()
  @MaxLength(5000)
  note?: string | null;
}

export class RequestSuspensionDto {
  @ApiProperty({ format: 'date' })
  @DateOnly()
  requestedOn!: string;
}

export class DecideSuspensionDto {
  @ApiProperty()
  @IsBoolean()
  granted!: boolean;

  @ApiPropertyOptional({ enum: SUSPENSION_UNTIL, description: 'Default: until the appeal is decided' })
  @IsOptional()
  @IsIn(SUSPENSION_UNTIL)
  until?: (typeof SUSPENSION_UNTIL)[number];

  @ApiPropertyOptional({ type: String, nullable: true, description: 'Required for a refusal (fvl § 42 (2))' })
  @IsOptional()
  @IsString()
  @MaxLength(10000)
  reasons?: string | null;
}
