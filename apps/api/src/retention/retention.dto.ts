import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsBoolean, IsIn, IsOptional, IsString, IsUUID, Matches, MaxLength, MinLength, ValidateBy, ValidateIf, ValidateNested } from 'class-validator';
import { ERASURE_REFUSAL_REASONS, ERASURE_REQUEST_CHANNELS, FAMILY_RECORD_CATEGORIES, isLocalDate, RECORD_CATEGORIES } from '@familievedtak/domain';
import { CommandOutcomeDto } from '../shared/openapi/responses.dto';

const OPEN = { type: 'object', additionalProperties: true } as const;
const CATEGORY_COUNTS = {
  type: 'object' as const,
  properties: Object.fromEntries(FAMILY_RECORD_CATEGORIES.map((c) => [c, { type: 'integer' as const }])),
  required: [...FAMILY_RECORD_CATEGORIES] as string[],
};

// ---- requests ----

export class RetentionRunRequestDto {
  @ApiPropertyOptional({ default: false, description: 'true: answer the plan (what a run would erase and purge today) and store nothing' })
  @IsOptional()
  @IsBoolean()
  dryRun?: boolean;
}

/** Who asked (GDPR art. 12): the member, a holder of parental responsibility for a child (a member), or a representative with an authorisation (fvl § 12). */
export class ErasureRequesterDto {
  @ApiPropertyOptional({ format: 'uuid', description: 'The member who asked: the data subject, or for a member under 18 a holder of parental responsibility' })
  @ValidateIf((o: ErasureRequesterDto) => o.representative === undefined)
  @IsUUID()
  memberId?: string;

  @ApiPropertyOptional({
    example: 'Advokat Kari Hansen',
    description: "A representative's name (fullmektig, forvaltningsloven § 12); the authorisation is kept with the request",
  })
  @ValidateIf((o: ErasureRequesterDto) => o.memberId === undefined)
  @IsString()
  @MinLength(1)
  @MaxLength(200)
  representative?: string;
}

const isCategoryChoice = (value: unknown) =>
  value === 'all' ||
  (Array.isArray(value) &&
    value.length >= 1 &&
    value.length <= FAMILY_RECORD_CATEGORIES.length &&
    new Set(value).size === value.length &&
    value.every((c) => (FAMILY_RECORD_CATEGORIES as readonly unknown[]).includes(c)));

export class ErasureRequestDto {
  @ApiPropertyOptional({ format: 'uuid', description: 'The request id (default: a new one; with Idempotency-Key, one derived from the key)' })
  @IsOptional()
  @IsUUID()
  requestId?: string;

  @ApiProperty({ format: 'uuid', description: 'The member whose records are to be erased' })
  @IsUUID()
  memberId!: string;

  @ApiProperty({
    oneOf: [
      { type: 'string', enum: ['all'] },
      { type: 'array', items: { type: 'string', enum: [...FAMILY_RECORD_CATEGORIES] }, minItems: 1, uniqueItems: true },
    ],
    description: "'all', or some of the family record categories (the read audit is purged by the schedule only)",
    example: 'all',
  })
  @ValidateBy({
    name: 'categoryChoice',
    validator: {
      validate: isCategoryChoice,
      defaultMessage: () => `categories must be 'all' or a list of distinct categories of ${FAMILY_RECORD_CATEGORIES.join(', ')}`,
    },
  })
  categories!: (typeof FAMILY_RECORD_CATEGORIES)[number][] | 'all';

  @ApiProperty({ type: 'string', format: 'date', example: '2026-12-01', description: 'The day the request was received (not in the future)' })
  @Matches(/^\d{4}-\d{2}-\d{2}$/, { message: 'receivedOn must be a date, YYYY-MM-DD' })
  @ValidateBy({ name: 'existingDay', validator: { validate: isLocalDate, defaultMessage: () => 'receivedOn must be a day that exists' } })
  receivedOn!: string;

  @ApiProperty({ type: () => ErasureRequesterDto, description: 'Exactly one of memberId and representative' })
  @ValidateBy({
    name: 'oneRequester',
    validator: {
      // The transformed instance may carry both keys, one undefined: count the values.
      validate: (v: unknown) =>
        typeof v === 'object' &&
        v !== null &&
        ((v as ErasureRequesterDto).memberId === undefined) !== ((v as ErasureRequesterDto).representative === undefined),
      defaultMessage: () => 'requestedBy must name exactly one of memberId and representative',
    },
  })
  @ValidateNested()
  @Type(() => ErasureRequesterDto)
  requestedBy!: ErasureRequesterDto;

  @ApiProperty({ enum: ERASURE_REQUEST_CHANNELS })
  @IsIn(ERASURE_REQUEST_CHANNELS)
  channel!: (typeof ERASURE_REQUEST_CHANNELS)[number];
}

// ---- responses ----

export class RetentionEntryDto {
  @ApiProperty({ example: 'need' }) id!: string;
  @ApiProperty({ enum: RECORD_CATEGORIES }) category!: string;
  @ApiProperty({ type: [String], nullable: true, description: 'Units the entry is scoped to; null: every record of the category' }) units!: string[] | null;
  @ApiProperty({ enum: ['case-closed', 'consent-ended', 'payment-year-end', 'decision-final', 'read'] }) anchor!: string;
  @ApiProperty({
    type: 'object',
    nullable: true,
    properties: { years: { type: 'integer' }, months: { type: 'integer' }, days: { type: 'integer' } },
    description: 'erase: kept through anchor + period; keep: null',
  })
  period!: { years: number; months: number; days: number } | null;
  @ApiProperty({ enum: ['erase', 'keep'] }) action!: string;
  @ApiProperty({ description: 'The period is a duty: a request does not shorten it' }) periodIsDuty!: boolean;
  @ApiProperty() provision!: string;
  @ApiProperty({ type: 'object', properties: { nb: { type: 'string' }, en: { type: 'string' } } }) description!: { nb: string; en: string };
}

export class RetentionScheduleVersionDto {
  @ApiProperty({ example: 'trondheim-retention-2026@v1', description: 'How erasures name it: <id>@v<version>' }) ref!: string;
  @ApiProperty({ example: 'trondheim-retention-2026' }) id!: string;
  @ApiProperty({ type: 'integer', example: 1 }) version!: number;
  @ApiProperty() name!: string;
  @ApiProperty({ type: 'string', format: 'date' }) effectiveFrom!: string;
  @ApiProperty({ description: 'Recorded in the retention-schedules stream (a shipped version is adopted by the first erasure under any version)' })
  adopted!: boolean;
  @ApiProperty({ type: 'string', format: 'date-time', nullable: true }) adoptedAt!: string | null;
  @ApiProperty({ description: 'SHA-256 (hex) of the document as adopted' }) documentSha256!: string;
  @ApiProperty({ description: 'Whether this version is the one in force today' }) inForce!: boolean;
}

export class RetentionScheduleInForceDto extends RetentionScheduleVersionDto {
  @ApiProperty({ type: [RetentionEntryDto] }) entries!: RetentionEntryDto[];
  @ApiProperty({ description: 'The document as adopted (YAML)' }) document!: string;
}

export class RetentionScheduleDto {
  @ApiProperty({ type: 'string', format: 'date', description: 'Today (Europe/Oslo): the day "in force" is asked for' }) asOf!: string;
  @ApiProperty({ type: RetentionScheduleInForceDto }) inForce!: RetentionScheduleInForceDto;
  @ApiProperty({ type: [RetentionScheduleVersionDto], description: 'Every version, adopted or shipped, by effective date' })
  versions!: RetentionScheduleVersionDto[];
}

export class PlannedKeyDto {
  @ApiProperty({ example: 'need/5a8b7c6d-1e2f-4a3b-9c8d-7e6f5a4b3c2d' }) keyRef!: string;
  @ApiProperty({ enum: FAMILY_RECORD_CATEGORIES }) category!: string;
  @ApiProperty({ example: 'trondheim-retention-2026@v1/need' }) ruleId!: string;
  @ApiProperty() anchor!: string;
  @ApiProperty({ type: 'string', format: 'date' }) anchorDate!: string;
  @ApiProperty({ type: 'string', format: 'date', description: 'The last day the record was to be kept' }) keptUntil!: string;
}

export class RepairDto {
  @ApiProperty() erasureId!: string;
  @ApiProperty({ type: [String] }) keyRefs!: string[];
  @ApiProperty({ type: 'string', nullable: true, description: 'The rule on the tombstones; null: shredded on request' }) rule!: string | null;
}

export class FamilyRetentionOutcomeDto {
  @ApiProperty({ format: 'uuid' }) familyId!: string;
  @ApiProperty({ type: 'string', nullable: true, description: "This run's erasure in the family (its tombstones' and events' erasure id)" }) erasureId!:
    string | null;
  @ApiProperty({ type: [PlannedKeyDto] }) keys!: PlannedKeyDto[];
  @ApiProperty({ type: [RepairDto] }) repairs!: RepairDto[];
}

export class RunFailureDto {
  @ApiProperty() familyId!: string;
  @ApiProperty() code!: string;
  @ApiProperty() message!: string;
}

/** A run (201) or a dry run (200): the same families list; counts named for what happened or would happen. */
export class RetentionRunDto {
  @ApiProperty() dryRun!: boolean;
  @ApiPropertyOptional({ format: 'uuid', description: 'A run only' }) runId?: string;
  @ApiProperty({ example: 'trondheim-retention-2026@v1' }) schedule!: string;
  @ApiProperty({ type: 'string', format: 'date' }) asOf!: string;
  @ApiProperty({ type: 'integer' }) familiesChecked!: number;
  @ApiProperty({ type: 'integer' }) familiesWithErasures!: number;
  @ApiPropertyOptional({ ...CATEGORY_COUNTS, description: 'A run: keys erased per category' }) keysErased?: Record<string, number>;
  @ApiPropertyOptional({ type: 'integer' }) keysErasedTotal?: number;
  @ApiPropertyOptional({ ...CATEGORY_COUNTS, description: 'A dry run: keys due per category' }) keysDue?: Record<string, number>;
  @ApiPropertyOptional({ type: 'integer' }) keysDueTotal?: number;
  @ApiPropertyOptional({ ...OPEN, description: 'A run: { erasures, keys } repaired (tombstones without their event)' }) repaired?: Record<string, number>;
  @ApiPropertyOptional({ type: 'array', items: OPEN, description: 'A run: tombstones that could not be repaired, with why' }) unrepaired?: unknown[];
  @ApiPropertyOptional({ type: 'integer', description: 'A dry run: repairs due' }) repairs?: number;
  @ApiPropertyOptional({ type: 'integer' }) letterCopiesDeleted?: number;
  @ApiPropertyOptional({ type: 'integer' }) letterCopiesDue?: number;
  @ApiProperty({ ...OPEN, description: '{ purgeBefore (date or null), cutoff (instant or null), rowsPurged | rowsDue }' }) readAudit!: Record<string, unknown>;
  @ApiProperty({ type: [RunFailureDto] }) failures!: RunFailureDto[];
  @ApiProperty({ type: [FamilyRetentionOutcomeDto], description: 'Families with something erased or due (or repaired)' })
  families!: FamilyRetentionOutcomeDto[];
  @ApiPropertyOptional({ format: 'date-time' }) startedAt?: string;
  @ApiPropertyOptional({ format: 'date-time' }) completedAt?: string;
  @ApiPropertyOptional({ ...OPEN, description: '{ userId, role, via }: who started the run' }) triggeredBy?: Record<string, unknown>;
}

export class RetentionRunsDto {
  @ApiProperty({ type: 'array', items: OPEN, description: 'RetentionRunCompleted records, newest first (as a run answers, without families)' })
  runs!: unknown[];
}

export class ErasureRefusalDto {
  @ApiProperty() keyRef!: string;
  @ApiProperty({ enum: FAMILY_RECORD_CATEGORIES }) category!: string;
  @ApiProperty({ enum: ERASURE_REFUSAL_REASONS }) reason!: string;
  @ApiProperty({ example: 'arkivlova § 12; GDPR art. 17(3)(b)' }) provision!: string;
  @ApiProperty({ ...OPEN, nullable: true, description: 'The schedule entry that keeps it: { scheduleId, version, entry, provision }' }) rule!: Record<
    string,
    unknown
  > | null;
  @ApiProperty({ type: 'string', format: 'date', nullable: true, description: 'The last day it is kept, where known (then the retention job erases it)' })
  keptUntil!: string | null;
  @ApiProperty({ type: [String], description: 'identity-still-needed: the records of the member still kept' }) keptBecauseOf!: string[];
}

export class ErasedRecordDto {
  @ApiProperty() keyRef!: string;
  @ApiProperty({ enum: FAMILY_RECORD_CATEGORIES }) category!: string;
}

export class ErasureRequestOutcomeDto extends CommandOutcomeDto {
  @ApiProperty({ format: 'uuid' }) requestId!: string;
  @ApiProperty({ format: 'uuid' }) memberId!: string;
  @ApiProperty({
    oneOf: [
      { type: 'string', enum: ['all'] },
      { type: 'array', items: { type: 'string', enum: [...FAMILY_RECORD_CATEGORIES] } },
    ],
  })
  categories!: unknown;
  @ApiProperty({ type: 'string', format: 'date' }) receivedOn!: string;
  @ApiProperty({ example: 'trondheim-retention-2026@v1' }) schedule!: string;
  @ApiProperty({ type: [ErasedRecordDto], description: 'Records erased now (key shredded, then PersonalDataErased)' }) erased!: ErasedRecordDto[];
  @ApiProperty({ type: [ErasureRefusalDto], description: 'Records kept, each with the reason and the provision (art. 17(3))' }) refused!: ErasureRefusalDto[];
  @ApiProperty({ type: [String], description: 'Records of the member in the asked categories erased before' }) alreadyErased!: string[];
}

export class ArchiveFileDto {
  @ApiProperty({ example: 'events.json' }) path!: string;
  @ApiProperty({ example: 'application/json' }) mediaType!: string;
  @ApiProperty({ type: 'integer', description: 'Size in bytes' }) bytes!: number;
  @ApiProperty({ description: 'SHA-256 (hex) of the bytes' }) sha256!: string;
  @ApiProperty() description!: string;
  @ApiProperty({ description: 'The exact bytes, base64' }) contentBase64!: string;
}

export class ArchiveExportDto {
  @ApiProperty({ format: 'uuid' }) exportId!: string;
  @ApiProperty({ format: 'uuid' }) familyId!: string;
  @ApiProperty({ description: 'SHA-256 (hex) of manifest.json as written: the CaseExportedForArchive event records it' }) manifestSha256!: string;
  @ApiProperty({
    ...OPEN,
    description: 'The manifest (also manifest.json among the files): format, schema version, case, files with SHA-256, letters, erased records',
  })
  manifest!: Record<string, unknown>;
  @ApiProperty({ type: [ArchiveFileDto], description: 'Every file of the package with its bytes, manifest.json last' }) files!: ArchiveFileDto[];
  @ApiProperty({ type: CommandOutcomeDto, description: 'The CaseExportedForArchive event appended to the family stream' }) recorded!: CommandOutcomeDto;
}
