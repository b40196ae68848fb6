import type { DataSource } from 'typeorm';

interface PgClientLike {
  on(event: 'error', listener: (error: Error) => void): unknown;
}
interface PgPoolLike {
  on(event: 'acquire' | 'connect', listener: (client: PgClientLike) => void): unknown;
}

const GUARDED = Symbol('familievedtak.connectionErrorGuard');

/**
 * A connection checked out of the pg pool (the projection runner's advisory-lock session, a
 * batch transaction between two statements, the migration lock) has no 'error' listener: the
 * pool removes its own on checkout. When the server goes away under it (restart, failover,
 * an administrator ending the session), the client emits 'error' and, unheard, that ends the
 * whole process. This gives every client of the data source's pool a listener of its own,
 * once: the error is logged, the query in flight (if any) still fails, the pool drops the
 * client on release, and the runner's watchdog notices a lost lock session.
 */
export function guardCheckedOutConnections(dataSource: DataSource, log: (message: string) => void): void {
  const pool = (dataSource.driver as unknown as { master?: PgPoolLike }).master;
  if (!pool || (pool as unknown as Record<symbol, boolean>)[GUARDED]) return;
  (pool as unknown as Record<symbol, boolean>)[GUARDED] = true;
  const guard = (client: PgClientLike) => {
    const marked = client as unknown as Record<symbol, boolean>;
    if (marked[GUARDED]) return;
    marked[GUARDED] = true;
    client.on('error', (error) => log(`a database connection in use was closed: ${error.message}`));
  };
  pool.on('connect', guard);
  pool.on('acquire', guard);
}
