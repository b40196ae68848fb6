import { randomUUID } from 'node:crypto';
import { ProjectionDaemon } from '@familievedtak/projections';
import { CONSENT_FROM, CONSENT_UNTIL, familyStream, registerFamily, send, staff, streamCount, writtenEvidence } from '../support/parts';
import { Headers, TestApp, createTestApp, headersFor } from '../support/test-app';
import { addDays, osloToday } from '../support/today';

const nav = staff('NAV');
const navApprover = staff('NAV', 'approver');
const hvk = staff('HVK');
const auditor: Headers = headersFor({ userId: 'eva-audit', role: 'auditor' });

/** Today and a day some weeks ahead, from the real clock the app uses. */
const today = osloToday();
const inWeeks = (weeks: number) => addDays(osloToday(), weeks * 7);

/**
 * The family's plan (individuell plan, helse- og omsorgstjenesteloven § 7-1; pbrl § 2-5) and a
 * family decision that follows its parts, through the API against PostgreSQL with the view's
 * projection running. NAV registered Amina's family; Kari (NAV) is on the team and coordinates.
 */
describe("API: the family's plan, and a family decision that follows its parts (PostgreSQL)", () => {
  let api: TestApp;
  let familyId: string;
  let amina: string;
  let yusuf: string;
  const planId = randomUUID();
  const f = () => `/families/${familyId}`;
  const goals = () => [{ words: 'Amina vil ha en jobb der hun kan bruke arabisk', memberIds: [amina], answeredBy: ['NAV'] }];
  const plan = () => ({
    planId,
    goals: goals(),
    responsibilities: [{ unit: 'NAV', for: 'work training and the household budget' }],
    coordinator: { personId: 'p-kari', unit: 'NAV' },
    reviewDates: [inWeeks(12)],
  });

  const view = async (headers: Headers = nav) => {
    await api.app.get(ProjectionDaemon).runner('family-view')!.waitUntilCaughtUp();
    const response = await api.inject('GET', f(), headers);
    expect(response.statusCode).toBe(200);
    return response.json();
  };

  /** A refused request: the status, the code, and not one event more in the store. */
  const refused = async (url: string, headers: Headers, body: unknown, status: number, code?: string) => {
    const before = await api.eventCount();
    const response = await api.inject('POST', url, headers, body);
    expect({ status: response.statusCode, code: code ? response.json().code : undefined }).toEqual({ status, code });
    expect(await api.eventCount()).toBe(before);
    return response;
  };

  beforeAll(async () => {
    api = await createTestApp({ runProjections: true });
    const family = await registerFamily(api, nav, [
      { name: 'Amina', birthDate: '1988-03-02', role: 'adult' },
      { name: 'Yusuf', birthDate: '2016-09-14', role: 'child' },
    ]);
    familyId = family.familyId;
    amina = family.ids.Amina;
    yusuf = family.ids.Yusuf;
    await send(api, 'POST', `${f()}/team`, nav, { personId: 'p-kari', name: 'Kari Nordmann', affiliation: { kind: 'unit', unit: 'NAV' } });
  });
  afterAll(() => api.close());

  it('pbrl § 2-5: without a coordination consent no plan is recorded (422) and nothing is stored', async () => {
    await refused(`${f()}/family-plans`, nav, plan(), 422, 'FAMILY_PLAN_CONSENT_MISSING');
  });

  it("hol § 7-1: records the plan in the family's own words, revises it and records a review; the view shows it", async () => {
    await send(api, 'POST', `${f()}/consents`, nav, {
      memberId: amina,
      givenByMemberId: amina,
      kind: 'coordination',
      toUnits: ['NAV'],
      dataCategories: ['needs'],
      purpose: 'One plan, with Kari as coordinator',
      validFrom: CONSENT_FROM,
      validUntil: CONSENT_UNTIL,
      evidence: writtenEvidence(),
    });
    const recorded = await send(api, 'POST', `${f()}/family-plans`, nav, plan());
    expect(recorded.statusCode).toBe(201);
    expect(recorded.json().events.map((e: { type: string }) => e.type)).toEqual(['FamilyPlanRecorded']);
    await send(api, 'POST', `${f()}/family-plans/${planId}/revise`, nav, {
      ...plan(),
      planId: undefined,
      reviewDates: [inWeeks(8), inWeeks(26)],
      reason: 'Amina asked to meet before the summer',
    });
    await send(api, 'POST', `${f()}/family-plans/${planId}/reviews`, nav, { on: today, notes: 'Amina has started a language course' });

    const v = await view();
    expect(v.familyPlan.active).toMatchObject({
      planId,
      goals: [{ words: 'Amina vil ha en jobb der hun kan bruke arabisk', memberIds: [amina], answeredBy: ['NAV'] }],
      responsibilities: [{ unit: 'NAV', for: 'work training and the household budget' }],
      coordinator: { personId: 'p-kari', unit: 'NAV', name: 'Kari Nordmann' },
      reviewDates: [inWeeks(8), inWeeks(26)],
      nextReviewDate: inWeeks(8),
      reviewOverdue: false,
      reviews: [{ on: today, notes: 'Amina has started a language course' }],
      memberIds: [amina],
      revisedOn: today,
    });
  });

  it('a caller with no part gets 403 and learns nothing; the view of a unit with no part is refused too', async () => {
    await refused(`${f()}/family-plans/${planId}/reviews`, hvk, { on: today, notes: 'Vi var der' }, 403, 'NO_PART_IN_CASE');
    await refused(`${f()}/family-plans`, hvk, { ...plan(), planId: randomUUID() }, 403, 'NO_PART_IN_CASE');
    const read = await api.inject('GET', f(), hvk);
    expect(read.statusCode).toBe(403);
    expect(read.body).not.toContain('arabisk');
    // An unknown plan id is 404 to a unit with a part.
    await refused(`${f()}/family-plans/${randomUUID()}/reviews`, nav, { on: today, notes: 'Møte' }, 404, 'FAMILY_PLAN_NOT_FOUND');
  });

  it('bad input is a 4xx with nothing stored: a code for a goal, no review date, a review in the future, unknown fields, a second plan', async () => {
    const count = await streamCount(api, familyStream(familyId));
    await refused(
      `${f()}/family-plans/${planId}/revise`,
      nav,
      { ...plan(), planId: undefined, goals: [{ ...goals()[0], words: 'ICD-10 Z59.0' }], reason: 'x' },
      422,
      'INVALID_INPUT',
    );
    await refused(`${f()}/family-plans/${planId}/revise`, nav, { ...plan(), planId: undefined, reviewDates: [], reason: 'x' }, 400);
    await refused(`${f()}/family-plans/${planId}/revise`, nav, { ...plan(), planId: undefined, reviewDates: ['2001-01-01'], reason: 'x' }, 422, 'INVALID_DATE');
    await refused(`${f()}/family-plans/${planId}/reviews`, nav, { on: inWeeks(1), notes: 'Not yet' }, 422, 'INVALID_DATE');
    await refused(`${f()}/family-plans/${planId}/reviews`, nav, { on: today, notes: 'x', goalCode: 'Z59' }, 400);
    await refused(`${f()}/family-plans`, nav, { ...plan(), planId: randomUUID() }, 409, 'FAMILY_PLAN_ALREADY_ACTIVE');
    await refused(
      `${f()}/family-plans`,
      nav,
      { ...plan(), planId: randomUUID(), goals: [{ ...goals()[0], memberIds: [yusuf] }] },
      409,
      'FAMILY_PLAN_ALREADY_ACTIVE',
    );
    expect(await streamCount(api, familyStream(familyId))).toBe(count);
  });

  it('fvl § 35: revoking a bundled decision suspends the family decision in the same append; the reason shows in the view and the history', async () => {
    const decisionId = randomUUID();
    await send(api, 'POST', `${f()}/decisions`, nav, {
      decisionId,
      unit: 'NAV',
      decisionType: 'economic-social-assistance',
      memberIds: [amina],
      periodFrom: CONSENT_FROM,
      periodUntil: CONSENT_UNTIL,
      amounts: { monthlyAmountOre: 850000 },
      outcome: 'granted',
      reasons: {
        rulesApplied: ['sosialtjenesteloven § 18'],
        facts: 'No income this month',
        summary: 'Economic assistance while Amina is on a language course',
      },
    });
    await send(api, 'POST', `${f()}/decisions/${decisionId}/approve`, navApprover);
    await send(api, 'POST', `${f()}/consents`, nav, {
      memberId: amina,
      givenByMemberId: amina,
      kind: 'combine-family-decision',
      toUnits: ['NAV'],
      dataCategories: ['decisions'],
      purpose: 'One letter and one contact',
      validFrom: CONSENT_FROM,
      validUntil: CONSENT_UNTIL,
      evidence: writtenEvidence(),
    });
    const familyDecisionId = randomUUID();
    await send(api, 'POST', `${f()}/family-decisions`, navApprover, {
      familyDecisionId,
      decisionIds: [decisionId],
      reviewDate: inWeeks(12),
      responsibleUnit: 'NAV',
      contactPersonId: 'p-kari',
    });
    expect((await view()).familyDecisions.inForce.familyDecisionId).toBe(familyDecisionId);

    const revoked = await send(api, 'POST', `${f()}/decisions/${decisionId}/revoke`, navApprover, {
      // To her detriment: a fvl § 35 ground, and § 16 (3) c (she told NAV herself) in place of advance notice.
      reason: 'Amina has started work',
      ground: 'general-doctrine',
      advanceNoticeWaiver: { ground: '§ 16 (3) c', explanation: 'Amina told NAV herself that she has started work' },
    });
    // One append: the revocation and its follow-up.
    expect(revoked.json().events.map((e: { type: string }) => e.type)).toEqual(['DecisionRevoked', 'FamilyDecisionSuspended']);

    const v = await view();
    expect(v.familyDecisions.inForce).toBeNull();
    expect(v.familyDecisions.suspended).toEqual([
      expect.objectContaining({ familyDecisionId, cause: { kind: 'decision-revoked', id: decisionId }, suspendedFrom: today }),
    ]);
    const history = await api.inject('GET', `/audit/families/${familyId}/history?type=FamilyDecisionSuspended`, auditor);
    expect(history.statusCode).toBe(200);
    expect(history.json().entries).toEqual([
      expect.objectContaining({
        type: 'FamilyDecisionSuspended',
        label: `The family decision ${familyDecisionId} was suspended from ${today}: decision economic-social-assistance for Amina was revoked`,
      }),
    ]);
  });

  it('pbrl § 2-5: withdrawing the consent the plan rests on ends the plan, with the cause in the view', async () => {
    const consent = (await view()).familyPlan.active.consentIds[0];
    const withdrawn = await send(api, 'POST', `${f()}/consents/${consent}/withdraw`, nav, { expressedByMemberId: amina, channel: 'orally' });
    expect(withdrawn.json().events.map((e: { type: string }) => e.type)).toEqual(['ConsentWithdrawn', 'FamilyPlanEnded']);
    const v = await view();
    expect(v.familyPlan.active).toBeNull();
    expect(v.familyPlan.ended).toEqual([expect.objectContaining({ planId, endedOn: today, cause: { kind: 'consent-withdrawn', id: consent } })]);
  });
});
