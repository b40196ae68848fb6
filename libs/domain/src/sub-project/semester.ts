import { InvalidInput } from '../shared/domain-error';
import type { LocalDate } from '../shared/local-date';

/**
 * Sub-projects are funded and reviewed per half year: spring (January-June) and autumn
 * (July-December), written '2021-spring' / '2021-autumn'. They sort in time order as text
 * within a year only, so compare with compareSemesters.
 */
export type Semester = string;

const SEMESTER_PATTERN = /^(\d{4})-(spring|autumn)$/;

export function isSemester(value: unknown): value is Semester {
  return typeof value === 'string' && SEMESTER_PATTERN.test(value);
}

export function parseSemester(value: unknown, field: string): Semester {
  if (!isSemester(value)) throw new InvalidInput(field, "must be a semester such as '2021-spring' or '2021-autumn'");
  return value;
}

export function semesterOf(date: LocalDate): Semester {
  const month = Number(date.slice(5, 7));
  return `${date.slice(0, 4)}-${month <= 6 ? 'spring' : 'autumn'}`;
}

export function nextSemester(semester: Semester): Semester {
  const [year, half] = semester.split('-');
  return half === 'spring' ? `${year}-autumn` : `${Number(year) + 1}-spring`;
}

/** `count` consecutive semesters starting with `first`. */
export function semestersFrom(first: Semester, count: number): Semester[] {
  const list = [first];
  while (list.length < count) list.push(nextSemester(list[list.length - 1]));
  return list;
}

export function compareSemesters(a: Semester, b: Semester): number {
  const index = (s: Semester) => Number(s.slice(0, 4)) * 2 + (s.endsWith('autumn') ? 1 : 0);
  return index(a) - index(b);
}
