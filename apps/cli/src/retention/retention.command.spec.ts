import { randomUUID } from 'node:crypto';
import { PG_POOL } from '@familievedtak/database';
import { familyStreamId } from '@familievedtak/domain';
import { EVENT_STORE, KEY_STORE, type Clock, type EventStore, type KeyStore } from '@familievedtak/event-store';
import type { Pool } from 'pg';
import { clockOf, closeCase, storedCounts } from '../../../../test/api/retention-fixtures';
import { registerFamily, send, staff } from '../../../../test/support/parts';
import { createTestApp, type TestApp } from '../../../../test/support/test-app';
import { FamilyCommandsService } from '../../../api/src/families/family-commands.service';
import { ReadAuditService } from '../../../api/src/read-audit/read-audit.service';
import { RuleSetRegistry } from '../../../api/src/rules/rule-set-registry.service';
import { CLOCK } from '../../../api/src/shared/clock.provider';
import { parseCommandLine } from '../program';
import { captureCliOutput } from '../testing/cli-output';
import { RetentionPlanCommand, RetentionRunCommand } from './retention.command';

/** `retention run [--dry-run]` and `retention plan --family`: the API's job from the command line, with a named operator. */
describe('CLI: retention (PostgreSQL)', () => {
  let api: TestApp;
  let clock: ReturnType<typeof clockOf>;
  let familyId: string;
  const needId = randomUUID();
  const output = captureCliOutput();
  const deps = () =>
    [
      api.app.get<EventStore>(EVENT_STORE),
      api.app.get<KeyStore>(KEY_STORE),
      api.app.get<Pool>(PG_POOL),
      api.app.get<Clock>(CLOCK),
      api.app.get(FamilyCommandsService),
      api.app.get(RuleSetRegistry),
    ] as const;
  const runCommand = () => new RetentionRunCommand(...deps());
  const planCommand = () => new RetentionPlanCommand(...deps(), new ReadAuditService(api.app.get<Pool>(PG_POOL), api.app.get<Clock>(CLOCK)));

  beforeAll(async () => {
    api = await createTestApp({ poolSize: 5 });
    clock = clockOf(api);
    clock.on('2026-03-02');
    const family = await registerFamily(api, staff('NAV'), [{ name: 'Amina Hassan', birthDate: '1988-03-02', role: 'adult' }]);
    familyId = family.familyId;
    await send(api, 'POST', `/families/${familyId}/needs`, staff('NAV'), {
      needId,
      memberId: family.ids['Amina Hassan'],
      words: 'Husleie',
      expressedOn: '2026-03-02',
    });
    await send(api, 'POST', `/families/${familyId}/needs/${needId}/withdraw`, staff('NAV'), {});
    await closeCase(api, familyId, 'NAV', '2026-04-01');
    clock.on('2029-04-03');
  });
  afterAll(async () => {
    clock?.restore();
    await api?.close();
  });

  it('is registered: the command line parses, an unknown subcommand is a usage error (2)', async () => {
    expect(await parseCommandLine(['node', 'familievedtak', 'retention', 'run', '--dry-run', '--actor', 'arkiv-anne'])).toEqual({ run: true });
    expect(await parseCommandLine(['node', 'familievedtak', 'retention', 'plan', '--family', familyId])).toEqual({ run: true });
    expect(await parseCommandLine(['node', 'familievedtak', 'archive', 'export', '--family', familyId, '--out', '/tmp/x'])).toEqual({ run: true });
    expect(await parseCommandLine(['node', 'familievedtak', 'retention', 'bogus'])).toEqual({ run: false, exitCode: 2 });
  });

  it('needs a named operator: without --actor, exit 2 and nothing stored', async () => {
    const before = await storedCounts(api);
    const previous = process.env.FAMILIEVEDTAK_ACTOR;
    delete process.env.FAMILIEVEDTAK_ACTOR;
    try {
      await runCommand().run([], {});
    } finally {
      if (previous !== undefined) process.env.FAMILIEVEDTAK_ACTOR = previous;
    }
    expect(process.exitCode).toBe(2);
    expect(await storedCounts(api)).toEqual({ ...before });
  });

  it('plan --family: every record with its standing, the read on the read audit; an unknown family exits 1', async () => {
    await planCommand().run([], { family: familyId, actor: 'arkiv-anne', json: true });
    expect(process.exitCode).toBe(0);
    const plan = JSON.parse(output.out.join('\n'));
    expect(plan).toMatchObject({ familyId, schedule: 'trondheim-retention-2026@v1', asOf: '2029-04-03' });
    expect(plan.due.map((k: { keyRef: string }) => k.keyRef)).toContain(`need/${needId}`);
    expect(plan.records.find((r: { keyRef: string }) => r.keyRef === `need/${needId}`)).toMatchObject({ status: 'due', keptUntil: '2029-04-01' });
    const { rows } = await api.db.pool.query(`SELECT user_id, route, categories FROM audit.read_access WHERE family_id = $1`, [familyId]);
    expect(rows).toEqual([{ user_id: 'arkiv-anne', route: 'CLI retention plan', categories: ['retention-plan'] }]);
    await planCommand().run([], { family: randomUUID(), actor: 'arkiv-anne' });
    expect(process.exitCode).toBe(1);
  });

  it('run --dry-run stores nothing; run erases and records who ran it; a second run erases nothing', async () => {
    const before = await storedCounts(api);
    await runCommand().run([], { dryRun: true, actor: 'arkiv-anne', json: true });
    expect(process.exitCode).toBe(0);
    expect(JSON.parse(output.out.join('\n'))).toMatchObject({ dryRun: true, keysDueTotal: 4 });
    expect(await storedCounts(api)).toEqual(before);

    output.out.length = 0;
    await runCommand().run([], { actor: 'arkiv-anne', json: true });
    expect(process.exitCode).toBe(0);
    const run = JSON.parse(output.out.join('\n'));
    expect(run).toMatchObject({ dryRun: false, keysErasedTotal: 4, triggeredBy: { userId: 'arkiv-anne', role: null, via: 'cli' } });
    const tombstones = await api.db.pool.query(`SELECT count(*)::int AS n FROM keys.data_keys WHERE stream_id = $1 AND wrapped IS NULL`, [
      familyStreamId(familyId),
    ]);
    expect(tombstones.rows[0].n).toBe(4);

    output.out.length = 0;
    await runCommand().run([], { actor: 'arkiv-anne' });
    expect(process.exitCode).toBe(0);
    expect(output.tables.at(-1)).toEqual([expect.objectContaining({ 'keys erased': 0 })]);
  });
});
