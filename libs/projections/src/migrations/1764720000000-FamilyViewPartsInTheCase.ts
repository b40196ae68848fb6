import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The family state gained parts in the case, referrals, enrolments and parental responsibility
 * (event schema 2), and the `readers` column now follows parts instead of who wrote last. Rows
 * folded by the earlier code lack them, so the view is emptied and its checkpoint reset: the
 * projection refills it from the log (schema 1 events upcast on the way), like any rebuild.
 */
export class FamilyViewPartsInTheCase1764720000000 implements MigrationInterface {
  name = 'FamilyViewPartsInTheCase1764720000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`TRUNCATE read_models.family_view`);
    await q.query(`UPDATE projections.checkpoints SET position = 0, updated_at = now() WHERE name = 'family-view'`);
  }

  async down(): Promise<void> {
    // Nothing to undo: the rows are derived from the log and refill themselves.
  }
}
