import type { FamilyEvent } from '../family/family.events';
import type { Appeal, Payment } from '../family/family.state';
import type { Unit } from '../shared/units';
import {
  enrolmentsNaming,
  familyReadAccess,
  mayReadAppeal,
  mayReadConsent,
  mayReadDecision,
  mayReadNeed,
  mayReadPayment,
  needFacts,
  NO_ACCESS_REASON,
  paymentFacts,
  possibleReaders,
  readerKey,
  standingOf,
  type Reader,
} from './family-read-access';
import {
  adult,
  child,
  ev,
  extend,
  fold,
  RED_CROSS,
  SAUPSTAD_IL,
  TODAY,
  AUDITOR,
  grant,
  ids,
  unitReader as unit,
  partnerReader as partner,
} from './testing/access-events';

/**
 * What each role sees, record kind by record kind (README "A part in the case", "What each role
 * sees"): the consents, family decisions, referrals, parts, enrolments and team a reader gets,
 * what is taken out of the records it gets (references to hidden records, a partner's view of
 * its own needs), whose records payments and partner records are, and the read audit's fields.
 * Each test names the provision it keeps: forvaltningsloven § 13 (confidentiality: a service
 * need, the part in the case) and § 13 a no. 1 (consent). Values are asserted exactly.
 */

const NONE: Reader = { kind: 'none', reason: 'no role' };

const A = 'm-a';
const B = 'm-b';
const C = 'm-c';
const base = ev.registered([adult(A), adult(B), child(C)]);
const RK = { organisationNumber: RED_CROSS, name: 'Røde Kors Heimdal', mayRecordPayments: true };
const IL = { organisationNumber: SAUPSTAD_IL, name: 'Saupstad IL', mayRecordPayments: false };

describe('forvaltningsloven § 13: standing in the case', () => {
  it('a stream without FamilyRegistered is no family: the unit that recorded in it is refused and reads none of its records; an auditor still reads them', () => {
    // A stream with records but no registration (evolve gives the recording unit a part as for schema 1 history).
    const state = fold(
      ev.need('n-nav', 'NAV', A),
      ev.decision('d-nav', 'NAV', 'economic-social-assistance', [A]),
      ev.appeal('a-nav', 'd-nav', 'NAV'),
      ev.payment('p-nav', 'NAV', A),
      ev.consent('c-nav', A, ['BFT'], ['needs']),
    );
    expect(state.status).toBe('unregistered');
    expect(state.parts.NAV).toMatchObject({ active: true });
    expect(standingOf(state, unit('NAV'))).toBeNull();
    expect(familyReadAccess(state, unit('NAV'), TODAY)).toEqual({ permit: false, reason: NO_ACCESS_REASON });
    expect({
      need: mayReadNeed(state, unit('NAV'), state.needs['n-nav'], TODAY),
      decision: mayReadDecision(state, unit('NAV'), state.decisions['d-nav'], TODAY),
      appeal: mayReadAppeal(state, unit('NAV'), state.appeals['a-nav'], TODAY),
      payment: mayReadPayment(state, unit('NAV'), state.payments['p-nav'], TODAY),
      consent: mayReadConsent(state, unit('NAV'), state.consents['c-nav'], TODAY),
    }).toEqual({ need: false, decision: false, appeal: false, payment: false, consent: false });
    expect(standingOf(state, AUDITOR)).toBe('auditor');
    expect(mayReadNeed(state, AUDITOR, state.needs['n-nav'], TODAY)).toBe(true);
  });

  it('a reader of no kind stands nowhere and reads no record (false, never undefined)', () => {
    const state = fold(base, ev.need('n-nav', 'NAV', A), ev.consent('c-nav', A, ['BFT'], ['needs']));
    expect(standingOf(state, NONE)).toBeNull();
    expect(mayReadNeed(state, NONE, state.needs['n-nav'], TODAY)).toBe(false);
    expect(mayReadConsent(state, NONE, state.consents['c-nav'], TODAY)).toBe(false);
    expect(familyReadAccess(state, NONE, TODAY)).toEqual({ permit: false, reason: 'No access to family data: no role.' });
  });

  it.each<[string, FamilyEvent | FamilyEvent[]]>([
    ['a decision of its own', ev.decision('d-bft', 'BFT', 'child-welfare-support-measure', [C])],
    ['a consent it recorded', ev.consent('c-bft', C, ['NAV'], ['needs'], { givenBy: A, recordedBy: 'BFT' })],
    ['a family decision it is responsible for', ev.familyDecision('fd-bft', 'BFT', [], [])],
  ])('a unit whose part ended keeps a standing through %s (its own record), and only through that', (_what, record) => {
    const state = fold(base, ev.part('BFT'), record, ev.closed('BFT'));
    expect(standingOf(state, unit('BFT'))).toBe('ended');
    expect(possibleReaders(state)).toEqual(['unit:BFT', 'unit:NAV']);
    expect(standingOf(fold(base, ev.part('BFT'), ev.closed('BFT')), unit('BFT'))).toBeNull();
  });

  it('a unit responsible for a family decision whose bundled decisions it cannot see still sees the family decision; the read audit counts it as decisions', () => {
    const state = fold(
      base,
      ev.part('BFT'),
      ev.decision('d-nav', 'NAV', 'economic-social-assistance', [A]),
      ev.familyDecision('fd-bft', 'BFT', [{ decisionId: 'd-nav', unit: 'NAV', decisionType: 'economic-social-assistance', memberIds: [A] }], []),
      ev.closed('BFT'),
    );
    const g = grant(state, unit('BFT'));
    expect(g.standing).toBe('ended');
    expect(ids(g.state.decisions)).toEqual([]);
    expect(ids(g.state.familyDecisions)).toEqual(['fd-bft']);
    expect(g.state.familyDecisions['fd-bft'].decisions).toEqual([]);
    expect(g.categories).toEqual(['decisions']);
    expect(g.consentIds).toEqual([]);
  });

  it('readerKey names a reader as possibleReaders does (the list prefilter matches on it); auditors and readers of no kind have no key', () => {
    const state = fold(base, ev.part('BFT'), ev.enrolled('e1', 'BFT', [C], [RK]));
    expect(readerKey(unit('NAV'))).toBe('unit:NAV');
    expect(readerKey(partner(RED_CROSS))).toBe(`partner:${RED_CROSS}`);
    expect(readerKey(AUDITOR)).toBeNull();
    expect(readerKey(NONE)).toBeNull();
    expect(possibleReaders(state)).toEqual([readerKey(partner(RED_CROSS)), readerKey(unit('BFT')), readerKey(unit('NAV'))]);
  });

  it("an empty organisation number names no partner (fail closed): no standing for such a reader, and a need recorded under it is no enrolling unit's record", () => {
    const state = fold(
      base,
      ev.part('BFT'),
      ev.enrolled('e1', 'BFT', [C], [RK, { organisationNumber: '', name: 'Nameless', mayRecordPayments: false }]),
      ev.need('n-rk', { partner: RED_CROSS }, C),
      ev.need('n-empty', { partner: '' }, C),
    );
    expect(enrolmentsNaming(state, '').map((e) => e.enrolmentId)).toEqual([]);
    expect(enrolmentsNaming(state, null).map((e) => e.enrolmentId)).toEqual([]);
    expect(enrolmentsNaming(state, RED_CROSS).map((e) => e.enrolmentId)).toEqual(['e1']);
    expect(familyReadAccess(state, partner(''), TODAY)).toEqual({ permit: false, reason: NO_ACCESS_REASON });
    expect(ids(grant(state, unit('BFT')).state.needs)).toEqual(['n-rk']);
    expect(mayReadNeed(state, unit('BFT'), state.needs['n-empty'], TODAY)).toBe(false);
  });

  it("an appeal whose decision is not in the family is read by no one (an appeal is part of its decision's record)", () => {
    const state = fold(base, ev.decision('d-nav', 'NAV', 'economic-social-assistance', [A]), ev.appeal('a-nav', 'd-nav', 'NAV'));
    const stray: Appeal = { ...state.appeals['a-nav'], appealId: 'a-stray', decisionId: 'd-gone' };
    expect(mayReadAppeal(state, unit('NAV'), state.appeals['a-nav'], TODAY)).toBe(true);
    expect(mayReadAppeal(state, unit('NAV'), stray, TODAY)).toBe(false);
    expect(mayReadAppeal(state, AUDITOR, stray, TODAY)).toBe(false);
  });
});

describe('forvaltningsloven § 13 a no. 1: which consents a unit sees', () => {
  const state = fold(
    base,
    ev.part('BFT'),
    ev.referral('r-hvk', 'NAV', 'HVK', [A]),
    ev.enrolled('e1', 'BFT', [C], [RK]),
    ev.consent('c-to-hvk', A, ['HVK', 'BFT'], ['needs'], { recordedBy: 'NAV' }),
    ev.consent('c-nav-only', A, ['NAV'], ['needs'], { recordedBy: 'NAV' }),
    ev.consent('c-withdrawn', B, ['BFT'], ['needs'], { recordedBy: 'NAV' }),
    ev.withdrawn('c-withdrawn', '2026-11-01', { alertedUnits: ['HVK'] }),
  );

  it('a unit with a part: the consents in force naming it, not a consent naming another unit only, not a withdrawn one it was not alerted about', () => {
    expect(ids(grant(state, unit('BFT')).state.consents)).toEqual(['c-to-hvk']);
    expect(mayReadConsent(state, unit('BFT'), state.consents['c-to-hvk'], TODAY)).toBe(true);
    expect(mayReadConsent(state, unit('BFT'), state.consents['c-nav-only'], TODAY)).toBe(false);
    expect(mayReadConsent(state, unit('BFT'), state.consents['c-withdrawn'], TODAY)).toBe(false);
  });

  it('a unit with only an open referral sees no consent, not even one naming it or one it was alerted about', () => {
    expect(standingOf(state, unit('HVK'))).toBe('referred');
    expect(grant(state, unit('HVK')).state.consents).toEqual({});
    expect(mayReadConsent(state, unit('HVK'), state.consents['c-to-hvk'], TODAY)).toBe(false);
    expect(mayReadConsent(state, unit('HVK'), state.consents['c-withdrawn'], TODAY)).toBe(false);
  });

  it('a partner sees no consent', () => {
    expect(grant(state, partner(RED_CROSS)).state.consents).toEqual({});
    for (const consent of Object.values(state.consents))
      expect([consent.consentId, mayReadConsent(state, partner(RED_CROSS), consent, TODAY)]).toEqual([consent.consentId, false]);
  });

  it('the unit responsible for a suspended family decision sees the consent that suspended it, with the reference kept; another unit seeing the family decision gets the reference removed', () => {
    const suspended = fold(
      base,
      ev.part('BFT'),
      ev.part('HVK'),
      ev.decision('d-hvk', 'HVK', 'municipal-housing', [A]),
      ev.consent('c-combine', A, ['HVK', 'NAV'], ['decisions'], { kind: 'combine-family-decision', recordedBy: 'NAV' }),
      ev.familyDecision('fd-1', 'HVK', [{ decisionId: 'd-hvk', unit: 'HVK', decisionType: 'municipal-housing', memberIds: [A] }], ['c-combine']),
      ev.consent('c-share', A, ['BFT'], ['decisions'], { sourceUnits: ['HVK'], recordedBy: 'NAV' }),
      ev.withdrawn('c-combine', '2026-11-20'),
    );
    const hvk = grant(suspended, unit('HVK'));
    expect(ids(hvk.state.consents)).toEqual(['c-combine']);
    expect(hvk.state.familyDecisions['fd-1']).toMatchObject({ status: 'suspended', suspendedByConsentId: 'c-combine', consentIds: ['c-combine'] });
    const bft = grant(suspended, unit('BFT'));
    expect(ids(bft.state.decisions)).toEqual(['d-hvk']);
    expect(ids(bft.state.consents)).toEqual(['c-share']);
    expect(bft.state.familyDecisions['fd-1']).toMatchObject({ status: 'suspended', suspendedByConsentId: null, consentIds: [] });
  });
});

describe('forvaltningsloven § 13: which family decisions a unit sees', () => {
  const bundle = (decisionId: string, u: Unit) => ({ decisionId, unit: u, decisionType: 'economic-social-assistance' as const, memberIds: [A] });
  const state = fold(
    base,
    ev.part('BFT'),
    ev.part('HVK'),
    ev.decision('d-nav', 'NAV', 'economic-social-assistance', [A]),
    ev.decision('d-hvk', 'HVK', 'municipal-housing', [A]),
    // Responsible HVK, bundling only NAV's decision; and one bundling a decision not in the family.
    ev.familyDecision('fd-hvk', 'HVK', [bundle('d-nav', 'NAV')], []),
    ev.familyDecision('fd-stray', 'NAV', [bundle('d-gone', 'NAV')], []),
  );

  it('its responsible unit sees it even when it sees none of the decisions it bundles (those are taken out)', () => {
    const g = grant(state, unit('HVK'));
    expect(ids(g.state.familyDecisions)).toEqual(['fd-hvk']);
    expect(g.state.familyDecisions['fd-hvk'].decisions).toEqual([]);
    expect(ids(g.state.decisions)).toEqual(['d-hvk']);
  });

  it('a unit with a part that is not responsible and sees none of its decisions does not see it (and it counts as withheld)', () => {
    const g = grant(state, unit('BFT'));
    expect(g.state.familyDecisions).toEqual({});
    expect(g.withheld).toEqual({ needs: 0, decisions: 2, payments: 0, consents: 0, familyDecisions: 2 });
    expect(g.categories).toEqual([]);
  });

  it('a unit that sees a bundled decision sees the family decision, with only the decisions it sees', () => {
    const g = grant(state, unit('NAV'));
    expect(ids(g.state.familyDecisions)).toEqual(['fd-hvk', 'fd-stray']);
    expect(g.state.familyDecisions['fd-hvk'].decisions.map((d) => d.decisionId)).toEqual(['d-nav']);
    expect(g.state.familyDecisions['fd-stray'].decisions).toEqual([]);
  });

  it('an auditor sees every family decision, even one whose bundled decisions are not in the family (the dangling reference is taken out like any other)', () => {
    const g = grant(state, AUDITOR);
    expect(ids(g.state.familyDecisions)).toEqual(['fd-hvk', 'fd-stray']);
    expect(g.state.familyDecisions['fd-hvk']).toEqual(state.familyDecisions['fd-hvk']);
    expect(g.state.familyDecisions['fd-stray']).toEqual({ ...state.familyDecisions['fd-stray'], decisions: [] });
    expect(g.withheld).toEqual({ needs: 0, decisions: 0, payments: 0, consents: 0, familyDecisions: 0 });
  });
});

describe('forvaltningsloven § 13: which referrals a unit sees', () => {
  const state = fold(
    base,
    ev.part('BFT'),
    ev.decision('d-bft', 'BFT', 'child-welfare-support-measure', [C]),
    ev.referral('r-hvk', 'NAV', 'HVK', [A]),
    ev.referral('r-bft-inn', 'BFT', 'INN', [C]),
    ev.referral('r-hvk-old', 'BFT', 'HVK', [B]),
    ev.declined('r-hvk-old', 'HVK'),
  );

  it("a unit with a part: the referrals it made and the ones made to it, not other units'", () => {
    expect(ids(grant(state, unit('BFT')).state.referrals)).toEqual(['r-bft-inn', 'r-hvk-old', 'ref-BFT']);
    expect(ids(grant(state, unit('NAV')).state.referrals)).toEqual(['r-hvk', 'ref-BFT']);
  });

  it('a unit whose part ended keeps the referrals it made or received', () => {
    const ended = extend(state, ev.closed('BFT'));
    expect(standingOf(ended, unit('BFT'))).toBe('ended');
    expect(ids(grant(ended, unit('BFT')).state.referrals)).toEqual(['r-bft-inn', 'r-hvk-old', 'ref-BFT']);
  });

  it("a unit without a part: only the open referral to it, not one it declined nor other units' open ones; its names are the referred members'", () => {
    const g = grant(state, unit('HVK'));
    expect(g.standing).toBe('referred');
    expect(ids(g.state.referrals)).toEqual(['r-hvk']);
    expect(ids(g.state.members)).toEqual([A]);
    expect(ids(grant(state, unit('INN')).state.referrals)).toEqual(['r-bft-inn']);
  });

  it("a referral's consents are kept only where the reader sees the consent", () => {
    const withConsents = fold(
      base,
      ev.consent('c-to-bft', C, ['BFT'], ['needs'], { givenBy: A, recordedBy: 'NAV' }),
      ev.consent('c-to-hvk', C, ['HVK'], ['needs'], { givenBy: A, recordedBy: 'NAV' }),
      ev.referral('r-bft', 'NAV', 'BFT', [C], 'consent', ['c-to-bft', 'c-to-hvk']),
      ev.accepted('r-bft', 'BFT'),
    );
    expect(grant(withConsents, unit('BFT')).state.referrals['r-bft'].consentIds).toEqual(['c-to-bft']);
    expect(grant(withConsents, unit('NAV')).state.referrals['r-bft'].consentIds).toEqual(['c-to-bft', 'c-to-hvk']);
  });
});

describe('forvaltningsloven § 13: parts, enrolments and team by standing', () => {
  it('a unit whose part ended: its own part and the enrolments it is responsible for, no team, no parental responsibility', () => {
    const state = fold(
      base,
      ev.part('BFT'),
      ev.part('HVK'),
      ev.parental(C, A),
      ev.team('t-bft', { kind: 'unit', unit: 'BFT' }),
      ev.decision('d-bft', 'BFT', 'child-welfare-support-measure', [C]),
      ev.enrolled('e-bft', 'BFT', [C], [RK]),
      ev.enrolled('e-nav', 'NAV', [A], [IL]),
      ev.closed('BFT'),
    );
    const g = grant(state, unit('BFT'));
    expect(g.standing).toBe('ended');
    expect(ids(g.state.parts)).toEqual(['BFT']);
    expect(ids(g.state.enrolments)).toEqual(['e-bft']);
    expect(g.state.team).toEqual({});
    expect(g.state.parentalResponsibility).toEqual({});
  });

  it('a unit that owns a record but never had a part gets no part, no enrolment and no team', () => {
    const state = fold(base, ev.enrolled('e-nav', 'NAV', [A], [IL]), {
      type: 'PaymentRecorded',
      data: {
        paymentId: 'p-x',
        recipientMemberId: A,
        amountOre: 1,
        method: 'bank-transfer',
        funding: { kind: 'unit', unit: 'INN' },
        answersNeedId: null,
        answersDecisionId: null,
        documentationRef: 'B',
        paidOn: '2026-11-01',
        countsAsIncome: false,
        at: '2026-11-01T09:00:00.000Z',
        by: { userId: 'nav-cw', role: 'caseworker', unit: 'NAV', partnerOrganisation: null },
      },
    });
    const g = grant(state, unit('INN'));
    expect(g.standing).toBe('ended');
    expect(ids(g.state.payments)).toEqual(['p-x']);
    expect(ids(g.state.parts)).toEqual([]);
    expect(ids(g.state.enrolments)).toEqual([]);
  });

  it("a unit whose part ended and that has a new open referral (nothing of its own): no part, enrolment or team, the referred members' names only", () => {
    const state = fold(base, ev.part('HVK'), ev.closed('HVK'), ev.enrolled('e-nav', 'NAV', [A], [IL]), ev.referral('r-again', 'NAV', 'HVK', [B]));
    expect(state.parts.HVK).toMatchObject({ active: false });
    const g = grant(state, unit('HVK'));
    expect(g.standing).toBe('referred');
    expect(ids(g.state.parts)).toEqual([]);
    expect(ids(g.state.enrolments)).toEqual([]);
    expect(g.state.team).toEqual({});
    expect(ids(g.state.members)).toEqual([B]);
    expect(g.state.members[B]).toMatchObject({ nameOnly: true, birthDate: null });
  });

  it("a partner sees its own organisation's active contact persons only: not one who left, not another organisation's, not a legacy one without a number, not a unit's", () => {
    const state = fold(
      base,
      ev.part('BFT'),
      ev.enrolled('e1', 'BFT', [C], [RK, IL]),
      ev.team('t-rk', { kind: 'partner', organisation: 'Røde Kors Heimdal', organisationNumber: RED_CROSS }),
      ev.team('t-rk-left', { kind: 'partner', organisation: 'Røde Kors Heimdal', organisationNumber: RED_CROSS }),
      ev.teamLeft('t-rk-left'),
      ev.team('t-il', { kind: 'partner', organisation: 'Saupstad IL', organisationNumber: SAUPSTAD_IL }),
      ev.team('t-legacy', { kind: 'partner', organisation: 'Røde Kors Heimdal', organisationNumber: null }),
      ev.team('t-bft', { kind: 'unit', unit: 'BFT' }),
    );
    expect(ids(grant(state, partner(RED_CROSS)).state.team)).toEqual(['t-rk']);
    expect(ids(grant(state, partner(SAUPSTAD_IL)).state.team)).toEqual(['t-il']);
    expect(ids(grant(state, unit('BFT')).state.team)).toEqual(['t-bft', 't-il', 't-legacy', 't-rk', 't-rk-left']);
  });
});

describe('partners: their own needs, without who picked them up or how they were resolved', () => {
  const state = fold(
    base,
    ev.part('BFT'),
    ev.enrolled('e1', 'BFT', [C], [RK]),
    ev.need('n-rk', { partner: RED_CROSS }, C, 'Wants to play football'),
    ev.pickUp('n-rk', 'BFT'),
    ev.decision('d-bft', 'BFT', 'child-welfare-support-measure', [C]),
    ev.partnerPayment('p-rk', RED_CROSS, C),
    ev.payment('p-bft', 'BFT', C),
    ev.resolve('n-rk', ['d-bft'], ['p-rk', 'p-bft'], 'Got a place on the team', 'BFT'),
  );

  it("the partner gets its need without resolution or pickedUpBy, and only its own payment among the need's payments", () => {
    const g = grant(state, partner(RED_CROSS));
    expect(ids(g.state.needs)).toEqual(['n-rk']);
    expect(ids(g.state.payments)).toEqual(['p-rk']);
    expect(g.state.needs['n-rk']).toMatchObject({ status: 'resolved', resolution: null, pickedUpBy: [], decisionIds: [], paymentIds: ['p-rk'] });
  });

  it('the enrolling unit gets the same need whole', () => {
    const g = grant(state, unit('BFT'));
    expect(g.state.needs['n-rk']).toMatchObject({
      resolution: 'Got a place on the team',
      pickedUpBy: [{ unit: 'BFT', at: expect.any(String) }],
      decisionIds: ['d-bft'],
      paymentIds: ['p-rk', 'p-bft'],
    });
  });
});

describe('forvaltningsloven § 13: references to hidden records are removed, to visible ones kept', () => {
  const state = fold(
    base,
    ev.part('BFT'),
    ev.need('n-nav', 'NAV', A),
    ev.decision('d-nav', 'NAV', 'economic-social-assistance', [A]),
    ev.payment('p-nav', 'NAV', A, { answersNeedId: 'n-nav', answersDecisionId: 'd-nav' }),
    ev.consent('c-pay', A, ['BFT'], ['payments']),
  );

  it("a payment's answersNeedId and answersDecisionId stay for the unit that sees the need and decision, and go for a unit that sees the payment only", () => {
    expect(grant(state, unit('NAV')).state.payments['p-nav']).toMatchObject({ answersNeedId: 'n-nav', answersDecisionId: 'd-nav' });
    const bft = grant(state, unit('BFT'));
    expect(ids(bft.state.payments)).toEqual(['p-nav']);
    expect(bft.state.payments['p-nav'].answersNeedId).toBeNull();
    expect(bft.state.payments['p-nav'].answersDecisionId).toBeNull();
    expect(bft.consentIds).toEqual(['c-pay']);
  });

  it('a payment without links keeps null links for every reader, however many needs and decisions are shown beside it', () => {
    const plain = extend(state, ev.payment('p-plain', 'NAV', A));
    for (const reader of [unit('NAV'), AUDITOR]) {
      const shown = grant(plain, reader).state;
      expect(ids(shown.needs)).toEqual(['n-nav']);
      expect(shown.payments['p-plain']).toMatchObject({ answersNeedId: null, answersDecisionId: null });
    }
  });
});

describe('payments and partner records: whose records they are', () => {
  it("a payment is the funding unit's as well as the recording unit's", () => {
    const state = fold(base, ev.part('INN'), {
      type: 'PaymentRecorded',
      data: {
        paymentId: 'p-x',
        recipientMemberId: A,
        amountOre: 1,
        method: 'bank-transfer',
        funding: { kind: 'unit', unit: 'INN' },
        answersNeedId: null,
        answersDecisionId: null,
        documentationRef: 'B',
        paidOn: '2026-11-01',
        countsAsIncome: false,
        at: '2026-11-01T09:00:00.000Z',
        by: { userId: 'nav-cw', role: 'caseworker', unit: 'NAV', partnerOrganisation: null },
      },
    });
    expect(ids(grant(state, unit('NAV')).state.payments)).toEqual(['p-x']);
    expect(ids(grant(state, unit('INN')).state.payments)).toEqual(['p-x']);
    expect(grant(state, unit('INN')).consentIds).toEqual([]);
  });

  it("a partner's records are the units' whose enrolments name it, and no other unit's", () => {
    const state = fold(
      base,
      ev.part('BFT'),
      ev.part('HVK'),
      ev.enrolled('e-bft', 'BFT', [C], [RK]),
      ev.enrolled('e-hvk', 'HVK', [C], [IL]),
      ev.need('n-rk', { partner: RED_CROSS }, C),
      ev.partnerPayment('p-rk', RED_CROSS, C, 'sp-e-bft'),
    );
    expect(ids(grant(state, unit('BFT')).state.needs)).toEqual(['n-rk']);
    expect(ids(grant(state, unit('BFT')).state.payments)).toEqual(['p-rk']);
    expect(ids(grant(state, unit('HVK')).state.needs)).toEqual([]);
    expect(ids(grant(state, unit('HVK')).state.payments)).toEqual([]);
    expect(ids(grant(state, partner(SAUPSTAD_IL)).state.needs)).toEqual([]);
  });
});

// toStrictEqual: toEqual would let an undefined owner through ([unit, undefined] equals [unit]).
describe('record facts: whose a record is (its owners decide who sees it without consent), its category and members', () => {
  const paidBy = (paymentId: string, unitBy: Unit, funding: Payment['funding']): FamilyEvent => ({
    type: 'PaymentRecorded',
    data: {
      paymentId,
      recipientMemberId: C,
      amountOre: 1,
      method: 'bank-transfer',
      funding,
      answersNeedId: null,
      answersDecisionId: null,
      documentationRef: 'B',
      paidOn: '2026-11-01',
      countsAsIncome: false,
      at: '2026-11-01T09:00:00.000Z',
      by: { userId: `${unitBy}-cw`, role: 'caseworker', unit: unitBy, partnerOrganisation: null },
    },
  });
  const state = fold(
    base,
    ev.part('BFT'),
    ev.enrolled('e1', 'BFT', [C], [RK]),
    ev.payment('p-nav', 'NAV', A),
    paidBy('p-inn', 'NAV', { kind: 'unit', unit: 'INN' }),
    paidBy('p-sp', 'BFT', { kind: 'sub-project', subProjectId: 'sp-e1' }),
    ev.partnerPayment('p-rk', RED_CROSS, C),
    ev.need('n-rk', { partner: RED_CROSS }, C),
    ev.pickUp('n-rk', 'HVK'),
    ev.need('n-fam', 'NAV', null),
  );

  it("a payment is the recording unit's and the funding unit's; sub-project money adds no unit of its own", () => {
    expect(paymentFacts(state, state.payments['p-nav'])).toStrictEqual({ ownerUnits: ['NAV'], ownerPartner: null, category: 'payments', memberIds: [A] });
    expect(paymentFacts(state, state.payments['p-inn'])).toStrictEqual({
      ownerUnits: ['NAV', 'INN'],
      ownerPartner: null,
      category: 'payments',
      memberIds: [C],
    });
    expect(paymentFacts(state, state.payments['p-sp'])).toStrictEqual({ ownerUnits: ['BFT'], ownerPartner: null, category: 'payments', memberIds: [C] });
  });

  it("a partner's payment is its organisation's and the enrolling units'", () => {
    expect(paymentFacts(state, state.payments['p-rk'])).toStrictEqual({ ownerUnits: ['BFT'], ownerPartner: RED_CROSS, category: 'payments', memberIds: [C] });
  });

  it('a recorder with neither a unit nor an organisation number adds no owner (fail closed)', () => {
    const stray: Payment = { ...state.payments['p-sp'], recordedBy: { userId: 'x', role: 'caseworker', unit: null, partnerOrganisation: null } };
    expect(paymentFacts(state, stray)).toStrictEqual({ ownerUnits: [], ownerPartner: null, category: 'payments', memberIds: [C] });
  });

  it("a need is the recording unit's (or the partner's and its enrolling units') and every picking unit's; a whole-family need is about no one member", () => {
    expect(needFacts(state, state.needs['n-rk'])).toStrictEqual({ ownerUnits: ['BFT', 'HVK'], ownerPartner: RED_CROSS, category: 'needs', memberIds: [C] });
    expect(needFacts(state, state.needs['n-fam'])).toStrictEqual({ ownerUnits: ['NAV'], ownerPartner: null, category: 'needs', memberIds: null });
  });
});

describe('the read audit: consentIds and memberIds sorted and exact', () => {
  it('forvaltningsloven § 13 a no. 1: the consents relied on, sorted, whatever order the records came in', () => {
    const state = fold(
      base,
      ev.part('BFT'),
      ev.need('n-nav', 'NAV', A),
      ev.decision('d-nav', 'NAV', 'economic-social-assistance', [B]),
      ev.consent('c-z', A, ['BFT'], ['needs']),
      ev.consent('c-a', B, ['BFT'], ['decisions']),
    );
    const g = grant(state, unit('BFT'));
    expect(ids(g.state.needs)).toEqual(['n-nav']);
    expect(ids(g.state.decisions)).toEqual(['d-nav']);
    expect(g.consentIds).toEqual(['c-a', 'c-z']);
  });

  it('the members of the records and the household, sorted, whatever order the records came in', () => {
    const state = fold(base, ev.part('BFT'), ev.decision('d-bft', 'BFT', 'child-welfare-support-measure', [C]));
    expect(grant(state, unit('BFT')).memberIds).toEqual([A, B, C]);
  });

  it("a partner: the members its shown records are about, also one no longer enrolled, besides the enrolled members' names", () => {
    const state = fold(
      base,
      ev.part('BFT'),
      ev.enrolled('e-a', 'BFT', [A], [RK]),
      ev.need('n-a', { partner: RED_CROSS }, A),
      ev.enrolmentEnded('e-a', 'BFT'),
      ev.enrolled('e-c', 'BFT', [C], [RK]),
    );
    const g = grant(state, partner(RED_CROSS));
    expect(ids(g.state.needs)).toEqual(['n-a']);
    expect(ids(g.state.members)).toEqual([C]);
    expect(g.memberIds).toEqual([A, C]);
  });
});
