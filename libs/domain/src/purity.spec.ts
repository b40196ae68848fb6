import { readdirSync, readFileSync } from 'node:fs';
import { join, relative, sep } from 'node:path';

/** The domain stays pure: no framework, database, event-store or other package imports. */
describe('libs/domain imports', () => {
  const files = (dir: string): string[] =>
    readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
      entry.isDirectory() ? files(join(dir, entry.name)) : entry.name.endsWith('.ts') ? [join(dir, entry.name)] : [],
    );
  // Test support (any `testing/` folder: fixtures, generators with fast-check) is not production code.
  const production = files(__dirname).filter((f) => !f.endsWith('.spec.ts') && !relative(__dirname, f).split(sep).includes('testing'));

  it.each(production.map((f) => [relative(__dirname, f), f]))('%s imports only domain modules', (_name, file) => {
    const specifiers = [...readFileSync(file, 'utf8').matchAll(/from '([^']+)'/g)].map((m) => m[1]);
    expect(specifiers.filter((s) => !s.startsWith('./') && !s.startsWith('../'))).toEqual([]);
  });
});
