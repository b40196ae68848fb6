import { MigrationInterface, QueryRunner } from 'typeorm';

/** Finding a member's families (subject access: state->'members' ? memberId) without scanning every row. */
export class FamilyViewMemberIndex1764547200000 implements MigrationInterface {
  name = 'FamilyViewMemberIndex1764547200000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE INDEX family_view_members_idx ON read_models.family_view USING gin ((state->'members'))`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX read_models.family_view_members_idx`);
  }
}
