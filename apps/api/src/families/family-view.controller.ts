import { Controller, Get, Inject, NotFoundException, Param, ParseUUIDPipe, Query, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiHeader, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Actor, localDateOf } from '@familievedtak/domain';
import { Clock } from '@familievedtak/event-store';
import { FamilyViewQueries } from '@familievedtak/projections';
import type { FastifyReply } from 'fastify';
import { CurrentActor } from '../shared/actor.decorator';
import { CLOCK } from '../shared/clock.provider';
import { describeFamilyList, describeFamilyView } from '../read-audit/access-subjects';
import { ReadsFamilyData } from '../read-audit/reads-family-data.decorator';
import { FamilyListQueryDto, ViewQueryDto } from './dto/family-view.dto';

/**
 * The family decision view: one family across the five units, and lists of families per
 * unit. Read from the projection (it may lag the log by a moment: the ETag says which
 * revision it shows); time-dependent parts are computed for `today` (default: now, Oslo).
 */
@ApiTags('family view')
@ApiBearerAuth()
@ApiHeader({ name: 'X-Act-As-Role', required: false, description: 'With several roles in the token: the one to act as' })
@ApiHeader({ name: 'X-Act-As-Unit', required: false, description: 'With several units in the token: the one to act for' })
@Controller('families')
export class FamilyViewController {
  constructor(
    private readonly queries: FamilyViewQueries,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  @Get()
  @ReadsFamilyData(describeFamilyList)
  @ApiOperation({ summary: 'Families, filtered by unit, district, warnings or what expires soon; keyset paging' })
  list(@CurrentActor() _actor: Actor, @Query() query: FamilyListQueryDto) {
    const { today, ...filter } = query;
    return this.queries.listFamilies(filter, today ?? localDateOf(this.clock.now()));
  }

  @Get(':familyId')
  @ReadsFamilyData(describeFamilyView)
  @ApiOperation({ summary: "One family's decision view: members, needs, consents, decisions, payments, income basis, expiries, warnings" })
  async view(
    @Res({ passthrough: true }) res: FastifyReply,
    @CurrentActor() _actor: Actor,
    @Param('familyId', new ParseUUIDPipe()) familyId: string,
    @Query() query: ViewQueryDto,
  ) {
    const stored = await this.queries.getView(familyId, query.today ?? localDateOf(this.clock.now()));
    if (!stored) throw new NotFoundException(`No family ${familyId} in the view (yet)`);
    void res.header('etag', `"${stored.revision}"`);
    return { revision: stored.revision, ...stored.view };
  }
}
