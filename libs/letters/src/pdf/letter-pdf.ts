import { dirname, join } from 'node:path';
import PDFDocument from 'pdfkit';
import type { LetterCopy, LetterDecisionPart } from '../letter.model';
import { formatDate, formatKroner, PDF_TEXTS, PdfTexts } from './pdf-texts';

/**
 * DejaVu Sans from the `dejavu-fonts-ttf` npm package (Bitstream Vera licence + public
 * domain changes: free to embed and redistribute). pdfkit embeds a subset of the glyphs used,
 * so æ, ø, å render the same on every reader without a system font.
 */
const FONT_DIR = join(dirname(require.resolve('dejavu-fonts-ttf/package.json')), 'ttf');
export const LETTER_FONTS = { regular: join(FONT_DIR, 'DejaVuSans.ttf'), bold: join(FONT_DIR, 'DejaVuSans-Bold.ttf') } as const;

/**
 * The PDF's dates come from the copy, never the wall clock: the creation date is the issue
 * day at noon UTC, so the same copy gives the same bytes (pdfkit derives the file id from it).
 */
function fixedDate(issuedOn: string): Date {
  const at = new Date(`${issuedOn}T12:00:00.000Z`);
  if (Number.isNaN(at.getTime())) throw new RangeError(`issuedOn must be a date (YYYY-MM-DD), got ${issuedOn}`);
  return at;
}

type Struct = PDFKit.PDFStructureElement;

/**
 * One recipient's copy as a tagged PDF (PDF/UA subset: structure tree, document language,
 * title shown): headings H1/H2/H3 and paragraphs in the same order as the HTML letter.
 * Deterministic: fixed dates, no random ids, fonts subset by glyph use.
 */
export async function renderLetterPdf(copy: LetterCopy): Promise<Buffer> {
  const t = PDF_TEXTS[copy.language];
  if (!t) throw new RangeError(`No texts for language ${String(copy.language)}`);
  const at = fixedDate(copy.issuedOn);
  const doc = new PDFDocument({
    size: 'A4',
    margins: { top: 56, bottom: 56, left: 62, right: 62 },
    pdfVersion: '1.7',
    // pdfkit knows PDF/UA (it adds the pdfuaid metadata); @types/pdfkit lists only PDF/A.
    subset: 'PDF/UA' as PDFKit.Mixins.PDFSubsets,
    tagged: true,
    displayTitle: true,
    lang: t.bcp47,
    compress: true,
    info: { Title: `${t.title}: ${copy.recipientName}`, Author: 'Familievedtak', Creator: 'familievedtak', Producer: 'familievedtak', CreationDate: at, ModDate: at },
    font: LETTER_FONTS.regular,
  });
  doc.registerFont('regular', LETTER_FONTS.regular);
  doc.registerFont('bold', LETTER_FONTS.bold);
  const chunks: Buffer[] = [];
  const done = new Promise<Buffer>((resolve, reject) => {
    doc.on('data', (chunk: Buffer) => chunks.push(chunk));
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
  });
  writeLetter(doc, copy, t);
  doc.end();
  return done;
}

function writeLetter(doc: PDFKit.PDFDocument, copy: LetterCopy, t: PdfTexts): void {
  const root = doc.struct('Document');
  doc.addStructure(root);
  const heading = (parent: Struct, level: 'H1' | 'H2' | 'H3', text: string) => {
    const size = level === 'H1' ? 18 : level === 'H2' ? 14 : 12;
    doc.moveDown(level === 'H1' ? 0 : 0.6).font('bold').fontSize(size).text(text, { structParent: parent, structType: level });
    doc.font('regular').fontSize(11);
  };
  const para = (parent: Struct, text: string) => doc.text(text, { structParent: parent, structType: 'P' });
  const field = (parent: Struct, label: string, value: string) => para(parent, `${label}: ${value}`);

  heading(root, 'H1', t.title);
  field(root, t.to, copy.recipientName);
  field(root, t.date, formatDate(t, copy.issuedOn));
  field(root, t.reference, copy.letterId);
  field(root, t.templateVersion, copy.templateVersion);
  doc.moveDown(0.5);
  para(root, t.intro(copy.decisions.length));

  copy.decisions.forEach((part, i) => writeDecision(doc, root, t, part, i + 1, { heading, para, field }));

  const family = copy.familyPart;
  heading(root, 'H2', t.reviewHeading);
  para(root, family.reviewDate ? `${t.reviewDate} ${formatDate(t, family.reviewDate)}.` : t.noReviewDate);
  if (family.planGoals.length) {
    heading(root, 'H2', t.goalsHeading);
    for (const goal of family.planGoals) para(root, `• ${goal}`);
  }
  heading(root, 'H2', t.contactHeading);
  para(root, family.contact ? `${family.contact.name}, ${family.contact.unitName}` : t.noContact);
  root.end();
}

interface Writers {
  heading: (parent: Struct, level: 'H1' | 'H2' | 'H3', text: string) => void;
  para: (parent: Struct, text: string) => void;
  field: (parent: Struct, label: string, value: string) => void;
}

function writeDecision(doc: PDFKit.PDFDocument, root: Struct, t: PdfTexts, part: LetterDecisionPart, n: number, w: Writers): void {
  const section = doc.struct('Sect');
  root.add(section);
  w.heading(section, 'H2', t.decisionHeading(n, part));
  w.para(section, t.outcome[part.outcome]);
  if (part.aboutNames.length) w.field(section, t.about, part.aboutNames.join(', '));
  w.field(section, t.period, `${formatDate(t, part.periodFrom)} – ${part.periodUntil ? formatDate(t, part.periodUntil) : t.untilFurther}`);
  if (part.monthlyAmountOre !== null) w.field(section, t.monthly, formatKroner(t, part.monthlyAmountOre));
  if (part.oneOffAmountOre !== null) w.field(section, t.oneOff, formatKroner(t, part.oneOffAmountOre));
  if (part.rulesApplied.length) w.field(section, t.rules, part.rulesApplied.join('; '));
  w.field(section, t.facts, part.facts);
  if (part.mainConsiderations) w.field(section, t.considerations, part.mainConsiderations);
  if (part.childViews.length) {
    w.heading(section, 'H3', t.childViews);
    for (const v of part.childViews) {
      w.para(section, v.heard ? t.heard(v.childName) : t.notHeard(v.childName));
      if (v.views) w.para(section, `«${v.views}»`);
      if (v.weight) w.field(section, t.weight, v.weight);
      if (v.whyNot) w.field(section, t.whyNot, v.whyNot);
    }
  }
  w.heading(section, 'H3', t.appealHeading);
  if (part.appeal) {
    w.para(section, t.appealRight(part.appeal.weeks, part.appeal.provision));
    w.field(section, t.appealBody, part.appeal.bodyName);
    w.field(section, t.appealDeadline, part.appeal.deadline ? formatDate(t, part.appeal.deadline) : t.deadlineFromReceipt(part.appeal.weeks));
    w.field(section, t.sendTo, part.appeal.sendTo);
    w.para(section, t.suspensionRight);
  } else {
    w.para(section, t.noAppeal);
  }
  w.para(section, t.documentsRight);
  section.end();
}
