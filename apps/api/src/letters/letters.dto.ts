import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ArrayMaxSize, ArrayMinSize, IsIn, IsOptional, IsUUID } from 'class-validator';
import { NOTIFICATION_CHANNELS } from '@familievedtak/domain';
import { CommandOutcomeDto } from '../shared/openapi/responses.dto';
import { DateOnly, Id } from '../families/dto/common.dto';

export const LETTER_LANGUAGE_CODES = ['nb', 'nn', 'en'] as const;

/** A letter to compose: the decisions it tells, and a language asked for (else each recipient's own). */
export class DraftLetterDto {
  @ApiPropertyOptional({ format: 'uuid', description: 'Issue only; default: a new id. A retry with the same id is refused (already exists)' })
  @IsOptional()
  @IsUUID()
  letterId?: string;

  @ApiProperty({ type: [String], format: 'uuid', minItems: 1, maxItems: 50, description: 'Approved decisions, in the order the letter tells them' })
  @ArrayMinSize(1)
  @ArrayMaxSize(50)
  @IsUUID(undefined, { each: true })
  decisionIds!: string[];

  @ApiPropertyOptional({
    enum: LETTER_LANGUAGE_CODES,
    nullable: true,
    description: "Default: each recipient's preferred language among nb, nn and en, else bokmål",
  })
  @IsOptional()
  @IsIn(LETTER_LANGUAGE_CODES)
  language?: (typeof LETTER_LANGUAGE_CODES)[number] | null;
}

export class PreviewQueryDto {
  @ApiPropertyOptional({ description: "One recipient's copy as a PDF (with format=pdf)" })
  @IsOptional()
  @Id()
  recipientMemberId?: string;

  @ApiPropertyOptional({ enum: ['html', 'pdf'], description: 'html (default): every copy as HTML in JSON; pdf: the named copy as application/pdf' })
  @IsOptional()
  @IsIn(['html', 'pdf'])
  format?: 'html' | 'pdf';
}

export class LetterDeliveredDto {
  @ApiProperty({ format: 'uuid' })
  @IsUUID()
  recipientMemberId!: string;

  @ApiProperty({ enum: NOTIFICATION_CHANNELS })
  @IsIn(NOTIFICATION_CHANNELS)
  channel!: (typeof NOTIFICATION_CHANNELS)[number];

  @ApiProperty({ format: 'date', example: '2026-03-12', description: 'The day the copy reached the recipient: the appeal deadline counts from it' })
  @DateOnly()
  deliveredOn!: string;
}

export class PreviewCopyDto {
  @ApiProperty() recipientMemberId!: string;
  @ApiProperty() recipientName!: string;
  @ApiProperty({ enum: LETTER_LANGUAGE_CODES }) language!: string;
  @ApiProperty({ type: [String] }) decisionIds!: string[];
  @ApiProperty({ description: 'The copy as a self-contained HTML page' }) html!: string;
}

export class LetterPreviewDto {
  @ApiProperty() templateVersion!: string;
  @ApiProperty({ format: 'date' }) issuedOn!: string;
  @ApiProperty({ type: [PreviewCopyDto] }) copies!: PreviewCopyDto[];
}

export class IssuedCopyDto {
  @ApiProperty() recipientMemberId!: string;
  @ApiProperty({ enum: LETTER_LANGUAGE_CODES }) language!: string;
  @ApiProperty({ description: 'SHA-256 of the PDF, as on the LetterIssued event' }) pdfSha256!: string;
  @ApiProperty() htmlSha256!: string;
  @ApiProperty({ description: 'Where to fetch the PDF' }) pdf!: string;
  @ApiProperty({ description: 'Where to fetch the HTML' }) html!: string;
}

export class LetterIssuedDto extends CommandOutcomeDto {
  @ApiProperty({ format: 'uuid' }) letterId!: string;
  @ApiProperty() templateVersion!: string;
  @ApiProperty({ type: [IssuedCopyDto] }) copies!: IssuedCopyDto[];
}
