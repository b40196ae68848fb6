import {
  BadRequestException,
  Body,
  Controller,
  ForbiddenException,
  Header,
  HttpCode,
  Inject,
  Post,
  Query,
  Req,
  Res,
  UnprocessableEntityException,
} from '@nestjs/common';
import { ApiBearerAuth, ApiBody, ApiHeader, ApiOperation, ApiQuery, ApiTags } from '@nestjs/swagger';
import { ApiRoute } from '../shared/openapi/api-route.decorator';
import { WhatIfReportDto } from '../shared/openapi/responses.dto';
import type { Actor } from '@familievedtak/domain';
import { EVENT_STORE, EventStore } from '@familievedtak/event-store';
import {
  InvalidWhatIfRequest,
  isWhatIfLanguage,
  readWhatIfRequest,
  renderWhatIfHtml,
  resolveWhatIfRequest,
  WHAT_IF_LANGUAGES,
  WhatIfSelectionWithheld,
  type WhatIfInput,
  type WhatIfReport,
} from '@familievedtak/what-if';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { DescribeAccess } from '../read-audit/access-subjects';
import { ReadAuditService } from '../read-audit/read-audit.service';
import { ReadsFamilyData } from '../read-audit/reads-family-data.decorator';
import { CurrentActor } from '../shared/actor.decorator';
import { WHAT_IF_RETRY_AFTER_SECONDS, WhatIfBusy, WhatIfRunner } from './what-if-runner.service';

const REQUEST_EXAMPLE = {
  candidate: { ruleSetId: 'family-decision', version: 2 },
  baseline: 'trondheim-2023',
  selection: { district: 'Heimdal', from: '2024-01-01', until: '2024-12-31' },
  asOf: '2024-12-31',
};

/** The read-audit categories of a what-if run: aggregates only, never a family's records. */
export const WHAT_IF_AUDIT_CATEGORIES = ['what-if-aggregate'];

/** Where the handler notes that the run's own record is committed. */
type WithRunRecorded = FastifyRequest & { whatIfRunRecorded?: boolean };

/**
 * The interceptor's part: a refused or failed call is recorded as a deny as on every audited
 * route; a run that succeeded has already recorded itself (with its rule sets and family
 * count, see ReadAuditService.recordWhatIfRun), so nothing more goes on record. A handler that
 * forgot to record fails (500) rather than sending an unrecorded report.
 */
const describeWhatIfRun: DescribeAccess = (_body, request) => {
  if (!(request as WithRunRecorded).whatIfRunRecorded) throw new Error(`${request.method} ${request.url} sent a what-if report without recording the run`);
  return [];
};

/**
 * What-if runs of a candidate delegation rule set against a baseline over the recorded
 * family histories, for the rules team (route policy: rules-analyst only). Reads the event
 * store only. The report is aggregate for every reader (GDPR art. 5(1)(c), see WhatIfReport):
 * no need words, names, family or member ids; families only by a pseudonym keyed per run;
 * districts only with at least 5 families and no protected address. Every run is recorded in
 * the read audit. The same store and body give the same figures and hash.
 */
@ApiTags('what-if')
@ApiBearerAuth()
@ApiHeader({ name: 'X-Act-As-Role', required: false, description: 'With several roles in the token: the one to act as' })
@ApiHeader({ name: 'X-Act-As-Unit', required: false, description: 'With several units in the token: the one to act for' })
@Controller('what-if/runs')
export class WhatIfController {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    private readonly audit: ReadAuditService,
    private readonly runner: WhatIfRunner,
  ) {}

  @Post()
  @HttpCode(200)
  @ReadsFamilyData(describeWhatIfRun)
  @ApiOperation({
    operationId: 'runWhatIf',
    summary:
      'Run a candidate rule set against a baseline over the selected families; the aggregate JSON report. candidate/baseline: { ruleSetId, version? }, { document: "<YAML or JSON>" }, a rule set as JSON, or a rule-set id; an application/yaml body is the candidate document alone. Busy: 429 with Retry-After; over the time budget: 503',
  })
  @ApiBody({ schema: { type: 'object', example: REQUEST_EXAMPLE } })
  @ApiRoute('runWhatIf', { status: 200, type: WhatIfReportDto, description: 'The aggregate report' }, { statuses: [422], body: true })
  async run(
    @CurrentActor() actor: Actor,
    @Req() request: FastifyRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
    @Body() body: unknown,
  ): Promise<WhatIfReport> {
    const { report } = await this.report(actor, body, reply);
    await this.recordRun(actor, request, report);
    return report;
  }

  @Post('html')
  @HttpCode(200)
  @Header('content-type', 'text/html; charset=utf-8')
  @ReadsFamilyData(describeWhatIfRun)
  @ApiOperation({
    operationId: 'runWhatIfHtml',
    summary: 'The same run as a self-contained HTML page with charts (for a council paper): bokmål, or English with lang=en',
  })
  @ApiBody({ schema: { type: 'object', example: REQUEST_EXAMPLE } })
  @ApiQuery({ name: 'lang', required: false, enum: WHAT_IF_LANGUAGES, description: 'The language of the page (default nb, bokmål)' })
  @ApiRoute('runWhatIfHtml', { status: 200, html: true, description: 'The report as a page with charts' }, { statuses: [422], body: true })
  async html(
    @CurrentActor() actor: Actor,
    @Req() request: FastifyRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
    @Body() body: unknown,
    @Query('lang') lang?: string,
  ): Promise<string> {
    // Checked before the run, so a bad language costs no run.
    if (lang !== undefined && !isWhatIfLanguage(lang)) throw new BadRequestException(`lang must be one of ${WHAT_IF_LANGUAGES.join(', ')}`);
    const { report, input } = await this.report(actor, body, reply);
    // The rule sets name the rules the page lists (the report itself holds only their ids).
    const page = renderWhatIfHtml(report, { lang, ruleSets: { baseline: input.baseline, candidate: input.candidate } });
    await this.recordRun(actor, request, report);
    return page;
  }

  private async report(actor: Actor, body: unknown, reply: FastifyReply): Promise<{ report: WhatIfReport; input: WhatIfInput }> {
    if (actor.role !== 'rules-analyst') throw new ForbiddenException('What-if runs are for the rules-analyst role');
    let input: WhatIfInput;
    try {
      // A YAML (or text) body is the candidate document, against the default baseline.
      input = await resolveWhatIfRequest(this.store, readWhatIfRequest(typeof body === 'string' ? { candidate: { document: body } } : body));
    } catch (error) {
      if (error instanceof InvalidWhatIfRequest) throw new BadRequestException(error.message);
      throw error;
    }
    try {
      return { report: await this.runner.run(input), input };
    } catch (error) {
      if (error instanceof WhatIfSelectionWithheld) throw new UnprocessableEntityException(error.message);
      if (error instanceof WhatIfBusy) void reply.header('retry-after', String(WHAT_IF_RETRY_AFTER_SECONDS));
      throw error;
    }
  }

  /** The run on the read audit, committed before the report leaves. */
  private async recordRun(actor: Actor, request: FastifyRequest, report: WhatIfReport): Promise<void> {
    await this.audit.recordWhatIfRun(
      request,
      { userId: actor.userId, unit: actor.unit ?? null, role: actor.role },
      {
        categories: WHAT_IF_AUDIT_CATEGORIES,
        ruleSets: whatIfRuleSets(report),
        familyCount: report.scope.familiesSelected,
        selection: { ...report.inputs.selection, ...(report.inputs.asOf ? { asOf: report.inputs.asOf } : {}) },
      },
    );
    (request as WithRunRecorded).whatIfRunRecorded = true;
  }
}

/** The rule sets a run compared, as the read audit names them: baseline first, `<id>@v<version>`. */
export function whatIfRuleSets(report: Pick<WhatIfReport, 'inputs'>): string[] {
  return [`${report.inputs.baseline.id}@v${report.inputs.baseline.version}`, `${report.inputs.candidate.id}@v${report.inputs.candidate.version}`];
}
