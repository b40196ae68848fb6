import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { ArrayMaxSize, ArrayMinSize, IsArray, IsBoolean, IsIn, IsOptional, IsString, IsUUID, MaxLength, MinLength, ValidateNested } from 'class-validator';
import { HOUSEHOLD_ROLES } from '@familievedtak/domain';
import { DateOnly, Id } from './common.dto';

export class NewMemberDto {
  @ApiPropertyOptional({ description: 'Internal id (UUID); generated when left out', format: 'uuid' })
  @IsOptional() @IsUUID()
  memberId?: string;

  @ApiProperty({ example: 'Amina' }) @IsString() @MinLength(1) @MaxLength(200)
  name!: string;

  @ApiProperty({ example: '2015-04-12' }) @DateOnly()
  birthDate!: string;

  @ApiProperty({ enum: HOUSEHOLD_ROLES }) @IsIn(HOUSEHOLD_ROLES)
  role!: (typeof HOUSEHOLD_ROLES)[number];

  @ApiPropertyOptional({ description: 'National id number; never required (some members have none)', nullable: true })
  @IsOptional() @IsString() @MaxLength(20)
  nationalId?: string | null;

  @ApiPropertyOptional({ example: 'ar', nullable: true }) @IsOptional() @IsString() @MaxLength(35)
  preferredLanguage?: string | null;

  @ApiPropertyOptional({ description: 'Strictly confidential address' }) @IsOptional() @IsBoolean()
  protectedAddress?: boolean;
}

export class RegisterFamilyDto {
  @ApiProperty({ description: 'Internal family id', format: 'uuid' }) @IsUUID()
  familyId!: string;

  @ApiProperty({ description: 'District (bydel)', example: 'Heimdal' }) @IsString() @MinLength(1) @MaxLength(100)
  district!: string;

  @ApiProperty({ type: [NewMemberDto] })
  @IsArray() @ArrayMinSize(1) @ArrayMaxSize(30) @ValidateNested({ each: true }) @Type(() => NewMemberDto)
  members!: NewMemberDto[];
}

export class JoinMemberDto {
  @ApiProperty({ type: NewMemberDto }) @ValidateNested() @Type(() => NewMemberDto)
  member!: NewMemberDto;

  @ApiPropertyOptional({ example: '2026-11-27' }) @IsOptional() @DateOnly()
  joinedOn?: string;
}

export class LeaveMemberDto {
  @ApiPropertyOptional() @IsOptional() @DateOnly()
  leftOn?: string;

  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(1000)
  reason?: string;
}

export { Id };
