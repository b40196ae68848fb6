import { findDecisionType, type DelegationRuleSet } from '@familievedtak/domain';
import type { SideFigures, WhatIfReport } from './what-if.types';

/**
 * The words of the what-if report: bokmål by default (a council paper in Trondheim is in
 * bokmål), English on request. And each headline figure's direction, so the page can say
 * whether the candidate is better or worse on it, not colour every candidate figure alike.
 */
export type WhatIfLanguage = 'nb' | 'en';
export const WHAT_IF_LANGUAGES: readonly WhatIfLanguage[] = ['nb', 'en'];

export function isWhatIfLanguage(value: unknown): value is WhatIfLanguage {
  return typeof value === 'string' && (WHAT_IF_LANGUAGES as readonly string[]).includes(value);
}

/**
 * lower: fewer is better for the family or the law (units to deal with, review dates, needs
 * nobody answers, hand-offs, decisions nobody may make, unlawful rules); higher: more is
 * better (decisions in one family decision); neutral: a count that says how much changes,
 * not whether it is good (decisions per family).
 */
export type FigureDirection = 'lower' | 'higher' | 'neutral';
export type FigureVerdict = 'better' | 'worse' | 'same' | 'changed';

export type FigureKey =
  | 'decidersPerFamily'
  | 'decisionsPerFamily'
  | 'decisionsWithoutDecider'
  | 'bundledDecisions'
  | 'familiesWithFamilyDecision'
  | 'reviewDatesPerFamily'
  | 'needsNobodysJob'
  | 'handOffs'
  | 'rulesOutsideLimits';

export type WhatIfFigure = {
  key: FigureKey;
  direction: FigureDirection;
  /** The compared value: the mean for a distribution. */
  baseline: number;
  candidate: number;
  verdict: FigureVerdict;
  label: string;
  explain: string;
};

type Words = Record<WhatIfLanguage, string>;

const FIGURES: {
  key: FigureKey;
  direction: FigureDirection;
  value: (s: SideFigures, r: WhatIfReport, side: 'baseline' | 'candidate') => number;
  label: Words;
  explain: Words;
}[] = [
  {
    key: 'decidersPerFamily',
    direction: 'lower',
    value: (s) => s.decidersPerFamily.mean,
    label: { nb: 'Enheter som fatter vedtak, per familie', en: 'Deciding units per family' },
    explain: { nb: 'snitt (90. persentil, høyeste)', en: 'mean (90th percentile, maximum)' },
  },
  {
    key: 'decisionsPerFamily',
    direction: 'neutral',
    value: (s) => s.decisionsPerFamily.mean,
    label: { nb: 'Vedtak per familie', en: 'Decisions per family' },
    explain: { nb: 'som noen enhet kan fatte', en: 'with a competent decider' },
  },
  {
    key: 'decisionsWithoutDecider',
    direction: 'lower',
    value: (s) => s.decisionsWithoutDecider,
    label: { nb: 'Vedtak ingen enhet kan fatte', en: 'Decisions without a competent decider' },
    explain: { nb: 'ingen enhet har myndighet', en: 'no unit may make them' },
  },
  {
    key: 'bundledDecisions',
    direction: 'higher',
    value: (s) => s.bundledDecisions,
    label: { nb: 'Vedtak i et samlet familievedtak', en: 'Decisions in a family decision' },
    explain: { nb: 'kan samles, gjelder samtidig, én enhet', en: 'bundlable, in force together, one decider' },
  },
  {
    key: 'familiesWithFamilyDecision',
    direction: 'higher',
    value: (s) => s.familiesWithFamilyDecision,
    label: { nb: 'Familier med et samlet familievedtak', en: 'Families with a family decision' },
    explain: { nb: 'minst to vedtak samlet', en: 'at least two decisions bundled' },
  },
  {
    key: 'reviewDatesPerFamily',
    direction: 'lower',
    value: (s) => s.reviewDatesPerFamily.mean,
    label: { nb: 'Datoer for ny vurdering, per familie', en: 'Review dates per family' },
    explain: { nb: 'ulike datoer på referansedagen', en: 'separate dates on the reference day' },
  },
  {
    key: 'needsNobodysJob',
    direction: 'lower',
    value: (s) => s.needsNobodysJob,
    label: { nb: 'Behov som ingen har ansvar for', en: 'Needs that are nobody’s job' },
    explain: { nb: 'ingen enhet kan svare med et vedtak', en: 'no unit competent to answer' },
  },
  {
    key: 'handOffs',
    direction: 'lower',
    value: (s) => s.handOffs,
    label: { nb: 'Overleveringer', en: 'Hand-offs' },
    explain: { nb: 'én enhet tar tak i behovet, en annen fatter vedtaket', en: 'need taken up by one unit, decided by another' },
  },
  {
    key: 'rulesOutsideLimits',
    direction: 'lower',
    value: (_s, r, side) => r.legalLimits[side].rulesOutsideLimits,
    label: { nb: 'Regler utenfor loven', en: 'Rules outside the law' },
    explain: { nb: 'kompetente enheter, private, to-persons-kontroll', en: 'competent units, private partners, four-eyes floor' },
  },
];

export function verdictOf(direction: FigureDirection, baseline: number, candidate: number): FigureVerdict {
  if (baseline === candidate) return 'same';
  if (direction === 'neutral') return 'changed';
  return candidate < baseline === (direction === 'lower') ? 'better' : 'worse';
}

/** The headline figures with their direction and whether the candidate is better or worse on each. */
export function whatIfFigures(report: WhatIfReport, lang: WhatIfLanguage = 'nb'): WhatIfFigure[] {
  return FIGURES.map((f) => {
    const baseline = f.value(report.baseline, report, 'baseline');
    const candidate = f.value(report.candidate, report, 'candidate');
    return {
      key: f.key,
      direction: f.direction,
      baseline,
      candidate,
      verdict: verdictOf(f.direction, baseline, candidate),
      label: f.label[lang],
      explain: f.explain[lang],
    };
  });
}

const UNIT_NAMES: Record<string, Words> = {
  HVK: { nb: 'Helse- og velferdskontoret', en: 'Health and welfare office' },
  BFT: { nb: 'Barne- og familietjenesten', en: 'Child and family service' },
  NAV: { nb: 'NAV-kontoret', en: 'NAV office' },
  INN: { nb: 'Enhet for inkludering', en: 'Inclusion unit' },
  OPPVEKST: { nb: 'Oppvekstadministrasjonen', en: 'Education and childhood administration' },
};

/**
 * A decider as people name it. The report's decider strings (see RouteCount) are kept in the
 * JSON; `team:(withheld)` and `team:(district)` never name the district here either.
 */
export function deciderName(decider: string | null, lang: WhatIfLanguage): string {
  if (decider === null) return '–';
  const unit = UNIT_NAMES[decider];
  if (unit) return unit[lang];
  if (decider === 'team:(withheld)') return lang === 'nb' ? 'et bydelsteam (bydelen holdes tilbake)' : 'a district team (district withheld)';
  if (decider === 'team:(district)') return lang === 'nb' ? 'familiens bydelsteam' : 'the family’s district team';
  if (decider.startsWith('team:')) return lang === 'nb' ? `Bydelsteamet ${decider.slice(5)}` : `District team ${decider.slice(5)}`;
  if (decider === 'partner') return lang === 'nb' ? 'en privat samarbeidspartner' : 'a private partner';
  return decider;
}

export function decisionTypeName(code: string, lang: WhatIfLanguage): string {
  const entry = findDecisionType(code);
  return entry ? (lang === 'nb' ? entry.labelNo : entry.label) : code;
}

/** A rule by its description where the rule set gives one (as the rules team wrote it), else its id. */
export function ruleName(ruleId: string, ruleSet: DelegationRuleSet | undefined): string {
  const description = ruleSet?.rules.find((r) => r.id === ruleId)?.description;
  return description ? `${description} (${ruleId})` : ruleId;
}

/** Numbers as the language writes them: 2,09 in bokmål. */
export function num(value: number, lang: WhatIfLanguage): string {
  return lang === 'nb' ? String(value).replace('.', ',') : String(value);
}
