import fc from 'fast-check';
import { addDays, daysBetween } from './local-date';
import { appealDeadline, easterSunday, isPublicHoliday, isWorkingDay, nextWorkingDay, publicHolidays, weekday } from './norwegian-calendar';

/** Seedable: FC_SEED=<n> (and FC_PATH) replay a failure; FC_RUNS overrides the run count. */
const params = (numRuns: number): fc.Parameters<unknown> => ({
  numRuns: Number(process.env.FC_RUNS ?? numRuns),
  ...(process.env.FC_SEED ? { seed: Number(process.env.FC_SEED), path: process.env.FC_PATH } : {}),
});

const dateIn = (fromYear: number, toYear: number) =>
  fc.integer({ min: 0, max: daysBetween(`${fromYear}-01-01`, `${toYear}-12-31`) }).map((offset) => addDays(`${fromYear}-01-01`, offset));

describe('helligdagsloven § 2: Easter and the holidays that move with it', () => {
  // Published Norwegian calendars (design doc, section 3.3).
  it.each([
    [2023, '2023-04-09', '2023-04-06', '2023-05-18', '2023-05-28', '2023-05-29'],
    [2024, '2024-03-31', '2024-03-28', '2024-05-09', '2024-05-19', '2024-05-20'],
    [2025, '2025-04-20', '2025-04-17', '2025-05-29', '2025-06-08', '2025-06-09'],
    [2026, '2026-04-05', '2026-04-02', '2026-05-14', '2026-05-24', '2026-05-25'],
    [2027, '2027-03-28', '2027-03-25', '2027-05-06', '2027-05-16', '2027-05-17'],
    [2028, '2028-04-16', '2028-04-13', '2028-05-25', '2028-06-04', '2028-06-05'],
    [2029, '2029-04-01', '2029-03-29', '2029-05-10', '2029-05-20', '2029-05-21'],
    [2030, '2030-04-21', '2030-04-18', '2030-05-30', '2030-06-09', '2030-06-10'],
  ])('%i: Easter Sunday %s, Maundy Thursday %s, Ascension %s, Whit Sunday %s, Whit Monday %s', (year, easter, maundy, ascension, whitSunday, whitMonday) => {
    expect(easterSunday(year)).toBe(easter);
    const byName = Object.fromEntries(publicHolidays(year).map((h) => [h.name, h.date]));
    expect(byName).toMatchObject({
      skjærtorsdag: maundy,
      langfredag: addDays(easter, -2),
      'første påskedag': easter,
      'annen påskedag': addDays(easter, 1),
      'Kristi himmelfartsdag': ascension,
      'første pinsedag': whitSunday,
      'annen pinsedag': whitMonday,
    });
  });

  it('knows the extremes: 1818 and 2285 on 22 March, 2038 on 25 April', () => {
    expect([easterSunday(1818), easterSunday(2285), easterSunday(2038)]).toEqual(['1818-03-22', '2285-03-22', '2038-04-25']);
  });

  it('lov om 1. og 17. mai § 1 and helligdagsloven § 2 b, j, k: fixed holidays; 24 and 31 December and Easter Saturday are ordinary days', () => {
    for (const date of ['2026-01-01', '2026-05-01', '2026-05-17', '2026-12-25', '2026-12-26']) expect(isPublicHoliday(date)).toBe(true);
    for (const date of ['2026-12-24', '2026-12-31', '2026-04-04']) expect(isPublicHoliday(date)).toBe(false);
    expect(isWorkingDay('2026-12-24')).toBe(true); // a Thursday
  });

  it('years 1900-2400: Easter is a Sunday between 22 March and 25 April; twelve holidays, all in the year', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1900, max: 2400 }), (year) => {
        const easter = easterSunday(year);
        expect(weekday(easter)).toBe(0);
        expect(easter >= `${year}-03-22` && easter <= `${year}-04-25`).toBe(true);
        const holidays = publicHolidays(year);
        expect(holidays).toHaveLength(12);
        for (const h of holidays) expect(h.date.slice(0, 4)).toBe(String(year));
      }),
      params(300),
    );
  });
});

describe('fvl § 29 + domstolloven §§ 148-149 by analogy: the appeal deadline', () => {
  it.each([
    ['2026-03-12', 3, '2026-04-07', 'raw 2 April is Maundy Thursday; Good Friday, Easter Saturday, Sunday and Monday follow'],
    ['2023-12-05', 3, '2023-12-27', 'raw 26 December is a holiday'],
    ['2024-04-26', 3, '2024-05-21', 'raw 17 May, then Saturday, Whit Sunday and Whit Monday'],
    ['2025-05-01', 4, '2025-05-30', 'pbrl § 7-5: four weeks; raw 29 May is Ascension Day'],
    ['2027-03-04', 3, '2027-03-30', 'raw 25 March is Maundy Thursday'],
    ['2026-03-05', 3, '2026-03-26', 'a working day: no shift'],
  ])('received %s, %i weeks → %s (%s)', (received, weeks, deadline) => {
    expect(appealDeadline(received, weeks)).toBe(deadline);
  });

  it('never shorter than the law, never on a weekend or holiday, the shift only over non-working days (receipt 1950-2150, 3 or 4 weeks)', () => {
    fc.assert(
      fc.property(dateIn(1950, 2150), fc.constantFrom(3, 4), (received, weeks) => {
        const raw = addDays(received, 7 * weeks);
        const deadline = appealDeadline(received, weeks);
        expect(deadline >= raw).toBe(true);
        expect(isWorkingDay(deadline)).toBe(true);
        const shift = daysBetween(raw, deadline);
        expect(shift).toBeLessThanOrEqual(5);
        for (let i = 0; i < shift; i++) expect(isWorkingDay(addDays(raw, i))).toBe(false);
      }),
      params(2000),
    );
  });

  it('nextWorkingDay is idempotent, and the deadline never moves earlier for a later receipt', () => {
    fc.assert(
      fc.property(dateIn(1900, 2400), fc.integer({ min: 0, max: 40 }), fc.constantFrom(3, 4), (received, later, weeks) => {
        const next = nextWorkingDay(received);
        expect(nextWorkingDay(next)).toBe(next);
        expect(appealDeadline(addDays(received, later), weeks) >= appealDeadline(received, weeks)).toBe(true);
      }),
      params(1000),
    );
  });

  it('refuses a deadline of no weeks', () => {
    expect(() => appealDeadline('2026-03-12', 0)).toThrow(RangeError);
  });
});
