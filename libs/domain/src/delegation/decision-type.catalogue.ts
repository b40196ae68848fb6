/**
 * The kinds of decision a unit can make for a family member. Who may make each one is
 * NOT here: that is the delegation rule set (data the city council changes).
 */
export const DECISION_TYPES = [
  'economic-social-assistance',
  'qualification-programme',
  'introduction-programme',
  'introduction-benefit',
  'child-welfare-support-measure',
  'coordinator-child',
  'adult-health-care-service',
  'municipal-housing',
  'coordinator-adult',
  'kindergarten-fee-reduction',
  'after-school-fee-reduction',
  'pilot-support',
] as const;
export type DecisionTypeCode = (typeof DECISION_TYPES)[number];

/**
 * Where an enkeltvedtak of a type is appealed, and how long the party has. The deadline counts
 * from the day the notification reached the party (forvaltningsloven § 29; pasient- og
 * brukerrettighetsloven § 7-5: four weeks) and moves past weekends and public holidays
 * (domstolloven § 149 by analogy; see README, "Where the law left a choice").
 */
export type AppealRoute = {
  body: 'statsforvalteren' | 'kommunal-klagenemnd';
  weeks: 3 | 4;
  countsFrom: 'notification-received';
  /** The provisions naming the body and the deadline. */
  provision: string;
};

/** The municipal units; kept here as literals so the catalogue does not depend on units.ts order. */
type CatalogueUnit = 'HVK' | 'BFT' | 'NAV' | 'INN' | 'OPPVEKST';
const ANY_MUNICIPAL_UNIT: readonly CatalogueUnit[] = ['HVK', 'BFT', 'NAV', 'INN', 'OPPVEKST'];

export type DecisionTypeEntry = {
  code: DecisionTypeCode;
  label: string;
  labelNo: string;
  /** Proposed when the caseworker names none; null where no statute applies. */
  defaultLegalBasis: string | null;
  /** Appealable individual decision under forvaltningsloven unless the proposal says otherwise. */
  enkeltvedtak: boolean;
  /** Whether payments under it count as income when social assistance is assessed. */
  paymentsCountAsIncome: boolean;
  /** Why it is (or is not) an enkeltvedtak: forvaltningsloven § 2 first paragraph (a) and (b). */
  enkeltvedtakProvision: string;
  /** Null where the decision is not an enkeltvedtak (nothing to appeal under forvaltningsloven § 28). */
  appeal: AppealRoute | null;
  /**
   * The units that may ever hold the competence, whatever a rule set says: a rule set granting
   * the type to another unit is unlawful. Partners (private parties) never may (kommuneloven
   * § 5-4: public authority goes to others only where a statute allows it).
   */
  competentUnits: readonly CatalogueUnit[];
  competenceProvision: string;
  /**
   * 'always': a second approver can never be waived by a rule set (an internal-control floor,
   * kommuneloven § 25-1: a choice, see README); 'policy': the rule set decides.
   */
  fourEyesFloor: 'always' | 'policy';
};

const STATSFORVALTEREN_SOTJL: AppealRoute = {
  body: 'statsforvalteren',
  weeks: 3,
  countsFrom: 'notification-received',
  provision: 'sosialtjenesteloven § 48; forvaltningsloven § 29',
};
const STATSFORVALTEREN_INTEGRATION: AppealRoute = {
  body: 'statsforvalteren',
  weeks: 3,
  countsFrom: 'notification-received',
  provision: 'integreringsloven (statsforvalteren er klageinstans); forvaltningsloven §§ 28, 29',
};
const STATSFORVALTEREN_CHILD_WELFARE: AppealRoute = {
  body: 'statsforvalteren',
  weeks: 3,
  countsFrom: 'notification-received',
  provision: 'barnevernsloven (statsforvalteren er klageinstans for barneverntjenestens vedtak); forvaltningsloven § 29',
};
const STATSFORVALTEREN_HEALTH: AppealRoute = {
  body: 'statsforvalteren',
  weeks: 4,
  countsFrom: 'notification-received',
  provision: 'pasient- og brukerrettighetsloven §§ 7-2, 7-5',
};
const KLAGENEMND: AppealRoute = {
  body: 'kommunal-klagenemnd',
  weeks: 3,
  countsFrom: 'notification-received',
  provision: 'forvaltningsloven § 28 andre ledd, § 29',
};
const ENKELTVEDTAK = 'forvaltningsloven § 2 første ledd bokstav a og b';
const KOMMUNEN = 'kommuneloven § 13-1 (the law gives the competence to the municipality; delegated within it)';

export const DECISION_TYPE_CATALOGUE: readonly DecisionTypeEntry[] = [
  {
    code: 'economic-social-assistance',
    label: 'Economic social assistance',
    labelNo: 'Økonomisk stønad (sosialstønad)',
    defaultLegalBasis: 'Lov om sosiale tjenester i NAV § 18',
    enkeltvedtak: true,
    // The assistance itself is what is being assessed, not income beside it.
    paymentsCountAsIncome: false,
    enkeltvedtakProvision: ENKELTVEDTAK,
    appeal: STATSFORVALTEREN_SOTJL,
    competentUnits: ['NAV'],
    competenceProvision: 'NAV-loven § 13; sosialtjenesteloven § 3',
    fourEyesFloor: 'always',
  },
  {
    code: 'qualification-programme',
    label: 'Qualification programme',
    labelNo: 'Kvalifiseringsprogram',
    defaultLegalBasis: 'Lov om sosiale tjenester i NAV § 29',
    enkeltvedtak: true,
    paymentsCountAsIncome: true,
    enkeltvedtakProvision: ENKELTVEDTAK,
    appeal: STATSFORVALTEREN_SOTJL,
    competentUnits: ['NAV'],
    competenceProvision: 'NAV-loven § 13; sosialtjenesteloven § 3',
    fourEyesFloor: 'always',
  },
  {
    code: 'introduction-programme',
    label: 'Introduction programme',
    labelNo: 'Introduksjonsprogram',
    defaultLegalBasis: 'Integreringsloven',
    enkeltvedtak: true,
    paymentsCountAsIncome: true,
    enkeltvedtakProvision: ENKELTVEDTAK,
    appeal: STATSFORVALTEREN_INTEGRATION,
    competentUnits: ANY_MUNICIPAL_UNIT,
    competenceProvision: KOMMUNEN,
    fourEyesFloor: 'always',
  },
  {
    code: 'introduction-benefit',
    label: 'Introduction benefit (economic support in the introduction programme)',
    labelNo: 'Introduksjonsstønad',
    defaultLegalBasis: 'Integreringsloven',
    enkeltvedtak: true,
    paymentsCountAsIncome: true,
    enkeltvedtakProvision: ENKELTVEDTAK,
    appeal: STATSFORVALTEREN_INTEGRATION,
    competentUnits: ANY_MUNICIPAL_UNIT,
    competenceProvision: KOMMUNEN,
    fourEyesFloor: 'always',
  },
  {
    code: 'child-welfare-support-measure',
    label: 'Child welfare support measure',
    labelNo: 'Hjelpetiltak i barnevernet',
    defaultLegalBasis: 'Barnevernsloven § 3-1',
    enkeltvedtak: true,
    paymentsCountAsIncome: true,
    enkeltvedtakProvision: ENKELTVEDTAK,
    appeal: STATSFORVALTEREN_CHILD_WELFARE,
    competentUnits: ['BFT'],
    competenceProvision: 'barnevernsloven (vedtak treffes av barneverntjenesten)',
    fourEyesFloor: 'always',
  },
  {
    code: 'coordinator-child',
    label: 'Coordinator for a child under 18',
    labelNo: 'Barnekoordinator',
    defaultLegalBasis: 'Helse- og omsorgstjenesteloven § 7-2 a',
    enkeltvedtak: true,
    paymentsCountAsIncome: true,
    enkeltvedtakProvision: ENKELTVEDTAK,
    appeal: STATSFORVALTEREN_HEALTH,
    competentUnits: ANY_MUNICIPAL_UNIT,
    competenceProvision: KOMMUNEN,
    fourEyesFloor: 'policy',
  },
  {
    code: 'adult-health-care-service',
    label: 'Health and care service for an adult',
    labelNo: 'Helse- og omsorgstjeneste',
    defaultLegalBasis: 'Helse- og omsorgstjenesteloven § 3-2',
    enkeltvedtak: true,
    paymentsCountAsIncome: true,
    enkeltvedtakProvision: ENKELTVEDTAK,
    appeal: STATSFORVALTEREN_HEALTH,
    competentUnits: ANY_MUNICIPAL_UNIT,
    competenceProvision: KOMMUNEN,
    fourEyesFloor: 'policy',
  },
  {
    code: 'municipal-housing',
    label: 'Municipal housing',
    labelNo: 'Kommunal bolig',
    defaultLegalBasis: 'Lov om kommunenes ansvar på det boligsosiale feltet',
    enkeltvedtak: true,
    paymentsCountAsIncome: true,
    enkeltvedtakProvision: ENKELTVEDTAK,
    appeal: KLAGENEMND,
    competentUnits: ANY_MUNICIPAL_UNIT,
    competenceProvision: KOMMUNEN,
    fourEyesFloor: 'policy',
  },
  {
    code: 'coordinator-adult',
    label: 'Coordinator for an adult',
    labelNo: 'Koordinator',
    defaultLegalBasis: 'Helse- og omsorgstjenesteloven § 7-2',
    enkeltvedtak: true,
    paymentsCountAsIncome: true,
    enkeltvedtakProvision: ENKELTVEDTAK,
    appeal: STATSFORVALTEREN_HEALTH,
    competentUnits: ANY_MUNICIPAL_UNIT,
    competenceProvision: KOMMUNEN,
    fourEyesFloor: 'policy',
  },
  {
    code: 'kindergarten-fee-reduction',
    label: 'Kindergarten fee reduction',
    labelNo: 'Moderasjon i foreldrebetaling for barnehage',
    defaultLegalBasis: 'Forskrift om foreldrebetaling i barnehager § 3',
    enkeltvedtak: true,
    paymentsCountAsIncome: true,
    enkeltvedtakProvision: ENKELTVEDTAK,
    appeal: KLAGENEMND,
    competentUnits: ANY_MUNICIPAL_UNIT,
    competenceProvision: KOMMUNEN,
    fourEyesFloor: 'policy',
  },
  {
    code: 'after-school-fee-reduction',
    label: 'After-school care (SFO) fee reduction',
    labelNo: 'Moderasjon i foreldrebetaling for SFO',
    defaultLegalBasis: 'Forskrift til opplæringslova kapittel 1B',
    enkeltvedtak: true,
    paymentsCountAsIncome: true,
    enkeltvedtakProvision: ENKELTVEDTAK,
    appeal: KLAGENEMND,
    competentUnits: ANY_MUNICIPAL_UNIT,
    competenceProvision: KOMMUNEN,
    fourEyesFloor: 'policy',
  },
  {
    code: 'pilot-support',
    label: 'Pilot support from a sub-project',
    labelNo: 'Støtte fra delprosjekt (pilot 0-24)',
    // The municipal lawyer judged pilot payments gift-like, not enkeltvedtak (brief).
    defaultLegalBasis: null,
    enkeltvedtak: false,
    // The letter to NAV: pilot money is never counted as income for social assistance.
    paymentsCountAsIncome: false,
    enkeltvedtakProvision: 'not an enkeltvedtak: the municipal lawyer judged pilot payments gift-like (brief; seed l.4527-4542)',
    appeal: null,
    competentUnits: ANY_MUNICIPAL_UNIT,
    competenceProvision: 'the sub-project’s responsible unit (seed l.4527-4542); any municipal unit may be responsible',
    fourEyesFloor: 'policy',
  },
];

const BY_CODE = new Map<string, DecisionTypeEntry>(DECISION_TYPE_CATALOGUE.map((entry) => [entry.code, entry]));

export function isDecisionType(value: unknown): value is DecisionTypeCode {
  return typeof value === 'string' && BY_CODE.has(value);
}

export function findDecisionType(code: string): DecisionTypeEntry | undefined {
  return BY_CODE.get(code);
}

export function decisionTypeEntry(code: DecisionTypeCode): DecisionTypeEntry {
  const entry = BY_CODE.get(code);
  if (!entry) throw new Error(`decision type ${code} missing from the catalogue`);
  return entry;
}

/**
 * Legal areas: a rule may name one instead of a single decision type (e.g. "everything under
 * the Social Services Act"). Each decision type belongs to exactly one.
 */
export const LEGAL_AREAS = ['social-services', 'integration', 'child-welfare', 'health-and-care', 'housing', 'fees', 'pilot'] as const;
export type LegalArea = (typeof LEGAL_AREAS)[number];

const LEGAL_AREA_OF: Readonly<Record<DecisionTypeCode, LegalArea>> = {
  'economic-social-assistance': 'social-services',
  'qualification-programme': 'social-services',
  'introduction-programme': 'integration',
  'introduction-benefit': 'integration',
  'child-welfare-support-measure': 'child-welfare',
  'coordinator-child': 'health-and-care',
  'adult-health-care-service': 'health-and-care',
  'municipal-housing': 'housing',
  'coordinator-adult': 'health-and-care',
  'kindergarten-fee-reduction': 'fees',
  'after-school-fee-reduction': 'fees',
  'pilot-support': 'pilot',
};

export function legalAreaOf(code: DecisionTypeCode): LegalArea {
  return LEGAL_AREA_OF[code];
}

export function isLegalArea(value: unknown): value is LegalArea {
  return typeof value === 'string' && (LEGAL_AREAS as readonly string[]).includes(value);
}
