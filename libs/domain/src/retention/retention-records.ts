import { localDateOf, type LocalDate } from '../shared/local-date';
import type { Unit } from '../shared/units';
import { OPEN_APPEAL_STAGES } from '../family/appeals.types';
import type { Decision, FamilyState } from '../family/family.state';
import { LEGACY_FAMILY_TEXT_KEY_REF } from '../personal-data/personal-data.catalogue';
import type { FamilyRecordCategory, RetentionAnchor } from './retention-schedule';

/**
 * The family's records as retention sees them: one per key ref of the design (§ 1), with whose
 * they are (subjects), which units have a hand in them (for unit-scoped schedule entries) and the
 * anchor days their periods run from. Pure, from the folded state only.
 *
 * Key refs, as the personal-data catalogue names them (one vocabulary: keyRefCategory there):
 * `identity/<memberId>`, `need/<needId>`, `consent/<consentId>`, `decision/<decisionId>`,
 * `appeal/<appealId>` (an appeal's texts, in the decision category: later appeal events name only
 * the appeal), `payment/<paymentId>` (also a sub-project payment the family abandoned: the spend's
 * texts in the budget stream are under the family's payment key), `letter/<letterId>`,
 * `case/<referralId | enrolmentId | planId | requestId>`, `case/family:<at>` (the family-level
 * texts of one append: member-left reasons, involvement closing reasons, parental-responsibility
 * documents and ends) and `case/family` (the same texts as stored before they had a key per
 * append). A record is listed only where its key can hold text: every member, need, consent,
 * decision, appeal, payment (recorded or abandoned), letter, referral and plan; an enrolment once
 * ended (EnrolmentEnded carries the reason); an erasure request made by a representative (their
 * name); each family text; case/family once registered (older streams may hold it).
 */

export type RetentionRecord = {
  keyRef: string;
  category: FamilyRecordCategory;
  /** Member ids the record identifies or describes, sorted; empty for the family as a whole. */
  subjects: string[];
  /** Units with a hand in the record (recorded, decided, received, answered for it), sorted. */
  units: Unit[];
  /** The anchor days that apply to the category; null while the anchoring fact has not happened. */
  anchors: Partial<Record<RetentionAnchor, LocalDate | null>>;
};

/**
 * "Case closed": the day (Oslo) the last unit with a part in the case closed its involvement,
 * when no unit has an active part any more. A unit that takes a part again reopens the case
 * (null), and the next closing counts anew. Null for a family that never had a part.
 */
export function caseClosedOn(state: FamilyState): LocalDate | null {
  const parts = Object.values(state.parts);
  if (parts.length === 0 || parts.some((p) => p.active || p.endedAt === null)) return null;
  return parts.map((p) => dayOf(p.endedAt as string)).reduce((a, b) => (a > b ? a : b));
}

/**
 * "Decision final": the decision no longer holds (rejected, expired or revoked) and none of its
 * appeals is open; the anchor is the day of the last act in its history. Null otherwise.
 */
export function decisionFinalOn(state: FamilyState, decision: Decision): LocalDate | null {
  if (!['rejected', 'expired', 'revoked'].includes(decision.status)) return null;
  const appealOpen = Object.values(state.appeals).some((a) => a.decisionId === decision.decisionId && OPEN_APPEAL_STAGES.includes(a.stage));
  if (appealOpen || decision.history.length === 0) return null;
  return dayOf(decision.history[decision.history.length - 1].at);
}

export function retentionRecords(state: FamilyState): RetentionRecord[] {
  if (state.status !== 'registered') return [];
  const closed = caseClosedOn(state);
  const partUnits = Object.keys(state.parts) as Unit[];
  const records: RetentionRecord[] = [];
  const add = (
    category: FamilyRecordCategory,
    id: string,
    subjects: Iterable<string | null>,
    units: Iterable<Unit | null | undefined>,
    anchors: RetentionRecord['anchors'],
    prefix: string = category,
  ) =>
    records.push({
      keyRef: `${prefix}/${id}`,
      category,
      subjects: sorted(subjects),
      units: sorted(units),
      anchors: { 'case-closed': closed, ...anchors },
    });

  for (const member of Object.values(state.members)) add('identity', member.memberId, [member.memberId], partUnits, {});
  for (const need of Object.values(state.needs)) {
    add(
      'need',
      need.needId,
      need.memberId ? [need.memberId] : [],
      [need.recordedBy.kind === 'unit' ? need.recordedBy.unit : null, ...need.pickedUpBy.map((p) => p.unit)],
      {},
    );
  }
  for (const consent of Object.values(state.consents)) {
    add(
      'consent',
      consent.consentId,
      [consent.memberId, consent.givenByMemberId, consent.withdrawal?.expressedByMemberId ?? null].filter(isText),
      [consent.recordedBy.unit, ...(consent.sourceUnits ?? []), ...consent.toUnits],
      { 'consent-ended': consentEndedOn(consent.withdrawnFrom, consent.validUntil, closed) },
    );
  }
  const finalOn = new Map(Object.values(state.decisions).map((d) => [d.decisionId, decisionFinalOn(state, d)]));
  const recipients = Object.values(state.notifications ?? {}).map((n) => [n.decisionId, n.recipientMemberId] as const);
  for (const decision of Object.values(state.decisions)) {
    const statements = (decision.advanceNotices ?? []).flatMap((n) => n.statements.map((s) => s.memberId));
    // A notification's language is the recipient's (the catalogue keeps it under the decision's key).
    const notified = recipients.filter(([id]) => id === decision.decisionId).map(([, memberId]) => memberId);
    add('decision', decision.decisionId, [...decision.memberIds, ...statements, ...notified], [decision.unit], {
      'decision-final': finalOn.get(decision.decisionId) ?? null,
    });
  }
  for (const appeal of Object.values(state.appeals)) {
    const appellant = appeal.appellant?.kind === 'member' ? appeal.appellant.memberId : (appeal.appellant?.forMemberId ?? null);
    const anchors = { 'decision-final': finalOn.get(appeal.decisionId) ?? null };
    add('decision', appeal.appealId, [appellant], [state.decisions[appeal.decisionId]?.unit], anchors, 'appeal');
  }
  for (const payment of Object.values(state.payments)) {
    const lastBooking = payment.reversedOn && payment.reversedOn > payment.paidOn ? payment.reversedOn : payment.paidOn;
    add('payment', payment.paymentId, [payment.recipientMemberId], [payment.funding.kind === 'unit' ? payment.funding.unit : null, payment.recordedBy.unit], {
      'payment-year-end': `${lastBooking.slice(0, 4)}-12-31`,
    });
  }
  // A sub-project payment the family abandoned: its spend (and the spend given back) carried texts under the
  // family's payment key (the budget stream's catalogue). Both are bookings of the budget; the abandonment is the last.
  for (const abandoned of Object.values(state.abandonedPayments ?? {})) {
    if (state.payments[abandoned.paymentId]) continue;
    add('payment', abandoned.paymentId, [abandoned.recipientMemberId], [abandoned.abandonedBy.unit], {
      'payment-year-end': `${dayOf(abandoned.abandonedAt).slice(0, 4)}-12-31`,
    });
  }
  for (const letter of Object.values(state.letters ?? {})) {
    const decisions = letter.decisionIds.map((id) => state.decisions[id]).filter(Boolean);
    const finals = letter.decisionIds.map((id) => finalOn.get(id) ?? null);
    add('letter', letter.letterId, [...letter.copies.map((c) => c.recipientMemberId), ...decisions.flatMap((d) => d.memberIds)], [letter.issuingUnit], {
      'decision-final': finals.length > 0 && finals.every(isText) ? finals.reduce((a, b) => (a > b ? a : b)) : null,
    });
  }
  // A case text written after the closing (a referral answered, a request recorded) is kept from its own day:
  // the period never runs from before the text existed. An open referral waits for its answer (the receiving
  // unit needs its reason to decide, and accepting it reopens the case): not anchored while open.
  const closedFor = (writtenAt: string | null): LocalDate | null => (closed === null || writtenAt === null ? null : later(closed, dayOf(writtenAt)));
  for (const referral of Object.values(state.referrals)) {
    add('case', referral.referralId, referral.memberIds, [referral.fromUnit, referral.toUnit], {
      'case-closed': referral.status === 'open' ? null : closedFor(referral.answeredAt ?? referral.recordedAt),
    });
  }
  for (const enrolment of Object.values(state.enrolments)) {
    if (!enrolment.active) add('case', enrolment.enrolmentId, enrolment.memberIds, [enrolment.responsibleUnit], {});
  }
  for (const plan of Object.values(state.familyPlans ?? {})) {
    const units = [...plan.responsibilities.map((r) => r.unit), ...plan.goals.flatMap((g) => g.answeredBy), plan.coordinator.unit];
    add('case', plan.planId, plan.memberIds, units, {});
  }
  // A representative's name on an erasure request (GDPR art. 17, fvl § 12): a case text under the schedule's case
  // entry, kept from the later of the closing and the request (an answer to a request is accountable, art. 5(2)).
  for (const request of Object.values(state.erasureRequests ?? {})) {
    if (request.requestedBy.kind === 'representative')
      add('case', request.requestId, [request.memberId], [request.recordedBy.unit], { 'case-closed': closedFor(request.recordedAt) });
  }
  // The family-level texts (case/family:<at>): the family's case as a whole, so every unit that had a part has a hand in them.
  for (const text of Object.values(state.familyTexts ?? {})) add('case', text.keyRef.slice('case/'.length), text.subjects, partUnits, {});
  add('case', LEGACY_FAMILY_TEXT_KEY_REF.slice('case/'.length), [], partUnits, {});
  return records;
}

/** The first day a consent no longer holds: withdrawn, else the day after validUntil; a consent without an end (schema 1) ends with the case. */
export function consentEndedOn(withdrawnFrom: LocalDate | null, validUntil: LocalDate | null, caseClosed: LocalDate | null): LocalDate | null {
  const expired = validUntil === null ? null : nextDay(validUntil);
  if (withdrawnFrom !== null && (expired === null || withdrawnFrom < expired)) return withdrawnFrom;
  return expired ?? caseClosed;
}

function nextDay(date: LocalDate): LocalDate {
  const [y, m, d] = date.split('-').map(Number);
  return new Date(Date.UTC(y, m - 1, d + 1)).toISOString().slice(0, 10);
}

function later(a: LocalDate, b: LocalDate): LocalDate {
  return a > b ? a : b;
}

function dayOf(instant: string): LocalDate {
  return localDateOf(new Date(instant));
}

function isText(value: string | null | undefined): value is string {
  return typeof value === 'string';
}

function sorted<T extends string>(values: Iterable<T | null | undefined>): T[] {
  return [...new Set([...values].filter((v): v is T => typeof v === 'string'))].sort();
}
