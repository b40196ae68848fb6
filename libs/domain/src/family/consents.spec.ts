import { ActionNotPermitted, InvalidDate, InvalidInput, InvalidPeriod, UnknownUnit } from '../shared/domain-error';
import {
  actors,
  bftPart,
  by,
  combineConsent,
  familyRegistered,
  familySpec as spec,
  NOW,
  referralAccepted,
  TODAY,
  withSchoolEnrolled,
} from '../testing/family.fixtures';
import type { GiveConsent, WithdrawConsent } from './family.commands';
import { AlreadyExists, ConsentAlreadyWithdrawn, ConsentGiverNotPermitted, ConsentNotFound, MemberNotFound } from './family.errors';
import type { ConsentGiven, ConsentWithdrawn, FamilyEvent } from './family.events';
import { consentsInForce, isConsentInForce } from './family.queries';
import { NoPartInCase } from './parts.errors';

/** Amina, who holds parental responsibility, lets NAV share Sara's needs and decisions with BFT. */
const give = (data: Partial<GiveConsent['data']> = {}): GiveConsent => ({
  type: 'GiveConsent',
  data: {
    consentId: 'c-1',
    memberId: 'm-sara',
    givenByMemberId: 'm-amina',
    kind: 'information-sharing',
    sourceUnits: ['NAV'],
    toUnits: ['BFT'],
    dataCategories: ['needs', 'decisions'],
    purpose: 'BFT may see what NAV knows about Sara’s needs and decisions.',
    validFrom: '2024-03-01',
    validUntil: '2024-12-31',
    evidence: { form: 'written', documentRef: 'SAMTYKKE-2024-17' },
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
    sourceUnits: ['NAV'],
    toUnits: ['BFT'],
    dataCategories: ['needs', 'decisions'],
    purpose: 'BFT may see what NAV knows about Sara’s needs and decisions.',
    validFrom: '2024-03-01',
    validUntil: '2024-12-31',
    evidence: { form: 'written', documentRef: 'SAMTYKKE-2024-17' },
    ...by(actors.navCaseworker),
  },
};
/** The consent event `give(data)` produces when recorded by NAV at NOW. */
const given = (data: Partial<ConsentGiven['data']>): ConsentGiven => ({ type: 'ConsentGiven', data: { ...guardianConsent.data, ...data } });

/** Ali, 21, whom the household lists as a child of the family. */
const aliJoined: FamilyEvent = {
  type: 'MemberJoined',
  data: {
    member: {
      memberId: 'm-ali',
      name: 'Ali Hassan',
      birthDate: '2003-01-01',
      role: 'child',
      nationalId: null,
      preferredLanguage: 'so',
      protectedAddress: false,
      addressProtection: 'none',
    },
    joinedOn: '2024-01-08',
    ...by(actors.navCaseworker, '2024-01-08T08:00:00.000Z'),
  },
};
/** The children's grandmother moves in: an adult of the household without parental responsibility. */
const grandmotherJoined: FamilyEvent = {
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

describe('GiveConsent: what a consent says (forvaltningsloven § 13 a no. 1)', () => {
  it('records a specific consent: whose records, to whom, which categories, for what, until when, and how it was given', () => {
    const state = spec.given([familyRegistered]).when(give()).then([guardianConsent]);
    expect(consentsInForce(state, TODAY, { memberId: 'm-sara', unit: 'BFT', dataCategory: 'needs' }).map((c) => c.consentId)).toEqual(['c-1']);
    expect(consentsInForce(state, TODAY, { dataCategory: 'health' })).toEqual([]);
    expect(state.consents['c-1']).toMatchObject({ sourceUnits: ['NAV'], evidence: { form: 'written' }, withdrawal: null });
  });

  it('takes the recording unit as the only source when no source units are named', () => {
    spec
      .given([familyRegistered, ...bftPart])
      .when(give({ sourceUnits: undefined, toUnits: ['NAV'] }), { actor: actors.bftCaseworker })
      .then([given({ sourceUnits: ['BFT'], toUnits: ['NAV'], ...by(actors.bftCaseworker) })]);
  });

  it('names no source units for a consent that shares nothing (combine-family-decision, coordination)', () => {
    const consent = combineConsent('c-2', 'm-amina');
    spec
      .given([familyRegistered])
      .when(
        give({
          consentId: 'c-2',
          memberId: 'm-amina',
          givenByMemberId: 'm-amina',
          kind: 'combine-family-decision',
          sourceUnits: ['NAV'],
          toUnits: ['NAV', 'BFT', 'HVK'],
          dataCategories: ['decisions', 'payments'],
          purpose: 'One family decision with one contact person.',
          evidence: { form: 'written', documentRef: 'form-c-2' },
        }),
        { now: new Date(consent.data.at) },
      )
      .then([consent]);
  });

  it('records an oral consent as documented by the recording caseworker, at the recording instant', () => {
    spec
      .given([familyRegistered])
      .when(give({ evidence: { form: 'oral', note: 'Said yes at the meeting, with an interpreter.' } }))
      .then([
        given({ evidence: { form: 'oral', documentedBy: 'kari.nav', documentedAt: NOW.toISOString(), note: 'Said yes at the meeting, with an interpreter.' } }),
      ]);
  });

  it.each([
    ['no evidence', { evidence: undefined }],
    ['a written consent without the form’s reference', { evidence: { form: 'written' } }],
    ['evidence of an unknown form', { evidence: { form: 'telepathy' } }],
  ])('evidence is required: refuses %s', (_label, data) => {
    spec
      .given([familyRegistered])
      .when(give(data as Partial<GiveConsent['data']>))
      .thenThrows(InvalidInput);
  });

  it('validUntil is required: a consent is never open-ended', () => {
    const error = spec
      .given([familyRegistered])
      .when(give({ validUntil: undefined }))
      .thenThrows(InvalidInput);
    expect(error.details).toEqual({ field: 'validUntil' });
  });

  it('validUntil may not be in the past (today is the earliest end)', () => {
    spec
      .given([familyRegistered])
      .when(give({ validUntil: '2024-03-14' }))
      .thenThrows(InvalidDate);
    spec
      .given([familyRegistered])
      .when(give({ validUntil: TODAY }))
      .then([given({ validUntil: TODAY })]);
  });

  it('forvaltningsloven § 13 a no. 1: a consent may hold for one day (it starts and ends on the same date)', () => {
    spec
      .given([familyRegistered])
      .when(give({ validFrom: '2024-06-01', validUntil: '2024-06-01' }))
      .then([given({ validFrom: '2024-06-01', validUntil: '2024-06-01' })]);
  });

  it('refuses a consent that ends before it starts, and an invalid date', () => {
    spec
      .given([familyRegistered])
      .when(give({ validFrom: '2024-06-01', validUntil: '2024-05-31' }))
      .thenThrows(InvalidPeriod);
    spec
      .given([familyRegistered])
      .when(give({ validFrom: '01.03.2024' }))
      .thenThrows(InvalidDate);
  });

  it.each([
    ['no target units', { toUnits: [] }],
    ['no source units', { sourceUnits: [] }],
    ['no data categories', { dataCategories: [] }],
    ['an unknown data category', { dataCategories: ['bank-details' as 'needs'] }],
    ['an unknown kind', { kind: 'marketing' as 'information-sharing' }],
    ['no purpose', { purpose: '' }],
  ])('refuses %s', (_label, data) => {
    spec.given([familyRegistered]).when(give(data)).thenThrows(InvalidInput);
  });

  it('refuses an unknown unit, as target or as source', () => {
    spec
      .given([familyRegistered])
      .when(give({ toUnits: ['NAV', 'SKATT' as 'NAV'] }))
      .thenThrows(UnknownUnit);
    spec
      .given([familyRegistered])
      .when(give({ sourceUnits: ['POLITI' as 'NAV'] }))
      .thenThrows(UnknownUnit);
  });

  it('refuses an unknown member and a consent id already used', () => {
    spec
      .given([familyRegistered])
      .when(give({ givenByMemberId: 'm-grandma' }))
      .thenThrows(MemberNotFound);
    spec.given([familyRegistered, guardianConsent]).when(give()).thenThrows(AlreadyExists);
  });

  it('only a unit with a part in the case records a consent (NO_PART_IN_CASE); partners and auditors never', () => {
    spec.given([familyRegistered]).when(give(), { actor: actors.hvkCaseworker }).thenThrows(NoPartInCase);
    spec
      .given([familyRegistered, ...referralAccepted('HVK')])
      .when(give(), { actor: actors.hvkCaseworker })
      .then([given({ ...by(actors.hvkCaseworker) })]);
    spec.given(withSchoolEnrolled).when(give(), { actor: actors.school }).thenThrows(ActionNotPermitted);
    spec.given([familyRegistered]).when(give(), { actor: actors.auditor }).thenThrows(ActionNotPermitted);
  });
});

describe('GiveConsent: who may give it (pbrl § 4-3, barneloven ch. 5, forvaltningsloven § 13 a)', () => {
  const forHerself = (memberId: string, data: Partial<GiveConsent['data']> = {}) => give({ memberId, givenByMemberId: memberId, ...data });

  it('18+: an adult consents for themself', () => {
    spec
      .given([familyRegistered])
      .when(forHerself('m-amina'))
      .then([given({ memberId: 'm-amina', givenByMemberId: 'm-amina', givenAsGuardian: false })]);
  });

  it('18+: an adult consents for themself only, never for another adult', () => {
    const error = spec
      .given([familyRegistered])
      .when(give({ memberId: 'm-yusuf', givenByMemberId: 'm-amina' }))
      .thenThrows(ConsentGiverNotPermitted);
    expect(error.message).toMatch(/from 18 a person consents for themself only/);
  });

  it('ages from birth dates, not household roles: a 21-year-old registered as a child consents for themself', () => {
    spec
      .given([familyRegistered, aliJoined])
      .when(forHerself('m-ali'))
      .then([given({ memberId: 'm-ali', givenByMemberId: 'm-ali', givenAsGuardian: false })]);
  });

  it('ages from birth dates, not household roles: no "adult" of the household consents for a 21-year-old registered as a child', () => {
    spec
      .given([familyRegistered, aliJoined])
      .when(give({ memberId: 'm-ali', givenByMemberId: 'm-amina' }))
      .thenThrows(ConsentGiverNotPermitted);
    spec
      .given([familyRegistered, aliJoined])
      .when(give({ memberId: 'm-ali', givenByMemberId: 'm-yusuf' }))
      .thenThrows(ConsentGiverNotPermitted);
  });

  it('under 16 (barneloven ch. 5): a recorded holder of parental responsibility consents for the child', () => {
    spec
      .given([familyRegistered])
      .when(give({ givenByMemberId: 'm-yusuf' }))
      .then([given({ givenByMemberId: 'm-yusuf' })]);
  });

  it('under 16 (barneloven ch. 5): an adult household member without recorded parental responsibility is refused', () => {
    const error = spec
      .given([familyRegistered, grandmotherJoined])
      .when(give({ givenByMemberId: 'm-halima' }))
      .thenThrows(ConsentGiverNotPermitted);
    expect(error.message).toMatch(/parental responsibility/);
  });

  it('under 16 (barneloven ch. 5): once the responsibility is recorded as ended, that parent is refused and the other still consents', () => {
    const ended: FamilyEvent = {
      type: 'ParentalResponsibilityEnded',
      data: {
        childId: 'm-sara',
        holderId: 'm-amina',
        reason: 'Court decision: sole responsibility to the father.',
        ...by(actors.navCaseworker, '2024-03-01T08:00:00.000Z'),
      },
    };
    spec.given([familyRegistered, ended]).when(give()).thenThrows(ConsentGiverNotPermitted);
    spec
      .given([familyRegistered, ended])
      .when(give({ givenByMemberId: 'm-yusuf' }))
      .then([given({ givenByMemberId: 'm-yusuf' })]);
  });

  it.each([
    ['the child of 11 herself', { memberId: 'm-sara', givenByMemberId: 'm-sara' }],
    ['a sibling for a child', { memberId: 'm-omar', givenByMemberId: 'm-leila' }],
  ])('under 16: refuses %s', (_label, who) => {
    spec.given([familyRegistered]).when(give(who)).thenThrows(ConsentGiverNotPermitted);
  });

  describe('16-17 (Leila, 16)', () => {
    const health = { dataCategories: ['health' as const] };

    it('pbrl § 4-3: the young person consents to health information herself', () => {
      spec
        .given([familyRegistered])
        .when(forHerself('m-leila', health))
        .then([given({ memberId: 'm-leila', givenByMemberId: 'm-leila', givenAsGuardian: false, dataCategories: ['health'] })]);
    });

    it('pbrl § 4-3: the parents are refused for health information', () => {
      const error = spec
        .given([familyRegistered])
        .when(give({ memberId: 'm-leila', ...health }))
        .thenThrows(ConsentGiverNotPermitted);
      expect(error.message).toMatch(/§ 4-3/);
    });

    it('barneloven ch. 5: outside health matters the holders consent, not the young person', () => {
      spec
        .given([familyRegistered])
        .when(give({ memberId: 'm-leila' }))
        .then([given({ memberId: 'm-leila' })]);
      spec.given([familyRegistered]).when(forHerself('m-leila')).thenThrows(ConsentGiverNotPermitted);
    });

    it('pbrl § 4-3: a consent mixing health with other categories is refused, whoever gives it (record two)', () => {
      const mixed = { dataCategories: ['health' as const, 'needs' as const] };
      const error = spec.given([familyRegistered]).when(forHerself('m-leila', mixed)).thenThrows(ConsentGiverNotPermitted);
      expect(error.message).toMatch(/record two consents/);
      spec
        .given([familyRegistered])
        .when(give({ memberId: 'm-leila', ...mixed }))
        .thenThrows(ConsentGiverNotPermitted);
    });

    it('ages are worked out on the day: at 18 (30 June 2025) Leila consents to everything herself and her parents no longer can', () => {
      const lastDayAt17 = { now: new Date('2025-06-29T10:00:00.000Z') };
      const at18 = { now: new Date('2025-06-30T10:00:00.000Z') };
      const until = { validFrom: '2025-06-29', validUntil: '2025-12-31' };
      spec
        .given([familyRegistered])
        .when(give({ memberId: 'm-leila', ...until }), lastDayAt17)
        .then([given({ memberId: 'm-leila', ...until, ...by(actors.navCaseworker, lastDayAt17.now) })]);
      spec
        .given([familyRegistered])
        .when(give({ memberId: 'm-leila', ...until }), at18)
        .thenThrows(ConsentGiverNotPermitted);
      spec
        .given([familyRegistered])
        .when(forHerself('m-leila', until), at18)
        .then([given({ memberId: 'm-leila', givenByMemberId: 'm-leila', givenAsGuardian: false, ...until, ...by(actors.navCaseworker, at18.now) })]);
    });
  });
});

describe('WithdrawConsent', () => {
  const withdraw = (data: Partial<WithdrawConsent['data']> = {}): WithdrawConsent => ({
    type: 'WithdrawConsent',
    data: { consentId: 'c-1', reason: 'Changed her mind', expressedByMemberId: 'm-amina', channel: 'orally', ...data },
  });
  const withdrawn: ConsentWithdrawn = {
    type: 'ConsentWithdrawn',
    data: {
      consentId: 'c-1',
      effectiveFrom: TODAY,
      reason: 'Changed her mind',
      expressedByMemberId: 'm-amina',
      channel: 'orally',
      alertedUnits: [],
      ...by(actors.navCaseworker),
    },
  };

  it('takes effect from the day of withdrawal on, and not before', () => {
    const state = spec.given([familyRegistered, guardianConsent]).when(withdraw()).then([withdrawn]);
    const consent = state.consents['c-1'];
    expect(isConsentInForce(consent, '2024-03-14')).toBe(true);
    expect(isConsentInForce(consent, TODAY)).toBe(false);
    expect(isConsentInForce(consent, '2024-02-29')).toBe(false);
    expect(consent.withdrawal).toEqual({ expressedByMemberId: 'm-amina', channel: 'orally', recordedBy: withdrawn.data.by, alertedUnits: [] });
  });

  it('alertedUnits: records the units that read under the consent (from the read audit)', () => {
    const state = spec
      .given([familyRegistered, guardianConsent])
      .when(withdraw({ alertedUnits: ['BFT', 'HVK'] }))
      .then([{ ...withdrawn, data: { ...withdrawn.data, alertedUnits: ['BFT', 'HVK'] } }]);
    expect(state.consents['c-1'].withdrawal?.alertedUnits).toEqual(['BFT', 'HVK']);
    spec
      .given([familyRegistered, guardianConsent])
      .when(withdraw({ alertedUnits: ['SKATT' as 'NAV'] }))
      .thenThrows(UnknownUnit);
    spec
      .given([familyRegistered, guardianConsent])
      .when(withdraw({ alertedUnits: ['BFT', 'BFT'] }))
      .thenThrows(InvalidInput);
  });

  it('expressedBy: another holder of parental responsibility may withdraw a child’s consent', () => {
    spec
      .given([familyRegistered, guardianConsent])
      .when(withdraw({ expressedByMemberId: 'm-yusuf', channel: 'in-writing' }))
      .then([{ ...withdrawn, data: { ...withdrawn.data, expressedByMemberId: 'm-yusuf', channel: 'in-writing' } }]);
  });

  it.each([
    ['the child of 11 herself', 'm-sara'],
    ['a sibling', 'm-leila'],
    ['an adult without parental responsibility', 'm-halima'],
  ])('expressedBy must be entitled to give the consent today: refuses %s', (_label, expressedByMemberId) => {
    spec.given([familyRegistered, grandmotherJoined, guardianConsent]).when(withdraw({ expressedByMemberId })).thenThrows(ConsentGiverNotPermitted);
  });

  it('expressedBy: only the adult themself withdraws an adult’s consent', () => {
    const amina = given({ consentId: 'c-a', memberId: 'm-amina', givenByMemberId: 'm-amina', givenAsGuardian: false });
    spec
      .given([familyRegistered, amina])
      .when(withdraw({ consentId: 'c-a', expressedByMemberId: 'm-yusuf' }))
      .thenThrows(ConsentGiverNotPermitted);
    spec
      .given([familyRegistered, amina])
      .when(withdraw({ consentId: 'c-a' }))
      .then([{ ...withdrawn, data: { ...withdrawn.data, consentId: 'c-a' } }]);
  });

  it('expressedBy is required and must be a member', () => {
    spec
      .given([familyRegistered, guardianConsent])
      .when(withdraw({ expressedByMemberId: undefined }))
      .thenThrows(InvalidInput);
    spec
      .given([familyRegistered, guardianConsent])
      .when(withdraw({ expressedByMemberId: 'm-nobody' }))
      .thenThrows(MemberNotFound);
  });

  it.each([
    ['missing', undefined],
    ['unknown', 'by-carrier-pigeon'],
  ])('channel is required: refuses a channel %s', (_label, channel) => {
    spec
      .given([familyRegistered, guardianConsent])
      .when(withdraw({ channel: channel as 'orally' }))
      .thenThrows(InvalidInput);
  });

  it('is recorded only by a unit with a part in the case (NO_PART_IN_CASE, before the consent is looked up)', () => {
    const error = spec.given([familyRegistered, guardianConsent]).when(withdraw(), { actor: actors.hvkCaseworker }).thenThrows(NoPartInCase);
    expect(error.message).not.toContain('c-1');
    spec
      .given([familyRegistered, guardianConsent])
      .when(withdraw({ consentId: 'c-unknown' }), { actor: actors.hvkCaseworker })
      .thenThrows(NoPartInCase);
  });

  it('refuses an unknown consent and withdrawing twice', () => {
    spec.given([familyRegistered]).when(withdraw()).thenThrows(ConsentNotFound);
    spec.given([familyRegistered, guardianConsent, withdrawn]).when(withdraw()).thenThrows(ConsentAlreadyWithdrawn);
  });
});

describe('GiveConsent: the period and the evidence, exactly (forvaltningsloven § 13 a no. 1)', () => {
  it.each([
    ['missing', undefined],
    ['null', null],
  ])('forvaltningsloven § 13 a no. 1: validUntil %s is refused as required, not as a bad date (a consent is never open-ended)', (_label, validUntil) => {
    const error = spec
      .given([familyRegistered])
      .when(give({ validUntil: validUntil as never }))
      .thenThrows(InvalidInput);
    expect(error.message).toBe('validUntil: is required: a consent names until when it holds');
    expect(error.details).toEqual({ field: 'validUntil' });
  });

  it('forvaltningsloven § 13 a no. 1: a consent may hold for one day: validUntil equal to validFrom is accepted', () => {
    const oneDay = { validFrom: '2024-06-30', validUntil: '2024-06-30' };
    spec
      .given([familyRegistered])
      .when(give(oneDay))
      .then([given(oneDay)]);
  });

  it('forvaltningsloven § 13 a no. 1: a consent ending the day before it starts is refused (INVALID_PERIOD)', () => {
    const error = spec
      .given([familyRegistered])
      .when(give({ validFrom: '2024-07-01', validUntil: '2024-06-30' }))
      .thenThrows(InvalidPeriod);
    expect(error.details).toEqual({ from: '2024-07-01', until: '2024-06-30' });
  });

  it.each([
    ['no evidence', undefined, 'evidence.form'],
    ['null evidence', null, 'evidence.form'],
    ['a written consent without the form’s reference', { form: 'written' }, 'evidence.documentRef'],
    ['a written consent with an empty reference', { form: 'written', documentRef: ' ' }, 'evidence.documentRef'],
    ['an oral consent with a note that is not text', { form: 'oral', note: 42 }, 'evidence.note'],
  ])('forvaltningsloven § 13 a no. 1: the evidence names how the consent was given: refuses %s', (_label, evidence, field) => {
    const error = spec
      .given([familyRegistered])
      .when(give({ evidence: evidence as never }))
      .thenThrows(InvalidInput);
    expect(error.details).toEqual({ field });
  });

  it('forvaltningsloven § 13 a no. 1: an oral consent without a note is documented by the recording user at the recording instant', () => {
    spec
      .given([familyRegistered])
      .when(give({ evidence: { form: 'oral' } }))
      .then([given({ evidence: { form: 'oral', documentedBy: 'kari.nav', documentedAt: NOW.toISOString(), note: null } })]);
  });
});

describe('GiveConsent and WithdrawConsent: the consent’s kind decides which categories the giver rules see (pbrl § 4-3, barneloven ch. 5)', () => {
  /** Leila (16): a consent of `kind` naming `dataCategories`, given by `givenByMemberId`. */
  const forLeila = (kind: 'coordination' | 'combine-family-decision', dataCategories: ('health' | 'needs' | 'decisions')[], givenByMemberId: string) =>
    give({ consentId: 'c-leila', memberId: 'm-leila', givenByMemberId, kind, toUnits: ['NAV'], dataCategories });
  const leilaGiven = (kind: 'coordination' | 'combine-family-decision', dataCategories: ('health' | 'needs' | 'decisions')[], givenByMemberId: string) =>
    given({
      consentId: 'c-leila',
      memberId: 'm-leila',
      givenByMemberId,
      givenAsGuardian: givenByMemberId !== 'm-leila',
      kind,
      sourceUnits: null,
      toUnits: ['NAV'],
      dataCategories,
    });
  const cases = [
    ['coordination', ['health']],
    ['coordination', ['needs', 'health']],
    ['combine-family-decision', ['health']],
    ['combine-family-decision', ['decisions', 'health']],
  ] as const;

  it.each(cases)(
    'barneloven ch. 5: a %s consent about a 16-year-old naming %j is no health consent: a holder of parental responsibility gives it',
    (kind, categories) => {
      spec
        .given([familyRegistered])
        .when(forLeila(kind, [...categories], 'm-amina'))
        .then([leilaGiven(kind, [...categories], 'm-amina')]);
    },
  );

  it.each(cases)('barneloven ch. 5: a %s consent about a 16-year-old naming %j is refused from the young person herself', (kind, categories) => {
    const error = spec
      .given([familyRegistered])
      .when(forLeila(kind, [...categories], 'm-leila'))
      .thenThrows(ConsentGiverNotPermitted);
    expect(error.message).toBe(
      'Member m-leila cannot give consent for member m-leila: under 18 the holders of parental responsibility consent (outside health matters).',
    );
  });

  const withdraw = (consentId: string, expressedByMemberId: string): WithdrawConsent => ({
    type: 'WithdrawConsent',
    data: { consentId, expressedByMemberId, channel: 'in-writing' },
  });
  const withdrawnBy = (consentId: string, expressedByMemberId: string): ConsentWithdrawn => ({
    type: 'ConsentWithdrawn',
    data: { consentId, effectiveFrom: TODAY, reason: null, expressedByMemberId, channel: 'in-writing', alertedUnits: [], ...by(actors.navCaseworker) },
  });

  it('barneloven ch. 5: a coordination consent about a 16-year-old naming health is withdrawn by a holder of parental responsibility, not by her', () => {
    const coordination = leilaGiven('coordination', ['needs', 'health'], 'm-amina');
    spec
      .given([familyRegistered, coordination])
      .when(withdraw('c-leila', 'm-yusuf'))
      .then([withdrawnBy('c-leila', 'm-yusuf')]);
    const error = spec.given([familyRegistered, coordination]).when(withdraw('c-leila', 'm-leila')).thenThrows(ConsentGiverNotPermitted);
    expect(error.message).toBe(
      'Member m-leila cannot give consent for member m-leila: under 18 the holders of parental responsibility consent (outside health matters).',
    );
  });

  it('pbrl § 4-3: a 16-year-old withdraws her own health consent; her parents cannot', () => {
    const health = given({ consentId: 'c-health', memberId: 'm-leila', givenByMemberId: 'm-leila', givenAsGuardian: false, dataCategories: ['health'] });
    spec
      .given([familyRegistered, health])
      .when(withdraw('c-health', 'm-leila'))
      .then([withdrawnBy('c-health', 'm-leila')]);
    const error = spec.given([familyRegistered, health]).when(withdraw('c-health', 'm-amina')).thenThrows(ConsentGiverNotPermitted);
    expect(error.message).toBe(
      'Member m-amina cannot give consent for member m-leila: from 16 the young person consents to health information themself (pasient- og brukerrettighetsloven § 4-3).',
    );
  });

  it('barneloven ch. 5: a 16-year-old’s information-sharing consent outside health matters is withdrawn by a parent, not by her', () => {
    const needs = given({ consentId: 'c-needs', memberId: 'm-leila' });
    spec
      .given([familyRegistered, needs])
      .when(withdraw('c-needs', 'm-yusuf'))
      .then([withdrawnBy('c-needs', 'm-yusuf')]);
    spec.given([familyRegistered, needs]).when(withdraw('c-needs', 'm-leila')).thenThrows(ConsentGiverNotPermitted);
  });
});

describe('GiveConsent: the age limits, on the day (pbrl § 4-3, barneloven ch. 5)', () => {
  const health = { dataCategories: ['health' as const] };
  /** Sara turns 16 on 1 September 2028. */
  const on = (date: string) => ({ context: { now: new Date(`${date}T10:00:00.000Z`) }, period: { validFrom: date, validUntil: '2028-12-31' } });

  it('barneloven ch. 5: under 16 the holders of parental responsibility consent to health information too', () => {
    spec
      .given([familyRegistered])
      .when(give(health))
      .then([given(health)]);
  });

  it('barneloven ch. 5: a child under 16 consenting herself is refused, with no word of health matters', () => {
    const error = spec
      .given([familyRegistered])
      .when(give({ givenByMemberId: 'm-sara', ...health }))
      .thenThrows(ConsentGiverNotPermitted);
    expect(error.message).toBe('Member m-sara cannot give consent for member m-sara: under 18 the holders of parental responsibility consent.');
  });

  it('barneloven § 33: a 16-year-old consenting herself outside health matters is refused, (outside health matters) named', () => {
    const error = spec
      .given([familyRegistered])
      .when(give({ memberId: 'm-leila', givenByMemberId: 'm-leila' }))
      .thenThrows(ConsentGiverNotPermitted);
    expect(error.message).toBe(
      'Member m-leila cannot give consent for member m-leila: under 18 the holders of parental responsibility consent (outside health matters).',
    );
  });

  it('pbrl § 4-3: the day before her 16th birthday a parent consents to health information and the child cannot', () => {
    const { context, period } = on('2028-08-31');
    spec
      .given([familyRegistered])
      .when(give({ ...health, ...period }), context)
      .then([given({ ...health, ...period, ...by(actors.navCaseworker, context.now) })]);
    const error = spec
      .given([familyRegistered])
      .when(give({ givenByMemberId: 'm-sara', ...health, ...period }), context)
      .thenThrows(ConsentGiverNotPermitted);
    expect(error.message).toBe('Member m-sara cannot give consent for member m-sara: under 18 the holders of parental responsibility consent.');
  });

  it('pbrl § 4-3: on her 16th birthday the young person consents to health information herself and the parents no longer can', () => {
    const { context, period } = on('2028-09-01');
    spec
      .given([familyRegistered])
      .when(give({ givenByMemberId: 'm-sara', ...health, ...period }), context)
      .then([given({ givenByMemberId: 'm-sara', givenAsGuardian: false, ...health, ...period, ...by(actors.navCaseworker, context.now) })]);
    const error = spec
      .given([familyRegistered])
      .when(give({ ...health, ...period }), context)
      .thenThrows(ConsentGiverNotPermitted);
    expect(error.message).toBe(
      'Member m-amina cannot give consent for member m-sara: from 16 the young person consents to health information themself (pasient- og brukerrettighetsloven § 4-3).',
    );
    const outside = spec
      .given([familyRegistered])
      .when(give({ givenByMemberId: 'm-sara', ...period }), context)
      .thenThrows(ConsentGiverNotPermitted);
    expect(outside.message).toBe(
      'Member m-sara cannot give consent for member m-sara: under 18 the holders of parental responsibility consent (outside health matters).',
    );
  });

  it('forvaltningsloven § 13 a no. 1: on her 18th birthday a young person consents to health information herself and a parent is refused', () => {
    const at18 = { now: new Date('2025-06-30T10:00:00.000Z') };
    const period = { validFrom: '2025-06-30', validUntil: '2025-12-31' };
    const error = spec
      .given([familyRegistered])
      .when(give({ memberId: 'm-leila', ...health, ...period }), at18)
      .thenThrows(ConsentGiverNotPermitted);
    expect(error.message).toBe('Member m-amina cannot give consent for member m-leila: from 18 a person consents for themself only.');
  });
});
