import { actors, bftPart, by, schoolEnrolled, TODAY } from '../testing/family.fixtures';
import type { FamilyEvent } from './family.events';
import { evolveFamily, foldFamily } from './family.evolve';
import { consentsInForce } from './family.queries';
import { initialFamilyState } from './family.state';
import { upcastFamilyEvent } from './family.upcast';

/**
 * Events of schema version 1 (before EVENT_SCHEMA_VERSION 2) are read as version 2 by the fold:
 * the fields version 2 added get the values that keep the old meaning, and partners known only by
 * name match no partner token now (fail closed).
 */

const v1 = (event: unknown) => event as FamilyEvent;

/** How schema 1 wrote a registration: members with the protectedAddress flag only, no parental responsibility. */
const registeredV1 = v1({
  type: 'FamilyRegistered',
  data: {
    familyId: 'fam-1',
    district: 'Heimdal',
    registeredOn: '2024-01-08',
    members: [
      { memberId: 'm-amina', name: 'Amina Hassan', birthDate: '1988-05-02', role: 'adult', nationalId: null, preferredLanguage: 'so', protectedAddress: true },
      { memberId: 'm-yusuf', name: 'Yusuf Hassan', birthDate: '1985-11-20', role: 'adult', nationalId: null, preferredLanguage: 'so', protectedAddress: false },
      { memberId: 'm-sara', name: 'Sara Hassan', birthDate: '2012-09-01', role: 'child', nationalId: null, preferredLanguage: null, protectedAddress: false },
    ],
    ...by(actors.navCaseworker, '2024-01-08T08:00:00.000Z'),
  },
});
const joinedV1 = v1({
  type: 'MemberJoined',
  data: {
    member: { memberId: 'm-baby', name: 'Baby', birthDate: '2024-02-01', role: 'child', nationalId: null, preferredLanguage: null, protectedAddress: true },
    joinedOn: '2024-02-02',
    ...by(actors.navCaseworker, '2024-02-02T08:00:00.000Z'),
  },
});
/** Schema 1 consent: no source units, no evidence, open-ended. */
const consentV1 = v1({
  type: 'ConsentGiven',
  data: {
    consentId: 'c-old',
    memberId: 'm-amina',
    givenByMemberId: 'm-amina',
    givenAsGuardian: false,
    kind: 'information-sharing',
    toUnits: ['BFT'],
    dataCategories: ['needs'],
    purpose: 'Old form.',
    validFrom: '2024-01-10',
    validUntil: null,
    ...by(actors.navCaseworker, '2024-01-10T08:00:00.000Z'),
  },
});
const withdrawnV1 = v1({
  type: 'ConsentWithdrawn',
  data: { consentId: 'c-old', effectiveFrom: '2024-03-01', reason: 'No more.', ...by(actors.navCaseworker, '2024-03-01T08:00:00.000Z') },
});
/** A partner as schema 1 knew it: by name. */
const partnerJoinedV1 = v1({
  type: 'ContactPersonJoined',
  data: { personId: 'p-line', name: 'Line', affiliation: { kind: 'partner', organisation: 'Saupstad skole' }, teamRole: null, ...by(actors.navCaseworker) },
});
const partnerNeedV1 = v1({
  type: 'NeedExpressed',
  data: {
    needId: 'n-old',
    memberId: 'm-sara',
    words: 'Fotball',
    expressedOn: '2024-01-20',
    recordedBy: { kind: 'partner', organisation: 'Saupstad skole', userId: 'lise.school' },
    ...by({ userId: 'lise.school', role: 'partner', partnerOrganisation: 'Saupstad skole' }, '2024-01-20T12:00:00.000Z'),
  },
});
const history = [registeredV1, joinedV1, consentV1, withdrawnV1, partnerJoinedV1, partnerNeedV1];

describe('upcasting schema 1 family events', () => {
  it('a schema 1 FamilyRegistered with protectedAddress: true folds to addressProtection strengt-fortrolig (kode 6, the only level then)', () => {
    const state = foldFamily([registeredV1]);
    expect(state.members['m-amina']).toMatchObject({ protectedAddress: true, addressProtection: 'strengt-fortrolig' });
    expect(state.members['m-yusuf']).toMatchObject({ protectedAddress: false, addressProtection: 'none' });
    expect(state.parentalResponsibility).toEqual({});
  });

  it('a schema 1 MemberJoined gets its protection level the same way', () => {
    expect(foldFamily([registeredV1, joinedV1]).members['m-baby'].addressProtection).toBe('strengt-fortrolig');
  });

  it('a schema 1 ConsentGiven folds to sourceUnits null (any unit’s records) and evidence null, and still counts while in force', () => {
    const state = foldFamily([registeredV1, consentV1]);
    expect(state.consents['c-old']).toMatchObject({ sourceUnits: null, evidence: null, validUntil: null, withdrawal: null });
    expect(consentsInForce(state, TODAY, { unit: 'BFT' }).map((c) => c.consentId)).toEqual(['c-old']);
  });

  it('a schema 1 ConsentWithdrawn names nobody as expressing it, no channel, and alerts nobody', () => {
    const state = foldFamily([registeredV1, consentV1, withdrawnV1]);
    expect(state.consents['c-old']).toMatchObject({
      withdrawnFrom: '2024-03-01',
      withdrawal: { expressedByMemberId: null, channel: null, alertedUnits: [], recordedBy: by(actors.navCaseworker).by },
    });
  });

  it('a partner known by name (schema 1) gets organisationNumber null, in the team and on its needs', () => {
    const state = foldFamily(history);
    expect(state.team['p-line'].affiliation).toEqual({ kind: 'partner', organisation: 'Saupstad skole', organisationNumber: null });
    expect(state.needs['n-old'].recordedBy).toEqual({ kind: 'partner', organisation: 'Saupstad skole', organisationNumber: null, userId: 'lise.school' });
  });

  it('fail closed: the enrolled partner with its organisation number does not own a need its name wrote under schema 1', () => {
    // Ownership of a partner's record is by organisation number; the schema 1 need has none, so no partner token matches it.
    const state = foldFamily([...history, ...bftPart, { ...schoolEnrolled, data: { ...schoolEnrolled.data, memberIds: ['m-sara'] } }]);
    const recorder = state.needs['n-old'].recordedBy;
    expect(recorder.kind === 'partner' && recorder.organisationNumber).toBeNull();
    expect(actors.school.partnerOrganisation).toMatch(/^\d{9}$/);
  });

  it('foldFamily and reducing with evolveFamily agree on a schema 1 stream', () => {
    expect(foldFamily(history)).toStrictEqual(history.reduce(evolveFamily, initialFamilyState()));
  });

  it('is idempotent and leaves schema 2 events as they are (the same object)', () => {
    for (const event of history) {
      const once = upcastFamilyEvent(event);
      expect(upcastFamilyEvent(once)).toStrictEqual(once);
      expect(upcastFamilyEvent(once)).toBe(once);
    }
    const consentV2 = upcastFamilyEvent(consentV1);
    expect(consentV2.data).toMatchObject({ sourceUnits: null, evidence: null });
    expect(consentV1.data).not.toHaveProperty('sourceUnits');
  });

  it('a schema 2 registration is read exactly as written', () => {
    const registered = upcastFamilyEvent(registeredV1);
    expect(upcastFamilyEvent(registered)).toBe(registered);
    expect(registered.data).toMatchObject({ parentalResponsibility: [] });
  });
});
