import type { Actor } from '../shared/actor';
import { ActionNotPermitted, InvalidAmount, InvalidInput, UnitMismatch, UnknownUnit } from '../shared/domain-error';
import { stamp } from '../shared/stamp';
import { deciderSpecification, sequentialIds } from '../testing/decider-specification';
import type { ApproveSubProject, RecordSpend } from './sub-project.commands';
import { subProjectDecider, type SubProjectContext } from './sub-project.decider';
import {
  BudgetExceeded,
  NoResponsibleMunicipalActor,
  PartnerMayNotPay,
  ReviewAlreadyRecorded,
  SemesterNotFunded,
  SpendAlreadyRecorded,
  SpendAlreadyReversed,
  SpendNotFound,
  StaffNotFundable,
  SubProjectAlreadyApproved,
  SubProjectNotFound,
  SubProjectWasTerminated,
  TooFewActors,
} from './sub-project.errors';
import { subProjectStreamId, type SpendRecorded, type SubProjectApproved, type SubProjectEvent } from './sub-project.events';
import { remainingBudget } from './sub-project.state';
import { semestersFrom } from './semester';

const NOW = new Date('2024-03-15T09:00:00.000Z');
const leader: Actor = { userId: 'leder.bft', role: 'unit-leader', unit: 'BFT' };
const caseworker: Actor = { userId: 'siri.bft', role: 'caseworker', unit: 'BFT' };
const by = (actor: Actor, at = NOW) => stamp({ now: at, actor });

/** Heimdal IL's organisation number in Enhetsregisteret: partner tokens carry it, names are never compared. */
const HEIMDAL_IL = '983456789';
const heimdalIl: Actor = { userId: 'trener.heimdal', role: 'partner', partnerOrganisation: HEIMDAL_IL };
const navLeader: Actor = { userId: 'leder.nav', role: 'unit-leader', unit: 'NAV' };
const navCaseworker: Actor = { userId: 'kari.nav', role: 'caseworker', unit: 'NAV' };
const spec = deciderSpecification(subProjectDecider, (): SubProjectContext => ({ now: NOW, newId: sequentialIds(), actor: caseworker }));

const approve = (data: Partial<ApproveSubProject['data']> = {}): ApproveSubProject => ({
  type: 'ApproveSubProject',
  data: {
    subProjectId: 'sp-barnas-stemme',
    name: 'Barnas stemme',
    actors: [
      { name: 'Barne- og familietjenesten', municipal: true, unit: 'BFT' },
      { name: 'Saupstad skole', municipal: true },
      { name: 'Heimdal IL', municipal: false, organisationNumber: HEIMDAL_IL },
    ],
    responsibleUnit: 'BFT',
    goals: ['Every child in the families takes part in a leisure activity.', 'Families say what they need in their own words.'],
    firstSemester: '2024-spring',
    ...data,
  },
});

const approved: SubProjectApproved = {
  type: 'SubProjectApproved',
  data: {
    subProjectId: 'sp-barnas-stemme',
    name: 'Barnas stemme',
    actors: [
      { name: 'Barne- og familietjenesten', municipal: true, unit: 'BFT', organisationNumber: null, mayRecordPayments: false },
      { name: 'Saupstad skole', municipal: true, unit: null, organisationNumber: null, mayRecordPayments: false },
      { name: 'Heimdal IL', municipal: false, unit: null, organisationNumber: HEIMDAL_IL, mayRecordPayments: false },
    ],
    responsibleUnit: 'BFT',
    semesterBudgetOre: 50_000_000,
    goals: ['Every child in the families takes part in a leisure activity.', 'Families say what they need in their own words.'],
    semesters: ['2024-spring', '2024-autumn', '2025-spring', '2025-autumn'],
    ...by(leader),
  },
};

const spend = (data: Partial<RecordSpend['data']> = {}): RecordSpend => ({
  type: 'RecordSpend',
  data: {
    paymentId: 'pay-1',
    amountOre: 12_000_000,
    category: 'supplier-payment',
    spentOn: '2024-03-14',
    familyId: 'fam-1',
    description: 'Furniture',
    ...data,
  },
});

const spent = (paymentId: string, amountOre: number, remaining: number, spentOn = '2024-03-14', at = NOW): SpendRecorded => ({
  type: 'SpendRecorded',
  data: {
    subProjectId: 'sp-barnas-stemme',
    paymentId,
    amountOre,
    category: 'supplier-payment',
    semester: spentOn < '2024-07-01' ? '2024-spring' : '2024-autumn',
    spentOn,
    familyId: 'fam-1',
    description: 'Furniture',
    semesterRemainingOre: remaining,
    payment: null,
    runId: null,
    ...by(caseworker, at),
  },
});

const terminated: SubProjectEvent[] = [
  {
    type: 'SubProjectReviewed',
    data: { subProjectId: 'sp-barnas-stemme', semester: '2024-spring', outcome: 'terminate', goalAttainment: 'Few families reached.', ...by(leader) },
  },
  { type: 'SubProjectTerminated', data: { subProjectId: 'sp-barnas-stemme', semester: '2024-spring', reason: 'Few families reached.', ...by(leader) } },
];

it('refuses a command type it does not know', () => {
  spec
    .given([approved])
    .when({ type: 'RaiseBudget', data: {} } as never)
    .thenThrows(InvalidInput);
});

describe('ApproveSubProject', () => {
  it('approves two years at 500,000 NOK a semester by default', () => {
    const state = spec.given([]).when(approve(), { actor: leader }).then([approved]);
    expect(state.status).toBe('active');
    expect(remainingBudget(state, '2024-spring')).toBe(50_000_000);
    expect(subProjectStreamId('sp-barnas-stemme')).toBe('subproject-sp-barnas-stemme');
  });

  it('takes another budget and length when given', () => {
    spec
      .given([])
      .when(approve({ semesterBudgetOre: 25_000_000, semesterCount: 2 }), { actor: leader })
      .then([{ ...approved, data: { ...approved.data, semesterBudgetOre: 25_000_000, semesters: ['2024-spring', '2024-autumn'] } }]);
  });

  it('funds from one to twenty whole semesters: 20 is the cap, 21, 0 and half a semester are refused', () => {
    const semestersWhen = (semesterCount: number) =>
      spec
        .given([])
        .when(approve({ semesterCount }), { actor: leader })
        .then([{ ...approved, data: { ...approved.data, semesters: semestersFrom('2024-spring', semesterCount) } }]).semesters;
    expect(semestersWhen(20)).toHaveLength(20);
    expect(semestersWhen(20)[19]).toBe('2033-autumn');
    expect(semestersWhen(1)).toEqual(['2024-spring']);
    for (const semesterCount of [21, 0, 1.5]) {
      spec.given([]).when(approve({ semesterCount }), { actor: leader }).thenThrows(InvalidInput);
    }
  });

  it('refuses a semester budget of zero øre (a sub-project is funded with money)', () => {
    spec
      .given([])
      .when(approve({ semesterBudgetOre: 0 }), { actor: leader })
      .thenThrows(InvalidAmount);
  });

  it('refuses actors that are not a list, or an actor that is not described', () => {
    spec
      .given([])
      .when(approve({ actors: 'three' as never }), { actor: leader })
      .thenThrows(InvalidInput);
    spec
      .given([])
      .when(approve({ actors: [...approve().data.actors, null as never] }), { actor: leader })
      .thenThrows(InvalidInput);
  });

  it('reads an actor’s unit and leave to pay given as null as none', () => {
    const [bft, school, heimdal] = approve().data.actors;
    spec
      .given([])
      .when(approve({ actors: [bft, { ...school, unit: null }, { ...heimdal, mayRecordPayments: null as never }] }), { actor: leader })
      .then([approved]);
  });

  it('refuses fewer than three different actors', () => {
    const [bft, school] = approve().data.actors;
    spec
      .given([])
      .when(approve({ actors: [bft, school] }), { actor: leader })
      .thenThrows(TooFewActors);
    spec
      .given([])
      .when(approve({ actors: [bft, school, { name: 'saupstad skole ', municipal: true }] }), { actor: leader })
      .thenThrows(TooFewActors);
  });

  it('refuses a responsible unit that is not one of the municipal actors', () => {
    spec
      .given([])
      .when(approve({ responsibleUnit: 'NAV' }), { actor: navLeader })
      .thenThrows(NoResponsibleMunicipalActor);
  });

  it.each([
    ['no goals in the allocation letter', { goals: [] }],
    ['a badly written semester', { firstSemester: 'spring 2024' }],
    [
      'a non-municipal actor with a unit',
      { actors: [...approve().data.actors, { name: 'Røde Kors', municipal: false, unit: 'NAV' as const, organisationNumber: '864139442' }] },
    ],
    ['a semester count of zero', { semesterCount: 0 }],
  ])('refuses %s', (_label, data) => {
    spec.given([]).when(approve(data), { actor: leader }).thenThrows(InvalidInput);
  });

  it('refuses a budget in fractions of øre and an unknown unit', () => {
    spec
      .given([])
      .when(approve({ semesterBudgetOre: 100.5 }), { actor: leader })
      .thenThrows(InvalidAmount);
    spec
      .given([])
      .when(approve({ responsibleUnit: 'FYLKET' as 'BFT' }), { actor: leader })
      .thenThrows(UnknownUnit);
  });

  it('records which non-municipal actors may record payments (default: none)', () => {
    const [bft, school, club] = approve().data.actors;
    const state = spec
      .given([])
      .when(approve({ actors: [bft, school, { ...club, mayRecordPayments: true }] }), { actor: leader })
      .then([
        {
          ...approved,
          data: { ...approved.data, actors: [approved.data.actors[0], approved.data.actors[1], { ...approved.data.actors[2], mayRecordPayments: true }] },
        },
      ]);
    expect(state.actors.map((a) => a.mayRecordPayments)).toEqual([false, false, true]);
  });

  it('refuses leave to record payments for a municipal actor, and a flag that is not a boolean', () => {
    const [bft, school, club] = approve().data.actors;
    spec
      .given([])
      .when(approve({ actors: [{ ...bft, mayRecordPayments: true }, school, club] }), { actor: leader })
      .thenThrows(InvalidInput);
    spec
      .given([])
      .when(approve({ actors: [bft, school, { ...club, mayRecordPayments: 'yes' as never }] }), { actor: leader })
      .thenThrows(InvalidInput);
  });

  it('reads an approval recorded before the flag existed as no actor may record payments', () => {
    const legacy: SubProjectApproved = {
      ...approved,
      data: { ...approved.data, actors: approved.data.actors.map(({ mayRecordPayments: _flag, ...rest }) => rest) },
    };
    const error = spec.given([legacy]).when(spend(), { actor: heimdalIl }).thenThrows(PartnerMayNotPay);
    expect(error.code).toBe('PARTNER_MAY_NOT_PAY');
  });

  it('refuses approving twice, and anyone but a unit leader', () => {
    spec.given([approved]).when(approve(), { actor: leader }).thenThrows(SubProjectAlreadyApproved);
    spec.given([]).when(approve()).thenThrows(ActionNotPermitted);
  });

  it('sub-project decider: only the responsible unit’s leader approves (another unit’s leader: UNIT_MISMATCH)', () => {
    spec.given([]).when(approve(), { actor: navLeader }).thenThrows(UnitMismatch);
    spec
      .given([])
      .when(approve({ actors: [...approve().data.actors, { name: 'NAV Heimdal', municipal: true, unit: 'NAV' }], responsibleUnit: 'NAV' }), {
        actor: navLeader,
      })
      .then([
        {
          type: 'SubProjectApproved',
          data: {
            ...approved.data,
            actors: [...approved.data.actors, { name: 'NAV Heimdal', municipal: true, unit: 'NAV', organisationNumber: null, mayRecordPayments: false }],
            responsibleUnit: 'NAV',
            ...by(navLeader),
          },
        },
      ]);
  });

  it.each([
    ['no organisation number', undefined],
    ['a number of 8 digits', '98345678'],
    ['a number with spaces', '983 456 789'],
    ['its name instead of its number', 'Heimdal IL'],
  ])('sub-project decider: a non-municipal actor needs its 9-digit organisation number, refuses %s', (_label, organisationNumber) => {
    const [bft, school, club] = approve().data.actors;
    spec
      .given([])
      .when(approve({ actors: [bft, school, { ...club, organisationNumber }] }), { actor: leader })
      .thenThrows(InvalidInput);
  });

  it('sub-project decider: a municipal actor has no organisation number of its own (its unit acts)', () => {
    const [bft, school, club] = approve().data.actors;
    const state = spec
      .given([])
      .when(approve({ actors: [{ ...bft, organisationNumber: '974123456' }, school, club] }), { actor: leader })
      .then([approved]);
    expect(state.actors[0].organisationNumber).toBeNull();
  });
});

describe('RecordSpend', () => {
  it('spends from the semester of the spending date and reports what is left', () => {
    const state = spec
      .given([approved])
      .when(spend())
      .then([spent('pay-1', 12_000_000, 38_000_000)]);
    expect(state.spentBySemester).toEqual({ '2024-spring': 12_000_000 });
  });

  it('lets a spend use the budget to the last øre, and refuses one øre more', () => {
    spec
      .given([approved, spent('pay-1', 40_000_000, 10_000_000)])
      .when(spend({ paymentId: 'pay-2', amountOre: 10_000_000 }))
      .then([spent('pay-2', 10_000_000, 0)]);
    const error = spec
      .given([approved, spent('pay-1', 40_000_000, 10_000_000)])
      .when(spend({ paymentId: 'pay-2', amountOre: 10_000_001 }))
      .thenThrows(BudgetExceeded);
    expect(error.details).toEqual({ subProjectId: 'sp-barnas-stemme', semester: '2024-spring', amountOre: 10_000_001, remainingOre: 10_000_000 });
    expect(error.message).toBe('Sub-project sp-barnas-stemme has NOK 100,000.00 left for 2024-spring; NOK 100,000.01 does not fit.');
  });

  it('refuses the second of two payments decided on the same revision once the first is appended', () => {
    // Both pass alone; the expected revision makes the second one decide again, against the first.
    const history = [approved, spent('pay-1', 30_000_000, 20_000_000)];
    spec
      .given(history)
      .when(spend({ paymentId: 'pay-a', amountOre: 15_000_000 }))
      .then([spent('pay-a', 15_000_000, 5_000_000)]);
    spec
      .given(history)
      .when(spend({ paymentId: 'pay-b', amountOre: 15_000_000 }))
      .then([spent('pay-b', 15_000_000, 5_000_000)]);
    spec
      .given([...history, spent('pay-a', 15_000_000, 5_000_000)])
      .when(spend({ paymentId: 'pay-b', amountOre: 15_000_000 }))
      .thenThrows(BudgetExceeded);
  });

  it('keeps each semester’s budget apart', () => {
    const august = new Date('2024-08-15T09:00:00.000Z');
    spec
      .given([approved, spent('pay-1', 50_000_000, 0)])
      .when(spend({ paymentId: 'pay-2', spentOn: '2024-08-15' }), { now: august })
      .then([spent('pay-2', 12_000_000, 38_000_000, '2024-08-15', august)]);
  });

  it('records a spend for no particular family (familyId left out or null)', () => {
    for (const familyId of [undefined, null]) {
      spec
        .given([approved])
        .when(spend({ familyId }))
        .then([{ ...spent('pay-1', 12_000_000, 38_000_000), data: { ...spent('pay-1', 12_000_000, 38_000_000).data, familyId: null } }]);
    }
  });

  it('reads a payment to complete given as null as none', () => {
    spec
      .given([approved])
      .when(spend({ payment: null }))
      .then([spent('pay-1', 12_000_000, 38_000_000)]);
  });

  it('never pays for staff', () => {
    spec
      .given([approved])
      .when(spend({ category: 'staff' }))
      .thenThrows(StaffNotFundable);
  });

  it('refuses an unknown category and a zero amount', () => {
    spec
      .given([approved])
      .when(spend({ category: 'travel' as 'staff' }))
      .thenThrows(InvalidInput);
    spec
      .given([approved])
      .when(spend({ amountOre: 0 }))
      .thenThrows(InvalidAmount);
  });

  it('refuses a date outside the funded semesters', () => {
    spec
      .given([approved])
      .when(spend({ spentOn: '2026-01-05' }))
      .thenThrows(SemesterNotFunded);
  });

  it('refuses the same payment twice', () => {
    spec
      .given([approved, spent('pay-1', 12_000_000, 38_000_000)])
      .when(spend())
      .thenThrows(SpendAlreadyRecorded);
  });

  it('sub-project decider: only the responsible unit’s staff spend (another unit: UNIT_MISMATCH)', () => {
    spec.given([approved]).when(spend(), { actor: navCaseworker }).thenThrows(UnitMismatch);
    spec
      .given([approved])
      .when(spend(), { actor: { userId: 'x', role: 'caseworker' } })
      .thenThrows(ActionNotPermitted);
    spec
      .given([approved])
      .when(spend(), { actor: leader })
      .then([{ ...spent('pay-1', 12_000_000, 38_000_000), data: { ...spent('pay-1', 12_000_000, 38_000_000).data, ...by(leader) } }]);
  });

  it('refuses spending on a terminated or unapproved sub-project', () => {
    spec
      .given([approved, ...terminated])
      .when(spend())
      .thenThrows(SubProjectWasTerminated);
    spec.given([]).when(spend()).thenThrows(SubProjectNotFound);
  });

  describe('by a partner', () => {
    /** The sub-project with Heimdal IL given leave to record payments. */
    const allowing: SubProjectApproved = {
      ...approved,
      data: { ...approved.data, actors: approved.data.actors.map((a) => (a.name === 'Heimdal IL' ? { ...a, mayRecordPayments: true } : a)) },
    };

    it('spends when its organisation is a non-municipal actor that may record payments', () => {
      const state = spec
        .given([allowing])
        .when(spend(), { actor: heimdalIl })
        .then([{ ...spent('pay-1', 12_000_000, 38_000_000), data: { ...spent('pay-1', 12_000_000, 38_000_000).data, ...by(heimdalIl) } }]);
      expect(state.spends['pay-1'].recordedBy).toEqual({ userId: 'trener.heimdal', role: 'partner', unit: null, partnerOrganisation: HEIMDAL_IL });
    });

    it.each([
      ['its name', 'Heimdal IL'],
      ['its name in other case and with spaces', ' heimdal il '],
      ['its number with spaces around it', ` ${HEIMDAL_IL} `],
      ['its number with a space inside', '983 456 789'],
    ])('sub-project decider: the organisation number is compared exactly, %s never matches (PARTNER_MAY_NOT_PAY)', (_label, partnerOrganisation) => {
      spec
        .given([allowing])
        .when(spend(), { actor: { ...heimdalIl, partnerOrganisation } })
        .thenThrows(PartnerMayNotPay);
    });

    it('refuses when the sub-project does not allow its organisation to pay (PARTNER_MAY_NOT_PAY)', () => {
      const error = spec.given([approved]).when(spend(), { actor: heimdalIl }).thenThrows(PartnerMayNotPay);
      expect(error).toMatchObject({ code: 'PARTNER_MAY_NOT_PAY', kind: 'forbidden', details: { subProjectId: 'sp-barnas-stemme', organisation: HEIMDAL_IL } });
    });

    it('refuses another organisation, and a partner with no organisation', () => {
      spec
        .given([allowing])
        .when(spend(), { actor: { ...heimdalIl, partnerOrganisation: '864139442' } })
        .thenThrows(PartnerMayNotPay);
      spec
        .given([allowing])
        .when(spend(), { actor: { userId: 'x', role: 'partner' } })
        .thenThrows(PartnerMayNotPay);
    });

    it('reads an approval recorded before organisation numbers as no partner may pay (fail closed)', () => {
      const legacy: SubProjectApproved = {
        ...allowing,
        data: { ...allowing.data, actors: allowing.data.actors.map(({ organisationNumber: _number, ...rest }) => rest) },
      };
      spec.given([legacy]).when(spend(), { actor: heimdalIl }).thenThrows(PartnerMayNotPay);
      spec
        .given([legacy])
        .when(spend(), { actor: { ...heimdalIl, partnerOrganisation: 'Heimdal IL' } })
        .thenThrows(PartnerMayNotPay);
    });

    it('still keeps the budget, the semesters and the termination rules', () => {
      spec
        .given([allowing, spent('pay-0', 50_000_000, 0)])
        .when(spend(), { actor: heimdalIl })
        .thenThrows(BudgetExceeded);
      spec
        .given([allowing, ...terminated])
        .when(spend(), { actor: heimdalIl })
        .thenThrows(SubProjectWasTerminated);
      spec.given([]).when(spend(), { actor: heimdalIl }).thenThrows(SubProjectNotFound);
    });

    it('is refused to auditors and rules analysts, whatever the sub-project allows', () => {
      spec
        .given([allowing])
        .when(spend(), { actor: { userId: 'a', role: 'auditor' } })
        .thenThrows(ActionNotPermitted);
      spec
        .given([allowing])
        .when(spend(), { actor: { userId: 'r', role: 'rules-analyst', partnerOrganisation: HEIMDAL_IL } })
        .thenThrows(ActionNotPermitted);
    });
  });
});

describe('ReverseSpend', () => {
  const reversed: SubProjectEvent = {
    type: 'SpendReversed',
    data: {
      subProjectId: 'sp-barnas-stemme',
      paymentId: 'pay-1',
      amountOre: 12_000_000,
      semester: '2024-spring',
      reason: 'Returned the sofa.',
      familyId: 'fam-1',
      ...by(caseworker),
    },
  };

  it('gives the money back to its semester, also after termination', () => {
    const state = spec
      .given([approved, spent('pay-1', 12_000_000, 38_000_000), ...terminated])
      .when({ type: 'ReverseSpend', data: { paymentId: 'pay-1', reason: 'Returned the sofa.' } })
      .then([reversed]);
    expect(remainingBudget(state, '2024-spring')).toBe(50_000_000);
    expect(state.spends['pay-1'].reversed).toBe(true);
  });

  it('lets a partner take back only a spend it recorded itself (the API undoes a spend the family refused)', () => {
    const byPartner: SpendRecorded = { ...spent('pay-1', 12_000_000, 38_000_000), data: { ...spent('pay-1', 12_000_000, 38_000_000).data, ...by(heimdalIl) } };
    spec
      .given([approved, byPartner])
      .when({ type: 'ReverseSpend', data: { paymentId: 'pay-1', reason: 'Refused for the family.' } }, { actor: heimdalIl })
      .then([{ type: 'SpendReversed', data: { ...reversed.data, reason: 'Refused for the family.', ...by(heimdalIl) } } as SubProjectEvent]);
    spec
      .given([approved, spent('pay-1', 12_000_000, 38_000_000)])
      .when({ type: 'ReverseSpend', data: { paymentId: 'pay-1', reason: 'x' } }, { actor: heimdalIl })
      .thenThrows(ActionNotPermitted);
    spec
      .given([approved, byPartner])
      .when({ type: 'ReverseSpend', data: { paymentId: 'pay-1', reason: 'x' } }, { actor: { ...heimdalIl, userId: 'another.trainer' } })
      .thenThrows(ActionNotPermitted);
  });

  it('keeps a partner from taking back a spend the unit’s staff recorded, even under the same user id', () => {
    // Same userId, recorded by a caseworker: the role, not the name, says whose spend it is.
    const byStaffSameId: SpendRecorded = {
      ...spent('pay-1', 12_000_000, 38_000_000),
      data: { ...spent('pay-1', 12_000_000, 38_000_000).data, ...by({ ...caseworker, userId: heimdalIl.userId }) },
    };
    spec
      .given([approved, byStaffSameId])
      .when({ type: 'ReverseSpend', data: { paymentId: 'pay-1', reason: 'x' } }, { actor: heimdalIl })
      .thenThrows(ActionNotPermitted);
  });

  it('sub-project decider: only the responsible unit’s staff reverse a spend', () => {
    spec
      .given([approved, spent('pay-1', 12_000_000, 38_000_000)])
      .when({ type: 'ReverseSpend', data: { paymentId: 'pay-1', reason: 'x' } }, { actor: navCaseworker })
      .thenThrows(UnitMismatch);
  });

  it('is refused to anyone but municipal staff with a unit, before it says whether the sub-project exists', () => {
    spec
      .given([])
      .when({ type: 'ReverseSpend', data: { paymentId: 'pay-1', reason: 'x' } }, { actor: { userId: 'a', role: 'auditor', unit: 'BFT' } })
      .thenThrows(ActionNotPermitted);
    spec
      .given([approved, spent('pay-1', 12_000_000, 38_000_000)])
      .when({ type: 'ReverseSpend', data: { paymentId: 'pay-1', reason: 'x' } }, { actor: { userId: 'no.unit', role: 'caseworker' } })
      .thenThrows(ActionNotPermitted);
  });

  it('refuses an unknown spend, a second reversal and a missing reason', () => {
    spec
      .given([approved])
      .when({ type: 'ReverseSpend', data: { paymentId: 'pay-1', reason: 'x' } })
      .thenThrows(SpendNotFound);
    spec
      .given([approved, spent('pay-1', 12_000_000, 38_000_000), reversed])
      .when({ type: 'ReverseSpend', data: { paymentId: 'pay-1', reason: 'Again' } })
      .thenThrows(SpendAlreadyReversed);
    spec
      .given([approved, spent('pay-1', 12_000_000, 38_000_000)])
      .when({ type: 'ReverseSpend', data: { paymentId: 'pay-1', reason: '' } })
      .thenThrows(InvalidInput);
  });
});

describe('ReviewSubProject', () => {
  it('records a six-monthly review that continues the sub-project', () => {
    const state = spec
      .given([approved])
      .when(
        { type: 'ReviewSubProject', data: { semester: '2024-spring', outcome: 'continue', goalAttainment: '14 of 20 children in activities.' } },
        { actor: leader },
      )
      .then([
        {
          type: 'SubProjectReviewed',
          data: {
            subProjectId: 'sp-barnas-stemme',
            semester: '2024-spring',
            outcome: 'continue',
            goalAttainment: '14 of 20 children in activities.',
            ...by(leader),
          },
        },
      ]);
    expect(state.status).toBe('active');
  });

  it('terminates for low goal attainment: no more spending', () => {
    const state = spec
      .given([approved])
      .when({ type: 'ReviewSubProject', data: { semester: '2024-spring', outcome: 'terminate', goalAttainment: 'Few families reached.' } }, { actor: leader })
      .then(terminated);
    expect(state).toMatchObject({ status: 'terminated', terminatedAt: NOW.toISOString() });
  });

  it('refuses reviewing a semester that has not started, or is not funded', () => {
    const review = (semester: string) => ({ type: 'ReviewSubProject', data: { semester, outcome: 'continue', goalAttainment: 'Fine.' } }) as const;
    spec.given([approved]).when(review('2024-autumn'), { actor: leader }).thenThrows(InvalidInput);
    spec.given([approved]).when(review('2023-autumn'), { actor: leader }).thenThrows(SemesterNotFunded);
  });

  it('refuses a second review of a semester, a terminated sub-project, and a caseworker', () => {
    const review = { type: 'ReviewSubProject', data: { semester: '2024-spring', outcome: 'continue', goalAttainment: 'Fine.' } } as const;
    const continued: SubProjectEvent = { type: 'SubProjectReviewed', data: { ...review.data, subProjectId: 'sp-barnas-stemme', ...by(leader) } };
    spec.given([approved, continued]).when(review, { actor: leader }).thenThrows(ReviewAlreadyRecorded);
    spec
      .given([approved, ...terminated])
      .when(review, { actor: leader })
      .thenThrows(SubProjectWasTerminated);
    spec.given([approved]).when(review).thenThrows(ActionNotPermitted);
  });

  it('sub-project decider: only the responsible unit’s leader reviews or terminates (another unit’s leader: UNIT_MISMATCH)', () => {
    const review = (outcome: 'continue' | 'terminate') =>
      ({ type: 'ReviewSubProject', data: { semester: '2024-spring', outcome, goalAttainment: 'Fine.' } }) as const;
    spec.given([approved]).when(review('continue'), { actor: navLeader }).thenThrows(UnitMismatch);
    spec.given([approved]).when(review('terminate'), { actor: navLeader }).thenThrows(UnitMismatch);
    spec
      .given([approved])
      .when(review('terminate'), { actor: { ...leader, role: 'approver' } })
      .thenThrows(ActionNotPermitted);
  });
});
