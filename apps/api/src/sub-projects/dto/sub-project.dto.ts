import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsBoolean,
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  Matches,
  Max,
  MaxLength,
  Min,
  MinLength,
  ValidateIf,
  ValidateNested,
  IsObject,
} from 'class-validator';
import { REVIEW_OUTCOMES, UNITS } from '@familievedtak/domain';
import { Id, MAX_ORE, OrganisationNumber } from '../../families/dto/common.dto';
import { DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE } from '../sub-project-queries';

const SEMESTER = /^\d{4}-(spring|autumn)$/;

export class SubProjectActorDto {
  @ApiProperty({ example: 'Trondheim Red Cross' })
  @IsString()
  @MinLength(1)
  @MaxLength(200)
  name!: string;

  @ApiProperty({ description: 'A municipal actor (one of them is responsible)' })
  @IsBoolean()
  municipal!: boolean;

  @ApiPropertyOptional({ enum: UNITS, nullable: true })
  @IsOptional()
  @IsIn(UNITS)
  unit?: (typeof UNITS)[number] | null;

  @ApiPropertyOptional({
    type: String,
    example: '974123456',
    nullable: true,
    description:
      "Non-municipal actors: the organisation's 9-digit organisation number (required). A partner user acts as this actor only when the token's org claim is exactly this number.",
  })
  @ValidateIf((o) => o.municipal === false || (o.organisationNumber !== undefined && o.organisationNumber !== null))
  @IsString()
  @OrganisationNumber()
  organisationNumber?: string | null;

  @ApiPropertyOptional({
    default: false,
    description:
      'A non-municipal actor whose partner users (token claim org = its organisation number) may record payments from the budget, for members enrolled in the sub-project',
  })
  @IsOptional()
  @IsBoolean()
  mayRecordPayments?: boolean;
}

export class ApproveSubProjectDto {
  @ApiProperty({ example: 'driving-licences' })
  @Id()
  subProjectId!: string;

  @ApiProperty({ example: 'Driving licences for young adults' })
  @IsString()
  @MinLength(1)
  @MaxLength(200)
  name!: string;

  @ApiProperty({ type: [SubProjectActorDto], description: 'At least three actors' })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(50)
  @IsObject({ each: true, message: 'each item of $property must be an object' })
  @ValidateNested({ each: true })
  @Type(() => SubProjectActorDto)
  actors!: SubProjectActorDto[];

  @ApiProperty({ enum: UNITS, description: "The municipal unit answering for the money; only that unit's leader approves" })
  @IsIn(UNITS)
  responsibleUnit!: (typeof UNITS)[number];

  @ApiPropertyOptional({ type: 'integer', description: 'Per semester, in øre; default 500,000 NOK', example: 50000000 })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(MAX_ORE)
  semesterBudgetOre?: number;

  @ApiProperty({ type: [String], description: "The allocation letter's (tildelingsbrev) goals" })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(30)
  @IsString({ each: true })
  @MaxLength(1000, { each: true })
  goals!: string[];

  @ApiProperty({ example: '2026-autumn' })
  @Matches(SEMESTER, { message: 'firstSemester must look like 2026-autumn' })
  firstSemester!: string;

  @ApiPropertyOptional({ type: 'integer', example: 4 })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(20)
  semesterCount?: number;
}

export class ReviewSubProjectDto {
  @ApiProperty({ example: '2026-autumn' })
  @Matches(SEMESTER, { message: 'semester must look like 2026-autumn' })
  semester!: string;

  @ApiProperty({ enum: REVIEW_OUTCOMES })
  @IsIn(REVIEW_OUTCOMES)
  outcome!: (typeof REVIEW_OUTCOMES)[number];

  @ApiProperty({ example: '8 of 10 participants passed the theory test' })
  @IsString()
  @MinLength(1)
  @MaxLength(5000)
  goalAttainment!: string;
}

/** Filters and paging of GET /sub-projects. */
export class ListSubProjectsQuery {
  @ApiPropertyOptional({ enum: UNITS, description: 'Responsible for the sub-project or one of its actors' })
  @IsOptional()
  @IsIn(UNITS)
  unit?: (typeof UNITS)[number];

  @ApiPropertyOptional({ example: '974123456', description: "A non-municipal actor's 9-digit organisation number" })
  @IsOptional()
  @IsString()
  @OrganisationNumber()
  partner?: string;

  @ApiPropertyOptional({ example: '2026-autumn', description: 'A semester the sub-project is funded for' })
  @IsOptional()
  @Matches(SEMESTER, { message: 'semester must look like 2026-autumn' })
  semester?: string;

  @ApiPropertyOptional({ description: 'The nextCursor of the previous page' })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  after?: string;

  @ApiPropertyOptional({ type: 'integer', minimum: 1, maximum: MAX_PAGE_SIZE, default: DEFAULT_PAGE_SIZE })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(MAX_PAGE_SIZE)
  limit?: number;
}

/** Paging of GET /sub-projects/:subProjectId/spends. */
export class ListSpendsQuery {
  @ApiPropertyOptional({ example: '2026-autumn', description: 'Only spends of this semester' })
  @IsOptional()
  @Matches(SEMESTER, { message: 'semester must look like 2026-autumn' })
  semester?: string;

  @ApiPropertyOptional({ description: 'The nextCursor of the previous page' })
  @IsOptional()
  @Matches(/^\d{1,9}$/, { message: 'after must be the nextCursor of the previous page' })
  after?: string;

  @ApiPropertyOptional({ type: 'integer', minimum: 1, maximum: MAX_PAGE_SIZE, default: DEFAULT_PAGE_SIZE })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(MAX_PAGE_SIZE)
  limit?: number;
}
