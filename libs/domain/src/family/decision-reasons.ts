import { InvalidInput } from '../shared/domain-error';
import { ageOn, parseLocalDate, type LocalDate } from '../shared/local-date';
import { optionalText, requireList, requireOneOf, requireText } from '../shared/validation';
import { ChildViewsMissing, ReasonsIncomplete } from './decision-errors';
import type { Member } from './family.state';

/**
 * What a decision says and why (forvaltningsloven §§ 24-25), and the child's voice
 * (barnekonvensjonen art. 12, Grunnloven § 104, barnevernsloven § 1-4).
 */

/** A refusal is an enkeltvedtak too (fvl § 2): appealable, but it grants nothing in valid time. */
export const DECISION_OUTCOMES = ['granted', 'partly-granted', 'refused'] as const;
export type DecisionOutcome = (typeof DECISION_OUTCOMES)[number];

/**
 * fvl § 25: the reasons name the rules the decision rests on, the facts it relies on and, where
 * the unit used discretion, the main considerations. `summary` is the text the party reads first.
 */
export type StructuredReasons = {
  rulesApplied: string[];
  facts: string;
  /** Null only for a decision simply granted (fvl § 24 second paragraph allows it; see README). */
  mainConsiderations: string | null;
  summary: string;
};

export const CHILD_HEARD_HOW = ['conversation', 'in-writing', 'trusted-person', 'through-parents'] as const;
export const CHILD_NOT_HEARD_WHY = ['not-able-to-form-views', 'declined', 'other'] as const;

/** The child's views and the weight they were given, or why the child was not heard. */
export type ChildView =
  | { memberId: string; heard: true; how: (typeof CHILD_HEARD_HOW)[number]; heardOn: LocalDate; views: string; weight: string }
  | { memberId: string; heard: false; whyNot: (typeof CHILD_NOT_HEARD_WHY)[number]; explanation: string };

/** Under 18 on the decision day: a child in the sense of barnekonvensjonen art. 1. */
export const CHILD_AGE_LIMIT = 18;

const MAX_TEXT = 10_000;
const MAX_RULE = 500;

export function parseOutcome(value: unknown): DecisionOutcome {
  return requireOneOf(value, 'outcome', DECISION_OUTCOMES);
}

/**
 * fvl §§ 24-25: an enkeltvedtak states the rules applied and the facts; the main considerations
 * too unless the application is simply granted. Everything missing is named in one refusal.
 * A decision that is not an enkeltvedtak (pilot support) still tells the party why: a summary.
 */
export function parseReasons(value: unknown, enkeltvedtak: boolean, outcome: DecisionOutcome): StructuredReasons {
  if (typeof value === 'string') throw new ReasonsIncomplete(missingFields({}, enkeltvedtak, outcome), true);
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    throw new InvalidInput('reasons', 'must be an object with rulesApplied, facts, mainConsiderations and summary');
  const input = value as Record<string, unknown>;
  const missing = missingFields(input, enkeltvedtak, outcome);
  if (missing.length > 0) throw new ReasonsIncomplete(missing, false);
  const rulesApplied =
    input.rulesApplied === undefined ? [] : requireList(input.rulesApplied, 'reasons.rulesApplied', 0, (v, f) => requireText(v, f, MAX_RULE));
  return {
    rulesApplied,
    // Only a decision that is not an enkeltvedtak may leave the facts out (checked above).
    facts: typeof input.facts === 'string' && input.facts.trim() === '' ? '' : (optionalText(input.facts ?? null, 'reasons.facts', MAX_TEXT) ?? ''),
    mainConsiderations: optionalText(input.mainConsiderations ?? null, 'reasons.mainConsiderations', MAX_TEXT),
    summary: requireText(input.summary, 'reasons.summary', MAX_TEXT),
  };
}

function missingFields(input: Record<string, unknown>, enkeltvedtak: boolean, outcome: DecisionOutcome): string[] {
  const blank = (v: unknown) => v === undefined || v === null || (typeof v === 'string' && v.trim() === '');
  const missing: string[] = [];
  if (enkeltvedtak) {
    const rules = input.rulesApplied;
    if (!Array.isArray(rules) || rules.length === 0 || rules.every(blank)) missing.push('rulesApplied');
    if (blank(input.facts)) missing.push('facts');
    if (outcome !== 'granted' && blank(input.mainConsiderations)) missing.push('mainConsiderations');
  }
  if (blank(input.summary)) missing.push('summary');
  return missing;
}

/** Members under 18 on `day`, by birth date (the role in the household does not decide it). */
export function childrenAmong(members: Member[], day: LocalDate): Member[] {
  return members.filter((m) => ageOn(m.birthDate, day) < CHILD_AGE_LIMIT);
}

/**
 * barnekonvensjonen art. 12, Grunnloven § 104, barnevernsloven § 1-4: every member under 18 on
 * the decision day that the decision is about has a recorded view and its weight, or the reason
 * the child was not heard. Views for members the decision is not about are refused.
 */
export function parseChildViews(value: unknown, members: Member[], decisionDay: LocalDate): ChildView[] {
  const children = childrenAmong(members, decisionDay);
  const list = value === undefined || value === null ? [] : requireList(value, 'childViews', 0, (v, f) => parseChildView(v, f, decisionDay));
  const named = new Set(members.map((m) => m.memberId));
  list.forEach((view, i) => {
    if (!named.has(view.memberId)) throw new InvalidInput(`childViews[${i}].memberId`, 'is not a member this decision is about');
  });
  if (new Set(list.map((v) => v.memberId)).size !== list.length) throw new InvalidInput('childViews', 'one view per child');
  const missing = children.filter((c) => !list.some((v) => v.memberId === c.memberId)).map((c) => c.memberId);
  if (missing.length > 0) throw new ChildViewsMissing(missing);
  return list;
}

function parseChildView(value: unknown, field: string, decisionDay: LocalDate): ChildView {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new InvalidInput(field, 'must be an object');
  const input = value as Record<string, unknown>;
  const memberId = requireText(input.memberId, `${field}.memberId`, 200);
  if (input.heard === true) {
    const heardOn = parseLocalDate(input.heardOn, `${field}.heardOn`);
    if (heardOn > decisionDay) throw new InvalidInput(`${field}.heardOn`, 'the child is heard before the decision, not after');
    return {
      memberId,
      heard: true,
      how: requireOneOf(input.how, `${field}.how`, CHILD_HEARD_HOW),
      heardOn,
      views: requireText(input.views, `${field}.views`, MAX_TEXT),
      weight: requireText(input.weight, `${field}.weight`, MAX_TEXT),
    };
  }
  if (input.heard === false) {
    return {
      memberId,
      heard: false,
      whyNot: requireOneOf(input.whyNot, `${field}.whyNot`, CHILD_NOT_HEARD_WHY),
      explanation: requireText(input.explanation, `${field}.explanation`, MAX_TEXT),
    };
  }
  throw new InvalidInput(`${field}.heard`, 'must be true (with the views and their weight) or false (with why not)');
}
