import type { LocalDate } from '@familievedtak/domain';
import type { Pool } from 'pg';

/**
 * The read audit's purge (docs/design/retention-and-erasure.md § 8). audit.read_access refuses
 * every UPDATE, DELETE and TRUNCATE, except a DELETE of rows older than the cut-off set for the
 * deleting transaction itself (read-model migration ReadAuditPurge1765070000000). The cut-off is
 * the schedule's (readAuditPurgeBefore): rows read before that Oslo day are due.
 */

const SETTING = 'familievedtak.read_audit_purge_before';

/** The first instant of `day` in Oslo: rows recorded before it were read before that day. */
export async function purgeCutoffInstant(pool: Pool, day: LocalDate): Promise<Date> {
  const { rows } = await pool.query<{ cutoff: Date }>(`SELECT (($1::date)::timestamp AT TIME ZONE 'Europe/Oslo') AS cutoff`, [day]);
  return rows[0].cutoff;
}

/** How many rows a purge before `day` would delete (dry run). */
export async function countReadAuditDue(pool: Pool, day: LocalDate): Promise<number> {
  const cutoff = await purgeCutoffInstant(pool, day);
  const { rows } = await pool.query<{ n: number }>(`SELECT count(*)::int AS n FROM audit.read_access WHERE at < $1`, [cutoff]);
  return rows[0].n;
}

/**
 * Deletes the rows read before `day`, in one transaction that sets the cut-off for itself only
 * (set_config(…, true) is SET LOCAL with a bound value): the trigger lets exactly these rows go.
 */
export async function purgeReadAudit(pool: Pool, day: LocalDate): Promise<{ cutoff: Date; purged: number }> {
  const cutoff = await purgeCutoffInstant(pool, day);
  const client = await pool.connect();
  let broken: Error | undefined;
  try {
    await client.query('BEGIN');
    await client.query(`SELECT set_config($1, $2, true)`, [SETTING, cutoff.toISOString()]);
    const { rowCount } = await client.query(`DELETE FROM audit.read_access WHERE at < $1`, [cutoff]);
    await client.query('COMMIT');
    return { cutoff, purged: rowCount ?? 0 };
  } catch (error) {
    await client.query('ROLLBACK').catch((rollbackError: Error) => (broken = rollbackError));
    throw error;
  } finally {
    client.release(broken);
  }
}
