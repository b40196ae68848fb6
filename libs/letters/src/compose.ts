import {
  ADULT_AGE,
  ageOn,
  appealDeadlineOf,
  DecisionNotFound,
  decisionTypeEntry,
  letterDecisionsFor,
  letterLanguageFor,
  letterRecipients,
  type Decision,
  type FamilyState,
  type LetterLanguageCode,
  type LocalDate,
  type Member,
} from '@familievedtak/domain';
import type { LetterCopy, LetterDecisionPart } from './letter.model';
import { CURRENT_TEMPLATE_VERSION, templateFor, type LetterTemplate } from './templates';

export type ComposeOptions = {
  letterId: string;
  decisionIds: string[];
  /** English (or another of nb/nn/en) on request; else each recipient's own choice, else bokmål. */
  language?: LetterLanguageCode | null;
  /** The Oslo date of issue, from the injected clock. */
  issuedOn: LocalDate;
  templateVersion?: string;
};

/**
 * One copy per adult recipient, each holding only what that adult may read (the rules are the
 * domain's: letters.decide.ts, forvaltningsloven § 13 between the members). `state` is the full
 * folded family (not a reader's masked view): the letter goes to the family, and its parts are
 * chosen here per recipient. Pure and deterministic: same state and options, same copies.
 */
export function composeLetterCopies(state: FamilyState, options: ComposeOptions): LetterCopy[] {
  const version = options.templateVersion ?? CURRENT_TEMPLATE_VERSION;
  const decisions = options.decisionIds.map((id) => {
    const decision = state.decisions[id];
    if (!decision) throw new DecisionNotFound(id);
    return decision;
  });
  return letterRecipients(state, decisions, options.issuedOn).map((recipientId) => {
    const recipient = state.members[recipientId];
    const language = letterLanguageFor(recipient, options.language);
    const template = templateFor(version, language);
    const scrub = placeScrubber(state, recipient, template);
    return {
      letterId: options.letterId,
      recipientMemberId: recipientId,
      recipientName: recipient.name,
      language,
      templateVersion: version,
      issuedOn: options.issuedOn,
      familyPart: familyPart(state, recipient, options, template, scrub),
      decisions: letterDecisionsFor(state, recipientId, decisions, options.issuedOn).map(({ decision, basis }) =>
        decisionPart(state, recipient, decision, basis, options.issuedOn, template, scrub),
      ),
      district: scrub.withheld ? null : state.district,
    };
  });
}

type Scrubber = { withheld: boolean; text: (value: string) => string };

/**
 * No address or district of a protected member (kode 6/7, adressesperre) in anyone else's copy:
 * the district is left out, and where a caseworker's free text names it, it is replaced.
 */
function placeScrubber(state: FamilyState, recipient: Member, template: LetterTemplate): Scrubber {
  const withheld = Object.values(state.members).some(
    (m) => m.memberId !== recipient.memberId && m.status === 'current' && (m.protectedAddress || m.addressProtection !== 'none'),
  );
  const district = state.district?.trim();
  if (!withheld || !district) return { withheld, text: (value) => value };
  const pattern = new RegExp(district.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'), 'giu');
  return { withheld, text: (value) => value.replace(pattern, template.meta.withheld) };
}

function nameOf(state: FamilyState, memberId: string): string {
  return state.members[memberId]?.name ?? memberId;
}

function familyPart(state: FamilyState, recipient: Member, options: ComposeOptions, template: LetterTemplate, scrub: Scrubber): LetterCopy['familyPart'] {
  // One review date and one contact: the family decision in force that bundles the letter's decisions, else the family's plan.
  const bundle = Object.values(state.familyDecisions)
    .filter((f) => f.status === 'in-force' && f.decisions.some((d) => options.decisionIds.includes(d.decisionId)))
    .sort((a, b) => (a.issuedAt < b.issuedAt ? 1 : -1))[0];
  const plan = Object.values(state.familyPlans ?? {}).find((p) => p.status === 'active');
  const contactOf = (personId: string | undefined) => {
    const person = personId ? state.team[personId] : undefined;
    if (!person || person.affiliation.kind !== 'unit') return null;
    return { name: person.name, unitName: template.units[person.affiliation.unit] };
  };
  const reviewDate = bundle?.reviewDate ?? plan?.reviewDates.filter((d) => d >= options.issuedOn).sort()[0] ?? null;
  const contact = contactOf(bundle?.contactPersonId) ?? contactOf(plan?.coordinator.personId);
  const goals = (plan?.goals ?? []).filter((goal) => goalVisible(state, recipient, goal.memberIds, options.issuedOn)).map((goal) => scrub.text(goal.words));
  return { reviewDate, contact, planGoals: goals };
}

/** A goal of the whole family, or one naming the recipient or a child they hold parental responsibility for; another adult's own goal stays theirs. */
function goalVisible(state: FamilyState, recipient: Member, memberIds: string[], on: LocalDate): boolean {
  if (memberIds.length === 0 || memberIds.includes(recipient.memberId)) return true;
  return memberIds.some((id) => {
    const child = state.members[id];
    return child !== undefined && ageOn(child.birthDate, on) < ADULT_AGE && state.parentalResponsibility[`${id}:${recipient.memberId}`]?.active === true;
  });
}

function decisionPart(
  state: FamilyState,
  recipient: Member,
  decision: Decision,
  basis: LetterDecisionPart['basis'],
  on: LocalDate,
  template: LetterTemplate,
  scrub: Scrubber,
): LetterDecisionPart {
  const unitName = template.units[decision.unit];
  const route = decisionTypeEntry(decision.decisionType).appeal;
  const reasons = decision.structuredReasons;
  return {
    decisionId: decision.decisionId,
    unitName,
    typeLabel: template.decisionTypes[decision.decisionType],
    outcome: decision.outcome,
    aboutNames: decision.memberIds.map((id) => nameOf(state, id)),
    periodFrom: decision.periodFrom,
    periodUntil: decision.periodUntil ?? null,
    monthlyAmountOre: decision.amounts.monthlyAmountOre,
    oneOffAmountOre: decision.amounts.oneOffAmountOre,
    rulesApplied: [...reasons.rulesApplied],
    facts: scrub.text(reasons.facts),
    mainConsiderations: reasons.mainConsiderations === null ? null : scrub.text(reasons.mainConsiderations),
    childViews: (decision.childViews ?? []).map((v) => ({
      childName: nameOf(state, v.memberId),
      heard: v.heard,
      views: v.heard ? scrub.text(v.views) : null,
      weight: v.heard ? scrub.text(v.weight) : null,
      whyNot: v.heard ? null : scrub.text(v.explanation),
    })),
    // fvl §§ 28, 29, 32: the body and deadline from the catalogue; the appeal is sent to the unit that decided.
    appeal:
      route && decision.enkeltvedtak
        ? {
            bodyName: template.appealBodies[route.body],
            deadline: appealDeadlineOf(state, decision.decisionId, recipient.memberId),
            weeks: route.weeks,
            sendTo: unitName,
            provision: `${route.provision}; forvaltningsloven § 32`,
          }
        : null,
    basis,
    consentOf: basis === 'consent' ? decision.memberIds.map((id) => nameOf(state, id)) : [],
  };
}
