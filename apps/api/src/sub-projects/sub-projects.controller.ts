import { Body, Controller, Get, NotFoundException, Param, Post, Req, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiHeader, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Actor, remainingBudget, Semester, type Spend } from '@familievedtak/domain';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { describeGrantedAccess, recordGrantedAccess } from '../read-audit/access-subjects';
import { ReadsFamilyData } from '../read-audit/reads-family-data.decorator';
import { CurrentActor } from '../shared/actor.decorator';
import { requestHeaders } from '../shared/request-info';
import { ApproveSubProjectDto, ReviewSubProjectDto } from './dto/sub-project.dto';
import { SubProjectCommandsService } from './sub-project-commands.service';

/** Sub-project budgets: approval, six-monthly review and the remaining money per semester. */
@ApiTags('sub-projects')
@ApiBearerAuth()
@ApiHeader({ name: 'X-Act-As-Role', required: false, description: 'With several roles in the token: the one to act as' })
@ApiHeader({ name: 'X-Act-As-Unit', required: false, description: 'With several units in the token: the one to act for' })
@Controller('sub-projects')
export class SubProjectsController {
  constructor(private readonly subProjects: SubProjectCommandsService) {}

  @Post()
  @ApiOperation({ summary: 'Approve a sub-project (unit leader): at least three actors, one responsible municipal unit' })
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
  async review(@Req() req: FastifyRequest, @Res({ passthrough: true }) res: FastifyReply, @CurrentActor() actor: Actor, @Param('subProjectId') subProjectId: string, @Body() body: ReviewSubProjectDto) {
    const { state: _state, ...outcome } = await this.subProjects.execute(
      subProjectId,
      { type: 'ReviewSubProject', data: { ...body, semester: body.semester as Semester } },
      { actor, ...requestHeaders(req) },
    );
    void res.header('etag', `"${outcome.revision}"`);
    return outcome;
  }

  @Get(':subProjectId')
  @ReadsFamilyData(describeGrantedAccess)
  @ApiOperation({ summary: 'The sub-project with its spending and remaining budget per semester (which family a payment went to only for its unit, the partner who paid and auditors)' })
  async get(@Req() req: FastifyRequest, @CurrentActor() actor: Actor, @Param('subProjectId') subProjectId: string) {
    const { state, revision } = await this.subProjects.load(subProjectId);
    if (state.status === 'none') throw new NotFoundException(`No sub-project ${subProjectId}`);
    const remaining = Object.fromEntries(state.semesters.map((s) => [s, remainingBudget(state, s)]));
    // The budget is everyone's business; which family got the money is family data.
    const sees = (spend: Spend) =>
      actor.role === 'auditor' ||
      (actor.role === 'partner' ? spend.recordedBy.partnerOrganisation === actor.partnerOrganisation : actor.unit === state.responsibleUnit && actor.role !== 'rules-analyst');
    const spends = Object.fromEntries(Object.entries(state.spends).map(([id, spend]) => [id, sees(spend) ? spend : { ...spend, familyId: null }]));
    const families = [...new Set(Object.values(spends).flatMap((s) => (s.familyId ? [s.familyId] : [])))].sort();
    recordGrantedAccess(req, families.map((familyId) => ({ familyId, memberIds: [], categories: ['payments'] })));
    return { subProjectId, revision, remainingBySemesterOre: remaining, state: { ...state, spends } };
  }
}
