import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import { CommandRunner, Option } from 'nest-commander';
import type { AccessSubject } from '../../../api/src/read-audit/access-subjects';
import { ReadAuditService } from '../../../api/src/read-audit/read-audit.service';

/** Who runs the CLI, when --actor is not given. */
export const ACTOR_ENV = 'FAMILIEVEDTAK_ACTOR';
/** Why, when --purpose is not given (else 'audit'). */
export const PURPOSE_ENV = 'FAMILIEVEDTAK_PURPOSE';
export const DEFAULT_CLI_PURPOSE = 'audit';

/** The person at the terminal, as the read audit names them. */
export interface CliOperator {
  userId: string;
  purpose: string;
}

export type OperatorOptions = { actor?: string; purpose?: string };

/**
 * The operator from --actor / --purpose, else FAMILIEVEDTAK_ACTOR / FAMILIEVEDTAK_PURPOSE: a
 * named person is required (the operating-system account is often a shared one, `root` in a
 * container, and names nobody). A string is the usage error to print.
 */
export function operatorOf(options: OperatorOptions, env: NodeJS.ProcessEnv = process.env): CliOperator | string {
  const userId = (options.actor ?? env[ACTOR_ENV] ?? '').trim();
  if (!userId) return `name yourself for the read audit: --actor <userId> or ${ACTOR_ENV}=<userId> (e.g. the user id in your token)`;
  if (userId.length > 200 || /\s/.test(userId) || userId.includes('\u0000')) return '--actor must be a user id without spaces, at most 200 characters';
  const purpose = (options.purpose ?? env[PURPOSE_ENV] ?? '').replaceAll('\u0000', '').trim().slice(0, 200) || DEFAULT_CLI_PURPOSE;
  return { userId, purpose };
}

/**
 * A CLI read on the read audit: the API's own writer (ReadAuditService: the same table,
 * audit.read_access, the same batching and NUL handling) with the CLI's terms in the fields
 * the API fills from the HTTP request: route `CLI <command>` (e.g. `CLI audit history`), one
 * request id per CLI run (`cli-<uuid>`), purpose from --purpose. The reader is the operator,
 * role `auditor`, no unit. Awaited before anything is printed or written, as the API holds back
 * a body until its record is committed; if it cannot be written the command fails (exit 1).
 */
@Injectable()
export class CliReadAudit {
  readonly requestId = `cli-${randomUUID()}`;

  constructor(private readonly audit: ReadAuditService) {}

  async record(command: string, operator: CliOperator, outcome: 'permit' | 'deny', status: number, subjects: AccessSubject[]): Promise<void> {
    const route = `audit ${command}`;
    // The fields ReadAuditService.record reads from a request: id, method + route, X-Purpose.
    const request = { id: this.requestId, method: 'CLI', url: route, routeOptions: { url: route }, headers: { 'x-purpose': operator.purpose } };
    await this.audit.record(request as unknown as FastifyRequest, { userId: operator.userId, unit: null, role: 'auditor' }, outcome, status, subjects);
  }
}

/** Status recorded with a permitted CLI read, and with a read of something that is not there (as the API's 404). */
export const READ_OK = 200;
export const READ_NOT_FOUND = 404;

/** What went on record when the result named no family. */
export const noFamily = (category: string): AccessSubject[] => [{ familyId: null, memberIds: [], categories: [category] }];

/** The families named in a result, one subject each (or none). */
export const familiesNamed = (familyIds: Iterable<string>, category: string): AccessSubject[] => {
  const ids = [...new Set(familyIds)];
  return ids.length ? ids.map((familyId) => ({ familyId, memberIds: [], categories: [category] })) : noFamily(category);
};

/** A command that reads personal data: --actor and --purpose, for the read audit. */
export abstract class ReadingCommand extends CommandRunner {
  @Option({ flags: '--actor <userId>', description: `who reads, for the read audit (default $${ACTOR_ENV}; one of them is required)` })
  parseActor(value: string): string {
    return value;
  }

  @Option({ flags: '--purpose <text>', description: `why, for the read audit (default $${PURPOSE_ENV}, else '${DEFAULT_CLI_PURPOSE}')` })
  parsePurpose(value: string): string {
    return value;
  }
}

/** The operator, or undefined after printing the usage error and setting exit code 2. */
export function requireOperator(options: OperatorOptions, env: NodeJS.ProcessEnv = process.env): CliOperator | undefined {
  const operator = operatorOf(options, env);
  if (typeof operator !== 'string') return operator;
  console.error(operator);
  process.exitCode = 2;
  return undefined;
}
