import { Body, Controller, Param, Post, Req, Res } from '@nestjs/common';
import { ApiOperation } from '@nestjs/swagger';
import type { Actor } from '@familievedtak/domain';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { FamilyCommandRoutes, uuidParam } from '../families/family-command-route';
import { CurrentActor } from '../shared/actor.decorator';
import { ApiRoute, commandProblems } from '../shared/openapi/api-route.decorator';
import { ApiBodyExample, REQUEST_EXAMPLES } from '../shared/openapi/examples';
import { requestHeaders } from '../shared/request-info';
import { ErasureRequests } from './erasure-requests.service';
import { ErasureRequestDto, ErasureRequestOutcomeDto } from './retention.dto';

/** A member's erasure request (GDPR art. 17), recorded by a unit leader of a unit that has or had a part in the case. */
@FamilyCommandRoutes()
@Controller('families')
export class ErasureRequestsController {
  constructor(private readonly requests: ErasureRequests) {}

  @Post(':familyId/erasure-requests')
  @ApiOperation({
    summary:
      "Record a member's erasure request (GDPR art. 17; unit-leader of a unit with a part): every record of the member in the asked categories is erased (its key shredded, then PersonalDataErased) or refused with the reason and the provision",
    description:
      "Refusals: kept-for-archives, retention-duty, case-open, consent-in-force, decision-not-final, identity-still-needed (docs/operations/retention-schedule.md). The schedule in force is the adopted one, never the caller's.",
  })
  @ApiRoute(
    'requestErasure',
    { status: 201, type: ErasureRequestOutcomeDto, description: 'The request with its outcome per record' },
    { ...commandProblems('RequestErasure'), codes: [...commandProblems('RequestErasure').codes!, 'RETENTION_SCHEDULE_NOT_ADOPTED'] },
  )
  @ApiBodyExample(ErasureRequestDto, REQUEST_EXAMPLES.requestErasure)
  async request(
    @Req() req: FastifyRequest,
    @Res({ passthrough: true }) res: FastifyReply,
    @CurrentActor() actor: Actor,
    @Param('familyId', uuidParam) familyId: string,
    @Body() body: ErasureRequestDto,
  ) {
    const requestedBy =
      body.requestedBy.representative !== undefined ? { representative: body.requestedBy.representative } : { memberId: body.requestedBy.memberId! };
    const outcome = await this.requests.request(
      familyId,
      { requestId: body.requestId, memberId: body.memberId, categories: body.categories, receivedOn: body.receivedOn, requestedBy, channel: body.channel },
      { actor, ...requestHeaders(req) },
    );
    void res.header('etag', `"${outcome.revision}"`);
    return outcome;
  }
}
