import { dirname, join } from 'node:path';
import PDFDocument from 'pdfkit';
import { fill, formatDate, formatMoney, listNames } from '../format';
import type { LetterCopy, LetterDecisionPart, LetterLanguage } from '../letter.model';
import { templateFor, type LetterTemplate } from '../templates';

/**
 * DejaVu Sans from the `dejavu-fonts-ttf` npm package (Bitstream Vera licence + public
 * domain changes: free to embed and redistribute). pdfkit embeds a subset of the glyphs used,
 * so æ, ø, å render the same on every reader without a system font.
 */
const FONT_DIR = join(dirname(require.resolve('dejavu-fonts-ttf/package.json')), 'ttf');
export const LETTER_FONTS = { regular: join(FONT_DIR, 'DejaVuSans.ttf'), bold: join(FONT_DIR, 'DejaVuSans-Bold.ttf') } as const;

/** The document language a reader's screen reader needs (/Lang); the words themselves are the template's. */
const BCP47: Record<LetterLanguage, string> = { nb: 'nb-NO', nn: 'nn-NO', en: 'en' };

/**
 * The PDF's dates come from the copy, never the wall clock: the creation date is the issue
 * day at noon UTC, so the same copy gives the same bytes (pdfkit derives the file id from it).
 */
function fixedDate(issuedOn: string): Date {
  const match = /^\d{4}-\d{2}-\d{2}$/.test(issuedOn);
  const at = new Date(`${issuedOn}T12:00:00.000Z`);
  if (!match || Number.isNaN(at.getTime())) throw new RangeError(`issuedOn must be a date (YYYY-MM-DD), got ${issuedOn}`);
  return at;
}

type Struct = PDFKit.PDFStructureElement;
type Tx = (key: keyof LetterTemplate['text'], values?: Record<string, string | number>) => string;

/**
 * One recipient's copy as a tagged PDF (PDF/UA subset: structure tree, document language,
 * title shown). Every sentence comes from the copy's template version and language, in the
 * order of the HTML letter (render-html.ts), so the two formats say the same thing.
 * Deterministic: fixed dates, no random ids, fonts subset by glyph use.
 */
export async function renderLetterPdf(copy: LetterCopy): Promise<Buffer> {
  const at = fixedDate(copy.issuedOn);
  const t = templateFor(copy.templateVersion, copy.language);
  const doc = new PDFDocument({
    size: 'A4',
    margins: { top: 56, bottom: 56, left: 62, right: 62 },
    pdfVersion: '1.7',
    // pdfkit knows PDF/UA (it adds the pdfuaid metadata); @types/pdfkit lists only PDF/A.
    subset: 'PDF/UA' as PDFKit.Mixins.PDFSubsets,
    tagged: true,
    displayTitle: true,
    lang: BCP47[copy.language],
    compress: true,
    info: {
      Title: `${fill(t.text.title)} – ${copy.recipientName}`,
      Author: t.meta.municipality,
      Creator: 'familievedtak',
      Producer: 'familievedtak',
      CreationDate: at,
      ModDate: at,
    },
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

interface Writers {
  heading: (parent: Struct, level: 'H1' | 'H2' | 'H3', text: string) => void;
  para: (parent: Struct, text: string, options?: { bold?: boolean; small?: boolean }) => void;
  list: (parent: Struct, items: string[]) => void;
}

function writersFor(doc: PDFKit.PDFDocument): Writers {
  return {
    heading: (parent, level, text) => {
      const size = level === 'H1' ? 18 : level === 'H2' ? 14 : 12;
      doc
        .moveDown(level === 'H1' ? 0.5 : 0.6)
        .font('bold')
        .fontSize(size)
        .text(text, { structParent: parent, structType: level });
      doc.font('regular').fontSize(11);
    },
    para: (parent, text, options = {}) => {
      doc
        .font(options.bold ? 'bold' : 'regular')
        .fontSize(options.small ? 9.5 : 11)
        .text(text, { structParent: parent, structType: 'P' });
      doc.font('regular').fontSize(11);
    },
    list: (parent, items) => {
      for (const item of items) doc.text(`• ${item}`, { structParent: parent, structType: 'P', indent: 8 });
    },
  };
}

function writeLetter(doc: PDFKit.PDFDocument, copy: LetterCopy, t: LetterTemplate): void {
  const tx: Tx = (key, values) => fill(t.text[key], values);
  const date = (d: string) => formatDate(d, t);
  const w = writersFor(doc);
  const root = doc.struct('Document');
  doc.addStructure(root);

  // The letterhead, as in the HTML: sender, recipient, date, and the district unless withheld.
  w.para(root, t.meta.municipality, { bold: true });
  w.para(root, `${tx('to')}: ${copy.recipientName}`);
  w.para(root, `${tx('date')}: ${date(copy.issuedOn)}`);
  if (copy.district) w.para(root, `${tx('district')}: ${copy.district}`);

  const count = copy.decisions.length;
  w.heading(root, 'H1', tx('title'));
  w.para(root, `${tx('greeting', { name: copy.recipientName })} ${count === 1 ? tx('introOne') : tx('introMany', { count })} ${tx('introRead')}`);
  w.heading(root, 'H2', tx('summaryHeading'));
  w.list(
    root,
    copy.decisions.map((d) => tx('summaryItem', { type: d.typeLabel, names: listNames(d.aboutNames, t), outcome: t.outcomes[d.outcome] })),
  );

  const family = copy.familyPart;
  w.heading(root, 'H2', tx('familyHeading'));
  w.para(root, family.contact ? tx('contact', { name: family.contact.name, unit: family.contact.unitName }) : tx('noContact'));
  w.para(root, family.reviewDate ? tx('review', { date: date(family.reviewDate) }) : tx('noReview'));
  if (family.planGoals.length) {
    w.heading(root, 'H3', tx('goalsHeading'));
    w.list(root, family.planGoals);
  }

  copy.decisions.forEach((part, i) => writeDecision(doc, root, t, tx, date, part, i + 1, w));

  doc.moveDown(0.6);
  w.para(root, `${tx('closing')}\n${t.meta.municipality}`);
  doc.moveDown(0.6);
  w.para(root, tx('footer', { version: copy.templateVersion, language: t.meta.languageName }), { small: true });
  root.end();
}

function writeDecision(
  doc: PDFKit.PDFDocument,
  root: Struct,
  t: LetterTemplate,
  tx: Tx,
  date: (d: string) => string,
  d: LetterDecisionPart,
  n: number,
  w: Writers,
): void {
  const section = doc.struct('Sect');
  root.add(section);
  w.heading(section, 'H2', `${n}. ${d.typeLabel}`);
  w.para(section, `${t.outcomes[d.outcome]} ${tx('decisionFrom', { unit: d.unitName })} ${tx('about', { names: listNames(d.aboutNames, t) })}`);
  if (d.basis === 'consent') w.para(section, tx('consentNote', { names: listNames(d.consentOf ?? [], t) }));
  w.para(
    section,
    d.periodUntil ? tx('periodFromUntil', { from: date(d.periodFrom), until: date(d.periodUntil) }) : tx('periodFrom', { from: date(d.periodFrom) }),
  );
  const amounts: [string, number][] = [
    ...(d.monthlyAmountOre !== null ? [[tx('amountMonthly'), d.monthlyAmountOre] as [string, number]] : []),
    ...(d.oneOffAmountOre !== null ? [[tx('amountOneOff'), d.oneOffAmountOre] as [string, number]] : []),
  ];
  if (amounts.length) {
    w.para(section, tx('amountCaption'), { bold: true });
    for (const [label, ore] of amounts) w.para(section, `${label}: ${formatMoney(ore, t)}`);
  }
  w.heading(section, 'H3', tx('reasonsHeading'));
  if (d.rulesApplied.length) {
    w.para(section, tx('rules'));
    w.list(section, d.rulesApplied);
  }
  if (d.facts) w.para(section, `${tx('facts')} ${d.facts}`);
  if (d.mainConsiderations) w.para(section, `${tx('considerations')} ${d.mainConsiderations}`);
  if (d.childViews.length) {
    w.heading(section, 'H3', tx('childHeading'));
    for (const v of d.childViews) {
      const words = v.heard
        ? [
            tx('childHeard', { child: v.childName }),
            v.views ? tx('childViews', { child: v.childName, views: v.views }) : '',
            v.weight ? tx('childWeight', { weight: v.weight }) : '',
          ]
        : [tx('childNotHeard', { child: v.childName }), v.whyNot ? tx('childWhyNot', { whyNot: v.whyNot }) : ''];
      w.para(section, words.filter(Boolean).join(' '));
    }
  }
  w.heading(section, 'H3', tx('appealHeading'));
  if (d.appeal) {
    const deadline = d.appeal.deadline
      ? `${tx('appealDeadline', { date: date(d.appeal.deadline) })} ${tx('appealWeeks', { weeks: d.appeal.weeks })}`
      : tx('appealDeadlineOpen', { weeks: d.appeal.weeks });
    w.para(section, `${tx('appealRight')} ${deadline}`);
    w.para(section, `${tx('appealSend', { unit: d.appeal.sendTo })} ${tx('appealBody', { body: d.appeal.bodyName })}`);
    w.para(section, tx('appealLaw', { provision: d.appeal.provision }), { small: true });
    w.heading(section, 'H3', tx('suspensionHeading'));
    w.para(section, tx('suspension'));
  } else {
    w.para(section, tx('noAppeal'));
  }
  w.heading(section, 'H3', tx('documentsHeading'));
  w.para(section, tx('documents'));
  section.end();
}
