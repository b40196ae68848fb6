import { ACTOR_ENV, operatorOf, PURPOSE_ENV } from '../../apps/cli/src/read-audit/cli-read-audit';
import { ago } from '../../apps/cli/src/projections/projections.command';
import { formatSummary, formatTable, useColor } from '../../apps/cli/src/table';

describe('CLI tables', () => {
  const rows = [
    { projection: 'family-view', checkpoint: '1042', lag: 0, 'last update': '2026-12-06T01:00:00.000Z' },
    { projection: 'stream-catalogue', checkpoint: '7', lag: null, 'last update': 'never' },
  ];

  it('aligns columns: text left, numbers right, a rule under the header, no trailing blanks, no escape codes', () => {
    expect(formatTable(rows).split('\n')).toEqual([
      'projection        checkpoint  lag  last update',
      '----------------  ----------  ---  ------------------------',
      'family-view             1042    0  2026-12-06T01:00:00.000Z',
      'stream-catalogue           7    -  never',
    ]);
  });

  it('counts characters, not bytes (æøå line up), and keeps a given column order', () => {
    const text = formatTable(
      [
        { navn: 'Ødegård', beløp: '9000.00' },
        { navn: 'Li', beløp: '12.50' },
      ],
      { columns: ['beløp', 'navn'] },
    );
    expect(text.split('\n')).toEqual(['  beløp  navn', '-------  -------', '9000.00  Ødegård', '  12.50  Li']);
  });

  it('bold header and dim rule only when asked (a terminal without NO_COLOR)', () => {
    expect(formatTable(rows, { color: true })).toContain('\u001b[1mprojection');
    expect(useColor({ isTTY: false }, {})).toBe(false);
    expect(useColor({ isTTY: true }, {})).toBe(true);
    expect(useColor({ isTTY: true }, { NO_COLOR: '1' })).toBe(false);
  });

  it('a summary: one aligned label/value line per entry', () => {
    expect(formatSummary({ verdict: 'all verified', streams: 4, 'events/s': 13000 }).split('\n')).toEqual([
      'verdict   all verified',
      'streams   4',
      'events/s  13000',
    ]);
  });

  it('ages of a checkpoint', () => {
    const now = new Date('2026-12-06T12:00:00Z');
    expect(ago(null, now)).toBe('never');
    expect(ago(new Date('2026-12-06T11:59:30Z'), now)).toBe('30 s ago');
    expect(ago(new Date('2026-12-06T11:00:00Z'), now)).toBe('60 min ago');
    expect(ago(new Date('2026-12-01T12:00:00Z'), now)).toBe('5 d ago');
  });
});

describe('the CLI operator (read audit)', () => {
  it('--actor, else FAMILIEVEDTAK_ACTOR; required; purpose from --purpose, else FAMILIEVEDTAK_PURPOSE, else audit', () => {
    expect(operatorOf({ actor: 'eva-audit' }, {})).toEqual({ userId: 'eva-audit', purpose: 'audit' });
    expect(operatorOf({}, { [ACTOR_ENV]: 'eva-audit', [PURPOSE_ENV]: 'tilsyn 2026-17' })).toEqual({ userId: 'eva-audit', purpose: 'tilsyn 2026-17' });
    expect(operatorOf({ actor: 'ola', purpose: 'innsyn' }, { [ACTOR_ENV]: 'eva-audit', [PURPOSE_ENV]: 'x' })).toEqual({ userId: 'ola', purpose: 'innsyn' });
    expect(operatorOf({}, {})).toMatch(/--actor <userId> or FAMILIEVEDTAK_ACTOR/);
    expect(operatorOf({ actor: '  ' }, {})).toMatch(/--actor/);
    expect(operatorOf({ actor: 'eva audit' }, {})).toMatch(/without spaces/);
  });
});
