import { InvalidInput } from '../shared/domain-error';
import { actors, bftPart, by, familyRegistered, familySpec as spec, TODAY } from '../testing/family.fixtures';
import type { GiveConsent, RecordParentalResponsibility } from './family.commands';
import { AlreadyExists, ConsentGiverNotPermitted, MemberNotCurrent, MemberNotFound } from './family.errors';
import type { FamilyEvent, ParentalResponsibilityEnded, ParentalResponsibilityRecorded } from './family.events';
import { NoPartInCase, ParentalResponsibilityNotFound } from './parts.errors';

/**
 * Parental responsibility (foreldreansvar, barneloven ch. 5) is a recorded relation between a
 * child under 18 and a holder of 18 or over, with its documentary basis; consent for a child
 * under 16 is given by its holders only, never by whoever the household lists as an adult.
 */

/** The children's grandmother, an adult of the household; a court gives her responsibility for Omar. */
const halimaJoined: FamilyEvent = {
  type: 'MemberJoined',
  data: {
    member: {
      memberId: 'm-halima',
      name: 'Halima Ahmed',
      birthDate: '1960-02-02',
      role: 'adult',
      nationalId: null,
      preferredLanguage: 'so',
      protectedAddress: false,
      addressProtection: 'none',
    },
    joinedOn: '2024-02-01',
    ...by(actors.navCaseworker, '2024-02-01T08:00:00.000Z'),
  },
};
const withHalima = [familyRegistered, halimaJoined];

const record = (data: Partial<RecordParentalResponsibility['data']> = {}): RecordParentalResponsibility => ({
  type: 'RecordParentalResponsibility',
  data: { childId: 'm-omar', holderId: 'm-halima', basis: 'court-decision', documentRef: 'Trondheim tingrett 24-012345', ...data },
});
const recorded: ParentalResponsibilityRecorded = {
  type: 'ParentalResponsibilityRecorded',
  data: {
    childId: 'm-omar',
    holderId: 'm-halima',
    basis: 'court-decision',
    documentRef: 'Trondheim tingrett 24-012345',
    since: TODAY,
    ...by(actors.navCaseworker),
  },
};
const ended: ParentalResponsibilityEnded = {
  type: 'ParentalResponsibilityEnded',
  data: { childId: 'm-omar', holderId: 'm-yusuf', reason: 'Court decision: sole responsibility to the mother.', ...by(actors.navCaseworker) },
};
const end = {
  type: 'EndParentalResponsibility',
  data: { childId: 'm-omar', holderId: 'm-yusuf', reason: 'Court decision: sole responsibility to the mother.' },
} as const;

/** Consent for Omar (4) to share his needs with BFT. */
const consentForOmar = (givenByMemberId: string): GiveConsent => ({
  type: 'GiveConsent',
  data: {
    consentId: 'c-omar',
    memberId: 'm-omar',
    givenByMemberId,
    kind: 'information-sharing',
    toUnits: ['BFT'],
    dataCategories: ['needs'],
    purpose: 'Kindergarten place.',
    validFrom: TODAY,
    validUntil: '2024-12-31',
    evidence: { form: 'written', documentRef: 'F-1' },
  },
});

describe('RecordParentalResponsibility (barneloven ch. 5)', () => {
  it('records a holder for a child, with its basis and document, from today', () => {
    const state = spec.given(withHalima).when(record()).then([recorded]);
    expect(state.parentalResponsibility['m-omar:m-halima']).toEqual({
      childId: 'm-omar',
      holderId: 'm-halima',
      basis: 'court-decision',
      documentRef: 'Trondheim tingrett 24-012345',
      since: TODAY,
      active: true,
      recordedAt: '2024-03-15T09:00:00.000Z',
      recordedBy: by(actors.navCaseworker).by,
      endedAt: null,
    });
  });

  it('barneloven ch. 5: an adult of the household consents for a child under 16 only once the responsibility is recorded', () => {
    spec.given(withHalima).when(consentForOmar('m-halima')).thenThrows(ConsentGiverNotPermitted);
    spec
      .given([...withHalima, recorded])
      .when(consentForOmar('m-halima'))
      .then([expect.objectContaining({ type: 'ConsentGiven' }) as never]);
  });

  it('takes the basis as other-document and no document reference when not given', () => {
    spec
      .given(withHalima)
      .when({ type: 'RecordParentalResponsibility', data: { childId: 'm-omar', holderId: 'm-halima' } })
      .then([{ ...recorded, data: { ...recorded.data, basis: 'other-document', documentRef: null } }]);
  });

  it('barneloven § 30: refuses a "child" of 18 or over, and a holder under 18', () => {
    spec
      .given(withHalima)
      .when(record({ childId: 'm-yusuf' }))
      .thenThrows(InvalidInput);
    spec
      .given(withHalima)
      .when(record({ holderId: 'm-leila' }))
      .thenThrows(InvalidInput);
  });

  it('refuses a holder for themself, an unknown basis, an unknown member and one who left', () => {
    spec
      .given(withHalima)
      .when(record({ holderId: 'm-omar' }))
      .thenThrows(InvalidInput);
    spec
      .given(withHalima)
      .when(record({ basis: 'hearsay' as 'agreement' }))
      .thenThrows(InvalidInput);
    spec
      .given(withHalima)
      .when(record({ holderId: 'm-nobody' }))
      .thenThrows(MemberNotFound);
    const left: FamilyEvent = { type: 'MemberLeft', data: { memberId: 'm-halima', leftOn: TODAY, reason: null, ...by(actors.navCaseworker) } };
    spec
      .given([...withHalima, left])
      .when(record())
      .thenThrows(MemberNotCurrent);
  });

  it('refuses recording a relation that is already in force; records it again after it ended', () => {
    spec
      .given([...withHalima, recorded])
      .when(record())
      .thenThrows(AlreadyExists);
    spec
      .given(withHalima)
      .when(record({ holderId: 'm-yusuf' }))
      .thenThrows(AlreadyExists);
    spec
      .given([...withHalima, ended])
      .when(record({ holderId: 'm-yusuf', basis: 'agreement', documentRef: 'Avtale 2024' }))
      .then([{ ...recorded, data: { ...recorded.data, holderId: 'm-yusuf', basis: 'agreement', documentRef: 'Avtale 2024' } }]);
  });

  it('is recorded only by a unit with a part in the case (NO_PART_IN_CASE)', () => {
    spec.given(withHalima).when(record(), { actor: actors.hvkCaseworker }).thenThrows(NoPartInCase);
    spec
      .given([...withHalima, ...bftPart])
      .when(record(), { actor: actors.bftCaseworker })
      .then([{ ...recorded, data: { ...recorded.data, ...by(actors.bftCaseworker) } }]);
  });
});

describe('EndParentalResponsibility (barneloven ch. 5)', () => {
  it('ends a recorded relation; the former holder no longer consents for the child, the other holder still does', () => {
    const state = spec.given(withHalima).when(end).then([ended]);
    expect(state.parentalResponsibility['m-omar:m-yusuf']).toMatchObject({ active: false, endedAt: '2024-03-15T09:00:00.000Z', since: '2024-01-08' });
    spec
      .given([...withHalima, ended])
      .when(consentForOmar('m-yusuf'))
      .thenThrows(ConsentGiverNotPermitted);
    spec
      .given([...withHalima, ended])
      .when(consentForOmar('m-amina'))
      .then([expect.objectContaining({ type: 'ConsentGiven' }) as never]);
  });

  it('refuses a relation that is not recorded, or already ended (PARENTAL_RESPONSIBILITY_NOT_FOUND)', () => {
    spec
      .given(withHalima)
      .when({ ...end, data: { ...end.data, holderId: 'm-halima' } })
      .thenThrows(ParentalResponsibilityNotFound);
    spec
      .given([...withHalima, ended])
      .when(end)
      .thenThrows(ParentalResponsibilityNotFound);
  });

  it('needs a reason', () => {
    spec
      .given(withHalima)
      .when({ ...end, data: { ...end.data, reason: ' ' } })
      .thenThrows(InvalidInput);
  });

  it('is recorded only by a unit with a part in the case (NO_PART_IN_CASE, before the relation is looked up)', () => {
    spec.given(withHalima).when(end, { actor: actors.innCaseworker }).thenThrows(NoPartInCase);
    spec
      .given(withHalima)
      .when({ ...end, data: { ...end.data, holderId: 'm-nobody' } }, { actor: actors.innCaseworker })
      .thenThrows(NoPartInCase);
  });
});
