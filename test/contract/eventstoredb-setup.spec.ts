import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { ESDB_RUN_HINT, KURRENTDB_IMAGE } from '../setup/eventstoredb-server';

/** The contract suite's KurrentDB is the compose stack's, and the skip line says how to run it. */
describe('EventStoreDB contract suite set-up', () => {
  const compose = parse(readFileSync(join(__dirname, '../../docker/docker-compose.yml'), 'utf8')) as {
    services: Record<string, { image?: string; profiles?: string[] }>;
  };

  it('pins the same KurrentDB image as docker/docker-compose.yml', () => {
    const kurrentdb = compose.services.kurrentdb;
    expect(kurrentdb?.image).toMatch(/^[^:]+:\d+\.\d+\.\d+$/); // a version, not "latest"
    expect(KURRENTDB_IMAGE).toBe(kurrentdb?.image);
  });

  it('names the compose profile and the connection string in its skip line', () => {
    expect(compose.services.kurrentdb?.profiles).toContain('eventstoredb');
    expect(ESDB_RUN_HINT).toContain('--profile eventstoredb');
    expect(ESDB_RUN_HINT).toContain('EVENTSTORE_CONNECTION_STRING="esdb://localhost:2113?tls=false" npm test');
  });
});
