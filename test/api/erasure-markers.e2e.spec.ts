import { randomUUID } from 'node:crypto';
import { familyStreamId } from '@familievedtak/domain';
import { EVENT_STORE, type PersonalDataEventStore } from '@familievedtak/event-store';
import { ProjectionDaemon } from '@familievedtak/projections';
import { eraseRecords, IDENTITY_RULE } from '../../libs/projections/src/family-view/testing/erasure';
import { createTestApp, headersFor, type Headers, type TestApp } from '../support/test-app';

/**
 * Issue 17 through the API: after an erasure (keys shredded, then PersonalDataErased: design §5)
 * every reader-facing route shows `{ "erased": { "on", "rule", "provision" } }` (or, on the
 * subject-access page, "slettet … etter …" / "erased on … under …") in place of the data: the
 * family view, the list, the search, the stream state, the view as recorded earlier, the
 * auditor's history, time travel and subject access. None answers 5xx, and no response body holds
 * any of the erased strings.
 */
const NAME = 'Xanthelia Brumvoll';
const NATIONAL_ID = '17058812345';
const BIRTH_DATE = '1988-05-17';
const WORDS = 'Ovnen hos Krimpelstad brant opp';
const DOCUMENTATION = 'KVITTERING-QZ-90210';
const DISTINCTIVE = [NAME, 'Xanthelia', 'Brumvoll', NATIONAL_ID, BIRTH_DATE, WORDS, 'Krimpelstad', DOCUMENTATION];
const KEPT = 'Beholdt Brumsen';
const ERASED_ON = '2031-02-03';
const IDENTITY = { erased: { on: ERASED_ON, rule: 'trondheim-retention-2026@v1/identity', provision: IDENTITY_RULE.provision } };
const ON_REQUEST = { erased: { on: '2031-02-02', rule: null, provision: 'GDPR art. 17(1)' } };

const nav: Headers = { ...headersFor({ userId: 'nav-kari', role: 'caseworker', unit: 'NAV' }), 'x-purpose': 'oppfølging' };
const auditor: Headers = { ...headersFor({ userId: 'audit-anne', role: 'auditor' }), 'x-purpose': 'tilsyn 2031-4' };

describe('API: what readers see after an erasure (PostgreSQL)', () => {
  let api: TestApp;
  const familyId = randomUUID();
  const erasedMember = randomUUID();
  const keptMember = randomUUID();
  const needId = randomUUID();
  const paymentId = randomUUID();
  /** An instant and a global position before the erasure: time travel there shows markers too. */
  let beforeErasure: { at: string; position: string };
  const bodies: Array<{ route: string; status: number; body: string }> = [];

  const send = async (url: string, body: unknown) => {
    const response = await api.inject('POST', url, nav, body);
    if (response.statusCode >= 300) throw new Error(`${url}: ${response.statusCode} ${response.body}`);
  };
  /** Every read goes through here: its body is kept for the sweep over all routes. */
  const read = async (route: string, headers: Headers, method: 'GET' | 'POST' = 'GET', body?: unknown) => {
    const response = await api.inject(method, route, headers, body);
    bodies.push({ route: `${method} ${route}`, status: response.statusCode, body: response.body });
    expect(response.statusCode).toBe(200);
    return response;
  };

  beforeAll(async () => {
    api = await createTestApp({ runProjections: true });
    await send('/families', {
      familyId,
      district: 'Heimdal',
      members: [
        { memberId: erasedMember, name: NAME, birthDate: BIRTH_DATE, role: 'adult', nationalId: NATIONAL_ID, preferredLanguage: 'so' },
        { memberId: keptMember, name: KEPT, birthDate: '1990-01-01', role: 'adult' },
      ],
    });
    await send(`/families/${familyId}/needs`, { needId, memberId: erasedMember, words: WORDS });
    await send(`/families/${familyId}/payments`, {
      paymentId,
      recipientMemberId: erasedMember,
      amountOre: 150_000,
      method: 'bank-transfer',
      funding: { kind: 'unit', unit: 'NAV' },
      answersNeedId: needId,
      documentationRef: DOCUMENTATION,
      paidOn: '2026-05-04',
    });
    const daemon = api.app.get(ProjectionDaemon).runner('family-view')!;
    await daemon.waitUntilCaughtUp();
    const store = api.app.get<PersonalDataEventStore>(EVENT_STORE);
    const events = await store.readStream(familyStreamId(familyId));
    const last = events[events.length - 1];
    beforeErasure = { at: last.recordedAt.toISOString(), position: last.globalPosition.toString() };
    // The view held the data before (so its absence below means something).
    expect((await api.inject('GET', `/families/${familyId}`, nav)).body).toContain(NAME);

    // On request (the need and the payment), then under the schedule (the identity), as the retention job does it.
    const revision = await eraseRecords(
      store,
      familyId,
      [`need/${needId}`, `payment/${paymentId}`],
      { on: '2031-02-02', rule: null, provision: 'GDPR art. 17(1)' },
      last.revision,
      [erasedMember],
    );
    await eraseRecords(store, familyId, [`identity/${erasedMember}`], { on: ERASED_ON, rule: IDENTITY_RULE, provision: IDENTITY_RULE.provision }, revision, [
      erasedMember,
    ]);
    await daemon.waitUntilCaughtUp();
  });
  afterAll(() => api.close());

  it('the family view shows markers for the erased identity, need words and payment documentation', async () => {
    for (const headers of [nav, auditor]) {
      const view = (await read(`/families/${familyId}`, headers)).json();
      expect(view.revision).toBe(4);
      expect(view.members.find((m: { memberId: string }) => m.memberId === erasedMember)).toMatchObject({
        name: IDENTITY,
        birthDate: IDENTITY,
        nationalId: IDENTITY,
        preferredLanguage: IDENTITY,
        ageOnAsOf: null,
      });
      expect(view.members.find((m: { memberId: string }) => m.memberId === keptMember)).toMatchObject({ name: KEPT });
      expect(view.needs.open[0].words).toEqual(ON_REQUEST);
      expect(view.payments.items[0].documentationRef).toEqual(ON_REQUEST);
    }
  });

  it('the family list shows markers for the erased member', async () => {
    const page = (await read('/families', nav)).json();
    const row = page.items.find((i: { familyId: string }) => i.familyId === familyId);
    expect(row.members.find((m: { memberId: string }) => m.memberId === erasedMember)).toMatchObject({ name: IDENTITY, birthDate: IDENTITY });
  });

  it('the search no longer finds the family by the erased name, birth date or national id; by the kept member it shows the marker', async () => {
    for (const criteria of [{ name: 'xanthelia' }, { name: 'brumvoll' }, { birthDate: BIRTH_DATE }, { nationalId: NATIONAL_ID }]) {
      expect((await read('/families/search', nav, 'POST', criteria)).json().items).toEqual([]);
    }
    const [hit] = (await read('/families/search', nav, 'POST', { name: 'beholdt brumsen' })).json().items;
    expect(hit.familyId).toBe(familyId);
    expect(hit.members.find((m: { memberId: string }) => m.memberId === erasedMember).name).toEqual(IDENTITY);
  });

  it('the stream state and the view as recorded before the erasure show markers (the data is gone, whatever the instant)', async () => {
    const state = (await read(`/families/${familyId}/stream-state`, nav)).json();
    expect(state.state.members[erasedMember]).toMatchObject({ name: IDENTITY, birthDate: IDENTITY });
    expect(state.state.needs[needId].words).toEqual(ON_REQUEST);
    // A NAV caseworker gets no erasure request and no other reader's bookkeeping beyond the records it sees.
    expect(state.state.erasureRequests).toEqual({});
    const asRecorded = (await read(`/families/${familyId}?recordedAt=${encodeURIComponent(beforeErasure.at)}`, nav)).json();
    expect(asRecorded.members.find((m: { memberId: string }) => m.memberId === erasedMember)).toMatchObject({ name: IDENTITY });
  });

  it("the auditor's history names the member as erased and lists each event's erased fields", async () => {
    const history = (await read(`/audit/families/${familyId}/history?limit=100`, auditor)).json();
    expect(history.entries.map((e: { type: string }) => e.type)).toEqual([
      'FamilyRegistered',
      'NeedExpressed',
      'PaymentRecorded',
      'PersonalDataErased',
      'PersonalDataErased',
    ]);
    expect(history.entries[0].label).toContain('a member whose name was erased on 3 February 2031 under trondheim-retention-2026@v1/identity');
    expect(history.entries[0].erased).toEqual(expect.arrayContaining([{ path: 'members.0.name', ...IDENTITY }]));
    expect(history.entries[1].erased).toEqual([{ path: 'words', ...ON_REQUEST }]);
    expect(history.entries[2].erased).toEqual([{ path: 'documentationRef', ...ON_REQUEST }]);
  });

  it('time travel to a position before the erasure shows markers in the state and the view', async () => {
    const asOf = (await read(`/audit/families/${familyId}/as-of?position=${beforeErasure.position}`, auditor)).json();
    expect(asOf.revision).toBe(2);
    expect(asOf.state.members[erasedMember]).toMatchObject({ name: IDENTITY, birthDate: IDENTITY });
    expect(asOf.view.members.find((m: { memberId: string }) => m.memberId === erasedMember)).toMatchObject({ name: IDENTITY });
    expect(asOf.view.needs.open[0].words).toEqual(ON_REQUEST);
  });

  it('subject access: markers in the JSON (the member, needs, payments, event data); plain words on the page in bokmål and English', async () => {
    const report = (await read(`/audit/members/${erasedMember}/subject-access`, auditor)).json();
    const part = report.families[0];
    expect(part.member).toMatchObject({ name: IDENTITY, birthDate: IDENTITY, nationalId: IDENTITY });
    expect(part.needs[0].words).toEqual(ON_REQUEST);
    expect(part.payments[0].documentationRef).toEqual(ON_REQUEST);
    expect(part.events[0].data.members[0]).toMatchObject({ memberId: erasedMember, name: IDENTITY });
    const nb = (await read(`/audit/members/${erasedMember}/subject-access.html`, auditor)).body;
    expect(nb).toContain('slettet 3. februar 2031 etter trondheim-retention-2026@v1/identity');
    expect(nb).toContain('slettet 2. februar 2031 etter GDPR art. 17(1)');
    const en = (await read(`/audit/members/${erasedMember}/subject-access.html?lang=en`, auditor)).body;
    expect(en).toContain('erased on 3 February 2031 under trondheim-retention-2026@v1/identity');
    for (const page of [nb, en]) expect(page).not.toContain('[object Object]');
  });

  it('no route answered 5xx, and no response body holds any of the erased strings', () => {
    expect(bodies.length).toBeGreaterThanOrEqual(15);
    const offenders = bodies.flatMap(({ route, status, body }) => [
      ...(status >= 500 ? [`${route}: ${status}`] : []),
      ...DISTINCTIVE.filter((text) => body.includes(text)).map((text) => `${route}: holds "${text}"`),
      ...(body.includes('$erased') ? [`${route}: holds the raw notes`] : []),
    ]);
    expect(offenders).toEqual([]);
  });

  it('no row of any read_models table holds the erased strings (the live view was refolded, not patched)', async () => {
    const { rows: tables } = await api.db.pool.query<{ name: string }>(
      `SELECT quote_ident(table_name) AS name FROM information_schema.tables WHERE table_schema = 'read_models' AND table_type = 'BASE TABLE'`,
    );
    expect(tables.length).toBeGreaterThan(2);
    for (const { name } of tables) {
      const { rows } = await api.db.pool.query<{ row: string }>(`SELECT t::text AS row FROM read_models.${name} t`);
      const text = rows.map((r) => r.row).join('\n');
      expect(DISTINCTIVE.filter((d) => text.includes(d)).map((d) => `read_models.${name}: ${d}`)).toEqual([]);
    }
  });

  it('the contract says so: the typed fields may be a marker (ErasedMarkerDto), history entries list erased fields', async () => {
    const document = (await api.inject('GET', '/docs-json', {})).json();
    const schemas = document.components.schemas;
    const ref = '#/components/schemas/ErasedMarkerDto';
    expect(schemas.ErasedMarkerDto.properties.erased).toEqual({ $ref: '#/components/schemas/ErasureDto' });
    for (const [schema, field] of [
      ['MemberViewDto', 'name'],
      ['MemberViewDto', 'birthDate'],
      ['FamilyListMemberDto', 'name'],
      ['FamilyListMemberDto', 'birthDate'],
      ['PaymentViewDto', 'documentationRef'],
    ]) {
      expect(schemas[schema].properties[field].oneOf).toEqual(expect.arrayContaining([{ $ref: ref }]));
    }
    expect(schemas.HistoryEntryDto.properties.erased).toMatchObject({ type: 'array', items: { $ref: '#/components/schemas/ErasedFieldDto' } });
  });
});
