import { ActionNotPermitted, InvalidDate, InvalidInput, InvalidPeriod } from '../shared/domain-error';
import { actors, by, familyRegistered, familySpec as spec, members, TODAY } from '../testing/family.fixtures';
import { AlreadyExists, FamilyAlreadyRegistered, FamilyNotFound, LastAdultCannotLeave, MemberNotCurrent, MemberNotFound, NoAdultMember } from './family.errors';
import type { FamilyEvent } from './family.events';
import type { RegisterFamily } from './family.commands';

const register = (data: Partial<RegisterFamily['data']> = {}): RegisterFamily => ({
  type: 'RegisterFamily',
  data: {
    familyId: 'fam-1',
    district: 'Heimdal',
    members: [
      { name: 'Amina Hassan', birthDate: '1988-05-02', role: 'adult', preferredLanguage: 'so' },
      { memberId: 'm-omar', name: 'Omar Hassan', birthDate: '2020-01-10', role: 'child' },
    ],
    ...data,
  },
});

const yusufLeft: FamilyEvent = {
  type: 'MemberLeft',
  data: { memberId: 'm-yusuf', leftOn: '2024-03-01', reason: 'Moved to Oslo for work', ...by(actors.navCaseworker) },
};

describe('RegisterFamily', () => {
  it('registers the household; members without an id get one, nobody needs a national id', () => {
    const state = spec
      .given([])
      .when(register())
      .then([
        {
          type: 'FamilyRegistered',
          data: {
            familyId: 'fam-1',
            district: 'Heimdal',
            registeredOn: TODAY,
            members: [
              { memberId: 'id-1', name: 'Amina Hassan', birthDate: '1988-05-02', role: 'adult', nationalId: null, preferredLanguage: 'so', protectedAddress: false },
              { memberId: 'm-omar', name: 'Omar Hassan', birthDate: '2020-01-10', role: 'child', nationalId: null, preferredLanguage: null, protectedAddress: false },
            ],
            ...by(actors.navCaseworker),
          },
        },
      ]);
    expect(state.status).toBe('registered');
    expect(state.members['m-omar']).toMatchObject({ status: 'current', joinedOn: TODAY, leftOn: null });
  });

  it('keeps a national id and a protected address when given', () => {
    const state = spec
      .given([])
      .when(register({ members: [{ memberId: 'm-1', name: 'Ali', birthDate: '1990-01-01', role: 'adult', nationalId: '01019012345', protectedAddress: true }] }))
      .then([
        {
          type: 'FamilyRegistered',
          data: {
            familyId: 'fam-1',
            district: 'Heimdal',
            registeredOn: TODAY,
            members: [{ memberId: 'm-1', name: 'Ali', birthDate: '1990-01-01', role: 'adult', nationalId: '01019012345', preferredLanguage: null, protectedAddress: true }],
            ...by(actors.navCaseworker),
          },
        },
      ]);
    expect(state.members['m-1'].protectedAddress).toBe(true);
  });

  it('refuses a family registered twice', () => {
    spec.given([familyRegistered]).when(register()).thenThrows(FamilyAlreadyRegistered);
  });

  it('refuses a household without an adult', () => {
    spec
      .given([])
      .when(register({ members: [{ name: 'Omar', birthDate: '2020-01-10', role: 'child' }] }))
      .thenThrows(NoAdultMember);
  });

  it('refuses an empty household', () => {
    spec.given([]).when(register({ members: [] })).thenThrows(InvalidInput);
  });

  it('refuses the same member id twice', () => {
    const twice = { memberId: 'm-1', name: 'Ali', birthDate: '1990-01-01', role: 'adult' } as const;
    spec.given([]).when(register({ members: [twice, twice] })).thenThrows(AlreadyExists);
  });

  it.each([
    ['an impossible birth date', '2019-02-29'],
    ['a birth date in the future', '2030-01-01'],
    ['a date with a time', '1990-01-01T00:00'],
  ])('refuses %s', (_label, birthDate) => {
    spec.given([]).when(register({ members: [{ name: 'Ali', birthDate, role: 'adult' }] })).thenThrows(InvalidDate);
  });

  it.each([
    ['a national id that is not 11 digits', { nationalId: '1234' }],
    ['an unknown household role', { role: 'parent' }],
    ['a blank name', { name: '   ' }],
    ['a preferred language that is not a language code', { preferredLanguage: 'Somali language' }],
  ])('refuses %s', (_label, override) => {
    const member = { name: 'Ali', birthDate: '1990-01-01', role: 'adult', ...override } as RegisterFamily['data']['members'][number];
    spec.given([]).when(register({ members: [member] })).thenThrows(InvalidInput);
  });

  it('refuses two members with the same national id', () => {
    const a = { name: 'Ali', birthDate: '1990-01-01', role: 'adult', nationalId: '01019012345' } as const;
    const b = { name: 'Ali B', birthDate: '1990-01-01', role: 'adult', nationalId: '01019012345' } as const;
    spec.given([]).when(register({ members: [a, b] })).thenThrows(InvalidInput);
  });

  it('refuses an id that cannot be an internal id', () => {
    spec.given([]).when(register({ familyId: 'fam 1; drop' })).thenThrows(InvalidInput);
    spec.given([]).when(register({ members: [{ memberId: 'x'.repeat(101), name: 'Ali', birthDate: '1990-01-01', role: 'adult' }] })).thenThrows(InvalidInput);
  });

  it('refuses a caseworker whose user is linked to no unit', () => {
    spec.given([]).when(register(), { actor: { userId: 'new.user', role: 'caseworker' } }).thenThrows(ActionNotPermitted);
  });

  it('refuses a missing district', () => {
    spec.given([]).when(register({ district: '' })).thenThrows(InvalidInput);
  });

  it.each([
    ['an auditor, who only reads', actors.auditor],
    ['a partner organisation', actors.school],
  ])('refuses %s', (_label, actor) => {
    spec.given([]).when(register(), { actor }).thenThrows(ActionNotPermitted);
  });
});

describe('JoinMember', () => {
  it('adds a newborn, dated today unless told otherwise', () => {
    const state = spec
      .given([familyRegistered])
      .when({ type: 'JoinMember', data: { member: { name: 'Baby Hassan', birthDate: '2024-03-10', role: 'child' } } })
      .then([
        {
          type: 'MemberJoined',
          data: {
            member: { memberId: 'id-1', name: 'Baby Hassan', birthDate: '2024-03-10', role: 'child', nationalId: null, preferredLanguage: null, protectedAddress: false },
            joinedOn: TODAY,
            ...by(actors.navCaseworker),
          },
        },
      ]);
    expect(state.members['id-1'].status).toBe('current');
  });

  it('lets a member who left come back under the same id', () => {
    const state = spec
      .given([familyRegistered, yusufLeft])
      .when({ type: 'JoinMember', data: { member: members.yusuf, joinedOn: '2024-03-10' } })
      .then([{ type: 'MemberJoined', data: { member: members.yusuf, joinedOn: '2024-03-10', ...by(actors.navCaseworker) } }]);
    expect(state.members['m-yusuf']).toMatchObject({ status: 'current', joinedOn: '2024-03-10', leftOn: null });
  });

  it('refuses a current member joining again', () => {
    spec.given([familyRegistered]).when({ type: 'JoinMember', data: { member: members.sara } }).thenThrows(AlreadyExists);
  });

  it('refuses a national id another member has', () => {
    spec
      .given([familyRegistered])
      .when({ type: 'JoinMember', data: { member: { name: 'Cousin', birthDate: '1990-01-01', role: 'adult', nationalId: members.yusuf.nationalId } } })
      .thenThrows(InvalidInput);
  });

  it('refuses a join date in the future', () => {
    spec
      .given([familyRegistered])
      .when({ type: 'JoinMember', data: { member: { name: 'Aunt', birthDate: '1970-01-01', role: 'adult' }, joinedOn: '2024-04-01' } })
      .thenThrows(InvalidDate);
  });

  it('refuses a family that is not registered', () => {
    spec.given([]).when({ type: 'JoinMember', data: { member: members.sara } }).thenThrows(FamilyNotFound);
  });
});

describe('LeaveMember', () => {
  it('records that a member left, and why', () => {
    const state = spec
      .given([familyRegistered])
      .when({ type: 'LeaveMember', data: { memberId: 'm-yusuf', leftOn: '2024-03-01', reason: 'Moved to Oslo for work' } })
      .then([yusufLeft]);
    expect(state.members['m-yusuf']).toMatchObject({ status: 'left', leftOn: '2024-03-01' });
  });

  it('refuses an unknown member', () => {
    spec.given([familyRegistered]).when({ type: 'LeaveMember', data: { memberId: 'm-nobody' } }).thenThrows(MemberNotFound);
  });

  it('refuses a member who already left', () => {
    spec.given([familyRegistered, yusufLeft]).when({ type: 'LeaveMember', data: { memberId: 'm-yusuf' } }).thenThrows(MemberNotCurrent);
  });

  it('refuses the last adult leaving', () => {
    spec.given([familyRegistered, yusufLeft]).when({ type: 'LeaveMember', data: { memberId: 'm-amina' } }).thenThrows(LastAdultCannotLeave);
  });

  it('refuses leaving before joining', () => {
    spec
      .given([familyRegistered])
      .when({ type: 'LeaveMember', data: { memberId: 'm-sara', leftOn: '2023-12-31' } })
      .thenThrows(InvalidPeriod);
  });
});
