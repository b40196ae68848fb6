import { NotBundlable } from '../delegation/delegation.errors';
import type { DelegationRuleSet } from '../delegation/delegation-rule-set';
import { TRONDHEIM_2023_RULE_SET } from '../delegation/trondheim-2023.rule-set';
import { InvalidDate, InvalidInput, UnitMismatch } from '../shared/domain-error';
import {
  actors,
  bftContactJoined,
  by,
  combineConsent,
  delegation,
  familyContext,
  familySpec as spec,
  navContactJoined,
  sharingConsent,
  socialAssistanceProposed,
  NOW,
  TODAY,
  withActiveDecisions,
} from '../testing/family.fixtures';
import type { IssueFamilyDecision } from './family.commands';
import {
  AlreadyExists,
  ConsentMissing,
  ContactPersonNotFound,
  ContactPersonNotOfUnit,
  DecisionNotFound,
  DecisionStatusConflict,
  NotApprover,
} from './family.errors';
import type { FamilyDecisionIssued, FamilyEvent } from './family.events';
import type { FamilyDecisionSuspended, FollowUpCause } from './family-plan.types';
import { familyDecisionInForce } from './family.queries';
import { familyDecisionConsequences } from './family-decision.decide';
import { foldFamily } from './family.evolve';

/** Amina lets BFT share Sara's decisions with NAV: NAV may bundle BFT's decision for Sara. */
const saraDecisionsToNav = sharingConsent('c-sara-nav', 'm-sara', ['NAV'], {
  givenByMemberId: 'm-amina',
  sourceUnits: ['BFT'],
  dataCategories: ['decisions'],
  recordedBy: actors.bftCaseworker,
  at: '2024-03-04T10:00:00.000Z',
});
const decisionsVisibleToNav: FamilyEvent[] = [...withActiveDecisions, saraDecisionsToNav];

const ready: FamilyEvent[] = [
  ...decisionsVisibleToNav,
  navContactJoined,
  bftContactJoined,
  combineConsent('c-amina', 'm-amina'),
  combineConsent('c-yusuf', 'm-yusuf'),
];

const issue = (data: Partial<IssueFamilyDecision['data']> = {}): IssueFamilyDecision => ({
  type: 'IssueFamilyDecision',
  data: { familyDecisionId: 'fd-1', decisionIds: ['d-nav', 'd-bft'], reviewDate: '2024-07-01', responsibleUnit: 'NAV', contactPersonId: 'p-kari', ...data },
});
const asNavApprover = { actor: actors.navApprover };

const issued: FamilyDecisionIssued = {
  type: 'FamilyDecisionIssued',
  data: {
    familyDecisionId: 'fd-1',
    decisions: [
      {
        decisionId: 'd-nav',
        unit: 'NAV',
        decisionType: 'economic-social-assistance',
        memberIds: ['m-amina', 'm-yusuf'],
        legalBasis: 'Lov om sosiale tjenester i NAV § 18',
        periodFrom: '2024-02-01',
        periodUntil: '2024-07-31',
      },
      {
        decisionId: 'd-bft',
        unit: 'BFT',
        decisionType: 'child-welfare-support-measure',
        memberIds: ['m-sara'],
        legalBasis: 'Barnevernsloven § 3-1',
        periodFrom: '2024-03-01',
        periodUntil: '2024-12-31',
      },
    ],
    reviewDate: '2024-07-01',
    responsibleUnit: 'NAV',
    contactPersonId: 'p-kari',
    consentIds: ['c-amina', 'c-yusuf'],
    ruleSetId: 'trondheim-2023',
    ruleSetVersion: 1,
    supersedes: null,
    ...by(actors.navApprover),
  },
};

describe('IssueFamilyDecision', () => {
  it('bundles the active decisions; each keeps its own legal basis and unit', () => {
    const state = spec.given(ready).when(issue(), asNavApprover).then([issued]);
    expect(familyDecisionInForce(state)).toMatchObject({ familyDecisionId: 'fd-1', status: 'in-force', responsibleUnit: 'NAV' });
  });

  it('supersedes the family decision in force', () => {
    const state = spec
      .given([...ready, issued])
      .when(issue({ familyDecisionId: 'fd-2', decisionIds: ['d-nav'], reviewDate: '2024-06-01' }), asNavApprover)
      .then([
        {
          type: 'FamilyDecisionIssued',
          data: { ...issued.data, familyDecisionId: 'fd-2', decisions: [issued.data.decisions[0]], reviewDate: '2024-06-01', supersedes: 'fd-1' },
        },
      ]);
    expect(state.familyDecisions['fd-1']).toMatchObject({ status: 'superseded', supersededBy: 'fd-2' });
    expect(familyDecisionInForce(state)?.familyDecisionId).toBe('fd-2');
  });

  it('refuses without every adult’s consent to combine', () => {
    const error = spec
      .given([...decisionsVisibleToNav, navContactJoined, combineConsent('c-amina', 'm-amina')])
      .when(issue(), asNavApprover)
      .thenThrows(ConsentMissing);
    expect(error.details).toEqual({ memberIds: ['m-yusuf'], units: ['NAV', 'BFT'], purpose: 'combine-family-decision' });
  });

  const yusufWithdrew: FamilyEvent = {
    type: 'ConsentWithdrawn',
    data: {
      consentId: 'c-yusuf',
      effectiveFrom: TODAY,
      reason: null,
      expressedByMemberId: 'm-yusuf',
      channel: 'in-writing',
      alertedUnits: [],
      ...by(actors.navCaseworker),
    },
  };

  it('refuses when a consent was withdrawn', () => {
    spec
      .given([...ready, yusufWithdrew])
      .when(issue(), asNavApprover)
      .thenThrows(ConsentMissing);
  });

  const suspendedBy = (familyDecisionId: string, cause: FollowUpCause, effectiveFrom = TODAY, actor = actors.navCaseworker): FamilyDecisionSuspended => ({
    type: 'FamilyDecisionSuspended',
    data: { familyDecisionId, cause, effectiveFrom, ...by(actor) },
  });

  it('withdrawal (a consent can be withdrawn at any time, forvaltningsloven § 13 a no. 1): the family decision relying on it is suspended in the same append, with the cause; none is in force', () => {
    const state = spec
      .given([...ready, issued])
      .when({ type: 'WithdrawConsent', data: { consentId: 'c-yusuf', expressedByMemberId: 'm-yusuf', channel: 'in-writing' } })
      .then([yusufWithdrew, suspendedBy('fd-1', { kind: 'consent-withdrawn', id: 'c-yusuf' })]);
    expect(state.familyDecisions['fd-1']).toMatchObject({ status: 'suspended', suspendedByConsentId: 'c-yusuf', supersededBy: null });
    expect(state.familyDecisions['fd-1'].suspension).toEqual({
      cause: { kind: 'consent-withdrawn', id: 'c-yusuf' },
      effectiveFrom: TODAY,
      at: NOW.toISOString(),
    });
    expect(familyDecisionInForce(state)).toBeNull();
  });

  it('withdrawal (forvaltningsloven § 13 a no. 1): a superseded family decision stays superseded; only the one in force is suspended', () => {
    const fd2: FamilyEvent = { type: 'FamilyDecisionIssued', data: { ...issued.data, familyDecisionId: 'fd-2', supersedes: 'fd-1' } };
    const state = spec
      .given([...ready, issued, fd2])
      .when({ type: 'WithdrawConsent', data: { consentId: 'c-yusuf', expressedByMemberId: 'm-yusuf', channel: 'in-writing' } })
      .then([yusufWithdrew, suspendedBy('fd-2', { kind: 'consent-withdrawn', id: 'c-yusuf' })]);
    expect(state.familyDecisions['fd-1'].status).toBe('superseded');
    expect(state.familyDecisions['fd-2']).toMatchObject({ status: 'suspended', suspendedByConsentId: 'c-yusuf' });
  });

  it('after a suspension a new family decision needs the adults’ consent again', () => {
    spec
      .given([...ready, issued, yusufWithdrew])
      .when(issue({ familyDecisionId: 'fd-2' }), asNavApprover)
      .thenThrows(ConsentMissing);
    spec
      .given([...ready, issued, yusufWithdrew, combineConsent('c-yusuf-2', 'm-yusuf')])
      .when(issue({ familyDecisionId: 'fd-2' }), asNavApprover)
      .then([{ type: 'FamilyDecisionIssued', data: { ...issued.data, familyDecisionId: 'fd-2', consentIds: ['c-amina', 'c-yusuf-2'], supersedes: null } }]);
  });

  it('refuses when a consent does not cover every unit involved, or is of another kind', () => {
    const narrow = combineConsent('c-yusuf-2', 'm-yusuf');
    const onlyNav: FamilyEvent = { ...narrow, data: { ...narrow.data, toUnits: ['NAV'] } };
    spec
      .given([...decisionsVisibleToNav, navContactJoined, combineConsent('c-amina', 'm-amina'), onlyNav])
      .when(issue(), asNavApprover)
      .thenThrows(ConsentMissing);
    const sharing: FamilyEvent = { ...narrow, data: { ...narrow.data, kind: 'information-sharing' } };
    spec
      .given([...decisionsVisibleToNav, navContactJoined, combineConsent('c-amina', 'm-amina'), sharing])
      .when(issue(), asNavApprover)
      .thenThrows(ConsentMissing);
  });

  it('refuses a decision that is not active, or unknown', () => {
    const proposal: FamilyEvent = { ...socialAssistanceProposed, data: { ...socialAssistanceProposed.data, decisionId: 'd-nav-2' } };
    spec
      .given([...ready, proposal])
      .when(issue({ decisionIds: ['d-nav', 'd-nav-2'] }), asNavApprover)
      .thenThrows(DecisionStatusConflict);
    spec
      .given(ready)
      .when(issue({ decisionIds: ['d-x'] }), asNavApprover)
      .thenThrows(DecisionNotFound);
  });

  it('refuses a decision type the rule set does not let be bundled', () => {
    const pilot: FamilyEvent[] = [
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
      {
        type: 'DecisionApproved',
        data: {
          decisionId: 'd-pilot',
          decidedOn: TODAY,
          effectiveFrom: null,
          delegation: delegation('pilot-support-by-sub-project-unit'),
          ...by(actors.bftApprover),
        },
      },
    ];
    spec
      .given([...ready, ...pilot])
      .when(issue({ decisionIds: ['d-nav', 'd-pilot'] }), asNavApprover)
      .thenThrows(NotBundlable);
    const strict: DelegationRuleSet = {
      ...TRONDHEIM_2023_RULE_SET,
      id: 'strict',
      rules: TRONDHEIM_2023_RULE_SET.rules.map((r) => ({ ...r, bundlable: false })),
    };
    spec
      .given(ready)
      .when(issue(), { ...asNavApprover, ruleSet: strict })
      .thenThrows(NotBundlable);
  });

  it('refuses a review date in the past', () => {
    spec
      .given(ready)
      .when(issue({ reviewDate: '2024-03-14' }), asNavApprover)
      .thenThrows(InvalidDate);
  });

  it('refuses a contact person outside the team or from another unit', () => {
    spec
      .given(ready)
      .when(issue({ contactPersonId: 'p-nobody' }), asNavApprover)
      .thenThrows(ContactPersonNotFound);
    spec
      .given(ready)
      .when(issue({ contactPersonId: 'p-siri' }), asNavApprover)
      .thenThrows(ContactPersonNotOfUnit);
  });

  it('refuses a caseworker, and an approver of another unit than the responsible one', () => {
    spec.given(ready).when(issue()).thenThrows(NotApprover);
    spec.given(ready).when(issue(), { actor: actors.bftApprover }).thenThrows(UnitMismatch);
  });

  it('refuses no decisions, and a family decision id already used', () => {
    spec
      .given(ready)
      .when(issue({ decisionIds: [] }), asNavApprover)
      .thenThrows(InvalidInput);
    spec
      .given([...ready, issued])
      .when(issue(), asNavApprover)
      .thenThrows(AlreadyExists);
  });
});

/**
 * A family decision follows its parts: it only gathers decisions that each keep their own legal
 * basis and unit into one letter, one contact and one review date (seed l.4600-4622), and rests
 * on the adults' consent. The decider appends FamilyDecisionSuspended with the cause in the same
 * append as the cause (familyDecisionConsequences, hooked into decideFamily).
 */
describe('A family decision follows its parts (familyDecisionConsequences)', () => {
  const inForce = foldFamily([...ready, issued]);
  const ctx = familyContext({ actor: actors.navApprover });
  const revoked = (decisionId: string, effectiveFrom: string): FamilyEvent => ({
    type: 'DecisionRevoked',
    data: {
      decisionId,
      reason: 'Moved out of the municipality',
      delegation: delegation('social-assistance-nav'),
      effectiveFrom,
      ground: 'not-to-detriment',
      advanceNotice: null,
      ...by(actors.navApprover),
    },
  });

  it('fvl § 35: a bundled decision revoked suspends the family decision from the revocation’s effective date, with the decision as cause', () => {
    const follow = familyDecisionConsequences(inForce, [revoked('d-nav', '2024-04-01')], ctx);
    expect(follow).toEqual([
      {
        type: 'FamilyDecisionSuspended',
        data: { familyDecisionId: 'fd-1', cause: { kind: 'decision-revoked', id: 'd-nav' }, effectiveFrom: '2024-04-01', ...by(actors.navApprover) },
      },
    ]);
    const after = foldFamily([revoked('d-nav', '2024-04-01'), ...follow], inForce);
    expect(after.familyDecisions['fd-1']).toMatchObject({
      status: 'suspended',
      suspension: { cause: { kind: 'decision-revoked', id: 'd-nav' }, effectiveFrom: '2024-04-01' },
    });
    expect(familyDecisionInForce(after)).toBeNull();
  });

  it('a bundled decision whose period ended (expired) suspends it from the day after the period', () => {
    const expired: FamilyEvent = {
      type: 'DecisionExpired',
      data: { decisionId: 'd-nav', periodUntil: '2024-07-31', delegation: delegation('social-assistance-nav'), ...by(actors.navCaseworker) },
    };
    expect(familyDecisionConsequences(inForce, [expired], ctx)).toEqual([
      {
        type: 'FamilyDecisionSuspended',
        data: { familyDecisionId: 'fd-1', cause: { kind: 'decision-ended', id: 'd-nav' }, effectiveFrom: '2024-08-01', ...by(actors.navApprover) },
      },
    ]);
  });

  it('fvl § 34: a bundled decision quashed and returned by the appeal body suspends it from the body’s decision day', () => {
    // Read by its fields (engineer C's AppealOutcomeRecorded): only decisionId, outcome and decidedOn matter here.
    const quashed = {
      type: 'AppealOutcomeRecorded',
      data: { appealId: 'a-1', decisionId: 'd-bft', outcome: 'quashed-returned', decidedOn: '2024-03-12', effect: null, ...by(actors.bftCaseworker) },
    } as unknown as FamilyEvent;
    expect(familyDecisionConsequences(inForce, [quashed], ctx)).toEqual([
      {
        type: 'FamilyDecisionSuspended',
        data: { familyDecisionId: 'fd-1', cause: { kind: 'decision-quashed', id: 'd-bft' }, effectiveFrom: '2024-03-12', ...by(actors.navApprover) },
      },
    ]);
  });

  it('nothing follows from a change that touches no part, from a superseding family decision, or from a cause recorded before the rule (old streams read as they were)', () => {
    const need: FamilyEvent = {
      type: 'NeedExpressed',
      data: {
        needId: 'n-9',
        memberId: 'm-amina',
        words: 'Trenger vinterklær',
        expressedOn: TODAY,
        recordedBy: { kind: 'unit', unit: 'NAV', userId: 'kari.nav' },
        ...by(actors.navCaseworker),
      },
    };
    expect(familyDecisionConsequences(inForce, [need], ctx)).toEqual([]);
    const fd2: FamilyEvent = { type: 'FamilyDecisionIssued', data: { ...issued.data, familyDecisionId: 'fd-2', supersedes: 'fd-1' } };
    expect(familyDecisionConsequences(inForce, [fd2], ctx)).toEqual([]);
    // A schema ≤ 2 stream: the decision was revoked and the family decision stayed in force (the old gap); a later need changes nothing.
    const legacy = foldFamily([revoked('d-nav', '2024-03-15')], inForce);
    expect(familyDecisionConsequences(legacy, [need], ctx)).toEqual([]);
  });

  it('through the decider: the follow-up joins the same append as the cause', () => {
    spec
      .given([...ready, issued])
      .when({ type: 'WithdrawConsent', data: { consentId: 'c-amina', expressedByMemberId: 'm-amina', channel: 'orally' } })
      .then([
        {
          type: 'ConsentWithdrawn',
          data: {
            consentId: 'c-amina',
            effectiveFrom: TODAY,
            reason: null,
            expressedByMemberId: 'm-amina',
            channel: 'orally',
            alertedUnits: [],
            ...by(actors.navCaseworker),
          },
        },
        {
          type: 'FamilyDecisionSuspended',
          data: { familyDecisionId: 'fd-1', cause: { kind: 'consent-withdrawn', id: 'c-amina' }, effectiveFrom: TODAY, ...by(actors.navCaseworker) },
        },
      ]);
  });
});
