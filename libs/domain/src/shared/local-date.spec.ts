import { addDays, ageOn, compareDates, daysBetween, isLocalDate, localDateOf, parseLocalDate, parsePeriod } from './local-date';
import { InvalidDate, InvalidPeriod } from './domain-error';

describe('LocalDate', () => {
  it('accepts real calendar dates only', () => {
    expect(isLocalDate('2024-02-29')).toBe(true);
    expect(isLocalDate('2023-02-29')).toBe(false);
    expect(isLocalDate('2024-13-01')).toBe(false);
    expect(isLocalDate('2024-1-05')).toBe(false);
    expect(isLocalDate('2024-01-05T00:00:00Z')).toBe(false);
    expect(isLocalDate(20240105)).toBe(false);
  });

  it('names the field when parsing fails', () => {
    expect(() => parseLocalDate('2024-02-30', 'periodFrom')).toThrow(InvalidDate);
    expect(() => parseLocalDate('2024-02-30', 'periodFrom')).toThrow(/periodFrom/);
  });

  it('takes the Norwegian date of an instant', () => {
    expect(localDateOf(new Date('2024-02-29T23:30:00Z'))).toBe('2024-03-01'); // 00:30 in Oslo (CET)
    expect(localDateOf(new Date('2024-07-31T21:59:00Z'))).toBe('2024-07-31'); // 23:59 in Oslo (CEST)
    expect(localDateOf(new Date('2024-07-31T22:00:00Z'))).toBe('2024-08-01');
  });

  it('adds days across months, leap days and years', () => {
    expect(addDays('2024-02-08', 21)).toBe('2024-02-29');
    expect(addDays('2024-12-20', 21)).toBe('2025-01-10');
    expect(addDays('2024-03-01', -1)).toBe('2024-02-29');
    expect(daysBetween('2024-02-01', '2024-03-01')).toBe(29);
    expect(compareDates('2024-02-01', '2024-01-31')).toBeGreaterThan(0);
    expect(compareDates('2024-02-01', '2024-02-01')).toBe(0);
  });

  it('counts completed years of age', () => {
    expect(ageOn('2006-03-15', '2024-03-14')).toBe(17);
    expect(ageOn('2006-03-15', '2024-03-15')).toBe(18);
    expect(ageOn('2008-02-29', '2026-02-28')).toBe(17);
    expect(ageOn('2008-02-29', '2026-03-01')).toBe(18);
  });

  it('refuses a period that ends before it starts, allows a one-day period', () => {
    expect(parsePeriod('2024-03-01', '2024-03-01', { from: 'from', until: 'until' })).toEqual({ from: '2024-03-01', until: '2024-03-01' });
    expect(() => parsePeriod('2024-03-02', '2024-03-01', { from: 'from', until: 'until' })).toThrow(InvalidPeriod);
  });

  it('gives the same date as formatting each instant, minute by minute across both DST changes and midnights (remembered per quarter hour)', () => {
    const format = new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Oslo', year: 'numeric', month: '2-digit', day: '2-digit' });
    for (const start of ['2026-03-28T21:00:00Z', '2026-10-24T21:00:00Z']) {
      for (let minute = 0; minute < 36 * 60; minute += 7) {
        const instant = new Date(Date.parse(start) + minute * 60_000 + 13_000);
        expect(localDateOf(instant)).toBe(format.format(instant));
      }
    }
    expect(localDateOf(new Date('2026-11-27T10:00:00Z'), 'Asia/Kathmandu')).toBe('2026-11-27'); // +05:45
    expect(localDateOf(new Date('2026-11-27T18:14:59Z'), 'Asia/Kathmandu')).toBe('2026-11-27');
    expect(localDateOf(new Date('2026-11-27T18:15:00Z'), 'Asia/Kathmandu')).toBe('2026-11-28');
  });
});
