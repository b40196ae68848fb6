import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The rendered copies of issued letters (issue 14): one row per letter, recipient and format,
 * with the bytes the family got and their SHA-256, which the LetterIssued event also carries.
 * Not a projection: the bytes are what was sent, so a row is never changed (trigger); the log
 * plus the template reproduces them, which a test checks.
 */
export class LetterDocuments1764806400000 implements MigrationInterface {
  name = 'LetterDocuments1764806400000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE SCHEMA IF NOT EXISTS documents`);
    await q.query(`
      CREATE TABLE documents.letter_copies (
        letter_id           text        NOT NULL,
        family_id           text        NOT NULL,
        recipient_member_id text        NOT NULL,
        format              text        NOT NULL CHECK (format IN ('pdf', 'html')),
        language            text        NOT NULL CHECK (language IN ('nb', 'nn', 'en')),
        template_version    text        NOT NULL,
        sha256              text        NOT NULL CHECK (sha256 ~ '^[0-9a-f]{64}$'),
        bytes               bytea       NOT NULL,
        stored_at           timestamptz NOT NULL,
        PRIMARY KEY (letter_id, recipient_member_id, format)
      )`);
    await q.query(`CREATE INDEX letter_copies_family_idx ON documents.letter_copies (family_id, letter_id)`);
    await q.query(`
      CREATE FUNCTION documents.refuse_update() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        RAISE EXCEPTION 'documents.letter_copies keeps what was sent: UPDATE is not allowed' USING ERRCODE = 'insufficient_privilege';
      END $$`);
    await q.query(`CREATE TRIGGER letter_copies_unchanged BEFORE UPDATE ON documents.letter_copies FOR EACH ROW EXECUTE FUNCTION documents.refuse_update()`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP SCHEMA documents CASCADE`);
  }
}
