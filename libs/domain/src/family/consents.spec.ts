import { InvalidDate, InvalidInput, InvalidPeriod, UnknownUnit } from '../shared/domain-error';
import { actors, by, combineConsent, familyRegistered, familySpec as spec, TODAY } from '../testing/family.fixtures';
import type { GiveConsent } from './family.commands';
import { AlreadyExists, ConsentAlreadyWithdrawn, ConsentGiverNotPermitted, ConsentNotFound, MemberNotFound } from './family.errors';
import type { ConsentGiven, FamilyEvent } from './family.events';
import { consentsInForce, isConsentInForce } from './family.queries';

const give = (data: Partial<GiveConsent['data']> = {}): GiveConsent => ({
  type: 'GiveConsent',
  data: {
    consentId: 'c-1',
    memberId: 'm-sara',
    givenByMemberId: 'm-amina',
    kind: 'information-sharing',
    toUnits: ['BFT', 'NAV'],
    dataCategories: ['needs', 'decisions'],
    purpose: 'BFT and NAV may talk about Sara’s needs and decisions.',
    validFrom: '2024-03-01',
    validUntil: '2024-12-31',
    ...data,
  },
});

const guardianConsent: ConsentGiven = {
  type: 'ConsentGiven',
  data: {
    consentId: 'c-1',
    memberId: 'm-sara',
    givenByMemberId: 'm-amina',
    givenAsGuardian: true,
    kind: 'information-sharing',
    toUnits: ['BFT', 'NAV'],
    dataCategories: ['needs', 'decisions'],
    purpose: 'BFT and NAV may talk about Sara’s needs and decisions.',
    validFrom: '2024-03-01',
    validUntil: '2024-12-31',
    ...by(actors.navCaseworker),
  },
};

describe('GiveConsent', () => {
  it('records a guardian consenting for a child', () => {
    const state = spec.given([familyRegistered]).when(give()).then([guardianConsent]);
    expect(consentsInForce(state, TODAY, { memberId: 'm-sara', unit: 'BFT', dataCategory: 'needs' }).map((c) => c.consentId)).toEqual(['c-1']);
    expect(consentsInForce(state, TODAY, { dataCategory: 'health' })).toEqual([]);
  });

  it('records an adult consenting to a family decision, open-ended', () => {
    const consent = combineConsent('c-2', 'm-amina');
    spec
      .given([familyRegistered])
      .when(
        give({
          consentId: 'c-2',
          memberId: 'm-amina',
          givenByMemberId: 'm-amina',
          kind: 'combine-family-decision',
          toUnits: ['NAV', 'BFT', 'HVK'],
          dataCategories: ['decisions', 'payments'],
          purpose: 'One family decision with one contact person.',
          validUntil: undefined,
        }),
        { now: new Date(consent.data.at) },
      )
      .then([consent]);
  });

  it('lets a 16-year-old consent for herself', () => {
    spec
      .given([familyRegistered])
      .when(give({ memberId: 'm-leila', givenByMemberId: 'm-leila' }))
      .then([{ ...guardianConsent, data: { ...guardianConsent.data, memberId: 'm-leila', givenByMemberId: 'm-leila', givenAsGuardian: false } }]);
  });

  it.each([
    ['an adult for another adult', { memberId: 'm-yusuf', givenByMemberId: 'm-amina' }],
    ['a child of 11 for herself', { memberId: 'm-sara', givenByMemberId: 'm-sara' }],
    ['a child for a sibling', { memberId: 'm-omar', givenByMemberId: 'm-leila' }],
  ])('refuses %s', (_label, who) => {
    spec.given([familyRegistered]).when(give(who)).thenThrows(ConsentGiverNotPermitted);
  });

  it('refuses a consent that ends before it starts', () => {
    spec.given([familyRegistered]).when(give({ validFrom: '2024-06-01', validUntil: '2024-05-31' })).thenThrows(InvalidPeriod);
  });

  it('refuses an invalid date', () => {
    spec.given([familyRegistered]).when(give({ validFrom: '01.03.2024' })).thenThrows(InvalidDate);
  });

  it.each([
    ['no units', { toUnits: [] }],
    ['no data categories', { dataCategories: [] }],
    ['an unknown data category', { dataCategories: ['bank-details' as 'needs'] }],
    ['an unknown kind', { kind: 'marketing' as 'information-sharing' }],
    ['no purpose', { purpose: '' }],
  ])('refuses %s', (_label, data) => {
    spec.given([familyRegistered]).when(give(data)).thenThrows(InvalidInput);
  });

  it('refuses an unknown unit', () => {
    spec.given([familyRegistered]).when(give({ toUnits: ['NAV', 'SKATT' as 'NAV'] })).thenThrows(UnknownUnit);
  });

  it('refuses an unknown member', () => {
    spec.given([familyRegistered]).when(give({ givenByMemberId: 'm-grandma' })).thenThrows(MemberNotFound);
  });

  it('refuses a consent id already used', () => {
    spec.given([familyRegistered, guardianConsent]).when(give()).thenThrows(AlreadyExists);
  });
});

describe('WithdrawConsent', () => {
  const withdrawn: FamilyEvent = { type: 'ConsentWithdrawn', data: { consentId: 'c-1', effectiveFrom: TODAY, reason: 'Changed her mind', ...by(actors.navCaseworker) } };

  it('takes effect from the day of withdrawal on, and not before', () => {
    const state = spec
      .given([familyRegistered, guardianConsent])
      .when({ type: 'WithdrawConsent', data: { consentId: 'c-1', reason: 'Changed her mind' } })
      .then([withdrawn]);
    const consent = state.consents['c-1'];
    expect(isConsentInForce(consent, '2024-03-14')).toBe(true);
    expect(isConsentInForce(consent, TODAY)).toBe(false);
    expect(isConsentInForce(consent, '2024-02-29')).toBe(false);
  });

  it('refuses an unknown consent', () => {
    spec.given([familyRegistered]).when({ type: 'WithdrawConsent', data: { consentId: 'c-1' } }).thenThrows(ConsentNotFound);
  });

  it('refuses withdrawing twice', () => {
    spec.given([familyRegistered, guardianConsent, withdrawn]).when({ type: 'WithdrawConsent', data: { consentId: 'c-1' } }).thenThrows(ConsentAlreadyWithdrawn);
  });
});
