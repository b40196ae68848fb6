import { randomUUID } from 'node:crypto';
import { ApiProcess, bearer, call, HttpAnswer, spawnApi, waitHealthy } from './support/api-process';
import { FaultDb, openFaultDb } from './support/fault-db';
import { FaultPostgres, startFaultPostgres } from './support/fault-postgres';

const INSTANCES = 3;
const FAMILIES = 12;
const COMMANDS = 300;
const CONCURRENCY = 12;

const nav = bearer('nav-kari', 'caseworker', 'NAV');
const hvkLeader = bearer('hvk-leder', 'unit-leader', 'HVK');
const hvk = bearer('hvk-kari', 'caseworker', 'HVK');

type Kind = 'plain' | 'stale' | 'read-then-write' | 'concurrent-duplicate';
interface Sent {
  key: string;
  kind: Kind;
  familyId: string;
  answers: HttpAnswer[];
  retried?: HttpAnswer;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Runs `work` over `items` with at most `limit` at a time. */
async function pool<T>(items: T[], limit: number, work: (item: T, index: number) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: limit }, async () => {
      while (next < items.length) {
        const index = next++;
        await work(items[index], index);
      }
    }),
  );
}

const eventIds = (answer: HttpAnswer): string[] => (answer.body?.events ?? []).map((e: { id: string }) => e.id);

describe('fault: three API processes on one database, load spread across them', () => {
  let pg: FaultPostgres;
  let db: FaultDb;
  let apis: ApiProcess[] = [];

  beforeAll(async () => {
    pg = await startFaultPostgres();
    // All three start at once on an empty database: migrations race too.
    apis = await Promise.all(Array.from({ length: INSTANCES }, (_, i) => spawnApi({ name: `api-${i}`, databaseUrl: pg.url })));
    await Promise.all(apis.map((api) => waitHealthy(api, 90000)));
    db = await openFaultDb(pg.url);
  }, 150000);

  afterAll(async () => {
    await Promise.all(apis.map((api) => api.stop().catch(() => undefined)));
    await db?.close();
    await pg?.destroy();
  });

  // Every 100 ms during the cases: who holds each projection's advisory lock.
  const lockSamples: Record<string, number[][]> = { 'family-view': [], 'stream-catalogue': [] };
  let sampler: NodeJS.Timeout | undefined;
  /** Samples still being taken: awaited after the sampler stops, instead of sleeping for them. */
  const sampling = new Set<Promise<void>>();
  const startSampling = () => {
    sampler = setInterval(() => {
      for (const name of Object.keys(lockSamples)) {
        const sample = db.lockHolders(name).then(
          (pids) => void lockSamples[name].push(pids),
          () => undefined,
        );
        sampling.add(sample);
        void sample.finally(() => sampling.delete(sample));
      }
    }, 100);
  };
  afterAll(() => clearInterval(sampler));

  it('every command lands once, conflicts are 409, retries on another instance get the same answer, nothing unacknowledged is appended', async () => {
    startSampling();
    const started = Date.now();
    const families = Array.from({ length: FAMILIES }, () => ({ familyId: randomUUID(), adultId: randomUUID() }));
    await pool(families, 6, async ({ familyId, adultId }, i) => {
      const registered = await call(
        apis[i % INSTANCES],
        'POST',
        '/families',
        { ...nav, 'idempotency-key': `reg-${familyId}` },
        {
          familyId,
          district: 'Lerkendal',
          members: [{ memberId: adultId, name: `Adult ${i}`, birthDate: '1990-01-01', role: 'adult' }],
        },
      );
      expect(registered.status).toBe(201);
      // A first need, so that If-Match "0" is stale from here on.
      const first = await call(
        apis[(i + 1) % INSTANCES],
        'POST',
        `/families/${familyId}/needs`,
        { ...nav, 'idempotency-key': `first-${familyId}` },
        { memberId: adultId, words: 'Bolig' },
      );
      expect(first.status).toBe(201);
    });

    const kindOf = (i: number): Kind => (i % 10 === 3 ? 'stale' : i % 13 === 5 ? 'concurrent-duplicate' : i % 5 === 1 ? 'read-then-write' : 'plain');
    const sent: Sent[] = Array.from({ length: COMMANDS }, (_, i) => ({
      key: `cmd-${randomUUID()}`,
      kind: kindOf(i),
      familyId: families[i % FAMILIES].familyId,
      answers: [],
    }));
    await pool(sent, CONCURRENCY, async (command, i) => {
      const api = apis[i % INSTANCES];
      const other = apis[(i + 1) % INSTANCES];
      const family = families[i % FAMILIES];
      const body = { memberId: family.adultId, words: `Need number ${i}` };
      const headers: Record<string, string> = { ...nav, 'idempotency-key': command.key };
      const path = `/families/${family.familyId}/needs`;
      if (command.kind === 'stale') headers['if-match'] = '"0"';
      if (command.kind === 'read-then-write') {
        const seen = await call(api, 'GET', `/families/${family.familyId}/stream-state`, nav);
        expect(seen.status).toBe(200);
        headers['if-match'] = `"${seen.body.revision}"`;
      }
      if (command.kind === 'concurrent-duplicate') {
        // The same command (same key) to two instances at the same moment.
        command.answers.push(...(await Promise.all([call(api, 'POST', path, headers, body), call(other, 'POST', path, headers, body)])));
      } else {
        command.answers.push(await call(api, 'POST', path, headers, body));
      }
      // Every 4th acknowledged plain command is retried on another instance (a client whose answer was lost).
      if (command.kind === 'plain' && i % 4 === 0 && command.answers[0].status === 201) command.retried = await call(other, 'POST', path, headers, body);
    });

    // What the clients were told.
    const statuses = sent.flatMap((c) => c.answers.map((a) => a.status));
    expect(statuses.filter((s) => s !== 201 && s !== 409)).toEqual([]);
    for (const c of sent.filter((c) => c.kind === 'stale')) expect(c.answers[0]).toMatchObject({ status: 409, body: { code: 'REVISION_CONFLICT' } });
    for (const c of sent.filter((c) => c.kind === 'plain')) expect(c.answers[0].status).toBe(201);
    for (const c of sent.filter((c) => c.answers.some((a) => a.status === 409))) {
      expect(c.kind === 'stale' || c.kind === 'read-then-write').toBe(true);
      expect(c.answers[0].body).toMatchObject({ status: 409, code: 'REVISION_CONFLICT' });
    }
    for (const c of sent.filter((c) => c.kind === 'concurrent-duplicate')) {
      expect(c.answers.map((a) => a.status)).toEqual([201, 201]);
      expect(eventIds(c.answers[1])).toEqual(eventIds(c.answers[0]));
    }
    const retried = sent.filter((c) => c.retried);
    for (const c of retried) {
      expect(c.retried!.status).toBe(201);
      expect(c.retried!.body.replayed).toBe(true);
      expect(eventIds(c.retried!)).toEqual(eventIds(c.answers[0]));
    }

    // What the log holds: each acknowledged command's events exactly once, nothing of a refused one.
    const rows = await db.sql<{ key: string; event_id: string }>(
      `SELECT split_part(metadata->>'idempotencyKey', '@', 1) AS key, event_id::text FROM event_store.events WHERE metadata->>'idempotencyKey' LIKE 'cmd-%' ORDER BY global_position`,
    );
    const logged = new Map<string, string[]>();
    for (const row of rows) logged.set(row.key, [...(logged.get(row.key) ?? []), row.event_id]);
    let acknowledged = 0;
    let refused = 0;
    for (const c of sent) {
      const ok = c.answers.find((a) => a.status === 201);
      if (ok) {
        acknowledged++;
        expect({ key: c.key, events: logged.get(c.key) }).toEqual({ key: c.key, events: eventIds(ok) });
      } else {
        refused++;
        expect({ key: c.key, events: logged.get(c.key) ?? [] }).toEqual({ key: c.key, events: [] });
      }
    }
    expect(rows.length).toBe(
      sent.reduce((n, c) => n + eventIds(c.answers.find((a) => a.status === 201) ?? { status: 0, body: {}, headers: new Headers() }).length, 0),
    );
    const [{ total }] = await db.sql<{ total: number }>(`SELECT count(*)::int AS total FROM event_store.events WHERE stream_id LIKE 'family-%'`);
    expect(total).toBe(FAMILIES * 2 + rows.length);
    const conflicts = sent.filter((c) => c.answers.some((a) => a.status === 409));
    process.stdout.write(
      `[faults] 3 instances: ${COMMANDS} commands (+${FAMILIES * 2} set-up) in ${Date.now() - started} ms; acknowledged ${acknowledged}, ` +
        `409 conflicts ${conflicts.length} (stale ${sent.filter((c) => c.kind === 'stale').length}, read-then-write lost the race ${conflicts.filter((c) => c.kind === 'read-then-write').length}), ` +
        `retries on another instance ${retried.length}, concurrent duplicates ${sent.filter((c) => c.kind === 'concurrent-duplicate').length}; refused appended nothing (${refused})\n`,
    );
  });

  it('50 concurrent payments of 20,000 NOK against a 500,000 NOK semester budget, over the three instances: exactly 25 succeed', async () => {
    const subProjectId = `sp-${randomUUID().slice(0, 8)}`;
    const approved = await call(apis[0], 'POST', '/sub-projects', hvkLeader, {
      subProjectId,
      name: 'Driving licences for young adults',
      actors: [
        { name: 'Helse- og velferdskontor Heimdal', municipal: true, unit: 'HVK' },
        { name: 'Trondheim Red Cross', municipal: false, organisationNumber: '974123456' },
        { name: 'Local driving school', municipal: false, organisationNumber: '912345678' },
      ],
      responsibleUnit: 'HVK',
      goals: ['20 young adults with a driving licence'],
      firstSemester: '2026-autumn',
    });
    expect(approved.status).toBe(201);
    const families = Array.from({ length: 5 }, () => ({ familyId: randomUUID(), adultId: randomUUID() }));
    for (const [i, { familyId, adultId }] of families.entries()) {
      const registered = await call(apis[i % INSTANCES], 'POST', '/families', hvk, {
        familyId,
        district: 'Heimdal',
        members: [{ memberId: adultId, name: 'Omar', birthDate: '2004-01-20', role: 'adult' }],
      });
      expect(registered.status).toBe(201);
    }
    const answers = await Promise.all(
      Array.from({ length: 50 }, (_, i) => {
        const { familyId, adultId } = families[i % families.length];
        return call(apis[i % INSTANCES], 'POST', `/families/${familyId}/payments`, hvk, {
          recipientMemberId: adultId,
          amountOre: 2_000_000,
          method: 'supplier-payment',
          funding: { kind: 'sub-project', subProjectId },
          documentationRef: `FAKTURA-${randomUUID().slice(0, 8)}`,
          paidOn: '2026-11-20',
        });
      }),
    );
    const statuses = answers.map((a) => a.status);
    expect(statuses.filter((s) => s === 201)).toHaveLength(25);
    const refusedAnswers = answers.filter((a) => a.status !== 201);
    expect(refusedAnswers).toHaveLength(25);
    for (const a of refusedAnswers) expect(a.body).toMatchObject({ status: 409, code: 'BUDGET_EXCEEDED' });
    const [{ n }] = await db.sql<{ n: number }>(
      `SELECT count(*)::int AS n FROM event_store.events WHERE type = 'PaymentRecorded' AND data->'funding'->>'subProjectId' = $1`,
      [subProjectId],
    );
    expect(n).toBe(25);
    for (const api of apis) {
      const budget = await call(api, 'GET', `/sub-projects/${subProjectId}`, hvk);
      expect(budget.body.remainingBySemesterOre['2026-autumn']).toBe(0);
    }
    const perInstance = apis.map((_, k) => answers.filter((a, i) => i % INSTANCES === k && a.status === 201).length);
    process.stdout.write(
      `[faults] 3 instances: 50 concurrent 20,000 NOK payments, 25 accepted (per instance ${perInstance.join('/')}), 25 BUDGET_EXCEEDED, budget left 0\n`,
    );
  });

  it('each projection runs in exactly one process, and the read model equals a fresh rebuild', async () => {
    await db.waitForCatchUp(60000);
    clearInterval(sampler);
    await Promise.all(sampling);
    for (const [name, samples] of Object.entries(lockSamples)) {
      expect(samples.length).toBeGreaterThan(5);
      // Never two holders at once; one holder at the end.
      expect(samples.filter((pids) => pids.length > 1)).toEqual([]);
      expect(await db.lockHolders(name)).toHaveLength(1);
    }
    const health = await Promise.all(apis.map(async (api) => (await call(api, 'GET', '/health', {})).body));
    for (const name of Object.keys(lockSamples)) {
      const states = health.map((h) => h.projections.find((p: { name: string }) => p.name === name).state);
      expect(states.filter((s) => s === 'running')).toHaveLength(1);
      expect(states.filter((s) => s === 'standby')).toHaveLength(INSTANCES - 1);
    }
    const comparison = await db.compare();
    const [{ families }] = await db.sql<{ families: number }>(
      `SELECT count(DISTINCT stream_id)::int AS families FROM event_store.events WHERE stream_id LIKE 'family-%'`,
    );
    process.stdout.write(
      `[faults] 3 instances: lock samples ${Object.entries(lockSamples)
        .map(([n, s]) => `${n} ${s.length} (max holders ${Math.max(...s.map((p) => p.length))})`)
        .join(', ')}; ` +
        `rebuild compare: ${comparison.eventsReplayed} events replayed, rows ${JSON.stringify(comparison.rows)}, differences ${comparison.missing + comparison.extra + comparison.different}\n`,
    );
    expect(comparison).toMatchObject({ ok: true, missing: 0, extra: 0, different: 0, rows: { live: families, rebuilt: families } });
    expect(BigInt(comparison.position)).toBe(await db.checkpoint());
    expect(await db.catalogueDifferences()).toEqual([]);
  });

  it('kill -9 of the process running the projections: exactly one other process takes each over, and the read model still equals a fresh rebuild', async () => {
    const health = await Promise.all(apis.map(async (api) => (await call(api, 'GET', '/health', {})).body));
    const leaderIndex = health.findIndex((h) => h.projections.find((p: { name: string }) => p.name === 'family-view').state === 'running');
    expect(leaderIndex).toBeGreaterThanOrEqual(0);
    const leader = apis[leaderIndex];
    const survivors = apis.filter((api) => api !== leader);
    const families = Array.from({ length: 6 }, () => ({ familyId: randomUUID(), adultId: randomUUID() }));
    // Commands keep coming to the survivors while the leader dies.
    const writes = pool(families, 3, async ({ familyId, adultId }, i) => {
      const api = survivors[i % survivors.length];
      const registered = await call(api, 'POST', '/families', nav, {
        familyId,
        district: 'Heimdal',
        members: [{ memberId: adultId, name: `After ${i}`, birthDate: '1985-05-05', role: 'adult' }],
      });
      expect(registered.status).toBe(201);
      for (let k = 0; k < 10; k++)
        expect((await call(api, 'POST', `/families/${familyId}/needs`, nav, { memberId: adultId, words: `After the kill ${k}` })).status).toBe(201);
    });
    const killedAt = Date.now();
    await leader.kill9();
    apis = survivors;
    await writes;
    const samples: number[][] = [];
    let takenOver = 0;
    while (Date.now() - killedAt < 30000) {
      const holders = await Promise.all(['family-view', 'stream-catalogue'].map((name) => db.lockHolders(name)));
      samples.push(...holders);
      if (holders.every((pids) => pids.length === 1)) {
        takenOver = Date.now() - killedAt;
        break;
      }
      await sleep(100);
    }
    expect(takenOver).toBeGreaterThan(0);
    expect(samples.filter((pids) => pids.length > 1)).toEqual([]);
    await db.waitForCatchUp(60000);
    const after = await Promise.all(apis.map(async (api) => (await call(api, 'GET', '/health', {})).body));
    for (const name of ['family-view', 'stream-catalogue']) {
      const states = after.map((h) => h.projections.find((p: { name: string }) => p.name === name).state);
      expect(states.sort()).toEqual(['running', 'standby']);
    }
    const comparison = await db.compare();
    const [{ count }] = await db.sql<{ count: number }>(
      `SELECT count(DISTINCT stream_id)::int AS count FROM event_store.events WHERE stream_id LIKE 'family-%'`,
    );
    process.stdout.write(
      `[faults] 3 instances: leader api-${leaderIndex} (running family-view) killed with SIGKILL under load; each projection held by exactly one survivor within ${takenOver} ms; rebuild compare: ${comparison.eventsReplayed} replayed, differences ${comparison.missing + comparison.extra + comparison.different}\n`,
    );
    expect(comparison).toMatchObject({ ok: true, missing: 0, extra: 0, different: 0, rows: { live: count, rebuilt: count } });
    expect(await db.catalogueDifferences()).toEqual([]);
  });
});
