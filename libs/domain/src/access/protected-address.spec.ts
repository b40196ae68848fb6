import { familyReadAccess, type Reader } from './family-read-access';
import { hasProtectedAddress, listedFor, maskFamilyState, membersToMask, placesWithheld } from './protected-address';
import { adult, child, ev, fold, protectedBy, RED_CROSS } from './testing/access-events';

/**
 * Protected addresses (adressesperre): strengt fortrolig (kode 6) and fortrolig (kode 7) are
 * never shown to readers without clearance, including through names and places that reveal
 * where someone lives (the legal brief, "Protected addresses"; forvaltningsloven § 13).
 */

const A = 'm-a';
const B = 'm-b';
const C = 'm-c';
const TODAY = '2026-11-27';
const NONE = {};
const CLEARED = { protectedAddressClearance: true };

/** A family with records carrying every kind of name, place and free text. */
const withRecords = (members: ReturnType<typeof adult>[]) =>
  fold(
    ev.registered(members),
    ev.part('BFT', 'NAV', [C]),
    ev.parental(C, A),
    ev.team('t-nav', { kind: 'unit', unit: 'NAV' }, 'Familiekoordinator Heimdal'),
    ev.team('t-rk', { kind: 'partner', organisation: 'Røde Kors Heimdal', organisationNumber: RED_CROSS }, 'Frivillig'),
    ev.enrolled('e1', 'NAV', [C], [{ organisationNumber: RED_CROSS, name: 'Røde Kors Heimdal', mayRecordPayments: true }], 'Fritid Heimdal'),
    ev.need('n-1', 'NAV', A, 'Bor på Heimdal, trenger jobb'),
    ev.need('n-rk', { partner: RED_CROSS, name: 'Røde Kors Heimdal' }, C, 'Fotball på Heimdal'),
    ev.decision('d-nav', 'NAV', 'economic-social-assistance', [A]),
    ev.appeal('a-1', 'd-nav', 'NAV'),
    ev.payment('p-1', 'NAV', A),
    ev.partnerPayment('p-rk', RED_CROSS, C),
    ev.resolve('n-1', ['d-nav'], [], 'Resolved at Heimdal office'),
    ev.consent('c-1', A, ['BFT'], ['needs'], { recordedBy: 'NAV' }),
    ev.withdrawn('c-1', '2026-11-20', { alertedUnits: ['BFT'] }),
    ev.closed('BFT'),
  );

describe('kode 6 (strengt fortrolig): who and where', () => {
  const state = withRecords([adult(A, { ...protectedBy('strengt-fortrolig'), nationalId: '02038812345' }), adult(B), child(C)]);

  it('masks the kode 6 member (name, birth date, national id, language) and keeps the id, role, membership and the flag', () => {
    const { state: masked, maskedMemberIds } = maskFamilyState(state, NONE);
    expect(maskedMemberIds).toEqual([A]);
    expect(masked.members[A]).toEqual({
      ...state.members[A],
      name: null,
      birthDate: null,
      nationalId: null,
      preferredLanguage: null,
      masked: true,
    });
    expect(masked.members[B]).toEqual(state.members[B]);
    expect(JSON.stringify(masked)).not.toContain('02038812345');
    expect(membersToMask(state, NONE).map((m) => m.memberId)).toEqual([A]);
  });

  it('withholds the district, contact person names and team roles, partner names and numbers, sub-project names and all free text', () => {
    const { state: masked } = maskFamilyState(state, NONE);
    expect(masked.withheld).toBe('protected-address');
    expect(masked.district).toBeNull();
    expect(masked.team['t-nav']).toMatchObject({ name: null, teamRole: null, affiliation: { kind: 'unit', unit: 'NAV' }, withheld: 'protected-address' });
    expect(masked.team['t-rk']).toMatchObject({ name: null, teamRole: null, affiliation: { kind: 'partner', organisation: null, organisationNumber: null } });
    expect(masked.enrolments.e1).toMatchObject({
      subProjectName: null,
      partners: [{ name: null, organisationNumber: null, mayRecordPayments: true }],
      withheld: 'protected-address',
    });
    expect(masked.needs['n-1']).toMatchObject({ words: null, resolution: null, withheld: 'protected-address' });
    expect(masked.needs['n-rk'].recordedBy).toMatchObject({ kind: 'partner', organisation: null, organisationNumber: null });
    expect(masked.decisions['d-nav']).toMatchObject({ reasons: null, withheld: 'protected-address' });
    expect(masked.decisions['d-nav'].history.every((h) => h.note === null)).toBe(true);
    expect(masked.appeals['a-1']).toMatchObject({ grounds: null, lateExcuse: null, outcomeReasons: null });
    expect(masked.consents['c-1']).toMatchObject({ purpose: null, evidence: { form: 'written', documentRef: null } });
    expect(masked.payments['p-1']).toMatchObject({ documentationRef: null, withheld: 'protected-address' });
    expect(masked.payments['p-rk'].recordedBy.partnerOrganisation).toBeNull();
    expect(masked.referrals['ref-BFT']).toMatchObject({ reason: null, withheld: 'protected-address' });
    expect(masked.parts.BFT).toMatchObject({ endReason: null });
    expect(masked.parentalResponsibility[`${C}:${A}`]).toMatchObject({ documentRef: null });
    const text = JSON.stringify(masked);
    for (const leak of [
      'Heimdal',
      'Røde Kors',
      RED_CROSS,
      'Fotball',
      'Familiekoordinator',
      'Frivillig',
      'ARK-2026-1',
      'BILAG',
      'Our work is done',
      'FREG-1',
      'Too little',
    ]) {
      expect([leak, text.includes(leak)]).toEqual([leak, false]);
    }
    // What the case needs stays: ids, units, dates, amounts, statuses.
    expect(masked.decisions['d-nav']).toMatchObject({
      unit: 'NAV',
      decisionType: 'economic-social-assistance',
      periodUntil: '2027-09-30',
      status: 'under-appeal',
    });
    expect(masked.payments['p-1']).toMatchObject({ amountOre: 100_000, paidOn: '2026-11-01' });
  });

  it('readers with clearance see everything unmasked', () => {
    expect(maskFamilyState(state, CLEARED)).toEqual({ state, maskedMemberIds: [] });
    expect(membersToMask(state, CLEARED)).toEqual([]);
  });

  it('a family with a kode 6 member is listed only to readers with clearance', () => {
    expect(listedFor(state, NONE)).toBe(false);
    expect(listedFor(state, CLEARED)).toBe(true);
  });

  it('auditors need the clearance too: the grant is whole, the masking the same', () => {
    const decided = familyReadAccess(state, { kind: 'auditor' }, TODAY);
    if (!decided.permit) throw new Error('auditor refused');
    const { state: masked } = maskFamilyState(decided.grant.state, NONE);
    expect(masked.members[A]).toMatchObject({ name: null, masked: true });
    expect(masked.district).toBeNull();
  });

  it('a partner sees even the names it may see (enrolled members) masked when they have kode 6', () => {
    const kode6Child = withRecords([adult(A), adult(B), child(C, protectedBy('strengt-fortrolig'))]);
    const reader: Reader = { kind: 'partner', organisationNumber: RED_CROSS };
    const decided = familyReadAccess(kode6Child, reader, TODAY);
    if (!decided.permit) throw new Error('partner refused');
    const { state: masked, maskedMemberIds } = maskFamilyState(decided.grant.state, NONE);
    expect(maskedMemberIds).toEqual([C]);
    expect(masked.members[C]).toMatchObject({ name: null, masked: true, nameOnly: true });
    expect(masked.needs['n-rk'].words).toBeNull();
  });
});

describe('masking is decided on the whole family, not on the members a reader sees', () => {
  it('a partner who sees only an enrolled child still gets no district, names or free text when the mother has kode 7', () => {
    const state = withRecords([adult(A, protectedBy('fortrolig')), adult(B), child(C)]);
    const decided = familyReadAccess(state, { kind: 'partner', organisationNumber: RED_CROSS }, TODAY);
    if (!decided.permit) throw new Error('partner refused');
    expect(Object.keys(decided.grant.state.members)).toEqual([C]);
    const { state: masked } = maskFamilyState(decided.grant.state, NONE);
    expect(masked.withheld).toBe('protected-address');
    expect(masked.needs['n-rk'].words).toBeNull();
    expect(masked.team['t-rk'].name).toBeNull();
    expect(JSON.stringify(masked)).not.toContain('Heimdal');
  });
});

describe('kode 7 (fortrolig): where, not who', () => {
  const state = withRecords([adult(A, protectedBy('fortrolig')), adult(B), child(C)]);

  it('members keep their names; the district, names of places and people around them, and free text are withheld', () => {
    const { state: masked, maskedMemberIds } = maskFamilyState(state, NONE);
    expect(maskedMemberIds).toEqual([]);
    expect(masked.members[A]).toEqual(state.members[A]);
    expect(masked.district).toBeNull();
    expect(masked.withheld).toBe('protected-address');
    expect(masked.needs['n-1'].words).toBeNull();
    expect(masked.team['t-nav'].name).toBeNull();
    expect(masked.enrolments.e1.subProjectName).toBeNull();
    expect(JSON.stringify(masked)).not.toContain('Heimdal');
  });

  it('the family stays listed; only a current member counts (one who left no longer lives there)', () => {
    expect(listedFor(state, NONE)).toBe(true);
    expect(placesWithheld(state, NONE)).toBe(true);
    const left = fold(ev.registered([adult(A, protectedBy('fortrolig')), adult(B)]), ev.memberLeft(A));
    expect(hasProtectedAddress(left)).toBe(false);
    expect(maskFamilyState(left, NONE).state.district).toBe('Heimdal');
  });

  it('states folded before the level was kept: protectedAddress alone means kode 6', () => {
    const state = fold(ev.registered([adult(A), adult(B)]));
    const legacy = { ...state, members: { ...state.members, [A]: { ...state.members[A], protectedAddress: true, addressProtection: undefined as never } } };
    expect(maskFamilyState(legacy, NONE).maskedMemberIds).toEqual([A]);
  });
});

describe('no protected address', () => {
  it('the state is returned as it is', () => {
    const plain = withRecords([adult(A), adult(B), child(C)]);
    expect(maskFamilyState(plain, NONE)).toEqual({ state: plain, maskedMemberIds: [] });
    expect(listedFor(plain, NONE)).toBe(true);
  });
});
