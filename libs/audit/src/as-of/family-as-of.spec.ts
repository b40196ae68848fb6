import { randomUUID } from 'node:crypto';
import type { FamilyState } from '@familievedtak/domain';
import { EVENT_STORE, type EventStore } from '@familievedtak/event-store';
import { buildFamilyDecisionView, familyStateSql, ProjectionDaemon } from '@familievedtak/projections';
import { auditor, navCaseworker, seedAuditFamily, type AuditFamily } from '../testing/audit-family';
import { createTestApp, type TestApp } from '../../../../test/support/test-app';
import { familyAsOf } from './family-as-of';

type Snapshot = { revision: string; last_position: string; state: FamilyState };

describe('familyAsOf (PostgreSQL, the live projection running)', () => {
  let api: TestApp;
  let store: EventStore;
  beforeAll(async () => {
    api = await createTestApp({ runProjections: true });
    store = api.app.get(EVENT_STORE);
  });
  afterAll(() => api.close());

  const caughtUp = () => api.app.get(ProjectionDaemon).runner('family-view')!.waitUntilCaughtUp();
  const snapshot = async (familyId: string): Promise<Snapshot | undefined> =>
    (
      await api.db.pool.query(`SELECT v.revision, v.last_position, ${familyStateSql('v')} AS state FROM read_models.family_view v WHERE v.family_id = $1`, [
        familyId,
      ])
    ).rows[0];

  it('equals what the live projection held at every snapshot taken while events were appended', async () => {
    const family: AuditFamily = await seedAuditFamily(api);
    const snapshots = new Map<string, Snapshot>();
    const keep = (s: Snapshot | undefined) => s && snapshots.set(s.revision, s);
    let appending = true;
    // Reads the live row as fast as it can while the commands below go in.
    const watcher = (async () => {
      while (appending) keep(await snapshot(family.familyId));
    })();
    for (let i = 0; i < 40; i++) {
      const response = await api.inject('POST', `/families/${family.familyId}/needs`, navCaseworker, {
        needId: randomUUID(),
        memberId: i % 2 ? family.adultId : family.childId,
        words: `Behov nummer ${i}`,
        expressedOn: family.day,
      });
      expect(response.statusCode).toBe(201);
      // Every tenth command, a snapshot the projection has certainly reached.
      if (i % 10 === 9) {
        await caughtUp();
        keep(await snapshot(family.familyId));
      }
    }
    appending = false;
    await watcher;
    await caughtUp();
    keep(await snapshot(family.familyId));

    expect(snapshots.size).toBeGreaterThanOrEqual(5);
    for (const live of snapshots.values()) {
      const asOf = await familyAsOf(store, family.familyId, { position: BigInt(live.last_position) });
      expect(asOf).toBeDefined();
      expect(asOf!.revision).toBe(Number(live.revision));
      expect(asOf!.lastPosition.toString()).toBe(live.last_position);
      expect(asOf!.state).toStrictEqual(live.state);
      expect(asOf!.view).toStrictEqual(buildFamilyDecisionView(live.state, asOf!.view.asOf));
    }
  });

  it('across an amendment, a revocation and a consent withdrawal', async () => {
    const f = await seedAuditFamily(api);
    const at = async (instant: Date) => (await familyAsOf(store, f.familyId, { at: instant }))!;
    const decision = (a: Awaited<ReturnType<typeof at>>) => a.view.decisions.find((d) => d.decisionId === f.decisionId)!;
    const consentIds = (list: { consentId: string }[]) => list.map((c) => c.consentId);

    const approved = await at(f.instants.approved);
    expect(decision(approved)).toMatchObject({ status: 'active', amounts: { monthlyAmountOre: 850000 } });
    expect(consentIds(approved.view.consents.inForce)).toEqual([f.consentId]);

    const amended = await at(f.instants.amended);
    expect(decision(amended)).toMatchObject({ status: 'active', amounts: { monthlyAmountOre: 900000 } });
    expect(amended.state.decisions[f.decisionId].history.at(-1)).toMatchObject({
      event: 'DecisionAmended',
      termsBefore: { amounts: { monthlyAmountOre: 850000 } },
    });
    expect(amended.revision).toBe(approved.revision + 1);

    const revoked = await at(f.instants.revoked);
    expect(decision(revoked)).toMatchObject({ status: 'revoked', amounts: { monthlyAmountOre: 900000 } });
    expect(consentIds(revoked.view.consents.inForce)).toEqual([f.consentId]);

    const withdrawn = await at(f.instants.withdrawn);
    expect(consentIds(withdrawn.view.consents.inForce)).toEqual([]);
    expect(withdrawn.view.consents.ended).toEqual([expect.objectContaining({ consentId: f.consentId, endReason: 'withdrawn' })]);

    // The live view (today, after everything) agrees with the last as-of.
    await caughtUp();
    const live = await api.inject('GET', `/families/${f.familyId}?today=${withdrawn.view.asOf}`, auditor);
    expect(live.statusCode).toBe(200);
    const { revision, access: _access, ...view } = live.json();
    expect(revision).toBe(withdrawn.revision);
    expect(view).toStrictEqual(JSON.parse(JSON.stringify(withdrawn.view)));
  });

  it('is undefined before the family existed, and refuses an ambiguous cut', async () => {
    const f = await seedAuditFamily(api);
    expect(await familyAsOf(store, f.familyId, { at: new Date('2000-01-01T00:00:00Z') })).toBeUndefined();
    expect(await familyAsOf(store, randomUUID(), { position: 10n ** 15n })).toBeUndefined();
    await expect(familyAsOf(store, f.familyId, {})).rejects.toThrow(/exactly one/);
    await expect(familyAsOf(store, f.familyId, { at: new Date(), position: 1n })).rejects.toThrow(/exactly one/);
  });
});
