import { BadRequestException, Body, Controller, ForbiddenException, Header, HttpCode, Inject, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiBody, ApiHeader, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Actor } from '@familievedtak/domain';
import { EVENT_STORE, EventStore } from '@familievedtak/event-store';
import { InvalidWhatIfRequest, parseWhatIfRequest, renderWhatIfHtml, runWhatIf, type WhatIfReport } from '@familievedtak/what-if';
import { CurrentActor } from '../shared/actor.decorator';

const REQUEST_EXAMPLE = {
  candidate: { id: 'family-decision', version: 1, name: 'Family decision', effectiveFrom: '2026-01-01', rules: [] },
  baseline: 'trondheim-2023',
  selection: { district: 'Heimdal', from: '2024-01-01', until: '2024-12-31' },
  asOf: '2024-12-31',
};

/**
 * What-if runs of a candidate delegation rule set against a baseline over the recorded
 * family histories, for the rules team. Reads the event store only; the same store and
 * body give the same report and hash.
 */
@ApiTags('what-if')
@ApiBearerAuth()
@ApiHeader({ name: 'X-Act-As-Role', required: false, description: 'With several roles in the token: the one to act as' })
@ApiHeader({ name: 'X-Act-As-Unit', required: false, description: 'With several units in the token: the one to act for' })
@Controller('what-if/runs')
export class WhatIfController {
  constructor(@Inject(EVENT_STORE) private readonly store: EventStore) {}

  @Post()
  @HttpCode(200)
  @ApiOperation({ summary: 'Run a candidate rule set against a baseline over the selected families; the JSON report' })
  @ApiBody({ schema: { type: 'object', example: REQUEST_EXAMPLE } })
  run(@CurrentActor() actor: Actor, @Body() body: unknown): Promise<WhatIfReport> {
    return this.report(actor, body);
  }

  @Post('html')
  @HttpCode(200)
  @Header('content-type', 'text/html; charset=utf-8')
  @ApiOperation({ summary: 'The same run as a self-contained HTML page with charts (for a council paper)' })
  @ApiBody({ schema: { type: 'object', example: REQUEST_EXAMPLE } })
  async html(@CurrentActor() actor: Actor, @Body() body: unknown): Promise<string> {
    return renderWhatIfHtml(await this.report(actor, body));
  }

  private async report(actor: Actor, body: unknown): Promise<WhatIfReport> {
    if (actor.role !== 'rules-analyst') throw new ForbiddenException('What-if runs are for the rules-analyst role');
    let input;
    try {
      input = parseWhatIfRequest(body);
    } catch (error) {
      if (error instanceof InvalidWhatIfRequest) throw new BadRequestException(error.message);
      throw error;
    }
    return runWhatIf(this.store, input);
  }
}
