/**
 * @familievedtak/letters: the family letter (issue 14). What each adult's copy says, in which
 * language, from versioned templates; its HTML rendering and readability measure. Pure TypeScript:
 * no framework, no clock (the issue date comes in), no I/O beyond the bundled templates.
 */
export * from './letter.model';
export { composeLetterCopies, type ComposeOptions } from './compose';
export { renderLetterHtml } from './render-html';
export { lix, lixOfHtml, type LixScore } from './lix';
export { CURRENT_TEMPLATE_VERSION, templateFor, templateVersions, type LetterTemplate } from './templates';
export { fill, formatDate, formatMoney } from './format';
// Engineer P's PDF rendering of the same copy (libs/letters/src/pdf).
export { renderLetterPdf } from './pdf/letter-pdf';
