import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { parse } from 'yaml';
import type { FamilyEvent } from '../family/family.events';
import { foldFamily } from '../family/family.evolve';
import type { ActorRef } from '../shared/actor';
import { UNITS } from '../shared/units';
import type { PersonalDataErased } from './erasure.types';
import { DAY, history, historyStepsArb, START, stepArb } from './testing/random-history';
import { planRetention } from './retention-planner';
import { ANCHORS_BY_CATEGORY, RECORD_CATEGORIES, validateRetentionSchedule } from './retention-schedule';

/**
 * The retention oracle. Random family histories (raw events over several years: parts gained,
 * closed and regained, needs, consents given and withdrawn, decisions through their statuses and
 * appeals, payments, reversals and abandonments, letters, plans, enrolments, referrals, members joining and
 * leaving, and erasures of random records) and random days. The oracle below reads only the raw
 * events and the schedule document as written (YAML parsed to plain data, or a random document),
 * and computes what is due with its own date arithmetic; the planner, on the folded state and the
 * validated schedule, must agree exactly. Then the plan is erased and planning again gives nothing.
 *
 * Seedable: FC_SEED=<n> (and FC_PATH) replay a failure; FC_RUNS overrides the run count.
 */

type RawEntry = {
  id: string;
  category: string;
  units?: string[];
  anchor: string;
  period?: { years?: number; months?: number; days?: number };
  action: string;
  provision: string;
  description: { nb: string; en: string };
};
type RawSchedule = { id: string; version: number; name: string; effectiveFrom: string; entries: RawEntry[] } & Record<string, unknown>;

const SHIPPED = parse(readFileSync(join(__dirname, '..', '..', '..', 'rules', 'retention', 'trondheim-retention-2026.yaml'), 'utf8')) as RawSchedule;

// ---------------------------------------------------------------- the oracle

type Due = { keyRef: string; category: string; subjects: string[]; ruleId: string; anchor: string; anchorDate: string; keptUntil: string };

function daysIn(year: number, month: number): number {
  if (month === 2) return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0 ? 29 : 28;
  return [4, 6, 9, 11].includes(month) ? 30 : 31;
}

/** Years and months on the calendar (the day cut to the month's length), then days one at a time. */
function plus(date: string, period: { years?: number; months?: number; days?: number }): string {
  let [y, m, d] = date.split('-').map(Number);
  const months = m - 1 + (period.years ?? 0) * 12 + (period.months ?? 0);
  y += Math.floor(months / 12);
  m = (months % 12) + 1;
  d = Math.min(d, daysIn(y, m));
  for (let i = 0; i < (period.days ?? 0); i++) {
    d += 1;
    if (d > daysIn(y, m)) [d, m] = [1, m + 1];
    if (m > 12) [m, y] = [1, y + 1];
  }
  return `${y}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`;
}

/** The day before (a boundary day + 0..2, minus one: the day before, on, or after it). */
const minusDay = (date: string) => new Date(Date.parse(`${date}T00:00:00Z`) - 86_400_000).toISOString().slice(0, 10);
const later = (a: string | null, b: string | null) => (a === null ? b : b === null ? a : a > b ? a : b);

type OracleRecord = { category: string; subjects: Set<string>; units: Set<string>; anchors: Record<string, string | null> };

function oracle(events: FamilyEvent[], schedule: RawSchedule, today: string): Due[] {
  return oracleOf(events, schedule, today).due;
}

/** What is due on `today`, and every record's last kept day (to test the days around them). */
function oracleOf(events: FamilyEvent[], schedule: RawSchedule, today: string): { due: Due[]; boundaries: string[] } {
  const day = (at: string) => at.slice(0, 10); // the generator stamps 09:00 UTC: the same day in Oslo
  const records = new Map<string, OracleRecord>();
  const record = (keyRef: string, category: string) => {
    if (!records.has(keyRef)) records.set(keyRef, { category, subjects: new Set(), units: new Set(), anchors: {} });
    return records.get(keyRef)!;
  };
  const parts = new Map<string, boolean>();
  let lastClosing: string | null = null;
  const erased = new Set<string>();
  const consents = new Map<string, { withdrawn: string | null; until: string | null }>();
  const decisions = new Map<string, { status: string; lastAct: string; memberIds: string[] }>();
  const appealOf = new Map<string, string>();
  const decisionUnit = new Map<string, string>();
  const openAppeals = new Set<string>();
  const lastBooking = new Map<string, string>();
  const letters = new Map<string, string[]>();
  // A referral's last text: its recording, or the decline (open referrals wait for their answer).
  const referrals = new Map<string, { open: boolean; lastText: string }>();
  const familyTexts = new Set<string>();
  const unitOf = (by: ActorRef) => by.unit;

  for (const event of events) {
    const d = event.data as Record<string, unknown> & { at: string; by: ActorRef };
    switch (event.type) {
      case 'FamilyRegistered':
        parts.set(unitOf(event.data.by)!, true);
        for (const m of event.data.members) record(`identity/${m.memberId}`, 'identity').subjects.add(m.memberId);
        break;
      case 'MemberJoined':
        record(`identity/${event.data.member.memberId}`, 'identity').subjects.add(event.data.member.memberId);
        break;
      case 'ReferralRecorded': {
        const r = record(`case/${event.data.referralId}`, 'case');
        event.data.memberIds.forEach((m) => r.subjects.add(m));
        [event.data.fromUnit, event.data.toUnit].forEach((u) => r.units.add(u));
        referrals.set(event.data.referralId, { open: true, lastText: day(d.at) });
        break;
      }
      case 'ReferralAccepted':
        parts.set(event.data.unit, true);
        referrals.set(event.data.referralId, { open: false, lastText: day(d.at) });
        break;
      case 'ReferralDeclined':
        referrals.set(event.data.referralId, { open: false, lastText: day(d.at) });
        break;
      case 'InvolvementClosed':
        parts.set(event.data.unit, false);
        lastClosing = day(d.at);
        // The family-level texts have a key per append: the stamp's instant.
        familyTexts.add(`case/family:${d.at}`);
        record(`case/family:${d.at}`, 'case');
        break;
      case 'MemberLeft':
        if (event.data.reason !== null) {
          familyTexts.add(`case/family:${d.at}`);
          record(`case/family:${d.at}`, 'case').subjects.add(event.data.memberId);
        }
        break;
      case 'NeedExpressed': {
        const r = record(`need/${event.data.needId}`, 'need');
        if (event.data.memberId) r.subjects.add(event.data.memberId);
        if (event.data.recordedBy.kind === 'unit') r.units.add(event.data.recordedBy.unit);
        break;
      }
      case 'NeedPickedUp':
        record(`need/${event.data.needId}`, 'need').units.add(event.data.unit);
        break;
      case 'ConsentGiven': {
        const r = record(`consent/${event.data.consentId}`, 'consent');
        [event.data.memberId, event.data.givenByMemberId].forEach((m) => r.subjects.add(m));
        [unitOf(event.data.by), ...(event.data.sourceUnits ?? []), ...event.data.toUnits].forEach((u) => u && r.units.add(u));
        consents.set(event.data.consentId, { withdrawn: null, until: event.data.validUntil });
        break;
      }
      case 'ConsentWithdrawn': {
        if (event.data.expressedByMemberId) record(`consent/${event.data.consentId}`, 'consent').subjects.add(event.data.expressedByMemberId);
        consents.get(event.data.consentId)!.withdrawn = event.data.effectiveFrom;
        break;
      }
      case 'DecisionProposed': {
        const r = record(`decision/${event.data.decisionId}`, 'decision');
        event.data.memberIds.forEach((m) => r.subjects.add(m));
        r.units.add(event.data.unit);
        decisions.set(event.data.decisionId, { status: 'proposed', lastAct: day(d.at), memberIds: event.data.memberIds });
        decisionUnit.set(event.data.decisionId, event.data.unit);
        break;
      }
      case 'NotificationSent':
        record(`decision/${event.data.decisionId}`, 'decision').subjects.add(event.data.recipientMemberId);
        break;
      case 'PaymentRecorded': {
        const r = record(`payment/${event.data.paymentId}`, 'payment');
        r.subjects.add(event.data.recipientMemberId);
        if (event.data.funding.kind === 'unit') r.units.add(event.data.funding.unit);
        if (unitOf(event.data.by)) r.units.add(unitOf(event.data.by)!);
        lastBooking.set(event.data.paymentId, event.data.paidOn);
        break;
      }
      case 'PaymentReversed':
        lastBooking.set(event.data.paymentId, later(lastBooking.get(event.data.paymentId)!, event.data.reversedOn)!);
        break;
      case 'PaymentAbandoned': {
        // Abandoned before it was recorded: the spend's texts in the budget stream are under this key; the abandonment is its last booking.
        if (lastBooking.has(event.data.paymentId)) break;
        const r = record(`payment/${event.data.paymentId}`, 'payment');
        if (event.data.recipientMemberId) r.subjects.add(event.data.recipientMemberId);
        if (unitOf(event.data.by)) r.units.add(unitOf(event.data.by)!);
        lastBooking.set(event.data.paymentId, day(d.at));
        break;
      }
      case 'LetterIssued': {
        const r = record(`letter/${event.data.letterId}`, 'letter');
        event.data.copies.forEach((c) => r.subjects.add(c.recipientMemberId));
        r.units.add(event.data.issuingUnit);
        letters.set(event.data.letterId, event.data.decisionIds);
        break;
      }
      case 'FamilyPlanRecorded': {
        const r = record(`case/${event.data.planId}`, 'case');
        event.data.memberIds.forEach((m) => r.subjects.add(m));
        [...event.data.responsibilities.map((x) => x.unit), ...event.data.goals.flatMap((g) => g.answeredBy), event.data.coordinator.unit].forEach((u) =>
          r.units.add(u),
        );
        break;
      }
      case 'FamilyEnrolled': {
        const r = record(`pending-enrolment/${event.data.enrolmentId}`, 'case');
        event.data.memberIds.forEach((m) => r.subjects.add(m));
        r.units.add(event.data.responsibleUnit);
        break;
      }
      case 'EnrolmentEnded': {
        // The enrolment's key holds text only once it ended (EnrolmentEnded carries the reason).
        const pending = records.get(`pending-enrolment/${event.data.enrolmentId}`)!;
        records.delete(`pending-enrolment/${event.data.enrolmentId}`);
        records.set(`case/${event.data.enrolmentId}`, pending);
        break;
      }
      case 'AppealReceived':
      case 'AppealRegistered': {
        const decisionId = event.data.decisionId;
        appealOf.set(event.data.appealId, decisionId);
        openAppeals.add(event.data.appealId);
        const appellant =
          event.type === 'AppealReceived'
            ? event.data.appellantMemberId
            : event.data.appellant.kind === 'member'
              ? event.data.appellant.memberId
              : event.data.appellant.forMemberId;
        // An appeal's texts have their own key, in the decision category, with the decision's unit.
        const r = record(`appeal/${event.data.appealId}`, 'decision');
        if (appellant) r.subjects.add(appellant);
        r.units.add(decisionUnit.get(decisionId)!);
        if (event.type === 'AppealReceived') decisions.get(decisionId)!.status = 'under-appeal';
        break;
      }
      case 'AppealDecided':
      case 'AppealWithdrawn':
        openAppeals.delete(event.data.appealId);
        if (event.type === 'AppealDecided') decisions.get(event.data.decisionId)!.status = 'active';
        break;
      case 'PersonalDataErased':
        event.data.keyRefs.forEach((k) => erased.add(k));
        break;
      default:
        break;
    }
    // Decision statuses and their last act (the events of a decision's history that the generator writes).
    const decisionId = (d.decisionId as string | undefined) ?? appealOf.get(d.appealId as string);
    const decision = decisionId ? decisions.get(decisionId) : undefined;
    if (decision && event.type !== 'DecisionProposed') {
      decision.lastAct = day(d.at);
      const status = { DecisionApproved: 'active', DecisionRejected: 'rejected', DecisionExpired: 'expired', DecisionRevoked: 'revoked' }[event.type as string];
      if (status) decision.status = status;
    }
  }

  const closed = parts.size > 0 && [...parts.values()].every((active) => !active) ? lastClosing : null;
  const allPartUnits = [...parts.keys()];
  records.set('case/family', { category: 'case', subjects: new Set(), units: new Set(), anchors: {} });
  const finalOn = (id: string) => {
    const d = decisions.get(id)!;
    const open = [...openAppeals].some((a) => appealOf.get(a) === id);
    return ['rejected', 'expired', 'revoked'].includes(d.status) && !open ? d.lastAct : null;
  };
  for (const [keyRef, r] of [...records]) {
    if (keyRef.startsWith('pending-enrolment/')) {
      records.delete(keyRef);
      continue;
    }
    const id = keyRef.slice(keyRef.indexOf('/') + 1);
    r.anchors['case-closed'] = closed;
    if (r.category === 'identity' || keyRef === 'case/family' || familyTexts.has(keyRef)) allPartUnits.forEach((u) => r.units.add(u));
    const referral = keyRef.startsWith('case/') ? referrals.get(id) : undefined;
    // A referral's period runs from the later of the closing and its answer; while open, not at all.
    if (referral) r.anchors['case-closed'] = referral.open || closed === null ? null : later(closed, referral.lastText);
    if (r.category === 'consent') {
      const c = consents.get(id)!;
      const expired = c.until === null ? null : plus(c.until, { days: 1 });
      r.anchors['consent-ended'] = c.withdrawn !== null && (expired === null || c.withdrawn < expired) ? c.withdrawn : (expired ?? closed);
    }
    if (r.category === 'payment') r.anchors['payment-year-end'] = `${lastBooking.get(id)!.slice(0, 4)}-12-31`;
    if (keyRef.startsWith('decision/')) r.anchors['decision-final'] = finalOn(id);
    if (keyRef.startsWith('appeal/')) r.anchors['decision-final'] = finalOn(appealOf.get(id)!);
    if (r.category === 'letter') {
      const ids = letters.get(id)!;
      ids.forEach((decisionId) => decisions.get(decisionId)!.memberIds.forEach((m) => r.subjects.add(m)));
      const finals = ids.map(finalOn);
      r.anchors['decision-final'] = finals.every((f) => f !== null) ? finals.reduce(later, null) : null;
    }
  }

  // Each record's entry: the first of its category naming one of its units, or naming none.
  const entryOf = (r: OracleRecord) => schedule.entries.find((e) => e.category === r.category && (!e.units || e.units.some((u) => r.units.has(u))))!;
  const verdict = new Map<string, Due | 'not-due' | 'erased'>();
  const boundaries: string[] = [];
  for (const [keyRef, r] of records) {
    const e = entryOf(r);
    const anchorDate = r.anchors[e.anchor] ?? null;
    if (e.action === 'erase' && anchorDate !== null) boundaries.push(anchorDate, plus(anchorDate, e.period ?? {}));
    if (erased.has(keyRef)) verdict.set(keyRef, 'erased');
    else if (e.action !== 'erase' || anchorDate === null || anchorDate > today || plus(anchorDate, e.period ?? {}) >= today) verdict.set(keyRef, 'not-due');
    else {
      const ruleId = `${schedule.id}@v${schedule.version}/${e.id}`;
      verdict.set(keyRef, {
        keyRef,
        category: r.category,
        subjects: [...r.subjects].sort(),
        ruleId,
        anchor: e.anchor,
        anchorDate,
        keptUntil: plus(anchorDate, e.period ?? {}),
      });
    }
  }
  // Identity last: due only when every other record naming the member is erased or due.
  const due = [...verdict.values()]
    .filter((v): v is Due => typeof v === 'object')
    .filter(
      (v) =>
        v.category !== 'identity' ||
        [...records].every(([k, r]) => r.category === 'identity' || !r.subjects.has(v.subjects[0]) || verdict.get(k) !== 'not-due'),
    )
    .sort((a, b) => (a.keyRef < b.keyRef ? -1 : 1));
  return { due, boundaries };
}

/** A random valid schedule document: per category a few unit-scoped entries, then a catch-all, in random order of categories. */
const scheduleArb: fc.Arbitrary<RawSchedule> = fc
  .tuple(
    fc.shuffledSubarray([...RECORD_CATEGORIES], { minLength: RECORD_CATEGORIES.length }),
    fc.array(
      fc.record({
        scoped: fc.array(fc.subarray([...UNITS], { minLength: 1, maxLength: 2 }), { maxLength: 2 }),
        anchor: fc.nat(),
        erase: fc.boolean(),
        period: fc.record({ years: fc.nat({ max: 4 }), months: fc.nat({ max: 14 }), days: fc.nat({ max: 70 }) }, { requiredKeys: [] }),
        actions: fc.array(fc.boolean(), { minLength: 3, maxLength: 3 }),
      }),
      { minLength: RECORD_CATEGORIES.length, maxLength: RECORD_CATEGORIES.length },
    ),
  )
  .map(([categories, picks]) => ({
    id: 'random',
    version: 3,
    name: 'Random',
    effectiveFrom: '2020-01-01',
    entries: categories.flatMap((category, c) => {
      const p = picks[c];
      const anchors = ANCHORS_BY_CATEGORY[category];
      const entry = (id: string, erase: boolean, units?: string[]): RawEntry => ({
        id,
        category,
        ...(units ? { units } : {}),
        anchor: anchors[p.anchor % anchors.length],
        ...(erase ? { period: Object.keys(p.period).length > 0 ? p.period : { days: 0 } } : {}),
        action: erase ? 'erase' : 'keep',
        provision: 'P',
        description: { nb: 'N', en: 'E' },
      });
      const scoped = category === 'read-audit' ? [] : p.scoped;
      return [...scoped.map((units, k) => entry(`${category}-${k}`, p.actions[k], units)), entry(category, p.erase)];
    }),
  }));

describe('retention planner against the oracle', () => {
  const runs = Number(process.env.FC_RUNS ?? 1000);
  const dayArb = fc.nat({ max: 16 * 365 }).map((d) => new Date(START + d * DAY).toISOString().slice(0, 10));

  it('plans exactly what the oracle computes from the raw events and the schedule document, and nothing once the plan is erased', () => {
    fc.assert(
      fc.property(
        historyStepsArb,
        fc.oneof({ arbitrary: fc.constant(SHIPPED), weight: 1 }, { arbitrary: scheduleArb, weight: 3 }),
        dayArb,
        fc.nat(),
        fc.nat({ max: 3 }),
        (steps, raw, randomDay, k, shift) => {
          const events = history(steps);
          const schedule = validateRetentionSchedule(raw);
          // Half the runs plan on a day around a record's anchor or last kept day (the day before, on, after), else any day.
          const { boundaries } = oracleOf(events, raw, randomDay);
          const today =
            shift === 3 || boundaries.length === 0 ? randomDay : plus(boundaries[k % boundaries.length], { days: shift }).replace(/.*/, (d) => minusDay(d));
          const plan = planRetention(foldFamily(events), schedule, today);
          const expected = oracle(events, raw, today);
          expect(plan.map(({ rule: _rule, ...due }) => due).sort((a, b) => (a.keyRef < b.keyRef ? -1 : 1))).toEqual(expected);
          if (plan.length === 0) return;
          const erased: PersonalDataErased = {
            type: 'PersonalDataErased',
            data: {
              erasureId: 'plan',
              keyRefs: plan.map((d) => d.keyRef),
              subjects: [],
              categories: [],
              on: today,
              rule: null,
              requestId: null,
              at: `${today}T09:00:00.000Z`,
              by: { userId: 'job', role: 'caseworker', unit: null, partnerOrganisation: null },
            },
          };
          expect(planRetention(foldFamily([...events, erased]), schedule, today)).toEqual([]);
          expect(oracle([...events, erased], raw, today)).toEqual([]);
        },
      ),
      {
        numRuns: runs,
        seed: process.env.FC_SEED ? Number(process.env.FC_SEED) : undefined,
        path: process.env.FC_PATH,
      },
    );
  });

  it('finds due records in most generated histories (the generator reaches closed cases and ended consents)', () => {
    const sample = fc.sample(fc.tuple(fc.array(stepArb, { minLength: 30, maxLength: 70 }), dayArb), { numRuns: 200, seed: 17 });
    const withDue = sample.filter(([steps, today]) => planRetention(foldFamily(history(steps)), validateRetentionSchedule(SHIPPED), today).length > 0);
    const closedCases = sample.filter(([steps]) => Object.values(foldFamily(history(steps)).parts).every((p) => !p.active));
    expect(withDue.length).toBeGreaterThan(40);
    expect(closedCases.length).toBeGreaterThan(10);
  });
});
