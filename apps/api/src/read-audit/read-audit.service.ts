import { Inject, Injectable, Logger, ServiceUnavailableException } from '@nestjs/common';
import { PG_POOL } from '@familievedtak/database';
import { Clock } from '@familievedtak/event-store';
import type { FastifyRequest } from 'fastify';
import type { Pool } from 'pg';
import { CLOCK } from '../shared/clock.provider';
import type { AccessSubject } from './access-subjects';
import { AuditBatcher } from './audit-batcher';

/** One row of audit.read_access. */
export interface ReadAccessRecord {
  at: Date;
  requestId: string;
  userId: string;
  unit: string | null;
  role: string | null;
  familyId: string | null;
  memberIds: string[];
  categories: string[];
  purpose: string;
  consentIds: string[];
  outcome: 'permit' | 'deny';
  status: number;
  route: string;
}

export interface ReadAccessQuery {
  familyId?: string;
  memberId?: string;
  userId?: string;
  from?: string;
  until?: string;
  limit?: number;
}

/** Who read: the verified caller (unit and role may be unknown when acting-as was refused). */
export interface Reader {
  userId: string;
  unit: string | null;
  role: string | null;
}

/** The read could not be put on record: it fails rather than going unrecorded. */
export class AuditUnavailable extends ServiceUnavailableException {
  constructor() {
    super('The read could not be recorded in the audit log, so it was not performed; try again shortly');
  }
}

const COLUMNS = [
  'at',
  'request_id',
  'user_id',
  'unit',
  'role',
  'family_id',
  'member_ids',
  'categories',
  'purpose',
  'consent_ids',
  'outcome',
  'status',
  'route',
];
const DEFAULT_PURPOSE = 'casework';

@Injectable()
export class ReadAuditService {
  private readonly logger = new Logger('read-audit');
  readonly batcher = new AuditBatcher<ReadAccessRecord>((records) => this.insert(records));

  constructor(
    @Inject(PG_POOL) private readonly pool: Pool,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  /** Puts the access on record; resolves once committed, else throws AuditUnavailable (503). */
  async record(request: FastifyRequest, reader: Reader, outcome: 'permit' | 'deny', status: number, subjects: AccessSubject[]): Promise<void> {
    const at = this.clock.now();
    const purpose = purposeOf(request);
    const route = `${request.method} ${request.routeOptions?.url ?? request.url}`;
    const records = subjects.map((s): ReadAccessRecord => ({
      at,
      requestId: String(request.id),
      userId: reader.userId,
      unit: reader.unit,
      role: reader.role,
      familyId: s.familyId === null ? null : withoutNul(s.familyId),
      memberIds: s.memberIds.map(withoutNul),
      categories: s.categories,
      purpose: withoutNul(purpose),
      consentIds: s.consentIds ?? [],
      outcome,
      status,
      route,
    }));
    try {
      await Promise.all(records.map((r) => this.batcher.add(r)));
    } catch (error) {
      this.logger.error(`read audit write failed: ${error instanceof Error ? error.message : String(error)}`);
      throw new AuditUnavailable();
    }
  }

  /** An auditor's query; what-if runs also carry the rule sets compared, how many families and the selection. */
  async query(q: ReadAccessQuery): Promise<(ReadAccessRecord & { id: string; ruleSets: string[]; familyCount: number | null; selection: unknown })[]> {
    const where: string[] = [];
    const params: unknown[] = [];
    const param = (value: unknown) => `$${params.push(value)}`;
    if (q.familyId !== undefined) where.push(`family_id = ${param(q.familyId)}`);
    if (q.memberId !== undefined) where.push(`member_ids @> ARRAY[${param(q.memberId)}::text]`);
    if (q.userId !== undefined) where.push(`user_id = ${param(q.userId)}`);
    if (q.from !== undefined) where.push(`at >= ${param(q.from)}::timestamptz`);
    if (q.until !== undefined) where.push(`at < ${param(q.until)}::timestamptz`);
    const sql = `SELECT id, at, request_id, user_id, unit, role, family_id, member_ids, categories, purpose, consent_ids, outcome, status, route,
                        rule_sets, family_count, selection
                 FROM audit.read_access ${where.length ? `WHERE ${where.join(' AND ')}` : ''}
                 ORDER BY at DESC, id DESC LIMIT ${param(q.limit ?? 100)}`;
    const { rows } = await this.pool.query(sql, params);
    return rows.map((r) => ({
      id: String(r.id),
      at: r.at,
      requestId: r.request_id,
      userId: r.user_id,
      unit: r.unit,
      role: r.role,
      familyId: r.family_id,
      memberIds: r.member_ids,
      categories: r.categories,
      purpose: r.purpose,
      consentIds: r.consent_ids,
      outcome: r.outcome,
      status: r.status,
      route: r.route,
      ruleSets: r.rule_sets,
      familyCount: r.family_count,
      selection: r.selection,
    }));
  }

  /**
   * The units that read a family's records under a consent: the distinct units of permitted
   * reads of the family whose relied-on consents include it. A withdrawal alerts them.
   */
  unitsThatReadUnderConsent(familyId: string, consentId: string): Promise<string[]> {
    return unitsThatReadUnderConsent(this.pool, familyId, consentId);
  }

  /**
   * A what-if run: aggregate over many families, so its permit record names none; it names the
   * rule sets compared, how many families the run covered and the selection (columns of
   * migration ReadAuditWhatIfRuns). Committed before the report is sent, else AuditUnavailable
   * (503). Purpose from X-Purpose, default 'rules-analysis'.
   */
  async recordWhatIfRun(
    request: FastifyRequest,
    reader: Reader,
    run: { categories: string[]; ruleSets: string[]; familyCount: number; selection: object },
  ): Promise<void> {
    const header = request.headers['x-purpose'];
    const purpose = (typeof header === 'string' ? header.trim().slice(0, 200) : '') || 'rules-analysis';
    try {
      await this.pool.query(
        `INSERT INTO audit.read_access (at, request_id, user_id, unit, role, family_id, member_ids, categories, purpose, consent_ids, outcome, status, route, rule_sets, family_count, selection)
         VALUES ($1, $2, $3, $4, $5, NULL, '{}', $6, $7, '{}', 'permit', 200, $8, $9, $10, $11)`,
        [
          this.clock.now(),
          String(request.id),
          reader.userId,
          reader.unit,
          reader.role,
          run.categories,
          withoutNul(purpose),
          `${request.method} ${request.routeOptions?.url ?? request.url}`,
          run.ruleSets.map(withoutNul),
          run.familyCount,
          JSON.stringify(run.selection).replace(/\\u0000/g, '\\ufffd'),
        ],
      );
    } catch (error) {
      this.logger.error(`read audit write failed: ${error instanceof Error ? error.message : String(error)}`);
      throw new AuditUnavailable();
    }
  }

  /** One multi-row INSERT per batch (13 parameters a row; batches stay far below PostgreSQL's limit). */
  private async insert(records: ReadAccessRecord[]): Promise<void> {
    const params: unknown[] = [];
    const rows = records.map((r) => {
      const values = [
        r.at,
        r.requestId,
        r.userId,
        r.unit,
        r.role,
        r.familyId,
        r.memberIds,
        r.categories,
        r.purpose,
        r.consentIds,
        r.outcome,
        r.status,
        r.route,
      ];
      return `(${values.map((v) => `$${params.push(v)}`).join(', ')})`;
    });
    await this.pool.query(`INSERT INTO audit.read_access (${COLUMNS.join(', ')}) VALUES ${rows.join(', ')}`, params);
  }
}

/**
 * The distinct units (audit.read_access.unit) of permitted reads of a family that relied on a
 * consent (its id among consent_ids). A plain query on the pool, so the seed CLI, which has no
 * read-audit module, asks the same table the API writes.
 */
export async function unitsThatReadUnderConsent(pool: Pick<Pool, 'query'>, familyId: string, consentId: string): Promise<string[]> {
  const { rows } = await pool.query(
    `SELECT DISTINCT unit FROM audit.read_access
      WHERE family_id = $1 AND outcome = 'permit' AND consent_ids @> ARRAY[$2::text] AND unit IS NOT NULL
      ORDER BY unit`,
    [withoutNul(familyId), withoutNul(consentId)],
  );
  return rows.map((r: { unit: unknown }) => String(r.unit));
}

function purposeOf(request: FastifyRequest): string {
  const value = request.headers['x-purpose'];
  const purpose = typeof value === 'string' ? value.trim().slice(0, 200) : '';
  return purpose || DEFAULT_PURPOSE;
}

/**
 * PostgreSQL text cannot hold NUL: an id from a hostile URL (/families/%00) would fail the
 * whole batched INSERT, and with it every read recorded in the same batch (503 for all).
 */
function withoutNul(value: string): string {
  return value.includes('\u0000') ? value.replaceAll('\u0000', '\uFFFD') : value;
}
