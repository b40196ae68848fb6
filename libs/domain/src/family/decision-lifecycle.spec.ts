import schema2Stream from './testing/family-events-schema2.json';
import {
  actors,
  bftPart,
  childHeard,
  childWelfareApproved,
  childWelfareProposed,
  familyRegistered,
  familyContext,
  familySpec as spec,
  reasonsFor,
  socialAssistanceApproved,
  socialAssistanceProposed,
} from '../testing/family.fixtures';
import { InvalidInput } from '../shared/domain-error';
import {
  AdvanceNoticeRequired,
  AnswerPeriodNotEnded,
  ChildViewsMissing,
  EffectiveDateInvalid,
  ReasonsIncomplete,
  RevocationGroundRequired,
} from './decision-errors';
import { decisionOn, validityTimeline } from './decision-valid-time';
import type { DecisionContext } from '../shared/decision-context';
import type { FamilyCommand, ProposeDecision, SendAdvanceNotice } from './family.commands';
import { decideFamily } from './family.decider';
import type { FamilyEvent } from './family.events';
import { foldFamily } from './family.evolve';
import { decisionsCoveringDate, foldAsRecordedAt } from './family.queries';
import { upcastFamilyEvent } from './family.upcast';

/** Decisions as the law makes them (issue 13, engineer B): each rule names its provision. */

const active: FamilyEvent[] = [familyRegistered, socialAssistanceProposed, socialAssistanceApproved];
const approver = { actor: actors.navApprover };
const waiver = { ground: '§ 16 (3) c', explanation: 'The family told us themselves.' } as const;

const propose = (data: Partial<ProposeDecision['data']>): ProposeDecision => ({
  type: 'ProposeDecision',
  data: {
    decisionId: 'd-new',
    unit: 'NAV',
    decisionType: 'economic-social-assistance',
    memberIds: ['m-amina'],
    periodFrom: '2024-04-01',
    periodUntil: '2024-09-30',
    outcome: 'granted',
    reasons: reasonsFor('No income.'),
    ...data,
  },
});

describe('fvl §§ 24-25: structured reasons', () => {
  it('fvl § 25: an enkeltvedtak without the rules applied or the facts is refused, naming what is missing', () => {
    const error = spec
      .given([familyRegistered])
      .when(propose({ reasons: { rulesApplied: [], facts: ' ', summary: 'Yes.' } }))
      .thenThrows(ReasonsIncomplete);
    expect(error.details).toMatchObject({ missing: ['rulesApplied', 'facts'], provision: 'forvaltningsloven §§ 24-25' });
  });

  it('fvl §§ 24-25: a refusal or partial grant needs the main considerations; a plain grant may leave them out', () => {
    for (const outcome of ['refused', 'partly-granted'] as const) {
      const error = spec.given([familyRegistered]).when(propose({ outcome })).thenThrows(ReasonsIncomplete);
      expect(error.details.missing).toEqual(['mainConsiderations']);
    }
    const state = spec
      .given([familyRegistered])
      .when(propose({ outcome: 'refused', reasons: reasonsFor('Income above the guideline.', 'sosialtjenesteloven § 18', 'Savings cover the need.') }))
      .then([expect.objectContaining({ data: expect.objectContaining({ outcome: 'refused' }) })]);
    expect(state.decisions['d-new']).toMatchObject({
      outcome: 'refused',
      reasons: 'Income above the guideline.',
      structuredReasons: { mainConsiderations: 'Savings cover the need.' },
    });
  });

  it('fvl § 2: a refusal is an enkeltvedtak in force that grants nothing in valid time', () => {
    const refused = decided([familyRegistered], propose({ outcome: 'refused', reasons: reasonsFor('Income above.', 'sosialtjenesteloven § 18', 'Savings.') }));
    const approved = spec
      .given([familyRegistered, ...refused])
      .when({ type: 'ApproveDecision', data: { decisionId: 'd-new' } }, approver)
      .then([expect.anything()]);
    expect(approved.decisions['d-new']).toMatchObject({ status: 'active', enkeltvedtak: true, outcome: 'refused' });
    expect(decisionsCoveringDate(approved, '2024-05-01').map((d) => d.decisionId)).toEqual([]);
  });
});

describe('barnekonvensjonen art. 12, Grunnloven § 104, barnevernsloven § 1-4: the child’s voice', () => {
  const forSara: Partial<ProposeDecision['data']> = {
    unit: 'BFT',
    decisionType: 'child-welfare-support-measure',
    memberIds: ['m-sara'],
    reasons: reasonsFor('Support contact.', 'barnevernsloven § 3-1'),
  };

  it('bvl § 1-4 / Grl § 104: a decision about a member under 18 on the decision day without the child’s views is refused', () => {
    const error = spec
      .given([familyRegistered, ...bftPart])
      .when(propose(forSara), { actor: actors.bftCaseworker })
      .thenThrows(ChildViewsMissing);
    expect(error.details).toMatchObject({ memberIds: ['m-sara'] });
  });

  it('BK art. 12: the views and their weight, or why the child was not heard, are kept with the decision', () => {
    const notHeard = { memberId: 'm-sara', heard: false, whyNot: 'declined', explanation: 'Sara did not want to talk to us.' } as const;
    const state = spec
      .given([familyRegistered, ...bftPart])
      .when(propose({ ...forSara, childViews: [notHeard] }), { actor: actors.bftCaseworker })
      .then([expect.objectContaining({ data: expect.objectContaining({ childViews: [notHeard] }) })]);
    expect(state.decisions['d-new'].childViews).toEqual([notHeard]);
  });

  it('BK art. 12: a view heard after the decision day, or for someone the decision is not about, is refused', () => {
    spec
      .given([familyRegistered, ...bftPart])
      .when(propose({ ...forSara, childViews: [childHeard('m-sara', '2024-04-01')] }), { actor: actors.bftCaseworker })
      .thenThrows(InvalidInput);
    spec
      .given([familyRegistered, ...bftPart])
      .when(propose({ ...forSara, childViews: [childHeard('m-sara'), childHeard('m-omar')] }), { actor: actors.bftCaseworker })
      .thenThrows(InvalidInput);
  });

  it('age is read on the decision day from the birth date: an adult needs no child view', () => {
    spec
      .given([familyRegistered])
      .when(propose({ memberIds: ['m-amina', 'm-yusuf'] }))
      .then([expect.objectContaining({ data: expect.objectContaining({ childViews: [] }) })]);
  });
});

describe('valid time: effective dates on approval, amendment and revocation', () => {
  it('approval holds from the period start by default, or from a day within the period; outside it is refused', () => {
    const pending = [familyRegistered, socialAssistanceProposed];
    const state = spec
      .given(pending)
      .when({ type: 'ApproveDecision', data: { decisionId: 'd-nav', effectiveFrom: '2024-03-01' } }, approver)
      .then([expect.anything()]);
    expect(state.decisions['d-nav']).toMatchObject({ effectiveFrom: '2024-03-01', decidedOn: '2024-03-15' });
    expect(decisionOn(state.decisions['d-nav'], '2024-02-15').change).toBeNull();
    spec
      .given(pending)
      .when({ type: 'ApproveDecision', data: { decisionId: 'd-nav', effectiveFrom: '2024-08-01' } }, approver)
      .thenThrows(EffectiveDateInvalid);
  });

  it('fvl § 35: a revocation cannot take effect before the decision itself did', () => {
    spec
      .given(active)
      .when(
        {
          type: 'RevokeDecision',
          data: { decisionId: 'd-nav', reason: 'Moved.', effectiveFrom: '2024-01-15', ground: 'invalid', advanceNoticeWaiver: waiver },
        },
        approver,
      )
      .thenThrows(EffectiveDateInvalid);
  });

  it('fvl § 35 (1): a change to the party’s detriment without a ground, or with "not-to-detriment", is refused', () => {
    spec
      .given(active)
      .when({ type: 'RevokeDecision', data: { decisionId: 'd-nav', reason: 'Moved.', advanceNoticeWaiver: waiver } }, approver)
      .thenThrows(RevocationGroundRequired);
    spec
      .given(active)
      .when(
        {
          type: 'AmendDecision',
          data: { decisionId: 'd-nav', amounts: { monthlyAmountOre: 900_000 }, reasons: 'Less.', ground: 'not-to-detriment', advanceNoticeWaiver: waiver },
        },
        approver,
      )
      .thenThrows(RevocationGroundRequired);
  });

  it('fvl § 35 (1) b, c: a detrimental change reaches back before the day it is decided only if not yet notified or invalid', () => {
    const back = { decisionId: 'd-nav', reason: 'Income was not declared.', effectiveFrom: '2024-03-01', advanceNoticeWaiver: waiver } as const;
    spec
      .given(active)
      .when({ type: 'RevokeDecision', data: { ...back, ground: 'general-doctrine' } }, approver)
      .thenThrows(EffectiveDateInvalid);
    const state = spec
      .given(active)
      .when({ type: 'RevokeDecision', data: { ...back, ground: 'invalid' } }, approver)
      .then([expect.anything()]);
    expect(decisionOn(state.decisions['d-nav'], '2024-02-29').status).toBe('active');
    expect(decisionOn(state.decisions['d-nav'], '2024-03-01').status).toBe('revoked');
  });

  it('an amendment in the party’s favour needs no notice; from its effective date the view shows the new amount', () => {
    const state = spec
      .given(active)
      .when(
        { type: 'AmendDecision', data: { decisionId: 'd-nav', amounts: { monthlyAmountOre: 1_400_000 }, reasons: 'Rent up.', effectiveFrom: '2024-04-01' } },
        approver,
      )
      .then([expect.objectContaining({ data: expect.objectContaining({ ground: 'not-to-detriment', advanceNotice: null, effectiveFrom: '2024-04-01' }) })]);
    const decision = state.decisions['d-nav'];
    expect(decisionOn(decision, '2024-03-31').terms.amounts.monthlyAmountOre).toBe(1_250_000);
    expect(decisionOn(decision, '2024-04-01').terms.amounts.monthlyAmountOre).toBe(1_400_000);
    expect(validityTimeline(decision).map((s) => [s.from, s.until, s.status])).toEqual([
      ['2024-02-01', '2024-03-31', 'in-force'],
      ['2024-04-01', null, 'in-force'],
    ]);
  });

  it('the issue’s finding: a decision revoked from 2024-05-01 stood on 2024-04-01; as recorded before the revocation it stands on every day', () => {
    const revoked: FamilyEvent = {
      type: 'DecisionRevoked',
      data: {
        decisionId: 'd-nav',
        reason: 'Moved.',
        delegation: socialAssistanceApproved.data.delegation,
        effectiveFrom: '2024-05-01',
        ground: 'general-doctrine',
        advanceNotice: { waiver },
        at: '2024-03-20T09:00:00.000Z',
        by: socialAssistanceApproved.data.by,
      },
    };
    const stream = [...active, revoked];
    const now = foldFamily(stream).decisions['d-nav'];
    expect([decisionOn(now, '2024-04-01').status, decisionOn(now, '2024-05-01').status]).toEqual(['active', 'revoked']);
    const then = foldAsRecordedAt(stream, new Date('2024-03-19T00:00:00.000Z')).decisions['d-nav'];
    expect([decisionOn(then, '2024-04-01').status, decisionOn(then, '2024-05-01').status]).toEqual(['active', 'active']);
  });
});

describe('fvl § 16: advance notice before a change to the party’s detriment', () => {
  const notice = (data: Partial<SendAdvanceNotice['data']> = {}): SendAdvanceNotice => ({
    type: 'SendAdvanceNotice',
    data: {
      noticeId: 'n-1',
      decisionId: 'd-nav',
      intendedAct: 'revoke',
      memberIds: ['m-amina', 'm-yusuf'],
      sentOn: '2024-03-10',
      answerBy: '2024-03-24',
      channel: 'post',
      ...data,
    },
  });
  const revoke = {
    type: 'RevokeDecision',
    data: { decisionId: 'd-nav', reason: 'Moved.', ground: 'general-doctrine', advanceNoticeId: 'n-1', effectiveFrom: '2024-04-01' },
  } as const;

  it('fvl § 16: revoking without notice or a waiver is refused (422)', () => {
    spec
      .given(active)
      .when({ type: 'RevokeDecision', data: { decisionId: 'd-nav', reason: 'Moved.', ground: 'general-doctrine' } }, approver)
      .thenThrows(AdvanceNoticeRequired);
  });

  it('fvl § 16 (1): before answerBy with a party still silent → 409; with every statement in, or once answerBy has passed, it goes ahead', () => {
    const sent = decided(active, notice());
    expect(sent).toEqual([expect.objectContaining({ type: 'AdvanceNoticeSent' })]);
    const withNotice = [...active, ...sent];
    const statement = (memberId: string) =>
      ({ type: 'RecordPartyStatement', data: { noticeId: 'n-1', memberId, receivedOn: '2024-03-14', summary: 'We disagree.' } }) as const;
    const amina = decided(withNotice, statement('m-amina'));
    expect(amina).toEqual([
      expect.objectContaining({ type: 'PartyStatementReceived', data: expect.objectContaining({ memberId: 'm-amina', decisionId: 'd-nav' }) }),
    ]);
    const error = spec
      .given([...withNotice, ...amina])
      .when(revoke, approver)
      .thenThrows(AnswerPeriodNotEnded);
    expect(error.details).toMatchObject({ waitingFor: ['m-yusuf'], answerBy: '2024-03-24' });
    const yusuf = decided([...withNotice, ...amina], statement('m-yusuf'));
    spec
      .given([...withNotice, ...amina, ...yusuf])
      .when(revoke, approver)
      .then([expect.objectContaining({ data: expect.objectContaining({ advanceNotice: { noticeId: 'n-1' }, effectiveFrom: '2024-04-01' }) })]);
    spec
      .given(withNotice)
      .when(revoke, { ...approver, now: new Date('2024-03-25T09:00:00.000Z') })
      .then([expect.anything()]);
  });

  it('fvl § 16: a notice announcing another act does not cover this one; answerBy must leave time to answer', () => {
    const sent = decided(active, notice({ intendedAct: 'amend-to-detriment' }));
    spec
      .given([...active, ...sent])
      .when(revoke, { ...approver, now: new Date('2024-03-25T09:00:00.000Z') })
      .thenThrows(AdvanceNoticeRequired);
    spec
      .given(active)
      .when(notice({ answerBy: '2024-03-10' }))
      .thenThrows(InvalidInput);
  });

  it('fvl § 16 (1): a party over 15 is notified in person, not only through the parents', () => {
    const leila = [
      familyRegistered,
      ...bftPart,
      { ...childWelfareProposed, data: { ...childWelfareProposed.data, memberIds: ['m-leila'] } },
      childWelfareApproved,
    ];
    spec
      .given(leila)
      .when(notice({ decisionId: 'd-bft', memberIds: ['m-amina'] }), { actor: actors.bftCaseworker })
      .thenThrows(InvalidInput);
  });
});

describe('schema 3 upcasting on a fixture of events written by the schema 2 deciders (design 3.8)', () => {
  const stream = schema2Stream as unknown as FamilyEvent[];

  it('reads free-text reasons as facts and summary, the legal basis as the rule applied, outcome granted, child views not recorded', () => {
    const state = foldFamily(stream);
    expect(state.decisions['d-nav']).toMatchObject({
      outcome: 'granted',
      enkeltvedtak: true,
      childViews: null,
      // The amendments restated the reasons text; the proposal's structure stays.
      reasons: 'Rent went up from March.',
      structuredReasons: {
        rulesApplied: ['Lov om sosiale tjenester i NAV § 18'],
        facts: 'The household has no income while both adults take Norwegian courses.',
        mainConsiderations: null,
        summary: 'The household has no income while both adults take Norwegian courses.',
      },
    });
  });

  it('an approval without effectiveFrom holds from the period start; amendments and revocations from the day recorded', () => {
    const state = foldFamily(stream);
    const nav = state.decisions['d-nav'];
    expect(nav).toMatchObject({ effectiveFrom: '2024-02-01', decidedOn: '2024-02-02', amounts: { monthlyAmountOre: 1_450_000 } });
    expect(validityTimeline(nav).map((s) => [s.from, s.kind, s.terms.amounts.monthlyAmountOre])).toEqual([
      ['2024-02-01', 'approved', 1_250_000],
      ['2024-02-20', 'amended', 1_400_000],
      ['2024-03-01', 'amended', 1_450_000],
    ]);
    const bft = state.decisions['d-bft'];
    expect([decisionOn(bft, '2024-04-09').status, decisionOn(bft, '2024-04-10').status]).toEqual(['active', 'revoked']);
    expect(bft.history.map((h) => [h.event, h.effectiveFrom ?? null])).toEqual([
      ['DecisionProposed', null],
      ['DecisionApproved', '2024-03-01'],
      ['DecisionRevoked', '2024-04-10'],
    ]);
  });

  it('upcast(upcast(e)) equals upcast(e), and folding the upcast stream gives the same state', () => {
    for (const event of stream) {
      const once = upcastFamilyEvent(event);
      expect(upcastFamilyEvent(once)).toStrictEqual(once);
    }
    expect(foldFamily(stream.map(upcastFamilyEvent))).toStrictEqual(foldFamily(stream));
  });

  it('schema 3 decision events are read exactly as written', () => {
    for (const event of [socialAssistanceProposed, socialAssistanceApproved, childWelfareProposed]) expect(upcastFamilyEvent(event)).toBe(event);
  });
});

/** The events a command appends on a history, for steps that later steps build on. */
function decided(given: FamilyEvent[], command: FamilyCommand, ctx: Partial<DecisionContext> = {}): FamilyEvent[] {
  return decideFamily(command, foldFamily(given), familyContext(ctx));
}
