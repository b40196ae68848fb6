import { spawn, spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ProjectionDaemon, PROJECTIONS, type Projection } from '@familievedtak/projections';
import { auditor, seedAuditFamily, type AuditFamily } from '../../libs/audit/src/testing/audit-family';
import { createTestApp, type TestApp } from '../support/test-app';

const root = join(__dirname, '..', '..');
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { version: string; bin: Record<string, string> };
/** What the `familievedtak` bin runs: the built entry, no build, no npm. */
const bin = join(root, pkg.bin.familievedtak);

type Run = { code: number | null; stdout: string; stderr: string; ms: number };

/** The built CLI in its own process (as an operator runs it), with this environment on top of ours. */
function cli(args: string[], env: Record<string, string | undefined> = {}): Promise<Run> {
  const started = Date.now();
  return new Promise((resolve, reject) => {
    const merged = { ...process.env, NO_COLOR: '1', FAMILIEVEDTAK_ACTOR: undefined, ...env };
    const defined = Object.fromEntries(Object.entries(merged).filter((e): e is [string, string] => e[1] !== undefined));
    const child = spawn(process.execPath, [bin, ...args], { cwd: root, env: defined });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk) => (stdout += chunk));
    child.stderr.on('data', (chunk) => (stderr += chunk));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr, ms: Date.now() - started }));
  });
}

/**
 * The CLI as installed: package.json's `bin` (the built entry, started with node), spawned.
 * The launcher `npm run cli` uses (apps/cli/run-built.js) builds dist first if it is missing
 * or older than the sources, so these tests run the code of this checkout.
 */
describe('familievedtak CLI, the built entry in its own process', () => {
  beforeAll(() => {
    const built = spawnSync(process.execPath, [join(root, 'apps/cli/run-built.js'), 'main', '--version'], { cwd: root, encoding: 'utf8' });
    if (built.status !== 0) throw new Error(`could not build the CLI: ${built.stderr}`);
  }, 240_000);

  it('is the package bin: dist/apps/cli/src/main.js, with a node shebang', () => {
    expect(pkg.bin).toEqual({ familievedtak: 'dist/apps/cli/src/main.js' });
    expect(readFileSync(bin, 'utf8').split('\n')[0]).toBe('#!/usr/bin/env node');
  });

  it('--version prints the package version (exit 0), without a database', async () => {
    const run = await cli(['--version'], { DATABASE_URL: 'postgres://nobody@127.0.0.1:1/none' });
    expect(run).toMatchObject({ code: 0, stdout: `${pkg.version}\n`, stderr: '' });
  });

  it('--help: exit 0, the usage names familievedtak, on stdout', async () => {
    const run = await cli(['--help'], { DATABASE_URL: 'postgres://nobody@127.0.0.1:1/none' });
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^Usage: familievedtak \[options\] \[command\]/);
    expect(run.stdout).toContain('-V, --version');
    const sub = await cli(['audit', 'history', '--help'], { DATABASE_URL: 'postgres://nobody@127.0.0.1:1/none' });
    expect(sub.code).toBe(0);
    expect(sub.stdout).toMatch(/^Usage: familievedtak audit history \[options\] <familyId>/);
    expect(sub.stdout).toContain('--actor <userId>');
  });

  // A database that cannot be reached: a usage error is found before any connection.
  it.each([
    [['bogus'], "error: unknown command 'bogus'", 'Usage: familievedtak [options] [command]'],
    [['audit', 'bogus'], "error: unknown command 'bogus' for 'audit'", 'Usage: familievedtak audit [options] [command]'],
    [['projections', 'bogus'], "error: unknown command 'bogus' for 'projections'", 'Usage: familievedtak projections [options] [command]'],
    [['audit'], 'Usage: familievedtak audit [options] [command]', 'history [options] <familyId>'],
    [[], 'Usage: familievedtak [options] [command]', 'audit'],
    [['audit', 'history'], "error: missing required argument 'familyId'", 'Usage: familievedtak audit history [options] <familyId>'],
    [['audit', 'verify', '--everything'], "error: unknown option '--everything'", 'Usage: familievedtak audit verify [options]'],
    // An option's own check (no help after it: the message says what is allowed).
    [
      ['audit', 'subject-export', 'm-1', '--out', 'x', '--clearance', 'everything'],
      "error: unknown clearance 'everything' (the only one is 'protected-address')",
      '',
    ],
  ])('%j: exit 2, the error and the help on stderr, nothing on stdout', async (args, error, help) => {
    const run = await cli(args, { DATABASE_URL: 'postgres://nobody@127.0.0.1:1/none' });
    expect(run.code).toBe(2);
    expect(run.stdout).toBe('');
    expect(run.stderr).toContain(error);
    expect(run.stderr).toContain(help);
  });

  describe('against the database the API used', () => {
    let api: TestApp;
    let f: AuditFamily;

    beforeAll(async () => {
      api = await createTestApp({ runProjections: true });
      f = await seedAuditFamily(api);
      const daemon = api.app.get(ProjectionDaemon);
      await Promise.all(api.app.get<Projection[]>(PROJECTIONS).map((p) => daemon.runner(p.name)!.waitUntilCaughtUp()));
    }, 120_000);
    afterAll(() => api.close());

    it("projections status: the checkpoints the API's runners wrote (as GET /health reports them), not the CLI's own idle runners", async () => {
      const health = (await api.inject('GET', '/health', {})).json() as {
        eventStore: { headPosition: string };
        projections: Array<{ name: string; checkpoint: string; lag: number }>;
      };
      const run = await cli(['projections', 'status', '--json'], { DATABASE_URL: api.db.url });
      expect(run.stderr).toBe('');
      expect(run.code).toBe(0);
      const rows = JSON.parse(run.stdout) as Array<{ projection: string; checkpoint: string; head: string; lag: number; updatedAt: string }>;
      expect(rows.map((r) => r.projection).sort()).toEqual(health.projections.map((p) => p.name).sort());
      for (const row of rows) {
        const live = health.projections.find((p) => p.name === row.projection)!;
        expect(BigInt(row.checkpoint)).toBeGreaterThan(0n);
        expect({ checkpoint: row.checkpoint, lag: row.lag, head: row.head }).toEqual({
          checkpoint: live.checkpoint,
          lag: 0,
          head: health.eventStore.headPosition,
        });
        expect(Date.now() - Date.parse(row.updatedAt)).toBeLessThan(120_000);
      }

      // The table: aligned columns, no escape codes when not on a terminal.
      const table = await cli(['projections', 'status'], { DATABASE_URL: api.db.url, NO_COLOR: undefined });
      expect(table.code).toBe(0);
      const lines = table.stdout.trimEnd().split('\n');
      expect(lines[0]).toMatch(/^projection +checkpoint +head +lag +last update$/);
      expect(lines[1]).toMatch(/^-+( +-+){4}$/);
      expect(
        lines
          .slice(2)
          .map((l) => l.split(/ +/)[0])
          .sort(),
      ).toEqual(rows.map((r) => r.projection).sort());
      expect(table.stdout).not.toContain('\u001b[');
    }, 60_000);

    it('audit history: the read goes on the read audit like an API read (operator, purpose, family, members), before anything is shown', async () => {
      // Without a named operator: a usage error, nothing read, nothing recorded.
      const anonymous = await cli(['audit', 'history', f.familyId], { DATABASE_URL: api.db.url });
      expect(anonymous.code).toBe(2);
      expect(anonymous.stdout).toBe('');
      expect(anonymous.stderr).toContain('--actor <userId> or FAMILIEVEDTAK_ACTOR');

      const run = await cli(['audit', 'history', f.familyId, '--purpose', 'tilsyn 2026-17'], { DATABASE_URL: api.db.url, FAMILIEVEDTAK_ACTOR: 'eva-audit' });
      expect(run.code).toBe(0);
      expect(run.stdout).toContain(`9 of 9 events of family ${f.familyId}`);
      const { rows } = await api.db.pool.query(
        `SELECT request_id, user_id, unit, role, family_id, member_ids, categories, purpose, outcome, status, route FROM audit.read_access WHERE route LIKE 'CLI %' ORDER BY id`,
      );
      expect(rows).toEqual([
        {
          request_id: expect.stringMatching(/^cli-[0-9a-f-]{36}$/),
          user_id: 'eva-audit',
          unit: null,
          role: 'auditor',
          family_id: f.familyId,
          member_ids: [f.adultId, f.childId].sort(),
          categories: expect.arrayContaining(['decisions', 'consents']),
          purpose: 'tilsyn 2026-17',
          outcome: 'permit',
          status: 200,
          route: 'CLI audit history',
        },
      ]);

      // The same audit as the API's: the auditor's query of the read audit finds the CLI read next to API reads.
      await api.inject('GET', `/audit/families/${f.familyId}/history`, auditor);
      const reads = (await api.inject('GET', `/audit/reads?familyId=${f.familyId}&userId=eva-audit`, auditor)).json() as { items: Array<{ route: string }> };
      expect(reads.items.map((r) => r.route)).toEqual(expect.arrayContaining(['CLI audit history', 'GET /audit/families/:familyId/history']));
    }, 60_000);

    it('as-of, subject-export and an unknown family: each on the read audit (a family not there as a deny, as the API records a 404)', async () => {
      const env = { DATABASE_URL: api.db.url };
      const asOf = await cli(['audit', 'as-of', f.familyId, '--at', new Date().toISOString(), '--actor', 'eva-audit'], env);
      expect(asOf.code).toBe(0);
      const out = join(tmpdir(), `fv-cli-subject-${process.pid}`);
      const exported = await cli(['audit', 'subject-export', f.childId, '--out', out, '--actor', 'eva-audit', '--clearance', 'protected-address'], env);
      expect(exported.code).toBe(0);
      const unknown = await cli(['audit', 'history', '00000000-0000-4000-8000-000000000000', '--actor', 'eva-audit'], env);
      expect(unknown.code).toBe(1);
      const { rows } = await api.db.pool.query(
        `SELECT route, family_id, member_ids, outcome, status, purpose FROM audit.read_access WHERE route IN ('CLI audit as-of', 'CLI audit subject-export') OR (route = 'CLI audit history' AND outcome = 'deny') ORDER BY id`,
      );
      expect(rows).toEqual([
        {
          route: 'CLI audit as-of',
          family_id: f.familyId,
          member_ids: expect.arrayContaining([f.adultId, f.childId]),
          outcome: 'permit',
          status: 200,
          purpose: 'audit',
        },
        { route: 'CLI audit subject-export', family_id: f.familyId, member_ids: [f.childId], outcome: 'permit', status: 200, purpose: 'audit' },
        { route: 'CLI audit history', family_id: '00000000-0000-4000-8000-000000000000', member_ids: [], outcome: 'deny', status: 404, purpose: 'audit' },
      ]);
    }, 60_000);
  });
});
