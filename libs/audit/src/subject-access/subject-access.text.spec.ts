import { humanDate, osloTime } from './subject-access.text';

describe('subject access: times for people', () => {
  it('shows a UTC instant near midnight as the next Oslo day, in winter and in summer time', () => {
    expect(osloTime('2026-12-04T23:05:00Z', 'nb')).toBe('5. desember 2026 kl. 00.05');
    expect(osloTime('2026-12-04T23:05:00Z', 'en')).toBe('5 December 2026 at 00:05');
    // Summer time: UTC+2.
    expect(osloTime('2026-06-30T22:30:00Z', 'nb')).toBe('1. juli 2026 kl. 00.30');
    expect(osloTime('2026-12-05T00:05:00.123Z', 'nb')).toBe('5. desember 2026 kl. 01.05');
  });

  it('writes dates as people do', () => {
    expect(humanDate('2027-01-09', 'nb')).toBe('9. januar 2027');
    expect(humanDate('2027-01-09', 'en')).toBe('9 January 2027');
    expect(humanDate(null, 'nb')).toBe('');
  });
});
