import { execFile } from 'node:child_process';
import { accessSync, constants, existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, delimiter, dirname, join } from 'node:path';
import { promisify } from 'node:util';
import { chromium, type Browser, type Page } from 'playwright-core';

/**
 * The Chromium the browser tests drive through playwright-core (docs/operations/browser.md):
 *
 * - `CHROMIUM_PATH=/path/to/binary`: that binary, nothing else;
 * - `CHROMIUM_PATH=system`: a `chromium` on PATH (Debian's package: /usr/bin/chromium), nothing else;
 * - `CHROMIUM_PATH=npm`: the Chromium shipped in the npm package @sparticuz/chromium;
 * - unset: a `chromium` on PATH when there is one (it starts without unpacking), else the npm one.
 *
 * The npm browser is unpacked once into node_modules/.cache/familievedtak-chromium/<version>/
 * (or CHROMIUM_CACHE_DIR/<version>/).
 *
 * Browser tests are never skipped: `npm install` brings the npm browser, so they need no apt step.
 * Each launch writes one line saying which browser it is.
 *
 * Screenshots (saveScreenshot, screenshot) go to <os.tmpdir()>/familievedtak-screenshots, so a test
 * run leaves the repository as it was; `UPDATE_SCREENSHOTS=1` writes them over the documentation's
 * pictures in docs/screenshots instead (then commit them).
 */
export type ChromiumSource = 'CHROMIUM_PATH' | 'system' | 'npm';

export interface ChromiumChoice {
  source: ChromiumSource;
  executablePath: string;
  /** Environment for the browser process (the npm browser's own libraries and fonts). */
  env: Record<string, string>;
  /** For the log line: where it came from and, for the npm one, how long unpacking took. */
  note: string;
}

const ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--font-render-hinting=none',
];

let choice: Promise<ChromiumChoice> | undefined;

/** Which Chromium to launch (resolved once per test file; the npm browser is unpacked once per install). */
export function chooseChromium(env: NodeJS.ProcessEnv = process.env): Promise<ChromiumChoice> {
  if (env !== process.env) return resolveChromium(env);
  choice ??= resolveChromium(env);
  return choice;
}

export async function launchChromium(): Promise<Browser> {
  const chosen = await chooseChromium();
  const browser = await chromium.launch({ executablePath: chosen.executablePath, args: ARGS, headless: true, env: chosen.env });
  process.stderr.write(`[test] Chromium ${browser.version()} for browser tests: ${chosen.note}\n`);
  return browser;
}

async function resolveChromium(env: NodeJS.ProcessEnv): Promise<ChromiumChoice> {
  const wanted = env.CHROMIUM_PATH?.trim() ?? '';
  if (wanted === 'npm') return npmChromium('npm (CHROMIUM_PATH=npm)', env);
  const system = wanted === 'system' || wanted === '' ? findOnPath('chromium', env.PATH ?? '') : undefined;
  if (wanted === 'system') {
    if (!system) {
      throw new Error('CHROMIUM_PATH=system, but no executable `chromium` on PATH. Unset CHROMIUM_PATH to use the npm browser (@sparticuz/chromium).');
    }
    return { source: 'system', executablePath: system, env: inherited(), note: `system ${system} (CHROMIUM_PATH=system)` };
  }
  if (wanted !== '') {
    if (!isExecutable(wanted)) {
      throw new Error(
        `CHROMIUM_PATH=${wanted} is not an executable file. Unset it to use a system chromium or the npm browser (@sparticuz/chromium), ` +
          'or set CHROMIUM_PATH=npm.',
      );
    }
    return { source: 'CHROMIUM_PATH', executablePath: wanted, env: inherited(), note: `${wanted} (CHROMIUM_PATH)` };
  }
  if (system) return { source: 'system', executablePath: system, env: inherited(), note: `system ${system} (found on PATH)` };
  return npmChromium('npm (no chromium on PATH)', env);
}

function inherited(): Record<string, string> {
  return Object.fromEntries(Object.entries(process.env).filter((entry): entry is [string, string] => entry[1] !== undefined));
}

function isExecutable(file: string): boolean {
  try {
    accessSync(file, constants.X_OK);
    return statSync(file).isFile();
  } catch {
    return false;
  }
}

/** The first executable `name` in the directories of `path` (like `command -v`). */
export function findOnPath(name: string, path: string): string | undefined {
  for (const dir of path.split(delimiter)) {
    if (dir === '') continue;
    const file = join(dir, name);
    if (isExecutable(file)) return file;
  }
  return undefined;
}

// ---------------------------------------------------------------------------------------------
// The npm browser: @sparticuz/chromium ships Chromium (headless shell) brotli-compressed, with the
// libraries it needs beyond glibc (NSS, NSPR, expat; built for Amazon Linux 2023, fine on Debian 12).
// Its executablePath() unpacks into os.tmpdir() (/tmp/chromium, /tmp/al2023, /tmp/fonts and the
// SwiftShader libraries loose in /tmp), with no lock: a second process seeing /tmp/chromium while the
// first is still writing it gets a half-written binary. So it runs here in a child process whose
// TMPDIR is a private staging directory, under a lock, and the finished directory is renamed into
// node_modules/.cache/familievedtak-chromium/<version>/ with a marker file: later launches (other
// workers, other runs) find the marker and unpack nothing.
// ---------------------------------------------------------------------------------------------

const LOCK_STALE_MS = 10 * 60_000;
const WAIT_LIMIT_MS = 5 * 60_000;

interface NpmPackage {
  version: string;
  entry: string;
  cacheRoot: string;
}

function npmPackage(env: NodeJS.ProcessEnv): NpmPackage {
  let entry: string;
  try {
    entry = require.resolve('@sparticuz/chromium');
  } catch {
    throw new Error('No chromium on PATH and @sparticuz/chromium is not installed: run npm install (a devDependency), or set CHROMIUM_PATH.');
  }
  const root = join(dirname(entry), '..', '..'); // node_modules/@sparticuz/chromium/build/cjs/index.cjs
  const { version } = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { version: string };
  const cacheRoot = env.CHROMIUM_CACHE_DIR?.trim() || join(root, '..', '..', '.cache', 'familievedtak-chromium');
  return { version, entry, cacheRoot };
}

async function npmChromium(why: string, processEnv: NodeJS.ProcessEnv): Promise<ChromiumChoice> {
  if (process.platform !== 'linux' || process.arch !== 'x64') {
    throw new Error(
      `No chromium on PATH, and the npm browser (@sparticuz/chromium) is a Linux x64 binary (this is ${process.platform} ${process.arch}). ` +
        'Install Chromium or Chrome and set CHROMIUM_PATH to it.',
    );
  }
  const pkg = npmPackage(processEnv);
  const dir = join(pkg.cacheRoot, pkg.version);
  const started = Date.now();
  const how = await ensureUnpacked(pkg, dir);
  const libs = join(dir, 'al2023', 'lib');
  const env = inherited();
  env.LD_LIBRARY_PATH = env.LD_LIBRARY_PATH ? `${libs}:${env.LD_LIBRARY_PATH}` : libs;
  env.FONTCONFIG_FILE = writeFontsConf(dir);
  const seconds = `${((Date.now() - started) / 1000).toFixed(1)} s`;
  const state = how === 'unpacked' ? `unpacked in ${seconds}` : how === 'waited' ? `unpacked by another process, waited ${seconds}` : 'already unpacked';
  return { source: 'npm', executablePath: join(dir, 'chromium'), env, note: `${why}: @sparticuz/chromium ${pkg.version} at ${dir} (${state})` };
}

const MARKER = 'unpacked.json';

/** Unpacks the npm browser into `dir` unless it is there (or waits while another process does). */
async function ensureUnpacked(pkg: NpmPackage, dir: string): Promise<'present' | 'unpacked' | 'waited'> {
  if (existsSync(join(dir, MARKER))) return 'present';
  mkdirSync(pkg.cacheRoot, { recursive: true });
  const lock = `${dir}.lock`;
  const deadline = Date.now() + WAIT_LIMIT_MS;
  for (;;) {
    if (takeLock(lock)) {
      try {
        if (existsSync(join(dir, MARKER))) return 'waited'; // another process finished just before
        await unpack(pkg, dir);
        return 'unpacked';
      } finally {
        rmSync(lock, { recursive: true, force: true });
      }
    }
    if (Date.now() > deadline) {
      throw new Error(`Waited ${WAIT_LIMIT_MS / 1000} s for another process to unpack @sparticuz/chromium (lock ${lock}).`);
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
    if (existsSync(join(dir, MARKER))) return 'waited';
  }
}

/** mkdir is atomic: whoever creates the lock directory unpacks. A lock whose owner is gone is taken over. */
function takeLock(lock: string): boolean {
  try {
    mkdirSync(lock);
    writeFileSync(join(lock, 'pid'), String(process.pid));
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
  }
  if (lockIsStale(lock)) rmSync(lock, { recursive: true, force: true });
  return false;
}

function lockIsStale(lock: string): boolean {
  try {
    if (Date.now() - statSync(lock).mtimeMs > LOCK_STALE_MS) return true;
    const pid = Number(readFileSync(join(lock, 'pid'), 'utf8'));
    if (!Number.isInteger(pid) || pid <= 0) return false; // being written right now
    return !isAlive(pid); // its owner died mid-unpack
  } catch {
    return false; // released, or its pid file not written yet: wait
  }
}

async function unpack(pkg: NpmPackage, dir: string): Promise<void> {
  const staging = `${dir}.partial-${process.pid}`;
  removeDeadPartials(dir);
  rmSync(staging, { recursive: true, force: true });
  mkdirSync(staging, { recursive: true });
  try {
    // AWS_LAMBDA_JS_RUNTIME makes the package unpack its NSS/NSPR/expat libraries too (al2023/lib),
    // so a machine without Debian's libnss3 needs no apt step. Only this short-lived child sees it.
    const script = `const c = require(${JSON.stringify(pkg.entry)}); (c.default ?? c).executablePath().then((p) => process.stdout.write(p));`;
    const { stdout } = await promisify(execFile)(process.execPath, ['-e', script], {
      env: { ...process.env, TMPDIR: staging, AWS_LAMBDA_JS_RUNTIME: 'nodejs20.x' },
      timeout: WAIT_LIMIT_MS,
    });
    for (const file of ['chromium', join('al2023', 'lib', 'libnss3.so')]) {
      if (!existsSync(join(staging, file))) throw new Error(`@sparticuz/chromium ${pkg.version} unpacked no ${file} (it said ${stdout}).`);
    }
    const marker = { package: '@sparticuz/chromium', version: pkg.version, unpackedAt: new Date().toISOString() };
    writeFileSync(join(staging, MARKER), `${JSON.stringify(marker)}\n`);
    if (existsSync(join(dir, MARKER))) {
      rmSync(staging, { recursive: true, force: true }); // someone took over a lock they thought stale and finished first
      return;
    }
    rmSync(dir, { recursive: true, force: true }); // an unfinished copy (no marker), e.g. one moved there by hand
    renameSync(staging, dir);
  } catch (error) {
    rmSync(staging, { recursive: true, force: true });
    if (existsSync(join(dir, MARKER))) return; // another process put a finished copy there first
    throw error;
  }
}

/** Staging directories of unpackers that died (killed test runs), about 200 MB each. */
function removeDeadPartials(dir: string): void {
  const prefix = `${basename(dir)}.partial-`;
  for (const name of readdirSync(dirname(dir))) {
    if (!name.startsWith(prefix)) continue;
    const pid = Number(name.slice(prefix.length));
    if (Number.isInteger(pid) && pid > 0 && pid !== process.pid && isAlive(pid)) continue;
    rmSync(join(dirname(dir), name), { recursive: true, force: true });
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** fonts.conf as this file says now (so a change here needs no new unpack), written atomically. */
function writeFontsConf(dir: string): string {
  const file = join(dir, 'fonts.conf');
  const text = fontsConf(dir);
  if (existsSync(file) && readFileSync(file, 'utf8') === text) return file;
  const partial = `${file}.${process.pid}`;
  writeFileSync(partial, text);
  renameSync(partial, file);
  return file;
}

/**
 * Fonts for the npm browser: DejaVu from the `dejavu-fonts-ttf` npm package (the letters' PDF font),
 * and nothing from the machine, so pages and screenshots look the same on every machine and need no
 * font package. Like Debian's fontconfig (49-sansserif.conf, 60-latin.conf): a family that is not
 * there falls back to sans-serif, and the generic families are DejaVu Sans, Serif and Sans Mono.
 * DejaVu Math TeX Gyre is left out: fontconfig would otherwise pick it for system-ui and unknown names.
 */
function fontsConf(dir: string): string {
  const dejavu = join(dirname(require.resolve('dejavu-fonts-ttf/package.json')), 'ttf');
  return `<?xml version="1.0"?>
<!DOCTYPE fontconfig SYSTEM "urn:fontconfig:fonts.dtd">
<!-- Written by test/browser/chromium.ts for the npm Chromium (FONTCONFIG_FILE). -->
<fontconfig>
  <dir>${dejavu}</dir>
  <cachedir>${join(dir, 'fontconfig-cache')}</cachedir>
  <selectfont><rejectfont><glob>*/DejaVuMathTeXGyre.ttf</glob></rejectfont></selectfont>
  <match target="pattern">
    <test qual="all" name="family" compare="not_eq"><string>sans-serif</string></test>
    <test qual="all" name="family" compare="not_eq"><string>serif</string></test>
    <test qual="all" name="family" compare="not_eq"><string>monospace</string></test>
    <edit name="family" mode="append_last"><string>sans-serif</string></edit>
  </match>
  <alias><family>serif</family><prefer><family>DejaVu Serif</family></prefer></alias>
  <alias><family>sans-serif</family><prefer><family>DejaVu Sans</family></prefer></alias>
  <alias><family>monospace</family><prefer><family>DejaVu Sans Mono</family></prefer></alias>
</fontconfig>
`;
}

/** The documentation's pictures (linked from the README). */
export const DOCS_SCREENSHOTS = join(__dirname, '..', '..', 'docs', 'screenshots');

/** Where screenshots go: docs/screenshots with UPDATE_SCREENSHOTS=1, else a folder under the OS temp directory. */
export function screenshotsDir(env: NodeJS.ProcessEnv = process.env): string {
  const update = env.UPDATE_SCREENSHOTS?.trim() ?? '';
  if (update === '1') return DOCS_SCREENSHOTS;
  // A misspelt "true" would otherwise leave docs/screenshots unchanged without a word.
  if (update !== '' && update !== '0') throw new Error(`UPDATE_SCREENSHOTS must be 1 (write docs/screenshots) or unset, not "${update}"`);
  return join(tmpdir(), 'familievedtak-screenshots');
}

/**
 * Writes a PNG into screenshotsDir() and returns its path. Atomically (a file per process, then a
 * rename): another jest run writing the same picture into the shared temp folder never leaves a
 * half-written file for this one to read.
 */
export function saveScreenshot(file: string, png: Buffer): string {
  const path = join(screenshotsDir(), file);
  mkdirSync(dirname(path), { recursive: true });
  const partial = `${path}.${process.pid}.partial`;
  writeFileSync(partial, png);
  renameSync(partial, path);
  return path;
}

/** Errors the page raised, and every request it made (a self-contained page makes none but itself). */
export function watch(page: Page): { errors: string[]; requests: string[] } {
  const seen = { errors: [] as string[], requests: [] as string[] };
  page.on('pageerror', (error) => seen.errors.push(`pageerror: ${error.message}`));
  page.on('console', (message) => {
    if (message.type() === 'error') seen.errors.push(`console: ${message.text()}`);
  });
  page.on('request', (request) => seen.requests.push(request.url()));
  return seen;
}

/** The whole page as a PNG, saved with saveScreenshot. */
export async function screenshot(page: Page, file: string): Promise<string> {
  return saveScreenshot(file, await page.screenshot({ fullPage: true, animations: 'disabled' }));
}
