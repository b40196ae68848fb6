import { SqlMigration } from '../sql-migrator';

/** The log itself: one table, positions from one sequence, revisions unique per stream. */
export const eventsTable: SqlMigration = {
  version: 1,
  name: 'events table',
  sql: `
    CREATE SEQUENCE event_store.global_position_seq AS bigint START 1 CACHE 1;

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
      -- The writing transaction: readers only pass events whose transaction is older than
      -- every transaction still running (see append_events and the README, "gap safety").
      tx_id           xid8        NOT NULL DEFAULT pg_current_xact_id(),
      CONSTRAINT events_stream_revision_key UNIQUE (stream_id, revision),
      CONSTRAINT events_event_id_key UNIQUE (event_id),
      CONSTRAINT events_revision_non_negative CHECK (revision >= 0)
    );

    CREATE INDEX events_type_position_idx ON event_store.events (type, global_position);
  `,
};
