import { EVENT_STORE, type EventStore } from '@familievedtak/event-store';
import { ProjectionDaemon } from '@familievedtak/projections';
import { navCaseworker, seedAuditFamily, type AuditFamily } from '../../../../test/support/audit-family';
import { createTestApp, type TestApp } from '../../../../test/support/test-app';
import { subjectAccessExport } from './subject-access';
import { subjectAccessHtml } from './subject-access.html';

describe('subjectAccessExport (PostgreSQL)', () => {
  let api: TestApp;
  let store: EventStore;
  let f: AuditFamily;
  beforeAll(async () => {
    api = await createTestApp({ runProjections: true });
    store = api.app.get(EVENT_STORE);
    f = await seedAuditFamily(api);
    await api.app.get(ProjectionDaemon).runner('family-view')!.waitUntilCaughtUp();
    // NAV reads the family: the read audit records the child among the members read.
    expect((await api.inject('GET', `/families/${f.familyId}`, { ...navCaseworker, 'x-purpose': 'oppfølging' })).statusCode).toBe(200);
  });
  afterAll(() => api.close());

  const exportFor = (memberId: string) => subjectAccessExport({ store, db: api.db.pool }, memberId, { today: f.day, generatedAt: new Date('2026-11-27T12:00:00Z') });

  it("holds the child's events, view parts and read audit, and no one else's details", async () => {
    const report = (await exportFor(f.childId))!;
    expect(report.foundIn).toBe('read-model');
    expect(report.families).toHaveLength(1);
    const part = report.families[0];
    expect(part.member).toMatchObject({ memberId: f.childId, name: 'Yusuf <Ødegård>' });
    expect(part.events.map((e) => e.type)).toEqual(['FamilyRegistered', 'ConsentGiven', 'NeedExpressed', 'ConsentWithdrawn']);
    // The registration shows the child only; the mother's details are hers.
    expect(part.events[0].data).toMatchObject({ members: [expect.objectContaining({ memberId: f.childId })], otherMembers: 1 });
    expect(part.decisions).toEqual([]);
    expect(part.needs.map((n) => n.words)).toEqual(['Fotball på fritida']);
    expect(part.consents).toEqual([expect.objectContaining({ consentId: f.consentId, status: 'ended', withdrawnFrom: expect.any(String) })]);
    expect(report.readAudit).toEqual([expect.objectContaining({ userId: 'nav-kari', purpose: 'oppfølging', familyId: f.familyId, outcome: 'permit' })]);
  });

  it("holds the mother's decision with its amendment and revocation, her payment, and the consent she gave", async () => {
    const part = (await exportFor(f.adultId))!.families[0];
    expect(part.decisions).toEqual([expect.objectContaining({ decisionId: f.decisionId, status: 'revoked' })]);
    expect(part.events.map((e) => e.type)).toEqual([
      'FamilyRegistered', 'DecisionProposed', 'DecisionApproved', 'ConsentGiven', 'PaymentRecorded', 'DecisionAmended', 'DecisionRevoked', 'ConsentWithdrawn',
    ]);
    expect(part.events.find((e) => e.type === 'DecisionAmended')!.delegation).toEqual({ ruleSetId: expect.any(String), ruleSetVersion: expect.any(Number), ruleId: expect.any(String) });
    expect(part.payments.map((p) => p.amountOre)).toEqual([850000]);
    expect(part.consents.map((c) => c.consentId)).toEqual([f.consentId]);
  });

  it('renders a self-contained page with everything escaped and no scripts', async () => {
    const html = subjectAccessHtml((await exportFor(f.childId))!);
    expect(html).toContain('<meta charset="utf-8">');
    expect(html).toContain('What we hold about Yusuf &lt;Ødegård&gt;');
    expect(html).not.toContain('<Ødegård>');
    expect(html).not.toMatch(/<script|\ssrc=|\shref=|\son[a-z]+=/i);
    expect(html).toContain('Fotball på fritida');
    expect(html).toContain('oppfølging');
  });

  it('is undefined for a member no family holds', async () => {
    expect(await exportFor('00000000-0000-4000-8000-000000000000')).toBeUndefined();
  });
});
