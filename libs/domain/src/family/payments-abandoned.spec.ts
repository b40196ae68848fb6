import { actors, by, familyContext, familySpec as spec, needExpressed, withSchoolEnrolled } from '../testing/family.fixtures';
import type { RecordPayment } from './family.commands';
import { FamilyNotFound, PaymentWasAbandoned } from './family.errors';
import type { FamilyEvent, PaymentAbandoned, PaymentRecorded } from './family.events';
import { foldFamily } from './family.evolve';
import { abandonPayment, type PaymentToAbandon } from './payments.decide';
import type { Reader } from '../access/family-read-access';
import { adult, AUDITOR, child, ev, fold as foldAccess, grant, ids, partnerReader, RED_CROSS, unitRef, unitReader } from '../access/testing/access-events';

/**
 * PaymentAbandoned: the family's once-per-payment answer that a sub-project spend's payment
 * will not be made (the process manager gives the money back only after it). Of the payment
 * and its abandonment, the first in the stream decides.
 */
const active = [...withSchoolEnrolled, needExpressed];
const barnasStemme = { subProjectId: 'sp-barnas-stemme', responsibleUnit: 'BFT' } as const;

const payKit = (paymentId = 'pay-kit'): RecordPayment => ({
  type: 'RecordPayment',
  data: {
    paymentId,
    recipientMemberId: 'm-sara',
    amountOre: 120_000,
    method: 'gift-card',
    funding: { kind: 'sub-project', subProjectId: 'sp-barnas-stemme' },
    answersNeedId: 'n-1',
    documentationRef: 'Receipt XXL 2024-03-14',
    paidOn: '2024-03-14',
    subProject: barnasStemme,
  },
});
const kitPaid: PaymentRecorded = {
  type: 'PaymentRecorded',
  data: {
    paymentId: 'pay-kit',
    recipientMemberId: 'm-sara',
    amountOre: 120_000,
    method: 'gift-card',
    funding: { kind: 'sub-project', subProjectId: 'sp-barnas-stemme' },
    answersNeedId: 'n-1',
    answersDecisionId: null,
    documentationRef: 'Receipt XXL 2024-03-14',
    paidOn: '2024-03-14',
    countsAsIncome: false,
    ...by(actors.bftCaseworker),
  },
};
const giveUp: PaymentToAbandon = {
  paymentId: 'pay-kit',
  subProjectId: 'sp-barnas-stemme',
  recipientMemberId: 'm-sara',
  amountOre: 120_000,
  reason: 'not-recorded',
  refusal: null,
};
const kitAbandoned: PaymentAbandoned = { type: 'PaymentAbandoned', data: { ...giveUp, ...by(actors.bftCaseworker) } };
const ctx = familyContext({ actor: actors.bftCaseworker });
const fold = (events: FamilyEvent[]) => foldFamily(events);

describe('PaymentAbandoned', () => {
  it('is what abandonPayment decides for a payment the family has not recorded; the family then holds it as abandoned, not as a payment', () => {
    const events = abandonPayment(giveUp, fold(active), ctx);
    expect(events).toStrictEqual([kitAbandoned]);
    const state = fold([...active, ...events]);
    expect(state.payments['pay-kit']).toBeUndefined();
    expect(state.abandonedPayments['pay-kit']).toEqual({ ...giveUp, abandonedAt: kitAbandoned.data.at, abandonedBy: kitAbandoned.data.by });
  });

  it('keeps a refusal as its code', () => {
    const [event] = abandonPayment({ ...giveUp, reason: 'family-refused', refusal: 'MEMBER_NOT_CURRENT' }, fold(active), ctx);
    expect(event.data).toMatchObject({ reason: 'family-refused', refusal: 'MEMBER_NOT_CURRENT' });
  });

  it('decides nothing once the family holds the payment or its abandonment: the first one decides', () => {
    expect(abandonPayment(giveUp, fold([...active, kitPaid]), ctx)).toEqual([]);
    expect(abandonPayment(giveUp, fold([...active, kitAbandoned]), ctx)).toEqual([]);
  });

  it('has no family to abandon on before the family is registered', () => {
    expect(() => abandonPayment(giveUp, fold([]), ctx)).toThrow(FamilyNotFound);
  });

  it('folds to nothing after the payment is recorded (should both ever be in one stream): the payment stands', () => {
    const state = fold([...active, kitPaid, kitAbandoned]);
    expect(state.payments['pay-kit']).toMatchObject({ amountOre: 120_000, reversed: false });
    expect(state.abandonedPayments).toEqual({});
  });

  it('refuses recording an abandoned payment (PAYMENT_ABANDONED, 409): its money went back', () => {
    const error = spec
      .given([...active, kitAbandoned])
      .when(payKit(), { actor: actors.bftCaseworker })
      .thenThrows(PaymentWasAbandoned);
    expect({ code: error.code, kind: error.kind, details: error.details }).toEqual({
      code: 'PAYMENT_ABANDONED',
      kind: 'conflict',
      details: { paymentId: 'pay-kit' },
    });
  });

  it('leaves other payments alone', () => {
    spec
      .given([...active, kitAbandoned])
      .when(payKit('pay-kit-2'), { actor: actors.bftCaseworker })
      .then([{ ...kitPaid, data: { ...kitPaid.data, paymentId: 'pay-kit-2' } }]);
  });

  it('is read as the payment it would have been: by the paying unit and auditors, not by another unit without consent, nor by an enrolled partner (fvl § 13)', () => {
    const state = foldAccess(
      ev.registered([adult('m-a'), child('m-c')]),
      ev.part('BFT', 'NAV', ['m-c']),
      ev.enrolled('e1', 'BFT', ['m-c'], [{ organisationNumber: RED_CROSS, name: 'RK', mayRecordPayments: true }]),
      { type: 'PaymentAbandoned', data: { ...giveUp, recipientMemberId: 'm-c', at: '2026-02-02T10:00:00.000Z', by: unitRef('BFT') } },
    );
    const abandonedFor = (reader: Reader) => ids(grant(state, reader).state.abandonedPayments);
    expect(abandonedFor(unitReader('BFT'))).toEqual(['pay-kit']);
    expect(abandonedFor(AUDITOR)).toEqual(['pay-kit']);
    expect(abandonedFor(unitReader('NAV'))).toEqual([]);
    expect(abandonedFor(partnerReader(RED_CROSS))).toEqual([]);
  });
});
