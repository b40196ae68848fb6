import { randomUUID } from 'node:crypto';
import { familyStreamId } from '@familievedtak/domain';
import { consentBody, proposalBody, registerFamily, send, staff } from '../support/parts';
import { createTestApp, type TestApp } from '../support/test-app';
import { clockOf, closeCase, erasedInLog, keyRows, keyStoreOf, storedCounts, storeOf } from './retention-fixtures';

const nav = staff('NAV');
const navLeader = staff('NAV', 'unit-leader');

/**
 * A member's erasure request (GDPR art. 17) through the API on PostgreSQL: the domain's outcome
 * per record as the answer (erased, or refused with the reason and the provision), the erasures
 * carried out key first, then the events; bad input and callers without a part get a 4xx and
 * nothing is stored (events and key rows counted before and after).
 */
describe('API: erasure on request (GDPR art. 17)', () => {
  let api: TestApp;
  let clock: ReturnType<typeof clockOf>;
  let familyId: string;
  let amina: string;
  const need = randomUUID();
  const consentInForce = randomUUID();
  const consentWithdrawn = randomUUID();
  const decision = randomUUID();
  const url = () => `/families/${familyId}/erasure-requests`;
  const body = (extra: Record<string, unknown> = {}) => ({
    memberId: amina,
    categories: 'all',
    receivedOn: '2026-04-30',
    requestedBy: { memberId: amina },
    channel: 'in-writing',
    ...extra,
  });

  beforeAll(async () => {
    api = await createTestApp({ poolSize: 6 });
    clock = clockOf(api);
    clock.on('2026-03-02');
    const family = await registerFamily(api, nav, [
      { name: 'Amina Hassan', birthDate: '1988-03-02', role: 'adult' },
      { name: 'Yusuf Hassan', birthDate: '2016-09-14', role: 'child' },
    ]);
    familyId = family.familyId;
    amina = family.ids['Amina Hassan'];
    const f = `/families/${familyId}`;
    await send(api, 'POST', `${f}/needs`, nav, {
      needId: need,
      memberId: amina,
      words: 'Jeg trenger hjelp til å betale strømregningen',
      expressedOn: '2026-03-02',
    });
    const consent = (consentId: string) => ({ ...consentBody(amina, amina, ['BFT'], { validFrom: '2026-03-01', validUntil: '2027-12-31' }), consentId });
    await send(api, 'POST', `${f}/consents`, nav, consent(consentInForce));
    await send(api, 'POST', `${f}/consents`, nav, consent(consentWithdrawn));
    clock.on('2026-03-10');
    await send(api, 'POST', `${f}/consents/${consentWithdrawn}/withdraw`, nav, { expressedByMemberId: amina, channel: 'orally' });
    await send(
      api,
      'POST',
      `${f}/decisions`,
      nav,
      proposalBody({
        decisionId: decision,
        unit: 'NAV',
        decisionType: 'economic-social-assistance',
        memberIds: [amina],
        periodFrom: '2026-03-01',
        periodUntil: '2026-08-31',
      }),
    );
    await send(api, 'POST', `${f}/decisions/${decision}/reject`, staff('NAV', 'approver'), { reason: 'Inntekten er over normen' });
    await send(api, 'POST', `${f}/needs/${need}/withdraw`, nav, { reason: 'Strømregningen er betalt' });
    await closeCase(api, familyId, 'NAV', '2026-04-01');
    clock.on('2026-05-04');
  });
  afterAll(async () => {
    clock?.restore();
    await api?.close();
  });

  it.each([
    ['a caseworker (the route is the unit leader’s)', nav, () => body(), 403, undefined],
    ['a unit leader of a unit that never had a part', staff('BFT', 'unit-leader'), () => body(), 403, 'NO_PART_IN_CASE'],
    ['an unknown category', navLeader, () => body({ categories: ['everything'] }), 400, undefined],
    ['categories named twice', navLeader, () => body({ categories: ['need', 'need'] }), 400, undefined],
    ['a schedule from the caller', navLeader, () => body({ schedule: { id: 'none', version: 1, entries: [] } }), 400, undefined],
    ['two requesters', navLeader, () => body({ requestedBy: { memberId: amina, representative: 'Advokat Hansen' } }), 400, undefined],
    ['a day that does not exist', navLeader, () => body({ receivedOn: '2026-02-30' }), 400, undefined],
    ['a request received in the future', navLeader, () => body({ receivedOn: '2026-05-05' }), 422, 'INVALID_DATE'],
    ['a member the family does not have', navLeader, () => body({ memberId: randomUUID() }), 404, 'MEMBER_NOT_FOUND'],
    ['an adult asked for by another member', navLeader, () => body({ requestedBy: { memberId: randomUUID() } }), 404, 'MEMBER_NOT_FOUND'],
  ])('refuses %s, storing nothing', async (_label, headers, payload, status, code) => {
    const before = await storedCounts(api);
    const response = await api.inject('POST', url(), headers, payload());
    expect({ status: response.statusCode, code: response.json().code }).toEqual({ status, code: code ?? expect.anything() });
    expect(await storedCounts(api)).toEqual(before);
  });

  it('answers the outcome per record: the need erased (key shredded, then recorded), the rest refused with reason and provision', async () => {
    const before = await storedCounts(api);
    const response = await api.inject('POST', url(), navLeader, body());
    expect({ status: response.statusCode, body: response.statusCode === 201 ? null : response.json() }).toEqual({ status: 201, body: null });
    const outcome = response.json();
    expect(outcome).toMatchObject({ memberId: amina, categories: 'all', receivedOn: '2026-04-30', schedule: 'trondheim-retention-2026@v1', alreadyErased: [] });
    expect(outcome.erased).toEqual([{ keyRef: `need/${need}`, category: 'need' }]);
    const refused = Object.fromEntries(outcome.refused.map((r: { keyRef: string }) => [r.keyRef, r]));
    expect(Object.keys(refused).sort()).toEqual(
      [`consent/${consentInForce}`, `consent/${consentWithdrawn}`, `decision/${decision}`, `identity/${amina}`].sort(),
    );
    expect(refused[`decision/${decision}`]).toMatchObject({
      reason: 'kept-for-archives',
      provision: expect.stringContaining('arkivlova § 12'),
      rule: { entry: 'decision' },
    });
    expect(refused[`consent/${consentWithdrawn}`]).toMatchObject({
      reason: 'retention-duty',
      provision: expect.stringContaining('GDPR art. 7(1)'),
      keptUntil: '2029-03-10',
    });
    expect(refused[`consent/${consentInForce}`]).toMatchObject({ reason: 'consent-in-force', provision: expect.stringContaining('GDPR art. 7(3)') });
    expect(refused[`identity/${amina}`]).toMatchObject({
      reason: 'identity-still-needed',
      keptBecauseOf: expect.arrayContaining([`decision/${decision}`, `consent/${consentInForce}`, `consent/${consentWithdrawn}`]),
    });

    // The key went first (its tombstone names the request), then the events, all in one append.
    const [tombstone] = await keyStoreOf(api).tombstones({ streamId: familyStreamId(familyId) });
    expect(tombstone).toMatchObject({
      keyRef: `need/${need}`,
      rule: null,
      provision: 'GDPR art. 17(1)',
      by: 'nav-unit-leader',
      erasureId: outcome.requestId,
      on: '2026-05-04',
    });
    expect(await erasedInLog(api, familyId)).toEqual([{ erasureId: outcome.requestId, keyRefs: [`need/${need}`], requestId: outcome.requestId, rule: null }]);
    const appended = (await storeOf(api).readStream(familyStreamId(familyId))).slice(-6).map((e) => e.type);
    expect(appended).toEqual(['ErasureRequested', 'PersonalDataErased', 'ErasureRefused', 'ErasureRefused', 'ErasureRefused', 'ErasureRefused']);
    // The six of the request and, first, the adoption of the schedule version its outcomes name.
    expect(await storedCounts(api)).toMatchObject({ events: before.events + 7, erased: before.erased + 1 });
    expect((await storeOf(api).readStream('retention-schedules')).map((e) => e.type)).toEqual(['RetentionScheduleAdopted']);
    // The need's words read as erased, never as text.
    const expressed = (await storeOf(api).readStream(familyStreamId(familyId))).find((e) => e.type === 'NeedExpressed')!.data;
    expect(expressed).toMatchObject({ words: '', $erased: [expect.objectContaining({ keyRef: `need/${need}`, provision: 'GDPR art. 17(1)' })] });
  });

  it('a retry with the same Idempotency-Key gets the first answer and stores nothing; the same request id again is ALREADY_EXISTS', async () => {
    const headers = { ...navLeader, 'idempotency-key': `erasure-${randomUUID()}` };
    const first = await api.inject('POST', url(), headers, body({ categories: ['need', 'consent'] }));
    expect(first.statusCode).toBe(201);
    expect(first.json()).toMatchObject({ erased: [], alreadyErased: [`need/${need}`] });
    const before = await storedCounts(api);
    const retry = await api.inject('POST', url(), headers, body({ categories: ['need', 'consent'] }));
    expect(retry.statusCode).toBe(201);
    expect(retry.json()).toMatchObject({ requestId: first.json().requestId, replayed: true });
    const again = await api.inject('POST', url(), navLeader, body({ requestId: first.json().requestId }));
    expect({ status: again.statusCode, code: again.json().code }).toEqual({ status: 409, code: 'ALREADY_EXISTS' });
    expect(await storedCounts(api)).toEqual(before);
  });

  it('an append that needs a shredded key is refused 410 PERSONAL_DATA_ERASED, storing nothing', async () => {
    clock.on('2026-05-04');
    const open = await registerFamily(api, nav, [{ name: 'Ola Berg', birthDate: '1979-01-15', role: 'adult' }]);
    const needId = randomUUID();
    await send(api, 'POST', `/families/${open.familyId}/needs`, nav, { needId, memberId: open.ids['Ola Berg'], words: 'Jobb', expressedOn: '2026-05-04' });
    // Shredded, and (as after a crash before its event) not yet recorded: only the store knows.
    await keyStoreOf(api).shred(familyStreamId(open.familyId), [`need/${needId}`], {
      on: '2026-05-04',
      rule: null,
      provision: 'GDPR art. 17(1)',
      by: 'test',
      erasureId: randomUUID(),
    });
    const before = await storedCounts(api);
    const response = await api.inject('POST', `/families/${open.familyId}/needs/${needId}/withdraw`, nav, { reason: 'Fikk jobb' });
    expect(response.statusCode).toBe(410);
    expect(response.json()).toMatchObject({ code: 'PERSONAL_DATA_ERASED', title: 'Personal data erased', status: 410 });
    expect(await storedCounts(api)).toEqual(before);
    expect((await keyRows(api, open.familyId)).size).toBeGreaterThan(0);
  });
});
