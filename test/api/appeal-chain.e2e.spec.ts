import { randomUUID } from 'node:crypto';
import { ProjectionDaemon } from '@familievedtak/projections';
import type { Clock } from '@familievedtak/event-store';
import { CLOCK } from '../../apps/api/src/shared/clock.provider';
import { familyStream, registerFamily, send, staff, streamCount } from '../support/parts';
import { Headers, TestApp, createTestApp } from '../support/test-app';

const nav = staff('NAV');
const navApprover = staff('NAV', 'approver');

/**
 * The appeal chain of the design (section 5), through the API against PostgreSQL, with the
 * app's injected clock pinned to each step's day: NAV grants Amina social assistance; the
 * notification goes by post on 10 March 2026 and reaches her on Thursday 12 March, so the
 * deadline is 7 April (three weeks end on Maundy Thursday; Easter moves it to Tuesday); her
 * appeal arrives 9 April with an excuse (hospital) and is assessed late-not-to-blame (fvl § 31);
 * suspension is asked for and granted (fvl § 42); NAV upholds and must forward the case to
 * statsforvalteren (fvl § 33, sotjl § 48), which changes the decision (fvl § 34). Every refused
 * step appends nothing.
 */
describe('API: notification and the appeal chain to statsforvalteren (PostgreSQL)', () => {
  let api: TestApp;
  let clock: Clock;
  let systemNow: Clock['now'];
  let familyId: string;
  let amina: string;
  const decisionId = randomUUID();
  const notificationId = randomUUID();
  const appealId = randomUUID();
  const f = () => `/families/${familyId}`;
  const on = (date: string) => {
    clock.now = () => new Date(`${date}T10:00:00.000Z`);
  };

  const view = async () => {
    await api.app.get(ProjectionDaemon).runner('family-view')!.waitUntilCaughtUp();
    const response = await api.inject('GET', f(), nav);
    expect(response.statusCode).toBe(200);
    return response.json().decisions.find((d: { decisionId: string }) => d.decisionId === decisionId);
  };

  /** A refused request: the status and code, and not one event more in the family's stream. */
  const refused = async (url: string, headers: Headers, body: unknown, status: number, code?: string) => {
    const before = await streamCount(api, familyStream(familyId));
    const response = await api.inject('POST', url, headers, body);
    expect({ status: response.statusCode, code: code ? response.json().code : undefined }).toEqual({ status, code });
    expect(await streamCount(api, familyStream(familyId))).toBe(before);
  };

  beforeAll(async () => {
    api = await createTestApp({ runProjections: true });
    clock = api.app.get<Clock>(CLOCK);
    systemNow = clock.now;
    on('2026-03-02');
    const family = await registerFamily(api, nav, [{ name: 'Amina', birthDate: '1988-03-02', role: 'adult' }]);
    familyId = family.familyId;
    amina = family.ids.Amina;
    await send(api, 'POST', `${f()}/decisions`, nav, {
      decisionId,
      unit: 'NAV',
      decisionType: 'economic-social-assistance',
      memberIds: [amina],
      periodFrom: '2026-03-01',
      periodUntil: '2026-08-31',
      amounts: { monthlyAmountOre: 850000 },
      outcome: 'granted',
      reasons: {
        rulesApplied: ['sosialtjenesteloven § 18'],
        facts: 'No income this month',
        summary: 'Economic assistance while Amina is on a language course',
      },
    });
    await send(api, 'POST', `${f()}/decisions/${decisionId}/approve`, navApprover);
  });

  afterAll(async () => {
    clock.now = systemNow;
    await api.close();
  });

  it('fvl §§ 27, 29: notified by post on 10 March, received 12 March → deadline 7 April 2026 (Easter)', async () => {
    on('2026-03-10');
    await send(api, 'POST', `${f()}/notifications`, nav, {
      notificationId,
      subject: { kind: 'decision', id: decisionId },
      recipientMemberId: amina,
      channel: 'post',
      language: 'nb',
      sentOn: '2026-03-10',
    });
    on('2026-03-13');
    await refused(`${f()}/notifications/${notificationId}/received`, nav, { receivedOn: '2026-03-09', evidence: 'postal-tracking' }, 422, 'INVALID_DATE');
    await refused(`${f()}/notifications/${notificationId}/received`, nav, { receivedOn: '2026-03-12', evidence: 'a pigeon' }, 400);
    await send(api, 'POST', `${f()}/notifications/${notificationId}/received`, nav, { receivedOn: '2026-03-12', evidence: 'postal-tracking' });
    await refused(
      `${f()}/notifications/${notificationId}/received`,
      nav,
      { receivedOn: '2026-03-12', evidence: 'postal-tracking' },
      409,
      'NOTIFICATION_ALREADY_RECEIVED',
    );
    const decision = await view();
    const notification = decision.notifications.find((n: { notificationId: string }) => n.notificationId === notificationId);
    expect(notification).toMatchObject({
      channel: 'post',
      receivedOn: '2026-03-12',
      deadline: '2026-04-07',
      informs: { appealRight: true, deadlineWeeks: 3, appealBody: 'statsforvalteren' },
    });
  });

  it('fvl §§ 31-32: a late appeal is registered and, with an excuse, assessed late-not-to-blame', async () => {
    on('2026-04-09');
    await send(api, 'POST', `${f()}/appeals`, nav, {
      appealId,
      decisionId,
      appellant: { memberId: amina },
      receivedOn: '2026-04-09',
      channel: 'post',
      grounds: 'The amount does not cover rent.',
      signed: true,
    });
    on('2026-04-10');
    await refused(`${f()}/appeals/${appealId}/assessment`, staff('HVK'), { specific: true, signed: true, reasons: 'x' }, 403, 'NO_PART_IN_CASE');
    await send(api, 'POST', `${f()}/appeals/${appealId}/assessment`, nav, {
      specific: true,
      signed: true,
      reasons: 'Signed; names the amount.',
      excuse: { ground: 'not-to-blame', explanation: 'In hospital from 1 to 8 April (discharge letter on file).' },
    });
    const [appeal] = (await view()).appeals;
    expect(appeal).toMatchObject({ appealId, stage: 'assessed', deadline: '2026-04-07', timeliness: 'late-not-to-blame', requirementsMet: true });
  });

  it('fvl § 42: a refusal of suspension needs reasons; granted, it is recorded', async () => {
    await send(api, 'POST', `${f()}/appeals/${appealId}/suspension-request`, nav, { requestedOn: '2026-04-09' });
    await refused(`${f()}/appeals/${appealId}/suspension`, navApprover, { granted: false }, 422, 'SUSPENSION_REASONS_REQUIRED');
    await refused(`${f()}/appeals/${appealId}/suspension`, nav, { granted: true }, 403, 'NOT_APPROVER');
    await send(api, 'POST', `${f()}/appeals/${appealId}/suspension`, navApprover, { granted: true, until: 'appeal-decided' });
    expect((await view()).appeals[0].suspension).toEqual({ requestedOn: '2026-04-09', granted: true, until: 'appeal-decided' });
  });

  it('fvl §§ 33-34: NAV upholds and must forward to statsforvalteren; the body’s outcome is recorded with its date and reference', async () => {
    await refused(
      `${f()}/appeals/${appealId}/outcome`,
      nav,
      { outcome: 'upheld', decidedOn: '2026-04-10', receivedOn: '2026-04-10', reference: 'SF', summary: 'x' },
      409,
      'APPEAL_STAGE_CONFLICT',
    );
    on('2026-04-14');
    await send(api, 'POST', `${f()}/appeals/${appealId}/preparation`, nav, {
      investigations: 'Rent contract obtained from the landlord.',
      counterpartiesNotified: false,
    });
    await refused(
      `${f()}/appeals/${appealId}/forward`,
      navApprover,
      { unitStatement: 'Upheld.', copyToParty: true, appealBody: 'kommunal-klagenemnd' },
      422,
      'APPEAL_BODY_MISMATCH',
    );
    await refused(`${f()}/appeals/${appealId}/forward`, nav, { unitStatement: 'Upheld.', copyToParty: true }, 403, 'NOT_APPROVER');
    await send(api, 'POST', `${f()}/appeals/${appealId}/forward`, navApprover, {
      unitStatement: 'The amount follows the state guideline rates.',
      copyToParty: true,
    });
    expect((await view()).appeals[0]).toMatchObject({ stage: 'forwarded', forwardedTo: 'statsforvalteren' });

    on('2026-05-18');
    await refused(
      `${f()}/appeals/${appealId}/outcome`,
      nav,
      { outcome: 'changed', decidedOn: '2026-05-15', receivedOn: '2026-05-18', reference: 'SF 2026/1234', summary: 'Rent counts.' },
      422,
      'INVALID_INPUT',
    );
    await send(api, 'POST', `${f()}/appeals/${appealId}/outcome`, nav, {
      outcome: 'changed',
      decidedOn: '2026-05-15',
      receivedOn: '2026-05-18',
      reference: 'SF 2026/1234',
      summary: 'Rent counts: the amount is raised.',
      effect: { kind: 'amend', amendment: { amounts: { monthlyAmountOre: 1_050_000 } }, effectiveFrom: '2026-04-01' },
    });
    const decision = await view();
    expect(decision.appeals[0]).toMatchObject({
      stage: 'decided-by-body',
      bodyOutcome: { outcome: 'changed', decidedOn: '2026-05-15', reference: 'SF 2026/1234' },
    });
    expect(decision.openAppeal).toBeNull();
    await refused(`${f()}/appeals/${appealId}/withdraw`, nav, { withdrawnOn: '2026-05-18' }, 409, 'APPEAL_STAGE_CONFLICT');
    // Valid time: the raise holds from 1 April, though recorded on 18 May; March keeps the first amount.
    const onDay = async (today: string) =>
      (await api.inject('GET', `${f()}?today=${today}`, nav)).json().decisions.find((d: { decisionId: string }) => d.decisionId === decisionId);
    expect((await onDay('2026-03-15')).amounts.monthlyAmountOre).toBe(850000);
    expect((await onDay('2026-04-15')).amounts.monthlyAmountOre).toBe(1_050_000);
  });

  it('the full chain on a revocation (fvl §§ 16, 27, 29, 31, 33, 34, 35): revoked from 1 April, appealed late with an excuse, upheld by NAV and forwarded; statsforvalteren reinstates it, and the decision is active again in valid time', async () => {
    const revokedId = randomUUID();
    const noticeId = randomUUID();
    const revocationNotice = randomUUID();
    const secondAppeal = randomUUID();
    // Its own family, so that its stream's recorded times only move forward with the pinned clock.
    on('2026-03-02');
    const second = await registerFamily(api, nav, [{ name: 'Amina', birthDate: '1988-03-02', role: 'adult' }]);
    familyId = second.familyId;
    amina = second.ids.Amina;
    await send(api, 'POST', `${f()}/decisions`, nav, {
      decisionId: revokedId,
      unit: 'NAV',
      decisionType: 'economic-social-assistance',
      memberIds: [amina],
      periodFrom: '2026-03-01',
      periodUntil: '2026-08-31',
      amounts: { monthlyAmountOre: 400000 },
      outcome: 'granted',
      reasons: { rulesApplied: ['sosialtjenesteloven § 18'], facts: 'Rent arrears', summary: 'Help with rent while the housing benefit is assessed' },
    });
    await send(api, 'POST', `${f()}/decisions/${revokedId}/approve`, navApprover);
    // fvl § 16: advance notice before revoking, answered by Amina.
    on('2026-03-05');
    await refused(
      `${f()}/decisions/${revokedId}/revoke`,
      navApprover,
      { effectiveFrom: '2026-04-01', ground: 'general-doctrine', reason: 'Housing benefit granted' },
      422,
      'ADVANCE_NOTICE_REQUIRED',
    );
    await send(api, 'POST', `${f()}/decisions/${revokedId}/advance-notices`, nav, {
      noticeId,
      intendedAct: 'revoke',
      memberIds: [amina],
      sentOn: '2026-03-05',
      answerBy: '2026-03-09',
      channel: 'post',
    });
    on('2026-03-09');
    await send(api, 'POST', `${f()}/advance-notices/${noticeId}/statements`, nav, {
      memberId: amina,
      receivedOn: '2026-03-09',
      summary: 'The housing benefit does not cover the arrears.',
    });
    await send(api, 'POST', `${f()}/decisions/${revokedId}/revoke`, navApprover, {
      effectiveFrom: '2026-04-01',
      ground: 'general-doctrine',
      advanceNoticeId: noticeId,
      reason: 'Housing benefit granted from April',
    });
    // fvl §§ 27, 29: the revocation reaches her by post on 12 March; deadline 7 April (Easter).
    on('2026-03-10');
    await send(api, 'POST', `${f()}/notifications`, nav, {
      notificationId: revocationNotice,
      subject: { kind: 'decision', id: revokedId },
      recipientMemberId: amina,
      channel: 'post',
      language: 'nb',
      sentOn: '2026-03-10',
    });
    on('2026-03-13');
    await send(api, 'POST', `${f()}/notifications/${revocationNotice}/received`, nav, { receivedOn: '2026-03-12', evidence: 'postal-tracking' });
    // fvl § 31: received late (9 April), excused; NAV upholds and must forward (§ 33).
    on('2026-04-09');
    await send(api, 'POST', `${f()}/appeals`, nav, {
      appealId: secondAppeal,
      decisionId: revokedId,
      appellant: { memberId: amina },
      receivedOn: '2026-04-09',
      channel: 'post',
      grounds: 'The arrears remain.',
      signed: true,
    });
    on('2026-04-10');
    await send(api, 'POST', `${f()}/appeals/${secondAppeal}/assessment`, nav, {
      specific: true,
      signed: true,
      reasons: 'Signed; names the revocation.',
      excuse: { ground: 'not-to-blame', explanation: 'In hospital from 1 to 8 April.' },
    });
    await send(api, 'POST', `${f()}/appeals/${secondAppeal}/preparation`, nav, {
      investigations: 'Arrears statement from the landlord.',
      counterpartiesNotified: false,
    });
    await send(api, 'POST', `${f()}/appeals/${secondAppeal}/forward`, navApprover, { unitStatement: 'NAV upholds the revocation.', copyToParty: true });
    // Recorded time is the store's own (the instant the transaction stored the event), not the pinned clock's day.
    const { rows } = await api.db.pool.query<{ at: Date }>(
      'SELECT recorded_at AS at FROM event_store.events WHERE stream_id = $1 ORDER BY global_position DESC LIMIT 1',
      [familyStream(familyId)],
    );
    const beforeOutcome = rows[0].at.toISOString();
    // fvl § 34: statsforvalteren changes it: the revocation is set aside, the decision reinstated from 1 April.
    on('2026-05-18');
    await send(api, 'POST', `${f()}/appeals/${secondAppeal}/outcome`, nav, {
      outcome: 'changed',
      decidedOn: '2026-05-15',
      receivedOn: '2026-05-18',
      reference: 'SF 2026/2345',
      summary: 'The arrears were not covered: the support stands.',
      effect: { kind: 'reinstate', effectiveFrom: '2026-04-01' },
    });
    await api.app.get(ProjectionDaemon).runner('family-view')!.waitUntilCaughtUp();
    const decisionOn = async (query: string) => {
      const response = await api.inject('GET', `${f()}?${query}`, nav);
      expect(response.statusCode).toBe(200);
      return response.json().decisions.find((d: { decisionId: string }) => d.decisionId === revokedId);
    };
    // As we know it now: active in March, and active again from 1 April.
    expect((await decisionOn('today=2026-03-15')).status).toBe('active');
    expect((await decisionOn('today=2026-04-15')).status).toBe('active');
    // As recorded before the outcome: revoked from 1 April.
    expect((await decisionOn(`today=2026-04-15&recordedAt=${encodeURIComponent(beforeOutcome)}`)).status).toBe('revoked');
    expect((await decisionOn(`today=2026-03-15&recordedAt=${encodeURIComponent(beforeOutcome)}`)).status).toBe('active');
    const decided = (await decisionOn('today=2026-05-20')).appeals.find((a: { appealId: string }) => a.appealId === secondAppeal);
    expect(decided).toMatchObject({
      stage: 'decided-by-body',
      forwardedTo: 'statsforvalteren',
      timeliness: 'late-not-to-blame',
      bodyOutcome: { outcome: 'changed', reference: 'SF 2026/2345' },
    });
  });

  it('the old in-unit appeal decision route is gone', async () => {
    const response = await api.inject('POST', `${f()}/appeals/${appealId}/decide`, navApprover, { outcome: 'upheld', reasons: 'x' });
    expect(response.statusCode).toBe(404);
  });
});
