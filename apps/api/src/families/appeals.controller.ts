import { Body, Controller, HttpCode, Param, Post, Req, Res } from '@nestjs/common';
import { ApiOperation } from '@nestjs/swagger';
import type { Actor, FamilyCommand } from '@familievedtak/domain';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { CurrentActor } from '../shared/actor.decorator';
import { CommandOutcome } from '../shared/command-envelope';
import { ApiRoute, commandProblems } from '../shared/openapi/api-route.decorator';
import { ApiBodyExample, REQUEST_EXAMPLES } from '../shared/openapi/examples';
import { CommandOutcomeDto } from '../shared/openapi/responses.dto';
import {
  AppealReasonsDto,
  AssessAppealFormDto,
  ChangeDecisionOnAppealDto,
  DecideSuspensionDto,
  ForwardAppealDto,
  NotificationReceivedDto,
  PrepareAppealDto,
  RecordAppealOutcomeDto,
  RegisterAppealDto,
  RequestSuspensionDto,
  SendNotificationDto,
  WithdrawAppealDto,
} from './dto/appeals.dto';
import { FamilyCommandsService } from './family-commands.service';
import { FamilyCommandRoutes, runFamilyCommand, uuidParam as uuid } from './family-command-route';

const CREATED = { status: 201, type: CommandOutcomeDto, description: 'Created: the events appended' } as const;
const DONE = { status: 200, type: CommandOutcomeDto, description: 'Done: the events appended' } as const;

/**
 * Notification (forvaltningsloven § 27) and appeals as the law runs them (§§ 28-34, 42): every
 * appeal is registered; the deciding unit assesses the formal requirements, dismisses or
 * prepares, then changes its decision or forwards the case to the appeal body the catalogue
 * names; the body's outcome is recorded with its date and reference. Same headers as every
 * family command (If-Match, Idempotency-Key, correlation ids).
 */
@FamilyCommandRoutes()
@Controller('families')
export class AppealsController {
  constructor(private readonly commands: FamilyCommandsService) {}

  private run(request: FastifyRequest, reply: FastifyReply, actor: Actor, familyId: string, command: FamilyCommand): Promise<CommandOutcome> {
    return runFamilyCommand(this.commands, request, reply, actor, familyId, command);
  }

  @Post(':familyId/notifications')
  @ApiOperation({
    summary: 'Notify a party of a decision, an appeal outcome or a dismissal (fvl § 27)',
    description:
      'What the party is told (appeal right, deadline, appeal body, procedure, document access, suspension) comes from the decision-type catalogue. In person: received the same day.',
  })
  @ApiRoute('sendNotification', CREATED, commandProblems('SendNotification'))
  @ApiBodyExample(SendNotificationDto, REQUEST_EXAMPLES.sendNotification)
  sendNotification(
    @Req() req: FastifyRequest,
    @Res({ passthrough: true }) res: FastifyReply,
    @CurrentActor() actor: Actor,
    @Param('familyId', uuid) familyId: string,
    @Body() body: SendNotificationDto,
  ) {
    return this.run(req, res, actor, familyId, { type: 'SendNotification', data: body });
  }

  @Post(':familyId/notifications/:notificationId/received')
  @HttpCode(200)
  @ApiOperation({ summary: 'Record the day a notification reached the party: the appeal deadline counts from it (fvl § 29)' })
  @ApiRoute('recordNotificationReceived', DONE, commandProblems('RecordNotificationReceived'))
  @ApiBodyExample(NotificationReceivedDto, REQUEST_EXAMPLES.recordNotificationReceived)
  received(
    @Req() req: FastifyRequest,
    @Res({ passthrough: true }) res: FastifyReply,
    @CurrentActor() actor: Actor,
    @Param('familyId', uuid) familyId: string,
    @Param('notificationId', uuid) notificationId: string,
    @Body() body: NotificationReceivedDto,
  ) {
    return this.run(req, res, actor, familyId, { type: 'RecordNotificationReceived', data: { ...body, notificationId } });
  }

  @Post(':familyId/appeals')
  @ApiOperation({
    summary: 'Register an appeal (klage), however late or unsigned (fvl §§ 28, 32)',
    description: 'Only something that is not an appealable decision is refused (NOT_APPEALABLE). A refused, revoked or dismissal decision can be appealed.',
  })
  @ApiRoute('registerAppeal', CREATED, commandProblems('RegisterAppeal'))
  @ApiBodyExample(RegisterAppealDto, REQUEST_EXAMPLES.registerAppeal)
  register(
    @Req() req: FastifyRequest,
    @Res({ passthrough: true }) res: FastifyReply,
    @CurrentActor() actor: Actor,
    @Param('familyId', uuid) familyId: string,
    @Body() body: RegisterAppealDto,
  ) {
    return this.run(req, res, actor, familyId, { type: 'RegisterAppeal', data: body as Extract<FamilyCommand, { type: 'RegisterAppeal' }>['data'] });
  }

  @Post(':familyId/appeals/:appealId/assessment')
  @HttpCode(200)
  @ApiOperation({ summary: 'Assess the formal requirements: standing, specific, signed, in time or excused (fvl §§ 28-32)' })
  @ApiRoute('assessAppealForm', DONE, commandProblems('AssessAppealForm'))
  @ApiBodyExample(AssessAppealFormDto, REQUEST_EXAMPLES.assessAppealForm)
  assess(
    @Req() req: FastifyRequest,
    @Res({ passthrough: true }) res: FastifyReply,
    @CurrentActor() actor: Actor,
    @Param('familyId', uuid) familyId: string,
    @Param('appealId', uuid) appealId: string,
    @Body() body: AssessAppealFormDto,
  ) {
    return this.run(req, res, actor, familyId, { type: 'AssessAppealForm', data: { ...body, appealId } });
  }

  @Post(':familyId/appeals/:appealId/dismiss')
  @HttpCode(200)
  @ApiOperation({ summary: 'Dismiss an appeal that fails a requirement (fvl § 33); the dismissal is itself appealable (fvl § 2 third paragraph)' })
  @ApiRoute('dismissAppeal', DONE, commandProblems('DismissAppeal'))
  @ApiBodyExample(AppealReasonsDto, REQUEST_EXAMPLES.dismissAppeal)
  dismiss(
    @Req() req: FastifyRequest,
    @Res({ passthrough: true }) res: FastifyReply,
    @CurrentActor() actor: Actor,
    @Param('familyId', uuid) familyId: string,
    @Param('appealId', uuid) appealId: string,
    @Body() body: AppealReasonsDto,
  ) {
    return this.run(req, res, actor, familyId, { type: 'DismissAppeal', data: { ...body, appealId } });
  }

  @Post(':familyId/appeals/:appealId/preparation')
  @HttpCode(200)
  @ApiOperation({ summary: 'Record what the unit investigated (fvl § 33 (1))' })
  @ApiRoute('prepareAppeal', DONE, commandProblems('PrepareAppeal'))
  @ApiBodyExample(PrepareAppealDto, REQUEST_EXAMPLES.prepareAppeal)
  prepare(
    @Req() req: FastifyRequest,
    @Res({ passthrough: true }) res: FastifyReply,
    @CurrentActor() actor: Actor,
    @Param('familyId', uuid) familyId: string,
    @Param('appealId', uuid) appealId: string,
    @Body() body: PrepareAppealDto,
  ) {
    return this.run(req, res, actor, familyId, { type: 'PrepareAppeal', data: { ...body, appealId } });
  }

  @Post(':familyId/appeals/:appealId/change-decision')
  @HttpCode(200)
  @ApiOperation({ summary: 'The unit changes its decision on the appeal (fvl § 33 (2)); partly: the rest is forwarded to the appeal body in the same step' })
  @ApiRoute('changeDecisionOnAppeal', DONE, commandProblems('ChangeDecisionOnAppeal'))
  @ApiBodyExample(ChangeDecisionOnAppealDto, REQUEST_EXAMPLES.changeDecisionOnAppeal)
  change(
    @Req() req: FastifyRequest,
    @Res({ passthrough: true }) res: FastifyReply,
    @CurrentActor() actor: Actor,
    @Param('familyId', uuid) familyId: string,
    @Param('appealId', uuid) appealId: string,
    @Body() body: ChangeDecisionOnAppealDto,
  ) {
    return this.run(req, res, actor, familyId, {
      type: 'ChangeDecisionOnAppeal',
      data: { ...body, appealId } as Extract<FamilyCommand, { type: 'ChangeDecisionOnAppeal' }>['data'],
    });
  }

  @Post(':familyId/appeals/:appealId/forward')
  @HttpCode(200)
  @ApiOperation({ summary: 'Forward the appeal to the appeal body the law names (from the catalogue, never from the request) (fvl § 33)' })
  @ApiRoute('forwardAppeal', DONE, commandProblems('ForwardAppeal'))
  @ApiBodyExample(ForwardAppealDto, REQUEST_EXAMPLES.forwardAppeal)
  forward(
    @Req() req: FastifyRequest,
    @Res({ passthrough: true }) res: FastifyReply,
    @CurrentActor() actor: Actor,
    @Param('familyId', uuid) familyId: string,
    @Param('appealId', uuid) appealId: string,
    @Body() body: ForwardAppealDto,
  ) {
    return this.run(req, res, actor, familyId, { type: 'ForwardAppeal', data: { ...body, appealId } });
  }

  @Post(':familyId/appeals/:appealId/outcome')
  @HttpCode(200)
  @ApiOperation({ summary: "Record the appeal body's outcome (upheld, changed, quashed and returned, dismissed) with its date and reference (fvl § 34)" })
  @ApiRoute('recordAppealOutcome', DONE, commandProblems('RecordAppealOutcome'))
  @ApiBodyExample(RecordAppealOutcomeDto, REQUEST_EXAMPLES.recordAppealOutcome)
  outcome(
    @Req() req: FastifyRequest,
    @Res({ passthrough: true }) res: FastifyReply,
    @CurrentActor() actor: Actor,
    @Param('familyId', uuid) familyId: string,
    @Param('appealId', uuid) appealId: string,
    @Body() body: RecordAppealOutcomeDto,
  ) {
    return this.run(req, res, actor, familyId, {
      type: 'RecordAppealOutcome',
      data: { ...body, appealId } as Extract<FamilyCommand, { type: 'RecordAppealOutcome' }>['data'],
    });
  }

  @Post(':familyId/appeals/:appealId/withdraw')
  @HttpCode(200)
  @ApiOperation({ summary: 'The appellant withdraws a pending appeal' })
  @ApiRoute('withdrawAppeal', DONE, commandProblems('WithdrawAppeal'))
  @ApiBodyExample(WithdrawAppealDto, REQUEST_EXAMPLES.withdrawAppeal)
  withdraw(
    @Req() req: FastifyRequest,
    @Res({ passthrough: true }) res: FastifyReply,
    @CurrentActor() actor: Actor,
    @Param('familyId', uuid) familyId: string,
    @Param('appealId', uuid) appealId: string,
    @Body() body: WithdrawAppealDto,
  ) {
    return this.run(req, res, actor, familyId, { type: 'WithdrawAppeal', data: { ...body, appealId } });
  }

  @Post(':familyId/appeals/:appealId/suspension-request')
  @ApiOperation({ summary: 'Record that the party asked for suspended execution (fvl § 42)' })
  @ApiRoute('requestSuspension', CREATED, commandProblems('RequestSuspension'))
  @ApiBodyExample(RequestSuspensionDto, REQUEST_EXAMPLES.requestSuspension)
  requestSuspension(
    @Req() req: FastifyRequest,
    @Res({ passthrough: true }) res: FastifyReply,
    @CurrentActor() actor: Actor,
    @Param('familyId', uuid) familyId: string,
    @Param('appealId', uuid) appealId: string,
    @Body() body: RequestSuspensionDto,
  ) {
    return this.run(req, res, actor, familyId, { type: 'RequestSuspension', data: { ...body, appealId } });
  }

  @Post(':familyId/appeals/:appealId/suspension')
  @HttpCode(200)
  @ApiOperation({ summary: 'Grant suspended execution, or refuse it with reasons (fvl § 42 (2))' })
  @ApiRoute('decideSuspension', DONE, commandProblems('DecideSuspension'))
  @ApiBodyExample(DecideSuspensionDto, REQUEST_EXAMPLES.decideSuspension)
  decideSuspension(
    @Req() req: FastifyRequest,
    @Res({ passthrough: true }) res: FastifyReply,
    @CurrentActor() actor: Actor,
    @Param('familyId', uuid) familyId: string,
    @Param('appealId', uuid) appealId: string,
    @Body() body: DecideSuspensionDto,
  ) {
    return this.run(req, res, actor, familyId, { type: 'DecideSuspension', data: { ...body, appealId } });
  }
}
