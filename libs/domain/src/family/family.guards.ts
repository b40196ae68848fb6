import type { Actor } from '../shared/actor';
import type { DecisionContext } from '../shared/decision-context';
import { InvalidDate } from '../shared/domain-error';
import { localDateOf, parseLocalDate, type LocalDate } from '../shared/local-date';
import { requireActorOfUnit } from '../shared/permissions';
import type { Unit } from '../shared/units';
import { requireId } from '../shared/validation';
import {
  AppealNotFound,
  ConsentNotFound,
  DecisionNotFound,
  DecisionStatusConflict,
  FamilyNotFound,
  MemberNotCurrent,
  MemberNotFound,
  NeedNotFound,
  NotApprover,
  PaymentNotFound,
} from './family.errors';
import type { Appeal, Consent, Decision, DecisionStatus, Enrolment, FamilyState, Member, Need, Payment } from './family.state';
import { NoPartInCase, PartnerNotEnrolled } from './parts.errors';
import { requireMunicipalActor } from '../shared/permissions';
import { mayReadAppeal, mayReadConsent, mayReadDecision, mayReadNeed, mayReadPayment, readerOf, type Reader } from '../access/family-read-access';
import { RecordErased } from '../retention/erasure.errors';
import { retentionRuleId } from '../retention/retention-schedule';
import { personalFieldsOf } from '../personal-data/personal-data.catalogue';
import type { JsonObject } from '../shared/json';
import type { FamilyEvent } from './family.events';

/** Lookups that throw the right refusal, shared by the capability deciders. */

export { stamp } from '../shared/stamp';

/** Today's date in Norway, the day legal periods and deadlines are measured against. */
export function today(ctx: DecisionContext): LocalDate {
  return localDateOf(ctx.now);
}

/** A date that has already happened (today included). */
export function parsePastDate(value: unknown, field: string, ctx: DecisionContext): LocalDate {
  const date = parseLocalDate(value, field);
  if (date > today(ctx)) throw new InvalidDate(field, value, 'may not be in the future');
  return date;
}

/** The second person of four-eyes: the approver role (beslutter) in the deciding unit. */
export function requireApprover(actor: Actor, unit: Unit, action: string): void {
  if (actor.role !== 'approver') throw new NotApprover(action);
  requireActorOfUnit(actor, unit, action, ['approver']);
}

export function requireRegistered(state: FamilyState): void {
  if (state.status !== 'registered') throw new FamilyNotFound();
}

/**
 * The member. One whose identity was erased (GDPR art. 17: forgotten) is refused (RECORD_ERASED)
 * unless `erased` is 'allowed': an erasure request about them is still answered.
 */
export function requireMember(state: FamilyState, memberId: unknown, field = 'memberId', erased: 'refused' | 'allowed' = 'refused'): Member {
  const id = requireId(memberId, field);
  const member = state.members[id];
  if (!member) throw new MemberNotFound(id);
  if (erased === 'refused') refuseErased(state, `identity/${id}`, 'member', 'A person who comes back is registered as a new member (a new member id).');
  return member;
}

// ---------------------------------------------------------------- erased records (GDPR art. 17)

/** How the record's key was erased: from PersonalDataErased, or from the decoded events' notes (the key goes first). */
export function erasureOf(state: FamilyState, keyRef: string): { on: LocalDate; provision: string | null; rule: string | null } | null {
  const recorded = state.erasures?.[keyRef];
  if (recorded) return { on: recorded.on, provision: recorded.provision, rule: recorded.rule ? retentionRuleId(recorded.rule) : null };
  const noted = state.erasedKeys?.[keyRef];
  return noted ? { on: noted.on, provision: noted.provision, rule: noted.rule } : null;
}

/**
 * GDPR art. 17 and the retention schedule: a record whose key was erased can take no more text
 * and no act about what it said (RECORD_ERASED, 409). Checked after the record was found and may
 * be read, before its status: the erasure is the first thing the caller needs to know.
 */
export function refuseErased(state: FamilyState, keyRef: string, what: string, hint?: string): void {
  const erased = erasureOf(state, keyRef);
  if (erased) throw new RecordErased(keyRef, what, erased, hint);
}

/**
 * The events a command decided, against the erased keys (GDPR art. 17): an event that would put a
 * personal field under an erased key is refused here, naming the record, before the event store
 * refuses the append (PERSONAL_DATA_ERASED). Covers every command, also those whose record lookups
 * have no guard of their own (plans, referrals, enrolments, parental responsibility).
 */
export function refuseWritingErasedRecords(state: FamilyState, events: readonly FamilyEvent[]): void {
  if (Object.keys(state.erasures ?? {}).length === 0 && Object.keys(state.erasedKeys ?? {}).length === 0) return;
  for (const event of events) {
    for (const field of personalFieldsOf(event.type, event.data as JsonObject))
      refuseErased(state, field.keyRef, `record ${field.category === 'identity' ? 'of a member' : `(${field.category})`}`);
  }
}

export function requireCurrentMember(state: FamilyState, memberId: unknown, field = 'memberId'): Member {
  const member = requireMember(state, memberId, field);
  if (member.status !== 'current') throw new MemberNotCurrent(member.memberId);
  return member;
}

/**
 * Record lookups for deciders. A record the acting user may not read (familyReadAccess's
 * per-record rules, on today's date) does not exist for them: the same NOT_FOUND as a wrong id,
 * checked before anything about the record (its status, its unit, its period) is told.
 */
function readableBy(ctx: DecisionContext): { reader: Reader; day: LocalDate } {
  return { reader: readerOf(ctx.actor), day: today(ctx) };
}

export function requireNeed(state: FamilyState, needId: unknown, ctx: DecisionContext): Need {
  const id = requireId(needId, 'needId');
  const need = state.needs[id];
  const { reader, day } = readableBy(ctx);
  if (!need || !mayReadNeed(state, reader, need, day)) throw new NeedNotFound(id);
  refuseErased(state, `need/${id}`, 'need');
  return need;
}

export function requireConsent(state: FamilyState, consentId: unknown, ctx: DecisionContext): Consent {
  const id = requireId(consentId, 'consentId');
  const consent = state.consents[id];
  const { reader, day } = readableBy(ctx);
  if (!consent || !mayReadConsent(state, reader, consent, day)) throw new ConsentNotFound(id);
  refuseErased(state, `consent/${id}`, 'consent');
  return consent;
}

export function requireDecision(state: FamilyState, decisionId: unknown, ctx: DecisionContext, field = 'decisionId'): Decision {
  const id = requireId(decisionId, field);
  const decision = state.decisions[id];
  const { reader, day } = readableBy(ctx);
  if (!decision || !mayReadDecision(state, reader, decision, day)) throw new DecisionNotFound(id);
  refuseErased(state, `decision/${id}`, 'decision');
  return decision;
}

/** The decision, if the actor may read it and its status is one of `allowed`; `action` completes "can be ...". */
export function requireDecisionIn(
  state: FamilyState,
  decisionId: unknown,
  allowed: readonly DecisionStatus[],
  action: string,
  ctx: DecisionContext,
  field = 'decisionId',
): Decision {
  const decision = requireDecision(state, decisionId, ctx, field);
  if (!allowed.includes(decision.status)) {
    throw new DecisionStatusConflict(decision.decisionId, decision.status, action, allowed.join(' or '));
  }
  return decision;
}

export function requireAppeal(state: FamilyState, appealId: unknown, ctx: DecisionContext): Appeal {
  const id = requireId(appealId, 'appealId');
  const appeal = state.appeals[id];
  const { reader, day } = readableBy(ctx);
  if (!appeal || !mayReadAppeal(state, reader, appeal, day)) throw new AppealNotFound(id);
  refuseErased(state, `appeal/${id}`, 'appeal');
  return appeal;
}

export function requirePayment(state: FamilyState, paymentId: unknown, ctx: DecisionContext, field = 'paymentId'): Payment {
  const id = requireId(paymentId, field);
  const payment = state.payments[id];
  const { reader, day } = readableBy(ctx);
  if (!payment || !mayReadPayment(state, reader, payment, day)) throw new PaymentNotFound(id);
  refuseErased(state, `payment/${id}`, 'payment');
  return payment;
}

/** Whether a unit has an active part in the case (registered the family, or accepted a referral). */
export function hasActivePart(state: FamilyState, unit: Unit | null | undefined): boolean {
  return !!unit && state.parts[unit]?.active === true;
}

/**
 * Writes need a part (forvaltningsloven § 13, tjenstlig behov): a municipal actor whose unit
 * has an active part in this family's case. Returns the unit. Checked before any record is
 * looked up, so a caller without a part learns nothing about the family's records.
 */
export function requirePart(state: FamilyState, ctx: DecisionContext, action: string): Unit {
  const unit = requireMunicipalActor(ctx.actor, action);
  requireRegistered(state);
  if (!hasActivePart(state, unit)) throw new NoPartInCase(action);
  return unit;
}

/** The active enrolments naming a partner organisation (by organisation number, compared exactly). */
export function enrolmentsOf(state: FamilyState, organisationNumber: string | null | undefined): Enrolment[] {
  if (!organisationNumber) return [];
  return Object.values(state.enrolments).filter((e) => e.active && e.partners.some((p) => p.organisationNumber === organisationNumber));
}

/**
 * A partner acts only within an active enrolment that names its organisation and the member
 * (memberId null: the whole family, allowed when every current member is enrolled). Returns them.
 */
export function requireEnrolledPartner(state: FamilyState, actor: Actor, action: string, memberId: string | null): Enrolment[] {
  requireRegistered(state);
  const enrolments = enrolmentsOf(state, actor.partnerOrganisation).filter((e) =>
    memberId === null ? Object.values(state.members).every((m) => m.status !== 'current' || e.memberIds.includes(m.memberId)) : e.memberIds.includes(memberId),
  );
  if (enrolments.length === 0) throw new PartnerNotEnrolled(action);
  return enrolments;
}
