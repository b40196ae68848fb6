import { ADULT_AGE, CHILD_SELF_CONSENT_AGE, type Unit } from '@familievedtak/domain';
import { addMonths, dayOf, firstDay, lastDay } from './calendar';
import { CITY_ORIGINS, DISTRICTS, NEEDS, REFUGEE_ORIGINS, type NeedTopic } from './demo-words';
import { FamilyBuilder } from './family-builder';
import { registerHousehold } from './households';
import type { PlanContext } from './plan-context';
import { adultHealthService, childWelfareMeasure, feeReductions, introductionProgramme, municipalHousing, socialAssistance } from './unit-decisions';

/**
 * Families outside the pilot, as the units meet them every day (500 families are on social
 * assistance in the city at any time, seed l.1040): decisions from several units, needs
 * nobody has picked up, no pilot money. The contrast the pilot was measured against.
 */

const RESOLUTIONS: Partial<Record<NeedTopic, { unit: Unit; resolution: string }>> = {
  electricity: { unit: 'NAV', resolution: 'Nedbetalingsavtale med strømleverandøren, avtalt sammen med NAV.' },
  letters: { unit: 'HVK', resolution: 'Fast kontaktperson som går gjennom brevene sammen med familien.' },
  job: { unit: 'NAV', resolution: 'Tilbud om arbeidstrening gjennom NAV.' },
  kindergarten: { unit: 'OPPVEKST', resolution: 'Barnehageplass fra august.' },
};

export function planOrdinaryFamilies(ctx: PlanContext): FamilyBuilder[] {
  return [...Array(ctx.count(30)).keys()].map((index) => {
    const key = `ordinaer-${String(index + 1).padStart(2, '0')}`;
    const f = new FamilyBuilder(ctx, key, 'ordinary', ctx.rng(key));
    const { rng } = f;
    // The first family is the walk-through's second family decision; it needs NAV.
    const registeredBy: Unit = index === 0 ? 'NAV' : rng.pick(['NAV', 'NAV', 'HVK', 'BFT', 'INN'] as const);
    const newcomers = registeredBy === 'INN';
    registerHousehold(f, ctx, {
      district: rng.pick(Object.values(DISTRICTS)),
      registeredBy,
      twoAdults: 0.5,
      childCounts: [0, 1, 1, 2, 2, 3, 4],
      youngestMax: 6,
      origins: newcomers ? REFUGEE_ORIGINS : CITY_ORIGINS,
      withoutNationalId: 0.3,
      // One household lives at a strictly confidential address (strengt fortrolig, kode 6), one at a confidential one (kode 7).
      addressProtection: index === 1 ? 'strengt-fortrolig' : index === 2 ? 'fortrolig' : 'none',
      // The walk-through family has a 16-year-old, who consents to sharing their health information themself.
      olderChildren: index === 0 ? [16] : [],
    });
    const since = dayOf(addMonths(ctx.lastMonth, -rng.int(3, 12)), rng.int(1, 28));
    const sharingUnits = [...new Set<Unit>([registeredBy, ...rng.sample(['NAV', 'HVK', 'BFT', 'OPPVEKST'] as const, rng.int(1, 3))])];
    // Not everyone consents: a unit no consent names is not involved (BFT still may be, on the duty to inform about a child).
    for (const grown of f.adults) {
      if (!rng.chance(0.7)) continue;
      f.consent(`sharing-${grown.label}`, {
        member: grown,
        kind: 'information-sharing',
        sourceUnits: sharingUnits,
        toUnits: sharingUnits,
        dataCategories: ['needs', 'decisions'],
        purpose: 'Samarbeid mellom tjenestene om familiens søknader og oppfølging',
        validFrom: since,
        validUntil: lastDay(addMonths(ctx.todayMonth, rng.chance(0.5) ? rng.int(1, 12) : 24)),
        recordedBy: registeredBy,
      });
    }
    // From 16 the young person alone consents to sharing health information (pasient- og brukerrettighetsloven § 4-3).
    for (const young of f.children.filter((c) => f.ageToday(c) >= CHILD_SELF_CONSENT_AGE && f.ageToday(c) < ADULT_AGE)) {
      f.consent(`health-${young.label}`, {
        member: young,
        kind: 'information-sharing',
        sourceUnits: ['HVK'],
        toUnits: [...new Set<Unit>(['HVK', registeredBy])],
        dataCategories: ['health'],
        purpose: 'Helsestasjon for ungdom og tjenesten som følger familien samarbeider om ungdommens helse',
        validFrom: since,
        validUntil: lastDay(addMonths(ctx.todayMonth, 12)),
        recordedBy: registeredBy,
      });
    }
    f.coordinate(registeredBy);

    if ((index === 0 || registeredBy === 'NAV' || rng.chance(0.5)) && f.mayInvolve('NAV')) {
      f.joinUnit('NAV', 'veileder');
      socialAssistance(f, ctx, { members: f.adults, householdSize: f.members.length, previous: rng.chance(0.6) });
    }
    if (newcomers) {
      introductionProgramme(f, ctx, { adults: f.adults, from: firstDay(addMonths(ctx.todayMonth, -rng.int(3, 18))), months: 24 });
    }
    if (f.mayInvolve('OPPVEKST')) feeReductions(f, ctx);
    if (rng.chance(0.3) && childWelfareMeasure(f, ctx, 'Hjelpetiltak i hjemmet: veiledning til foreldrene og avlastning annenhver helg.')) {
      f.joinUnit('BFT', 'kontaktperson barn');
    }
    if (rng.chance(0.3) && f.mayInvolve('HVK')) {
      f.joinUnit('HVK', 'kontaktperson helse');
      adultHealthService(f, ctx, rng.pick(f.adults), 'Hjemmesykepleie og samtaler med psykisk helsetjeneste etter behov.');
    }
    if (rng.chance(0.15) && f.mayInvolve('HVK')) {
      f.joinUnit('HVK', 'kontaktperson bolig');
      municipalHousing(f, firstDay(addMonths(ctx.todayMonth, -rng.int(1, 24))), 'Bostedsløs etter samlivsbrudd; kommunal bolig for husstanden.');
    }

    const topics: NeedTopic[] = f.children.length > 0 ? ['electricity', 'letters', 'job', 'kindergarten'] : ['electricity', 'letters', 'job'];
    rng.sample(topics, rng.int(1, 3)).forEach((topic) => {
      const member = topic === 'job' ? rng.pick(f.adults) : null;
      const needId = f.need(topic, {
        member,
        words: rng.pick(NEEDS[topic]),
        expressedOn: dayOf(addMonths(ctx.lastMonth, -rng.int(0, 8)), rng.int(1, 28)),
        by: registeredBy,
      });
      const answer = RESOLUTIONS[topic]!;
      const fate = rng.float();
      // About a third nobody takes on; the view flags them once a month has passed. A unit the
      // family's consent does not reach (no part to be had, or the need not shared with it) cannot either.
      if (fate < 0.35 || !f.mayPickUp(needId, answer.unit)) return;
      f.pickUp(topic, needId, answer.unit);
      if (fate > 0.65) f.resolve(topic, needId, answer.unit, { resolution: answer.resolution });
    });

    if (index === 0) f.familyDecision('combined', 'NAV', lastDay(addMonths(ctx.todayMonth, 4)), dayOf(ctx.lastMonth, 20));
    return f;
  });
}
