import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

/** The installed command's name (package.json `bin`), in help and usage lines. */
export const PROGRAM_NAME = 'familievedtak';

/** The version in the package's package.json (found upwards from here: the sources and dist/ sit at different depths). */
export function packageVersion(from = __dirname): string {
  for (let dir = from; ; dir = dirname(dir)) {
    const file = join(dir, 'package.json');
    if (existsSync(file)) {
      const pkg = JSON.parse(readFileSync(file, 'utf8')) as { name?: string; version?: string };
      if (pkg.name === PROGRAM_NAME && pkg.version) return pkg.version;
    }
    if (dirname(dir) === dir) throw new Error(`no package.json of ${PROGRAM_NAME} above ${from}`);
  }
}
