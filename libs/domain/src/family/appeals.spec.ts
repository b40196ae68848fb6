import { InvalidDate, InvalidInput, UnitMismatch } from '../shared/domain-error';
import {
  actors,
  bftPart,
  by,
  delegation,
  familyRegistered,
  familySpec as spec,
  sharingConsent,
  socialAssistanceApproved,
  socialAssistanceProposed,
} from '../testing/family.fixtures';
import type { ReceiveAppeal } from './family.commands';
import {
  AlreadyExists,
  AppealAlreadyDecided,
  AppealNotFound,
  DecisionNotFound,
  DecisionStatusConflict,
  LateAppealWithoutExcuse,
  MemberNotFound,
  NotApprover,
  NotAppealable,
  NothingToAmend,
} from './family.errors';
import type { AppealDecided, AppealReceived, FamilyEvent } from './family.events';
import { NoPartInCase } from './parts.errors';

// The NAV decision was approved (and notified) on 2 February 2024: the deadline is 23 February.
const active = [familyRegistered, socialAssistanceProposed, socialAssistanceApproved];

const receive = (data: Partial<ReceiveAppeal['data']> = {}): ReceiveAppeal => ({
  type: 'ReceiveAppeal',
  data: { appealId: 'a-1', decisionId: 'd-nav', receivedDate: '2024-02-10', appellantMemberId: 'm-amina', grounds: 'The amount does not cover rent.', ...data },
});

const received: AppealReceived = {
  type: 'AppealReceived',
  data: {
    appealId: 'a-1',
    decisionId: 'd-nav',
    appellantMemberId: 'm-amina',
    grounds: 'The amount does not cover rent.',
    receivedDate: '2024-02-10',
    deadline: '2024-02-23',
    late: false,
    lateExcuse: null,
    ...by(actors.navCaseworker),
  },
};
const underAppeal = [...active, received];

const upheld: AppealDecided = {
  type: 'AppealDecided',
  data: { appealId: 'a-1', decisionId: 'd-nav', outcome: 'upheld', reasons: 'The amount follows the state guideline rates.', ...by(actors.navApprover) },
};

describe('ReceiveAppeal', () => {
  it('records an appeal in time and puts the decision under appeal', () => {
    const state = spec.given(active).when(receive()).then([received]);
    expect(state.decisions['d-nav']).toMatchObject({ status: 'under-appeal', openAppealId: 'a-1' });
    expect(state.appeals['a-1'].status).toBe('open');
  });

  it('counts the deadline day itself as in time', () => {
    spec
      .given(active)
      .when(receive({ receivedDate: '2024-02-23' }))
      .then([{ ...received, data: { ...received.data, receivedDate: '2024-02-23' } }]);
  });

  it('accepts a late appeal with an excuse, flagged late', () => {
    spec
      .given(active)
      .when(receive({ receivedDate: '2024-02-26', lateExcuse: 'The letter was in Norwegian only; an interpreter read it on 24 February.' }))
      .then([
        {
          ...received,
          data: { ...received.data, receivedDate: '2024-02-26', late: true, lateExcuse: 'The letter was in Norwegian only; an interpreter read it on 24 February.' },
        },
      ]);
  });

  it('refuses a late appeal without an excuse', () => {
    const error = spec.given(active).when(receive({ receivedDate: '2024-02-24' })).thenThrows(LateAppealWithoutExcuse);
    expect(error.details).toMatchObject({ deadline: '2024-02-23', receivedDate: '2024-02-24' });
  });

  it('refuses an appeal against a decision that is not an enkeltvedtak (pilot support)', () => {
    const pilot: FamilyEvent[] = [
      familyRegistered,
      ...bftPart,
      {
        type: 'DecisionProposed',
        data: {
          ...socialAssistanceProposed.data,
          decisionId: 'd-pilot',
          unit: 'BFT',
          decisionType: 'pilot-support',
          memberIds: ['m-sara'],
          legalBasis: null,
          enkeltvedtak: false,
          subProject: { subProjectId: 'sp-1', responsibleUnit: 'BFT' },
          delegation: delegation('pilot-support-by-sub-project-unit'),
          ...by(actors.bftCaseworker),
        },
      },
      { type: 'DecisionApproved', data: { decisionId: 'd-pilot', notifiedOn: '2024-03-01', delegation: delegation('pilot-support-by-sub-project-unit'), ...by(actors.bftApprover) } },
    ];
    spec.given(pilot).when(receive({ decisionId: 'd-pilot', receivedDate: '2024-03-05' }), { actor: actors.bftCaseworker }).thenThrows(NotAppealable);
  });

  it('refuses an appeal against a proposal, or a second open appeal', () => {
    spec.given([familyRegistered, socialAssistanceProposed]).when(receive()).thenThrows(DecisionStatusConflict);
    spec.given(underAppeal).when(receive({ appealId: 'a-2' })).thenThrows(DecisionStatusConflict);
  });

  it('refuses an appeal id already used', () => {
    spec.given([...underAppeal, upheld]).when(receive()).thenThrows(AlreadyExists);
  });

  it.each([
    ['before the decision was notified', '2024-02-01'],
    ['in the future', '2024-03-16'],
  ])('refuses a received date %s', (_label, receivedDate) => {
    spec.given(active).when(receive({ receivedDate })).thenThrows(InvalidDate);
  });

  it('refuses another unit receiving it: without a part, without sight of the decision, or of the wrong unit', () => {
    spec.given(active).when(receive(), { actor: actors.bftCaseworker }).thenThrows(NoPartInCase);
    spec.given([...active, ...bftPart]).when(receive(), { actor: actors.bftCaseworker }).thenThrows(DecisionNotFound);
    const shared = ['m-amina', 'm-yusuf'].map((memberId) => sharingConsent(`c-${memberId}`, memberId, ['BFT'], { dataCategories: ['decisions'] }));
    spec.given([...active, ...bftPart, ...shared]).when(receive(), { actor: actors.bftCaseworker }).thenThrows(UnitMismatch);
  });

  it('refuses an unknown decision or appellant', () => {
    spec.given(active).when(receive({ decisionId: 'd-x' })).thenThrows(DecisionNotFound);
    spec.given(active).when(receive({ appellantMemberId: 'm-lawyer' })).thenThrows(MemberNotFound);
  });
});

describe('DecideAppeal', () => {
  it('upholds: the decision is active again, unchanged', () => {
    const state = spec
      .given(underAppeal)
      .when({ type: 'DecideAppeal', data: { appealId: 'a-1', outcome: 'upheld', reasons: 'The amount follows the state guideline rates.' } }, { actor: actors.navApprover })
      .then([upheld]);
    expect(state.decisions['d-nav']).toMatchObject({ status: 'active', openAppealId: null, amounts: { monthlyAmountOre: 1_250_000 } });
    expect(state.appeals['a-1']).toMatchObject({ status: 'upheld', outcomeReasons: 'The amount follows the state guideline rates.' });
  });

  it('reverses: the decision is amended in the same append, pointing at the appeal', () => {
    const state = spec
      .given(underAppeal)
      .when(
        {
          type: 'DecideAppeal',
          data: { appealId: 'a-1', outcome: 'reversed', reasons: 'Rent was not included.', amendment: { amounts: { monthlyAmountOre: 1_480_000 } } },
        },
        { actor: actors.navApprover },
      )
      .then([
        { type: 'AppealDecided', data: { appealId: 'a-1', decisionId: 'd-nav', outcome: 'reversed', reasons: 'Rent was not included.', ...by(actors.navApprover) } },
        {
          type: 'DecisionAmended',
          data: {
            decisionId: 'd-nav',
            periodFrom: '2024-02-01',
            periodUntil: '2024-07-31',
            amounts: { monthlyAmountOre: 1_480_000, oneOffAmountOre: null },
            legalBasis: 'Lov om sosiale tjenester i NAV § 18',
            reasons: 'Rent was not included.',
            appealId: 'a-1',
            delegation: delegation('nav-social-assistance'),
            ...by(actors.navApprover),
          },
        },
      ]);
    expect(state.decisions['d-nav']).toMatchObject({ status: 'active', amounts: { monthlyAmountOre: 1_480_000 } });
    expect(state.decisions['d-nav'].history.map((h) => h.event)).toEqual([
      'DecisionProposed',
      'DecisionApproved',
      'AppealReceived',
      'AppealDecided',
      'DecisionAmended',
    ]);
  });

  it('refuses a reversal that does not say what changes, or changes nothing', () => {
    const reverse = { appealId: 'a-1', outcome: 'reversed', reasons: 'Reversed.' } as const;
    spec.given(underAppeal).when({ type: 'DecideAppeal', data: reverse }, { actor: actors.navApprover }).thenThrows(InvalidInput);
    spec
      .given(underAppeal)
      .when({ type: 'DecideAppeal', data: { ...reverse, amendment: { periodUntil: '2024-07-31' } } }, { actor: actors.navApprover })
      .thenThrows(NothingToAmend);
  });

  it('refuses an amendment with an upheld outcome', () => {
    spec
      .given(underAppeal)
      .when({ type: 'DecideAppeal', data: { appealId: 'a-1', outcome: 'upheld', reasons: 'Upheld.', amendment: { periodUntil: '2024-12-31' } } }, { actor: actors.navApprover })
      .thenThrows(InvalidInput);
  });

  it('refuses an unknown outcome', () => {
    spec
      .given(underAppeal)
      .when({ type: 'DecideAppeal', data: { appealId: 'a-1', outcome: 'partly' as 'upheld', reasons: 'Hmm.' } }, { actor: actors.navApprover })
      .thenThrows(InvalidInput);
  });

  it('refuses deciding twice, an unknown appeal, and a caseworker', () => {
    const decide = { type: 'DecideAppeal', data: { appealId: 'a-1', outcome: 'upheld', reasons: 'Again.' } } as const;
    spec.given([...underAppeal, upheld]).when(decide, { actor: actors.navApprover }).thenThrows(AppealAlreadyDecided);
    spec.given(active).when(decide, { actor: actors.navApprover }).thenThrows(AppealNotFound);
    spec.given(underAppeal).when(decide).thenThrows(NotApprover);
  });

  it('needs a part in the case (NO_PART_IN_CASE, before the appeal is looked up)', () => {
    const error = spec
      .given(underAppeal)
      .when({ type: 'DecideAppeal', data: { appealId: 'a-1', outcome: 'upheld', reasons: 'Upheld.' } }, { actor: actors.hvkApprover })
      .thenThrows(NoPartInCase);
    expect(error.message).not.toMatch(/a-1|d-nav/);
  });
});
