import {
  actors,
  bftPart,
  by,
  CLUB_ORGANISATION_NUMBER,
  clubPartner,
  familyRegistered,
  familySpec as spec,
  memberLeft,
  needExpressed,
  SCHOOL_ORGANISATION_NUMBER,
  schoolEnrolled,
} from '../testing/family.fixtures';
import type { FamilyEnrolled, FamilyEvent } from './family.events';
import { foldFamily } from './family.evolve';
import { enrolmentsOf } from './family.guards';
import { PartnerNotEnrolled } from './parts.errors';

/**
 * The partner guards shared by the deciders: a partner (by organisation number, Enhetsregisteret)
 * acts only within an active enrolment naming it, about the members it enrols (the seed's pilot
 * model: partners propose and carry out, public authority stays with the municipality).
 */

const enrolment = (enrolmentId: string, data: Partial<FamilyEnrolled['data']>): FamilyEnrolled => ({
  type: 'FamilyEnrolled',
  data: { ...schoolEnrolled.data, enrolmentId, ...data },
});

describe('enrolmentsOf: the active enrolments naming an organisation number', () => {
  it('the seed’s pilot model: an enrolment naming several partners is an enrolment of each of them', () => {
    const state = foldFamily([familyRegistered, ...bftPart, enrolment('e-1', { partners: [clubPartner, ...schoolEnrolled.data.partners] })]);
    expect(enrolmentsOf(state, SCHOOL_ORGANISATION_NUMBER).map((e) => e.enrolmentId)).toEqual(['e-1']);
    expect(enrolmentsOf(state, CLUB_ORGANISATION_NUMBER).map((e) => e.enrolmentId)).toEqual(['e-1']);
  });

  it.each([
    ['undefined', undefined],
    ['null', null],
    ['empty', ''],
  ])(
    'the seed’s pilot model: a user without an organisation (number %s) has no enrolment, even where history holds a partner recorded without a number',
    (_label, organisationNumber) => {
      // Hand-written or damaged history: a partner with no number at all, and one with an empty number.
      const withoutNumber = enrolment('e-odd', {
        partners: [{ name: 'Ukjent', mayRecordPayments: true } as never, { organisationNumber: '', name: 'Tom', mayRecordPayments: true }],
      });
      const state = foldFamily([familyRegistered, ...bftPart, schoolEnrolled, withoutNumber]);
      expect(enrolmentsOf(state, organisationNumber)).toEqual([]);
    },
  );
});

describe('requireEnrolledPartner: a need of the whole family (memberId null)', () => {
  const familyNeed = { type: 'ExpressNeed', data: { needId: 'n-2', words: 'A bigger flat.' } } as const;
  const atSchool = { actor: actors.school, now: new Date('2024-03-15T09:00:00.000Z') };
  const recorded: FamilyEvent = {
    type: 'NeedExpressed',
    data: { ...needExpressed.data, needId: 'n-2', memberId: null, words: 'A bigger flat.', expressedOn: '2024-03-15', ...by(actors.school) },
  };
  /** The school's enrolment of Yusuf and the three children: everyone but Amina. */
  const allButAmina = enrolment('e-2', { memberIds: ['m-yusuf', 'm-leila', 'm-sara', 'm-omar'] });

  it('the seed’s pilot model: a partner records a whole-family need when every current member is enrolled; a member who left need not be', () => {
    spec
      .given([familyRegistered, ...bftPart, allButAmina, memberLeft('m-amina')])
      .when(familyNeed, atSchool)
      .then([recorded]);
  });

  it('the seed’s pilot model: a partner may not record a whole-family need while a current member is not enrolled (PARTNER_NOT_ENROLLED)', () => {
    const error = spec
      .given([familyRegistered, ...bftPart, allButAmina])
      .when(familyNeed, atSchool)
      .thenThrows(PartnerNotEnrolled);
    expect(error.details).toEqual({ action: 'record a need' });
  });

  it('the seed’s pilot model: the whole family must be enrolled in one enrolment, not spread over two', () => {
    const amina = enrolment('e-3', { memberIds: ['m-amina'] });
    spec
      .given([familyRegistered, ...bftPart, allButAmina, amina])
      .when(familyNeed, atSchool)
      .thenThrows(PartnerNotEnrolled);
  });
});
