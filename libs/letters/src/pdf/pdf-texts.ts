import type { LetterDecisionPart, LetterLanguage } from '../letter.model';

/**
 * The fixed wording of the PDF copy per language. Plain language (klarspråk): short
 * sentences, "du", the law's sections named once where the right comes from.
 */
export interface PdfTexts {
  bcp47: string;
  title: string;
  to: string;
  date: string;
  reference: string;
  templateVersion: string;
  intro: (count: number) => string;
  decisionHeading: (n: number, part: LetterDecisionPart) => string;
  outcome: Record<LetterDecisionPart['outcome'], string>;
  about: string;
  period: string;
  untilFurther: string;
  monthly: string;
  oneOff: string;
  rules: string;
  facts: string;
  considerations: string;
  childViews: string;
  heard: (name: string) => string;
  notHeard: (name: string) => string;
  weight: string;
  whyNot: string;
  appealHeading: string;
  appealRight: (weeks: number, provision: string) => string;
  appealBody: string;
  appealDeadline: string;
  deadlineFromReceipt: (weeks: number) => string;
  sendTo: string;
  noAppeal: string;
  rightsHeading: string;
  documentsRight: string;
  suspensionRight: string;
  reviewHeading: string;
  reviewDate: string;
  noReviewDate: string;
  contactHeading: string;
  noContact: string;
  goalsHeading: string;
  months: string[];
}

const NB_MONTHS = ['januar', 'februar', 'mars', 'april', 'mai', 'juni', 'juli', 'august', 'september', 'oktober', 'november', 'desember'];

const nb: PdfTexts = {
  bcp47: 'nb-NO',
  title: 'Vedtak til familien',
  to: 'Til',
  date: 'Dato',
  reference: 'Brevnummer',
  templateVersion: 'Malversjon',
  intro: (n) => (n === 1 ? 'Du får dette brevet fordi kommunen har gjort ett vedtak som gjelder deg eller barna dine.' : `Du får dette brevet fordi kommunen har gjort ${n} vedtak som gjelder deg eller barna dine.`),
  decisionHeading: (n, p) => `Vedtak ${n}: ${p.typeLabel} (${p.unitName})`,
  outcome: { granted: 'Du får det du søkte om.', 'partly-granted': 'Du får en del av det du søkte om.', refused: 'Du får ikke det du søkte om.' },
  about: 'Gjelder',
  period: 'Periode',
  untilFurther: 'inntil videre',
  monthly: 'Beløp per måned',
  oneOff: 'Engangsbeløp',
  rules: 'Reglene vi har brukt',
  facts: 'Det vi har lagt vekt på',
  considerations: 'Hvorfor vi har bestemt dette',
  childViews: 'Barnets mening',
  heard: (name) => `${name} har fått si sin mening.`,
  notHeard: (name) => `${name} har ikke fått si sin mening.`,
  weight: 'Slik har vi lagt vekt på meningen',
  whyNot: 'Hvorfor',
  appealHeading: 'Du kan klage',
  appealRight: (weeks, provision) => `Du kan klage på vedtaket innen ${weeks} uker (${provision}).`,
  appealBody: 'Klagen avgjøres av',
  appealDeadline: 'Klagefrist',
  deadlineFromReceipt: (weeks) => `${weeks} uker fra den dagen du fikk brevet`,
  sendTo: 'Send klagen til',
  noAppeal: 'Du kan ikke klage på dette vedtaket.',
  rightsHeading: 'Dine rettigheter',
  documentsRight: 'Du har rett til å se dokumentene i saken din (forvaltningsloven § 18).',
  suspensionRight: 'Du kan be om at vedtaket ikke gjennomføres før klagen er avgjort (forvaltningsloven § 42).',
  reviewHeading: 'Ny gjennomgang',
  reviewDate: 'Vi går gjennom vedtakene igjen',
  noReviewDate: 'Det er ikke satt en dato for ny gjennomgang.',
  contactHeading: 'Kontaktperson',
  noContact: 'Du har ingen fast kontaktperson ennå. Ring kommunen.',
  goalsHeading: 'Målene i familieplanen',
  months: NB_MONTHS,
};

const nn: PdfTexts = {
  ...nb,
  bcp47: 'nn-NO',
  title: 'Vedtak til familien',
  to: 'Til',
  reference: 'Brevnummer',
  templateVersion: 'Malversjon',
  intro: (n) => (n === 1 ? 'Du får dette brevet fordi kommunen har gjort eitt vedtak som gjeld deg eller borna dine.' : `Du får dette brevet fordi kommunen har gjort ${n} vedtak som gjeld deg eller borna dine.`),
  outcome: { granted: 'Du får det du søkte om.', 'partly-granted': 'Du får ein del av det du søkte om.', refused: 'Du får ikkje det du søkte om.' },
  about: 'Gjeld',
  untilFurther: 'inntil vidare',
  monthly: 'Beløp kvar månad',
  oneOff: 'Eingongsbeløp',
  rules: 'Reglane vi har brukt',
  facts: 'Det vi har lagt vekt på',
  considerations: 'Kvifor vi har bestemt dette',
  childViews: 'Meininga til barnet',
  heard: (name) => `${name} har fått seie meininga si.`,
  notHeard: (name) => `${name} har ikkje fått seie meininga si.`,
  weight: 'Slik har vi lagt vekt på meininga',
  whyNot: 'Kvifor',
  appealHeading: 'Du kan klage',
  appealRight: (weeks, provision) => `Du kan klage på vedtaket innan ${weeks} veker (${provision}).`,
  appealBody: 'Klaga blir avgjord av',
  deadlineFromReceipt: (weeks) => `${weeks} veker frå den dagen du fekk brevet`,
  sendTo: 'Send klaga til',
  noAppeal: 'Du kan ikkje klage på dette vedtaket.',
  rightsHeading: 'Rettane dine',
  documentsRight: 'Du har rett til å sjå dokumenta i saka di (forvaltningslova § 18).',
  suspensionRight: 'Du kan be om at vedtaket ikkje blir gjennomført før klaga er avgjord (forvaltningslova § 42).',
  reviewDate: 'Vi går gjennom vedtaka att',
  noReviewDate: 'Det er ikkje sett ein dato for ny gjennomgang.',
  contactHeading: 'Kontaktperson',
  noContact: 'Du har ingen fast kontaktperson enno. Ring kommunen.',
  goalsHeading: 'Måla i familieplanen',
};

const en: PdfTexts = {
  bcp47: 'en',
  title: 'Decisions for the family',
  to: 'To',
  date: 'Date',
  reference: 'Letter number',
  templateVersion: 'Template version',
  intro: (n) => (n === 1 ? 'You get this letter because the municipality has made one decision about you or your children.' : `You get this letter because the municipality has made ${n} decisions about you or your children.`),
  decisionHeading: (n, p) => `Decision ${n}: ${p.typeLabel} (${p.unitName})`,
  outcome: { granted: 'You get what you applied for.', 'partly-granted': 'You get part of what you applied for.', refused: 'You do not get what you applied for.' },
  about: 'About',
  period: 'Period',
  untilFurther: 'until further notice',
  monthly: 'Amount per month',
  oneOff: 'One-off amount',
  rules: 'The rules we used',
  facts: 'The facts we relied on',
  considerations: 'Why we decided this',
  childViews: "The child's views",
  heard: (name) => `${name} was heard.`,
  notHeard: (name) => `${name} was not heard.`,
  weight: 'How we weighed the views',
  whyNot: 'Why',
  appealHeading: 'You can appeal',
  appealRight: (weeks, provision) => `You can appeal this decision within ${weeks} weeks (${provision}).`,
  appealBody: 'The appeal is decided by',
  appealDeadline: 'Appeal deadline',
  deadlineFromReceipt: (weeks) => `${weeks} weeks from the day you received this letter`,
  sendTo: 'Send the appeal to',
  noAppeal: 'This decision cannot be appealed.',
  rightsHeading: 'Your rights',
  documentsRight: 'You have the right to see the documents in your case (Public Administration Act § 18).',
  suspensionRight: 'You can ask that the decision is not carried out until the appeal is decided (Public Administration Act § 42).',
  reviewHeading: 'Review',
  reviewDate: 'We will review the decisions on',
  noReviewDate: 'No review date has been set.',
  contactHeading: 'Contact person',
  noContact: 'You have no contact person yet. Call the municipality.',
  goalsHeading: 'The goals in the family plan',
  months: ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'],
};

export const PDF_TEXTS: Record<LetterLanguage, PdfTexts> = { nb, nn, en };

/** "2026-12-05" → "5. desember 2026" / "5 December 2026": a date a reader need not decode. */
export function formatDate(texts: PdfTexts, isoDate: string): string {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(isoDate);
  if (!m) return isoDate;
  const day = Number(m[3]);
  const month = texts.months[Number(m[2]) - 1];
  return texts.bcp47 === 'en' ? `${day} ${month} ${m[1]}` : `${day}. ${month} ${m[1]}`;
}

/** Øre as kroner with two decimals, grouped the way the reader's language writes money. */
export function formatKroner(texts: PdfTexts, ore: number): string {
  const negative = ore < 0;
  const abs = Math.abs(Math.trunc(ore));
  const whole = Math.floor(abs / 100).toString();
  const cents = (abs % 100).toString().padStart(2, '0');
  const english = texts.bcp47 === 'en';
  const grouped = whole.replace(/\B(?=(\d{3})+(?!\d))/g, english ? ',' : '\u00a0');
  const amount = english ? `NOK ${grouped}.${cents}` : `${grouped},${cents} kr`;
  return negative ? `-${amount}` : amount;
}
