import { ActionNotPermitted, InvalidDate, InvalidInput } from '../shared/domain-error';
import {
  actors,
  by,
  familyRegistered,
  familySpec as spec,
  navPaymentRecorded,
  needExpressed,
  socialAssistanceApproved,
  socialAssistanceProposed,
  TODAY,
} from '../testing/family.fixtures';
import {
  AlreadyExists,
  DecisionNotFound,
  DecisionStatusConflict,
  MemberNotCurrent,
  MemberNotFound,
  NeedAlreadyPickedUp,
  NeedNotFound,
  NeedNotOpen,
  NeedResolutionRequired,
  PaymentAlreadyReversed,
  PaymentNotFound,
} from './family.errors';
import type { FamilyEvent } from './family.events';

const pickedUpByBft: FamilyEvent = { type: 'NeedPickedUp', data: { needId: 'n-1', unit: 'BFT', ...by(actors.bftCaseworker) } };
const withdrawn: FamilyEvent = { type: 'NeedWithdrawn', data: { needId: 'n-1', reason: null, ...by(actors.school) } };
const withPayment = [familyRegistered, socialAssistanceProposed, socialAssistanceApproved, needExpressed, navPaymentRecorded];

describe('ExpressNeed', () => {
  it('records a partner writing down a child’s need in her own words', () => {
    const state = spec
      .given([familyRegistered])
      .when(
        { type: 'ExpressNeed', data: { needId: 'n-1', memberId: 'm-sara', words: 'Jeg vil gå på fotball med de andre i klassen.', expressedOn: '2024-02-20' } },
        { actor: actors.school, now: new Date('2024-02-20T12:00:00.000Z') },
      )
      .then([needExpressed]);
    expect(state.needs['n-1']).toMatchObject({ status: 'open', pickedUpBy: [], recordedAt: '2024-02-20T12:00:00.000Z' });
  });

  it('records a need of the whole family, by a caseworker, today, with a generated id', () => {
    spec
      .given([familyRegistered])
      .when({ type: 'ExpressNeed', data: { words: 'A bigger flat, so the children can do homework.' } })
      .then([
        {
          type: 'NeedExpressed',
          data: {
            needId: 'id-1',
            memberId: null,
            words: 'A bigger flat, so the children can do homework.',
            expressedOn: TODAY,
            recordedBy: { kind: 'unit', unit: 'NAV', userId: 'kari.nav' },
            ...by(actors.navCaseworker),
          },
        },
      ]);
  });

  it.each([
    ['empty words', { words: ' ' }],
    ['words past the length limit', { words: 'x'.repeat(2001) }],
  ])('refuses %s', (_label, data) => {
    spec.given([familyRegistered]).when({ type: 'ExpressNeed', data: { memberId: 'm-sara', ...data } }).thenThrows(InvalidInput);
  });

  it('refuses a need expressed in the future', () => {
    spec.given([familyRegistered]).when({ type: 'ExpressNeed', data: { words: 'Driving licence', expressedOn: '2024-03-16' } }).thenThrows(InvalidDate);
  });

  it('refuses an unknown member', () => {
    spec.given([familyRegistered]).when({ type: 'ExpressNeed', data: { memberId: 'm-nobody', words: 'A bike' } }).thenThrows(MemberNotFound);
  });

  it('refuses a member who left', () => {
    const left: FamilyEvent = { type: 'MemberLeft', data: { memberId: 'm-yusuf', leftOn: TODAY, reason: null, ...by(actors.navCaseworker) } };
    spec.given([familyRegistered, left]).when({ type: 'ExpressNeed', data: { memberId: 'm-yusuf', words: 'A job' } }).thenThrows(MemberNotCurrent);
  });

  it('refuses a need id already used', () => {
    spec.given([familyRegistered, needExpressed]).when({ type: 'ExpressNeed', data: { needId: 'n-1', words: 'Again' } }).thenThrows(AlreadyExists);
  });

  it('refuses an auditor and a partner user without an organisation', () => {
    const command = { type: 'ExpressNeed', data: { words: 'A bike' } } as const;
    spec.given([familyRegistered]).when(command, { actor: actors.auditor }).thenThrows(ActionNotPermitted);
    spec.given([familyRegistered]).when(command, { actor: { userId: 'x', role: 'partner' } }).thenThrows(ActionNotPermitted);
  });
});

describe('PickUpNeed', () => {
  it('records the unit that takes the need on; another unit may too', () => {
    const state = spec
      .given([familyRegistered, needExpressed, pickedUpByBft])
      .when({ type: 'PickUpNeed', data: { needId: 'n-1' } })
      .then([{ type: 'NeedPickedUp', data: { needId: 'n-1', unit: 'NAV', ...by(actors.navCaseworker) } }]);
    expect(state.needs['n-1'].pickedUpBy.map((p) => p.unit)).toEqual(['BFT', 'NAV']);
  });

  it('refuses the same unit twice', () => {
    spec.given([familyRegistered, needExpressed, pickedUpByBft]).when({ type: 'PickUpNeed', data: { needId: 'n-1' } }, { actor: actors.bftApprover }).thenThrows(NeedAlreadyPickedUp);
  });

  it('refuses a partner: units pick needs up', () => {
    spec.given([familyRegistered, needExpressed]).when({ type: 'PickUpNeed', data: { needId: 'n-1' } }, { actor: actors.school }).thenThrows(ActionNotPermitted);
  });

  it('refuses an unknown or closed need', () => {
    spec.given([familyRegistered]).when({ type: 'PickUpNeed', data: { needId: 'n-1' } }).thenThrows(NeedNotFound);
    spec.given([familyRegistered, needExpressed, withdrawn]).when({ type: 'PickUpNeed', data: { needId: 'n-1' } }).thenThrows(NeedNotOpen);
  });
});

describe('ResolveNeed', () => {
  it('links the decisions and payments that met the need', () => {
    const state = spec
      .given(withPayment)
      .when({ type: 'ResolveNeed', data: { needId: 'n-1', decisionIds: ['d-nav'], paymentIds: ['pay-1'] } })
      .then([{ type: 'NeedResolved', data: { needId: 'n-1', decisionIds: ['d-nav'], paymentIds: ['pay-1'], resolution: null, ...by(actors.navCaseworker) } }]);
    expect(state.needs['n-1']).toMatchObject({ status: 'resolved', closedAt: '2024-03-15T09:00:00.000Z' });
  });

  it('accepts a described resolution without money or decision', () => {
    spec
      .given([familyRegistered, needExpressed])
      .when({ type: 'ResolveNeed', data: { needId: 'n-1', resolution: 'The football club waived the fee.' } })
      .then([
        { type: 'NeedResolved', data: { needId: 'n-1', decisionIds: [], paymentIds: [], resolution: 'The football club waived the fee.', ...by(actors.navCaseworker) } },
      ]);
  });

  it('refuses a resolution that says nothing about how the need was met', () => {
    spec.given([familyRegistered, needExpressed]).when({ type: 'ResolveNeed', data: { needId: 'n-1' } }).thenThrows(NeedResolutionRequired);
  });

  it('refuses links to unknown decisions or payments', () => {
    spec.given(withPayment).when({ type: 'ResolveNeed', data: { needId: 'n-1', decisionIds: ['d-x'] } }).thenThrows(DecisionNotFound);
    spec.given(withPayment).when({ type: 'ResolveNeed', data: { needId: 'n-1', paymentIds: ['pay-x'] } }).thenThrows(PaymentNotFound);
  });

  it('refuses a decision that was only proposed, and a reversed payment', () => {
    spec
      .given([familyRegistered, needExpressed, socialAssistanceProposed])
      .when({ type: 'ResolveNeed', data: { needId: 'n-1', decisionIds: ['d-nav'] } })
      .thenThrows(DecisionStatusConflict);
    const reversed: FamilyEvent = { type: 'PaymentReversed', data: { paymentId: 'pay-1', amountOre: 1_250_000, reversedOn: TODAY, reason: 'Wrong account', ...by(actors.navCaseworker) } };
    spec.given([...withPayment, reversed]).when({ type: 'ResolveNeed', data: { needId: 'n-1', paymentIds: ['pay-1'] } }).thenThrows(PaymentAlreadyReversed);
  });

  it('refuses the same id listed twice', () => {
    spec.given(withPayment).when({ type: 'ResolveNeed', data: { needId: 'n-1', paymentIds: ['pay-1', 'pay-1'] } }).thenThrows(InvalidInput);
  });

  it('refuses a need that is no longer open', () => {
    spec.given([familyRegistered, needExpressed, withdrawn]).when({ type: 'ResolveNeed', data: { needId: 'n-1', resolution: 'Done' } }).thenThrows(NeedNotOpen);
  });
});

describe('WithdrawNeed', () => {
  it('lets the partner who wrote it down withdraw it', () => {
    const state = spec.given([familyRegistered, needExpressed]).when({ type: 'WithdrawNeed', data: { needId: 'n-1' } }, { actor: actors.school }).then([withdrawn]);
    expect(state.needs['n-1'].status).toBe('withdrawn');
  });

  it('refuses a need already withdrawn', () => {
    spec.given([familyRegistered, needExpressed, withdrawn]).when({ type: 'WithdrawNeed', data: { needId: 'n-1', reason: 'twice' } }).thenThrows(NeedNotOpen);
  });
});
