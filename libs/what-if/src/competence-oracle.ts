import {
  ageOn,
  evaluateCompetence,
  isWithin,
  localDateOf,
  ruleCovers,
  UNITS,
  type CompetenceFamily,
  type CompetenceMember,
  type CompetenceQuery,
  type Decision,
  type DecisionTypeCode,
  type DelegationRuleSet,
  type FamilyState,
  type LocalDate,
} from '@familievedtak/domain';

/**
 * What the what-if engine needs to know about one decision under one rule set. Deciders are
 * opaque ids ('NAV', later e.g. 'team:Heimdal'), listed in the set's order of preference.
 * Wiring a richer evaluator (coordinating unit, district teams, family context) is one more
 * adapter of this type; the engine never calls the domain evaluator directly.
 */
export type CompetenceVerdict = {
  /** Every decider competent for this decision, most preferred first; empty: nobody is. */
  deciders: string[];
  /** The rule that authorises the decider the engine will pick (or the first competent one). */
  ruleId?: string;
  /** May this decision go into a family decision under the set? */
  bundlable: boolean;
};

export type CompetenceOracle = (decision: Decision, family: FamilyState, ruleSet: DelegationRuleSet) => CompetenceVerdict;

/** Ever approved: the decisions the history actually made. */
const DECIDED_STATUSES: ReadonlySet<Decision['status']> = new Set(['active', 'expired', 'under-appeal', 'revoked']);
export function isDecided(decision: Decision): boolean {
  return DECIDED_STATUSES.has(decision.status);
}

/** Like the domain's query, but over history: an expired programme still counted on its dates. */
function inIntroductionProgrammeOn(family: FamilyState, memberId: string, date: LocalDate): boolean {
  return Object.values(family.decisions).some(
    (d) =>
      d.decisionType === 'introduction-programme' &&
      d.memberIds.includes(memberId) &&
      (d.status === 'active' || d.status === 'expired' || d.status === 'under-appeal') &&
      isWithin(date, d.periodFrom, d.periodUntil),
  );
}

function familyOn(family: FamilyState, date: LocalDate): CompetenceFamily {
  return {
    district: family.district,
    coordinatingUnit: family.coordinatingUnit,
    inFamilyDecision: Object.values(family.familyDecisions).some((fd) => localDateOf(new Date(fd.issuedAt)) <= date && date <= fd.reviewDate),
  };
}

/**
 * Verdicts per rule set (by identity) and evaluator input: decisions with the same type,
 * unit, members' facts (age, adult, introduction programme) and family situation get the
 * same answer. Bounded: cleared when full.
 */
const verdictCache = new WeakMap<DelegationRuleSet, Map<string, CompetenceVerdict>>();
const VERDICT_CACHE_LIMIT = 50_000;

type Asked = {
  family: FamilyState;
  members: CompetenceMember[];
  situation: CompetenceFamily;
  subProjectResponsibleUnit: CompetenceQuery['subProjectResponsibleUnit'];
  key: string;
};

/** The evaluator's input for a decision, worked out once per decision and family (a run asks under two sets). */
const askedCache = new WeakMap<Decision, Asked>();

function askedAbout(decision: Decision, family: FamilyState): Asked {
  const known = askedCache.get(decision);
  if (known && known.family === family) return known;
  const date = decision.periodFrom;
  const members = decision.memberIds.map((memberId) => {
    const member = family.members[memberId];
    return {
      memberId,
      ageOnDate: member ? ageOn(member.birthDate, date) : 0,
      adult: member?.role === 'adult',
      inIntroductionProgramme: inIntroductionProgrammeOn(family, memberId, date),
    };
  });
  const situation = familyOn(family, date);
  const subProjectResponsibleUnit = decision.subProject?.responsibleUnit ?? null;
  // Everything the evaluator decides on. Member ids and the date only go into its failure
  // texts (the members' facts on the date are in the key), which the verdict does not keep.
  let key = `${decision.decisionType}|${decision.unit}|${subProjectResponsibleUnit ?? ''}|${situation.district ?? ''}|${situation.coordinatingUnit ?? ''}|${situation.inFamilyDecision ? 1 : 0}`;
  for (const m of members) key += `|${m.ageOnDate}:${m.adult ? 1 : 0}:${m.inIntroductionProgramme ? 1 : 0}`;
  const asked = { family, members, situation, subProjectResponsibleUnit, key };
  askedCache.set(decision, asked);
  return asked;
}

/**
 * The set cut down to the rules covering one decision type, per set (by identity) and type.
 * The evaluator's verdict (permitted, rule, decider, competent deciders) only ever comes from
 * covering rules; for each other rule it writes an explanation ("covers X, not Y") that the
 * oracle drops, which was most of the cost of a verdict.
 */
const coveringSets = new WeakMap<DelegationRuleSet, Map<DecisionTypeCode, DelegationRuleSet>>();
function coveringRules(ruleSet: DelegationRuleSet, decisionType: DecisionTypeCode): DelegationRuleSet {
  let byType = coveringSets.get(ruleSet);
  if (!byType) coveringSets.set(ruleSet, (byType = new Map()));
  let covering = byType.get(decisionType);
  if (!covering) byType.set(decisionType, (covering = { ...ruleSet, rules: ruleSet.rules.filter((rule) => ruleCovers(rule, decisionType)) }));
  return covering;
}

/**
 * The default adapter over the domain's evaluateCompetence: a decision is assessed on its
 * period's start, with its members' facts and the family's situation (district,
 * coordinating unit, family decision) on that day, as the decision commands do. The
 * deciders are every competent decider the evaluator names (unit codes, the family's
 * coordinating unit, `team:<district>`), in rule order; asking as each unit in turn also
 * covers rules that depend on who asks (pilot support: the sub-project's unit).
 */
export const domainCompetenceOracle: CompetenceOracle = (decision, family, ruleSet) => {
  const { members, situation, subProjectResponsibleUnit, key } = askedAbout(decision, family);
  const date = decision.periodFrom;
  let cache = verdictCache.get(ruleSet);
  if (!cache) verdictCache.set(ruleSet, (cache = new Map()));
  const cached = cache.get(key);
  if (cached) return cached;
  const deciders: string[] = [];
  let ruleId: string | undefined;
  let bundlable = false;
  const askers = [decision.unit, ...UNITS.filter((unit) => unit !== decision.unit)];
  const covering = coveringRules(ruleSet, decision.decisionType);
  for (const unit of askers) {
    const result = evaluateCompetence(covering, {
      decisionType: decision.decisionType,
      unit,
      members,
      date,
      subProjectResponsibleUnit,
      family: situation,
    });
    for (const id of result.competentDeciders) if (!deciders.includes(id)) deciders.push(id);
    if (!result.permitted) continue;
    if (!deciders.includes(result.decider ?? unit)) deciders.push(result.decider ?? unit);
    ruleId ??= result.ruleId;
    if (result.rule?.bundlable) bundlable = true;
  }
  const verdict = { deciders, ruleId, bundlable };
  if (cache.size >= VERDICT_CACHE_LIMIT) cache.clear();
  cache.set(key, verdict);
  return verdict;
};

/** The name the first version had (units only); the same adapter. */
export const unitCompetenceOracle = domainCompetenceOracle;
