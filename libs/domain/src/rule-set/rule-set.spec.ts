import { TRONDHEIM_2023_RULE_SET } from '../delegation/trondheim-2023.rule-set';
import { InvalidRuleSet } from '../delegation/delegation.errors';
import { RuleOutsideLegalLimits } from '../delegation/legal-limits';
import { ActionNotPermitted, InvalidDate, InvalidInput } from '../shared/domain-error';
import type { Actor } from '../shared/actor';
import { fold } from '../shared/decider';
import {
  ActivationBeforeDelegationDecision,
  DelegationDecisionRequired,
  RULE_SET_BOOTSTRAP_ACTOR,
  RuleSetBackdated,
  upcastRuleSetEvent,
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
const authority: Actor = { userId: 'kd-kristin', role: 'delegation-authority' };
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
    expect(() => run([...first, ...fifth], withRuleSet({ ...TRONDHEIM_2023_RULE_SET, name: 'Other', version: 4 }), analyst)).toThrow(
      /versions only grow and the latest is 5/,
    );
  });

  it('the system loads a shipped set once: drafted under its own version and activated from its date into an empty stream', () => {
    const load: RuleSetCommand = { type: 'LoadShippedRuleSet', data: { ...draft.data, activate: true } };
    expect(() => run([], load, analyst)).toThrow(/only by the system/);
    const loaded = run([], load, RULE_SET_BOOTSTRAP_ACTOR);
    expect(loaded).toMatchObject([
      { type: 'RuleSetDrafted', data: { version: 1, by: { userId: 'familievedtak-bootstrap', role: 'system' } } },
      // Bootstrap: the rules in force at installation, on no decision of ours (see README).
      { type: 'RuleSetActivated', data: { version: 1, effectiveFrom: TRONDHEIM_2023_RULE_SET.effectiveFrom, delegationDecision: null } },
    ]);
    expect(run(loaded, load, RULE_SET_BOOTSTRAP_ACTOR)).toEqual([]);
    // A stream the municipality worked on: a new shipped version joins as a draft, never activated.
    const v2 = run(
      loaded,
      { type: 'LoadShippedRuleSet', data: { ...withRuleSet({ ...TRONDHEIM_2023_RULE_SET, name: 'Next', version: 2 }).data, activate: true } },
      RULE_SET_BOOTSTRAP_ACTOR,
    );
    expect(v2.map((e) => e.type)).toEqual(['RuleSetDrafted']);
    // A system actor may not draft as a rules analyst.
    expect(() => run([], draft, RULE_SET_BOOTSTRAP_ACTOR)).toThrow(/rules-analyst/);
  });

  it('checks the parsed model again', () => {
    expect(() => run([], { ...draft, data: { ...draft.data, ruleSet: { id: 'x' } } } as RuleSetCommand, analyst)).toThrow(InvalidRuleSet);
  });

  const decision = { body: 'kommunedirektøren', decidedOn: '2026-11-20', caseNumber: '2026/4711' };
  const activate = (data: Record<string, unknown>): RuleSetCommand => ({
    type: 'ActivateRuleSet',
    data: { effectiveFrom: '2027-01-01', delegationDecision: decision, ...data },
  });

  it('kl § 13-1: only the delegation authority activates, naming the delegation decision, and retires; each only once', () => {
    const drafted = run([], draft, analyst);
    expect(() => run(drafted, activate({}), analyst)).toThrow(/delegation-authority/);
    // Unit leaders lost the right: delegation is the council's or the chief executive's.
    expect(() => run(drafted, activate({}), leader)).toThrow(ActionNotPermitted);
    const activated = run(drafted, activate({}), authority);
    expect(activated[0]).toMatchObject({
      type: 'RuleSetActivated',
      data: { version: 1, effectiveFrom: '2027-01-01', delegationDecision: decision, by: { userId: 'kd-kristin' } },
    });
    expect(fold(ruleSetDecider, [...drafted, ...activated]).versions[0]).toMatchObject({
      status: 'active',
      effectiveFrom: '2027-01-01',
      delegationDecision: decision,
    });
    expect(() => run([...drafted, ...activated], activate({}), authority)).toThrow(RuleSetStatusConflict);
    expect(() => run([...drafted, ...activated], { type: 'RetireRuleSet', data: {} }, leader)).toThrow(ActionNotPermitted);
    const retired = run([...drafted, ...activated], { type: 'RetireRuleSet', data: {} }, authority);
    expect(retired[0]).toMatchObject({ type: 'RuleSetRetired', data: { version: 1, reason: null } });
    expect(fold(ruleSetDecider, [...drafted, ...activated, ...retired]).versions[0].status).toBe('retired');
    expect(() => run([...drafted, ...activated, ...retired], { type: 'RetireRuleSet', data: {} }, authority)).toThrow(RuleSetStatusConflict);
  });

  it('kl § 13-1: an activation without a complete delegation decision is refused', () => {
    const drafted = run([], draft, analyst);
    expect(() => run(drafted, activate({ delegationDecision: undefined }), authority)).toThrow(DelegationDecisionRequired);
    expect(() => run(drafted, activate({ delegationDecision: { ...decision, caseNumber: '' } }), authority)).toThrow(/Missing: caseNumber/);
    expect(() => run(drafted, activate({ delegationDecision: 'the council said so' }), authority)).toThrow(DelegationDecisionRequired);
    expect(() => run(drafted, activate({ delegationDecision: { ...decision, decidedOn: '2026-02-30' } }), authority)).toThrow(InvalidDate);
    // A decision not yet made (after today, 2026-11-27) is nothing to rest on.
    expect(() => run(drafted, activate({ delegationDecision: { ...decision, decidedOn: '2026-11-28' } }), authority)).toThrow(/already made/);
    expect(() => run(drafted, activate({ delegationDecision: { ...decision, signedBy: 'x' } }), authority)).toThrow(InvalidInput);
  });

  it('kl § 13-1: never backdated: not before today, not before the delegation decision', () => {
    const drafted = run([], draft, analyst);
    // Today (2026-11-27, the clock's day in Oslo) is the earliest day.
    expect(run(drafted, activate({ effectiveFrom: '2026-11-27' }), authority)[0].data).toMatchObject({ effectiveFrom: '2026-11-27' });
    expect(() => run(drafted, activate({ effectiveFrom: '2026-11-26', delegationDecision: { ...decision, decidedOn: '2026-11-01' } }), authority)).toThrow(
      RuleSetBackdated,
    );
    expect(() => run(drafted, activate({ effectiveFrom: '2026-11-10', delegationDecision: { ...decision, decidedOn: '2026-11-20' } }), authority)).toThrow(
      ActivationBeforeDelegationDecision,
    );
  });

  it('an activation recorded before activations named a decision reads delegationDecision: null (upcast, idempotent)', () => {
    const drafted = run([], draft, analyst);
    const old = {
      type: 'RuleSetActivated',
      data: {
        ruleSetId: 'trondheim-2023',
        version: 1,
        effectiveFrom: '2024-01-01',
        at: '2023-12-01T09:00:00.000Z',
        by: { userId: 'hvk-leder', role: 'unit-leader', unit: 'HVK' },
      },
    } as unknown as RuleSetEvent;
    expect(upcastRuleSetEvent(old).data).toMatchObject({ delegationDecision: null, effectiveFrom: '2024-01-01' });
    expect(upcastRuleSetEvent(upcastRuleSetEvent(old))).toEqual(upcastRuleSetEvent(old));
    expect(fold(ruleSetDecider, [...drafted, old]).versions[0]).toMatchObject({ status: 'active', effectiveFrom: '2024-01-01', delegationDecision: null });
  });

  it('NAV-loven § 13: a rule letting OPPVEKST decide economic social assistance is refused at drafting, and by the loader', () => {
    const unlawful = {
      ...TRONDHEIM_2023_RULE_SET,
      rules: TRONDHEIM_2023_RULE_SET.rules.map((r) => (r.id === 'nav-social-assistance' ? { ...r, units: ['NAV', 'OPPVEKST'] } : r)),
    };
    const refusal = (() => {
      try {
        run([], withRuleSet(unlawful), analyst);
      } catch (error) {
        return error as RuleOutsideLegalLimits;
      }
      throw new Error('drafted an unlawful rule set');
    })();
    expect(refusal).toBeInstanceOf(RuleOutsideLegalLimits);
    expect(refusal.details.errors).toEqual([
      expect.objectContaining({
        ruleId: 'nav-social-assistance',
        decisionType: 'economic-social-assistance',
        unit: 'OPPVEKST',
        provision: 'NAV-loven § 13; sosialtjenesteloven § 3',
      }),
    ]);
    expect(() => run([], { type: 'LoadShippedRuleSet', data: { ...withRuleSet(unlawful).data, activate: true } }, RULE_SET_BOOTSTRAP_ACTOR)).toThrow(
      RuleOutsideLegalLimits,
    );
  });

  it('barnevernsloven: a draft stored before the limits were checked cannot be activated', () => {
    const unlawful = {
      ...TRONDHEIM_2023_RULE_SET,
      rules: [{ id: 'nav-child-welfare', decisionType: 'child-welfare-support-measure', units: ['NAV'], members: {}, fourEyes: true, bundlable: true }],
    };
    const legacyDraft = {
      type: 'RuleSetDrafted',
      data: {
        ruleSetId: 'trondheim-2023',
        version: 1,
        document: '...',
        format: 'yaml',
        ruleSet: unlawful,
        at: '2025-01-01T09:00:00.000Z',
        by: { userId: 'rules-ragnhild', role: 'rules-analyst' },
      },
    } as unknown as RuleSetEvent;
    expect(() => run([legacyDraft], activate({}), authority)).toThrow(/only BFT may decide/);
  });
});
