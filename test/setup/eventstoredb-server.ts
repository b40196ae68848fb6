import { dockerAnswers } from './docker';

export interface TestEventStoreDb {
  /** e.g. esdb://localhost:49153?tls=false */
  url: string;
  source: 'EVENTSTORE_CONNECTION_STRING' | 'testcontainers';
  stop(): Promise<void>;
}

/**
 * The KurrentDB image of the contract suite: the same as docker/docker-compose.yml's `kurrentdb`
 * service (test/contract/eventstoredb-setup.spec.ts keeps the two equal), so the suite runs
 * against the server the stack runs.
 */
export const KURRENTDB_IMAGE = 'kurrentplatform/kurrentdb:25.1.3';
/** How to run the suite when no server is reachable: printed by the EventStoreDB contract spec. */
export const ESDB_RUN_HINT =
  'To run it, start a KurrentDB: docker compose -f docker/docker-compose.yml --profile eventstoredb up -d kurrentdb; ' +
  'then EVENTSTORE_CONNECTION_STRING="esdb://localhost:2113?tls=false" npm test ' +
  '(or the same with npx jest test/contract/eventstoredb-event-store.contract.spec.ts --runInBand). ' +
  'See docs/operations/eventstoredb.md.';
const HTTP_PORT = 2113;
const READY_TIMEOUT_MS = 60_000;

/**
 * /health/live answers before the node has become leader; wait until a leader serves reads,
 * so the first test does not meet NotLeader/Unavailable. A missing stream is the good answer.
 */
async function waitForLeader(url: string): Promise<void> {
  const { EventStoreDBClient, ErrorType, isCommandError } = await import('@eventstore/db-client');
  const client = EventStoreDBClient.connectionString(url);
  const deadline = Date.now() + READY_TIMEOUT_MS;
  try {
    for (;;) {
      try {
        for await (const _ of client.readStream('fv-readiness-probe', { maxCount: 1, requiresLeader: true })) break;
        return;
      } catch (error) {
        if (error instanceof Error && isCommandError(error) && error.type === ErrorType.STREAM_NOT_FOUND) return;
        if (Date.now() > deadline) throw new Error(`EventStoreDB at ${url} did not become ready: ${String(error)}`);
        await new Promise((resolve) => setTimeout(resolve, 250));
      }
    }
  } finally {
    await client.dispose();
  }
}

/**
 * The EventStoreDB (KurrentDB) server for a test run: EVENTSTORE_CONNECTION_STRING if set,
 * else a throw-away in-memory container when Docker answers, else undefined (the
 * EventStoreDB tests are then skipped).
 */
export async function startTestEventStoreDb(): Promise<TestEventStoreDb | undefined> {
  if (process.env.EVENTSTORE_CONNECTION_STRING) {
    return { url: process.env.EVENTSTORE_CONNECTION_STRING, source: 'EVENTSTORE_CONNECTION_STRING', stop: async () => undefined };
  }
  if (!(await dockerAnswers())) return undefined;

  const { GenericContainer, Wait } = await import('testcontainers');
  const container = await new GenericContainer(KURRENTDB_IMAGE)
    .withEnvironment({
      KURRENTDB_INSECURE: 'true',
      KURRENTDB_RUN_PROJECTIONS: 'None',
      KURRENTDB_MEM_DB: 'true',
    })
    .withExposedPorts(HTTP_PORT)
    .withWaitStrategy(Wait.forHttp('/health/live', HTTP_PORT).forStatusCodeMatching((s) => s >= 200 && s < 300))
    .withStartupTimeout(120_000)
    .start();
  const url = `esdb://${container.getHost()}:${container.getMappedPort(HTTP_PORT)}?tls=false`;
  const stop = async (): Promise<void> => void (await container.stop());
  try {
    await waitForLeader(url);
  } catch (error) {
    await stop();
    throw error;
  }
  return { url, source: 'testcontainers', stop };
}
