import { TRONDHEIM_2023_RULE_SET } from '../delegation/trondheim-2023.rule-set';
import type { FamilyCommand } from '../family/family.commands';
import { decideFamily } from '../family/family.decider';
import type { FamilyState } from '../family/family.state';
import type { Actor } from '../shared/actor';
import { DomainError } from '../shared/domain-error';
import type { Unit } from '../shared/units';
import { adult, child, ev, extend, fold } from './testing/access-events';

/**
 * Errors tell nothing (forvaltningsloven § 13): the deciders' record lookups (requireDecision,
 * requireDecisionIn, requireNeed, requirePayment, requireAppeal, requireConsent) treat a record
 * the acting user may not read (the read-access rules, today) as absent, with the same plain
 * NOT_FOUND as a wrong id, before anything about the record (status, unit, period) is told.
 */

const NOW = new Date('2026-11-27T09:00:00.000Z');
const A = 'm-a';
const C = 'm-c';

const staff = (unit: Unit, role: Actor['role'] = 'caseworker'): Actor => ({ userId: `${unit.toLowerCase()}-${role}`, role, unit });
const ctx = (actor: Actor) => ({ now: NOW, newId: () => 'new-id', actor, ruleSet: TRONDHEIM_2023_RULE_SET });

function refusal(command: FamilyCommand, state: FamilyState, actor: Actor): { code: string; message: string } {
  try {
    decideFamily(command, state, ctx(actor));
  } catch (error) {
    if (error instanceof DomainError) return { code: error.code, message: error.message };
    throw error;
  }
  throw new Error(`${command.type} was not refused`);
}

/** NAV registered the family and decided for the mother; BFT accepted a referral and decided for the child. */
const state = fold(
  ev.registered([adult(A), child(C)]),
  ev.part('BFT', 'NAV', [C]),
  ev.decision('d-nav', 'NAV', 'economic-social-assistance', [A]),
  ev.decision('d-nav-2', 'NAV', 'economic-social-assistance', [A], false),
  ev.decision('d-nav-3', 'NAV', 'economic-social-assistance', [A]),
  ev.appeal('a-nav', 'd-nav-3', 'NAV'),
  ev.need('n-nav', 'NAV', A),
  ev.payment('p-nav', 'NAV', A),
  ev.consent('c-nav', A, ['HVK'], ['needs'], { recordedBy: 'NAV' }),
  ev.decision('d-bft', 'BFT', 'child-welfare-support-measure', [C]),
);

describe('forvaltningsloven § 13: a record another unit may not read does not exist for it', () => {
  const cases: Array<[string, FamilyCommand, string, string]> = [
    ['approve', { type: 'ApproveDecision', data: { decisionId: 'd-nav-2' } }, 'DECISION_NOT_FOUND', 'd-nav-2'],
    ['reject', { type: 'RejectDecision', data: { decisionId: 'd-nav-2', reason: 'No' } }, 'DECISION_NOT_FOUND', 'd-nav-2'],
    ['amend', { type: 'AmendDecision', data: { decisionId: 'd-nav', reasons: 'More', amounts: { monthlyAmountOre: 1 } } }, 'DECISION_NOT_FOUND', 'd-nav'],
    ['revoke', { type: 'RevokeDecision', data: { decisionId: 'd-nav', reason: 'No' } }, 'DECISION_NOT_FOUND', 'd-nav'],
    // Before: "Decision d-nav runs until 2027-09-30; it can expire from the day after."
    ['expire', { type: 'ExpireDecision', data: { decisionId: 'd-nav' } }, 'DECISION_NOT_FOUND', 'd-nav'],
    [
      'register an appeal',
      { type: 'RegisterAppeal', data: { decisionId: 'd-nav', appellant: { memberId: 'm-1' }, receivedOn: '2026-11-20', channel: 'post', grounds: 'G' } },
      'DECISION_NOT_FOUND',
      'd-nav',
    ],
    ['forward an appeal', { type: 'ForwardAppeal', data: { appealId: 'a-nav', unitStatement: 'S', copyToParty: true } }, 'APPEAL_NOT_FOUND', 'a-nav'],
    ['pick up a need', { type: 'PickUpNeed', data: { needId: 'n-nav' } }, 'NEED_NOT_FOUND', 'n-nav'],
    ['resolve a need', { type: 'ResolveNeed', data: { needId: 'n-nav', resolution: 'Done' } }, 'NEED_NOT_FOUND', 'n-nav'],
    ['withdraw a need', { type: 'WithdrawNeed', data: { needId: 'n-nav' } }, 'NEED_NOT_FOUND', 'n-nav'],
    ['reverse a payment', { type: 'ReversePayment', data: { paymentId: 'p-nav', reason: 'Twice' } }, 'PAYMENT_NOT_FOUND', 'p-nav'],
    ['withdraw a consent', { type: 'WithdrawConsent', data: { consentId: 'c-nav', expressedByMemberId: A, channel: 'orally' } }, 'CONSENT_NOT_FOUND', 'c-nav'],
    ['link a decision to its own need', { type: 'ResolveNeed', data: { needId: 'n-bft-own', decisionIds: ['d-nav'] } }, 'DECISION_NOT_FOUND', 'd-nav'],
  ];
  const withOwnNeed = extend(state, ev.need('n-bft-own', 'BFT', C));

  it.each(cases)('an approver of BFT (with a part) trying to %s of NAV gets the plain NOT_FOUND', (_what, command, code, id) => {
    const got = refusal(command, withOwnNeed, staff('BFT', 'approver'));
    expect(got.code).toBe(code);
    expect(got.message).toMatch(new RegExp(`^No [a-z]+ ${id} (is recorded for|in) this family\\.$`));
    for (const leak of ['2027', 'runs until', 'active', 'proposed', 'NAV', 'status']) expect([leak, got.message.includes(leak)]).toEqual([leak, false]);
  });

  it('the same answer as for an id that does not exist', () => {
    const unknown = refusal({ type: 'ExpireDecision', data: { decisionId: 'd-nope' } }, state, staff('BFT', 'approver'));
    const hidden = refusal({ type: 'ExpireDecision', data: { decisionId: 'd-nav' } }, state, staff('BFT', 'approver'));
    expect(hidden).toEqual({ code: unknown.code, message: unknown.message.replace('d-nope', 'd-nav') });
  });

  it('the owning unit still gets the real answer (its own record)', () => {
    expect(refusal({ type: 'ExpireDecision', data: { decisionId: 'd-nav' } }, state, staff('NAV', 'approver'))).toEqual({
      code: 'DECISION_PERIOD_NOT_ENDED',
      message: 'Decision d-nav runs until 2027-09-30; it can expire from the day after.',
    });
    expect(refusal({ type: 'ApproveDecision', data: { decisionId: 'd-nav-2' } }, state, staff('NAV', 'caseworker')).code).toBe('NOT_APPROVER');
  });

  it('§ 13 a no. 1: with a consent in force covering the record, it exists for the other unit, and the next rule answers', () => {
    const consented = extend(state, ev.consent('c-dec', A, ['BFT'], ['decisions'], { recordedBy: 'NAV', sourceUnits: ['NAV'] }));
    expect(refusal({ type: 'ExpireDecision', data: { decisionId: 'd-nav' } }, consented, staff('BFT', 'approver')).code).toBe('DECISION_PERIOD_NOT_ENDED');
    expect(refusal({ type: 'RevokeDecision', data: { decisionId: 'd-nav', reason: 'No' } }, consented, staff('BFT', 'approver')).code).toBe('UNIT_MISMATCH');
  });

  it('a unit whose part ended is refused before any lookup (NO_PART_IN_CASE), never told about the record', () => {
    const ended = extend(state, ev.closed('BFT'));
    expect(refusal({ type: 'ExpireDecision', data: { decisionId: 'd-nav' } }, ended, staff('BFT', 'approver')).code).toBe('NO_PART_IN_CASE');
  });
});
