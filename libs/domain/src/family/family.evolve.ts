import type { FamilyEvent } from './family.events';
import type { Decision, DecisionHistoryEntry, FamilyState, Member } from './family.state';
import type { MemberDetails } from './family.values';

/** Folds one event into the family state. Pure: returns a new state, shares what did not change. */
export function evolveFamily(state: FamilyState, event: FamilyEvent): FamilyState {
  const { at, by } = event.data;
  switch (event.type) {
    case 'FamilyRegistered': {
      const joinedOn = event.data.registeredOn;
      return {
        ...state,
        status: 'registered',
        familyId: event.data.familyId,
        district: event.data.district,
        registeredAt: at,
        registeredBy: by,
        members: Object.fromEntries(event.data.members.map((m) => [m.memberId, currentMember(m, joinedOn)])),
      };
    }
    case 'MemberJoined':
      return withMember(state, currentMember(event.data.member, event.data.joinedOn));
    case 'MemberLeft':
      return withMember(state, { ...state.members[event.data.memberId], status: 'left', leftOn: event.data.leftOn });

    case 'ContactPersonJoined': {
      const { personId, name, affiliation, teamRole } = event.data;
      return {
        ...state,
        team: { ...state.team, [personId]: { personId, name, affiliation, teamRole, active: true, joinedAt: at, leftAt: null } },
      };
    }
    case 'ContactPersonLeft': {
      const person = state.team[event.data.personId];
      return { ...state, team: { ...state.team, [person.personId]: { ...person, active: false, leftAt: at } } };
    }
    case 'CoordinatingUnitNamed':
      return { ...state, coordinatingUnit: event.data.unit };

    case 'NeedExpressed': {
      const { needId, memberId, words, expressedOn, recordedBy } = event.data;
      return {
        ...state,
        needs: {
          ...state.needs,
          [needId]: {
            needId,
            memberId,
            words,
            expressedOn,
            recordedAt: at,
            recordedBy,
            status: 'open',
            pickedUpBy: [],
            decisionIds: [],
            paymentIds: [],
            resolution: null,
            closedAt: null,
            withdrawalReason: null,
          },
        },
      };
    }
    case 'NeedPickedUp': {
      const need = state.needs[event.data.needId];
      return withNeed(state, { ...need, pickedUpBy: [...need.pickedUpBy, { unit: event.data.unit, at }] });
    }
    case 'NeedResolved': {
      const { needId, decisionIds, paymentIds, resolution } = event.data;
      return withNeed(state, { ...state.needs[needId], status: 'resolved', decisionIds, paymentIds, resolution, closedAt: at });
    }
    case 'NeedWithdrawn': {
      const need = state.needs[event.data.needId];
      return withNeed(state, { ...need, status: 'withdrawn', withdrawalReason: event.data.reason, closedAt: at });
    }

    case 'ConsentGiven': {
      const { at: givenAt, by: recordedBy, ...consent } = event.data;
      return {
        ...state,
        consents: { ...state.consents, [consent.consentId]: { ...consent, givenAt, recordedBy, withdrawnFrom: null, withdrawnAt: null } },
      };
    }
    case 'ConsentWithdrawn': {
      const consent = state.consents[event.data.consentId];
      return {
        ...state,
        consents: { ...state.consents, [consent.consentId]: { ...consent, withdrawnFrom: event.data.effectiveFrom, withdrawnAt: at } },
      };
    }

    case 'DecisionProposed': {
      const { at: proposedAt, by: proposedBy, ...proposal } = event.data;
      const decision: Decision = {
        ...proposal,
        status: 'proposed',
        proposedBy,
        proposedAt,
        approvedBy: null,
        approvedAt: null,
        notifiedOn: null,
        openAppealId: null,
        history: [],
      };
      return withDecision(state, withHistory(decision, event, null, null));
    }
    case 'DecisionApproved': {
      const decision = state.decisions[event.data.decisionId];
      const approved: Decision = {
        ...decision,
        status: 'active',
        approvedBy: by,
        approvedAt: at,
        notifiedOn: event.data.notifiedOn,
        delegation: event.data.delegation,
      };
      return withDecision(state, withHistory(approved, event, null, null));
    }
    case 'DecisionRejected': {
      const decision = state.decisions[event.data.decisionId];
      return withDecision(state, withHistory({ ...decision, status: 'rejected' }, event, event.data.reason, null));
    }
    case 'DecisionAmended': {
      const decision = state.decisions[event.data.decisionId];
      const { periodFrom, periodUntil, amounts, legalBasis, reasons, delegation } = event.data;
      const termsBefore = {
        periodFrom: decision.periodFrom,
        periodUntil: decision.periodUntil,
        amounts: decision.amounts,
        legalBasis: decision.legalBasis,
        reasons: decision.reasons,
      };
      const amended = { ...decision, periodFrom, periodUntil, amounts, legalBasis, reasons, delegation };
      return withDecision(state, withHistory(amended, event, reasons, termsBefore));
    }
    case 'DecisionRevoked': {
      const decision = state.decisions[event.data.decisionId];
      return withDecision(state, withHistory({ ...decision, status: 'revoked' }, event, event.data.reason, null));
    }
    case 'DecisionExpired': {
      const decision = state.decisions[event.data.decisionId];
      return withDecision(state, withHistory({ ...decision, status: 'expired' }, event, null, null));
    }

    case 'AppealReceived': {
      const { at: receivedAt, by: _by, ...appeal } = event.data;
      const decision = state.decisions[appeal.decisionId];
      const underAppeal: Decision = { ...decision, status: 'under-appeal', openAppealId: appeal.appealId };
      return {
        ...withDecision(state, withHistory(underAppeal, event, appeal.grounds, null)),
        appeals: {
          ...state.appeals,
          [appeal.appealId]: { ...appeal, status: 'open', receivedAt, decidedAt: null, outcomeReasons: null },
        },
      };
    }
    case 'AppealDecided': {
      const { appealId, decisionId, outcome, reasons } = event.data;
      const decision = state.decisions[decisionId];
      const decided: Decision = { ...decision, status: 'active', openAppealId: null };
      return {
        ...withDecision(state, withHistory(decided, event, `${outcome}: ${reasons}`, null)),
        appeals: { ...state.appeals, [appealId]: { ...state.appeals[appealId], status: outcome, decidedAt: at, outcomeReasons: reasons } },
      };
    }

    case 'PaymentRecorded': {
      const { at: recordedAt, by: recordedBy, ...payment } = event.data;
      return {
        ...state,
        payments: {
          ...state.payments,
          [payment.paymentId]: { ...payment, recordedAt, recordedBy, reversed: false, reversedOn: null, reversalReason: null },
        },
      };
    }
    case 'PaymentReversed': {
      const payment = state.payments[event.data.paymentId];
      return {
        ...state,
        payments: {
          ...state.payments,
          [payment.paymentId]: { ...payment, reversed: true, reversedOn: event.data.reversedOn, reversalReason: event.data.reason },
        },
      };
    }

    case 'FamilyDecisionIssued': {
      const { at: issuedAt, by: issuedBy, supersedes, ...issued } = event.data;
      const familyDecisions = { ...state.familyDecisions };
      if (supersedes) {
        familyDecisions[supersedes] = { ...familyDecisions[supersedes], status: 'superseded', supersededBy: issued.familyDecisionId };
      }
      familyDecisions[issued.familyDecisionId] = { ...issued, status: 'in-force', supersededBy: null, issuedAt, issuedBy };
      return { ...state, familyDecisions };
    }
    default:
      // An event type this code does not know: refuse to fold rather than answer from a wrong state.
      throw new Error(`Unknown family event type ${(event as { type: string }).type}`);
  }
}

function currentMember(details: MemberDetails, joinedOn: string): Member {
  return { ...details, status: 'current', joinedOn, leftOn: null };
}

function withMember(state: FamilyState, member: Member): FamilyState {
  return { ...state, members: { ...state.members, [member.memberId]: member } };
}

function withNeed(state: FamilyState, need: FamilyState['needs'][string]): FamilyState {
  return { ...state, needs: { ...state.needs, [need.needId]: need } };
}

function withDecision(state: FamilyState, decision: Decision): FamilyState {
  return { ...state, decisions: { ...state.decisions, [decision.decisionId]: decision } };
}

function withHistory(
  decision: Decision,
  event: FamilyEvent,
  note: string | null,
  termsBefore: DecisionHistoryEntry['termsBefore'],
): Decision {
  const entry: DecisionHistoryEntry = { event: event.type, at: event.data.at, by: event.data.by, delegation: decision.delegation, note, termsBefore };
  return { ...decision, history: [...decision.history, entry] };
}
