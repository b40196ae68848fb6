import type { FamilyEvent } from './family.events';
import { initialFamilyState, type Decision, type DecisionHistoryEntry, type FamilyState, type Member } from './family.state';
import type { MemberDetails } from './family.values';

/**
 * Folds one event into the family state. Pure: returns a new state, shares what did not change.
 * To fold a whole stream use foldFamily (below): reducing with this copies a record map per event.
 */
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

/**
 * Folds a sequence of events onto `initial` (by default the unregistered family): the same
 * state as `events.reduce(evolveFamily, initial)`, in time linear in the events.
 *
 * Reducing with evolveFamily copies the touched record map (all needs, all payments, ...)
 * and the touched decision's history on every event, so a long stream costs quadratic time.
 * Here the fold works on a private copy: each record map is copied once, on its first
 * write, and arrays this fold created (histories, pick-ups) are appended to in place.
 * Neither `initial` nor the events are mutated; records are still replaced, never changed.
 */
export function foldFamily(events: readonly FamilyEvent[], initial: FamilyState = initialFamilyState()): FamilyState {
  const fold = new FamilyFold(initial);
  for (const event of events) fold.apply(event);
  return fold.state;
}

type RecordMap = 'members' | 'team' | 'needs' | 'consents' | 'decisions' | 'appeals' | 'payments' | 'familyDecisions';

/**
 * A working copy of a state: the top level is ours; maps and arrays become ours on first
 * write. Mirrors evolveFamily case by case (family.fold.property.spec.ts holds them equal).
 */
class FamilyFold {
  readonly state: FamilyState;
  private readonly ownedMaps = new Set<RecordMap>();
  private readonly ownedArrays = new WeakSet<object>();

  constructor(from: FamilyState) {
    this.state = { ...from };
  }

  /** The record map, copied on its first write in this fold. */
  private map<K extends RecordMap>(key: K): FamilyState[K] {
    if (!this.ownedMaps.has(key)) {
      this.state[key] = { ...this.state[key] };
      this.ownedMaps.add(key);
    }
    return this.state[key];
  }

  /** A fresh map replacing the old one (not copied from it). */
  private replaceMap<K extends RecordMap>(key: K, value: FamilyState[K]): void {
    this.state[key] = value;
    this.ownedMaps.add(key);
  }

  /** `[...array, item]`, except that an array this fold created is appended to in place. */
  private appended<T>(array: T[], item: T): T[] {
    if (this.ownedArrays.has(array)) {
      array.push(item);
      return array;
    }
    const copy = [...array, item];
    this.ownedArrays.add(copy);
    return copy;
  }

  private setDecision(decision: Decision): void {
    this.map('decisions')[decision.decisionId] = decision;
  }

  /** The decision after an event, its history entry appended. */
  private withHistory(decision: Decision, event: FamilyEvent, note: string | null, termsBefore: DecisionHistoryEntry['termsBefore']): Decision {
    const entry: DecisionHistoryEntry = { event: event.type, at: event.data.at, by: event.data.by, delegation: decision.delegation, note, termsBefore };
    return { ...decision, history: this.appended(decision.history, entry) };
  }

  apply(event: FamilyEvent): void {
    const state = this.state;
    const { at, by } = event.data;
    switch (event.type) {
      case 'FamilyRegistered': {
        const joinedOn = event.data.registeredOn;
        state.status = 'registered';
        state.familyId = event.data.familyId;
        state.district = event.data.district;
        state.registeredAt = at;
        state.registeredBy = by;
        this.replaceMap('members', Object.fromEntries(event.data.members.map((m) => [m.memberId, currentMember(m, joinedOn)])));
        return;
      }
      case 'MemberJoined': {
        const member = currentMember(event.data.member, event.data.joinedOn);
        this.map('members')[member.memberId] = member;
        return;
      }
      case 'MemberLeft': {
        const member: Member = { ...state.members[event.data.memberId], status: 'left', leftOn: event.data.leftOn };
        this.map('members')[member.memberId] = member;
        return;
      }

      case 'ContactPersonJoined': {
        const { personId, name, affiliation, teamRole } = event.data;
        this.map('team')[personId] = { personId, name, affiliation, teamRole, active: true, joinedAt: at, leftAt: null };
        return;
      }
      case 'ContactPersonLeft': {
        const person = state.team[event.data.personId];
        this.map('team')[person.personId] = { ...person, active: false, leftAt: at };
        return;
      }
      case 'CoordinatingUnitNamed':
        state.coordinatingUnit = event.data.unit;
        return;

      case 'NeedExpressed': {
        const { needId, memberId, words, expressedOn, recordedBy } = event.data;
        this.map('needs')[needId] = {
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
        };
        return;
      }
      case 'NeedPickedUp': {
        const need = state.needs[event.data.needId];
        this.map('needs')[need.needId] = { ...need, pickedUpBy: this.appended(need.pickedUpBy, { unit: event.data.unit, at }) };
        return;
      }
      case 'NeedResolved': {
        const { needId, decisionIds, paymentIds, resolution } = event.data;
        const need = { ...state.needs[needId], status: 'resolved' as const, decisionIds, paymentIds, resolution, closedAt: at };
        this.map('needs')[need.needId] = need;
        return;
      }
      case 'NeedWithdrawn': {
        const need = { ...state.needs[event.data.needId], status: 'withdrawn' as const, withdrawalReason: event.data.reason, closedAt: at };
        this.map('needs')[need.needId] = need;
        return;
      }

      case 'ConsentGiven': {
        const { at: givenAt, by: recordedBy, ...consent } = event.data;
        this.map('consents')[consent.consentId] = { ...consent, givenAt, recordedBy, withdrawnFrom: null, withdrawnAt: null };
        return;
      }
      case 'ConsentWithdrawn': {
        const consent = state.consents[event.data.consentId];
        this.map('consents')[consent.consentId] = { ...consent, withdrawnFrom: event.data.effectiveFrom, withdrawnAt: at };
        return;
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
        this.setDecision(this.withHistory(decision, event, null, null));
        return;
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
        this.setDecision(this.withHistory(approved, event, null, null));
        return;
      }
      case 'DecisionRejected': {
        const decision = state.decisions[event.data.decisionId];
        this.setDecision(this.withHistory({ ...decision, status: 'rejected' }, event, event.data.reason, null));
        return;
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
        this.setDecision(this.withHistory(amended, event, reasons, termsBefore));
        return;
      }
      case 'DecisionRevoked': {
        const decision = state.decisions[event.data.decisionId];
        this.setDecision(this.withHistory({ ...decision, status: 'revoked' }, event, event.data.reason, null));
        return;
      }
      case 'DecisionExpired': {
        const decision = state.decisions[event.data.decisionId];
        this.setDecision(this.withHistory({ ...decision, status: 'expired' }, event, null, null));
        return;
      }

      case 'AppealReceived': {
        const { at: receivedAt, by: _by, ...appeal } = event.data;
        const decision = state.decisions[appeal.decisionId];
        const underAppeal: Decision = { ...decision, status: 'under-appeal', openAppealId: appeal.appealId };
        this.setDecision(this.withHistory(underAppeal, event, appeal.grounds, null));
        this.map('appeals')[appeal.appealId] = { ...appeal, status: 'open', receivedAt, decidedAt: null, outcomeReasons: null };
        return;
      }
      case 'AppealDecided': {
        const { appealId, decisionId, outcome, reasons } = event.data;
        const decision = state.decisions[decisionId];
        const decided: Decision = { ...decision, status: 'active', openAppealId: null };
        this.setDecision(this.withHistory(decided, event, `${outcome}: ${reasons}`, null));
        const appeals = this.map('appeals');
        appeals[appealId] = { ...appeals[appealId], status: outcome, decidedAt: at, outcomeReasons: reasons };
        return;
      }

      case 'PaymentRecorded': {
        const { at: recordedAt, by: recordedBy, ...payment } = event.data;
        this.map('payments')[payment.paymentId] = { ...payment, recordedAt, recordedBy, reversed: false, reversedOn: null, reversalReason: null };
        return;
      }
      case 'PaymentReversed': {
        const payment = state.payments[event.data.paymentId];
        this.map('payments')[payment.paymentId] = { ...payment, reversed: true, reversedOn: event.data.reversedOn, reversalReason: event.data.reason };
        return;
      }

      case 'FamilyDecisionIssued': {
        const { at: issuedAt, by: issuedBy, supersedes, ...issued } = event.data;
        const familyDecisions = this.map('familyDecisions');
        if (supersedes) {
          familyDecisions[supersedes] = { ...familyDecisions[supersedes], status: 'superseded', supersededBy: issued.familyDecisionId };
        }
        familyDecisions[issued.familyDecisionId] = { ...issued, status: 'in-force', supersededBy: null, issuedAt, issuedBy };
        return;
      }
      default:
        // An event type this code does not know: refuse to fold rather than answer from a wrong state.
        throw new Error(`Unknown family event type ${(event as { type: string }).type}`);
    }
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
