import { systemClock } from '@familievedtak/event-store';
import type { Pool } from 'pg';
import { ReadAuditService } from '../../../api/src/read-audit/read-audit.service';
import { ACTOR_ENV, CliReadAudit } from '../read-audit/cli-read-audit';

/** The CLI's read-audit writer on a test database (the API's ReadAuditService, as in cli.module.ts). */
export function testReadAudit(pool: Pool): CliReadAudit {
  return new CliReadAudit(new ReadAuditService(pool, systemClock));
}

/** The operator of the commands in this describe, as FAMILIEVEDTAK_ACTOR (registers beforeAll/afterAll). */
export function actingAs(userId: string): void {
  let before: string | undefined;
  beforeAll(() => {
    before = process.env[ACTOR_ENV];
    process.env[ACTOR_ENV] = userId;
  });
  afterAll(() => {
    if (before === undefined) delete process.env[ACTOR_ENV];
    else process.env[ACTOR_ENV] = before;
  });
}
