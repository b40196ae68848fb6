import { SqlMigration } from '../sql-migrator';

/**
 * One round trip per append. Order of work inside:
 * 1. a transaction-scoped advisory lock on the stream: writers of one stream queue up,
 *    writers of different streams do not wait for each other;
 * 2. idempotency by event id (through the event-id index), then the expected-revision check;
 * 3. global positions derived from the transaction id: tx_id * 2^20 + offset, the offset
 *    counting events already appended by this transaction (a transaction-local setting).
 *    Position order is therefore transaction-id order, which is what makes the readers'
 *    horizon "tx_id below the oldest running transaction" gap-free, with no global lock
 *    and no sequence;
 * 4. the hash chain, continuing from the stream's last hash;
 * 5. one multi-row INSERT.
 */
export const appendFunction: SqlMigration = {
  version: 2,
  name: 'append_events function',
  sql: `
    CREATE FUNCTION event_store.append_events(p_stream text, p_expected text, p_events jsonb)
    RETURNS TABLE (outcome text, revision bigint, global_position bigint, hash text)
    LANGUAGE plpgsql AS $fn$
    DECLARE
      c_per_tx     CONSTANT int := 1048576; -- EVENTS_PER_TRANSACTION in the adapter
      v_count      int := jsonb_array_length(p_events);
      v_ids        uuid[];
      v_found      int;
      v_found_here int;
      v_found_rev  bigint;
      v_found_pos  bigint;
      v_current    bigint;
      v_prev_hash  text;
      v_offset     int;
      v_base       bigint;
      v_hashes     text[] := '{}';
      i            int;
    BEGIN
      PERFORM pg_advisory_xact_lock(hashtextextended(p_stream, 0));

      SELECT array_agg((e->>'id')::uuid ORDER BY n) INTO v_ids
        FROM jsonb_array_elements(p_events) WITH ORDINALITY AS t(e, n);

      SELECT count(*), count(*) FILTER (WHERE ev.stream_id = p_stream), max(ev.revision), max(ev.global_position)
        INTO v_found, v_found_here, v_found_rev, v_found_pos
        FROM event_store.events ev
       WHERE ev.event_id = ANY (v_ids);
      IF v_found_here = v_count THEN
        RETURN QUERY SELECT 'duplicate'::text, v_found_rev, v_found_pos, NULL::text;
        RETURN;
      ELSIF v_found > 0 THEN
        RETURN QUERY SELECT 'id_conflict'::text, v_found_rev, v_found_pos, NULL::text;
        RETURN;
      END IF;

      SELECT ev.revision, ev.hash INTO v_current, v_prev_hash
        FROM event_store.events ev
       WHERE ev.stream_id = p_stream
       ORDER BY ev.revision DESC
       LIMIT 1;
      IF NOT FOUND THEN
        v_current := -1;
        v_prev_hash := repeat('0', 64);
      END IF;

      IF NOT (p_expected = 'any'
           OR (p_expected = 'no_stream' AND v_current = -1)
           OR (p_expected = 'stream_exists' AND v_current >= 0)
           OR (p_expected ~ '^[0-9]+$' AND v_current = p_expected::bigint)) THEN
        RETURN QUERY SELECT 'wrong_expected_version'::text, v_current, NULL::bigint, NULL::text;
        RETURN;
      END IF;

      v_offset := coalesce(nullif(current_setting('event_store.tx_offset', true), ''), '0')::int;
      IF v_offset + v_count > c_per_tx THEN
        RAISE EXCEPTION 'one transaction may append at most % events', c_per_tx;
      END IF;
      PERFORM set_config('event_store.tx_offset', (v_offset + v_count)::text, true);
      v_base := (pg_current_xact_id()::text::bigint * c_per_tx) + v_offset;

      FOR i IN 1 .. v_count LOOP
        v_prev_hash := encode(sha256(convert_to(
          v_prev_hash || E'\\n' || p_stream || E'\\n' || (v_current + i)::text || E'\\n' || (p_events -> (i - 1) ->> 'digest'),
          'UTF8')), 'hex');
        v_hashes := v_hashes || v_prev_hash;
      END LOOP;

      INSERT INTO event_store.events
        (global_position, stream_id, revision, event_id, type, data, metadata, recorded_at, hash)
      SELECT v_base + t.n - 1, p_stream, v_current + t.n, (t.e->>'id')::uuid, t.e->>'type',
             t.e->'data', t.e->'metadata', (t.e->>'recordedAt')::timestamptz, v_hashes[t.n]
        FROM jsonb_array_elements(p_events) WITH ORDINALITY AS t(e, n);

      RETURN QUERY SELECT 'ok'::text, v_current + v_count, v_base + v_count - 1, v_prev_hash;
    END
    $fn$;
  `,
};
