import fc from 'fast-check';
import { by, caseworkerOf, familyRegistered, referralAccepted } from '../testing/family.fixtures';
import type { FamilyEvent } from '../family/family.events';
import { foldFamily } from '../family/family.evolve';
import type { Unit } from '../shared/units';
import { readAuditPurgeBefore } from './retention-planner';
import { caseClosedOn, consentEndedOn } from './retention-records';
import { keyRefCategory } from '../personal-data/personal-data.catalogue';
import {
  addRetentionPeriod,
  InvalidRetentionSchedule,
  RECORD_CATEGORIES,
  retentionEntryFor,
  retentionRuleId,
  retentionScheduleOn,
  validateRetentionSchedule,
  type RetentionSchedule,
} from './retention-schedule';

const ANCHOR: Record<string, string> = {
  payment: 'payment-year-end',
  consent: 'consent-ended',
  decision: 'decision-final',
  letter: 'decision-final',
  'read-audit': 'read',
};
const document = (entries: object[] = []) => ({
  id: 'test',
  version: 1,
  name: 'Test',
  effectiveFrom: '2026-01-01',
  entries: [
    ...entries,
    // A catch-all per category, unless the entries given already end that category.
    ...RECORD_CATEGORIES.filter(
      (c) => !entries.some((e) => (e as { category: string; units?: unknown }).category === c && !(e as { units?: unknown }).units),
    ).map((category) => ({
      id: `${category}-all`,
      category,
      anchor: ANCHOR[category] ?? 'case-closed',
      action: 'erase',
      period: { years: 3 },
      provision: 'P',
      description: { nb: 'N', en: 'E' },
    })),
  ],
});
const problems = (value: unknown) => {
  try {
    validateRetentionSchedule(value);
  } catch (error) {
    if (error instanceof InvalidRetentionSchedule) return error.problems;
    throw error;
  }
  throw new Error('expected the schedule to be refused');
};

describe('retention schedule: the model', () => {
  it('names a rule <scheduleId>@v<version>/<entry>, as tombstones and views show it', () => {
    expect(retentionRuleId({ scheduleId: 'trondheim-retention-2026', version: 2, entry: 'payment' })).toBe('trondheim-retention-2026@v2/payment');
  });

  it('picks the first entry of the category naming one of the record’s units, else the catch-all (barnevern records kept: riksarkivarens forskrift § 7-30)', () => {
    const schedule = validateRetentionSchedule(
      document([
        { id: 'need-bft', category: 'need', units: ['BFT'], anchor: 'case-closed', action: 'keep', provision: 'P', description: { nb: 'N', en: 'E' } },
      ]),
    );
    expect(retentionEntryFor(schedule, 'need', ['NAV', 'BFT'])?.id).toBe('need-bft');
    expect(retentionEntryFor(schedule, 'need', ['NAV'])?.id).toBe('need-all');
    expect(retentionEntryFor(schedule, 'need', [])?.id).toBe('need-all');
  });

  it('refuses an anchor that does not fit the category, erase without a period, keep with one, and unknown units', () => {
    expect(
      problems(
        document([
          {
            id: 'a',
            category: 'payment',
            anchor: 'consent-ended',
            action: 'erase',
            period: { years: 1 },
            provision: 'P',
            description: { nb: 'N', en: 'E' },
            units: ['NAV'],
          },
          { id: 'b', category: 'need', anchor: 'case-closed', action: 'erase', provision: 'P', description: { nb: 'N', en: 'E' }, units: ['NAV'] },
          {
            id: 'c',
            category: 'decision',
            anchor: 'decision-final',
            action: 'keep',
            period: { years: 1 },
            provision: 'P',
            description: { nb: 'N', en: 'E' },
            units: ['NAV'],
          },
          { id: 'd', category: 'case', anchor: 'case-closed', action: 'keep', provision: ' ', description: { nb: 'N' }, units: ['KOMMUNE'] },
        ]),
      ),
    ).toEqual([
      'entries[0].anchor consent-ended does not apply to payment records (one of payment-year-end)',
      'entries[1].period is required for erase: years, months and/or days',
      'entries[2].period is only for erase: a kept record has no end',
      'entries[3].units must list units (HVK, BFT, NAV, INN, OPPVEKST)',
      'entries[3].provision must name the provision the entry rests on',
      'entries[3].description.en must not be empty',
    ]);
  });

  it('refuses an entry id used twice, a negative or fractional period and a version below 1', () => {
    const twice = document([
      { id: 'need-all', category: 'need', units: ['NAV'], anchor: 'case-closed', action: 'keep', provision: 'P', description: { nb: 'N', en: 'E' } },
    ]);
    expect(problems({ ...twice, version: 0 })).toEqual(['version must be a whole number from 1', 'entries[2].id need-all is used twice']);
    const bad = document([
      {
        id: 'x',
        category: 'need',
        units: ['NAV'],
        anchor: 'case-closed',
        action: 'erase',
        period: { years: -1, days: 1.5 },
        provision: 'P',
        description: { nb: 'N', en: 'E' },
      },
    ]);
    expect(problems(bad)).toEqual([
      'entries[0].period.years must be a whole number from 0 to 200',
      'entries[0].period.days must be a whole number from 0 to 73200',
    ]);
  });

  it('adds years and months on the calendar, the day cut to the month’s end, then days', () => {
    expect(addRetentionPeriod('2024-02-29', { years: 1, months: 0, days: 0 })).toBe('2025-02-28');
    expect(addRetentionPeriod('2024-01-31', { years: 0, months: 1, days: 0 })).toBe('2024-02-29');
    expect(addRetentionPeriod('2024-12-31', { years: 5, months: 0, days: 0 })).toBe('2029-12-31');
    expect(addRetentionPeriod('2024-11-30', { years: 0, months: 2, days: 1 })).toBe('2025-01-31');
    expect(addRetentionPeriod('2024-03-01', { years: 0, months: 0, days: -1 })).toBe('2024-02-29');
  });

  it('purges read-audit rows exactly as a record would be due: the day read + the period has passed (design § 8)', () => {
    const schedule = validateRetentionSchedule(
      document([
        { id: 'reads', category: 'read-audit', anchor: 'read', action: 'erase', period: { months: 1 }, provision: 'P', description: { nb: 'N', en: 'E' } },
      ]),
    );
    fc.assert(
      fc.property(fc.nat({ max: 3000 }), (offset) => {
        const today = addRetentionPeriod('2026-01-01', { years: 0, months: 0, days: offset });
        const cutoff = readAuditPurgeBefore(schedule, today)!;
        const before = addRetentionPeriod(cutoff, { years: 0, months: 0, days: -1 });
        // Every day before the cut-off is due, the cut-off itself is not.
        expect(addRetentionPeriod(before, { years: 0, months: 1, days: 0 }) < today).toBe(true);
        expect(addRetentionPeriod(cutoff, { years: 0, months: 1, days: 0 }) < today).toBe(false);
      }),
    );
    const keeping = validateRetentionSchedule(
      document([{ id: 'reads', category: 'read-audit', anchor: 'read', action: 'keep', provision: 'P', description: { nb: 'N', en: 'E' } }]),
    );
    expect(readAuditPurgeBefore(keeping, '2030-01-01')).toBeNull();
  });

  it('applies the schedule with the latest effectiveFrom on or before the day', () => {
    const v1 = { ...validateRetentionSchedule(document()), version: 1 } as RetentionSchedule;
    const v2 = { ...v1, version: 2, effectiveFrom: '2027-07-01' };
    expect(retentionScheduleOn([v2, v1], '2025-12-31')).toBeNull();
    expect(retentionScheduleOn([v2, v1], '2027-06-30')?.version).toBe(1);
    expect(retentionScheduleOn([v2, v1], '2027-07-01')?.version).toBe(2);
  });

  it("reads key refs of the design only (the catalogue's keyRefCategory: one vocabulary for the records, the erasures and the key store)", () => {
    expect(['identity/m-1', 'case/family', 'case/family:2031-02-01T09:00:00.000Z', 'payment/p:1', 'appeal/a-1'].map(keyRefCategory)).toEqual([
      'identity',
      'case',
      'case',
      'payment',
      'decision',
    ]);
    expect(['read-audit/x', 'need/', 'need', 'notes/n-1'].map(keyRefCategory)).toEqual([undefined, undefined, undefined, undefined]);
  });
});

describe('retention anchors from the state', () => {
  const closing = (unit: Unit, at: string): FamilyEvent => ({
    type: 'InvolvementClosed',
    data: { unit, reason: 'Done.', contactPersonIds: [], ...by(caseworkerOf[unit], at) },
  });

  it('"case closed" is the day the last unit with a part closed its involvement; a unit taking a part again reopens it', () => {
    const events = [familyRegistered, ...referralAccepted('HVK'), closing('NAV', '2024-05-01T08:00:00.000Z')];
    expect(caseClosedOn(foldFamily(events))).toBeNull();
    const closed = [...events, closing('HVK', '2024-06-30T22:30:00.000Z')];
    // 00:30 on 1 July in Oslo: the Norwegian day counts.
    expect(caseClosedOn(foldFamily(closed))).toBe('2024-07-01');
    const reopened = [...closed, ...referralAccepted('INN')];
    expect(caseClosedOn(foldFamily(reopened))).toBeNull();
    expect(caseClosedOn(foldFamily([...reopened, closing('INN', '2025-01-10T08:00:00.000Z')]))).toBe('2025-01-10');
  });

  it('a consent ends the first day it no longer holds: withdrawn, or the day after validUntil, whichever first; one without an end (schema 1) with the case', () => {
    expect(consentEndedOn('2024-05-02', '2024-12-31', null)).toBe('2024-05-02');
    expect(consentEndedOn(null, '2024-12-31', null)).toBe('2025-01-01');
    expect(consentEndedOn('2025-03-01', '2024-12-31', null)).toBe('2025-01-01');
    expect(consentEndedOn(null, null, '2026-02-01')).toBe('2026-02-01');
    expect(consentEndedOn(null, null, null)).toBeNull();
  });
});
