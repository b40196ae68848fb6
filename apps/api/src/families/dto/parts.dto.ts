import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ArrayMaxSize, ArrayMinSize, IsArray, IsIn, IsOptional, IsString, IsUUID, MaxLength, MinLength } from 'class-validator';
import { REFERRAL_GROUNDS, UNITS } from '@familievedtak/domain';
import { Id } from './common.dto';

/**
 * A part in the case (tjenstlig behov, forvaltningsloven § 13): a unit gets one by registering
 * the family or by accepting a referral from a unit that has one; it ends by closing the unit's
 * involvement. Partners act only for members the responsible unit enrolled in a sub-project.
 */

export class ReferToUnitDto {
  @ApiPropertyOptional({ format: 'uuid' })
  @IsOptional()
  @IsUUID()
  referralId?: string;

  @ApiProperty({ enum: UNITS, description: 'The unit referred to; it gets a part only when it accepts' })
  @IsIn(UNITS)
  toUnit!: (typeof UNITS)[number];

  @ApiProperty({ type: [String], format: 'uuid', description: 'The members whose information the referral passes on' })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(30)
  @IsUUID('all', { each: true })
  memberIds!: string[];

  @ApiProperty({ example: 'The family asks for help with housing; HVK has the municipal flats' })
  @IsString()
  @MinLength(1)
  @MaxLength(2000)
  reason!: string;

  @ApiPropertyOptional({
    enum: REFERRAL_GROUNDS,
    default: 'consent',
    description:
      "'consent': every referred member has an information-sharing consent in force naming the target unit (forvaltningsloven § 13 a no. 1). 'duty-to-inform-child-welfare': only to BFT and only about children (barnevernsloven § 13-2).",
  })
  @IsOptional()
  @IsIn(REFERRAL_GROUNDS)
  ground?: (typeof REFERRAL_GROUNDS)[number];
}

/** Why the receiving unit declines a referral, or why a unit's involvement or an enrolment ends. */
export class ReasonRequiredDto {
  @ApiProperty({ example: 'The family no longer needs the service' })
  @IsString()
  @MinLength(1)
  @MaxLength(2000)
  reason!: string;
}

export class DeclineReferralDto extends ReasonRequiredDto {}
export class CloseInvolvementDto extends ReasonRequiredDto {}
export class EndEnrolmentDto extends ReasonRequiredDto {}

export class EnrolInSubProjectDto {
  @ApiPropertyOptional({ format: 'uuid' })
  @IsOptional()
  @IsUUID()
  enrolmentId?: string;

  @ApiProperty({
    example: 'driving-licences',
    description:
      "The sub-project; the caller's unit must be its responsible unit. Its name, partners (by organisation number) and leave to pay are read from the sub-project's own stream.",
  })
  @Id()
  subProjectId!: string;

  @ApiProperty({ type: [String], format: 'uuid', description: 'The members the partners may act for' })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(30)
  @IsUUID('all', { each: true })
  memberIds!: string[];
}
