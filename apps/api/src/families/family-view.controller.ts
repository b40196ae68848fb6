import { Controller, ForbiddenException, Get, Inject, NotFoundException, Param, ParseUUIDPipe, Query, Req, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiHeader, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ApiRoute } from '../shared/openapi/api-route.decorator';
import { FamilyListPageDto, FamilyViewDto } from '../shared/openapi/responses.dto';
import { Actor, localDateOf, type LocalDate } from '@familievedtak/domain';
import { RuleSetRegistry } from '../rules/rule-set-registry.service';
import { Clock } from '@familievedtak/event-store';
import { FamilyViewQueries, FamilyViewReadRouting, MIN_REVISION_HEADER, parseMinRevision, viewRulesOf, type ReadAs } from '@familievedtak/projections';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { CurrentActor } from '../shared/actor.decorator';
import { CLOCK } from '../shared/clock.provider';
import { describeGrantedAccess, recordGrantedAccess } from '../read-audit/access-subjects';
import { ReadsFamilyData } from '../read-audit/reads-family-data.decorator';
import { FamilyListQueryDto, FamilyViewQueryDto } from './dto/family-view.dto';
import { FamilyViewCache } from './family-view-cache';
import { asOfForReader, familyAsOf } from '@familievedtak/audit';
import { EVENT_STORE, type EventStore } from '@familievedtak/event-store';

/**
 * The family decision view: one family across the five units, and lists of families per
 * unit. Read from the projection (it may lag the log by a moment: the ETag says which
 * revision it shows); time-dependent parts are computed for `today` (default: now, Oslo).
 * Each reader gets only what they may see (familyReadAccess: the part in the case, consents,
 * enrolments), masked for protected addresses without clearance; access is decided on the real
 * day, whatever `today` asks for, and what was granted goes to the read audit. The single view
 * is served from FamilyViewCache: built and serialised once per revision and reader scope.
 */
@ApiTags('family view')
@ApiBearerAuth()
@ApiHeader({ name: 'X-Act-As-Role', required: false, description: 'With several roles in the token: the one to act as' })
@ApiHeader({ name: 'X-Act-As-Unit', required: false, description: 'With several units in the token: the one to act for' })
@ApiHeader({
  name: 'X-Min-Revision',
  required: false,
  description:
    "The revision the client wrote (a command's `revision`, or the ETag): never answered with an older view (waits for the read replica, else reads the primary)",
})
@Controller('families')
export class FamilyViewController {
  /**
   * `cache`: one per API instance (FamilyViewReadsModule): the views it served, as bytes, per
   * (family, revision, reader scope); shared by the primary and the read replica (a revision is
   * the same events folded the same way), kept current by the view projection's change feed.
   */
  constructor(
    private readonly queries: FamilyViewQueries,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(EVENT_STORE) private readonly store: EventStore,
    private readonly reads: FamilyViewReadRouting,
    private readonly cache: FamilyViewCache,
    private readonly rules: RuleSetRegistry,
  ) {}

  @Get()
  @ReadsFamilyData(describeGrantedAccess)
  @ApiOperation({
    summary: 'Families the caller has a part in, filtered by unit, district, warnings or what expires soon; keyset paging',
    description:
      'Each row is decided like the view (familyReadAccess) and masked like it. Without the protected-address clearance a family with a kode 6 member is not listed, and no filter matches a value withheld from the caller (a district withheld for kode 6 or 7, a unit the caller does not see involved).',
  })
  @ApiRoute('listFamilies', { status: 200, type: FamilyListPageDto, description: 'A page of families the caller has a part in (keyset paging)' })
  async list(@Req() req: FastifyRequest, @CurrentActor() actor: Actor, @Query() query: FamilyListQueryDto) {
    const { today, ...filter } = query;
    const day = today ?? this.today();
    const { items, nextCursor, access } = await this.reads
      .forList(this.queries, req.headers[MIN_REVISION_HEADER])
      .listFamilies(filter, day, await this.readAs(actor, day));
    recordGrantedAccess(req, access);
    return { items, nextCursor };
  }

  @Get(':familyId')
  @ReadsFamilyData(describeGrantedAccess)
  @ApiOperation({
    summary: "One family's decision view: members, needs, consents, decisions, payments, income basis, expiries, warnings",
    description:
      'Bitemporal: `today` is valid time (decisions as they stood on that day, as known now: one revoked from a later day is still active); `recordedAt` rebuilds the view from the events recorded up to that instant (as recorded then); both together answer "as recorded at T, as it stood on D".',
  })
  @ApiRoute(
    'getFamilyView',
    { status: 200, type: FamilyViewDto, description: 'The family decision view for this caller (ETag: the revision it reflects)' },
    { statuses: [404] },
  )
  async view(
    @Req() req: FastifyRequest,
    @Res({ passthrough: true }) res: FastifyReply,
    @CurrentActor() actor: Actor,
    @Param('familyId', new ParseUUIDPipe()) familyId: string,
    @Query() query: FamilyViewQueryDto,
  ) {
    if (query.recordedAt !== undefined) return this.asRecordedAt(req, actor, familyId, new Date(query.recordedAt), query.today);
    const source = await this.reads.forFamily(this.queries, familyId, req.headers[MIN_REVISION_HEADER]);
    const day = query.today ?? this.today();
    const read = await this.cache.read(familyId, day, await this.readAs(actor, day), source, parseMinRevision(req.headers[MIN_REVISION_HEADER]));
    if (!read) throw new NotFoundException(`No family ${familyId} in the view (yet)`);
    if (read.kind === 'denied') throw new ForbiddenException(read.reason);
    recordGrantedAccess(req, [read.access]);
    // Already JSON: sent as is (Fastify's own content type for a serialised object).
    void res.header('etag', `"${read.revision}"`).header('content-type', 'application/json; charset=utf-8');
    return read.body;
  }

  /** The view rebuilt from the log up to an instant, with the same access decision and masking (on the real day). */
  private async asRecordedAt(req: FastifyRequest, actor: Actor, familyId: string, at: Date, today: string | undefined) {
    const asOf = await familyAsOf(this.store, familyId, { at, today: today ?? this.today() });
    if (!asOf) throw new NotFoundException(`No family ${familyId} was recorded by ${at.toISOString()}`);
    const read = asOfForReader(asOf, actor, this.today());
    if (!read.permit) throw new ForbiddenException(read.reason);
    recordGrantedAccess(req, [{ familyId, memberIds: read.grant.memberIds, categories: read.grant.categories, consentIds: read.grant.consentIds }]);
    return {
      revision: asOf.revision,
      recordedAt: at.toISOString(),
      ...read.view,
      access: { withheld: [], maskedMemberIds: read.maskedMemberIds, consentIds: read.grant.consentIds },
    };
  }

  private today() {
    return localDateOf(this.clock.now());
  }

  /** Who reads, on the real day; and the view's settings from the rule set in force on the view's day. */
  private async readAs(actor: Actor, day: LocalDate): Promise<ReadAs> {
    return { actor, accessDay: this.today(), rules: viewRulesOf(await this.rules.inForceOn(day)) };
  }
}
