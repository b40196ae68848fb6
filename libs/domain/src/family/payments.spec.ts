import { ActionNotPermitted, InvalidAmount, InvalidDate, InvalidInput, UnitMismatch } from '../shared/domain-error';
import {
  actors,
  bftPart,
  by,
  delegation,
  familyRegistered,
  familySpec as spec,
  schoolEnrolled,
  sharingConsent,
  withSchoolEnrolled,
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
import type { FamilyEnrolled, FamilyEvent, PaymentRecorded } from './family.events';
import { incomeBasisPayments } from './family.queries';
import { NoPartInCase, PartnerNotEnrolled } from './parts.errors';
import { PartnerMayNotPay, SubProjectNotFound } from '../sub-project/sub-project.errors';

/** NAV's decision in force; BFT (with a part) enrolled the children in Barnas stemme; the school wrote Sara's need down. */
const active = [...withSchoolEnrolled, socialAssistanceProposed, socialAssistanceApproved, needExpressed];
/** The adults let NAV share their decisions and payments with BFT. */
const navSharedWithBft = ['m-amina', 'm-yusuf'].map((memberId) =>
  sharingConsent(`c-${memberId}-bft`, memberId, ['BFT'], { dataCategories: ['decisions', 'payments'] }),
);
const barnasStemmeRef = { subProjectId: 'sp-barnas-stemme', responsibleUnit: 'BFT' } as const;

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
    subProject: barnasStemmeRef,
    ...data,
  },
});

describe('RecordPayment', () => {
  it('records a unit payment under its decision; social assistance itself is not income', () => {
    spec.given(active).when(payUnderNavDecision(), paidAt).then([navPaymentRecorded]);
  });

  it('counts a unit payment outside any decision as income unless told otherwise', () => {
    const state = spec
      .given(active)
      .when(payUnderNavDecision({ answersDecisionId: null }))
      .then([{ ...navPaymentRecorded, data: { ...navPaymentRecorded.data, answersDecisionId: null, countsAsIncome: true, ...by(actors.navCaseworker) } }]);
    expect(incomeBasisPayments(state).map((p) => p.paymentId)).toEqual(['pay-1']);
    spec
      .given(active)
      .when(payUnderNavDecision({ answersDecisionId: null, countsAsIncome: false }))
      .then([{ ...navPaymentRecorded, data: { ...navPaymentRecorded.data, answersDecisionId: null, countsAsIncome: false, ...by(actors.navCaseworker) } }]);
  });

  it('never counts pilot money as income (the NAV letter)', () => {
    const state = spec.given(active).when(payFootballKit(), { actor: actors.bftCaseworker }).then([footballKit]);
    expect(incomeBasisPayments(state)).toEqual([]);
    spec
      .given(active)
      .when(payFootballKit({ countsAsIncome: true }), { actor: actors.bftCaseworker })
      .thenThrows(PilotPaymentNotIncome);
  });

  it('refuses paying from another unit’s budget', () => {
    spec.given(active).when(payUnderNavDecision(), { actor: actors.bftCaseworker }).thenThrows(UnitMismatch);
  });

  it('refuses paying under a decision from a budget that did not make it', () => {
    spec
      .given([...active, ...navSharedWithBft])
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
    {
      type: 'DecisionApproved',
      data: { decisionId, notifiedOn: TODAY, delegation: delegation('pilot-support-by-sub-project-unit'), ...by(actors.bftApprover) },
    },
  ];

  it('refuses paying pilot support from another sub-project than the decision’s', () => {
    spec
      .given([...active, ...pilotDecision('d-pilot')])
      .when(
        payFootballKit({
          answersDecisionId: 'd-pilot',
          funding: { kind: 'sub-project', subProjectId: 'sp-driving' },
          subProject: { subProjectId: 'sp-driving', responsibleUnit: 'BFT' },
        }),
        { actor: actors.bftCaseworker },
      )
      .thenThrows(FundingMismatch);
  });

  it('refuses counting pilot support as income also when a unit pays it from its own budget', () => {
    spec
      .given([...active, ...pilotDecision('d-pilot-unit')])
      .when(payFootballKit({ answersDecisionId: 'd-pilot-unit', funding: { kind: 'unit', unit: 'BFT' }, countsAsIncome: true }), {
        actor: actors.bftCaseworker,
      })
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
    spec
      .given(active)
      .when(payUnderNavDecision({ paidOn: '2024-03-16' }))
      .thenThrows(InvalidDate);
  });

  it('refuses an unknown recipient, need or decision', () => {
    spec
      .given(active)
      .when(payUnderNavDecision({ recipientMemberId: 'm-landlord' }))
      .thenThrows(MemberNotFound);
    spec
      .given(active)
      .when(payUnderNavDecision({ answersNeedId: 'n-x' }))
      .thenThrows(NeedNotFound);
    spec
      .given(active)
      .when(payUnderNavDecision({ answersDecisionId: 'd-x' }))
      .thenThrows(DecisionNotFound);
  });

  it('refuses paying under a decision not yet approved', () => {
    spec.given([familyRegistered, socialAssistanceProposed]).when(payUnderNavDecision()).thenThrows(DecisionStatusConflict);
  });

  it('refuses answering a withdrawn need', () => {
    const withdrawn: FamilyEvent = { type: 'NeedWithdrawn', data: { needId: 'n-1', reason: null, ...by(actors.school) } };
    spec
      .given([...active, withdrawn])
      .when(payFootballKit(), { actor: actors.bftCaseworker })
      .thenThrows(NeedNotOpen);
  });

  it('refuses a payment id already used', () => {
    spec
      .given([...active, navPaymentRecorded])
      .when(payUnderNavDecision())
      .thenThrows(AlreadyExists);
  });

  it('needs a part in the case (NO_PART_IN_CASE), also to pay from the unit’s own budget', () => {
    spec
      .given(active)
      .when(payUnderNavDecision({ funding: { kind: 'unit', unit: 'HVK' }, answersDecisionId: null }), { actor: actors.hvkCaseworker })
      .thenThrows(NoPartInCase);
  });

  describe('sub-project payments only by the responsible unit (pilot support: the sub-project’s responsible unit decides and pays)', () => {
    it('refuses another unit with a part paying from the sub-project (UNIT_MISMATCH)', () => {
      const error = spec
        .given(active)
        .when(payFootballKit({ answersNeedId: null }))
        .thenThrows(UnitMismatch);
      expect(error.details).toEqual({ actorUnit: 'NAV', requiredUnit: 'BFT' });
    });

    it('refuses a payment whose sub-project the application did not fill in from the sub-project stream (or another one)', () => {
      spec
        .given(active)
        .when(payFootballKit({ subProject: null }), { actor: actors.bftCaseworker })
        .thenThrows(SubProjectNotFound);
      spec
        .given(active)
        .when(payFootballKit({ subProject: { subProjectId: 'sp-driving', responsibleUnit: 'BFT' } }), { actor: actors.bftCaseworker })
        .thenThrows(SubProjectNotFound);
    });
  });

  describe('by a partner', () => {
    it('partner payments only within enrolments (partners carry out, the municipality decides, seed l.4543-4551): records a payment from the enrolment’s sub-project to an enrolled member, with leave to pay', () => {
      const state = spec
        .given(active)
        .when(payFootballKit({ subProject: undefined }), { actor: actors.school })
        .then([{ ...footballKit, data: { ...footballKit.data, ...by(actors.school) } }]);
      expect(state.payments['id-1'].recordedBy).toEqual({ userId: 'lise.school', role: 'partner', unit: null, partnerOrganisation: '974123456' });
    });

    it('partner payments only within enrolments: refuses a member outside the enrolment, an organisation not enrolled, an ended enrolment (PARTNER_NOT_ENROLLED)', () => {
      spec
        .given(active)
        .when(payFootballKit({ recipientMemberId: 'm-amina', answersNeedId: null }), { actor: actors.school })
        .thenThrows(PartnerNotEnrolled);
      spec.given(active).when(payFootballKit(), { actor: actors.club }).thenThrows(PartnerNotEnrolled);
      const ended: FamilyEvent = {
        type: 'EnrolmentEnded',
        data: { enrolmentId: 'e-1', reason: 'Project over.', contactPersonIds: [], ...by(actors.bftCaseworker) },
      };
      spec
        .given([...active, ended])
        .when(payFootballKit(), { actor: actors.school })
        .thenThrows(PartnerNotEnrolled);
    });

    it.each([
      ['its name', 'Saupstad skole'],
      ['its name in other case', 'saupstad skole'],
      ['its number with spaces around it', ' 974123456 '],
    ])('partner payments only within enrolments: the organisation number is compared exactly, %s never matches', (_label, partnerOrganisation) => {
      spec
        .given(active)
        .when(payFootballKit(), { actor: { ...actors.school, partnerOrganisation } })
        .thenThrows(PartnerNotEnrolled);
    });

    it('partner payments only within enrolments: refuses without leave to pay, or from another sub-project than the enrolment’s (PARTNER_MAY_NOT_PAY)', () => {
      const noLeave: FamilyEnrolled = {
        ...schoolEnrolled,
        data: { ...schoolEnrolled.data, partners: schoolEnrolled.data.partners.map((p) => ({ ...p, mayRecordPayments: false })) },
      };
      spec
        .given([familyRegistered, ...bftPart, noLeave, needExpressed])
        .when(payFootballKit(), { actor: actors.school })
        .thenThrows(PartnerMayNotPay);
      spec
        .given(active)
        .when(payFootballKit({ funding: { kind: 'sub-project', subProjectId: 'sp-driving' } }), { actor: actors.school })
        .thenThrows(PartnerMayNotPay);
    });

    it('refuses a payment from a unit budget, under a decision or not', () => {
      const error = spec
        .given(active)
        .when(payFootballKit({ funding: { kind: 'unit', unit: 'BFT' } }), { actor: actors.school })
        .thenThrows(ActionNotPermitted);
      expect(error.message).toMatch(/partner pays only from a sub-project budget/);
      spec.given(active).when(payUnderNavDecision(), { actor: actors.school }).thenThrows(ActionNotPermitted);
    });

    it('keeps the other rules: pilot money is never income; nobody outside the enrolment is paid', () => {
      spec
        .given(active)
        .when(payFootballKit({ countsAsIncome: true }), { actor: actors.school })
        .thenThrows(PilotPaymentNotIncome);
      spec
        .given(active)
        .when(payFootballKit({ recipientMemberId: 'm-nobody' }), { actor: actors.school })
        .thenThrows(PartnerNotEnrolled);
      spec
        .given(active)
        .when(payFootballKit({ recipientMemberId: 'm-nobody' }), { actor: actors.bftCaseworker })
        .thenThrows(MemberNotFound);
    });

    it('is refused to auditors and rules analysts', () => {
      spec.given(active).when(payFootballKit(), { actor: actors.auditor }).thenThrows(ActionNotPermitted);
      spec
        .given(active)
        .when(payFootballKit(), { actor: { userId: 'r', role: 'rules-analyst' } })
        .thenThrows(ActionNotPermitted);
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
    spec
      .given([...active, navPaymentRecorded, reversed])
      .when(reverse)
      .thenThrows(PaymentAlreadyReversed);
    spec.given(active).when(reverse).thenThrows(PaymentNotFound);
    spec
      .given([...active, navPaymentRecorded])
      .when(reverse, { actor: actors.bftCaseworker })
      .thenThrows(PaymentNotFound);
    spec
      .given([...active, ...navSharedWithBft, navPaymentRecorded])
      .when(reverse, { actor: actors.bftCaseworker })
      .thenThrows(UnitMismatch);
    spec
      .given([...active, navPaymentRecorded])
      .when(reverse, { actor: actors.hvkCaseworker })
      .thenThrows(NoPartInCase);
    spec
      .given([...active, navPaymentRecorded])
      .when({ type: 'ReversePayment', data: { paymentId: 'pay-1', reason: '' } })
      .thenThrows(InvalidInput);
  });

  it('refuses a partner, also for a sub-project payment it recorded itself', () => {
    const byPartner: FamilyEvent = { ...footballKit, data: { ...footballKit.data, ...by(actors.school) } };
    spec
      .given([...active, byPartner])
      .when({ type: 'ReversePayment', data: { paymentId: 'id-1', reason: 'Wrong kit.' } }, { actor: actors.school })
      .thenThrows(ActionNotPermitted);
    spec
      .given([...active, navPaymentRecorded])
      .when({ type: 'ReversePayment', data: { paymentId: 'pay-1', reason: 'x' } }, { actor: actors.school })
      .thenThrows(ActionNotPermitted);
  });
});
