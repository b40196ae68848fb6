import { BadRequestException, Controller, ForbiddenException, Get, Header, Inject, NotFoundException, Param, ParseUUIDPipe, Query, Req } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiProduces, ApiQuery, ApiTags } from '@nestjs/swagger';
import { ApiRoute } from '../shared/openapi/api-route.decorator';
import { AsOfDto, FamilyHistoryDto, SubjectAccessDto } from '../shared/openapi/responses.dto';
import { PG_POOL } from '@familievedtak/database';
import { localDateOf, protectionOf, type Actor } from '@familievedtak/domain';
import { EVENT_STORE, type Clock, type EventStore } from '@familievedtak/event-store';
import {
  asOfForReader,
  familyAsOf,
  familyHistory,
  isSubjectAccessLanguage,
  readFamilyStream,
  subjectAccessExport,
  subjectAccessHtml,
  SUBJECT_ACCESS_LANGUAGES,
  type SubjectAccessExport,
} from '@familievedtak/audit';
import type { FastifyRequest } from 'fastify';
import type { Pool } from 'pg';
import { describeGrantedAccess, recordGrantedAccess, type AccessSubject } from '../read-audit/access-subjects';
import { ReadsFamilyData } from '../read-audit/reads-family-data.decorator';
import { CurrentActor } from '../shared/actor.decorator';
import { CLOCK } from '../shared/clock.provider';
import { AsOfQueryDto, HistoryQueryDto } from './history.dto';

/** A malformed filter or cut is the caller's mistake (400), not a server fault. */
function asBadRequest<T>(run: () => T): T {
  try {
    return run();
  } catch (error) {
    if (error instanceof RangeError) throw new BadRequestException(error.message);
    throw error;
  }
}

/**
 * The auditor's questions, answered from the log alone: what happened in a family and on
 * whose authority (history), what the view was at a moment (as-of), and everything held
 * about one member (subject access). Auditors only (route policies); their reads are
 * recorded like everyone's, purpose from X-Purpose. Protected addresses are masked for an
 * auditor without the clearance exactly as in the live view: a kode 6 member's details, and
 * with a kode 6 or 7 member the district, names of people and places, and free text.
 */
@ApiTags('auditor')
@ApiBearerAuth()
@Controller('audit')
export class HistoryController {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(PG_POOL) private readonly pool: Pool,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  @Get('families/:familyId/history')
  @ReadsFamilyData(describeGrantedAccess)
  @ApiOperation({
    summary: "A family's events with readable labels, actor, delegation rule and consents relied on; filter by unit, type, period; revision paging",
  })
  @ApiRoute('getFamilyHistory', { status: 200, type: FamilyHistoryDto, description: 'A page of history entries, oldest first' }, { statuses: [404] })
  async history(
    @Req() req: FastifyRequest,
    @CurrentActor() actor: Actor,
    @Param('familyId', new ParseUUIDPipe()) familyId: string,
    @Query() q: HistoryQueryDto,
  ) {
    const events = await readFamilyStream(this.store, familyId);
    if (!events.length) throw new NotFoundException(`No family ${familyId}`);
    const page = asBadRequest(() =>
      familyHistory(
        events,
        { unit: q.unit, types: q.type, from: q.from, until: q.until },
        { after: q.after, limit: q.limit },
        { protectedAddressClearance: actor.protectedAddressClearance },
      ),
    );
    const memberIds = [...new Set(page.entries.flatMap((e) => e.memberIds))].sort();
    const categories = [...new Set(page.entries.map((e) => e.category))].sort();
    recordGrantedAccess(req, [{ familyId, memberIds, categories, consentIds: [] }]);
    return { familyId, ...page };
  }

  @Get('families/:familyId/as-of')
  @ReadsFamilyData(describeGrantedAccess)
  @ApiOperation({ summary: 'The family decision view as it was at an instant or a global position, rebuilt from the events up to then' })
  @ApiRoute('getFamilyAsOf', { status: 200, type: AsOfDto, description: 'The family as it was at the cut' }, { statuses: [404] })
  async asOf(@Req() req: FastifyRequest, @CurrentActor() actor: Actor, @Param('familyId', new ParseUUIDPipe()) familyId: string, @Query() q: AsOfQueryDto) {
    if ((q.at === undefined) === (q.position === undefined)) throw new BadRequestException('Give exactly one of at (an ISO instant) or position');
    const asOf = await familyAsOf(this.store, familyId, {
      at: q.at ? new Date(q.at) : undefined,
      position: q.position ? BigInt(q.position) : undefined,
      today: q.today,
    });
    if (!asOf) throw new NotFoundException(`No family ${familyId} at that point of the log`);
    // The same access and masking as the live view, decided on the real day (never the cut's).
    const read = asOfForReader(asOf, actor, localDateOf(this.clock.now()));
    if (!read.permit) throw new ForbiddenException(read.reason);
    recordGrantedAccess(req, [{ familyId, memberIds: read.grant.memberIds, categories: read.grant.categories, consentIds: read.grant.consentIds }]);
    return {
      familyId,
      cut: q.at !== undefined ? { at: q.at } : { position: q.position },
      revision: asOf.revision,
      lastPosition: asOf.lastPosition.toString(),
      lastRecordedAt: asOf.lastRecordedAt.toISOString(),
      state: read.state,
      view: read.view,
      maskedMemberIds: read.maskedMemberIds,
    };
  }

  @Get('members/:memberId/subject-access')
  @ReadsFamilyData(describeGrantedAccess)
  @ApiOperation({ summary: 'Everything held about one member: events, view parts, read audit (JSON)' })
  @ApiRoute('getSubjectAccess', { status: 200, type: SubjectAccessDto, description: 'Everything held about the member' }, { statuses: [404] })
  async subjectAccess(@Req() req: FastifyRequest, @CurrentActor() actor: Actor, @Param('memberId') memberId: string) {
    return this.export(req, actor, memberId);
  }

  @Get('members/:memberId/subject-access.html')
  @ReadsFamilyData(describeGrantedAccess)
  @Header('content-type', 'text/html; charset=utf-8')
  @Header('content-security-policy', "default-src 'none'; style-src 'unsafe-inline'")
  @ApiProduces('text/html')
  @ApiOperation({ summary: 'Everything held about one member, as a readable self-contained page for them: bokmål, or English with lang=en' })
  @ApiQuery({ name: 'lang', required: false, enum: SUBJECT_ACCESS_LANGUAGES, description: 'The language of the page (default nb, bokmål)' })
  @ApiRoute('getSubjectAccessPage', { status: 200, html: true, description: 'Everything held about the member, as a page' }, { statuses: [400, 404] })
  async subjectAccessPage(
    @Req() req: FastifyRequest,
    @CurrentActor() actor: Actor,
    @Param('memberId') memberId: string,
    @Query('lang') lang?: string,
  ): Promise<string> {
    // Checked before the export, so a bad language is not a recorded read.
    if (lang !== undefined && !isSubjectAccessLanguage(lang)) throw new BadRequestException(`lang must be one of ${SUBJECT_ACCESS_LANGUAGES.join(', ')}`);
    return subjectAccessHtml(await this.export(req, actor, memberId), { lang });
  }

  private async export(req: FastifyRequest, actor: Actor, memberId: string): Promise<SubjectAccessExport> {
    if (!/^[A-Za-z0-9-]{1,64}$/.test(memberId)) throw new BadRequestException('memberId must be an id of letters, digits and dashes');
    const now = this.clock.now();
    const report = await subjectAccessExport({ store: this.store, db: this.pool }, memberId, {
      today: localDateOf(now),
      generatedAt: now,
      protectedAddressClearance: actor.protectedAddressClearance,
    });
    if (!report) throw new NotFoundException(`No family holds a member ${memberId}`);
    // The export names the member and where they are: with a protected address (kode 6 or 7) only for the cleared.
    if (!actor.protectedAddressClearance && report.families.some((f) => protectionOf(f.member) !== 'none')) {
      throw new ForbiddenException('This member has a protected address: subject access needs the protected-address clearance');
    }
    recordGrantedAccess(
      req,
      report.families.map((f): AccessSubject => ({ familyId: f.familyId, memberIds: [memberId], categories: categoriesOf(f), consentIds: [] })),
    );
    return report;
  }
}

function categoriesOf(part: SubjectAccessExport['families'][number]): string[] {
  const categories = new Set<string>(['household', 'access-log', ...part.events.map((e) => e.category)]);
  return [...categories].sort();
}
