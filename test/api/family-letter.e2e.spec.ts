import { createHash, randomUUID } from 'node:crypto';
import { ProjectionDaemon } from '@familievedtak/projections';
import { EVENT_STORE, type Clock, type EventStore } from '@familievedtak/event-store';
import { CLOCK } from '../../apps/api/src/shared/clock.provider';
import { rerenderFromLog } from '../../apps/api/src/letters/letter-documents';
import { familyStream, type MemberSpec, proposalBody, referAndAccept, registerFamily, send, staff, writtenEvidence } from '../support/parts';
import { fill, formatDate, formatMoney, templateFor } from '@familievedtak/letters';
import { pdfText } from '../support/pdf-text';
import { Headers, TestApp, createTestApp, headersFor } from '../support/test-app';

const nav = staff('NAV');
const bft = staff('BFT');
const hvk = staff('HVK');
const auditor = headersFor({ userId: 'auditor-1', role: 'auditor' });
const sha256 = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');

/**
 * The family letter end to end (issue 14), through the API against PostgreSQL with the app's
 * clock pinned: Amina (bokmål) and Yusuf (nynorsk), Leila (16, Amina's daughter only), Sara (11)
 * and Omar (4, both parents). NAV grants both adults social assistance, BFT a support measure for
 * Sara and one for Leila, HVK a health service for Yusuf (confidential towards Amina). NAV issues
 * one letter; each adult's PDF is read back with pdfjs.
 */
describe('API: the family letter (PostgreSQL, PDF text)', () => {
  let api: TestApp;
  let clock: Clock;
  let systemNow: Clock['now'];
  let familyId: string;
  let ids: Record<string, string>;
  const d = { nav: randomUUID(), sara: randomUUID(), leila: randomUUID(), hvk: randomUUID() };
  const allDecisions = () => [d.nav, d.sara, d.leila, d.hvk];
  const f = () => `/families/${familyId}`;
  const on = (date: string) => {
    clock.now = () => new Date(`${date}T10:00:00.000Z`);
  };

  const issue = async (body: Record<string, unknown>, headers: Headers = nav) => {
    const response = await api.inject('POST', `${f()}/letters`, headers, body);
    expect({ status: response.statusCode, body: response.statusCode === 201 ? null : response.body }).toEqual({ status: 201, body: null });
    return response.json() as {
      letterId: string;
      templateVersion: string;
      copies: Array<{ recipientMemberId: string; language: string; pdfSha256: string; htmlSha256: string; pdf: string; html: string }>;
    };
  };
  const fetchCopy = (letterId: string, memberId: string, format: 'pdf' | 'html', headers: Headers = nav) =>
    api.inject('GET', `${f()}/letters/${letterId}/copies/${memberId}/${format}`, headers);
  const pdfOf = async (letterId: string, memberId: string, headers: Headers = nav) => {
    const response = await fetchCopy(letterId, memberId, 'pdf', headers);
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toBe('application/pdf');
    const bytes = response.rawPayload;
    return { bytes, text: (await pdfText(bytes)).text.replace(/\u00a0/g, ' ') };
  };
  const events = async () => api.app.get<EventStore>(EVENT_STORE).readStream(familyStream(familyId));
  const issuedEvent = async (letterId: string) =>
    (await events()).find((e) => e.type === 'LetterIssued' && (e.data as { letterId: string }).letterId === letterId)!.data as unknown as {
      copies: Array<{ recipientMemberId: string; sha256: string; language: string; decisionIds: string[] }>;
    };

  beforeAll(async () => {
    api = await createTestApp({ runProjections: true });
    clock = api.app.get<Clock>(CLOCK);
    systemNow = clock.now;
    on('2026-03-02');
    const [amina, yusuf, leila, sara, omar] = [randomUUID(), randomUUID(), randomUUID(), randomUUID(), randomUUID()];
    // Leila is Amina's daughter: only Amina holds parental responsibility for her.
    const birth = (childId: string, holderId: string) => ({ childId, holderId, basis: 'birth-registration' });
    const family = await registerFamily(
      api,
      nav,
      [
        { memberId: amina, name: 'Amina Hassan', birthDate: '1988-03-02', role: 'adult' },
        { memberId: yusuf, name: 'Yusuf Hassan', birthDate: '1985-06-11', role: 'adult', preferredLanguage: 'nn' } as MemberSpec,
        { memberId: leila, name: 'Leila Hassan', birthDate: '2009-09-14', role: 'child' },
        { memberId: sara, name: 'Sara Hassan', birthDate: '2014-05-20', role: 'child' },
        { memberId: omar, name: 'Omar Hassan', birthDate: '2021-11-03', role: 'child' },
      ],
      { district: 'Heimdal', parentalResponsibility: [birth(leila, amina), birth(sara, amina), birth(sara, yusuf), birth(omar, amina), birth(omar, yusuf)] },
    );
    familyId = family.familyId;
    ids = family.ids;
    // BFT and HVK take part by referral (each member's consent naming them, recorded by NAV).
    await referAndAccept(api, familyId, nav, bft, 'BFT', [sara, leila], { [sara]: amina, [leila]: amina });
    await referAndAccept(api, familyId, nav, hvk, 'HVK', [yusuf]);

    await send(
      api,
      'POST',
      `${f()}/decisions`,
      nav,
      proposalBody({
        decisionId: d.nav,
        unit: 'NAV',
        decisionType: 'economic-social-assistance',
        memberIds: [amina, yusuf],
        periodFrom: '2026-03-01',
        periodUntil: '2026-08-31',
        amounts: { monthlyAmountOre: 1_250_000 },
        facts: 'Familien har ikke nok penger til husleie og mat denne våren.',
      }),
    );
    await send(api, 'POST', `${f()}/decisions/${d.nav}/approve`, staff('NAV', 'approver'));
    await send(
      api,
      'POST',
      `${f()}/decisions`,
      bft,
      proposalBody({
        decisionId: d.sara,
        unit: 'BFT',
        decisionType: 'child-welfare-support-measure',
        memberIds: [sara],
        periodFrom: '2026-03-01',
        periodUntil: '2026-12-31',
        children: [sara],
        facts: 'Sara trenger en støttekontakt etter skolen.',
      }),
    );
    await send(api, 'POST', `${f()}/decisions/${d.sara}/approve`, staff('BFT', 'approver'));
    await send(
      api,
      'POST',
      `${f()}/decisions`,
      bft,
      proposalBody({
        decisionId: d.leila,
        unit: 'BFT',
        decisionType: 'child-welfare-support-measure',
        memberIds: [leila],
        periodFrom: '2026-03-01',
        periodUntil: '2026-08-31',
        amounts: { oneOffAmountOre: 450_000 },
        children: [leila],
        facts: 'Leila trener fotball. Familien har ikke råd til utstyr.',
      }),
    );
    await send(api, 'POST', `${f()}/decisions/${d.leila}/approve`, staff('BFT', 'approver'));
    await send(
      api,
      'POST',
      `${f()}/decisions`,
      hvk,
      proposalBody({
        decisionId: d.hvk,
        unit: 'HVK',
        decisionType: 'adult-health-care-service',
        memberIds: [yusuf],
        periodFrom: '2026-03-01',
        periodUntil: '2026-06-30',
        outcome: 'partly-granted',
        facts: 'Yusuf har vondt i ryggen og trenger hjelp til trening.',
        mainConsiderations: 'Han får trening to ganger i uka, ikke tre.',
      }),
    );
    await send(api, 'POST', `${f()}/decisions/${d.hvk}/approve`, staff('HVK', 'approver'));

    // NAV issues the letter, so it must read every bundled decision (fvl § 13 b: information-sharing consents naming NAV).
    const share = (memberId: string, givenBy: string, by: Headers, categories: string[]) =>
      send(api, 'POST', `${f()}/consents`, by, {
        memberId,
        givenByMemberId: givenBy,
        kind: 'information-sharing',
        toUnits: ['NAV'],
        dataCategories: categories,
        purpose: 'Ett brev til familien om alle vedtakene',
        validFrom: '2026-03-01',
        validUntil: '2027-12-31',
        evidence: writtenEvidence(),
      });
    await share(sara, amina, bft, ['decisions']);
    await share(leila, amina, bft, ['decisions']);
    await share(yusuf, yusuf, hvk, ['health']);
  });

  afterAll(async () => {
    if (clock) clock.now = systemNow;
    await api?.close();
  });

  const amina = () => ids['Amina Hassan'];
  const yusuf = () => ids['Yusuf Hassan'];
  const nb = templateFor('v1', 'nb');
  const nn = templateFor('v1', 'nn');
  const en = templateFor('v1', 'en');
  /** pdfjs breaks lines where the PDF wraps them: compare sentences as one running text. */
  const flat = (text: string) => text.replace(/\s+/g, ' ');
  const occurrences = (text: string, piece: string) => flat(text).split(piece).length - 1;
  /** What marks each decision in a copy: its own facts (written by the caseworker). */
  const FACTS = {
    nav: 'Familien har ikke nok penger til husleie og mat denne våren.',
    sara: 'Sara trenger en støttekontakt etter skolen.',
    leila: 'Leila trener fotball. Familien har ikke råd til utstyr.',
    hvk: 'Yusuf har vondt i ryggen og trenger hjelp til trening.',
  };
  const holds = (text: string) =>
    Object.entries(FACTS)
      .filter(([, facts]) => flat(text).includes(facts))
      .map(([key]) => key);
  const readAudit = async (route: string) =>
    (
      await api.db.pool.query(
        `SELECT user_id, role, unit, family_id, member_ids, categories, outcome, status FROM audit.read_access WHERE family_id = $1 AND route LIKE $2 ORDER BY id`,
        [familyId, route],
      )
    ).rows;
  let first: Awaited<ReturnType<typeof issue>>;

  it('issues one copy per adult in their own language; each PDF holds exactly their parts, each decision with its appeal body and the deadline counted from receipt', async () => {
    on('2026-03-05');
    const before = await api.eventCount();
    first = await issue({ decisionIds: allDecisions() });
    expect(await api.eventCount()).toBe(before + 1);
    expect(first.copies.map((c) => [c.recipientMemberId, c.language]).sort()).toEqual(
      [
        [amina(), 'nb'],
        [yusuf(), 'nn'],
      ].sort(),
    );

    const a = await pdfOf(first.letterId, amina());
    // Amina: the NAV decision about her, Sara (both parents) and Leila (her daughter); not Yusuf's health decision (fvl § 13).
    expect(holds(a.text)).toEqual(['nav', 'sara', 'leila']);
    expect(flat(a.text)).toContain(fill(nb.text.greeting, { name: 'Amina Hassan' }));
    expect(flat(a.text)).toContain(`${nb.text.district}: Heimdal`);
    // Not delivered yet: no date, the weeks count from receipt (fvl § 29), once per decision, each with its appeal body.
    expect(occurrences(a.text, fill(nb.text.appealBody, { body: nb.appealBodies.statsforvalteren }))).toBe(3);
    expect(occurrences(a.text, fill(nb.text.appealDeadlineOpen, { weeks: 3 }))).toBe(3);
    expect(flat(a.text)).not.toContain(fill(nb.text.appealDeadline, { date: 'X' }).split('X')[0]);

    const y = await pdfOf(first.letterId, yusuf());
    // Yusuf (nynorsk, his own choice): NAV, Sara and his own health decision; not Leila, for whom he holds no parental responsibility.
    expect(holds(y.text)).toEqual(['nav', 'sara', 'hvk']);
    expect(flat(y.text)).toContain(nn.text.title);
    expect(occurrences(y.text, fill(nn.text.appealBody, { body: nn.appealBodies.statsforvalteren }))).toBe(3);
    expect(occurrences(y.text, fill(nn.text.appealDeadlineOpen, { weeks: 3 }))).toBe(2);
    expect(occurrences(y.text, fill(nn.text.appealDeadlineOpen, { weeks: 4 }))).toBe(1);

    // The record: each copy's decisions and the SHA-256 of the bytes kept.
    const event = await issuedEvent(first.letterId);
    expect(Object.fromEntries(event.copies.map((c) => [c.recipientMemberId, c.decisionIds]))).toEqual({
      [amina()]: [d.nav, d.sara, d.leila],
      [yusuf()]: [d.nav, d.sara, d.hvk],
    });
    for (const [member, bytes] of [
      [amina(), a.bytes],
      [yusuf(), y.bytes],
    ] as const) {
      const recorded = event.copies.find((c) => c.recipientMemberId === member)!.sha256;
      expect(sha256(bytes)).toBe(recorded);
      expect(first.copies.find((c) => c.recipientMemberId === member)!.pdfSha256).toBe(recorded);
    }
  });

  it('re-rendering from the log alone reproduces the same bytes (PDF and HTML)', async () => {
    on('2026-03-20'); // days later: the wall clock must not matter
    const again = await rerenderFromLog(await events(), first.letterId);
    expect(again?.matches).toBe(true);
    for (const copy of again!.copies) {
      const pdf = await fetchCopy(first.letterId, copy.copy.recipientMemberId, 'pdf');
      const html = await fetchCopy(first.letterId, copy.copy.recipientMemberId, 'html');
      expect(copy.pdf.equals(pdf.rawPayload)).toBe(true);
      expect(copy.html.equals(html.rawPayload)).toBe(true);
      expect(html.headers['x-content-sha256']).toBe(copy.htmlSha256);
    }
  });

  it('every fetch is in the read audit: who, the recipient and the members the copy tells about, categories decisions and letters', async () => {
    const rows = await readAudit('%/letters/%/copies/%');
    expect(rows.length).toBeGreaterThanOrEqual(6);
    // Only Amina's copy tells about Leila; the joint NAV decision makes Yusuf a subject of it too.
    const aminaPdf = rows.find((r) => r.member_ids.includes(ids['Leila Hassan']));
    expect(aminaPdf).toMatchObject({ user_id: 'nav-caseworker', unit: 'NAV', outcome: 'permit', status: 200, categories: ['decisions', 'letters'] });
    expect([...aminaPdf.member_ids].sort()).toEqual([amina(), yusuf(), ids['Leila Hassan'], ids['Sara Hassan']].sort());
  });

  it("delivery starts the appeal deadline: the family view's deadline is the date a letter issued afterwards gives", async () => {
    on('2026-03-09');
    const before = await api.eventCount();
    await send(api, 'POST', `${f()}/letters/${first.letterId}/deliveries`, nav, {
      recipientMemberId: amina(),
      channel: 'digital-mailbox',
      deliveredOn: '2026-03-06',
    });
    expect(await api.eventCount()).toBeGreaterThan(before);
    const after = await api.eventCount();
    const again = await api.inject('POST', `${f()}/letters/${first.letterId}/deliveries`, nav, {
      recipientMemberId: amina(),
      channel: 'post',
      deliveredOn: '2026-03-07',
    });
    expect({ status: again.statusCode, code: again.json().code }).toEqual({ status: 409, code: 'LETTER_ALREADY_DELIVERED' });
    expect(await api.eventCount()).toBe(after);

    await api.app.get(ProjectionDaemon).runner('family-view')!.waitUntilCaughtUp();
    const view = (await api.inject('GET', f(), nav)).json();
    const deadlineOf = (decisionId: string) =>
      view.decisions
        .find((x: { decisionId: string }) => x.decisionId === decisionId)
        .notifications.find((n: { recipientMemberId: string }) => n.recipientMemberId === amina())?.deadline;
    // Received Friday 6 March; three weeks end Friday 27 March (fvl § 30).
    expect(deadlineOf(d.nav)).toBe('2026-03-27');

    const next = await issue({ decisionIds: allDecisions() });
    const a = await pdfOf(next.letterId, amina());
    for (const decisionId of [d.nav, d.sara, d.leila]) {
      const deadline = deadlineOf(decisionId);
      expect(deadline).toEqual(expect.stringMatching(/^\d{4}-\d{2}-\d{2}$/));
      expect(flat(a.text)).toContain(fill(nb.text.appealDeadline, { date: formatDate(deadline, nb) }));
    }
    expect(flat(a.text)).toContain(fill(nb.text.appealDeadline, { date: '27. mars 2026' }));
    expect(flat(a.text)).not.toContain(fill(nb.text.appealDeadlineOpen, { weeks: 3 }));
    // Yusuf's copy was not delivered: his deadline still counts from his receipt.
    const y = await pdfOf(next.letterId, yusuf());
    expect(occurrences(y.text, fill(nn.text.appealDeadlineOpen, { weeks: 3 }))).toBe(2);
  });

  it("fvl § 13 a no. 1: Yusuf's health decision reaches Amina only once he consents to one family decision", async () => {
    on('2026-03-10');
    await send(api, 'POST', `${f()}/consents`, hvk, {
      memberId: yusuf(),
      givenByMemberId: yusuf(),
      kind: 'combine-family-decision',
      toUnits: ['NAV', 'BFT', 'HVK'],
      dataCategories: ['decisions', 'health'],
      purpose: 'Ett vedtak og ett brev til familien',
      validFrom: '2026-03-01',
      validUntil: '2027-12-31',
      evidence: writtenEvidence(),
    });
    const letter = await issue({ decisionIds: allDecisions() });
    const a = await pdfOf(letter.letterId, amina());
    expect(holds(a.text)).toEqual(['nav', 'sara', 'leila', 'hvk']);
    expect(flat(a.text)).toContain(fill(nb.text.consentNote, { names: 'Yusuf Hassan' }));
    // She is no party to it: her copy says the weeks count from receipt, and it starts no deadline of hers.
    expect(occurrences(a.text, fill(nb.text.appealDeadlineOpen, { weeks: 4 }))).toBe(1);
  });

  it('bokmål, nynorsk and English each render (English on request for every copy)', async () => {
    const letter = await issue({ decisionIds: [d.nav], language: 'en' });
    expect(letter.copies.map((c) => c.language)).toEqual(['en', 'en']);
    for (const copy of letter.copies) {
      const { text } = await pdfOf(letter.letterId, copy.recipientMemberId);
      expect(flat(text)).toContain(en.text.title);
      expect(flat(text)).toContain(fill(en.text.appealBody, { body: en.appealBodies.statsforvalteren }));
      expect(flat(text)).toContain(`${fill(en.text.amountMonthly)}: ${formatMoney(1_250_000, en)}`);
    }
    for (const [language, t] of [
      ['nb', nb],
      ['nn', nn],
    ] as const) {
      const one = await issue({ decisionIds: [d.nav], language });
      const { text } = await pdfOf(one.letterId, amina());
      expect(flat(text)).toContain(t.text.title);
      expect(flat(text)).toContain(fill(t.text.footer, { version: 'v1', language: t.meta.languageName }));
    }
  });

  it('a preview records nothing but the read; HTML and PDF say the same', async () => {
    const before = await api.eventCount();
    const preview = await api.inject('POST', `${f()}/letters/preview`, nav, { decisionIds: [d.nav, d.leila] });
    expect(preview.statusCode).toBe(200);
    const body = preview.json();
    expect(body.copies.map((c: { recipientMemberId: string; decisionIds: string[] }) => [c.recipientMemberId, c.decisionIds]).sort()).toEqual(
      [
        [amina(), [d.nav, d.leila]],
        [yusuf(), [d.nav]],
      ].sort(),
    );
    const pdf = await api.inject('POST', `${f()}/letters/preview?format=pdf&recipientMemberId=${amina()}`, nav, { decisionIds: [d.nav, d.leila] });
    expect(pdf.statusCode).toBe(200);
    expect(pdf.headers['content-type']).toBe('application/pdf');
    const text = flat((await pdfText(pdf.rawPayload)).text);
    const html = body.copies.find((c: { recipientMemberId: string }) => c.recipientMemberId === amina()).html as string;
    for (const sentence of [nb.text.summaryHeading, FACTS.leila, fill(nb.text.appealDeadline, { date: '27. mars 2026' })]) {
      expect(text).toContain(sentence);
      expect(html).toContain(sentence);
    }
    expect(await api.eventCount()).toBe(before);
    expect((await readAudit('%/letters/preview%')).length).toBeGreaterThanOrEqual(2);
  });

  it('a unit with no part in a copy, or none in the family, gets 404 and no bytes; an auditor reads any issued copy', async () => {
    // HVK made none of Amina's first copy's decisions and did not issue the letter.
    const hvkRead = await fetchCopy(first.letterId, amina(), 'pdf', hvk);
    expect(hvkRead.statusCode).toBe(404);
    expect(hvkRead.headers['content-type']).toMatch(/json/);
    expect(hvkRead.body).not.toContain('%PDF');
    // BFT made Sara's decision, which is in Yusuf's copy.
    expect((await fetchCopy(first.letterId, yusuf(), 'html', bft)).statusCode).toBe(200);
    const stranger = staff('INN');
    for (const format of ['pdf', 'html'] as const) {
      const r = await fetchCopy(first.letterId, amina(), format, stranger);
      expect(r.statusCode).toBe(404);
      expect(r.body).not.toContain(FACTS.nav);
    }
    const before = await api.eventCount();
    const issued = await api.inject('POST', `${f()}/letters`, stranger, { decisionIds: allDecisions() });
    expect(issued.statusCode).toBe(404);
    const previewed = await api.inject('POST', `${f()}/letters/preview`, stranger, { decisionIds: allDecisions() });
    expect(previewed.statusCode).toBe(404);
    expect(previewed.body).not.toContain(FACTS.nav);
    expect(await api.eventCount()).toBe(before);
    const audited = await fetchCopy(first.letterId, amina(), 'pdf', auditor);
    expect(audited.statusCode).toBe(200);
    expect(sha256(audited.rawPayload)).toBe(first.copies.find((c) => c.recipientMemberId === amina())!.pdfSha256);
    const auditRows = await readAudit('%/letters/%/copies/%');
    expect(auditRows.some((r) => r.role === 'auditor' && r.outcome === 'permit')).toBe(true);
    // The refused fetches are on the record too, as denials that name no member.
    const refusedRows = auditRows.filter((r) => r.unit === 'INN' || r.unit === 'HVK');
    expect(refusedRows).toHaveLength(3);
    expect(refusedRows.every((r) => r.outcome === 'deny' && r.status === 404 && r.member_ids.length === 0)).toBe(true);
  });

  it('bad input is refused with a 4xx and appends nothing', async () => {
    const cases: Array<[string, string, unknown, number, string?]> = [
      ['POST', `${f()}/letters`, { decisionIds: [] }, 400],
      ['POST', `${f()}/letters`, { decisionIds: ['not-a-uuid'] }, 400],
      ['POST', `${f()}/letters`, { decisionIds: [d.nav], language: 'sv' }, 400],
      ['POST', `${f()}/letters`, { decisionIds: [d.nav, d.nav] }, 422, 'INVALID_INPUT'],
      ['POST', `${f()}/letters`, { decisionIds: [randomUUID()] }, 404],
      ['POST', `${f()}/letters`, { decisionIds: [d.nav], letterId: first.letterId }, 409],
      ['POST', `${f()}/letters/${first.letterId}/deliveries`, { recipientMemberId: yusuf(), channel: 'pigeon', deliveredOn: '2026-03-06' }, 400],
      ['POST', `${f()}/letters/${first.letterId}/deliveries`, { recipientMemberId: yusuf(), channel: 'post', deliveredOn: '2026-03-04' }, 422, 'INVALID_DATE'],
      [
        'POST',
        `${f()}/letters/${first.letterId}/deliveries`,
        { recipientMemberId: ids['Sara Hassan'], channel: 'post', deliveredOn: '2026-03-06' },
        422,
        'INVALID_INPUT',
      ],
      [
        'POST',
        `${f()}/letters/${randomUUID()}/deliveries`,
        { recipientMemberId: yusuf(), channel: 'post', deliveredOn: '2026-03-06' },
        404,
        'LETTER_NOT_FOUND',
      ],
    ];
    for (const [, url, body, status, code] of cases) {
      const before = await api.eventCount();
      const response = await api.inject('POST', url, nav, body);
      expect({ url, body, status: response.statusCode, code: code ? response.json().code : undefined }).toEqual({ url, body, status, code });
      expect(await api.eventCount()).toBe(before);
    }
    expect((await fetchCopy(randomUUID(), amina(), 'pdf')).statusCode).toBe(404);
    expect((await api.inject('GET', `${f()}/letters/${first.letterId}/copies/${amina()}/docx`, nav)).statusCode).toBe(404);
  });

  it("no district of a protected member in another recipient's copy; without the clearance no copy at all", async () => {
    on('2026-03-10');
    const cleared = headersFor({ userId: 'nav-cleared', role: 'caseworker', unit: 'NAV', clearances: ['protected-address'] });
    const district = 'Gråkallåsen Nordre';
    const other = await registerFamily(
      api,
      cleared,
      [
        { name: 'Ingrid Berg', birthDate: '1990-01-15', role: 'adult', addressProtection: 'strengt-fortrolig' },
        { name: 'Per Berg', birthDate: '1989-07-01', role: 'adult' },
      ],
      { district },
    );
    const [ingrid, per] = [other.ids['Ingrid Berg'], other.ids['Per Berg']];
    const decisionId = randomUUID();
    const g = `/families/${other.familyId}`;
    await send(
      api,
      'POST',
      `${g}/decisions`,
      cleared,
      proposalBody({
        decisionId,
        unit: 'NAV',
        decisionType: 'economic-social-assistance',
        memberIds: [ingrid, per],
        periodFrom: '2026-03-01',
        periodUntil: '2026-08-31',
        amounts: { monthlyAmountOre: 900_000 },
        facts: `Husleia i ${district} er høy.`,
      }),
    );
    await send(
      api,
      'POST',
      `${g}/decisions/${decisionId}/approve`,
      headersFor({ userId: 'nav-approver-cleared', role: 'approver', unit: 'NAV', clearances: ['protected-address'] }),
    );
    const issued = await api.inject('POST', `${g}/letters`, cleared, { decisionIds: [decisionId] });
    expect(issued.statusCode).toBe(201);
    const { letterId } = issued.json();
    const read = async (memberId: string) => {
      const response = await api.inject('GET', `${g}/letters/${letterId}/copies/${memberId}/pdf`, cleared);
      expect(response.statusCode).toBe(200);
      return flat((await pdfText(response.rawPayload)).text);
    };
    const perText = await read(per);
    expect(perText).not.toContain(district);
    expect(perText).toContain(`Husleia i ${nb.meta.withheld} er høy.`);
    expect(perText).not.toContain(`${nb.text.district}:`);
    // Ingrid's own copy may say where she lives: no other member is protected.
    expect(await read(ingrid)).toContain(`${nb.text.district}: ${district}`);
    for (const format of ['pdf', 'html']) {
      const refused = await api.inject('GET', `${g}/letters/${letterId}/copies/${per}/${format}`, nav);
      expect(refused.statusCode).toBe(403);
      expect(refused.body).not.toContain('Berg');
      expect(refused.body).not.toContain(district);
    }
  });
});
