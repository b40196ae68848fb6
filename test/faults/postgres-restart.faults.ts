import { randomUUID } from 'node:crypto';
import { ApiProcess, bearer, call, HttpAnswer, spawnApi, waitHealthy } from './support/api-process';
import { FaultDb, openFaultDb } from './support/fault-db';
import { FaultPostgres, startFaultPostgres } from './support/fault-postgres';

const SENDERS = 6;
const FAMILIES = 8;
const DOWN_MS = 3000;

const nav = bearer('nav-kari', 'caseworker', 'NAV');
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

interface Attempt {
  key: string;
  path: string;
  body: { memberId: string; words: string };
  sentAt: number;
  answeredAt: number;
  /** The HTTP answer, or why there was none (the API itself unreachable, timed out). */
  answer?: HttpAnswer;
  failure?: string;
  retry?: HttpAnswer;
}

describe('fault: PostgreSQL restarted while commands are in flight', () => {
  let pg: FaultPostgres;
  let db: FaultDb | undefined;
  let api: ApiProcess;

  afterAll(async () => {
    await api?.stop().catch(() => undefined);
    await db?.close();
    await pg?.destroy();
  });

  it('acknowledged commands are in the log, the API answers 503 while the database is down and recovers by itself, retries with the same key do not duplicate', async () => {
    pg = await startFaultPostgres();
    api = await spawnApi({ name: 'api', databaseUrl: pg.url, env: { PROJECTION_BATCH_SIZE: '20' } });
    await waitHealthy(api, 90000);
    const families = Array.from({ length: FAMILIES }, () => ({ familyId: randomUUID(), adultId: randomUUID() }));
    for (const [i, { familyId, adultId }] of families.entries()) {
      const registered = await call(api, 'POST', '/families', nav, {
        familyId,
        district: 'Heimdal',
        members: [{ memberId: adultId, name: `Adult ${i}`, birthDate: '1990-01-01', role: 'adult' }],
      });
      expect(registered.status).toBe(201);
    }

    const attempts: Attempt[] = [];
    let sending = true;
    let n = 0;
    const sender = async () => {
      while (sending) {
        const i = n++;
        const { familyId, adultId } = families[i % FAMILIES];
        const attempt: Attempt = {
          key: `pg-restart-${randomUUID()}`,
          path: `/families/${familyId}/needs`,
          body: { memberId: adultId, words: `Need ${i}` },
          sentAt: Date.now(),
          answeredAt: 0,
        };
        attempts.push(attempt);
        try {
          attempt.answer = await call(api, 'POST', attempt.path, { ...nav, 'idempotency-key': attempt.key }, attempt.body, 15000);
        } catch (error) {
          const cause = (error as { cause?: { code?: string } }).cause;
          attempt.failure = `${(error as Error).name}: ${cause?.code ?? (error as Error).message}`;
        }
        attempt.answeredAt = Date.now();
        await sleep(attempt.answer?.status === 201 ? 5 : 50);
      }
    };
    const healthWhileDown: number[] = [];
    const senders = Array.from({ length: SENDERS }, sender);

    await sleep(1500);
    const downAt = Date.now();
    await pg.stop();
    const stoppedAt = Date.now();
    while (Date.now() - stoppedAt < DOWN_MS && !api.exited) {
      healthWhileDown.push(
        await call(api, 'GET', '/health', {}, undefined, 10000).then(
          (a) => a.status,
          () => -1,
        ),
      );
      await sleep(250);
    }
    await pg.start();
    const upAt = Date.now();
    // The API process was never restarted: it must find the database again by itself.
    let recoveredAt = 0;
    while (!recoveredAt && Date.now() - upAt < 60000 && !api.exited) {
      const health = await call(api, 'GET', '/health', {}, undefined, 10000).catch(() => undefined);
      if (health?.status === 200) recoveredAt = Date.now();
      else await sleep(100);
    }
    const firstCommandAfter = () => attempts.find((a) => a.sentAt >= upAt && a.answer?.status === 201);
    const commandDeadline = Date.now() + 30000;
    while (!firstCommandAfter() && Date.now() < commandDeadline && !api.exited) await sleep(100);
    await sleep(1000);
    sending = false;
    await Promise.all(senders);

    if (api.exited) throw new Error(`The API process ended (${JSON.stringify(await api.exit)}) when the database went away:\n${api.output().slice(-6000)}`);
    expect(recoveredAt).toBeGreaterThan(0);
    expect(healthWhileDown.length).toBeGreaterThan(0);
    expect(healthWhileDown.filter((s) => s !== 503)).toEqual([]);
    const byStatus = new Map<string, number>();
    for (const a of attempts) {
      const label = a.answer ? String(a.answer.status) : a.failure!;
      byStatus.set(label, (byStatus.get(label) ?? 0) + 1);
    }
    const summary = JSON.stringify(Object.fromEntries(byStatus));
    const unacknowledged = attempts.filter((a) => a.answer?.status !== 201);
    const whileDown = attempts.filter((a) => a.sentAt >= stoppedAt && a.answeredAt <= upAt);

    // Retry every unacknowledged command with its key: each is accepted (once).
    for (const a of unacknowledged) a.retry = await call(api, 'POST', a.path, { ...nav, 'idempotency-key': a.key }, a.body, 15000);
    const replayed = unacknowledged.filter((a) => a.retry?.body?.replayed === true).length;

    const guarded = (api.output().match(/a database connection in use was closed/g) ?? []).length;
    process.stdout.write(
      `[faults] PostgreSQL restart: ${guarded} checked-out connections closed under the API without ending it;  ${attempts.length} commands from ${SENDERS} senders, answers ${summary}; ${whileDown.length} sent and answered while down; ` +
        `database down ${upAt - downAt} ms (stop took ${stoppedAt - downAt} ms), API healthy ${recoveredAt - upAt} ms after the database was back, ` +
        `first command accepted ${firstCommandAfter() ? firstCommandAfter()!.answeredAt - upAt : -1} ms after; /health while down ${JSON.stringify([...new Set(healthWhileDown)])}; ` +
        `${unacknowledged.length} unacknowledged retried (${replayed} had landed before the failure and were replayed)\n`,
    );
    // While the database is down: 503, never 500, and the API itself always answers.
    expect(attempts.filter((a) => a.failure).map((a) => a.failure)).toEqual([]);
    expect(
      attempts.filter((a) => a.answer!.status !== 201 && a.answer!.status !== 503).map((a) => ({ status: a.answer!.status, body: a.answer!.body })),
    ).toEqual([]);
    expect(whileDown.length).toBeGreaterThan(0);
    expect(unacknowledged.length).toBeGreaterThan(0);
    for (const a of unacknowledged) expect({ key: a.key, status: a.retry?.status }).toEqual({ key: a.key, status: 201 });

    // Every key's events exactly once in the log, the ones the client was told about.
    db = await openFaultDb(pg.url);
    const rows = await db.sql<{ key: string; event_id: string }>(
      `SELECT split_part(metadata->>'idempotencyKey', '@', 1) AS key, event_id::text FROM event_store.events WHERE metadata->>'idempotencyKey' LIKE 'pg-restart-%'`,
    );
    const logged = new Map<string, string[]>();
    for (const row of rows) logged.set(row.key, [...(logged.get(row.key) ?? []), row.event_id].sort());
    const ids = (answer: HttpAnswer) => answer.body.events.map((e: { id: string }) => e.id).sort();
    for (const a of attempts) {
      const told = a.answer?.status === 201 ? a.answer : a.retry!;
      expect({ key: a.key, events: logged.get(a.key) }).toEqual({ key: a.key, events: ids(told) });
    }
    expect(logged.size).toBe(attempts.length);

    // The projections found the database again too: the read model equals a fresh rebuild.
    await db.waitForCatchUp(60000);
    const comparison = await db.compare();
    expect(comparison).toMatchObject({ ok: true, missing: 0, extra: 0, different: 0, rows: { live: FAMILIES, rebuilt: FAMILIES } });
    expect(await db.catalogueDifferences()).toEqual([]);
    const health = (await call(api, 'GET', '/health', {})).body;
    expect(health.projections.map((p: { state: string }) => p.state)).toEqual(['running', 'running']);
  }, 180000);
});
