import { randomUUID } from 'node:crypto';
import { ProjectionDaemon } from '@familievedtak/projections';
import { Headers, TestApp, createTestApp, headersFor } from '../support/test-app';
import { consentBody, DRIVING_SCHOOL, RED_CROSS, send } from '../support/parts';
const leader: Headers = headersFor({ userId: 'hvk-leder', role: 'unit-leader', unit: 'HVK' });
const caseworker: Headers = headersFor({ userId: 'hvk-kari', role: 'caseworker', unit: 'HVK' });

describe('API: sub-project budgets and payments from them (PostgreSQL)', () => {
  let api: TestApp;
  beforeAll(async () => {
    api = await createTestApp({ poolSize: 30, runProjections: true });
  });
  afterAll(() => api.close());
  const inject: TestApp['inject'] = (...args) => api.inject(...args);
  const eventCount = () => api.eventCount();

  async function approveSubProject(subProjectId: string) {
    const response = await inject('POST', '/sub-projects', leader, {
      subProjectId,
      name: 'Driving licences for young adults',
      actors: [
        { name: 'Helse- og velferdskontor Heimdal', municipal: true, unit: 'HVK' },
        { name: 'Trondheim Red Cross', municipal: false, organisationNumber: RED_CROSS },
        { name: 'Local driving school', municipal: false, organisationNumber: DRIVING_SCHOOL },
      ],
      responsibleUnit: 'HVK',
      goals: ['20 young adults with a driving licence', 'Half of them in work within a year'],
      firstSemester: '2026-autumn',
    });
    expect(response.statusCode).toBe(201);
  }

  async function registerFamily() {
    const familyId = randomUUID();
    const adultId = randomUUID();
    const response = await inject('POST', '/families', caseworker, {
      familyId,
      district: 'Lerkendal',
      members: [{ memberId: adultId, name: 'Omar', birthDate: '2004-01-20', role: 'adult' }],
    });
    expect(response.statusCode).toBe(201);
    return { familyId, adultId };
  }

  const payment = (adultId: string, subProjectId: string, amountOre: number) => ({
    recipientMemberId: adultId,
    amountOre,
    method: 'supplier-payment',
    funding: { kind: 'sub-project', subProjectId },
    documentationRef: `FAKTURA-${randomUUID().slice(0, 8)}`,
    paidOn: '2026-11-20',
  });

  it('refuses a sub-project with fewer than three actors, appending nothing', async () => {
    const before = await eventCount();
    const response = await inject('POST', '/sub-projects', leader, {
      subProjectId: 'too-small',
      name: 'Too small',
      actors: [{ name: 'HVK', municipal: true, unit: 'HVK' }],
      responsibleUnit: 'HVK',
      goals: ['x'],
      firstSemester: '2026-autumn',
    });
    expect(response.statusCode).toBe(422);
    expect(response.json().code).toBe('TOO_FEW_ACTORS');
    expect(await eventCount()).toBe(before);
  });

  it('a pilot payment never counts as income and is taken from the budget', async () => {
    const subProjectId = `sp-${randomUUID().slice(0, 8)}`;
    await approveSubProject(subProjectId);
    const { familyId, adultId } = await registerFamily();
    const paid = await inject('POST', `/families/${familyId}/payments`, caseworker, payment(adultId, subProjectId, 1_500_000));
    expect(paid.statusCode).toBe(201);
    const family = (await inject('GET', `/families/${familyId}/stream-state`, caseworker)).json();
    const [recorded] = Object.values(family.state.payments) as Array<{ countsAsIncome: boolean; amountOre: number }>;
    expect(recorded).toMatchObject({ countsAsIncome: false, amountOre: 1_500_000 });
    const budget = (await inject('GET', `/sub-projects/${subProjectId}`, caseworker)).json();
    expect(budget.remainingBySemesterOre['2026-autumn']).toBe(50_000_000 - 1_500_000);
    expect(budget).toMatchObject({ spendCount: 1, spentBySemesterOre: { '2026-autumn': 1_500_000 } });
    expect(JSON.stringify(budget)).not.toContain(familyId);
    const spends = (await inject('GET', `/sub-projects/${subProjectId}/spends`, caseworker)).json();
    expect(spends.items.map((s: { familyId: string }) => s.familyId)).toEqual([familyId]);
    // Another unit with a part but no consent covering the payment sees the money spent, not which family got it
    // (the same access function decides it); the responsible unit's read is on the record.
    const nav = headersFor({ userId: 'nav-budget', role: 'caseworker', unit: 'NAV' });
    await send(api, 'POST', `/families/${familyId}/consents`, caseworker, consentBody(adultId, adultId, ['NAV'], { dataCategories: ['needs'] }));
    const referralId = randomUUID();
    await send(api, 'POST', `/families/${familyId}/referrals`, caseworker, {
      referralId,
      toUnit: 'NAV',
      memberIds: [adultId],
      reason: 'Needs help with money',
    });
    await send(api, 'POST', `/families/${familyId}/referrals/${referralId}/accept`, nav);
    const seenByNav = (await inject('GET', `/sub-projects/${subProjectId}`, nav)).json();
    expect(seenByNav.remainingBySemesterOre['2026-autumn']).toBe(50_000_000 - 1_500_000);
    const spendsSeenByNav = (await inject('GET', `/sub-projects/${subProjectId}/spends`, nav)).json();
    expect(spendsSeenByNav.items.map((s: { familyId: string | null }) => s.familyId)).toEqual([null]);
    const { rows } = await api.db.pool.query(
      `SELECT family_id, categories FROM audit.read_access WHERE user_id = 'hvk-kari' AND route = 'GET /sub-projects/:subProjectId/spends' ORDER BY id DESC LIMIT 1`,
    );
    expect(rows).toEqual([{ family_id: familyId, categories: ['payments'] }]);
  });

  it('reversing a sub-project payment gives the money back to the semester budget, once', async () => {
    const subProjectId = `sp-${randomUUID().slice(0, 8)}`;
    await approveSubProject(subProjectId);
    const { familyId, adultId } = await registerFamily();
    const paid = await inject('POST', `/families/${familyId}/payments`, caseworker, payment(adultId, subProjectId, 2_000_000));
    expect(paid.statusCode).toBe(201);
    const paymentId = Object.keys((await inject('GET', `/families/${familyId}/stream-state`, caseworker)).json().state.payments)[0];
    const remaining = async () => (await inject('GET', `/sub-projects/${subProjectId}`, caseworker)).json().remainingBySemesterOre['2026-autumn'];
    expect(await remaining()).toBe(50_000_000 - 2_000_000);
    const headers = { ...caseworker, 'idempotency-key': `reverse-${paymentId}` };
    const reversed = await inject('POST', `/families/${familyId}/payments/${paymentId}/reverse`, headers, { reason: 'Invoice credited by the supplier' });
    expect(reversed.statusCode).toBe(200);
    expect(await remaining()).toBe(50_000_000);
    const before = await eventCount();
    expect(
      (await inject('POST', `/families/${familyId}/payments/${paymentId}/reverse`, headers, { reason: 'Invoice credited by the supplier' })).statusCode,
    ).toBe(200);
    expect(await eventCount()).toBe(before);
    expect(await remaining()).toBe(50_000_000);
  });

  it('a retried sub-project payment (same Idempotency-Key) returns the first answer and moves no money twice', async () => {
    const subProjectId = `sp-${randomUUID().slice(0, 8)}`;
    await approveSubProject(subProjectId);
    const { familyId, adultId } = await registerFamily();
    const headers = { ...caseworker, 'idempotency-key': `furniture-${randomUUID()}` };
    const body = payment(adultId, subProjectId, 9_000_000);
    const first = await inject('POST', `/families/${familyId}/payments`, headers, body);
    expect(first.statusCode).toBe(201);
    const before = await eventCount();
    const retry = await inject('POST', `/families/${familyId}/payments`, headers, body);
    expect(retry.statusCode).toBe(201);
    expect(retry.json()).toMatchObject({ replayed: true, events: first.json().events });
    expect(await eventCount()).toBe(before);
    const budget = (await inject('GET', `/sub-projects/${subProjectId}`, caseworker)).json();
    expect(budget.remainingBySemesterOre['2026-autumn']).toBe(50_000_000 - 9_000_000);
  });

  it('50 concurrent payments of 20,000 NOK against a 500,000 NOK semester: exactly 25 succeed', async () => {
    const subProjectId = `sp-${randomUUID().slice(0, 8)}`;
    await approveSubProject(subProjectId);
    const families = await Promise.all(Array.from({ length: 5 }, registerFamily));
    const responses = await Promise.all(
      Array.from({ length: 50 }, (_, i) => {
        const { familyId, adultId } = families[i % families.length];
        return inject('POST', `/families/${familyId}/payments`, caseworker, payment(adultId, subProjectId, 2_000_000));
      }),
    );
    const statuses = responses.map((r) => r.statusCode);
    expect(statuses.filter((s) => s === 201)).toHaveLength(25);
    const refused = responses.filter((r) => r.statusCode !== 201);
    expect(refused).toHaveLength(25);
    for (const r of refused) expect(r.json()).toMatchObject({ status: 409, code: 'BUDGET_EXCEEDED' });
    const budget = (await inject('GET', `/sub-projects/${subProjectId}`, caseworker)).json();
    expect(budget.remainingBySemesterOre['2026-autumn']).toBe(0);
    const { rows } = await api.db.pool.query(
      `SELECT count(*)::int AS n FROM event_store.events WHERE type = 'PaymentRecorded' AND data->'funding'->>'subProjectId' = $1`,
      [subProjectId],
    );
    expect(rows[0].n).toBe(25);
  }, 120000);

  it('GET /sub-projects lists budgets filtered by unit, partner and semester, paged by id; no family ids in the list', async () => {
    const tag = randomUUID().slice(0, 6);
    const ids = [`list-${tag}-a`, `list-${tag}-b`, `list-${tag}-c`];
    for (const id of ids) await approveSubProject(id);
    const { familyId, adultId } = await registerFamily();
    expect((await inject('POST', `/families/${familyId}/payments`, caseworker, payment(adultId, ids[0], 100_000))).statusCode).toBe(201);
    // The list comes from the stream catalogue, which the projection daemon keeps: wait until it has caught up.
    const listed = async (query: string) => (await inject('GET', `/sub-projects?${query}`, caseworker)).json();
    await api.app.get(ProjectionDaemon).runner('stream-catalogue')!.waitUntilCaughtUp();
    const first = await listed(`unit=HVK&partner=${RED_CROSS}&semester=2027-spring&limit=500`);
    const ours = first.items.filter((s: { subProjectId: string }) => ids.includes(s.subProjectId));
    expect(ours.map((s: { subProjectId: string }) => s.subProjectId)).toEqual(ids);
    expect(ours[0]).toMatchObject({
      name: 'Driving licences for young adults',
      responsibleUnit: 'HVK',
      status: 'active',
      spendCount: 1,
      semesterBudgetOre: 50_000_000,
    });
    expect(ours[0].remainingBySemesterOre['2026-autumn']).toBe(50_000_000 - 100_000);
    expect(JSON.stringify(first)).not.toContain(familyId);
    // Filters that match none of them.
    for (const query of ['unit=BFT', 'partner=999999999', 'semester=2040-spring']) {
      const page = await listed(`${query}&limit=500`);
      expect(page.items.filter((s: { subProjectId: string }) => ids.includes(s.subProjectId))).toEqual([]);
    }
    // Keyset paging walks every sub-project once, in id order.
    const seen: string[] = [];
    for (let cursor: string | null = null, pages = 0; pages < 1000; pages++) {
      const page: { items: Array<{ subProjectId: string }>; nextCursor: string | null } = await listed(
        `limit=2${cursor ? `&after=${encodeURIComponent(cursor)}` : ''}`,
      );
      expect(page.items.length).toBeLessThanOrEqual(2);
      seen.push(...page.items.map((s) => s.subProjectId));
      cursor = page.nextCursor;
      if (!cursor) break;
    }
    expect(seen).toEqual([...seen].sort());
    expect(new Set(seen).size).toBe(seen.length);
    for (const id of ids) expect(seen).toContain(id);
    // Bad filters are refused with a clear 400.
    for (const query of ['unit=NOPE', 'partner=12', 'semester=2026-summer', 'limit=0', 'limit=501']) {
      expect((await inject('GET', `/sub-projects?${query}`, caseworker)).statusCode).toBe(400);
    }
  });

  it('GET /sub-projects/:id/spends pages the spends in recorded order, filtered by semester', async () => {
    const subProjectId = `sp-${randomUUID().slice(0, 8)}`;
    await approveSubProject(subProjectId);
    const { familyId, adultId } = await registerFamily();
    for (let i = 1; i <= 5; i++) {
      expect((await inject('POST', `/families/${familyId}/payments`, caseworker, payment(adultId, subProjectId, i * 1000))).statusCode).toBe(201);
    }
    const amounts: number[] = [];
    let cursor: string | null = null;
    do {
      const response = await inject('GET', `/sub-projects/${subProjectId}/spends?limit=2${cursor ? `&after=${cursor}` : ''}`, caseworker);
      expect(response.statusCode).toBe(200);
      const page = response.json();
      expect(page.items.length).toBeLessThanOrEqual(2);
      amounts.push(...page.items.map((s: { amountOre: number }) => s.amountOre));
      cursor = page.nextCursor;
    } while (cursor);
    expect(amounts).toEqual([1000, 2000, 3000, 4000, 5000]);
    expect((await inject('GET', `/sub-projects/${subProjectId}/spends?semester=2027-spring`, caseworker)).json().items).toEqual([]);
    expect((await inject('GET', `/sub-projects/${subProjectId}/spends?after=x`, caseworker)).statusCode).toBe(400);
    expect((await inject('GET', `/sub-projects/no-such-${randomUUID().slice(0, 8)}/spends`, caseworker)).statusCode).toBe(404);
  });
});
