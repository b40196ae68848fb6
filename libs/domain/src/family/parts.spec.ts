import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { ActionNotPermitted, InvalidInput, UnknownUnit } from '../shared/domain-error';
import {
  actors,
  barnasStemme,
  bftContactJoined,
  bftPart,
  by,
  caseworkerOf,
  combineConsent,
  contactPersonJoined,
  contactPersonLeft,
  coordinationConsent,
  familyRegistered,
  familySpec as spec,
  members,
  navContactJoined,
  navPaymentRecorded,
  needExpressed,
  NOW,
  referralAccepted,
  schoolEnrolled,
  sharingConsent,
  SCHOOL_ORGANISATION_NUMBER,
  socialAssistanceApproved,
  socialAssistanceProposed,
  TODAY,
  withActiveDecisions,
} from '../testing/family.fixtures';
import type { FamilyCommand, FamilyCommandType, ReferToUnit } from './family.commands';
import { AlreadyExists, MemberNotCurrent, MemberNotFound } from './family.errors';
import type { FamilyEvent, InvolvementClosed, ReferralAccepted, ReferralRecorded } from './family.events';
import { foldFamily } from './family.evolve';
import { validateRetentionSchedule } from '../retention/retention-schedule';
import { caseClosedOn, retentionRecords } from '../retention/retention-records';
import { familyTextKeyRef, LEGACY_FAMILY_TEXT_KEY_REF, personalFieldsOf } from '../personal-data/personal-data.catalogue';
import type { JsonObject } from '../shared/json';
import type { FamilyState } from './family.state';
import { AlreadyHasPart, InvolvementStillNeeded, NoPartInCase, ReferralConsentMissing, ReferralNotFound, ReferralNotOpen } from './parts.errors';

/**
 * A part in the case (tjenstlig behov, forvaltningsloven § 13): explicit, gained by registering
 * the family or accepting a referral, ended by closing the involvement. Writes need one.
 */

const refer = (data: Partial<ReferToUnit['data']> = {}): ReferToUnit => ({
  type: 'ReferToUnit',
  data: { referralId: 'ref-1', toUnit: 'HVK', memberIds: ['m-amina'], reason: 'Amina has pain and cannot work.', ...data },
});
const referred = (data: Partial<ReferralRecorded['data']> = {}): ReferralRecorded => ({
  type: 'ReferralRecorded',
  data: {
    referralId: 'ref-1',
    fromUnit: 'NAV',
    toUnit: 'HVK',
    memberIds: ['m-amina'],
    reason: 'Amina has pain and cannot work.',
    ground: 'consent',
    consentIds: ['c-amina-hvk'],
    ...by(actors.navCaseworker),
    ...data,
  },
});
/** Amina lets NAV share its records about her with HVK. */
const aminaToHvk = sharingConsent('c-amina-hvk', 'm-amina', ['HVK']);

const accept = (referralId = 'ref-1') => ({ type: 'AcceptReferral', data: { referralId } }) as const;
const decline = (referralId = 'ref-1', reason = 'Not for us: no health service is asked for.') =>
  ({ type: 'DeclineReferral', data: { referralId, reason } }) as const;

/** HVK with a part (accepted the fixture referral) and its contact person in the team. */
const hvkContactJoined: FamilyEvent = {
  type: 'ContactPersonJoined',
  data: {
    personId: 'p-anne',
    name: 'Anne Lie',
    affiliation: { kind: 'unit', unit: 'HVK' },
    teamRole: null,
    ...by(actors.hvkCaseworker, '2024-01-09T09:00:00.000Z'),
  },
};
const withHvk: FamilyEvent[] = [familyRegistered, ...referralAccepted('HVK'), navContactJoined, hvkContactJoined];
const close = { type: 'CloseInvolvement', data: { reason: 'Amina’s treatment is over.' } } as const;
const hvkClosed: InvolvementClosed = {
  type: 'InvolvementClosed',
  data: { unit: 'HVK', reason: 'Amina’s treatment is over.', contactPersonIds: ['p-anne'], ...by(actors.hvkCaseworker) },
};

/** The shipped retention schedule (libs/rules/retention), for the erasure request below. */
const schedule = validateRetentionSchedule(
  parse(readFileSync(join(__dirname, '..', '..', '..', 'rules', 'retention', 'trondheim-retention-2026.yaml'), 'utf8')),
);
describe('parts: gained by an accountable act', () => {
  it('registration grants the registering unit a part (act registered); nobody else has one', () => {
    const state = spec
      .given([])
      .when(
        {
          type: 'RegisterFamily',
          data: { familyId: 'fam-2', district: 'Lerkendal', members: [{ memberId: 'm-1', name: 'Ali', birthDate: '1990-01-01', role: 'adult' }] },
        },
        { actor: actors.bftCaseworker },
      )
      .then([expect.objectContaining({ type: 'FamilyRegistered' }) as never]);
    expect(state.parts).toEqual({
      BFT: {
        unit: 'BFT',
        active: true,
        since: TODAY,
        sinceAt: '2024-03-15T09:00:00.000Z',
        act: { kind: 'registered' },
        grantedBy: by(actors.bftCaseworker).by,
        endedAt: null,
        endedBy: null,
        endReason: null,
        earlier: [],
      },
    });
  });

  it('the fixture family: NAV registered it, and has the only part until a referral is accepted', () => {
    const state = foldFamily([familyRegistered]);
    expect(Object.keys(state.parts)).toEqual(['NAV']);
    expect(state.parts.NAV).toMatchObject({ active: true, since: '2024-01-08', act: { kind: 'registered' } });
  });
});

describe('writes need a part (requirePart, NO_PART_IN_CASE)', () => {
  /** A family with records of every kind: decisions, an appeal, a need, payments, consents, an enrolment, a family decision. */
  const history: FamilyEvent[] = [
    ...withActiveDecisions,
    schoolEnrolled,
    needExpressed,
    navContactJoined,
    bftContactJoined,
    navPaymentRecorded,
    combineConsent('c-amina', 'm-amina'),
    combineConsent('c-yusuf', 'm-yusuf'),
    {
      type: 'AppealReceived',
      data: {
        appealId: 'a-1',
        decisionId: 'd-bft',
        appellantMemberId: 'm-amina',
        grounds: 'Too little.',
        receivedDate: '2024-03-10',
        deadline: '2024-03-25',
        late: false,
        lateExcuse: null,
        ...by(actors.bftCaseworker),
      },
    },
    referred({ toUnit: 'INN', referralId: 'ref-inn', consentIds: [] }),
  ];

  /** One command of every type, naming records that exist: the refusal must come first and tell nothing of them. */
  const commands: Record<FamilyCommandType, FamilyCommand | null> = {
    RegisterFamily: null, // no part needed: whoever registers gets one
    AcceptReferral: null, // the target unit of a referral has no part yet
    DeclineReferral: null,
    JoinMember: { type: 'JoinMember', data: { member: { memberId: 'm-baby', name: 'Baby', birthDate: '2024-03-10', role: 'child' } } },
    LeaveMember: { type: 'LeaveMember', data: { memberId: 'm-yusuf' } },
    JoinContactPerson: { type: 'JoinContactPerson', data: { personId: 'p-anne', name: 'Anne', affiliation: { kind: 'unit', unit: 'HVK' } } },
    LeaveContactPerson: { type: 'LeaveContactPerson', data: { personId: 'p-kari' } },
    NameCoordinatingUnit: { type: 'NameCoordinatingUnit', data: { unit: 'BFT' } },
    ExpressNeed: { type: 'ExpressNeed', data: { memberId: 'm-sara', words: 'Swimming lessons' } },
    PickUpNeed: { type: 'PickUpNeed', data: { needId: 'n-1' } },
    ResolveNeed: { type: 'ResolveNeed', data: { needId: 'n-1', resolution: 'Done' } },
    WithdrawNeed: { type: 'WithdrawNeed', data: { needId: 'n-1' } },
    GiveConsent: {
      type: 'GiveConsent',
      data: {
        memberId: 'm-amina',
        givenByMemberId: 'm-amina',
        kind: 'information-sharing',
        toUnits: ['HVK'],
        dataCategories: ['needs'],
        purpose: 'P',
        validFrom: TODAY,
        validUntil: '2024-12-31',
        evidence: { form: 'oral' },
      },
    },
    WithdrawConsent: { type: 'WithdrawConsent', data: { consentId: 'c-amina', expressedByMemberId: 'm-amina', channel: 'orally' } },
    ProposeDecision: {
      type: 'ProposeDecision',
      data: {
        unit: 'HVK',
        decisionType: 'coordinator-adult',
        memberIds: ['m-amina'],
        periodFrom: '2024-04-01',
        periodUntil: '2025-03-31',
        outcome: 'granted',
        reasons: { rulesApplied: ['hol § 7-2'], facts: 'Many services.', summary: 'Many services.' },
      },
    },
    ApproveDecision: { type: 'ApproveDecision', data: { decisionId: 'd-nav' } },
    RejectDecision: { type: 'RejectDecision', data: { decisionId: 'd-nav', reason: 'No.' } },
    AmendDecision: { type: 'AmendDecision', data: { decisionId: 'd-nav', periodUntil: '2024-12-31', reasons: 'Longer.' } },
    SendAdvanceNotice: {
      type: 'SendAdvanceNotice',
      data: { decisionId: 'd-nav', intendedAct: 'revoke', memberIds: ['m-amina'], sentOn: '2024-03-01', answerBy: '2024-03-15', channel: 'post' },
    },
    RecordPartyStatement: { type: 'RecordPartyStatement', data: { noticeId: 'n-1', memberId: 'm-amina', receivedOn: '2024-03-05', summary: 'No.' } },
    RevokeDecision: { type: 'RevokeDecision', data: { decisionId: 'd-bft', reason: 'Moved.' } },
    ExpireDecision: { type: 'ExpireDecision', data: { decisionId: 'd-nav' } },
    SendNotification: {
      type: 'SendNotification',
      data: { subject: { kind: 'decision', id: 'd-nav' }, recipientMemberId: 'm-amina', channel: 'post', sentOn: TODAY },
    },
    RecordNotificationReceived: { type: 'RecordNotificationReceived', data: { notificationId: 'n-1', receivedOn: TODAY, evidence: 'stated-by-party' } },
    RegisterAppeal: {
      type: 'RegisterAppeal',
      data: { decisionId: 'd-nav', appellant: { memberId: 'm-amina' }, receivedOn: TODAY, channel: 'post', grounds: 'Too little.' },
    },
    AssessAppealForm: { type: 'AssessAppealForm', data: { appealId: 'a-1', specific: true, signed: true, reasons: 'Fine.' } },
    DismissAppeal: { type: 'DismissAppeal', data: { appealId: 'a-1', reasons: 'Late.' } },
    PrepareAppeal: { type: 'PrepareAppeal', data: { appealId: 'a-1', investigations: 'None.', counterpartiesNotified: false } },
    ChangeDecisionOnAppeal: {
      type: 'ChangeDecisionOnAppeal',
      data: { appealId: 'a-1', fully: true, reasons: 'Right.', change: { kind: 'revoke', effectiveFrom: TODAY } },
    },
    ForwardAppeal: { type: 'ForwardAppeal', data: { appealId: 'a-1', unitStatement: 'Upheld.', copyToParty: true } },
    RecordAppealOutcome: {
      type: 'RecordAppealOutcome',
      data: { appealId: 'a-1', outcome: 'upheld', decidedOn: TODAY, receivedOn: TODAY, reference: 'SF', summary: 'Upheld.' },
    },
    WithdrawAppeal: { type: 'WithdrawAppeal', data: { appealId: 'a-1', withdrawnOn: TODAY } },
    RequestSuspension: { type: 'RequestSuspension', data: { appealId: 'a-1', requestedOn: TODAY } },
    DecideSuspension: { type: 'DecideSuspension', data: { appealId: 'a-1', granted: true } },
    RecordPayment: {
      type: 'RecordPayment',
      data: {
        recipientMemberId: 'm-amina',
        amountOre: 100,
        method: 'bank-transfer',
        funding: { kind: 'unit', unit: 'HVK' },
        documentationRef: 'D',
        paidOn: TODAY,
      },
    },
    ReversePayment: { type: 'ReversePayment', data: { paymentId: 'pay-1', reason: 'Wrong.' } },
    IssueFamilyDecision: {
      type: 'IssueFamilyDecision',
      data: { decisionIds: ['d-nav', 'd-bft'], reviewDate: '2024-07-01', responsibleUnit: 'HVK', contactPersonId: 'p-kari' },
    },
    RecordParentalResponsibility: { type: 'RecordParentalResponsibility', data: { childId: 'm-omar', holderId: 'm-amina' } },
    EndParentalResponsibility: { type: 'EndParentalResponsibility', data: { childId: 'm-sara', holderId: 'm-yusuf', reason: 'Court decision.' } },
    ReferToUnit: { type: 'ReferToUnit', data: { toUnit: 'OPPVEKST', memberIds: ['m-omar'], reason: 'Kindergarten.' } },
    CloseInvolvement: { type: 'CloseInvolvement', data: { reason: 'Done.' } },
    EnrolInSubProject: { type: 'EnrolInSubProject', data: { subProjectId: 'sp-barnas-stemme', memberIds: ['m-sara'], subProject: barnasStemme } },
    EndEnrolment: { type: 'EndEnrolment', data: { enrolmentId: 'e-1', reason: 'Over.' } },
    RecordFamilyPlan: {
      type: 'RecordFamilyPlan',
      data: {
        goals: [{ words: 'Vi vil ha et trygt sted å bo', answeredBy: ['HVK'] }],
        responsibilities: [{ unit: 'HVK', for: 'housing' }],
        coordinator: { personId: 'p-kari', unit: 'HVK' },
        reviewDates: ['2024-09-01'],
      },
    },
    ReviseFamilyPlan: {
      type: 'ReviseFamilyPlan',
      data: {
        planId: 'plan-1',
        reason: 'New goal.',
        goals: [{ words: 'Arbeid', answeredBy: ['NAV'] }],
        responsibilities: [{ unit: 'NAV', for: 'work' }],
        coordinator: { personId: 'p-kari', unit: 'HVK' },
        reviewDates: ['2024-09-01'],
      },
    },
    ReviewFamilyPlan: { type: 'ReviewFamilyPlan', data: { planId: 'plan-1', on: '2024-06-01', notes: 'Reviewed.' } },
    EndFamilyPlan: { type: 'EndFamilyPlan', data: { planId: 'plan-1', reason: 'Done.' } },
    IssueLetter: {
      type: 'IssueLetter',
      data: { decisionIds: ['d-nav'], templateVersion: 'v1', copies: [{ recipientMemberId: 'm-amina', sha256: 'a'.repeat(64), language: 'nb' }] },
    },
    RecordLetterDelivered: { type: 'RecordLetterDelivered', data: { letterId: 'l-1', recipientMemberId: 'm-amina', channel: 'post', deliveredOn: TODAY } },
    EraseDueRecords: null, // the retention job's system actor only, refused to every unit by actor kind (erasure.spec.ts)
    RequestErasure: {
      type: 'RequestErasure',
      data: { memberId: 'm-amina', categories: 'all', receivedOn: TODAY, requestedBy: { memberId: 'm-amina' }, channel: 'in-writing', schedule },
    },
  };
  const refused = Object.entries(commands).filter((entry): entry is [FamilyCommandType, FamilyCommand] => entry[1] !== null);

  /** Every id of a record the family holds (and its family id): none may appear in the refusal. */
  function recordIds(state: FamilyState): string[] {
    return [
      state.familyId!,
      ...Object.keys(state.members),
      ...Object.keys(state.team),
      ...Object.keys(state.needs),
      ...Object.keys(state.consents),
      ...Object.keys(state.decisions),
      ...Object.keys(state.appeals),
      ...Object.keys(state.payments),
      ...Object.keys(state.referrals),
      ...Object.keys(state.enrolments),
      ...Object.keys(state.familyDecisions),
    ];
  }

  it.each(refused)('forvaltningsloven § 13: %s by a unit without a part is refused with NO_PART_IN_CASE, no events, no record named', (_type, command) => {
    for (const actor of [actors.hvkApprover, caseworkerOf.OPPVEKST]) {
      const forActor: FamilyCommand = command.type === 'ProposeDecision' ? { ...command, data: { ...command.data, unit: actor.unit! } } : command;
      const error = spec.given(history).when(forActor, { actor }).thenThrows(NoPartInCase);
      expect(error.kind).toBe('forbidden');
      const ids = recordIds(foldFamily(history));
      expect(ids.length).toBeGreaterThan(15);
      for (const id of ids) expect(error.message).not.toContain(id);
      expect(JSON.stringify(error.details)).not.toMatch(new RegExp(ids.map((id) => id.replace(/[-]/g, '\\-')).join('|')));
    }
  });

  it('covers every family command type except the three that need no part and the retention job’s own', () => {
    expect(refused.map(([type]) => type).sort()).toHaveLength(47);
    expect(
      Object.entries(commands)
        .filter(([, c]) => c === null)
        .map(([type]) => type),
    ).toEqual(['RegisterFamily', 'AcceptReferral', 'DeclineReferral', 'EraseDueRecords']);
  });

  it('forvaltningsloven § 13: a unit with only an open referral to it is still refused writes', () => {
    spec.given(history).when(commands.ExpressNeed!, { actor: actors.innCaseworker }).thenThrows(NoPartInCase);
  });

  it('forvaltningsloven § 13: a unit whose referral was declined is refused writes', () => {
    const declined: FamilyEvent = { type: 'ReferralDeclined', data: { referralId: 'ref-inn', unit: 'INN', reason: 'No.', ...by(actors.innCaseworker) } };
    spec
      .given([...history, declined])
      .when(commands.ExpressNeed!, { actor: actors.innCaseworker })
      .thenThrows(NoPartInCase);
  });
});

describe('ReferToUnit', () => {
  it('forvaltningsloven § 13 a no. 1: a referral on consent needs a consent in force of each referred member naming the target unit', () => {
    const state = spec.given([familyRegistered, aminaToHvk]).when(refer()).then([referred()]);
    expect(state.referrals['ref-1']).toMatchObject({ status: 'open', fromUnit: 'NAV', toUnit: 'HVK', answeredAt: null });
    expect(state.parts.HVK).toBeUndefined();
  });

  it('forvaltningsloven § 13 a no. 1: refused without such a consent, naming the member without one (REFERRAL_CONSENT_MISSING)', () => {
    spec.given([familyRegistered]).when(refer()).thenThrows(ReferralConsentMissing);
    const error = spec
      .given([familyRegistered, aminaToHvk])
      .when(refer({ memberIds: ['m-amina', 'm-yusuf'] }))
      .thenThrows(ReferralConsentMissing);
    expect(error.details).toEqual({ memberId: 'm-yusuf', unit: 'HVK' });
  });

  it.each([
    ['a consent naming another unit', sharingConsent('c-x', 'm-amina', ['INN'])],
    ['a consent whose sources leave the referring unit out', sharingConsent('c-x', 'm-amina', ['HVK'], { sourceUnits: ['BFT'] })],
    ['a consent of another kind (coordination)', coordinationConsent('c-x', 'm-amina', 'HVK')],
  ])('forvaltningsloven § 13 a no. 1: %s does not allow the referral', (_label, consent) => {
    spec.given([familyRegistered, consent]).when(refer()).thenThrows(ReferralConsentMissing);
  });

  it('forvaltningsloven § 13 a no. 1: a withdrawn or expired consent does not allow it', () => {
    const withdrawn: FamilyEvent = {
      type: 'ConsentWithdrawn',
      data: {
        consentId: 'c-amina-hvk',
        effectiveFrom: TODAY,
        reason: null,
        expressedByMemberId: 'm-amina',
        channel: 'orally',
        alertedUnits: [],
        ...by(actors.navCaseworker),
      },
    };
    spec.given([familyRegistered, aminaToHvk, withdrawn]).when(refer()).thenThrows(ReferralConsentMissing);
    spec
      .given([familyRegistered, aminaToHvk])
      .when(refer(), { now: new Date('2025-01-01T09:00:00.000Z') })
      .thenThrows(ReferralConsentMissing);
  });

  it('forvaltningsloven § 13 a no. 1: a schema 1 consent (sources null: any unit’s records) allows it', () => {
    const schema1 = sharingConsent('c-old', 'm-amina', ['HVK'], { sourceUnits: null });
    spec
      .given([familyRegistered, schema1])
      .when(refer())
      .then([referred({ consentIds: ['c-old'] })]);
  });

  it('barnevernsloven § 13-2: the duty to inform lets a unit refer children to BFT without consent', () => {
    const state = spec
      .given([familyRegistered])
      .when(refer({ toUnit: 'BFT', memberIds: ['m-sara', 'm-leila'], reason: 'Concern for the children.', ground: 'duty-to-inform-child-welfare' }))
      .then([
        referred({
          toUnit: 'BFT',
          memberIds: ['m-sara', 'm-leila'],
          reason: 'Concern for the children.',
          ground: 'duty-to-inform-child-welfare',
          consentIds: [],
        }),
      ]);
    expect(state.referrals['ref-1'].ground).toBe('duty-to-inform-child-welfare');
  });

  it('barnevernsloven § 13-2: the duty to inform is only towards BFT', () => {
    const error = spec
      .given([familyRegistered])
      .when(refer({ memberIds: ['m-sara'], ground: 'duty-to-inform-child-welfare' }))
      .thenThrows(InvalidInput);
    expect(error.details).toEqual({ field: 'ground' });
  });

  it('barnevernsloven § 13-2: the duty to inform is only about children (an adult needs their own consent)', () => {
    const error = spec
      .given([familyRegistered])
      .when(refer({ toUnit: 'BFT', memberIds: ['m-sara', 'm-amina'], ground: 'duty-to-inform-child-welfare' }))
      .thenThrows(InvalidInput);
    expect(error.details).toEqual({ field: 'memberIds' });
  });

  it('barnevernsloven § 13-2: ages from birth dates: a 21-year-old the household lists as a child is no child', () => {
    const ali: FamilyEvent = {
      type: 'MemberJoined',
      data: { member: { ...members.omar, memberId: 'm-ali', name: 'Ali', birthDate: '2003-01-01' }, joinedOn: '2024-01-08', ...by(actors.navCaseworker) },
    };
    spec
      .given([familyRegistered, ali])
      .when(refer({ toUnit: 'BFT', memberIds: ['m-ali'], ground: 'duty-to-inform-child-welfare' }))
      .thenThrows(InvalidInput);
  });

  it('refuses referring to a unit that already has a part, or to itself (ALREADY_HAS_PART)', () => {
    spec
      .given([familyRegistered, ...bftPart])
      .when(refer({ toUnit: 'BFT', memberIds: ['m-sara'], ground: 'duty-to-inform-child-welfare' }))
      .thenThrows(AlreadyHasPart);
    spec
      .given([familyRegistered])
      .when(refer({ toUnit: 'NAV' }))
      .thenThrows(AlreadyHasPart);
  });

  it('refuses a unit without a part referring (NO_PART_IN_CASE)', () => {
    spec
      .given([familyRegistered, aminaToHvk])
      .when(refer({ toUnit: 'INN' }), { actor: actors.hvkCaseworker })
      .thenThrows(NoPartInCase);
  });

  it('refuses bad input: an unknown unit, no members, a member twice, a member who left or never was, no reason, an unknown ground, a used id', () => {
    spec
      .given([familyRegistered, aminaToHvk])
      .when(refer({ toUnit: 'POLITI' as 'HVK' }))
      .thenThrows(UnknownUnit);
    spec
      .given([familyRegistered, aminaToHvk])
      .when(refer({ memberIds: [] }))
      .thenThrows(InvalidInput);
    spec
      .given([familyRegistered, aminaToHvk])
      .when(refer({ memberIds: ['m-amina', 'm-amina'] }))
      .thenThrows(InvalidInput);
    spec
      .given([familyRegistered, aminaToHvk])
      .when(refer({ memberIds: ['m-nobody'] }))
      .thenThrows(MemberNotFound);
    const left: FamilyEvent = { type: 'MemberLeft', data: { memberId: 'm-amina', leftOn: TODAY, reason: null, ...by(actors.navCaseworker) } };
    spec.given([familyRegistered, aminaToHvk, left]).when(refer()).thenThrows(MemberNotCurrent);
    spec
      .given([familyRegistered, aminaToHvk])
      .when(refer({ reason: ' ' }))
      .thenThrows(InvalidInput);
    spec
      .given([familyRegistered, aminaToHvk])
      .when(refer({ ground: 'curiosity' as 'consent' }))
      .thenThrows(InvalidInput);
    spec.given([familyRegistered, aminaToHvk, referred()]).when(refer()).thenThrows(AlreadyExists);
  });
});

describe('AcceptReferral / DeclineReferral', () => {
  const open = [familyRegistered, aminaToHvk, referred()];
  const accepted: ReferralAccepted = { type: 'ReferralAccepted', data: { referralId: 'ref-1', unit: 'HVK', since: TODAY, ...by(actors.hvkCaseworker) } };

  it('accepting grants the target unit a part (act referral-accepted, naming the referral and the referring unit)', () => {
    const state = spec.given(open).when(accept(), { actor: actors.hvkCaseworker }).then([accepted]);
    expect(state.parts.HVK).toMatchObject({
      active: true,
      since: TODAY,
      act: { kind: 'referral-accepted', referralId: 'ref-1', referredBy: 'NAV' },
      grantedBy: by(actors.hvkCaseworker).by,
      earlier: [],
    });
    expect(state.referrals['ref-1']).toMatchObject({ status: 'accepted', answeredBy: by(actors.hvkCaseworker).by });
  });

  it('after accepting, the unit writes to the family', () => {
    spec
      .given([...open, accepted])
      .when({ type: 'ExpressNeed', data: { needId: 'n-hvk', memberId: 'm-amina', words: 'Help with the pain.' } }, { actor: actors.hvkCaseworker })
      .then([expect.objectContaining({ type: 'NeedExpressed' }) as never]);
  });

  it.each([
    ['the referring unit', actors.navCaseworker],
    ['a unit with a part', actors.bftCaseworker],
    ['an unrelated unit', actors.innCaseworker],
  ])('only the target unit answers: to %s the referral does not exist (REFERRAL_NOT_FOUND)', (_label, actor) => {
    spec
      .given([...open, ...bftPart])
      .when(accept(), { actor })
      .thenThrows(ReferralNotFound);
    spec
      .given([...open, ...bftPart])
      .when(decline(), { actor })
      .thenThrows(ReferralNotFound);
  });

  it('only the target unit answers: an unknown referral is REFERRAL_NOT_FOUND too, and partners and auditors are refused', () => {
    spec.given(open).when(accept('ref-x'), { actor: actors.hvkCaseworker }).thenThrows(ReferralNotFound);
    spec.given(open).when(accept(), { actor: actors.school }).thenThrows(ActionNotPermitted);
    spec.given(open).when(decline(), { actor: actors.auditor }).thenThrows(ActionNotPermitted);
  });

  it('declining records the reason; the unit gets no part', () => {
    const state = spec
      .given(open)
      .when(decline(), { actor: actors.hvkApprover })
      .then([
        {
          type: 'ReferralDeclined',
          data: { referralId: 'ref-1', unit: 'HVK', reason: 'Not for us: no health service is asked for.', ...by(actors.hvkApprover) },
        },
      ]);
    expect(state.referrals['ref-1']).toMatchObject({ status: 'declined', declineReason: 'Not for us: no health service is asked for.' });
    expect(state.parts.HVK).toBeUndefined();
    spec.given(open).when(decline('ref-1', ''), { actor: actors.hvkCaseworker }).thenThrows(InvalidInput);
  });

  it('a referral is answered once (REFERRAL_NOT_OPEN)', () => {
    spec
      .given([...open, accepted])
      .when(accept(), { actor: actors.hvkCaseworker })
      .thenThrows(ReferralNotOpen);
    spec
      .given([...open, accepted])
      .when(decline(), { actor: actors.hvkCaseworker })
      .thenThrows(ReferralNotOpen);
  });

  it('refuses accepting a second referral while the unit has a part (ALREADY_HAS_PART)', () => {
    const second = referred({ referralId: 'ref-2', fromUnit: 'BFT', ...by(actors.bftCaseworker) });
    spec
      .given([...open, ...bftPart, second, accepted])
      .when(accept('ref-2'), { actor: actors.hvkCaseworker })
      .thenThrows(AlreadyHasPart);
  });
});

describe('CloseInvolvement', () => {
  it('ends the unit’s part; its contact persons leave the team in the same event', () => {
    const state = spec.given(withHvk).when(close, { actor: actors.hvkCaseworker }).then([hvkClosed]);
    expect(state.parts.HVK).toMatchObject({
      active: false,
      endedAt: '2024-03-15T09:00:00.000Z',
      endedBy: by(actors.hvkCaseworker).by,
      endReason: 'Amina’s treatment is over.',
    });
    expect(state.team['p-anne']).toMatchObject({ active: false, leftAt: '2024-03-15T09:00:00.000Z' });
    expect(state.team['p-kari'].active).toBe(true);
  });

  it('after closing, the unit is refused writes again (NO_PART_IN_CASE)', () => {
    spec
      .given([...withHvk, hvkClosed])
      .when({ type: 'ExpressNeed', data: { memberId: 'm-amina', words: 'One more thing.' } }, { actor: actors.hvkCaseworker })
      .thenThrows(NoPartInCase);
    spec
      .given([...withHvk, hvkClosed])
      .when(close, { actor: actors.hvkCaseworker })
      .thenThrows(NoPartInCase);
  });

  it('a new accepted referral gives the unit a part again; the earlier period is kept', () => {
    const again = [referred({ referralId: 'ref-2', reason: 'The pain came back.', consentIds: ['c-ref-hvk'] })];
    const state = spec
      .given([...withHvk, hvkClosed, ...again])
      .when(accept('ref-2'), { actor: actors.hvkCaseworker })
      .then([{ type: 'ReferralAccepted', data: { referralId: 'ref-2', unit: 'HVK', since: TODAY, ...by(actors.hvkCaseworker) } }]);
    expect(state.parts.HVK).toMatchObject({
      active: true,
      act: { kind: 'referral-accepted', referralId: 'ref-2', referredBy: 'NAV' },
      earlier: [
        {
          since: '2024-01-08',
          act: { kind: 'referral-accepted', referralId: 'ref-hvk', referredBy: 'NAV' },
          endedAt: '2024-03-15T09:00:00.000Z',
          endReason: 'Amina’s treatment is over.',
        },
      ],
      endedAt: null,
    });
  });

  it('refused while the unit coordinates (INVOLVEMENT_STILL_NEEDED)', () => {
    const hvkCoordinates: FamilyEvent[] = [
      coordinationConsent('c-1', 'm-amina', 'HVK'),
      coordinationConsent('c-2', 'm-yusuf', 'HVK'),
      { type: 'CoordinatingUnitNamed', data: { unit: 'HVK', previousUnit: null, ...by(actors.hvkCaseworker) } },
    ];
    const error = spec
      .given([...withHvk, ...hvkCoordinates])
      .when(close, { actor: actors.hvkCaseworker })
      .thenThrows(InvolvementStillNeeded);
    expect(error.message).toMatch(/coordinates/);
  });

  it.each([
    ['proposed', []],
    ['active', ['approved']],
    ['under appeal', ['approved', 'appealed']],
  ])('refused while the unit holds a decision that is %s (INVOLVEMENT_STILL_NEEDED)', (_label, steps) => {
    const proposed: FamilyEvent = {
      type: 'DecisionProposed',
      data: {
        decisionId: 'd-hvk',
        unit: 'HVK',
        decisionType: 'coordinator-adult',
        memberIds: ['m-amina'],
        legalBasis: 'Helse- og omsorgstjenesteloven § 7-2',
        periodFrom: '2024-01-15',
        periodUntil: '2024-12-31',
        amounts: { monthlyAmountOre: null, oneOffAmountOre: null },
        reasons: 'Many services.',
        enkeltvedtak: true,
        fourEyes: true,
        subProject: null,
        delegation: { ruleSetId: 'trondheim-2023', ruleSetVersion: 1, ruleId: 'hvk-coordinator-adult' },
        ...by(actors.hvkCaseworker, '2024-01-15T09:00:00.000Z'),
      },
    };
    const more: Record<string, FamilyEvent> = {
      approved: {
        type: 'DecisionApproved',
        data: { decisionId: 'd-hvk', notifiedOn: '2024-01-16', delegation: proposed.data.delegation as never, ...by(actors.hvkApprover) },
      },
      appealed: {
        type: 'AppealReceived',
        data: {
          appealId: 'a-1',
          decisionId: 'd-hvk',
          appellantMemberId: 'm-amina',
          grounds: null,
          receivedDate: '2024-01-20',
          deadline: '2024-02-13',
          late: false,
          lateExcuse: null,
          ...by(actors.hvkCaseworker),
        },
      },
    };
    const error = spec
      .given([...withHvk, proposed, ...steps.map((s) => more[s])])
      .when(close, { actor: actors.hvkCaseworker })
      .thenThrows(InvolvementStillNeeded);
    expect(error.message).toMatch(/decisions/);
    // Once the decision has ended, the unit may close.
    const revoked: FamilyEvent = {
      type: 'DecisionRevoked',
      data: { decisionId: 'd-hvk', reason: 'No longer needed.', delegation: proposed.data.delegation as never, ...by(actors.hvkApprover) },
    };
    if (steps.length === 1)
      spec
        .given([...withHvk, proposed, more.approved, revoked])
        .when(close, { actor: actors.hvkCaseworker })
        .then([hvkClosed]);
  });

  it('refused while the unit is responsible for the family decision in force (INVOLVEMENT_STILL_NEEDED)', () => {
    const familyDecision: FamilyEvent = {
      type: 'FamilyDecisionIssued',
      data: {
        familyDecisionId: 'fd-1',
        decisions: [],
        reviewDate: '2024-07-01',
        responsibleUnit: 'HVK',
        contactPersonId: 'p-anne',
        consentIds: [],
        ruleSetId: 'trondheim-2023',
        ruleSetVersion: 1,
        supersedes: null,
        ...by(actors.hvkApprover),
      },
    };
    const error = spec
      .given([...withHvk, familyDecision])
      .when(close, { actor: actors.hvkCaseworker })
      .thenThrows(InvolvementStillNeeded);
    expect(error.message).toMatch(/family decision/);
  });

  it('the only unit with a part closes the case with its involvement (caseClosed); with another unit carrying the case it closes only its own', () => {
    spec
      .given([familyRegistered, navContactJoined])
      .when(close)
      .then([
        {
          type: 'InvolvementClosed',
          data: { unit: 'NAV', reason: 'Amina’s treatment is over.', contactPersonIds: ['p-kari'], caseClosed: true, ...by(actors.navCaseworker) },
        },
      ]);
    spec
      .given([familyRegistered, navContactJoined, ...bftPart])
      .when(close)
      .then([
        { type: 'InvolvementClosed', data: { unit: 'NAV', reason: 'Amina’s treatment is over.', contactPersonIds: ['p-kari'], ...by(actors.navCaseworker) } },
      ]);
  });

  it('refuses to close while the unit is responsible for an active sub-project enrolment (its partners would act for nobody)', () => {
    const enrolledByHvk: FamilyEvent = {
      type: 'FamilyEnrolled',
      data: {
        enrolmentId: 'e-hvk',
        subProjectId: 'sp-hvk',
        subProjectName: 'Boveiledning',
        responsibleUnit: 'HVK',
        memberIds: ['m-amina'],
        partners: [],
        ...by(actors.hvkCaseworker),
      },
    };
    const error = spec
      .given([...withHvk, enrolledByHvk])
      .when(close, { actor: actors.hvkCaseworker })
      .thenThrows(InvolvementStillNeeded);
    expect(error.message).toContain('enrolments');
  });

  it('needs a reason', () => {
    spec
      .given(withHvk)
      .when({ type: 'CloseInvolvement', data: { reason: '' } }, { actor: actors.hvkCaseworker })
      .thenThrows(InvalidInput);
  });
});

describe('schema 1 history (before parts were explicit)', () => {
  /** A schema 1 registration: no parental responsibility, members with the old flag only. */
  const registeredV1 = {
    type: 'FamilyRegistered',
    data: {
      familyId: 'fam-old',
      district: 'Heimdal',
      registeredOn: '2023-05-02',
      members: [
        {
          memberId: 'm-amina',
          name: 'Amina Hassan',
          birthDate: '1988-05-02',
          role: 'adult',
          nationalId: null,
          preferredLanguage: 'so',
          protectedAddress: false,
        },
      ],
      ...by(actors.navCaseworker, '2023-05-02T08:00:00.000Z'),
    },
  } as unknown as FamilyEvent;
  const bftProposedV1: FamilyEvent = {
    type: 'DecisionProposed',
    data: {
      decisionId: 'd-old',
      unit: 'BFT',
      decisionType: 'child-welfare-support-measure',
      memberIds: ['m-amina'],
      legalBasis: null,
      periodFrom: '2023-06-01',
      periodUntil: '2023-12-31',
      amounts: { monthlyAmountOre: null, oneOffAmountOre: null },
      reasons: 'Old.',
      enkeltvedtak: true,
      fourEyes: true,
      subProject: null,
      delegation: { ruleSetId: 'trondheim-2023', ruleSetVersion: 1, ruleId: 'bft-child-welfare-support' },
      // 23:30 UTC on 1 June is 2 June in Oslo: the part starts on the Norwegian date.
      ...by(actors.bftCaseworker, '2023-06-01T23:30:00.000Z'),
    },
  };

  it('a unit’s first record grants it a part with act record-before-parts (evolve only)', () => {
    const state = foldFamily([registeredV1, bftProposedV1]);
    expect(state.parts.NAV).toMatchObject({ active: true, act: { kind: 'registered' }, since: '2023-05-02' });
    expect(state.parts.BFT).toMatchObject({
      active: true,
      since: '2023-06-02',
      sinceAt: '2023-06-01T23:30:00.000Z',
      act: { kind: 'record-before-parts', eventType: 'DecisionProposed' },
      grantedBy: by(actors.bftCaseworker).by,
    });
  });

  it('later records keep the first act; being named in a consent or a team by another unit is a record only of the writer', () => {
    const pickUp: FamilyEvent = { type: 'NeedPickedUp', data: { needId: 'n-x', unit: 'BFT', ...by(actors.bftCaseworker, '2023-07-01T08:00:00.000Z') } };
    const need: FamilyEvent = {
      type: 'NeedExpressed',
      data: {
        needId: 'n-x',
        memberId: null,
        words: 'W',
        expressedOn: '2023-06-30',
        recordedBy: { kind: 'unit', unit: 'NAV', userId: 'kari.nav' },
        ...by(actors.navCaseworker),
      },
    };
    const consentToInn = sharingConsent('c-old', 'm-amina', ['INN']);
    const state = foldFamily([registeredV1, bftProposedV1, need, pickUp, consentToInn]);
    expect(state.parts.BFT.act).toEqual({ kind: 'record-before-parts', eventType: 'DecisionProposed' });
    expect(state.parts.INN).toBeUndefined();
  });

  it('a schema 1 unit part lets the unit write, and may be closed like any other', () => {
    spec
      .given([registeredV1, bftProposedV1])
      .when({ type: 'ExpressNeed', data: { memberId: 'm-amina', words: 'Still here.' } }, { actor: actors.bftCaseworker })
      .then([expect.objectContaining({ type: 'NeedExpressed' }) as never]);
  });

  it('a closed part is never re-granted by a later record (record-before-parts fires only for a unit with no part at all)', () => {
    const closed: FamilyEvent = { type: 'InvolvementClosed', data: { unit: 'BFT', reason: 'Done.', contactPersonIds: [], ...by(actors.bftCaseworker) } };
    const laterRecord: FamilyEvent = { ...bftProposedV1, data: { ...bftProposedV1.data, decisionId: 'd-later' } };
    const state = foldFamily([registeredV1, bftProposedV1, closed, laterRecord]);
    expect(state.parts.BFT.active).toBe(false);
  });
});

describe('ReferToUnit: exactly (forvaltningsloven § 13 a no. 1, barnevernsloven § 13-2)', () => {
  it('forvaltningsloven § 13: a unit refers only to another unit: the referring unit itself already has a part (ALREADY_HAS_PART)', () => {
    const error = spec
      .given([familyRegistered, sharingConsent('c-nav', 'm-amina', ['NAV'])])
      .when(refer({ toUnit: 'NAV' }))
      .thenThrows(AlreadyHasPart);
    expect(error.details).toEqual({ unit: 'NAV' });
  });

  it('forvaltningsloven § 13 a no. 1: a referral names each member once: a member named twice is refused, naming the field', () => {
    const error = spec
      .given([familyRegistered, aminaToHvk])
      .when(refer({ memberIds: ['m-amina', 'm-amina'] }))
      .thenThrows(InvalidInput);
    expect(error.message).toBe('memberIds: names the same entry twice');
    expect(error.details).toEqual({ field: 'memberIds' });
  });

  it('barnevernsloven § 13-2: the duty to inform ends on the 18th birthday: Leila is referred on 29 June 2025, not on 30 June', () => {
    const dutyToInform = refer({ toUnit: 'BFT', memberIds: ['m-leila'], reason: 'Concern for Leila.', ground: 'duty-to-inform-child-welfare' });
    const dayBefore = { now: new Date('2025-06-29T10:00:00.000Z') };
    spec
      .given([familyRegistered])
      .when(dutyToInform, dayBefore)
      .then([
        referred({
          toUnit: 'BFT',
          memberIds: ['m-leila'],
          reason: 'Concern for Leila.',
          ground: 'duty-to-inform-child-welfare',
          consentIds: [],
          ...by(actors.navCaseworker, dayBefore.now),
        }),
      ]);
    const error = spec
      .given([familyRegistered])
      .when(dutyToInform, { now: new Date('2025-06-30T10:00:00.000Z') })
      .thenThrows(InvalidInput);
    expect(error.message).toBe(
      'memberIds: the duty to inform (barnevernsloven § 13-2) concerns children; member m-leila is 18 or over and needs their own consent',
    );
  });
});

describe('CloseInvolvement: exactly what keeps a unit in the case', () => {
  const delegation = { ruleSetId: 'trondheim-2023', ruleSetVersion: 1, ruleId: 'hvk-coordinator-adult' };
  const hvkProposed: FamilyEvent = {
    type: 'DecisionProposed',
    data: {
      decisionId: 'd-hvk',
      unit: 'HVK',
      decisionType: 'coordinator-adult',
      memberIds: ['m-amina'],
      legalBasis: 'Helse- og omsorgstjenesteloven § 7-2',
      periodFrom: '2024-01-15',
      periodUntil: '2024-02-29',
      amounts: { monthlyAmountOre: null, oneOffAmountOre: null },
      reasons: 'Many services.',
      enkeltvedtak: true,
      fourEyes: true,
      subProject: null,
      delegation,
      ...by(actors.hvkCaseworker, '2024-01-15T09:00:00.000Z'),
    },
  };
  const hvkApproved: FamilyEvent = {
    type: 'DecisionApproved',
    data: { decisionId: 'd-hvk', notifiedOn: '2024-01-16', delegation, ...by(actors.hvkApprover, '2024-01-16T09:00:00.000Z') },
  };
  const ends: Record<string, FamilyEvent[]> = {
    rejected: [
      { type: 'DecisionRejected', data: { decisionId: 'd-hvk', reason: 'Not needed.', delegation, ...by(actors.hvkApprover, '2024-01-16T09:00:00.000Z') } },
    ],
    expired: [
      hvkApproved,
      {
        type: 'DecisionExpired',
        data: { decisionId: 'd-hvk', periodUntil: '2024-02-29', delegation, ...by(actors.hvkCaseworker, '2024-03-01T09:00:00.000Z') },
      },
    ],
    revoked: [
      hvkApproved,
      {
        type: 'DecisionRevoked',
        data: { decisionId: 'd-hvk', reason: 'No longer needed.', delegation, ...by(actors.hvkApprover, '2024-02-01T09:00:00.000Z') },
      },
    ],
  };

  it.each(Object.keys(ends))('forvaltningsloven § 13: a unit whose decision was %s no longer carries it and may close', (end) => {
    const state = spec
      .given([...withHvk, hvkProposed, ...ends[end]])
      .when(close, { actor: actors.hvkCaseworker })
      .then([hvkClosed]);
    expect(state.decisions['d-hvk'].status).toBe(end);
  });

  it('forvaltningsloven § 13: another unit’s decisions in force do not keep a unit in the case', () => {
    spec
      .given([...withHvk, socialAssistanceProposed, socialAssistanceApproved])
      .when(close, { actor: actors.hvkCaseworker })
      .then([hvkClosed]);
  });

  it('forvaltningsloven § 13: the refusal for an open decision names the unit and why', () => {
    const error = spec
      .given([...withHvk, hvkProposed])
      .when(close, { actor: actors.hvkCaseworker })
      .thenThrows(InvolvementStillNeeded);
    expect(error.message).toBe("HVK's involvement cannot close yet: it holds decisions that are proposed or in force; end them first.");
    expect(error.details).toEqual({ unit: 'HVK' });
  });

  const enrolledByHvk: FamilyEvent = {
    type: 'FamilyEnrolled',
    data: {
      enrolmentId: 'e-hvk',
      subProjectId: 'sp-hvk',
      subProjectName: 'Boveiledning',
      responsibleUnit: 'HVK',
      memberIds: ['m-amina'],
      partners: [],
      ...by(actors.hvkCaseworker),
    },
  };

  it('the seed’s pilot model: a unit whose sub-project enrolment has ended may close', () => {
    const endedEnrolment: FamilyEvent = {
      type: 'EnrolmentEnded',
      data: { enrolmentId: 'e-hvk', reason: 'Done.', contactPersonIds: [], ...by(actors.hvkCaseworker) },
    };
    spec
      .given([...withHvk, enrolledByHvk, endedEnrolment])
      .when(close, { actor: actors.hvkCaseworker })
      .then([hvkClosed]);
  });

  it('the seed’s pilot model: another unit’s active enrolment does not keep a unit in the case', () => {
    spec
      .given([...withHvk, ...bftPart, schoolEnrolled])
      .when(close, { actor: actors.hvkCaseworker })
      .then([hvkClosed]);
  });

  it('forvaltningsloven § 13: exactly the unit’s own active contact persons leave the team with it, sorted', () => {
    const history: FamilyEvent[] = [
      ...withHvk,
      ...bftPart,
      schoolEnrolled,
      contactPersonJoined('p-ali', 'Ali Lege', { kind: 'unit', unit: 'HVK' }, actors.hvkCaseworker),
      contactPersonJoined('p-hanne', 'Hanne Helse', { kind: 'unit', unit: 'HVK' }, actors.hvkCaseworker),
      contactPersonLeft('p-hanne', actors.hvkCaseworker),
      contactPersonJoined('p-siri', 'Siri Berg', { kind: 'unit', unit: 'BFT' }, actors.bftCaseworker),
      contactPersonJoined(
        'p-line',
        'Line Lærer',
        { kind: 'partner', organisation: 'Saupstad skole', organisationNumber: SCHOOL_ORGANISATION_NUMBER },
        actors.bftCaseworker,
      ),
    ];
    const state = spec
      .given(history)
      .when(close, { actor: actors.hvkCaseworker })
      .then([{ ...hvkClosed, data: { ...hvkClosed.data, contactPersonIds: ['p-ali', 'p-anne'] } }]);
    expect(
      Object.values(state.team)
        .filter((p) => p.active)
        .map((p) => p.personId),
    ).toEqual(['p-kari', 'p-siri', 'p-line']);
  });
});

describe('CloseInvolvement by the last unit: closing the case', () => {
  /** NAV alone, with Kari in the team: the fixture family before any referral. */
  const navAlone: FamilyEvent[] = [familyRegistered, navContactJoined];
  const caseClosed = (at: string | Date = NOW, contactPersonIds = ['p-kari']): InvolvementClosed => ({
    type: 'InvolvementClosed',
    data: { unit: 'NAV', reason: 'Amina’s treatment is over.', contactPersonIds, caseClosed: true, ...by(actors.navCaseworker, at) },
  });
  const revoked: FamilyEvent = {
    type: 'DecisionRevoked',
    data: {
      decisionId: 'd-nav',
      reason: 'The household has an income again.',
      delegation: socialAssistanceProposed.data.delegation,
      effectiveFrom: '2024-03-01',
      ground: null,
      advanceNotice: null,
      ...by(actors.navApprover, '2024-03-01T09:00:00.000Z'),
    },
  } as FamilyEvent;
  const ended = [socialAssistanceProposed, socialAssistanceApproved, revoked];
  const stillNeeded = (history: FamilyEvent[], pattern: RegExp) => {
    const error = spec.given(history).when(close).thenThrows(InvolvementStillNeeded);
    expect(error.message).toMatch(/it is the last unit with a part, and the case cannot close while/);
    expect(error.message).toMatch(pattern);
  };

  it('records caseClosed, takes the whole team out, and the retention anchor case-closed is the closing day; nobody can write any more', () => {
    const partnerInTeam = contactPersonJoined(
      'p-line',
      'Line Lærer',
      { kind: 'partner', organisation: 'Saupstad skole', organisationNumber: SCHOOL_ORGANISATION_NUMBER },
      actors.navCaseworker,
    );
    const state = spec
      .given([...navAlone, partnerInTeam])
      .when(close)
      .then([caseClosed(NOW, ['p-kari', 'p-line'])]);
    expect(Object.values(state.team).filter((p) => p.active)).toEqual([]);
    expect(caseClosedOn(state)).toBe(TODAY);
    spec
      .given([...navAlone, caseClosed()])
      .when({ type: 'ExpressNeed', data: { memberId: 'm-amina', words: 'One more thing.' } })
      .thenThrows(NoPartInCase);
  });

  it('the coordination ends with the case: a last unit that coordinates may close (another unit must be named only while one stays)', () => {
    const navCoordinates: FamilyEvent[] = [
      coordinationConsent('c-1', 'm-amina', 'NAV'),
      coordinationConsent('c-2', 'm-yusuf', 'NAV'),
      { type: 'CoordinatingUnitNamed', data: { unit: 'NAV', previousUnit: null, ...by(actors.navCaseworker) } },
    ];
    spec
      .given([...navAlone, ...navCoordinates])
      .when(close)
      .then([caseClosed()]);
  });

  it('forvaltningsloven §§ 2, 35: refused while a decision of the case is proposed or in force; once it no longer holds (and its deadline ran out) the case closes', () => {
    const error = spec
      .given([...navAlone, socialAssistanceProposed, socialAssistanceApproved])
      .when(close)
      .thenThrows(InvolvementStillNeeded);
    expect(error.message).toBe("NAV's involvement cannot close yet: it holds decisions that are proposed or in force; end them first.");
    spec
      .given([...navAlone, ...ended])
      .when(close)
      .then([caseClosed()]);
  });

  it('forvaltningsloven § 33: refused while an appeal is open (the unit that decided prepares it), also against a decision no longer in force', () => {
    const appealed: FamilyEvent = {
      type: 'AppealRegistered',
      data: {
        appealId: 'a-1',
        decisionId: 'd-nav',
        againstDismissalOf: null,
        appellant: { kind: 'member', memberId: 'm-amina' },
        receivedOn: '2024-03-05',
        postedOn: null,
        channel: 'post',
        grounds: 'We still have no income.',
        signed: true,
        ...by(actors.navCaseworker, '2024-03-05T09:00:00.000Z'),
      },
    };
    stillNeeded([...navAlone, ...ended, appealed], /an appeal is open: .*forvaltningsloven § 33/);
    const withdrawn: FamilyEvent = {
      type: 'AppealWithdrawn',
      data: { appealId: 'a-1', withdrawnOn: '2024-03-06', note: null, ...by(actors.navCaseworker, '2024-03-06T09:00:00.000Z') },
    };
    spec
      .given([...navAlone, ...ended, appealed, withdrawn])
      .when(close)
      .then([caseClosed()]);
  });

  it('forvaltningsloven § 29: refused while a party may still appeal in time (the deadline from the notice’s receipt); the day after it, the case closes', () => {
    const sent: FamilyEvent = {
      type: 'NotificationSent',
      data: {
        notificationId: 'nt-1',
        subject: { kind: 'decision', id: 'd-nav' },
        decisionId: 'd-nav',
        recipientMemberId: 'm-amina',
        channel: 'post',
        language: 'nb',
        sentOn: '2024-03-01',
        documentRef: null,
        informs: {
          appealRight: true,
          deadlineWeeks: 3,
          appealBody: 'statsforvalteren',
          appealProvision: 'sosialtjenesteloven § 48',
          procedure: 'p',
          documentAccess: 'd',
          suspension: 's',
        },
        ...by(actors.navCaseworker, '2024-03-01T10:00:00.000Z'),
      },
    } as FamilyEvent;
    const received: FamilyEvent = {
      type: 'NotificationReceived',
      data: { notificationId: 'nt-1', receivedOn: '2024-03-04', evidence: 'postal-tracking', ...by(actors.navCaseworker, '2024-03-05T10:00:00.000Z') },
    } as FamilyEvent;
    const history = [...navAlone, ...ended, sent, received];
    const deadline = foldFamily(history).notifications['nt-1'].deadline!;
    expect(deadline).toBe('2024-03-25');
    const onTheDay = { now: new Date(`${deadline}T10:00:00.000Z`) };
    const error = spec.given(history).when(close, onTheDay).thenThrows(InvolvementStillNeeded);
    expect(error.message).toMatch(/a party may still appeal until 2024-03-25 \(forvaltningsloven § 29\)/);
    const dayAfter = new Date('2024-03-26T10:00:00.000Z');
    spec
      .given(history)
      .when(close, { now: dayAfter })
      .then([caseClosed(dayAfter)]);
  });

  it('forvaltningsloven § 11 a: refused while a need is open (nobody could answer it); withdrawn, the case closes', () => {
    const need: FamilyEvent = {
      type: 'NeedExpressed',
      data: {
        needId: 'n-1',
        memberId: 'm-amina',
        words: 'Hjelp med husleia.',
        expressedOn: '2024-03-01',
        recordedBy: { kind: 'unit', unit: 'NAV', userId: 'kari.nav' },
        ...by(actors.navCaseworker, '2024-03-01T09:00:00.000Z'),
      },
    };
    stillNeeded([...navAlone, need], /needs are still open: resolve or withdraw them first \(forvaltningsloven § 11 a\)/);
    const withdrawn: FamilyEvent = { type: 'NeedWithdrawn', data: { needId: 'n-1', reason: null, ...by(actors.navCaseworker, '2024-03-02T09:00:00.000Z') } };
    spec
      .given([...navAlone, need, withdrawn])
      .when(close)
      .then([caseClosed()]);
  });

  it('helse- og omsorgstjenesteloven § 7-1: refused while the family plan is active', () => {
    const plan: FamilyEvent = {
      type: 'FamilyPlanRecorded',
      data: {
        planId: 'plan-1',
        goals: [{ goalId: 'g-1', words: 'Amina får jobb.', memberIds: ['m-amina'], answeredBy: ['NAV'] }],
        responsibilities: [{ unit: 'NAV', for: 'Arbeid' }],
        coordinator: { personId: 'p-kari', unit: 'NAV' },
        reviewDates: [],
        memberIds: ['m-amina'],
        consentIds: [],
        ...by(actors.navCaseworker, '2024-03-01T09:00:00.000Z'),
      },
    } as FamilyEvent;
    stillNeeded([...navAlone, plan], /the family plan is active: end it first \(helse- og omsorgstjenesteloven § 7-1/);
  });

  it('names every reason at once, each with its provision', () => {
    const need: FamilyEvent = {
      type: 'NeedExpressed',
      data: {
        needId: 'n-1',
        memberId: null,
        words: 'W',
        expressedOn: '2024-03-01',
        recordedBy: { kind: 'unit', unit: 'NAV', userId: 'kari.nav' },
        ...by(actors.navCaseworker, '2024-03-01T09:00:00.000Z'),
      },
    };
    const enrolled: FamilyEvent = { ...schoolEnrolled, data: { ...schoolEnrolled.data, responsibleUnit: 'BFT' } } as FamilyEvent;
    const error = spec
      .given([...navAlone, need, enrolled])
      .when(close)
      .thenThrows(InvolvementStillNeeded);
    expect(error.message).toBe(
      "NAV's involvement cannot close yet: it is the last unit with a part, and the case cannot close while a sub-project enrolment is active: end it first (partners act only under it); needs are still open: resolve or withdraw them first (forvaltningsloven § 11 a).",
    );
  });

  it('a consent in force and an open referral do not hold the case open; accepting the referral reopens the case, and the next closing counts anew', () => {
    const consent = sharingConsent('c-amina-hvk', 'm-amina', ['HVK']);
    const referral = referred({ consentIds: ['c-amina-hvk'] });
    const state = spec
      .given([...navAlone, consent, referral])
      .when(close)
      .then([caseClosed()]);
    expect(caseClosedOn(state)).toBe(TODAY);
    const reopened = spec
      .given([...navAlone, consent, referral, caseClosed()])
      .when(accept(), { actor: actors.hvkCaseworker, now: new Date('2024-03-20T09:00:00.000Z') })
      .then([
        { type: 'ReferralAccepted', data: { referralId: 'ref-1', unit: 'HVK', since: '2024-03-20', ...by(actors.hvkCaseworker, '2024-03-20T09:00:00.000Z') } },
      ]);
    expect(caseClosedOn(reopened)).toBeNull();
    const accepted: FamilyEvent = {
      type: 'ReferralAccepted',
      data: { referralId: 'ref-1', unit: 'HVK', since: '2024-03-20', ...by(actors.hvkCaseworker, '2024-03-20T09:00:00.000Z') },
    };
    const later = new Date('2024-04-02T09:00:00.000Z');
    const closedAgain = spec
      .given([...navAlone, consent, referral, caseClosed(), accepted])
      .when(close, { actor: actors.hvkCaseworker, now: later })
      .then([
        {
          type: 'InvolvementClosed',
          data: { unit: 'HVK', reason: 'Amina’s treatment is over.', contactPersonIds: [], caseClosed: true, ...by(actors.hvkCaseworker, later) },
        },
      ]);
    expect(caseClosedOn(closedAgain)).toBe('2024-04-02');
  });

  it('GDPR art. 17: the first closing’s texts erased, the reopened case closes again under a key of its own (case/family:<at>), never the erased one', () => {
    const consent = sharingConsent('c-amina-hvk', 'm-amina', ['HVK']);
    const referral = referred({ consentIds: ['c-amina-hvk'] });
    const first = caseClosed();
    const firstKey = personalFieldsOf('InvolvementClosed', first.data as JsonObject)[0].keyRef;
    expect(firstKey).toBe(familyTextKeyRef(NOW.toISOString()));
    const erased: FamilyEvent = {
      type: 'PersonalDataErased',
      data: {
        erasureId: 'x-1',
        keyRefs: [firstKey, LEGACY_FAMILY_TEXT_KEY_REF],
        subjects: [],
        categories: ['case'],
        on: '2027-03-16',
        rule: null,
        requestId: 'r-1',
        ...by(actors.navCaseworker, '2027-03-16T09:00:00.000Z'),
      },
    };
    const accepted: FamilyEvent = {
      type: 'ReferralAccepted',
      data: { referralId: 'ref-1', unit: 'HVK', since: '2027-03-20', ...by(actors.hvkCaseworker, '2027-03-20T09:00:00.000Z') },
    };
    const later = new Date('2027-04-02T09:00:00.000Z');
    const again: InvolvementClosed = {
      type: 'InvolvementClosed',
      data: { unit: 'HVK', reason: 'Amina’s treatment is over.', contactPersonIds: [], caseClosed: true, ...by(actors.hvkCaseworker, later) },
    };
    spec
      .given([...navAlone, consent, referral, first, erased, accepted])
      .when(close, { actor: actors.hvkCaseworker, now: later })
      .then([again]);
    expect(personalFieldsOf(again.type, again.data as JsonObject).map((f) => f.keyRef)).toEqual([familyTextKeyRef(later.toISOString())]);
    expect(retentionRecords(foldFamily([...navAlone, consent, referral, first, erased, accepted, again])).map((r) => r.keyRef)).toEqual(
      expect.arrayContaining([firstKey, familyTextKeyRef(later.toISOString()), LEGACY_FAMILY_TEXT_KEY_REF]),
    );
  });
});
