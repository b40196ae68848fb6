import { readAppConfig } from '@familievedtak/database';
import { PostgresEventStore } from '@familievedtak/event-store';
import { createReadModelDataSource, FamilyViewProjection, ProjectionRunner, runReadModelMigrations } from '@familievedtak/projections';
import { CommandFactory } from 'nest-commander';
import type { DataSource } from 'typeorm';
import { appendHistory, decideHistory } from '../../../../libs/projections/src/family-view/testing/family-history';
import { actors, HASSAN, hassanHistory, step } from '../../../../libs/projections/src/family-view/testing/hassan-family';
import { asTamperer } from '../../../../test/support/tamper';
import { createTestDatabase, TestDatabase } from '../../../../test/support/test-database';
import { CliModule } from '../cli.module';
import { AuditRebuildCompareCommand } from './rebuild-compare.command';
import { AuditVerifyCommand } from './verify.command';
import { captureCliOutput } from '../testing/cli-output';
import { actingAs, testReadAudit } from '../testing/cli-read-audit';
import type { CliReadAudit } from '../read-audit/cli-read-audit';

const family = (familyId: string) =>
  decideHistory([
    step('2024-05-01', actors.navCaseworker, 'RegisterFamily', {
      familyId,
      district: 'Heimdal',
      members: [{ memberId: 'm-1', name: `Adult of ${familyId}`, birthDate: '1990-01-01', role: 'adult' }],
    }),
    step('2024-05-02', actors.navCaseworker, 'ExpressNeed', { needId: 'n-1', memberId: 'm-1', words: 'Hjelp med regningene.' }),
  ]).commits;

describe('CLI: audit verify / audit rebuild-compare (PostgreSQL)', () => {
  let db: TestDatabase;
  let store: PostgresEventStore;
  let dataSource: DataSource;
  let events: number;
  let readAudit: CliReadAudit;
  const output = captureCliOutput();
  actingAs('eva-audit');

  beforeAll(async () => {
    db = await createTestDatabase(10);
    store = new PostgresEventStore({ pool: db.pool, pollIntervalMs: 10 });
    await store.migrate();
    readAudit = testReadAudit(db.pool);
    dataSource = createReadModelDataSource(db.url, 5);
    await dataSource.initialize();
    await runReadModelMigrations(dataSource);
    events = (await appendHistory(store, HASSAN, hassanHistory().commits)) + 1;
    for (const id of ['fam-01', 'fam-02', 'fam-03']) events += (await appendHistory(store, id, family(id))) + 1;
    const runner = new ProjectionRunner(dataSource, store, new FamilyViewProjection(), { standbyRetryMs: 50 });
    runner.start();
    await runner.waitUntilCaughtUp();
    await runner.stop();
  });
  afterAll(async () => {
    await dataSource.destroy();
    await store.close();
    await db.drop();
  });

  it('verify: exit code 0, a progress bar on stderr and a summary table', async () => {
    await new AuditVerifyCommand(store, readAudit).run([], {});
    expect(process.exitCode).toBe(0);
    expect(output.err.join('')).toContain(`verify [${'#'.repeat(30)}] ${events}/${events} events`);
    expect(output.tables).toEqual([[expect.objectContaining({ verdict: 'all verified', streams: 4, events })]]);
  });

  it('rebuild-compare: exit code 0 when the replay matches; --json prints the whole result', async () => {
    await new AuditRebuildCompareCommand(dataSource, store, readAudit).run([], { json: true });
    expect(process.exitCode).toBe(0);
    expect(JSON.parse(output.out.join('\n'))).toMatchObject({
      ok: true,
      eventsReplayed: events,
      rows: { live: 4, rebuilt: 4 },
      differences: [],
      shadowSchema: null,
    });
    expect(output.err.join('')).toContain(`compare [${'#'.repeat(30)}] 4/4 rows`);
  });

  it('usage errors: exit code 2 and nothing verified', async () => {
    await new AuditVerifyCommand(store, readAudit).run([], { stream: 'family-fam-01', prefix: 'family-' });
    expect(process.exitCode).toBe(2);
    await new AuditRebuildCompareCommand(dataSource, store, readAudit).run([], { batchSize: '0' });
    expect(process.exitCode).toBe(2);
    await new AuditVerifyCommand(store, readAudit).run([], { stream: 'family-nobody' });
    expect(process.exitCode).toBe(2);
    expect(output.err.filter((line) => !line.includes('verify ['))).toEqual([
      '--stream and --prefix exclude each other',
      '--batch-size must be a positive whole number',
      'No stream family-nobody: nothing to verify',
    ]);
    expect(output.out).toEqual([]);
  });

  it('verify after an edit in SQL: exit code 1 naming the stream, revision and both hashes', async () => {
    const [, target] = await store.readStream('family-fam-02');
    await asTamperer(db.pool, `UPDATE event_store.events SET data = jsonb_set(data, '{words}', '"Alt er fint."') WHERE event_id = $1`, [target.id]);
    await new AuditVerifyCommand(store, readAudit).run([], { prefix: 'family-' });
    expect(process.exitCode).toBe(1);
    expect(output.out[0]).toBe(`BROKEN family-fam-02 at revision 1 (position ${target.globalPosition}, event ${target.id}): content-altered`);
    expect(output.out[1]).toMatch(/^ {2}expected [0-9a-f]{64}$/);
    expect(output.out[2]).toBe(`  actual   ${target.hash}`);
    expect(output.tables).toEqual([[expect.objectContaining({ verdict: '1 broken stream(s)', streams: 4, events })]]);

    // Only that stream: the same verdict; another stream alone verifies.
    await new AuditVerifyCommand(store, readAudit).run([], { stream: 'family-fam-01', json: true });
    expect(process.exitCode).toBe(0);
    expect(JSON.parse(output.out.slice(4).join('\n'))).toMatchObject({ streams: 1, events: 2, broken: [], ok: true });
  });

  it('rebuild-compare after a live row was corrupted: exit code 1 and the differing fields, the edited event included', async () => {
    await dataSource.query(`UPDATE read_models.family_view SET revision = revision + 1 WHERE family_id = 'fam-03'`);
    await new AuditRebuildCompareCommand(dataSource, store, readAudit).run([], {});
    expect(process.exitCode).toBe(1);
    // The event edited in the test before is replayed as it is stored now: the live view still has the original words.
    expect(output.out).toEqual([
      'DIFFERS: fam-02',
      '  $.state.needs["n-1"].words: live "Hjelp med regningene.", rebuilt "Alt er fint."',
      'DIFFERS: fam-03',
      '  $.revision: live 2, rebuilt 1',
    ]);
    expect(output.tables).toEqual([[expect.objectContaining({ verdict: 'differences found', 'events replayed': events, different: 2, missing: 0, extra: 0 })]]);
  });

  it('through the real CLI module: the commands are wired, and an unknown option exits with 2', async () => {
    const config = readAppConfig(db.url, { RUN_PROJECTIONS: 'false' });
    const exit = jest.spyOn(process, 'exit').mockImplementation((code) => {
      throw new Error(`exit ${code}`);
    });
    const argv = process.argv;
    try {
      process.argv = ['node', 'cli', 'audit', 'verify', '--stream', 'family-fam-01'];
      const app = await CommandFactory.runWithoutClosing(CliModule.forRoot(config), { logger: false });
      await app.close();
      expect(process.exitCode).toBe(0);
      expect(output.tables).toEqual([[expect.objectContaining({ verdict: 'all verified', streams: 1, events: 2 })]]);

      // nest-commander reports what the (mocked) exit threw; the real one ends the process with 2.
      process.argv = ['node', 'cli', 'audit', 'verify', '--everything'];
      await (await CommandFactory.runWithoutClosing(CliModule.forRoot(config), { logger: false })).close();
      expect(exit).toHaveBeenCalledWith(2);
      expect(output.err.join('')).toContain("unknown option '--everything'");
    } finally {
      process.argv = argv;
    }
  });
});
