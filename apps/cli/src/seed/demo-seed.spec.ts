import { randomUUID } from 'node:crypto';
import { Clock, PostgresEventStore } from '@familievedtak/event-store';
import {
  ageOn,
  compareSemesters,
  decideFamily,
  decideSubProject,
  evolveFamily,
  evolveSubProject,
  initialFamilyState,
  initialSubProjectState,
  remainingBudget,
  semesterOf,
  TRONDHEIM_2023_RULE_SET,
  type FamilyState,
  type SubProjectFacts,
  type SubProjectState,
} from '@familievedtak/domain';
import { createTestDatabase, TestDatabase } from '../../../../test/support/test-database';
import { FamilyCommandsService } from '../../../api/src/families/family-commands.service';
import { RuleSetRegistry } from '../../../api/src/rules/rule-set-registry.service';
import { SubProjectCommandsService } from '../../../api/src/sub-projects/sub-project-commands.service';
import { planDemo, planSteps, type DemoPlan } from './demo-plan';
import { runDemoPlan, type DemoSeedResult } from './demo-seeder';
import { summarisePlan } from './demo-summary';
import { CHILD_MONEY_ORE } from './refugee-cohort';

/** A pinned day, so the test sees the same history whenever it runs. */
const TODAY = '2026-11-27';
const clock: Clock = { now: () => new Date(`${TODAY}T10:00:00Z`) };

describe('seed demo: the pilot through the API command services (PostgreSQL)', () => {
  let db: TestDatabase;
  let store: PostgresEventStore;
  let families: FamilyCommandsService;
  let subProjects: SubProjectCommandsService;
  let plan: DemoPlan;
  let first: DemoSeedResult;
  const states = new Map<string, FamilyState>();
  const budgets = new Map<string, SubProjectState>();

  beforeAll(async () => {
    db = await createTestDatabase(10);
    store = new PostgresEventStore({ pool: db.pool });
    await store.migrate();
    subProjects = new SubProjectCommandsService(store, clock);
    families = new FamilyCommandsService(store, clock, subProjects, new RuleSetRegistry(store));
    // A tenth of the other cohorts; the twelve refugee families are always all there.
    plan = planDemo({ seed: 2023, scale: 0.1, today: TODAY });
    first = await runDemoPlan(plan, { families, subProjects, store });
    for (const f of plan.families) states.set(f.familyId, (await families.load(f.familyId)).state);
    for (const sp of plan.subProjects) budgets.set(sp.subProjectId, (await subProjects.load(sp.subProjectId)).state);
  }, 120_000);

  afterAll(async () => {
    await db.drop();
  });

  const refugees = () => plan.families.filter((f) => f.cohort === 'flyktning').map((f) => states.get(f.familyId)!);
  const allPayments = () => [...states.values()].flatMap((s) => Object.values(s.payments));

  it('stores every planned command, none refused', () => {
    expect(first.replayed).toBe(0);
    expect(first.commands).toBe(planSteps(plan).length);
    // Each sub-project payment also spends from its budget stream: more events than commands.
    expect(first.eventsAppended).toBeGreaterThan(first.commands);
    expect([...states.values()].every((s) => s.status === 'registered')).toBe(true);
  });

  it('has the twelve refugee families with 52 children, one to eight each, some without a national id', () => {
    const sizes = refugees().map((s) => Object.values(s.members).filter((m) => m.role === 'child').length);
    expect(sizes).toHaveLength(12);
    expect(sizes.reduce((a, b) => a + b, 0)).toBe(52);
    expect([...sizes].sort((a, b) => a - b)).toEqual([1, 2, 3, 3, 4, 4, 4, 5, 5, 6, 7, 8]);
    const members = [...states.values()].flatMap((s) => Object.values(s.members));
    expect(members.some((m) => m.nationalId === null)).toBe(true);
  });

  it('pays each refugee family 1,600 NOK per child every month of the pilot, from its sub-project', () => {
    const subProjectId = plan.subProjects.find((sp) => sp.key === 'flyktning')!.subProjectId;
    for (const family of refugees()) {
      const children = Object.values(family.members).filter((m) => m.role === 'child').length;
      const childMoney = Object.values(family.payments).filter((p) => p.funding.kind === 'sub-project' && p.funding.subProjectId === subProjectId);
      // 2024-07 to 2026-06: four semesters of six months.
      expect(childMoney).toHaveLength(24);
      expect(new Set(childMoney.map((p) => p.paidOn.slice(0, 7))).size).toBe(24);
      for (const p of childMoney) {
        expect(p.amountOre).toBe(children * CHILD_MONEY_ORE);
        expect(p.paidOn <= TODAY).toBe(true);
      }
    }
    // 52 children x 1,600 NOK x 6 months = 499,200 NOK of each 500,000 NOK semester.
    const budget = budgets.get(subProjectId)!;
    for (const semester of budget.semesters) expect(budget.spentBySemester[semester]).toBe(52 * CHILD_MONEY_ORE * 6);
  });

  it('overspends no sub-project, and the three stopped at a review spent nothing after it', () => {
    for (const budget of budgets.values()) {
      for (const semester of budget.semesters) expect(remainingBudget(budget, semester)).toBeGreaterThanOrEqual(0);
    }
    const stopped = [...budgets.values()].filter((b) => b.status === 'terminated');
    expect(new Set(stopped.map((b) => b.name))).toEqual(new Set(['Praktisk grunnskole', 'Som de andre', 'På egne ben, men ikke alene']));
    for (const budget of stopped) {
      const last = Object.values(budget.reviews).find((r) => r.outcome === 'terminate')!.semester;
      for (const spend of Object.values(budget.spends)) expect(compareSemesters(semesterOf(spend.spentOn), last)).toBeLessThanOrEqual(0);
    }
  });

  it('never counts pilot money as income, while unit benefits do count', () => {
    const payments = allPayments();
    const pilot = payments.filter((p) => p.funding.kind === 'sub-project');
    expect(pilot.length).toBeGreaterThan(300);
    expect(pilot.every((p) => p.countsAsIncome === false)).toBe(true);
    expect(payments.some((p) => p.funding.kind === 'unit' && p.countsAsIncome)).toBe(true);
    expect(new Set(pilot.map((p) => p.method))).toEqual(new Set(['bank-transfer', 'gift-card', 'supplier-payment', 'collective-event', 'equipment-lent']));
  });

  it('decides with four eyes in the same unit, across all five units, and holds the walk-through cases', () => {
    const decisions = [...states.values()].flatMap((s) => Object.values(s.decisions));
    for (const d of decisions) {
      expect(d.approvedBy).not.toBeNull();
      expect(d.approvedBy!.userId).not.toBe(d.proposedBy.userId);
      expect(d.approvedBy!.unit).toBe(d.unit);
    }
    expect(new Set(decisions.map((d) => d.unit))).toEqual(new Set(['HVK', 'BFT', 'NAV', 'INN', 'OPPVEKST']));
    expect(decisions.some((d) => d.status === 'expired')).toBe(true);
    const all = [...states.values()];
    // One appeal registered with the deciding unit, awaiting its assessment (fvl §§ 32-33).
    expect(all.flatMap((s) => Object.values(s.appeals)).map((a) => a.stage)).toEqual(['registered']);
    expect(all.flatMap((s) => Object.values(s.familyDecisions)).length).toBeGreaterThanOrEqual(2);
    expect(all.flatMap((s) => Object.values(s.consents)).filter((c) => c.withdrawnFrom !== null)).toHaveLength(1);
    const needs = all.flatMap((s) => Object.values(s.needs));
    expect(needs.some((n) => n.status === 'resolved' && n.paymentIds.length > 0)).toBe(true);
    expect(needs.some((n) => n.status === 'open' && n.pickedUpBy.length === 0)).toBe(true);
  });

  it('gives a unit a part only by registering the family or accepting a referral, on consent or the duty to inform', () => {
    const referrals = [...states.values()].flatMap((s) => Object.values(s.referrals));
    for (const state of states.values()) {
      const parts = Object.values(state.parts);
      expect(parts.filter((p) => p.act.kind === 'registered')).toHaveLength(1);
      for (const part of parts) {
        expect(part.active).toBe(true);
        expect(['registered', 'referral-accepted']).toContain(part.act.kind);
      }
      // Every unit that wrote to the family had a part: decided, paid, picked up a need, recorded a consent.
      const writers = new Set([
        ...Object.values(state.decisions).map((d) => d.unit),
        ...Object.values(state.payments).map((p) => p.recordedBy.unit),
        ...Object.values(state.needs).flatMap((n) => [...n.pickedUpBy.map((p) => p.unit), ...(n.recordedBy.kind === 'unit' ? [n.recordedBy.unit] : [])]),
        ...Object.values(state.consents).map((c) => c.recordedBy.unit),
      ]);
      for (const unit of writers) expect(state.parts[unit!]?.active).toBe(true);
      for (const referral of Object.values(state.referrals)) {
        expect(referral.status).toBe('accepted');
        if (referral.ground === 'duty-to-inform-child-welfare') {
          expect(referral.toUnit).toBe('BFT');
          for (const id of referral.memberIds) expect(ageOn(state.members[id].birthDate, TODAY)).toBeLessThan(18);
        } else {
          expect(referral.consentIds).toHaveLength(referral.memberIds.length);
        }
      }
    }
    expect(new Set(referrals.map((r) => r.ground))).toEqual(new Set(['consent', 'duty-to-inform-child-welfare']));
    expect(new Set(referrals.map((r) => r.toUnit))).toEqual(new Set(['HVK', 'BFT', 'NAV', 'OPPVEKST']));
  });

  it('records parental responsibility and consents from entitled givers, with sources, evidence and an end date', () => {
    for (const state of states.values()) {
      for (const member of Object.values(state.members)) {
        const holders = Object.values(state.parentalResponsibility).filter((r) => r.childId === member.memberId && r.active);
        if (ageOn(member.birthDate, TODAY) < 18) expect(holders.length).toBeGreaterThanOrEqual(1);
        else expect(holders).toHaveLength(0);
      }
      for (const consent of Object.values(state.consents)) {
        const age = ageOn(state.members[consent.memberId].birthDate, TODAY);
        if (age >= 18) expect(consent.givenByMemberId).toBe(consent.memberId);
        else if (age >= 16 && consent.dataCategories.includes('health')) {
          expect(consent.givenByMemberId).toBe(consent.memberId);
          expect(consent.dataCategories).toEqual(['health']);
        } else expect(state.parentalResponsibility[`${consent.memberId}:${consent.givenByMemberId}`]?.active).toBe(true);
        expect(consent.validUntil! >= TODAY).toBe(true);
        expect(consent.evidence).not.toBeNull();
        if (consent.kind === 'information-sharing') expect(consent.sourceUnits!.length).toBeGreaterThan(0);
        else expect(consent.sourceUnits).toBeNull();
        if (consent.withdrawal) {
          expect(consent.withdrawal.expressedByMemberId).toBe(consent.memberId);
          expect(consent.withdrawal.channel).not.toBeNull();
        }
      }
      // The coordinating unit was named with every adult's consent to it.
      if (state.coordinatingUnit) {
        for (const adult of Object.values(state.members).filter((m) => m.role === 'adult')) {
          const coordination = Object.values(state.consents).filter((c) => c.kind === 'coordination' && c.memberId === adult.memberId);
          expect(coordination.some((c) => c.toUnits.includes(state.coordinatingUnit!))).toBe(true);
        }
      }
    }
    const consents = [...states.values()].flatMap((s) => Object.values(s.consents));
    expect(consents.some((c) => c.givenAsGuardian)).toBe(true);
    // A 16-year-old's own consent to sharing their health information.
    const young = [...states.values()].flatMap((s) =>
      Object.values(s.consents).filter((c) => ageOn(s.members[c.memberId].birthDate, TODAY) < 18 && c.givenByMemberId === c.memberId),
    );
    expect(young.length).toBeGreaterThan(0);
    expect(new Set(consents.map((c) => c.evidence!.form))).toEqual(new Set(['written', 'oral']));
    expect(new Set(consents.map((c) => c.kind))).toEqual(new Set(['information-sharing', 'coordination', 'combine-family-decision']));
  });

  it('enrols the pilot families by the responsible unit; partners act by organisation number for enrolled members only', () => {
    for (const f of plan.families) {
      const state = states.get(f.familyId)!;
      const enrolments = Object.values(state.enrolments);
      if (f.cohort === 'ordinary') expect(enrolments).toHaveLength(0);
      else expect(enrolments.length).toBeGreaterThanOrEqual(1);
      for (const enrolment of enrolments) {
        expect(enrolment.enrolledBy.unit).toBe(enrolment.responsibleUnit);
        for (const partner of enrolment.partners) expect(partner.organisationNumber).toMatch(/^\d{9}$/);
      }
      for (const need of Object.values(state.needs).filter((n) => n.recordedBy.kind === 'partner')) {
        const org = need.recordedBy.kind === 'partner' ? need.recordedBy.organisationNumber : null;
        expect(org).toMatch(/^\d{9}$/);
        const covering = enrolments.filter((e) => e.partners.some((p) => p.organisationNumber === org));
        const members = need.memberId ? [need.memberId] : Object.keys(state.members);
        expect(covering.some((e) => members.every((id) => e.memberIds.includes(id)))).toBe(true);
      }
      for (const person of Object.values(state.team).filter((p) => p.affiliation.kind === 'partner')) {
        expect(person.affiliation.kind === 'partner' && person.affiliation.organisationNumber).toMatch(/^\d{9}$/);
      }
    }
    const needs = [...states.values()].flatMap((s) => Object.values(s.needs));
    expect(needs.filter((n) => n.recordedBy.kind === 'partner').length).toBeGreaterThan(10);
  });

  it('has members at a confidential (kode 7) and a strictly confidential (kode 6) address', () => {
    const members = [...states.values()].flatMap((s) => Object.values(s.members));
    expect(members.some((m) => m.addressProtection === 'fortrolig')).toBe(true);
    expect(members.some((m) => m.addressProtection === 'strengt-fortrolig')).toBe(true);
    expect(members.filter((m) => m.addressProtection !== 'none').every((m) => m.protectedAddress)).toBe(true);
  });

  it('prints a summary that counts what the store holds', () => {
    const summary = summarisePlan(plan);
    const all = [...states.values()];
    const parts = all.flatMap((s) => Object.values(s.parts));
    const referrals = all.flatMap((s) => Object.values(s.referrals));
    const consents = all.flatMap((s) => Object.values(s.consents));
    expect(summary.parts).toEqual({
      registered: parts.filter((p) => p.act.kind === 'registered').length,
      referralAccepted: parts.filter((p) => p.act.kind === 'referral-accepted').length,
    });
    expect(summary.referrals).toEqual({
      consent: referrals.filter((r) => r.ground === 'consent').length,
      dutyToInform: referrals.filter((r) => r.ground === 'duty-to-inform-child-welfare').length,
    });
    expect(summary.enrolments.count).toBe(all.flatMap((s) => Object.values(s.enrolments)).length);
    expect(summary.parentalResponsibility).toBe(all.flatMap((s) => Object.values(s.parentalResponsibility)).length);
    expect(summary.consents.given).toBe(consents.length);
    expect(summary.consents.byGiver.parentalResponsibility).toBe(consents.filter((c) => c.givenAsGuardian).length);
    expect(summary.consents.evidence.oral).toBe(consents.filter((c) => c.evidence?.form === 'oral').length);
  });

  it('a second run appends nothing', async () => {
    const second = await runDemoPlan(plan, { families, subProjects, store });
    expect(second.eventsAppended).toBe(0);
    expect(second.replayed).toBe(second.commands);
  }, 60_000);

  it('plans the same for the same seed, and different ids for another seed', () => {
    const again = planDemo({ seed: 2023, scale: 0.1, today: TODAY });
    expect(JSON.stringify(again)).toBe(JSON.stringify(plan));
    const other = planDemo({ seed: 7, scale: 0.1, today: TODAY });
    expect(other.families[0].familyId).not.toBe(plan.families[0].familyId);
    expect(summarisePlan(plan).families).toBe(plan.families.length);
  });
});

/**
 * The plan depends on the day it is made (history up to last month, periods around today),
 * so it is run through the pure deciders on days from early in the pilot to years after it:
 * the seed must be refused nothing whenever someone runs it.
 */
describe('seed demo plan: accepted by the domain on any day', () => {
  /** As FamilyCommandsService reads them from the sub-project's stream. */
  function subProjectFacts(state: SubProjectState, subProjectId: string): SubProjectFacts {
    return {
      subProjectId,
      responsibleUnit: state.responsibleUnit!,
      name: state.name!,
      partners: state.actors.flatMap((a) =>
        !a.municipal && a.organisationNumber
          ? [{ organisationNumber: a.organisationNumber, name: a.name, mayRecordPayments: a.mayRecordPayments === true }]
          : [],
      ),
      active: state.status !== 'terminated',
    };
  }

  function decideAll(plan: DemoPlan, now: Date): void {
    const families = new Map<string, FamilyState>();
    const budgets = new Map<string, SubProjectState>();
    for (const step of planSteps(plan)) {
      const context = { now, newId: randomUUID, actor: step.actor, ruleSet: TRONDHEIM_2023_RULE_SET };
      try {
        if (step.stream === 'sub-project') {
          const state = budgets.get(step.streamKey) ?? initialSubProjectState();
          budgets.set(step.streamKey, decideSubProject(step.command, state, context).reduce(evolveSubProject, state));
          continue;
        }
        let { command } = step;
        if (command.type === 'RecordPayment' && command.data.funding.kind === 'sub-project') {
          // What FamilyCommandsService does first: spend from the sub-project's budget, and take its responsible unit from its stream.
          const id = command.data.funding.subProjectId;
          const budget = budgets.get(id)!;
          const spend = {
            paymentId: command.data.paymentId!,
            amountOre: command.data.amountOre,
            category: command.data.method,
            spentOn: command.data.paidOn,
            familyId: step.streamKey,
          };
          budgets.set(id, decideSubProject({ type: 'RecordSpend', data: spend }, budget, context).reduce(evolveSubProject, budget));
          command = { ...command, data: { ...command.data, subProject: { subProjectId: id, responsibleUnit: budget.responsibleUnit! } } };
        }
        if (command.type === 'EnrolInSubProject') {
          // ... and the sub-project's facts for an enrolment (the plan never carries them).
          expect(command.data.subProject).toBeUndefined();
          command = { ...command, data: { ...command.data, subProject: subProjectFacts(budgets.get(command.data.subProjectId)!, command.data.subProjectId) } };
        }
        const state = families.get(step.streamKey) ?? initialFamilyState();
        families.set(step.streamKey, decideFamily(command, state, context).reduce(evolveFamily, state));
      } catch (error) {
        throw new Error(`${step.idempotencyKey} (${step.command.type}) refused on ${now.toISOString()}: ${(error as Error).message}`);
      }
    }
  }

  it.each(['2024-09-02', '2025-02-10', '2025-08-01', '2026-01-01', '2026-11-27', '2027-07-31', '2029-03-15'])('on %s', (today) => {
    const plan = planDemo({ seed: 2023, scale: 1, today });
    expect(() => decideAll(plan, new Date(`${today}T12:00:00Z`))).not.toThrow();
  });

  it('refuses to plan before the pilot has any history', () => {
    expect(() => planDemo({ seed: 2023, scale: 1, today: '2024-07-15' })).toThrow(/too early/);
  });
});
