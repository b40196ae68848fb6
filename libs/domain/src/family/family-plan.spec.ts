import { familyReadAccess, maskFamilyState, readerOf } from '../access/family-read-access';
import { InvalidDate, InvalidInput } from '../shared/domain-error';
import type { Unit } from '../shared/units';
import {
  actors,
  bftContactJoined,
  bftPart,
  by,
  familyRegistered,
  familySpec as spec,
  members,
  navContactJoined,
  referralAccepted,
  TODAY,
} from '../testing/family.fixtures';
import { mayReadFamilyPlan } from './family-plan.access';
import {
  FamilyPlanAlreadyActive,
  FamilyPlanConsentMissing,
  FamilyPlanNotActive,
  FamilyPlanNotFound,
  FamilyPlanUnitWithoutPart,
  NotInFamilyPlan,
} from './family-plan.errors';
import { looksLikeCode } from './family-plan.decide';
import type { FamilyPlanRecorded, PlanContentInput, RecordFamilyPlan } from './family-plan.types';
import { ContactPersonNotOfUnit } from './family.errors';
import type { ConsentGiven, FamilyEvent } from './family.events';
import { NoPartInCase } from './parts.errors';

/** A coordination consent of `memberId` (given by `givenBy`) to the units of the plan, 1 March - 31 December. */
function coordination(consentId: string, memberId: string, toUnits: Unit[], givenBy = memberId): ConsentGiven {
  return {
    type: 'ConsentGiven',
    data: {
      consentId,
      memberId,
      givenByMemberId: givenBy,
      givenAsGuardian: givenBy !== memberId,
      kind: 'coordination',
      sourceUnits: null,
      toUnits,
      dataCategories: ['needs'],
      purpose: 'One plan for the family, with NAV and BFT working together',
      validFrom: '2024-03-01',
      validUntil: '2024-12-31',
      evidence: { form: 'written', documentRef: `form-${consentId}` },
      ...by(actors.navCaseworker, '2024-03-01T10:00:00.000Z'),
    },
  };
}

/** NAV registered the family, BFT accepted a referral; Kari (NAV) and Siri (BFT) are on the team; Amina consented for herself and for Sara. */
const ready: FamilyEvent[] = [
  familyRegistered,
  ...bftPart,
  navContactJoined,
  bftContactJoined,
  coordination('c-amina', 'm-amina', ['NAV', 'BFT']),
  coordination('c-sara', 'm-sara', ['NAV', 'BFT'], 'm-amina'),
];

const content: PlanContentInput = {
  goals: [
    { goalId: 'g-job', words: 'Amina vil ha en jobb der hun kan bruke somali', memberIds: ['m-amina'], answeredBy: ['NAV'] },
    { goalId: 'g-football', words: 'Sara wants to play football with her friends', memberIds: ['m-sara'], answeredBy: ['BFT'] },
  ],
  responsibilities: [
    { unit: 'NAV', for: 'work training and the household budget' },
    { unit: 'BFT', for: 'the football club fee and equipment' },
  ],
  coordinator: { personId: 'p-kari', unit: 'NAV' },
  reviewDates: ['2024-09-15', '2024-06-15'],
};

const record = (data: Partial<RecordFamilyPlan['data']> = {}): RecordFamilyPlan => ({
  type: 'RecordFamilyPlan',
  data: { planId: 'plan-1', ...content, ...data },
});

const recorded: FamilyPlanRecorded = {
  type: 'FamilyPlanRecorded',
  data: {
    planId: 'plan-1',
    goals: [
      { goalId: 'g-job', words: 'Amina vil ha en jobb der hun kan bruke somali', memberIds: ['m-amina'], answeredBy: ['NAV'] },
      { goalId: 'g-football', words: 'Sara wants to play football with her friends', memberIds: ['m-sara'], answeredBy: ['BFT'] },
    ],
    responsibilities: content.responsibilities,
    coordinator: { personId: 'p-kari', unit: 'NAV' },
    reviewDates: ['2024-06-15', '2024-09-15'],
    memberIds: ['m-amina', 'm-sara'],
    consentIds: ['c-amina', 'c-sara'],
    ...by(actors.navCaseworker),
  },
};

describe("The family's plan (individuell plan, helse- og omsorgstjenesteloven § 7-1)", () => {
  it("hol § 7-1, pbrl § 2-5: records the goals in the family's own words, who answers for what, the coordinator and review dates, with the consents it rests on", () => {
    const state = spec.given(ready).when(record()).then([recorded]);
    expect(state.familyPlans['plan-1']).toMatchObject({ status: 'active', reviews: [], endedOn: null, coordinator: { personId: 'p-kari', unit: 'NAV' } });
  });

  it('pbrl § 2-5: no plan without the consent of each member it is about, naming every unit of the plan', () => {
    const withoutSara = ready.filter((e) => !(e.type === 'ConsentGiven' && e.data.consentId === 'c-sara'));
    const error = spec.given(withoutSara).when(record()).thenThrows(FamilyPlanConsentMissing);
    expect(error.details).toMatchObject({ memberIds: ['m-sara'], units: ['BFT', 'NAV'] });
    // Amina's consent names NAV only: BFT may not work on the plan under it.
    const navOnly = [...withoutSara.filter((e) => !(e.type === 'ConsentGiven' && e.data.consentId === 'c-amina')), coordination('c-amina', 'm-amina', ['NAV'])];
    spec
      .given(navOnly)
      .when(record({ goals: [content.goals[0]] }))
      .thenThrows(FamilyPlanConsentMissing);
    // A goal of the whole family is about every current member: each needs a consent.
    spec
      .given(ready)
      .when(record({ goals: [{ words: 'Vi vil bo i en større leilighet', answeredBy: ['NAV'] }] }))
      .thenThrows(FamilyPlanConsentMissing);
  });

  it("hol § 7-1: a goal is the family's words, never a code", () => {
    spec
      .given(ready)
      .when(record({ goals: [{ ...content.goals[0], words: 'ICD-10 Z59.0' }] }))
      .thenThrows(InvalidInput);
    spec
      .given(ready)
      .when(record({ goals: [{ ...content.goals[0], words: 'GOAL_2' }] }))
      .thenThrows(InvalidInput);
    expect(looksLikeCode('وظيفة قريبة من البيت')).toBe(false); // Arabic has no case: still words
    expect(looksLikeCode('JOBB')).toBe(false);
  });

  it('fvl § 13: a unit without a part in the case may not write the plan, and learns nothing of it', () => {
    spec.given(ready).when(record(), { actor: actors.hvkCaseworker }).thenThrows(NoPartInCase);
    spec
      .given([...ready, recorded])
      .when({ type: 'EndFamilyPlan', data: { planId: 'plan-1', reason: 'x' } }, { actor: actors.hvkCaseworker })
      .thenThrows(NoPartInCase);
  });

  it('hol § 7-1: every unit the plan names has a part in the case, and only a unit it names writes it', () => {
    const goalForHvk = { words: 'Yusuf vil få hjelp med ryggen', memberIds: ['m-amina'], answeredBy: ['HVK' as const] };
    spec
      .given(ready)
      .when(record({ goals: [...content.goals, goalForHvk] }))
      .thenThrows(FamilyPlanUnitWithoutPart);
    const innPart = [...ready, ...referralAccepted('INN')];
    spec.given(innPart).when(record(), { actor: actors.innCaseworker }).thenThrows(NotInFamilyPlan);
    // INN has a part but is not in the plan: the plan does not exist for it (read access), so 404.
    spec
      .given([...innPart, recorded])
      .when({ type: 'ReviewFamilyPlan', data: { planId: 'plan-1', on: TODAY, notes: 'Møte' } }, { actor: actors.innCaseworker })
      .thenThrows(FamilyPlanNotFound);
  });

  it('hol § 7-2: the coordinator is an active contact person of the unit named with them', () => {
    spec
      .given(ready)
      .when(record({ coordinator: { personId: 'p-siri', unit: 'NAV' } }))
      .thenThrows(ContactPersonNotOfUnit);
  });

  it('revises (with the reason), reviews (a meeting that took place) and ends the plan; one active plan at a time', () => {
    const revise = {
      type: 'ReviseFamilyPlan' as const,
      data: { planId: 'plan-1', ...content, reviewDates: ['2024-06-15'], reason: 'Amina asked for one review before the summer' },
    };
    const revised = spec
      .given([...ready, recorded])
      .when(revise, { actor: actors.bftCaseworker })
      .then([{ type: 'FamilyPlanRevised', data: { ...recorded.data, reviewDates: ['2024-06-15'], reason: revise.data.reason, ...by(actors.bftCaseworker) } }]);
    expect(revised.familyPlans['plan-1'].revisionReason).toBe(revise.data.reason);
    const review = {
      type: 'ReviewFamilyPlan' as const,
      data: { planId: 'plan-1', on: TODAY, notes: 'Sara has started football; Amina is on a language course' },
    };
    const reviewed = spec
      .given([...ready, recorded])
      .when(review)
      .then([{ type: 'FamilyPlanReviewed', data: { ...review.data, ...by(actors.navCaseworker) } }]);
    expect(reviewed.familyPlans['plan-1'].reviews.map((r) => r.on)).toEqual([TODAY]);
    spec
      .given([...ready, recorded])
      .when({ ...review, data: { ...review.data, on: '2024-03-14' } })
      .thenThrows(InvalidDate); // before the plan
    spec
      .given([...ready, recorded])
      .when({ ...review, data: { ...review.data, on: '2024-03-16' } })
      .thenThrows(InvalidDate);
    spec
      .given([...ready, recorded])
      .when(record({ planId: 'plan-2' }))
      .thenThrows(FamilyPlanAlreadyActive);
    const end = { type: 'EndFamilyPlan' as const, data: { planId: 'plan-1', reason: 'The family moved to Bergen' } };
    const ended = spec
      .given([...ready, recorded])
      .when(end)
      .then([{ type: 'FamilyPlanEnded', data: { planId: 'plan-1', endedOn: TODAY, reason: end.data.reason, cause: null, ...by(actors.navCaseworker) } }]);
    expect(ended.familyPlans['plan-1'].status).toBe('ended');
    const endedEvent: FamilyEvent = {
      type: 'FamilyPlanEnded',
      data: { planId: 'plan-1', endedOn: TODAY, reason: end.data.reason, cause: null, ...by(actors.navCaseworker) },
    };
    spec
      .given([...ready, recorded, endedEvent])
      .when(review)
      .thenThrows(FamilyPlanNotActive);
  });

  it('pbrl § 2-5: withdrawing a consent the plan rests on ends the plan in the same append, with the cause', () => {
    const withdraw = { type: 'WithdrawConsent' as const, data: { consentId: 'c-sara', expressedByMemberId: 'm-amina', channel: 'orally' as const } };
    const state = spec
      .given([...ready, recorded])
      .when(withdraw)
      .then([
        {
          type: 'ConsentWithdrawn',
          data: {
            consentId: 'c-sara',
            effectiveFrom: TODAY,
            reason: null,
            expressedByMemberId: 'm-amina',
            channel: 'orally',
            alertedUnits: [],
            ...by(actors.navCaseworker),
          },
        },
        {
          type: 'FamilyPlanEnded',
          data: { planId: 'plan-1', endedOn: TODAY, reason: null, cause: { kind: 'consent-withdrawn', id: 'c-sara' }, ...by(actors.navCaseworker) },
        },
      ]);
    expect(state.familyPlans['plan-1']).toMatchObject({ status: 'ended', endCause: { kind: 'consent-withdrawn', id: 'c-sara' } });
  });

  describe('read access: a family-level record (fvl § 13, § 13 a no. 1)', () => {
    const state = spec.given(ready).when(record()).then([recorded]);
    const withInn = spec
      .given([...ready, ...referralAccepted('INN')])
      .when(record())
      .then([recorded]);

    it('shows to the units the plan names with a part and to auditors; not to a unit it does not name, nor to partners', () => {
      const plan = state.familyPlans['plan-1'];
      expect(mayReadFamilyPlan(state, actors.navCaseworker, plan)).toBe(true);
      expect(mayReadFamilyPlan(state, actors.bftCaseworker, plan)).toBe(true);
      expect(mayReadFamilyPlan(state, actors.auditor, plan)).toBe(true);
      expect(mayReadFamilyPlan(withInn, actors.innCaseworker, plan)).toBe(false);
      expect(mayReadFamilyPlan(state, actors.school, plan)).toBe(false);
      const forInn = familyReadAccess(withInn, readerOf(actors.innCaseworker), TODAY);
      expect(forInn.permit && Object.keys(forInn.grant.state.familyPlans)).toEqual([]);
    });

    it('withholds the words (goals, tasks, notes) from a reader without clearance when a member has a protected address', () => {
      const protectedFamily = spec
        .given([
          {
            ...familyRegistered,
            data: {
              ...familyRegistered.data,
              members: [{ ...members.amina, protectedAddress: true, addressProtection: 'fortrolig' }, members.yusuf, members.leila, members.sara, members.omar],
            },
          },
          ...ready.slice(1),
        ])
        .when(record())
        .then([recorded]);
      const access = familyReadAccess(protectedFamily, readerOf(actors.navCaseworker), TODAY);
      if (!access.permit) throw new Error('NAV has a part');
      const masked = maskFamilyState(access.grant.state, { protectedAddressClearance: false }).state.familyPlans['plan-1'];
      expect(masked.goals.map((g) => g.words)).toEqual([null, null]);
      expect(masked.responsibilities.map((r) => r.for)).toEqual([null, null]);
      expect(masked.withheld).toBe('protected-address');
      expect(JSON.stringify(masked)).not.toMatch(/Heimdal|somali|play football|budget|equipment/);
      const cleared = maskFamilyState(access.grant.state, { protectedAddressClearance: true }).state.familyPlans['plan-1'];
      expect(cleared.goals[0].words).toBe(content.goals[0].words);
    });
  });
});
