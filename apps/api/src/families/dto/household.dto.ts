import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  IsDefined,
  IsObject,
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsBoolean,
  IsIn,
  IsOptional,
  IsString,
  IsUUID,
  MaxLength,
  MinLength,
  ValidateNested,
} from 'class-validator';
import { ADDRESS_PROTECTIONS, HOUSEHOLD_ROLES, PARENTAL_RESPONSIBILITY_BASES } from '@familievedtak/domain';
import { DateOnly, Id } from './common.dto';

export class NewMemberDto {
  @ApiPropertyOptional({ description: 'Internal id (UUID); generated when left out', format: 'uuid' })
  @IsOptional()
  @IsUUID()
  memberId?: string;

  @ApiProperty({ example: 'Amina' })
  @IsString()
  @MinLength(1)
  @MaxLength(200)
  name!: string;

  @ApiProperty({ format: 'date', example: '2015-04-12' })
  @DateOnly()
  birthDate!: string;

  @ApiProperty({ enum: HOUSEHOLD_ROLES })
  @IsIn(HOUSEHOLD_ROLES)
  role!: (typeof HOUSEHOLD_ROLES)[number];

  @ApiPropertyOptional({ type: String, description: 'National id number; never required (some members have none)', nullable: true })
  @IsOptional()
  @IsString()
  @MaxLength(20)
  nationalId?: string | null;

  @ApiPropertyOptional({ type: String, example: 'ar', nullable: true })
  @IsOptional()
  @IsString()
  @MaxLength(35)
  preferredLanguage?: string | null;

  @ApiPropertyOptional({ description: 'Schema 1 flag: true means strengt fortrolig (kode 6); prefer addressProtection' })
  @IsOptional()
  @IsBoolean()
  protectedAddress?: boolean;

  @ApiPropertyOptional({
    enum: ADDRESS_PROTECTIONS,
    default: 'none',
    description:
      "Adressesperre from the population register: 'strengt-fortrolig' (kode 6) hides who and where, 'fortrolig' (kode 7) hides where, from readers without clearance",
  })
  @IsOptional()
  @IsIn(ADDRESS_PROTECTIONS)
  addressProtection?: (typeof ADDRESS_PROTECTIONS)[number];
}

/** Parental responsibility (foreldreansvar, barneloven ch. 5): a child under 18 and an adult holder, with the document it rests on. */
export class ParentalResponsibilityDto {
  @ApiProperty({ format: 'uuid', description: 'The child (under 18)' })
  @IsUUID()
  childId!: string;

  @ApiProperty({ format: 'uuid', description: 'The holder (18 or over)' })
  @IsUUID()
  holderId!: string;

  @ApiPropertyOptional({ enum: PARENTAL_RESPONSIBILITY_BASES, default: 'other-document' })
  @IsOptional()
  @IsIn(PARENTAL_RESPONSIBILITY_BASES)
  basis?: (typeof PARENTAL_RESPONSIBILITY_BASES)[number];

  @ApiPropertyOptional({
    type: String,
    example: 'FREG-2026-1187',
    nullable: true,
    description: 'Reference to the document (population register extract, agreement, judgment)',
  })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  documentRef?: string | null;
}

export class EndParentalResponsibilityDto {
  @ApiProperty({ format: 'uuid' })
  @IsUUID()
  childId!: string;

  @ApiProperty({ format: 'uuid' })
  @IsUUID()
  holderId!: string;

  @ApiProperty({ example: 'Court decision of 12 November: sole parental responsibility to the mother' })
  @IsString()
  @MinLength(1)
  @MaxLength(1000)
  reason!: string;
}

export class RegisterFamilyDto {
  @ApiProperty({ description: 'Internal family id', format: 'uuid' })
  @IsUUID()
  familyId!: string;

  @ApiProperty({ description: 'District (bydel)', example: 'Heimdal' })
  @IsString()
  @MinLength(1)
  @MaxLength(100)
  district!: string;

  @ApiProperty({ type: [NewMemberDto] })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(30)
  @IsObject({ each: true, message: 'each item of $property must be an object' })
  @ValidateNested({ each: true })
  @Type(() => NewMemberDto)
  members!: NewMemberDto[];

  @ApiPropertyOptional({
    type: [ParentalResponsibilityDto],
    description:
      'Who holds parental responsibility for each child; consent for a child is given by its holders, never by whoever the household lists as an adult',
  })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(60)
  @IsObject({ each: true, message: 'each item of $property must be an object' })
  @ValidateNested({ each: true })
  @Type(() => ParentalResponsibilityDto)
  parentalResponsibility?: ParentalResponsibilityDto[];
}

export class JoinMemberDto {
  @ApiProperty({ type: NewMemberDto })
  @IsDefined()
  @IsObject()
  @ValidateNested()
  @Type(() => NewMemberDto)
  member!: NewMemberDto;

  @ApiPropertyOptional({ format: 'date', example: '2026-11-27' })
  @IsOptional()
  @DateOnly()
  joinedOn?: string;
}

export class LeaveMemberDto {
  @ApiPropertyOptional({ format: 'date' })
  @IsOptional()
  @DateOnly()
  leftOn?: string;

  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @MaxLength(1000)
  reason?: string;
}

export { Id };
