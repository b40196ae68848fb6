import type { EventStore } from '@familievedtak/event-store';
import type { DataSource } from 'typeorm';
import type { Projection } from './projection';
import { ProjectionRunner } from './projection-runner';

describe('ProjectionRunner: taking the lock when the database fails (no PostgreSQL needed)', () => {
  it('a connection whose lock query fails goes back to the pool (a leak would exhaust the pool over a database outage)', async () => {
    const connections: Array<{ released: number }> = [];
    const dataSource = {
      createQueryRunner: () => {
        const connection = {
          released: 0,
          connect: async () => undefined,
          query: async () => {
            throw new Error('terminating connection due to administrator command');
          },
          release: async () => {
            connection.released++;
          },
        };
        connections.push(connection);
        return connection;
      },
    } as unknown as DataSource;
    const projection = { name: 'test', tables: [], apply: async () => undefined } as unknown as Projection;
    const errors: string[] = [];
    const runner = new ProjectionRunner(dataSource, {} as EventStore, projection, { log: (m) => errors.push(m) });
    runner.start();
    for (let i = 0; i < 100 && !connections.length; i++) await new Promise((resolve) => setTimeout(resolve, 10));
    await runner.stop();
    expect(connections.length).toBeGreaterThan(0);
    expect(connections.map((c) => c.released)).toEqual(connections.map(() => 1));
    expect(errors.join('\n')).toMatch(/administrator command/);
  });
});
