import type { Actor } from '../shared/actor';
import { ActionNotPermitted, InvalidInput, UnitMismatch, UnknownUnit } from '../shared/domain-error';
import {
  actors,
  bftContactJoined,
  bftPart,
  by,
  CLUB_ORGANISATION_NUMBER,
  clubPartner,
  contactPersonJoined,
  coordinationConsent,
  familyRegistered,
  familySpec as spec,
  navContactJoined,
  referralAccepted,
  SCHOOL_ORGANISATION_NUMBER,
  schoolEnrolled,
  TODAY,
  withSchoolEnrolled,
} from '../testing/family.fixtures';
import type { JoinContactPerson } from './family.commands';
import { ConsentMissing, ContactPersonAlreadyInTeam, ContactPersonNotFound, CoordinatingUnitNotInTeam, FamilyNotFound } from './family.errors';
import type { ContactPersonJoined, FamilyEnrolled, FamilyEvent } from './family.events';
import { NoPartInCase } from './parts.errors';

const kariLeft: FamilyEvent = { type: 'ContactPersonLeft', data: { personId: 'p-kari', ...by(actors.navCaseworker) } };

const join = (personId: string, affiliation: JoinContactPerson['data']['affiliation'], name = 'Kari Nordmann'): JoinContactPerson => ({
  type: 'JoinContactPerson',
  data: { personId, name, affiliation },
});
const school = { kind: 'partner', organisation: 'Saupstad skole', organisationNumber: SCHOOL_ORGANISATION_NUMBER } as const;
/** The school's contact person as the team records her (the name comes from the enrolment). */
const lineJoined = (actor: Actor = actors.bftCaseworker): ContactPersonJoined => ({
  type: 'ContactPersonJoined',
  data: { personId: 'p-line', name: 'Line Lærer', affiliation: school, teamRole: null, ...by(actor) },
});

/** Both adults consent to NAV coordinating; NAV is named. */
const navCoordinates: FamilyEvent[] = [
  navContactJoined,
  coordinationConsent('c-coord-amina', 'm-amina', 'NAV'),
  coordinationConsent('c-coord-yusuf', 'm-yusuf', 'NAV'),
  { type: 'CoordinatingUnitNamed', data: { unit: 'NAV', previousUnit: null, ...by(actors.navCaseworker) } },
];

describe('JoinContactPerson', () => {
  it('adds a person from the unit itself to the team', () => {
    spec
      .given([familyRegistered])
      .when({
        type: 'JoinContactPerson',
        data: { personId: 'p-kari', name: 'Kari Nordmann', affiliation: { kind: 'unit', unit: 'NAV' }, teamRole: 'caseworker' },
      })
      .then([{ ...navContactJoined, data: { ...navContactJoined.data, ...by(actors.navCaseworker) } }]);
  });

  it('lets a person who left join again', () => {
    spec
      .given([familyRegistered, navContactJoined, kariLeft])
      .when(join('p-kari', { kind: 'unit', unit: 'NAV' }))
      .then([
        {
          type: 'ContactPersonJoined',
          data: { personId: 'p-kari', name: 'Kari Nordmann', affiliation: { kind: 'unit', unit: 'NAV' }, teamRole: null, ...by(actors.navCaseworker) },
        },
      ]);
  });

  it('team: a unit adds only its own contact persons (UNIT_MISMATCH for another unit’s)', () => {
    spec
      .given([familyRegistered, ...bftPart])
      .when(join('p-siri', { kind: 'unit', unit: 'BFT' }, 'Siri Berg'))
      .thenThrows(UnitMismatch);
  });

  it('team: the coordinating unit adds anyone’s contact person; the team is a list, several people at once', () => {
    const state = spec
      .given([familyRegistered, ...bftPart, ...navCoordinates])
      .when(join('p-siri', { kind: 'unit', unit: 'BFT' }, 'Siri Berg'))
      .then([
        {
          type: 'ContactPersonJoined',
          data: { personId: 'p-siri', name: 'Siri Berg', affiliation: { kind: 'unit', unit: 'BFT' }, teamRole: null, ...by(actors.navCaseworker) },
        },
      ]);
    expect(Object.keys(state.team)).toEqual(['p-kari', 'p-siri']);
  });

  it('team: a unit’s contact person joins only if that unit has a part (NO_PART_IN_CASE), also when the coordinating unit adds them', () => {
    const error = spec
      .given([familyRegistered, ...navCoordinates])
      .when(join('p-anne', { kind: 'unit', unit: 'HVK' }, 'Anne'))
      .thenThrows(NoPartInCase);
    expect(error.message).toMatch(/: HVK has no part/);
    const own = spec
      .given([familyRegistered])
      .when(join('p-anne', { kind: 'unit', unit: 'HVK' }, 'Anne'), { actor: actors.hvkCaseworker })
      .thenThrows(NoPartInCase);
    expect(own.message).toMatch(/: your unit has no part/);
  });

  it('team: a partner’s contact person joins while the partner is enrolled, added by the enrolling unit; the name comes from the enrolment', () => {
    const state = spec
      .given(withSchoolEnrolled)
      .when(join('p-line', { kind: 'partner', organisation: 'A name the caller made up', organisationNumber: SCHOOL_ORGANISATION_NUMBER }, 'Line Lærer'), {
        actor: actors.bftCaseworker,
      })
      .then([lineJoined()]);
    expect(state.team['p-line'].affiliation).toEqual(school);
  });

  it('team: the coordinating unit adds an enrolled partner’s contact person too', () => {
    spec
      .given([...withSchoolEnrolled, ...navCoordinates])
      .when(join('p-line', { kind: 'partner', organisation: 'Saupstad skole', organisationNumber: SCHOOL_ORGANISATION_NUMBER }, 'Line Lærer'))
      .then([lineJoined(actors.navCaseworker)]);
  });

  it('team: a unit that neither coordinates nor enrolled the partner may not add its contact person', () => {
    spec
      .given(withSchoolEnrolled)
      .when(join('p-line', { kind: 'partner', organisation: 'Saupstad skole', organisationNumber: SCHOOL_ORGANISATION_NUMBER }, 'Line Lærer'))
      .thenThrows(UnitMismatch);
  });

  it('team: a partner that is not (or no longer) enrolled does not join', () => {
    const club = { kind: 'partner', organisation: 'Heimdal IL', organisationNumber: CLUB_ORGANISATION_NUMBER } as const;
    const error = spec
      .given([...withSchoolEnrolled, ...navCoordinates])
      .when(join('p-tor', club, 'Trener Tor'))
      .thenThrows(InvalidInput);
    expect(error.details).toEqual({ field: 'affiliation.organisationNumber' });
    const ended: FamilyEvent = {
      type: 'EnrolmentEnded',
      data: { enrolmentId: 'e-1', reason: 'The school year ended.', contactPersonIds: [], ...by(actors.bftCaseworker) },
    };
    const schoolAgain = { kind: 'partner', organisation: 'Saupstad skole', organisationNumber: SCHOOL_ORGANISATION_NUMBER } as const;
    spec
      .given([...withSchoolEnrolled, ended, ...navCoordinates])
      .when(join('p-line', schoolAgain))
      .thenThrows(InvalidInput);
    spec
      .given([...withSchoolEnrolled, ended])
      .when(join('p-line', schoolAgain), { actor: actors.bftCaseworker })
      .thenThrows(UnitMismatch);
  });

  it.each([
    ['by name only', { kind: 'partner', organisation: 'Saupstad skole' }],
    ['by a number that is not 9 digits', { kind: 'partner', organisation: 'Saupstad skole', organisationNumber: '97412345' }],
    ['by the name in the number field', { kind: 'partner', organisationNumber: 'Saupstad skole' }],
  ])('team: refuses a partner identified %s', (_label, affiliation) => {
    spec
      .given([...withSchoolEnrolled, ...navCoordinates])
      .when(join('p-line', affiliation as JoinContactPerson['data']['affiliation']))
      .thenThrows(InvalidInput);
  });

  it('refuses someone already in the team', () => {
    spec
      .given([familyRegistered, navContactJoined])
      .when(join('p-kari', { kind: 'unit', unit: 'NAV' }, 'Kari'))
      .thenThrows(ContactPersonAlreadyInTeam);
  });

  it('refuses an unknown unit', () => {
    spec
      .given([familyRegistered])
      .when(join('p-x', { kind: 'unit', unit: 'POLICE' as 'NAV' }, 'X'))
      .thenThrows(UnknownUnit);
  });

  it('refuses an affiliation that is neither unit nor partner', () => {
    spec
      .given([familyRegistered])
      .when(join('p-x', { kind: 'friend' } as never, 'X'))
      .thenThrows(InvalidInput);
  });

  it('refuses a partner changing the team, even an enrolled one', () => {
    spec
      .given(withSchoolEnrolled)
      .when(join('p-x', school, 'X'), { actor: actors.school })
      .thenThrows(ActionNotPermitted);
  });

  it('refuses an unregistered family', () => {
    spec
      .given([])
      .when(join('p-x', { kind: 'unit', unit: 'NAV' }, 'X'))
      .thenThrows(FamilyNotFound);
  });
});

describe('LeaveContactPerson', () => {
  it('takes a person off the team, keeping them in the history', () => {
    const state = spec
      .given([familyRegistered, navContactJoined])
      .when({ type: 'LeaveContactPerson', data: { personId: 'p-kari' } })
      .then([kariLeft]);
    expect(state.team['p-kari']).toMatchObject({ active: false, leftAt: '2024-03-15T09:00:00.000Z' });
  });

  it('team: a unit removes only its own contact persons; the coordinating unit anyone’s', () => {
    const leaveSiri = { type: 'LeaveContactPerson', data: { personId: 'p-siri' } } as const;
    spec
      .given([familyRegistered, ...bftPart, bftContactJoined])
      .when(leaveSiri)
      .thenThrows(UnitMismatch);
    spec
      .given([familyRegistered, ...bftPart, bftContactJoined, ...navCoordinates])
      .when(leaveSiri)
      .then([{ type: 'ContactPersonLeft', data: { personId: 'p-siri', ...by(actors.navCaseworker) } }]);
  });

  it('team: the enrolling unit removes a partner’s contact person', () => {
    spec
      .given([...withSchoolEnrolled, lineJoined()])
      .when({ type: 'LeaveContactPerson', data: { personId: 'p-line' } }, { actor: actors.bftCaseworker })
      .then([{ type: 'ContactPersonLeft', data: { personId: 'p-line', ...by(actors.bftCaseworker) } }]);
    spec
      .given([...withSchoolEnrolled, lineJoined()])
      .when({ type: 'LeaveContactPerson', data: { personId: 'p-line' } })
      .thenThrows(UnitMismatch);
  });

  it('team: the enrolling unit still removes a partner’s contact person after the enrolment ended (else nobody could)', () => {
    const ended: FamilyEvent = {
      type: 'EnrolmentEnded',
      data: { enrolmentId: 'e-1', reason: 'The school year ended.', contactPersonIds: [], ...by(actors.bftCaseworker) },
    };
    spec
      .given([...withSchoolEnrolled, lineJoined(), ended])
      .when({ type: 'LeaveContactPerson', data: { personId: 'p-line' } }, { actor: actors.bftCaseworker })
      .then([{ type: 'ContactPersonLeft', data: { personId: 'p-line', ...by(actors.bftCaseworker) } }]);
    spec
      .given([...withSchoolEnrolled, lineJoined(), ended])
      .when({ type: 'LeaveContactPerson', data: { personId: 'p-line' } })
      .thenThrows(UnitMismatch);
  });

  it('needs a part in the case (NO_PART_IN_CASE before the person is looked up)', () => {
    const error = spec
      .given([familyRegistered, navContactJoined])
      .when({ type: 'LeaveContactPerson', data: { personId: 'p-kari' } }, { actor: actors.hvkCaseworker })
      .thenThrows(NoPartInCase);
    expect(error.message).not.toContain('p-kari');
  });

  it.each([
    ['someone never in the team', []],
    ['someone who already left', [navContactJoined, kariLeft]],
  ])('refuses %s', (_label, history) => {
    spec
      .given([familyRegistered, ...history])
      .when({ type: 'LeaveContactPerson', data: { personId: 'p-kari' } })
      .thenThrows(ContactPersonNotFound);
  });
});

describe('NameCoordinatingUnit', () => {
  const coordinationOf = (unit: 'NAV' | 'BFT') => [
    coordinationConsent(`c-${unit}-amina`, 'm-amina', unit),
    coordinationConsent(`c-${unit}-yusuf`, 'm-yusuf', unit),
  ];
  const ready = [familyRegistered, ...bftPart, navContactJoined, bftContactJoined, ...coordinationOf('BFT')];

  it('names a unit with a part and a contact person, with every current adult’s coordination consent in force', () => {
    const state = spec
      .given(ready)
      .when({ type: 'NameCoordinatingUnit', data: { unit: 'BFT' } })
      .then([{ type: 'CoordinatingUnitNamed', data: { unit: 'BFT', previousUnit: null, ...by(actors.navCaseworker) } }]);
    expect(state.coordinatingUnit).toBe('BFT');
  });

  it('records the unit it replaces', () => {
    const bftNamed: FamilyEvent = { type: 'CoordinatingUnitNamed', data: { unit: 'BFT', previousUnit: null, ...by(actors.bftCaseworker) } };
    spec
      .given([...ready, bftNamed, ...coordinationOf('NAV')])
      .when({ type: 'NameCoordinatingUnit', data: { unit: 'NAV' } })
      .then([{ type: 'CoordinatingUnitNamed', data: { unit: 'NAV', previousUnit: 'BFT', ...by(actors.navCaseworker) } }]);
  });

  it('appends nothing when the unit already coordinates', () => {
    spec
      .given([familyRegistered, ...navCoordinates])
      .when({ type: 'NameCoordinatingUnit', data: { unit: 'NAV' } })
      .then([]);
  });

  it('coordinating unit: refused without a coordination consent of every current adult naming that unit (CONSENT_MISSING)', () => {
    const onlyAmina = [familyRegistered, ...bftPart, bftContactJoined, coordinationConsent('c-amina', 'm-amina', 'BFT')];
    const error = spec
      .given(onlyAmina)
      .when({ type: 'NameCoordinatingUnit', data: { unit: 'BFT' } })
      .thenThrows(ConsentMissing);
    expect(error.details).toEqual({ memberIds: ['m-yusuf'], units: ['BFT'], purpose: 'coordination' });
    // A consent naming another unit does not count.
    spec
      .given([...onlyAmina, coordinationConsent('c-yusuf', 'm-yusuf', 'NAV')])
      .when({ type: 'NameCoordinatingUnit', data: { unit: 'BFT' } })
      .thenThrows(ConsentMissing);
  });

  it('coordinating unit: a withdrawn or expired consent does not count; an adult who left is not asked', () => {
    const withdrawn: FamilyEvent = {
      type: 'ConsentWithdrawn',
      data: {
        consentId: 'c-BFT-yusuf',
        effectiveFrom: TODAY,
        reason: null,
        expressedByMemberId: 'm-yusuf',
        channel: 'orally',
        alertedUnits: [],
        ...by(actors.navCaseworker),
      },
    };
    spec
      .given([...ready, withdrawn])
      .when({ type: 'NameCoordinatingUnit', data: { unit: 'BFT' } })
      .thenThrows(ConsentMissing);
    spec
      .given(ready)
      .when({ type: 'NameCoordinatingUnit', data: { unit: 'BFT' } }, { now: new Date('2025-01-02T09:00:00.000Z') })
      .thenThrows(ConsentMissing);
    const yusufLeft: FamilyEvent = { type: 'MemberLeft', data: { memberId: 'm-yusuf', leftOn: '2024-03-01', reason: null, ...by(actors.navCaseworker) } };
    spec
      .given([familyRegistered, ...bftPart, bftContactJoined, coordinationConsent('c-amina', 'm-amina', 'BFT'), yusufLeft])
      .when({ type: 'NameCoordinatingUnit', data: { unit: 'BFT' } })
      .then([{ type: 'CoordinatingUnitNamed', data: { unit: 'BFT', previousUnit: null, ...by(actors.navCaseworker) } }]);
  });

  it('coordinating unit: the named unit must have a part (NO_PART_IN_CASE, naming that unit), and the namer too', () => {
    const error = spec
      .given([familyRegistered, navContactJoined])
      .when({ type: 'NameCoordinatingUnit', data: { unit: 'HVK' } })
      .thenThrows(NoPartInCase);
    expect(error.message).toMatch(/: HVK has no part in this family's case/);
    expect(error.details).toEqual({ action: 'name HVK coordinating unit', unit: 'HVK' });
    spec
      .given(ready)
      .when({ type: 'NameCoordinatingUnit', data: { unit: 'BFT' } }, { actor: actors.innCaseworker })
      .thenThrows(NoPartInCase);
  });

  it('coordinating unit: refused for a unit nobody in the team represents, or whose contact person left', () => {
    spec
      .given([familyRegistered, ...referralAccepted('HVK'), navContactJoined])
      .when({ type: 'NameCoordinatingUnit', data: { unit: 'HVK' } })
      .thenThrows(CoordinatingUnitNotInTeam);
    spec
      .given([familyRegistered, navContactJoined, kariLeft, ...coordinationOf('NAV')])
      .when({ type: 'NameCoordinatingUnit', data: { unit: 'NAV' } })
      .thenThrows(CoordinatingUnitNotInTeam);
  });

  it('refuses a partner (an enrolled one too)', () => {
    spec
      .given(withSchoolEnrolled)
      .when({ type: 'NameCoordinatingUnit', data: { unit: 'BFT' } }, { actor: actors.school })
      .thenThrows(ActionNotPermitted);
  });
});

describe('team: a partner’s affiliation, exactly (the seed’s pilot model; partners by organisation number, Enhetsregisteret)', () => {
  const joinLine = (affiliation: unknown) => join('p-line', affiliation as JoinContactPerson['data']['affiliation'], 'Line Lærer');

  it.each([
    ['a number of 8 digits', '97412345'],
    ['a number with a letter', '97412345X'],
    ['a number with spaces', '974 12345'],
  ])('team: a partner is identified by its 9-digit organisation number: refuses %s as such', (_label, organisationNumber) => {
    const error = spec
      .given([...withSchoolEnrolled, ...navCoordinates])
      .when(joinLine({ kind: 'partner', organisation: 'Saupstad skole', organisationNumber }))
      .thenThrows(InvalidInput);
    expect(error.message).toBe('affiliation.organisationNumber: must be the 9-digit organisation number');
  });

  it.each([
    ['no name', { kind: 'partner', organisationNumber: SCHOOL_ORGANISATION_NUMBER }],
    ['a null name', { kind: 'partner', organisation: null, organisationNumber: SCHOOL_ORGANISATION_NUMBER }],
    ['another name', { kind: 'partner', organisation: 'Skolen', organisationNumber: SCHOOL_ORGANISATION_NUMBER }],
  ])('team: a partner’s name comes from the enrolment: given %s, the school is recorded as Saupstad skole', (_label, affiliation) => {
    spec.given(withSchoolEnrolled).when(joinLine(affiliation), { actor: actors.bftCaseworker }).then([lineJoined()]);
  });

  it.each([
    ['empty', ''],
    ['not text', 974123456],
    ['too long', 'S'.repeat(201)],
  ])('team: a name the caller gives must still be text: refuses a partner name that is %s', (_label, organisation) => {
    const error = spec
      .given(withSchoolEnrolled)
      .when(joinLine({ kind: 'partner', organisation, organisationNumber: SCHOOL_ORGANISATION_NUMBER }), { actor: actors.bftCaseworker })
      .thenThrows(InvalidInput);
    expect(error.details).toEqual({ field: 'affiliation.organisation' });
  });

  it.each([
    ['missing', undefined],
    ['null', null],
    ['of another kind', { kind: 'friend', organisationNumber: SCHOOL_ORGANISATION_NUMBER }],
  ])('team: refuses an affiliation that is %s, naming the affiliation', (_label, affiliation) => {
    const error = spec
      .given([...withSchoolEnrolled, ...navCoordinates])
      .when(joinLine(affiliation))
      .thenThrows(InvalidInput);
    expect(error.details).toEqual({ field: 'affiliation' });
  });

  /** BFT enrols the children in a sub-project naming the club first and the school second. */
  const bothEnrolled: FamilyEnrolled = { ...schoolEnrolled, data: { ...schoolEnrolled.data, partners: [clubPartner, ...schoolEnrolled.data.partners] } };
  const withBoth = [familyRegistered, ...bftPart, bothEnrolled];

  it('team: a partner named together with others in an enrolment joins under its own name, added by the enrolling unit', () => {
    spec
      .given(withBoth)
      .when(joinLine({ kind: 'partner', organisationNumber: SCHOOL_ORGANISATION_NUMBER }), { actor: actors.bftCaseworker })
      .then([lineJoined()]);
  });

  it('team: the enrolling unit removes the contact person of a partner named together with others', () => {
    spec
      .given([...withBoth, lineJoined()])
      .when({ type: 'LeaveContactPerson', data: { personId: 'p-line' } }, { actor: actors.bftCaseworker })
      .then([{ type: 'ContactPersonLeft', data: { personId: 'p-line', ...by(actors.bftCaseworker) } }]);
  });

  it('team: only the unit that enrolled that partner removes its contact person, not the unit that enrolled another partner', () => {
    const clubByHvk: FamilyEnrolled = {
      type: 'FamilyEnrolled',
      data: {
        enrolmentId: 'e-hvk',
        subProjectId: 'sp-hvk',
        subProjectName: 'Aktiv fritid',
        responsibleUnit: 'HVK',
        memberIds: ['m-sara'],
        partners: [clubPartner],
        ...by(actors.hvkCaseworker),
      },
    };
    const tor = contactPersonJoined(
      'p-tor',
      'Trener Tor',
      { kind: 'partner', organisation: 'Heimdal IL', organisationNumber: CLUB_ORGANISATION_NUMBER },
      actors.hvkCaseworker,
    );
    const history = [...withSchoolEnrolled, ...referralAccepted('HVK'), clubByHvk, tor];
    const leaveTor = { type: 'LeaveContactPerson', data: { personId: 'p-tor' } } as const;
    const error = spec.given(history).when(leaveTor, { actor: actors.bftCaseworker }).thenThrows(UnitMismatch);
    expect(error.details).toEqual({ actorUnit: 'BFT', requiredUnit: 'the unit that enrolled the partner' });
    spec
      .given(history)
      .when(leaveTor, { actor: actors.hvkCaseworker })
      .then([{ type: 'ContactPersonLeft', data: { personId: 'p-tor', ...by(actors.hvkCaseworker) } }]);
  });

  it('team: with no coordinating unit, the refusal names the unit that enrolled the partner; with one, that unit', () => {
    const school = { kind: 'partner', organisationNumber: SCHOOL_ORGANISATION_NUMBER };
    const none = spec.given(withSchoolEnrolled).when(joinLine(school)).thenThrows(UnitMismatch);
    expect(none.details).toEqual({ actorUnit: 'NAV', requiredUnit: 'the unit that enrolled the partner' });
    expect(none.message).toBe('Only the unit that enrolled the partner may add this contact person; you act for NAV.');
    const withHvkCoordinating = [
      ...withSchoolEnrolled,
      ...referralAccepted('HVK'),
      contactPersonJoined('p-anne', 'Anne Lie', { kind: 'unit', unit: 'HVK' }, actors.hvkCaseworker),
      coordinationConsent('c-hvk-amina', 'm-amina', 'HVK'),
      coordinationConsent('c-hvk-yusuf', 'm-yusuf', 'HVK'),
      { type: 'CoordinatingUnitNamed', data: { unit: 'HVK', previousUnit: null, ...by(actors.hvkCaseworker) } } as FamilyEvent,
    ];
    const named = spec.given(withHvkCoordinating).when(joinLine(school)).thenThrows(UnitMismatch);
    expect(named.details).toEqual({ actorUnit: 'NAV', requiredUnit: 'HVK' });
  });

  it('coordinating unit: a unit with a part whose only contact person is a partner’s is not represented in the team (COORDINATING_UNIT_NOT_IN_TEAM)', () => {
    const error = spec
      .given([...withSchoolEnrolled, lineJoined(), coordinationConsent('c-a', 'm-amina', 'BFT'), coordinationConsent('c-y', 'm-yusuf', 'BFT')])
      .when({ type: 'NameCoordinatingUnit', data: { unit: 'BFT' } })
      .thenThrows(CoordinatingUnitNotInTeam);
    expect(error.details).toEqual({ unit: 'BFT' });
  });
});
