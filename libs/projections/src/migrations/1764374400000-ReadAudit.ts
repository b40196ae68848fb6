import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The read audit: one row per access to family data (or a refused attempt). Append-only:
 * triggers refuse UPDATE, DELETE and TRUNCATE for every role, the owner included.
 */
export class ReadAudit1764374400000 implements MigrationInterface {
  name = 'ReadAudit1764374400000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE SCHEMA IF NOT EXISTS audit`);
    await q.query(`
      CREATE TABLE audit.read_access (
        id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        at          timestamptz NOT NULL,
        request_id  text        NOT NULL,
        user_id     text        NOT NULL,
        unit        text,
        role        text,
        family_id   text,
        member_ids  text[]      NOT NULL DEFAULT '{}',
        categories  text[]      NOT NULL DEFAULT '{}',
        purpose     text        NOT NULL,
        consent_ids text[]      NOT NULL DEFAULT '{}',
        outcome     text        NOT NULL CHECK (outcome IN ('permit', 'deny')),
        status      int         NOT NULL,
        route       text        NOT NULL
      )`);
    await q.query(`CREATE INDEX read_access_family_idx ON audit.read_access (family_id, at)`);
    await q.query(`CREATE INDEX read_access_user_idx ON audit.read_access (user_id, at)`);
    await q.query(`CREATE INDEX read_access_at_idx ON audit.read_access (at)`);
    await q.query(`CREATE INDEX read_access_members_idx ON audit.read_access USING gin (member_ids)`);
    await q.query(`
      CREATE FUNCTION audit.refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        RAISE EXCEPTION 'audit.read_access is append-only: % is not allowed', TG_OP USING ERRCODE = 'insufficient_privilege';
      END $$`);
    await q.query(`CREATE TRIGGER read_access_append_only BEFORE UPDATE OR DELETE ON audit.read_access FOR EACH ROW EXECUTE FUNCTION audit.refuse_change()`);
    await q.query(`CREATE TRIGGER read_access_no_truncate BEFORE TRUNCATE ON audit.read_access FOR EACH STATEMENT EXECUTE FUNCTION audit.refuse_change()`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE audit.read_access`);
    await q.query(`DROP FUNCTION audit.refuse_change()`);
  }
}
