import { ActionNotPermitted, InvalidAmount, InvalidDate, InvalidInput, UnitMismatch } from '../shared/domain-error';
import {
  actors,
  by,
  delegation,
  familyRegistered,
  familySpec as spec,
  navPaymentRecorded,
  needExpressed,
  socialAssistanceApproved,
  socialAssistanceProposed,
  TODAY,
} from '../testing/family.fixtures';
import type { RecordPayment } from './family.commands';
import {
  AlreadyExists,
  DecisionNotFound,
  DecisionStatusConflict,
  FundingMismatch,
  MemberNotFound,
  NeedNotFound,
  NeedNotOpen,
  PaymentAlreadyReversed,
  PaymentNotFound,
  PilotPaymentNotIncome,
} from './family.errors';
import type { FamilyEvent, PaymentRecorded } from './family.events';
import { incomeBasisPayments } from './family.queries';

const active = [familyRegistered, socialAssistanceProposed, socialAssistanceApproved, needExpressed];

const payUnderNavDecision = (data: Partial<RecordPayment['data']> = {}): RecordPayment => ({
  type: 'RecordPayment',
  data: {
    paymentId: 'pay-1',
    recipientMemberId: 'm-amina',
    amountOre: 1_250_000,
    method: 'bank-transfer',
    funding: { kind: 'unit', unit: 'NAV' },
    answersDecisionId: 'd-nav',
    documentationRef: 'NAV-2024-0301',
    paidOn: '2024-03-01',
    ...data,
  },
});
const paidAt = { now: new Date(navPaymentRecorded.data.at) };

/** A football kit for Sara from the sub-project "Barnas stemme", answering her need. */
const footballKit: PaymentRecorded = {
  type: 'PaymentRecorded',
  data: {
    paymentId: 'id-1',
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
const payFootballKit = (data: Partial<RecordPayment['data']> = {}): RecordPayment => ({
  type: 'RecordPayment',
  data: {
    recipientMemberId: 'm-sara',
    amountOre: 120_000,
    method: 'gift-card',
    funding: { kind: 'sub-project', subProjectId: 'sp-barnas-stemme' },
    answersNeedId: 'n-1',
    documentationRef: 'Receipt XXL 2024-03-14',
    paidOn: '2024-03-14',
    ...data,
  },
});

describe('RecordPayment', () => {
  it('records a unit payment under its decision; social assistance itself is not income', () => {
    spec.given(active).when(payUnderNavDecision(), paidAt).then([navPaymentRecorded]);
  });

  it('counts a unit payment outside any decision as income unless told otherwise', () => {
    const state = spec.given(active).when(payUnderNavDecision({ answersDecisionId: null })).then([
      { ...navPaymentRecorded, data: { ...navPaymentRecorded.data, answersDecisionId: null, countsAsIncome: true, ...by(actors.navCaseworker) } },
    ]);
    expect(incomeBasisPayments(state).map((p) => p.paymentId)).toEqual(['pay-1']);
    spec.given(active).when(payUnderNavDecision({ answersDecisionId: null, countsAsIncome: false })).then([
      { ...navPaymentRecorded, data: { ...navPaymentRecorded.data, answersDecisionId: null, countsAsIncome: false, ...by(actors.navCaseworker) } },
    ]);
  });

  it('never counts pilot money as income (the NAV letter)', () => {
    const state = spec.given(active).when(payFootballKit(), { actor: actors.bftCaseworker }).then([footballKit]);
    expect(incomeBasisPayments(state)).toEqual([]);
    spec.given(active).when(payFootballKit({ countsAsIncome: true }), { actor: actors.bftCaseworker }).thenThrows(PilotPaymentNotIncome);
  });

  it('refuses paying from another unit’s budget', () => {
    spec.given(active).when(payUnderNavDecision(), { actor: actors.bftCaseworker }).thenThrows(UnitMismatch);
  });

  it('refuses paying under a decision from a budget that did not make it', () => {
    spec
      .given(active)
      .when(payUnderNavDecision({ funding: { kind: 'unit', unit: 'BFT' } }), { actor: actors.bftCaseworker })
      .thenThrows(FundingMismatch);
  });

  /** An approved pilot-support decision for Sara, decided by BFT for the sub-project Barnas stemme. */
  const pilotDecision = (decisionId: string): FamilyEvent[] => [
    {
      type: 'DecisionProposed',
      data: {
        ...socialAssistanceProposed.data,
        decisionId,
        unit: 'BFT',
        decisionType: 'pilot-support',
        memberIds: ['m-sara'],
        legalBasis: null,
        enkeltvedtak: false,
        subProject: { subProjectId: 'sp-barnas-stemme', responsibleUnit: 'BFT' },
        delegation: delegation('pilot-support-by-sub-project-unit'),
        ...by(actors.bftCaseworker),
      },
    },
    { type: 'DecisionApproved', data: { decisionId, notifiedOn: TODAY, delegation: delegation('pilot-support-by-sub-project-unit'), ...by(actors.bftApprover) } },
  ];

  it('refuses paying pilot support from another sub-project than the decision’s', () => {
    spec
      .given([...active, ...pilotDecision('d-pilot')])
      .when(payFootballKit({ answersDecisionId: 'd-pilot', funding: { kind: 'sub-project', subProjectId: 'sp-driving' } }), { actor: actors.bftCaseworker })
      .thenThrows(FundingMismatch);
  });

  it('refuses counting pilot support as income also when a unit pays it from its own budget', () => {
    spec
      .given([...active, ...pilotDecision('d-pilot-unit')])
      .when(payFootballKit({ answersDecisionId: 'd-pilot-unit', funding: { kind: 'unit', unit: 'BFT' }, countsAsIncome: true }), { actor: actors.bftCaseworker })
      .thenThrows(PilotPaymentNotIncome);
  });

  it.each([
    ['zero', 0],
    ['a negative amount', -50_000],
    ['fractions of øre', 1600.5],
  ])('refuses %s', (_label, amountOre) => {
    spec.given(active).when(payUnderNavDecision({ amountOre })).thenThrows(InvalidAmount);
  });

  it.each([
    ['an unknown method', { method: 'cash' as 'bank-transfer' }],
    ['no documentation', { documentationRef: '' }],
    ['a funding source of unknown kind', { funding: { kind: 'lottery' } as never }],
  ])('refuses %s', (_label, data) => {
    spec.given(active).when(payUnderNavDecision(data)).thenThrows(InvalidInput);
  });

  it('refuses a payment dated in the future', () => {
    spec.given(active).when(payUnderNavDecision({ paidOn: '2024-03-16' })).thenThrows(InvalidDate);
  });

  it('refuses an unknown recipient, need or decision', () => {
    spec.given(active).when(payUnderNavDecision({ recipientMemberId: 'm-landlord' })).thenThrows(MemberNotFound);
    spec.given(active).when(payUnderNavDecision({ answersNeedId: 'n-x' })).thenThrows(NeedNotFound);
    spec.given(active).when(payUnderNavDecision({ answersDecisionId: 'd-x' })).thenThrows(DecisionNotFound);
  });

  it('refuses paying under a decision not yet approved', () => {
    spec.given([familyRegistered, socialAssistanceProposed]).when(payUnderNavDecision()).thenThrows(DecisionStatusConflict);
  });

  it('refuses answering a withdrawn need', () => {
    const withdrawn: FamilyEvent = { type: 'NeedWithdrawn', data: { needId: 'n-1', reason: null, ...by(actors.school) } };
    spec.given([...active, withdrawn]).when(payFootballKit(), { actor: actors.bftCaseworker }).thenThrows(NeedNotOpen);
  });

  it('refuses a payment id already used', () => {
    spec.given([...active, navPaymentRecorded]).when(payUnderNavDecision()).thenThrows(AlreadyExists);
  });

  describe('by a partner', () => {
    it('records a sub-project payment (whether the sub-project lets its organisation pay is decided on the sub-project stream)', () => {
      const state = spec
        .given(active)
        .when(payFootballKit(), { actor: actors.school })
        .then([{ ...footballKit, data: { ...footballKit.data, ...by(actors.school) } }]);
      expect(state.payments['id-1'].recordedBy).toEqual({ userId: 'lise.school', role: 'partner', unit: null, partnerOrganisation: 'Saupstad skole' });
    });

    it('refuses a payment from a unit budget, under a decision or not', () => {
      const error = spec.given(active).when(payFootballKit({ funding: { kind: 'unit', unit: 'BFT' } }), { actor: actors.school }).thenThrows(ActionNotPermitted);
      expect(error.message).toMatch(/partner pays only from a sub-project budget/);
      spec.given(active).when(payUnderNavDecision(), { actor: actors.school }).thenThrows(ActionNotPermitted);
    });

    it('keeps the other rules: pilot money is never income, the recipient must be a member', () => {
      spec.given(active).when(payFootballKit({ countsAsIncome: true }), { actor: actors.school }).thenThrows(PilotPaymentNotIncome);
      spec.given(active).when(payFootballKit({ recipientMemberId: 'm-nobody' }), { actor: actors.school }).thenThrows(MemberNotFound);
    });

    it('is refused to auditors and rules analysts', () => {
      spec.given(active).when(payFootballKit(), { actor: actors.auditor }).thenThrows(ActionNotPermitted);
      spec.given(active).when(payFootballKit(), { actor: { userId: 'r', role: 'rules-analyst' } }).thenThrows(ActionNotPermitted);
    });
  });
});

describe('ReversePayment', () => {
  const reversed: FamilyEvent = {
    type: 'PaymentReversed',
    data: { paymentId: 'pay-1', amountOre: 1_250_000, reversedOn: TODAY, reason: 'Paid to the wrong account.', ...by(actors.navCaseworker) },
  };

  it('reverses without deleting: the payment stays, marked reversed', () => {
    const unitIncome: FamilyEvent = { ...navPaymentRecorded, data: { ...navPaymentRecorded.data, countsAsIncome: true } };
    const state = spec
      .given([...active, unitIncome])
      .when({ type: 'ReversePayment', data: { paymentId: 'pay-1', reason: 'Paid to the wrong account.' } })
      .then([reversed]);
    expect(state.payments['pay-1']).toMatchObject({ reversed: true, reversedOn: TODAY, amountOre: 1_250_000 });
    expect(incomeBasisPayments(state)).toEqual([]);
  });

  it('refuses reversing twice, an unknown payment, another unit, and no reason', () => {
    const reverse = { type: 'ReversePayment', data: { paymentId: 'pay-1', reason: 'Wrong account.' } } as const;
    spec.given([...active, navPaymentRecorded, reversed]).when(reverse).thenThrows(PaymentAlreadyReversed);
    spec.given(active).when(reverse).thenThrows(PaymentNotFound);
    spec.given([...active, navPaymentRecorded]).when(reverse, { actor: actors.bftCaseworker }).thenThrows(UnitMismatch);
    spec.given([...active, navPaymentRecorded]).when({ type: 'ReversePayment', data: { paymentId: 'pay-1', reason: '' } }).thenThrows(InvalidInput);
  });

  it('refuses a partner, also for a sub-project payment it recorded itself', () => {
    const byPartner: FamilyEvent = { ...footballKit, data: { ...footballKit.data, ...by(actors.school) } };
    spec.given([...active, byPartner]).when({ type: 'ReversePayment', data: { paymentId: 'id-1', reason: 'Wrong kit.' } }, { actor: actors.school }).thenThrows(ActionNotPermitted);
    spec.given([...active, navPaymentRecorded]).when({ type: 'ReversePayment', data: { paymentId: 'pay-1', reason: 'x' } }, { actor: actors.school }).thenThrows(ActionNotPermitted);
  });
});
