import { formatNok, UNITS, type Ore, type Unit } from '@familievedtak/domain';
import { planSteps, type DemoPlan } from './demo-plan';
import type { Cohort } from './family-builder';

type Money = { count: number; totalOre: Ore };

/** What the plan holds, counted from its commands (the same numbers an auditor would count in the log). */
export type DemoSummary = {
  commands: number;
  families: number;
  members: number;
  children: number;
  withoutNationalId: number;
  cohorts: Record<string, { families: number; members: number; children: number }>;
  subProjects: number;
  reviews: { continue: number; terminate: number };
  /** Approved ordinary unit decisions (enkeltvedtak), by deciding unit. */
  decisionsByUnit: Record<Unit, number>;
  pilotSupportDecisions: number;
  expiredDecisions: number;
  payments: Money & { pilot: Money; unit: Money; bySubProject: Record<string, Money> };
  needs: { expressed: number; resolved: number; open: number };
  consents: { given: number; combineFamilyDecision: number; withdrawn: number };
  familyDecisions: number;
  appeals: number;
};

export function summarisePlan(plan: DemoPlan): DemoSummary {
  const cohortOf = new Map(plan.families.map((f) => [f.familyId, f.cohort] as const));
  const cohorts: DemoSummary['cohorts'] = {};
  const decisionUnit = new Map<string, { unit: Unit; pilot: boolean }>();
  const money = (): Money => ({ count: 0, totalOre: 0 });
  const summary: DemoSummary = {
    commands: 0,
    families: 0,
    members: 0,
    children: 0,
    withoutNationalId: 0,
    cohorts,
    subProjects: plan.subProjects.length,
    reviews: { continue: 0, terminate: 0 },
    decisionsByUnit: Object.fromEntries(UNITS.map((u) => [u, 0])) as Record<Unit, number>,
    pilotSupportDecisions: 0,
    expiredDecisions: 0,
    payments: { ...money(), pilot: money(), unit: money(), bySubProject: {} },
    needs: { expressed: 0, resolved: 0, open: 0 },
    consents: { given: 0, combineFamilyDecision: 0, withdrawn: 0 },
    familyDecisions: 0,
    appeals: 0,
  };
  const add = (m: Money, amount: Ore) => {
    m.count++;
    m.totalOre += amount;
  };
  for (const step of planSteps(plan)) {
    summary.commands++;
    const { command } = step;
    switch (command.type) {
      case 'RegisterFamily': {
        const cohort: Cohort = cohortOf.get(command.data.familyId)!;
        const entry = (cohorts[cohort] ??= { families: 0, members: 0, children: 0 });
        const children = command.data.members.filter((m) => m.role === 'child').length;
        entry.families++;
        entry.members += command.data.members.length;
        entry.children += children;
        summary.families++;
        summary.members += command.data.members.length;
        summary.children += children;
        summary.withoutNationalId += command.data.members.filter((m) => !m.nationalId).length;
        break;
      }
      case 'ProposeDecision':
        decisionUnit.set(command.data.decisionId!, { unit: command.data.unit, pilot: command.data.decisionType === 'pilot-support' });
        break;
      case 'ApproveDecision': {
        const decision = decisionUnit.get(command.data.decisionId)!;
        if (decision.pilot) summary.pilotSupportDecisions++;
        else summary.decisionsByUnit[decision.unit]++;
        break;
      }
      case 'ExpireDecision':
        summary.expiredDecisions++;
        break;
      case 'RecordPayment': {
        const { amountOre, funding } = command.data;
        add(summary.payments, amountOre);
        if (funding.kind === 'sub-project') {
          add(summary.payments.pilot, amountOre);
          add((summary.payments.bySubProject[funding.subProjectId] ??= money()), amountOre);
        } else {
          add(summary.payments.unit, amountOre);
        }
        break;
      }
      case 'ExpressNeed':
        summary.needs.expressed++;
        break;
      case 'ResolveNeed':
        summary.needs.resolved++;
        break;
      case 'GiveConsent':
        summary.consents.given++;
        if (command.data.kind === 'combine-family-decision') summary.consents.combineFamilyDecision++;
        break;
      case 'WithdrawConsent':
        summary.consents.withdrawn++;
        break;
      case 'IssueFamilyDecision':
        summary.familyDecisions++;
        break;
      case 'ReceiveAppeal':
        summary.appeals++;
        break;
      case 'ReviewSubProject':
        summary.reviews[command.data.outcome]++;
        break;
      default:
        break;
    }
  }
  summary.needs.open = summary.needs.expressed - summary.needs.resolved;
  return summary;
}

/** The summary as the lines the CLI prints. */
export function formatSummary(plan: DemoPlan, s: DemoSummary): string[] {
  const nok = (m: Money) => `${m.count} (${formatNok(m.totalOre)})`;
  const names = new Map(plan.subProjects.map((sp) => [sp.subProjectId, sp.name]));
  return [
    `families ${s.families}, members ${s.members} (children ${s.children}, without national id ${s.withoutNationalId})`,
    ...Object.entries(s.cohorts).map(([cohort, c]) => `  ${cohort.padEnd(13)} ${String(c.families).padStart(4)} families, ${c.members} members, ${c.children} children`),
    `sub-projects ${s.subProjects}: reviews ${s.reviews.continue} continue, ${s.reviews.terminate} terminated for low goal attainment`,
    `decisions approved by unit: ${Object.entries(s.decisionsByUnit).map(([u, n]) => `${u} ${n}`).join(', ')}; pilot support ${s.pilotSupportDecisions}; expired ${s.expiredDecisions}`,
    `payments ${nok(s.payments)}: from sub-projects ${nok(s.payments.pilot)}, from units ${nok(s.payments.unit)}`,
    ...Object.entries(s.payments.bySubProject).map(([id, m]) => `  ${(names.get(id) ?? id).padEnd(32)} ${nok(m)}`),
    `needs ${s.needs.expressed}: resolved ${s.needs.resolved}, open ${s.needs.open}`,
    `consents ${s.consents.given} (to combine a family decision ${s.consents.combineFamilyDecision}), withdrawn ${s.consents.withdrawn}; family decisions ${s.familyDecisions}; appeals ${s.appeals}`,
  ];
}
