import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { createHash, randomUUID } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PG_POOL } from '@familievedtak/database';
import { EVENT_STORE, type EventStore } from '@familievedtak/event-store';
import type { Pool } from 'pg';
import { proposalBody, registerFamily, send, staff } from '../../../../test/support/parts';
import { createTestApp, type TestApp } from '../../../../test/support/test-app';
import { captureCliOutput } from '../testing/cli-output';
import { actingAs, testReadAudit } from '../testing/cli-read-audit';
import type { CliReadAudit } from '../read-audit/cli-read-audit';
import { AuditLetterCommand } from './letter.command';

const sha256 = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');

/** `audit letter`: an issued letter's copies written out and checked three ways against the log, the fetch on the read audit. */
describe('CLI: audit letter (PostgreSQL)', () => {
  let api: TestApp;
  let store: EventStore;
  let pool: Pool;
  let familyId: string;
  let letterId: string;
  let readAudit: CliReadAudit;
  const output = captureCliOutput();
  actingAs('eva-audit');
  const nav = staff('NAV');

  beforeAll(async () => {
    api = await createTestApp();
    store = api.app.get(EVENT_STORE);
    pool = api.app.get(PG_POOL);
    readAudit = testReadAudit(pool);
    const family = await registerFamily(api, nav, [{ name: 'Amina', birthDate: '1988-03-02', role: 'adult' }]);
    familyId = family.familyId;
    const decisionId = randomUUID();
    await send(api, 'POST', `/families/${familyId}/decisions`, nav, {
      decisionId,
      ...proposalBody({
        unit: 'NAV',
        decisionType: 'economic-social-assistance',
        memberIds: [family.ids.Amina],
        periodFrom: '2026-11-01',
        periodUntil: '2027-04-30',
        summary: 'Income below the guideline.',
      }),
      amounts: { monthlyAmountOre: 850000 },
    });
    await send(api, 'POST', `/families/${familyId}/decisions/${decisionId}/approve`, staff('NAV', 'approver'));
    const issued = await api.inject('POST', `/families/${familyId}/letters`, nav, { decisionIds: [decisionId] });
    expect(issued.statusCode).toBe(201);
    letterId = issued.json().letterId;
  });
  afterAll(() => api.close());

  it('writes every copy, finds the recorded, stored and re-rendered hashes equal (exit 0), and records the read', async () => {
    const out = mkdtempSync(join(tmpdir(), 'fv-letter-'));
    await new AuditLetterCommand(store, pool, readAudit).run([familyId, letterId], { out });
    expect(process.exitCode).toBe(0);
    expect(output.out.at(-1)).toBe(`letter ${letterId}: 1 copies written to ${out}; all agree with the log`);
    const files = readdirSync(out).sort();
    expect(files.map((f) => f.replace(/^[0-9a-f-]{36}/, '<member>'))).toEqual(['<member>.nb.html', '<member>.nb.pdf']);
    const pdf = readFileSync(join(out, files[1]));
    const issued = (await store.readStream(`family-${familyId}`)).find((e) => e.type === 'LetterIssued')!;
    expect(sha256(pdf)).toBe((issued.data as { copies: Array<{ sha256: string }> }).copies[0].sha256);
    const { rows } = await pool.query(
      `SELECT user_id, role, categories, purpose, route FROM audit.read_access WHERE family_id = $1 AND route = 'CLI audit letter'`,
      [familyId],
    );
    expect(rows).toEqual([{ user_id: 'eva-audit', role: 'auditor', categories: ['letters'], purpose: 'audit', route: 'CLI audit letter' }]);
  });

  it('exit 1 when a stored copy differs from the log, naming it; exit 1 for an unknown letter; 2 without --out', async () => {
    // The store refuses UPDATE on the copies (append-only): a tampered copy can only be simulated by
    // replacing the row under the trigger, as someone with database rights could.
    await pool.query('ALTER TABLE documents.letter_copies DISABLE TRIGGER USER');
    await pool.query(`UPDATE documents.letter_copies SET bytes = $1 WHERE letter_id = $2 AND format = 'pdf'`, [Buffer.from('%PDF-1.7 tampered'), letterId]);
    await pool.query('ALTER TABLE documents.letter_copies ENABLE TRIGGER USER');
    output.out = [];
    await new AuditLetterCommand(store, pool, readAudit).run([familyId, letterId], { out: mkdtempSync(join(tmpdir(), 'fv-letter-')) });
    expect(process.exitCode).toBe(1);
    expect(output.out[0]).toMatch(/^DIFFERENT {2}recipient /);
    await new AuditLetterCommand(store, pool, readAudit).run([familyId, randomUUID()], { out: mkdtempSync(join(tmpdir(), 'fv-letter-')) });
    expect(process.exitCode).toBe(1);
    await new AuditLetterCommand(store, pool, readAudit).run([familyId, letterId], {});
    expect(process.exitCode).toBe(2);
  });
});
