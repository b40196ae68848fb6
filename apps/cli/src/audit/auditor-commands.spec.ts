import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import { addDays } from '@familievedtak/domain';
import { EVENT_STORE, type EventStore } from '@familievedtak/event-store';
import { seedAuditFamily, type AuditFamily } from '../../../../libs/audit/src/testing/audit-family';
import { createTestApp, type TestApp } from '../../../../test/support/test-app';
import { AuditAsOfCommand } from './as-of.command';
import { AuditHistoryCommand } from './history.command';
import { AuditSubjectExportCommand } from './subject-export.command';
import { captureCliOutput } from '../testing/cli-output';
import { actingAs, testReadAudit } from '../testing/cli-read-audit';
import type { CliReadAudit } from '../read-audit/cli-read-audit';

/** The commands against the API's database with no projection running: as the CLI runs. */
describe('CLI: audit history / as-of / subject-export (PostgreSQL)', () => {
  let api: TestApp;
  let store: EventStore;
  let f: AuditFamily;
  let readAudit: CliReadAudit;
  const output = captureCliOutput();
  actingAs('eva-audit');

  beforeAll(async () => {
    api = await createTestApp({ runProjections: false });
    store = api.app.get(EVENT_STORE);
    readAudit = testReadAudit(api.db.pool);
    f = await seedAuditFamily(api);
  });
  afterAll(() => api.close());

  it('history: every event with label, actor, rule and consents; filtered; exit 0', async () => {
    await new AuditHistoryCommand(store, readAudit).run([f.familyId], {});
    expect(process.exitCode).toBe(0);
    const text = output.out.join('\n');
    expect(text).toContain('#0 ');
    // History shows both times: recorded (the instant in front) and valid (in force from the period's start).
    expect(text).toMatch(
      new RegExp(
        `NAV approved decision economic-social-assistance for Amina Ødegård, in force from ${addDays(f.day, -30)}\\n {4}by nav-ola \\(approver, NAV\\) {2}command \\S+ {2}rule \\S+ v\\d+ \\S+`,
      ),
    );
    expect(text).toContain(`consents ${f.consentId}`);
    expect(output.out.at(-1)).toBe(`9 of 9 events of family ${f.familyId}`);

    output.out = [];
    await new AuditHistoryCommand(store, readAudit).run([f.familyId], { type: 'DecisionAmended,DecisionRevoked', unit: 'NAV', json: true });
    const json = JSON.parse(output.out[0]);
    expect(json.entries.map((e: { type: string }) => e.type)).toEqual(['DecisionAmended', 'DecisionRevoked']);
  });

  it('history: exit 1 for an unknown family, 2 for a bad filter', async () => {
    await new AuditHistoryCommand(store, readAudit).run([randomUUID()], {});
    expect(process.exitCode).toBe(1);
    await new AuditHistoryCommand(store, readAudit).run([f.familyId], { unit: 'KOMMUNE' });
    expect(process.exitCode).toBe(2);
    expect(output.err.at(-1)).toBe('unknown unit "KOMMUNE"');
  });

  it('as-of: the decision before and after the amendment and revocation, the consent before and after withdrawal', async () => {
    const asOf = async (instant: Date) => {
      output.out = [];
      await new AuditAsOfCommand(store, readAudit).run([f.familyId], { at: instant.toISOString(), json: true });
      expect(process.exitCode).toBe(0);
      const body = JSON.parse(output.out[0]);
      return { decision: body.view.decisions[0], inForce: body.view.consents.inForce.map((c: { consentId: string }) => c.consentId), revision: body.revision };
    };
    expect(await asOf(f.instants.approved)).toMatchObject({ decision: { status: 'active', amounts: { monthlyAmountOre: 850000 } }, inForce: [f.consentId] });
    expect(await asOf(f.instants.amended)).toMatchObject({ decision: { status: 'active', amounts: { monthlyAmountOre: 900000 } } });
    expect(await asOf(f.instants.revoked)).toMatchObject({ decision: { status: 'revoked' }, inForce: [f.consentId] });
    expect(await asOf(f.instants.withdrawn)).toMatchObject({ inForce: [], revision: 8 });
    expect(output.err.at(-1)).toMatch(/^folded 9 events in \d+\.\d ms$/);

    output.out = [];
    await new AuditAsOfCommand(store, readAudit).run([f.familyId], { at: f.instants.revoked.toISOString() });
    expect(output.out.join('\n')).toMatch(/NAV economic-social-assistance for Amina Ødegård: revoked, .* monthly 9000\.00/);
    expect(output.out.join('\n')).toContain(`Consents in force: ${f.consentId} information-sharing for Yusuf <Ødegård> to NAV`);
  });

  it('as-of: exit 1 before the family existed, 2 without a cut or with a bad one', async () => {
    await new AuditAsOfCommand(store, readAudit).run([f.familyId], { at: '2000-01-01T00:00:00Z' });
    expect(process.exitCode).toBe(1);
    await new AuditAsOfCommand(store, readAudit).run([f.familyId], {});
    expect(process.exitCode).toBe(2);
    await new AuditAsOfCommand(store, readAudit).run([f.familyId], { at: 'yesterday' });
    expect(process.exitCode).toBe(2);
    await new AuditAsOfCommand(store, readAudit).run([f.familyId], { position: '12', at: '2026-01-01T00:00:00Z' });
    expect(process.exitCode).toBe(2);
  });

  it('subject-export: scans the log (no read model here), writes subject.json and subject.html, prints a summary', async () => {
    // The reads of the child's family recorded so far (the history and as-of runs above are among them).
    const reads = Number((await api.db.pool.query(`SELECT count(*) AS n FROM audit.read_access WHERE member_ids @> ARRAY[$1::text]`, [f.childId])).rows[0].n);
    expect(reads).toBeGreaterThan(0);
    const dir = join(mkdtempSync(join(tmpdir(), 'subject-')), 'out');
    await new AuditSubjectExportCommand(store, api.db.pool, readAudit).run([f.childId], { out: dir });
    expect(process.exitCode).toBe(0);
    const report = JSON.parse(readFileSync(join(dir, 'subject.json'), 'utf8'));
    expect(report.foundIn).toBe('stream-scan');
    expect(report.families[0].events).toHaveLength(4);
    const html = readFileSync(join(dir, 'subject.html'), 'utf8');
    expect(html).toContain('Dette har vi registrert om deg, Yusuf &lt;Ødegård&gt;'); // bokmål, the page's default
    expect(output.out.at(-1)).toMatch(
      new RegExp(
        `^member ${f.childId}: 1 family \\(found by scanning the log\\), 4 events, 0 decisions, ${reads} recorded reads; wrote .*subject\\.json and .*subject\\.html in \\d+\\.\\d\\d s$`,
      ),
    );
    // The scan reported its progress to the bar (stderr).
    expect(process.stderr.write).toHaveBeenCalledWith(expect.stringContaining('scanning family registrations'));
  });

  it('subject-export: exit 1 for an unknown member, 2 without --out', async () => {
    const dir = join(mkdtempSync(join(tmpdir(), 'subject-')), 'none');
    await new AuditSubjectExportCommand(store, api.db.pool, readAudit).run([randomUUID()], { out: dir });
    expect(process.exitCode).toBe(1);
    expect(existsSync(dir)).toBe(false);
    await new AuditSubjectExportCommand(store, api.db.pool, readAudit).run([f.childId], {});
    expect(process.exitCode).toBe(2);
  });

  it('subject-export: --clearance takes only protected-address (without it, protected addresses stay masked)', () => {
    const command = new AuditSubjectExportCommand(store, api.db.pool, readAudit);
    expect(command.parseClearance('protected-address')).toBe(true);
    expect(() => command.parseClearance('everything')).toThrow(/only one is 'protected-address'/);
  });
});
