import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PostgresEventStore } from '@familievedtak/event-store';
import { createReadModelDataSource, runReadModelMigrations } from '@familievedtak/projections';
import { RULE_SET_DOCUMENTS_DIR } from '@familievedtak/rules';
import type { DataSource } from 'typeorm';
import { appendPrivacyHistory, IDENTIFYING_STRINGS } from '../../../../libs/what-if/src/testing/what-if-history';
import { createTestDatabase, TestDatabase } from '../../../../test/support/test-database';
import { RulesSimulateCommand, ruleSetArgument, SIMULATE_AUDIT_ROUTE } from './simulate.command';
import { captureCliOutput } from '../testing/cli-output';

const FORBIDDEN = [...IDENTIFYING_STRINGS, 'Heimdal', 'Østbyen', 'Lerkendal'];

describe('CLI: rules simulate (PostgreSQL)', () => {
  let db: TestDatabase;
  let store: PostgresEventStore;
  let dataSource: DataSource;
  let dir: string;
  const output = captureCliOutput();
  const candidate = join(RULE_SET_DOCUMENTS_DIR, 'family-decision.yaml');

  beforeAll(async () => {
    db = await createTestDatabase(5);
    store = new PostgresEventStore({ pool: db.pool, pollIntervalMs: 10 });
    await store.migrate();
    dataSource = createReadModelDataSource(db.url, 2);
    await dataSource.initialize();
    await runReadModelMigrations(dataSource);
    await appendPrivacyHistory(store);
    dir = mkdtempSync(join(tmpdir(), 'rules-simulate-'));
  });
  afterAll(async () => {
    await dataSource.destroy();
    await store.close();
    await db.drop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('GDPR art. 5(1)(c) data minimisation: the CLI writes the same aggregate report.json and report.html, and records the run', async () => {
    const target = join(dir, 'report');
    await new RulesSimulateCommand(store, db.pool).run([], { candidate, out: target, purpose: 'cli test', user: 'rules-team' });
    expect(process.exitCode).toBeUndefined();
    const json = readFileSync(join(target, 'report.json'), 'utf8');
    const html = readFileSync(join(target, 'report.html'), 'utf8');
    for (const text of [json, html, output.out.join('\n')]) expect(FORBIDDEN.filter((s) => text.includes(s))).toEqual([]);
    const report = JSON.parse(json);
    expect(report.scope.familiesSelected).toBe(16);
    expect(report.districts.shown.map((d: { district: string }) => d.district)).toEqual(['Midtbyen']);
    for (const row of report.families) expect(row.family).toMatch(/^p-[0-9a-f]{16}$/);
    const { rows } = await db.pool.query(
      `SELECT user_id, role, unit, family_id, member_ids, categories, purpose, outcome, route, rule_sets, family_count, selection FROM audit.read_access WHERE purpose = 'cli test'`,
    );
    expect(rows).toEqual([
      {
        user_id: 'rules-team',
        role: 'cli',
        unit: null,
        family_id: null,
        member_ids: [],
        categories: ['what-if-aggregate'],
        purpose: 'cli test',
        outcome: 'permit',
        route: SIMULATE_AUDIT_ROUTE,
        rule_sets: ['trondheim-2023@v1', 'family-decision@v2'],
        family_count: 16,
        selection: {},
      },
    ]);
  });

  it('refuses a district it may not show: exit code 1, no files', async () => {
    const target = join(dir, 'refused');
    await new RulesSimulateCommand(store, db.pool).run([], { candidate, out: target, district: 'Heimdal' });
    expect(process.exitCode).toBe(1);
    expect(output.err.join('\n')).toContain('cannot be reported on its own');
    expect(() => readFileSync(join(target, 'report.json'))).toThrow();
  });

  it('takes a stored rule set by id or id@version; an unknown one, or a broken document, is exit 1 with the reason, and no files', async () => {
    expect(ruleSetArgument('family-decision@2')).toEqual({ ruleSetId: 'family-decision', version: 2 });
    expect(ruleSetArgument('trondheim-2023')).toEqual({ ruleSetId: 'trondheim-2023' });
    expect(ruleSetArgument(candidate)).toEqual({ document: readFileSync(candidate, 'utf8') });
    // This store was never started by the API: the built-in 2023 set answers to its id.
    const target = join(dir, 'stored');
    await new RulesSimulateCommand(store, db.pool).run([], { candidate: 'trondheim-2023@1', out: target });
    expect(process.exitCode).toBeUndefined();
    expect(JSON.parse(readFileSync(join(target, 'report.json'), 'utf8')).inputs.candidate).toMatchObject({ id: 'trondheim-2023', version: 1 });

    const missing = join(dir, 'missing');
    await new RulesSimulateCommand(store, db.pool).run([], { candidate: 'family-decision@3', out: missing });
    expect(process.exitCode).toBe(1);
    expect(output.err.join('\n')).toContain('rules simulate: Rule set family-decision has no version 3.');
    const broken = join(dir, 'broken.yaml');
    writeFileSync(broken, readFileSync(candidate, 'utf8').replace('units: [NAV]', 'units: [NAV, KOMMUNE]'));
    await new RulesSimulateCommand(store, db.pool).run([], { candidate: broken, out: missing });
    expect(output.err.join('\n')).toMatch(/line \d+, column \d+: rules\[\d+\]\.units\[1\]: must be one of/);
    expect(() => readFileSync(join(missing, 'report.json'))).toThrow();
  });
});
