import { randomUUID } from 'node:crypto';
import { Body, Controller, ForbiddenException, Get, HttpCode, Inject, NotFoundException, Param, Post, Query, Req, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiHeader, ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import { PG_POOL } from '@familievedtak/database';
import { hasActivePart, localDateOf, placesWithheld, type Actor, type FamilyState } from '@familievedtak/domain';
import type { Clock } from '@familievedtak/event-store';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Pool } from 'pg';
import { FamilyCommandsService } from '../families/family-commands.service';
import { runFamilyCommand, uuidParam as uuid } from '../families/family-command-route';
import { describeGrantedAccess, recordGrantedAccess } from '../read-audit/access-subjects';
import { ReadsFamilyData } from '../read-audit/reads-family-data.decorator';
import { CurrentActor } from '../shared/actor.decorator';
import { CLOCK } from '../shared/clock.provider';
import { ApiRoute, commandProblems } from '../shared/openapi/api-route.decorator';
import { ApiBodyExample, REQUEST_EXAMPLES } from '../shared/openapi/examples';
import { CommandOutcomeDto } from '../shared/openapi/responses.dto';
import { loadLetterCopy, storeLetterCopies, type LetterFormat } from './letter-copies.store';
import { renderLetter, type RenderedCopy } from './letter-documents';
import { DraftLetterDto, LetterDeliveredDto, LetterIssuedDto, LetterPreviewDto, PreviewQueryDto } from './letters.dto';

const CONTENT_TYPE: Record<LetterFormat, string> = { pdf: 'application/pdf', html: 'text/html; charset=utf-8' };

/** What a copy tells, for the read audit: the recipient and the members its decisions are about. */
function subjectsOf(familyId: string, state: FamilyState, recipientMemberId: string, decisionIds: string[]) {
  const memberIds = new Set([recipientMemberId, ...decisionIds.flatMap((id) => state.decisions[id]?.memberIds ?? [])]);
  return { familyId, memberIds: [...memberIds].sort(), categories: ['decisions', 'letters'], consentIds: [] };
}

/**
 * A letter is the family's own words, names and places in full; it cannot be masked like the
 * view. So where a member has a protected address (kode 6 or 7) a copy's content is shown only
 * to a reader with the protected-address clearance (auditors included), and the refusal names nothing.
 */
function requireClearance(state: FamilyState, actor: Actor): void {
  if (placesWithheld(state, actor)) throw new ForbiddenException('This letter is shown only with the protected-address clearance');
}

/**
 * The family letter (issue 14): preview a draft (nothing recorded but the read), issue it
 * (copies composed per recipient, rendered, hashed, the hashes on the LetterIssued event,
 * then the bytes kept in documents.letter_copies), record delivery (the appeal deadline counts
 * from it), fetch a copy. A copy is shown to a unit with a part that issued the letter or made
 * one of the copy's decisions, and to auditors; to anyone else it does not exist (404).
 */
@ApiTags('families')
@ApiBearerAuth()
@ApiHeader({ name: 'X-Act-As-Role', required: false, description: 'With several roles in the token: the one to act as' })
@ApiHeader({ name: 'X-Act-As-Unit', required: false, description: 'With several units in the token: the one to act for' })
@Controller('families')
export class LettersController {
  constructor(
    private readonly commands: FamilyCommandsService,
    @Inject(PG_POOL) private readonly pool: Pool,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  /** The family for a unit with a part in it; anyone else learns nothing, not even that it exists. */
  private async familyForPart(familyId: string, actor: Actor): Promise<FamilyState> {
    const { state } = await this.commands.load(familyId);
    if (!actor.unit || !hasActivePart(state, actor.unit)) throw new NotFoundException(`No family ${familyId}`);
    return state;
  }

  @Post(':familyId/letters/preview')
  @HttpCode(200)
  @ReadsFamilyData(describeGrantedAccess)
  @ApiProduces('application/json', 'application/pdf')
  @ApiOperation({
    summary: 'Preview a draft letter: every copy as HTML, or one copy as PDF (format=pdf&recipientMemberId=...). Nothing is recorded but the read.',
  })
  @ApiRoute(
    'previewLetter',
    { status: 200, type: LetterPreviewDto, description: "The draft's copies, one per recipient" },
    { ...commandProblems('IssueLetter'), statuses: [404] },
  )
  @ApiBodyExample(DraftLetterDto, REQUEST_EXAMPLES.previewLetter)
  async preview(
    @Req() req: FastifyRequest,
    @Res({ passthrough: true }) res: FastifyReply,
    @CurrentActor() actor: Actor,
    @Param('familyId', uuid) familyId: string,
    @Query() q: PreviewQueryDto,
    @Body() body: DraftLetterDto,
  ) {
    const state = await this.familyForPart(familyId, actor);
    requireClearance(state, actor);
    const issuedOn = localDateOf(this.clock.now());
    const copies = await renderLetter(state, { letterId: 'preview', decisionIds: body.decisionIds, language: body.language ?? null, issuedOn });
    if (q.format === 'pdf') {
      const one = copies.find((c) => c.copy.recipientMemberId === q.recipientMemberId);
      if (!one) throw new NotFoundException(`No copy for recipient ${q.recipientMemberId ?? '(none named)'} in this draft`);
      recordGrantedAccess(req, [
        subjectsOf(
          familyId,
          state,
          one.copy.recipientMemberId,
          one.copy.decisions.map((d) => d.decisionId),
        ),
      ]);
      void res.header('content-type', CONTENT_TYPE.pdf);
      return one.pdf;
    }
    recordGrantedAccess(
      req,
      copies.map((c) =>
        subjectsOf(
          familyId,
          state,
          c.copy.recipientMemberId,
          c.copy.decisions.map((d) => d.decisionId),
        ),
      ),
    );
    return {
      templateVersion: copies[0]?.copy.templateVersion ?? null,
      issuedOn,
      copies: copies.map((c) => ({
        recipientMemberId: c.copy.recipientMemberId,
        recipientName: c.copy.recipientName,
        language: c.copy.language,
        decisionIds: c.copy.decisions.map((d) => d.decisionId),
        html: c.html.toString('utf8'),
      })),
    };
  }

  @Post(':familyId/letters')
  @ApiHeader({ name: 'If-Match', required: false, description: 'Stream revision the client saw, e.g. "3"' })
  @ApiHeader({ name: 'Idempotency-Key', required: false, description: '8-200 characters; a retry returns the first answer' })
  @ApiOperation({
    summary: 'Issue the letter: one copy per adult recipient, each with only what they may see (fvl §§ 13, 27)',
    description:
      'The copies are rendered (PDF and HTML), their SHA-256 recorded on LetterIssued, then the bytes kept. Re-rendering from the log gives the same bytes.',
  })
  @ApiRoute(
    'issueLetter',
    { status: 201, type: LetterIssuedDto, description: 'Issued: the event appended and the copies kept' },
    { ...commandProblems('IssueLetter'), statuses: [404] },
  )
  @ApiBodyExample(DraftLetterDto, REQUEST_EXAMPLES.issueLetter)
  async issue(
    @Req() req: FastifyRequest,
    @Res({ passthrough: true }) res: FastifyReply,
    @CurrentActor() actor: Actor,
    @Param('familyId', uuid) familyId: string,
    @Body() body: DraftLetterDto,
  ) {
    const state = await this.familyForPart(familyId, actor);
    const letterId = body.letterId ?? randomUUID();
    const issuedOn = localDateOf(this.clock.now());
    const copies: RenderedCopy[] = await renderLetter(state, { letterId, decisionIds: body.decisionIds, language: body.language ?? null, issuedOn });
    const templateVersion = copies[0]?.copy.templateVersion ?? '';
    const outcome = await runFamilyCommand(this.commands, req, res, actor, familyId, {
      type: 'IssueLetter',
      data: {
        letterId,
        decisionIds: body.decisionIds,
        language: body.language ?? null,
        templateVersion,
        copies: copies.map((c) => ({ recipientMemberId: c.copy.recipientMemberId, sha256: c.pdfSha256, language: c.copy.language })),
      },
    });
    // After the append: the event is the record and the bytes follow from it, so a copy lost
    // here can be rendered again from the log (rerenderFromLog) with the same hash.
    if (!outcome.replayed) await storeLetterCopies(this.pool, familyId, copies, this.clock.now());
    const base = `/families/${familyId}/letters/${letterId}/copies`;
    return {
      ...outcome,
      letterId,
      templateVersion,
      copies: copies.map((c) => ({
        recipientMemberId: c.copy.recipientMemberId,
        language: c.copy.language,
        pdfSha256: c.pdfSha256,
        htmlSha256: c.htmlSha256,
        pdf: `${base}/${c.copy.recipientMemberId}/pdf`,
        html: `${base}/${c.copy.recipientMemberId}/html`,
      })),
    };
  }

  @Post(':familyId/letters/:letterId/deliveries')
  @HttpCode(200)
  @ApiHeader({ name: 'If-Match', required: false, description: 'Stream revision the client saw, e.g. "3"' })
  @ApiHeader({ name: 'Idempotency-Key', required: false, description: '8-200 characters; a retry returns the first answer' })
  @ApiOperation({ summary: "Record that a recipient's copy was delivered (channel, day): the appeal deadline counts from it (fvl § 29)" })
  @ApiRoute(
    'recordLetterDelivered',
    { status: 200, type: CommandOutcomeDto, description: 'Done: the events appended' },
    commandProblems('RecordLetterDelivered'),
  )
  @ApiBodyExample(LetterDeliveredDto, REQUEST_EXAMPLES.recordLetterDelivered)
  delivered(
    @Req() req: FastifyRequest,
    @Res({ passthrough: true }) res: FastifyReply,
    @CurrentActor() actor: Actor,
    @Param('familyId', uuid) familyId: string,
    @Param('letterId', uuid) letterId: string,
    @Body() body: LetterDeliveredDto,
  ) {
    return runFamilyCommand(this.commands, req, res, actor, familyId, { type: 'RecordLetterDelivered', data: { ...body, letterId } });
  }

  @Get(':familyId/letters/:letterId/copies/:recipientMemberId/pdf')
  @ReadsFamilyData(describeGrantedAccess)
  @ApiProduces('application/pdf')
  @ApiOperation({ summary: "One recipient's issued copy as the PDF they got (the bytes kept at issue)" })
  @ApiRoute('getLetterCopyPdf', { status: 200, schema: { type: 'string', format: 'binary' }, description: 'The PDF' }, { statuses: [404] })
  pdf(
    @Req() req: FastifyRequest,
    @Res({ passthrough: true }) res: FastifyReply,
    @CurrentActor() actor: Actor,
    @Param('familyId', uuid) familyId: string,
    @Param('letterId', uuid) letterId: string,
    @Param('recipientMemberId', uuid) recipientMemberId: string,
  ) {
    return this.fetch(req, res, actor, familyId, letterId, recipientMemberId, 'pdf');
  }

  @Get(':familyId/letters/:letterId/copies/:recipientMemberId/html')
  @ReadsFamilyData(describeGrantedAccess)
  @ApiProduces('text/html')
  @ApiOperation({ summary: "One recipient's issued copy as HTML" })
  @ApiRoute('getLetterCopyHtml', { status: 200, html: true, description: 'The HTML page' }, { statuses: [404] })
  html(
    @Req() req: FastifyRequest,
    @Res({ passthrough: true }) res: FastifyReply,
    @CurrentActor() actor: Actor,
    @Param('familyId', uuid) familyId: string,
    @Param('letterId', uuid) letterId: string,
    @Param('recipientMemberId', uuid) recipientMemberId: string,
  ) {
    return this.fetch(req, res, actor, familyId, letterId, recipientMemberId, 'html');
  }

  private async fetch(
    req: FastifyRequest,
    res: FastifyReply,
    actor: Actor,
    familyId: string,
    letterId: string,
    recipientMemberId: string,
    format: LetterFormat,
  ): Promise<Buffer | string> {
    const { state } = await this.commands.load(familyId);
    const letter = state.letters?.[letterId];
    const copy = letter?.copies.find((c) => c.recipientMemberId === recipientMemberId);
    const unit = actor.unit;
    const mayRead =
      actor.role === 'auditor' ||
      (!!unit && hasActivePart(state, unit) && (letter?.issuingUnit === unit || !!copy?.decisionIds.some((id) => state.decisions[id]?.unit === unit)));
    if (!letter || !copy || !mayRead) throw new NotFoundException(`No copy of letter ${letterId} for ${recipientMemberId} that you may read`);
    requireClearance(state, actor);
    const stored = await loadLetterCopy(this.pool, familyId, letterId, recipientMemberId, format);
    if (!stored) throw new NotFoundException(`The ${format} of this copy is not stored; render it again from the log (letters render)`);
    recordGrantedAccess(req, [subjectsOf(familyId, state, recipientMemberId, copy.decisionIds)]);
    void res.header('content-type', CONTENT_TYPE[format]);
    void res.header('x-content-sha256', stored.sha256);
    if (format === 'html') void res.header('content-security-policy', "default-src 'none'; style-src 'unsafe-inline'; img-src data:");
    return format === 'html' ? stored.bytes.toString('utf8') : stored.bytes;
  }
}
