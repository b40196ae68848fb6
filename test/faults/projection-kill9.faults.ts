import { familyStreamId } from '@familievedtak/domain';
import type { JsonObject } from '@familievedtak/event-store';
import { decideHistory, type Step } from '../../libs/projections/src/family-view/testing/family-history';
import { hassanSteps } from '../../libs/projections/src/family-view/testing/hassan-family';
import { ApiProcess, spawnApi, waitHealthy } from './support/api-process';
import { FaultDb, openFaultDb } from './support/fault-db';
import { FaultPostgres, startFaultPostgres } from './support/fault-postgres';
import { randomUUID } from 'node:crypto';

const FAMILIES = 120;
const BATCH = 10;
const KILLS = 2;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Hassan's whole history (decisions, consents, payments, appeals) under another family id. */
const stepsFor = (familyId: string): Step[] =>
  hassanSteps.map((s, i) => (i === 0 ? ({ ...s, command: { ...s.command, data: { ...s.command.data, familyId } } } as Step) : s));

describe('fault: kill -9 of the process running the family view mid-batch, then restart', () => {
  let pg: FaultPostgres;
  let db: FaultDb;
  const apis: ApiProcess[] = [];

  afterAll(async () => {
    for (const api of apis) await api.kill9().catch(() => undefined);
    await db?.close();
    await pg?.destroy();
  });

  it('the read model equals a fresh rebuild afterwards: no event skipped or applied twice; checkpoint = head', async () => {
    pg = await startFaultPostgres();
    db = await openFaultDb(pg.url, { migrate: true });
    // Many family events, written straight into the log before any projection runs.
    const { commits } = decideHistory(stepsFor('template'));
    for (let i = 0; i < FAMILIES; i++) {
      const familyId = `fam-${String(i).padStart(4, '0')}`;
      const { commits: own } = decideHistory(stepsFor(familyId));
      // One append per command, as the command handler does (many small transactions).
      let revision = -1;
      for (const commit of own) {
        if (!commit.length) continue;
        const result = await db.store.appendToStream(
          familyStreamId(familyId),
          commit.map((e) => ({ id: randomUUID(), type: e.type, data: e.data as JsonObject })),
          {
            expectedRevision: revision < 0 ? 'no_stream' : revision,
          },
        );
        revision = result.nextExpectedRevision;
      }
    }
    const total = Number((await db.sql<{ n: string }>('SELECT count(*) AS n FROM event_store.events'))[0].n);
    expect(total).toBe(FAMILIES * commits.flat().length);
    const head = await db.head();
    const kills: Array<{ eventsAppliedAtKill: number; openTransaction: boolean }> = [];

    for (let k = 0; k < KILLS; k++) {
      const api = await spawnApi({ name: `projector-${k}`, databaseUrl: pg.url, env: { PROJECTION_BATCH_SIZE: String(BATCH) } });
      apis.push(api);
      const start = await db.checkpoint();
      // Let it get well into the catch-up (past a few batches from where it started), then kill it.
      const target = start + (head - start) / 3n;
      const deadline = Date.now() + 60000;
      let at = start;
      while (Date.now() < deadline) {
        if (api.exited) throw new Error(`API exited:\n${api.output().slice(-3000)}`);
        at = await db.checkpoint();
        if (at > target) break;
        await sleep(5);
      }
      expect(at).toBeGreaterThan(target);
      expect(at).toBeLessThan(head);
      // Is a read-model transaction of that process open right now (the kill lands mid-batch)?
      const [{ open }] = await db.sql<{ open: boolean }>(
        `SELECT count(*) > 0 AS open FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid() AND xact_start IS NOT NULL AND backend_type = 'client backend'`,
      );
      await api.kill9();
      // The killed session's lock and open transaction go with its connections.
      const lockDeadline = Date.now() + 15000;
      while ((await db.lockHolders('family-view')).length && Date.now() < lockDeadline) await sleep(50);
      expect(await db.lockHolders('family-view')).toEqual([]);
      const after = await db.checkpoint();
      expect(after).toBeLessThan(head);
      const [{ applied }] = await db.sql<{ applied: number }>('SELECT count(*)::int AS applied FROM event_store.events WHERE global_position <= $1', [
        after.toString(),
      ]);
      // The checkpoint read just before the kill may have moved by one more committed batch, never past the head.
      expect(after).toBeGreaterThanOrEqual(at);
      kills.push({ eventsAppliedAtKill: applied, openTransaction: open });
    }

    const final = await spawnApi({ name: 'projector-final', databaseUrl: pg.url, env: { PROJECTION_BATCH_SIZE: String(BATCH) } });
    apis.push(final);
    await waitHealthy(final);
    await db.waitForCatchUp(90000);
    // The first start also loaded the shipped rule sets (a few events after the family events).
    const finalHead = await db.head();
    expect(finalHead).toBeGreaterThanOrEqual(head);
    expect(await db.checkpoint()).toBe(finalHead);
    expect(await db.checkpoint('stream-catalogue')).toBe(finalHead);
    const comparison = await db.compare();
    process.stdout.write(
      `[faults] kill -9 mid-batch: ${total} events, ${FAMILIES} families, batch ${BATCH}, kills ${JSON.stringify(kills)}; ` +
        `rebuild compare: ${comparison.eventsReplayed} replayed, rows ${JSON.stringify(comparison.rows)}, differences ${comparison.missing + comparison.extra + comparison.different}\n`,
    );
    expect(comparison).toMatchObject({
      ok: true,
      missing: 0,
      extra: 0,
      different: 0,
      position: finalHead.toString(),
      rows: { live: FAMILIES, rebuilt: FAMILIES },
    });
    expect(comparison.eventsReplayed).toBe(total);
    expect(await db.catalogueDifferences()).toEqual([]);
    await final.stop();
  }, 180000);
});
