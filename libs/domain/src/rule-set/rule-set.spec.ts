import { TRONDHEIM_2023_RULE_SET } from '../delegation/trondheim-2023.rule-set';
import { InvalidRuleSet } from '../delegation/delegation.errors';
import type { Actor } from '../shared/actor';
import { fold } from '../shared/decider';
import { ruleSetDecider, RuleSetStatusConflict, type RuleSetCommand, type RuleSetEvent } from './rule-set';

const analyst: Actor = { userId: 'rules-ragnhild', role: 'rules-analyst' };
const leader: Actor = { userId: 'hvk-leder', role: 'unit-leader', unit: 'HVK' };
const caseworker: Actor = { userId: 'hvk-kari', role: 'caseworker', unit: 'HVK' };
const ctx = (actor: Actor) => ({ now: new Date('2026-11-27T10:00:00Z'), newId: () => 'id', actor });
const draft: RuleSetCommand = { type: 'DraftRuleSet', data: { document: 'id: trondheim-2023\n...', format: 'yaml', ruleSet: TRONDHEIM_2023_RULE_SET } };

function run(history: RuleSetEvent[], command: RuleSetCommand, actor: Actor): RuleSetEvent[] {
  return ruleSetDecider.decide(command, fold(ruleSetDecider, history), ctx(actor));
}

describe('rule-set stream decider', () => {
  it('numbers drafted versions, and only a rules analyst drafts', () => {
    expect(() => run([], draft, caseworker)).toThrow(/rules-analyst/);
    const first = run([], draft, analyst);
    expect(first[0]).toMatchObject({ type: 'RuleSetDrafted', data: { ruleSetId: 'trondheim-2023', version: 1 } });
    const second = run(first, draft, analyst);
    expect(second[0].data).toMatchObject({ version: 2, ruleSet: { version: 2 } });
  });

  it('checks the parsed model again', () => {
    expect(() => run([], { ...draft, data: { ...draft.data, ruleSet: { id: 'x' } } } as RuleSetCommand, analyst)).toThrow(InvalidRuleSet);
  });

  it('only a unit leader activates (from a date) and retires; each only once', () => {
    const drafted = run([], draft, analyst);
    const activate: RuleSetCommand = { type: 'ActivateRuleSet', data: { effectiveFrom: '2027-01-01' } };
    expect(() => run(drafted, activate, analyst)).toThrow(/unit-leader/);
    const activated = run(drafted, activate, leader);
    expect(activated[0]).toMatchObject({ type: 'RuleSetActivated', data: { version: 1, effectiveFrom: '2027-01-01' } });
    expect(() => run([...drafted, ...activated], activate, leader)).toThrow(RuleSetStatusConflict);
    const retired = run([...drafted, ...activated], { type: 'RetireRuleSet', data: {} }, leader);
    expect(retired[0]).toMatchObject({ type: 'RuleSetRetired', data: { version: 1, reason: null } });
    expect(fold(ruleSetDecider, [...drafted, ...activated, ...retired]).versions[0].status).toBe('retired');
    expect(() => run([...drafted, ...activated, ...retired], { type: 'RetireRuleSet', data: {} }, leader)).toThrow(RuleSetStatusConflict);
  });
});
