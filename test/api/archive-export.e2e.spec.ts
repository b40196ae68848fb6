import { createHash, randomUUID } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { PG_POOL } from '@familievedtak/database';
import { familyStreamId } from '@familievedtak/domain';
import type { Clock } from '@familievedtak/event-store';
import type { Pool } from 'pg';
import { ArchiveExportCommand } from '../../apps/cli/src/archive/archive.command';
import { captureCliOutput } from '../../apps/cli/src/testing/cli-output';
import { ReadAuditService } from '../../apps/api/src/read-audit/read-audit.service';
import { RuleSetRegistry } from '../../apps/api/src/rules/rule-set-registry.service';
import { CLOCK } from '../../apps/api/src/shared/clock.provider';
import { proposalBody, registerFamily, send, staff, type MemberSpec } from '../support/parts';
import { createTestApp, headersFor, type TestApp } from '../support/test-app';
import { clockOf, closeCase, storedCounts, storeOf } from './retention-fixtures';

const nav = staff('NAV');
const auditor = headersFor({ userId: 'eva-audit', role: 'auditor' });
const sha256 = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');

type ManifestFile = { path: string; sha256: string; bytes: number; mediaType: string };

/**
 * The archive export of a closed case (design § 9), through the API and the CLI on PostgreSQL:
 * a manifest whose SHA-256 of every file matches the file, the decoded events, the view at
 * closing, the letters as sent; recorded as CaseExportedForArchive with the manifest's digest.
 * A case that is not closed is refused (409) and nothing is stored.
 */
describe('Archive export of a closed case (API and CLI)', () => {
  let api: TestApp;
  let clock: ReturnType<typeof clockOf>;
  let closed: { familyId: string; ids: Record<string, string> };
  let open: { familyId: string };
  let letterId: string;
  const output = captureCliOutput();

  const withLetter = async (members: MemberSpec[]) => {
    const family = await registerFamily(api, nav, members);
    const f = `/families/${family.familyId}`;
    const decisionId = randomUUID();
    const amina = family.members[0].memberId;
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
      }),
    );
    await send(api, 'POST', `${f}/decisions/${decisionId}/approve`, staff('NAV', 'approver'));
    const issued = (await send(api, 'POST', `${f}/letters`, nav, { decisionIds: [decisionId] })).json().letterId as string;
    clock.on('2026-04-01');
    await send(api, 'POST', `${f}/decisions/${decisionId}/expire`, nav);
    clock.on('2026-03-02');
    return { ...family, letterId: issued };
  };

  beforeAll(async () => {
    api = await createTestApp({ poolSize: 6 });
    clock = clockOf(api);
    clock.on('2026-03-02');
    const family = await withLetter([
      { name: 'Amina Hassan', birthDate: '1988-03-02', role: 'adult' },
      { name: 'Yusuf Hassan', birthDate: '2016-09-14', role: 'child' },
    ]);
    closed = family;
    letterId = family.letterId;
    await closeCase(api, closed.familyId, 'NAV', '2026-04-02');
    open = await registerFamily(api, nav, [{ name: 'Ola Berg', birthDate: '1979-01-15', role: 'adult' }]);
    clock.on('2026-05-04');
  });
  afterAll(async () => {
    clock?.restore();
    await api?.close();
  });

  it('API: the package’s manifest names every file with its SHA-256, which the bytes match; recorded with the manifest’s digest', async () => {
    const before = (await storeOf(api).readStream(familyStreamId(closed.familyId))).length;
    const response = await api.inject('POST', `/audit/families/${closed.familyId}/archive-exports`, auditor);
    expect(response.statusCode).toBe(201);
    const pkg = response.json() as {
      manifestSha256: string;
      manifest: {
        files: ManifestFile[];
        streamRevision: number;
        caseClosedOn: string;
        noark5: string;
        letters: Array<{ copies: Array<{ loggedSha256: string; matchesLog: boolean; file: string }> }>;
      };
      files: Array<ManifestFile & { contentBase64: string }>;
      recorded: { revision: number };
    };
    const bytes = new Map(pkg.files.map((f) => [f.path, Buffer.from(f.contentBase64, 'base64')]));
    expect([...bytes.keys()]).toEqual(['events.json', 'family-view-at-closing.json', `letters/${letterId}/${closed.ids['Amina Hassan']}.pdf`, 'manifest.json']);
    // The manifest lists every file but itself; each SHA-256 and size is the file's.
    expect(pkg.manifest.files.map((f) => f.path)).toEqual([...bytes.keys()].filter((p) => p !== 'manifest.json'));
    for (const file of pkg.manifest.files)
      expect({ path: file.path, sha256: sha256(bytes.get(file.path)!), bytes: bytes.get(file.path)!.length }).toEqual({
        path: file.path,
        sha256: file.sha256,
        bytes: file.bytes,
      });
    expect(sha256(bytes.get('manifest.json')!)).toBe(pkg.manifestSha256);
    expect(JSON.parse(bytes.get('manifest.json')!.toString('utf8'))).toEqual(pkg.manifest);
    expect(pkg.manifest).toMatchObject({ caseClosedOn: '2026-04-02', streamRevision: before - 1, noark5: expect.stringContaining('Not a Noark 5 extraction') });
    // The PDF is the copy as sent: its hash is the one LetterIssued recorded.
    expect(pkg.manifest.letters[0].copies[0]).toMatchObject({ matchesLog: true, file: `letters/${letterId}/${closed.ids['Amina Hassan']}.pdf` });
    expect(bytes.get(`letters/${letterId}/${closed.ids['Amina Hassan']}.pdf`)!.subarray(0, 5).toString()).toBe('%PDF-');
    // The events decoded (names readable), the view as it stood at closing.
    const events = JSON.parse(bytes.get('events.json')!.toString('utf8')) as Array<{ type: string; data: { members?: Array<{ name: string }> } }>;
    expect(events).toHaveLength(before);
    expect(events[0].data.members!.map((m) => m.name)).toEqual(['Amina Hassan', 'Yusuf Hassan']);
    const view = JSON.parse(bytes.get('family-view-at-closing.json')!.toString('utf8'));
    expect(view).toMatchObject({ caseClosedOn: '2026-04-02', revision: before - 1 });

    const stream = await storeOf(api).readStream(familyStreamId(closed.familyId));
    expect(stream).toHaveLength(before + 1);
    expect(stream[before]).toMatchObject({
      type: 'CaseExportedForArchive',
      revision: pkg.recorded.revision,
      data: { manifestSha256: pkg.manifestSha256, streamRevision: before - 1, exportedOn: '2026-05-04', by: { userId: 'eva-audit', role: 'auditor' } },
    });
    // On the read audit as a read of the whole family.
    const { rows } = await api.db.pool.query(
      `SELECT user_id, categories, member_ids FROM audit.read_access WHERE family_id = $1 AND route = 'POST /audit/families/:familyId/archive-exports'`,
      [closed.familyId],
    );
    expect(rows).toEqual([{ user_id: 'eva-audit', categories: ['archive-export'], member_ids: Object.values(closed.ids).sort() }]);
  });

  it.each([
    ['a case that is not closed', () => open.familyId, auditor, 409, 'CASE_NOT_CLOSED'],
    ['a family that does not exist', () => randomUUID(), auditor, 404, 'FAMILY_NOT_FOUND'],
    ['a caseworker (the route is the auditor’s)', () => closed.familyId, nav, 403, undefined],
  ])('API: refuses %s; nothing is stored', async (_label, familyId, headers, status, code) => {
    const before = await storedCounts(api);
    const response = await api.inject('POST', `/audit/families/${familyId()}/archive-exports`, headers);
    expect({ status: response.statusCode, code: response.json().code }).toEqual({ status, code: code ?? expect.anything() });
    const after = await storedCounts(api);
    expect({ ...after, reads: 0 }).toEqual({ ...before, reads: 0 });
  });

  it('API: a family with a protected address is exported only to an auditor cleared for it', async () => {
    clock.on('2026-03-02');
    const family = await withLetter([{ name: 'Sara Skjult', birthDate: '1990-01-01', role: 'adult', addressProtection: 'strengt-fortrolig' }]);
    await closeCase(api, family.familyId, 'NAV', '2026-04-02');
    clock.on('2026-05-04');
    const before = await storedCounts(api);
    const refused = await api.inject('POST', `/audit/families/${family.familyId}/archive-exports`, auditor);
    expect({ status: refused.statusCode, code: refused.json().code }).toEqual({ status: 403, code: 'ARCHIVE_EXPORT_NEEDS_CLEARANCE' });
    expect((await storedCounts(api)).events).toBe(before.events);
    const cleared = headersFor({ userId: 'eva-audit', role: 'auditor', clearances: ['protected-address'] });
    expect((await api.inject('POST', `/audit/families/${family.familyId}/archive-exports`, cleared)).statusCode).toBe(201);
  });

  it('CLI: archive export writes the package directory; every file matches the manifest, the manifest the recorded digest', async () => {
    const command = new ArchiveExportCommand(
      storeOf(api),
      api.app.get<Pool>(PG_POOL),
      api.app.get<Clock>(CLOCK),
      api.app.get(RuleSetRegistry),
      new ReadAuditService(api.app.get<Pool>(PG_POOL), api.app.get<Clock>(CLOCK)),
    );
    const out = join(mkdtempSync(join(tmpdir(), 'fv-archive-')), 'package');
    await command.run([], { family: closed.familyId, out, actor: 'arkiv-anne' });
    expect({ exit: process.exitCode, err: output.err }).toEqual({ exit: 0, err: [] });
    const written = (dir: string): string[] =>
      readdirSync(dir).flatMap((name) => (statSync(join(dir, name)).isDirectory() ? written(join(dir, name)) : [join(dir, name)]));
    const files = written(out)
      .map((p) => relative(out, p))
      .sort();
    expect(files).toEqual(['events.json', 'family-view-at-closing.json', `letters/${letterId}/${closed.ids['Amina Hassan']}.pdf`, 'manifest.json'].sort());
    const manifestBytes = readFileSync(join(out, 'manifest.json'));
    const manifest = JSON.parse(manifestBytes.toString('utf8')) as { files: ManifestFile[]; exportedBy: unknown };
    for (const file of manifest.files) expect(sha256(readFileSync(join(out, file.path)))).toBe(file.sha256);
    expect(manifest.exportedBy).toEqual({ userId: 'arkiv-anne', role: 'auditor', unit: null, partnerOrganisation: null });
    const recorded = (await storeOf(api).readStream(familyStreamId(closed.familyId))).filter((e) => e.type === 'CaseExportedForArchive');
    expect(recorded.at(-1)!.data).toMatchObject({ manifestSha256: sha256(manifestBytes), by: { userId: 'arkiv-anne' } });
    expect(output.out.at(-1)).toContain(`manifest sha256 ${sha256(manifestBytes)}`);

    // A directory that is not empty is refused (2); a case that is not closed is not exported (1). Neither stores an event.
    const before = await api.eventCount();
    await command.run([], { family: closed.familyId, out, actor: 'arkiv-anne' });
    expect(process.exitCode).toBe(2);
    await command.run([], { family: open.familyId, out: join(out, '..', 'open'), actor: 'arkiv-anne' });
    expect(process.exitCode).toBe(1);
    expect(output.err.at(-1)).toContain('CASE_NOT_CLOSED');
    await command.run([], { family: closed.familyId, out: join(out, '..', 'other') });
    expect(process.exitCode).toBe(2);
    expect(await api.eventCount()).toBe(before);
  });
});
