import { chmodSync, statSync } from 'node:fs';
import { dirname } from 'node:path';

/**
 * As root, PostgreSQL runs as the `postgres` user, who must be able to reach the binaries
 * under node_modules. A checkout in a private folder (mktemp -d makes it 0700) stops that
 * user at the first closed directory, and initdb fails with EACCES. This grants search
 * permission (o+x: pass through, not list or read) on every directory from `path` up to /
 * that lacks it, and returns the directories it opened.
 */
export function letOthersReach(path: string): string[] {
  const opened: string[] = [];
  for (let dir = path; ; dir = dirname(dir)) {
    const mode = statSync(dir).mode;
    if ((mode & 0o001) === 0) {
      chmodSync(dir, (mode & 0o7777) | 0o001);
      opened.push(dir);
    }
    if (dirname(dir) === dir) return opened;
  }
}

/** The folder holding this checkout's node_modules, whose binaries the server runs. */
export function nodeModulesDir(): string {
  return dirname(dirname(require.resolve('pg/package.json')));
}
