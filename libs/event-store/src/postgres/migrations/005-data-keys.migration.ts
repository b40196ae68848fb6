import { SqlMigration } from '../sql-migrator';

/**
 * The key store of crypto-shredding (docs/design/retention-and-erasure.md §2): one data key per
 * record of a stream, wrapped by a key-encryption key from the environment. Apart from the log and
 * mutable on purpose, in one direction only: a live key may be erased (wrapped := NULL plus the
 * tombstone) or re-wrapped under another KEK; an erased key never comes back, and no row is
 * deleted, so a key once erased is never made again (`ON CONFLICT DO NOTHING` finds its tombstone).
 * It lives in PostgreSQL also when the log is in EventStoreDB (KeyStore.migrate runs it alone).
 *
 * Lookups: by stream (the primary key's leading column: a reader fetches a stream's keys in one
 * query), by subject ("everything of member X": GIN on subject_ids) and by erasure id (the
 * retention job's repair after a crash between shredding and its event).
 */
export const dataKeysTable: SqlMigration = {
  version: 5,
  name: 'keys.data_keys (crypto-shredding key store)',
  sql: `
    CREATE SCHEMA IF NOT EXISTS keys;
    CREATE TABLE keys.data_keys (
      stream_id        text        NOT NULL,
      key_ref          text        NOT NULL,
      category         text        NOT NULL,
      subject_ids      text[]      NOT NULL DEFAULT '{}',
      wrapped          bytea       NULL,
      kek_id           text        NULL,
      created_at       timestamptz NOT NULL DEFAULT now(),
      erased_at        timestamptz NULL,
      erased_on        date        NULL,
      erased_rule      text        NULL,
      erased_provision text        NULL,
      erased_by        text        NULL,
      erasure_id       text        NULL,
      CONSTRAINT data_keys_pkey PRIMARY KEY (stream_id, key_ref),
      CONSTRAINT data_keys_live_or_erased CHECK (
        (wrapped IS NOT NULL AND kek_id IS NOT NULL AND erased_at IS NULL AND erased_on IS NULL)
        OR (wrapped IS NULL AND erased_at IS NOT NULL AND erased_on IS NOT NULL))
    );
    CREATE INDEX data_keys_subjects_idx ON keys.data_keys USING gin (subject_ids);
    CREATE INDEX data_keys_erasure_idx ON keys.data_keys (erasure_id) WHERE erasure_id IS NOT NULL;

    CREATE FUNCTION keys.guard_data_keys() RETURNS trigger LANGUAGE plpgsql AS $fn$
    BEGIN
      IF TG_OP IN ('DELETE', 'TRUNCATE') THEN
        RAISE EXCEPTION 'keys.data_keys keeps every key and tombstone: % refused', TG_OP USING ERRCODE = 'insufficient_privilege';
      END IF;
      IF OLD.wrapped IS NULL THEN
        RAISE EXCEPTION 'keys.data_keys: key % of % is erased and stays erased', OLD.key_ref, OLD.stream_id USING ERRCODE = 'insufficient_privilege';
      END IF;
      IF NEW.stream_id IS DISTINCT FROM OLD.stream_id OR NEW.key_ref IS DISTINCT FROM OLD.key_ref OR NEW.category IS DISTINCT FROM OLD.category
         OR NEW.subject_ids IS DISTINCT FROM OLD.subject_ids OR NEW.created_at IS DISTINCT FROM OLD.created_at THEN
        RAISE EXCEPTION 'keys.data_keys: only erasing or re-wrapping a key is allowed' USING ERRCODE = 'insufficient_privilege';
      END IF;
      RETURN NEW;
    END
    $fn$;
    CREATE TRIGGER data_keys_guard BEFORE UPDATE OR DELETE ON keys.data_keys
      FOR EACH ROW EXECUTE FUNCTION keys.guard_data_keys();
    CREATE TRIGGER data_keys_no_truncate BEFORE TRUNCATE ON keys.data_keys
      FOR EACH STATEMENT EXECUTE FUNCTION keys.guard_data_keys();
  `,
};
