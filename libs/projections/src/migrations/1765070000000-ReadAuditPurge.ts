import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The read audit keeps only what its retention schedule allows (docs/design/retention-and-erasure.md § 8).
 * audit.read_access stays append-only for everyone, except one purge: a DELETE of a row older
 * than the cut-off the retention job sets for its own transaction
 * (`SET LOCAL familievedtak.read_audit_purge_before = '<instant>'`, or set_config(…, true)).
 * Without the setting, for a row at or after it, or with a cut-off in the future (no schedule
 * keeps rows for less than nothing), the DELETE is refused as before. UPDATE and TRUNCATE stay refused.
 */
export class ReadAuditPurge1765070000000 implements MigrationInterface {
  name = 'ReadAuditPurge1765070000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE FUNCTION audit.read_access_guard() RETURNS trigger LANGUAGE plpgsql AS $$
      DECLARE
        setting text := current_setting('familievedtak.read_audit_purge_before', true);
        cutoff timestamptz;
      BEGIN
        -- A setting once made in a session reads as '' after its transaction: not set.
        IF TG_OP = 'DELETE' AND setting IS NOT NULL AND setting <> '' THEN
          BEGIN
            cutoff := setting::timestamptz;
          EXCEPTION WHEN others THEN
            RAISE EXCEPTION 'audit.read_access: familievedtak.read_audit_purge_before is not an instant: %', setting USING ERRCODE = 'insufficient_privilege';
          END;
          IF cutoff > now() THEN
            RAISE EXCEPTION 'audit.read_access: a purge cut-off in the future (%) is not allowed', setting USING ERRCODE = 'insufficient_privilege';
          END IF;
          IF OLD.at < cutoff THEN
            RETURN OLD;
          END IF;
          RAISE EXCEPTION 'audit.read_access is append-only: the row of % is not older than the purge cut-off %', OLD.at, setting
            USING ERRCODE = 'insufficient_privilege';
        END IF;
        RAISE EXCEPTION 'audit.read_access is append-only: % is not allowed', TG_OP USING ERRCODE = 'insufficient_privilege';
      END $$`);
    await q.query(`DROP TRIGGER read_access_append_only ON audit.read_access`);
    await q.query(
      `CREATE TRIGGER read_access_append_only BEFORE UPDATE OR DELETE ON audit.read_access FOR EACH ROW EXECUTE FUNCTION audit.read_access_guard()`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TRIGGER read_access_append_only ON audit.read_access`);
    await q.query(`CREATE TRIGGER read_access_append_only BEFORE UPDATE OR DELETE ON audit.read_access FOR EACH ROW EXECUTE FUNCTION audit.refuse_change()`);
    await q.query(`DROP FUNCTION audit.read_access_guard()`);
  }
}
