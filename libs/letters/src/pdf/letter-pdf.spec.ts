import { createHash } from 'node:crypto';
import { pdfText } from '../../../../test/support/pdf-text';
import { composeLetterCopies } from '../compose';
import { lix } from '../lix';
import { DECISION_IDS, ISSUED_ON, LETTER_ID, letterFamily, yusufConsent } from '../testing/letter-family';
import { renderLetterPdf } from './letter-pdf';
import { sampleLetterCopy } from './testing/sample-copy';

const sha256 = (b: Buffer) => createHash('sha256').update(b).digest('hex');

describe('renderLetterPdf', () => {
  it('gives the same bytes for the same copy, whatever the wall clock', async () => {
    const first = await renderLetterPdf(sampleLetterCopy());
    const realNow = Date.now;
    Date.now = () => realNow() + 86_400_000 * 400;
    try {
      const second = await renderLetterPdf(sampleLetterCopy());
      expect(sha256(second)).toBe(sha256(first));
      expect(second.equals(first)).toBe(true);
    } finally {
      Date.now = realNow;
    }
    const other = await renderLetterPdf({ ...sampleLetterCopy(), recipientName: 'Ola Ødegård' });
    expect(sha256(other)).not.toBe(sha256(first));
  });

  it('embeds its fonts (a subset of DejaVu Sans), is tagged and says its language', async () => {
    const bytes = await renderLetterPdf(sampleLetterCopy('nn'));
    const raw = bytes.toString('latin1');
    expect(raw).toMatch(/\/FontFile2 \d+ 0 R/);
    expect(raw).toMatch(/\/BaseFont \/[A-Z]{6}\+DejaVuSans\b/);
    expect(raw).not.toMatch(/\/BaseFont \/Helvetica/);
    expect(raw).toMatch(/\/StructTreeRoot \d+ 0 R/);
    expect(raw).toContain('/Lang (nn-NO)');
    const read = await pdfText(bytes);
    expect(read.marked).toBe(true);
    expect(read.text).toContain('Til: Åse Ødegård');
  });

  it('holds every decision with its appeal body, deadline date and where to send, in order', async () => {
    const read = await pdfText(await renderLetterPdf(sampleLetterCopy('nb')));
    // pdfjs breaks lines where the PDF wraps them; the sentences are compared as one running text.
    const text = read.text.replace(/\u00a0/g, ' ').replace(/\s+/g, ' ');
    // The template's sentences (libs/letters/templates/v1/nb.json), in the order of the HTML letter.
    const order = [
      'Til: Åse Ødegård',
      'Vedtak for familien din',
      'Kontaktpersonen deres er Kari Kontakt ved NAV Trondheim.',
      'Vi går gjennom vedtakene sammen med dere 1. juni 2027.',
      '1. Økonomisk stønad',
      'Hver måned: 12 345,50 kr',
      'Klagen må være sendt senest 28. desember 2026.',
      'Send klagen til NAV Trondheim, Postboks 1, 7000 Trondheim.',
      'sender vi klagen til Statsforvalteren i Trøndelag.',
      '2. Støttekontakt',
      'Vi har snakket med Per Ødegård.',
      'Du har 3 uker på deg. Fristen teller fra dagen du får dette brevet.',
      'Brevmal v1. Språk: bokmål.',
    ];
    let at = -1;
    for (const piece of order) {
      const found = text.indexOf(piece, at + 1);
      expect({ piece, found: found > at }).toEqual({ piece, found: true });
      at = found;
    }
  });

  it('renders English and refuses a copy with no valid issue date', async () => {
    const bytes = await renderLetterPdf(sampleLetterCopy('en'));
    expect(bytes.toString('latin1')).toContain('/Lang (en)');
    const read = await pdfText(bytes);
    expect(read.text.replace(/\s+/g, ' ')).toContain('Send your appeal by 28 December 2026 at the latest.');
    await expect(renderLetterPdf({ ...sampleLetterCopy(), issuedOn: '5.12.2026' })).rejects.toThrow(RangeError);
  });

  // The PDF speaks the template's sentences, so the readability bound of lix.spec.ts holds for what the PDF shows too.
  it.each(['nb', 'nn', 'en'] as const)("%s: the PDF text of the test family's copies reads easily (LIX ≤ 40)", async (language) => {
    const state = letterFamily({ extra: [yusufConsent(['decisions', 'health'])] });
    for (const copy of composeLetterCopies(state, { letterId: LETTER_ID, decisionIds: DECISION_IDS, issuedOn: ISSUED_ON, language })) {
      const score = lix((await pdfText(await renderLetterPdf(copy))).text);
      expect(score.words).toBeGreaterThan(300);
      expect(score.lix).toBeLessThanOrEqual(40);
    }
  });
});
