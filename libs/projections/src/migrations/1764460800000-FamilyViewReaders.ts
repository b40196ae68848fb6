import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Who might read each family ('unit:NAV', 'partner:<organisation>'), so a caseworker's family
 * list scans only families their unit has a part in (GIN). The column is derived from the
 * folded state, so the view is emptied and its checkpoint reset: the projection refills it
 * from the log on its next run, like any rebuild.
 */
export class FamilyViewReaders1764460800000 implements MigrationInterface {
  name = 'FamilyViewReaders1764460800000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE read_models.family_view ADD COLUMN readers text[] NOT NULL DEFAULT '{}'`);
    await q.query(`CREATE INDEX family_view_readers_idx ON read_models.family_view USING gin (readers)`);
    await q.query(`TRUNCATE read_models.family_view`);
    await q.query(`UPDATE projections.checkpoints SET position = 0, updated_at = now() WHERE name = 'family-view'`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX read_models.family_view_readers_idx`);
    await q.query(`ALTER TABLE read_models.family_view DROP COLUMN readers`);
  }
}
