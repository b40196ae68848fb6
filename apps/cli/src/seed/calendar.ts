import { addDays, type LocalDate, type Semester } from '@familievedtak/domain';

/** Month arithmetic for laying history in the past: 'YYYY-MM' strings, which sort in time order. */
export type Month = string;

export function monthOf(date: LocalDate): Month {
  return date.slice(0, 7);
}

export function addMonths(month: Month, count: number): Month {
  const [year, m] = month.split('-').map(Number);
  const index = year * 12 + (m - 1) + count;
  return `${Math.floor(index / 12)}-${String((index % 12) + 1).padStart(2, '0')}`;
}

export function firstDay(month: Month): LocalDate {
  return `${month}-01`;
}

export function lastDay(month: Month): LocalDate {
  return addDays(firstDay(addMonths(month, 1)), -1);
}

/** Day `day` of the month, or its last day in short months. */
export function dayOf(month: Month, day: number): LocalDate {
  const last = Number(lastDay(month).slice(8));
  return `${month}-${String(Math.min(day, last)).padStart(2, '0')}`;
}

/** Every month from `from` to `to`, both included (empty when `to` is earlier). */
export function monthsFromTo(from: Month, to: Month): Month[] {
  const months: Month[] = [];
  for (let m = from; m <= to; m = addMonths(m, 1)) months.push(m);
  return months;
}

export function addYears(date: LocalDate, years: number): LocalDate {
  const [y, m, d] = date.split('-').map(Number);
  // 29 February in a year without one becomes 28 February.
  const day = m === 2 && d === 29 ? 28 : d;
  return `${y + years}-${String(m).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
}

export function semesterFirstMonth(semester: Semester): Month {
  return `${semester.slice(0, 4)}-${semester.endsWith('spring') ? '01' : '07'}`;
}

export function semesterLastMonth(semester: Semester): Month {
  return addMonths(semesterFirstMonth(semester), 5);
}

/** The kindergarten and school year (1 August to 31 July) that `date` falls in, by its start year. */
export function schoolYearStart(date: LocalDate): LocalDate {
  const year = Number(date.slice(0, 4));
  return Number(date.slice(5, 7)) >= 8 ? `${year}-08-01` : `${year - 1}-08-01`;
}

export function minDate(a: LocalDate, b: LocalDate): LocalDate {
  return a < b ? a : b;
}

export function maxDate(a: LocalDate, b: LocalDate): LocalDate {
  return a > b ? a : b;
}
