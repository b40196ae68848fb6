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
  familySpec as spec,
  navContactJoined,
  sharingConsent,
  socialAssistanceProposed,
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
import { familyDecisionInForce } from './family.queries';

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
    data: { consentId: 'c-yusuf', effectiveFrom: TODAY, reason: null, expressedByMemberId: 'm-yusuf', channel: 'in-writing', alertedUnits: [], ...by(actors.navCaseworker) },
  };

  it('refuses when a consent was withdrawn', () => {
    spec.given([...ready, yusufWithdrew]).when(issue(), asNavApprover).thenThrows(ConsentMissing);
  });

  it('withdrawal (a consent can be withdrawn at any time, forvaltningsloven § 13 a no. 1): the family decision relying on it becomes suspended, not deleted; none is in force', () => {
    const state = spec
      .given([...ready, issued])
      .when({ type: 'WithdrawConsent', data: { consentId: 'c-yusuf', expressedByMemberId: 'm-yusuf', channel: 'in-writing' } })
      .then([yusufWithdrew]);
    expect(state.familyDecisions['fd-1']).toMatchObject({ status: 'suspended', suspendedByConsentId: 'c-yusuf', supersededBy: null });
    expect(familyDecisionInForce(state)).toBeNull();
  });

  it('withdrawal (forvaltningsloven § 13 a no. 1): a superseded family decision stays superseded; only the one in force is suspended', () => {
    const fd2: FamilyEvent = { type: 'FamilyDecisionIssued', data: { ...issued.data, familyDecisionId: 'fd-2', supersedes: 'fd-1' } };
    const state = spec
      .given([...ready, issued, fd2])
      .when({ type: 'WithdrawConsent', data: { consentId: 'c-yusuf', expressedByMemberId: 'm-yusuf', channel: 'in-writing' } })
      .then([yusufWithdrew]);
    expect(state.familyDecisions['fd-1'].status).toBe('superseded');
    expect(state.familyDecisions['fd-2']).toMatchObject({ status: 'suspended', suspendedByConsentId: 'c-yusuf' });
  });

  it('after a suspension a new family decision needs the adults’ consent again', () => {
    spec.given([...ready, issued, yusufWithdrew]).when(issue({ familyDecisionId: 'fd-2' }), asNavApprover).thenThrows(ConsentMissing);
    spec
      .given([...ready, issued, yusufWithdrew, combineConsent('c-yusuf-2', 'm-yusuf')])
      .when(issue({ familyDecisionId: 'fd-2' }), asNavApprover)
      .then([{ type: 'FamilyDecisionIssued', data: { ...issued.data, familyDecisionId: 'fd-2', consentIds: ['c-amina', 'c-yusuf-2'], supersedes: null } }]);
  });

  it('refuses when a consent does not cover every unit involved, or is of another kind', () => {
    const narrow = combineConsent('c-yusuf-2', 'm-yusuf');
    const onlyNav: FamilyEvent = { ...narrow, data: { ...narrow.data, toUnits: ['NAV'] } };
    spec.given([...decisionsVisibleToNav, navContactJoined, combineConsent('c-amina', 'm-amina'), onlyNav]).when(issue(), asNavApprover).thenThrows(ConsentMissing);
    const sharing: FamilyEvent = { ...narrow, data: { ...narrow.data, kind: 'information-sharing' } };
    spec.given([...decisionsVisibleToNav, navContactJoined, combineConsent('c-amina', 'm-amina'), sharing]).when(issue(), asNavApprover).thenThrows(ConsentMissing);
  });

  it('refuses a decision that is not active, or unknown', () => {
    const proposal: FamilyEvent = { ...socialAssistanceProposed, data: { ...socialAssistanceProposed.data, decisionId: 'd-nav-2' } };
    spec.given([...ready, proposal]).when(issue({ decisionIds: ['d-nav', 'd-nav-2'] }), asNavApprover).thenThrows(DecisionStatusConflict);
    spec.given(ready).when(issue({ decisionIds: ['d-x'] }), asNavApprover).thenThrows(DecisionNotFound);
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
      { type: 'DecisionApproved', data: { decisionId: 'd-pilot', notifiedOn: TODAY, delegation: delegation('pilot-support-by-sub-project-unit'), ...by(actors.bftApprover) } },
    ];
    spec.given([...ready, ...pilot]).when(issue({ decisionIds: ['d-nav', 'd-pilot'] }), asNavApprover).thenThrows(NotBundlable);
    const strict: DelegationRuleSet = { ...TRONDHEIM_2023_RULE_SET, id: 'strict', rules: TRONDHEIM_2023_RULE_SET.rules.map((r) => ({ ...r, bundlable: false })) };
    spec.given(ready).when(issue(), { ...asNavApprover, ruleSet: strict }).thenThrows(NotBundlable);
  });

  it('refuses a review date in the past', () => {
    spec.given(ready).when(issue({ reviewDate: '2024-03-14' }), asNavApprover).thenThrows(InvalidDate);
  });

  it('refuses a contact person outside the team or from another unit', () => {
    spec.given(ready).when(issue({ contactPersonId: 'p-nobody' }), asNavApprover).thenThrows(ContactPersonNotFound);
    spec.given(ready).when(issue({ contactPersonId: 'p-siri' }), asNavApprover).thenThrows(ContactPersonNotOfUnit);
  });

  it('refuses a caseworker, and an approver of another unit than the responsible one', () => {
    spec.given(ready).when(issue()).thenThrows(NotApprover);
    spec.given(ready).when(issue(), { actor: actors.bftApprover }).thenThrows(UnitMismatch);
  });

  it('refuses no decisions, and a family decision id already used', () => {
    spec.given(ready).when(issue({ decisionIds: [] }), asNavApprover).thenThrows(InvalidInput);
    spec.given([...ready, issued]).when(issue(), asNavApprover).thenThrows(AlreadyExists);
  });
});
