import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsDefined, IsIn, IsObject, IsOptional, IsString, MaxLength, MinLength, ValidateNested } from 'class-validator';
import { UNITS } from '@familievedtak/domain';
import { AffiliationDto, Id } from './common.dto';

export class JoinContactPersonDto {
  @ApiProperty({ example: 'nav-kari' })
  @Id()
  personId!: string;

  @ApiProperty({ example: 'Kari Nordmann' })
  @IsString()
  @MinLength(1)
  @MaxLength(200)
  name!: string;

  @ApiProperty({ type: AffiliationDto })
  @IsDefined()
  @IsObject()
  @ValidateNested()
  @Type(() => AffiliationDto)
  affiliation!: AffiliationDto;

  @ApiPropertyOptional({ example: 'coordinator' })
  @IsOptional()
  @IsString()
  @MaxLength(100)
  teamRole?: string;
}

export class NameCoordinatingUnitDto {
  @ApiProperty({ enum: UNITS })
  @IsIn(UNITS)
  unit!: (typeof UNITS)[number];
}
