import { ADULT_AGE, ageOn, formatNok, UNITS, type LocalDate, type Ore, type Unit } from '@familievedtak/domain';
import { planSteps, type DemoPlan } from './demo-plan';
import { partnersOf } from './demo-sub-projects';
import type { Cohort } from './family-builder';

type Money = { count: number; totalOre: Ore };

/** What the plan holds, counted from its commands (the same numbers an auditor would count in the log). */
export type DemoSummary = {
  commands: number;
  families: number;
  members: number;
  children: number;
  withoutNationalId: number;
  /** Members at a protected address: kode 7 (fortrolig) and kode 6 (strengt fortrolig). */
  addressProtection: { fortrolig: number; strengtFortrolig: number };
  /** Child-holder relations of parental responsibility recorded at registration. */
  parentalResponsibility: number;
  cohorts: Record<string, { families: number; members: number; children: number }>;
  subProjects: number;
  reviews: { continue: number; terminate: number };
  /** Approved ordinary unit decisions (enkeltvedtak), by deciding unit. */
  decisionsByUnit: Record<Unit, number>;
  pilotSupportDecisions: number;
  expiredDecisions: number;
  payments: Money & { pilot: Money; unit: Money; bySubProject: Record<string, Money> };
  /** Parts in the case by the act that gave them: registering the family, or accepting a referral. */
  parts: { registered: number; referralAccepted: number };
  /** Referrals by legal ground. */
  referrals: { consent: number; dutyToInform: number };
  /** Enrolments in sub-projects (by their responsible units), and the partners they name. */
  enrolments: { count: number; members: number; partners: number };
  needs: { expressed: number; resolved: number; open: number; byPartners: number };
  consents: {
    given: number;
    byKind: { informationSharing: number; coordination: number; combineFamilyDecision: number };
    /** Who gave it, judged on ages today: an adult for themself, a holder of parental responsibility for a child, a 16-17-year-old for health. */
    byGiver: { adultSelf: number; parentalResponsibility: number; youngPersonHealth: number };
    evidence: { written: number; oral: number };
    withdrawn: number;
  };
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
    addressProtection: { fortrolig: 0, strengtFortrolig: 0 },
    parentalResponsibility: 0,
    cohorts,
    subProjects: plan.subProjects.length,
    reviews: { continue: 0, terminate: 0 },
    decisionsByUnit: Object.fromEntries(UNITS.map((u) => [u, 0])) as Record<Unit, number>,
    pilotSupportDecisions: 0,
    expiredDecisions: 0,
    payments: { ...money(), pilot: money(), unit: money(), bySubProject: {} },
    parts: { registered: 0, referralAccepted: 0 },
    referrals: { consent: 0, dutyToInform: 0 },
    enrolments: { count: 0, members: 0, partners: 0 },
    needs: { expressed: 0, resolved: 0, open: 0, byPartners: 0 },
    consents: {
      given: 0,
      byKind: { informationSharing: 0, coordination: 0, combineFamilyDecision: 0 },
      byGiver: { adultSelf: 0, parentalResponsibility: 0, youngPersonHealth: 0 },
      evidence: { written: 0, oral: 0 },
      withdrawn: 0,
    },
    familyDecisions: 0,
    appeals: 0,
  };
  const add = (m: Money, amount: Ore) => {
    m.count++;
    m.totalOre += amount;
  };
  const birthDates = new Map<string, LocalDate>();
  const partnersBySubProject = new Map(plan.subProjects.map((sp) => [sp.subProjectId, partnersOf(sp).length] as const));
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
        summary.addressProtection.fortrolig += command.data.members.filter((m) => m.addressProtection === 'fortrolig').length;
        summary.addressProtection.strengtFortrolig += command.data.members.filter((m) => m.addressProtection === 'strengt-fortrolig').length;
        summary.parentalResponsibility += command.data.parentalResponsibility?.length ?? 0;
        summary.parts.registered++;
        for (const m of command.data.members) birthDates.set(m.memberId!, m.birthDate);
        break;
      }
      case 'ReferToUnit':
        if (command.data.ground === 'duty-to-inform-child-welfare') summary.referrals.dutyToInform++;
        else summary.referrals.consent++;
        break;
      case 'AcceptReferral':
        summary.parts.referralAccepted++;
        break;
      case 'EnrolInSubProject':
        summary.enrolments.count++;
        summary.enrolments.members += command.data.memberIds.length;
        summary.enrolments.partners += partnersBySubProject.get(command.data.subProjectId) ?? 0;
        break;
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
        if (step.actor.role === 'partner') summary.needs.byPartners++;
        break;
      case 'ResolveNeed':
        summary.needs.resolved++;
        break;
      case 'GiveConsent': {
        const { consents } = summary;
        consents.given++;
        const kind = command.data.kind;
        if (kind === 'information-sharing') consents.byKind.informationSharing++;
        else if (kind === 'coordination') consents.byKind.coordination++;
        else consents.byKind.combineFamilyDecision++;
        const self = command.data.givenByMemberId === command.data.memberId;
        const adult = ageOn(birthDates.get(command.data.memberId)!, plan.today) >= ADULT_AGE;
        if (!self) consents.byGiver.parentalResponsibility++;
        else if (adult) consents.byGiver.adultSelf++;
        else consents.byGiver.youngPersonHealth++;
        consents.evidence[command.data.evidence.form]++;
        break;
      }
      case 'WithdrawConsent':
        summary.consents.withdrawn++;
        break;
      case 'IssueFamilyDecision':
        summary.familyDecisions++;
        break;
      case 'RegisterAppeal':
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
    ...Object.entries(s.cohorts).map(
      ([cohort, c]) => `  ${cohort.padEnd(13)} ${String(c.families).padStart(4)} families, ${c.members} members, ${c.children} children`,
    ),
    `sub-projects ${s.subProjects}: reviews ${s.reviews.continue} continue, ${s.reviews.terminate} terminated for low goal attainment`,
    `decisions approved by unit: ${Object.entries(s.decisionsByUnit)
      .map(([u, n]) => `${u} ${n}`)
      .join(', ')}; pilot support ${s.pilotSupportDecisions}; expired ${s.expiredDecisions}`,
    `payments ${nok(s.payments)}: from sub-projects ${nok(s.payments.pilot)}, from units ${nok(s.payments.unit)}`,
    ...Object.entries(s.payments.bySubProject).map(([id, m]) => `  ${(names.get(id) ?? id).padEnd(32)} ${nok(m)}`),
    `parts in the case ${s.parts.registered + s.parts.referralAccepted}: by registering ${s.parts.registered}, by accepting a referral ${s.parts.referralAccepted}; ` +
      `referrals on consent ${s.referrals.consent}, on the duty to inform child welfare ${s.referrals.dutyToInform}`,
    `enrolments in sub-projects ${s.enrolments.count} (${s.enrolments.members} members, naming ${s.enrolments.partners} partners by organisation number); ` +
      `parental responsibility ${s.parentalResponsibility}; protected address kode 7 ${s.addressProtection.fortrolig}, kode 6 ${s.addressProtection.strengtFortrolig} members`,
    `needs ${s.needs.expressed} (written down by partners ${s.needs.byPartners}): resolved ${s.needs.resolved}, open ${s.needs.open}`,
    `consents ${s.consents.given}: information-sharing ${s.consents.byKind.informationSharing}, coordination ${s.consents.byKind.coordination}, ` +
      `to combine a family decision ${s.consents.byKind.combineFamilyDecision}; given by the adult ${s.consents.byGiver.adultSelf}, ` +
      `by a holder of parental responsibility ${s.consents.byGiver.parentalResponsibility}, by a 16-17-year-old (health) ${s.consents.byGiver.youngPersonHealth}; ` +
      `written ${s.consents.evidence.written}, oral ${s.consents.evidence.oral}; withdrawn ${s.consents.withdrawn}`,
    `family decisions ${s.familyDecisions}; appeals ${s.appeals}`,
  ];
}
