/**
 * LIX (läsbarhetsindex, Björnsson 1968), used for Scandinavian texts: words per sentence plus
 * the share of long words (more than six letters) in per cent. Under 30 is very easy, 30-40
 * easy (fiction, plain-language public letters), 40-50 medium (newspapers), above 50 hard.
 */
export type LixScore = { lix: number; words: number; sentences: number; longWords: number };

const WORD = /[\p{L}\p{N}]+(?:[-'’][\p{L}\p{N}]+)*/gu;

export function lix(text: string): LixScore {
  const words = text.match(WORD) ?? [];
  const longWords = words.filter((w) => (w.match(/\p{L}/gu) ?? []).length > 6).length;
  // A sentence ends at . ! ? or : – but not at the period of an ordinal date or number ("7. april", "§ 3.").
  const sentences = Math.max(1, (text.match(/(?<!\d)[.!?:]+(?=\s|$)/gu) ?? []).length);
  const n = Math.max(1, words.length);
  return { lix: words.length / sentences + (100 * longWords) / n, words: words.length, sentences, longWords };
}

/**
 * LIX of an HTML document's visible text. Headings, list items, table cells and paragraphs end
 * a sentence even without a full stop: they are read as units of their own.
 */
export function lixOfHtml(html: string): LixScore {
  const text = html
    .replace(/<(style|script|head)[\s\S]*?<\/\1>/gi, ' ')
    .replace(/<\/(h[1-6]|li|td|th|p|dt|dd|caption)>/gi, '. ')
    .replace(/<[^>]+>/g, ' ')
    .replace(/&nbsp;/g, ' ')
    .replace(/&[a-z#0-9]+;/gi, ' ')
    .replace(/([.!?:])\s*\.\s/g, '$1 ');
  return lix(text);
}
