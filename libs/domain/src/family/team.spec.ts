import { ActionNotPermitted, InvalidInput, UnknownUnit } from '../shared/domain-error';
import { actors, bftContactJoined, by, familyRegistered, familySpec as spec, navContactJoined } from '../testing/family.fixtures';
import { ContactPersonAlreadyInTeam, ContactPersonNotFound, CoordinatingUnitNotInTeam, FamilyNotFound } from './family.errors';
import type { FamilyEvent } from './family.events';

const kariLeft: FamilyEvent = { type: 'ContactPersonLeft', data: { personId: 'p-kari', ...by(actors.navCaseworker) } };

describe('JoinContactPerson', () => {
  it('adds a person from a unit to the team', () => {
    spec
      .given([familyRegistered])
      .when({
        type: 'JoinContactPerson',
        data: { personId: 'p-kari', name: 'Kari Nordmann', affiliation: { kind: 'unit', unit: 'NAV' }, teamRole: 'caseworker' },
      })
      .then([{ ...navContactJoined, data: { ...navContactJoined.data, ...by(actors.navCaseworker) } }]);
  });

  it('adds a partner organisation; the team is a list, several people at once', () => {
    const state = spec
      .given([familyRegistered, navContactJoined])
      .when({ type: 'JoinContactPerson', data: { personId: 'p-trener', name: 'Trener Tor', affiliation: { kind: 'partner', organisation: 'Heimdal IL' } } })
      .then([
        {
          type: 'ContactPersonJoined',
          data: { personId: 'p-trener', name: 'Trener Tor', affiliation: { kind: 'partner', organisation: 'Heimdal IL' }, teamRole: null, ...by(actors.navCaseworker) },
        },
      ]);
    expect(Object.keys(state.team)).toEqual(['p-kari', 'p-trener']);
  });

  it('lets a person who left join again', () => {
    spec
      .given([familyRegistered, navContactJoined, kariLeft])
      .when({ type: 'JoinContactPerson', data: { personId: 'p-kari', name: 'Kari Nordmann', affiliation: { kind: 'unit', unit: 'NAV' } } })
      .then([
        {
          type: 'ContactPersonJoined',
          data: { personId: 'p-kari', name: 'Kari Nordmann', affiliation: { kind: 'unit', unit: 'NAV' }, teamRole: null, ...by(actors.navCaseworker) },
        },
      ]);
  });

  it('refuses someone already in the team', () => {
    spec
      .given([familyRegistered, navContactJoined])
      .when({ type: 'JoinContactPerson', data: { personId: 'p-kari', name: 'Kari', affiliation: { kind: 'unit', unit: 'NAV' } } })
      .thenThrows(ContactPersonAlreadyInTeam);
  });

  it('refuses an unknown unit', () => {
    spec
      .given([familyRegistered])
      .when({ type: 'JoinContactPerson', data: { personId: 'p-x', name: 'X', affiliation: { kind: 'unit', unit: 'POLICE' as 'NAV' } } })
      .thenThrows(UnknownUnit);
  });

  it('refuses an affiliation that is neither unit nor partner', () => {
    spec
      .given([familyRegistered])
      .when({ type: 'JoinContactPerson', data: { personId: 'p-x', name: 'X', affiliation: { kind: 'friend' } as never } })
      .thenThrows(InvalidInput);
  });

  it('refuses a partner changing the team', () => {
    spec
      .given([familyRegistered])
      .when({ type: 'JoinContactPerson', data: { personId: 'p-x', name: 'X', affiliation: { kind: 'partner', organisation: 'Saupstad skole' } } }, { actor: actors.school })
      .thenThrows(ActionNotPermitted);
  });

  it('refuses an unregistered family', () => {
    spec
      .given([])
      .when({ type: 'JoinContactPerson', data: { personId: 'p-x', name: 'X', affiliation: { kind: 'unit', unit: 'NAV' } } })
      .thenThrows(FamilyNotFound);
  });
});

describe('LeaveContactPerson', () => {
  it('takes a person off the team, keeping them in the history', () => {
    const state = spec.given([familyRegistered, navContactJoined]).when({ type: 'LeaveContactPerson', data: { personId: 'p-kari' } }).then([kariLeft]);
    expect(state.team['p-kari']).toMatchObject({ active: false, leftAt: '2024-03-15T09:00:00.000Z' });
  });

  it.each([
    ['someone never in the team', []],
    ['someone who already left', [navContactJoined, kariLeft]],
  ])('refuses %s', (_label, history) => {
    spec.given([familyRegistered, ...history]).when({ type: 'LeaveContactPerson', data: { personId: 'p-kari' } }).thenThrows(ContactPersonNotFound);
  });
});

describe('NameCoordinatingUnit', () => {
  it('names one unit with a contact person in the team as coordinating', () => {
    const state = spec
      .given([familyRegistered, navContactJoined, bftContactJoined])
      .when({ type: 'NameCoordinatingUnit', data: { unit: 'BFT' } })
      .then([{ type: 'CoordinatingUnitNamed', data: { unit: 'BFT', previousUnit: null, ...by(actors.navCaseworker) } }]);
    expect(state.coordinatingUnit).toBe('BFT');
  });

  it('records the unit it replaces', () => {
    const bftNamed: FamilyEvent = { type: 'CoordinatingUnitNamed', data: { unit: 'BFT', previousUnit: null, ...by(actors.bftCaseworker) } };
    spec
      .given([familyRegistered, navContactJoined, bftContactJoined, bftNamed])
      .when({ type: 'NameCoordinatingUnit', data: { unit: 'NAV' } })
      .then([{ type: 'CoordinatingUnitNamed', data: { unit: 'NAV', previousUnit: 'BFT', ...by(actors.navCaseworker) } }]);
  });

  it('appends nothing when the unit already coordinates', () => {
    const navNamed: FamilyEvent = { type: 'CoordinatingUnitNamed', data: { unit: 'NAV', previousUnit: null, ...by(actors.navCaseworker) } };
    spec.given([familyRegistered, navContactJoined, navNamed]).when({ type: 'NameCoordinatingUnit', data: { unit: 'NAV' } }).then([]);
  });

  it('refuses a unit nobody in the team represents', () => {
    spec.given([familyRegistered, navContactJoined]).when({ type: 'NameCoordinatingUnit', data: { unit: 'HVK' } }).thenThrows(CoordinatingUnitNotInTeam);
  });

  it('refuses a unit whose contact person left', () => {
    spec
      .given([familyRegistered, navContactJoined, kariLeft])
      .when({ type: 'NameCoordinatingUnit', data: { unit: 'NAV' } })
      .thenThrows(CoordinatingUnitNotInTeam);
  });
});
