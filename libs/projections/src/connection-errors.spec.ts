import type { DataSource } from 'typeorm';
import { createTestDatabase, TestDatabase } from '../../../test/support/test-database';
import { guardCheckedOutConnections } from './connection-errors';
import { createReadModelDataSource } from './read-model-data-source';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('guardCheckedOutConnections (PostgreSQL)', () => {
  let db: TestDatabase;
  let dataSource: DataSource;
  beforeAll(async () => {
    db = await createTestDatabase(2);
    dataSource = createReadModelDataSource(db.url, 2);
    await dataSource.initialize();
  });
  afterAll(async () => {
    await dataSource.destroy();
    await db.drop();
  });

  it('a checked-out connection the server ends (as in a restart) is logged, not an uncaught error that ends the process', async () => {
    const logged: string[] = [];
    guardCheckedOutConnections(dataSource, (m) => logged.push(m));
    guardCheckedOutConnections(dataSource, (m) => logged.push(`twice: ${m}`)); // idempotent
    // Checked out and idle, like the projection runner's advisory-lock session.
    const session = dataSource.createQueryRunner();
    await session.connect();
    const [{ pid }] = await session.query('SELECT pg_backend_pid() AS pid');
    await db.pool.query('SELECT pg_terminate_backend($1)', [pid]);
    for (let i = 0; i < 100 && !logged.length; i++) await sleep(20);
    expect(logged).toHaveLength(1);
    expect(logged[0]).toMatch(/^a database connection in use was closed: /);
    await expect(session.query('SELECT 1')).rejects.toThrow();
    await session.release().catch(() => undefined);
    // The pool dropped it and hands out working connections.
    expect(await dataSource.query('SELECT 1 AS one')).toEqual([{ one: 1 }]);
  });
});
