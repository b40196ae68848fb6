import { InvalidInput, UnitMismatch } from '../shared/domain-error';
import {
  actors,
  barnasStemme,
  bftContactJoined,
  bftPart,
  by,
  CLUB_ORGANISATION_NUMBER,
  clubPartner,
  contactPersonJoined,
  contactPersonLeft,
  familyRegistered,
  familySpec as spec,
  navContactJoined,
  SCHOOL_ORGANISATION_NUMBER,
  schoolEnrolled,
  withSchoolEnrolled,
} from '../testing/family.fixtures';
import type { EnrolInSubProject } from './family.commands';
import { AlreadyExists, MemberNotFound } from './family.errors';
import type { EnrolmentEnded, FamilyEnrolled } from './family.events';
import { enrolmentsOf } from './family.guards';
import { EnrolmentNotFound, NoPartInCase } from './parts.errors';
import { SubProjectNotFound, SubProjectWasTerminated } from '../sub-project/sub-project.errors';

/**
 * Enrolment in a pilot sub-project: recorded by the sub-project's responsible unit (with a part),
 * from the sub-project's facts the application reads from its stream. It is what lets the
 * sub-project's partners act for the enrolled members; public authority stays with the unit.
 */

const withBft = [familyRegistered, ...bftPart];
const enrol = (data: Partial<EnrolInSubProject['data']> = {}): EnrolInSubProject => ({
  type: 'EnrolInSubProject',
  data: { enrolmentId: 'e-1', subProjectId: 'sp-barnas-stemme', memberIds: ['m-leila', 'm-sara', 'm-omar'], subProject: barnasStemme, ...data },
});
const enrolled: FamilyEnrolled = { ...schoolEnrolled, data: { ...schoolEnrolled.data, ...by(actors.bftCaseworker) } };
const ended: EnrolmentEnded = {
  type: 'EnrolmentEnded',
  data: { enrolmentId: 'e-1', reason: 'The school year ended.', contactPersonIds: [], ...by(actors.bftCaseworker) },
};

describe('EnrolInSubProject', () => {
  it('enrolment: the responsible unit enrols members; the enrolment names the sub-project’s partners', () => {
    const state = spec.given(withBft).when(enrol(), { actor: actors.bftCaseworker }).then([enrolled]);
    expect(state.enrolments['e-1']).toMatchObject({ active: true, responsibleUnit: 'BFT', subProjectName: 'Barnas stemme', endedAt: null });
    expect(enrolmentsOf(state, SCHOOL_ORGANISATION_NUMBER).map((e) => e.enrolmentId)).toEqual(['e-1']);
  });

  it('enrolment: partners without a 9-digit organisation number are dropped (they could never act)', () => {
    const partners = [
      { organisationNumber: 'Heimdal IL', name: 'Heimdal IL', mayRecordPayments: true },
      { organisationNumber: '98345678', name: 'Short number', mayRecordPayments: false },
      { organisationNumber: ` ${CLUB_ORGANISATION_NUMBER}`, name: 'Spaced number', mayRecordPayments: false },
      { organisationNumber: CLUB_ORGANISATION_NUMBER, name: 'Heimdal IL', mayRecordPayments: false },
      ...barnasStemme.partners,
    ];
    const state = spec
      .given(withBft)
      .when(enrol({ subProject: { ...barnasStemme, partners } }), { actor: actors.bftCaseworker })
      .then([{ ...enrolled, data: { ...enrolled.data, partners: [partners[3], ...barnasStemme.partners] } }]);
    expect(enrolmentsOf(state, 'Heimdal IL')).toEqual([]);
  });

  it('enrolment: only the sub-project’s responsible unit enrols (another unit with a part: UNIT_MISMATCH)', () => {
    const error = spec.given(withBft).when(enrol()).thenThrows(UnitMismatch);
    expect(error.details).toEqual({ actorUnit: 'NAV', requiredUnit: 'BFT' });
  });

  it('enrolment: the responsible unit needs a part in the case (NO_PART_IN_CASE)', () => {
    spec.given([familyRegistered]).when(enrol(), { actor: actors.bftCaseworker }).thenThrows(NoPartInCase);
  });

  it('enrolment: the sub-project’s facts come from its stream: missing or of another sub-project is SUB_PROJECT_NOT_FOUND, a terminated one is refused', () => {
    spec
      .given(withBft)
      .when(enrol({ subProject: null }), { actor: actors.bftCaseworker })
      .thenThrows(SubProjectNotFound);
    spec
      .given(withBft)
      .when(enrol({ subProjectId: 'sp-other' }), { actor: actors.bftCaseworker })
      .thenThrows(SubProjectNotFound);
    spec
      .given(withBft)
      .when(enrol({ subProject: { ...barnasStemme, active: false } }), { actor: actors.bftCaseworker })
      .thenThrows(SubProjectWasTerminated);
  });

  it('refuses no members, a member twice, an unknown member, and an enrolment id already used', () => {
    spec
      .given(withBft)
      .when(enrol({ memberIds: [] }), { actor: actors.bftCaseworker })
      .thenThrows(InvalidInput);
    spec
      .given(withBft)
      .when(enrol({ memberIds: ['m-sara', 'm-sara'] }), { actor: actors.bftCaseworker })
      .thenThrows(InvalidInput);
    spec
      .given(withBft)
      .when(enrol({ memberIds: ['m-nobody'] }), { actor: actors.bftCaseworker })
      .thenThrows(MemberNotFound);
    spec.given(withSchoolEnrolled).when(enrol(), { actor: actors.bftCaseworker }).thenThrows(AlreadyExists);
  });

  it('refuses a partner enrolling members itself (public authority stays with the municipality)', () => {
    spec
      .given(withSchoolEnrolled)
      .when(enrol({ enrolmentId: 'e-2' }), { actor: actors.school })
      .thenThrows('ACTION_NOT_PERMITTED');
  });
});

describe('EndEnrolment', () => {
  it('enrolment: the responsible unit ends it; the partners no longer act for the members', () => {
    const state = spec
      .given(withSchoolEnrolled)
      .when({ type: 'EndEnrolment', data: { enrolmentId: 'e-1', reason: 'The school year ended.' } }, { actor: actors.bftCaseworker })
      .then([ended]);
    expect(state.enrolments['e-1']).toMatchObject({ active: false, endedAt: '2024-03-15T09:00:00.000Z', endReason: 'The school year ended.' });
    expect(enrolmentsOf(state, SCHOOL_ORGANISATION_NUMBER)).toEqual([]);
  });

  it('enrolment: to any other unit the enrolment does not exist (ENROLMENT_NOT_FOUND), nor once ended', () => {
    const endIt = { type: 'EndEnrolment', data: { enrolmentId: 'e-1', reason: 'Over.' } } as const;
    spec.given(withSchoolEnrolled).when(endIt).thenThrows(EnrolmentNotFound);
    spec
      .given([...withSchoolEnrolled, ended])
      .when(endIt, { actor: actors.bftCaseworker })
      .thenThrows(EnrolmentNotFound);
    spec
      .given(withSchoolEnrolled)
      .when({ type: 'EndEnrolment', data: { enrolmentId: 'e-x', reason: 'Over.' } }, { actor: actors.bftCaseworker })
      .thenThrows(EnrolmentNotFound);
  });

  it('needs a reason, and a part in the case', () => {
    spec
      .given(withSchoolEnrolled)
      .when({ type: 'EndEnrolment', data: { enrolmentId: 'e-1', reason: '' } }, { actor: actors.bftCaseworker })
      .thenThrows(InvalidInput);
    spec
      .given(withSchoolEnrolled)
      .when({ type: 'EndEnrolment', data: { enrolmentId: 'e-1', reason: 'Over.' } }, { actor: actors.hvkCaseworker })
      .thenThrows(NoPartInCase);
  });
});

describe('EndEnrolment: the partners leave the team with it', () => {
  const partnerJoined = {
    type: 'ContactPersonJoined' as const,
    data: {
      personId: 'p-school',
      name: 'Lise Lærer',
      affiliation: { kind: 'partner' as const, organisation: 'Saupstad skole', organisationNumber: SCHOOL_ORGANISATION_NUMBER },
      teamRole: 'Kontaktlærer',
      ...by(actors.bftCaseworker),
    },
  };

  it('the public authority stays with the unit: a partner whose enrolment ended has no contact person left in the team', () => {
    const state = spec
      .given([...withBft, enrolled, partnerJoined])
      .when({ type: 'EndEnrolment', data: { enrolmentId: 'e-1', reason: 'The school year ended.' } }, { actor: actors.bftCaseworker })
      .then([{ ...ended, data: { ...ended.data, contactPersonIds: ['p-school'] } }]);
    expect(state.team['p-school']).toMatchObject({ active: false });
  });

  it('a partner still named by another active enrolment keeps its contact person', () => {
    const second: FamilyEnrolled = { ...enrolled, data: { ...enrolled.data, enrolmentId: 'e-2' } };
    spec
      .given([...withBft, enrolled, second, partnerJoined])
      .when({ type: 'EndEnrolment', data: { enrolmentId: 'e-1', reason: 'The school year ended.' } }, { actor: actors.bftCaseworker })
      .then([ended]);
  });
});

describe('enrolment: exactly who and which contact persons (the seed’s pilot model: partners act only for enrolled members)', () => {
  it('enrolment: names each member once: a member named twice is refused, naming the field', () => {
    const error = spec
      .given(withBft)
      .when(enrol({ memberIds: ['m-sara', 'm-omar', 'm-sara'] }), { actor: actors.bftCaseworker })
      .thenThrows(InvalidInput);
    expect(error.message).toBe('memberIds: names the same entry twice');
    expect(error.details).toEqual({ field: 'memberIds' });
  });

  it('the public authority stays with the unit: ending an enrolment takes exactly the active contact persons of the partners it alone enrolled off the team, sorted', () => {
    const school = { kind: 'partner', organisation: 'Saupstad skole', organisationNumber: SCHOOL_ORGANISATION_NUMBER } as const;
    const club = { kind: 'partner', organisation: 'Heimdal IL', organisationNumber: CLUB_ORGANISATION_NUMBER } as const;
    const otherPartner = { kind: 'partner', organisation: 'Kirkens Bymisjon', organisationNumber: '971234567' } as const;
    /** e-1 names the school and the club; e-2, still active, names the club too. */
    const both: FamilyEnrolled = { ...enrolled, data: { ...enrolled.data, partners: [clubPartner, ...barnasStemme.partners] } };
    const clubAlsoElsewhere: FamilyEnrolled = {
      ...enrolled,
      data: { ...enrolled.data, enrolmentId: 'e-2', subProjectId: 'sp-sommer', subProjectName: 'Sommer', partners: [clubPartner] },
    };
    const history = [
      ...withBft,
      both,
      clubAlsoElsewhere,
      navContactJoined,
      bftContactJoined,
      contactPersonJoined('p-school-2', 'Line Lærer', school, actors.bftCaseworker),
      contactPersonJoined('p-school-1', 'Lise Lærer', school, actors.bftCaseworker),
      contactPersonJoined('p-school-left', 'Lars Lærer', school, actors.bftCaseworker),
      contactPersonLeft('p-school-left', actors.bftCaseworker),
      contactPersonJoined('p-tor', 'Trener Tor', club, actors.bftCaseworker),
      contactPersonJoined('p-other', 'Bymisjonen', otherPartner, actors.bftCaseworker),
      // A schema 1 partner contact, recorded before partners carried numbers.
      contactPersonJoined('p-old', 'Gammel partner', { kind: 'partner', organisation: 'Saupstad skole', organisationNumber: null }, actors.bftCaseworker),
    ];
    const state = spec
      .given(history)
      .when({ type: 'EndEnrolment', data: { enrolmentId: 'e-1', reason: 'The school year ended.' } }, { actor: actors.bftCaseworker })
      .then([{ ...ended, data: { ...ended.data, contactPersonIds: ['p-school-1', 'p-school-2'] } }]);
    expect(
      Object.values(state.team)
        .filter((p) => p.active)
        .map((p) => p.personId),
    ).toEqual(['p-kari', 'p-siri', 'p-tor', 'p-other', 'p-old']);
  });
});
