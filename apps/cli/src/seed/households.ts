import type { AddressProtection, LocalDate, Unit } from '@familievedtak/domain';
import { dayOf, type Month } from './calendar';
import { adult, child, siblingAges } from './demo-people';
import { CITY_ORIGINS, ORIGINS, REFUGEE_ORIGINS, type OriginKey } from './demo-words';
import type { DemoSubProjectKey } from './demo-sub-projects';
import type { FamilyBuilder, MemberSpec } from './family-builder';
import type { PlanContext } from './plan-context';

/** Helpers the cohorts share: a household of the city, and finding a month a budget still carries. */

export type HouseholdShape = {
  district: string;
  registeredBy: Unit;
  /** Chance of a second adult. */
  twoAdults: number;
  /** Drawn from, so repeats weight the choice. */
  childCounts: readonly number[];
  youngestMax: number;
  origins?: readonly OriginKey[];
  /** Share of members without a national id (refugee youth and newcomers). */
  withoutNationalId?: number;
  /** Older children to add, by age today (e.g. a 16-year-old, who consents to health matters themself). */
  olderChildren?: readonly number[];
  /** Adressesperre for the whole household: 'fortrolig' (kode 7) or 'strengt-fortrolig' (kode 6). */
  addressProtection?: AddressProtection;
};

export function registerHousehold(f: FamilyBuilder, ctx: PlanContext, shape: HouseholdShape): void {
  const { rng } = f;
  const originKey = rng.pick(shape.origins ?? CITY_ORIGINS);
  const newcomer = REFUGEE_ORIGINS.includes(originKey);
  const withoutId = () => newcomer && rng.chance(shape.withoutNationalId ?? 0.15);
  const surname = rng.pick(ORIGINS[originKey].surnames);
  const ages = siblingAges(rng, rng.pick(shape.childCounts), shape.youngestMax);
  const eldest = ages.length > 0 ? ages[ages.length - 1] : 0;
  const parentAge = Math.max(eldest + rng.int(20, 30), rng.int(22, 38));
  const firstSex = rng.chance(0.8) ? 'f' : 'm';
  const members: MemberSpec[] = [adult(rng, 'adult-1', firstSex, parentAge, ctx.today, surname, { origin: originKey, hasNationalId: !withoutId() })];
  if (rng.chance(shape.twoAdults)) {
    members.push(
      adult(rng, 'adult-2', firstSex === 'f' ? 'm' : 'f', parentAge + rng.int(-3, 6), ctx.today, surname, { origin: originKey, hasNationalId: !withoutId() }),
    );
  }
  const taken = new Set<string>();
  [...ages, ...(shape.olderChildren ?? [])].forEach((age, i) =>
    members.push(child(rng, `child-${i + 1}`, age, ctx.today, surname, { origin: originKey, hasNationalId: !withoutId() }, taken)),
  );
  f.register(
    shape.district,
    members.map((m) => ({ ...m, addressProtection: shape.addressProtection ?? 'none' })),
    shape.registeredBy,
  );
}

/**
 * A day in the first of `months` (tried in random order) whose semester can still carry the
 * amount, or null when the sub-project's money has run out.
 */
export function dayTheBudgetAllows(f: FamilyBuilder, ctx: PlanContext, key: DemoSubProjectKey, amountOre: number, months: Month[]): LocalDate | null {
  for (const month of f.rng.shuffle(months)) {
    const day = dayOf(month, f.rng.int(1, 28));
    if (day <= ctx.today && ctx.ledger.fits(ctx.subProjects[key].subProjectId, day, amountOre)) return day;
  }
  return null;
}

/** Whole NOK amounts in steps, as øre. */
export function nokBetween(f: FamilyBuilder, min: number, max: number, step: number): number {
  return f.rng.int(min / step, max / step) * step * 100;
}
