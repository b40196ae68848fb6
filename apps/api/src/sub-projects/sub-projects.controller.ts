import { Body, Controller, Get, Inject, NotFoundException, Param, Post, Query, Req, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiHeader, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ApiRoute, commandProblems } from '../shared/openapi/api-route.decorator';
import { ApiBodyExample, REQUEST_EXAMPLES } from '../shared/openapi/examples';
import { CommandOutcomeDto, SpendPageDto, SubProjectDto, SubProjectPageDto } from '../shared/openapi/responses.dto';
import { Actor, localDateOf, mayReadPayment, readerOf, Semester, type Spend } from '@familievedtak/domain';
import type { Clock } from '@familievedtak/event-store';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { describeGrantedAccess, recordGrantedAccess } from '../read-audit/access-subjects';
import { ReadsFamilyData } from '../read-audit/reads-family-data.decorator';
import { CurrentActor } from '../shared/actor.decorator';
import { CLOCK } from '../shared/clock.provider';
import { requestHeaders } from '../shared/request-info';
import { FamilyCommandsService } from '../families/family-commands.service';
import { ApproveSubProjectDto, ListSpendsQuery, ListSubProjectsQuery, ReviewSubProjectDto } from './dto/sub-project.dto';
import { DEFAULT_PAGE_SIZE, SubProjectQueries, spendPage, summarise } from './sub-project-queries';
import { SubProjectCommandsService } from './sub-project-commands.service';

/** Sub-project budgets: approval, six-monthly review and the remaining money per semester. */
@ApiTags('sub-projects')
@ApiBearerAuth()
@ApiHeader({ name: 'X-Act-As-Role', required: false, description: 'With several roles in the token: the one to act as' })
@ApiHeader({ name: 'X-Act-As-Unit', required: false, description: 'With several units in the token: the one to act for' })
@Controller('sub-projects')
export class SubProjectsController {
  constructor(
    private readonly subProjects: SubProjectCommandsService,
    private readonly families: FamilyCommandsService,
    private readonly queries: SubProjectQueries,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  @Post()
  @ApiOperation({ summary: 'Approve a sub-project (unit leader): at least three actors, one responsible municipal unit' })
  @ApiRoute('approveSubProject', { status: 201, type: CommandOutcomeDto, description: 'Created: the events appended' }, commandProblems('ApproveSubProject'))
  @ApiBodyExample(ApproveSubProjectDto, REQUEST_EXAMPLES.approveSubProject)
  async approve(@Req() req: FastifyRequest, @Res({ passthrough: true }) res: FastifyReply, @CurrentActor() actor: Actor, @Body() body: ApproveSubProjectDto) {
    const { state: _state, ...outcome } = await this.subProjects.execute(
      body.subProjectId,
      { type: 'ApproveSubProject', data: { ...body, firstSemester: body.firstSemester as Semester } },
      { actor, ...requestHeaders(req) },
    );
    void res.header('etag', `"${outcome.revision}"`);
    return outcome;
  }

  @Post(':subProjectId/reviews')
  @ApiOperation({ summary: 'Six-monthly review: continue or terminate' })
  @ApiRoute('reviewSubProject', { status: 201, type: CommandOutcomeDto, description: 'Created: the events appended' }, commandProblems('ReviewSubProject'))
  @ApiBodyExample(ReviewSubProjectDto, REQUEST_EXAMPLES.reviewSubProject)
  async review(
    @Req() req: FastifyRequest,
    @Res({ passthrough: true }) res: FastifyReply,
    @CurrentActor() actor: Actor,
    @Param('subProjectId') subProjectId: string,
    @Body() body: ReviewSubProjectDto,
  ) {
    const { state: _state, ...outcome } = await this.subProjects.execute(
      subProjectId,
      { type: 'ReviewSubProject', data: { ...body, semester: body.semester as Semester } },
      { actor, ...requestHeaders(req) },
    );
    void res.header('etag', `"${outcome.revision}"`);
    return outcome;
  }

  @Get()
  @ApiOperation({
    summary: 'The sub-projects, filtered by unit (responsible or taking part), partner organisation number or funded semester; paged by subProjectId',
  })
  @ApiRoute('listSubProjects', { status: 200, type: SubProjectPageDto, description: 'A page of sub-projects' })
  async list(@Query() query: ListSubProjectsQuery) {
    return this.queries.list({ unit: query.unit, partner: query.partner, semester: query.semester }, query.after, query.limit ?? DEFAULT_PAGE_SIZE);
  }

  @Get(':subProjectId')
  @ApiOperation({
    summary: 'The sub-project: actors, goals, reviews, spending and remaining budget per semester (the spends themselves are paged under /spends)',
  })
  @ApiRoute('getSubProject', { status: 200, type: SubProjectDto, description: 'The sub-project with its budget per semester' }, { statuses: [404] })
  async get(@Param('subProjectId') subProjectId: string) {
    const { state, revision } = await this.subProjects.load(subProjectId);
    if (state.status === 'none') throw new NotFoundException(`No sub-project ${subProjectId}`);
    return { ...summarise(subProjectId, revision, state), actors: state.actors, goals: state.goals, reviews: state.reviews };
  }

  @Get(':subProjectId/spends')
  @ReadsFamilyData(describeGrantedAccess)
  @ApiOperation({
    summary:
      'The spends of a budget in the order they were recorded, paged (which family a payment went to only for readers who may read that payment in the family)',
  })
  @ApiRoute('listSubProjectSpends', { status: 200, type: SpendPageDto, description: 'A page of spends' }, { statuses: [404] })
  async spends(@Req() req: FastifyRequest, @CurrentActor() actor: Actor, @Param('subProjectId') subProjectId: string, @Query() query: ListSpendsQuery) {
    const { state, revision } = await this.subProjects.load(subProjectId);
    if (state.status === 'none') throw new NotFoundException(`No sub-project ${subProjectId}`);
    const page = spendPage(state, query.semester, query.after === undefined ? -1 : Number(query.after), query.limit ?? DEFAULT_PAGE_SIZE);
    // The budget is everyone's business; which family got the money is family data, decided by
    // the family's read access for that payment (familyReadAccess's per-record rule) on the real day.
    const visible = await this.spendsWithVisibleFamily(actor, page.items);
    const items = page.items.map((spend) => (visible.has(spend.paymentId) ? spend : { ...spend, familyId: null }));
    const families = [...new Set(items.flatMap((s) => (s.familyId ? [s.familyId] : [])))].sort();
    recordGrantedAccess(
      req,
      families.map((familyId) => ({ familyId, memberIds: [], categories: ['payments'] })),
    );
    return { subProjectId, revision, items, nextCursor: page.nextCursor };
  }

  /** The payment ids of spends whose family this reader may be told: it may read that payment in that family. */
  private async spendsWithVisibleFamily(actor: Actor, spends: Spend[]): Promise<Set<string>> {
    const reader = readerOf(actor);
    const visible = new Set<string>();
    if (reader.kind === 'none') return visible;
    const today = localDateOf(this.clock.now());
    const familyIds = [...new Set(spends.flatMap((s) => (s.familyId ? [s.familyId] : [])))];
    for (const familyId of familyIds) {
      const { state: family, revision } = await this.families.load(familyId);
      if (revision < 0) continue;
      for (const spend of spends) {
        if (spend.familyId !== familyId) continue;
        const payment = family.payments[spend.paymentId];
        if (reader.kind === 'auditor' || (payment && mayReadPayment(family, reader, payment, today))) visible.add(spend.paymentId);
      }
    }
    return visible;
  }
}
