import { ApiExtraModels, ApiProperty, ApiPropertyOptional, getSchemaPath, type ApiPropertyOptions } from '@nestjs/swagger';
import { DECISION_TYPES, ROLES, UNITS } from '@familievedtak/domain';

/**
 * Response bodies as the controllers return them. Where a part is a large domain structure
 * (the folded family state, a what-if report's figures) it is an open object: described, not
 * typed field by field, so a client reads it as `{ [key: string]: unknown }` instead of a
 * schema that claims more than the code keeps.
 */
const OPEN = { type: 'object', additionalProperties: true } as const;
const DECISION_STATUSES = ['proposed', 'active', 'rejected', 'expired', 'revoked', 'under-appeal'];

export class AppendedEventDto {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ example: 'PaymentRecorded' }) type!: string;
  @ApiProperty({ type: 'integer', description: 'Revision of the event in its stream (0-based)', example: 3 }) revision!: number;
  @ApiProperty({ description: 'Position in the global log (bigint as a string)', example: '1042' }) globalPosition!: string;
}

/** What every command answers: the stream, its revision after the command (also the ETag), and the events appended. */
export class CommandOutcomeDto {
  @ApiProperty({ example: 'family-0b9c1f54-2f4e-4b8a-9a53-6f3d2c1e0a77' }) streamId!: string;
  @ApiProperty({ type: 'integer', description: 'The stream revision after the command: send it as If-Match with the next command', example: 3 })
  revision!: number;
  @ApiProperty({ description: 'true: an earlier request with the same Idempotency-Key already did this; nothing was appended' }) replayed!: boolean;
  @ApiProperty({ type: [AppendedEventDto] }) events!: AppendedEventDto[];
}

export class RuleSetDraftOutcomeDto extends CommandOutcomeDto {
  @ApiProperty({ example: 'place-based-team' }) ruleSetId!: string;
  @ApiProperty({ type: 'integer', description: 'The version the stream gave the draft', example: 2 }) version!: number;
}

// ---- erased personal data (docs/design/retention-and-erasure.md §4) ----

export class ErasureDto {
  @ApiProperty({ format: 'date', description: 'The day the data was erased' }) on!: string;
  @ApiProperty({
    type: 'string',
    nullable: true,
    example: 'trondheim-retention-2026@v1/identity',
    description: 'The retention schedule rule (<schedule>@v<version>/<entry>); null for an erasure on request',
  })
  rule!: string | null;
  @ApiProperty({ type: 'string', nullable: true, example: 'GDPR art. 17(1)', description: 'The provision the erasure rests on' }) provision!: string | null;
}

/** In place of a field whose personal data was erased: "erased on <on> under <rule>" (never the data, never an error). */
export class ErasedMarkerDto {
  @ApiProperty({ type: ErasureDto }) erased!: ErasureDto;
}

/** One erased field of an event: where it was in the event's data, and its marker. */
export class ErasedFieldDto extends ErasedMarkerDto {
  @ApiProperty({ example: 'members.0.name' }) path!: string;
}

/** A field that may read as a marker once erased: its own schema, or ErasedMarkerDto (never the placeholder). */
const erasable = (schema: { type: 'string'; format?: string }, description: string): ApiPropertyOptions => ({
  oneOf: [schema, { $ref: getSchemaPath(ErasedMarkerDto) }],
  nullable: true,
  description,
});
const MARKERS = 'An erased field reads { "erased": { "on", "rule", "provision" } } in place of its value.';

// ---- the family view ----

export class FamilyViewSummaryDto {
  @ApiProperty({ type: 'integer' }) openNeeds!: number;
  @ApiProperty({ type: 'integer' }) activeDecisions!: number;
  @ApiProperty({ type: 'string', format: 'date', nullable: true }) nextPeriodEnd!: string | null;
  @ApiProperty({ type: 'integer' }) warningCount!: number;
  @ApiProperty({ type: 'integer' }) expiringCount!: number;
}

@ApiExtraModels(ErasedMarkerDto)
export class FamilyListMemberDto {
  @ApiProperty({ format: 'uuid' }) memberId!: string;
  @ApiProperty(erasable({ type: 'string' }, 'null when masked (strengt fortrolig adresse, kode 6, and no clearance); a marker once erased'))
  name!: string | ErasedMarkerDto | null;
  @ApiProperty(erasable({ type: 'string', format: 'date' }, 'null when masked, or for a reader who sees names only; a marker once erased'))
  birthDate!: string | ErasedMarkerDto | null;
  @ApiProperty({ example: 'parent' }) role!: string;
  @ApiProperty({ enum: ['current', 'left'] }) status!: string;
  @ApiProperty() masked!: boolean;
}

export class FamilyListItemDto {
  @ApiProperty({ format: 'uuid' }) familyId!: string;
  @ApiProperty({ type: 'string', nullable: true, description: 'null when a member has a protected address and the caller lacks the clearance' }) district!:
    string | null;
  @ApiProperty({ enum: UNITS, isArray: true }) units!: string[];
  @ApiProperty({ enum: UNITS, nullable: true }) coordinatingUnit!: string | null;
  @ApiProperty({ type: 'integer' }) openNeeds!: number;
  @ApiProperty({ type: 'integer' }) activeDecisions!: number;
  @ApiProperty({ type: 'string', format: 'date', nullable: true }) nextPeriodEnd!: string | null;
  @ApiProperty({ type: 'integer' }) warningCount!: number;
  @ApiProperty({ type: 'integer' }) expiringCount!: number;
  @ApiProperty({ type: [FamilyListMemberDto], description: 'The members as the caller sees them (masked like the view), oldest first' })
  members!: FamilyListMemberDto[];
}

export class FamilyListPageDto {
  @ApiProperty({ type: [FamilyListItemDto] }) items!: FamilyListItemDto[];
  @ApiProperty({ type: 'string', format: 'uuid', nullable: true, description: 'Pass as `after` for the next page; null on the last page' }) nextCursor!:
    string | null;
}

@ApiExtraModels(ErasedMarkerDto)
export class MemberViewDto {
  @ApiProperty({ format: 'uuid' }) memberId!: string;
  @ApiProperty(erasable({ type: 'string' }, 'null when masked (protected address); a marker once erased')) name!: string | ErasedMarkerDto | null;
  @ApiPropertyOptional(erasable({ type: 'string', format: 'date' }, 'null when masked or shown by name only; a marker once erased')) birthDate?:
    string | ErasedMarkerDto | null;
  @ApiPropertyOptional(erasable({ type: 'string' }, 'null when there is none, when masked or shown by name only; a marker once erased')) nationalId?:
    string | ErasedMarkerDto | null;
  @ApiPropertyOptional(erasable({ type: 'string' }, 'BCP 47 tag; a marker once erased')) preferredLanguage?: string | ErasedMarkerDto | null;
  @ApiPropertyOptional({ type: 'string', nullable: true }) role?: string | null;
  @ApiProperty({ type: 'integer', nullable: true, description: 'Age on asOf; null when masked, shown by name only or the birth date was erased' }) ageOnAsOf!:
    number | null;
}

export class FundingViewDto {
  @ApiProperty({ enum: ['unit', 'sub-project'] }) kind!: string;
  @ApiPropertyOptional({ enum: UNITS }) unit?: string;
  @ApiPropertyOptional() subProjectId?: string;
}

export class PaymentViewDto {
  @ApiProperty({ format: 'uuid' }) paymentId!: string;
  @ApiProperty({ format: 'uuid' }) recipientMemberId!: string;
  @ApiProperty({ type: 'integer', description: 'Integer øre' }) amountOre!: number;
  @ApiProperty() method!: string;
  @ApiProperty({ type: FundingViewDto }) funding!: FundingViewDto;
  @ApiProperty({ example: 'unit:NAV' }) fundingSource!: string;
  @ApiProperty({ type: 'string', format: 'uuid', nullable: true }) answersNeedId!: string | null;
  @ApiProperty({ type: 'string', format: 'uuid', nullable: true }) answersDecisionId!: string | null;
  @ApiProperty(erasable({ type: 'string' }, 'null: withheld (protected address); a marker once erased')) documentationRef!: string | ErasedMarkerDto | null;
  @ApiProperty({ format: 'date' }) paidOn!: string;
  @ApiProperty() countsAsIncome!: boolean;
  @ApiProperty() reversed!: boolean;
  @ApiProperty({ type: 'string', format: 'date', nullable: true }) reversedOn!: string | null;
}

export class MonthTotalDto {
  @ApiProperty({ example: '2026-11' }) month!: string;
  @ApiProperty({ type: 'integer' }) totalOre!: number;
}

export class FundingTotalDto {
  @ApiProperty() fundingSource!: string;
  @ApiProperty({ type: FundingViewDto }) funding!: FundingViewDto;
  @ApiProperty({ type: 'integer' }) totalOre!: number;
  @ApiProperty({ type: 'integer' }) count!: number;
}

export class PaymentTotalsDto {
  @ApiProperty({ type: 'integer' }) totalOre!: number;
  @ApiProperty({ type: 'integer' }) reversedOre!: number;
  @ApiProperty({ type: [FundingTotalDto] }) byFundingSource!: FundingTotalDto[];
  @ApiProperty({ type: [MonthTotalDto] }) byMonth!: MonthTotalDto[];
}

export class PaymentsViewDto {
  @ApiProperty({ type: [PaymentViewDto] }) items!: PaymentViewDto[];
  @ApiProperty({ type: PaymentTotalsDto }) totals!: PaymentTotalsDto;
}

export class IncomeBasisDto {
  @ApiProperty({ type: 'integer' }) totalOre!: number;
  @ApiProperty({ type: [MonthTotalDto] }) byMonth!: MonthTotalDto[];
  @ApiProperty({ type: [String], format: 'uuid' }) paymentIds!: string[];
}

export class DecisionViewDto {
  @ApiProperty({ format: 'uuid' }) decisionId!: string;
  @ApiProperty({ enum: UNITS }) unit!: string;
  @ApiProperty({ enum: DECISION_TYPES }) decisionType!: string;
  @ApiProperty() decisionTypeLabel!: string;
  @ApiProperty({ type: [String], format: 'uuid' }) memberIds!: string[];
  @ApiProperty({ enum: DECISION_STATUSES, description: 'Status on asOf' }) status!: string;
  @ApiProperty({ enum: DECISION_STATUSES, description: 'What the stream says' }) recordedStatus!: string;
  @ApiProperty({ format: 'date' }) periodFrom!: string;
  @ApiProperty({ format: 'date' }) periodUntil!: string;
  @ApiProperty({ ...OPEN, description: 'monthlyAmountOre / oneOffAmountOre: integer øre or null' }) amounts!: Record<string, unknown>;
  @ApiProperty({ type: 'string', nullable: true }) legalBasis!: string | null;
  @ApiProperty() enkeltvedtak!: boolean;
  @ApiProperty({ format: 'date' }) proposedOn!: string;
  @ApiProperty({ type: 'string', format: 'date', nullable: true }) approvedOn!: string | null;
  @ApiProperty({ type: 'string', format: 'uuid', nullable: true }) familyDecisionId!: string | null;
  @ApiProperty({ enum: ['granted', 'partly-granted', 'refused'] }) outcome!: string;
  @ApiProperty({ type: 'string', format: 'date', nullable: true, description: 'The day the decision was made' }) decidedOn!: string | null;
  @ApiProperty({ type: 'string', format: 'date', nullable: true, description: 'The day it holds from (valid time)' }) effectiveFrom!: string | null;
  @ApiProperty({ type: 'array', items: OPEN, description: 'Its timeline in valid time as known now: { from, until, status, terms, kind, recordedAt }' })
  validity!: Record<string, unknown>[];
}

export class FamilyViewAccessDto {
  @ApiProperty({ type: [String], description: 'Categories of records withheld from this reader' }) withheld!: string[];
  @ApiProperty({ type: [String], format: 'uuid', description: 'Members masked for a protected address' }) maskedMemberIds!: string[];
  @ApiProperty({ type: [String], format: 'uuid', description: "Consents the reader relied on to see another unit's records" }) consentIds!: string[];
}

/** GET /families/{familyId}: the decision view for the caller (what it may see, masked). */
export class FamilyViewDto {
  @ApiProperty({ type: 'integer', description: 'The stream revision the view reflects (also the ETag)' }) revision!: number;
  @ApiProperty({ format: 'uuid' }) familyId!: string;
  @ApiProperty({ type: 'string', nullable: true }) district!: string | null;
  @ApiProperty({ enum: ['protected-address'], nullable: true }) withheld!: string | null;
  @ApiProperty({ type: 'string', format: 'date-time', nullable: true }) registeredAt!: string | null;
  @ApiProperty({ format: 'date', description: 'The day the time-dependent parts are computed for' }) asOf!: string;
  @ApiProperty({ type: FamilyViewSummaryDto }) summary!: FamilyViewSummaryDto;
  @ApiProperty({ type: [MemberViewDto] }) members!: MemberViewDto[];
  @ApiProperty({ ...OPEN, description: 'coordinatingUnit, contactPersons, units' }) team!: Record<string, unknown>;
  @ApiProperty({ type: 'array', items: OPEN, description: 'Who has a part in the case, since when and by which act' }) parts!: unknown[];
  @ApiProperty({ ...OPEN, description: 'open and answered referrals the reader may see' }) referrals!: Record<string, unknown>;
  @ApiProperty({ ...OPEN, description: 'active and ended enrolments in sub-projects' }) enrolments!: Record<string, unknown>;
  @ApiProperty({ type: 'array', items: OPEN }) parentalResponsibility!: unknown[];
  @ApiProperty({ type: 'array', items: OPEN, description: 'Consents withdrawn after this unit read under them' }) alerts!: unknown[];
  @ApiProperty({ ...OPEN, description: `open, resolved and withdrawn needs. ${MARKERS}` }) needs!: Record<string, unknown>;
  @ApiProperty({ ...OPEN, description: `inForce, upcoming and ended consents. ${MARKERS}` }) consents!: Record<string, unknown>;
  @ApiProperty({ type: [DecisionViewDto] }) decisions!: DecisionViewDto[];
  @ApiProperty({ ...OPEN, description: 'inForce (or null), suspended (with the cause it followed), superseded' }) familyDecisions!: Record<string, unknown>;
  @ApiProperty({
    ...OPEN,
    description: "The family's plan: active (goals in the family's words, responsibilities, coordinator, review dates) or null, and ended plans",
  })
  familyPlan!: Record<string, unknown>;
  @ApiProperty({ type: PaymentsViewDto }) payments!: PaymentsViewDto;
  @ApiProperty({ type: IncomeBasisDto }) incomeBasis!: IncomeBasisDto;
  @ApiProperty({ ...OPEN, description: 'withinDays, until, items' }) expiring!: Record<string, unknown>;
  @ApiProperty({
    type: 'array',
    items: OPEN,
    description:
      'Coordination warnings (kind: different-end-dates, need-without-response, need-open-too-long, several-payers-for-need), naming the members (memberName; null when masked)',
  })
  warnings!: unknown[];
  @ApiProperty({ type: FamilyViewAccessDto }) access!: FamilyViewAccessDto;
}

export class StreamStateDto {
  @ApiProperty({ format: 'uuid' }) familyId!: string;
  @ApiProperty({ type: 'integer' }) revision!: number;
  @ApiProperty({ ...OPEN, description: `The family folded from its stream, only what the caller may see, masked. ${MARKERS}` }) state!: Record<string, unknown>;
  @ApiProperty({ type: FamilyViewAccessDto }) access!: FamilyViewAccessDto;
}

// ---- auditors ----

export class HistoryActorDto {
  @ApiProperty() userId!: string;
  @ApiProperty({ enum: ROLES }) role!: string;
  @ApiProperty({ enum: UNITS, nullable: true }) unit!: string | null;
  @ApiProperty({ type: 'string', nullable: true }) partnerOrganisation!: string | null;
}

export class HistoryEntryDto {
  @ApiProperty({ type: 'integer' }) revision!: number;
  @ApiProperty({ description: 'bigint as a string' }) globalPosition!: string;
  @ApiProperty({ format: 'date-time' }) recordedAt!: string;
  @ApiProperty({ type: 'string', format: 'date', nullable: true, description: 'Valid time: the day an approval, amendment or revocation holds from' })
  effectiveFrom!: string | null;
  @ApiProperty() type!: string;
  @ApiProperty() category!: string;
  @ApiProperty() label!: string;
  @ApiProperty({ type: HistoryActorDto }) actor!: HistoryActorDto;
  @ApiProperty({ type: 'string', format: 'uuid', nullable: true }) commandId!: string | null;
  @ApiProperty({ type: 'string', nullable: true }) correlationId!: string | null;
  @ApiProperty({ type: 'string', nullable: true }) causationId!: string | null;
  @ApiProperty({ ...OPEN, nullable: true, description: 'The delegation rule set and rule behind a decision event' }) delegation!: Record<
    string,
    unknown
  > | null;
  @ApiProperty({ type: [String] }) consentsReliedOn!: string[];
  @ApiProperty({ type: [String] }) memberIds!: string[];
  @ApiProperty({ type: [ErasedFieldDto], description: "The event's fields whose personal data was erased: where they were, and when and under which rule" })
  erased!: ErasedFieldDto[];
}

export class FamilyHistoryDto {
  @ApiProperty({ format: 'uuid' }) familyId!: string;
  @ApiProperty({ type: [HistoryEntryDto] }) entries!: HistoryEntryDto[];
  @ApiProperty({ type: 'integer', nullable: true, description: 'Pass as `after` for the next page; null on the last page' }) nextCursor!: number | null;
  @ApiProperty({ type: 'integer' }) streamLength!: number;
}

export class AsOfDto {
  @ApiProperty({ format: 'uuid' }) familyId!: string;
  @ApiProperty({ ...OPEN, description: '{ at } or { position }: the cut asked for' }) cut!: Record<string, unknown>;
  @ApiProperty({ type: 'integer' }) revision!: number;
  @ApiProperty({ description: 'bigint as a string' }) lastPosition!: string;
  @ApiProperty({ format: 'date-time' }) lastRecordedAt!: string;
  @ApiProperty({ ...OPEN, description: `The family state at the cut, masked for the reader. ${MARKERS} Erased data is gone at every cut.` }) state!: Record<
    string,
    unknown
  >;
  @ApiProperty({
    ...OPEN,
    description: `The family decision view at the cut (same shape as GET /families/{familyId} without revision and access). ${MARKERS}`,
  })
  view!: Record<string, unknown>;
  @ApiProperty({ type: [String] }) maskedMemberIds!: string[];
}

export class SubjectAccessDto {
  @ApiProperty() memberId!: string;
  @ApiProperty({ format: 'date-time' }) generatedAt!: string;
  @ApiProperty({
    type: 'array',
    items: OPEN,
    description: `Per family holding the member: the member, events, view parts and the read-audit records. ${MARKERS} (in the events' data too)`,
  })
  families!: unknown[];
}

export class ChainVerificationDto {
  @ApiProperty({ type: 'integer' }) streams!: number;
  @ApiProperty({ type: 'integer' }) events!: number;
  @ApiProperty({ type: 'array', items: OPEN, description: 'The first broken link of each broken stream' }) broken!: unknown[];
  @ApiProperty() ok!: boolean;
}

export class RebuildComparisonDto {
  @ApiProperty({ description: "The live view's checkpoint (bigint as a string)" }) position!: string;
  @ApiProperty({ type: 'integer' }) eventsReplayed!: number;
  @ApiProperty({ ...OPEN, description: '{ live, rebuilt } row counts' }) rows!: Record<string, unknown>;
  @ApiProperty({ type: 'integer' }) missing!: number;
  @ApiProperty({ type: 'integer' }) extra!: number;
  @ApiProperty({ type: 'integer' }) different!: number;
  @ApiProperty({ type: 'array', items: OPEN }) differences!: unknown[];
  @ApiProperty() truncated!: boolean;
  @ApiProperty() ok!: boolean;
  @ApiProperty({ type: 'string', nullable: true }) shadowSchema!: string | null;
}

export class ReadAccessRecordsDto {
  @ApiProperty({
    type: 'array',
    items: OPEN,
    description:
      'Read-access records, newest first: user, unit, role, family, members, categories, purpose, consents, outcome, status, route, request id, time',
  })
  items!: unknown[];
}

// ---- rule sets ----

export class RuleSetVersionSummaryDto {
  @ApiProperty({ type: 'integer' }) version!: number;
  @ApiProperty({ enum: ['draft', 'active', 'retired'] }) status!: string;
  @ApiProperty() name!: string;
  @ApiProperty({ type: 'string', format: 'date', nullable: true }) effectiveFrom!: string | null;
  @ApiProperty({
    ...OPEN,
    nullable: true,
    description: 'The delegation decision the activation names (null: a draft, the start-up load, or an old activation)',
  })
  delegationDecision!: Record<string, unknown> | null;
  @ApiProperty({ description: 'No rule breaks a legal limit' }) withinLegalLimits!: boolean;
  @ApiProperty({ format: 'date-time' }) draftedAt!: string;
}

export class RuleSetSummaryDto {
  @ApiProperty() ruleSetId!: string;
  @ApiProperty({ type: [RuleSetVersionSummaryDto] }) versions!: RuleSetVersionSummaryDto[];
}

export class RuleSetListDto {
  @ApiProperty({ type: [RuleSetSummaryDto] }) ruleSets!: RuleSetSummaryDto[];
  @ApiProperty({ type: 'array', items: OPEN, description: 'The versions in force, by effective date' }) activations!: unknown[];
}

export class RuleSetVersionDto {
  @ApiProperty({ type: 'integer' }) version!: number;
  @ApiProperty({ enum: ['draft', 'active', 'retired'] }) status!: string;
  @ApiProperty({ description: 'The document as drafted (YAML or JSON text)' }) document!: string;
  @ApiProperty({ enum: ['yaml', 'json'] }) format!: string;
  @ApiProperty({ allOf: [{ $ref: '#/components/schemas/DelegationRuleSetDocument' }], description: 'The parsed rules' }) ruleSet!: Record<string, unknown>;
  @ApiProperty({ type: 'string', format: 'date', nullable: true }) effectiveFrom!: string | null;
  @ApiProperty({
    ...OPEN,
    nullable: true,
    description:
      'The delegation decision the activation names: { body, decidedOn, caseNumber } (kommuneloven § 13-1); null while a draft, for the start-up load of the 2023 rules, or for an activation recorded before decisions were named',
  })
  delegationDecision!: Record<string, unknown> | null;
  @ApiProperty({
    type: 'array',
    items: OPEN,
    description:
      'Each breach of the law ({ ruleId, decisionType, unit, limit, provision, problem }): empty but for a draft stored before the limits were checked',
  })
  legalLimitBreaches!: unknown[];
  @ApiProperty({ format: 'date-time' }) draftedAt!: string;
  @ApiProperty() draftedBy!: string;
}

export class RuleSetDto {
  @ApiProperty() ruleSetId!: string;
  @ApiProperty({ type: 'integer' }) revision!: number;
  @ApiProperty({ type: [RuleSetVersionDto] }) versions!: RuleSetVersionDto[];
}

export class CompetenceExplanationDto {
  @ApiProperty() ruleSetId!: string;
  @ApiProperty({ type: 'integer' }) version!: number;
  @ApiProperty({ ...OPEN, description: 'The query as read (members with ages, family facts)' }) query!: Record<string, unknown>;
  @ApiProperty({ description: 'Whether a rule lets the unit make the decision' }) permitted!: boolean;
  @ApiPropertyOptional({ description: 'The first rule that authorises it' }) ruleId?: string;
  @ApiPropertyOptional({ ...OPEN, description: 'That rule, as in the rule set' }) rule?: Record<string, unknown>;
  @ApiPropertyOptional({ description: 'Who decides under that rule: a unit code, or team:<district>' }) decider?: string;
  @ApiPropertyOptional() fourEyesRequired?: boolean;
  @ApiProperty({ type: [String], description: 'Why each other rule for this decision type did not match' }) reasons!: string[];
  @ApiProperty({ type: [String] }) competentDeciders!: string[];
  @ApiProperty({ type: 'array', items: OPEN, description: 'Every rule of the set, in order, with why it did or did not match' }) explanation!: unknown[];
  @ApiProperty({
    ...OPEN,
    description:
      'The law of the decision type from the catalogue: legalBasis, enkeltvedtak and enkeltvedtakProvision, appeal { body, weeks, countsFrom, provision }, competentUnits and competenceProvision, fourEyesFloor, privateDelegation',
  })
  law!: Record<string, unknown>;
  @ApiProperty({ description: 'Whether the law lets this unit ever decide the type, whatever the rules say' }) unitCompetentByLaw!: boolean;
  @ApiProperty({
    type: 'array',
    items: OPEN,
    description: 'Rules of this set that break a legal limit for this type (a draft stored before the limits were checked)',
  })
  legalLimitBreaches!: unknown[];
}

// ---- sub-projects ----

export class SubProjectSummaryDto {
  @ApiProperty({ example: 'driving-licences' }) subProjectId!: string;
  @ApiProperty({ type: 'integer' }) revision!: number;
  @ApiProperty() name!: string;
  @ApiProperty({ enum: ['active', 'terminated'] }) status!: string;
  @ApiProperty({ enum: UNITS, nullable: true }) responsibleUnit!: string | null;
  @ApiProperty({ enum: UNITS, isArray: true }) units!: string[];
  @ApiProperty({ type: 'array', items: OPEN, description: 'name, organisationNumber, mayRecordPayments' }) partners!: unknown[];
  @ApiProperty({ type: 'integer', description: 'Per semester, integer øre' }) semesterBudgetOre!: number;
  @ApiProperty({ type: [String], example: ['2026-autumn', '2027-spring'] }) semesters!: string[];
  @ApiProperty({ type: 'object', additionalProperties: { type: 'integer' }, description: 'Spent per semester, integer øre' }) spentBySemesterOre!: Record<
    string,
    number
  >;
  @ApiProperty({ type: 'object', additionalProperties: { type: 'integer' }, description: 'Remaining per semester, integer øre' })
  remainingBySemesterOre!: Record<string, number>;
  @ApiProperty({ type: 'integer' }) spendCount!: number;
  @ApiProperty({ type: 'string', format: 'date-time', nullable: true }) terminatedAt!: string | null;
}

/** GET /sub-projects/{id}: the summary with actors, goals and reviews (and the spending figures per semester). */
export class SubProjectDto extends SubProjectSummaryDto {
  @ApiProperty({ type: 'array', items: OPEN }) actors!: unknown[];
  @ApiProperty({ type: [String] }) goals!: string[];
  @ApiProperty({ ...OPEN, description: 'Reviews by semester' }) reviews!: Record<string, unknown>;
}

export class SubProjectPageDto {
  @ApiProperty({ type: [SubProjectSummaryDto] }) items!: SubProjectSummaryDto[];
  @ApiProperty({ type: 'string', nullable: true, description: 'Pass as `after` for the next page; null on the last page' }) nextCursor!: string | null;
}

export class SpendPageDto {
  @ApiProperty() subProjectId!: string;
  @ApiProperty({ type: 'integer' }) revision!: number;
  @ApiProperty({
    type: 'array',
    items: OPEN,
    description:
      'Spends in recorded order: paymentId, amountOre (integer øre), semester, category, spentOn, familyId (null unless the reader may read that payment), position',
  })
  items!: unknown[];
  @ApiProperty({ type: 'string', nullable: true }) nextCursor!: string | null;
}

// ---- what-if ----

export class WhatIfReportDto {
  @ApiProperty({ enum: ['familievedtak.what-if-report'] }) kind!: string;
  @ApiProperty({ type: 'integer', example: 2 }) formatVersion!: number;
  @ApiProperty({ ...OPEN, description: 'How the report is minimised: aggregate only, pseudonymous family rows, districts with too few families withheld' })
  disclosure!: Record<string, unknown>;
  @ApiProperty({ ...OPEN, description: 'baseline and candidate ({ id, version, sha256 }), selection, asOf' }) inputs!: Record<string, unknown>;
  @ApiProperty({
    ...OPEN,
    description:
      'familiesRead, familiesSelected, eventsRead, decisionsAnalysed, needsAnalysed, decisionsWithErasedIdentity (decisions about a member whose identity was erased: judged as an adult)',
  })
  scope!: Record<string, unknown>;
  @ApiProperty({ ...OPEN }) baseline!: Record<string, unknown>;
  @ApiProperty({ ...OPEN }) candidate!: Record<string, unknown>;
  @ApiProperty({ ...OPEN, description: 'Decisions whose decider moves, by route and by type' }) moves!: Record<string, unknown>;
  @ApiProperty({ ...OPEN }) newlyUncovered!: Record<string, unknown>;
  @ApiProperty({
    ...OPEN,
    description:
      'Rules outside the law (competent units, private partners, four-eyes floor) in each set: { baseline, candidate } each { lawful, breaches: [{ ruleId, decisionType, unit, limit, provision, problem }] }. A candidate may be analysed though unlawful; it could not be drafted',
  })
  legalLimits!: Record<string, unknown>;
  @ApiProperty({ ...OPEN }) districts!: Record<string, unknown>;
  @ApiProperty({ type: 'array', items: OPEN, description: 'Pseudonymised rows of a sample of the selected families' }) families!: unknown[];
}

// ---- payment runs ----

export class PaymentRunFamilyResultDto {
  @ApiProperty({ format: 'uuid' }) familyId!: string;
  @ApiProperty({ type: [String], format: 'uuid' }) paymentIds!: string[];
  @ApiProperty({ type: 'integer', description: 'Integer øre' }) amountOre!: number;
  @ApiProperty({ enum: ['paid', 'given-back', 'pending'] }) status!: string;
}

export class PaymentRunDto {
  @ApiProperty() subProjectId!: string;
  @ApiProperty() runId!: string;
  @ApiProperty({ description: 'true: the same runId was recorded before; this is its first result' }) replayed!: boolean;
  @ApiProperty() description!: string;
  @ApiProperty({ type: 'integer' }) count!: number;
  @ApiProperty({ type: 'integer', description: 'Integer øre' }) totalOre!: number;
  @ApiProperty({ type: 'object', additionalProperties: { type: 'integer' }, description: 'Integer øre per semester' }) totalBySemesterOre!: Record<
    string,
    number
  >;
  @ApiProperty({ type: 'object', additionalProperties: { type: 'integer' }, description: 'What the budget had left after the run, integer øre per semester' })
  remainingBySemesterOre!: Record<string, number>;
  @ApiProperty({ type: [PaymentRunFamilyResultDto] }) families!: PaymentRunFamilyResultDto[];
}

// ---- money reconciliation ----

export class ReconcileDifferenceDto {
  @ApiProperty({ enum: ['spend-without-payment', 'payment-without-spend', 'amount-differs', 'family-differs', 'reversal-differs'] }) kind!: string;
  @ApiProperty() subProjectId!: string;
  @ApiProperty({ format: 'uuid' }) paymentId!: string;
  @ApiProperty({ type: 'string', format: 'uuid', nullable: true }) familyId!: string | null;
  @ApiProperty({ type: 'integer', nullable: true }) spendOre!: number | null;
  @ApiProperty({ type: 'integer', nullable: true }) paymentOre!: number | null;
  @ApiProperty() detail!: string;
}

export class ReconciliationDto {
  @ApiProperty() ok!: boolean;
  @ApiProperty({ type: 'integer' }) subProjects!: number;
  @ApiProperty({ type: 'integer' }) spends!: number;
  @ApiProperty({ type: 'integer' }) payments!: number;
  @ApiProperty({ type: 'integer', description: 'Net of reversals, integer øre' }) spentOre!: number;
  @ApiProperty({ type: 'integer', description: 'Net of reversals, integer øre' }) paidOre!: number;
  @ApiProperty({ type: 'integer', description: 'All differences found; at most 1000 are listed' }) differenceCount!: number;
  @ApiProperty({ type: [ReconcileDifferenceDto] }) differences!: ReconcileDifferenceDto[];
}
