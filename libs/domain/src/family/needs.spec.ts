import { ActionNotPermitted, InvalidDate, InvalidInput } from '../shared/domain-error';
import {
  actors,
  by,
  CLUB_ORGANISATION_NUMBER,
  familyRegistered,
  referralAccepted,
  SCHOOL_ORGANISATION_NUMBER,
  sharingConsent,
  schoolEnrolled,
  withSchoolEnrolled,
  familySpec as spec,
  navPaymentRecorded,
  needExpressed,
  socialAssistanceApproved,
  socialAssistanceProposed,
  TODAY,
} from '../testing/family.fixtures';
import {
  AlreadyExists,
  DecisionNotFound,
  DecisionStatusConflict,
  MemberNotCurrent,
  MemberNotFound,
  NeedAlreadyPickedUp,
  NeedNotFound,
  NeedNotOpen,
  NeedResolutionRequired,
  PaymentAlreadyReversed,
  PaymentNotFound,
} from './family.errors';
import type { FamilyEnrolled, FamilyEvent } from './family.events';
import { NoPartInCase, PartnerNotEnrolled } from './parts.errors';

const pickedUpByBft: FamilyEvent = { type: 'NeedPickedUp', data: { needId: 'n-1', unit: 'BFT', ...by(actors.bftCaseworker) } };
const withdrawn: FamilyEvent = { type: 'NeedWithdrawn', data: { needId: 'n-1', reason: null, ...by(actors.school) } };
/**
 * The school's need about Sara is BFT's record (BFT is responsible for the enrolment); Amina lets
 * BFT share Sara's needs with NAV, so NAV may act on it too.
 */
const saraNeedsToNav = sharingConsent('c-sara-nav', 'm-sara', ['NAV'], {
  givenByMemberId: 'm-amina',
  sourceUnits: ['BFT'],
  dataCategories: ['needs'],
  recordedBy: actors.bftCaseworker,
  at: '2024-02-20T13:00:00.000Z',
});
const withNeed = [...withSchoolEnrolled, needExpressed, saraNeedsToNav];
const withPayment = [...withNeed, socialAssistanceProposed, socialAssistanceApproved, navPaymentRecorded];
const enrolmentEnded: FamilyEvent = {
  type: 'EnrolmentEnded',
  data: { enrolmentId: 'e-1', reason: 'The school year ended.', contactPersonIds: [], ...by(actors.bftCaseworker) },
};
/** BFT enrols the whole household in a second sub-project that names the school. */
const wholeFamilyEnrolled: FamilyEnrolled = {
  type: 'FamilyEnrolled',
  data: {
    ...schoolEnrolled.data,
    enrolmentId: 'e-2',
    subProjectId: 'sp-sommer',
    subProjectName: 'Sommer',
    memberIds: ['m-amina', 'm-yusuf', 'm-leila', 'm-sara', 'm-omar'],
  },
};
const saraNeed = {
  type: 'ExpressNeed',
  data: { needId: 'n-1', memberId: 'm-sara', words: 'Jeg vil gå på fotball med de andre i klassen.', expressedOn: '2024-02-20' },
} as const;
const atSchool = (actor: typeof actors.school | { userId: string; role: 'partner'; partnerOrganisation?: string } = actors.school) => ({
  actor,
  now: new Date('2024-02-20T12:00:00.000Z'),
});

describe('ExpressNeed', () => {
  it('partner needs only within enrolments (partners propose, seed l.4543-4551): an enrolled partner writes down a child’s need in her own words', () => {
    const state = spec.given(withSchoolEnrolled).when(saraNeed, atSchool()).then([needExpressed]);
    expect(state.needs['n-1']).toMatchObject({ status: 'open', pickedUpBy: [], recordedAt: '2024-02-20T12:00:00.000Z' });
  });

  it('partner needs only within enrolments: refuses a partner whose organisation no active enrolment names (PARTNER_NOT_ENROLLED)', () => {
    spec.given([familyRegistered]).when(saraNeed, atSchool()).thenThrows(PartnerNotEnrolled);
    spec
      .given([...withSchoolEnrolled, enrolmentEnded])
      .when(saraNeed, atSchool())
      .thenThrows(PartnerNotEnrolled);
    spec.given(withSchoolEnrolled).when(saraNeed, atSchool(actors.club)).thenThrows(PartnerNotEnrolled);
  });

  it.each([
    ['its name', 'Saupstad skole'],
    ['its name in other case', 'SAUPSTAD SKOLE'],
    ['its number with spaces around it', ` ${SCHOOL_ORGANISATION_NUMBER} `],
    ['its number with a space inside', '974 123 456'],
    ['another organisation’s number', CLUB_ORGANISATION_NUMBER],
  ])('partner needs only within enrolments: the organisation number is compared exactly, %s never matches', (_label, partnerOrganisation) => {
    spec
      .given(withSchoolEnrolled)
      .when(saraNeed, atSchool({ ...actors.school, partnerOrganisation }))
      .thenThrows(PartnerNotEnrolled);
  });

  it('partner needs only within enrolments: about an enrolled member only, not one outside the enrolment', () => {
    spec
      .given(withSchoolEnrolled)
      .when({ type: 'ExpressNeed', data: { memberId: 'm-amina', words: 'A job' } }, atSchool())
      .thenThrows(PartnerNotEnrolled);
  });

  it('partner needs only within enrolments: a need of the whole family only when every current member is enrolled', () => {
    const familyNeed = { type: 'ExpressNeed', data: { needId: 'n-2', words: 'A bigger flat.' } } as const;
    spec.given(withSchoolEnrolled).when(familyNeed, atSchool()).thenThrows(PartnerNotEnrolled);
    spec
      .given([...withSchoolEnrolled, wholeFamilyEnrolled])
      .when(familyNeed, atSchool())
      .then([{ type: 'NeedExpressed', data: { ...needExpressed.data, needId: 'n-2', memberId: null, words: 'A bigger flat.', expressedOn: '2024-02-20' } }]);
  });

  it('needs a part in the case for municipal staff (NO_PART_IN_CASE)', () => {
    spec
      .given([familyRegistered])
      .when({ type: 'ExpressNeed', data: { words: 'A bike' } }, { actor: actors.hvkCaseworker })
      .thenThrows(NoPartInCase);
  });

  it('records a need of the whole family, by a caseworker, today, with a generated id', () => {
    spec
      .given([familyRegistered])
      .when({ type: 'ExpressNeed', data: { words: 'A bigger flat, so the children can do homework.' } })
      .then([
        {
          type: 'NeedExpressed',
          data: {
            needId: 'id-1',
            memberId: null,
            words: 'A bigger flat, so the children can do homework.',
            expressedOn: TODAY,
            recordedBy: { kind: 'unit', unit: 'NAV', userId: 'kari.nav' },
            ...by(actors.navCaseworker),
          },
        },
      ]);
  });

  it.each([
    ['empty words', { words: ' ' }],
    ['words past the length limit', { words: 'x'.repeat(2001) }],
  ])('refuses %s', (_label, data) => {
    spec
      .given([familyRegistered])
      .when({ type: 'ExpressNeed', data: { memberId: 'm-sara', ...data } })
      .thenThrows(InvalidInput);
  });

  it('refuses a need expressed in the future', () => {
    spec
      .given([familyRegistered])
      .when({ type: 'ExpressNeed', data: { words: 'Driving licence', expressedOn: '2024-03-16' } })
      .thenThrows(InvalidDate);
  });

  it('refuses an unknown member', () => {
    spec
      .given([familyRegistered])
      .when({ type: 'ExpressNeed', data: { memberId: 'm-nobody', words: 'A bike' } })
      .thenThrows(MemberNotFound);
  });

  it('refuses a member who left', () => {
    const left: FamilyEvent = { type: 'MemberLeft', data: { memberId: 'm-yusuf', leftOn: TODAY, reason: null, ...by(actors.navCaseworker) } };
    spec
      .given([familyRegistered, left])
      .when({ type: 'ExpressNeed', data: { memberId: 'm-yusuf', words: 'A job' } })
      .thenThrows(MemberNotCurrent);
  });

  it('refuses a need id already used', () => {
    spec
      .given(withNeed)
      .when({ type: 'ExpressNeed', data: { needId: 'n-1', words: 'Again' } })
      .thenThrows(AlreadyExists);
  });

  it('refuses an auditor and a partner user without an organisation', () => {
    const command = { type: 'ExpressNeed', data: { words: 'A bike' } } as const;
    spec.given([familyRegistered]).when(command, { actor: actors.auditor }).thenThrows(ActionNotPermitted);
    spec
      .given([familyRegistered])
      .when(command, { actor: { userId: 'x', role: 'partner' } })
      .thenThrows(ActionNotPermitted);
  });
});

describe('PickUpNeed', () => {
  it('records the unit that takes the need on; another unit may too', () => {
    const state = spec
      .given([...withNeed, pickedUpByBft])
      .when({ type: 'PickUpNeed', data: { needId: 'n-1' } })
      .then([{ type: 'NeedPickedUp', data: { needId: 'n-1', unit: 'NAV', ...by(actors.navCaseworker) } }]);
    expect(state.needs['n-1'].pickedUpBy.map((p) => p.unit)).toEqual(['BFT', 'NAV']);
  });

  it('refuses the same unit twice', () => {
    spec
      .given([...withNeed, pickedUpByBft])
      .when({ type: 'PickUpNeed', data: { needId: 'n-1' } }, { actor: actors.bftApprover })
      .thenThrows(NeedAlreadyPickedUp);
  });

  it('refuses a partner: units pick needs up', () => {
    spec
      .given(withNeed)
      .when({ type: 'PickUpNeed', data: { needId: 'n-1' } }, { actor: actors.school })
      .thenThrows(ActionNotPermitted);
  });

  it('needs a part in the case (NO_PART_IN_CASE, before the need is looked up)', () => {
    const error = spec
      .given(withNeed)
      .when({ type: 'PickUpNeed', data: { needId: 'n-1' } }, { actor: actors.hvkCaseworker })
      .thenThrows(NoPartInCase);
    expect(error.message).not.toContain('n-1');
  });

  it('forvaltningsloven § 13: a need the unit may not read (its own, or shared by a consent in force) does not exist for it', () => {
    const hvk = [...withNeed, ...referralAccepted('HVK')];
    const error = spec
      .given(hvk)
      .when({ type: 'PickUpNeed', data: { needId: 'n-1' } }, { actor: actors.hvkCaseworker })
      .thenThrows(NeedNotFound);
    expect(error.message).toBe(new NeedNotFound('n-1').message);
    const withdrawnConsent: FamilyEvent = {
      type: 'ConsentWithdrawn',
      data: {
        consentId: 'c-sara-nav',
        effectiveFrom: TODAY,
        reason: null,
        expressedByMemberId: 'm-amina',
        channel: 'orally',
        alertedUnits: ['NAV'],
        ...by(actors.bftCaseworker),
      },
    };
    spec
      .given([...withNeed, withdrawnConsent])
      .when({ type: 'PickUpNeed', data: { needId: 'n-1' } })
      .thenThrows(NeedNotFound);
  });

  it('refuses an unknown or closed need', () => {
    spec
      .given([familyRegistered])
      .when({ type: 'PickUpNeed', data: { needId: 'n-1' } })
      .thenThrows(NeedNotFound);
    spec
      .given([...withNeed, withdrawn])
      .when({ type: 'PickUpNeed', data: { needId: 'n-1' } })
      .thenThrows(NeedNotOpen);
  });
});

describe('ResolveNeed', () => {
  it('links the decisions and payments that met the need', () => {
    const state = spec
      .given(withPayment)
      .when({ type: 'ResolveNeed', data: { needId: 'n-1', decisionIds: ['d-nav'], paymentIds: ['pay-1'] } })
      .then([{ type: 'NeedResolved', data: { needId: 'n-1', decisionIds: ['d-nav'], paymentIds: ['pay-1'], resolution: null, ...by(actors.navCaseworker) } }]);
    expect(state.needs['n-1']).toMatchObject({ status: 'resolved', closedAt: '2024-03-15T09:00:00.000Z' });
  });

  it('accepts a described resolution without money or decision', () => {
    spec
      .given(withNeed)
      .when({ type: 'ResolveNeed', data: { needId: 'n-1', resolution: 'The football club waived the fee.' } })
      .then([
        {
          type: 'NeedResolved',
          data: { needId: 'n-1', decisionIds: [], paymentIds: [], resolution: 'The football club waived the fee.', ...by(actors.navCaseworker) },
        },
      ]);
  });

  it('refuses a resolution that says nothing about how the need was met', () => {
    spec
      .given(withNeed)
      .when({ type: 'ResolveNeed', data: { needId: 'n-1' } })
      .thenThrows(NeedResolutionRequired);
  });

  it('refuses links to unknown decisions or payments', () => {
    spec
      .given(withPayment)
      .when({ type: 'ResolveNeed', data: { needId: 'n-1', decisionIds: ['d-x'] } })
      .thenThrows(DecisionNotFound);
    spec
      .given(withPayment)
      .when({ type: 'ResolveNeed', data: { needId: 'n-1', paymentIds: ['pay-x'] } })
      .thenThrows(PaymentNotFound);
  });

  it('refuses a decision that was only proposed, and a reversed payment', () => {
    spec
      .given([...withNeed, socialAssistanceProposed])
      .when({ type: 'ResolveNeed', data: { needId: 'n-1', decisionIds: ['d-nav'] } })
      .thenThrows(DecisionStatusConflict);
    const reversed: FamilyEvent = {
      type: 'PaymentReversed',
      data: { paymentId: 'pay-1', amountOre: 1_250_000, reversedOn: TODAY, reason: 'Wrong account', ...by(actors.navCaseworker) },
    };
    spec
      .given([...withPayment, reversed])
      .when({ type: 'ResolveNeed', data: { needId: 'n-1', paymentIds: ['pay-1'] } })
      .thenThrows(PaymentAlreadyReversed);
  });

  it('refuses the same id listed twice', () => {
    spec
      .given(withPayment)
      .when({ type: 'ResolveNeed', data: { needId: 'n-1', paymentIds: ['pay-1', 'pay-1'] } })
      .thenThrows(InvalidInput);
  });

  it('refuses a need that is no longer open', () => {
    spec
      .given([...withNeed, withdrawn])
      .when({ type: 'ResolveNeed', data: { needId: 'n-1', resolution: 'Done' } })
      .thenThrows(NeedNotOpen);
  });

  it('needs a part in the case (NO_PART_IN_CASE)', () => {
    spec
      .given(withNeed)
      .when({ type: 'ResolveNeed', data: { needId: 'n-1', resolution: 'Done' } }, { actor: actors.innCaseworker })
      .thenThrows(NoPartInCase);
  });
});

describe('WithdrawNeed', () => {
  it('partners only record needs: even the enrolled partner who wrote it down cannot withdraw it', () => {
    spec
      .given(withNeed)
      .when({ type: 'WithdrawNeed', data: { needId: 'n-1' } }, { actor: actors.school })
      .thenThrows(ActionNotPermitted);
  });

  it('lets a unit with a part withdraw a need; refuses a unit without one (NO_PART_IN_CASE)', () => {
    spec
      .given(withNeed)
      .when({ type: 'WithdrawNeed', data: { needId: 'n-1', reason: 'Sara found a team herself.' } }, { actor: actors.bftCaseworker })
      .then([{ type: 'NeedWithdrawn', data: { needId: 'n-1', reason: 'Sara found a team herself.', ...by(actors.bftCaseworker) } }]);
    spec
      .given(withNeed)
      .when({ type: 'WithdrawNeed', data: { needId: 'n-1' } }, { actor: actors.hvkCaseworker })
      .thenThrows(NoPartInCase);
  });

  it('refuses a need already withdrawn', () => {
    spec
      .given([...withNeed, withdrawn])
      .when({ type: 'WithdrawNeed', data: { needId: 'n-1', reason: 'twice' } })
      .thenThrows(NeedNotOpen);
  });
});
