import { InvalidInput } from '../shared/domain-error';
import { compareSemesters, nextSemester, parseSemester, semesterOf, semestersFrom } from './semester';

describe('semesters', () => {
  it('splits the year at July', () => {
    expect(semesterOf('2024-01-01')).toBe('2024-spring');
    expect(semesterOf('2024-06-30')).toBe('2024-spring');
    expect(semesterOf('2024-07-01')).toBe('2024-autumn');
    expect(semesterOf('2024-12-31')).toBe('2024-autumn');
  });

  it('counts two years of funding from a first semester', () => {
    expect(nextSemester('2024-autumn')).toBe('2025-spring');
    expect(semestersFrom('2023-autumn', 4)).toEqual(['2023-autumn', '2024-spring', '2024-autumn', '2025-spring']);
  });

  it('orders semesters in time', () => {
    expect(compareSemesters('2024-autumn', '2025-spring')).toBeLessThan(0);
    expect(compareSemesters('2024-autumn', '2024-spring')).toBeGreaterThan(0);
    expect(compareSemesters('2024-spring', '2024-spring')).toBe(0);
  });

  it('takes only text: a list holding a semester is no semester', () => {
    expect(() => parseSemester(['2024-spring'], 'semester')).toThrow(InvalidInput);
  });

  it('refuses other spellings', () => {
    expect(() => parseSemester('2024-H1', 'semester')).toThrow(InvalidInput);
    expect(() => parseSemester('vår 2024', 'semester')).toThrow(InvalidInput);
  });
});
