import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Kinds as of this migration: a later change of the code's list must not change what this
 * migration did (see family-view.state-store.ts).
 */
const KINDS = [
  'team',
  'needs',
  'consents',
  'decisions',
  'appeals',
  'notifications',
  'payments',
  'familyDecisions',
  'parts',
  'referrals',
  'enrolments',
  'parentalResponsibility',
  'familyPlans',
  'letters',
];

/**
 * Issue 15: the family's record maps move out of the single `state` jsonb into one row per
 * record, so a command rewrites (and logs to the WAL) the header and the records it touched
 * instead of the whole family. `state` becomes `core`, the rest of the state; the member index
 * on its 'members' follows the rename. Existing rows are moved, not refolded: an upgraded
 * database serves the same states at once, without waiting for a replay.
 */
export class FamilyViewRecords1764892800000 implements MigrationInterface {
  name = 'FamilyViewRecords1764892800000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE read_models.family_view_record (
        family_id text COLLATE "C" NOT NULL,
        kind      text COLLATE "C" NOT NULL,
        record_id text COLLATE "C" NOT NULL,
        data      jsonb NOT NULL,
        PRIMARY KEY (family_id, kind, record_id)
      )`);
    await q.query(
      `INSERT INTO read_models.family_view_record (family_id, kind, record_id, data)
       SELECT v.family_id, m.key, r.key, r.value
         FROM read_models.family_view v
        CROSS JOIN LATERAL jsonb_each(v.state) m
        CROSS JOIN LATERAL jsonb_each(m.value) r
        WHERE m.key = ANY($1::text[]) AND jsonb_typeof(m.value) = 'object'`,
      [KINDS],
    );
    await q.query(`ALTER TABLE read_models.family_view RENAME COLUMN state TO core`);
    await q.query(`UPDATE read_models.family_view SET core = core - $1::text[]`, [KINDS]);
    // The header is updated in place by every command: room on its page keeps that a HOT
    // update (no new entries in its five indexes) whenever no indexed column changed.
    await q.query(`ALTER TABLE read_models.family_view SET (fillfactor = 80)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE read_models.family_view RESET (fillfactor)`);
    await q.query(
      `UPDATE read_models.family_view v SET core = v.core || $1::jsonb || coalesce((
         SELECT jsonb_object_agg(k.kind, k.records) FROM (
           SELECT r.kind, jsonb_object_agg(r.record_id, r.data) AS records
             FROM read_models.family_view_record r WHERE r.family_id = v.family_id GROUP BY r.kind) k), '{}'::jsonb)`,
      [JSON.stringify(Object.fromEntries(KINDS.map((kind) => [kind, {}])))],
    );
    await q.query(`ALTER TABLE read_models.family_view RENAME COLUMN core TO state`);
    await q.query(`DROP TABLE read_models.family_view_record`);
  }
}
