import { Controller, ForbiddenException, Get, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { ApiRoute } from '../shared/openapi/api-route.decorator';
import { ReadAccessRecordsDto } from '../shared/openapi/responses.dto';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, IsString, Max, MaxLength, Min } from 'class-validator';
import type { Actor } from '@familievedtak/domain';
import { Instant } from '../families/dto/common.dto';
import { CurrentActor } from '../shared/actor.decorator';
import type { AccessSubject } from './access-subjects';
import { ReadsFamilyData } from './reads-family-data.decorator';
import { ReadAuditService } from './read-audit.service';

export class ReadAccessQueryDto {
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(200) familyId?: string;
  @ApiPropertyOptional({ description: "A member's own access report: who looked at this member's data" })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  memberId?: string;
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(200) userId?: string;
  @ApiPropertyOptional({ description: 'From this instant (inclusive), ISO 8601' }) @IsOptional() @MaxLength(40) @Instant() from?: string;
  @ApiPropertyOptional({ description: 'Until this instant (exclusive), ISO 8601' }) @IsOptional() @MaxLength(40) @Instant() until?: string;
  @ApiPropertyOptional({ type: 'integer', default: 100, maximum: 1000 }) @IsOptional() @Type(() => Number) @IsInt() @Min(1) @Max(1000) limit?: number;
}

/** The auditor's query is itself a read of family data (who saw whom): it is recorded too. */
const describeAuditQuery = (_body: unknown, request: { query: unknown }): AccessSubject[] => {
  const q = (request.query ?? {}) as ReadAccessQueryDto;
  return [{ familyId: q.familyId ?? null, memberIds: q.memberId ? [q.memberId] : [], categories: ['access-log'] }];
};

@ApiTags('read audit')
@ApiBearerAuth()
@Controller('audit')
export class ReadAuditController {
  constructor(private readonly audit: ReadAuditService) {}

  @Get('reads')
  @ReadsFamilyData(describeAuditQuery)
  @ApiOperation({ summary: 'Read-access records by family, member, user and period, newest first (auditors only)' })
  @ApiRoute('listReadAccess', { status: 200, type: ReadAccessRecordsDto, description: 'Read-access records, newest first' })
  async reads(@CurrentActor() actor: Actor, @Query() query: ReadAccessQueryDto) {
    if (actor.role !== 'auditor') throw new ForbiddenException('Only auditors may query the read audit');
    return { items: await this.audit.query(query) };
  }
}
