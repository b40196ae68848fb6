import { randomUUID } from 'node:crypto';
import { addDays } from '@familievedtak/domain';
import { familyStateSql, ProjectionDaemon } from '@familievedtak/projections';
import { auditor, seedAuditFamily, type AuditFamily } from '../../libs/audit/src/testing/audit-family';
import { createTestApp, headersFor, type TestApp } from '../support/test-app';

/** The auditor's history, time travel and subject access through the API (PostgreSQL). */
describe('API: auditor history, as-of and subject access', () => {
  let api: TestApp;
  let f: AuditFamily;
  const purpose = { 'x-purpose': 'tilsyn 2026-17' };

  beforeAll(async () => {
    api = await createTestApp({ runProjections: true });
    f = await seedAuditFamily(api);
    await api.app.get(ProjectionDaemon).runner('family-view')!.waitUntilCaughtUp();
  });
  afterAll(() => api.close());

  /** Read-audit rows of a route, oldest first (the interceptor commits them before the response). */
  const reads = async (route: string) =>
    (
      await api.db.pool.query(
        'SELECT user_id, role, family_id, member_ids, categories, purpose, outcome, status FROM audit.read_access WHERE route = $1 ORDER BY id',
        [route],
      )
    ).rows;

  it('history: labels, actor, delegation and consents relied on; filtered and paged; the read recorded', async () => {
    const all = await api.inject('GET', `/audit/families/${f.familyId}/history?limit=100`, { ...auditor, ...purpose });
    expect(all.statusCode).toBe(200);
    const body = all.json();
    expect(body.streamLength).toBe(9);
    expect(body.nextCursor).toBeNull();
    const amended = body.entries.find((e: { type: string }) => e.type === 'DecisionAmended');
    expect(amended).toMatchObject({
      // The new terms, and the day they hold from (valid time: the amendment took effect the day it was made).
      label: `NAV amended decision economic-social-assistance for Amina Ødegård (now ${addDays(f.day, -30)} to ${addDays(f.day, 200)}), from ${f.day}`,
      actor: { userId: 'nav-ola', role: 'approver', unit: 'NAV' },
      delegation: { ruleSetId: expect.any(String), ruleSetVersion: expect.any(Number), ruleId: expect.any(String) },
      commandId: expect.any(String),
      correlationId: expect.any(String),
    });
    const need = body.entries.find((e: { type: string }) => e.type === 'NeedExpressed');
    expect(need.consentsReliedOn).toEqual([f.consentId]);

    const page = (
      await api.inject('GET', `/audit/families/${f.familyId}/history?type=DecisionApproved,DecisionAmended,DecisionRevoked&unit=NAV&limit=2`, auditor)
    ).json();
    expect(page.entries.map((e: { type: string }) => e.type)).toEqual(['DecisionApproved', 'DecisionAmended']);
    const next = (
      await api.inject(
        'GET',
        `/audit/families/${f.familyId}/history?type=DecisionApproved,DecisionAmended,DecisionRevoked&unit=NAV&limit=2&after=${page.nextCursor}`,
        auditor,
      )
    ).json();
    expect(next.entries.map((e: { type: string }) => e.type)).toEqual(['DecisionRevoked']);
    expect(next.nextCursor).toBeNull();
    expect((await api.inject('GET', `/audit/families/${f.familyId}/history?unit=OPPVEKST`, auditor)).json().entries).toEqual([]);
    expect((await api.inject('GET', `/audit/families/${f.familyId}/history?from=tomorrow`, auditor)).statusCode).toBe(400);
    expect((await api.inject('GET', `/audit/families/${f.familyId}/history?type=Nonsense`, auditor)).statusCode).toBe(400);

    const [first] = await reads('GET /audit/families/:familyId/history');
    expect(first).toMatchObject({ user_id: 'eva-audit', role: 'auditor', family_id: f.familyId, purpose: 'tilsyn 2026-17', outcome: 'permit', status: 200 });
    expect([...first.member_ids].sort()).toEqual([f.adultId, f.childId].sort());
    expect(first.categories).toEqual(expect.arrayContaining(['consents', 'decisions', 'household', 'needs', 'payments']));
  });

  it('as-of: before and after the amendment, revocation and withdrawal; by position equals the live view', async () => {
    const at = async (instant: Date) => {
      const response = await api.inject('GET', `/audit/families/${f.familyId}/as-of?at=${instant.toISOString()}`, auditor);
      expect(response.statusCode).toBe(200);
      return response.json();
    };
    const decision = (body: { view: { decisions: { decisionId: string }[] } }) => body.view.decisions.find((d) => d.decisionId === f.decisionId);
    expect(decision(await at(f.instants.approved))).toMatchObject({ status: 'active', amounts: { monthlyAmountOre: 850000 } });
    expect(decision(await at(f.instants.amended))).toMatchObject({ status: 'active', amounts: { monthlyAmountOre: 900000 } });
    const revoked = await at(f.instants.revoked);
    expect(decision(revoked)).toMatchObject({ status: 'revoked' });
    expect(revoked.view.consents.inForce.map((c: { consentId: string }) => c.consentId)).toEqual([f.consentId]);
    const withdrawn = await at(f.instants.withdrawn);
    expect(withdrawn.view.consents.inForce).toEqual([]);

    const live = await api.db.pool.query(
      `SELECT v.revision, v.last_position, ${familyStateSql('v')} AS state FROM read_models.family_view v WHERE v.family_id = $1`,
      [f.familyId],
    );
    const byPosition = (await api.inject('GET', `/audit/families/${f.familyId}/as-of?position=${live.rows[0].last_position}&today=${f.day}`, auditor)).json();
    expect(byPosition.revision).toBe(Number(live.rows[0].revision));
    expect(byPosition.state).toEqual(live.rows[0].state);

    expect((await api.inject('GET', `/audit/families/${f.familyId}/as-of`, auditor)).statusCode).toBe(400);
    expect((await api.inject('GET', `/audit/families/${f.familyId}/as-of?at=2000-01-01T00:00:00Z`, auditor)).statusCode).toBe(404);
    const [read] = await reads('GET /audit/families/:familyId/as-of');
    expect(read).toMatchObject({ user_id: 'eva-audit', family_id: f.familyId, outcome: 'permit' });
  });

  it('subject access: JSON and a readable page, each read recorded against the member', async () => {
    const json = await api.inject('GET', `/audit/members/${f.childId}/subject-access`, { ...auditor, ...purpose });
    expect(json.statusCode).toBe(200);
    const report = json.json();
    expect(report.families[0].events.map((e: { type: string }) => e.type)).toEqual(['FamilyRegistered', 'ConsentGiven', 'NeedExpressed', 'ConsentWithdrawn']);
    expect(report.families[0].member.name).toBe('Yusuf <Ødegård>');

    const html = await api.inject('GET', `/audit/members/${f.childId}/subject-access.html`, auditor);
    expect(html.statusCode).toBe(200);
    expect(html.headers['content-type']).toBe('text/html; charset=utf-8');
    // Bokmål for the person by default; English on request; any other language is refused before anything is read.
    expect(html.body).toContain('Dette har vi registrert om deg, Yusuf &lt;Ødegård&gt;');
    expect(html.body).not.toContain('<script');
    const english = await api.inject('GET', `/audit/members/${f.childId}/subject-access.html?lang=en`, auditor);
    expect(english.body).toContain('What we hold about you, Yusuf &lt;Ødegård&gt;');
    expect((await api.inject('GET', `/audit/members/${f.childId}/subject-access.html?lang=xx`, auditor)).statusCode).toBe(400);

    const rows = await reads('GET /audit/members/:memberId/subject-access');
    expect(rows).toEqual([expect.objectContaining({ family_id: f.familyId, member_ids: [f.childId], purpose: 'tilsyn 2026-17', outcome: 'permit' })]);
    // The second export shows the first among the reads of the member's data.
    const again = (await api.inject('GET', `/audit/members/${f.childId}/subject-access`, auditor)).json();
    expect(again.readAudit.map((r: { route: string }) => r.route)).toContain('GET /audit/members/:memberId/subject-access');
    expect((await api.inject('GET', '/audit/members/no-such-member/subject-access', auditor)).statusCode).toBe(404);
  });

  it('a caseworker gets 403 on every auditor route, and the refusal is recorded', async () => {
    const kari = headersFor({ userId: 'nav-kari', role: 'caseworker', unit: 'NAV' });
    for (const url of [
      `/audit/families/${f.familyId}/history`,
      `/audit/families/${f.familyId}/as-of?position=1`,
      `/audit/members/${f.childId}/subject-access`,
      `/audit/members/${f.childId}/subject-access.html`,
    ]) {
      expect((await api.inject('GET', url, kari)).statusCode).toBe(403);
    }
    const denied = await api.db.pool.query(
      `SELECT route, family_id, member_ids, outcome, status FROM audit.read_access WHERE user_id = 'nav-kari' AND outcome = 'deny' ORDER BY id`,
    );
    expect(denied.rows).toEqual([
      { route: 'GET /audit/families/:familyId/history', family_id: f.familyId, member_ids: [], outcome: 'deny', status: 403 },
      { route: 'GET /audit/families/:familyId/as-of', family_id: f.familyId, member_ids: [], outcome: 'deny', status: 403 },
      // A refused subject access names the member it asked about (their own access report shows it).
      { route: 'GET /audit/members/:memberId/subject-access', family_id: null, member_ids: [f.childId], outcome: 'deny', status: 403 },
      { route: 'GET /audit/members/:memberId/subject-access.html', family_id: null, member_ids: [f.childId], outcome: 'deny', status: 403 },
    ]);
  });

  it('history of a part in the case: referral, acceptance, enrolment and closing, readable and filtered by unit', async () => {
    const nav = headersFor({ userId: 'nav-kari', role: 'caseworker', unit: 'NAV' });
    const bft = headersFor({ userId: 'bft-siri', role: 'caseworker', unit: 'BFT' });
    const bftLeader = headersFor({ userId: 'bft-leder', role: 'unit-leader', unit: 'BFT' });
    const send = async (url: string, headers: Record<string, string>, body: unknown = {}) => {
      const response = await api.inject('POST', url, headers, body);
      if (response.statusCode >= 300) throw new Error(`${url}: ${response.statusCode} ${response.body}`);
    };
    const familyId = randomUUID();
    const [mother, child, referralId] = [randomUUID(), randomUUID(), randomUUID()];
    const fam = `/families/${familyId}`;
    await send('/families', nav, {
      familyId,
      district: 'Heimdal',
      members: [
        { memberId: mother, name: 'Amina', birthDate: '1988-03-02', role: 'adult' },
        { memberId: child, name: 'Sara', birthDate: '2015-05-05', role: 'child' },
      ],
    });
    await send(`${fam}/referrals`, nav, { referralId, toUnit: 'BFT', memberIds: [child], reason: 'Bekymring', ground: 'duty-to-inform-child-welfare' });
    await send(`${fam}/referrals/${referralId}/accept`, bft);
    const subProjectId = `sp-${randomUUID().slice(0, 8)}`;
    await send('/sub-projects', bftLeader, {
      subProjectId,
      name: 'Barnas stemme',
      responsibleUnit: 'BFT',
      goals: ['Fritid'],
      firstSemester: '2026-autumn',
      actors: [
        { name: 'BFT', municipal: true, unit: 'BFT' },
        { name: 'Saupstad skole', municipal: false, organisationNumber: '974123456' },
        { name: 'Heimdal IL', municipal: false, organisationNumber: '983456789' },
      ],
    });
    await send(`${fam}/enrolments`, bft, { subProjectId, memberIds: [child] });

    const entries = (await api.inject('GET', `/audit/families/${familyId}/history?limit=100`, auditor)).json().entries as Array<{
      type: string;
      label: string;
      category: string;
      memberIds: string[];
    }>;
    const label = (type: string) => entries.filter((e) => e.type === type).map((e) => e.label);
    expect(label('ReferralRecorded')).toEqual(['NAV referred Sara to BFT under the duty to inform the child-welfare service (barnevernsloven § 13-2)']);
    expect(label('ReferralAccepted')).toEqual([expect.stringMatching(/^BFT accepted a referral from NAV and has a part in the case from \d{4}-\d{2}-\d{2}$/)]);
    expect(label('FamilyEnrolled')).toEqual(['BFT enrolled Sara in sub-project Barnas stemme of BFT with Saupstad skole and Heimdal IL']);
    expect(entries.find((e) => e.type === 'ReferralAccepted')).toMatchObject({ category: 'parts', memberIds: [child] });
    const forBft = (await api.inject('GET', `/audit/families/${familyId}/history?unit=BFT&limit=100`, auditor))
      .json()
      .entries.map((e: { type: string }) => e.type);
    expect(forBft).toEqual(expect.arrayContaining(['ReferralRecorded', 'ReferralAccepted', 'FamilyEnrolled']));
    expect(forBft).not.toContain('FamilyRegistered');
  });
});
