import fc from 'fast-check';
import type { FamilyEvent } from '../../family/family.events';
import { UNITS, type Unit } from '../../shared/units';

/**
 * Random family histories for the retention properties (the oracle, the catalogue against the
 * records): raw events over several years: parts gained, closed and regained, needs, consents
 * given and withdrawn, decisions through their statuses and appeals, payments, reversals and
 * abandoned sub-project payments, letters, plans, enrolments, referrals, members joining and
 * leaving, and erasures of random records.
 */

export const START = Date.UTC(2023, 5, 1, 9);
export const DAY = 86_400_000;
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
  'PaymentAbandoned',
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
export type Step = { kind: number; pick: number; unit: number; flag: boolean; days: number; n: number };
export const stepArb: fc.Arbitrary<Step> = fc.record({
  kind: fc.nat({ max: WEIGHTED.length - 1 }),
  pick: fc.nat({ max: 1000 }),
  unit: fc.nat({ max: UNITS.length - 1 }),
  flag: fc.boolean(),
  days: fc.nat({ max: 150 }),
  n: fc.nat({ max: 1200 }),
});

export function history(steps: Step[]): FamilyEvent[] {
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
        if (!unit) break;
        push({ type: 'MemberLeft', data: { memberId, leftOn: day, reason: step.flag ? 'moved' : null, ...stampOf(unit) } });
        if (step.flag) keyRefs.push(`case/family:${new Date(now).toISOString()}`);
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
        keyRefs.push(`case/family:${new Date(now).toISOString()}`);
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
      case 'PaymentAbandoned': {
        // A sub-project spend whose family payment is never recorded (the id of a recorded one, sometimes: then it changes nothing).
        const paymentId = step.flag ? `p-${i}` : pick(payments);
        if (!unit || !paymentId) break;
        push({
          type: 'PaymentAbandoned',
          data: {
            paymentId,
            subProjectId: 'sp',
            recipientMemberId: step.n % 5 === 0 ? null : memberId,
            amountOre: 100,
            reason: 'not-recorded',
            refusal: null,
            ...stampOf(unit),
          },
        });
        if (step.flag) keyRefs.push(`payment/${paymentId}`);
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

/** Short histories and long ones (fast-check keeps arrays small unless told: long ones reach ended decisions under appeal, letters, reversals). */
export const historyStepsArb = fc.oneof(fc.array(stepArb, { maxLength: 20 }), fc.array(stepArb, { minLength: 40, maxLength: 120, size: 'max' }));
