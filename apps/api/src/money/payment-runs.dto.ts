import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
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
  IsObject,
} from 'class-validator';
import { MAX_PAYMENT_RUN_SIZE, PAYMENT_METHODS } from '@familievedtak/domain';
import { DateOnly, Id, MAX_ORE } from '../families/dto/common.dto';

/** One family's payments of a run: one per member named (e.g. each enrolled child). */
export class PaymentRunFamilyDto {
  @ApiProperty({ format: 'uuid' })
  @IsUUID()
  familyId!: string;

  @ApiProperty({ type: [String], format: 'uuid', description: 'The members paid, one payment each (e.g. the enrolled children)' })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(100)
  @IsUUID('all', { each: true })
  recipientMemberIds!: string[];

  @ApiPropertyOptional({ type: 'integer', description: "Amount in øre of each of this family's payments; default: the run's amountOre", example: 160000 })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(MAX_ORE)
  amountOre?: number;

  @ApiPropertyOptional({ description: "Voucher reference of this family's payments; default: the run's documentationRef" })
  @IsOptional()
  @IsString()
  @MinLength(1)
  @MaxLength(200)
  documentationRef?: string;
}

export class RecordPaymentRunDto {
  @ApiProperty({ description: 'Chosen by the client; the same run id again answers the first result', example: 'ny-start-2026-11' })
  @Id()
  runId!: string;

  @ApiProperty({ example: 'November 2026: 1,600 NOK per enrolled child' })
  @IsString()
  @MinLength(1)
  @MaxLength(1000)
  description!: string;

  @ApiProperty({ format: 'date', example: '2026-11-27' })
  @DateOnly()
  paidOn!: string;

  @ApiPropertyOptional({ enum: PAYMENT_METHODS, default: 'bank-transfer' })
  @IsOptional()
  @IsIn(PAYMENT_METHODS)
  method?: (typeof PAYMENT_METHODS)[number];

  @ApiPropertyOptional({ type: 'integer', description: 'Amount in øre of each payment that names none', example: 160000 })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(MAX_ORE)
  amountOre?: number;

  @ApiPropertyOptional({ description: 'Voucher reference of each payment that names none', example: 'UTBETALING-2026-11' })
  @IsOptional()
  @IsString()
  @MinLength(1)
  @MaxLength(200)
  documentationRef?: string;

  @ApiProperty({
    type: [PaymentRunFamilyDto],
    description: `The families paid, grouped (a compact body: the API refuses bodies with over 1,000 array items or 2,000 properties); at most ${MAX_PAYMENT_RUN_SIZE} payments in all`,
  })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(1000)
  @IsObject({ each: true, message: 'each item of $property must be an object' })
  @ValidateNested({ each: true })
  @Type(() => PaymentRunFamilyDto)
  families!: PaymentRunFamilyDto[];
}
