import type { Pool, QueryResult } from 'pg';

/**
 * Runs SQL with triggers off (session_replication_role = replica, superuser only), as someone
 * tampering with the database directly would: the tests of tamper evidence need to get past
 * the append-only triggers of event_store.events to prove the hash chain catches the edit.
 */
export async function asTamperer(pool: Pool, text: string, params: unknown[] = []): Promise<QueryResult> {
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    await client.query('SET LOCAL session_replication_role = replica');
    const result = await client.query(text, params);
    await client.query('COMMIT');
    return result;
  } catch (error) {
    await client.query('ROLLBACK');
    throw error;
  } finally {
    client.release();
  }
}
