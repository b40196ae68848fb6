import { SqlMigration } from '../sql-migrator';

/**
 * Several streams in one round trip, for appendToStreams: append_events for each stream, in
 * the order of the stream ids (so two multi-stream writers take the per-stream advisory locks
 * in the same order and cannot deadlock). It stops at the first refusal; the caller's
 * transaction is then rolled back, so a refused append leaves every stream as it was. Each
 * call continues the transaction's position offset (tx_offset), so positions stay
 * transaction-id order and the readers' horizon stays gap-free.
 */
export const appendToStreamsFunction: SqlMigration = {
  version: 4,
  name: 'append_to_streams function',
  sql: `
    CREATE FUNCTION event_store.append_to_streams(p_appends jsonb)
    RETURNS TABLE (idx int, outcome text, revision bigint, global_position bigint, hash text)
    LANGUAGE plpgsql AS $fn$
    DECLARE
      a record;
      r record;
    BEGIN
      FOR a IN
        SELECT (t.n - 1)::int AS i, t.e->>'stream' AS stream, t.e->>'expected' AS expected, t.e->'events' AS events
          FROM jsonb_array_elements(p_appends) WITH ORDINALITY AS t(e, n)
         ORDER BY t.e->>'stream' COLLATE "C"
      LOOP
        SELECT * INTO r FROM event_store.append_events(a.stream, a.expected, a.events);
        RETURN QUERY SELECT a.i, r.outcome, r.revision, r.global_position, r.hash;
        IF r.outcome NOT IN ('ok', 'duplicate') THEN
          RETURN;
        END IF;
      END LOOP;
    END
    $fn$;
  `,
};
