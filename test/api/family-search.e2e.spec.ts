import { randomUUID } from 'node:crypto';
import { ProjectionDaemon, nameWords, nameKey } from '@familievedtak/projections';
import { Headers, TestApp, createTestApp, headersFor } from '../support/test-app';

const nav: Headers = headersFor({ userId: 'nav-kari', role: 'caseworker', unit: 'NAV' });
const navCleared: Headers = headersFor({ userId: 'nav-cleared', role: 'caseworker', unit: 'NAV', clearances: ['protected-address'] });
const bft: Headers = headersFor({ userId: 'bft-ola', role: 'caseworker', unit: 'BFT' });
const auditor: Headers = headersFor({ userId: 'audit-anne', role: 'auditor' });
const PURPOSE = { 'x-purpose': 'casework' };

type Hit = {
  familyId: string;
  matchedMemberIds: string[];
  members: Array<{ memberId: string; name: string | null; birthDate: string | null; masked: boolean }>;
};

/**
 * Finding a family (issue 16): POST /families/search by a member's name (partial, case and
 * accents folded), birth date or national id, over the families the caller may see, decided
 * and masked like the family list; every search on the read audit with its purpose.
 */
describe('API: finding families (PostgreSQL)', () => {
  let api: TestApp;
  const oyen = { familyId: randomUUID(), mother: randomUUID(), child: randomUUID() };
  const hansen = { familyId: randomUUID(), father: randomUUID(), child: randomUUID() };
  const hidden = { familyId: randomUUID(), mother: randomUUID(), child: randomUUID() };
  const fortrolig = { familyId: randomUUID(), mother: randomUUID() };
  const leftHidden = { familyId: randomUUID(), father: randomUUID(), child: randomUUID(), mother: randomUUID() };

  const send = async (url: string, body: unknown, headers = nav) => {
    const response = await api.inject('POST', url, headers, body);
    if (response.statusCode >= 300) throw new Error(`${url}: ${response.statusCode} ${response.body}`);
  };
  const search = (body: unknown, headers: Headers = { ...nav, ...PURPOSE }) => api.inject('POST', '/families/search', headers, body);
  const found = async (body: unknown, headers: Headers = { ...nav, ...PURPOSE }): Promise<Hit[]> => {
    const response = await search(body, headers);
    expect(response.statusCode).toBe(200);
    return response.json().items;
  };
  const auditRows = async () => (await api.db.pool.query(`SELECT * FROM audit.read_access WHERE route = 'POST /families/search' ORDER BY id`)).rows;

  beforeAll(async () => {
    api = await createTestApp({ runProjections: true });
    await send('/families', {
      familyId: oyen.familyId,
      district: 'Heimdal',
      members: [
        { memberId: oyen.mother, name: 'Åse Øyen-Bråten', birthDate: '1985-11-20', role: 'adult', nationalId: '20118512345' },
        { memberId: oyen.child, name: 'Émile Øyen', birthDate: '2015-03-04', role: 'child' },
      ],
    });
    await send('/families', {
      familyId: hansen.familyId,
      district: 'Lerkendal',
      members: [
        { memberId: hansen.father, name: 'Amir Hansen', birthDate: '1980-02-02', role: 'adult', nationalId: '02028054321' },
        { memberId: hansen.child, name: 'Ase Hansen', birthDate: '2015-03-04', role: 'child' },
      ],
    });
    await send('/families', {
      familyId: hidden.familyId,
      district: 'Heimdal',
      members: [
        {
          memberId: hidden.mother,
          name: 'Åse Skjult',
          birthDate: '1985-11-20',
          role: 'adult',
          nationalId: '20118599999',
          addressProtection: 'strengt-fortrolig',
        },
        { memberId: hidden.child, name: 'Lita Skjult', birthDate: '2016-06-06', role: 'child' },
      ],
    });
    await send('/families', {
      familyId: fortrolig.familyId,
      district: 'Østbyen',
      members: [{ memberId: fortrolig.mother, name: 'Berit Fortrolig', birthDate: '1970-07-07', role: 'adult', addressProtection: 'fortrolig' }],
    });
    // A kode 6 member who has left: the family is listed again without clearance, the member stays masked.
    await send('/families', {
      familyId: leftHidden.familyId,
      district: 'Lerkendal',
      members: [
        {
          memberId: leftHidden.father,
          name: 'Gustav Borte',
          birthDate: '1975-05-05',
          role: 'adult',
          nationalId: '05057511111',
          addressProtection: 'strengt-fortrolig',
        },
        { memberId: leftHidden.child, name: 'Nora Borte', birthDate: '2012-12-12', role: 'child' },
        { memberId: leftHidden.mother, name: 'Kari Borte', birthDate: '1978-08-08', role: 'adult' },
      ],
    });
    await send(`/families/${leftHidden.familyId}/members/${leftHidden.father}/leave`, { reason: 'Moved out' });
    await api.app.get(ProjectionDaemon).runner('family-view')!.waitUntilCaughtUp();
  });
  afterAll(() => api.close());

  it("finds by part of a name, case and accents folded, every word beginning a word of one member's name", async () => {
    expect((await found({ name: 'ase' })).map((h) => h.familyId).sort()).toEqual([oyen.familyId, hansen.familyId].sort());
    const [hit] = await found({ name: 'OYEN bra' });
    expect(hit).toMatchObject({ familyId: oyen.familyId, matchedMemberIds: [oyen.mother] });
    // The list item names the people (oldest first), not only their ids.
    expect(hit.members.map((m) => m.name)).toEqual(['Åse Øyen-Bråten', 'Émile Øyen']);
    expect((await found({ name: 'emile' }))[0].matchedMemberIds).toEqual([oyen.child]);
    expect((await found({ name: 'øy' }))[0].matchedMemberIds).toEqual([oyen.child, oyen.mother].sort());
    // Words must begin a word (no infix match), and belong to the same member.
    expect(await found({ name: 'yen' })).toEqual([]);
    expect(await found({ name: 'amir ase' })).toEqual([]);
  });

  it('finds by birth date and by national id, exactly; criteria together hold for one member', async () => {
    expect((await found({ birthDate: '2015-03-04' })).map((h) => [h.familyId, h.matchedMemberIds]).sort()).toEqual(
      [
        [oyen.familyId, [oyen.child]],
        [hansen.familyId, [hansen.child]],
      ].sort(),
    );
    expect(await found({ nationalId: '02028054321' })).toEqual([expect.objectContaining({ familyId: hansen.familyId, matchedMemberIds: [hansen.father] })]);
    expect(await found({ nationalId: '02028054322' })).toEqual([]);
    expect(await found({ name: 'ase', birthDate: '1985-11-20' })).toEqual([
      expect.objectContaining({ familyId: oyen.familyId, matchedMemberIds: [oyen.mother] }),
    ]);
    expect(await found({ name: 'amir', birthDate: '2015-03-04' })).toEqual([]);
  });

  it('fvl § 13: finds nothing for a reader with no part in any family (and the auditor may not search)', async () => {
    for (const body of [{ name: 'ase' }, { birthDate: '2015-03-04' }, { nationalId: '20118512345' }]) {
      expect(await found(body, { ...bft, ...PURPOSE })).toEqual([]);
    }
    expect((await search({ name: 'ase' }, { ...auditor, ...PURPOSE })).statusCode).toBe(403);
  });

  it('fvl § 13, strengt fortrolig adresse: never finds a kode 6 member without clearance, by name, birth date or national id; with clearance it does', async () => {
    expect((await found({ name: 'skjult' })).length).toBe(0);
    expect((await found({ name: 'lita' })).length).toBe(0);
    expect((await found({ nationalId: '20118599999' })).length).toBe(0);
    expect((await found({ birthDate: '1985-11-20' })).map((h) => h.familyId)).toEqual([oyen.familyId]);
    const response = await search({ name: 'åse' });
    expect(response.body).not.toContain(hidden.familyId);
    expect(response.body).not.toContain('Skjult');

    expect(await found({ nationalId: '20118599999' }, { ...navCleared, ...PURPOSE })).toEqual([
      expect.objectContaining({ familyId: hidden.familyId, matchedMemberIds: [hidden.mother] }),
    ]);
  });

  it('fvl § 13, strengt fortrolig adresse: a kode 6 member who left stays unfindable without clearance, though the family is found by the others', async () => {
    expect(await found({ name: 'gustav' })).toEqual([]);
    expect(await found({ nationalId: '05057511111' })).toEqual([]);
    expect(await found({ birthDate: '1975-05-05' })).toEqual([]);
    const [hit] = await found({ name: 'nora' });
    expect(hit).toMatchObject({ familyId: leftHidden.familyId, matchedMemberIds: [leftHidden.child] });
    expect(hit.members.find((m) => m.memberId === leftHidden.father)).toMatchObject({ name: null, birthDate: null, masked: true });
    expect(JSON.stringify(hit)).not.toContain('Gustav');
    expect((await found({ name: 'gustav' }, { ...navCleared, ...PURPOSE })).map((h) => h.matchedMemberIds)).toEqual([[leftHidden.father]]);
  });

  it('fvl § 13, fortrolig adresse (kode 7): the family is found by name, its district withheld', async () => {
    const [hit] = await found({ name: 'berit' });
    expect(hit).toMatchObject({ familyId: fortrolig.familyId, district: null, matchedMemberIds: [fortrolig.mother] });
  });

  it('GDPR art. 5(1)(b) purpose limitation: puts every search on the read audit with its purpose and the families found', async () => {
    const before = (await auditRows()).length;
    await found({ nationalId: '20118512345' }, { ...nav, 'x-purpose': 'subject-access' });
    const rows = (await auditRows()).slice(before);
    expect(rows).toEqual([
      expect.objectContaining({ user_id: 'nav-kari', unit: 'NAV', purpose: 'subject-access', outcome: 'permit', status: 200, family_id: oyen.familyId }),
    ]);
    expect(rows[0].member_ids).toEqual(expect.arrayContaining([oyen.mother, oyen.child]));
    // The national id searched for is on no record.
    expect(JSON.stringify(rows)).not.toContain('20118512345');

    // A search finding nothing is on the record too (no family).
    await found({ name: 'nobody here' }, { ...nav, 'x-purpose': 'casework' });
    expect((await auditRows()).slice(before + 1)).toEqual([expect.objectContaining({ family_id: null, purpose: 'casework', outcome: 'permit' })]);
  });

  it('takes the purpose from the body too (recorded the same way); two different purposes are refused', async () => {
    const before = (await auditRows()).length;
    expect((await found({ name: 'amir', purpose: 'complaint' }, nav)).map((h) => h.familyId)).toEqual([hansen.familyId]);
    expect((await auditRows()).slice(before)).toEqual([expect.objectContaining({ purpose: 'complaint', outcome: 'permit', family_id: hansen.familyId })]);
    expect((await search({ name: 'amir', purpose: 'complaint' }, { ...nav, 'x-purpose': 'casework' })).statusCode).toBe(400);
    expect((await search({ name: 'amir', purpose: 'casework' }, { ...nav, 'x-purpose': 'casework' })).statusCode).toBe(200);
  });

  it('GDPR art. 5(1)(b) purpose limitation: refuses a search without a purpose (400), recorded as a denial, nothing stored', async () => {
    const events = await api.eventCount();
    const before = (await auditRows()).length;
    const response = await search({ nationalId: '20118512345' }, nav);
    expect(response.statusCode).toBe(400);
    expect((await search({ nationalId: '20118512345', purpose: '  ' }, nav)).statusCode).toBe(400);
    expect(response.body).toContain('X-Purpose');
    expect(response.body).not.toContain('20118512345');
    expect((await auditRows()).slice(before)).toEqual([
      expect.objectContaining({ outcome: 'deny', status: 400, family_id: null }),
      expect.objectContaining({ outcome: 'deny', status: 400, family_id: null }),
    ]);
    expect(await api.eventCount()).toBe(events);
  });

  it.each([
    ['no criterion', {}],
    ['a one-letter name', { name: 'å' }],
    ['too many words', { name: 'a b c d e f g h' }],
    ['a national id that is not 11 digits', { nationalId: '2011851234' }],
    ['a national id with letters', { nationalId: '2011851234X' }],
    ['a national id as a number', { nationalId: 20118512345 }],
    ['a date that does not exist', { birthDate: '1985-02-30' }],
    ['an unknown field', { fnr: '20118512345' }],
    ['a limit over 50', { name: 'ase', limit: 51 }],
    ['a cursor that is no UUID', { name: 'ase', after: "'; DROP TABLE x" }],
  ])('refuses %s (400), echoing no value, and stores nothing', async (_label, body) => {
    const events = await api.eventCount();
    const response = await search(body);
    expect(response.statusCode).toBe(400);
    expect(response.headers['content-type']).toContain('application/problem+json');
    expect(response.body).not.toContain('2011851234');
    expect(await api.eventCount()).toBe(events);
  });

  it('pages with a cursor', async () => {
    const first = await search({ birthDate: '2015-03-04', limit: 1 });
    expect(first.json().items).toHaveLength(1);
    const cursor = first.json().nextCursor;
    expect(cursor).toEqual(expect.any(String));
    const second = (await search({ birthDate: '2015-03-04', limit: 1, after: cursor })).json();
    expect(second.items).toHaveLength(1);
    expect(second.items[0].familyId).not.toBe(first.json().items[0].familyId);
    expect(second.nextCursor).toBeNull();
  });

  it('the family list names the members, masked like the view', async () => {
    const list = await api.inject('GET', '/families?limit=200', nav);
    const items: Hit[] = list.json().items;
    expect(items.find((i) => i.familyId === hansen.familyId)!.members.map((m) => m.name)).toEqual(['Amir Hansen', 'Ase Hansen']);
    expect(items.find((i) => i.familyId === hidden.familyId)).toBeUndefined();
    const cleared: Hit[] = (await api.inject('GET', '/families?limit=200', navCleared)).json().items;
    expect(cleared.find((i) => i.familyId === hidden.familyId)!.members.map((m) => m.name)).toEqual(['Åse Skjult', 'Lita Skjult']);
  });

  it('the index function folds names as the API does (the search column needs no projection change)', async () => {
    const rows = (
      await api.db.pool.query(`SELECT read_models.family_view_search_keys(core) AS keys FROM read_models.family_view WHERE family_id = $1`, [oyen.familyId])
    ).rows;
    const keys: string[] = rows[0].keys;
    for (const word of [...nameWords('Åse Øyen-Bråten'), ...nameWords('Émile Øyen')]) expect(keys).toContain(nameKey(word));
    expect(keys).toEqual(expect.arrayContaining(['n:a', 'n:as', 'n:ase', 'n:oyen', 'n:braten', 'n:emile', 'b:1985-11-20', 'i:20118512345']));
    const plan = await api.db.pool.connect();
    try {
      await plan.query('SET enable_seqscan = off');
      const explain = (
        await plan.query(`EXPLAIN SELECT family_id FROM read_models.family_view WHERE read_models.family_view_search_keys(core) @> ARRAY['n:ase']`)
      ).rows
        .map((r) => r['QUERY PLAN'])
        .join('\n');
      expect(explain).toContain('family_view_search_keys_idx');
    } finally {
      await plan.query('RESET enable_seqscan');
      plan.release();
    }
  });
});
