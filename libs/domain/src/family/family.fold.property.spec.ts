import fc from 'fast-check';
import { familyRegistered, members, socialAssistanceApproved, socialAssistanceProposed } from '../testing/family.fixtures';
import type { ConsentGiven, ConsentWithdrawn, FamilyEvent, FamilyEventType } from './family.events';
import type { Affiliation, MemberDetails } from './family.values';
import { evolveFamily, foldFamily } from './family.evolve';
import { initialFamilyState, type FamilyState } from './family.state';
import type { Unit } from '../shared/units';

/**
 * foldFamily (linear, a private working copy) against the reference fold, reducing with
 * evolveFamily: deep-equal states on arbitrary valid event sequences, split anywhere, and
 * neither the events nor the initial state touched (both deep-frozen, so a write throws).
 * The two now share one code path (evolveFamily folds one event on a fresh working copy), so
 * the comparison mostly guards the copy-on-write bookkeeping; the streams include every event
 * type, parts, referrals, enrolments and parental responsibility, and schema 1 shapes that the
 * fold upcasts on the way.
 *
 * The sequences are built step by step against the state folded so far: each step names an
 * event type and picks the record it is about among those that exist (a step that does not
 * apply yet is skipped), so every event type, long decision histories and repeated pick-ups
 * occur. Seedable: FC_SEED=<n> (and FC_PATH) replay a failure; FC_RUNS overrides the run count.
 */

const UNITS: Unit[] = ['HVK', 'BFT', 'NAV', 'INN', 'OPPVEKST'];
const KINDS: FamilyEventType[] = [
  'MemberJoined',
  'MemberLeft',
  'ContactPersonJoined',
  'ContactPersonLeft',
  'CoordinatingUnitNamed',
  'NeedExpressed',
  'NeedPickedUp',
  'NeedResolved',
  'NeedWithdrawn',
  'ConsentGiven',
  'ConsentWithdrawn',
  'DecisionProposed',
  'DecisionApproved',
  'DecisionRejected',
  'DecisionAmended',
  'DecisionRevoked',
  'DecisionExpired',
  'AppealReceived',
  'AppealDecided',
  'PaymentRecorded',
  'PaymentReversed',
  'FamilyDecisionIssued',
  'ParentalResponsibilityRecorded',
  'ParentalResponsibilityEnded',
  'ReferralRecorded',
  'ReferralAccepted',
  'ReferralDeclined',
  'InvolvementClosed',
  'FamilyEnrolled',
  'EnrolmentEnded',
];
/** Decisions need several steps to reach each status: their events come up more often. */
const WEIGHTED: FamilyEventType[] = [
  ...KINDS,
  ...KINDS.filter((k) => k.startsWith('Decision') || k.startsWith('Appeal')),
  ...KINDS.filter((k) => k.startsWith('Decision') || k.startsWith('Appeal')),
];
type Step = { kind: number; pick: number; unit: number; flag: boolean };
const stepArb: fc.Arbitrary<Step> = fc.record({
  kind: fc.nat({ max: WEIGHTED.length - 1 }),
  pick: fc.nat({ max: 1000 }),
  unit: fc.nat({ max: UNITS.length - 1 }),
  flag: fc.boolean(),
});

function eventsOf(steps: Step[]): FamilyEvent[] {
  const events: FamilyEvent[] = [familyRegistered];
  let state = evolveFamily(initialFamilyState(), familyRegistered);
  const ids = (record: Record<string, unknown>, keep: (value: never) => boolean = () => true) =>
    Object.entries(record)
      .filter(([, v]) => keep(v as never))
      .map(([k]) => k);
  const delegation = { ruleSetId: 'trondheim-2023', ruleSetVersion: 1, ruleId: 'r' };
  steps.forEach((step, i) => {
    const unit = UNITS[step.unit];
    const at = new Date(Date.UTC(2024, 2, 1) + i * 60_000).toISOString();
    const stamp = { at, by: { userId: `${unit}-user`, role: 'caseworker' as const, unit, partnerOrganisation: null } };
    const pick = (candidates: string[]) => (candidates.length ? candidates[step.pick % candidates.length] : undefined);
    const decisions = (...statuses: string[]) => ids(state.decisions, (d: { status: string }) => statuses.includes(d.status));
    let event: FamilyEvent | undefined;
    switch (WEIGHTED[step.kind]) {
      case 'MemberJoined': {
        // A flag of schema 1 (no addressProtection) or a schema 2 level, both folded the same way.
        const { addressProtection: _level, ...schema1 } = { ...members.omar, memberId: `m-${i}`, name: `Child ${i}`, protectedAddress: step.flag };
        const member =
          step.pick % 3 === 0 ? (schema1 as MemberDetails) : { ...schema1, addressProtection: step.flag ? ('fortrolig' as const) : ('none' as const) };
        event = { type: 'MemberJoined', data: { member, joinedOn: '2024-03-01', ...stamp } };
        break;
      }
      case 'MemberLeft': {
        const memberId = pick(ids(state.members, (m: { status: string }) => m.status === 'current'));
        if (memberId) event = { type: 'MemberLeft', data: { memberId, leftOn: '2024-03-02', reason: step.flag ? 'moved' : null, ...stamp } };
        break;
      }
      case 'ContactPersonJoined':
        event = {
          type: 'ContactPersonJoined',
          data: {
            personId: `cp-${i}`,
            name: 'C',
            // A partner as schema 2 names it (number), or as schema 1 did (name only).
            affiliation: step.flag
              ? { kind: 'unit', unit }
              : step.pick % 2
                ? { kind: 'partner', organisation: 'Red Cross', organisationNumber: '864139442' }
                : ({ kind: 'partner', organisation: 'Red Cross' } as Affiliation),
            teamRole: null,
            ...stamp,
          },
        };
        break;
      case 'ContactPersonLeft': {
        const personId = pick(ids(state.team, (p: { active: boolean }) => p.active));
        if (personId) event = { type: 'ContactPersonLeft', data: { personId, ...stamp } };
        break;
      }
      case 'CoordinatingUnitNamed':
        event = { type: 'CoordinatingUnitNamed', data: { unit, previousUnit: state.coordinatingUnit, ...stamp } };
        break;
      case 'NeedExpressed':
        event = {
          type: 'NeedExpressed',
          data: {
            needId: `n-${i}`,
            memberId: step.flag ? 'm-amina' : null,
            words: `need ${i}`,
            expressedOn: '2024-03-01',
            recordedBy: { kind: 'unit', unit, userId: 'u' },
            ...stamp,
          },
        };
        break;
      case 'NeedPickedUp': {
        const needId = pick(ids(state.needs, (n: { status: string }) => n.status === 'open'));
        if (needId) event = { type: 'NeedPickedUp', data: { needId, unit, ...stamp } };
        break;
      }
      case 'NeedResolved': {
        const needId = pick(ids(state.needs, (n: { status: string }) => n.status === 'open'));
        if (needId)
          event = {
            type: 'NeedResolved',
            data: {
              needId,
              decisionIds: decisions('active').slice(0, 2),
              paymentIds: ids(state.payments).slice(-1),
              resolution: step.flag ? 'done' : null,
              ...stamp,
            },
          };
        break;
      }
      case 'NeedWithdrawn': {
        const needId = pick(ids(state.needs, (n: { status: string }) => n.status === 'open'));
        if (needId) event = { type: 'NeedWithdrawn', data: { needId, reason: step.flag ? 'no longer' : null, ...stamp } };
        break;
      }
      case 'ConsentGiven': {
        const schema2: ConsentGiven['data'] = {
          consentId: `c-${i}`,
          memberId: 'm-amina',
          givenByMemberId: 'm-amina',
          givenAsGuardian: false,
          kind: step.flag ? 'information-sharing' : 'combine-family-decision',
          sourceUnits: step.flag ? [unit] : null,
          toUnits: [unit],
          dataCategories: ['needs'],
          purpose: 'P',
          validFrom: '2024-03-01',
          validUntil: '2025-03-01',
          evidence: step.flag ? { form: 'written', documentRef: 'F' } : { form: 'oral', documentedBy: 'u', documentedAt: at, note: null },
          ...stamp,
        };
        // Every third one as schema 1 wrote it: no sources, no evidence, maybe open-ended.
        const { sourceUnits: _s, evidence: _e, ...schema1 } = { ...schema2, validUntil: step.flag ? null : '2025-03-01' };
        event = { type: 'ConsentGiven', data: step.pick % 3 === 0 ? (schema1 as unknown as ConsentGiven['data']) : schema2 };
        break;
      }
      case 'ConsentWithdrawn': {
        const consentId = pick(ids(state.consents, (c: { withdrawnAt: string | null }) => c.withdrawnAt === null));
        if (consentId) {
          const schema1 = { consentId, effectiveFrom: '2024-03-05', reason: null, ...stamp };
          event = {
            type: 'ConsentWithdrawn',
            data:
              step.pick % 3 === 0
                ? (schema1 as ConsentWithdrawn['data'])
                : { ...schema1, expressedByMemberId: 'm-amina', channel: 'orally', alertedUnits: step.flag ? [unit] : [] },
          };
        }
        break;
      }
      case 'DecisionProposed':
        event = { type: 'DecisionProposed', data: { ...socialAssistanceProposed.data, decisionId: `d-${i}`, unit, ...stamp } };
        break;
      case 'DecisionApproved': {
        const decisionId = pick(decisions('proposed'));
        if (decisionId) event = { type: 'DecisionApproved', data: { ...socialAssistanceApproved.data, decisionId, ...stamp } };
        break;
      }
      case 'DecisionRejected': {
        const decisionId = pick(decisions('proposed'));
        if (decisionId) event = { type: 'DecisionRejected', data: { decisionId, reason: 'no', delegation, ...stamp } };
        break;
      }
      case 'DecisionAmended': {
        const decisionId = pick(decisions('active'));
        if (decisionId)
          event = {
            type: 'DecisionAmended',
            data: {
              decisionId,
              periodFrom: '2024-02-01',
              periodUntil: `2024-0${1 + (step.pick % 9)}-28`,
              amounts: { monthlyAmountOre: step.pick * 100, oneOffAmountOre: null },
              legalBasis: step.flag ? null : 'lov',
              reasons: `amended ${i}`,
              appealId: null,
              delegation,
              ...stamp,
            },
          };
        break;
      }
      case 'DecisionRevoked': {
        const decisionId = pick(decisions('active'));
        if (decisionId) event = { type: 'DecisionRevoked', data: { decisionId, reason: 'revoked', delegation, ...stamp } };
        break;
      }
      case 'DecisionExpired': {
        const decisionId = pick(decisions('active'));
        if (decisionId) event = { type: 'DecisionExpired', data: { decisionId, periodUntil: '2024-07-31', delegation, ...stamp } };
        break;
      }
      case 'AppealReceived': {
        const decisionId = pick(decisions('active'));
        if (decisionId)
          event = {
            type: 'AppealReceived',
            data: {
              appealId: `a-${i}`,
              decisionId,
              appellantMemberId: step.flag ? 'm-amina' : null,
              grounds: step.flag ? 'too low' : null,
              receivedDate: '2024-03-03',
              deadline: '2024-03-20',
              late: false,
              lateExcuse: null,
              ...stamp,
            },
          };
        break;
      }
      case 'AppealDecided': {
        const decisionId = pick(decisions('under-appeal'));
        if (decisionId) {
          const appealId = state.decisions[decisionId].openAppealId!;
          event = { type: 'AppealDecided', data: { appealId, decisionId, outcome: step.flag ? 'upheld' : 'reversed', reasons: 'because', ...stamp } };
        }
        break;
      }
      case 'PaymentRecorded':
        event = {
          type: 'PaymentRecorded',
          data: {
            paymentId: `p-${i}`,
            recipientMemberId: 'm-amina',
            amountOre: 1000 + step.pick,
            method: 'gift-card',
            funding: { kind: 'unit', unit },
            answersNeedId: pick(ids(state.needs)) ?? null,
            answersDecisionId: pick(decisions('active')) ?? null,
            documentationRef: 'B',
            paidOn: '2024-03-01',
            countsAsIncome: step.flag,
            ...stamp,
          },
        };
        break;
      case 'PaymentReversed': {
        const paymentId = pick(ids(state.payments, (p: { reversed: boolean }) => !p.reversed));
        if (paymentId) event = { type: 'PaymentReversed', data: { paymentId, amountOre: 1000, reversedOn: '2024-03-04', reason: 'wrong', ...stamp } };
        break;
      }
      case 'ParentalResponsibilityRecorded': {
        const childId = pick(ids(state.members, (m: { role: string }) => m.role === 'child'));
        if (childId) {
          event = {
            type: 'ParentalResponsibilityRecorded',
            data: {
              childId,
              holderId: step.flag ? 'm-amina' : 'm-yusuf',
              basis: 'court-decision',
              documentRef: step.flag ? 'TR-1' : null,
              since: '2024-03-01',
              ...stamp,
            },
          };
        }
        break;
      }
      case 'ParentalResponsibilityEnded': {
        const key = pick(ids(state.parentalResponsibility, (r: { active: boolean }) => r.active));
        if (key) {
          const { childId, holderId } = state.parentalResponsibility[key];
          event = { type: 'ParentalResponsibilityEnded', data: { childId, holderId, reason: 'moved', ...stamp } };
        }
        break;
      }
      case 'ReferralRecorded': {
        const fromUnit = pick(ids(state.parts, (p: { active: boolean }) => p.active)) as Unit | undefined;
        const toUnit = UNITS.find((u) => u !== fromUnit && !state.parts[u]?.active && u === unit) ?? UNITS.find((u) => !state.parts[u]?.active);
        if (fromUnit && toUnit) {
          event = {
            type: 'ReferralRecorded',
            data: {
              referralId: `ref-${i}`,
              fromUnit,
              toUnit,
              memberIds: step.flag ? ['m-sara'] : ['m-amina', 'm-sara'],
              reason: 'R',
              ground: step.flag ? 'duty-to-inform-child-welfare' : 'consent',
              consentIds: step.flag ? [] : ids(state.consents).slice(0, 1),
              ...stamp,
            },
          };
        }
        break;
      }
      case 'ReferralAccepted':
      case 'ReferralDeclined': {
        const referralId = pick(ids(state.referrals, (r: { status: string }) => r.status === 'open'));
        if (referralId) {
          const toUnit = state.referrals[referralId].toUnit;
          event =
            WEIGHTED[step.kind] === 'ReferralAccepted'
              ? { type: 'ReferralAccepted', data: { referralId, unit: toUnit, since: '2024-03-02', ...stamp } }
              : { type: 'ReferralDeclined', data: { referralId, unit: toUnit, reason: 'no capacity', ...stamp } };
        }
        break;
      }
      case 'InvolvementClosed': {
        const closing = pick(ids(state.parts, (p: { active: boolean }) => p.active)) as Unit | undefined;
        if (closing) {
          const contactPersonIds = Object.values(state.team)
            .filter((p) => p.active && p.affiliation.kind === 'unit' && p.affiliation.unit === closing)
            .map((p) => p.personId);
          event = { type: 'InvolvementClosed', data: { unit: closing, reason: 'done', contactPersonIds, ...stamp } };
        }
        break;
      }
      case 'FamilyEnrolled':
        event = {
          type: 'FamilyEnrolled',
          data: {
            enrolmentId: `e-${i}`,
            subProjectId: `sp-${step.pick % 3}`,
            subProjectName: 'S',
            responsibleUnit: unit,
            memberIds: step.flag ? ['m-sara'] : ['m-sara', 'm-omar'],
            partners: [{ organisationNumber: '974123456', name: 'School', mayRecordPayments: step.flag }],
            ...stamp,
          },
        };
        break;
      case 'EnrolmentEnded': {
        const enrolmentId = pick(ids(state.enrolments, (e: { active: boolean }) => e.active));
        if (enrolmentId) event = { type: 'EnrolmentEnded', data: { enrolmentId, reason: 'over', contactPersonIds: [], ...stamp } };
        break;
      }
      case 'FamilyDecisionIssued': {
        const inForce = ids(state.familyDecisions, (f: { status: string }) => f.status === 'in-force')[0] ?? null;
        const included = decisions('active')
          .slice(0, 2)
          .map((decisionId) => {
            const d = state.decisions[decisionId];
            return {
              decisionId,
              unit: d.unit,
              decisionType: d.decisionType,
              memberIds: d.memberIds,
              legalBasis: d.legalBasis,
              periodFrom: d.periodFrom,
              periodUntil: d.periodUntil,
            };
          });
        event = {
          type: 'FamilyDecisionIssued',
          data: {
            familyDecisionId: `fd-${i}`,
            decisions: included,
            reviewDate: '2024-06-01',
            responsibleUnit: unit,
            contactPersonId: 'cp',
            consentIds: ids(state.consents).slice(0, 1),
            ruleSetId: 'trondheim-2023',
            ruleSetVersion: 1,
            supersedes: inForce,
            ...stamp,
          },
        };
        break;
      }
    }
    if (event) {
      events.push(event);
      state = evolveFamily(state, event);
    }
  });
  return events;
}

function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const child of Object.values(value)) deepFreeze(child);
  }
  return value;
}

const reference = (events: FamilyEvent[], from: FamilyState = initialFamilyState()) => events.reduce(evolveFamily, from);
const runs = Number(process.env.FC_RUNS ?? 150);
const params = { numRuns: runs, seed: process.env.FC_SEED ? Number(process.env.FC_SEED) : undefined, path: process.env.FC_PATH };
const sequences = fc.array(stepArb, { maxLength: 150, size: 'max' });

describe('foldFamily (property)', () => {
  it('equals reducing with evolveFamily, and leaves the (frozen) events alone', () => {
    fc.assert(
      fc.property(sequences, (steps) => {
        const events = eventsOf(steps);
        const expected = reference(events);
        const copy = JSON.parse(JSON.stringify(events));
        deepFreeze(events);
        expect(foldFamily(events)).toStrictEqual(expected);
        expect(events).toStrictEqual(copy);
      }),
      params,
    );
  });

  it('continues from any state: foldFamily(tail, foldFamily(head)) equals the whole fold, the head state untouched', () => {
    fc.assert(
      fc.property(sequences, fc.nat(), (steps, cut) => {
        const events = deepFreeze(eventsOf(steps));
        const split = cut % (events.length + 1);
        const head = foldFamily(events.slice(0, split));
        const headCopy = JSON.parse(JSON.stringify(head));
        deepFreeze(head);
        const whole = foldFamily(events.slice(split), head);
        expect(whole).toStrictEqual(reference(events));
        expect(head).toStrictEqual(headCopy);
        // A second fold from the same head gives the same answer (nothing of it was appended to).
        expect(foldFamily(events.slice(split), head)).toStrictEqual(whole);
      }),
      params,
    );
  });

  it('reads schema 1 shapes as schema 2: members get a protection level, consents sources and evidence (null), withdrawals an alerted list', () => {
    fc.assert(
      fc.property(sequences, (steps) => {
        const state = foldFamily(eventsOf(steps));
        for (const member of Object.values(state.members)) {
          expect(member.addressProtection).toBe(
            member.protectedAddress ? (member.addressProtection === 'fortrolig' ? 'fortrolig' : 'strengt-fortrolig') : 'none',
          );
        }
        for (const consent of Object.values(state.consents)) {
          expect(consent.sourceUnits === null || Array.isArray(consent.sourceUnits)).toBe(true);
          expect(consent.evidence === null || typeof consent.evidence.form === 'string').toBe(true);
          if (consent.evidence === null) expect(consent.sourceUnits).toBeNull();
          if (consent.withdrawal) expect(Array.isArray(consent.withdrawal.alertedUnits)).toBe(true);
        }
        for (const person of Object.values(state.team)) {
          if (person.affiliation.kind === 'partner')
            expect(person.affiliation.organisationNumber === null || /^\d{9}$/.test(person.affiliation.organisationNumber)).toBe(true);
        }
        expect(JSON.parse(JSON.stringify(state))).toStrictEqual(state);
      }),
      params,
    );
  });

  it('covers every event type in the generated sequences', () => {
    const seen = new Set<string>();
    fc.assert(
      fc.property(sequences, (steps) => {
        eventsOf(steps).forEach((e) => seen.add(e.type));
      }),
      { numRuns: 200, seed: 42 },
    );
    expect([...seen].sort()).toEqual(['FamilyRegistered', ...KINDS].sort());
  });

  it('folds nothing to the initial state (a fresh copy, not the same object)', () => {
    const initial = deepFreeze(initialFamilyState());
    const folded = foldFamily([], initial);
    expect(folded).toStrictEqual(initial);
    expect(folded).not.toBe(initial);
  });

  it('refuses an event type it does not know, like evolveFamily', () => {
    const unknown = { type: 'FamilyTeleported', data: { at: 'x', by: null } } as unknown as FamilyEvent;
    expect(() => foldFamily([familyRegistered, unknown])).toThrow('Unknown family event type FamilyTeleported');
  });
});
