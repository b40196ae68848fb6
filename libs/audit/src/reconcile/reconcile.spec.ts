import { MoneyEvent, reconcileMoney } from './reconcile';

const spend = (subProjectId: string, paymentId: string, familyId: string | null, amountOre: number): MoneyEvent => ({
  streamId: `subproject-${subProjectId}`,
  type: 'SpendRecorded',
  data: { subProjectId, paymentId, familyId, amountOre },
});
const unspend = (subProjectId: string, paymentId: string): MoneyEvent => ({
  streamId: `subproject-${subProjectId}`,
  type: 'SpendReversed',
  data: { paymentId },
});
const paid = (familyId: string, paymentId: string, amountOre: number, subProjectId: string | null): MoneyEvent => ({
  streamId: `family-${familyId}`,
  type: 'PaymentRecorded',
  data: { paymentId, amountOre, funding: subProjectId ? { kind: 'sub-project', subProjectId } : { kind: 'unit', unit: 'NAV' } },
});
const unpay = (familyId: string, paymentId: string): MoneyEvent => ({ streamId: `family-${familyId}`, type: 'PaymentReversed', data: { paymentId } });
const abandon = (familyId: string, paymentId: string, subProjectId: string): MoneyEvent => ({
  streamId: `family-${familyId}`,
  type: 'PaymentAbandoned',
  data: { paymentId, subProjectId, reason: 'not-recorded', refusal: null },
});

describe('reconcileMoney: sub-project spends against family payments', () => {
  it('finds nothing when every spend has its payment, reversals on both sides, and leaves unit money and collective spends out', () => {
    const result = reconcileMoney([
      spend('sp-a', 'p1', 'f1', 160000),
      paid('f1', 'p1', 160000, 'sp-a'),
      spend('sp-a', 'p2', 'f2', 50000),
      paid('f2', 'p2', 50000, 'sp-a'),
      unpay('f2', 'p2'),
      unspend('sp-a', 'p2'),
      // A compensated spend (the family refused): no money moved.
      spend('sp-a', 'p3', 'f3', 70000),
      unspend('sp-a', 'p3'),
      spend('sp-b', 'c1', null, 900000), // a collective event, no family
      paid('f1', 'u1', 12345, null), // the unit's own money
    ]);
    expect(result).toEqual({ ok: true, subProjects: 2, spends: 3, payments: 2, spentOre: 160000, paidOre: 160000, differences: [] });
  });

  it('lists a spend without its payment (the issue-12 leak) and a payment without its spend', () => {
    const result = reconcileMoney([spend('sp-a', 'p1', 'f1', 160000), paid('f2', 'p9', 20000, 'sp-a')]);
    expect(result.ok).toBe(false);
    expect(result.differences).toEqual([
      expect.objectContaining({ kind: 'spend-without-payment', subProjectId: 'sp-a', paymentId: 'p1', familyId: 'f1', spendOre: 160000, paymentOre: null }),
      expect.objectContaining({ kind: 'payment-without-spend', subProjectId: 'sp-a', paymentId: 'p9', familyId: 'f2', spendOre: null, paymentOre: 20000 }),
    ]);
    expect(result).toMatchObject({ spentOre: 160000, paidOre: 20000 });
  });

  it('lists amounts, families and reversals that differ', () => {
    const result = reconcileMoney([
      spend('sp-a', 'p1', 'f1', 160000),
      paid('f1', 'p1', 150000, 'sp-a'),
      spend('sp-a', 'p2', 'f1', 1000),
      paid('f2', 'p2', 1000, 'sp-a'),
      spend('sp-a', 'p3', 'f3', 500),
      paid('f3', 'p3', 500, 'sp-a'),
      unpay('f3', 'p3'),
      spend('sp-a', 'p4', 'f4', 700),
      paid('f4', 'p4', 700, 'sp-a'),
      unspend('sp-a', 'p4'),
    ]);
    expect(result.differences.map((d) => [d.paymentId, d.kind])).toEqual([
      ['p1', 'amount-differs'],
      ['p2', 'family-differs'],
      ['p3', 'reversal-differs'],
      ['p4', 'reversal-differs'],
    ]);
    expect(result.differences[2].detail).toBe('the payment is reversed but the spend still counts against the budget');
    expect(result.differences[3].detail).toBe('the spend is reversed but the family payment stands');
  });

  it('an abandoned payment (process manager): consistent once its spend is given back; a difference while the spend still counts', () => {
    const result = reconcileMoney([
      spend('sp-a', 'p1', 'f1', 100),
      abandon('f1', 'p1', 'sp-a'),
      unspend('sp-a', 'p1'),
      spend('sp-a', 'p2', 'f1', 200),
      abandon('f1', 'p2', 'sp-a'),
    ]);
    expect(result.differences).toEqual([
      expect.objectContaining({
        kind: 'spend-without-payment',
        paymentId: 'p2',
        detail:
          'spend of 200 øre for family f1: the family abandoned the payment but the spend still counts against the budget (the recovery pass gives it back)',
      }),
    ]);
  });

  it('an abandonment after the payment counts for nothing: the payment stands, and its spend given back is still a difference', () => {
    expect(reconcileMoney([spend('sp-a', 'p1', 'f1', 100), paid('f1', 'p1', 100, 'sp-a'), abandon('f1', 'p1', 'sp-a')]).differences).toEqual([]);
    expect(
      reconcileMoney([spend('sp-a', 'p1', 'f1', 100), paid('f1', 'p1', 100, 'sp-a'), abandon('f1', 'p1', 'sp-a'), unspend('sp-a', 'p1')]).differences,
    ).toEqual([expect.objectContaining({ kind: 'reversal-differs', detail: 'the spend is reversed but the family payment stands' })]);
  });

  it('keeps the same payment id on two sub-projects apart', () => {
    const result = reconcileMoney([spend('sp-a', 'p1', 'f1', 100), spend('sp-b', 'p1', 'f1', 100), paid('f1', 'p1', 100, 'sp-a')]);
    expect(result.differences).toEqual([expect.objectContaining({ kind: 'spend-without-payment', subProjectId: 'sp-b', paymentId: 'p1' })]);
  });
});
