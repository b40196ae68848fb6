import { addDays, ageOn, type LocalDate } from '@familievedtak/domain';
import { addMonths, addYears, dayOf, firstDay, lastDay, monthOf, monthsFromTo, schoolYearStart } from './calendar';
import type { FamilyBuilder, PlannedMember } from './family-builder';
import type { PlanContext } from './plan-context';

/**
 * The ordinary decisions of the five units, each under its own law and for its own members,
 * with periods that end on different days: the fragmentation the pilot described (seed
 * l.4600-4609) and the view's coordination warnings are made of these.
 */

const nok = (kroner: number) => kroner * 100;
const roundTo = (value: number, step: number) => Math.round(value / step) * step;

/** NAV: economic social assistance, the current period and (often) an expired one before it, paid monthly. */
export function socialAssistance(
  f: FamilyBuilder,
  ctx: PlanContext,
  options: { members: PlannedMember[]; householdSize: number; previous?: boolean; payMonths?: number; label?: string },
): { current: string; previous: string | null } {
  const label = options.label ?? 'nav';
  const fromMonth = addMonths(ctx.todayMonth, -f.rng.int(1, 4));
  const from = firstDay(fromMonth);
  const until = lastDay(addMonths(ctx.todayMonth, f.rng.int(0, 5)));
  const monthly = nok(roundTo(2_500 + options.householdSize * f.rng.int(900, 2_400), 100));
  const reasons =
    `Husstandens inntekt er under statens veiledende satser for ${options.householdSize} ${options.householdSize === 1 ? 'person' : 'personer'}. ` +
    'Stønad til livsopphold etter en individuell vurdering av behovet.';
  let previous: string | null = null;
  if (options.previous ?? true) {
    previous = f.decide(`${label}-previous`, {
      unit: 'NAV',
      type: 'economic-social-assistance',
      members: options.members,
      from: firstDay(addMonths(fromMonth, -6)),
      until: addDays(from, -1),
      amounts: { monthlyAmountOre: monthly - nok(500) },
      reasons,
    });
  }
  const current = f.decide(`${label}-current`, {
    unit: 'NAV',
    type: 'economic-social-assistance',
    members: options.members,
    from,
    until,
    amounts: { monthlyAmountOre: monthly },
    reasons,
  });
  // Paid on the first of the month, the months of the current period that have begun.
  for (const month of monthsFromTo(fromMonth, ctx.todayMonth).slice(-(options.payMonths ?? 2))) {
    f.payFromUnit(`${label}-${month}`, 'NAV', {
      recipient: options.members[0],
      amountOre: monthly,
      method: 'bank-transfer',
      paidOn: firstDay(month),
      documentationRef: `NAV-UTB-${month}-${f.key}`,
      decisionId: current,
    });
  }
  if (previous) f.expireIfOver(`${label}-previous`, previous);
  return { current, previous };
}

/** INN: the introduction programme for each adult from a start date, and the benefit that comes with it. */
export function introductionProgramme(
  f: FamilyBuilder,
  ctx: PlanContext,
  options: { adults: PlannedMember[]; from: LocalDate; months: number; payMonths?: number },
): { programmes: string[]; benefits: string[] } {
  const programmes: string[] = [];
  const benefits: string[] = [];
  const until = lastDay(addMonths(monthOf(options.from), options.months - 1));
  for (const adult of options.adults) {
    const programme = f.decide(`intro-programme-${adult.label}`, {
      unit: 'INN',
      type: 'introduction-programme',
      members: [adult],
      from: options.from,
      until,
      reasons: 'Nylig bosatt flyktning med rett og plikt til introduksjonsprogram: norskopplæring, samfunnskunnskap og arbeidspraksis på heltid.',
    });
    // The benefit rule asks for a programme decision in force on the benefit's first day.
    const full = ageOn(adult.birthDate, options.from) >= 25;
    const monthly = full ? nok(21_700) : nok(14_470);
    const benefit = f.decide(`intro-benefit-${adult.label}`, {
      unit: 'INN',
      type: 'introduction-benefit',
      members: [adult],
      from: options.from,
      until,
      amounts: { monthlyAmountOre: monthly },
      reasons: full
        ? 'Deltar i introduksjonsprogram på heltid; full introduksjonsstønad.'
        : 'Deltar i introduksjonsprogram på heltid; under 25 år og får to tredeler av full stønad.',
    });
    const lastPaid = monthOf(until) < ctx.todayMonth ? monthOf(until) : ctx.todayMonth;
    for (const month of monthsFromTo(monthOf(options.from), lastPaid).slice(-(options.payMonths ?? 2))) {
      const paidOn = dayOf(month, 15);
      if (paidOn > ctx.today) continue;
      f.payFromUnit(`intro-${adult.label}-${month}`, 'INN', {
        recipient: adult,
        amountOre: monthly,
        method: 'bank-transfer',
        paidOn,
        documentationRef: `INN-STONAD-${month}-${f.key}-${adult.label}`,
        decisionId: benefit,
      });
    }
    f.expireIfOver(`intro-benefit-${adult.label}`, benefit);
    f.expireIfOver(`intro-programme-${adult.label}`, programme);
    programmes.push(programme);
    benefits.push(benefit);
  }
  return { programmes, benefits };
}

/** OPPVEKST: fee reductions for the kindergarten year (to 31 July) and for SFO (to the end of the school year). */
export function feeReductions(f: FamilyBuilder, ctx: PlanContext): string[] {
  const yearStart = schoolYearStart(ctx.today);
  const nextYear = Number(yearStart.slice(0, 4)) + 1;
  const ageAtStart = (m: PlannedMember) => ageOn(m.birthDate, yearStart);
  const decisions: string[] = [];
  const kindergarten = f.children.filter((c) => c.birthDate <= yearStart && ageAtStart(c) >= 1 && ageAtStart(c) <= 5);
  if (kindergarten.length > 0) {
    decisions.push(
      f.decide('kindergarten-fee', {
        unit: 'OPPVEKST',
        type: 'kindergarten-fee-reduction',
        members: kindergarten,
        from: yearStart,
        until: `${nextYear}-07-31`,
        amounts: { monthlyAmountOre: nok(1_300) * kindergarten.length },
        reasons: 'Husstandens samlede inntekt gir rett til redusert foreldrebetaling og 20 timer gratis kjernetid i barnehagen.',
      }),
    );
  }
  const afterSchool = f.children.filter((c) => ageAtStart(c) >= 6 && ageAtStart(c) <= 9);
  if (afterSchool.length > 0) {
    decisions.push(
      f.decide('after-school-fee', {
        unit: 'OPPVEKST',
        type: 'after-school-fee-reduction',
        members: afterSchool,
        from: yearStart,
        until: `${nextYear}-06-19`,
        amounts: { monthlyAmountOre: nok(1_000) * afterSchool.length },
        reasons: 'Husstandens inntekt gir rett til redusert betaling i SFO.',
      }),
    );
  }
  return decisions;
}

/**
 * BFT: a support measure for one child under 18, for a year that began some months ago.
 * `beforeDecision` runs once the child is chosen and before BFT proposes: where the cohort
 * records the consent or the referral that gives BFT its part (else BFT is referred on the
 * family's consent, or, without one, on the duty to inform about the child).
 */
export function childWelfareMeasure(
  f: FamilyBuilder,
  ctx: PlanContext,
  reasons: string,
  beforeDecision?: (child: PlannedMember) => void,
): { decisionId: string; child: PlannedMember } | null {
  const fromMonth = addMonths(ctx.todayMonth, -f.rng.int(1, 10));
  const from = firstDay(fromMonth);
  const candidates = f.children.filter((c) => c.birthDate < from && ageOn(c.birthDate, from) <= 16);
  if (candidates.length === 0) return null;
  const child = f.rng.pick(candidates);
  beforeDecision?.(child);
  const decisionId = f.decide(`bft-${child.label}`, {
    unit: 'BFT',
    type: 'child-welfare-support-measure',
    members: [child],
    from,
    until: lastDay(addMonths(fromMonth, 11)),
    reasons,
  });
  return { decisionId, child };
}

/** HVK: a health and care service for an adult. */
export function adultHealthService(f: FamilyBuilder, ctx: PlanContext, adult: PlannedMember, reasons: string): string {
  return f.decide(`hvk-health-${adult.label}`, {
    unit: 'HVK',
    type: 'adult-health-care-service',
    members: [adult],
    from: firstDay(addMonths(ctx.todayMonth, -f.rng.int(2, 14))),
    until: lastDay(addMonths(ctx.todayMonth, f.rng.int(1, 9))),
    reasons,
  });
}

/** HVK: municipal housing for the household, on a three-year tenancy. */
export function municipalHousing(f: FamilyBuilder, from: LocalDate, reasons: string): string {
  return f.decide('hvk-housing', {
    unit: 'HVK',
    type: 'municipal-housing',
    members: f.members.filter((m) => m.birthDate <= from),
    from,
    until: addDays(addYears(from, 3), -1),
    reasons,
  });
}
