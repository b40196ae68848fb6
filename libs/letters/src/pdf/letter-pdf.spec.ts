import { createHash } from 'node:crypto';
import { pdfText } from '../../../../test/support/pdf-text';
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
    const text = read.text.replace(/\u00a0/g, ' ');
    const order = [
      'Vedtak til familien',
      'Vedtak 1: Økonomisk stønad (NAV Trondheim)',
      'Beløp per måned: 12 345,50 kr',
      'Klagen avgjøres av: Statsforvalteren i Trøndelag',
      'Klagefrist: 28. desember 2026',
      'Send klagen til: NAV Trondheim, Postboks 1, 7000 Trondheim',
      'Vedtak 2: Støttekontakt (Barneverntjenesten)',
      'Per Ødegård har fått si sin mening.',
      'Klagefrist: 3 uker fra den dagen du fikk brevet',
      'Vi går gjennom vedtakene igjen 1. juni 2027.',
      'Kari Kontakt, NAV Trondheim',
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
    expect(read.text).toContain('Appeal deadline: 28 December 2026');
    await expect(renderLetterPdf({ ...sampleLetterCopy(), issuedOn: '5.12.2026' })).rejects.toThrow(RangeError);
  });
});
