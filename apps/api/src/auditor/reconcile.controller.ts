import { Controller, Get, Inject, Req, ServiceUnavailableException } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ApiRoute } from '../shared/openapi/api-route.decorator';
import { ReconciliationDto } from '../shared/openapi/responses.dto';
import { reconcileStore } from '@familievedtak/audit';
import { EVENT_STORE, type EventStore } from '@familievedtak/event-store';
import type { FastifyRequest } from 'fastify';
import { describeGrantedAccess, recordGrantedAccess } from '../read-audit/access-subjects';
import { ReadsFamilyData } from '../read-audit/reads-family-data.decorator';

/** Bound of a synchronous request; the CLI (`audit reconcile`) has none. */
const RECONCILE_TIMEOUT_MS = 60_000;
/** Differences listed in one answer (the counts are always complete). */
const MAX_LISTED_DIFFERENCES = 1000;

/**
 * Money reconciliation for auditors (route policy: auditor only): every sub-project's spends
 * against its families' payments, the same function as `audit reconcile`. The differences
 * name families, so the read is on the record (read audit).
 */
@ApiTags('auditor')
@ApiBearerAuth()
@Controller('audit')
export class ReconcileController {
  constructor(@Inject(EVENT_STORE) private readonly store: EventStore) {}

  @Get('reconcile')
  @ReadsFamilyData(describeGrantedAccess)
  @ApiOperation({
    operationId: 'reconcileMoney',
    summary:
      "Every sub-project's spends against its families' payments (amounts, families, reversals); ok is false and each difference listed (at most 1000) when they do not match",
  })
  @ApiRoute('reconcileMoney', { status: 200, type: ReconciliationDto, description: 'Counts, totals and the differences between spends and payments' })
  async reconcile(@Req() req: FastifyRequest) {
    const signal = AbortSignal.timeout(RECONCILE_TIMEOUT_MS);
    let result;
    try {
      result = await reconcileStore(this.store, { signal });
    } catch (error) {
      if (signal.aborted)
        throw new ServiceUnavailableException(`Stopped after ${RECONCILE_TIMEOUT_MS / 1000} s; run \`npm run cli -- audit reconcile\` for a store this size`);
      throw error;
    }
    const listed = result.differences.slice(0, MAX_LISTED_DIFFERENCES);
    const families = [...new Set(listed.flatMap((d) => (d.familyId ? [d.familyId] : [])))];
    recordGrantedAccess(
      req,
      families.length
        ? families.map((familyId) => ({ familyId, memberIds: [], categories: ['payments'] }))
        : [{ familyId: null, memberIds: [], categories: ['payments'] }],
    );
    return { ...result, differenceCount: result.differences.length, differences: listed };
  }
}
