import { randomUUID } from 'node:crypto';
import { reconcileStore } from '@familievedtak/audit';
import { EVENT_STORE, type EventStore } from '@familievedtak/event-store';
import { createTestApp, headersFor, type Headers, type TestApp } from '../support/test-app';
import { currentSemester, enrol, familyStream, registerFamily, send, staff, streamCount, subProjectStream } from '../support/parts';
import { osloToday } from '../support/today';

/** The pilot's monthly support: 1,600 NOK per enrolled child. */
const MONTHLY_ORE = 160_000;
const leader = headersFor({ userId: 'hvk-leder', role: 'unit-leader', unit: 'HVK' });
const caseworker = staff('HVK');
const today = () => osloToday();

async function approve(api: TestApp, semesterBudgetOre: number): Promise<string> {
  const subProjectId = `sp-${randomUUID().slice(0, 8)}`;
  await send(api, 'POST', '/sub-projects', leader, {
    subProjectId,
    name: 'Ny start',
    actors: [
      { name: 'HVK Heimdal', municipal: true, unit: 'HVK' },
      { name: 'Saupstad skole', municipal: true },
      { name: 'Trondheim Red Cross', municipal: false, organisationNumber: '974123456' },
    ],
    responsibleUnit: 'HVK',
    semesterBudgetOre,
    goals: ['Every child takes part in a leisure activity'],
    firstSemester: currentSemester(),
  });
  return subProjectId;
}

/** Families of one adult and `children` children, the children enrolled in the sub-project. */
async function enrolledFamilies(api: TestApp, subProjectId: string, count: number, children: number, enrolChildren = true) {
  const families: Array<{ familyId: string; childIds: string[] }> = [];
  for (let f = 0; f < count; f++) {
    const { familyId, members } = await registerFamily(api, caseworker, [
      { name: `Parent ${f}`, birthDate: '1985-03-04', role: 'adult' },
      ...Array.from({ length: children }, (_, c) => ({ name: `Child ${f}-${c}`, birthDate: `201${c % 10}-06-01`, role: 'child' as const })),
    ]);
    const childIds = members.filter((m) => m.role === 'child').map((m) => m.memberId);
    if (enrolChildren) await enrol(api, familyId, caseworker, subProjectId, childIds);
    families.push({ familyId, childIds });
  }
  return families;
}

const runBody = (runId: string, families: Array<{ familyId: string; childIds: string[] }>) => ({
  runId,
  description: 'This month: 1,600 NOK per enrolled child',
  paidOn: today(),
  amountOre: MONTHLY_ORE,
  documentationRef: `UTBETALING-${runId}`,
  families: families.map((f) => ({ familyId: f.familyId, recipientMemberIds: [...f.childIds] })),
});

function paymentRuns(mode: 'atomic' | 'process-manager') {
  describe(`payment runs (${mode}, PostgreSQL)`, () => {
    let api: TestApp;
    let store: EventStore;
    const previous = process.env.PAYMENT_CONSISTENCY;
    beforeAll(async () => {
      process.env.PAYMENT_CONSISTENCY = mode;
      api = await createTestApp({ poolSize: 20 });
      store = api.app.get(EVENT_STORE);
    });
    afterAll(async () => {
      await api.close();
      if (previous === undefined) delete process.env.PAYMENT_CONSISTENCY;
      else process.env.PAYMENT_CONSISTENCY = previous;
    });
    const post = (subProjectId: string, headers: Headers, body: unknown) => api.inject('POST', `/sub-projects/${subProjectId}/payment-runs`, headers, body);

    it('pays every child in one command: summary, per-family results, each payment in its family; the same run again answers the first result', async () => {
      const subProjectId = await approve(api, 50_000_000);
      const families = await enrolledFamilies(api, subProjectId, 3, 2);
      const body = runBody('2026-11', families);
      const response = await post(subProjectId, caseworker, body);
      expect(response.statusCode).toBe(201);
      const result = response.json();
      expect(result).toMatchObject({
        subProjectId,
        runId: '2026-11',
        replayed: false,
        count: 6,
        totalOre: 6 * MONTHLY_ORE,
        remainingBySemesterOre: { [currentSemester()]: 50_000_000 - 6 * MONTHLY_ORE },
      });
      expect(result.families).toHaveLength(3);
      for (const f of families) {
        expect(result.families.find((r: { familyId: string }) => r.familyId === f.familyId)).toMatchObject({ status: 'paid', amountOre: 2 * MONTHLY_ORE });
        const state = (await api.inject('GET', `/families/${f.familyId}/stream-state`, caseworker)).json().state;
        const payments = Object.values(state.payments) as Array<{ recipientMemberId: string; amountOre: number; countsAsIncome: boolean }>;
        expect(payments.map((p) => p.recipientMemberId).sort()).toEqual([...f.childIds].sort());
        expect(payments.every((p) => p.amountOre === MONTHLY_ORE && p.countsAsIncome === false)).toBe(true);
      }
      // The same run again: the first result, nothing stored.
      const before = await api.eventCount();
      const again = await post(subProjectId, caseworker, body);
      expect(again.statusCode).toBe(201);
      expect(again.json()).toEqual({ ...result, replayed: true });
      expect(await api.eventCount()).toBe(before);
      // The same run id with another body: 422, nothing stored.
      const other = await post(subProjectId, caseworker, { ...body, amountOre: MONTHLY_ORE + 1 });
      expect(other.statusCode).toBe(422);
      expect(other.json().code).toBe('PAYMENT_RUN_ID_REUSED');
      expect(await api.eventCount()).toBe(before);
      // Readable afterwards, by the unit and by an auditor.
      const read = await api.inject('GET', `/sub-projects/${subProjectId}/payment-runs/2026-11`, headersFor({ userId: 'revisor', role: 'auditor' }));
      expect(read.statusCode).toBe(200);
      expect(read.json()).toMatchObject({ count: 6, totalOre: 6 * MONTHLY_ORE });
      expect((await api.inject('GET', `/sub-projects/${subProjectId}/payment-runs/no-such-run`, caseworker)).statusCode).toBe(404);
      expect((await reconcileStore(store)).differences).toEqual([]);
    });

    it('is all or nothing: one family refusing its payment refuses the run, naming the family; nothing is stored', async () => {
      const subProjectId = await approve(api, 50_000_000);
      const families = await enrolledFamilies(api, subProjectId, 3, 2);
      const body = runBody('refused-run', families);
      // The third family's second payment goes to a member the family does not have.
      const stranger = randomUUID();
      body.families[2].recipientMemberIds[1] = stranger;
      const counts = async () => [
        await api.eventCount(),
        await streamCount(api, subProjectStream(subProjectId)),
        ...(await Promise.all(families.map((f) => streamCount(api, familyStream(f.familyId))))),
      ];
      const before = await counts();
      const response = await post(subProjectId, caseworker, body);
      expect(response.statusCode).toBe(422);
      expect(response.json()).toMatchObject({ code: 'PAYMENT_RUN_REFUSED', errors: [{ familyId: families[2].familyId, paymentIndex: 5 }] });
      expect(await counts()).toEqual(before);
    });

    it('over the budget: 422 for the whole run, nothing stored; another unit may not run payments from it (403)', async () => {
      const subProjectId = await approve(api, 5 * MONTHLY_ORE);
      const families = await enrolledFamilies(api, subProjectId, 3, 2);
      const before = await api.eventCount();
      const response = await post(subProjectId, caseworker, runBody('too-much', families));
      expect(response.statusCode).toBe(422);
      expect(response.json()).toMatchObject({ code: 'PAYMENT_RUN_OVER_BUDGET' });
      expect(response.json().detail).toContain('9,600');
      expect(await api.eventCount()).toBe(before);
      const nav = await post(subProjectId, staff('NAV'), runBody('not-ours', families.slice(0, 2)));
      expect(nav.statusCode).toBe(403);
      // Bad input: 400, nothing stored.
      for (const bad of [
        { ...runBody('x', families), families: [] },
        { ...runBody('x', families), amountOre: 0 },
        { ...runBody('x', families), runId: 'no spaces' },
        { ...runBody('x', families), amountOre: undefined },
      ]) {
        expect((await post(subProjectId, caseworker, bad)).statusCode).toBe(400);
      }
      expect(await api.eventCount()).toBe(before);
    });

    it('a run id that every plain object answers to (constructor, toString) is 400, and such a run is not found (404, not 500)', async () => {
      const subProjectId = await approve(api, 50_000_000);
      const families = await enrolledFamilies(api, subProjectId, 1, 1);
      const before = await api.eventCount();
      for (const runId of ['constructor', 'toString', 'hasOwnProperty']) {
        const refused = await post(subProjectId, caseworker, runBody(runId, families));
        expect([runId, refused.statusCode]).toEqual([runId, 400]);
      }
      expect(await api.eventCount()).toBe(before);
      for (const runId of ['__proto__', 'constructor', 'toString']) {
        const found = await api.inject('GET', `/sub-projects/${subProjectId}/payment-runs/${runId}`, caseworker);
        expect([runId, found.statusCode, found.json().status]).toEqual([runId, 404, 404]);
      }
    });

    if (mode === 'atomic') {
      it('1,248 payments (156 families of 8 children) in one run', async () => {
        const subProjectId = await approve(api, 1248 * MONTHLY_ORE);
        const families = await enrolledFamilies(api, subProjectId, 156, 8, false);
        const body = runBody('pilot-1248', families);
        expect(body.families.flatMap((f) => f.recipientMemberIds)).toHaveLength(1248);
        expect(JSON.stringify(body).length).toBeLessThan(256 * 1024);
        const started = process.hrtime.bigint();
        const response = await post(subProjectId, caseworker, body);
        const ms = Number(process.hrtime.bigint() - started) / 1e6;
        expect({ status: response.statusCode, body: response.statusCode === 201 ? undefined : response.body }).toEqual({ status: 201, body: undefined });
        expect(response.json()).toMatchObject({ count: 1248, totalOre: 1248 * MONTHLY_ORE, remainingBySemesterOre: { [currentSemester()]: 0 } });
        process.stdout.write(`[payment run] 1,248 payments to 156 families in ${ms.toFixed(0)} ms (${Math.round((1248 / ms) * 1000)} payments/s)\n`);
        expect(await streamCount(api, subProjectStream(subProjectId))).toBe(1 + 1 + 1248);
        const reconciled = await reconcileStore(store);
        expect(reconciled.differences).toEqual([]);
      }, 300_000);
    }
  });
}

paymentRuns('atomic');
paymentRuns('process-manager');
