import { SqlMigration } from '../sql-migrator';

/**
 * The log itself: one table, revisions unique per stream, global positions derived from the
 * writing transaction's id (no sequence), and the readers' safe horizon.
 */
export const eventsTable: SqlMigration = {
  version: 1,
  name: 'events table',
  sql: `
    CREATE TABLE event_store.events (
      global_position bigint      PRIMARY KEY,
      stream_id       text        NOT NULL,
      revision        bigint      NOT NULL,
      event_id        uuid        NOT NULL,
      type            text        NOT NULL,
      data            jsonb       NOT NULL,
      metadata        jsonb       NOT NULL,
      recorded_at     timestamptz NOT NULL,
      hash            char(64)    NOT NULL,
      CONSTRAINT events_stream_revision_key UNIQUE (stream_id, revision),
      CONSTRAINT events_event_id_key UNIQUE (event_id),
      CONSTRAINT events_revision_non_negative CHECK (revision >= 0)
    );
    -- global_position = writing transaction id * 2^20 + offset within the transaction (see
    -- append_events). Readers only pass positions below the oldest running transaction id
    -- * 2^20: every transaction below it has ended, so nothing can appear there any more.
    CREATE FUNCTION event_store.safe_horizon() RETURNS bigint
      LANGUAGE sql STABLE PARALLEL SAFE
      AS 'SELECT pg_snapshot_xmin(pg_current_snapshot())::text::bigint * 1048576';

    CREATE INDEX events_type_position_idx ON event_store.events (type, global_position);
  `,
};
