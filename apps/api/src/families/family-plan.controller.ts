import { Body, Controller, HttpCode, Param, Post, Req, Res } from '@nestjs/common';
import { ApiOperation } from '@nestjs/swagger';
import type { Actor, FamilyCommand } from '@familievedtak/domain';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { CurrentActor } from '../shared/actor.decorator';
import { CommandOutcome } from '../shared/command-envelope';
import { ApiRoute, commandProblems } from '../shared/openapi/api-route.decorator';
import { ApiBodyExample, REQUEST_EXAMPLES } from '../shared/openapi/examples';
import { CommandOutcomeDto } from '../shared/openapi/responses.dto';
import { EndFamilyPlanDto, RecordFamilyPlanDto, ReviewFamilyPlanDto, ReviseFamilyPlanDto } from './dto/family-plan.dto';
import { FamilyCommandsService } from './family-commands.service';
import { FamilyCommandRoutes, runFamilyCommand, uuidParam as uuid } from './family-command-route';

/**
 * The family's plan (individuell plan, helse- og omsorgstjenesteloven § 7-1; pasient- og
 * brukerrettighetsloven § 2-5) and its coordinator (hol § 7-2). Written by a unit with a part in
 * the case that the plan names; it rests on each member's coordination consent. Same headers as
 * every family command (If-Match, Idempotency-Key, correlation ids). The view shows the plan.
 */
@FamilyCommandRoutes()
@Controller('families')
export class FamilyPlanController {
  constructor(private readonly commands: FamilyCommandsService) {}

  private run(request: FastifyRequest, reply: FastifyReply, actor: Actor, familyId: string, command: FamilyCommand): Promise<CommandOutcome> {
    return runFamilyCommand(this.commands, request, reply, actor, familyId, command);
  }

  @Post(':familyId/family-plans')
  @ApiOperation({
    summary: "Record the family's plan: goals in the family's own words, who answers for what, the coordinator, review dates",
    description:
      'Needs a coordination consent in force of each member the plan is about, naming every unit of the plan (pbrl § 2-5). One active plan per family.',
  })
  @ApiRoute('recordFamilyPlan', { status: 201, type: CommandOutcomeDto, description: 'Created: the events appended' }, commandProblems('RecordFamilyPlan'))
  @ApiBodyExample(RecordFamilyPlanDto, REQUEST_EXAMPLES.recordFamilyPlan)
  record(
    @Req() req: FastifyRequest,
    @Res({ passthrough: true }) res: FastifyReply,
    @CurrentActor() actor: Actor,
    @Param('familyId', uuid) familyId: string,
    @Body() body: RecordFamilyPlanDto,
  ) {
    return this.run(req, res, actor, familyId, { type: 'RecordFamilyPlan', data: body });
  }

  @Post(':familyId/family-plans/:planId/revise')
  @HttpCode(200)
  @ApiOperation({ summary: "Revise the family's plan (the whole plan as it now reads, and why)" })
  @ApiRoute('reviseFamilyPlan', { status: 200, type: CommandOutcomeDto, description: 'Done: the events appended' }, commandProblems('ReviseFamilyPlan'))
  @ApiBodyExample(ReviseFamilyPlanDto, REQUEST_EXAMPLES.reviseFamilyPlan)
  revise(
    @Req() req: FastifyRequest,
    @Res({ passthrough: true }) res: FastifyReply,
    @CurrentActor() actor: Actor,
    @Param('familyId', uuid) familyId: string,
    @Param('planId', uuid) planId: string,
    @Body() body: ReviseFamilyPlanDto,
  ) {
    return this.run(req, res, actor, familyId, { type: 'ReviseFamilyPlan', data: { ...body, planId } });
  }

  @Post(':familyId/family-plans/:planId/reviews')
  @ApiOperation({ summary: 'Record a review of the plan with the family (the day it took place and what was found)' })
  @ApiRoute('reviewFamilyPlan', { status: 201, type: CommandOutcomeDto, description: 'Created: the events appended' }, commandProblems('ReviewFamilyPlan'))
  @ApiBodyExample(ReviewFamilyPlanDto, REQUEST_EXAMPLES.reviewFamilyPlan)
  review(
    @Req() req: FastifyRequest,
    @Res({ passthrough: true }) res: FastifyReply,
    @CurrentActor() actor: Actor,
    @Param('familyId', uuid) familyId: string,
    @Param('planId', uuid) planId: string,
    @Body() body: ReviewFamilyPlanDto,
  ) {
    return this.run(req, res, actor, familyId, { type: 'ReviewFamilyPlan', data: { ...body, planId } });
  }

  @Post(':familyId/family-plans/:planId/end')
  @HttpCode(200)
  @ApiOperation({ summary: "End the family's plan, with the reason" })
  @ApiRoute('endFamilyPlan', { status: 200, type: CommandOutcomeDto, description: 'Done: the events appended' }, commandProblems('EndFamilyPlan'))
  @ApiBodyExample(EndFamilyPlanDto, REQUEST_EXAMPLES.endFamilyPlan)
  end(
    @Req() req: FastifyRequest,
    @Res({ passthrough: true }) res: FastifyReply,
    @CurrentActor() actor: Actor,
    @Param('familyId', uuid) familyId: string,
    @Param('planId', uuid) planId: string,
    @Body() body: EndFamilyPlanDto,
  ) {
    return this.run(req, res, actor, familyId, { type: 'EndFamilyPlan', data: { ...body, planId } });
  }
}
