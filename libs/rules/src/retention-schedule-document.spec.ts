import { RECORD_CATEGORIES, retentionEntryFor } from '@familievedtak/domain';
import {
  InvalidRetentionScheduleDocument,
  loadShippedRetentionSchedule,
  parseRetentionScheduleDocument,
  retentionScheduleFromDocument,
  SHIPPED_RETENTION_SCHEDULES,
} from './retention-schedule-document';

const errorsOf = (text: string) => {
  const parsed = parseRetentionScheduleDocument(text);
  if (parsed.valid) throw new Error('expected the document to be invalid');
  return parsed.errors.map((e) => e.message);
};

/** A minimal valid document: a catch-all entry per category. */
const entry = (category: string, extra = '') =>
  `  - id: ${category}\n    category: ${category}\n    anchor: ${anchorOf(category)}\n    action: keep\n    provision: P\n    description: { nb: N, en: E }\n${extra}`;
const anchorOf = (category: string) =>
  ({ payment: 'payment-year-end', consent: 'consent-ended', decision: 'decision-final', letter: 'decision-final', 'read-audit': 'read' })[category] ??
  'case-closed';
const header = `id: draft\nversion: 2\nname: Draft\neffectiveFrom: "2027-01-01"\nentries:\n`;
const minimal = header + RECORD_CATEGORIES.map((c) => entry(c)).join('');

describe('retention schedule documents', () => {
  it.each(SHIPPED_RETENTION_SCHEDULES)('the shipped document %s is valid and has an entry for every category', (name) => {
    const schedule = loadShippedRetentionSchedule(name);
    expect(schedule).toMatchObject({ id: name, version: 1, effectiveFrom: '2026-01-01' });
    for (const category of RECORD_CATEGORIES) expect(retentionEntryFor(schedule, category, [])).not.toBeNull();
  });

  it('the shipped schedule keeps decisions and letters (arkivlova § 12, GDPR art. 17(3)(b)) and the child-welfare service’s needs and case texts (riksarkivarens forskrift § 7-30)', () => {
    const schedule = loadShippedRetentionSchedule('trondheim-retention-2026');
    expect(retentionEntryFor(schedule, 'decision', ['NAV'])).toMatchObject({ action: 'keep', provision: expect.stringContaining('arkivlova § 12') });
    expect(retentionEntryFor(schedule, 'letter', ['HVK'])).toMatchObject({ action: 'keep' });
    expect(retentionEntryFor(schedule, 'need', ['NAV', 'BFT'])).toMatchObject({ id: 'need-child-welfare', action: 'keep' });
    expect(retentionEntryFor(schedule, 'case', ['BFT'])).toMatchObject({ id: 'case-child-welfare', action: 'keep' });
    expect(retentionEntryFor(schedule, 'need', ['NAV'])).toMatchObject({ id: 'need', action: 'erase', period: { years: 3, months: 0, days: 0 } });
  });

  it('the shipped schedule keeps payment documentation five years after the financial year as a duty (bokføringsloven § 13 andre ledd)', () => {
    const payment = retentionEntryFor(loadShippedRetentionSchedule('trondheim-retention-2026'), 'payment', []);
    expect(payment).toMatchObject({
      anchor: 'payment-year-end',
      period: { years: 5, months: 0, days: 0 },
      periodIsDuty: true,
      provision: expect.stringContaining('bokføringsloven § 13'),
    });
  });

  it('reads YAML and the same schedule as JSON, normalising units, periods and periodIsDuty', () => {
    const yaml = retentionScheduleFromDocument(minimal);
    expect(yaml.entries[0]).toEqual({
      id: 'identity',
      category: 'identity',
      units: null,
      anchor: 'case-closed',
      period: null,
      action: 'keep',
      periodIsDuty: false,
      provision: 'P',
      description: { nb: 'N', en: 'E' },
    });
    const json = parseRetentionScheduleDocument(JSON.stringify({ ...yaml, entries: yaml.entries.map(({ units: _u, period: _p, ...e }) => e) }));
    expect(json).toMatchObject({ valid: true, format: 'json', schedule: yaml });
  });

  it('gives schema problems with their line and column', () => {
    const text = minimal.replace('anchor: payment-year-end', 'anchor: payday').replace('    provision: P\n', '    provision: P\n    colour: red\n');
    expect(errorsOf(text)).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^line \d+, column 5: entries\[0\]\.colour: is not a known field$/),
        expect.stringMatching(/^line \d+, column 13: entries\[4\]\.anchor: must be one of case-closed, consent-ended, payment-year-end, decision-final, read$/),
      ]),
    );
  });

  it('gives the domain’s problems on the entry’s line: an anchor that does not fit, erase without a period, a dead entry', () => {
    const misfit = minimal.replace('  - id: need\n    category: need\n    anchor: case-closed', '  - id: need\n    category: need\n    anchor: read');
    expect(errorsOf(misfit)).toEqual(['line 14, column 13: entries[1].anchor: read does not apply to need records (one of case-closed)']);
    const noPeriod = minimal.replace(
      '  - id: need\n    category: need\n    anchor: case-closed\n    action: keep',
      '  - id: need\n    category: need\n    anchor: case-closed\n    action: erase',
    );
    expect(errorsOf(noPeriod)).toEqual([expect.stringContaining('entries[1].period: is required for erase')]);
    const dead = minimal + entry('need').replace('id: need', 'id: need-after');
    expect(errorsOf(dead)).toEqual([expect.stringContaining('entries[8]: can never apply')]);
  });

  it('refuses a schedule without a catch-all entry for a category (every record needs an entry)', () => {
    const scoped = minimal.replace('  - id: case\n    category: case\n', '  - id: case\n    category: case\n    units: [BFT]\n');
    expect(errorsOf(scoped)).toEqual(['line 6, column 3: entries: must end case with an entry for every unit (no units): every record needs an entry']);
  });

  it('throws INVALID_RETENTION_SCHEDULE_DOCUMENT naming the source, and reads an alias bomb as invalid', () => {
    expect(() => retentionScheduleFromDocument('id: [', 'x.yaml')).toThrow(InvalidRetentionScheduleDocument);
    const bomb =
      'a: &a [x, x, x, x, x, x, x, x, x]\n' +
      Array.from(
        { length: 9 },
        (_, i) =>
          `${String.fromCharCode(98 + i)}: &${String.fromCharCode(98 + i)} [${Array(9)
            .fill(`*${String.fromCharCode(97 + i)}`)
            .join(', ')}]`,
      ).join('\n');
    expect(parseRetentionScheduleDocument(bomb).valid).toBe(false);
  });
});
