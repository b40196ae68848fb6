import { TRONDHEIM_2023_RULE_SET } from '../delegation/trondheim-2023.rule-set';
import { InvalidRuleSet } from '../delegation/delegation.errors';
import type { Actor } from '../shared/actor';
import { fold } from '../shared/decider';
import {
  RULE_SET_BOOTSTRAP_ACTOR,
  ruleSetDecider,
  RuleSetStatusConflict,
  RuleSetVersionConflict,
  type DraftRuleSet,
  type RuleSetCommand,
  type RuleSetEvent,
} from './rule-set';

const analyst: Actor = { userId: 'rules-ragnhild', role: 'rules-analyst' };
const leader: Actor = { userId: 'hvk-leder', role: 'unit-leader', unit: 'HVK' };
const caseworker: Actor = { userId: 'hvk-kari', role: 'caseworker', unit: 'HVK' };
const ctx = (actor: Actor) => ({ now: new Date('2026-11-27T10:00:00Z'), newId: () => 'id', actor });
const draft: DraftRuleSet = { type: 'DraftRuleSet', data: { document: 'id: trondheim-2023\n...', format: 'yaml', ruleSet: TRONDHEIM_2023_RULE_SET } };

const withRuleSet = (ruleSet: object): DraftRuleSet => ({ type: 'DraftRuleSet', data: { ...draft.data, ruleSet } });

function run(history: RuleSetEvent[], command: RuleSetCommand, actor: Actor): RuleSetEvent[] {
  return ruleSetDecider.decide(command, fold(ruleSetDecider, history), ctx(actor));
}

describe('rule-set stream decider', () => {
  it('stores the version the document names, and only a rules analyst drafts', () => {
    expect(() => run([], draft, caseworker)).toThrow(/rules-analyst/);
    const first = run([], draft, analyst);
    expect(first[0]).toMatchObject({ type: 'RuleSetDrafted', data: { ruleSetId: 'trondheim-2023', version: 1, ruleSet: { version: 1 } } });
    const third = run([], withRuleSet({ ...TRONDHEIM_2023_RULE_SET, version: 3 }), analyst);
    expect(third[0].data).toMatchObject({ version: 3, ruleSet: { version: 3 } });
  });

  it('a document drafted again unchanged is the same version: nothing to append', () => {
    const first = run([], draft, analyst);
    expect(run(first, draft, analyst)).toEqual([]);
    // Without a version of its own: the latest again when unchanged, the next number when changed.
    expect(run(first, { ...draft, data: { ...draft.data, versionNamed: false } }, analyst)).toEqual([]);
    const changed = { ...TRONDHEIM_2023_RULE_SET, name: 'Changed' };
    expect(run(first, { ...withRuleSet(changed), data: { ...withRuleSet(changed).data, versionNamed: false } }, analyst)[0].data).toMatchObject({ version: 2 });
  });

  it('refuses a named version stored with other rules, or below the latest', () => {
    const first = run([], draft, analyst);
    expect(() => run(first, withRuleSet({ ...TRONDHEIM_2023_RULE_SET, name: 'Changed' }), analyst)).toThrow(RuleSetVersionConflict);
    const fifth = run(first, withRuleSet({ ...TRONDHEIM_2023_RULE_SET, name: 'Changed', version: 5 }), analyst);
    expect(fifth[0].data).toMatchObject({ version: 5 });
    expect(() => run([...first, ...fifth], withRuleSet({ ...TRONDHEIM_2023_RULE_SET, name: 'Other', version: 4 }), analyst)).toThrow(/versions only grow and the latest is 5/);
  });

  it('the system loads a shipped set once: drafted under its own version and activated from its date into an empty stream', () => {
    const load: RuleSetCommand = { type: 'LoadShippedRuleSet', data: { ...draft.data, activate: true } };
    expect(() => run([], load, analyst)).toThrow(/only by the system/);
    const loaded = run([], load, RULE_SET_BOOTSTRAP_ACTOR);
    expect(loaded).toMatchObject([
      { type: 'RuleSetDrafted', data: { version: 1, by: { userId: 'familievedtak-bootstrap', role: 'system' } } },
      { type: 'RuleSetActivated', data: { version: 1, effectiveFrom: TRONDHEIM_2023_RULE_SET.effectiveFrom } },
    ]);
    expect(run(loaded, load, RULE_SET_BOOTSTRAP_ACTOR)).toEqual([]);
    // A stream the municipality worked on: a new shipped version joins as a draft, never activated.
    const v2 = run(loaded, { type: 'LoadShippedRuleSet', data: { ...withRuleSet({ ...TRONDHEIM_2023_RULE_SET, name: 'Next', version: 2 }).data, activate: true } }, RULE_SET_BOOTSTRAP_ACTOR);
    expect(v2.map((e) => e.type)).toEqual(['RuleSetDrafted']);
    // A system actor may not draft as a rules analyst.
    expect(() => run([], draft, RULE_SET_BOOTSTRAP_ACTOR)).toThrow(/rules-analyst/);
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
