import type { FamilyEvent } from './family.events';
import type { Unit } from '../shared/units';
import { localDateOf } from '../shared/local-date';
import { initialFamilyState, type CasePart, type Decision, type DecisionHistoryEntry, type ErasedKey, type FamilyState, type Member } from './family.state';
import { upcastFamilyEvent } from './family.upcast';
import { evolveAppealsAndNotifications } from './appeals.evolve';
import { evolveFamilyPlans, suspendFamilyDecision } from './family-plan.evolve';
import { evolveLetters } from './letters.evolve';
import { erasedRecords, erasureRequestRecorded, withErasedOnRequest, withRefusal } from '../retention/erasure.evolve';
import { familyTextsOf } from '../retention/family-texts';
import type { ActorRef } from '../shared/actor';
import type { PartAct } from './family.values';
import type { MemberDetails } from './family.values';
import type { ValidityChange } from './decision-valid-time';
import type { StructuredReasons } from './decision-reasons';

/** Where the personal-data decorator puts a decoded event's erasure notes (design §4; PersonalDataEventStore's ERASED_NOTES_KEY). */
const ERASED_NOTES = '$erased';

/**
 * Folds one event into the family state. Pure: returns a new state, shares what did not change.
 * The same code as foldFamily (one event folded on a fresh working copy), so the two can never
 * disagree; to fold a whole stream use foldFamily, which copies each record map only once.
 */
export function evolveFamily(state: FamilyState, event: FamilyEvent): FamilyState {
  const fold = new FamilyFold(state);
  fold.apply(event);
  return fold.state;
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

type RecordMap =
  | 'members'
  | 'team'
  | 'needs'
  | 'consents'
  | 'decisions'
  | 'appeals'
  | 'notifications'
  | 'payments'
  | 'abandonedPayments'
  | 'familyDecisions'
  | 'parts'
  | 'referrals'
  | 'enrolments'
  | 'parentalResponsibility'
  | 'erasures'
  | 'erasureRequests'
  | 'familyTexts';

/**
 * A working copy of a state: the top level is ours; maps and arrays become ours on first
 * write. evolveFamily is this fold applied to one event.
 */
class FamilyFold {
  readonly state: FamilyState;
  private readonly ownedMaps = new Set<RecordMap>();
  private readonly ownedArrays = new WeakSet<object>();
  private ownsErasedKeys = false;

  constructor(from: FamilyState) {
    this.state = { ...from };
  }

  /**
   * Design §4: a decoded event whose fields were erased carries `$erased` notes on top of its data.
   * They go into `erasedKeys` (by key ref: the tombstone and the fields seen) and out of the data
   * before anything is folded, so no record spread from the data carries them. The same events
   * give the same entries whatever the batches (the first note of a key gives its tombstone; the
   * fields are a sorted set), so a live refold and a rebuild agree.
   */
  private takeErasureNotes(event: FamilyEvent): FamilyEvent {
    const data = event.data as FamilyEvent['data'] & { [ERASED_NOTES]?: unknown };
    if (!Object.prototype.hasOwnProperty.call(data, ERASED_NOTES)) return event;
    const { [ERASED_NOTES]: notes, ...rest } = data;
    for (const note of Array.isArray(notes) ? notes : []) this.noteErasedField(event.type, note);
    return { ...event, data: rest } as FamilyEvent;
  }

  private noteErasedField(type: string, note: unknown): void {
    if (typeof note !== 'object' || note === null) return;
    const { path, keyRef, category, on, rule, provision } = note as Record<string, unknown>;
    if (typeof keyRef !== 'string' || typeof path !== 'string' || typeof on !== 'string') return;
    const field = `${type}:${path.replace(/(^|\.)\d+(?=\.|$)/g, '$1*')}`;
    if (!this.ownsErasedKeys) {
      this.state.erasedKeys = { ...(this.state.erasedKeys ?? {}) };
      this.ownsErasedKeys = true;
    }
    const keys = this.state.erasedKeys!;
    const known = keys[keyRef];
    if (known?.fields.includes(field)) return;
    const entry: ErasedKey = known ?? {
      keyRef,
      category: typeof category === 'string' ? category : 'case',
      on,
      rule: typeof rule === 'string' ? rule : null,
      provision: typeof provision === 'string' ? provision : null,
      fields: [],
    };
    keys[keyRef] = { ...entry, fields: [...entry.fields, field].sort() };
  }

  /** The family-level case texts' keys (`case/family:<at>`) with the members they name: the retention records list them (retention/family-texts.ts). */
  private noteFamilyTexts(raw: FamilyEvent): void {
    for (const text of familyTextsOf(raw)) {
      const texts = this.map('familyTexts')!;
      const known = texts[text.keyRef];
      texts[text.keyRef] = known ? { ...known, subjects: [...new Set([...known.subjects, ...text.subjects])].sort() } : text;
    }
  }

  /** The record map, copied on its first write in this fold. */
  private map<K extends RecordMap>(key: K): FamilyState[K] {
    if (!this.ownedMaps.has(key)) {
      // `?? {}`: a state folded before the map existed (erasures, erasureRequests) starts it empty.
      this.state[key] = { ...(this.state[key] ?? {}) };
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
  private withHistory(
    decision: Decision,
    event: FamilyEvent,
    note: string | null,
    termsBefore: DecisionHistoryEntry['termsBefore'],
    effectiveFrom: DecisionHistoryEntry['effectiveFrom'] = null,
  ): Decision {
    const entry: DecisionHistoryEntry = {
      event: event.type,
      at: event.data.at,
      by: event.data.by,
      delegation: decision.delegation,
      note,
      termsBefore,
      effectiveFrom,
    };
    return { ...decision, history: this.appended(decision.history, entry) };
  }

  /** A change in valid time appended to the decision's timeline (read with decisionOn). */
  private withChange(decision: Decision, change: ValidityChange): Decision {
    return { ...decision, validity: this.appended(decision.validity ?? [], change) };
  }

  /**
   * A unit that wrote to the family before parts were explicit (schema 1 history) has a part
   * from its first record; new commands need a part first, so this never grants one for them.
   */
  private recordBeforeParts(unit: Unit | null | undefined, eventType: string, at: string, by: ActorRef): void {
    if (!unit || this.state.parts[unit]) return;
    this.grantPart(unit, { kind: 'record-before-parts', eventType }, localDateOf(new Date(at)), at, by);
  }

  private grantPart(unit: Unit, act: PartAct, since: string, at: string, by: ActorRef): void {
    const previous = this.state.parts[unit];
    const earlier = previous
      ? [
          ...previous.earlier,
          ...(previous.active ? [] : [{ since: previous.since, act: previous.act, endedAt: previous.endedAt ?? at, endReason: previous.endReason }]),
        ]
      : [];
    const part: CasePart = { unit, active: true, since, sinceAt: at, act, grantedBy: by, endedAt: null, endedBy: null, endReason: null, earlier };
    this.map('parts')[unit] = part;
  }

  apply(raw: FamilyEvent): void {
    this.noteFamilyTexts(raw);
    const event = upcastFamilyEvent(this.takeErasureNotes(raw));
    const state = this.state;
    const { at, by } = event.data;
    // Notifications and appeals (and a legacy notifiedOn) are folded in appeals.evolve.ts.
    const lifecycle = evolveAppealsAndNotifications(state, event);
    if (lifecycle) {
      for (const [key, value] of Object.entries(lifecycle.maps)) this.replaceMap(key as 'appeals', value as FamilyState['appeals']);
      if (lifecycle.handled) return;
    }
    switch (event.type) {
      case 'FamilyRegistered': {
        const joinedOn = event.data.registeredOn;
        state.status = 'registered';
        state.familyId = event.data.familyId;
        state.district = event.data.district;
        state.registeredAt = at;
        state.registeredBy = by;
        this.replaceMap('members', Object.fromEntries(event.data.members.map((m) => [m.memberId, currentMember(m, joinedOn)])));
        if (by.unit) this.grantPart(by.unit, { kind: 'registered' }, joinedOn, at, by);
        for (const relation of event.data.parentalResponsibility) {
          this.map('parentalResponsibility')[`${relation.childId}:${relation.holderId}`] = record(relation, {
            since: joinedOn,
            active: true,
            recordedAt: at,
            recordedBy: by,
            endedAt: null,
          });
        }
        return;
      }
      case 'ParentalResponsibilityRecorded': {
        const { at: recordedAt, by: recordedBy, ...relation } = event.data;
        this.map('parentalResponsibility')[`${relation.childId}:${relation.holderId}`] = record(relation, {
          active: true,
          recordedAt,
          recordedBy,
          endedAt: null,
        });
        return;
      }
      case 'ParentalResponsibilityEnded': {
        const key = `${event.data.childId}:${event.data.holderId}`;
        this.map('parentalResponsibility')[key] = { ...state.parentalResponsibility[key], active: false, endedAt: at };
        return;
      }
      case 'ReferralRecorded': {
        const { at: recordedAt, by: recordedBy, ...referral } = event.data;
        this.map('referrals')[referral.referralId] = record(referral, {
          status: 'open' as const,
          recordedAt,
          recordedBy,
          answeredAt: null,
          answeredBy: null,
          declineReason: null,
        });
        return;
      }
      case 'ReferralAccepted': {
        const referral = state.referrals[event.data.referralId];
        this.map('referrals')[referral.referralId] = { ...referral, status: 'accepted', answeredAt: at, answeredBy: by };
        this.grantPart(
          event.data.unit,
          { kind: 'referral-accepted', referralId: referral.referralId, referredBy: referral.fromUnit },
          event.data.since,
          at,
          by,
        );
        return;
      }
      case 'ReferralDeclined': {
        const referral = state.referrals[event.data.referralId];
        this.map('referrals')[referral.referralId] = { ...referral, status: 'declined', answeredAt: at, answeredBy: by, declineReason: event.data.reason };
        return;
      }
      case 'InvolvementClosed': {
        const part = state.parts[event.data.unit];
        this.map('parts')[event.data.unit] = { ...part, active: false, endedAt: at, endedBy: by, endReason: event.data.reason };
        for (const personId of event.data.contactPersonIds) {
          const person = state.team[personId];
          this.map('team')[personId] = { ...person, active: false, leftAt: at };
        }
        return;
      }
      case 'FamilyEnrolled': {
        const { at: enrolledAt, by: enrolledBy, ...enrolment } = event.data;
        this.map('enrolments')[enrolment.enrolmentId] = record(enrolment, { active: true, enrolledAt, enrolledBy, endedAt: null, endReason: null });
        return;
      }
      case 'EnrolmentEnded': {
        const enrolment = state.enrolments[event.data.enrolmentId];
        this.map('enrolments')[enrolment.enrolmentId] = { ...enrolment, active: false, endedAt: at, endReason: event.data.reason };
        for (const personId of event.data.contactPersonIds) {
          this.map('team')[personId] = { ...state.team[personId], active: false, leftAt: at };
        }
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
        if (affiliation.kind === 'unit') this.recordBeforeParts(affiliation.unit, event.type, at, by);
        this.map('team')[personId] = { personId, name, affiliation, teamRole, active: true, joinedAt: at, leftAt: null };
        return;
      }
      case 'ContactPersonLeft': {
        const person = state.team[event.data.personId];
        this.map('team')[person.personId] = { ...person, active: false, leftAt: at };
        return;
      }
      case 'CoordinatingUnitNamed':
        this.recordBeforeParts(event.data.unit, event.type, at, by);
        state.coordinatingUnit = event.data.unit;
        return;

      case 'NeedExpressed': {
        const { needId, memberId, words, expressedOn, recordedBy } = event.data;
        if (recordedBy.kind === 'unit') this.recordBeforeParts(recordedBy.unit, event.type, at, by);
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
        this.recordBeforeParts(event.data.unit, event.type, at, by);
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
        this.recordBeforeParts(recordedBy.unit, event.type, at, by);
        this.map('consents')[consent.consentId] = record(consent, { givenAt, recordedBy, withdrawnFrom: null, withdrawnAt: null, withdrawal: null });
        return;
      }
      case 'ConsentWithdrawn': {
        const consent = state.consents[event.data.consentId];
        const { expressedByMemberId, channel, alertedUnits } = event.data;
        this.map('consents')[consent.consentId] = {
          ...consent,
          withdrawnFrom: event.data.effectiveFrom,
          withdrawnAt: at,
          withdrawal: { expressedByMemberId, channel, recordedBy: by, alertedUnits },
        };
        // A family decision resting on this consent no longer holds (it is suspended, not deleted).
        for (const familyDecision of Object.values(state.familyDecisions)) {
          if (familyDecision.status === 'in-force' && familyDecision.consentIds.includes(consent.consentId)) {
            this.map('familyDecisions')[familyDecision.familyDecisionId] = { ...familyDecision, status: 'suspended', suspendedByConsentId: consent.consentId };
          }
        }
        return;
      }

      case 'DecisionProposed': {
        const { at: proposedAt, by: proposedBy, reasons, ...proposal } = event.data;
        this.recordBeforeParts(proposal.unit, event.type, at, by);
        // upcastFamilyEvent made schema ≤ 2 free text structured and filled outcome and childViews.
        const structuredReasons = reasons as StructuredReasons;
        const decision: Decision = record(proposal, {
          outcome: proposal.outcome ?? 'granted',
          childViews: proposal.childViews ?? null,
          reasons: structuredReasons.summary,
          structuredReasons,
          decidedOn: null,
          effectiveFrom: null,
          validity: [],
          advanceNotices: [],
          status: 'proposed' as const,
          proposedBy,
          proposedAt,
          approvedBy: null,
          approvedAt: null,
          notifiedOn: null,
          openAppealId: null,
          history: [],
        });
        this.setDecision(this.withHistory(decision, event, null, null));
        return;
      }
      case 'DecisionApproved': {
        const decision = state.decisions[event.data.decisionId];
        // Schema ≤ 2 approvals held from the period start (effectiveFrom null).
        const effectiveFrom = event.data.effectiveFrom ?? decision.periodFrom;
        const approved: Decision = {
          ...decision,
          status: 'active',
          approvedBy: by,
          approvedAt: at,
          notifiedOn: event.data.notifiedOn ?? null,
          decidedOn: event.data.decidedOn ?? localDateOf(new Date(at)),
          effectiveFrom,
          delegation: event.data.delegation,
        };
        const change: ValidityChange = { kind: 'approved', effectiveFrom, recordedAt: at, terms: validTerms(decision) };
        this.setDecision(this.withHistory(this.withChange(approved, change), event, null, null, effectiveFrom));
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
        const effectiveFrom = event.data.effectiveFrom ?? localDateOf(new Date(at));
        const change: ValidityChange = { kind: 'amended', effectiveFrom, recordedAt: at, terms: validTerms(amended) };
        this.setDecision(this.withHistory(this.withChange(amended, change), event, reasons, termsBefore, effectiveFrom));
        return;
      }
      case 'DecisionRevoked': {
        const decision = state.decisions[event.data.decisionId];
        const effectiveFrom = event.data.effectiveFrom ?? localDateOf(new Date(at));
        const revoked = this.withChange({ ...decision, status: 'revoked' }, { kind: 'revoked', effectiveFrom, recordedAt: at, terms: null });
        this.setDecision(this.withHistory(revoked, event, event.data.reason, null, effectiveFrom));
        return;
      }
      case 'AdvanceNoticeSent': {
        const { at: recordedAt, by: _by, decisionId, ...notice } = event.data;
        const decision = state.decisions[decisionId];
        const withNotice = { ...decision, advanceNotices: [...(decision.advanceNotices ?? []), { ...notice, recordedAt, statements: [] }] };
        this.setDecision(this.withHistory(withNotice, event, `${notice.intendedAct}; answer by ${notice.answerBy}`, null));
        return;
      }
      case 'PartyStatementReceived': {
        const { noticeId, decisionId, memberId, receivedOn, summary } = event.data;
        const decision = state.decisions[decisionId];
        const advanceNotices = decision.advanceNotices.map((n) =>
          n.noticeId === noticeId ? { ...n, statements: [...n.statements, { memberId, receivedOn, summary, recordedAt: at }] } : n,
        );
        this.setDecision(this.withHistory({ ...decision, advanceNotices }, event, summary, null));
        return;
      }
      case 'DecisionExpired': {
        const decision = state.decisions[event.data.decisionId];
        this.setDecision(this.withHistory({ ...decision, status: 'expired' }, event, null, null));
        return;
      }

      case 'PaymentRecorded': {
        const { at: recordedAt, by: recordedBy, ...payment } = event.data;
        if (recordedBy.role !== 'partner') this.recordBeforeParts(recordedBy.unit, event.type, at, by);
        this.map('payments')[payment.paymentId] = record(payment, { recordedAt, recordedBy, reversed: false, reversedOn: null, reversalReason: null });
        return;
      }
      case 'PaymentReversed': {
        const payment = state.payments[event.data.paymentId];
        this.map('payments')[payment.paymentId] = { ...payment, reversed: true, reversedOn: event.data.reversedOn, reversalReason: event.data.reason };
        return;
      }
      case 'PaymentAbandoned': {
        // The first of payment and abandonment decides: an abandonment after the payment changes nothing.
        if (state.payments[event.data.paymentId]) return;
        const { paymentId, subProjectId, recipientMemberId, amountOre, reason, refusal } = event.data;
        this.map('abandonedPayments')[paymentId] = { paymentId, subProjectId, recipientMemberId, amountOre, reason, refusal, abandonedAt: at, abandonedBy: by };
        return;
      }

      case 'FamilyDecisionIssued': {
        const { at: issuedAt, by: issuedBy, supersedes, ...issued } = event.data;
        const familyDecisions = this.map('familyDecisions');
        if (supersedes) {
          familyDecisions[supersedes] = { ...familyDecisions[supersedes], status: 'superseded', supersededBy: issued.familyDecisionId };
        }
        familyDecisions[issued.familyDecisionId] = record(issued, {
          status: 'in-force' as const,
          supersededBy: null,
          suspendedByConsentId: null,
          issuedAt,
          issuedBy,
        });
        return;
      }
      case 'FamilyPlanRecorded':
      case 'FamilyPlanRevised':
      case 'FamilyPlanReviewed':
      case 'FamilyPlanEnded':
        state.familyPlans = evolveFamilyPlans(state.familyPlans ?? {}, event);
        return;
      case 'LetterIssued':
      case 'LetterDelivered':
        state.letters = evolveLetters(state.letters ?? {}, event);
        return;
      case 'FamilyDecisionSuspended':
        this.map('familyDecisions')[event.data.familyDecisionId] = suspendFamilyDecision(state.familyDecisions[event.data.familyDecisionId], event);
        return;
      case 'PersonalDataErased': {
        const erasures = this.map('erasures');
        for (const erased of erasedRecords(event)) erasures[erased.keyRef] = erased;
        const request = event.data.requestId ? state.erasureRequests?.[event.data.requestId] : undefined;
        if (request) this.map('erasureRequests')[request.requestId] = withErasedOnRequest(request, event);
        return;
      }
      case 'ErasureRequested':
        this.map('erasureRequests')[event.data.requestId] = erasureRequestRecorded(event);
        return;
      case 'ErasureRefused': {
        const request = state.erasureRequests[event.data.requestId];
        this.map('erasureRequests')[request.requestId] = withRefusal(request, event);
        return;
      }
      case 'CaseExportedForArchive':
        // A record that the case left for the archives: nothing in the case changes.
        return;
      default:
        // An event type this code does not know: refuse to fold rather than answer from a wrong state.
        throw new Error(`Unknown family event type ${(event as { type: string }).type}`);
    }
  }
}

/**
 * `{ ...fields, ...added }` for a record made from an event's data: the same own keys, in the
 * same order, with the same values (event data is plain JSON; its schema names every key). V8
 * builds a spread literal that adds properties to a parsed object's shape about ten times
 * slower than Object.assign onto a fresh object: it was most of the fold's time on payments.
 */
function record<T extends object, A extends object>(fields: T, added: A): Omit<T, keyof A> & A {
  return Object.assign({}, fields, added);
}

function validTerms(decision: Decision): ValidityChange['terms'] {
  return { periodFrom: decision.periodFrom, periodUntil: decision.periodUntil, amounts: decision.amounts, legalBasis: decision.legalBasis };
}

function currentMember(details: MemberDetails, joinedOn: string): Member {
  return record(details, { status: 'current' as const, joinedOn, leftOn: null });
}
