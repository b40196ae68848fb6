import { initialFamilyState, type FamilyState } from '../family/family.state';
import type { DataCategory } from '../family/family.values';
import {
  decisionCategory,
  familyReadAccess,
  mayReadAppeal,
  mayReadConsent,
  mayReadDecision,
  mayReadNeed,
  mayReadPayment,
  NO_ACCESS_REASON,
  possibleReaders,
  readerOf,
  standingOf,
  type FamilyReadGrant,
  type Reader,
} from './family-read-access';
import {
  adult,
  BYMISJON,
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
 * The pure read-access decision, rule by rule, each test named with the provision it keeps:
 * forvaltningsloven § 13 (confidentiality: a unit sees a family's records only with a service
 * need, its part in the case), § 13 a no. 1 (consent), sosialtjenesteloven § 44 (NAV),
 * barnevernsloven ch. 13 (BFT), helsepersonelloven § 21 (health). States are folded from
 * events with the domain's own fold.
 */

const refused = (state: FamilyState, reader: Reader, today = TODAY) => !familyReadAccess(state, reader, today).permit;
const seen = (g: FamilyReadGrant) => ({ needs: ids(g.state.needs), decisions: ids(g.state.decisions), payments: ids(g.state.payments) });

const A = 'm-a';
const B = 'm-b';
const C = 'm-c';
const base = ev.registered([adult(A), adult(B), child(C)]);

describe('readerOf', () => {
  it('maps roles to readers: municipal staff read for their unit, partners for their 9-digit organisation number, auditors all, others none', () => {
    expect(readerOf({ userId: 'u', role: 'caseworker', unit: 'NAV' })).toEqual(unit('NAV'));
    expect(readerOf({ userId: 'u', role: 'approver', unit: 'BFT' })).toEqual(unit('BFT'));
    // The leader reads for the unit too, and is told apart for erasure requests (erasureRequestShown).
    expect(readerOf({ userId: 'u', role: 'unit-leader', unit: 'HVK' })).toEqual({ ...unit('HVK'), leader: true });
    expect(readerOf({ userId: 'u', role: 'caseworker' }).kind).toBe('none');
    expect(readerOf({ userId: 'u', role: 'partner', partnerOrganisation: RED_CROSS })).toEqual(partner(RED_CROSS));
    // A name is not an organisation number: such a partner user reads nothing.
    expect(readerOf({ userId: 'u', role: 'partner', partnerOrganisation: 'Red Cross' }).kind).toBe('none');
    expect(readerOf({ userId: 'u', role: 'partner' }).kind).toBe('none');
    expect(readerOf({ userId: 'u', role: 'auditor' })).toEqual(AUDITOR);
    expect(readerOf({ userId: 'u', role: 'rules-analyst' }).kind).toBe('none');
  });

  it('rules analysts (and readers of no kind) are refused every family', () => {
    const state = fold(base, ev.need('n1', 'NAV', A));
    const decided = familyReadAccess(state, readerOf({ userId: 'r', role: 'rules-analyst' }), TODAY);
    expect(decided).toEqual({ permit: false, reason: expect.stringMatching(/rules-analyst/) });
  });
});

describe('decisionCategory', () => {
  it('helsepersonelloven § 21: health-and-care decisions are health, the rest decisions', () => {
    expect(decisionCategory({ decisionType: 'adult-health-care-service' })).toBe('health');
    expect(decisionCategory({ decisionType: 'coordinator-adult' })).toBe('health');
    expect(decisionCategory({ decisionType: 'coordinator-child' })).toBe('health');
    expect(decisionCategory({ decisionType: 'municipal-housing' })).toBe('decisions');
    expect(decisionCategory({ decisionType: 'economic-social-assistance' })).toBe('decisions');
    expect(decisionCategory({ decisionType: 'child-welfare-support-measure' })).toBe('decisions');
  });
});

describe('forvaltningsloven § 13: access follows the part in the case', () => {
  const state = fold(
    base,
    ev.need('n-nav', 'NAV', A),
    ev.decision('d-nav', 'NAV', 'economic-social-assistance', [A]),
    ev.part('BFT', 'NAV', [C]),
    ev.decision('d-bft', 'BFT', 'child-welfare-support-measure', [C]),
    ev.payment('p-bft', 'BFT', C),
    ev.team('p-nav', { kind: 'unit', unit: 'NAV' }, 'Family coordinator'),
  );

  it('the registering unit and a unit that accepted a referral have a part; they see their own records only (without consent)', () => {
    expect(standingOf(state, unit('NAV'))).toBe('part');
    expect(standingOf(state, unit('BFT'))).toBe('part');
    expect(seen(grant(state, unit('NAV')))).toEqual({ needs: ['n-nav'], decisions: ['d-nav'], payments: [] });
    expect(seen(grant(state, unit('BFT')))).toEqual({ needs: [], decisions: ['d-bft'], payments: ['p-bft'] });
  });

  it('a unit with an active part sees the household, team, parts, its referrals, enrolments and parental responsibility', () => {
    const withMore = extend(
      state,
      ev.parental(C, A),
      ev.enrolled('e1', 'NAV', [C], [{ organisationNumber: RED_CROSS, name: 'Røde Kors Heimdal', mayRecordPayments: false }]),
    );
    const g = grant(withMore, unit('BFT'));
    expect(g.standing).toBe('part');
    expect(g.state.district).toBe('Heimdal');
    expect(ids(g.state.members)).toEqual([A, B, C]);
    expect(ids(g.state.team)).toEqual(['p-nav']);
    expect(ids(g.state.parts)).toEqual(['BFT', 'NAV']);
    expect(g.state.parts.BFT).toMatchObject({ active: true, act: { kind: 'referral-accepted', referralId: 'ref-BFT', referredBy: 'NAV' } });
    expect(ids(g.state.referrals)).toEqual(['ref-BFT']);
    expect(ids(g.state.enrolments)).toEqual(['e1']);
    expect(ids(g.state.parentalResponsibility)).toEqual([`${C}:${A}`]);
    expect(g.withheld).toEqual({ needs: 1, decisions: 1, payments: 0, consents: 0, familyDecisions: 0 });
  });

  it('a consent naming a unit gives it no part: without a part (or records, or a referral) the unit is refused with a reason naming nothing of the family', () => {
    const named = extend(state, ev.consent('c1', A, ['HVK'], ['needs', 'decisions']));
    for (const u of ['HVK', 'INN', 'OPPVEKST'] as const) {
      const decided = familyReadAccess(named, unit(u), TODAY);
      expect(decided).toEqual({ permit: false, reason: NO_ACCESS_REASON });
    }
    for (const leak of ['Heimdal', 'Adult', 'Child', 'NAV', 'BFT', 'n-nav', 'd-bft']) expect(NO_ACCESS_REASON).not.toContain(leak);
  });

  it("ended part keeps only own records: household yes; team, parts of others, other units' records (even under consent) and others' consents no", () => {
    const ended = extend(
      state,
      ev.consent('c-nav-to-bft', A, ['BFT'], ['needs', 'decisions'], { recordedBy: 'NAV' }),
      ev.consent('c-bft-own', C, ['NAV'], ['decisions'], { givenBy: A, recordedBy: 'BFT' }),
      ev.closed('BFT'),
    );
    expect(standingOf(ended, unit('BFT'))).toBe('ended');
    const g = grant(ended, unit('BFT'));
    expect(seen(g)).toEqual({ needs: [], decisions: ['d-bft'], payments: ['p-bft'] });
    expect(ids(g.state.members)).toEqual([A, B, C]);
    expect(g.state.district).toBe('Heimdal');
    expect(g.state.team).toEqual({});
    expect(g.state.coordinatingUnit).toBeNull();
    expect(ids(g.state.parts)).toEqual(['BFT']);
    expect(g.state.parts.BFT).toMatchObject({ active: false, endReason: 'Our work is done' });
    expect(ids(g.state.consents)).toEqual(['c-bft-own']);
    expect(ids(g.state.enrolments)).toEqual([]);
    expect(g.consentIds).toEqual([]);
    expect(g.withheld).toBeNull();
    // Before closing, the same consent showed NAV's records to BFT.
    const before = extend(state, ev.consent('c-nav-to-bft', A, ['BFT'], ['needs', 'decisions'], { recordedBy: 'NAV' }));
    expect(seen(grant(before, unit('BFT')))).toEqual({ needs: ['n-nav'], decisions: ['d-bft', 'd-nav'], payments: ['p-bft'] });
  });

  it('a unit whose part ended with no record of its own has no service need left: refused, naming nothing', () => {
    const closed = fold(base, ev.part('INN'), ev.closed('INN'));
    expect(closed.parts.INN).toMatchObject({ active: false });
    expect(familyReadAccess(closed, unit('INN'), TODAY)).toEqual({ permit: false, reason: NO_ACCESS_REASON });
    expect(possibleReaders(closed)).toEqual(['unit:NAV']);
  });

  it('access never follows who wrote last: a unit that wrote after its part ended does not regain one', () => {
    // Evolve grants a part for a first record only (schema 1 history); BFT had one, so a later record keeps it ended.
    const ended = extend(state, ev.closed('BFT'), ev.need('n-late', 'BFT', C));
    expect(standingOf(ended, unit('BFT'))).toBe('ended');
    expect(seen(grant(ended, unit('BFT'))).needs).toEqual(['n-late']);
  });

  it('a unit that owns a record but never had a part (funded a payment NAV recorded) sees only its own records', () => {
    const funded = fold(base, {
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
    expect(funded.parts.INN).toBeUndefined();
    expect(standingOf(funded, unit('INN'))).toBe('ended');
    expect(seen(grant(funded, unit('INN')))).toEqual({ needs: [], decisions: [], payments: ['p-x'] });
  });

  it("barnevernsloven ch. 13: a unit with an open referral to it and no part sees that referral and the referred members' names, nothing else", () => {
    const referred = extend(
      state,
      ev.referral('r-hvk', 'NAV', 'HVK', [C], 'duty-to-inform-child-welfare'),
      ev.referral('r-old', 'NAV', 'INN', [A]),
      ev.declined('r-old', 'INN'),
    );
    expect(standingOf(referred, unit('HVK'))).toBe('referred');
    const g = grant(referred, unit('HVK'));
    expect(g.standing).toBe('referred');
    expect(ids(g.state.referrals)).toEqual(['r-hvk']);
    expect(g.state.members).toEqual({
      [C]: expect.objectContaining({ memberId: C, name: `Child ${C}`, birthDate: null, nationalId: null, preferredLanguage: null, nameOnly: true }),
    });
    expect(seen(g)).toEqual({ needs: [], decisions: [], payments: [] });
    expect(g.state.district).toBeNull();
    expect(g.state.team).toEqual({});
    expect(g.state.parts).toEqual({});
    expect(g.state.consents).toEqual({});
    expect(g.withheld).toBeNull();
    expect(g.memberIds).toEqual([C]);
    // A declined referral gives nothing.
    expect(refused(referred, unit('INN'))).toBe(true);
    // Once accepted, the part gives the rest.
    expect(grant(extend(referred, ev.accepted('r-hvk', 'HVK')), unit('HVK')).standing).toBe('part');
  });
});

describe("forvaltningsloven § 13 a no. 1: another unit's record only under consent of each member it is about", () => {
  const records = [
    base,
    ev.need('n-nav', 'NAV', A),
    ev.decision('d-nav', 'NAV', 'economic-social-assistance', [A]),
    ev.decision('d-hvk', 'HVK', 'adult-health-care-service', [A]),
    ev.payment('p-nav', 'NAV', A),
    ev.part('BFT'),
  ];

  it.each([
    ['needs', { needs: ['n-nav'], decisions: [], payments: [] }],
    ['decisions', { needs: [], decisions: ['d-nav'], payments: [] }],
    ['health', { needs: [], decisions: ['d-hvk'], payments: [] }],
    ['payments', { needs: [], decisions: [], payments: ['p-nav'] }],
  ] as const)('a consent for %s shows exactly that category to the named unit', (category, expected) => {
    const state = fold(...records, ev.consent('c1', A, ['BFT'], [category]));
    const g = grant(state, unit('BFT'));
    expect(seen(g)).toEqual(expected);
    expect(g.consentIds).toEqual(['c1']);
  });

  it("sosialtjenesteloven § 44: NAV's records reach BFT only when NAV is among the consent's sources (null: any unit's)", () => {
    const fromHvk = fold(...records, ev.consent('c1', A, ['BFT'], ['needs', 'decisions', 'payments'], { sourceUnits: ['HVK'] }));
    expect(seen(grant(fromHvk, unit('BFT')))).toEqual({ needs: [], decisions: [], payments: [] });
    const fromNav = fold(...records, ev.consent('c1', A, ['BFT'], ['needs', 'decisions', 'payments'], { sourceUnits: ['NAV'] }));
    expect(seen(grant(fromNav, unit('BFT')))).toEqual({ needs: ['n-nav'], decisions: ['d-nav'], payments: ['p-nav'] });
    const anyUnit = fold(...records, ev.consent('c1', A, ['BFT'], ['needs', 'decisions', 'payments'], { sourceUnits: null }));
    expect(seen(grant(anyUnit, unit('BFT')))).toEqual({ needs: ['n-nav'], decisions: ['d-nav'], payments: ['p-nav'] });
  });

  it("a need picked up by a unit is that unit's too: a consent from the picking unit covers it", () => {
    const state = fold(...records, ev.part('HVK'), ev.pickUp('n-nav', 'HVK'), ev.consent('c1', A, ['BFT'], ['needs'], { sourceUnits: ['HVK'] }));
    expect(seen(grant(state, unit('BFT'))).needs).toEqual(['n-nav']);
  });

  it('helsepersonelloven § 21: a consent for decisions does not open a health-and-care decision; one for health does', () => {
    const decisions = fold(...records, ev.consent('c1', A, ['BFT'], ['decisions']));
    expect(seen(grant(decisions, unit('BFT'))).decisions).toEqual(['d-nav']);
    const health = fold(...records, ev.consent('c1', A, ['BFT'], ['health'], { sourceUnits: ['HVK'] }));
    expect(seen(grant(health, unit('BFT'))).decisions).toEqual(['d-hvk']);
  });

  it('a consent about another member, or not naming the unit, does not cover the record', () => {
    const other = fold(...records, ev.consent('c1', B, ['BFT'], ['needs', 'decisions', 'health', 'payments']));
    expect(seen(grant(other, unit('BFT')))).toEqual({ needs: [], decisions: [], payments: [] });
    const notNamed = fold(...records, ev.consent('c1', A, ['INN'], ['needs']));
    expect(seen(grant(notNamed, unit('BFT')))).toEqual({ needs: [], decisions: [], payments: [] });
  });

  it("barnevernsloven ch. 13: a guardian's consent for a child opens BFT's decision about the child to NAV, naming BFT as source", () => {
    const state = fold(base, ev.part('BFT'), ev.decision('d-bft', 'BFT', 'child-welfare-support-measure', [C]));
    expect(seen(grant(extend(state, ev.consent('c-child', C, ['NAV'], ['decisions'], { givenBy: A, sourceUnits: ['NAV'] })), unit('NAV'))).decisions).toEqual(
      [],
    );
    const g = grant(extend(state, ev.consent('c-child', C, ['NAV'], ['decisions'], { givenBy: A, sourceUnits: ['BFT'] })), unit('NAV'));
    expect(seen(g).decisions).toEqual(['d-bft']);
    expect(g.consentIds).toEqual(['c-child']);
  });

  it('a decision about several members needs a consent of each, each naming the unit and the category itself', () => {
    const housing = [base, ev.part('NAV', 'NAV'), ev.decision('d-house', 'HVK', 'municipal-housing', [A, C])];
    expect(seen(grant(fold(...housing, ev.consent('c-a', A, ['NAV'], ['decisions'])), unit('NAV'))).decisions).toEqual([]);
    const mixed = fold(
      ...housing,
      ev.consent('c-a', A, ['NAV'], ['decisions']),
      ev.consent('c-c', C, ['BFT'], ['decisions'], { givenBy: A }),
      ev.consent('c-c2', C, ['NAV'], ['needs'], { givenBy: A }),
    );
    expect(seen(grant(mixed, unit('NAV'))).decisions).toEqual([]);
    const both = grant(
      fold(...housing, ev.consent('c-a', A, ['NAV'], ['decisions']), ev.consent('c-c', C, ['NAV'], ['decisions'], { givenBy: A })),
      unit('NAV'),
    );
    expect(seen(both).decisions).toEqual(['d-house']);
    expect(both.consentIds).toEqual(['c-a', 'c-c']);
  });

  it('a need of the whole family needs the consent of every current adult (children and members who left do not count)', () => {
    const familyNeed = [base, ev.part('BFT'), ev.need('n-fam', 'NAV', null)];
    expect(seen(grant(fold(...familyNeed, ev.consent('c-a', A, ['BFT'], ['needs'])), unit('BFT'))).needs).toEqual([]);
    const both = grant(fold(...familyNeed, ev.consent('c-a', A, ['BFT'], ['needs']), ev.consent('c-b', B, ['BFT'], ['needs'])), unit('BFT'));
    expect(seen(both).needs).toEqual(['n-fam']);
    expect(both.consentIds).toEqual(['c-a', 'c-b']);
    const afterLeave = fold(...familyNeed, ev.memberLeft(B), ev.consent('c-a', A, ['BFT'], ['needs']));
    expect(seen(grant(afterLeave, unit('BFT'))).needs).toEqual(['n-fam']);
    const childToo = fold(...familyNeed, ev.consent('c-a', A, ['BFT'], ['needs']), ev.consent('c-c', C, ['BFT'], ['needs'], { givenBy: A }));
    expect(seen(grant(childToo, unit('BFT'))).needs).toEqual([]);
  });

  it('whole-family record with no current adult is not shown, whatever the children consented to', () => {
    const state = fold(
      base,
      ev.part('BFT'),
      ev.need('n-fam', 'NAV', null),
      ev.memberLeft(A),
      ev.memberLeft(B),
      ev.consent('c-c', C, ['BFT'], ['needs'], { givenBy: A }),
    );
    const g = grant(state, unit('BFT'));
    expect(seen(g).needs).toEqual([]);
    expect(g.consentIds).toEqual([]);
    expect(mayReadNeed(state, unit('BFT'), state.needs['n-fam'], TODAY)).toBe(false);
    // Its own unit still sees it.
    expect(seen(grant(state, unit('NAV'))).needs).toEqual(['n-fam']);
  });

  describe('validity on the day', () => {
    const need = [base, ev.part('BFT'), ev.need('n-nav', 'NAV', A)];

    it('expired and not yet valid consents show nothing; the first and last valid days are included', () => {
      expect(
        seen(grant(fold(...need, ev.consent('c1', A, ['BFT'], ['needs'], { validFrom: '2025-01-01', validUntil: '2026-11-26' })), unit('BFT'))).needs,
      ).toEqual([]);
      expect(seen(grant(fold(...need, ev.consent('c1', A, ['BFT'], ['needs'], { validFrom: '2026-11-28' })), unit('BFT'))).needs).toEqual([]);
      const oneDay = fold(...need, ev.consent('c1', A, ['BFT'], ['needs'], { validFrom: '2026-11-27', validUntil: '2026-11-27' }));
      expect(seen(grant(oneDay, unit('BFT'))).needs).toEqual(['n-nav']);
      expect(seen(grant(oneDay, unit('BFT'), '2026-11-26')).needs).toEqual([]);
      expect(seen(grant(oneDay, unit('BFT'), '2026-11-28')).needs).toEqual([]);
    });

    it('withdrawal takes effect at once: a withdrawn consent is never relied on, even with a future effective date or on an earlier day', () => {
      const future = fold(...need, ev.consent('c1', A, ['BFT'], ['needs']), ev.withdrawn('c1', '2027-01-01'));
      expect(seen(grant(future, unit('BFT'))).needs).toEqual([]);
      expect(seen(grant(future, unit('BFT'), '2026-10-01')).needs).toEqual([]);
    });

    it('combine-family-decision and coordination consents do not open records', () => {
      for (const kind of ['combine-family-decision', 'coordination'] as const) {
        const state = fold(...need, ev.consent('c1', A, ['BFT'], ['needs', 'decisions', 'payments', 'health'], { kind }));
        expect(seen(grant(state, unit('BFT'))).needs).toEqual([]);
        expect(grant(state, unit('BFT')).consentIds).toEqual([]);
      }
    });
  });
});

describe('which consents a unit sees', () => {
  const state = fold(
    base,
    ev.part('BFT'),
    ev.part('HVK'),
    ev.consent('c-nav-rec', A, ['HVK'], ['needs'], { recordedBy: 'NAV' }),
    ev.consent('c-to-bft', A, ['BFT'], ['needs'], { recordedBy: 'NAV' }),
    ev.consent('c-to-bft-expired', A, ['BFT'], ['needs'], { recordedBy: 'NAV', validFrom: '2025-01-01', validUntil: '2025-12-31' }),
    ev.consent('c-to-bft-withdrawn', B, ['BFT'], ['needs'], { recordedBy: 'NAV' }),
    ev.withdrawn('c-to-bft-withdrawn', '2026-11-01'),
    ev.consent('c-alerted', B, ['HVK'], ['needs'], { recordedBy: 'NAV' }),
    ev.withdrawn('c-alerted', '2026-11-01', { alertedUnits: ['BFT'] }),
    ev.consent('c-combine', A, ['NAV', 'HVK'], ['decisions'], { kind: 'combine-family-decision', recordedBy: 'NAV' }),
    ev.decision('d-hvk', 'HVK', 'municipal-housing', [A]),
    ev.familyDecision('fd-1', 'HVK', [{ decisionId: 'd-hvk', unit: 'HVK', decisionType: 'municipal-housing', memberIds: [A] }], ['c-combine']),
    ev.withdrawn('c-combine', '2026-11-20'),
  );

  it('the recording unit sees every consent it recorded, in force or not', () => {
    expect(ids(grant(state, unit('NAV')).state.consents)).toEqual([
      'c-alerted',
      'c-combine',
      'c-nav-rec',
      'c-to-bft',
      'c-to-bft-expired',
      'c-to-bft-withdrawn',
    ]);
  });

  it('a named unit sees a consent while it is in force; once withdrawn only if it was alerted (it read under it)', () => {
    expect(ids(grant(state, unit('BFT')).state.consents)).toEqual(['c-alerted', 'c-to-bft']);
  });

  it('a family decision suspended by a withdrawal shows its responsible unit the consent that suspended it', () => {
    const g = grant(state, unit('HVK'));
    expect(g.state.familyDecisions['fd-1']).toMatchObject({ status: 'suspended', suspendedByConsentId: 'c-combine', consentIds: ['c-combine'] });
    expect(ids(g.state.consents)).toEqual(['c-combine', 'c-nav-rec']);
    expect(mayReadConsent(state, unit('HVK'), state.consents['c-combine'], TODAY)).toBe(true);
    expect(mayReadConsent(state, unit('BFT'), state.consents['c-combine'], TODAY)).toBe(false);
  });

  it('a unit whose part ended sees only the consents it recorded; with nothing of its own it is refused; partners and unknown units none', () => {
    const ended = extend(state, ev.consent('c-bft', C, ['NAV'], ['needs'], { givenBy: A, recordedBy: 'BFT' }), ev.closed('BFT'));
    expect(ids(grant(ended, unit('BFT')).state.consents)).toEqual(['c-bft']);
    expect(refused(extend(state, ev.closed('BFT')), unit('BFT'))).toBe(true);
    expect(mayReadConsent(ended, unit('BFT'), ended.consents['c-to-bft'], TODAY)).toBe(false);
    expect(mayReadConsent(state, unit('INN'), state.consents['c-nav-rec'], TODAY)).toBe(false);
    expect(mayReadConsent(state, AUDITOR, state.consents['c-nav-rec'], TODAY)).toBe(true);
  });
});

describe('the read audit: categories, memberIds and consentIds exactly', () => {
  const state = fold(
    base,
    ev.part('BFT'),
    ev.need('n-nav', 'NAV', A),
    ev.need('n-fam', 'NAV', null),
    ev.decision('d-hvk', 'HVK', 'adult-health-care-service', [A]),
    ev.decision('d-nav', 'NAV', 'economic-social-assistance', [B]),
    ev.payment('p-nav', 'NAV', C),
    ev.decision('d-bft', 'BFT', 'child-welfare-support-measure', [C]),
    ev.consent('c-a', A, ['BFT'], ['needs', 'health']),
    ev.consent('c-a2', A, ['BFT'], ['needs'], { sourceUnits: ['NAV'] }),
    ev.consent('c-b', B, ['BFT'], ['needs']),
    ev.consent('c-unused', C, ['BFT'], ['payments'], { givenBy: A, sourceUnits: ['INN'] }),
  );

  it('a unit with a part: the categories of what it saw, every member of the household, and every consent that covered a record', () => {
    const g = grant(state, unit('BFT'));
    expect(seen(g)).toEqual({ needs: ['n-fam', 'n-nav'], decisions: ['d-bft', 'd-hvk'], payments: [] });
    expect(g.categories).toEqual(['decisions', 'health', 'needs']);
    expect(g.memberIds).toEqual([A, B, C]);
    expect(g.consentIds).toEqual(['c-a', 'c-a2', 'c-b']);
  });

  it('its own records only: no consent relied on', () => {
    const g = grant(state, unit('NAV'));
    expect(g.categories).toEqual(['decisions', 'needs', 'payments']);
    expect(g.consentIds).toEqual([]);
    expect(g.memberIds).toEqual([A, B, C]);
  });

  it('a referred unit: the referred members only; an auditor: everything, relying on no consent', () => {
    const referred = grant(extend(state, ev.referral('r1', 'NAV', 'OPPVEKST', [C])), unit('OPPVEKST'));
    expect({ categories: referred.categories, memberIds: referred.memberIds, consentIds: referred.consentIds }).toEqual({
      categories: [],
      memberIds: [C],
      consentIds: [],
    });
    const audit = grant(state, AUDITOR);
    expect({ categories: audit.categories, memberIds: audit.memberIds, consentIds: audit.consentIds }).toEqual({
      categories: ['decisions', 'health', 'needs', 'payments'],
      memberIds: [A, B, C],
      consentIds: [],
    });
    expect(audit.withheld).toEqual({ needs: 0, decisions: 0, payments: 0, consents: 0, familyDecisions: 0 });
  });
});

describe('references to hidden records are stripped', () => {
  const state = fold(
    base,
    ev.part('BFT'),
    ev.need('n-bft', 'BFT', A),
    ev.decision('d-nav', 'NAV', 'economic-social-assistance', [A]),
    ev.decision('d-bft', 'BFT', 'child-welfare-support-measure', [C]),
    ev.appeal('a-nav', 'd-nav', 'NAV'),
    ev.payment('p-nav', 'NAV', A, { answersDecisionId: 'd-nav', answersNeedId: 'n-bft' }),
    ev.resolve('n-bft', ['d-nav', 'd-bft'], ['p-nav'], null, 'BFT'),
    ev.familyDecision(
      'fd-1',
      'NAV',
      [
        { decisionId: 'd-nav', unit: 'NAV', decisionType: 'economic-social-assistance', memberIds: [A] },
        { decisionId: 'd-bft', unit: 'BFT', decisionType: 'child-welfare-support-measure', memberIds: [C] },
      ],
      ['c-combine'],
    ),
  );

  it('need.decisionIds / paymentIds, payment links, appeals and family decisions keep only visible records', () => {
    const g = grant(state, unit('BFT'));
    expect(seen(g)).toEqual({ needs: ['n-bft'], decisions: ['d-bft'], payments: [] });
    expect(g.state.needs['n-bft']).toMatchObject({ decisionIds: ['d-bft'], paymentIds: [] });
    expect(g.state.appeals).toEqual({});
    expect(g.state.familyDecisions['fd-1'].decisions.map((d) => d.decisionId)).toEqual(['d-bft']);
    expect(g.state.familyDecisions['fd-1'].consentIds).toEqual([]);
    const nav = grant(state, unit('NAV'));
    expect(ids(nav.state.appeals)).toEqual(['a-nav']);
    expect(nav.state.payments['p-nav']).toMatchObject({ answersDecisionId: 'd-nav', answersNeedId: null });
  });

  it('the input state is never changed', () => {
    const before = JSON.stringify(state);
    grant(state, unit('BFT'));
    familyReadAccess(state, partner(RED_CROSS), TODAY);
    expect(JSON.stringify(state)).toBe(before);
  });
});

describe('partners: only with an active enrolment naming their organisation number', () => {
  const state = fold(
    base,
    ev.part('BFT'),
    ev.enrolled(
      'e1',
      'BFT',
      [C],
      [
        { organisationNumber: RED_CROSS, name: 'Røde Kors Heimdal', mayRecordPayments: true },
        { organisationNumber: SAUPSTAD_IL, name: 'Saupstad IL', mayRecordPayments: false },
      ],
    ),
    ev.need('n-rk', { partner: RED_CROSS }, C, 'Wants to play football'),
    ev.need('n-il', { partner: SAUPSTAD_IL }, C),
    ev.pickUp('n-rk', 'BFT'),
    ev.need('n-nav', 'NAV', A),
    ev.decision('d-nav', 'NAV', 'economic-social-assistance', [A]),
    ev.payment('p-nav', 'NAV', A),
    ev.partnerPayment('p-rk', RED_CROSS, C),
    ev.consent('c1', A, ['NAV', 'BFT'], ['needs', 'decisions', 'payments', 'health']),
    ev.team('t-rk', { kind: 'partner', organisation: 'Røde Kors Heimdal', organisationNumber: RED_CROSS }, 'Volunteer'),
    ev.team('t-il', { kind: 'partner', organisation: 'Saupstad IL', organisationNumber: SAUPSTAD_IL }, 'Coach'),
    ev.team('t-bft', { kind: 'unit', unit: 'BFT' }, 'Caseworker'),
    ev.parental(C, A),
  );

  it('partner view minimal: names of enrolled members only, own contact persons, own needs and payments; no district, team composition, parts, referrals, consents, decisions, and no withheld counts', () => {
    const g = grant(state, partner(RED_CROSS));
    expect(g.standing).toBe('partner');
    expect(seen(g)).toEqual({ needs: ['n-rk'], decisions: [], payments: ['p-rk'] });
    expect(g.state.members).toEqual({
      [C]: expect.objectContaining({ memberId: C, name: `Child ${C}`, birthDate: null, nationalId: null, preferredLanguage: null, nameOnly: true }),
    });
    expect(ids(g.state.team)).toEqual(['t-rk']);
    expect(g.state.district).toBeNull();
    expect(g.state.coordinatingUnit).toBeNull();
    expect(g.state.registeredBy).toBeNull();
    for (const empty of ['parts', 'referrals', 'consents', 'decisions', 'appeals', 'familyDecisions', 'enrolments', 'parentalResponsibility'] as const) {
      expect([empty, g.state[empty]]).toEqual([empty, {}]);
    }
    // Which units picked the need up would tell the partner who works with the family.
    expect(g.state.needs['n-rk'].pickedUpBy).toEqual([]);
    expect(g.withheld).toBeNull();
    expect(g.consentIds).toEqual([]);
    expect(g.memberIds).toEqual([C]);
    expect(g.categories).toEqual(['needs', 'payments']);
    // Nothing of the other partner, the units or the other members.
    for (const leak of ['Saupstad', SAUPSTAD_IL, `Adult ${A}`, 't-bft', 'n-nav']) expect([leak, JSON.stringify(g.state).includes(leak)]).toEqual([leak, false]);
  });

  it('partner-recorded records count as owned by the responsible units of enrolments naming that partner (also once ended)', () => {
    const noConsent = fold(
      base,
      ev.part('BFT'),
      ev.enrolled('e1', 'BFT', [C], [{ organisationNumber: RED_CROSS, name: 'RK', mayRecordPayments: true }]),
      ev.need('n-rk', { partner: RED_CROSS }, C),
      ev.partnerPayment('p-rk', RED_CROSS, C),
    );
    expect(seen(grant(noConsent, unit('BFT')))).toEqual({ needs: ['n-rk'], decisions: [], payments: ['p-rk'] });
    expect(seen(grant(noConsent, unit('NAV')))).toEqual({ needs: [], decisions: [], payments: [] });
    // The enrolment ended: the records stay BFT's (written for its sub-project); the partner no longer reads.
    const ended = extend(noConsent, ev.enrolmentEnded('e1', 'BFT'));
    expect(seen(grant(ended, unit('BFT')))).toEqual({ needs: ['n-rk'], decisions: [], payments: ['p-rk'] });
    expect(refused(ended, partner(RED_CROSS))).toBe(true);
  });

  it('a partner without an active enrolment naming it is refused: another organisation, an ended enrolment, or one named only in the team', () => {
    expect(familyReadAccess(state, partner(BYMISJON), TODAY)).toEqual({ permit: false, reason: NO_ACCESS_REASON });
    expect(refused(extend(state, ev.enrolmentEnded('e1', 'BFT')), partner(RED_CROSS))).toBe(true);
    const teamOnly = fold(base, ev.team('t-kb', { kind: 'partner', organisation: 'Kirkens Bymisjon', organisationNumber: BYMISJON }));
    expect(refused(teamOnly, partner(BYMISJON))).toBe(true);
  });

  it('a need recorded before organisation numbers (organisationNumber null) matches no partner token (fail closed)', () => {
    const legacy = extend(state, {
      type: 'NeedExpressed',
      data: {
        needId: 'n-legacy',
        memberId: C,
        words: 'Old',
        expressedOn: '2026-01-01',
        recordedBy: { kind: 'partner', organisation: 'Røde Kors Heimdal', organisationNumber: null, userId: 'p' },
        at: '2026-01-01T09:00:00.000Z',
        by: { userId: 'p', role: 'partner', unit: null, partnerOrganisation: 'Røde Kors Heimdal' },
      },
    });
    expect(seen(grant(legacy, partner(RED_CROSS))).needs).toEqual(['n-rk']);
  });

  it('auditors see every record and every consent, relying on none', () => {
    const g = grant(state, AUDITOR);
    expect(seen(g)).toEqual({ needs: ['n-il', 'n-nav', 'n-rk'], decisions: ['d-nav'], payments: ['p-nav', 'p-rk'] });
    expect(g.state).toEqual(state);
    expect(familyReadAccess(initialFamilyState(), AUDITOR, TODAY).permit).toBe(true);
  });
});

describe("per-record predicates agree with the grant (the deciders' lookups use them)", () => {
  const state = fold(
    base,
    ev.part('BFT'),
    ev.need('n-nav', 'NAV', A),
    ev.decision('d-nav', 'NAV', 'economic-social-assistance', [A]),
    ev.appeal('a-nav', 'd-nav', 'NAV'),
    ev.payment('p-nav', 'NAV', A),
    ev.decision('d-bft', 'BFT', 'child-welfare-support-measure', [C]),
    ev.consent('c1', A, ['BFT'], ['payments']),
    ev.enrolled('e1', 'BFT', [C], [{ organisationNumber: RED_CROSS, name: 'RK', mayRecordPayments: true }]),
    ev.partnerPayment('p-rk', RED_CROSS, C),
  );
  const readers: Reader[] = [unit('NAV'), unit('BFT'), unit('HVK'), partner(RED_CROSS), partner(SAUPSTAD_IL), AUDITOR];

  it.each(readers.map((r) => [JSON.stringify(r), r] as const))('%s', (_name, reader) => {
    const decided = familyReadAccess(state, reader, TODAY);
    const shown = decided.permit ? decided.grant.state : null;
    for (const need of Object.values(state.needs))
      expect([need.needId, mayReadNeed(state, reader, need, TODAY)]).toEqual([need.needId, Boolean(shown?.needs[need.needId])]);
    for (const d of Object.values(state.decisions))
      expect([d.decisionId, mayReadDecision(state, reader, d, TODAY)]).toEqual([d.decisionId, Boolean(shown?.decisions[d.decisionId])]);
    for (const a of Object.values(state.appeals))
      expect([a.appealId, mayReadAppeal(state, reader, a, TODAY)]).toEqual([a.appealId, Boolean(shown?.appeals[a.appealId])]);
    for (const p of Object.values(state.payments))
      expect([p.paymentId, mayReadPayment(state, reader, p, TODAY)]).toEqual([p.paymentId, Boolean(shown?.payments[p.paymentId])]);
    for (const c of Object.values(state.consents))
      expect([c.consentId, mayReadConsent(state, reader, c, TODAY)]).toEqual([c.consentId, Boolean(shown?.consents[c.consentId])]);
  });
});

describe("possibleReaders (the list's prefilter)", () => {
  it('units with an active part, with records of their own (a part that ended), with an open referral, and partners of active enrolments by organisation number', () => {
    const state = fold(
      base,
      ev.part('BFT'),
      ev.part('HVK'),
      ev.closed('HVK'),
      ev.part('OPPVEKST'),
      ev.need('n-opp', 'OPPVEKST', C),
      ev.closed('OPPVEKST'),
      ev.referral('r-inn', 'NAV', 'INN', [A]),
      ev.enrolled('e1', 'BFT', [C], [{ organisationNumber: RED_CROSS, name: 'RK', mayRecordPayments: false }]),
      ev.enrolled('e2', 'BFT', [C], [{ organisationNumber: SAUPSTAD_IL, name: 'IL', mayRecordPayments: false }]),
      ev.enrolmentEnded('e2', 'BFT'),
      ev.consent('c1', A, ['HVK'], ['needs']),
    );
    // HVK's part ended and it owns nothing: it has no standing left.
    expect(possibleReaders(state)).toEqual(['partner:971373032', 'unit:BFT', 'unit:INN', 'unit:NAV', 'unit:OPPVEKST']);
    // Every permitted reader is in it.
    for (const reader of [unit('NAV'), unit('BFT'), unit('HVK'), unit('INN'), unit('OPPVEKST'), partner(RED_CROSS), partner(SAUPSTAD_IL)]) {
      const key = reader.kind === 'unit' ? `unit:${reader.unit}` : `partner:${(reader as { organisationNumber: string }).organisationNumber}`;
      expect([key, familyReadAccess(state, reader, TODAY).permit]).toEqual([key, possibleReaders(state).includes(key)]);
    }
  });
});

/** Categories used in the matrix above, so a new category cannot be forgotten here. */
const _categories: Record<DataCategory, true> = { needs: true, decisions: true, payments: true, health: true };
void _categories;
