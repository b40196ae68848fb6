import type { Actor } from '../shared/actor';
import { InvalidDate, InvalidInput } from '../shared/domain-error';
import {
  actors,
  bftPart,
  by,
  delegation,
  familyContext,
  familyRegistered,
  familySpec as spec,
  socialAssistanceApproved,
  socialAssistanceProposed,
} from '../testing/family.fixtures';
import { familyDecider } from './family.decider';
import type { FamilyCommand } from './family.commands';
import { AlreadyExists, DecisionStatusConflict, NotAppealable, NothingToAmend } from './family.errors';
import type { FamilyEvent } from './family.events';
import { foldFamily } from './family.evolve';
import { AppealStageConflict } from './appeals.errors';
import type { AppealCommand, NotificationSubject } from './appeals.types';

/**
 * appeals.decide.ts rule by rule: the edges that the walk through an appeal in appeals.spec.ts
 * does not reach (null fields, representatives, appeals against a dismissal granted and decided,
 * refusals with their fields). The same family as there: NAV's social assistance for Amina and
 * Yusuf, approved 2 February 2024; the notification reached Amina on 7 February, so her deadline
 * is 28 February (fvl § 29). "Today" is 15 March 2024. Every history is built inside the test.
 */

const { notifiedOn: _legacy, ...approvedData } = socialAssistanceApproved.data;
const approved = { type: 'DecisionApproved', data: approvedData } as unknown as FamilyEvent;
const active: FamilyEvent[] = [familyRegistered, socialAssistanceProposed, approved];
/** Schema ≤ 2: the approval stamped notifiedOn 2 February, read as a notification of every party (deadline 23 February). */
const stamped: FamilyEvent[] = [familyRegistered, socialAssistanceProposed, socialAssistanceApproved];

const at = (date: string, hour = 10) => new Date(`${date}T${String(hour - 1).padStart(2, '0')}:00:00.000Z`);
type Step = [FamilyCommand, Actor, string];
const caseworker = actors.navCaseworker;
const approver = actors.navApprover;

function run(history: FamilyEvent[], steps: Step[]): FamilyEvent[] {
  let events = [...history];
  for (const [command, actor, day] of steps) {
    events = [...events, ...familyDecider.decide(command, foldFamily(events), familyContext({ actor, now: at(day) }))];
  }
  return events;
}

type Data<T extends AppealCommand['type']> = Extract<AppealCommand, { type: T }>['data'];

const send = (notificationId: string, sentOn: string, subject: NotificationSubject = { kind: 'decision', id: 'd-nav' }, channel = 'post'): Step => [
  { type: 'SendNotification', data: { notificationId, subject, recipientMemberId: 'm-amina', channel, sentOn } } as FamilyCommand,
  caseworker,
  sentOn,
];
const receipt = (notificationId: string, receivedOn: string): Step => [
  { type: 'RecordNotificationReceived', data: { notificationId, receivedOn, evidence: 'postal-tracking' } },
  caseworker,
  receivedOn,
];
const register = (data: Partial<Data<'RegisterAppeal'>> = {}): FamilyCommand => ({
  type: 'RegisterAppeal',
  data: {
    appealId: 'a-1',
    decisionId: 'd-nav',
    appellant: { memberId: 'm-amina' },
    receivedOn: '2024-02-20',
    channel: 'post',
    grounds: 'The amount does not cover rent.',
    signed: true,
    ...data,
  },
});
const assess = (data: Partial<Data<'AssessAppealForm'>> = {}): FamilyCommand => ({
  type: 'AssessAppealForm',
  data: { appealId: 'a-1', specific: true, signed: true, reasons: 'Names the decision and the change sought.', ...data },
});
const dismiss = (appealId = 'a-1'): FamilyCommand => ({ type: 'DismissAppeal', data: { appealId, reasons: 'Late and not signed.' } });
const prepare = (appealId = 'a-1'): FamilyCommand => ({
  type: 'PrepareAppeal',
  data: { appealId, investigations: 'Rent contract obtained from the landlord.', counterpartiesNotified: false },
});
const change = (data: Partial<Data<'ChangeDecisionOnAppeal'>> = {}): FamilyCommand => ({
  type: 'ChangeDecisionOnAppeal',
  data: { appealId: 'a-1', fully: true, reasons: 'Rent was left out.', ...data },
});
const forward = (data: Partial<Data<'ForwardAppeal'>> = {}): FamilyCommand => ({
  type: 'ForwardAppeal',
  data: { appealId: 'a-1', unitStatement: 'The amount follows the state guideline rates.', copyToParty: true, ...data },
});
const outcome = (data: Partial<Data<'RecordAppealOutcome'>> = {}): FamilyCommand => ({
  type: 'RecordAppealOutcome',
  data: {
    appealId: 'a-1',
    outcome: 'upheld',
    decidedOn: '2024-03-08',
    receivedOn: '2024-03-11',
    reference: 'SF 2024/77',
    summary: 'The county governor’s decision.',
    ...data,
  },
});
const amendTo = (monthlyAmountOre: number, effectiveFrom = '2024-03-01') => ({
  kind: 'amend' as const,
  amendment: { amounts: { monthlyAmountOre } },
  effectiveFrom,
});
/** d-nav's terms after an amendment of the monthly amount by the unit (reasons: the appeal decision's). */
const termsWith = (monthlyAmountOre: number, reasons = 'Rent was left out.') => ({
  periodFrom: '2024-02-01',
  periodUntil: '2024-07-31',
  amounts: { monthlyAmountOre, oneOffAmountOre: null },
  legalBasis: 'Lov om sosiale tjenester i NAV § 18',
  reasons,
});

/** Amina's notification of d-nav, posted 5 February, received 7 February (deadline 28 February). */
const notified = (base: FamilyEvent[] = active): FamilyEvent[] => run(base, [send('n-amina', '2024-02-05'), receipt('n-amina', '2024-02-07')]);
/** a-1: Amina's appeal received 20 February (in time). */
const registered = (): FamilyEvent[] => run(notified(), [[register(), caseworker, '2024-02-20']]);
/** a-1 assessed as meeting the requirements and prepared (fvl § 33 (1)). */
const prepared = (base: FamilyEvent[] = notified()): FamilyEvent[] =>
  run(base, [
    [register(), caseworker, '2024-02-20'],
    [assess(), caseworker, '2024-02-21'],
    [prepare(), caseworker, '2024-02-22'],
  ]);
/** a-1 forwarded to statsforvalteren on 26 February. */
const forwarded = (): FamilyEvent[] => run(prepared(), [[forward(), approver, '2024-02-26']]);
/** a-1 received 4 March (late) and unsigned, dismissed on 6 March; the dismissal handed to Amina that day (deadline 27 March). */
const dismissed = (base: FamilyEvent[] = active): FamilyEvent[] =>
  run(notified(base), [
    [register({ receivedOn: '2024-03-04', signed: false }), caseworker, '2024-03-04'],
    [assess({ signed: false }), caseworker, '2024-03-05'],
    [dismiss(), approver, '2024-03-06'],
    send('n-dismissal', '2024-03-06', { kind: 'dismissal', id: 'a-1' }, 'in-person'),
  ]);
/** a-2: Amina's appeal against the dismissal of a-1, received 8 March, assessed as meeting the requirements, prepared. */
const againstDismissalPrepared = (): FamilyEvent[] =>
  run(dismissed(), [
    [register({ appealId: 'a-2', againstDismissalOf: 'a-1', receivedOn: '2024-03-08' }), caseworker, '2024-03-08'],
    [assess({ appealId: 'a-2' }), caseworker, '2024-03-08'],
    [prepare('a-2'), caseworker, '2024-03-11'],
  ]);
/** d-nav revoked by NAV on 9 February. */
const revoked = {
  type: 'DecisionRevoked',
  data: { decisionId: 'd-nav', reason: 'Income from work.', delegation: delegation('nav-social-assistance'), ...by(approver, '2024-02-09T09:00:00.000Z') },
} as unknown as FamilyEvent;
/** Schema ≤ 2: an appeal received on 10 February, in time by the stamp's deadline; it puts d-nav under appeal. */
const legacyAppeal = (appellantMemberId: string | null): FamilyEvent =>
  ({
    type: 'AppealReceived',
    data: {
      appealId: 'a-old',
      decisionId: 'd-nav',
      appellantMemberId,
      grounds: 'Too little.',
      receivedDate: '2024-02-10',
      deadline: '2024-02-23',
      late: false,
      lateExcuse: null,
      ...by(caseworker, '2024-02-10T09:00:00.000Z'),
    },
  }) as FamilyEvent;

/** The exact assessment of an appeal received in time, computed from Amina's notification. */
const inTimeAssessment = (standing: 'party' | 'legal-interest' | 'none', standingNote: string, requirementsMet = true) => ({
  type: 'AppealFormAssessed',
  data: {
    appealId: 'a-1',
    standing,
    standingNote,
    specific: true,
    signed: true,
    timeliness: 'in-time',
    deadline: '2024-02-28',
    computedFrom: 'n-amina',
    excuse: null,
    pastOneYear: false,
    requirementsMet,
    reasons: 'Names the decision and the change sought.',
    ...by(caseworker),
  },
});

describe('fvl § 28: only an appealable decision (an enkeltvedtak the catalogue gives an appeal route) is appealed', () => {
  it('fvl § 28: a rejected proposal never became a decision, so it is not appealed (DECISION_STATUS_CONFLICT)', () => {
    const rejected = run(
      [familyRegistered, socialAssistanceProposed],
      [[{ type: 'RejectDecision', data: { decisionId: 'd-nav', reason: 'Income not documented.' } }, approver, '2024-02-02']],
    );
    const error = spec.given(rejected).when(register()).thenThrows(DecisionStatusConflict);
    expect(error.details).toEqual({ decisionId: 'd-nav', status: 'rejected', required: 'approved (in force, revoked, expired or refused)' });
  });

  it('fvl § 28, schema ≤ 2: the catalogue decides, not the enkeltvedtak flag the caller once set: pilot support marked enkeltvedtak has no appeal route, social assistance marked otherwise is no enkeltvedtak', () => {
    const pilotMarkedEnkeltvedtak: FamilyEvent[] = [
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
          enkeltvedtak: true,
          subProject: { subProjectId: 'sp-1', responsibleUnit: 'BFT' },
          delegation: delegation('pilot-support-by-sub-project-unit'),
          ...by(actors.bftCaseworker, '2024-02-01T09:00:00.000Z'),
        },
      } as FamilyEvent,
      {
        type: 'DecisionApproved',
        data: { decisionId: 'd-pilot', delegation: delegation('pilot-support-by-sub-project-unit'), ...by(actors.bftApprover, '2024-02-02T09:00:00.000Z') },
      } as unknown as FamilyEvent,
    ];
    const pilot = spec
      .given(pilotMarkedEnkeltvedtak)
      .when(register({ decisionId: 'd-pilot' }), { actor: actors.bftCaseworker })
      .thenThrows(NotAppealable);
    expect(pilot.details).toEqual({ decisionId: 'd-pilot' });

    const notMarked: FamilyEvent[] = [
      familyRegistered,
      { ...socialAssistanceProposed, data: { ...socialAssistanceProposed.data, enkeltvedtak: false } },
      approved,
    ];
    expect(spec.given(notMarked).when(register()).thenThrows(NotAppealable).details).toEqual({ decisionId: 'd-nav' });
  });
});

describe('fvl §§ 28, 30, 32: registering an appeal', () => {
  it('fvl §§ 28, 32: againstDismissalOf, postedOn and signed given as null, or signed left out, are recorded as not known', () => {
    const registeredAs = (signed: boolean | null | undefined) => ({
      type: 'AppealRegistered',
      data: {
        appealId: 'a-1',
        decisionId: 'd-nav',
        againstDismissalOf: null,
        appellant: { kind: 'member', memberId: 'm-amina' },
        receivedOn: '2024-02-20',
        postedOn: null,
        channel: 'post',
        grounds: 'The amount does not cover rent.',
        signed,
        ...by(caseworker),
      },
    });
    spec
      .given(notified())
      .when(register({ againstDismissalOf: null, postedOn: null, signed: null }))
      .then([registeredAs(null)] as FamilyEvent[]);
    spec
      .given(notified())
      .when(register({ signed: undefined }))
      .then([registeredAs(null)] as FamilyEvent[]);
  });

  it('an appeal id is used once (ALREADY_EXISTS)', () => {
    const error = spec.given(registered()).when(register()).thenThrows(AlreadyExists);
    expect(error.details).toEqual({ what: 'appeal', id: 'a-1' });
  });

  it.each([
    ['null', null],
    ['a bare member id', 'm-amina'],
    ['a number', 42],
  ])('fvl § 32 (1) a: the appellant is { memberId } or { representative, forMemberId }; %s is refused on the field appellant', (_, appellant) => {
    const error = spec
      .given(notified())
      .when(register({ appellant: appellant as never }))
      .thenThrows(InvalidInput);
    expect(error.details).toEqual({ field: 'appellant' });
  });

  it('fvl § 12: an appeal by a representative is registered for the party it is made for', () => {
    spec
      .given(notified())
      .when(register({ appellant: { representative: 'Advokat Nora Lie', forMemberId: 'm-amina' } }))
      .then([
        {
          type: 'AppealRegistered',
          data: {
            appealId: 'a-1',
            decisionId: 'd-nav',
            againstDismissalOf: null,
            appellant: { kind: 'representative', representative: 'Advokat Nora Lie', forMemberId: 'm-amina' },
            receivedOn: '2024-02-20',
            postedOn: null,
            channel: 'post',
            grounds: 'The amount does not cover rent.',
            signed: true,
            ...by(caseworker),
          },
        },
      ]);
  });

  it('fvl § 2 third paragraph: an appeal against a dismissal names a dismissed appeal about the same decision', () => {
    const second: FamilyEvent[] = [
      { ...socialAssistanceProposed, data: { ...socialAssistanceProposed.data, decisionId: 'd-nav-2', periodFrom: '2024-08-01', periodUntil: '2024-12-31' } },
      { type: 'DecisionApproved', data: { ...approvedData, decisionId: 'd-nav-2' } } as unknown as FamilyEvent,
    ];
    const error = spec
      .given(dismissed([...active, ...second]))
      .when(register({ appealId: 'a-2', decisionId: 'd-nav-2', againstDismissalOf: 'a-1', receivedOn: '2024-03-08' }))
      .thenThrows(InvalidInput);
    expect(error.details).toEqual({ field: 'againstDismissalOf' });
  });
});

describe('fvl §§ 28-32: assessing the form of an appeal', () => {
  it('fvl § 2 (1) e: a party appealing for herself has standing as a party; an excuse given as null is none', () => {
    spec
      .given(registered())
      .when(assess({ excuse: null }))
      .then([inTimeAssessment('party', 'party of the decision (forvaltningsloven § 2 (1) e)')] as FamilyEvent[]);
  });

  it('fvl § 12: a representative’s appeal has the standing of the party it is for, and the deadline from her notification (§ 29)', () => {
    const byRepresentative = run(notified(), [
      [register({ appellant: { representative: 'Advokat Nora Lie', forMemberId: 'm-amina' } }), caseworker, '2024-02-20'],
    ]);
    spec
      .given(byRepresentative)
      .when(assess())
      .then([inTimeAssessment('party', 'representative of party m-amina (forvaltningsloven § 12)')] as FamilyEvent[]);
  });

  it('fvl § 28 (1): someone who is not a party has standing by the legal interest the caseworker states', () => {
    const byLeila = run(notified(), [[register({ appellant: { memberId: 'm-leila' } }), caseworker, '2024-02-20']]);
    const interest = 'Her school trip is paid from the assistance.';
    spec
      .given(byLeila)
      .when(assess({ legalInterest: interest }))
      .then([
        {
          type: 'AppealFormAssessed',
          data: {
            ...inTimeAssessment('legal-interest', `legal interest (forvaltningsloven § 28 (1)): ${interest}`).data,
            // Amina's notification does not start Leila's deadline (fvl § 29), and none of her own is recorded.
            deadline: null,
            computedFrom: null,
          },
        },
      ] as FamilyEvent[]);
  });

  it('fvl § 31: an excuse is for a late appeal; one given for an appeal in time is refused on the field excuse', () => {
    const error = spec
      .given(registered())
      .when(assess({ excuse: { ground: 'special-reasons', explanation: 'New facts.' } }))
      .thenThrows(InvalidInput);
    expect(error.details).toEqual({ field: 'excuse' });
  });

  it('schema ≤ 2: an appeal recorded without an appellant names no party (no standing, § 28 (1)); its deadline runs from the legacy stamp (§ 29)', () => {
    spec
      .given([...stamped, legacyAppeal(null)])
      .when(assess({ appealId: 'a-old' }))
      .then([
        {
          type: 'AppealFormAssessed',
          data: {
            ...inTimeAssessment('none', 'not a party of the decision (forvaltningsloven § 2 (1) e), and no legal interest stated (§ 28 (1))', false).data,
            appealId: 'a-old',
            deadline: '2024-02-23',
            computedFrom: 'legacy-d-nav',
          },
        },
      ] as FamilyEvent[]);
  });

  it('fvl § 29: a recorded notification counts before the legacy stamp even where the record lists it first (an id such as "1" is listed before the others)', () => {
    const numbered = run(stamped, [send('1', '2024-02-05'), receipt('1', '2024-02-07'), [register({ receivedOn: '2024-02-26' }), caseworker, '2024-02-26']]);
    const assessment = spec
      .given(numbered)
      .when(assess())
      .then([
        {
          type: 'AppealFormAssessed',
          data: { ...inTimeAssessment('party', 'party of the decision (forvaltningsloven § 2 (1) e)').data, computedFrom: '1' },
        },
      ] as FamilyEvent[]).appeals['a-1'].assessment;
    // The stamp's deadline (23 February) would make the appeal of 26 February late.
    expect(assessment).toMatchObject({ deadline: '2024-02-28', timeliness: 'in-time' });
  });

  it('fvl § 29: the notification of the outcome of a reopened appeal does not start the deadline of an appeal against that appeal’s dismissal', () => {
    const reopenedAndChanged = run(notified(), [
      [register({ receivedOn: '2024-03-04', signed: false }), caseworker, '2024-03-04'],
      [assess({ signed: false }), caseworker, '2024-03-05'],
      [dismiss(), approver, '2024-03-06'],
      // Two appeals against the dismissal (none of it notified): a-2 is granted, a-3 waits.
      [register({ appealId: 'a-2', againstDismissalOf: 'a-1', receivedOn: '2024-03-07' }), caseworker, '2024-03-07'],
      [register({ appealId: 'a-3', againstDismissalOf: 'a-1', receivedOn: '2024-03-07' }), caseworker, '2024-03-07'],
      [assess({ appealId: 'a-2' }), caseworker, '2024-03-08'],
      [prepare('a-2'), caseworker, '2024-03-08'],
      [change({ appealId: 'a-2', reasons: 'It was posted in time.' }), approver, '2024-03-11'],
      // a-1 heard after all, and granted: that outcome is notified to Amina.
      [assess({ excuse: { ground: 'special-reasons', explanation: 'Posted in time.' } }), caseworker, '2024-03-11'],
      [prepare(), caseworker, '2024-03-12'],
      [change({ change: amendTo(1_400_000) }), approver, '2024-03-13'],
      send('n-outcome', '2024-03-13', { kind: 'appeal-outcome', id: 'a-1' }, 'in-person'),
    ]);
    expect(foldFamily(reopenedAndChanged).notifications['n-outcome']).toMatchObject({ receivedOn: '2024-03-13', deadline: '2024-04-03' });
    const assessment = foldFamily(run(reopenedAndChanged, [[assess({ appealId: 'a-3' }), caseworker, '2024-03-14']])).appeals['a-3'].assessment;
    expect(assessment).toMatchObject({ deadline: null, computedFrom: null, timeliness: 'in-time' });
  });
});

describe('fvl § 33 (2): dismissal and preparation follow the assessment', () => {
  it('fvl § 33 (2): a dismissal names exactly the requirements that failed: standing (§ 28 (1)) and specificity (§ 32 (1) b), not the signature or the deadline that were met', () => {
    const byLeila = run(notified(), [
      [register({ appellant: { memberId: 'm-leila' } }), caseworker, '2024-02-20'],
      [assess({ specific: false }), caseworker, '2024-02-21'],
    ]);
    spec
      .given(byLeila)
      .when({ type: 'DismissAppeal', data: { appealId: 'a-1', reasons: 'Leila is not a party; the appeal names no change.' } }, { actor: approver })
      .then([
        {
          type: 'AppealDismissed',
          data: {
            appealId: 'a-1',
            decisionId: 'd-nav',
            dismissedOn: '2024-03-15',
            failed: ['standing (forvaltningsloven § 28 (1))', 'specific: the decision and the change sought (forvaltningsloven § 32 (1) b)'],
            reasons: 'Leila is not a party; the appeal names no change.',
            ...by(approver),
          },
        },
      ]);
  });

  it('fvl § 33 (1)-(2): an appeal assessed as failing a requirement is not prepared; it is dismissed', () => {
    const lateNotExcused = run(notified(), [
      [register({ receivedOn: '2024-03-04' }), caseworker, '2024-03-04'],
      [assess(), caseworker, '2024-03-05'],
    ]);
    const error = spec.given(lateNotExcused).when(prepare()).thenThrows(AppealStageConflict);
    expect(error.details).toEqual({
      appealId: 'a-1',
      stage: 'assessed as failing a requirement',
      allowed: ['assessed as meeting the requirements'],
      provision: 'forvaltningsloven § 33 annet ledd: dismiss it',
    });
  });
});

describe('fvl § 33 (2): the unit changes its decision', () => {
  it.each([
    ['left out', undefined],
    ['null', null],
    ['a word', 'revoke'],
  ])('fvl § 33 (2): the change must say what changes; %s is refused on the field change', (_, given) => {
    const error = spec
      .given(prepared())
      .when(change({ change: given as never }), { actor: approver })
      .thenThrows(InvalidInput);
    expect(error.details).toEqual({ field: 'change' });
  });

  it('fvl § 33 (2): a change cannot take effect before the decision’s period starts (1 February)', () => {
    const error = spec
      .given(prepared())
      .when(change({ change: amendTo(1_400_000, '2024-01-31') }), { actor: approver })
      .thenThrows(InvalidDate);
    expect(error.details).toEqual({ field: 'change.effectiveFrom', value: '2024-01-31' });
  });

  it('fvl § 33 (2): only a revoked decision is reinstated', () => {
    const error = spec
      .given(prepared())
      .when(change({ change: { kind: 'reinstate', effectiveFrom: '2024-03-01' } }), { actor: approver })
      .thenThrows(DecisionStatusConflict);
    expect(error.details).toEqual({ decisionId: 'd-nav', status: 'active', required: 'revoked' });
  });

  it.each([
    ['amended', amendTo(1_400_000)],
    ['revoked', { kind: 'revoke', effectiveFrom: '2024-03-01' }],
  ] as const)('fvl § 33 (2): a revoked decision is not %s on appeal; only one in force is', (action, effect) => {
    const error = spec
      .given(prepared([...notified(), revoked]))
      .when(change({ change: effect }), { actor: approver })
      .thenThrows(DecisionStatusConflict);
    expect(error.details).toEqual({ decisionId: 'd-nav', status: 'revoked', required: 'active' });
    expect(error.message).toBe(`Decision d-nav is revoked; only active decisions can be ${action}.`);
  });

  it('fvl § 33 (2), schema ≤ 2: a decision under an old open appeal is in force, so the unit may revoke it on that appeal', () => {
    const underAppeal = run([...stamped, legacyAppeal('m-amina')], [[prepare('a-old'), caseworker, '2024-03-01']]);
    expect(foldFamily(underAppeal).decisions['d-nav'].status).toBe('under-appeal');
    spec
      .given(underAppeal)
      .when(change({ appealId: 'a-old', change: { kind: 'revoke', effectiveFrom: '2024-04-01' } }), { actor: approver })
      .then([
        {
          type: 'AppealGrantedByUnit',
          data: {
            appealId: 'a-old',
            decisionId: 'd-nav',
            fully: true,
            reasons: 'Rent was left out.',
            effect: { kind: 'revoke', effectiveFrom: '2024-04-01' },
            ...by(approver),
          },
        },
      ]);
  });

  it('fvl § 33 (2): an appeal decision that restates the terms changes nothing, even with new reasons (NOTHING_TO_AMEND)', () => {
    const error = spec
      .given(prepared())
      .when(change({ change: amendTo(1_250_000) }), { actor: approver })
      .thenThrows(NothingToAmend);
    expect(error.details).toEqual({ decisionId: 'd-nav' });
  });

  it('fvl § 33 (2): granted in full, nothing goes to the appeal body: a unit statement is refused, one given as null is none', () => {
    const error = spec
      .given(prepared())
      .when(change({ change: amendTo(1_480_000), unitStatement: 'The rest follows the rates.' }), { actor: approver })
      .thenThrows(InvalidInput);
    expect(error.details).toEqual({ field: 'unitStatement' });
    spec
      .given(prepared())
      .when(change({ change: amendTo(1_480_000), unitStatement: null }), { actor: approver })
      .then([
        {
          type: 'AppealGrantedByUnit',
          data: {
            appealId: 'a-1',
            decisionId: 'd-nav',
            fully: true,
            reasons: 'Rent was left out.',
            effect: { kind: 'amend', terms: termsWith(1_480_000), effectiveFrom: '2024-03-01' },
            ...by(approver),
          },
        },
      ]);
  });

  it('fvl § 33 (2) and (4): granted in part, the rest is forwarded in the same append, with a copy to the party, as the remainder only', () => {
    spec
      .given(prepared())
      .when(change({ fully: false, change: amendTo(1_400_000), unitStatement: 'The rest follows the guideline rates.' }), { actor: approver })
      .then([
        {
          type: 'AppealGrantedByUnit',
          data: {
            appealId: 'a-1',
            decisionId: 'd-nav',
            fully: false,
            reasons: 'Rent was left out.',
            effect: { kind: 'amend', terms: termsWith(1_400_000), effectiveFrom: '2024-03-01' },
            ...by(approver),
          },
        },
        {
          type: 'AppealForwarded',
          data: {
            appealId: 'a-1',
            decisionId: 'd-nav',
            body: 'statsforvalteren',
            provision: 'sosialtjenesteloven § 48; forvaltningsloven § 29',
            forwardedOn: '2024-03-15',
            unitStatement: 'The rest follows the guideline rates.',
            copyToParty: true,
            remainderOnly: true,
            ...by(approver),
          },
        },
      ]);
  });
});

describe('fvl § 2 third paragraph and § 33 (2): the unit grants an appeal against its dismissal', () => {
  const reopens = {
    type: 'AppealGrantedByUnit',
    data: {
      appealId: 'a-2',
      decisionId: 'd-nav',
      fully: true,
      reasons: 'The appeal was posted in time.',
      effect: { kind: 'reopen-appeal', appealId: 'a-1' },
      ...by(approver),
    },
  } as FamilyEvent;

  it.each([
    ['left out', undefined],
    ['given as null', null],
  ])('fvl § 33 (2): granted, the dismissed appeal is heard after all (assessed again); the change %s', (_, given) => {
    const state = spec
      .given(againstDismissalPrepared())
      .when(change({ appealId: 'a-2', reasons: 'The appeal was posted in time.', change: given }), { actor: approver })
      .then([reopens]);
    expect(state.appeals['a-2'].stage).toBe('changed-by-unit');
    expect(state.appeals['a-1']).toMatchObject({ stage: 'registered', assessment: null });
  });

  it('fvl § 33 (2): it changes no decision terms, and a dismissal is reversed in full or not at all', () => {
    const withTerms = spec
      .given(againstDismissalPrepared())
      .when(change({ appealId: 'a-2', change: { kind: 'revoke', effectiveFrom: '2024-04-01' } }), { actor: approver })
      .thenThrows(InvalidInput);
    expect(withTerms.details).toEqual({ field: 'change' });
    const inPart = spec
      .given(againstDismissalPrepared())
      .when(change({ appealId: 'a-2', fully: false, unitStatement: 'The rest goes to the county governor.' }), { actor: approver })
      .thenThrows(InvalidInput);
    expect(inPart.details).toEqual({ field: 'fully' });
  });
});

describe('fvl § 33 (4): forwarding', () => {
  it.each([
    ['given as null', null],
    ['the catalogue’s own body', 'statsforvalteren'],
  ])('fvl § 28: an appeal body %s is no mismatch; the case goes to the catalogue’s body', (_, appealBody) => {
    spec
      .given(prepared())
      .when(forward({ appealBody }), { actor: approver })
      .then([
        {
          type: 'AppealForwarded',
          data: {
            appealId: 'a-1',
            decisionId: 'd-nav',
            body: 'statsforvalteren',
            provision: 'sosialtjenesteloven § 48; forvaltningsloven § 29',
            forwardedOn: '2024-03-15',
            unitStatement: 'The amount follows the state guideline rates.',
            copyToParty: true,
            remainderOnly: false,
            ...by(approver),
          },
        },
      ]);
  });
});

describe('fvl § 34: the appeal body’s outcome as recorded', () => {
  const recorded = (data: Record<string, unknown>) =>
    ({
      type: 'AppealOutcomeRecorded',
      data: {
        appealId: 'a-1',
        decisionId: 'd-nav',
        body: 'statsforvalteren',
        outcome: 'upheld',
        decidedOn: '2024-03-08',
        receivedOn: '2024-03-11',
        reference: 'SF 2024/77',
        summary: 'The county governor’s decision.',
        effect: null,
        ...data,
        ...by(caseworker),
      },
    }) as FamilyEvent;

  it('fvl § 34: the body may decide on the day the case was forwarded (26 February), and its letter arrive that day', () => {
    spec
      .given(forwarded())
      .when(outcome({ decidedOn: '2024-02-26', receivedOn: '2024-02-26' }))
      .then([recorded({ decidedOn: '2024-02-26', receivedOn: '2024-02-26' })]);
  });

  it('fvl § 34: the body’s letter is not received before the body decided', () => {
    const error = spec
      .given(forwarded())
      .when(outcome({ decidedOn: '2024-03-08', receivedOn: '2024-03-07' }))
      .thenThrows(InvalidDate);
    expect(error.details).toEqual({ field: 'receivedOn', value: '2024-03-07' });
  });

  it('fvl § 34: an effect given as null with an outcome that changes nothing is none', () => {
    spec
      .given(forwarded())
      .when(outcome({ effect: null }))
      .then([recorded({})]);
  });

  it.each([
    ['left out', undefined],
    ['given as null', null],
  ])('fvl § 34: "changed" must say how the body changed the decision; the effect %s is refused', (_, effect) => {
    const error = spec
      .given(forwarded())
      .when(outcome({ outcome: 'changed', effect }))
      .thenThrows(InvalidInput);
    expect(error.details).toEqual({ field: 'effect' });
    expect(error.message).toBe('effect: say how the appeal body changed the decision: amend, reinstate or revoke, from which date');
  });

  describe('of an appeal against a dismissal (fvl § 2 third paragraph)', () => {
    /** a-2 forwarded by NAV on 12 March. */
    const forwardedAgainstDismissal = () => run(againstDismissalPrepared(), [[forward({ appealId: 'a-2' }), approver, '2024-03-12']]);
    /** The county governor decided on 13 March; the letter came on 14 March. */
    const bodyDates = { decidedOn: '2024-03-13', receivedOn: '2024-03-14' };

    it.each([
      ['changed', { kind: 'reopen-appeal', appealId: 'a-1' }, 'registered'],
      ['quashed-returned', { kind: 'reopen-appeal', appealId: 'a-1' }, 'registered'],
      ['upheld', null, 'dismissed'],
      ['dismissed', null, 'dismissed'],
    ] as const)('fvl § 34: %s: the dismissed appeal is reopened only when the body changed or quashed the dismissal', (result, effect, stageOfDismissed) => {
      const state = spec
        .given(forwardedAgainstDismissal())
        .when(outcome({ appealId: 'a-2', outcome: result, ...bodyDates }))
        .then([recorded({ appealId: 'a-2', outcome: result, effect, ...bodyDates })]);
      expect(state.appeals['a-1'].stage).toBe(stageOfDismissed);
    });

    it('fvl § 34: it changes no decision terms, so an effect is refused', () => {
      const error = spec
        .given(forwardedAgainstDismissal())
        .when(outcome({ appealId: 'a-2', outcome: 'changed', effect: { kind: 'revoke', effectiveFrom: '2024-04-01' }, ...bodyDates }))
        .thenThrows(InvalidInput);
      expect(error.details).toEqual({ field: 'effect' });
      expect(error.message).toBe('effect: an appeal against a dismissal changes no decision terms');
    });
  });
});

describe('withdrawal and fvl § 42: suspended execution', () => {
  it('an appeal is withdrawn on or after the day it was received (20 February), not before', () => {
    const error = spec
      .given(registered())
      .when({ type: 'WithdrawAppeal', data: { appealId: 'a-1', withdrawnOn: '2024-02-19' } })
      .thenThrows(InvalidDate);
    expect(error.details).toEqual({ field: 'withdrawnOn', value: '2024-02-19' });
    spec
      .given(registered())
      .when({ type: 'WithdrawAppeal', data: { appealId: 'a-1', withdrawnOn: '2024-02-20' } })
      .then([{ type: 'AppealWithdrawn', data: { appealId: 'a-1', withdrawnOn: '2024-02-20', note: null, ...by(caseworker) } }]);
  });

  it('fvl § 42: suspension is asked for once per appeal, and decided once (ALREADY_EXISTS)', () => {
    const requested = run(registered(), [[{ type: 'RequestSuspension', data: { appealId: 'a-1', requestedOn: '2024-02-20' } }, caseworker, '2024-02-20']]);
    const again = spec
      .given(requested)
      .when({ type: 'RequestSuspension', data: { appealId: 'a-1', requestedOn: '2024-02-21' } })
      .thenThrows(AlreadyExists);
    expect(again.details).toEqual({ what: 'suspension request for appeal', id: 'a-1' });
    const decided = run(requested, [[{ type: 'DecideSuspension', data: { appealId: 'a-1', granted: true } }, approver, '2024-02-21']]);
    const decidedAgain = spec
      .given(decided)
      .when({ type: 'DecideSuspension', data: { appealId: 'a-1', granted: false, reasons: 'Payments continue.' } }, { actor: approver })
      .thenThrows(AlreadyExists);
    expect(decidedAgain.details).toEqual({ what: 'suspension decision for appeal', id: 'a-1' });
  });

  it('fvl § 42: execution may be suspended until the appeal deadline instead of until the appeal is decided', () => {
    spec
      .given(registered())
      .when({ type: 'DecideSuspension', data: { appealId: 'a-1', granted: true, until: 'deadline' } }, { actor: approver })
      .then([
        {
          type: 'ExecutionSuspended',
          data: { appealId: 'a-1', decisionId: 'd-nav', from: '2024-03-15', until: 'deadline', reasons: null, ...by(approver) },
        },
      ]);
  });
});
