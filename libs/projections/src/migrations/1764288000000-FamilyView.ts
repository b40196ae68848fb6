import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The family decision view's table. family_id uses the "C" collation so the list's keyset
 * cursor compares byte-wise, the same on every server. GIN on units serves "families of a
 * unit"; (district, family_id) serves the district filter in cursor order.
 */
export class FamilyView1764288000000 implements MigrationInterface {
  name = 'FamilyView1764288000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE read_models.family_view (
        family_id         text COLLATE "C" PRIMARY KEY,
        district          text        NOT NULL,
        units             text[]      NOT NULL,
        coordinating_unit text,
        open_needs        int         NOT NULL,
        active_decisions  int         NOT NULL,
        next_period_end   date,
        revision          bigint      NOT NULL,
        last_position     bigint      NOT NULL,
        state             jsonb       NOT NULL,
        updated_at        timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE INDEX family_view_units_idx ON read_models.family_view USING gin (units)`);
    await q.query(`CREATE INDEX family_view_district_idx ON read_models.family_view (district, family_id)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE read_models.family_view`);
  }
}
