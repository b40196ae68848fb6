import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { addDays, type LocalDate } from '@familievedtak/domain';
import { EVENT_STORE, type EventStore } from '@familievedtak/event-store';
import { ProjectionDaemon } from '@familievedtak/projections';
import { navCaseworker, seedAuditFamily, type AuditFamily } from '../testing/audit-family';
import { createTestApp, headersFor, type TestApp } from '../../../../test/support/test-app';
import { osloToday } from '../../../../test/support/today';
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

  const exportFor = (memberId: string) =>
    subjectAccessExport({ store, db: api.db.pool }, memberId, { today: f.day, generatedAt: new Date('2026-11-27T12:00:00Z') });

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
      'FamilyRegistered',
      'DecisionProposed',
      'DecisionApproved',
      'ConsentGiven',
      'PaymentRecorded',
      'DecisionAmended',
      'DecisionRevoked',
      'ConsentWithdrawn',
    ]);
    expect(part.events.find((e) => e.type === 'DecisionAmended')!.delegation).toEqual({
      ruleSetId: expect.any(String),
      ruleSetVersion: expect.any(Number),
      ruleId: expect.any(String),
    });
    expect(part.payments.map((p) => p.amountOre)).toEqual([850000]);
    expect(part.consents.map((c) => c.consentId)).toEqual([f.consentId]);
  });

  it('renders a self-contained page with everything escaped and no scripts', async () => {
    const html = subjectAccessHtml((await exportFor(f.childId))!);
    expect(html).toContain('<meta charset="utf-8">');
    expect(html).toContain('Dette har vi registrert om deg, Yusuf &lt;Ødegård&gt;');
    expect(html).not.toContain('<Ødegård>');
    expect(html).not.toMatch(/<script|\ssrc=|\shref=|\son[a-z]+=/i);
    expect(html).toContain('Fotball på fritida');
    expect(html).toContain('oppfølging');
  });

  it('speaks bokmål by default and English on request, with names, not ids, and Oslo local times', async () => {
    // 23:30 UTC on 27 November is 00:30 on 28 November in Oslo (UTC+1 in winter).
    const report = (await subjectAccessExport({ store, db: api.db.pool }, f.adultId, { today: f.day, generatedAt: new Date('2026-11-27T23:30:00Z') }))!;
    const part = report.families[0];
    // The JSON keeps the ids and carries names beside them.
    expect(part.consents).toEqual([
      expect.objectContaining({
        memberId: f.childId,
        aboutName: 'Yusuf <Ødegård>',
        givenByMemberId: f.adultId,
        givenByName: 'Amina Ødegård',
        toUnitNames: ['NAV-kontoret'],
      }),
    ]);
    expect(part.decisions).toEqual([
      expect.objectContaining({ memberIds: [f.adultId], memberNames: ['Amina Ødegård'], unit: 'NAV', unitName: 'NAV-kontoret' }),
    ]);
    expect(part.events.find((e) => e.type === 'DecisionApproved')).toMatchObject({ memberIds: [f.adultId], memberNames: ['Amina Ødegård'] });

    const nb = subjectAccessHtml(report);
    expect(nb).toContain('<html lang="nb">');
    expect(nb).toContain('Dette har vi registrert om deg, Amina Ødegård');
    expect(nb).toContain('Utskriften er laget 28. november 2026 kl. 00.30.');
    expect(nb).toContain('Økonomisk stønad (sosialstønad)');
    expect(nb).toContain('Et samtykke ble gitt');
    // The consent row: what it is for, about whom and given by whom, by name; the unit by its name.
    expect(nb).toContain('<td>deling av opplysninger</td><td>Yusuf &lt;Ødegård&gt;</td><td>Amina Ødegård</td><td>NAV-kontoret</td>');
    // No ids anywhere on the person's page: not the member's, the family's, the decision's or the consent's.
    expect(nb).not.toMatch(/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/i);

    const en = subjectAccessHtml(report, { lang: 'en' });
    expect(en).toContain('<html lang="en">');
    expect(en).toContain('What we hold about you, Amina Ødegård');
    expect(en).toContain('It was made on 28 November 2026 at 00:30.');
    expect(en).toContain('Economic social assistance');
    expect(en).toContain('<td>sharing information</td><td>Yusuf &lt;Ødegård&gt;</td><td>Amina Ødegård</td><td>The NAV office</td>');
    expect(en).not.toMatch(/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/i);
  });

  it("a co-member's protected address: the export never carries her details, nor (without clearance) the district, names of places or free text", async () => {
    const familyId = randomUUID();
    const [mother, child] = [randomUUID(), randomUUID()];
    const send = async (url: string, body: unknown) => {
      const response = await api.inject('POST', url, navCaseworker, body);
      if (response.statusCode >= 300) throw new Error(`${url}: ${response.statusCode} ${response.body}`);
    };
    await send('/families', {
      familyId,
      district: 'Saupstad',
      members: [
        { memberId: mother, name: 'Hemmelig Mor', birthDate: '1990-01-01', role: 'adult', nationalId: '01019012345', addressProtection: 'strengt-fortrolig' },
        { memberId: child, name: 'Liten', birthDate: '2018-05-05', role: 'child' },
      ],
      parentalResponsibility: [{ childId: child, holderId: mother, basis: 'birth-registration', documentRef: 'FREG-Saupstad-1' }],
    });
    await send(`/families/${familyId}/team`, {
      personId: randomUUID(),
      name: 'Kari på Saupstad',
      affiliation: { kind: 'unit', unit: 'NAV' },
      teamRole: 'Saupstad-teamet',
    });
    await send(`/families/${familyId}/needs`, { memberId: child, words: 'Fotball på Saupstad IL', expressedOn: f.day });
    await send(`/families/${familyId}/consents`, {
      memberId: child,
      givenByMemberId: mother,
      kind: 'information-sharing',
      toUnits: ['BFT'],
      dataCategories: ['needs'],
      purpose: 'Hjelp på Saupstad',
      validFrom: f.day,
      validUntil: f.day,
      evidence: { form: 'written', documentRef: 'ARK-Saupstad' },
    });
    const exportOf = (cleared: boolean) =>
      subjectAccessExport({ store, db: api.db.pool }, child, { today: f.day, generatedAt: new Date(), protectedAddressClearance: cleared });

    const plain = (await exportOf(false))!;
    const part = plain.families[0];
    expect(part.withheld).toBe('protected-address');
    expect(part.member).toMatchObject({ memberId: child, name: 'Liten' });
    expect(part.events.map((e) => e.type)).toEqual(['FamilyRegistered', 'NeedExpressed', 'ConsentGiven']);
    expect(part.events[0].label).toBe('NAV registered the family with a member with a protected address and Liten');
    expect(part.needs.map((n) => n.words)).toEqual([null]);
    expect(part.consents.map((c) => c.purpose)).toEqual([null]);
    const text = JSON.stringify(plain) + subjectAccessHtml(plain) + subjectAccessHtml(plain, { lang: 'en' });
    // Her name is withheld beside the id, and the page says who she is only by the protection.
    expect(part.consents).toEqual([expect.objectContaining({ givenByMemberId: mother, givenByName: null, aboutName: 'Liten' })]);
    expect(subjectAccessHtml(plain)).toContain('<td>Liten</td><td>et familiemedlem med beskyttet adresse</td>');
    for (const leak of ['Hemmelig', '01019012345', 'Saupstad', 'Kari']) expect([leak, text.includes(leak)]).toEqual([leak, false]);

    // With the clearance: the district and the child's own records, but still nothing of the mother.
    const clear = (await exportOf(true))!;
    expect(clear.families[0].withheld).toBeNull();
    expect(clear.families[0].events[0].data).toMatchObject({ district: 'Saupstad', otherMembers: 1 });
    expect(clear.families[0].needs.map((n) => n.words)).toEqual(['Fotball på Saupstad IL']);
    const clearText = JSON.stringify(clear);
    for (const leak of ['Hemmelig', '01019012345']) expect([leak, clearText.includes(leak)]).toEqual([leak, false]);
  });

  it('is undefined for a member no family holds', async () => {
    expect(await exportFor('00000000-0000-4000-8000-000000000000')).toBeUndefined();
  });
});

describe('subjectAccessExport: warnings about the member’s needs under the rule set in force today (PostgreSQL)', () => {
  let api: TestApp;
  let store: EventStore;
  let today: LocalDate;
  const analyst = { ...headersFor({ userId: 'rules-ragnhild', role: 'rules-analyst' }), 'content-type': 'text/yaml' };
  const authority = headersFor({ userId: 'kd-kristin', role: 'delegation-authority' });
  const shipped = readFileSync(join(__dirname, '../../../rules/rule-sets/family-decision.yaml'), 'utf8');
  const shippedVersion = Number(/^version: (\d+)$/m.exec(shipped)![1]);

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
  /** The family-decision set again as `version`, with another open-need limit, in force from `effectiveFrom`. */
  const activateLimit = async (version: number, days: number, effectiveFrom: LocalDate) => {
    const document = shipped.replace(/^version: \d+$/m, `version: ${version}`).replace(/^openNeedWarningDays: \d+$/m, `openNeedWarningDays: ${days}`);
    expect(document).toContain(`openNeedWarningDays: ${days}`);
    await send('/rule-sets', analyst, document);
    await send('/rule-sets/family-decision/activate', authority, {
      version,
      effectiveFrom,
      delegationDecision: { body: 'kommunedirektøren', decidedOn: today, caseNumber: `2026/48${version}` },
    });
  };

  it('warns about her need open 40 days once a 30-day limit is in force, not under a limit that takes effect later', async () => {
    const familyId = randomUUID();
    const [amina, omar] = [randomUUID(), randomUUID()];
    const [hers, his] = [randomUUID(), randomUUID()];
    await send('/families', navCaseworker, {
      familyId,
      district: 'Heimdal',
      members: [
        { memberId: amina, name: 'Amina Berg', birthDate: '1988-03-02', role: 'adult' },
        { memberId: omar, name: 'Omar Berg', birthDate: '1985-06-11', role: 'adult' },
      ],
    });
    for (const [needId, memberId] of [
      [hers, amina],
      [his, omar],
    ]) {
      await send(`/families/${familyId}/needs`, navCaseworker, { needId, memberId, words: 'Hjelp til å finne jobb', expressedOn: addDays(today, -40) });
      await send(`/families/${familyId}/needs/${needId}/pick-up`, navCaseworker, {});
    }
    const exportOf = async () => (await subjectAccessExport({ store, db: api.db.pool }, amina, { today, generatedAt: new Date(`${today}T12:00:00Z`) }))!;

    // The shipped sets say 180 days: 40 is nothing to warn about.
    expect((await exportOf()).families[0].warnings).toEqual([]);

    await activateLimit(shippedVersion + 1, 30, today);
    // A later set with a year's limit is activated too, but is not in force today.
    await activateLimit(shippedVersion + 2, 365, addDays(today, 10));
    const report = await exportOf();
    // Her need only: Omar's open need is his.
    expect(report.families[0].warnings).toEqual([
      {
        kind: 'need-open-too-long',
        needId: hers,
        memberId: amina,
        memberName: 'Amina Berg',
        expressedOn: addDays(today, -40),
        daysOpen: 40,
        pickedUpBy: ['NAV'],
        limitDays: 30,
      },
    ]);
    expect(subjectAccessHtml(report)).toContain(
      'har vært åpent i 40 dager etter at NAV-kontoret tok tak i det, lenger enn de 30 dagene kommunen har satt som grense',
    );
    expect(subjectAccessHtml(report, { lang: 'en' })).toContain('has been open for 40 days since the NAV office took it up, longer than the 30 days');
  });
});
