import { isLocalDate, localDateOf, type LocalDate } from '@familievedtak/domain';

/**
 * A period bound as an auditor gives it: a date (a whole Oslo day) or an ISO instant.
 * `from` is inclusive either way; `until` as a date includes that whole day, as an instant
 * it is exclusive (as the read audit's query).
 */
export type PeriodBound = { kind: 'date'; date: LocalDate } | { kind: 'instant'; instant: Date };

const INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:?\d{2})$/;

export function parsePeriodBound(value: string, field: string): PeriodBound {
  if (isLocalDate(value)) return { kind: 'date', date: value };
  const instant = new Date(value);
  if (!INSTANT.test(value) || Number.isNaN(instant.getTime())) {
    throw new RangeError(`${field} must be a date 'YYYY-MM-DD' or an ISO 8601 instant with a zone, got ${JSON.stringify(value)}`);
  }
  return { kind: 'instant', instant };
}

export function isInstant(value: string): boolean {
  return INSTANT.test(value) && !Number.isNaN(new Date(value).getTime());
}

export function onOrAfter(at: Date, bound: PeriodBound): boolean {
  return bound.kind === 'date' ? localDateOf(at) >= bound.date : at.getTime() >= bound.instant.getTime();
}

export function before(at: Date, bound: PeriodBound): boolean {
  return bound.kind === 'date' ? localDateOf(at) <= bound.date : at.getTime() < bound.instant.getTime();
}
