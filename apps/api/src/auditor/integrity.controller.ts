import {
  BadRequestException,
  ConflictException,
  Controller,
  Get,
  HttpCode,
  Inject,
  NotFoundException,
  Post,
  Query,
  Req,
  ServiceUnavailableException,
} from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ApiRoute } from '../shared/openapi/api-route.decorator';
import { ChainVerificationDto, RebuildComparisonDto } from '../shared/openapi/responses.dto';
import { rebuildAndCompare, verifyChains } from '@familievedtak/audit';
import { FAMILY_STREAM_PREFIX, maskFamilyState, type Actor, type FamilyState } from '@familievedtak/domain';
import { EVENT_STORE, type EventStore, type JsonObject } from '@familievedtak/event-store';
import type { FastifyRequest } from 'fastify';
import { DataSource } from 'typeorm';
import { describeGrantedAccess, recordGrantedAccess, type AccessSubject } from '../read-audit/access-subjects';
import { ReadsFamilyData } from '../read-audit/reads-family-data.decorator';
import { CurrentActor } from '../shared/actor.decorator';
import { VerifyQueryDto } from './integrity.dto';

/** Bounds of a synchronous request; the CLI (`audit verify`, `audit rebuild-compare`) has none. */
const VERIFY_TIMEOUT_MS = 60_000;
const COMPARE_TIMEOUT_MS = 60_000;
const MAX_LISTED_DIFFERENCES = 1000;

const familyOf = (streamId: string) => (streamId.startsWith(FAMILY_STREAM_PREFIX) ? streamId.slice(FAMILY_STREAM_PREFIX.length) : null);

/** What went on record: the families named in the result, or none. */
const subjects = (familyIds: string[], category: string): AccessSubject[] =>
  familyIds.length
    ? familyIds.map((familyId) => ({ familyId, memberIds: [], categories: [category] }))
    : [{ familyId: null, memberIds: [], categories: [category] }];

/**
 * Something of the row would be masked for this reader (a kode 6 member, or with a kode 6 or 7
 * member the district, names and free text), in either version of the row: its values are withheld.
 */
const hasMaskedMembers = (actor: Actor, ...rows: Array<JsonObject | null>) =>
  rows.some((row) => {
    if (!row) return false;
    const masked = maskFamilyState(row.state as unknown as FamilyState, actor);
    return masked.maskedMemberIds.length > 0 || masked.state.withheld !== undefined;
  });

/**
 * Tamper evidence and replay verification for auditors (route policies): the same functions
 * as the CLI, bounded in time, one comparison at a time per instance. Both answers name
 * families, so both are recorded in the read audit; a comparison's values for a family with
 * a protected-address member are withheld from an auditor without the clearance.
 */
@ApiTags('auditor')
@ApiBearerAuth()
@Controller('audit')
export class IntegrityController {
  private comparing = false;

  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    private readonly dataSource: DataSource,
  ) {}

  @Get('verify')
  @ReadsFamilyData(describeGrantedAccess)
  @ApiOperation({ summary: "Recompute every stream's hash chain (or one stream's, or a prefix's); names each broken stream's first broken link" })
  @ApiRoute(
    'verifyHashChains',
    { status: 200, type: ChainVerificationDto, description: 'Streams and events checked, and the first broken link of each broken stream' },
    { statuses: [404] },
  )
  async verify(@Req() req: FastifyRequest, @Query() q: VerifyQueryDto) {
    if (q.streamId !== undefined && q.streamPrefix !== undefined) throw new BadRequestException('streamId and streamPrefix exclude each other');
    const result = await bounded(VERIFY_TIMEOUT_MS, 'audit verify', (signal) =>
      verifyChains(this.store, { streamId: q.streamId, streamPrefix: q.streamPrefix, signal }),
    );
    // A stream that is not there is not "verified".
    if (q.streamId !== undefined && result.streams === 0) throw new NotFoundException(`No stream ${q.streamId}`);
    const families = [...new Set(result.broken.map((b) => familyOf(b.streamId)).filter((id): id is string => id !== null))];
    recordGrantedAccess(req, subjects(families, 'event-integrity'));
    return result;
  }

  @Post('rebuild-compare')
  @HttpCode(200)
  @ReadsFamilyData(describeGrantedAccess)
  @ApiOperation({
    summary: 'Replay the family view into a shadow schema up to the live checkpoint and compare it row by row with the live view (at most 1000 rows listed)',
  })
  @ApiRoute(
    'rebuildAndCompareView',
    { status: 200, type: RebuildComparisonDto, description: 'Rows missing, extra and different between the live and the rebuilt view' },
    { statuses: [409] },
  )
  async rebuildCompare(@Req() req: FastifyRequest, @CurrentActor() actor: Actor) {
    if (this.comparing) throw new ConflictException('A comparison is already running on this instance; try again when it has finished');
    this.comparing = true;
    try {
      const result = await bounded(COMPARE_TIMEOUT_MS, 'audit rebuild-compare', (signal) =>
        rebuildAndCompare(this.dataSource, this.store, {
          maxDifferences: MAX_LISTED_DIFFERENCES,
          signal,
          withholdValues: (live, rebuilt) => hasMaskedMembers(actor, live, rebuilt),
        }),
      );
      recordGrantedAccess(
        req,
        subjects(
          result.differences.map((d) => d.familyId),
          'read-model-comparison',
        ),
      );
      return result;
    } finally {
      this.comparing = false;
    }
  }
}

/** Runs `work` with a signal that fires after `ms`; a run cut short is a 503 that points to the CLI. */
async function bounded<T>(ms: number, command: string, work: (signal: AbortSignal) => Promise<T>): Promise<T> {
  const signal = AbortSignal.timeout(ms);
  try {
    return await work(signal);
  } catch (error) {
    if (signal.aborted) throw new ServiceUnavailableException(`Stopped after ${ms / 1000} s; run \`npm run cli -- ${command}\` for a store this size`);
    throw error;
  }
}
