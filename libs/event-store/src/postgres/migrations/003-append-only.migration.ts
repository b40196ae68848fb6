import { SqlMigration } from '../sql-migrator';

/**
 * The log is only ever appended to: UPDATE, DELETE and TRUNCATE of event_store.events are
 * refused for every role, including the API's. The hash chain still shows an edit made by
 * someone who can switch triggers off (a superuser with session_replication_role = replica);
 * this stops everyone else, and every mistake.
 */
export const appendOnly: SqlMigration = {
  version: 3,
  name: 'event_store.events is append-only',
  sql: `
    CREATE FUNCTION event_store.refuse_change() RETURNS trigger LANGUAGE plpgsql AS $fn$
    BEGIN
      RAISE EXCEPTION 'event_store.events is append-only: % refused', TG_OP USING ERRCODE = 'insufficient_privilege';
    END
    $fn$;
    CREATE TRIGGER events_append_only BEFORE UPDATE OR DELETE ON event_store.events
      FOR EACH ROW EXECUTE FUNCTION event_store.refuse_change();
    CREATE TRIGGER events_no_truncate BEFORE TRUNCATE ON event_store.events
      FOR EACH STATEMENT EXECUTE FUNCTION event_store.refuse_change();
  `,
};
