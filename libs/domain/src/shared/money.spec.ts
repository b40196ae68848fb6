import { InvalidAmount } from './domain-error';
import { formatNok, nok, parseOre } from './money';

describe('money in øre', () => {
  it('accepts whole non-negative øre', () => {
    expect(parseOre(160_000, 'amountOre')).toBe(160_000);
    expect(parseOre(0, 'amountOre')).toBe(0);
    expect(nok(1600)).toBe(160_000);
  });

  it.each([
    ['a fraction', 12.5],
    ['a negative amount', -100],
    ['not a number', '1600'],
    ['NaN', Number.NaN],
    ['beyond safe integers', 2 ** 53],
  ])('refuses %s', (_label, value) => {
    expect(() => parseOre(value, 'amountOre')).toThrow(InvalidAmount);
  });

  it('refuses zero where a positive amount is required', () => {
    expect(() => parseOre(0, 'amountOre', { positive: true })).toThrow(/more than zero/);
  });

  it('formats for messages', () => {
    expect(formatNok(50_000_000)).toBe('NOK 500,000.00');
    expect(formatNok(160_005)).toBe('NOK 1,600.05');
    expect(formatNok(0)).toBe('NOK 0.00');
    expect(formatNok(-150)).toBe('-NOK 1.50');
  });
});
