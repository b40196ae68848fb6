import fc from 'fast-check';
import { addDays, type LocalDate } from '../shared/local-date';
import { actors, by, familyRegistered, socialAssistanceApproved, socialAssistanceProposed } from '../testing/family.fixtures';
import { decisionOn } from './decision-valid-time';
import type { FamilyEvent } from './family.events';
import { foldFamily } from './family.evolve';
import { foldAsRecordedAt } from './family.queries';

/**
 * Valid time against an oracle (design 5): for random amendments and revocations with random
 * effective dates, recorded in random order, decisionOn(fold(events), D) equals a day-by-day
 * painting of the changes in (effectiveFrom, recorded) order; and a fold of the events recorded up
 * to an instant T answers "as recorded at T" (the oracle over those changes only).
 * Seedable: FC_SEED=<n> (and FC_PATH) replay a failure; FC_RUNS overrides the run count.
 */
const params = {
  numRuns: Number(process.env.FC_RUNS ?? 200),
  ...(process.env.FC_SEED ? { seed: Number(process.env.FC_SEED), path: process.env.FC_PATH } : {}),
};

const START: LocalDate = '2024-02-01';
const UNTIL: LocalDate = '2024-07-31';
const DAYS = 190;
const dayOf = (offset: number) => addDays(START, offset);

type Change = { kind: 'amend' | 'revoke'; offset: number; amount: number };
const change = fc.record({
  kind: fc.constantFrom<'amend' | 'revoke'>('amend', 'amend', 'revoke'),
  offset: fc.integer({ min: 0, max: DAYS - 20 }),
  amount: fc.integer({ min: 1, max: 5_000 }),
});

/** The changes as events, recorded one hour apart in the order given (the recording order). */
function stream(changes: Change[]): FamilyEvent[] {
  const base = Date.parse('2024-08-01T08:00:00.000Z');
  const events = changes.map((c, i): FamilyEvent => {
    const stamped = by(actors.navApprover, new Date(base + i * 3_600_000));
    const facts = { effectiveFrom: dayOf(c.offset), ground: 'invalid' as const, advanceNotice: null };
    return c.kind === 'revoke'
      ? { type: 'DecisionRevoked', data: { decisionId: 'd-nav', reason: 'r', delegation: socialAssistanceApproved.data.delegation, ...facts, ...stamped } }
      : {
          type: 'DecisionAmended',
          data: {
            decisionId: 'd-nav',
            periodFrom: START,
            periodUntil: UNTIL,
            amounts: { monthlyAmountOre: c.amount * 100, oneOffAmountOre: null },
            legalBasis: 'Lov om sosiale tjenester i NAV § 18',
            reasons: 'r',
            appealId: null,
            delegation: socialAssistanceApproved.data.delegation,
            ...facts,
            ...stamped,
          },
        };
  });
  return [familyRegistered, socialAssistanceProposed, socialAssistanceApproved, ...events];
}

/** Independent of decisionOn: paint each day from each change's effective date on, in (effectiveFrom, recorded) order. */
function oracle(changes: Change[]): { status: string; amount: number }[] {
  const days = Array.from({ length: DAYS }, () => ({ status: 'active', amount: 1_250_000, revoked: false }));
  const order = changes.map((c, recorded) => ({ ...c, recorded })).sort((a, b) => a.offset - b.offset || a.recorded - b.recorded);
  for (const c of order) {
    for (let d = c.offset; d < DAYS; d++) {
      if (c.kind === 'revoke') days[d] = { ...days[d], revoked: true };
      else days[d] = { status: 'active', amount: c.amount * 100, revoked: false };
    }
  }
  return days.map((d, i) => ({ status: d.revoked ? 'revoked' : dayOf(i) > UNTIL ? 'expired' : 'active', amount: d.amount }));
}

function answers(events: FamilyEvent[], instant?: Date) {
  const state = instant ? foldAsRecordedAt(events, instant) : foldFamily(events);
  const decision = state.decisions['d-nav'];
  return Array.from({ length: DAYS }, (_, i) => {
    const on = decisionOn(decision, dayOf(i));
    return { status: on.status, amount: on.terms.amounts.monthlyAmountOre ?? 0 };
  });
}

describe('valid time (property): decisionOn against a day-by-day oracle', () => {
  it('as known now: every day of the period answers as the changes ordered by (effectiveFrom, recorded at) say', () => {
    fc.assert(
      fc.property(fc.array(change, { maxLength: 8 }), (changes) => {
        expect(answers(stream(changes))).toEqual(oracle(changes));
      }),
      params,
    );
  });

  it('as recorded at T: folding the events recorded up to T equals the oracle over the changes recorded by then', () => {
    fc.assert(
      fc.property(
        fc.array(change, { maxLength: 8 }).chain((changes) => fc.tuple(fc.constant(changes), fc.integer({ min: 0, max: changes.length }))),
        ([changes, cut]) => {
          const instant = new Date(Date.parse('2024-08-01T08:00:00.000Z') + cut * 3_600_000 - 1);
          expect(answers(stream(changes), instant)).toEqual(oracle(changes.slice(0, cut)));
        },
      ),
      params,
    );
  });

  it('the recording order matters only for changes effective the same day', () => {
    fc.assert(
      fc.property(fc.uniqueArray(change, { maxLength: 6, selector: (c) => c.offset }), (changes) => {
        expect(answers(stream([...changes].reverse()))).toEqual(answers(stream(changes)));
      }),
      params,
    );
  });
});
