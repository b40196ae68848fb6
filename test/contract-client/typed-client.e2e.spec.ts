import { execFile } from 'node:child_process';
import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import type { AddressInfo } from 'node:net';
import { createTestApp, headersFor, TestApp } from '../support/test-app';
import { walkFamily } from './client';
import { osloToday } from '../support/today';

const run = promisify(execFile);
const ROOT = resolve(__dirname, '../..');
const HERE = __dirname;

/**
 * A client team's view of the contract: types generated with openapi-typescript from the live
 * GET /docs-json, the client program (client.ts, openapi-fetch) type-checked against them with
 * tsc, then run against the real API on a port. openapi.d.ts beside client.ts is a snapshot of
 * the same generation (so the repository type-checks); this test always uses the live document.
 * UPDATE_OPENAPI_SNAPSHOT=1 writes the fresh generation over the snapshot.
 */
describe('OpenAPI: a typed client generated from /docs-json', () => {
  let api: TestApp;
  let baseUrl: string;
  let work: string;

  beforeAll(async () => {
    api = await createTestApp({ runProjections: true, poolSize: 5 });
    await api.app.listen(0, '127.0.0.1');
    baseUrl = `http://127.0.0.1:${(api.app.getHttpServer().address() as AddressInfo).port}`;
    work = mkdtempSync(join(tmpdir(), 'familievedtak-client-'));
  });
  afterAll(async () => {
    await api?.close();
    if (work) rmSync(work, { recursive: true, force: true });
  });

  it('generates types from the live document and type-checks the client program against them', async () => {
    const document = await fetch(`${baseUrl}/docs-json`);
    expect(document.status).toBe(200);
    writeFileSync(join(work, 'openapi.json'), await document.text());
    await run(process.execPath, [join(HERE, 'generate-types.mjs'), join(work, 'openapi.json'), join(work, 'openapi.d.ts')], { cwd: ROOT });
    const generated = readFileSync(join(work, 'openapi.d.ts'), 'utf8');
    expect(generated).toContain('registerFamily: {');
    expect(generated).toMatch(/code\?: "[A-Z_]+"/); // problem codes as literal unions
    if (process.env.UPDATE_OPENAPI_SNAPSHOT === '1') writeFileSync(join(HERE, 'openapi.d.ts'), generated);

    copyFileSync(join(HERE, 'client.ts'), join(work, 'client.ts'));
    writeFileSync(
      join(work, 'tsconfig.json'),
      JSON.stringify({
        compilerOptions: {
          strict: true,
          noEmit: true,
          target: 'ES2022',
          lib: ['ES2023'],
          module: 'commonjs',
          moduleResolution: 'node',
          esModuleInterop: true,
          skipLibCheck: true,
          types: ['node'],
          typeRoots: [join(ROOT, 'node_modules/@types')],
          baseUrl: work,
          paths: { 'openapi-fetch': [join(ROOT, 'node_modules/openapi-fetch')] },
        },
        files: ['client.ts', 'openapi.d.ts'],
      }),
    );
    const tsc = await run(process.execPath, [join(ROOT, 'node_modules/typescript/bin/tsc'), '-p', join(work, 'tsconfig.json')], { cwd: work }).catch(
      (error: { stdout?: string; stderr?: string }) => error,
    );
    expect({ stdout: tsc.stdout ?? '', stderr: tsc.stderr ?? '' }).toEqual({ stdout: '', stderr: '' });
  }, 120_000);

  it('walks a family from registration to a payment and the view through the generated client', async () => {
    const token = headersFor({ userId: 'nav-kari', role: 'caseworker', unit: 'NAV' }).authorization.replace(/^Bearer /, '');
    const walk = await walkFamily(baseUrl, token);
    expect(walk.registeredRevision).toBe(0);
    expect(walk.paymentRevision).toBe(2);
    expect(walk.refusal).toEqual({ status: 404, code: 'PAYMENT_NOT_FOUND', documented: 'PAYMENT_NOT_FOUND' });
    expect(walk.view).toEqual({ revision: 2, totalOre: 160000, payments: 1, paidOn: osloToday() });
  }, 60_000);
});
