import { InvalidInput } from '../shared/domain-error';
import { parseOre } from '../shared/money';
import { parsePeriod } from '../shared/local-date';
import { optionalText } from '../shared/validation';
import type { AmountsInput, TermsChange } from './family.commands';
import { LegalBasisRequired, NothingToAmend } from './family.errors';
import type { Decision } from './family.state';
import type { DecisionAmounts, DecisionTerms } from './family.values';

/** Parsing of the parts of a decision that proposals, amendments and appeal reversals set. */

export const MAX_REASONS_LENGTH = 10_000;
export const MAX_LEGAL_BASIS_LENGTH = 500;

/** Amounts in øre; a key left out keeps `base`'s value, null clears it. */
export function parseAmounts(input: AmountsInput | undefined, base: DecisionAmounts = { monthlyAmountOre: null, oneOffAmountOre: null }): DecisionAmounts {
  if (input === undefined || input === null) return base;
  if (typeof input !== 'object') throw new InvalidInput('amounts', 'must be an object with monthlyAmountOre and/or oneOffAmountOre');
  const pick = (key: keyof DecisionAmounts) => {
    const value = input[key];
    if (value === undefined) return base[key];
    return value === null ? null : parseOre(value, `amounts.${key}`);
  };
  return { monthlyAmountOre: pick('monthlyAmountOre'), oneOffAmountOre: pick('oneOffAmountOre') };
}

export function parseLegalBasis(value: unknown, fallback: string | null, enkeltvedtak: boolean): string | null {
  const legalBasis = value === undefined ? fallback : optionalText(value, 'legalBasis', MAX_LEGAL_BASIS_LENGTH);
  if (enkeltvedtak && legalBasis === null) throw new LegalBasisRequired();
  return legalBasis;
}

/**
 * The decision's terms after a change. An amendment may only restate the reasons; an appeal
 * reversal (`termChangeRequired`) must change the period, an amount or the legal basis.
 */
export function amendedTerms(decision: Decision, change: TermsChange, reasons: string, termChangeRequired: boolean): DecisionTerms {
  if (typeof change !== 'object' || change === null) throw new InvalidInput('amendment', 'must say what changes');
  const period = parsePeriod(change.periodFrom ?? decision.periodFrom, change.periodUntil ?? decision.periodUntil, {
    from: 'periodFrom',
    until: 'periodUntil',
  });
  const terms: DecisionTerms = {
    periodFrom: period.from,
    periodUntil: period.until,
    amounts: parseAmounts(change.amounts, decision.amounts),
    legalBasis: parseLegalBasis(change.legalBasis, decision.legalBasis, decision.enkeltvedtak),
    reasons,
  };
  const termsUnchanged =
    terms.periodFrom === decision.periodFrom &&
    terms.periodUntil === decision.periodUntil &&
    terms.amounts.monthlyAmountOre === decision.amounts.monthlyAmountOre &&
    terms.amounts.oneOffAmountOre === decision.amounts.oneOffAmountOre &&
    terms.legalBasis === decision.legalBasis;
  if (termsUnchanged && (termChangeRequired || reasons === decision.reasons)) throw new NothingToAmend(decision.decisionId, termChangeRequired);
  return terms;
}
