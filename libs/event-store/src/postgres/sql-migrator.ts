import { Pool } from 'pg';

export interface SqlMigration {
  version: number;
  name: string;
  sql: string;
}

/**
 * Applies numbered SQL migrations to one schema, each in its own transaction, recording them
 * in <schema>.schema_migrations. An advisory lock keyed on the schema name lets several
 * instances start at once without racing each other.
 */
export async function migrateSchema(pool: Pool, schema: string, migrations: SqlMigration[]): Promise<number[]> {
  const client = await pool.connect();
  const applied: number[] = [];
  try {
    await client.query('SELECT pg_advisory_lock(hashtextextended($1, 42))', [`migrate:${schema}`]);
    await client.query(`CREATE SCHEMA IF NOT EXISTS ${client.escapeIdentifier(schema)}`);
    await client.query(
      `CREATE TABLE IF NOT EXISTS ${client.escapeIdentifier(schema)}.schema_migrations (
         version int PRIMARY KEY, name text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now())`,
    );
    const { rows } = await client.query<{ version: number }>(`SELECT version FROM ${client.escapeIdentifier(schema)}.schema_migrations`);
    const done = new Set(rows.map((r) => r.version));
    for (const migration of [...migrations].sort((a, b) => a.version - b.version)) {
      if (done.has(migration.version)) continue;
      await client.query('BEGIN');
      try {
        await client.query(migration.sql);
        await client.query(`INSERT INTO ${client.escapeIdentifier(schema)}.schema_migrations (version, name) VALUES ($1, $2)`, [
          migration.version,
          migration.name,
        ]);
        await client.query('COMMIT');
        applied.push(migration.version);
      } catch (error) {
        await client.query('ROLLBACK');
        throw error;
      }
    }
  } finally {
    await client.query('SELECT pg_advisory_unlock(hashtextextended($1, 42))', [`migrate:${schema}`]).catch(() => undefined);
    client.release();
  }
  return applied;
}
