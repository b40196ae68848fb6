import { InvalidInput } from '../shared/domain-error';
import { fold } from '../shared/decider';
import { sequentialIds } from '../testing/decider-specification';
import { actors, familyContext, familySpec as spec, SCHOOL_ORGANISATION_NUMBER } from '../testing/family.fixtures';
import type { Actor } from '../shared/actor';
import type { FamilyCommand } from './family.commands';
import { familyDecider } from './family.decider';
import { FAMILY_EVENT_TYPES, familyStreamId, type FamilyEvent } from './family.events';
import { consentsInForce, decisionsCoveringDate, familyDecisionInForce, incomeBasisPayments } from './family.queries';

/** A walk through the family's year as the API drives it: decide, append, fold, repeat. */
function play(steps: [Actor, FamilyCommand, string][]): FamilyEvent[] {
  const newId = sequentialIds('gen');
  const events: FamilyEvent[] = [];
  for (const [actor, command, at] of steps) {
    const state = fold(familyDecider, events);
    events.push(...familyDecider.decide(command, state, familyContext({ actor, now: new Date(at), newId })));
  }
  return events;
}

const story: [Actor, FamilyCommand, string][] = [
  [
    actors.navCaseworker,
    {
      type: 'RegisterFamily',
      data: {
        familyId: 'fam-9',
        district: 'Østbyen',
        members: [
          { memberId: 'm-a', name: 'Adult A', birthDate: '1990-04-01', role: 'adult' },
          { memberId: 'm-c', name: 'Child C', birthDate: '2015-09-09', role: 'child' },
        ],
        parentalResponsibility: [{ childId: 'm-c', holderId: 'm-a', basis: 'birth-registration' }],
      },
    },
    '2024-01-10T09:00:00Z',
  ],
  [
    actors.navCaseworker,
    { type: 'ReferToUnit', data: { toUnit: 'BFT', memberIds: ['m-c'], reason: 'C is often alone after school.', ground: 'duty-to-inform-child-welfare' } },
    '2024-01-10T10:00:00Z',
  ],
  [actors.bftCaseworker, { type: 'AcceptReferral', data: { referralId: 'gen-1' } }, '2024-01-11T09:00:00Z'],
  [
    actors.bftCaseworker,
    {
      type: 'EnrolInSubProject',
      data: {
        subProjectId: 'sp-1',
        memberIds: ['m-c'],
        subProject: {
          subProjectId: 'sp-1',
          responsibleUnit: 'BFT',
          name: 'Aktiv fritid',
          active: true,
          partners: [{ organisationNumber: SCHOOL_ORGANISATION_NUMBER, name: 'Saupstad skole', mayRecordPayments: false }],
        },
      },
    },
    '2024-01-11T10:00:00Z',
  ],
  [actors.school, { type: 'ExpressNeed', data: { memberId: 'm-c', words: 'A bike to get to training.' } }, '2024-01-12T09:00:00Z'],
  [
    actors.navCaseworker,
    { type: 'JoinContactPerson', data: { personId: 'p-nav', name: 'Kari', affiliation: { kind: 'unit', unit: 'NAV' } } },
    '2024-01-12T10:00:00Z',
  ],
  [
    actors.navCaseworker,
    {
      type: 'GiveConsent',
      data: {
        memberId: 'm-a',
        givenByMemberId: 'm-a',
        kind: 'combine-family-decision',
        toUnits: ['NAV', 'BFT'],
        dataCategories: ['decisions'],
        purpose: 'Family decision',
        validFrom: '2024-01-12',
        validUntil: '2024-12-31',
        evidence: { form: 'oral' },
      },
    },
    '2024-01-12T11:00:00Z',
  ],
  [
    actors.navCaseworker,
    {
      type: 'ProposeDecision',
      data: {
        decisionId: 'd-1',
        unit: 'NAV',
        decisionType: 'economic-social-assistance',
        memberIds: ['m-a', 'm-c'],
        periodFrom: '2024-02-01',
        periodUntil: '2024-07-31',
        amounts: { monthlyAmountOre: 900_000 },
        outcome: 'granted',
        reasons: { rulesApplied: ['sosialtjenesteloven § 18'], facts: 'No income.', summary: 'No income.' },
        childViews: [{ memberId: 'm-c', heard: true, how: 'conversation', heardOn: '2024-01-14', views: 'Wants a bike.', weight: 'Given weight by age.' }],
      },
    },
    '2024-01-15T09:00:00Z',
  ],
  [actors.navApprover, { type: 'ApproveDecision', data: { decisionId: 'd-1' } }, '2024-01-16T09:00:00Z'],
  [actors.bftCaseworker, { type: 'PickUpNeed', data: { needId: 'gen-3' } }, '2024-01-17T09:00:00Z'],
  [
    actors.bftCaseworker,
    {
      type: 'RecordPayment',
      data: {
        paymentId: 'pay-bike',
        recipientMemberId: 'm-c',
        amountOre: 350_000,
        method: 'supplier-payment',
        funding: { kind: 'sub-project', subProjectId: 'sp-1' },
        subProject: { subProjectId: 'sp-1', responsibleUnit: 'BFT' },
        answersNeedId: 'gen-3',
        documentationRef: 'Invoice 77',
        paidOn: '2024-01-20',
      },
    },
    '2024-01-20T09:00:00Z',
  ],
  [
    actors.navCaseworker,
    {
      type: 'RecordPayment',
      data: {
        paymentId: 'pay-feb',
        recipientMemberId: 'm-a',
        amountOre: 900_000,
        method: 'bank-transfer',
        funding: { kind: 'unit', unit: 'NAV' },
        answersDecisionId: 'd-1',
        documentationRef: 'NAV-77',
        paidOn: '2024-02-01',
      },
    },
    '2024-02-01T09:00:00Z',
  ],
  [actors.bftCaseworker, { type: 'ResolveNeed', data: { needId: 'gen-3', paymentIds: ['pay-bike'] } }, '2024-02-02T09:00:00Z'],
  [
    actors.navApprover,
    { type: 'IssueFamilyDecision', data: { decisionIds: ['d-1'], reviewDate: '2024-06-01', responsibleUnit: 'NAV', contactPersonId: 'p-nav' } },
    '2024-02-05T09:00:00Z',
  ],
  [actors.navCaseworker, { type: 'ExpireDecision', data: { decisionId: 'd-1' } }, '2024-08-01T09:00:00Z'],
  [actors.bftCaseworker, { type: 'EndEnrolment', data: { enrolmentId: 'gen-2', reason: 'C plays football now.' } }, '2024-08-15T09:00:00Z'],
  [actors.bftCaseworker, { type: 'CloseInvolvement', data: { reason: 'No more concern for C.' } }, '2024-08-15T10:00:00Z'],
];

describe('the family decider, end to end', () => {
  it('replays deterministically: the same commands give the same events', () => {
    expect(play(story)).toStrictEqual(play(story));
  });

  it('produces JSON events of known types only, and a state that survives JSON', () => {
    const events = play(story);
    expect(events.map((e) => e.type)).toEqual([
      'FamilyRegistered',
      'ReferralRecorded',
      'ReferralAccepted',
      'FamilyEnrolled',
      'NeedExpressed',
      'ContactPersonJoined',
      'ConsentGiven',
      'DecisionProposed',
      'DecisionApproved',
      'NeedPickedUp',
      'PaymentRecorded',
      'PaymentRecorded',
      'NeedResolved',
      'FamilyDecisionIssued',
      'DecisionExpired',
      'FamilyDecisionSuspended', // the bundled decision ended: the family decision follows its parts, in the same append
      'EnrolmentEnded',
      'InvolvementClosed',
    ]);
    for (const event of events) expect(FAMILY_EVENT_TYPES).toContain(event.type);
    expect(events.find((e) => e.type === 'FamilyDecisionSuspended')?.data).toMatchObject({
      familyDecisionId: 'gen-5',
      cause: { kind: 'decision-ended', id: 'd-1' },
      effectiveFrom: '2024-08-01',
    });
    const state = fold(familyDecider, events);
    expect(JSON.parse(JSON.stringify(state))).toStrictEqual(state);
  });

  it('answers an auditor folding the stream up to a day', () => {
    const events = play(story);
    const onFeb10 = fold(
      familyDecider,
      events.filter((e) => e.data.at <= '2024-02-10T23:59:59Z'),
    );
    expect(decisionsCoveringDate(onFeb10, '2024-02-10').map((d) => [d.decisionId, d.status, d.delegation.ruleId])).toEqual([
      ['d-1', 'active', 'nav-social-assistance'],
    ]);
    expect(consentsInForce(onFeb10, '2024-02-10').map((c) => c.consentId)).toEqual(['gen-4']);
    expect(familyDecisionInForce(onFeb10)?.familyDecisionId).toBe('gen-5');
    expect(Object.values(onFeb10.parts).map((p) => [p.unit, p.active, p.act.kind])).toEqual([
      ['NAV', true, 'registered'],
      ['BFT', true, 'referral-accepted'],
    ]);
    expect(incomeBasisPayments(onFeb10)).toEqual([]); // pilot money and social assistance itself
    const atEnd = fold(familyDecider, events);
    expect(atEnd.decisions['d-1'].status).toBe('expired');
    expect(familyDecisionInForce(atEnd)).toBeNull(); // suspended with the expiry of its only part
    expect(atEnd.needs['gen-3']).toMatchObject({ status: 'resolved', pickedUpBy: [{ unit: 'BFT', at: '2024-01-17T09:00:00.000Z' }] });
    expect(atEnd.parts['BFT']).toMatchObject({
      active: false,
      endReason: 'No more concern for C.',
      act: { kind: 'referral-accepted', referralId: 'gen-1', referredBy: 'NAV' },
    });
    expect(atEnd.enrolments['gen-2'].active).toBe(false);
  });

  it('names the stream after the family', () => {
    expect(familyStreamId('fam-9')).toBe('family-fam-9');
  });

  it('refuses a command type it does not know', () => {
    spec
      .given([])
      .when({ type: 'DeleteFamily', data: {} } as unknown as FamilyCommand)
      .thenThrows(InvalidInput);
  });
});
