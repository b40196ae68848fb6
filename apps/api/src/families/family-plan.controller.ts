import { Body, Controller, HttpCode, Param, ParseUUIDPipe, Post, Req, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiHeader, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Actor, FamilyCommand } from '@familievedtak/domain';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { CurrentActor } from '../shared/actor.decorator';
import { CommandOutcome } from '../shared/command-envelope';
import { ApiRoute, commandProblems } from '../shared/openapi/api-route.decorator';
import { ApiBodyExample, REQUEST_EXAMPLES } from '../shared/openapi/examples';
import { CommandOutcomeDto } from '../shared/openapi/responses.dto';
import { requestHeaders } from '../shared/request-info';
import { EndFamilyPlanDto, RecordFamilyPlanDto, ReviewFamilyPlanDto, ReviseFamilyPlanDto } from './dto/family-plan.dto';
import { FamilyCommandsService } from './family-commands.service';

const uuid = new ParseUUIDPipe({ version: undefined });

/**
 * The family's plan (individuell plan, helse- og omsorgstjenesteloven § 7-1; pasient- og
 * brukerrettighetsloven § 2-5) and its coordinator (hol § 7-2). Written by a unit with a part in
 * the case that the plan names; it rests on each member's coordination consent. Same headers as
 * every family command (If-Match, Idempotency-Key, correlation ids). The view shows the plan.
 */
@ApiTags('families')
@ApiBearerAuth()
@ApiHeader({ name: 'X-Act-As-Role', required: false, description: 'With several roles in the token: the one to act as' })
@ApiHeader({ name: 'X-Act-As-Unit', required: false, description: 'With several units in the token: the one to act for' })
@ApiHeader({ name: 'If-Match', required: false, description: 'Stream revision the client saw, e.g. "3"' })
@ApiHeader({ name: 'Idempotency-Key', required: false, description: '8-200 characters; a retry returns the first answer' })
@Controller('families')
export class FamilyPlanController {
  constructor(private readonly commands: FamilyCommandsService) {}

  private async run(request: FastifyRequest, reply: FastifyReply, actor: Actor, familyId: string, command: FamilyCommand): Promise<CommandOutcome> {
    const outcome = await this.commands.execute(familyId, command, { actor, ...requestHeaders(request) });
    void reply.header('etag', `"${outcome.revision}"`);
    return outcome;
  }

  @Post(':familyId/family-plans')
  @ApiOperation({
    summary: "Record the family's plan: goals in the family's own words, who answers for what, the coordinator, review dates",
    description: 'Needs a coordination consent in force of each member the plan is about, naming every unit of the plan (pbrl § 2-5). One active plan per family.',
  })
  @ApiRoute('recordFamilyPlan', { status: 201, type: CommandOutcomeDto, description: 'Created: the events appended' }, commandProblems('RecordFamilyPlan'))
  @ApiBodyExample(RecordFamilyPlanDto, REQUEST_EXAMPLES.recordFamilyPlan)
  record(@Req() req: FastifyRequest, @Res({ passthrough: true }) res: FastifyReply, @CurrentActor() actor: Actor, @Param('familyId', uuid) familyId: string, @Body() body: RecordFamilyPlanDto) {
    return this.run(req, res, actor, familyId, { type: 'RecordFamilyPlan', data: body });
  }

  @Post(':familyId/family-plans/:planId/revise') @HttpCode(200)
  @ApiOperation({ summary: "Revise the family's plan (the whole plan as it now reads, and why)" })
  @ApiRoute('reviseFamilyPlan', { status: 200, type: CommandOutcomeDto, description: 'Done: the events appended' }, commandProblems('ReviseFamilyPlan'))
  @ApiBodyExample(ReviseFamilyPlanDto, REQUEST_EXAMPLES.reviseFamilyPlan)
  revise(@Req() req: FastifyRequest, @Res({ passthrough: true }) res: FastifyReply, @CurrentActor() actor: Actor, @Param('familyId', uuid) familyId: string, @Param('planId', uuid) planId: string, @Body() body: ReviseFamilyPlanDto) {
    return this.run(req, res, actor, familyId, { type: 'ReviseFamilyPlan', data: { ...body, planId } });
  }

  @Post(':familyId/family-plans/:planId/reviews')
  @ApiOperation({ summary: 'Record a review of the plan with the family (the day it took place and what was found)' })
  @ApiRoute('reviewFamilyPlan', { status: 201, type: CommandOutcomeDto, description: 'Created: the events appended' }, commandProblems('ReviewFamilyPlan'))
  @ApiBodyExample(ReviewFamilyPlanDto, REQUEST_EXAMPLES.reviewFamilyPlan)
  review(@Req() req: FastifyRequest, @Res({ passthrough: true }) res: FastifyReply, @CurrentActor() actor: Actor, @Param('familyId', uuid) familyId: string, @Param('planId', uuid) planId: string, @Body() body: ReviewFamilyPlanDto) {
    return this.run(req, res, actor, familyId, { type: 'ReviewFamilyPlan', data: { ...body, planId } });
  }

  @Post(':familyId/family-plans/:planId/end') @HttpCode(200)
  @ApiOperation({ summary: "End the family's plan, with the reason" })
  @ApiRoute('endFamilyPlan', { status: 200, type: CommandOutcomeDto, description: 'Done: the events appended' }, commandProblems('EndFamilyPlan'))
  @ApiBodyExample(EndFamilyPlanDto, REQUEST_EXAMPLES.endFamilyPlan)
  end(@Req() req: FastifyRequest, @Res({ passthrough: true }) res: FastifyReply, @CurrentActor() actor: Actor, @Param('familyId', uuid) familyId: string, @Param('planId', uuid) planId: string, @Body() body: EndFamilyPlanDto) {
    return this.run(req, res, actor, familyId, { type: 'EndFamilyPlan', data: { ...body, planId } });
  }
}
