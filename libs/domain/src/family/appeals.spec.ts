import type { Actor } from '../shared/actor';
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
import { AppealNotFound, DecisionStatusConflict, NotApprover, NotAppealable, SelfApproval } from './family.errors';
import type { FamilyEvent } from './family.events';
import { foldFamily } from './family.evolve';
import { AppealBodyMismatch, AppealRequirementsMet, AppealStageConflict, SuspensionReasonsRequired } from './appeals.errors';
import type { AppealCommand } from './appeals.types';
import { NoPartInCase } from './parts.errors';

/**
 * NAV's social assistance for Amina and Yusuf (approved 2 February 2024). Without a recorded
 * notification the deadline does not run; the notification by post reached Amina on
 * Wednesday 7 February, so her deadline is Wednesday 28 February (fvl § 29, three weeks).
 */
const { notifiedOn: _legacy, ...approvedData } = socialAssistanceApproved.data;
/** Approval without a legacy notifiedOn: notification is its own event. */
const approved = { type: 'DecisionApproved', data: approvedData } as unknown as FamilyEvent;
const active: FamilyEvent[] = [familyRegistered, socialAssistanceProposed, approved];

const at = (date: string, hour = 10) => new Date(`${date}T${String(hour - 1).padStart(2, '0')}:00:00.000Z`);

/** Runs commands through the decider on a history; each step's events are appended. */
function run(history: FamilyEvent[], steps: [FamilyCommand, Actor, string][]): FamilyEvent[] {
  let events = [...history];
  for (const [command, actor, day] of steps) {
    const state = foldFamily(events);
    events = [...events, ...familyDecider.decide(command, state, familyContext({ actor, now: at(day) }))];
  }
  return events;
}

/**
 * The histories are built by the decider inside each test that uses them (never as the file loads),
 * so a change that breaks notification, registration or assessment fails those tests, not the file.
 */
const notified = (): FamilyEvent[] =>
  run(active, [
    [
      {
        type: 'SendNotification',
        data: { notificationId: 'n-amina', subject: { kind: 'decision', id: 'd-nav' }, recipientMemberId: 'm-amina', channel: 'post', sentOn: '2024-02-05' },
      },
      actors.navCaseworker,
      '2024-02-05',
    ],
    [
      { type: 'RecordNotificationReceived', data: { notificationId: 'n-amina', receivedOn: '2024-02-07', evidence: 'postal-tracking' } },
      actors.navCaseworker,
      '2024-02-08',
    ],
  ]);

const register = (data: Partial<Extract<AppealCommand, { type: 'RegisterAppeal' }>['data']> = {}): FamilyCommand => ({
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
const assess = (data: Partial<Extract<AppealCommand, { type: 'AssessAppealForm' }>['data']> = {}): FamilyCommand => ({
  type: 'AssessAppealForm',
  data: { appealId: 'a-1', specific: true, signed: true, reasons: 'Names the decision and the change sought.', ...data },
});
const prepare: FamilyCommand = {
  type: 'PrepareAppeal',
  data: { appealId: 'a-1', investigations: 'Rent contract obtained from the landlord.', counterpartiesNotified: false },
};
const forward: FamilyCommand = {
  type: 'ForwardAppeal',
  data: { appealId: 'a-1', unitStatement: 'The amount follows the state guideline rates.', copyToParty: true },
};

const registered = (): FamilyEvent[] => run(notified(), [[register(), actors.navCaseworker, '2024-02-20']]);
const assessed = (): FamilyEvent[] => run(registered(), [[assess(), actors.navCaseworker, '2024-02-21']]);
const prepared = (): FamilyEvent[] => run(assessed(), [[prepare, actors.navCaseworker, '2024-02-22']]);
const forwardedHistory = (): FamilyEvent[] => run(prepared(), [[forward, actors.navApprover, '2024-02-26']]);

describe('fvl § 27: notification', () => {
  it('fvl § 27 (3): what the party is told comes from the catalogue (statsforvalteren, three weeks), not from the caseworker', () => {
    const state = foldFamily(notified());
    expect(state.notifications['n-amina']).toMatchObject({
      channel: 'post',
      language: 'so', // Amina's preferred language, when the unit names none
      sentOn: '2024-02-05',
      receivedOn: '2024-02-07',
      evidence: 'postal-tracking',
      deadline: '2024-02-28',
      informs: { appealRight: true, deadlineWeeks: 3, appealBody: 'statsforvalteren', appealProvision: 'sosialtjenesteloven § 48; forvaltningsloven § 29' },
    });
    expect(state.notifications['n-amina'].informs.documentAccess).toMatch(/§§ 18-19/);
    expect(state.notifications['n-amina'].informs.suspension).toMatch(/§ 42/);
  });

  it('fvl § 27: handed over in person is received the same day, in the same append', () => {
    spec
      .given(active)
      .when({
        type: 'SendNotification',
        data: {
          notificationId: 'n-y',
          subject: { kind: 'decision', id: 'd-nav' },
          recipientMemberId: 'm-yusuf',
          channel: 'in-person',
          language: 'ar',
          sentOn: '2024-03-14',
        },
      })
      .then([
        {
          type: 'NotificationSent',
          data: {
            notificationId: 'n-y',
            subject: { kind: 'decision', id: 'd-nav' },
            decisionId: 'd-nav',
            recipientMemberId: 'm-yusuf',
            channel: 'in-person',
            language: 'ar',
            sentOn: '2024-03-14',
            documentRef: null,
            informs: foldFamily(notified()).notifications['n-amina'].informs,
            ...by(actors.navCaseworker),
          },
        },
        { type: 'NotificationReceived', data: { notificationId: 'n-y', receivedOn: '2024-03-14', evidence: 'signed-in-person', ...by(actors.navCaseworker) } },
      ]);
  });

  it('fvl § 2 (1) e: only a party is notified; a child is not a party in the parents’ social-assistance case', () => {
    spec
      .given(active)
      .when({
        type: 'SendNotification',
        data: { subject: { kind: 'decision', id: 'd-nav' }, recipientMemberId: 'm-sara', channel: 'post', sentOn: '2024-03-14' },
      })
      .thenThrows('RECIPIENT_NOT_A_PARTY');
  });

  it('fvl § 27 (1): the deciding unit notifies; a proposal is not notified; receipt is recorded once, not before sending', () => {
    const send = {
      type: 'SendNotification',
      data: { subject: { kind: 'decision', id: 'd-nav' }, recipientMemberId: 'm-amina', channel: 'post', sentOn: '2024-03-14' },
    } as const;
    spec.given([familyRegistered, socialAssistanceProposed]).when(send).thenThrows(DecisionStatusConflict);
    spec.given(active).when(send, { actor: actors.bftCaseworker }).thenThrows(NoPartInCase);
    spec
      .given(notified())
      .when({ type: 'RecordNotificationReceived', data: { notificationId: 'n-amina', receivedOn: '2024-02-09', evidence: 'stated-by-party' } })
      .thenThrows('NOTIFICATION_ALREADY_RECEIVED');
    const sentOnly = notified().slice(0, -1);
    spec
      .given(sentOnly)
      .when({ type: 'RecordNotificationReceived', data: { notificationId: 'n-amina', receivedOn: '2024-02-04', evidence: 'stated-by-party' } })
      .thenThrows('INVALID_DATE');
    spec
      .given(sentOnly)
      .when({ type: 'RecordNotificationReceived', data: { notificationId: 'n-x', receivedOn: '2024-02-09', evidence: 'stated-by-party' } })
      .thenThrows('NOTIFICATION_NOT_FOUND');
    spec
      .given(active)
      .when({ ...send, data: { ...send.data, channel: 'fax' as 'post' } })
      .thenThrows('INVALID_INPUT');
  });

  it('schema ≤ 2: a legacy notifiedOn on approval reads as a notification of every party, deadline from that day', () => {
    const state = foldFamily([familyRegistered, socialAssistanceProposed, socialAssistanceApproved]);
    expect(state.notifications['legacy-d-nav']).toMatchObject({
      legacy: true,
      channel: 'unknown',
      recipientMemberId: null,
      receivedOn: '2024-02-02',
      deadline: '2024-02-23',
    });
  });
});

describe('fvl §§ 28-32: registering and assessing an appeal', () => {
  it('fvl §§ 28, 32: a late, unsigned appeal is registered all the same', () => {
    spec
      .given(notified())
      .when(register({ receivedOn: '2024-03-11', signed: false }))
      .then([
        {
          type: 'AppealRegistered',
          data: {
            appealId: 'a-1',
            decisionId: 'd-nav',
            againstDismissalOf: null,
            appellant: { kind: 'member', memberId: 'm-amina' },
            receivedOn: '2024-03-11',
            postedOn: null,
            channel: 'post',
            grounds: 'The amount does not cover rent.',
            signed: false,
            ...by(actors.navCaseworker),
          },
        },
      ]);
  });

  it('fvl § 29: in time by the deadline from receipt; the assessment names the notification it counted from', () => {
    const state = foldFamily(assessed());
    expect(state.appeals['a-1']).toMatchObject({
      stage: 'assessed',
      assessment: { standing: 'party', timeliness: 'in-time', deadline: '2024-02-28', computedFrom: 'n-amina', requirementsMet: true },
    });
  });

  it('fvl § 29 + § 31: late and not excused fails the requirements; late but not to blame passes', () => {
    const late = run(notified(), [[register({ receivedOn: '2024-03-04' }), actors.navCaseworker, '2024-03-04']]);
    const notExcused = foldFamily(run(late, [[assess(), actors.navCaseworker, '2024-03-05']]));
    expect(notExcused.appeals['a-1'].assessment).toMatchObject({ timeliness: 'late-not-excused', requirementsMet: false });
    const excused = foldFamily(
      run(late, [[assess({ excuse: { ground: 'not-to-blame', explanation: 'In hospital 20 Feb - 3 Mar.' } }), actors.navCaseworker, '2024-03-05']]),
    );
    expect(excused.appeals['a-1'].assessment).toMatchObject({ timeliness: 'late-not-to-blame', requirementsMet: true });
  });

  it('fvl § 29: received on the deadline day itself is in time; the day after is late', () => {
    const timelinessWhenReceived = (receivedOn: string) =>
      foldFamily(run(run(notified(), [[register({ receivedOn }), actors.navCaseworker, receivedOn]]), [[assess(), actors.navCaseworker, '2024-03-04']]))
        .appeals['a-1'].assessment?.timeliness;
    expect(timelinessWhenReceived('2024-02-28')).toBe('in-time');
    expect(timelinessWhenReceived('2024-02-29')).toBe('late-not-excused');
  });

  it('fvl § 28: an appeal received on the day of the decision is registered; posted and received the same day too', () => {
    const sameDay = run(active, [[register({ receivedOn: '2024-02-02', postedOn: '2024-02-02' }), actors.navCaseworker, '2024-02-02']]);
    expect(foldFamily(sameDay).appeals['a-1']).toMatchObject({ receivedOn: '2024-02-02', postedOn: '2024-02-02' });
  });

  it('fvl § 30: posted on the deadline day is in time although received later', () => {
    const posted = run(notified(), [[register({ postedOn: '2024-02-28', receivedOn: '2024-03-01' }), actors.navCaseworker, '2024-03-01']]);
    expect(foldFamily(run(posted, [[assess(), actors.navCaseworker, '2024-03-04']])).appeals['a-1'].assessment?.timeliness).toBe('in-time');
  });

  it('fvl § 31 third paragraph: more than a year after the decision, no excuse lets it be heard', () => {
    const yearLate = run(notified(), [[register({ receivedOn: '2025-02-10' }), actors.navCaseworker, '2025-02-10']]);
    const state = foldFamily(
      run(yearLate, [[assess({ excuse: { ground: 'special-reasons', explanation: 'New facts.' } }), actors.navCaseworker, '2025-02-11']]),
    );
    expect(state.appeals['a-1'].assessment).toMatchObject({ timeliness: 'late-not-excused', pastOneYear: true, requirementsMet: false });
  });

  it('fvl § 31 third paragraph: received one year after the decision to the day is not yet past the year; the day after is', () => {
    const pastOneYearWhenReceived = (receivedOn: string) =>
      foldFamily(
        run(run(notified(), [[register({ receivedOn }), actors.navCaseworker, receivedOn]]), [
          [assess({ excuse: { ground: 'special-reasons', explanation: 'New facts.' } }), actors.navCaseworker, '2025-02-11'],
        ]),
      ).appeals['a-1'].assessment?.pastOneYear;
    expect(pastOneYearWhenReceived('2025-02-02')).toBe(false);
    expect(pastOneYearWhenReceived('2025-02-03')).toBe(true);
  });

  it('fvl § 30: refuses an appeal posted after it was received', () => {
    spec
      .given(notified())
      .when(register({ postedOn: '2024-02-21', receivedOn: '2024-02-20' }))
      .thenThrows('INVALID_DATE');
  });

  it('no receipt recorded: the deadline does not run, so the appeal is not late (README: no presumption of receipt)', () => {
    const state = foldFamily(
      run(active, [
        [register({ receivedOn: '2024-03-14' }), actors.navCaseworker, '2024-03-14'],
        [assess(), actors.navCaseworker, '2024-03-15'],
      ]),
    );
    expect(state.appeals['a-1'].assessment).toMatchObject({ timeliness: 'in-time', deadline: null, computedFrom: null });
  });

  it('fvl § 29: a notification recorded for the appellant counts before a legacy notifiedOn stamp', () => {
    const withStamp = [familyRegistered, socialAssistanceProposed, socialAssistanceApproved, ...notified().slice(3)];
    const state = foldFamily(
      run(withStamp, [
        [register(), actors.navCaseworker, '2024-02-20'],
        [assess(), actors.navCaseworker, '2024-02-21'],
      ]),
    );
    expect(state.appeals['a-1'].assessment).toMatchObject({ computedFrom: 'n-amina', deadline: '2024-02-28' });
  });

  it('fvl § 28 (1): a child named in no decision and without a stated legal interest has no standing', () => {
    const byChild = run(notified(), [[register({ appellant: { memberId: 'm-leila' } }), actors.navCaseworker, '2024-02-20']]);
    expect(foldFamily(run(byChild, [[assess(), actors.navCaseworker, '2024-02-21']])).appeals['a-1'].assessment).toMatchObject({
      standing: 'none',
      requirementsMet: false,
    });
  });

  it('fvl § 28: a revoked decision can be appealed; pilot support (not an enkeltvedtak) cannot', () => {
    const revoked = {
      type: 'DecisionRevoked',
      data: {
        decisionId: 'd-nav',
        reason: 'Income from work.',
        delegation: delegation('nav-social-assistance'),
        ...by(actors.navApprover, '2024-03-01T09:00:00.000Z'),
      },
    } as unknown as FamilyEvent;
    expect(foldFamily(run([...active, revoked], [[register({ receivedOn: '2024-03-12' }), actors.navCaseworker, '2024-03-12']])).appeals['a-1'].stage).toBe(
      'registered',
    );
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
      } as FamilyEvent,
      {
        type: 'DecisionApproved',
        data: { decisionId: 'd-pilot', delegation: delegation('pilot-support-by-sub-project-unit'), ...by(actors.bftApprover) },
      } as unknown as FamilyEvent,
    ];
    spec
      .given(pilot)
      .when(register({ decisionId: 'd-pilot', receivedOn: '2024-03-15', appellant: { memberId: 'm-amina' } }), { actor: actors.bftCaseworker })
      .thenThrows(NotAppealable);
  });

  it('refuses a proposal, a receipt before the decision or in the future, and a unit without a part', () => {
    spec.given([familyRegistered, socialAssistanceProposed]).when(register()).thenThrows(DecisionStatusConflict);
    spec
      .given(active)
      .when(register({ receivedOn: '2024-01-30' }))
      .thenThrows('INVALID_DATE');
    spec
      .given(active)
      .when(register({ receivedOn: '2024-03-16' }))
      .thenThrows('INVALID_DATE');
    spec.given(active).when(register(), { actor: actors.bftCaseworker }).thenThrows(NoPartInCase);
  });

  it('fvl § 33: only the deciding unit assesses the appeal', () => {
    const shared = run([...registered(), ...bftPart], []);
    spec.given(shared).when(assess(), { actor: actors.bftCaseworker }).thenThrows('APPEAL_NOT_FOUND');
    spec
      .given(registered())
      .when(assess({ appealId: 'a-x' }))
      .thenThrows(AppealNotFound);
  });
});

describe('fvl § 33 and § 2 third paragraph: dismissal', () => {
  /** a-1 received on 4 March 2024 (after the deadline of 28 February) and unsigned, assessed as failing both. */
  const late = (): FamilyEvent[] =>
    run(notified(), [
      [register({ receivedOn: '2024-03-04', signed: false }), actors.navCaseworker, '2024-03-04'],
      [assess({ signed: false }), actors.navCaseworker, '2024-03-05'],
    ]);

  it('fvl § 33 (2): dismissed by an approver, naming each failed requirement and its provision', () => {
    const state = spec
      .given(late())
      .when({ type: 'DismissAppeal', data: { appealId: 'a-1', reasons: 'Late and not signed.' } }, { actor: actors.navApprover })
      .then([
        {
          type: 'AppealDismissed',
          data: {
            appealId: 'a-1',
            decisionId: 'd-nav',
            dismissedOn: '2024-03-15',
            failed: ['signed (forvaltningsloven § 32 (1) b)', 'late and not excused (forvaltningsloven §§ 29, 31)'],
            reasons: 'Late and not signed.',
            ...by(actors.navApprover),
          },
        },
      ]);
    expect(state.appeals['a-1'].stage).toBe('dismissed');
  });

  it('fvl § 2 third paragraph: the dismissal is notified with an appeal right and can itself be appealed', () => {
    const dismissed = run(late(), [
      [{ type: 'DismissAppeal', data: { appealId: 'a-1', reasons: 'Late.' } }, actors.navApprover, '2024-03-06'],
      [
        {
          type: 'SendNotification',
          data: {
            notificationId: 'n-dismissal',
            subject: { kind: 'dismissal', id: 'a-1' },
            recipientMemberId: 'm-amina',
            channel: 'in-person',
            sentOn: '2024-03-06',
          },
        },
        actors.navCaseworker,
        '2024-03-06',
      ],
      [register({ appealId: 'a-2', againstDismissalOf: 'a-1', receivedOn: '2024-03-08' }), actors.navCaseworker, '2024-03-08'],
      [assess({ appealId: 'a-2' }), actors.navCaseworker, '2024-03-08'],
    ]);
    const state = foldFamily(dismissed);
    expect(state.notifications['n-dismissal']).toMatchObject({ informs: { appealRight: true, appealBody: 'statsforvalteren' }, deadline: '2024-03-27' });
    expect(state.appeals['a-2']).toMatchObject({ againstDismissalOf: 'a-1', assessment: { computedFrom: 'n-dismissal', timeliness: 'in-time' } });
  });

  it('fvl § 33: an appeal meeting the requirements is not dismissed; a dismissal needs a second person', () => {
    spec
      .given(assessed())
      .when({ type: 'DismissAppeal', data: { appealId: 'a-1', reasons: 'No.' } }, { actor: actors.navApprover })
      .thenThrows(AppealRequirementsMet);
    const assessedByApprover = run(notified(), [
      [register({ receivedOn: '2024-03-04' }), actors.navCaseworker, '2024-03-04'],
      [assess(), actors.navApprover, '2024-03-05'],
    ]);
    spec
      .given(assessedByApprover)
      .when({ type: 'DismissAppeal', data: { appealId: 'a-1', reasons: 'Late.' } }, { actor: actors.navApprover })
      .thenThrows(SelfApproval);
    spec
      .given(late())
      .when({ type: 'DismissAppeal', data: { appealId: 'a-1', reasons: 'Late.' } })
      .thenThrows(NotApprover);
  });
});

describe('fvl § 29: which notification starts the appellant’s deadline', () => {
  /** The assessment of Amina's appeal against d-nav received on `receivedOn`, on a history with extra notifications. */
  const assessedOn = (history: FamilyEvent[], receivedOn: string) =>
    foldFamily(
      run(history, [
        [register({ receivedOn }), actors.navCaseworker, receivedOn],
        [assess(), actors.navCaseworker, receivedOn],
      ]),
    ).appeals['a-1'].assessment;
  const send = (notificationId: string, recipientMemberId: string, sentOn: string, decisionId = 'd-nav'): [FamilyCommand, Actor, string] => [
    { type: 'SendNotification', data: { notificationId, subject: { kind: 'decision', id: decisionId }, recipientMemberId, channel: 'post', sentOn } },
    actors.navCaseworker,
    sentOn,
  ];
  const receipt = (notificationId: string, receivedOn: string): [FamilyCommand, Actor, string] => [
    { type: 'RecordNotificationReceived', data: { notificationId, receivedOn, evidence: 'postal-tracking' } },
    actors.navCaseworker,
    receivedOn,
  ];

  it('fvl § 29: the earlier of two receipts counts, in whichever order they were recorded; on the same day, the first recorded', () => {
    // A second letter by post reached Amina on 6 February, a day before the first: her deadline is 27 February.
    const earlierSecond = run(notified(), [send('n-amina-2', 'm-amina', '2024-02-05'), receipt('n-amina-2', '2024-02-06')]);
    expect(assessedOn(earlierSecond, '2024-02-20')).toMatchObject({ deadline: '2024-02-27', computedFrom: 'n-amina-2' });
    expect(assessedOn(earlierSecond, '2024-02-28')).toMatchObject({ timeliness: 'late-not-excused' });
    // Recorded the other way round: the later receipt recorded second changes nothing.
    const laterSecond = run(notified(), [send('n-amina-2', 'm-amina', '2024-02-05'), receipt('n-amina-2', '2024-02-09')]);
    expect(assessedOn(laterSecond, '2024-02-20')).toMatchObject({ deadline: '2024-02-28', computedFrom: 'n-amina' });
    const sameDay = run(notified(), [send('n-amina-2', 'm-amina', '2024-02-05'), receipt('n-amina-2', '2024-02-07')]);
    expect(assessedOn(sameDay, '2024-02-20')).toMatchObject({ deadline: '2024-02-28', computedFrom: 'n-amina' });
  });

  it('fvl § 29: a notification to another party, or of another decision, does not start the appellant’s deadline', () => {
    // Yusuf's copy reached him on 6 February; Amina's deadline still runs from her own receipt.
    const yusufEarlier = run(notified(), [send('n-yusuf', 'm-yusuf', '2024-02-05'), receipt('n-yusuf', '2024-02-06')]);
    expect(assessedOn(yusufEarlier, '2024-02-28')).toMatchObject({ deadline: '2024-02-28', computedFrom: 'n-amina', timeliness: 'in-time' });
    // Another decision of NAV's, notified to Amina and received earlier, does not count for d-nav.
    const second: FamilyEvent[] = [
      { ...socialAssistanceProposed, data: { ...socialAssistanceProposed.data, decisionId: 'd-nav-2', periodFrom: '2024-08-01', periodUntil: '2024-12-31' } },
      { type: 'DecisionApproved', data: { ...approvedData, decisionId: 'd-nav-2' } } as unknown as FamilyEvent,
    ];
    const otherDecision = run(
      [...active, ...second, ...notified().slice(active.length)],
      [send('n-other', 'm-amina', '2024-02-05', 'd-nav-2'), receipt('n-other', '2024-02-06')],
    );
    expect(assessedOn(otherDecision, '2024-02-28')).toMatchObject({ deadline: '2024-02-28', computedFrom: 'n-amina', timeliness: 'in-time' });
  });

  it('schema ≤ 2: with no recorded notification, the legacy notifiedOn stamp (naming no one) starts every party’s deadline', () => {
    const stamped = [familyRegistered, socialAssistanceProposed, socialAssistanceApproved];
    expect(assessedOn(stamped, '2024-02-23')).toMatchObject({ deadline: '2024-02-23', computedFrom: 'legacy-d-nav', timeliness: 'in-time' });
    expect(assessedOn(stamped, '2024-02-26')).toMatchObject({ timeliness: 'late-not-excused' });
  });
});

describe('fvl § 2 third paragraph: an appeal against a dismissal', () => {
  /** a-1 registered late and unsigned, dismissed on 6 March 2024, the dismissal handed to Amina that day. */
  const dismissed = (): FamilyEvent[] =>
    run(notified(), [
      [register({ receivedOn: '2024-03-04', signed: false }), actors.navCaseworker, '2024-03-04'],
      [assess({ signed: false }), actors.navCaseworker, '2024-03-05'],
      [{ type: 'DismissAppeal', data: { appealId: 'a-1', reasons: 'Late.' } }, actors.navApprover, '2024-03-06'],
      [
        {
          type: 'SendNotification',
          data: {
            notificationId: 'n-dismissal',
            subject: { kind: 'dismissal', id: 'a-1' },
            recipientMemberId: 'm-amina',
            channel: 'in-person',
            sentOn: '2024-03-06',
          },
        },
        actors.navCaseworker,
        '2024-03-06',
      ],
    ]);
  const againstDismissal = (receivedOn: string) => register({ appealId: 'a-2', againstDismissalOf: 'a-1', receivedOn });

  it('fvl § 31 third paragraph: the year runs from the dismissal, not from the decision; to the day is not yet past it', () => {
    const pastOneYear = (receivedOn: string) =>
      foldFamily(
        run(dismissed(), [
          [againstDismissal(receivedOn), actors.navCaseworker, receivedOn],
          [assess({ appealId: 'a-2', excuse: { ground: 'special-reasons', explanation: 'New facts.' } }), actors.navCaseworker, receivedOn],
        ]),
      ).appeals['a-2'].assessment;
    // More than a year after the decision (2 February 2024), within a year of the dismissal: late, excused, heard.
    expect(pastOneYear('2025-03-01')).toMatchObject({ pastOneYear: false, timeliness: 'late-special-reasons', requirementsMet: true });
    expect(pastOneYear('2025-03-06')).toMatchObject({ pastOneYear: false });
    expect(pastOneYear('2025-03-07')).toMatchObject({ pastOneYear: true, timeliness: 'late-not-excused', requirementsMet: false });
  });

  it('fvl § 28: is not received before the dismissal it appeals, and needs an appeal the unit dismissed', () => {
    spec
      .given(dismissed())
      .when(againstDismissal('2024-03-05'), { now: at('2024-03-08') })
      .thenThrows('INVALID_DATE');
    // The day of the dismissal itself is in order.
    expect(foldFamily(run(dismissed(), [[againstDismissal('2024-03-06'), actors.navCaseworker, '2024-03-06']])).appeals['a-2']).toMatchObject({
      againstDismissalOf: 'a-1',
      receivedOn: '2024-03-06',
    });
    spec
      .given(assessed())
      .when(register({ appealId: 'a-2', againstDismissalOf: 'a-1', receivedOn: '2024-02-22' }), { now: at('2024-02-22') })
      .thenThrows(AppealStageConflict);
  });
});

describe('fvl §§ 33-34: the unit changes its decision or forwards the case to the appeal body', () => {
  it('fvl § 33 (4): upheld by the unit → forwarded to the catalogue’s body (statsforvalteren, sotjl § 48)', () => {
    spec
      .given(prepared())
      .when(forward, { actor: actors.navApprover })
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
            ...by(actors.navApprover),
          },
        },
      ]);
  });

  it('fvl § 28: the appeal body is never taken from the request (APPEAL_BODY_MISMATCH)', () => {
    const error = spec
      .given(prepared())
      .when({ ...forward, data: { ...forward.data, appealBody: 'kommunal-klagenemnd' } } as FamilyCommand, { actor: actors.navApprover })
      .thenThrows(AppealBodyMismatch);
    expect(error.details).toMatchObject({ body: 'statsforvalteren' });
  });

  it('fvl § 33: the appeal cannot end in the unit without the body: no outcome before forwarding, no forwarding before preparation', () => {
    const outcome: FamilyCommand = {
      type: 'RecordAppealOutcome',
      data: { appealId: 'a-1', outcome: 'upheld', decidedOn: '2024-03-10', receivedOn: '2024-03-12', reference: 'SF 2024/1', summary: 'Upheld.' },
    };
    spec.given(prepared()).when(outcome).thenThrows(AppealStageConflict);
    spec.given(assessed()).when(forward, { actor: actors.navApprover }).thenThrows(AppealStageConflict);
    spec.given(prepared()).when(forward).thenThrows(NotApprover);
  });

  it('fvl § 33 (2): a partial change by the unit forwards the rest in the same append', () => {
    const [granted, forwarded] = familyDecider.decide(
      {
        type: 'ChangeDecisionOnAppeal',
        data: {
          appealId: 'a-1',
          fully: false,
          reasons: 'Rent was left out.',
          change: { kind: 'amend', amendment: { amounts: { monthlyAmountOre: 1_400_000 } }, effectiveFrom: '2024-03-01' },
          unitStatement: 'The rest follows the guideline rates.',
        },
      },
      foldFamily(prepared()),
      familyContext({ actor: actors.navApprover }),
    );
    expect(granted).toMatchObject({
      type: 'AppealGrantedByUnit',
      data: { fully: false, effect: { kind: 'amend', effectiveFrom: '2024-03-01', terms: { amounts: { monthlyAmountOre: 1_400_000 } } } },
    });
    expect(forwarded).toMatchObject({ type: 'AppealForwarded', data: { body: 'statsforvalteren', remainderOnly: true } });
    const state = foldFamily([...prepared(), granted, forwarded]);
    expect(state.appeals['a-1'].stage).toBe('forwarded');
    expect(state.decisions['d-nav'].amounts.monthlyAmountOre).toBe(1_400_000);
  });

  it('fvl § 33 (2): a full change ends the appeal in the unit; nothing is forwarded', () => {
    const state = foldFamily(
      run(prepared(), [
        [
          {
            type: 'ChangeDecisionOnAppeal',
            data: {
              appealId: 'a-1',
              fully: true,
              reasons: 'Rent was left out.',
              change: { kind: 'amend', amendment: { amounts: { monthlyAmountOre: 1_480_000 } }, effectiveFrom: '2024-02-01' },
            },
          },
          actors.navApprover,
          '2024-03-01',
        ],
      ]),
    );
    expect(state.appeals['a-1']).toMatchObject({ stage: 'changed-by-unit', forwarded: null });
  });

  it.each([
    ['upheld', undefined],
    ['quashed-returned', undefined],
    ['dismissed', undefined],
    ['changed', { kind: 'amend', amendment: { amounts: { monthlyAmountOre: 1_480_000 } }, effectiveFrom: '2024-02-01' }],
  ] as const)('fvl § 34: the body’s outcome %s is recorded with its date and reference', (outcome, effect) => {
    const state = foldFamily(
      run(forwardedHistory(), [
        [
          {
            type: 'RecordAppealOutcome',
            data: {
              appealId: 'a-1',
              outcome,
              decidedOn: '2024-03-08',
              receivedOn: '2024-03-11',
              reference: 'SF 2024/77',
              summary: 'The county governor’s decision.',
              effect,
            },
          },
          actors.navCaseworker,
          '2024-03-11',
        ],
      ]),
    );
    expect(state.appeals['a-1']).toMatchObject({
      stage: 'decided-by-body',
      outcome: { body: 'statsforvalteren', outcome, decidedOn: '2024-03-08', reference: 'SF 2024/77' },
    });
  });

  it('fvl § 34: "changed" must say how; other outcomes change nothing; the body cannot decide before it got the case', () => {
    const base = { appealId: 'a-1', decidedOn: '2024-03-08', receivedOn: '2024-03-11', reference: 'SF 2024/77', summary: 'x' };
    spec
      .given(forwardedHistory())
      .when({ type: 'RecordAppealOutcome', data: { ...base, outcome: 'changed' } })
      .thenThrows('INVALID_INPUT');
    spec
      .given(forwardedHistory())
      .when({ type: 'RecordAppealOutcome', data: { ...base, outcome: 'upheld', effect: { kind: 'revoke', effectiveFrom: '2024-03-01' } } })
      .thenThrows('INVALID_INPUT');
    spec
      .given(forwardedHistory())
      .when({ type: 'RecordAppealOutcome', data: { ...base, outcome: 'upheld', decidedOn: '2024-02-20' } })
      .thenThrows('INVALID_DATE');
  });

  it('fvl § 34: the county governor reinstates a revoked decision', () => {
    const revoked = {
      type: 'DecisionRevoked',
      data: {
        decisionId: 'd-nav',
        reason: 'Income from work.',
        delegation: delegation('nav-social-assistance'),
        ...by(actors.navApprover, '2024-02-09T09:00:00.000Z'),
      },
    } as unknown as FamilyEvent;
    const history = run(
      [...notified(), revoked],
      [
        [register(), actors.navCaseworker, '2024-02-20'],
        [assess(), actors.navCaseworker, '2024-02-21'],
        [prepare, actors.navCaseworker, '2024-02-22'],
        [forward, actors.navApprover, '2024-02-26'],
        [
          {
            type: 'RecordAppealOutcome',
            data: {
              appealId: 'a-1',
              outcome: 'changed',
              decidedOn: '2024-03-08',
              receivedOn: '2024-03-11',
              reference: 'SF 2024/77',
              summary: 'The income was a one-off.',
              effect: { kind: 'reinstate', effectiveFrom: '2024-02-09' },
            },
          },
          actors.navCaseworker,
          '2024-03-11',
        ],
      ],
    );
    expect(foldFamily(history).decisions['d-nav'].status).toBe('active');
  });
});

describe('fvl § 42: suspended execution, and withdrawal', () => {
  it('fvl § 42 (2): a refusal without reasons is refused; with reasons it is recorded', () => {
    spec
      .given(registered())
      .when({ type: 'DecideSuspension', data: { appealId: 'a-1', granted: false } }, { actor: actors.navApprover })
      .thenThrows(SuspensionReasonsRequired);
    spec
      .given(registered())
      .when(
        { type: 'DecideSuspension', data: { appealId: 'a-1', granted: false, reasons: 'Payments continue; nothing to suspend.' } },
        { actor: actors.navApprover },
      )
      .then([
        {
          type: 'ExecutionSuspensionRefused',
          data: { appealId: 'a-1', decisionId: 'd-nav', reasons: 'Payments continue; nothing to suspend.', ...by(actors.navApprover) },
        },
      ]);
  });

  it('fvl § 42: requested, then granted until the appeal is decided', () => {
    const state = foldFamily(
      run(registered(), [
        [{ type: 'RequestSuspension', data: { appealId: 'a-1', requestedOn: '2024-02-20' } }, actors.navCaseworker, '2024-02-20'],
        [{ type: 'DecideSuspension', data: { appealId: 'a-1', granted: true } }, actors.navApprover, '2024-02-21'],
      ]),
    );
    expect(state.appeals['a-1'].suspension).toMatchObject({
      requestedOn: '2024-02-20',
      decision: { granted: true, from: '2024-02-21', until: 'appeal-decided' },
    });
    spec
      .given(registered())
      .when({ type: 'DecideSuspension', data: { appealId: 'a-1', granted: true } })
      .thenThrows(NotApprover);
  });

  it('the appellant withdraws a pending appeal; a decided one cannot be withdrawn', () => {
    const state = foldFamily(
      run(forwardedHistory(), [[{ type: 'WithdrawAppeal', data: { appealId: 'a-1', withdrawnOn: '2024-03-01' } }, actors.navCaseworker, '2024-03-01']]),
    );
    expect(state.appeals['a-1'].stage).toBe('withdrawn');
    const decided = run(forwardedHistory(), [
      [
        {
          type: 'RecordAppealOutcome',
          data: { appealId: 'a-1', outcome: 'upheld', decidedOn: '2024-03-08', receivedOn: '2024-03-11', reference: 'SF', summary: 'Upheld.' },
        },
        actors.navCaseworker,
        '2024-03-11',
      ],
    ]);
    spec
      .given(decided)
      .when({ type: 'WithdrawAppeal', data: { appealId: 'a-1', withdrawnOn: '2024-03-12' } })
      .thenThrows(AppealStageConflict);
  });
});

describe('schema ≤ 2 appeals stay readable (design 3.8)', () => {
  const legacy = [
    familyRegistered,
    socialAssistanceProposed,
    socialAssistanceApproved,
    {
      type: 'AppealReceived',
      data: {
        appealId: 'a-old',
        decisionId: 'd-nav',
        appellantMemberId: 'm-amina',
        grounds: 'Too little.',
        receivedDate: '2024-02-10',
        deadline: '2024-02-23',
        late: false,
        lateExcuse: null,
        ...by(actors.navCaseworker),
      },
    },
  ] as FamilyEvent[];

  it('an old "upheld" reads as closed by the unit, legacy, never forwarded', () => {
    const upheld = {
      type: 'AppealDecided',
      data: { appealId: 'a-old', decisionId: 'd-nav', outcome: 'upheld', reasons: 'Guideline rates.', ...by(actors.navApprover) },
    } as FamilyEvent;
    const state = foldFamily([...legacy, upheld]);
    expect(state.appeals['a-old']).toMatchObject({
      stage: 'closed-by-unit-legacy',
      legacy: true,
      forwarded: null,
      assessment: { deadline: '2024-02-23', timeliness: 'in-time' },
    });
    expect(state.decisions['d-nav'].status).toBe('active');
  });

  it('an old "reversed" reads as changed by the unit', () => {
    const reversed = {
      type: 'AppealDecided',
      data: { appealId: 'a-old', decisionId: 'd-nav', outcome: 'reversed', reasons: 'Rent.', ...by(actors.navApprover) },
    } as FamilyEvent;
    expect(foldFamily([...legacy, reversed]).appeals['a-old'].stage).toBe('changed-by-unit');
  });

  it('the old commands are gone: ReceiveAppeal is an unknown command', () => {
    spec
      .given(active)
      .when({ type: 'ReceiveAppeal', data: {} } as unknown as FamilyCommand)
      .thenThrows('INVALID_INPUT');
  });
});
