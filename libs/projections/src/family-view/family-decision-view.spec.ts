import { buildFamilyDecisionView, type FamilyDecisionView } from './family-decision-view';
import { decideHistory, foldCommits } from './testing/family-history';
import { actors, hassanHistory, hassanSteps, step, TODAY } from './testing/hassan-family';

const { commits, state } = hassanHistory();
const view = buildFamilyDecisionView(state, TODAY);
const warningsOf = (v: FamilyDecisionView, kind: string) => v.warnings.filter((w) => w.kind === kind);

describe('buildFamilyDecisionView (the Hassan family on 14 June 2024)', () => {
  it('names the family, its members (oldest first, nothing masked) and the team around it', () => {
    expect(view).toMatchObject({ familyId: 'hassan', district: 'Heimdal', asOf: TODAY });
    expect(view.members.map((m) => [m.memberId, m.ageOnAsOf])).toEqual([
      ['m-yusuf', 38],
      ['m-amina', 36],
      ['m-leila', 16],
      ['m-sara', 11],
      ['m-omar', 4],
    ]);
    expect(view.members[0].nationalId).toBe('20118512345');
    expect(view.team.coordinatingUnit).toBe('NAV');
    expect(view.team.contactPersons.map((p) => p.personId)).toEqual(['p-kari', 'p-siri']);
    expect(view.team.units).toEqual(['HVK', 'BFT', 'NAV', 'INN', 'OPPVEKST']);
  });

  it('sorts needs into open, resolved and withdrawn, with who picked them up and the days to the first response', () => {
    const brief = (n: FamilyDecisionView['needs']['open'][number]) => ({
      needId: n.needId,
      pickedUpBy: n.pickedUpBy.map((p) => p.unit),
      firstResponse: n.firstResponse,
      daysToFirstResponse: n.daysToFirstResponse,
      daysOpen: n.daysOpen,
    });
    expect(view.needs.open.map(brief)).toEqual([
      { needId: 'n-summer-job', pickedUpBy: ['INN'], firstResponse: null, daysToFirstResponse: null, daysOpen: 105 },
      { needId: 'n-licence', pickedUpBy: [], firstResponse: null, daysToFirstResponse: null, daysOpen: 74 },
      { needId: 'n-furniture', pickedUpBy: [], firstResponse: null, daysToFirstResponse: null, daysOpen: 25 },
    ]);
    // n-job: expressed 15 Jan, the qualification programme it was resolved with was proposed 5 Feb.
    // n-football: expressed 20 Feb, the sub-project's gift card paid 14 Mar (2024 is a leap year).
    expect(view.needs.resolved.map(brief)).toEqual([
      {
        needId: 'n-job',
        pickedUpBy: ['NAV'],
        firstResponse: { kind: 'decision', id: 'd-qual', on: '2024-02-05' },
        daysToFirstResponse: 21,
        daysOpen: null,
      },
      {
        needId: 'n-football',
        pickedUpBy: ['BFT'],
        firstResponse: { kind: 'payment', id: 'pay-pilot', on: '2024-03-14' },
        daysToFirstResponse: 23,
        daysOpen: null,
      },
    ]);
    expect(view.needs.resolved[1].paymentIds).toEqual(['pay-pilot', 'pay-bft']);
    expect(view.needs.open[2].memberId).toBeNull();
    expect(view.needs.withdrawn.map((n) => [n.needId, n.withdrawalReason])).toEqual([['n-homework', 'The school offers it now.']]);
  });

  it('lists consents in force apart from the withdrawn and expired ones', () => {
    expect(view.consents.inForce.map((c) => c.consentId)).toEqual([
      'c-amina-coord',
      'c-yusuf-coord',
      'c-amina-info',
      'c-leila-needs',
      'c-amina-combine',
      'c-sara-nav',
      'c-yusuf-combine',
    ]);
    expect(view.consents.upcoming).toEqual([]);
    expect(view.consents.ended.map((c) => [c.consentId, c.endReason, c.endedOn])).toEqual([
      ['c-sara-info', 'expired', '2024-03-31'],
      ['c-yusuf-info', 'withdrawn', '2024-05-01'],
    ]);
    const before = buildFamilyDecisionView(state, '2024-05-31');
    expect(before.consents.upcoming.map((c) => c.consentId)).toEqual(['c-amina-combine', 'c-sara-nav', 'c-yusuf-combine']);
  });

  it('shows every decision of the five units with its status as of the day', () => {
    expect(view.decisions.map((d) => [d.decisionId, d.unit, d.status, d.recordedStatus, d.periodFrom, d.periodUntil])).toEqual([
      ['d-kg', 'OPPVEKST', 'active', 'active', '2024-01-01', '2024-06-30'],
      // The period ended on 31 May and nobody recorded it: expired as of the day, active on the stream.
      ['d-sfo', 'OPPVEKST', 'expired', 'active', '2024-01-01', '2024-05-31'],
      ['d-inn', 'INN', 'expired', 'expired', '2024-01-10', '2024-03-31'],
      // Appealed, but an appeal does not suspend a decision (fvl § 42 not used): in force, with the appeal open.
      ['d-nav', 'NAV', 'active', 'active', '2024-02-01', '2024-07-31'],
      ['d-qual', 'NAV', 'active', 'active', '2024-02-05', '2024-12-31'],
      ['d-bft', 'BFT', 'active', 'active', '2024-03-01', '2024-12-31'],
      ['d-coord', 'BFT', 'revoked', 'revoked', '2024-03-01', '2024-12-31'],
      ['d-housing', 'HVK', 'rejected', 'rejected', '2024-05-01', '2025-04-30'],
      ['d-hvk-care', 'HVK', 'proposed', 'proposed', '2024-05-01', '2024-10-31'],
    ]);
    const nav = view.decisions.find((d) => d.decisionId === 'd-nav');
    expect(nav).toMatchObject({
      memberIds: ['m-amina', 'm-yusuf'],
      amounts: { monthlyAmountOre: 1_250_000, oneOffAmountOre: null },
      proposedOn: '2024-02-01',
      approvedOn: '2024-02-02',
      openAppeal: { appealId: 'a-nav', receivedDate: '2024-02-15', deadline: '2024-02-23', late: false },
    });
    // fvl §§ 27, 29: one notification per party, each with its own deadline (three weeks from receipt);
    // the appeal's deadline is Yusuf's, the appellant's.
    expect(nav?.notifications.map((n) => [n.recipientMemberId, n.channel, n.receivedOn, n.deadline])).toEqual([
      ['m-amina', 'digital-mailbox', '2024-02-05', '2024-02-26'],
      ['m-yusuf', 'digital-mailbox', '2024-02-02', '2024-02-23'],
    ]);
    expect(nav?.appeals.map((a) => [a.appealId, a.stage, a.timeliness])).toEqual([['a-nav', 'assessed', 'in-time']]);
    expect(buildFamilyDecisionView(state, '2024-05-31').decisions.find((d) => d.decisionId === 'd-sfo')?.status).toBe('active');
  });

  it('shows the family decision in force with the current status of what it bundles', () => {
    expect(view.familyDecisions).toEqual({
      inForce: {
        familyDecisionId: 'fd-1',
        reviewDate: '2024-08-01',
        responsibleUnit: 'NAV',
        contactPerson: { personId: 'p-kari', name: 'Kari Nordmann' },
        decisions: [
          {
            decisionId: 'd-qual',
            unit: 'NAV',
            decisionType: 'qualification-programme',
            memberIds: ['m-amina'],
            periodUntil: '2024-12-31',
            status: 'active',
          },
          {
            decisionId: 'd-bft',
            unit: 'BFT',
            decisionType: 'child-welfare-support-measure',
            memberIds: ['m-sara'],
            periodUntil: '2024-12-31',
            status: 'active',
          },
        ],
        consentIds: ['c-amina-combine', 'c-yusuf-combine'],
        ruleSetId: 'trondheim-2023',
        ruleSetVersion: 1,
        issuedOn: '2024-06-03',
      },
      suspended: [],
      superseded: [],
    });
    expect(view.decisions.filter((d) => d.familyDecisionId === 'fd-1').map((d) => d.decisionId)).toEqual(['d-qual', 'd-bft']);
  });

  it('totals payments in øre by funding source and by month, leaving the reversed payment out', () => {
    expect(view.payments.items).toHaveLength(7);
    expect(view.payments.items.find((p) => p.paymentId === 'pay-qual-may')).toMatchObject({ reversed: true, reversedOn: '2024-05-07' });
    expect(view.payments.totals).toEqual({
      totalOre: 4_270_000,
      reversedOre: 800_000,
      byFundingSource: [
        {
          fundingSource: 'sub-project:sp-barnas-stemme',
          funding: { kind: 'sub-project', subProjectId: 'sp-barnas-stemme' },
          totalOre: 120_000,
          count: 1,
        },
        { fundingSource: 'unit:BFT', funding: { kind: 'unit', unit: 'BFT' }, totalOre: 50_000, count: 1 },
        { fundingSource: 'unit:NAV', funding: { kind: 'unit', unit: 'NAV' }, totalOre: 4_100_000, count: 4 },
      ],
      byMonth: [
        { month: '2024-02', totalOre: 1_250_000 },
        { month: '2024-03', totalOre: 2_220_000 },
        { month: '2024-04', totalOre: 800_000 },
      ],
    });
  });

  it('counts only income for social assistance: not the assistance itself, not pilot money, not reversed payments', () => {
    expect(view.incomeBasis).toEqual({
      totalOre: 1_600_000,
      byMonth: [
        { month: '2024-03', totalOre: 800_000 },
        { month: '2024-04', totalOre: 800_000 },
      ],
      paymentIds: ['pay-qual-mar', 'pay-qual-apr'],
    });
  });

  it('keeps pilot money out of the income basis, also when a unit pays pilot support from its own budget', () => {
    // The decider refuses flagging it as income (PILOT_PAYMENT_NOT_INCOME); the view does not rely on that.
    const withPilot = decideHistory([
      ...hassanSteps,
      step('2024-06-10', actors.bftCaseworker, 'ProposeDecision', {
        decisionId: 'd-pilot',
        unit: 'BFT',
        decisionType: 'pilot-support',
        memberIds: ['m-sara'],
        periodFrom: '2024-06-10',
        periodUntil: '2024-12-31',
        amounts: { monthlyAmountOre: 160_000 },
        outcome: 'granted',
        reasons: {
          rulesApplied: ['the decision type’s legal basis'],
          facts: '1,600 NOK a month for activities.',
          mainConsiderations: null,
          summary: '1,600 NOK a month for activities.',
        },
        childViews: [
          {
            memberId: 'm-sara',
            heard: true,
            how: 'conversation',
            heardOn: '2024-01-05',
            views: 'Wants the help.',
            weight: 'Given weight by age and maturity.',
          },
        ],
        subProject: { subProjectId: 'sp-barnas-stemme', responsibleUnit: 'BFT' },
      }),
      step('2024-06-11', actors.bftApprover, 'ApproveDecision', { decisionId: 'd-pilot' }),
      step('2024-06-12', actors.bftCaseworker, 'RecordPayment', {
        paymentId: 'pay-pilot-bft',
        recipientMemberId: 'm-sara',
        amountOre: 160_000,
        method: 'bank-transfer',
        funding: { kind: 'unit', unit: 'BFT' },
        answersDecisionId: 'd-pilot',
        documentationRef: 'BFT-2024-0612',
        paidOn: '2024-06-12',
      }),
    ]).state;
    expect(withPilot.payments['pay-pilot-bft'].countsAsIncome).toBe(false);
    expect(buildFamilyDecisionView(withPilot, TODAY).incomeBasis.paymentIds).toEqual(['pay-qual-mar', 'pay-qual-apr']);
    // Older or imported events could flag sub-project money too; the NAV letter wins over the flag.
    const flagged = structuredClone(state);
    flagged.payments['pay-pilot'].countsAsIncome = true;
    expect(buildFamilyDecisionView(flagged, TODAY).incomeBasis.paymentIds).toEqual(['pay-qual-mar', 'pay-qual-apr']);
  });

  it('lists what expires in the next 60 days, soonest first, with the bounds included', () => {
    expect(view.expiring.until).toBe('2024-08-13');
    expect(view.expiring.items.map((i) => [i.kind, i.on, i.daysLeft])).toEqual([
      ['decision', '2024-06-30', 16],
      ['consent', '2024-07-31', 47],
      ['decision', '2024-07-31', 47],
      ['family-decision-review', '2024-08-01', 48],
    ]);
    expect(view.expiring.items[2]).toMatchObject({ decisionId: 'd-nav', unit: 'NAV' });
    // The review date 1 Aug is exactly 60 days after 2 Jun, and 61 after 1 Jun.
    const kinds = (day: string) => buildFamilyDecisionView(state, day).expiring.items.map((i) => i.kind);
    expect(kinds('2024-06-02')).toContain('family-decision-review');
    expect(kinds('2024-06-01')).not.toContain('family-decision-review');
    expect(buildFamilyDecisionView(state, TODAY, { expiryWindowDays: 20 }).expiring.items.map((i) => i.on)).toEqual(['2024-06-30']);
  });

  it('warns when the decisions in force end on different dates, listing each member and unit', () => {
    expect(warningsOf(view, 'different-end-dates')).toEqual([
      {
        kind: 'different-end-dates',
        endDates: ['2024-06-30', '2024-07-31', '2024-12-31'],
        ends: [
          {
            memberId: 'm-omar',
            memberName: 'Omar Hassan',
            unit: 'OPPVEKST',
            decisionId: 'd-kg',
            decisionType: 'kindergarten-fee-reduction',
            periodUntil: '2024-06-30',
          },
          {
            memberId: 'm-amina',
            memberName: 'Amina Hassan',
            unit: 'NAV',
            decisionId: 'd-nav',
            decisionType: 'economic-social-assistance',
            periodUntil: '2024-07-31',
          },
          {
            memberId: 'm-yusuf',
            memberName: 'Yusuf Hassan',
            unit: 'NAV',
            decisionId: 'd-nav',
            decisionType: 'economic-social-assistance',
            periodUntil: '2024-07-31',
          },
          {
            memberId: 'm-amina',
            memberName: 'Amina Hassan',
            unit: 'NAV',
            decisionId: 'd-qual',
            decisionType: 'qualification-programme',
            periodUntil: '2024-12-31',
          },
          {
            memberId: 'm-sara',
            memberName: 'Sara Hassan',
            unit: 'BFT',
            decisionId: 'd-bft',
            decisionType: 'child-welfare-support-measure',
            periodUntil: '2024-12-31',
          },
        ],
      },
    ]);
    // In August only the two bundled decisions run, both to 31 December: no warning.
    expect(warningsOf(buildFamilyDecisionView(state, '2024-08-01'), 'different-end-dates')).toEqual([]);
  });

  it('warns about open needs nobody answered more than 30 days after they were expressed', () => {
    expect(warningsOf(view, 'need-without-response')).toEqual([
      { kind: 'need-without-response', needId: 'n-licence', memberId: 'm-yusuf', memberName: 'Yusuf Hassan', expressedOn: '2024-04-01', daysOpen: 74 },
    ]);
    // n-furniture (20 May): 30 days on 19 June is not yet "more than 30"; 31 days on 20 June is.
    const unanswered = (day: string) =>
      warningsOf(buildFamilyDecisionView(state, day), 'need-without-response').map((w) => (w.kind === 'need-without-response' ? w.needId : ''));
    expect(unanswered('2024-06-19')).toEqual(['n-licence']);
    expect(unanswered('2024-06-20')).toEqual(['n-licence', 'n-furniture']);
    expect(warningsOf(buildFamilyDecisionView(state, TODAY, { unansweredAfterDays: 20 }), 'need-without-response')).toHaveLength(2);
  });

  it('warns when payments answering one need come from more than one budget', () => {
    expect(warningsOf(view, 'several-payers-for-need')).toEqual([
      {
        kind: 'several-payers-for-need',
        needId: 'n-football',
        payers: [
          {
            fundingSource: 'sub-project:sp-barnas-stemme',
            funding: { kind: 'sub-project', subProjectId: 'sp-barnas-stemme' },
            totalOre: 120_000,
            paymentIds: ['pay-pilot'],
          },
          { fundingSource: 'unit:BFT', funding: { kind: 'unit', unit: 'BFT' }, totalOre: 50_000, paymentIds: ['pay-bft'] },
        ],
      },
    ]);
  });

  it('sums it up for the family list', () => {
    expect(view.summary).toEqual({ openNeeds: 3, activeDecisions: 4, nextPeriodEnd: '2024-06-30', warningCount: 3, expiringCount: 4 });
  });

  it('depends only on the state and the day: same input, same document; JSON round trip changes nothing', () => {
    expect(buildFamilyDecisionView(foldCommits(commits), TODAY)).toEqual(view);
    expect(buildFamilyDecisionView(JSON.parse(JSON.stringify(state)), TODAY)).toEqual(view);
    expect(JSON.parse(JSON.stringify(view))).toEqual(view);
  });

  it('refuses a day that is not a date and options that are not whole days', () => {
    expect(() => buildFamilyDecisionView(state, '2024-02-30')).toThrow(RangeError);
    expect(() => buildFamilyDecisionView(state, '14.06.2024')).toThrow(RangeError);
    expect(() => buildFamilyDecisionView(state, TODAY, { expiryWindowDays: -1 })).toThrow(RangeError);
    expect(() => buildFamilyDecisionView(state, TODAY, { unansweredAfterDays: 1.5 })).toThrow(RangeError);
  });
});
