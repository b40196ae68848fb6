import fc from 'fast-check';
import { familyRegistered, members, socialAssistanceApproved, socialAssistanceProposed } from '../testing/family.fixtures';
import type { FamilyEvent, FamilyEventType } from './family.events';
import { evolveFamily, foldFamily } from './family.evolve';
import { initialFamilyState, type FamilyState } from './family.state';
import type { Unit } from '../shared/units';

/**
 * foldFamily (linear, a private working copy) against the reference fold, reducing with
 * evolveFamily: deep-equal states on arbitrary valid event sequences, split anywhere, and
 * neither the events nor the initial state touched (both deep-frozen, so a write throws).
 *
 * The sequences are built step by step against the state folded so far: each step names an
 * event type and picks the record it is about among those that exist (a step that does not
 * apply yet is skipped), so every event type, long decision histories and repeated pick-ups
 * occur. Seedable: FC_SEED=<n> (and FC_PATH) replay a failure; FC_RUNS overrides the run count.
 */

const UNITS: Unit[] = ['HVK', 'BFT', 'NAV', 'INN', 'OPPVEKST'];
const KINDS: FamilyEventType[] = [
  'MemberJoined', 'MemberLeft', 'ContactPersonJoined', 'ContactPersonLeft', 'CoordinatingUnitNamed',
  'NeedExpressed', 'NeedPickedUp', 'NeedResolved', 'NeedWithdrawn', 'ConsentGiven', 'ConsentWithdrawn',
  'DecisionProposed', 'DecisionApproved', 'DecisionRejected', 'DecisionAmended', 'DecisionRevoked', 'DecisionExpired',
  'AppealReceived', 'AppealDecided', 'PaymentRecorded', 'PaymentReversed', 'FamilyDecisionIssued',
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
    Object.entries(record).filter(([, v]) => keep(v as never)).map(([k]) => k);
  const delegation = { ruleSetId: 'trondheim-2023', ruleSetVersion: 1, ruleId: 'r' };
  steps.forEach((step, i) => {
    const unit = UNITS[step.unit];
    const at = new Date(Date.UTC(2024, 2, 1) + i * 60_000).toISOString();
    const stamp = { at, by: { userId: `${unit}-user`, role: 'caseworker' as const, unit, partnerOrganisation: null } };
    const pick = (candidates: string[]) => (candidates.length ? candidates[step.pick % candidates.length] : undefined);
    const decisions = (...statuses: string[]) => ids(state.decisions, (d: { status: string }) => statuses.includes(d.status));
    let event: FamilyEvent | undefined;
    switch (WEIGHTED[step.kind]) {
      case 'MemberJoined':
        event = { type: 'MemberJoined', data: { member: { ...members.omar, memberId: `m-${i}`, name: `Child ${i}` }, joinedOn: '2024-03-01', ...stamp } };
        break;
      case 'MemberLeft': {
        const memberId = pick(ids(state.members, (m: { status: string }) => m.status === 'current'));
        if (memberId) event = { type: 'MemberLeft', data: { memberId, leftOn: '2024-03-02', reason: step.flag ? 'moved' : null, ...stamp } };
        break;
      }
      case 'ContactPersonJoined':
        event = {
          type: 'ContactPersonJoined',
          data: { personId: `cp-${i}`, name: 'C', affiliation: step.flag ? { kind: 'unit', unit } : { kind: 'partner', organisation: 'Red Cross' }, teamRole: null, ...stamp },
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
          data: { needId: `n-${i}`, memberId: step.flag ? 'm-amina' : null, words: `need ${i}`, expressedOn: '2024-03-01', recordedBy: { kind: 'unit', unit, userId: 'u' }, ...stamp },
        };
        break;
      case 'NeedPickedUp': {
        const needId = pick(ids(state.needs, (n: { status: string }) => n.status === 'open'));
        if (needId) event = { type: 'NeedPickedUp', data: { needId, unit, ...stamp } };
        break;
      }
      case 'NeedResolved': {
        const needId = pick(ids(state.needs, (n: { status: string }) => n.status === 'open'));
        if (needId) event = { type: 'NeedResolved', data: { needId, decisionIds: decisions('active').slice(0, 2), paymentIds: ids(state.payments).slice(-1), resolution: step.flag ? 'done' : null, ...stamp } };
        break;
      }
      case 'NeedWithdrawn': {
        const needId = pick(ids(state.needs, (n: { status: string }) => n.status === 'open'));
        if (needId) event = { type: 'NeedWithdrawn', data: { needId, reason: step.flag ? 'no longer' : null, ...stamp } };
        break;
      }
      case 'ConsentGiven':
        event = {
          type: 'ConsentGiven',
          data: {
            consentId: `c-${i}`, memberId: 'm-amina', givenByMemberId: 'm-amina', givenAsGuardian: false, kind: step.flag ? 'information-sharing' : 'combine-family-decision',
            toUnits: [unit], dataCategories: ['needs'], purpose: 'P', validFrom: '2024-03-01', validUntil: step.flag ? null : '2025-03-01', ...stamp,
          },
        };
        break;
      case 'ConsentWithdrawn': {
        const consentId = pick(ids(state.consents, (c: { withdrawnAt: string | null }) => c.withdrawnAt === null));
        if (consentId) event = { type: 'ConsentWithdrawn', data: { consentId, effectiveFrom: '2024-03-05', reason: null, ...stamp } };
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
              decisionId, periodFrom: '2024-02-01', periodUntil: `2024-0${1 + (step.pick % 9)}-28`, amounts: { monthlyAmountOre: step.pick * 100, oneOffAmountOre: null },
              legalBasis: step.flag ? null : 'lov', reasons: `amended ${i}`, appealId: null, delegation, ...stamp,
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
            data: { appealId: `a-${i}`, decisionId, appellantMemberId: step.flag ? 'm-amina' : null, grounds: step.flag ? 'too low' : null, receivedDate: '2024-03-03', deadline: '2024-03-20', late: false, lateExcuse: null, ...stamp },
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
            paymentId: `p-${i}`, recipientMemberId: 'm-amina', amountOre: 1000 + step.pick, method: 'gift-card', funding: { kind: 'unit', unit },
            answersNeedId: pick(ids(state.needs)) ?? null, answersDecisionId: pick(decisions('active')) ?? null, documentationRef: 'B', paidOn: '2024-03-01', countsAsIncome: step.flag, ...stamp,
          },
        };
        break;
      case 'PaymentReversed': {
        const paymentId = pick(ids(state.payments, (p: { reversed: boolean }) => !p.reversed));
        if (paymentId) event = { type: 'PaymentReversed', data: { paymentId, amountOre: 1000, reversedOn: '2024-03-04', reason: 'wrong', ...stamp } };
        break;
      }
      case 'FamilyDecisionIssued': {
        const inForce = ids(state.familyDecisions, (f: { status: string }) => f.status === 'in-force')[0] ?? null;
        const included = decisions('active').slice(0, 2).map((decisionId) => {
          const d = state.decisions[decisionId];
          return { decisionId, unit: d.unit, decisionType: d.decisionType, memberIds: d.memberIds, legalBasis: d.legalBasis, periodFrom: d.periodFrom, periodUntil: d.periodUntil };
        });
        event = {
          type: 'FamilyDecisionIssued',
          data: {
            familyDecisionId: `fd-${i}`, decisions: included, reviewDate: '2024-06-01', responsibleUnit: unit, contactPersonId: 'cp', consentIds: ids(state.consents).slice(0, 1),
            ruleSetId: 'trondheim-2023', ruleSetVersion: 1, supersedes: inForce, ...stamp,
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
