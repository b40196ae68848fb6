import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * What-if runs in the read audit: a run reads every selected family's history but reports
 * only aggregates, so its record names no family; it names the rule sets compared
 * (`<id>@v<version>`, baseline first), how many families the run covered, and the selection.
 * Adding columns with constant defaults rewrites no row and fires no UPDATE trigger: the
 * table stays append-only.
 */
export class ReadAuditWhatIfRuns1764633600000 implements MigrationInterface {
  name = 'ReadAuditWhatIfRuns1764633600000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE audit.read_access ADD COLUMN rule_sets text[] NOT NULL DEFAULT '{}'`);
    await q.query(`ALTER TABLE audit.read_access ADD COLUMN family_count integer CHECK (family_count >= 0)`);
    await q.query(`ALTER TABLE audit.read_access ADD COLUMN selection jsonb`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE audit.read_access DROP COLUMN selection`);
    await q.query(`ALTER TABLE audit.read_access DROP COLUMN family_count`);
    await q.query(`ALTER TABLE audit.read_access DROP COLUMN rule_sets`);
  }
}
