import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { addDays, type FamilyState, type LocalDate } from '@familievedtak/domain';
import { EVENT_STORE, type EventStore } from '@familievedtak/event-store';
import { buildFamilyDecisionView, familyStateSql, ProjectionDaemon, type FamilyDecisionView } from '@familievedtak/projections';
import { auditor, navCaseworker, seedAuditFamily, type AuditFamily } from '../testing/audit-family';
import { createTestApp, headersFor, type TestApp } from '../../../../test/support/test-app';
import { osloToday } from '../../../../test/support/today';
import { asOfForReader, familyAsOf } from './family-as-of';

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

describe("familyAsOf: the open-need limit of the rule set in force on the view's day, as the log held it at the cut (PostgreSQL)", () => {
  let api: TestApp;
  let store: EventStore;
  let today: LocalDate;
  const familyId = randomUUID();
  const aminaId = randomUUID();

  beforeAll(async () => {
    api = await createTestApp();
    store = api.app.get(EVENT_STORE);
    // The app runs on the system clock (clockProvider): its today in Oslo.
    today = osloToday();
  });
  afterAll(() => api.close());

  const send = async (url: string, headers: Record<string, string>, body: unknown) => {
    const response = await api.inject('POST', url, headers, body);
    if (response.statusCode >= 300) throw new Error(`${url}: ${response.statusCode} ${response.body}`);
  };
  const tooLong = (view: FamilyDecisionView) => view.warnings.filter((w) => w.kind === 'need-open-too-long');

  it('warns after 30 days once a set saying so is in force, never at a cut before its activation, nor on a day before its effectiveFrom', async () => {
    const needId = randomUUID();
    await send('/families', navCaseworker, {
      familyId,
      district: 'Heimdal',
      members: [{ memberId: aminaId, name: 'Amina Berg', birthDate: '1988-03-02', role: 'adult' }],
    });
    await send(`/families/${familyId}/needs`, navCaseworker, { needId, memberId: aminaId, words: 'Hjelp til å finne jobb', expressedOn: addDays(today, -40) });
    await send(`/families/${familyId}/needs/${needId}/pick-up`, navCaseworker, {});
    const beforeActivation = await store.headPosition();

    // The family-decision set again, with a 30-day limit, in force from today (the shipped sets say 180).
    const shipped = readFileSync(join(__dirname, '../../../rules/rule-sets/family-decision.yaml'), 'utf8');
    const version = Number(/^version: (\d+)$/m.exec(shipped)![1]) + 1;
    const document = shipped.replace(/^version: \d+$/m, `version: ${version}`).replace(/^openNeedWarningDays: \d+$/m, 'openNeedWarningDays: 30');
    expect(document).toContain('openNeedWarningDays: 30');
    const drafted = await api.inject(
      'POST',
      '/rule-sets',
      { ...headersFor({ userId: 'rules-ragnhild', role: 'rules-analyst' }), 'content-type': 'text/yaml' },
      document,
    );
    expect(drafted.statusCode).toBe(201);
    await send('/rule-sets/family-decision/activate', headersFor({ userId: 'kd-kristin', role: 'delegation-authority' }), {
      version,
      effectiveFrom: today,
      delegationDecision: { body: 'kommunedirektøren', decidedOn: today, caseNumber: '2026/4713' },
    });
    const afterActivation = await store.headPosition();

    // The same family revision at both cuts: only the rule-set streams moved.
    const before = (await familyAsOf(store, familyId, { position: beforeActivation, today }))!;
    const after = (await familyAsOf(store, familyId, { position: afterActivation, today }))!;
    expect(after.revision).toBe(before.revision);
    expect(before.rules).toEqual({ openNeedWarningDays: 180 });
    expect(tooLong(before.view)).toEqual([]);
    expect(after.rules).toEqual({ openNeedWarningDays: 30 });
    expect(tooLong(after.view)).toEqual([expect.objectContaining({ needId, memberName: 'Amina Berg', daysOpen: 40, limitDays: 30, pickedUpBy: ['NAV'] })]);

    // The reader's view (access and masking on the real day) carries the same limit.
    const read = asOfForReader(after, { role: 'auditor' }, today);
    expect(read.permit && tooLong(read.view)).toEqual([expect.objectContaining({ needId, limitDays: 30 })]);

    // The day before its effectiveFrom the set is not in force yet: 180 again.
    const dayBefore = (await familyAsOf(store, familyId, { position: afterActivation, today: addDays(today, -1) }))!;
    expect(dayBefore.rules).toEqual({ openNeedWarningDays: 180 });
    expect(tooLong(dayBefore.view)).toEqual([]);
  });
});
