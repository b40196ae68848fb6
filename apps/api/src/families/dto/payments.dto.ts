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
  IsInt,
  IsOptional,
  IsString,
  IsUUID,
  Max,
  MaxLength,
  Min,
  MinLength,
  ValidateNested,
} from 'class-validator';
import { PAYMENT_METHODS, UNITS } from '@familievedtak/domain';
import { DateOnly, FundingDto, MAX_ORE } from './common.dto';

export class RecordPaymentDto {
  @ApiPropertyOptional({ format: 'uuid' })
  @IsOptional()
  @IsUUID()
  paymentId?: string;

  @ApiProperty({ format: 'uuid' })
  @IsUUID()
  recipientMemberId!: string;

  @ApiProperty({ type: 'integer', description: 'Amount in øre (integer, > 0)', example: 160000 })
  @IsInt()
  @Min(1)
  @Max(MAX_ORE)
  amountOre!: number;

  @ApiProperty({ enum: PAYMENT_METHODS })
  @IsIn(PAYMENT_METHODS)
  method!: (typeof PAYMENT_METHODS)[number];

  @ApiProperty({
    type: FundingDto,
    description:
      "Whose budget pays. A sub-project's money is paid by its responsible unit's staff (the API reads the responsible unit from the sub-project's stream), or by a partner enrolled with the member whose organisation the sub-project gives leave to pay",
  })
  @IsDefined()
  @IsObject()
  @ValidateNested()
  @Type(() => FundingDto)
  funding!: FundingDto;

  @ApiPropertyOptional({ type: String, format: 'uuid', nullable: true })
  @IsOptional()
  @IsUUID()
  answersNeedId?: string | null;

  @ApiPropertyOptional({ type: String, format: 'uuid', nullable: true })
  @IsOptional()
  @IsUUID()
  answersDecisionId?: string | null;

  @ApiProperty({ description: 'Voucher or receipt reference (accounting law, audit)', example: 'BILAG-2026-1142' })
  @IsString()
  @MinLength(1)
  @MaxLength(200)
  documentationRef!: string;

  @ApiProperty({ format: 'date', example: '2026-11-27' })
  @DateOnly()
  paidOn!: string;

  @ApiPropertyOptional({ description: 'Unit-funded only; sub-project money never counts as income' })
  @IsOptional()
  @IsBoolean()
  countsAsIncome?: boolean;
}

export class IssueFamilyDecisionDto {
  @ApiPropertyOptional({ format: 'uuid' })
  @IsOptional()
  @IsUUID()
  familyDecisionId?: string;

  @ApiProperty({ format: 'uuid', type: [String] })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(100)
  @IsUUID('all', { each: true })
  decisionIds!: string[];

  @ApiProperty({ format: 'date', example: '2027-05-31' })
  @DateOnly()
  reviewDate!: string;

  @ApiProperty({ enum: UNITS })
  @IsIn(UNITS)
  responsibleUnit!: (typeof UNITS)[number];

  @ApiProperty({ description: 'A contact person of the responsible unit in the team' })
  @IsString()
  @MinLength(1)
  @MaxLength(64)
  contactPersonId!: string;
}
