import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsInt, IsOptional, IsString, IsUUID, Matches, Max, MaxLength, Min } from 'class-validator';
import { FamilyListItemDto } from '../../shared/openapi/responses.dto';
import { ExistingDay } from './common.dto';

/**
 * What a caseworker searches by (POST, so a national id never sits in a URL, an access log or a
 * problem's `instance`). At least one of name, birthDate, nationalId; given together, one member
 * must match all. Refusals name the field, never the value.
 */
export class FamilySearchDto {
  @ApiPropertyOptional({
    description: 'Part of a name, case and accents folded ("åse" finds "Åse", "oyen" finds "Øyen"): every word must begin a word of the name, in any order',
    example: 'amina has',
    maxLength: 200,
  })
  @IsOptional()
  @IsString({ message: 'name must be text' })
  @MaxLength(200, { message: 'name may have at most 200 characters' })
  name?: string;

  @ApiPropertyOptional({ format: 'date', description: 'Birth date, exact', example: '1985-11-20' })
  @IsOptional()
  @ExistingDay()
  birthDate?: string;

  @ApiPropertyOptional({
    description: 'Fødselsnummer or d-nummer, 11 digits, exact (never logged or echoed back)',
    example: '20118512345',
    pattern: '^\\d{11}$',
  })
  @IsOptional()
  @IsString({ message: 'nationalId must be 11 digits' })
  @Matches(/^\d{11}$/, { message: 'nationalId must be 11 digits' })
  nationalId?: string;

  @ApiPropertyOptional({ type: 'integer', default: 20, minimum: 1, maximum: 50 })
  @IsOptional()
  @IsInt({ message: 'limit must be a whole number' })
  @Min(1)
  @Max(50)
  limit?: number;

  @ApiPropertyOptional({ format: 'uuid', description: 'nextCursor of the previous page' })
  @IsOptional()
  @IsUUID(undefined, { message: 'after must be a UUID' })
  after?: string;

  @ApiPropertyOptional({
    description: 'Why you search (recorded in the read audit), when not sent as the X-Purpose header; one of the two is required',
    example: 'casework',
    maxLength: 200,
  })
  @IsOptional()
  @IsString({ message: 'purpose must be text' })
  @MaxLength(200, { message: 'purpose may have at most 200 characters' })
  purpose?: string;

  @ApiPropertyOptional({ format: 'date', description: 'The day counts and warnings are computed for (default today)', example: '2026-11-27' })
  @IsOptional()
  @ExistingDay()
  today?: string;
}

export class FamilySearchHitDto extends FamilyListItemDto {
  @ApiProperty({ type: [String], description: 'The members (as the caller sees them) who match every criterion' }) matchedMemberIds!: string[];
}

export class FamilySearchPageDto {
  @ApiProperty({ type: [FamilySearchHitDto] }) items!: FamilySearchHitDto[];
  @ApiProperty({
    type: 'string',
    format: 'uuid',
    nullable: true,
    description: 'Pass as `after` with the same criteria for the next page; null on the last page',
  })
  nextCursor!: string | null;
}
