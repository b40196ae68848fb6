import type { Actor } from '../shared/actor';
import { ActionNotPermitted, InvalidAmount, InvalidInput, UnitMismatch } from '../shared/domain-error';
import { stamp } from '../shared/stamp';
import { deciderSpecification, sequentialIds } from '../testing/decider-specification';
import type { PaymentRunItem, RecordPaymentRun, RecordSpend } from './sub-project.commands';
import { subProjectDecider, type SubProjectContext } from './sub-project.decider';
import { PaymentRunAlreadyRecorded, PaymentRunOverBudget, SemesterNotFunded, SpendAlreadyRecorded, SubProjectWasTerminated } from './sub-project.errors';
import type { PaymentRunRecorded, SpendRecorded, SubProjectApproved, SubProjectEvent } from './sub-project.events';
import { remainingBudget } from './sub-project.state';
import { upcastSubProjectEvent } from './sub-project.upcast';
import { MAX_PAYMENT_RUN_SIZE, type PaymentToComplete } from './sub-project.values';

const NOW = new Date('2024-03-15T09:00:00.000Z');
const leader: Actor = { userId: 'leder.hvk', role: 'unit-leader', unit: 'HVK' };
const caseworker: Actor = { userId: 'kari.hvk', role: 'caseworker', unit: 'HVK' };
const navCaseworker: Actor = { userId: 'kari.nav', role: 'caseworker', unit: 'NAV' };
const by = (actor: Actor) => stamp({ now: NOW, actor });
const spec = deciderSpecification(subProjectDecider, (): SubProjectContext => ({ now: NOW, newId: sequentialIds(), actor: caseworker }));

/** 52 children at 1,600 NOK a month for six months is 499,200 NOK: the pilot's refugee families, just inside a semester. */
const MONTHLY_ORE = 160_000;

const approved: SubProjectApproved = {
  type: 'SubProjectApproved',
  data: {
    subProjectId: 'sp-ny-start',
    name: 'Ny start',
    actors: [
      { name: 'HVK Heimdal', municipal: true, unit: 'HVK', organisationNumber: null, mayRecordPayments: false },
      { name: 'Saupstad skole', municipal: true, unit: null, organisationNumber: null, mayRecordPayments: false },
      { name: 'Røde Kors', municipal: false, unit: null, organisationNumber: '974123456', mayRecordPayments: false },
    ],
    responsibleUnit: 'HVK',
    semesterBudgetOre: 50_000_000,
    goals: ['Every child takes part in a leisure activity'],
    semesters: ['2024-spring', '2024-autumn'],
    ...by(leader),
  },
};

const toComplete = (child: number): PaymentToComplete => ({
  recipientMemberId: `child-${child}`,
  answersNeedId: null,
  answersDecisionId: null,
  documentationRef: `RUN-2024-03-${child}`,
  countsAsIncome: null,
});

const item = (child: number, extra: Partial<PaymentRunItem> = {}): PaymentRunItem => ({
  paymentId: `pay-${child}`,
  familyId: `fam-${Math.ceil(child / 2)}`,
  amountOre: MONTHLY_ORE,
  category: 'bank-transfer',
  spentOn: '2024-03-01',
  payment: toComplete(child),
  ...extra,
});

const run = (items: PaymentRunItem[], data: Partial<RecordPaymentRun['data']> = {}): RecordPaymentRun => ({
  type: 'RecordPaymentRun',
  data: { runId: 'run-2024-03', description: 'March 2024: 1,600 NOK per child', payments: items, fingerprint: 'sha256:abc', ...data },
});

const spentInRun = (child: number, remaining: number): SpendRecorded => ({
  type: 'SpendRecorded',
  data: {
    subProjectId: 'sp-ny-start',
    paymentId: `pay-${child}`,
    amountOre: MONTHLY_ORE,
    category: 'bank-transfer',
    semester: '2024-spring',
    spentOn: '2024-03-01',
    familyId: `fam-${Math.ceil(child / 2)}`,
    description: null,
    semesterRemainingOre: remaining,
    payment: toComplete(child),
    runId: 'run-2024-03',
    ...by(caseworker),
  },
});

describe('RecordSpend carrying the family payment it pays for', () => {
  const spend = (data: Partial<RecordSpend['data']> = {}): RecordSpend => ({
    type: 'RecordSpend',
    data: { paymentId: 'pay-1', amountOre: MONTHLY_ORE, category: 'bank-transfer', spentOn: '2024-03-01', familyId: 'fam-1', payment: toComplete(1), ...data },
  });

  it('records the payment to complete on the spend (a recovery pass completes the family side from it alone)', () => {
    spec
      .given([approved])
      .when(spend())
      .then([{ ...spentInRun(1, 50_000_000 - MONTHLY_ORE), data: { ...spentInRun(1, 50_000_000 - MONTHLY_ORE).data, runId: null } }]);
  });

  it('records the need, decision and income flag the payment answers when given, and null when not', () => {
    const recorded = (payment: PaymentToComplete) =>
      (
        subProjectDecider.decide(spend({ payment }), subProjectDecider.evolve(subProjectDecider.initialState(), approved), {
          now: NOW,
          newId: sequentialIds(),
          actor: caseworker,
        })[0] as SpendRecorded
      ).data.payment;
    expect(recorded({ ...toComplete(1), answersNeedId: 'need-1', answersDecisionId: 'd-1', countsAsIncome: true })).toMatchObject({
      answersNeedId: 'need-1',
      answersDecisionId: 'd-1',
      countsAsIncome: true,
    });
    const { answersNeedId: _n, answersDecisionId: _d, countsAsIncome: _c, ...bare } = toComplete(1);
    expect(recorded(bare as PaymentToComplete)).toMatchObject({ answersNeedId: null, answersDecisionId: null, countsAsIncome: null });
  });

  it('refuses a payment to complete without its family, or without a recipient or documentation', () => {
    spec
      .given([approved])
      .when(spend({ familyId: null }))
      .thenThrows(InvalidInput);
    spec
      .given([approved])
      .when(spend({ payment: { ...toComplete(1), recipientMemberId: '' } }))
      .thenThrows(InvalidInput);
    spec
      .given([approved])
      .when(spend({ payment: { ...toComplete(1), documentationRef: '' } }))
      .thenThrows(InvalidInput);
    spec
      .given([approved])
      .when(spend({ payment: 'pay them' as never }))
      .thenThrows(InvalidInput);
  });
});

describe('upcastSubProjectEvent', () => {
  it('reads a spend recorded before payment and runId existed with both null, and leaves newer events as they are', () => {
    const current = spentInRun(1, 49_840_000);
    const { payment: _p, runId: _r, ...legacyData } = current.data;
    const legacy = { type: 'SpendRecorded', data: legacyData } as unknown as SubProjectEvent;
    expect(upcastSubProjectEvent(legacy)).toEqual({ type: 'SpendRecorded', data: { ...legacyData, payment: null, runId: null } });
    expect(upcastSubProjectEvent(current)).toBe(current);
    expect(upcastSubProjectEvent(approved)).toBe(approved);
    // The budget folds the same either way.
    const fromLegacy = subProjectDecider.evolve(subProjectDecider.evolve(subProjectDecider.initialState(), approved), legacy);
    const fromUpcast = subProjectDecider.evolve(subProjectDecider.evolve(subProjectDecider.initialState(), approved), upcastSubProjectEvent(legacy));
    expect(fromLegacy).toEqual(fromUpcast);
  });
});

describe('RecordPaymentRun', () => {
  it('records the run, then one spend per payment, in one decision; the budget and the run are in the state', () => {
    const recorded: PaymentRunRecorded = {
      type: 'PaymentRunRecorded',
      data: {
        subProjectId: 'sp-ny-start',
        runId: 'run-2024-03',
        description: 'March 2024: 1,600 NOK per child',
        count: 3,
        totalOre: 3 * MONTHLY_ORE,
        totalBySemesterOre: { '2024-spring': 3 * MONTHLY_ORE },
        remainingBySemesterOre: { '2024-spring': 50_000_000 - 3 * MONTHLY_ORE },
        paymentIds: ['pay-1', 'pay-2', 'pay-3'],
        familyIds: ['fam-1', 'fam-2'],
        fingerprint: 'sha256:abc',
        ...by(caseworker),
      },
    };
    const state = spec
      .given([approved])
      .when(run([item(1), item(2), item(3)]))
      .then([recorded, spentInRun(1, 50_000_000 - MONTHLY_ORE), spentInRun(2, 50_000_000 - 2 * MONTHLY_ORE), spentInRun(3, 50_000_000 - 3 * MONTHLY_ORE)]);
    expect(remainingBudget(state, '2024-spring')).toBe(50_000_000 - 3 * MONTHLY_ORE);
    expect(state.runs['run-2024-03']).toMatchObject({ count: 3, totalOre: 480_000, fingerprint: 'sha256:abc', paymentIds: ['pay-1', 'pay-2', 'pay-3'] });
    expect(Object.keys(state.spends)).toEqual(['pay-1', 'pay-2', 'pay-3']);
  });

  it('is refused as a whole when its total does not fit, naming the total (not the first payment that fails)', () => {
    const items = Array.from({ length: 313 }, (_, i) => item(i + 1)); // 313 x 1,600 NOK = 500,800 NOK > 500,000
    const error = spec.given([approved]).when(run(items)).thenThrows(PaymentRunOverBudget);
    expect(error.kind).toBe('invalid');
    expect(error.details).toMatchObject({ amountOre: 313 * MONTHLY_ORE, remainingOre: 50_000_000, semester: '2024-spring' });
    // 312 fit: 499,200 NOK, 800 NOK left.
    const fits = subProjectDecider.decide(run(items.slice(0, 312)), subProjectDecider.evolve(subProjectDecider.initialState(), approved), {
      now: NOW,
      newId: sequentialIds(),
      actor: caseworker,
    });
    expect(fits).toHaveLength(313);
    expect((fits[0] as PaymentRunRecorded).data).toMatchObject({ count: 312, totalOre: 312 * MONTHLY_ORE, remainingBySemesterOre: { '2024-spring': 80_000 } });
    spec
      .given([approved])
      .when(run([item(1, { amountOre: 100.5 })]))
      .thenThrows(InvalidAmount);
  });

  it('may use a semester’s budget to the last øre, and refuses a run item that is not a payment or names no family payment', () => {
    const items = [...Array.from({ length: 312 }, (_, i) => item(i + 1)), item(313, { amountOre: 80_000 })];
    const events = subProjectDecider.decide(run(items), subProjectDecider.evolve(subProjectDecider.initialState(), approved), {
      now: NOW,
      newId: sequentialIds(),
      actor: caseworker,
    });
    expect((events[0] as PaymentRunRecorded).data).toMatchObject({ totalOre: 50_000_000, remainingBySemesterOre: { '2024-spring': 0 } });
    spec
      .given([approved])
      .when(run([null as never]))
      .thenThrows(InvalidInput);
    spec
      .given([approved])
      .when(run([item(1, { payment: undefined })]))
      .thenThrows(InvalidInput);
  });

  it('pays at most 5,000 payments in one run (MAX_PAYMENT_RUN_SIZE): 5,000 are weighed against the budget, 5,001 refused for their number', () => {
    // 100.01 NOK each: 5,000 come to 500,050 NOK, over the semester's 500,000. A refusal for the money shows 5,000 passed
    // the cap, without folding 5,000 spends (about 10 s here, and again for every mutant this test covers).
    const items = Array.from({ length: MAX_PAYMENT_RUN_SIZE + 1 }, (_, i) => item(i + 1, { amountOre: 10_001 }));
    const overBudget = spec
      .given([approved])
      .when(run(items.slice(0, MAX_PAYMENT_RUN_SIZE)))
      .thenThrows(PaymentRunOverBudget);
    expect(overBudget.details).toMatchObject({ amountOre: 5_000 * 10_001, remainingOre: 50_000_000 });
    const tooMany = spec.given([approved]).when(run(items)).thenThrows(InvalidInput);
    expect(tooMany.message).toContain('at most 5000 payments');
  });

  it('checks each semester of a run on its own budget', () => {
    const spring = Array.from({ length: 300 }, (_, i) => item(i + 1));
    const autumn = Array.from({ length: 300 }, (_, i) => item(i + 301, { spentOn: '2024-09-01' }));
    const events = subProjectDecider.decide(run([...spring, ...autumn]), subProjectDecider.evolve(subProjectDecider.initialState(), approved), {
      now: NOW,
      newId: sequentialIds(),
      actor: caseworker,
    });
    expect((events[0] as PaymentRunRecorded).data.remainingBySemesterOre).toEqual({ '2024-spring': 2_000_000, '2024-autumn': 2_000_000 });
    spec
      .given([approved])
      .when(run([item(1, { spentOn: '2025-03-01' })]))
      .thenThrows(SemesterNotFunded);
  });

  it('refuses the same run id twice, a payment already spent, and a payment twice in the run', () => {
    const first = subProjectDecider.decide(run([item(1)]), subProjectDecider.evolve(subProjectDecider.initialState(), approved), {
      now: NOW,
      newId: sequentialIds(),
      actor: caseworker,
    });
    spec
      .given([approved, ...first])
      .when(run([item(2)]))
      .thenThrows(PaymentRunAlreadyRecorded);
    spec
      .given([approved, ...first])
      .when(run([item(1)], { runId: 'run-2024-04' }))
      .thenThrows(SpendAlreadyRecorded);
    spec
      .given([approved])
      .when(run([item(1), item(1)]))
      .thenThrows(InvalidInput);
  });

  it.each([
    ['no payments', { payments: [] }],
    ['no description', { description: '' }],
    ['no fingerprint', { fingerprint: '' }],
    ['a payment without its family payment', { payments: [{ ...item(1), payment: null as never }] }],
  ])('refuses a run with %s', (_label, data) => {
    spec
      .given([approved])
      .when(run([item(1)], data as Partial<RecordPaymentRun['data']>))
      .thenThrows(InvalidInput);
  });

  it('may be paid by the same people as a single spend: the responsible unit’s staff, not another unit, not a terminated project', () => {
    spec
      .given([approved])
      .when(run([item(1)]), { actor: navCaseworker })
      .thenThrows(UnitMismatch);
    spec
      .given([approved])
      .when(run([item(1)]), { actor: { userId: 'x', role: 'auditor' } })
      .thenThrows(ActionNotPermitted);
    const terminated: SubProjectEvent[] = [
      {
        type: 'SubProjectReviewed',
        data: { subProjectId: 'sp-ny-start', semester: '2024-spring', outcome: 'terminate', goalAttainment: 'Few reached.', ...by(leader) },
      },
      { type: 'SubProjectTerminated', data: { subProjectId: 'sp-ny-start', semester: '2024-spring', reason: 'Few reached.', ...by(leader) } },
    ];
    spec
      .given([approved, ...terminated])
      .when(run([item(1)]))
      .thenThrows(SubProjectWasTerminated);
  });
});
