import { DECISION_TYPES, UNITS } from '@familievedtak/domain';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { templateFor, templateVersions } from './templates';

/** The template files as they are on disk: every key in every language, the same placeholders in each. */
const ROOT = join(__dirname, '..', 'templates');

function keys(value: unknown, prefix = ''): string[] {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return [prefix];
  return Object.entries(value).flatMap(([k, v]) => keys(v, prefix ? `${prefix}.${k}` : k));
}
function leaf(value: unknown, path: string): unknown {
  return path.split('.').reduce((v: unknown, k) => (v as Record<string, unknown>)[k], value);
}
const placeholders = (text: unknown) => (typeof text === 'string' ? (text.match(/\{\w+\}/g) ?? []).sort() : []);

describe('letter templates (versioned files)', () => {
  const versions = readdirSync(ROOT);

  it('every version on disk is loaded, and v1 exists', () => {
    expect(versions.sort()).toEqual(templateVersions().sort());
    expect(versions).toContain('v1');
  });

  it.each(readdirSync(ROOT))('%s: nb, nn and en have exactly the same keys and the same placeholders per key', (version) => {
    const files = readdirSync(join(ROOT, version)).sort();
    expect(files).toEqual(['en.json', 'nb.json', 'nn.json']);
    const [en, nb, nn] = files.map((f) => JSON.parse(readFileSync(join(ROOT, version, f), 'utf8')) as unknown);
    expect(keys(nn)).toEqual(keys(nb));
    expect(keys(en)).toEqual(keys(nb));
    for (const key of keys(nb)) {
      for (const other of [nn, en]) {
        const text = leaf(other, key);
        expect((text as string | unknown[]).length).toBeGreaterThan(0);
        expect(placeholders(text)).toEqual(placeholders(leaf(nb, key)));
      }
    }
  });

  it.each(['nb', 'nn', 'en'] as const)('%s names every unit and every decision type of the catalogue, and twelve months', (language) => {
    const t = templateFor('v1', language);
    for (const unit of UNITS) expect(t.units[unit]).toEqual(expect.any(String));
    for (const type of DECISION_TYPES) expect(t.decisionTypes[type]).toEqual(expect.any(String));
    expect(t.months).toHaveLength(12);
  });
});
