import { randomUUID } from 'node:crypto';
import type { FastifyRequest } from 'fastify';
import type { AccessSubject } from '../../../api/src/read-audit/access-subjects';
import type { ReadAuditService } from '../../../api/src/read-audit/read-audit.service';
import type { CliOperator } from '../read-audit/cli-read-audit';

/**
 * A read by a retention or archive command on the read audit: the API's writer, route `CLI <command>`
 * (e.g. `CLI archive export`), one request id per CLI run, the operator as reader with role auditor
 * (as the audit commands record theirs). Awaited before anything is printed or written.
 */
export class CliReads {
  readonly requestId = `cli-${randomUUID()}`;

  constructor(private readonly audit: ReadAuditService) {}

  async record(command: string, operator: CliOperator, outcome: 'permit' | 'deny', status: number, subjects: AccessSubject[]): Promise<void> {
    const request = { id: this.requestId, method: 'CLI', url: command, routeOptions: { url: command }, headers: { 'x-purpose': operator.purpose } };
    await this.audit.record(request as unknown as FastifyRequest, { userId: operator.userId, unit: null, role: 'auditor' }, outcome, status, subjects);
  }
}
