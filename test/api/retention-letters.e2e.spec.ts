import { randomUUID } from 'node:crypto';
import { parse } from 'yaml';
import { familyStreamId, RULE_SET_BOOTSTRAP_ACTOR } from '@familievedtak/domain';
import { shippedRetentionScheduleDocuments } from '@familievedtak/rules';
import { RetentionSchedules } from '../../apps/api/src/retention/retention-schedules.service';
import { proposalBody, registerFamily, send, staff } from '../support/parts';
import { createTestApp, headersFor, type TestApp } from '../support/test-app';
import { clockOf, closeCase, erasedInLog, keyRows, storeOf } from './retention-fixtures';

const nav = staff('NAV');
const delegationAuthority = headersFor({ userId: 'kd-kristin', role: 'delegation-authority' });
const auditor = headersFor({ userId: 'eva-audit', role: 'auditor' });

/**
 * A letter's rendered copies live outside the log (documents.letter_copies), under the letter's
 * key: when `letter/<id>` is shredded they are deleted, while LetterIssued keeps their SHA-256.
 * The shipped schedule keeps letters, so the test adopts a second version that erases a letter a
 * day after its decisions are final (in force from 1 June 2026) and lets the job do it.
 */
describe('API: letter copies go with the letter key (PostgreSQL)', () => {
  let api: TestApp;
  let clock: ReturnType<typeof clockOf>;
  let familyId: string;
  let letterId: string;
  let amina: string;
  const decisionId = randomUUID();
  const copies = async () => (await api.db.pool.query(`SELECT count(*)::int AS n FROM documents.letter_copies WHERE letter_id = $1`, [letterId])).rows[0].n;

  beforeAll(async () => {
    api = await createTestApp({ poolSize: 6 });
    clock = clockOf(api);
    clock.on('2026-03-02');
    const family = await registerFamily(api, nav, [{ name: 'Amina Hassan', birthDate: '1988-03-02', role: 'adult' }]);
    familyId = family.familyId;
    amina = family.ids['Amina Hassan'];
    const f = `/families/${familyId}`;
    await send(
      api,
      'POST',
      `${f}/decisions`,
      nav,
      proposalBody({
        decisionId,
        unit: 'NAV',
        decisionType: 'economic-social-assistance',
        memberIds: [amina],
        periodFrom: '2026-03-01',
        periodUntil: '2026-03-31',
        amounts: { monthlyAmountOre: 600_000 },
      }),
    );
    await send(api, 'POST', `${f}/decisions/${decisionId}/approve`, staff('NAV', 'approver'));
    letterId = (await send(api, 'POST', `${f}/letters`, nav, { decisionIds: [decisionId] })).json().letterId;
    clock.on('2026-04-01');
    await send(api, 'POST', `${f}/decisions/${decisionId}/expire`, nav);

    const shipped = parse(shippedRetentionScheduleDocuments()[0].text) as { id: string; effectiveFrom: string; entries: Array<Record<string, unknown>> };
    const letterEntry = shipped.entries.find((e) => e.id === 'letter')!;
    Object.assign(letterEntry, { action: 'erase', period: { days: 1 }, periodIsDuty: false });
    const document = JSON.stringify({ ...shipped, id: 'test-letters-erased', effectiveFrom: '2026-06-01' }, null, 2);
    expect(await api.app.get(RetentionSchedules).adopt(document, RULE_SET_BOOTSTRAP_ACTOR)).toEqual({ ref: 'test-letters-erased@v1', adopted: true });
  });
  afterAll(async () => {
    clock?.restore();
    await api?.close();
  });

  it('the run shreds the letter key under the version in force and deletes the copies; the log keeps the hashes', async () => {
    expect(await copies()).toBe(2); // the PDF and the HTML of Amina's copy
    clock.on('2026-07-01');
    const schedule = (await api.inject('GET', '/retention/schedule', nav)).json();
    expect(schedule.inForce.ref).toBe('test-letters-erased@v1');
    expect(schedule.versions.map((v: { ref: string }) => v.ref)).toEqual(['trondheim-retention-2026@v1', 'test-letters-erased@v1']);

    const plan = (await api.inject('POST', '/retention/runs', auditor, { dryRun: true })).json();
    expect(plan.letterCopiesDue).toBe(2);
    expect(await copies()).toBe(2);
    const run = await api.inject('POST', '/retention/runs', delegationAuthority, {});
    expect(run.statusCode).toBe(201);
    expect(run.json()).toMatchObject({ schedule: 'test-letters-erased@v1', keysErased: { letter: 1 }, letterCopiesDeleted: 2 });

    expect((await keyRows(api, familyId)).get(`${familyStreamId(familyId)}:letter/${letterId}`)).toBe(true);
    expect(await erasedInLog(api, familyId)).toEqual([
      expect.objectContaining({ keyRefs: [`letter/${letterId}`], rule: expect.objectContaining({ scheduleId: 'test-letters-erased', entry: 'letter' }) }),
    ]);
    expect(await copies()).toBe(0);
    const fetched = await api.inject('GET', `/families/${familyId}/letters/${letterId}/copies/${amina}/pdf`, nav);
    expect(fetched.statusCode).toBe(404);
    const issued = (await storeOf(api).readStream(familyStreamId(familyId))).find((e) => e.type === 'LetterIssued')!.data as {
      copies: Array<{ sha256: string }>;
    };
    expect(issued.copies[0].sha256).toMatch(/^[0-9a-f]{64}$/);
  });

  it('the archive export of the closed case lists the letter as erased, with no PDF', async () => {
    await closeCase(api, familyId, 'NAV', '2026-07-02');
    clock.on('2026-07-03');
    const response = await api.inject('POST', `/audit/families/${familyId}/archive-exports`, auditor);
    expect(response.statusCode).toBe(201);
    const { manifest, files } = response.json();
    expect(manifest.letters).toEqual([
      expect.objectContaining({ letterId, erased: true, copies: [expect.objectContaining({ recipientMemberId: amina, file: null })] }),
    ]);
    expect(files.map((f: { path: string }) => f.path)).toEqual(['events.json', 'family-view-at-closing.json', 'manifest.json']);
    expect(manifest.erasedRecords).toEqual([expect.objectContaining({ keyRef: `letter/${letterId}`, rule: 'test-letters-erased@v1/letter' })]);
  });
});
