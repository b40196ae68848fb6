import type { LetterTemplate } from './templates';

/**
 * Formatting without Intl: ICU data differs between Node builds, and a rendered copy must be the
 * same bytes wherever it is re-rendered (its SHA-256 is on the record).
 */

/** A template sentence with its {placeholders} filled; a missing value is a template error, never a silent gap. */
export function fill(text: string, values: Record<string, string | number> = {}): string {
  return text.replace(/\{(\w+)\}/g, (_, key: string) => {
    if (!(key in values)) throw new Error(`Letter template: no value for {${key}} in "${text}"`);
    return String(values[key]);
  });
}

/** An Oslo calendar date (YYYY-MM-DD) written out: "7. april 2026", "7 April 2026". */
export function formatDate(date: string, template: LetterTemplate): string {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(date);
  if (!match) throw new Error(`Not a calendar date: ${date}`);
  const [, year, month, day] = match;
  return fill(template.formats.date, { day: Number(day), month: template.months[Number(month) - 1], year });
}

/** Øre as kroner: "12 500 kr", "NOK 12,500"; øre shown only when there are some. */
export function formatMoney(ore: number, template: LetterTemplate): string {
  const negative = ore < 0;
  const abs = Math.abs(Math.round(ore));
  const kroner = Math.floor(abs / 100)
    .toString()
    .replace(/\B(?=(\d{3})+(?!\d))/g, template.formats.thousands);
  const rest = abs % 100;
  const amount = `${negative ? '-' : ''}${kroner}${rest ? `${template.formats.decimal}${String(rest).padStart(2, '0')}` : ''}`;
  return fill(template.formats.money, { amount });
}

/** "A", "A og B", "A, B og C". */
export function listNames(names: string[], template: LetterTemplate): string {
  if (names.length <= 1) return names.join('');
  return `${names.slice(0, -1).join(', ')} ${template.meta.and} ${names[names.length - 1]}`;
}

export function escapeHtml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');
}
