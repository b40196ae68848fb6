import { addDays, type LocalDate } from './local-date';

/**
 * The Norwegian legal calendar: public holidays and working days, for appeal deadlines.
 *
 * Public holidays: helligdagsloven § 2 (Sundays, 1 January, Maundy Thursday, Good Friday,
 * Easter Sunday and Monday, Ascension Day, Whit Sunday and Monday, 25 and 26 December) and
 * lov om 1. og 17. mai § 1 (1 and 17 May «jamstelt med søndager»). 24 and 31 December and
 * Easter Saturday are ordinary days in law.
 *
 * Deadline arithmetic: forvaltningsloven has no rule of its own, and no express reference to
 * domstolloven (the 1958 committee used it as its model). We apply domstolloven § 148 (2)
 * (a deadline in weeks ends on the same weekday) and § 149 (1) (a deadline ending on a
 * Saturday, Sunday or public holiday runs to the next working day) by analogy; see README,
 * "Decisions: where the law left a choice".
 */

function pad(value: number): string {
  return String(value).padStart(2, '0');
}

function dateOf(year: number, month: number, day: number): LocalDate {
  return `${String(year).padStart(4, '0')}-${pad(month)}-${pad(day)}`;
}

/**
 * Easter Sunday of a Gregorian year by the anonymous Gregorian (Meeus/Jones/Butcher) computus:
 * the church's tabular full moon, which is how published Norwegian calendars fix the day that
 * helligdagsloven § 2 e describes as «første søndag etter første fullmåne ... på eller etter 21. mars».
 */
export function easterSunday(year: number): LocalDate {
  if (!Number.isInteger(year) || year < 1583 || year > 9999) throw new RangeError(`easterSunday: year ${year} outside the Gregorian range 1583-9999`);
  const a = year % 19;
  const b = Math.floor(year / 100);
  const c = year % 100;
  const d = Math.floor(b / 4);
  const e = b % 4;
  const f = Math.floor((b + 8) / 25);
  const g = Math.floor((b - f + 1) / 3);
  const h = (19 * a + b - d - g + 15) % 30;
  const i = Math.floor(c / 4);
  const k = c % 4;
  const l = (32 + 2 * e + 2 * i - h - k) % 7;
  const m = Math.floor((a + 11 * h + 22 * l) / 451);
  const month = Math.floor((h + l - 7 * m + 114) / 31);
  const day = ((h + l - 7 * m + 114) % 31) + 1;
  return dateOf(year, month, day);
}

export type PublicHoliday = { date: LocalDate; name: string; provision: string };

const HELLIGDAGSLOVEN = 'helligdagsloven § 2';
const FIRST_AND_17_MAY = 'lov om 1. og 17. mai § 1';

/** The public holidays of a year other than ordinary Sundays, in date order (two may fall on one day, e.g. 1 May and Ascension 2008). */
export function publicHolidays(year: number): PublicHoliday[] {
  const easter = easterSunday(year);
  const holidays: PublicHoliday[] = [
    { date: dateOf(year, 1, 1), name: 'nyttårsdag', provision: `${HELLIGDAGSLOVEN} b` },
    { date: addDays(easter, -3), name: 'skjærtorsdag', provision: `${HELLIGDAGSLOVEN} c` },
    { date: addDays(easter, -2), name: 'langfredag', provision: `${HELLIGDAGSLOVEN} d` },
    { date: easter, name: 'første påskedag', provision: `${HELLIGDAGSLOVEN} e` },
    { date: addDays(easter, 1), name: 'annen påskedag', provision: `${HELLIGDAGSLOVEN} f` },
    { date: dateOf(year, 5, 1), name: '1. mai', provision: FIRST_AND_17_MAY },
    { date: addDays(easter, 39), name: 'Kristi himmelfartsdag', provision: `${HELLIGDAGSLOVEN} g` },
    { date: dateOf(year, 5, 17), name: '17. mai', provision: FIRST_AND_17_MAY },
    { date: addDays(easter, 49), name: 'første pinsedag', provision: `${HELLIGDAGSLOVEN} h` },
    { date: addDays(easter, 50), name: 'annen pinsedag', provision: `${HELLIGDAGSLOVEN} i` },
    { date: dateOf(year, 12, 25), name: 'første juledag', provision: `${HELLIGDAGSLOVEN} j` },
    { date: dateOf(year, 12, 26), name: 'annen juledag', provision: `${HELLIGDAGSLOVEN} k` },
  ];
  return holidays.sort((x, y) => (x.date < y.date ? -1 : x.date > y.date ? 1 : 0));
}

// Holidays are asked for day by day while a deadline is moved: keep each year's set.
const HOLIDAY_SETS = new Map<number, ReadonlySet<LocalDate>>();
function holidaySet(year: number): ReadonlySet<LocalDate> {
  let set = HOLIDAY_SETS.get(year);
  if (!set) {
    set = new Set(publicHolidays(year).map((h) => h.date));
    HOLIDAY_SETS.set(year, set);
  }
  return set;
}

export function isPublicHoliday(date: LocalDate): boolean {
  return holidaySet(Number(date.slice(0, 4))).has(date);
}

/** 0 = Sunday ... 6 = Saturday. */
export function weekday(date: LocalDate): number {
  const [y, m, d] = date.split('-').map(Number);
  return new Date(Date.UTC(y, m - 1, d)).getUTCDay();
}

/** Not a Saturday, not a Sunday, not a public holiday (domstolloven § 149 (1): «lørdag, helgedag eller dag ... likestilt med helgedag»). */
export function isWorkingDay(date: LocalDate): boolean {
  const day = weekday(date);
  return day !== 0 && day !== 6 && !isPublicHoliday(date);
}

/** The date itself when it is a working day, else the first working day after it. */
export function nextWorkingDay(date: LocalDate): LocalDate {
  let day = date;
  while (!isWorkingDay(day)) day = addDays(day, 1);
  return day;
}

/**
 * The last day to appeal: `weeks` weeks from the day the notification reached the party
 * (forvaltningsloven § 29; pasient- og brukerrettighetsloven § 7-5 for four weeks), the same
 * weekday (domstolloven § 148 (2) by analogy), moved past a weekend or public holiday to the
 * next working day (domstolloven § 149 (1) by analogy).
 */
export function appealDeadline(receivedOn: LocalDate, weeks: number): LocalDate {
  if (!Number.isInteger(weeks) || weeks < 1) throw new RangeError(`appealDeadline: weeks must be a positive whole number, was ${weeks}`);
  return nextWorkingDay(addDays(receivedOn, 7 * weeks));
}
