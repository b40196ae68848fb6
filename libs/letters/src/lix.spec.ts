import { composeLetterCopies } from './compose';
import { lix, lixOfHtml } from './lix';
import { renderLetterHtml } from './render-html';
import { DECISION_IDS, ISSUED_ON, LETTER_ID, letterFamily, yusufConsent } from './testing/letter-family';

describe('LIX (Björnsson): words per sentence + per cent long words', () => {
  it('counts words, sentences and words of more than six letters', () => {
    // 8 words, 2 sentences, 1 long word ("kommunen"): 8/2 + 100*1/8 = 16.5
    expect(lix('Vi sier ja. Du får hjelp fra kommunen.')).toEqual({ lix: 16.5, words: 8, sentences: 2, longWords: 1 });
  });

  it('the period of a date is not the end of a sentence', () => {
    expect(lix('Fristen er 7. april 2026.').sentences).toBe(1);
  });

  it('headings and list items end a sentence in HTML', () => {
    expect(lixOfHtml('<h2>Du kan klage</h2><ul><li>Send klagen til oss</li></ul><p>Skriv under.</p>').sentences).toBe(3);
  });
});

/**
 * Klarspråk: a public letter should be easy to read. LIX 40 is the usual upper bound of "easy"
 * (fiction, plain public information); the letter's statute names (sosialtjenesteloven,
 * forvaltningsloven) and the caseworkers' own text are measured too.
 */
describe('readability of the family letter: LIX ≤ 40 in each language', () => {
  const state = letterFamily({ extra: [yusufConsent(['decisions', 'health'])] });
  it.each(['nb', 'nn', 'en'] as const)('%s', (language) => {
    const copies = composeLetterCopies(state, { letterId: LETTER_ID, decisionIds: DECISION_IDS, issuedOn: ISSUED_ON, language });
    for (const copy of copies) {
      const score = lixOfHtml(renderLetterHtml(copy));
      expect(score.words).toBeGreaterThan(300);
      expect(score.lix).toBeLessThanOrEqual(40);
    }
  });
});
