import { InvalidDate, InvalidPeriod } from './domain-error';

/**
 * A calendar date 'YYYY-MM-DD' without time or zone: legal periods, birth dates,
 * deadlines. Kept as a string so events stay plain JSON; validated where it enters.
 */
export type LocalDate = string;

/** Legal dates in a Norwegian municipality are Norwegian dates. */
export const LEGAL_TIME_ZONE = 'Europe/Oslo';

const DATE_PATTERN = /^(\d{4})-(\d{2})-(\d{2})$/;
const DAY_MS = 86_400_000;

export function isLocalDate(value: unknown): value is LocalDate {
  if (typeof value !== 'string') return false;
  const match = DATE_PATTERN.exec(value);
  if (!match) return false;
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  const date = new Date(Date.UTC(year, month - 1, day));
  // Rejects 2023-02-30 and friends, which Date would silently roll over.
  return date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day;
}

/** Returns the value as a LocalDate or throws INVALID_DATE naming the field. */
export function parseLocalDate(value: unknown, field: string): LocalDate {
  if (!isLocalDate(value)) throw new InvalidDate(field, value);
  return value;
}

/** The Norwegian calendar date of an instant (00:30 in Oslo on 1 March is 28 Feb in UTC). */
export function localDateOf(instant: Date, timeZone = LEGAL_TIME_ZONE): LocalDate {
  // Every zone's offset is a multiple of 15 minutes and changes on a quarter hour, so all
  // instants of one UTC quarter hour share a local date: remember it (formatting is costly).
  const quarter = Math.floor(instant.getTime() / QUARTER_HOUR_MS);
  const key = `${timeZone} ${quarter}`;
  const known = LOCAL_DATES.get(key);
  if (known !== undefined) return known;
  if (LOCAL_DATES.size >= MAX_REMEMBERED_DATES) LOCAL_DATES.clear();
  const date = formatLocalDate(instant, timeZone);
  LOCAL_DATES.set(key, date);
  return date;
}

const QUARTER_HOUR_MS = 900_000;
const MAX_REMEMBERED_DATES = 100_000;
const LOCAL_DATES = new Map<string, LocalDate>();

function formatLocalDate(instant: Date, timeZone: string): LocalDate {
  let year = '';
  let month = '';
  let day = '';
  for (const part of dateFormatFor(timeZone).formatToParts(instant)) {
    if (part.type === 'year') year = part.value;
    else if (part.type === 'month') month = part.value;
    else if (part.type === 'day') day = part.value;
  }
  return `${year}-${month}-${day}`;
}

/**
 * One formatter per time zone: building an Intl.DateTimeFormat costs far more than using one
 * (it was the largest single item in the API's CPU profile under load).
 */
const DATE_FORMATS = new Map<string, Intl.DateTimeFormat>();
function dateFormatFor(timeZone: string): Intl.DateTimeFormat {
  let format = DATE_FORMATS.get(timeZone);
  if (!format) {
    format = new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' });
    DATE_FORMATS.set(timeZone, format);
  }
  return format;
}

function toUtcMs(date: LocalDate): number {
  const [year, month, day] = date.split('-').map(Number);
  return Date.UTC(year, month - 1, day);
}

function fromUtcMs(ms: number): LocalDate {
  return new Date(ms).toISOString().slice(0, 10);
}

export function addDays(date: LocalDate, days: number): LocalDate {
  return fromUtcMs(toUtcMs(date) + days * DAY_MS);
}

/** Negative when a is earlier than b, 0 when equal, positive when later. */
export function compareDates(a: LocalDate, b: LocalDate): number {
  return a < b ? -1 : a > b ? 1 : 0; // ISO dates sort lexically
}

/** Whole days from `from` to `to` (negative if `to` is earlier). */
export function daysBetween(from: LocalDate, to: LocalDate): number {
  return Math.round((toUtcMs(to) - toUtcMs(from)) / DAY_MS);
}

/** Completed years of age on `date`; someone born on 29 February turns a year older on 1 March. */
export function ageOn(birthDate: LocalDate, date: LocalDate): number {
  const [by, bm, bd] = birthDate.split('-').map(Number);
  const [y, m, d] = date.split('-').map(Number);
  const hadBirthday = m > bm || (m === bm && d >= bd);
  return y - by - (hadBirthday ? 0 : 1);
}

export function isWithin(date: LocalDate, from: LocalDate, until: LocalDate | null): boolean {
  return date >= from && (until === null || date <= until);
}

/** Validates both ends and their order; `until` may equal `from` (a one-day period). */
export function parsePeriod(from: unknown, until: unknown, fields: { from: string; until: string }): { from: LocalDate; until: LocalDate } {
  const start = parseLocalDate(from, fields.from);
  const end = parseLocalDate(until, fields.until);
  if (end < start) throw new InvalidPeriod(start, end);
  return { from: start, until: end };
}
