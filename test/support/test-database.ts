import { randomBytes } from 'node:crypto';
import { Client, Pool } from 'pg';

export interface TestDatabase {
  url: string;
  pool: Pool;
  /** Ends the pool and drops the database. */
  drop(): Promise<void>;
}

function adminUrl(): string {
  const url = process.env.FV_TEST_ADMIN_URL;
  if (!url) throw new Error('FV_TEST_ADMIN_URL is not set: run the tests through jest (npm test), whose global setup starts PostgreSQL');
  return url;
}

/** A fresh, empty database for one test file, so files can run in parallel without sharing state. */
export async function createTestDatabase(poolSize = 20): Promise<TestDatabase> {
  const name = `fv_test_${randomBytes(6).toString('hex')}`;
  const admin = new Client({ connectionString: adminUrl() });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const url = new URL(adminUrl());
  url.pathname = `/${name}`;
  const pool = new Pool({ connectionString: url.toString(), max: poolSize });
  // An idle client whose connection ends (the database dropped WITH (FORCE) just after
  // pool.end() resolved, or a test terminating backends on purpose) is removed from the pool and
  // the next query opens a new one; pg-pool still emits 'error' for it, which without a listener
  // ends the whole test file. Queries that fail still fail their test.
  pool.on('error', () => undefined);
  return {
    url: url.toString(),
    pool,
    drop: async () => {
      await pool.end();
      const client = new Client({ connectionString: adminUrl() });
      await client.connect();
      await client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await client.end();
    },
  };
}
