import type { DataSource } from 'typeorm';

/**
 * Runs the pending read-model migrations under an advisory lock, so several instances
 * starting together apply each migration once.
 */
export async function runReadModelMigrations(dataSource: DataSource): Promise<string[]> {
  const lock = dataSource.createQueryRunner();
  await lock.connect();
  try {
    await lock.query(`SELECT pg_advisory_lock(hashtextextended('migrate:read_models', 42))`);
    const applied = await dataSource.runMigrations({ transaction: 'each' });
    return applied.map((m) => m.name);
  } finally {
    await lock.query(`SELECT pg_advisory_unlock(hashtextextended('migrate:read_models', 42))`).catch(() => undefined);
    await lock.release();
  }
}
