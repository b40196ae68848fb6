#!/usr/bin/env node
'use strict';
/**
 * `npm run cli -- …` and `npm run token -- …` in a checkout: runs the built entry
 * (dist/apps/cli/src/<main|token>.js, what the `familievedtak` bin points at) and builds first
 * only when dist is missing or older than the sources (apps/, libs/, the tsconfigs). Plain
 * JavaScript, so it needs no build itself. Build output goes to stderr (stdout stays the
 * command's: `TOKEN=$(npm run -s token -- …)`); a failed build exits 1 and runs nothing.
 */
const { spawnSync } = require('node:child_process');
const { existsSync, readdirSync, statSync, utimesSync } = require('node:fs');
const { join } = require('node:path');

const root = join(__dirname, '..', '..');
const [entry, ...args] = process.argv.slice(2);
if (entry !== 'main' && entry !== 'token') {
  console.error('usage: node apps/cli/run-built.js main|token [arguments]');
  process.exit(2);
}
const built = join(root, 'dist', 'apps', 'cli', 'src', `${entry}.js`);
// tsc (incremental) rewrites its build info on every build that changed anything; touched below after ours.
const buildInfo = join(root, 'dist', '.tsbuildinfo');

/** Newest modification time (ms) of the TypeScript that goes into the build (specs and testing helpers do not). */
function newestSource() {
  let newest = 0;
  const visit = (dir) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      if (entry.name === 'node_modules' || entry.name === 'testing') continue;
      const path = join(dir, entry.name);
      if (entry.isDirectory()) visit(path);
      else if (entry.name.endsWith('.ts') && !entry.name.endsWith('.spec.ts')) newest = Math.max(newest, statSync(path).mtimeMs);
    }
  };
  for (const dir of ['apps', 'libs']) if (existsSync(join(root, dir))) visit(join(root, dir));
  for (const file of ['tsconfig.json', 'tsconfig.build.json']) if (existsSync(join(root, file))) newest = Math.max(newest, statSync(join(root, file)).mtimeMs);
  return newest;
}

function stale() {
  if (!existsSync(built) || !existsSync(buildInfo)) return 'dist is missing';
  return newestSource() > statSync(buildInfo).mtimeMs ? 'the sources changed since the last build' : null;
}

const why = stale();
if (why) {
  process.stderr.write(`familievedtak: building (${why}): npm run build\n`);
  const npm = process.env.npm_execpath;
  const started = Date.now();
  const result = npm
    ? spawnSync(process.execPath, [npm, 'run', '--silent', 'build'], { cwd: root, stdio: ['ignore', 2, 2] })
    : spawnSync('npm', ['run', '--silent', 'build'], { cwd: root, stdio: ['ignore', 2, 2], shell: process.platform === 'win32' });
  if (result.status !== 0) {
    process.stderr.write(`familievedtak: the build failed (exit ${result.status ?? result.signal}); nothing was run\n`);
    process.exit(1);
  }
  // Nothing to re-emit leaves the build info as it was: mark this build anyway, so the next run does not build again.
  const now = new Date();
  if (existsSync(buildInfo)) utimesSync(buildInfo, now, now);
  process.stderr.write(`familievedtak: built in ${((Date.now() - started) / 1000).toFixed(1)} s\n`);
}

const run = spawnSync(process.execPath, [built, ...args], { stdio: 'inherit' });
if (run.error) throw run.error;
process.exit(run.status ?? (run.signal ? 128 + (require('node:os').constants.signals[run.signal] ?? 0) : 1));
