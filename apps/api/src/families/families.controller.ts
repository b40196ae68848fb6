import { Body, Controller, ForbiddenException, Get, HttpCode, Inject, NotFoundException, Param, Post, Put, Req, Res } from '@nestjs/common';
import { ApiOperation } from '@nestjs/swagger';
import { ApiRoute, commandProblems } from '../shared/openapi/api-route.decorator';
import { ApiBodyExample, ApiBodyExamples, REQUEST_EXAMPLES } from '../shared/openapi/examples';
import { CommandOutcomeDto, StreamStateDto } from '../shared/openapi/responses.dto';
import { Actor, FamilyCommand, familyReadAccess, GiveConsent, localDateOf, markErasedFields, maskFamilyState, readerOf } from '@familievedtak/domain';
import { Clock } from '@familievedtak/event-store';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { CurrentActor } from '../shared/actor.decorator';
import { GiveConsentDto, WithdrawConsentDto } from './dto/consents.dto';
import { AmendDecisionDto, ProposeDecisionDto, ReasonDto } from './dto/decisions.dto';
import { ApproveDecisionDto, PartyStatementDto, RevokeDecisionDto, SendAdvanceNoticeDto } from './dto/decisions.dto';
import { EndParentalResponsibilityDto, JoinMemberDto, LeaveMemberDto, ParentalResponsibilityDto, RegisterFamilyDto } from './dto/household.dto';
import { CloseInvolvementDto, DeclineReferralDto, EndEnrolmentDto, EnrolInSubProjectDto, ReferToUnitDto } from './dto/parts.dto';
import { ExpressNeedDto, ResolveNeedDto, WithdrawDto } from './dto/needs.dto';
import { IssueFamilyDecisionDto, RecordPaymentDto } from './dto/payments.dto';
import { JoinContactPersonDto, NameCoordinatingUnitDto } from './dto/team.dto';
import { CommandOutcome } from '../shared/command-envelope';
import { FamilyCommandsService } from './family-commands.service';
import { FamilyCommandRoutes, runFamilyCommand, uuidParam as uuid } from './family-command-route';
import { describeGrantedAccess, recordGrantedAccess } from '../read-audit/access-subjects';
import { CLOCK } from '../shared/clock.provider';
import { ReadsFamilyData } from '../read-audit/reads-family-data.decorator';

/**
 * Every command on a family: POST /families/:familyId/<what>. All share the same headers:
 * If-Match (the revision the client saw; 409 when it moved), Idempotency-Key (a retry gets
 * the first answer and appends nothing) and X-Correlation-Id / X-Causation-Id.
 */
@FamilyCommandRoutes()
@Controller('families')
export class FamiliesController {
  constructor(
    private readonly commands: FamilyCommandsService,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  private run(request: FastifyRequest, reply: FastifyReply, actor: Actor, familyId: string, command: FamilyCommand): Promise<CommandOutcome> {
    return runFamilyCommand(this.commands, request, reply, actor, familyId, command);
  }

  @Post()
  @ApiOperation({
    summary: 'Register a family with its members (identity never needs a national id)',
    description:
      'The registering unit gets the first part in the case; other units take part only by accepting a referral. Parental responsibility may be recorded with the registration.',
  })
  @ApiRoute('registerFamily', { status: 201, type: CommandOutcomeDto, description: 'Created: the events appended' }, commandProblems('RegisterFamily'))
  @ApiBodyExample(RegisterFamilyDto, REQUEST_EXAMPLES.registerFamily)
  register(@Req() req: FastifyRequest, @Res({ passthrough: true }) res: FastifyReply, @CurrentActor() actor: Actor, @Body() body: RegisterFamilyDto) {
    return this.run(req, res, actor, body.familyId, { type: 'RegisterFamily', data: body });
  }

  @Get(':familyId/stream-state')
  @ReadsFamilyData(describeGrantedAccess)
  @ApiOperation({
    summary: 'The family folded straight from its stream (revision and state, only what the caller may see), for clients that must not wait for the view',
  })
  @ApiRoute(
    'getFamilyStreamState',
    { status: 200, type: StreamStateDto, description: 'The family folded from its stream, as this caller may see it (ETag: the revision)' },
    { statuses: [404] },
  )
  async state(
    @Req() req: FastifyRequest,
    @Res({ passthrough: true }) res: FastifyReply,
    @CurrentActor() actor: Actor,
    @Param('familyId', uuid) familyId: string,
  ) {
    const { state, revision } = await this.commands.load(familyId);
    if (revision < 0) throw new NotFoundException(`No family ${familyId}`);
    // The same access decision as the view: only the records this reader may see, masked; erased fields as markers.
    const access = familyReadAccess(markErasedFields(state), readerOf(actor), localDateOf(this.clock.now()));
    if (!access.permit) throw new ForbiddenException(access.reason);
    const { grant } = access;
    const masked = maskFamilyState(grant.state, actor);
    recordGrantedAccess(req, [{ familyId, memberIds: grant.memberIds, categories: grant.categories, consentIds: grant.consentIds }]);
    void res.header('etag', `"${revision}"`);
    return {
      familyId,
      revision,
      state: masked.state,
      access: { withheld: grant.withheld, maskedMemberIds: masked.maskedMemberIds, consentIds: grant.consentIds },
    };
  }

  @Post(':familyId/referrals')
  @ApiOperation({
    summary: 'Refer members to another unit (a unit with a part): the target unit gets a part only when it accepts',
    description:
      "Ground 'consent' (default): every referred member has an information-sharing consent in force naming the target unit (forvaltningsloven § 13 a no. 1). Ground 'duty-to-inform-child-welfare': children only, to BFT only (barnevernsloven § 13-2).",
  })
  @ApiRoute('referToUnit', { status: 201, type: CommandOutcomeDto, description: 'Created: the events appended' }, commandProblems('ReferToUnit'))
  @ApiBodyExample(ReferToUnitDto, REQUEST_EXAMPLES.referToUnit)
  refer(
    @Req() req: FastifyRequest,
    @Res({ passthrough: true }) res: FastifyReply,
    @CurrentActor() actor: Actor,
    @Param('familyId', uuid) familyId: string,
    @Body() body: ReferToUnitDto,
  ) {
    return this.run(req, res, actor, familyId, { type: 'ReferToUnit', data: body });
  }

  @Post(':familyId/referrals/:referralId/accept')
  @HttpCode(200)
  @ApiOperation({ summary: 'The unit referred to accepts: it gets a part in the case (to any other unit the referral does not exist: 404)' })
  @ApiRoute(
    'acceptReferral',
    { status: 200, type: CommandOutcomeDto, description: 'Done: the events appended (none when nothing changed)' },
    commandProblems('AcceptReferral'),
  )
  acceptReferral(
    @Req() req: FastifyRequest,
    @Res({ passthrough: true }) res: FastifyReply,
    @CurrentActor() actor: Actor,
    @Param('familyId', uuid) familyId: string,
    @Param('referralId', uuid) referralId: string,
  ) {
    return this.run(req, res, actor, familyId, { type: 'AcceptReferral', data: { referralId } });
  }

  @Post(':familyId/referrals/:referralId/decline')
  @HttpCode(200)
  @ApiOperation({ summary: 'The unit referred to declines, with a reason (to any other unit the referral does not exist: 404)' })
  @ApiRoute(
    'declineReferral',
    { status: 200, type: CommandOutcomeDto, description: 'Done: the events appended (none when nothing changed)' },
    commandProblems('DeclineReferral'),
  )
  @ApiBodyExample(DeclineReferralDto, REQUEST_EXAMPLES.reasonRequired)
  declineReferral(
    @Req() req: FastifyRequest,
    @Res({ passthrough: true }) res: FastifyReply,
    @CurrentActor() actor: Actor,
    @Param('familyId', uuid) familyId: string,
    @Param('referralId', uuid) referralId: string,
    @Body() body: DeclineReferralDto,
  ) {
    return this.run(req, res, actor, familyId, { type: 'DeclineReferral', data: { referralId, reason: body.reason } });
  }

  @Post(':familyId/involvement/close')
  @HttpCode(200)
  @ApiOperation({
    summary: "Close the caller's unit's involvement: its part ends and its contact persons leave the team",
    description:
      'Refused (409) while the unit coordinates, holds proposed or active decisions, is responsible for the family decision in force, or is the only unit with a part.',
  })
  @ApiRoute(
    'closeInvolvement',
    { status: 200, type: CommandOutcomeDto, description: 'Done: the events appended (none when nothing changed)' },
    commandProblems('CloseInvolvement'),
  )
  @ApiBodyExample(CloseInvolvementDto, REQUEST_EXAMPLES.reasonRequired)
  closeInvolvement(
    @Req() req: FastifyRequest,
    @Res({ passthrough: true }) res: FastifyReply,
    @CurrentActor() actor: Actor,
    @Param('familyId', uuid) familyId: string,
    @Body() body: CloseInvolvementDto,
  ) {
    return this.run(req, res, actor, familyId, { type: 'CloseInvolvement', data: { reason: body.reason } });
  }

  @Post(':familyId/enrolments')
  @ApiOperation({
    summary: "Enrol members in a sub-project (its responsible unit): the sub-project's partners may then act for them",
    description:
      "The sub-project's name, partners (by organisation number) and their leave to pay are read from the sub-project's own stream, never from the request.",
  })
  @ApiRoute('enrolInSubProject', { status: 201, type: CommandOutcomeDto, description: 'Created: the events appended' }, commandProblems('EnrolInSubProject'))
  @ApiBodyExample(EnrolInSubProjectDto, REQUEST_EXAMPLES.enrolInSubProject)
  enrol(
    @Req() req: FastifyRequest,
    @Res({ passthrough: true }) res: FastifyReply,
    @CurrentActor() actor: Actor,
    @Param('familyId', uuid) familyId: string,
    @Body() body: EnrolInSubProjectDto,
  ) {
    return this.run(req, res, actor, familyId, { type: 'EnrolInSubProject', data: { ...body } });
  }

  @Post(':familyId/enrolments/:enrolmentId/end')
  @HttpCode(200)
  @ApiOperation({ summary: 'End an enrolment (its responsible unit): the partners no longer act for the members' })
  @ApiRoute(
    'endEnrolment',
    { status: 200, type: CommandOutcomeDto, description: 'Done: the events appended (none when nothing changed)' },
    commandProblems('EndEnrolment'),
  )
  @ApiBodyExample(EndEnrolmentDto, REQUEST_EXAMPLES.reasonRequired)
  endEnrolment(
    @Req() req: FastifyRequest,
    @Res({ passthrough: true }) res: FastifyReply,
    @CurrentActor() actor: Actor,
    @Param('familyId', uuid) familyId: string,
    @Param('enrolmentId', uuid) enrolmentId: string,
    @Body() body: EndEnrolmentDto,
  ) {
    return this.run(req, res, actor, familyId, { type: 'EndEnrolment', data: { enrolmentId, reason: body.reason } });
  }

  @Post(':familyId/parental-responsibility')
  @ApiOperation({ summary: 'Record that an adult member holds parental responsibility for a child (barneloven ch. 5), with its basis' })
  @ApiRoute(
    'recordParentalResponsibility',
    { status: 201, type: CommandOutcomeDto, description: 'Created: the events appended' },
    commandProblems('RecordParentalResponsibility'),
  )
  @ApiBodyExample(ParentalResponsibilityDto, REQUEST_EXAMPLES.recordParentalResponsibility)
  recordParentalResponsibility(
    @Req() req: FastifyRequest,
    @Res({ passthrough: true }) res: FastifyReply,
    @CurrentActor() actor: Actor,
    @Param('familyId', uuid) familyId: string,
    @Body() body: ParentalResponsibilityDto,
  ) {
    return this.run(req, res, actor, familyId, { type: 'RecordParentalResponsibility', data: body });
  }

  @Post(':familyId/parental-responsibility/end')
  @HttpCode(200)
  @ApiOperation({ summary: 'Record that a holder no longer has parental responsibility for a child, with the reason' })
  @ApiRoute(
    'endParentalResponsibility',
    { status: 200, type: CommandOutcomeDto, description: 'Done: the events appended (none when nothing changed)' },
    commandProblems('EndParentalResponsibility'),
  )
  @ApiBodyExample(EndParentalResponsibilityDto, REQUEST_EXAMPLES.endParentalResponsibility)
  endParentalResponsibility(
    @Req() req: FastifyRequest,
    @Res({ passthrough: true }) res: FastifyReply,
    @CurrentActor() actor: Actor,
    @Param('familyId', uuid) familyId: string,
    @Body() body: EndParentalResponsibilityDto,
  ) {
    return this.run(req, res, actor, familyId, { type: 'EndParentalResponsibility', data: body });
  }

  @Post(':familyId/members')
  @ApiOperation({ summary: 'A member joins the household' })
  @ApiRoute('joinMember', { status: 201, type: CommandOutcomeDto, description: 'Created: the events appended' }, commandProblems('JoinMember'))
  @ApiBodyExample(JoinMemberDto, REQUEST_EXAMPLES.joinMember)
  joinMember(
    @Req() req: FastifyRequest,
    @Res({ passthrough: true }) res: FastifyReply,
    @CurrentActor() actor: Actor,
    @Param('familyId', uuid) familyId: string,
    @Body() body: JoinMemberDto,
  ) {
    return this.run(req, res, actor, familyId, { type: 'JoinMember', data: body });
  }

  @Post(':familyId/members/:memberId/leave')
  @HttpCode(200)
  @ApiOperation({ summary: 'A member leaves the household' })
  @ApiRoute(
    'leaveMember',
    { status: 200, type: CommandOutcomeDto, description: 'Done: the events appended (none when nothing changed)' },
    commandProblems('LeaveMember'),
  )
  @ApiBodyExample(LeaveMemberDto, REQUEST_EXAMPLES.leaveMember)
  leaveMember(
    @Req() req: FastifyRequest,
    @Res({ passthrough: true }) res: FastifyReply,
    @CurrentActor() actor: Actor,
    @Param('familyId', uuid) familyId: string,
    @Param('memberId', uuid) memberId: string,
    @Body() body: LeaveMemberDto,
  ) {
    return this.run(req, res, actor, familyId, { type: 'LeaveMember', data: { memberId, ...body } });
  }

  @Post(':familyId/team')
  @ApiOperation({ summary: 'A contact person from a unit or partner joins the team around the family' })
  @ApiRoute('joinContactPerson', { status: 201, type: CommandOutcomeDto, description: 'Created: the events appended' }, commandProblems('JoinContactPerson'))
  @ApiBodyExample(JoinContactPersonDto, REQUEST_EXAMPLES.joinTeam)
  joinTeam(
    @Req() req: FastifyRequest,
    @Res({ passthrough: true }) res: FastifyReply,
    @CurrentActor() actor: Actor,
    @Param('familyId', uuid) familyId: string,
    @Body() body: JoinContactPersonDto,
  ) {
    return this.run(req, res, actor, familyId, { type: 'JoinContactPerson', data: body as never });
  }

  @Post(':familyId/team/:personId/leave')
  @HttpCode(200)
  @ApiOperation({ summary: 'A contact person leaves the team' })
  @ApiRoute(
    'leaveContactPerson',
    { status: 200, type: CommandOutcomeDto, description: 'Done: the events appended (none when nothing changed)' },
    commandProblems('LeaveContactPerson'),
  )
  leaveTeam(
    @Req() req: FastifyRequest,
    @Res({ passthrough: true }) res: FastifyReply,
    @CurrentActor() actor: Actor,
    @Param('familyId', uuid) familyId: string,
    @Param('personId') personId: string,
  ) {
    return this.run(req, res, actor, familyId, { type: 'LeaveContactPerson', data: { personId } });
  }

  @Put(':familyId/coordinating-unit')
  @ApiOperation({ summary: 'Name the unit responsible for coordinating' })
  @ApiRoute(
    'nameCoordinatingUnit',
    { status: 200, type: CommandOutcomeDto, description: 'Done: the events appended (none when nothing changed)' },
    commandProblems('NameCoordinatingUnit'),
  )
  @ApiBodyExample(NameCoordinatingUnitDto, REQUEST_EXAMPLES.nameCoordinatingUnit)
  coordinatingUnit(
    @Req() req: FastifyRequest,
    @Res({ passthrough: true }) res: FastifyReply,
    @CurrentActor() actor: Actor,
    @Param('familyId', uuid) familyId: string,
    @Body() body: NameCoordinatingUnitDto,
  ) {
    return this.run(req, res, actor, familyId, { type: 'NameCoordinatingUnit', data: body });
  }

  @Post(':familyId/needs')
  @ApiOperation({ summary: "Record a need in the person's own words" })
  @ApiRoute('expressNeed', { status: 201, type: CommandOutcomeDto, description: 'Created: the events appended' }, commandProblems('ExpressNeed'))
  @ApiBodyExample(ExpressNeedDto, REQUEST_EXAMPLES.expressNeed)
  expressNeed(
    @Req() req: FastifyRequest,
    @Res({ passthrough: true }) res: FastifyReply,
    @CurrentActor() actor: Actor,
    @Param('familyId', uuid) familyId: string,
    @Body() body: ExpressNeedDto,
  ) {
    return this.run(req, res, actor, familyId, { type: 'ExpressNeed', data: body });
  }

  @Post(':familyId/needs/:needId/pick-up')
  @HttpCode(200)
  @ApiOperation({ summary: "The caller's unit takes the need up" })
  @ApiRoute(
    'pickUpNeed',
    { status: 200, type: CommandOutcomeDto, description: 'Done: the events appended (none when nothing changed)' },
    commandProblems('PickUpNeed'),
  )
  pickUpNeed(
    @Req() req: FastifyRequest,
    @Res({ passthrough: true }) res: FastifyReply,
    @CurrentActor() actor: Actor,
    @Param('familyId', uuid) familyId: string,
    @Param('needId', uuid) needId: string,
  ) {
    return this.run(req, res, actor, familyId, { type: 'PickUpNeed', data: { needId } });
  }

  @Post(':familyId/needs/:needId/resolve')
  @HttpCode(200)
  @ApiOperation({ summary: 'Resolve a need, linked to the decisions and payments that met it' })
  @ApiRoute(
    'resolveNeed',
    { status: 200, type: CommandOutcomeDto, description: 'Done: the events appended (none when nothing changed)' },
    commandProblems('ResolveNeed'),
  )
  @ApiBodyExample(ResolveNeedDto, REQUEST_EXAMPLES.resolveNeed)
  resolveNeed(
    @Req() req: FastifyRequest,
    @Res({ passthrough: true }) res: FastifyReply,
    @CurrentActor() actor: Actor,
    @Param('familyId', uuid) familyId: string,
    @Param('needId', uuid) needId: string,
    @Body() body: ResolveNeedDto,
  ) {
    return this.run(req, res, actor, familyId, { type: 'ResolveNeed', data: { needId, ...body } });
  }

  @Post(':familyId/needs/:needId/withdraw')
  @HttpCode(200)
  @ApiOperation({ summary: 'Withdraw a need' })
  @ApiRoute(
    'withdrawNeed',
    { status: 200, type: CommandOutcomeDto, description: 'Done: the events appended (none when nothing changed)' },
    commandProblems('WithdrawNeed'),
  )
  @ApiBodyExample(WithdrawDto, REQUEST_EXAMPLES.withdrawNeed)
  withdrawNeed(
    @Req() req: FastifyRequest,
    @Res({ passthrough: true }) res: FastifyReply,
    @CurrentActor() actor: Actor,
    @Param('familyId', uuid) familyId: string,
    @Param('needId', uuid) needId: string,
    @Body() body: WithdrawDto,
  ) {
    return this.run(req, res, actor, familyId, { type: 'WithdrawNeed', data: { needId, ...body } });
  }

  @Post(':familyId/consents')
  @ApiOperation({
    summary: 'Record a consent: whose records, to whom, which categories, for what, until when, and how it was given',
    description:
      'Only a unit with a part records one. The giver is worked out from birth dates: an adult for themself only; for a child a holder of recorded parental responsibility; from 16 the young person alone in health matters.',
  })
  @ApiRoute('giveConsent', { status: 201, type: CommandOutcomeDto, description: 'Created: the events appended' }, commandProblems('GiveConsent'))
  @ApiBodyExamples(GiveConsentDto, {
    informationSharing: { summary: 'Amina lets NAV share her needs, decisions and payments with BFT', value: REQUEST_EXAMPLES.giveConsent },
    coordination: { summary: 'Amina consents to a plan with NAV coordinating (the family plan rests on it)', value: REQUEST_EXAMPLES.giveCoordinationConsent },
  })
  giveConsent(
    @Req() req: FastifyRequest,
    @Res({ passthrough: true }) res: FastifyReply,
    @CurrentActor() actor: Actor,
    @Param('familyId', uuid) familyId: string,
    @Body() body: GiveConsentDto,
  ) {
    // The evidence's form and fields are checked by the domain (written: documentRef; oral: note).
    return this.run(req, res, actor, familyId, { type: 'GiveConsent', data: body as GiveConsent['data'] });
  }

  @Post(':familyId/consents/:consentId/withdraw')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Record that a member withdrew a consent, effective from today',
    description: 'The units that read under the consent (from the read audit) are named in the event as alerted; a family decision relying on it is suspended.',
  })
  @ApiRoute(
    'withdrawConsent',
    { status: 200, type: CommandOutcomeDto, description: 'Done: the events appended (none when nothing changed)' },
    commandProblems('WithdrawConsent'),
  )
  @ApiBodyExample(WithdrawConsentDto, REQUEST_EXAMPLES.withdrawConsent)
  withdrawConsent(
    @Req() req: FastifyRequest,
    @Res({ passthrough: true }) res: FastifyReply,
    @CurrentActor() actor: Actor,
    @Param('familyId', uuid) familyId: string,
    @Param('consentId', uuid) consentId: string,
    @Body() body: WithdrawConsentDto,
  ) {
    return this.run(req, res, actor, familyId, { type: 'WithdrawConsent', data: { consentId, ...body } });
  }

  @Post(':familyId/decisions')
  @ApiOperation({ summary: 'Propose a decision (four-eyes: an approver of the same unit approves)' })
  @ApiRoute(
    'proposeDecision',
    { status: 201, type: CommandOutcomeDto, description: 'Created: the events appended' },
    { ...commandProblems('ProposeDecision'), codes: [...commandProblems('ProposeDecision').codes!, 'SUB_PROJECT_NOT_FOUND'] },
  )
  @ApiBodyExample(ProposeDecisionDto, REQUEST_EXAMPLES.proposeDecision)
  propose(
    @Req() req: FastifyRequest,
    @Res({ passthrough: true }) res: FastifyReply,
    @CurrentActor() actor: Actor,
    @Param('familyId', uuid) familyId: string,
    @Body() body: ProposeDecisionDto,
  ) {
    const { subProjectId, ...data } = body;
    const subProject = subProjectId ? { subProjectId, responsibleUnit: data.unit } : null; // unit replaced from the sub-project stream
    return this.run(req, res, actor, familyId, { type: 'ProposeDecision', data: { ...data, subProject } });
  }

  @Post(':familyId/decisions/:decisionId/approve')
  @HttpCode(200)
  @ApiOperation({ summary: 'Approve a proposed decision (approver of the same unit, never the proposer)' })
  @ApiRoute(
    'approveDecision',
    { status: 200, type: CommandOutcomeDto, description: 'Done: the events appended (none when nothing changed)' },
    commandProblems('ApproveDecision'),
  )
  @ApiBodyExample(ApproveDecisionDto, REQUEST_EXAMPLES.approveDecision)
  approve(
    @Req() req: FastifyRequest,
    @Res({ passthrough: true }) res: FastifyReply,
    @CurrentActor() actor: Actor,
    @Param('familyId', uuid) familyId: string,
    @Param('decisionId', uuid) decisionId: string,
    @Body() body: ApproveDecisionDto = {},
  ) {
    return this.run(req, res, actor, familyId, { type: 'ApproveDecision', data: { decisionId, ...body } });
  }

  @Post(':familyId/decisions/:decisionId/reject')
  @HttpCode(200)
  @ApiOperation({ summary: 'Reject a proposed decision, with a reason' })
  @ApiRoute(
    'rejectDecision',
    { status: 200, type: CommandOutcomeDto, description: 'Done: the events appended (none when nothing changed)' },
    commandProblems('RejectDecision'),
  )
  @ApiBodyExample(ReasonDto, REQUEST_EXAMPLES.reason)
  reject(
    @Req() req: FastifyRequest,
    @Res({ passthrough: true }) res: FastifyReply,
    @CurrentActor() actor: Actor,
    @Param('familyId', uuid) familyId: string,
    @Param('decisionId', uuid) decisionId: string,
    @Body() body: ReasonDto,
  ) {
    return this.run(req, res, actor, familyId, { type: 'RejectDecision', data: { decisionId, reason: body.reason } });
  }

  @Post(':familyId/decisions/:decisionId/amend')
  @HttpCode(200)
  @ApiOperation({ summary: 'Amend an active decision' })
  @ApiRoute(
    'amendDecision',
    { status: 200, type: CommandOutcomeDto, description: 'Done: the events appended (none when nothing changed)' },
    commandProblems('AmendDecision'),
  )
  @ApiBodyExample(AmendDecisionDto, REQUEST_EXAMPLES.amendDecision)
  amend(
    @Req() req: FastifyRequest,
    @Res({ passthrough: true }) res: FastifyReply,
    @CurrentActor() actor: Actor,
    @Param('familyId', uuid) familyId: string,
    @Param('decisionId', uuid) decisionId: string,
    @Body() body: AmendDecisionDto,
  ) {
    return this.run(req, res, actor, familyId, { type: 'AmendDecision', data: { decisionId, ...body } });
  }

  @Post(':familyId/decisions/:decisionId/revoke')
  @HttpCode(200)
  @ApiOperation({ summary: 'Revoke a decision from a day (valid time), with a reason, a forvaltningsloven § 35 ground and § 16 advance notice or its waiver' })
  @ApiRoute(
    'revokeDecision',
    { status: 200, type: CommandOutcomeDto, description: 'Done: the events appended (none when nothing changed)' },
    commandProblems('RevokeDecision'),
  )
  @ApiBodyExample(RevokeDecisionDto, REQUEST_EXAMPLES.revokeDecision)
  revoke(
    @Req() req: FastifyRequest,
    @Res({ passthrough: true }) res: FastifyReply,
    @CurrentActor() actor: Actor,
    @Param('familyId', uuid) familyId: string,
    @Param('decisionId', uuid) decisionId: string,
    @Body() body: RevokeDecisionDto,
  ) {
    return this.run(req, res, actor, familyId, { type: 'RevokeDecision', data: { decisionId, ...body } });
  }

  @Post(':familyId/decisions/:decisionId/advance-notices')
  @ApiOperation({ summary: 'Record advance notice to the parties before revoking or changing a decision to their detriment (forvaltningsloven § 16)' })
  @ApiRoute('sendAdvanceNotice', { status: 201, type: CommandOutcomeDto, description: 'Created: the events appended' }, commandProblems('SendAdvanceNotice'))
  @ApiBodyExample(SendAdvanceNoticeDto, REQUEST_EXAMPLES.sendAdvanceNotice)
  sendAdvanceNotice(
    @Req() req: FastifyRequest,
    @Res({ passthrough: true }) res: FastifyReply,
    @CurrentActor() actor: Actor,
    @Param('familyId', uuid) familyId: string,
    @Param('decisionId', uuid) decisionId: string,
    @Body() body: SendAdvanceNoticeDto,
  ) {
    return this.run(req, res, actor, familyId, { type: 'SendAdvanceNotice', data: { decisionId, ...body } });
  }

  @Post(':familyId/advance-notices/:noticeId/statements')
  @ApiOperation({ summary: "Record a party's statement answering an advance notice (forvaltningsloven § 16)" })
  @ApiRoute(
    'recordPartyStatement',
    { status: 201, type: CommandOutcomeDto, description: 'Created: the events appended' },
    commandProblems('RecordPartyStatement'),
  )
  @ApiBodyExample(PartyStatementDto, REQUEST_EXAMPLES.partyStatement)
  recordPartyStatement(
    @Req() req: FastifyRequest,
    @Res({ passthrough: true }) res: FastifyReply,
    @CurrentActor() actor: Actor,
    @Param('familyId', uuid) familyId: string,
    @Param('noticeId', uuid) noticeId: string,
    @Body() body: PartyStatementDto,
  ) {
    return this.run(req, res, actor, familyId, { type: 'RecordPartyStatement', data: { noticeId, ...body } });
  }

  @Post(':familyId/decisions/:decisionId/expire')
  @HttpCode(200)
  @ApiOperation({ summary: 'Mark a decision expired once its period has ended' })
  @ApiRoute(
    'expireDecision',
    { status: 200, type: CommandOutcomeDto, description: 'Done: the events appended (none when nothing changed)' },
    commandProblems('ExpireDecision'),
  )
  expire(
    @Req() req: FastifyRequest,
    @Res({ passthrough: true }) res: FastifyReply,
    @CurrentActor() actor: Actor,
    @Param('familyId', uuid) familyId: string,
    @Param('decisionId', uuid) decisionId: string,
  ) {
    return this.run(req, res, actor, familyId, { type: 'ExpireDecision', data: { decisionId } });
  }

  // Notification and appeals (fvl §§ 27-34, 42): appeals.controller.ts.

  @Post(':familyId/payments')
  @ApiOperation({ summary: 'Record a payment (integer øre; sub-project money never counts as income)' })
  @ApiRoute(
    'recordPayment',
    { status: 201, type: CommandOutcomeDto, description: 'Created: the events appended' },
    commandProblems('RecordPayment', 'RecordSpend'),
  )
  @ApiBodyExample(RecordPaymentDto, REQUEST_EXAMPLES.recordPayment)
  pay(
    @Req() req: FastifyRequest,
    @Res({ passthrough: true }) res: FastifyReply,
    @CurrentActor() actor: Actor,
    @Param('familyId', uuid) familyId: string,
    @Body() body: RecordPaymentDto,
  ) {
    return this.run(req, res, actor, familyId, { type: 'RecordPayment', data: body as never });
  }

  @Post(':familyId/payments/:paymentId/reverse')
  @HttpCode(200)
  @ApiOperation({ summary: 'Reverse a payment (never deletes)' })
  @ApiRoute(
    'reversePayment',
    { status: 200, type: CommandOutcomeDto, description: 'Done: the events appended (none when nothing changed)' },
    commandProblems('ReversePayment', 'ReverseSpend'),
  )
  @ApiBodyExample(ReasonDto, REQUEST_EXAMPLES.reason)
  reversePayment(
    @Req() req: FastifyRequest,
    @Res({ passthrough: true }) res: FastifyReply,
    @CurrentActor() actor: Actor,
    @Param('familyId', uuid) familyId: string,
    @Param('paymentId', uuid) paymentId: string,
    @Body() body: ReasonDto,
  ) {
    return this.run(req, res, actor, familyId, { type: 'ReversePayment', data: { paymentId, reason: body.reason } });
  }

  @Post(':familyId/family-decisions')
  @ApiOperation({ summary: 'Issue one family decision (familievedtak) bundling the active decisions' })
  @ApiRoute(
    'issueFamilyDecision',
    { status: 201, type: CommandOutcomeDto, description: 'Created: the events appended' },
    commandProblems('IssueFamilyDecision'),
  )
  @ApiBodyExample(IssueFamilyDecisionDto, REQUEST_EXAMPLES.issueFamilyDecision)
  issueFamilyDecision(
    @Req() req: FastifyRequest,
    @Res({ passthrough: true }) res: FastifyReply,
    @CurrentActor() actor: Actor,
    @Param('familyId', uuid) familyId: string,
    @Body() body: IssueFamilyDecisionDto,
  ) {
    return this.run(req, res, actor, familyId, { type: 'IssueFamilyDecision', data: body });
  }
}
