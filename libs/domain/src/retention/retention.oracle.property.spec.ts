import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { parse } from 'yaml';
import type { FamilyEvent } from '../family/family.events';
import { foldFamily } from '../family/family.evolve';
import type { ActorRef } from '../shared/actor';
import { UNITS, type Unit } from '../shared/units';
import type { PersonalDataErased } from './erasure.types';
import { planRetention } from './retention-planner';
import { ANCHORS_BY_CATEGORY, RECORD_CATEGORIES, validateRetentionSchedule } from './retention-schedule';

/**
 * The retention oracle. Random family histories (raw events over several years: parts gained,
 * closed and regained, needs, consents given and withdrawn, decisions through their statuses and
 * appeals, payments and reversals, letters, plans, enrolments, referrals, members joining and
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
        break;
      }
      case 'ReferralAccepted':
        parts.set(event.data.unit, true);
        break;
      case 'InvolvementClosed':
        parts.set(event.data.unit, false);
        lastClosing = day(d.at);
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
    if (r.category === 'identity' || keyRef === 'case/family') allPartUnits.forEach((u) => r.units.add(u));
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

// ---------------------------------------------------------------- random histories

const START = Date.UTC(2023, 5, 1, 9);
const DAY = 86_400_000;
const KINDS = [
  'MemberJoined',
  'MemberLeft',
  'Refer',
  'ReferralDeclined',
  'InvolvementClosed',
  'NeedExpressed',
  'NeedPickedUp',
  'NeedClosed',
  'ConsentGiven',
  'ConsentWithdrawn',
  'DecisionProposed',
  'DecisionApproved',
  'DecisionEnded',
  'AppealReceived',
  'AppealDecided',
  'AppealRegistered',
  'AppealWithdrawn',
  'NotificationSent',
  'PaymentRecorded',
  'PaymentReversed',
  'LetterIssued',
  'FamilyPlanRecorded',
  'FamilyEnrolled',
  'EnrolmentEnded',
  'Erase',
] as const;
/** Decisions, appeals and consents need several steps to reach each state: they come up more often. */
const WEIGHTED: (typeof KINDS)[number][] = [
  ...KINDS,
  ...KINDS.filter((k) => k.startsWith('Decision') || k.startsWith('Appeal') || k.startsWith('Consent')),
  ...KINDS.filter((k) => k.startsWith('Decision') || k === 'AppealRegistered'),
];
type Step = { kind: number; pick: number; unit: number; flag: boolean; days: number; n: number };
const stepArb: fc.Arbitrary<Step> = fc.record({
  kind: fc.nat({ max: WEIGHTED.length - 1 }),
  pick: fc.nat({ max: 1000 }),
  unit: fc.nat({ max: UNITS.length - 1 }),
  flag: fc.boolean(),
  days: fc.nat({ max: 150 }),
  n: fc.nat({ max: 1200 }),
});

function history(steps: Step[]): FamilyEvent[] {
  let now = START;
  const dayOf = (ms: number) => new Date(ms).toISOString().slice(0, 10);
  const stampOf = (unit: Unit) => ({
    at: new Date(now).toISOString(),
    by: { userId: `${unit}-u`, role: 'caseworker' as const, unit, partnerOrganisation: null },
  });
  const member = (memberId: string, adult: boolean) => ({
    memberId,
    name: memberId,
    birthDate: adult ? '1985-01-01' : '2015-01-01',
    role: adult ? ('adult' as const) : ('child' as const),
    nationalId: null,
    preferredLanguage: null,
    protectedAddress: false,
    addressProtection: 'none' as const,
  });
  const members = new Map<string, boolean>([
    ['m-a', true],
    ['m-b', true],
    ['m-c', true],
  ]);
  const parts = new Map<Unit, boolean>([['NAV', true]]);
  const events: FamilyEvent[] = [
    {
      type: 'FamilyRegistered',
      data: {
        familyId: 'f',
        district: 'D',
        registeredOn: dayOf(now),
        members: [member('m-a', true), member('m-b', true), member('m-c', false)],
        parentalResponsibility: [{ childId: 'm-c', holderId: 'm-a', basis: 'birth-registration', documentRef: null }],
        ...stampOf('NAV'),
      },
    },
  ];
  const open = { needs: [] as string[], consents: [] as string[], referrals: [] as [string, Unit][], enrolments: [] as string[] };
  const decisions = new Map<string, { status: string; unit: Unit; memberIds: string[] }>();
  const appeals = new Map<string, { decisionId: string; legacy: boolean }>();
  const payments: string[] = [];
  const reversed = new Set<string>();
  const keyRefs: string[] = ['identity/m-a', 'identity/m-b', 'identity/m-c', 'case/family'];
  const delegation = { ruleSetId: 'r', ruleSetVersion: 1, ruleId: 'x' };

  steps.forEach((step, i) => {
    now += step.days * DAY;
    const day = dayOf(now);
    const pick = <T>(list: readonly T[]): T | undefined => (list.length > 0 ? list[step.pick % list.length] : undefined);
    const active = [...parts].filter(([, a]) => a).map(([u]) => u);
    const unit = pick(active);
    const memberIds = [...members.keys()];
    // Picked apart from the record (step.pick) so that a member acting on a record is often another one.
    const memberId = memberIds[step.n % memberIds.length];
    const push = (event: FamilyEvent) => events.push(event);
    switch (WEIGHTED[step.kind]) {
      case 'MemberJoined':
        if (!unit) break;
        members.set(`m-${i}`, step.flag);
        keyRefs.push(`identity/m-${i}`);
        push({ type: 'MemberJoined', data: { member: member(`m-${i}`, step.flag), joinedOn: day, ...stampOf(unit) } });
        break;
      case 'MemberLeft':
        if (unit) push({ type: 'MemberLeft', data: { memberId, leftOn: day, reason: step.flag ? 'moved' : null, ...stampOf(unit) } });
        break;
      case 'Refer': {
        // A unit without an active part is referred and accepts at once; with no part left the case reopens.
        const from = unit ?? 'NAV';
        const to = UNITS.filter((u) => !parts.get(u))[step.unit % Math.max(1, UNITS.filter((u) => !parts.get(u)).length)];
        if (!to) break;
        push({
          type: 'ReferralRecorded',
          data: { referralId: `ref-${i}`, fromUnit: from, toUnit: to, memberIds: [memberId], reason: 'r', ground: 'consent', consentIds: [], ...stampOf(from) },
        });
        keyRefs.push(`case/ref-${i}`);
        if (step.flag) {
          push({ type: 'ReferralAccepted', data: { referralId: `ref-${i}`, unit: to, since: day, ...stampOf(to) } });
          parts.set(to, true);
        } else open.referrals.push([`ref-${i}`, to]);
        break;
      }
      case 'ReferralDeclined': {
        const referral = pick(open.referrals);
        if (!referral) break;
        open.referrals.splice(open.referrals.indexOf(referral), 1);
        push({ type: 'ReferralDeclined', data: { referralId: referral[0], unit: referral[1], reason: 'no', ...stampOf(referral[1]) } });
        break;
      }
      case 'InvolvementClosed':
        if (!unit) break;
        push({ type: 'InvolvementClosed', data: { unit, reason: 'done', contactPersonIds: [], ...stampOf(unit) } });
        parts.set(unit, false);
        break;
      case 'NeedExpressed':
        if (!unit) break;
        push({
          type: 'NeedExpressed',
          data: {
            needId: `n-${i}`,
            memberId: step.flag ? memberId : null,
            words: 'w',
            expressedOn: day,
            recordedBy: { kind: 'unit', unit, userId: 'u' },
            ...stampOf(unit),
          },
        });
        open.needs.push(`n-${i}`);
        keyRefs.push(`need/n-${i}`);
        break;
      case 'NeedPickedUp': {
        const needId = pick(open.needs);
        if (unit && needId) push({ type: 'NeedPickedUp', data: { needId, unit, ...stampOf(unit) } });
        break;
      }
      case 'NeedClosed': {
        const needId = pick(open.needs);
        if (!unit || !needId) break;
        open.needs.splice(open.needs.indexOf(needId), 1);
        push(
          step.flag
            ? { type: 'NeedResolved', data: { needId, decisionIds: [], paymentIds: [], resolution: null, ...stampOf(unit) } }
            : { type: 'NeedWithdrawn', data: { needId, reason: null, ...stampOf(unit) } },
        );
        break;
      }
      case 'ConsentGiven': {
        if (!unit) break;
        const giver = step.n % 3 === 0 && memberId === 'm-c' ? 'm-a' : memberId;
        push({
          type: 'ConsentGiven',
          data: {
            consentId: `c-${i}`,
            memberId,
            givenByMemberId: giver,
            givenAsGuardian: giver !== memberId,
            kind: 'information-sharing',
            sourceUnits: step.flag ? [unit] : null,
            toUnits: [UNITS[(UNITS.indexOf(unit) + 1 + (step.n % 4)) % UNITS.length]],
            dataCategories: ['needs'],
            purpose: 'p',
            validFrom: day,
            // A schema 1 consent has no end; otherwise from today up to three months or three years on (often withdrawn after it ended).
            validUntil: step.n % 7 === 0 ? null : dayOf(now + (step.n % (step.flag ? 1100 : 90)) * DAY),
            evidence: null,
            ...stampOf(unit),
          },
        });
        open.consents.push(`c-${i}`);
        keyRefs.push(`consent/c-${i}`);
        break;
      }
      case 'ConsentWithdrawn': {
        const consentId = pick(open.consents);
        if (!unit || !consentId) break;
        open.consents.splice(open.consents.indexOf(consentId), 1);
        push({
          type: 'ConsentWithdrawn',
          data: {
            consentId,
            effectiveFrom: day,
            reason: null,
            expressedByMemberId: step.flag ? memberId : null,
            channel: 'orally',
            alertedUnits: [],
            ...stampOf(unit),
          },
        });
        break;
      }
      case 'DecisionProposed': {
        if (!unit) break;
        const ids = [memberId, ...(step.flag ? [pick([...memberIds].reverse())!] : [])].filter((m, k, all) => all.indexOf(m) === k);
        push({
          type: 'DecisionProposed',
          data: {
            decisionId: `d-${i}`,
            unit,
            decisionType: 'municipal-housing',
            memberIds: ids,
            legalBasis: null,
            periodFrom: day,
            periodUntil: dayOf(now + 180 * DAY),
            amounts: { monthlyAmountOre: null, oneOffAmountOre: null },
            reasons: { rulesApplied: ['x'], facts: 'f', mainConsiderations: null, summary: 's' },
            outcome: 'granted',
            childViews: null,
            enkeltvedtak: true,
            fourEyes: false,
            subProject: null,
            delegation,
            ...stampOf(unit),
          },
        });
        decisions.set(`d-${i}`, { status: 'proposed', unit, memberIds: ids });
        keyRefs.push(`decision/d-${i}`);
        break;
      }
      case 'DecisionApproved': {
        const decisionId = pick([...decisions].filter(([, d]) => d.status === 'proposed').map(([id]) => id));
        if (!decisionId) break;
        const u = decisions.get(decisionId)!.unit;
        if (step.flag) {
          push({ type: 'DecisionApproved', data: { decisionId, decidedOn: day, effectiveFrom: day, delegation, ...stampOf(u) } });
          decisions.get(decisionId)!.status = 'active';
        } else {
          push({ type: 'DecisionRejected', data: { decisionId, reason: 'no', delegation, ...stampOf(u) } });
          decisions.get(decisionId)!.status = 'rejected';
        }
        break;
      }
      case 'DecisionEnded': {
        const decisionId = pick([...decisions].filter(([, d]) => d.status === 'active').map(([id]) => id));
        if (!decisionId) break;
        const u = decisions.get(decisionId)!.unit;
        push(
          step.flag
            ? { type: 'DecisionExpired', data: { decisionId, periodUntil: day, delegation, ...stampOf(u) } }
            : { type: 'DecisionRevoked', data: { decisionId, reason: 'r', delegation, effectiveFrom: day, ground: null, advanceNotice: null, ...stampOf(u) } },
        );
        decisions.get(decisionId)!.status = step.flag ? 'expired' : 'revoked';
        break;
      }
      case 'AppealReceived': {
        const decisionId = pick([...decisions].filter(([, d]) => d.status === 'active').map(([id]) => id));
        if (!decisionId) break;
        const d = decisions.get(decisionId)!;
        push({
          type: 'AppealReceived',
          data: {
            appealId: `a-${i}`,
            decisionId,
            appellantMemberId: step.flag ? memberId : null,
            grounds: 'g',
            receivedDate: day,
            deadline: day,
            late: false,
            lateExcuse: null,
            ...stampOf(d.unit),
          },
        });
        d.status = 'under-appeal';
        appeals.set(`a-${i}`, { decisionId, legacy: true });
        break;
      }
      case 'AppealDecided': {
        const appealId = pick([...appeals].filter(([, a]) => a.legacy).map(([id]) => id));
        if (!appealId) break;
        const { decisionId } = appeals.get(appealId)!;
        appeals.delete(appealId);
        push({ type: 'AppealDecided', data: { appealId, decisionId, outcome: 'upheld', reasons: 'r', ...stampOf(decisions.get(decisionId)!.unit) } });
        decisions.get(decisionId)!.status = 'active';
        break;
      }
      case 'AppealRegistered': {
        const decisionId = pick([...decisions].filter(([, d]) => ['active', 'expired', 'revoked'].includes(d.status)).map(([id]) => id));
        if (!decisionId) break;
        const appellant = step.flag ? { kind: 'member' as const, memberId } : { kind: 'representative' as const, representative: 'R', forMemberId: memberId };
        push({
          type: 'AppealRegistered',
          data: {
            appealId: `a-${i}`,
            decisionId,
            againstDismissalOf: null,
            appellant,
            receivedOn: day,
            postedOn: null,
            channel: 'post',
            grounds: 'g',
            signed: true,
            ...stampOf(decisions.get(decisionId)!.unit),
          },
        });
        appeals.set(`a-${i}`, { decisionId, legacy: false });
        break;
      }
      case 'AppealWithdrawn': {
        const appealId = pick([...appeals].filter(([, a]) => !a.legacy).map(([id]) => id));
        if (!appealId) break;
        const { decisionId } = appeals.get(appealId)!;
        appeals.delete(appealId);
        push({ type: 'AppealWithdrawn', data: { appealId, withdrawnOn: day, note: null, ...stampOf(decisions.get(decisionId)!.unit) } });
        break;
      }
      case 'NotificationSent': {
        const decisionId = pick([...decisions].filter(([, d]) => d.status !== 'proposed' && d.status !== 'rejected').map(([id]) => id));
        if (!decisionId) break;
        push({
          type: 'NotificationSent',
          data: {
            notificationId: `nt-${i}`,
            subject: { kind: 'decision', id: decisionId },
            decisionId,
            recipientMemberId: memberId,
            channel: 'post',
            language: 'nb',
            sentOn: day,
            documentRef: null,
            informs: {
              appealRight: true,
              deadlineWeeks: 3,
              appealBody: 'statsforvalteren',
              appealProvision: 'fvl § 28',
              procedure: 'p',
              documentAccess: 'd',
              suspension: 's',
            },
            ...stampOf(decisions.get(decisionId)!.unit),
          },
        });
        break;
      }
      case 'PaymentRecorded':
        if (!unit) break;
        push({
          type: 'PaymentRecorded',
          data: {
            paymentId: `p-${i}`,
            recipientMemberId: memberId,
            amountOre: 100,
            method: 'bank-transfer',
            funding: step.flag ? { kind: 'unit', unit } : { kind: 'sub-project', subProjectId: 'sp' },
            answersNeedId: null,
            answersDecisionId: null,
            documentationRef: 'doc',
            // Paid up to a year before it is recorded: a year end can fall between.
            paidOn: dayOf(now - (step.n % 365) * DAY),
            countsAsIncome: false,
            ...stampOf(unit),
          },
        });
        payments.push(`p-${i}`);
        keyRefs.push(`payment/p-${i}`);
        break;
      case 'PaymentReversed': {
        const paymentId = pick(payments.filter((p) => !reversed.has(p)));
        if (!unit || !paymentId) break;
        reversed.add(paymentId);
        push({ type: 'PaymentReversed', data: { paymentId, amountOre: 100, reversedOn: day, reason: 'r', ...stampOf(unit) } });
        break;
      }
      case 'LetterIssued': {
        const approved = [...decisions].filter(([, d]) => d.status !== 'proposed' && d.status !== 'rejected').map(([id]) => id);
        const first = pick(approved);
        if (!unit || !first) break;
        const decisionIds = [first, ...(step.n % 3 !== 0 ? approved.filter((id) => id !== first).slice(-1) : [])];
        push({
          type: 'LetterIssued',
          data: {
            letterId: `l-${i}`,
            decisionIds,
            templateVersion: 't',
            language: null,
            issuedOn: day,
            issuingUnit: unit,
            copies: [{ recipientMemberId: memberId, sha256: 'h', language: 'nb', decisionIds }],
            ...stampOf(unit),
          },
        });
        keyRefs.push(`letter/l-${i}`);
        break;
      }
      case 'FamilyPlanRecorded': {
        if (!unit) break;
        const other = UNITS[step.unit];
        push({
          type: 'FamilyPlanRecorded',
          data: {
            planId: `plan-${i}`,
            goals: [{ goalId: `g-${i}`, words: 'w', memberIds: [memberId], answeredBy: [other] }],
            responsibilities: [{ unit, for: 'x' }],
            coordinator: { personId: 'p', unit },
            reviewDates: [],
            memberIds: [memberId],
            consentIds: [],
            ...stampOf(unit),
          },
        });
        keyRefs.push(`case/plan-${i}`);
        break;
      }
      case 'FamilyEnrolled':
        if (!unit) break;
        push({
          type: 'FamilyEnrolled',
          data: {
            enrolmentId: `e-${i}`,
            subProjectId: 'sp',
            subProjectName: 'S',
            responsibleUnit: unit,
            memberIds: [memberId],
            partners: [],
            ...stampOf(unit),
          },
        });
        open.enrolments.push(`e-${i}`);
        break;
      case 'EnrolmentEnded': {
        const enrolmentId = pick(open.enrolments);
        if (!unit || !enrolmentId) break;
        open.enrolments.splice(open.enrolments.indexOf(enrolmentId), 1);
        push({ type: 'EnrolmentEnded', data: { enrolmentId, reason: 'over', contactPersonIds: [], ...stampOf(unit) } });
        keyRefs.push(`case/${enrolmentId}`);
        break;
      }
      case 'Erase': {
        // Erasures of any records, as requests may make them: the planner and the oracle must both skip them.
        const chosen = keyRefs.filter((_, k) => (step.n >> (k % 10)) % 3 === 0 && (k + step.pick) % 4 === 0);
        if (chosen.length === 0) break;
        push({
          type: 'PersonalDataErased',
          data: {
            erasureId: `x-${i}`,
            keyRefs: chosen,
            subjects: [],
            categories: [],
            on: day,
            rule: null,
            requestId: `r-${i}`,
            ...stampOf('NAV'),
          },
        });
        break;
      }
    }
  });
  return events;
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

/** Short histories and long ones (fast-check keeps arrays small unless told: long ones reach ended decisions under appeal, letters, reversals). */
const historyStepsArb = fc.oneof(fc.array(stepArb, { maxLength: 20 }), fc.array(stepArb, { minLength: 40, maxLength: 120, size: 'max' }));

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
