import { NotCompetent, UnknownDecisionType } from '../delegation/delegation.errors';
import type { DelegationRuleSet } from '../delegation/delegation-rule-set';
import { TRONDHEIM_2023_RULE_SET } from '../delegation/trondheim-2023.rule-set';
import { ActionNotPermitted, InvalidAmount, InvalidDate, InvalidInput, InvalidPeriod, UnitMismatch, UnknownUnit } from '../shared/domain-error';
import {
  actors,
  bftPart,
  by,
  childWelfareProposed,
  delegation,
  familyRegistered,
  familySpec as spec,
  noAmounts,
  referralAccepted,
  sharingConsent,
  socialAssistanceApproved,
  socialAssistanceProposed,
  TODAY,
  withActiveDecisions,
  reasonsFor,
  childHeard,
} from '../testing/family.fixtures';
import { EnkeltvedtakFollowsFromLaw, ReasonsIncomplete } from './decision-errors';
import type { ProposeDecision } from './family.commands';
import {
  AlreadyExists,
  DecisionNotFound,
  DecisionPeriodNotEnded,
  DecisionStatusConflict,
  FamilyNotFound,
  LegalBasisRequired,
  MemberNotCurrent,
  MemberNotFound,
  NotApprover,
  NothingToAmend,
  SelfApproval,
} from './family.errors';
import type { AppealReceived, DecisionProposed, FamilyEvent } from './family.events';
import { NoPartInCase } from './parts.errors';

const proposeSocialAssistance = (data: Partial<ProposeDecision['data']> = {}): ProposeDecision => ({
  type: 'ProposeDecision',
  data: {
    decisionId: 'd-nav',
    unit: 'NAV',
    decisionType: 'economic-social-assistance',
    memberIds: ['m-amina', 'm-yusuf'],
    periodFrom: '2024-02-01',
    periodUntil: '2024-07-31',
    amounts: { monthlyAmountOre: 1_250_000 },
    outcome: 'granted',
    reasons: reasonsFor('The household has no income while both adults take Norwegian courses.'),
    ...data,
  },
});
const proposedAt = { now: new Date(socialAssistanceProposed.data.at) };

/** The family with BFT's part (it accepted NAV's referral): BFT may propose for the children. */
const withBft = [familyRegistered, ...bftPart];
const pending = [familyRegistered, socialAssistanceProposed];
const active = [familyRegistered, socialAssistanceProposed, socialAssistanceApproved];
const appealed: AppealReceived = {
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

/** BFT's measure for Leila, who turns 18 on 30 June 2025. */
const leilaMeasure: DecisionProposed = {
  type: 'DecisionProposed',
  data: { ...childWelfareProposed.data, decisionId: 'd-leila', memberIds: ['m-leila'], periodUntil: '2025-06-29' },
};

describe('ProposeDecision', () => {
  it('records the proposal with the delegation rule that lets the unit make it', () => {
    const state = spec.given([familyRegistered]).when(proposeSocialAssistance(), proposedAt).then([socialAssistanceProposed]);
    expect(state.decisions['d-nav']).toMatchObject({ status: 'proposed', approvedBy: null, history: [{ event: 'DecisionProposed', note: null }] });
  });

  it('fvl § 2: takes the legal basis and enkeltvedtak from the catalogue and generates the id', () => {
    spec
      .given(withBft)
      .when(
        {
          type: 'ProposeDecision',
          data: {
            unit: 'BFT',
            decisionType: 'child-welfare-support-measure',
            memberIds: ['m-sara'],
            periodFrom: '2024-03-01',
            periodUntil: '2024-12-31',
            outcome: 'granted',
            reasons: reasonsFor('Sara needs a support contact after school.', 'barnevernsloven § 3-1'),
            childViews: childWelfareProposed.data.childViews!,
          },
        },
        { actor: actors.bftCaseworker, now: new Date(childWelfareProposed.data.at) },
      )
      .then([{ ...childWelfareProposed, data: { ...childWelfareProposed.data, decisionId: 'id-1' } }]);
  });

  it('proposes pilot support from the unit responsible for the sub-project, as no enkeltvedtak', () => {
    spec
      .given(withBft)
      .when(
        {
          type: 'ProposeDecision',
          data: {
            decisionId: 'd-pilot',
            unit: 'BFT',
            decisionType: 'pilot-support',
            memberIds: ['m-sara', 'm-omar'],
            periodFrom: '2024-03-01',
            periodUntil: '2026-02-28',
            amounts: { monthlyAmountOre: 160_000 },
            outcome: 'granted',
            reasons: { rulesApplied: [], facts: '', summary: '1,600 NOK per child per month for two years (sub-project Barnas stemme).' },
            childViews: [childHeard('m-sara'), { memberId: 'm-omar', heard: false, whyNot: 'not-able-to-form-views', explanation: 'Omar is two years old.' }],
            subProject: { subProjectId: 'sp-barnas-stemme', responsibleUnit: 'BFT' },
          },
        },
        { actor: actors.bftCaseworker },
      )
      .then([
        {
          type: 'DecisionProposed',
          data: {
            decisionId: 'd-pilot',
            unit: 'BFT',
            decisionType: 'pilot-support',
            memberIds: ['m-sara', 'm-omar'],
            legalBasis: null,
            periodFrom: '2024-03-01',
            periodUntil: '2026-02-28',
            amounts: { monthlyAmountOre: 160_000, oneOffAmountOre: null },
            reasons: {
              rulesApplied: [],
              facts: '',
              mainConsiderations: null,
              summary: '1,600 NOK per child per month for two years (sub-project Barnas stemme).',
            },
            outcome: 'granted',
            childViews: [childHeard('m-sara'), { memberId: 'm-omar', heard: false, whyNot: 'not-able-to-form-views', explanation: 'Omar is two years old.' }],
            enkeltvedtak: false,
            fourEyes: true,
            subProject: { subProjectId: 'sp-barnas-stemme', responsibleUnit: 'BFT' },
            delegation: delegation('pilot-support-by-sub-project-unit'),
            ...by(actors.bftCaseworker),
          },
        },
      ]);
  });

  it('refuses a unit the delegation rules do not authorise, and says who may', () => {
    const error = spec
      .given([familyRegistered])
      .when(proposeSocialAssistance({ decisionType: 'child-welfare-support-measure', memberIds: ['m-sara'], childViews: [childHeard('m-sara')] }))
      .thenThrows(NotCompetent);
    expect(error.kind).toBe('forbidden');
    expect(error.details.reasons).toEqual(["Rule bft-child-welfare-support: only BFT may decide 'Child welfare support measure', not NAV."]);
  });

  it('judges age on the first day of the period', () => {
    const forLeila: Partial<ProposeDecision['data']> = {
      decisionType: 'child-welfare-support-measure',
      unit: 'BFT',
      memberIds: ['m-leila'],
      periodUntil: '2025-12-31',
      childViews: [childHeard('m-leila')],
    };
    spec
      .given(withBft)
      .when(proposeSocialAssistance({ ...forLeila, periodFrom: '2025-06-29' }), { actor: actors.bftCaseworker })
      .then([expect.objectContaining({ data: expect.objectContaining({ delegation: delegation('bft-child-welfare-support') }) })]);
    spec
      .given(withBft)
      .when(proposeSocialAssistance({ ...forLeila, periodFrom: '2025-06-30' }), { actor: actors.bftCaseworker })
      .thenThrows(NotCompetent);
  });

  it('lets INN decide the introduction benefit only for a member in the introduction programme', () => {
    const benefit = proposeSocialAssistance({
      decisionId: 'd-benefit',
      unit: 'INN',
      decisionType: 'introduction-benefit',
      memberIds: ['m-amina'],
      periodFrom: '2024-03-01',
    });
    const innPart = [familyRegistered, ...referralAccepted('INN')];
    spec.given(innPart).when(benefit, { actor: actors.innCaseworker }).thenThrows(NotCompetent);
    const programme: FamilyEvent[] = [
      {
        type: 'DecisionProposed',
        data: {
          ...socialAssistanceProposed.data,
          decisionId: 'd-programme',
          unit: 'INN',
          decisionType: 'introduction-programme',
          memberIds: ['m-amina'],
          legalBasis: 'Integreringsloven',
          periodFrom: '2024-01-01',
          periodUntil: '2025-12-31',
          delegation: delegation('inn-introduction-programme'),
          ...by(actors.innCaseworker),
        },
      },
      {
        type: 'DecisionApproved',
        data: {
          decisionId: 'd-programme',
          decidedOn: TODAY,
          effectiveFrom: '2024-01-01',
          delegation: delegation('inn-introduction-programme'),
          ...by(actors.innApprover),
        },
      },
    ];
    const state = spec
      .given([...innPart, ...programme])
      .when(benefit, { actor: actors.innCaseworker })
      .then([
        {
          type: 'DecisionProposed',
          data: {
            decisionId: 'd-benefit',
            unit: 'INN',
            decisionType: 'introduction-benefit',
            memberIds: ['m-amina'],
            legalBasis: 'Integreringsloven',
            periodFrom: '2024-03-01',
            periodUntil: '2024-07-31',
            amounts: { monthlyAmountOre: 1_250_000, oneOffAmountOre: null },
            reasons: { ...reasonsFor('The household has no income while both adults take Norwegian courses.') },
            outcome: 'granted',
            childViews: [],
            enkeltvedtak: true,
            fourEyes: true,
            subProject: null,
            delegation: delegation('inn-introduction-benefit'),
            ...by(actors.innCaseworker),
          },
        },
      ]);
    expect(state.decisions['d-benefit'].status).toBe('proposed');
  });

  it('refuses pilot support without the paying sub-project', () => {
    spec
      .given(withBft)
      .when(proposeSocialAssistance({ unit: 'BFT', decisionType: 'pilot-support', memberIds: ['m-sara'], childViews: [childHeard('m-sara')] }), {
        actor: actors.bftCaseworker,
      })
      .thenThrows(NotCompetent);
  });

  it('refuses an enkeltvedtak without a legal basis: an amendment cannot clear it', () => {
    spec
      .given(active)
      .when({ type: 'AmendDecision', data: { decisionId: 'd-nav', legalBasis: null, reasons: 'No basis named.' } }, { actor: actors.navApprover })
      .thenThrows(LegalBasisRequired);
  });

  it('fvl § 2: a caller who says whether it is an enkeltvedtak is refused, even to make pilot support one', () => {
    const error = spec
      .given(withBft)
      .when(
        proposeSocialAssistance({
          unit: 'BFT',
          decisionType: 'pilot-support',
          memberIds: ['m-sara'],
          enkeltvedtak: true,
          childViews: [childHeard('m-sara')],
          subProject: { subProjectId: 'sp-1', responsibleUnit: 'BFT' },
        } as never),
        { actor: actors.bftCaseworker },
      )
      .thenThrows(EnkeltvedtakFollowsFromLaw);
    expect(error.details).toMatchObject({ field: 'enkeltvedtak', provision: 'forvaltningsloven § 2' });
    spec
      .given([familyRegistered])
      .when(proposeSocialAssistance({ enkeltvedtak: false } as never), proposedAt)
      .thenThrows(EnkeltvedtakFollowsFromLaw);
  });

  it('refuses proposing on behalf of another unit', () => {
    spec.given(withBft).when(proposeSocialAssistance(), { actor: actors.bftCaseworker }).thenThrows(UnitMismatch);
  });

  it('needs a part in the case: a unit that was never referred the family is refused (NO_PART_IN_CASE)', () => {
    const forSara: Partial<ProposeDecision['data']> = {
      unit: 'BFT',
      decisionType: 'child-welfare-support-measure',
      memberIds: ['m-sara'],
      periodFrom: '2024-03-01',
    };
    spec.given([familyRegistered]).when(proposeSocialAssistance(forSara), { actor: actors.bftCaseworker }).thenThrows(NoPartInCase);
  });

  it('refuses an auditor', () => {
    spec.given([familyRegistered]).when(proposeSocialAssistance(), { actor: actors.auditor }).thenThrows(ActionNotPermitted);
  });

  it.each([
    ['an unknown decision type', { decisionType: 'free-car' as 'pilot-support' }, UnknownDecisionType],
    ['an unknown unit', { unit: 'POLICE' as 'NAV' }, UnknownUnit],
    ['an unknown member', { memberIds: ['m-amina', 'm-nobody'] }, MemberNotFound],
    ['no members', { memberIds: [] }, InvalidInput],
    ['a member twice', { memberIds: ['m-amina', 'm-amina'] }, InvalidInput],
    ['a period ending before it starts', { periodFrom: '2024-07-31', periodUntil: '2024-02-01' }, InvalidPeriod],
    ['an impossible date', { periodUntil: '2024-06-31' }, InvalidDate],
    ['a negative amount', { amounts: { monthlyAmountOre: -100 } }, InvalidAmount],
    ['an amount in fractions of øre', { amounts: { oneOffAmountOre: 99.5 } }, InvalidAmount],
    ['free-text reasons (forvaltningsloven §§ 24-25)', { reasons: 'Because.' }, ReasonsIncomplete],
    ['no reasons (forvaltningsloven § 24)', { reasons: null }, InvalidInput],
  ] as const)('refuses %s', (_label, data, error) => {
    spec
      .given([familyRegistered])
      .when(proposeSocialAssistance(data as Partial<ProposeDecision['data']>))
      .thenThrows(error);
  });

  it('refuses a member who has left', () => {
    const left: FamilyEvent = { type: 'MemberLeft', data: { memberId: 'm-yusuf', leftOn: TODAY, reason: null, ...by(actors.navCaseworker) } };
    spec.given([familyRegistered, left]).when(proposeSocialAssistance()).thenThrows(MemberNotCurrent);
  });

  it('refuses a decision id already used', () => {
    spec.given(pending).when(proposeSocialAssistance()).thenThrows(AlreadyExists);
  });

  it('refuses an unregistered family', () => {
    spec.given([]).when(proposeSocialAssistance()).thenThrows(FamilyNotFound);
  });
});

describe('ApproveDecision (four-eyes)', () => {
  const approve = { type: 'ApproveDecision', data: { decisionId: 'd-nav' } } as const;

  it('activates the decision; fvl § 27: approval does not stand for notification (notifiedOn is schema ≤ 2 only; no deadline runs yet)', () => {
    const { notifiedOn: _legacy, ...approved } = socialAssistanceApproved.data;
    const state = spec
      .given(pending)
      .when(approve, { actor: actors.navApprover, now: new Date(socialAssistanceApproved.data.at) })
      .then([{ type: 'DecisionApproved', data: approved }]);
    expect(state.decisions['d-nav']).toMatchObject({
      status: 'active',
      approvedBy: { userId: 'ola.nav', role: 'approver', unit: 'NAV', partnerOrganisation: null },
      notifiedOn: null,
    });
    expect(Object.values(state.notifications)).toEqual([]);
  });

  it('records the rule set in force at approval', () => {
    const revised: DelegationRuleSet = { ...TRONDHEIM_2023_RULE_SET, id: 'trondheim-2024', version: 3 };
    spec
      .given(pending)
      .when(approve, { actor: actors.navApprover, ruleSet: revised })
      .then([
        {
          type: 'DecisionApproved',
          data: {
            decisionId: 'd-nav',
            decidedOn: TODAY,
            effectiveFrom: '2024-02-01',
            delegation: { ruleSetId: 'trondheim-2024', ruleSetVersion: 3, ruleId: 'nav-social-assistance' },
            ...by(actors.navApprover),
          },
        },
      ]);
  });

  it('refuses approval when the rules no longer authorise the unit', () => {
    const withoutNav: DelegationRuleSet = {
      ...TRONDHEIM_2023_RULE_SET,
      id: 'draft',
      rules: TRONDHEIM_2023_RULE_SET.rules.map((r) => (r.decisionType === 'economic-social-assistance' ? { ...r, units: ['HVK'] } : r)),
    };
    spec.given(pending).when(approve, { actor: actors.navApprover, ruleSet: withoutNav }).thenThrows(NotCompetent);
  });

  it('refuses the proposer approving their own proposal', () => {
    const ownProposal: FamilyEvent = { type: 'DecisionProposed', data: { ...socialAssistanceProposed.data, ...by(actors.navApprover) } };
    const error = spec.given([familyRegistered, ownProposal]).when(approve, { actor: actors.navApprover }).thenThrows(SelfApproval);
    expect(error.kind).toBe('forbidden');
  });

  it('refuses a caseworker without the approver role', () => {
    spec
      .given(pending)
      .when(approve, { actor: { userId: 'trine.nav', role: 'caseworker', unit: 'NAV' } })
      .thenThrows(NotApprover);
  });

  it('refuses an approver from another unit: without a part, without sight of the decision, or of the wrong unit', () => {
    spec.given(pending).when(approve, { actor: actors.bftApprover }).thenThrows(NoPartInCase);
    // With a part but no consent sharing NAV's decisions, the decision does not exist for BFT.
    spec
      .given([...pending, ...bftPart])
      .when(approve, { actor: actors.bftApprover })
      .thenThrows(DecisionNotFound);
    const shared = ['m-amina', 'm-yusuf'].map((memberId) => sharingConsent(`c-${memberId}`, memberId, ['BFT'], { dataCategories: ['decisions'] }));
    spec
      .given([...pending, ...bftPart, ...shared])
      .when(approve, { actor: actors.bftApprover })
      .thenThrows(UnitMismatch);
  });

  it('refuses a decision that is not a proposal', () => {
    spec.given(active).when(approve, { actor: actors.navApprover }).thenThrows(DecisionStatusConflict);
  });

  it('refuses an unknown decision', () => {
    spec.given([familyRegistered]).when(approve, { actor: actors.navApprover }).thenThrows(DecisionNotFound);
  });

  it('refuses when a member the decision is for has left since the proposal', () => {
    const left: FamilyEvent = { type: 'MemberLeft', data: { memberId: 'm-yusuf', leftOn: TODAY, reason: null, ...by(actors.navCaseworker) } };
    spec
      .given([...pending, left])
      .when(approve, { actor: actors.navApprover })
      .thenThrows(MemberNotCurrent);
  });
});

describe('RejectDecision', () => {
  it('rejects a proposal with a reason', () => {
    const state = spec
      .given(pending)
      .when({ type: 'RejectDecision', data: { decisionId: 'd-nav', reason: 'Income from January is missing.' } }, { actor: actors.navApprover })
      .then([
        {
          type: 'DecisionRejected',
          data: { decisionId: 'd-nav', reason: 'Income from January is missing.', delegation: delegation('nav-social-assistance'), ...by(actors.navApprover) },
        },
      ]);
    expect(state.decisions['d-nav'].status).toBe('rejected');
    expect(state.decisions['d-nav'].history.map((h) => h.note)).toEqual([null, 'Income from January is missing.']);
  });

  it('refuses a rejection without a reason', () => {
    spec
      .given(pending)
      .when({ type: 'RejectDecision', data: { decisionId: 'd-nav', reason: '' } }, { actor: actors.navApprover })
      .thenThrows(InvalidInput);
  });

  it('refuses a caseworker', () => {
    spec
      .given(pending)
      .when({ type: 'RejectDecision', data: { decisionId: 'd-nav', reason: 'No' } })
      .thenThrows(NotApprover);
  });

  it('refuses an active decision: revoke it instead', () => {
    spec
      .given(active)
      .when({ type: 'RejectDecision', data: { decisionId: 'd-nav', reason: 'No' } }, { actor: actors.navApprover })
      .thenThrows(DecisionStatusConflict);
  });
});

describe('AmendDecision', () => {
  it('changes the amount, records the rule again and keeps the old terms in the history', () => {
    const state = spec
      .given(active)
      .when(
        {
          type: 'AmendDecision',
          data: { decisionId: 'd-nav', amounts: { monthlyAmountOre: 1_400_000 }, reasons: 'Rent went up from April.', effectiveFrom: '2024-04-01' },
        },
        { actor: actors.navApprover },
      )
      .then([
        {
          type: 'DecisionAmended',
          data: {
            decisionId: 'd-nav',
            periodFrom: '2024-02-01',
            periodUntil: '2024-07-31',
            amounts: { monthlyAmountOre: 1_400_000, oneOffAmountOre: null },
            legalBasis: 'Lov om sosiale tjenester i NAV § 18',
            reasons: 'Rent went up from April.',
            appealId: null,
            delegation: delegation('nav-social-assistance'),
            effectiveFrom: '2024-04-01',
            ground: 'not-to-detriment',
            advanceNotice: null,
            ...by(actors.navApprover),
          },
        },
      ]);
    const decision = state.decisions['d-nav'];
    expect(decision.amounts.monthlyAmountOre).toBe(1_400_000);
    expect(decision.history[2].termsBefore).toMatchObject({ amounts: { monthlyAmountOre: 1_250_000, oneOffAmountOre: null } });
  });

  it('extends the period and clears an amount with null', () => {
    const withOneOff: FamilyEvent[] = [
      familyRegistered,
      { ...socialAssistanceProposed, data: { ...socialAssistanceProposed.data, amounts: { monthlyAmountOre: 1_250_000, oneOffAmountOre: 700_000 } } },
      socialAssistanceApproved,
    ];
    spec
      .given(withOneOff)
      .when(
        {
          type: 'AmendDecision',
          data: {
            decisionId: 'd-nav',
            periodUntil: '2024-12-31',
            amounts: { oneOffAmountOre: null },
            reasons: 'Extended; the furniture was paid by the sub-project.',
            // Clearing the one-off amount is to the party's detriment (fvl § 35 (1) a).
            ground: 'general-doctrine',
            advanceNoticeWaiver: { ground: '§ 16 (3) c', explanation: 'The family asked for it.' },
          },
        },
        { actor: actors.navApprover },
      )
      .then([
        {
          type: 'DecisionAmended',
          data: {
            decisionId: 'd-nav',
            periodFrom: '2024-02-01',
            periodUntil: '2024-12-31',
            amounts: { monthlyAmountOre: 1_250_000, oneOffAmountOre: null },
            legalBasis: 'Lov om sosiale tjenester i NAV § 18',
            reasons: 'Extended; the furniture was paid by the sub-project.',
            appealId: null,
            delegation: delegation('nav-social-assistance'),
            effectiveFrom: TODAY,
            ground: 'general-doctrine',
            advanceNotice: { waiver: { ground: '§ 16 (3) c', explanation: 'The family asked for it.' } },
            ...by(actors.navApprover),
          },
        },
      ]);
  });

  it('refuses an amendment that changes nothing', () => {
    spec
      .given(active)
      .when(
        {
          type: 'AmendDecision',
          data: { decisionId: 'd-nav', periodUntil: '2024-07-31', reasons: 'The household has no income while both adults take Norwegian courses.' },
        },
        { actor: actors.navApprover },
      )
      .thenThrows(NothingToAmend);
  });

  it('refuses a change the delegation rules do not allow (a child turning 18)', () => {
    const leilaActive: FamilyEvent[] = [
      ...withBft,
      leilaMeasure,
      {
        type: 'DecisionApproved',
        data: {
          decisionId: 'd-leila',
          decidedOn: '2024-03-04',
          effectiveFrom: '2024-03-01',
          delegation: delegation('bft-child-welfare-support'),
          ...by(actors.bftApprover),
        },
      },
    ];
    spec
      .given(leilaActive)
      .when(
        { type: 'AmendDecision', data: { decisionId: 'd-leila', periodFrom: '2025-07-01', periodUntil: '2025-12-31', reasons: 'Start after the summer.' } },
        { actor: actors.bftApprover },
      )
      .thenThrows(NotCompetent);
  });

  it('refuses a period that ends before it starts', () => {
    spec
      .given(active)
      .when({ type: 'AmendDecision', data: { decisionId: 'd-nav', periodUntil: '2024-01-01', reasons: 'Shortened' } }, { actor: actors.navApprover })
      .thenThrows(InvalidPeriod);
  });

  it('refuses a caseworker: an amendment takes effect at once', () => {
    spec
      .given(active)
      .when({ type: 'AmendDecision', data: { decisionId: 'd-nav', periodUntil: '2024-12-31', reasons: 'Extended' } })
      .thenThrows(NotApprover);
  });

  it('refuses a proposal and a decision under appeal', () => {
    const amend = { type: 'AmendDecision', data: { decisionId: 'd-nav', periodUntil: '2024-12-31', reasons: 'Extended' } } as const;
    spec.given(pending).when(amend, { actor: actors.navApprover }).thenThrows(DecisionStatusConflict);
    const error = spec
      .given([...active, appealed])
      .when(amend, { actor: actors.navApprover })
      .thenThrows(DecisionStatusConflict);
    expect(error.message).toMatch(/Decide the open appeal first/);
  });
});

describe('RevokeDecision', () => {
  const waiver = { ground: '§ 16 (3) c', explanation: 'The family told us themselves that they moved.' } as const;

  it('fvl §§ 16, 35: revokes an active decision with a reason, a ground and a waived advance notice, from today by default', () => {
    const state = spec
      .given(active)
      .when(
        {
          type: 'RevokeDecision',
          data: { decisionId: 'd-nav', reason: 'The family moved to another municipality.', ground: 'general-doctrine', advanceNoticeWaiver: waiver },
        },
        { actor: actors.navApprover },
      )
      .then([
        {
          type: 'DecisionRevoked',
          data: {
            decisionId: 'd-nav',
            reason: 'The family moved to another municipality.',
            delegation: delegation('nav-social-assistance'),
            effectiveFrom: TODAY,
            ground: 'general-doctrine',
            advanceNotice: { waiver },
            ...by(actors.navApprover),
          },
        },
      ]);
    expect(state.decisions['d-nav'].status).toBe('revoked');
  });

  it('refuses without a reason, by a caseworker, or when not active', () => {
    const revoke = { decisionId: 'd-nav', ground: 'general-doctrine', advanceNoticeWaiver: waiver } as const;
    spec
      .given(active)
      .when({ type: 'RevokeDecision', data: { ...revoke, reason: ' ' } }, { actor: actors.navApprover })
      .thenThrows(InvalidInput);
    spec
      .given(active)
      .when({ type: 'RevokeDecision', data: { ...revoke, reason: 'Moved' } })
      .thenThrows(NotApprover);
    spec
      .given(pending)
      .when({ type: 'RevokeDecision', data: { ...revoke, reason: 'Moved' } }, { actor: actors.navApprover })
      .thenThrows(DecisionStatusConflict);
  });
});

describe('ExpireDecision', () => {
  const expire = { type: 'ExpireDecision', data: { decisionId: 'd-nav' } } as const;
  // 31 July 2024 ends at 22:00 UTC (midnight in Oslo, summer time).
  const lastDay = new Date('2024-07-31T21:59:59.000Z');
  const dayAfter = new Date('2024-07-31T22:00:00.000Z');

  it('expires the decision once its period has ended in Norway', () => {
    const state = spec
      .given(active)
      .when(expire, { now: dayAfter })
      .then([
        {
          type: 'DecisionExpired',
          data: { decisionId: 'd-nav', periodUntil: '2024-07-31', delegation: delegation('nav-social-assistance'), ...by(actors.navCaseworker, dayAfter) },
        },
      ]);
    expect(state.decisions['d-nav'].status).toBe('expired');
  });

  it('refuses on the last day of the period', () => {
    spec.given(active).when(expire, { now: lastDay }).thenThrows(DecisionPeriodNotEnded);
  });

  it('refuses a decision that never became active', () => {
    spec.given(pending).when(expire, { now: dayAfter }).thenThrows(DecisionStatusConflict);
  });

  it('refuses a partner', () => {
    spec.given(active).when(expire, { now: dayAfter, actor: actors.school }).thenThrows(ActionNotPermitted);
  });
});

describe('decisions of several units side by side', () => {
  it('keeps each decision with its own unit, rule and status', () => {
    const state = spec
      .given([...withActiveDecisions, ...referralAccepted('HVK')])
      .when(
        {
          type: 'ProposeDecision',
          data: {
            decisionId: 'd-hvk',
            unit: 'HVK',
            decisionType: 'coordinator-adult',
            memberIds: ['m-amina'],
            periodFrom: '2024-04-01',
            periodUntil: '2025-03-31',
            outcome: 'granted',
            reasons: reasonsFor('Many services at once.', 'hol § 7-2'),
          },
        },
        { actor: actors.hvkCaseworker },
      )
      .then([
        {
          type: 'DecisionProposed',
          data: {
            decisionId: 'd-hvk',
            unit: 'HVK',
            decisionType: 'coordinator-adult',
            memberIds: ['m-amina'],
            legalBasis: 'Helse- og omsorgstjenesteloven § 7-2',
            periodFrom: '2024-04-01',
            periodUntil: '2025-03-31',
            amounts: noAmounts,
            reasons: { ...reasonsFor('Many services at once.', 'hol § 7-2') },
            outcome: 'granted',
            childViews: [],
            enkeltvedtak: true,
            fourEyes: true,
            subProject: null,
            delegation: delegation('hvk-coordinator-adult'),
            ...by(actors.hvkCaseworker),
          },
        },
      ]);
    expect(Object.values(state.decisions).map((d) => [d.decisionId, d.unit, d.status, d.delegation.ruleId])).toEqual([
      ['d-nav', 'NAV', 'active', 'nav-social-assistance'],
      ['d-bft', 'BFT', 'active', 'bft-child-welfare-support'],
      ['d-hvk', 'HVK', 'proposed', 'hvk-coordinator-adult'],
    ]);
  });
});
