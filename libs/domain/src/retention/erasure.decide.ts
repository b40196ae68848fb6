import type { Actor } from '../shared/actor';
import type { DecisionContext } from '../shared/decision-context';
import { ActionNotPermitted, InvalidInput } from '../shared/domain-error';
import { ageOn, type LocalDate } from '../shared/local-date';
import { requireMunicipalActor, requireRole } from '../shared/permissions';
import { idOrNew, requireId, requireList, requireOneOf, requireText } from '../shared/validation';
import { SYSTEM_ROLE } from '../rule-set/rule-set';
import { AlreadyExists } from '../family/family.errors';
import { parsePastDate, requireMember, requireRegistered, stamp, today } from '../family/family.guards';
import type { FamilyState } from '../family/family.state';
import { ADULT_AGE } from '../family/parts.decide';
import { NoPartInCase } from '../family/parts.errors';
import { ErasureIdConflict, ErasureNotDue, ErasureRequesterNotPermitted, RetentionScheduleNotInForce } from './erasure.errors';
import {
  ERASURE_REQUEST_CHANNELS,
  type EraseDueRecords,
  type ErasureRefused,
  type ErasureRequested,
  type ErasureRequester,
  type PersonalDataErased,
  type RequestErasure,
} from './erasure.types';
import { assessRetention, type RecordStanding } from './retention-planner';
import { type RetentionRecord } from './retention-records';
import { parseKeyRef } from '../personal-data/personal-data.catalogue';
import {
  addRetentionPeriod,
  FAMILY_RECORD_CATEGORIES,
  retentionRuleId,
  retentionRuleOf,
  validateRetentionSchedule,
  type FamilyRecordCategory,
  type RetentionEntry,
  type RetentionSchedule,
} from './retention-schedule';

/**
 * Erasure in the domain (docs/design/retention-and-erasure.md §§ 5-7).
 *
 * EraseDueRecords: the retention job (the system actor) erases what planRetention says is due
 * under the schedule in force (GDPR art. 5(1)(e), 17(1)(a)); the decider plans again and
 * refuses the whole command if any key ref is not due (ERASURE_NOT_DUE).
 *
 * RequestErasure (GDPR art. 17): recorded by a unit leader of a unit that has or had a part in
 * the case (the unit's leader answers for its archive and its processing; assumption in
 * docs/operations/retention-schedule.md). Every record of the member in the asked categories gets
 * an outcome: erased, or refused with the reason and the provision (art. 17(3)(b) archives and
 * accounting, 17(3)(e) legal claims, an open case, a consent in force). The period after the
 * anchor binds a request only where the schedule says it is a duty (periodIsDuty).
 */

/** The retention job's actor: the system role, which no token can carry (isRole filters it). */
export const RETENTION_JOB_ACTOR: Actor = { userId: 'familievedtak-retention', role: SYSTEM_ROLE as Actor['role'] };

/** Provisions of refusals that follow from the record's state rather than from a schedule entry. */
export const ERASURE_REFUSAL_PROVISIONS = {
  'case-open': "GDPR art. 17(3)(b): needed for the municipality's task while the case is open (a unit still has a part in the case, forvaltningsloven § 13)",
  'consent-in-force':
    'GDPR art. 7(3) and 17(1)(b): a consent in force ends by its withdrawal (WithdrawConsent); its record is then kept for the proof period of the schedule',
  'decision-not-final': 'GDPR art. 17(3)(b): the decision still holds or an appeal of it is open (forvaltningsloven §§ 28-34)',
  'identity-still-needed':
    "GDPR art. 17(3)(b): records of the member that the schedule keeps name them; the identity goes when the last of them goes (the schedule's identity rule)",
} as const;

export function eraseDueRecords(command: EraseDueRecords, state: FamilyState, ctx: DecisionContext): PersonalDataErased[] {
  if ((ctx.actor.role as string) !== SYSTEM_ROLE) {
    throw new ActionNotPermitted(
      'erase records under the retention schedule',
      String(ctx.actor.role),
      "only the retention job erases under the schedule; a member's request is recorded with RequestErasure.",
    );
  }
  requireRegistered(state);
  const day = today(ctx);
  const schedule = scheduleInForce(command.data.schedule, day);
  const erasureId = idOrNew(command.data.erasureId, 'erasureId', ctx.newId);
  const keyRefs = requireList(command.data.keyRefs, 'keyRefs', 1, requireKeyRef);
  // The job's repair after a crash between shredding and append sends the same erasure again.
  const earlier = Object.values(state.erasures ?? {}).filter((e) => e.erasureId === erasureId);
  if (earlier.length > 0) {
    const recorded = earlier.map((e) => e.keyRef);
    if (sameSet(recorded, keyRefs)) return [];
    throw new ErasureIdConflict(erasureId);
  }
  const standings = new Map(assessRetention(state, schedule, day).map((s) => [s.record.keyRef, s]));
  const asked = new Set(keyRefs);
  const notDue: { keyRef: string; why: string }[] = [];
  const due: Extract<RecordStanding, { status: 'due' }>[] = [];
  for (const keyRef of keyRefs) {
    const standing = standings.get(keyRef);
    if (!standing) notDue.push({ keyRef, why: 'no such record in this family' });
    else if (standing.status !== 'due') notDue.push({ keyRef, why: whyNotDue(standing, schedule) });
    else due.push(standing);
  }
  // Identity last within the command too: the member's other records must go first or with it.
  for (const standing of due.filter((s) => s.record.category === 'identity')) {
    const others = [...standings.values()].filter(
      (s) =>
        s.record.category !== 'identity' && s.record.subjects.includes(standing.record.subjects[0]) && s.status !== 'erased' && !asked.has(s.record.keyRef),
    );
    if (others.length > 0)
      notDue.push({ keyRef: standing.record.keyRef, why: `erase the member's other records first: ${others.map((s) => s.record.keyRef).join(', ')}` });
  }
  if (notDue.length > 0) throw new ErasureNotDue(notDue);
  const byEntry = new Map<string, { entry: RetentionEntry; records: RetentionRecord[] }>();
  for (const standing of [...due].sort((a, b) => Number(a.record.category === 'identity') - Number(b.record.category === 'identity'))) {
    const group = byEntry.get(standing.entry.id) ?? { entry: standing.entry, records: [] };
    group.records.push(standing.record);
    byEntry.set(standing.entry.id, group);
  }
  return [...byEntry.values()].map(({ entry, records }) => erased(erasureId, records, day, retentionRuleOf(schedule, entry), null, ctx));
}

export function requestErasure(command: RequestErasure, state: FamilyState, ctx: DecisionContext): (ErasureRequested | PersonalDataErased | ErasureRefused)[] {
  const action = 'record an erasure request (GDPR art. 17)';
  const unit = requireMunicipalActor(ctx.actor, action);
  requireRegistered(state);
  // A unit that had a part keeps its own records after closing; one that never had one learns nothing of the family.
  if (!state.parts[unit]) throw new NoPartInCase(action);
  requireRole(ctx.actor, ['unit-leader'], action);
  const data = command.data;
  const requestId = idOrNew(data.requestId, 'requestId', ctx.newId);
  if ((state.erasureRequests ?? {})[requestId]) throw new AlreadyExists('erasure request', requestId);
  // A member already forgotten still gets an answer (alreadyErased).
  const member = requireMember(state, data.memberId, 'memberId', 'allowed');
  const categories: FamilyRecordCategory[] | 'all' =
    data.categories === 'all' ? 'all' : requireList(data.categories, 'categories', 1, (v, f) => requireOneOf(v, f, FAMILY_RECORD_CATEGORIES));
  const receivedOn = parsePastDate(data.receivedOn, 'receivedOn', ctx);
  const channel = requireOneOf(data.channel, 'channel', ERASURE_REQUEST_CHANNELS);
  const day = today(ctx);
  const requestedBy = requireRequester(state, member.memberId, data.requestedBy, day);
  const schedule = scheduleInForce(data.schedule, day);

  const asked = (category: FamilyRecordCategory) => categories === 'all' || categories.includes(category);
  const standings = assessRetention(state, schedule, day);
  const ofMember = standings.filter((s) => s.record.subjects.includes(member.memberId) && asked(s.record.category));
  const alreadyErased: string[] = [];
  const erase: RetentionRecord[] = [];
  const refused: Omit<ErasureRefused['data'], 'requestId' | 'at' | 'by'>[] = [];
  const refuse = (record: RetentionRecord, refusal: Refusal) =>
    refused.push({ keyRef: record.keyRef, category: record.category, keptBecauseOf: [], rule: null, keptUntil: null, ...refusal });

  for (const standing of ofMember.filter((s) => s.record.category !== 'identity')) {
    if (standing.status === 'erased') alreadyErased.push(standing.record.keyRef);
    else {
      const refusal = refusalOf(standing, schedule);
      if (refusal) refuse(standing.record, refusal);
      else erase.push(standing.record);
    }
  }
  const identity = ofMember.find((s) => s.record.category === 'identity');
  if (identity?.status === 'erased') alreadyErased.push(identity.record.keyRef);
  else if (identity) {
    const refusal = refusalOf(identity, schedule);
    const going = new Set(erase.map((r) => r.keyRef));
    const stillKept = standings
      .filter((s) => s.record.category !== 'identity' && s.record.subjects.includes(member.memberId) && s.status !== 'erased' && !going.has(s.record.keyRef))
      .map((s) => s.record.keyRef);
    if (refusal) refuse(identity.record, refusal);
    else if (stillKept.length > 0) {
      refuse(identity.record, {
        reason: 'identity-still-needed',
        provision: ERASURE_REFUSAL_PROVISIONS['identity-still-needed'],
        rule: retentionRuleOf(schedule, identity.entry),
        keptBecauseOf: stillKept,
      });
    } else erase.push(identity.record);
  }

  const events: (ErasureRequested | PersonalDataErased | ErasureRefused)[] = [
    {
      type: 'ErasureRequested',
      data: { requestId, memberId: member.memberId, categories, receivedOn, requestedBy, channel, alreadyErased: alreadyErased.sort(), ...stamp(ctx) },
    },
  ];
  // The request id is the erasure id: deciding the request again after a crash names the same tombstones.
  if (erase.length > 0) events.push(erased(requestId, erase, day, null, requestId, ctx));
  for (const refusal of refused) events.push({ type: 'ErasureRefused', data: { requestId, ...refusal, ...stamp(ctx) } });
  return events;
}

type Refusal = Pick<ErasureRefused['data'], 'reason' | 'provision'> & Partial<Pick<ErasureRefused['data'], 'rule' | 'keptUntil' | 'keptBecauseOf'>>;

/** Why a record is not erased on request today, or null when it may go (its anchor is reached and the period is no duty, or has run out). */
function refusalOf(standing: RecordStanding, schedule: RetentionSchedule): Refusal | null {
  if (standing.status === 'erased' || standing.status === 'due' || standing.status === 'held') return null;
  const { entry, record } = standing;
  const rule = retentionRuleOf(schedule, entry);
  if (standing.status === 'kept') return { reason: 'kept-for-archives', provision: entry.provision, rule };
  if (standing.status === 'retained')
    return entry.periodIsDuty ? { reason: 'retention-duty', provision: entry.provision, rule, keptUntil: standing.keptUntil } : null;
  // Waiting for the anchor: a known future anchor day (a consent's end, the year's end) gives the day it will be kept to.
  const anchorDate = record.anchors[entry.anchor] ?? null;
  const keptUntil = anchorDate && entry.period ? addRetentionPeriod(anchorDate, entry.period) : null;
  switch (entry.anchor) {
    case 'consent-ended':
      return { reason: 'consent-in-force', provision: ERASURE_REFUSAL_PROVISIONS['consent-in-force'], rule, keptUntil };
    case 'decision-final':
      return { reason: 'decision-not-final', provision: ERASURE_REFUSAL_PROVISIONS['decision-not-final'], rule };
    case 'payment-year-end':
      return { reason: 'retention-duty', provision: entry.provision, rule, keptUntil };
    default:
      return { reason: 'case-open', provision: ERASURE_REFUSAL_PROVISIONS['case-open'], rule };
  }
}

function whyNotDue(standing: Exclude<RecordStanding, { status: 'due' }>, schedule: RetentionSchedule): string {
  if (standing.status === 'erased') return `already erased on ${standing.erasure.on}`;
  const rule = retentionRuleId(retentionRuleOf(schedule, standing.entry));
  switch (standing.status) {
    case 'kept':
      return `kept under ${rule}`;
    case 'waiting':
      return `its ${standing.entry.anchor} day has not come (${rule})`;
    case 'retained':
      return `kept until ${standing.keptUntil} under ${rule}`;
    case 'held':
      return `other records of the member are still kept: ${standing.heldBy.join(', ')}`;
  }
}

function erased(
  erasureId: string,
  records: RetentionRecord[],
  on: LocalDate,
  rule: PersonalDataErased['data']['rule'],
  requestId: string | null,
  ctx: DecisionContext,
): PersonalDataErased {
  const subjects = [...new Set(records.flatMap((r) => r.subjects))].sort();
  const categories = FAMILY_RECORD_CATEGORIES.filter((c) => records.some((r) => r.category === c));
  return { type: 'PersonalDataErased', data: { erasureId, keyRefs: records.map((r) => r.keyRef), subjects, categories, on, rule, requestId, ...stamp(ctx) } };
}

function scheduleInForce(value: unknown, day: LocalDate): RetentionSchedule {
  if (value === undefined || value === null) throw new InvalidInput('schedule', 'is required: the retention schedule in force, filled by the application');
  const schedule = validateRetentionSchedule(value);
  if (schedule.effectiveFrom > day) throw new RetentionScheduleNotInForce(schedule.id, schedule.version, schedule.effectiveFrom);
  return schedule;
}

/** A key ref of the catalogue's vocabulary (parseKeyRef): `<prefix>/<record id>`, `appeal/…` included. */
function requireKeyRef(value: unknown, field: string): string {
  const keyRef = typeof value === 'string' ? value : '';
  const parsed = parseKeyRef(keyRef);
  if (!parsed) throw new InvalidInput(field, "must be a key ref '<prefix>/<id>' (identity, need, consent, decision, appeal, payment, letter or case)");
  requireId(parsed.id, field);
  return keyRef;
}

/**
 * The data subject asks, or someone acting for them: for a member under 18 a holder of parental
 * responsibility (barneloven ch. 5), or a representative with an authorisation (fvl § 12).
 */
function requireRequester(state: FamilyState, memberId: string, value: unknown, day: LocalDate): ErasureRequester {
  const input = (value ?? {}) as Partial<Record<string, unknown>>;
  if (input.representative !== undefined)
    return { kind: 'representative', representative: requireText(input.representative, 'requestedBy.representative', 200) };
  const requester = requireMember(state, input.memberId, 'requestedBy.memberId', 'allowed');
  if (requester.memberId === memberId) return { kind: 'member', memberId };
  if (ageOn(state.members[memberId].birthDate, day) >= ADULT_AGE) {
    throw new ErasureRequesterNotPermitted(
      memberId,
      requester.memberId,
      'from 18 a person asks for themself, or through a representative with an authorisation.',
    );
  }
  if (state.parentalResponsibility[`${memberId}:${requester.memberId}`]?.active !== true) {
    throw new ErasureRequesterNotPermitted(
      memberId,
      requester.memberId,
      'for a child, only a person recorded with parental responsibility (barneloven ch. 5) may ask.',
    );
  }
  return { kind: 'member', memberId: requester.memberId };
}

function sameSet(a: string[], b: string[]): boolean {
  return a.length === b.length && new Set([...a, ...b]).size === a.length;
}
