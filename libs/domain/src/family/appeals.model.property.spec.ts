import fc from 'fast-check';
import { isDomainError } from '../shared/domain-error';
import type { Actor } from '../shared/actor';
import { actors, familyContext, familyRegistered, socialAssistanceApproved, socialAssistanceProposed } from '../testing/family.fixtures';
import { familyDecider } from './family.decider';
import type { FamilyCommand } from './family.commands';
import type { FamilyEvent } from './family.events';
import { foldFamily } from './family.evolve';

/**
 * Model test (fvl § 33): random sequences of appeal commands, by random actors, never leave an
 * appeal ended inside the deciding unit without the appeal body's outcome, unless the unit
 * changed the decision, dismissed the appeal, or the appellant withdrew it. Refused commands
 * append nothing. Seedable: FC_SEED=<n> (and FC_PATH) replay a failure; FC_RUNS overrides runs.
 */
const params = (numRuns: number): fc.Parameters<unknown> => ({
  numRuns: Number(process.env.FC_RUNS ?? numRuns),
  ...(process.env.FC_SEED ? { seed: Number(process.env.FC_SEED), path: process.env.FC_PATH } : {}),
});

const { notifiedOn: _legacy, ...approvedData } = socialAssistanceApproved.data;
const history: FamilyEvent[] = [familyRegistered, socialAssistanceProposed, { type: 'DecisionApproved', data: approvedData } as unknown as FamilyEvent];
const APPEALS = ['a-1', 'a-2'];

const command: fc.Arbitrary<FamilyCommand> = fc.oneof(
  fc
    .record({ appealId: fc.constantFrom(...APPEALS), signed: fc.boolean(), receivedOn: fc.constantFrom('2024-02-20', '2024-03-10') })
    .map(({ appealId, signed, receivedOn }): FamilyCommand => ({
      type: 'RegisterAppeal',
      data: { appealId, decisionId: 'd-nav', appellant: { memberId: 'm-amina' }, receivedOn, channel: 'post', grounds: 'Too little.', signed },
    })),
  fc
    .record({ appealId: fc.constantFrom(...APPEALS), ok: fc.boolean() })
    .map(({ appealId, ok }): FamilyCommand => ({ type: 'AssessAppealForm', data: { appealId, specific: ok, signed: ok, reasons: 'Assessed.' } })),
  fc.constantFrom(...APPEALS).map((appealId): FamilyCommand => ({ type: 'DismissAppeal', data: { appealId, reasons: 'Requirement not met.' } })),
  fc
    .constantFrom(...APPEALS)
    .map((appealId): FamilyCommand => ({ type: 'PrepareAppeal', data: { appealId, investigations: 'Checked.', counterpartiesNotified: false } })),
  fc.record({ appealId: fc.constantFrom(...APPEALS), fully: fc.boolean() }).map(({ appealId, fully }): FamilyCommand => ({
    type: 'ChangeDecisionOnAppeal',
    data: {
      appealId,
      fully,
      reasons: 'Rent.',
      change: { kind: 'amend', amendment: { amounts: { monthlyAmountOre: 1_300_000 + (fully ? 1 : 2) } }, effectiveFrom: '2024-03-01' },
      unitStatement: fully ? null : 'Rest forwarded.',
    },
  })),
  fc
    .constantFrom(...APPEALS)
    .map((appealId): FamilyCommand => ({ type: 'ForwardAppeal', data: { appealId, unitStatement: 'Upheld by the unit.', copyToParty: true } })),
  fc
    .record({ appealId: fc.constantFrom(...APPEALS), outcome: fc.constantFrom('upheld', 'quashed-returned', 'dismissed') })
    .map(({ appealId, outcome }): FamilyCommand => ({
      type: 'RecordAppealOutcome',
      data: { appealId, outcome, decidedOn: '2024-03-12', receivedOn: '2024-03-14', reference: 'SF 2024/1', summary: 'Decided.' },
    })),
  fc.constantFrom(...APPEALS).map((appealId): FamilyCommand => ({ type: 'WithdrawAppeal', data: { appealId, withdrawnOn: '2024-03-14' } })),
);
const actor = fc.constantFrom<Actor>(actors.navCaseworker, actors.navApprover, { userId: 'kim.nav', role: 'approver', unit: 'NAV' }, actors.hvkApprover);

describe('appeals model (fvl § 33, property-based)', () => {
  it('an appeal ends in the unit only by a change of the decision, a dismissal or a withdrawal; otherwise by the body’s outcome', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(command, actor), { maxLength: 25 }), (steps) => {
        let events = history;
        for (const [cmd, who] of steps) {
          const before = events.length;
          let appended: FamilyEvent[] = [];
          try {
            appended = familyDecider.decide(cmd, foldFamily(events), familyContext({ actor: who }));
          } catch (error) {
            if (!isDomainError(error)) throw error;
          }
          events = [...events, ...appended];
          expect(events.length).toBeGreaterThanOrEqual(before);
        }
        const state = foldFamily(events);
        for (const appeal of Object.values(state.appeals)) {
          const endedInUnit = appeal.stage === 'changed-by-unit' || appeal.stage === 'dismissed' || appeal.stage === 'withdrawn';
          const endedByBody = appeal.stage === 'decided-by-body';
          if (endedByBody) expect(appeal.forwarded).not.toBeNull();
          if (appeal.stage === 'changed-by-unit') expect(appeal.unitChange?.fully === true || appeal.forwarded !== null).toBe(true);
          if (appeal.stage === 'dismissed') expect(appeal.assessment?.requirementsMet).toBe(false);
          expect(endedInUnit || endedByBody || ['registered', 'assessed', 'under-preparation', 'forwarded'].includes(appeal.stage)).toBe(true);
          expect(appeal.stage).not.toBe('closed-by-unit-legacy');
        }
      }),
      params(300),
    );
  });
});
