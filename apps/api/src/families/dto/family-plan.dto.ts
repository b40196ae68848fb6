import { ApiProperty, ApiPropertyOptional, OmitType } from '@nestjs/swagger';
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
  Matches,
  MaxLength,
  MinLength,
  ValidateNested,
} from 'class-validator';
import { UNITS } from '@familievedtak/domain';
import { DATE, DateOnly } from './common.dto';

/** The family's plan (individuell plan, helse- og omsorgstjenesteloven § 7-1): the domain checks consent, parts and the team. */

export class PlanGoalDto {
  @ApiPropertyOptional({ format: 'uuid' })
  @IsOptional()
  @IsUUID()
  goalId?: string;

  @ApiProperty({ description: "The goal in the family's own words (a code is refused)", example: 'Amina wants a job where she can use her Arabic' })
  @IsString()
  @MinLength(1)
  @MaxLength(1000)
  words!: string;

  @ApiPropertyOptional({ format: 'uuid', type: [String], description: 'The members it is about; left out: the whole family' })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(30)
  @IsUUID('all', { each: true })
  memberIds?: string[];

  @ApiProperty({ enum: UNITS, isArray: true, description: 'The units that answer for the goal' })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(5)
  @IsIn(UNITS, { each: true })
  answeredBy!: (typeof UNITS)[number][];
}

export class PlanResponsibilityDto {
  @ApiProperty({ enum: UNITS })
  @IsIn(UNITS)
  unit!: (typeof UNITS)[number];

  @ApiProperty({ description: 'What the unit answers for, in plain words', example: 'the flat and the deposit' })
  @IsString()
  @MinLength(1)
  @MaxLength(500)
  for!: string;
}

export class PlanCoordinatorDto {
  @ApiProperty({ description: "A contact person of the unit on the family's team" })
  @IsString()
  @MinLength(1)
  @MaxLength(64)
  personId!: string;

  @ApiProperty({ enum: UNITS })
  @IsIn(UNITS)
  unit!: (typeof UNITS)[number];
}

export class RecordFamilyPlanDto {
  @ApiPropertyOptional({ format: 'uuid' })
  @IsOptional()
  @IsUUID()
  planId?: string;

  @ApiProperty({ type: [PlanGoalDto] })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(30)
  @IsObject({ each: true, message: 'each item of $property must be an object' })
  @ValidateNested({ each: true })
  @Type(() => PlanGoalDto)
  goals!: PlanGoalDto[];

  @ApiProperty({ type: [PlanResponsibilityDto] })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(30)
  @IsObject({ each: true, message: 'each item of $property must be an object' })
  @ValidateNested({ each: true })
  @Type(() => PlanResponsibilityDto)
  responsibilities!: PlanResponsibilityDto[];

  @ApiProperty({ type: PlanCoordinatorDto })
  @IsDefined()
  @IsObject()
  @ValidateNested()
  @Type(() => PlanCoordinatorDto)
  coordinator!: PlanCoordinatorDto;

  @ApiProperty({ type: [String], format: 'date', example: ['2027-03-01'] })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(24)
  @Matches(DATE, { each: true, message: 'each of $property must be a date, YYYY-MM-DD' })
  reviewDates!: string[];
}

export class ReviseFamilyPlanDto extends OmitType(RecordFamilyPlanDto, ['planId'] as const) {
  @ApiProperty({ description: 'Why the plan changes (the family asked, a new unit takes part ...)' })
  @IsString()
  @MinLength(1)
  @MaxLength(1000)
  reason!: string;
}

export class ReviewFamilyPlanDto {
  @ApiProperty({ format: 'date', description: 'The day the review took place (today or earlier)' })
  @DateOnly()
  on!: string;

  @ApiProperty({ description: 'What the family and the units found' })
  @IsString()
  @MinLength(1)
  @MaxLength(4000)
  notes!: string;
}

export class EndFamilyPlanDto {
  @ApiProperty()
  @IsString()
  @MinLength(1)
  @MaxLength(1000)
  reason!: string;
}
