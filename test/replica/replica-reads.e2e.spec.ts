import { randomUUID } from 'node:crypto';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { ensureDatabase, readAppConfig } from '@familievedtak/database';
import { FamilyViewReadRouting, REPLICA_APPLICATION_NAME } from '@familievedtak/projections';
import type { LightMyRequestResponse } from 'fastify';
import { Client } from 'pg';
import { createApp } from '../../apps/api/src/create-app';
import { headersFor, TEST_AUTH, type Headers } from '../support/test-app';
import { queryOnce, startStreamingReplica, waitFor, type StreamingReplica } from './streaming-replica';

const nav: Headers = headersFor({ userId: 'nav-kari', role: 'caseworker', unit: 'NAV' });
/** Long enough for a resumed standby to catch up inside it on a busy machine; one read waits it out in full. */
const WAIT_MS = 1_500;

/**
 * The API with DATABASE_URL on a real primary and DATABASE_READ_URL on a real hot standby
 * streaming from it. Replay on the standby is paused to make it lag on purpose: a plain read
 * then shows the old revision (so it came from the standby), a read naming the new revision
 * waits out the bound and is served from the primary, and writes all land on the primary.
 */
describe('API: family view reads from a streaming replica (real primary and standby)', () => {
  let cluster: StreamingReplica;
  let app: NestFastifyApplication;
  let primaryDb: string;
  let standbyDb: string;
  let routing: FamilyViewReadRouting;
  /** Held open, so pausing and resuming replay is one round trip. */
  let standbyControl: Client;
  const familyId = randomUUID();
  const adultId = randomUUID();

  const inject = (method: 'GET' | 'POST', url: string, headers: Headers, payload?: unknown): Promise<LightMyRequestResponse> =>
    app
      .getHttpAdapter()
      .getInstance()
      .inject({ method, url, headers, payload: payload as object });
  const command = async (url: string, body: unknown): Promise<number> => {
    const response = await inject('POST', url, nav, body);
    if (response.statusCode >= 300) throw new Error(`${url}: ${response.statusCode} ${response.body}`);
    return response.json().revision;
  };
  const viewRevision = async (on: string): Promise<number | undefined> => {
    const rows = await queryOnce(on, 'SELECT revision FROM read_models.family_view WHERE family_id = $1', [familyId]);
    return rows.length ? Number(rows[0].revision) : undefined;
  };
  const read = (extra: Headers = {}) => inject('GET', `/families/${familyId}?today=2026-11-27`, { ...nav, ...extra });
  const auditRows = async (on: string) => Number((await queryOnce(on, 'SELECT count(*) AS n FROM audit.read_access WHERE family_id = $1', [familyId]))[0].n);

  beforeAll(async () => {
    cluster = await startStreamingReplica();
    await ensureDatabase(cluster.primaryUrl, 'familievedtak');
    primaryDb = cluster.database(cluster.primaryUrl, 'familievedtak');
    standbyDb = cluster.database(cluster.standbyUrl, 'familievedtak');
    // CREATE DATABASE replays on the standby like any other WAL record.
    await waitFor(
      'the database on the standby',
      async () => (await queryOnce(cluster.standbyUrl, `SELECT 1 FROM pg_database WHERE datname = 'familievedtak'`)).length === 1,
    );
    app = await createApp(
      readAppConfig(primaryDb, {
        RUN_PROJECTIONS: 'true',
        RATE_LIMIT_PER_MINUTE: '1000000',
        DATABASE_READ_URL: standbyDb,
        READ_YOUR_WRITES_WAIT_MS: String(WAIT_MS),
      }),
      TEST_AUTH,
      false,
    );
    await app.init();
    await app.getHttpAdapter().getInstance().ready();
    routing = app.get(FamilyViewReadRouting);
    standbyControl = new Client({ connectionString: standbyDb });
    await standbyControl.connect();
  }, 120_000);

  afterAll(async () => {
    await standbyControl?.end();
    await app?.close();
    await cluster?.stop();
  });

  it('reads the view from the standby, and waits for (or goes to the primary for) a revision the client wrote', async () => {
    expect(routing.hasReplica).toBe(true);
    const registered = await command('/families', {
      familyId,
      district: 'Heimdal',
      members: [{ memberId: adultId, name: 'Amina', birthDate: '1988-03-02', role: 'adult' }],
    });
    await waitFor('the standby to have the family', async () => (await viewRevision(standbyDb)) === registered);
    const first = await read();
    expect(first.statusCode).toBe(200);
    expect(first.headers.etag).toBe(`"${registered}"`);

    // The standby stops replaying: from here it shows the family as it was.
    await standbyControl.query('SELECT pg_wal_replay_pause()');
    await waitFor('replay to pause', async () => (await queryOnce(standbyDb, 'SELECT pg_get_wal_replay_pause_state() AS state'))[0].state === 'paused');
    const written = await command(`/families/${familyId}/needs`, { needId: randomUUID(), memberId: adultId, words: 'Arbeid', expressedOn: '2026-09-01' });
    expect(written).toBeGreaterThan(registered);
    await waitFor('the primary projection to apply the need', async () => (await viewRevision(primaryDb)) === written);
    expect(await viewRevision(standbyDb)).toBe(registered);

    // A plain read is served by the standby: the old revision, though the primary has the new one.
    const stale = await read();
    expect(stale.statusCode).toBe(200);
    expect(stale.headers.etag).toBe(`"${registered}"`);

    // The client that wrote names its revision: the standby is behind for the whole bound, so the primary answers.
    const beforePrimary = routing.served.primary;
    const started = Date.now();
    const mine = await read({ 'x-min-revision': `"${written}"` });
    expect(mine.statusCode).toBe(200);
    expect(mine.headers.etag).toBe(`"${written}"`);
    expect(Date.now() - started).toBeGreaterThanOrEqual(WAIT_MS);
    expect(routing.served.primary).toBe(beforePrimary + 1);

    // An older or equal revision named: routed to the standby, which has it, without waiting. The
    // answer is the newer view the primary read just put in the cache (the change feed vouches
    // that it is current): never older than the revision named.
    const beforeReplica = routing.served.replica;
    const older = await read({ 'x-min-revision': String(registered) });
    expect(older.headers.etag).toBe(`"${written}"`);
    expect(routing.served.replica).toBe(beforeReplica + 1);

    // Replay resumes while a read waits for the new revision: the standby catches up inside the bound and answers.
    const waiting = read({ 'x-min-revision': String(written) });
    await standbyControl.query('SELECT pg_wal_replay_resume()');
    const caughtUp = await waiting;
    expect(caughtUp.statusCode).toBe(200);
    expect(caughtUp.headers.etag).toBe(`"${written}"`);
    await waitFor('a plain read to show the new revision', async () => (await read()).headers.etag === `"${written}"`);
    expect(routing.served.primary).toBe(beforePrimary + 1);
  });

  it('refuses a malformed X-Min-Revision with 400, and serves a list that names a revision from the primary', async () => {
    const bad = await read({ 'x-min-revision': 'latest' });
    expect(bad.statusCode).toBe(400);
    expect(bad.json()).toMatchObject({ status: 400 });

    const beforePrimary = routing.served.primary;
    const list = await inject('GET', '/families?limit=5', { ...nav, 'x-min-revision': '0' });
    expect(list.statusCode).toBe(200);
    expect(list.json().items.map((item: { familyId: string }) => item.familyId)).toContain(familyId);
    expect(routing.served.primary).toBe(beforePrimary + 1);
  });

  it('never writes to the standby: the log, the projection and the read audit are written on the primary only', async () => {
    expect((await queryOnce(standbyDb, 'SELECT pg_is_in_recovery() AS recovering'))[0].recovering).toBe(true);
    // The app's read pool is connected to the standby, and only there.
    const onStandby = await queryOnce(cluster.standbyUrl, 'SELECT count(*) AS n FROM pg_stat_activity WHERE application_name = $1', [REPLICA_APPLICATION_NAME]);
    const onPrimary = await queryOnce(cluster.primaryUrl, 'SELECT count(*) AS n FROM pg_stat_activity WHERE application_name = $1', [REPLICA_APPLICATION_NAME]);
    expect(Number(onStandby[0].n)).toBeGreaterThan(0);
    expect(Number(onPrimary[0].n)).toBe(0);

    // A read served by the standby still records its read audit row, on the primary (the standby gets it by replay).
    const auditBefore = await auditRows(primaryDb);
    const servedBefore = routing.served.replica;
    expect((await read()).statusCode).toBe(200);
    expect(routing.served.replica).toBe(servedBefore + 1);
    expect(await auditRows(primaryDb)).toBe(auditBefore + 1);
    await waitFor('the audit row to replay on the standby', async () => (await auditRows(standbyDb)) === auditBefore + 1);

    // Every event is in the primary's log; the standby has exactly the same, by replay.
    const events = async (on: string) => Number((await queryOnce(on, 'SELECT count(*) AS n FROM event_store.events'))[0].n);
    const primaryEvents = await events(primaryDb);
    expect(primaryEvents).toBeGreaterThanOrEqual(2);
    await waitFor('the standby log to match the primary', async () => (await events(standbyDb)) === primaryEvents);
  });
});
