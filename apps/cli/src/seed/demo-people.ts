import { addDays, type LocalDate } from '@familievedtak/domain';
import { addYears } from './calendar';
import { ORIGINS, type Origin, type OriginKey } from './demo-words';
import type { MemberSpec } from './family-builder';
import type { Random } from './prng';

/** A birth date that makes the person exactly `age` on `asOf`. */
export function birthDateForAge(rng: Random, age: number, asOf: LocalDate): LocalDate {
  return addDays(addYears(asOf, -age), -rng.int(1, 364));
}

const WEIGHTS_1 = [3, 7, 6, 1, 8, 9, 4, 5, 2];
const WEIGHTS_2 = [5, 4, 3, 2, 7, 6, 5, 4, 3, 2];

/**
 * A synthetic fødselsnummer: the month plus 80, as in the Norwegian test population
 * (Skatteetaten's synthetic national ids), so it can never be a real person's, with
 * correct mod-11 check digits.
 */
export function syntheticNationalId(rng: Random, birthDate: LocalDate): string {
  const [year, month, day] = birthDate.split('-').map(Number);
  const head = `${String(day).padStart(2, '0')}${month + 80}${String(year % 100).padStart(2, '0')}`;
  for (;;) {
    const individual = String(year >= 2000 ? rng.int(500, 999) : rng.int(0, 499)).padStart(3, '0');
    const digits = `${head}${individual}`.split('').map(Number);
    const k1 = checkDigit(digits, WEIGHTS_1);
    if (k1 === null) continue;
    const k2 = checkDigit([...digits, k1], WEIGHTS_2);
    if (k2 === null) continue;
    return `${head}${individual}${k1}${k2}`;
  }
}

function checkDigit(digits: number[], weights: number[]): number | null {
  const rest = 11 - (digits.reduce((sum, d, i) => sum + d * weights[i], 0) % 11);
  if (rest === 11) return 0;
  return rest === 10 ? null : rest;
}

export type PersonOptions = { hasNationalId: boolean; origin: OriginKey };

/** A household member with a name from the family's origin and, usually, a national id. */
export function adult(rng: Random, label: string, sex: 'f' | 'm', age: number, asOf: LocalDate, surname: string, options: PersonOptions): MemberSpec {
  const origin: Origin = ORIGINS[options.origin];
  const birthDate = birthDateForAge(rng, age, asOf);
  return {
    label,
    name: `${rng.pick(sex === 'f' ? origin.women : origin.men)} ${surname}`,
    birthDate,
    role: 'adult',
    nationalId: options.hasNationalId ? syntheticNationalId(rng, birthDate) : null,
    language: origin.language,
  };
}

export function child(rng: Random, label: string, age: number, asOf: LocalDate, surname: string, options: PersonOptions, taken: Set<string>): MemberSpec {
  const origin: Origin = ORIGINS[options.origin];
  const birthDate = birthDateForAge(rng, age, asOf);
  const names = rng.chance(0.5) ? origin.girls : origin.boys;
  // Siblings get different first names while there are names left.
  const free = names.filter((n) => !taken.has(n));
  const first = rng.pick(free.length > 0 ? free : names);
  taken.add(first);
  return {
    label,
    name: `${first} ${surname}`,
    birthDate,
    role: 'child',
    nationalId: options.hasNationalId ? syntheticNationalId(rng, birthDate) : null,
    language: origin.language,
  };
}

/** `count` children's ages on one day, youngest first, one to three years apart, all under 18. */
export function siblingAges(rng: Random, count: number, youngestMax = 4): number[] {
  if (count === 0) return [];
  const ages = [rng.int(0, Math.max(0, Math.min(youngestMax, 17 - (count - 1))))];
  while (ages.length < count) {
    const roomLeft = 17 - ages[ages.length - 1] - (count - ages.length - 1);
    ages.push(ages[ages.length - 1] + Math.max(1, Math.min(rng.int(1, 3), roomLeft)));
  }
  return ages;
}
