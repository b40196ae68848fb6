import type { AppealRoute, DecisionOutcome, DecisionTypeCode, Unit } from '@familievedtak/domain';
import type { LetterLanguage } from './letter.model';
import en from '../templates/v1/en.json';
import nb from '../templates/v1/nb.json';
import nn from '../templates/v1/nn.json';

/**
 * Every sentence of the letter lives in a versioned template file (libs/letters/templates/<version>/<lang>.json),
 * never in code: a letter records its template version, and re-rendering an issued copy uses that
 * version's files. A new wording is a new version directory; an issued version is never edited.
 * The type makes the compiler check that each language file has every key.
 */
export type LetterTemplate = {
  meta: { languageName: string; municipality: string; withheld: string; and: string };
  months: string[];
  formats: { date: string; money: string; thousands: string; decimal: string };
  units: Record<Unit, string>;
  decisionTypes: Record<DecisionTypeCode, string>;
  appealBodies: Record<AppealRoute['body'], string>;
  outcomes: Record<DecisionOutcome, string>;
  text: Record<TextKey, string>;
};

type TextKey = keyof (typeof nb)['text'];

export const CURRENT_TEMPLATE_VERSION = 'v1';

const VERSIONS: Record<string, Record<LetterLanguage, LetterTemplate>> = {
  v1: { nb, nn, en },
};

export function templateFor(version: string, language: LetterLanguage): LetterTemplate {
  const template = VERSIONS[version]?.[language];
  if (!template) throw new Error(`No letter template ${version}/${language}`);
  return template;
}

export function templateVersions(): string[] {
  return Object.keys(VERSIONS);
}
