import { InvalidAmount } from './domain-error';

/** Money is integer øre (1 NOK = 100 øre): no floating point rounding in sums and budgets. */
export type Ore = number;

export const ORE_PER_NOK = 100;

export function nok(kroner: number): Ore {
  return Math.round(kroner * ORE_PER_NOK);
}

/** Accepts a non-negative safe integer (or > 0 with `positive`), else INVALID_AMOUNT. */
export function parseOre(value: unknown, field: string, options: { positive?: boolean } = {}): Ore {
  if (typeof value !== 'number' || !Number.isFinite(value)) {
    throw new InvalidAmount(field, value, 'must be a number of øre');
  }
  if (!Number.isSafeInteger(value)) {
    throw new InvalidAmount(field, value, 'must be a whole number of øre (1 NOK = 100 øre)');
  }
  if (value < 0) throw new InvalidAmount(field, value, 'may not be negative');
  if (options.positive && value === 0) throw new InvalidAmount(field, value, 'must be more than zero');
  return value;
}

/** For messages: 160000 -> "NOK 1,600.00". */
export function formatNok(ore: Ore): string {
  const sign = ore < 0 ? '-' : '';
  const abs = Math.abs(ore);
  const kroner = Math.floor(abs / ORE_PER_NOK).toLocaleString('en-US');
  const rest = String(abs % ORE_PER_NOK).padStart(2, '0');
  return `${sign}NOK ${kroner}.${rest}`;
}
