import { ActionNotPermitted, InvalidDate, InvalidInput, InvalidPeriod } from '../shared/domain-error';
import { actors, bftPart, by, familyRegistered, familySpec as spec, members, referralAccepted, TODAY } from '../testing/family.fixtures';
import { NoPartInCase } from './parts.errors';
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
              {
                memberId: 'id-1',
                name: 'Amina Hassan',
                birthDate: '1988-05-02',
                role: 'adult',
                nationalId: null,
                preferredLanguage: 'so',
                protectedAddress: false,
                addressProtection: 'none',
              },
              {
                memberId: 'm-omar',
                name: 'Omar Hassan',
                birthDate: '2020-01-10',
                role: 'child',
                nationalId: null,
                preferredLanguage: null,
                protectedAddress: false,
                addressProtection: 'none',
              },
            ],
            parentalResponsibility: [],
            ...by(actors.navCaseworker),
          },
        },
      ]);
    expect(state.status).toBe('registered');
    expect(state.members['m-omar']).toMatchObject({ status: 'current', joinedOn: TODAY, leftOn: null });
  });

  it('keeps a national id, and reads the schema 1 flag protectedAddress: true as strengt fortrolig (kode 6)', () => {
    const state = spec
      .given([])
      .when(
        register({ members: [{ memberId: 'm-1', name: 'Ali', birthDate: '1990-01-01', role: 'adult', nationalId: '01019012345', protectedAddress: true }] }),
      )
      .then([
        {
          type: 'FamilyRegistered',
          data: {
            familyId: 'fam-1',
            district: 'Heimdal',
            registeredOn: TODAY,
            members: [
              {
                memberId: 'm-1',
                name: 'Ali',
                birthDate: '1990-01-01',
                role: 'adult',
                nationalId: '01019012345',
                preferredLanguage: null,
                protectedAddress: true,
                addressProtection: 'strengt-fortrolig',
              },
            ],
            parentalResponsibility: [],
            ...by(actors.navCaseworker),
          },
        },
      ]);
    expect(state.members['m-1']).toMatchObject({ protectedAddress: true, addressProtection: 'strengt-fortrolig' });
  });

  it.each([
    ['fortrolig (kode 7)', 'fortrolig', true],
    ['strengt fortrolig (kode 6)', 'strengt-fortrolig', true],
    ['no protection', 'none', false],
  ] as const)('records an address protection of %s, with the flag kept beside it', (_label, addressProtection, flag) => {
    const state = spec
      .given([])
      .when(register({ members: [{ memberId: 'm-1', name: 'Ali', birthDate: '1990-01-01', role: 'adult', addressProtection }] }))
      .then([
        expect.objectContaining({
          data: expect.objectContaining({ members: [expect.objectContaining({ addressProtection, protectedAddress: flag })] }),
        }) as never,
      ]);
    expect(state.members['m-1'].addressProtection).toBe(addressProtection);
  });

  it('refuses an address protection that is not kode 6, kode 7 or none, and a flag that contradicts it', () => {
    const ali = { memberId: 'm-1', name: 'Ali', birthDate: '1990-01-01', role: 'adult' } as const;
    spec
      .given([])
      .when(register({ members: [{ ...ali, addressProtection: 'secret' as 'none' }] }))
      .thenThrows(InvalidInput);
    spec
      .given([])
      .when(register({ members: [{ ...ali, addressProtection: 'fortrolig', protectedAddress: false }] }))
      .thenThrows(InvalidInput);
    spec
      .given([])
      .when(register({ members: [{ ...ali, addressProtection: 'none', protectedAddress: true }] }))
      .thenThrows(InvalidInput);
  });

  it('records parental responsibility documented at registration (barneloven ch. 5), never inferred from household roles', () => {
    const state = spec
      .given([])
      .when(register({ parentalResponsibility: [{ childId: 'm-omar', holderId: 'id-1', basis: 'birth-registration', documentRef: 'FREG-1' }] }))
      .then([
        expect.objectContaining({
          data: expect.objectContaining({
            parentalResponsibility: [{ childId: 'm-omar', holderId: 'id-1', basis: 'birth-registration', documentRef: 'FREG-1' }],
          }),
        }) as never,
      ]);
    expect(state.parentalResponsibility['m-omar:id-1']).toMatchObject({ active: true, since: TODAY, basis: 'birth-registration' });
    // Without a claim, the adult of the household holds nothing.
    const none = spec
      .given([])
      .when(register())
      .then([expect.objectContaining({ type: 'FamilyRegistered' }) as never]);
    expect(none.parentalResponsibility).toEqual({});
  });

  it.each([
    ['a holder who is not registered', { childId: 'm-omar', holderId: 'm-grandma' }],
    ['a child who is not registered', { childId: 'm-nobody', holderId: 'id-1' }],
    ['a holder for themself', { childId: 'id-1', holderId: 'id-1' }],
    ['a "child" of 18 or over (barneloven § 30)', { childId: 'id-1', holderId: 'm-omar' }],
    ['an unknown basis', { childId: 'm-omar', holderId: 'id-1', basis: 'hearsay' as 'agreement' }],
  ])('refuses parental responsibility naming %s', (_label, claim) => {
    spec
      .given([])
      .when(register({ parentalResponsibility: [claim] }))
      .thenThrows(InvalidInput);
  });

  it('refuses a holder under 18 and the same relation twice', () => {
    const teenParent = { memberId: 'm-teen', name: 'Teen', birthDate: '2007-01-01', role: 'adult' } as const;
    const household = [...register().data.members, teenParent];
    spec
      .given([])
      .when(register({ members: household, parentalResponsibility: [{ childId: 'm-omar', holderId: 'm-teen' }] }))
      .thenThrows(InvalidInput);
    const twice = { childId: 'm-omar', holderId: 'id-1' };
    spec
      .given([])
      .when(register({ parentalResponsibility: [twice, twice] }))
      .thenThrows(InvalidInput);
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
    spec
      .given([])
      .when(register({ members: [] }))
      .thenThrows(InvalidInput);
  });

  it('refuses the same member id twice', () => {
    const twice = { memberId: 'm-1', name: 'Ali', birthDate: '1990-01-01', role: 'adult' } as const;
    spec
      .given([])
      .when(register({ members: [twice, twice] }))
      .thenThrows(AlreadyExists);
  });

  it.each([
    ['an impossible birth date', '2019-02-29'],
    ['a birth date in the future', '2030-01-01'],
    ['a date with a time', '1990-01-01T00:00'],
  ])('refuses %s', (_label, birthDate) => {
    spec
      .given([])
      .when(register({ members: [{ name: 'Ali', birthDate, role: 'adult' }] }))
      .thenThrows(InvalidDate);
  });

  it.each([
    ['a national id that is not 11 digits', { nationalId: '1234' }],
    ['an unknown household role', { role: 'parent' }],
    ['a blank name', { name: '   ' }],
    ['a preferred language that is not a language code', { preferredLanguage: 'Somali language' }],
  ])('refuses %s', (_label, override) => {
    const member = { name: 'Ali', birthDate: '1990-01-01', role: 'adult', ...override } as RegisterFamily['data']['members'][number];
    spec
      .given([])
      .when(register({ members: [member] }))
      .thenThrows(InvalidInput);
  });

  it('refuses two members with the same national id', () => {
    const a = { name: 'Ali', birthDate: '1990-01-01', role: 'adult', nationalId: '01019012345' } as const;
    const b = { name: 'Ali B', birthDate: '1990-01-01', role: 'adult', nationalId: '01019012345' } as const;
    spec
      .given([])
      .when(register({ members: [a, b] }))
      .thenThrows(InvalidInput);
  });

  it('refuses an id that cannot be an internal id', () => {
    spec
      .given([])
      .when(register({ familyId: 'fam 1; drop' }))
      .thenThrows(InvalidInput);
    spec
      .given([])
      .when(register({ members: [{ memberId: 'x'.repeat(101), name: 'Ali', birthDate: '1990-01-01', role: 'adult' }] }))
      .thenThrows(InvalidInput);
  });

  it('refuses a caseworker whose user is linked to no unit', () => {
    spec
      .given([])
      .when(register(), { actor: { userId: 'new.user', role: 'caseworker' } })
      .thenThrows(ActionNotPermitted);
  });

  it('refuses a missing district', () => {
    spec
      .given([])
      .when(register({ district: '' }))
      .thenThrows(InvalidInput);
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
            member: {
              memberId: 'id-1',
              name: 'Baby Hassan',
              birthDate: '2024-03-10',
              role: 'child',
              nationalId: null,
              preferredLanguage: null,
              protectedAddress: false,
              addressProtection: 'none',
            },
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
    spec
      .given([familyRegistered])
      .when({ type: 'JoinMember', data: { member: members.sara } })
      .thenThrows(AlreadyExists);
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
    spec
      .given([])
      .when({ type: 'JoinMember', data: { member: members.sara } })
      .thenThrows(FamilyNotFound);
  });

  it('needs a part in the case: a unit without one is refused, a unit that accepted a referral may (forvaltningsloven § 13)', () => {
    const newborn = { type: 'JoinMember', data: { member: { memberId: 'm-baby', name: 'Baby Hassan', birthDate: '2024-03-10', role: 'child' } } } as const;
    spec.given([familyRegistered]).when(newborn, { actor: actors.bftCaseworker }).thenThrows(NoPartInCase);
    spec
      .given([familyRegistered, ...bftPart])
      .when(newborn, { actor: actors.bftCaseworker })
      .then([expect.objectContaining({ type: 'MemberJoined', data: expect.objectContaining({ ...by(actors.bftCaseworker) }) }) as never]);
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
    spec
      .given([familyRegistered])
      .when({ type: 'LeaveMember', data: { memberId: 'm-nobody' } })
      .thenThrows(MemberNotFound);
  });

  it('refuses a member who already left', () => {
    spec
      .given([familyRegistered, yusufLeft])
      .when({ type: 'LeaveMember', data: { memberId: 'm-yusuf' } })
      .thenThrows(MemberNotCurrent);
  });

  it('refuses the last adult leaving', () => {
    spec
      .given([familyRegistered, yusufLeft])
      .when({ type: 'LeaveMember', data: { memberId: 'm-amina' } })
      .thenThrows(LastAdultCannotLeave);
  });

  it('needs a part in the case (forvaltningsloven § 13)', () => {
    const leave = { type: 'LeaveMember', data: { memberId: 'm-yusuf', leftOn: '2024-03-01', reason: 'Moved to Oslo for work' } } as const;
    spec.given([familyRegistered]).when(leave, { actor: actors.hvkCaseworker }).thenThrows(NoPartInCase);
    spec
      .given([familyRegistered, ...referralAccepted('HVK')])
      .when(leave, { actor: actors.hvkCaseworker })
      .then([{ ...yusufLeft, data: { ...yusufLeft.data, ...by(actors.hvkCaseworker) } }]);
  });

  it('refuses leaving before joining', () => {
    spec
      .given([familyRegistered])
      .when({ type: 'LeaveMember', data: { memberId: 'm-sara', leftOn: '2023-12-31' } })
      .thenThrows(InvalidPeriod);
  });
});
