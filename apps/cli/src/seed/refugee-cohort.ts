import { ADULT_AGE, ageOn, CHILD_SELF_CONSENT_AGE, type Unit } from '@familievedtak/domain';
import { addMonths, dayOf, firstDay, lastDay, maxDate, monthOf, semesterFirstMonth, semesterLastMonth } from './calendar';
import { adult, child, siblingAges } from './demo-people';
import { PARTNERS } from './demo-staff';
import { DISTRICTS, NEEDS, ORIGINS, REFUGEE_ORIGINS } from './demo-words';
import { FamilyBuilder } from './family-builder';
import type { PlanContext } from './plan-context';
import { adultHealthService, childWelfareMeasure, feeReductions, introductionProgramme, municipalHousing, socialAssistance } from './unit-decisions';

/** Twelve families, 52 children, one to eight children each (seed l.1911, l.3221-3225; brief: sizes 1-8). */
export const REFUGEE_CHILDREN_PER_FAMILY = [8, 7, 6, 5, 5, 4, 4, 4, 3, 3, 2, 1] as const;
/** The family (by position in the cohort) at a confidential address (kode 7). */
const PROTECTED_FAMILY_INDEX = 5;
const ALL_UNITS: Unit[] = ['INN', 'NAV', 'HVK', 'BFT', 'OPPVEKST'];

/** 1,600 NOK per child per month, paid to the family's account, for them to spend as they choose. */
export const CHILD_MONEY_ORE = 160_000;

/**
 * "Flyktningefamilien i sentrum": refugee families with little schooling, on social
 * assistance, who received 1,600 NOK per child per month for two years on top of what they
 * already had (seed l.1945-1960). Six months of 52 children is 499,200 NOK, inside the
 * 500,000 NOK semester budget: the design the sub-project's budget was sized for. The
 * families are also the ones with the most units around them: INN, NAV, OPPVEKST, BFT, HVK.
 */
export function planRefugeeFamilies(ctx: PlanContext): FamilyBuilder[] {
  const subProject = ctx.subProjects.flyktning;
  const cohortRng = ctx.rng('flyktning');
  const sizes = cohortRng.shuffle(REFUGEE_CHILDREN_PER_FAMILY);
  const familyDecisionAt = new Set(cohortRng.sample([...sizes.keys()], 2));
  const giftCardsFirst = new Set(cohortRng.sample([...sizes.keys()], 2));

  const pilotFrom = firstDay(semesterFirstMonth(subProject.semesters[0]));
  const pilotUntil = lastDay(semesterLastMonth(subProject.semesters[subProject.semesters.length - 1]));
  const paidMonths = ctx.payingMonths('flyktning').slice(0, ctx.childMoneyMonths);
  // Half a year past the pilot, and never already past: a consent is given for a time ahead.
  const consentUntil = maxDate(lastDay(addMonths(monthOf(pilotUntil), 6)), ctx.lastDayMonthsAhead(12));

  return sizes.map((childCount, index) => {
    const key = `flyktning-${String(index + 1).padStart(2, '0')}`;
    const f = new FamilyBuilder(ctx, key, 'flyktning', ctx.rng(key));
    const { rng } = f;
    const originKey = rng.pick(REFUGEE_ORIGINS);
    const surname = rng.pick(ORIGINS[originKey].surnames);
    const motherAge = rng.int(27, 44);
    const members = [adult(rng, 'mother', 'f', motherAge, pilotFrom, surname, { origin: originKey, hasNationalId: true })];
    if (rng.chance(0.75)) members.push(adult(rng, 'father', 'm', motherAge + rng.int(0, 8), pilotFrom, surname, { origin: originKey, hasNationalId: true }));
    const taken = new Set<string>();
    siblingAges(rng, childCount, 3).forEach((age, i) => {
      // Youth who came without papers have no national id (seed l.3297-3308).
      const hasNationalId = !(age >= 14 && rng.chance(0.6));
      members.push(child(rng, `child-${i + 1}`, age, pilotFrom, surname, { origin: originKey, hasNationalId }, taken));
    });
    f.register(
      DISTRICTS.lerkendal,
      // One family lives at a confidential address (kode 7): readers without clearance see no district.
      members.map((m) => ({ ...m, addressProtection: index === PROTECTED_FAMILY_INDEX ? ('fortrolig' as const) : ('none' as const) })),
      'INN',
    );

    // The parents consent first, at the first meeting: INN may then refer the family on to the units they name.
    const joined = dayOf(addMonths(monthOf(pilotFrom), -1), rng.int(1, 28));
    for (const grown of f.adults) {
      f.consent(`sharing-${grown.label}`, {
        member: grown,
        kind: 'information-sharing',
        sourceUnits: ALL_UNITS,
        toUnits: ALL_UNITS,
        dataCategories: ['needs', 'decisions', 'payments'],
        purpose: 'Samarbeid i Lerkendal forum om hele familiens situasjon (Flyktningefamilien i sentrum)',
        validFrom: joined,
        validUntil: consentUntil,
        recordedBy: 'INN',
      });
    }
    // From 16 the young people consent to sharing their own health information (pbrl § 4-3), not their parents.
    for (const young of f.children.filter((c) => f.ageToday(c) >= CHILD_SELF_CONSENT_AGE && f.ageToday(c) < ADULT_AGE)) {
      f.consent(`health-${young.label}`, {
        member: young,
        kind: 'information-sharing',
        sourceUnits: ['HVK'],
        toUnits: ['INN', 'HVK'],
        dataCategories: ['health'],
        purpose: 'Flyktningehelseteamet og INN tilpasser skole- og introduksjonsløpet etter helsen',
        validFrom: joined,
        validUntil: consentUntil,
        recordedBy: 'INN',
      });
    }
    f.coordinate('INN');
    f.enrol('flyktning');
    f.joinUnit('NAV', 'kontaktperson økonomi');
    f.joinPartner(PARTNERS.bymisjon, 'frivillig, hjemmebesøk', 'INN');

    // What the family said they needed, in their words, before the money started.
    const leisure = f.need('leisure', { member: null, words: rng.pick(NEEDS.leisure), expressedOn: joined, by: PARTNERS.bymisjon });
    const appliances = f.need('appliances', { member: null, words: rng.pick(NEEDS.appliances), expressedOn: joined, by: PARTNERS.bymisjon });
    f.pickUp('leisure', leisure, 'INN');

    // Child money: one pilot-support decision, then a transfer every month of the pilot.
    const children = f.children.length;
    const pilot = f.decide('child-money', {
      unit: subProject.responsibleUnit,
      type: 'pilot-support',
      members: f.adults,
      from: pilotFrom,
      until: pilotUntil,
      amounts: { monthlyAmountOre: children * CHILD_MONEY_ORE },
      reasons: `Støtte fra delprosjektet ${subProject.name}: 1 600 kr per barn per måned for ${children} barn i to år, som familien disponerer fritt.`,
      subProject: 'flyktning',
    });
    const payments = paidMonths.map((month, i) => {
      // Two families had no bank card at first and got gift cards (seed l.3297-3308).
      const method = giftCardsFirst.has(index) && i < 3 ? 'gift-card' : 'bank-transfer';
      const paymentId = f.payFromSubProject(`child-money-${month}`, 'flyktning', {
        recipient: f.adults[0],
        amountOre: children * CHILD_MONEY_ORE,
        method,
        paidOn: dayOf(month, 20),
        documentationRef: `FLYKT-${month}-${key}`,
        decisionId: pilot,
        needId: i === 0 ? leisure : undefined,
      });
      // The budget was sized for exactly this; failing here is a planning bug, not a budget decision.
      if (!paymentId) throw new Error(`${key}: child money for ${month} does not fit the ${subProject.name} budget`);
      return paymentId;
    });
    if (payments.length > 0) {
      f.resolve('leisure', leisure, 'INN', { decisionIds: [pilot], paymentIds: [payments[0]] });
      f.resolve('appliances', appliances, 'INN', {
        paymentIds: [payments[Math.min(payments.length - 1, rng.int(1, 4))]],
        resolution: 'Familien kjøpte det selv for pengene fra delprosjektet.',
      });
    }
    f.expireIfOver('child-money', pilot);

    // The units' own decisions: NAV supplements, INN's programme, fee reductions, BFT and HVK.
    const household = f.members.length;
    socialAssistance(f, ctx, { members: f.adults, householdSize: household });
    const arrived = addMonths(monthOf(pilotFrom), -rng.int(6, 60));
    const programmeFrom = firstDay(addMonths(arrived, 2));
    const programmeAdults = f.adults.filter((a) => ageOn(a.birthDate, programmeFrom) >= 18);
    const { programmes } = introductionProgramme(f, ctx, { adults: programmeAdults, from: programmeFrom, months: 36 });
    const speaker = f.adults[0];
    const norwegian = f.need('norwegian', { member: speaker, words: rng.pick(NEEDS.norwegian), expressedOn: joined, by: 'INN' });
    if (lastDay(addMonths(monthOf(programmeFrom), 35)) >= joined) {
      f.resolve('norwegian', norwegian, 'INN', { decisionIds: [programmes[0]] });
    } else {
      // The programme was over before the pilot: INN takes it on, but there is no decision to point to.
      f.pickUp('norwegian', norwegian, 'INN');
    }
    if (rng.chance(0.5)) {
      // A need nobody owns: no unit has driving licences for parents as its job.
      f.need('driving', {
        member: f.adults[f.adults.length - 1],
        words: rng.pick(NEEDS.drivingForJob),
        expressedOn: dayOf(addMonths(ctx.lastMonth, -rng.int(2, 10)), 12),
        by: PARTNERS.bymisjon,
      });
    } else {
      const job = f.need('job', {
        member: f.adults[f.adults.length - 1],
        words: rng.pick(NEEDS.job),
        expressedOn: dayOf(addMonths(ctx.lastMonth, -rng.int(2, 10)), 5),
        by: 'NAV',
      });
      f.pickUp('job', job, 'NAV');
    }
    feeReductions(f, ctx);
    const measure = rng.chance(0.5)
      ? childWelfareMeasure(f, ctx, 'Fritidskontakt to ettermiddager i uka, slik familien ønsket, og veiledning til foreldrene.', (child) =>
          // The parents (and, from 16, the young person for health) consent; INN then refers the child to BFT.
          f.consentFor(`sharing-${child.label}`, {
            member: child,
            kind: 'information-sharing',
            sourceUnits: ['INN', 'BFT', 'OPPVEKST'],
            toUnits: ['BFT', 'OPPVEKST'],
            dataCategories: ['needs', 'decisions', 'health'],
            purpose: 'Samarbeid mellom skolen og barne- og familietjenesten om barnet',
            validFrom: joined,
            validUntil: consentUntil,
            recordedBy: 'INN',
          }),
        )
      : null;
    if (measure) f.joinUnit('BFT', 'kontaktperson barn');
    if (rng.chance(0.4)) {
      const housing = f.need('housing', { member: null, words: rng.pick(NEEDS.housing), expressedOn: joined, by: PARTNERS.bymisjon });
      f.pickUp('housing', housing, 'HVK');
      const housed = municipalHousing(
        f,
        firstDay(addMonths(monthOf(pilotFrom), rng.int(3, 14))),
        'Familien bor trangt; tildelt kommunal bolig med ett soverom per to barn.',
      );
      f.resolve('housing', housing, 'HVK', { decisionIds: [housed] });
    }
    if (rng.chance(0.3)) {
      const talk = f.need('talk', { member: speaker, words: rng.pick(NEEDS.talk), expressedOn: dayOf(ctx.lastMonth, 3), by: 'INN' });
      f.pickUp('talk', talk, 'HVK');
      const health = adultHealthService(f, ctx, speaker, 'Samtaler med psykisk helsetjeneste annenhver uke, med tolk.');
      f.resolve('talk', talk, 'HVK', { decisionIds: [health] });
    }
    if (familyDecisionAt.has(index)) {
      f.familyDecision('combined', 'INN', lastDay(addMonths(ctx.todayMonth, 3)), dayOf(ctx.lastMonth, 10));
    }
    return f;
  });
}
