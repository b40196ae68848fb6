/**
 * Search keys of a family's members: what `read_models.family_view_search_keys(core)` (the
 * FamilyViewSearch migration) computes in the database, and what a query is turned into here.
 * Both sides fold text the same way, without the database's locale (lower() and [[:space:]]
 * depend on it; an index must not), so the SQL narrows candidates and this code decides.
 *
 * - a name is folded (Æ/æ to "ae", ß to "ss", accented Latin letters to their base letter, A-Z
 *   to a-z), split into words on spaces and punctuation, and every prefix of every word (up to
 *   NAME_KEY_MAX letters) is a key `n:<prefix>`: "Åse Øyen-Hansen" gives n:a, n:as, n:ase, n:o,
 *   n:oy, ... n:hansen;
 * - a birth date is `b:YYYY-MM-DD`; a national id (fødselsnummer or d-nummer) `i:<11 digits>`.
 */

/** Letters folded one to one (upper and lower case), kept in step with the migration's copy (a test checks). */
export const FOLD_FROM =
  'ÀÁÂÃÄÅĀĂĄàáâãäåāăąÇĆČçćčĎĐďđÈÉÊËĒĖĘĚèéêëēėęěÌÍÎÏĪĮìíîïīįŁłÑŃŇñńňÒÓÔÕÖŌŐØòóôõöōőøŔŘŕřŚŠŞśšşŤŢťţÙÚÛÜŪŮŰŲùúûüūůűųÝŸýÿŹŻŽźżžABCDEFGHIJKLMNOPQRSTUVWXYZ\u00a0';
export const FOLD_TO =
  'aaaaaaaaaaaaaaaaaaccccccddddeeeeeeeeeeeeeeeeiiiiiiiiiiiillnnnnnnoooooooooooooooorrrrssssssttttuuuuuuuuuuuuuuuuyyyyzzzzzzabcdefghijklmnopqrstuvwxyz ';
/** Word separators (a regular expression class body), the same in SQL and here. */
export const WORD_SEPARATORS = ` \\t\\n\\r,.'’"()/-`;
/** Longest name prefix indexed; longer query words are looked up by this prefix and checked here in full. */
export const NAME_KEY_MAX = 40;

const FOLD = new Map([...FOLD_FROM].map((c, i) => [c, FOLD_TO[i]]));
const SEPARATOR = new RegExp(`[${WORD_SEPARATORS}]+`);

/** The folded text: as `read_models.search_fold` gives it. */
export function foldText(text: string): string {
  const replaced = text.replace(/[Ææ]/g, 'ae').replace(/ß/g, 'ss');
  let out = '';
  for (const c of replaced) out += FOLD.get(c) ?? c;
  return out;
}

/** The folded words of a name (empty words dropped). */
export function nameWords(text: string): string[] {
  return foldText(text)
    .split(SEPARATOR)
    .filter((w) => w.length > 0);
}

/** Whether every query word begins some word of the name ("ami has" matches "Amina Hassan"; "has ami" too). */
export function nameMatches(name: string | null, queryWords: string[]): boolean {
  if (name === null || queryWords.length === 0) return false;
  const words = nameWords(name);
  return queryWords.every((q) => words.some((w) => w.startsWith(q)));
}

export const nameKey = (word: string) => `n:${[...word].slice(0, NAME_KEY_MAX).join('')}`;
export const birthDateKey = (date: string) => `b:${date}`;
export const nationalIdKey = (id: string) => `i:${id}`;
