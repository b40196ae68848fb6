import { familyReadAccess, type Actor, type FamilyState, type Reader } from '@familievedtak/domain';
import type { FamilyDecisionView } from './family-decision-view';
import { viewForReader } from './family-view.masking';
import { decideHistory } from './testing/family-history';
import { actors, hassanHistory, hassanSteps, hassanStepsWith, SCHOOL, step, TODAY } from './testing/hassan-family';

/**
 * The view as each reader receives it: familyReadAccess, then masking, then the view built
 * from that state alone (viewForReader). The Hassan family on 14 June 2024.
 */

const { state } = hassanHistory();
const ACCESS_DAY = TODAY;

const readerOf = (actor: Actor): Reader =>
  actor.role === 'partner'
    ? { kind: 'partner', organisationNumber: actor.partnerOrganisation! }
    : actor.role === 'auditor'
      ? { kind: 'auditor' }
      : { kind: 'unit', unit: actor.unit! };

function viewAs(actor: Actor, from: FamilyState = state): { view: FamilyDecisionView; maskedMemberIds: string[] } {
  const decided = familyReadAccess(from, readerOf(actor), ACCESS_DAY);
  if (!decided.permit) throw new Error(`refused: ${decided.reason}`);
  return viewForReader(decided.grant.state, TODAY, actor);
}

describe('the view shows the parts in the case, referrals, enrolments and alerts', () => {
  it('who has a part, since when and by which act', () => {
    const { view } = viewAs(actors.navCaseworker);
    expect(view.parts.map((p) => [p.unit, p.active, p.since, p.act])).toEqual([
      ['HVK', true, '2024-04-12', { kind: 'referral-accepted', referralId: 'ref-hvk', referredBy: 'NAV' }],
      ['BFT', true, '2024-01-09', { kind: 'referral-accepted', referralId: 'ref-bft', referredBy: 'NAV' }],
      ['NAV', true, '2024-01-08', { kind: 'registered' }],
      ['INN', true, '2024-01-10', { kind: 'referral-accepted', referralId: 'ref-inn', referredBy: 'NAV' }],
      ['OPPVEKST', true, '2024-01-11', { kind: 'referral-accepted', referralId: 'ref-oppvekst', referredBy: 'BFT' }],
    ]);
    expect(view.parts[0].grantedBy).toMatchObject({ unit: 'HVK', role: 'caseworker' });
  });

  it('ended parts, with when and why; the unit whose part ended sees only its own records and the household', () => {
    // INN's introduction programme expired in April: its work with the family is done.
    const closed = decideHistory([
      ...hassanSteps,
      step('2024-06-05', actors.innCaseworker, 'CloseInvolvement', { reason: 'The introduction programme is over.' }),
    ]).state;
    const { view } = viewAs(actors.navCaseworker, closed);
    expect(view.parts.find((p) => p.unit === 'INN')).toMatchObject({
      active: false,
      since: '2024-01-10',
      endedOn: '2024-06-05',
      endReason: 'The introduction programme is over.',
    });
    expect(view.parts.map((p) => p.unit)).toEqual(['HVK', 'BFT', 'NAV', 'OPPVEKST', 'INN']);
    const inn = viewAs(actors.innCaseworker, closed).view;
    expect(inn.decisions.map((d) => d.decisionId)).toEqual(['d-inn']);
    expect(inn.needs.open.map((n) => n.needId)).toEqual(['n-summer-job']);
    expect(inn.team).toEqual({ coordinatingUnit: null, contactPersons: [], units: ['INN'] });
    expect(inn.parts.map((p) => p.unit)).toEqual(['INN']);
    expect(inn.consents).toEqual({ inForce: [], upcoming: [], ended: [] });
    expect(inn.members).toHaveLength(5);
    expect(inn.district).toBe('Heimdal');
  });

  it('a unit sees its own referrals, incoming and outgoing', () => {
    const { view } = viewAs(actors.bftCaseworker);
    expect(view.referrals.answered.map((r) => [r.referralId, r.fromUnit, r.toUnit, r.direction, r.status])).toEqual([
      ['ref-bft', 'NAV', 'BFT', 'incoming', 'accepted'],
      ['ref-oppvekst', 'BFT', 'OPPVEKST', 'outgoing', 'accepted'],
    ]);
    expect(view.referrals.open).toEqual([]);
  });

  it('enrolments and parental responsibility', () => {
    const { view } = viewAs(actors.navCaseworker);
    expect(view.enrolments.active.map((e) => [e.enrolmentId, e.subProjectName, e.responsibleUnit, e.memberIds])).toEqual([
      ['e-barnas-stemme', 'Barnas stemme', 'BFT', ['m-sara']],
    ]);
    expect(view.parentalResponsibility).toHaveLength(6);
  });

  it('a unit alerted of a withdrawn consent (it read under it) sees the alert; others do not', () => {
    expect(viewAs(actors.bftCaseworker).view.alerts).toEqual([
      expect.objectContaining({
        consentId: 'c-yusuf-info',
        memberId: 'm-yusuf',
        withdrawnFrom: '2024-05-01',
        channel: 'in-writing',
        toUnits: ['NAV', 'BFT', 'HVK', 'INN'],
      }),
    ]);
    expect(viewAs(actors.hvkCaseworker).view.alerts.map((a) => a.consentId)).toEqual(['c-yusuf-info']);
    expect(viewAs(actors.navCaseworker).view.alerts).toEqual([]);
    expect(viewAs(actors.innCaseworker).view.alerts).toEqual([]);
  });

  it('a family decision suspended by a withdrawn consent shows, with the consent that suspended it', () => {
    const withdrawn = decideHistory([
      ...hassanSteps,
      step('2024-06-10', actors.navCaseworker, 'WithdrawConsent', { consentId: 'c-yusuf-combine', expressedByMemberId: 'm-yusuf', channel: 'orally' }),
    ]).state;
    const { view } = viewAs(actors.navCaseworker, withdrawn);
    expect(view.familyDecisions.inForce).toBeNull();
    expect(view.familyDecisions.suspended).toEqual([
      {
        familyDecisionId: 'fd-1',
        responsibleUnit: 'NAV',
        reviewDate: '2024-08-01',
        issuedOn: '2024-06-03',
        decisionIds: ['d-qual', 'd-bft'],
        suspendedByConsentId: 'c-yusuf-combine',
        suspendedFrom: '2024-06-10',
        // Recorded by the decider with the withdrawal (FamilyDecisionSuspended), not inferred.
        cause: { kind: 'consent-withdrawn', id: 'c-yusuf-combine' },
      },
    ]);
    // BFT sees the family decision (it bundles its decision, and NAV's d-qual under Amina's
    // consent) but not Yusuf's consent to combine (NAV recorded it): its id is left out.
    expect(viewAs(actors.bftCaseworker, withdrawn).view.familyDecisions.suspended).toEqual([
      expect.objectContaining({ familyDecisionId: 'fd-1', decisionIds: ['d-qual', 'd-bft'], suspendedByConsentId: null, suspendedFrom: null, cause: null }),
    ]);
    expect(JSON.stringify(viewAs(actors.bftCaseworker, withdrawn).view)).not.toContain('c-yusuf-combine');
  });
});

describe("a partner's view is minimal", () => {
  const school: Actor = actors.school;

  it('names of the enrolled members only, its needs, no district, team, parts, referrals, decisions, consents, warnings', () => {
    const { view } = viewAs(school);
    expect(view.members).toEqual([
      expect.objectContaining({ memberId: 'm-sara', name: 'Sara Hassan', birthDate: null, ageOnAsOf: null, nationalId: null, nameOnly: true }),
    ]);
    expect(view.district).toBeNull();
    expect(view.team).toEqual({ coordinatingUnit: null, contactPersons: [], units: [] });
    expect(view.parts).toEqual([]);
    expect(view.referrals).toEqual({ open: [], answered: [] });
    expect(view.enrolments).toEqual({ active: [], ended: [] });
    expect(view.decisions).toEqual([]);
    expect(view.consents).toEqual({ inForce: [], upcoming: [], ended: [] });
    expect(view.warnings).toEqual([]);
    expect([...view.needs.open, ...view.needs.resolved, ...view.needs.withdrawn].map((n) => n.needId).sort()).toEqual(['n-football', 'n-homework']);
    // Who picked the need up, and how it was resolved, are the units' business.
    const football = view.needs.resolved.find((n) => n.needId === 'n-football')!;
    expect(football.pickedUpBy).toEqual([]);
    expect(football.resolution).toBeNull();
    expect(football.paymentIds).toEqual([]);
    const text = JSON.stringify(view);
    for (const leak of ['Heimdal', 'Amina', 'Yusuf', 'Kari Nordmann', 'BFT', 'NAV']) expect([leak, text.includes(leak)]).toEqual([leak, false]);
  });

  it('the grant carries no withheld counts for a partner', () => {
    const decided = familyReadAccess(state, { kind: 'partner', organisationNumber: SCHOOL }, ACCESS_DAY);
    expect(decided.permit && decided.grant.withheld).toBeNull();
  });
});

describe('protected addresses in the view, for readers without clearance', () => {
  const kode6 = decideHistory(hassanStepsWith({ 'm-sara': 'strengt-fortrolig' })).state;
  const kode7 = decideHistory(hassanStepsWith({ 'm-amina': 'fortrolig' })).state;
  const nav = actors.navCaseworker;

  it('kode 6: the member masked (no name, birth date, age, national id, language) and not placed by age', () => {
    const { view, maskedMemberIds } = viewAs(nav, kode6);
    expect(maskedMemberIds).toEqual(['m-sara']);
    expect(view.members.map((m) => m.memberId)).toEqual(['m-yusuf', 'm-amina', 'm-leila', 'm-omar', 'm-sara']);
    expect(view.members[4]).toMatchObject({
      memberId: 'm-sara',
      name: null,
      birthDate: null,
      ageOnAsOf: null,
      nationalId: null,
      preferredLanguage: null,
      masked: true,
    });
  });

  it.each([
    ['kode 6', kode6],
    ['kode 7', kode7],
  ])('%s: the district, contact person names and roles, partner and sub-project names, and free text are withheld', (_level, family) => {
    const { view } = viewAs(nav, family);
    expect(view.withheld).toBe('protected-address');
    expect(view.district).toBeNull();
    expect(view.team.contactPersons.map((p) => [p.name, p.teamRole])).toEqual([
      [null, null],
      [null, null],
    ]);
    expect(view.enrolments.active[0]).toMatchObject({ subProjectName: null, partners: [{ name: null, organisationNumber: null, mayRecordPayments: false }] });
    const needs = [...view.needs.open, ...view.needs.resolved, ...view.needs.withdrawn];
    expect(needs.every((n) => n.words === null && n.resolution === null && n.withdrawalReason === null && n.withheld === 'protected-address')).toBe(true);
    expect(view.payments.items.every((p) => p.documentationRef === null)).toBe(true);
    expect(view.consents.inForce.every((c) => c.purpose === null)).toBe(true);
    expect(view.familyDecisions.inForce?.contactPerson).toEqual({ personId: 'p-kari', name: null });
    const text = JSON.stringify(view);
    for (const leak of [
      'Heimdal',
      'Kari Nordmann',
      'Siri Berg',
      'Barnas stemme',
      'Saupstad',
      SCHOOL,
      'fotball',
      'førerkort',
      'Receipt XXL',
      'Invoice Heimdal',
    ]) {
      expect([leak, text.includes(leak)]).toEqual([leak, false]);
    }
    // What the case needs is still there: NAV's own decisions, and BFT's under Sara's consent.
    expect(view.decisions.map((d) => [d.decisionId, d.status, d.periodUntil])).toEqual([
      // Appealed (the appeal is open) but not suspended (fvl § 42): in force.
      ['d-nav', 'active', '2024-07-31'],
      ['d-qual', 'active', '2024-12-31'],
      ['d-bft', 'active', '2024-12-31'],
    ]);
    expect(view.decisions[0].openAppeal).toMatchObject({ appealId: 'a-nav', receivedDate: '2024-02-15' });
  });

  it('kode 7: members keep their names', () => {
    const { view, maskedMemberIds } = viewAs(nav, kode7);
    expect(maskedMemberIds).toEqual([]);
    expect(view.members.find((m) => m.memberId === 'm-amina')).toMatchObject({ name: 'Amina Hassan', birthDate: '1988-05-02' });
  });

  it('with the clearance everything shows, auditors included', () => {
    const cleared = viewAs({ ...nav, protectedAddressClearance: true }, kode6);
    expect(cleared.view.district).toBe('Heimdal');
    expect(cleared.view.withheld).toBeNull();
    expect(cleared.maskedMemberIds).toEqual([]);
    const auditor = viewAs(actors.auditor, kode6);
    expect(auditor.view.district).toBeNull();
    expect(auditor.maskedMemberIds).toEqual(['m-sara']);
    expect(viewAs({ ...actors.auditor, protectedAddressClearance: true }, kode6).view.district).toBe('Heimdal');
  });
});
