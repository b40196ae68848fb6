import { BadRequestException, Body, Controller, Get, NotFoundException, Param, Post, Req } from '@nestjs/common';
import { ApiBearerAuth, ApiHeader, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ApiRoute, commandProblems } from '../shared/openapi/api-route.decorator';
import { ApiBodyExample, REQUEST_EXAMPLES } from '../shared/openapi/examples';
import { PaymentRunDto } from '../shared/openapi/responses.dto';
import { MAX_PAYMENT_RUN_SIZE, type Actor } from '@familievedtak/domain';
import type { FastifyRequest } from 'fastify';
import { CurrentActor } from '../shared/actor.decorator';
import { requestHeaders } from '../shared/request-info';
import { RecordPaymentRunDto } from './payment-runs.dto';
import { PaymentRuns } from './payment-runs.service';

/**
 * Payment runs from a sub-project budget: the pilot's monthly 1,600 NOK per child as one
 * command, all or nothing. Who may: whoever may record a single payment from the budget
 * (its responsible unit's staff, or a partner given leave to pay); each family's decider
 * checks its own payments.
 */
@ApiTags('sub-projects')
@ApiBearerAuth()
@ApiHeader({ name: 'X-Act-As-Role', required: false, description: 'With several roles in the token: the one to act as' })
@ApiHeader({ name: 'X-Act-As-Unit', required: false, description: 'With several units in the token: the one to act for' })
@Controller('sub-projects/:subProjectId/payment-runs')
export class PaymentRunsController {
  constructor(private readonly runs: PaymentRuns) {}

  @Post()
  @ApiOperation({
    operationId: 'recordPaymentRun',
    summary:
      'Pay a list from the budget at once, all or nothing: refused as a whole (422) if any family refuses its payment (per-family reasons in errors) or the total does not fit; the same runId again answers the first result, another body with it is 422',
  })
  @ApiRoute(
    'recordPaymentRun',
    { status: 201, type: PaymentRunDto, description: 'The run was recorded (or, replayed, its first result)' },
    commandProblems('RecordPaymentRun', 'RecordPayment'),
  )
  @ApiBodyExample(RecordPaymentRunDto, REQUEST_EXAMPLES.recordPaymentRun)
  async record(@Req() req: FastifyRequest, @CurrentActor() actor: Actor, @Param('subProjectId') subProjectId: string, @Body() body: RecordPaymentRunDto) {
    // One payment per member named, in the order given (a refusal's paymentIndex counts in this order).
    const payments = body.families.flatMap((f, i) => {
      const amountOre = f.amountOre ?? body.amountOre;
      const documentationRef = f.documentationRef ?? body.documentationRef;
      if (amountOre === undefined) throw new BadRequestException(`families[${i}].amountOre: give it, or the run's amountOre`);
      if (documentationRef === undefined) throw new BadRequestException(`families[${i}].documentationRef: give it, or the run's documentationRef`);
      return f.recipientMemberIds.map((recipientMemberId) => ({ familyId: f.familyId, recipientMemberId, amountOre, documentationRef }));
    });
    if (payments.length > MAX_PAYMENT_RUN_SIZE)
      throw new BadRequestException(`A payment run pays at most ${MAX_PAYMENT_RUN_SIZE} payments; this one has ${payments.length}`);
    if (new Set(body.families.map((f) => f.familyId)).size !== body.families.length)
      throw new BadRequestException('Each family appears once in a run (name all its members paid in one entry)');
    const { expectedRevision: _ignored, ...headers } = requestHeaders(req);
    return this.runs.record(
      subProjectId,
      { runId: body.runId, description: body.description, paidOn: body.paidOn, method: body.method, payments },
      { actor, ...headers },
    );
  }

  @Get(':runId')
  @ApiOperation({
    operationId: 'getPaymentRun',
    summary: 'A payment run as recorded: count, total, what the budget had left after it, and where each family’s payments stand',
  })
  @ApiRoute('getPaymentRun', { status: 200, type: PaymentRunDto, description: 'The run as recorded' }, { statuses: [404] })
  async get(@Param('subProjectId') subProjectId: string, @Param('runId') runId: string) {
    const run = await this.runs.get(subProjectId, runId);
    if (!run) throw new NotFoundException(`No payment run ${runId} on sub-project ${subProjectId}`);
    return run;
  }
}
