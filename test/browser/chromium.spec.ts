import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { chooseChromium, DOCS_SCREENSHOTS, findOnPath, screenshotsDir } from './chromium';

/**
 * Which Chromium the browser tests use (docs/operations/browser.md), without launching one: fake
 * executables stand in for a system chromium, and a prepared cache directory for an unpacked npm one.
 */
describe('choosing the Chromium for browser tests', () => {
  let dir: string;
  let withChromium: string;
  let empty: string;
  const packageJson = join(dirname(require.resolve('@sparticuz/chromium')), '..', '..', 'package.json');
  const { version } = JSON.parse(readFileSync(packageJson, 'utf8')) as { version: string };

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'chromium-choice-'));
    withChromium = join(dir, 'bin');
    empty = join(dir, 'empty');
    mkdirSync(withChromium);
    mkdirSync(empty);
    writeFileSync(join(withChromium, 'chromium'), '#!/bin/sh\nexit 0\n');
    chmodSync(join(withChromium, 'chromium'), 0o755);
    // An npm browser "already unpacked" in a private cache: the marker is all the lookup reads.
    mkdirSync(join(dir, 'cache', version), { recursive: true });
    writeFileSync(join(dir, 'cache', version, 'unpacked.json'), '{}\n');
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('prefers a chromium on PATH', async () => {
    const choice = await chooseChromium({ PATH: `${empty}:${withChromium}` });
    expect(choice).toMatchObject({ source: 'system', executablePath: join(withChromium, 'chromium') });
    expect(choice.note).toContain('found on PATH');
  });

  it('skips a chromium on PATH that is not executable', () => {
    const noExec = join(dir, 'noexec');
    mkdirSync(noExec);
    writeFileSync(join(noExec, 'chromium'), '');
    chmodSync(join(noExec, 'chromium'), 0o644);
    expect(findOnPath('chromium', `${noExec}:${withChromium}`)).toBe(join(withChromium, 'chromium'));
  });

  it('uses the npm browser when no chromium is on PATH, with its own libraries and fonts', async () => {
    const choice = await chooseChromium({ PATH: empty, CHROMIUM_CACHE_DIR: join(dir, 'cache') });
    expect(choice).toMatchObject({ source: 'npm', executablePath: join(dir, 'cache', version, 'chromium') });
    expect(choice.note).toBe(`npm (no chromium on PATH): @sparticuz/chromium ${version} at ${join(dir, 'cache', version)} (already unpacked)`);
    expect(choice.env.LD_LIBRARY_PATH?.split(':')[0]).toBe(join(dir, 'cache', version, 'al2023', 'lib'));
    expect(choice.env.FONTCONFIG_FILE).toBe(join(dir, 'cache', version, 'fonts.conf'));
    expect(readFileSync(join(dir, 'cache', version, 'fonts.conf'), 'utf8')).toContain(join('dejavu-fonts-ttf', 'ttf'));
  });

  it('CHROMIUM_PATH=npm uses the npm browser even with a chromium on PATH', async () => {
    const choice = await chooseChromium({ PATH: withChromium, CHROMIUM_PATH: 'npm', CHROMIUM_CACHE_DIR: join(dir, 'cache') });
    expect(choice.source).toBe('npm');
    expect(choice.note).toMatch(/^npm \(CHROMIUM_PATH=npm\)/);
  });

  it('CHROMIUM_PATH=system uses the chromium on PATH, and fails without one instead of falling back', async () => {
    const choice = await chooseChromium({ PATH: withChromium, CHROMIUM_PATH: 'system' });
    expect(choice).toMatchObject({ source: 'system', executablePath: join(withChromium, 'chromium') });
    await expect(chooseChromium({ PATH: empty, CHROMIUM_PATH: 'system' })).rejects.toThrow('no executable `chromium` on PATH');
  });

  it('CHROMIUM_PATH=<file> uses that file, and fails when it is not an executable', async () => {
    const file = join(withChromium, 'chromium');
    expect(await chooseChromium({ PATH: empty, CHROMIUM_PATH: file })).toMatchObject({ source: 'CHROMIUM_PATH', executablePath: file });
    const missing = join(dir, 'missing');
    await expect(chooseChromium({ PATH: withChromium, CHROMIUM_PATH: missing })).rejects.toThrow(`CHROMIUM_PATH=${missing} is not an executable file`);
  });
});

describe('where the browser tests write their screenshots', () => {
  it('a temporary folder unless UPDATE_SCREENSHOTS=1 asks for docs/screenshots; any other value is refused', () => {
    expect(screenshotsDir({})).toBe(join(tmpdir(), 'familievedtak-screenshots'));
    expect(screenshotsDir({ UPDATE_SCREENSHOTS: '0' })).toBe(join(tmpdir(), 'familievedtak-screenshots'));
    expect(screenshotsDir({ UPDATE_SCREENSHOTS: '1' })).toBe(DOCS_SCREENSHOTS);
    expect(DOCS_SCREENSHOTS).toBe(join(__dirname, '..', '..', 'docs', 'screenshots'));
    expect(() => screenshotsDir({ UPDATE_SCREENSHOTS: 'true' })).toThrow('UPDATE_SCREENSHOTS must be 1 (write docs/screenshots) or unset, not "true"');
  });
});
