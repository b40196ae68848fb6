import { escapeHtml, fill, formatDate, formatMoney, listNames } from './format';
import type { LetterCopy, LetterDecisionPart } from './letter.model';
import { templateFor, type LetterTemplate } from './templates';

/**
 * The letter copy as one self-contained, accessible HTML document: `lang` on the root, a heading
 * outline (h1 letter, h2 per part, h3 per topic), amounts in a table with a caption and header
 * cells, CSS embedded, no scripts, no external resources (fonts, images, links). Every sentence
 * comes from the copy's template version and language; dates are written out. Deterministic:
 * the same copy gives the same string (no clock, no Intl, no random ids).
 */
export function renderLetterHtml(copy: LetterCopy): string {
  const t = templateFor(copy.templateVersion, copy.language);
  const tx = (key: keyof LetterTemplate['text'], values?: Record<string, string | number>) => escapeHtml(fill(t.text[key], values));
  const date = (d: string) => formatDate(d, t);
  const count = copy.decisions.length;

  const head = [
    '<!DOCTYPE html>',
    `<html lang="${copy.language}">`,
    '<head>',
    '<meta charset="utf-8">',
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    `<meta name="letter-id" content="${escapeHtml(copy.letterId)}">`,
    `<meta name="template-version" content="${escapeHtml(copy.templateVersion)}">`,
    `<meta name="language" content="${copy.language}">`,
    `<title>${tx('title')} – ${escapeHtml(copy.recipientName)}</title>`,
    `<style>${STYLE}</style>`,
    '</head>',
  ];
  const letterhead = [
    '<header>',
    `<p class="sender">${escapeHtml(t.meta.municipality)}</p>`,
    '<dl class="meta">',
    `<dt>${tx('to')}</dt><dd>${escapeHtml(copy.recipientName)}</dd>`,
    `<dt>${tx('date')}</dt><dd><time datetime="${copy.issuedOn}">${escapeHtml(date(copy.issuedOn))}</time></dd>`,
    ...(copy.district ? [`<dt>${tx('district')}</dt><dd>${escapeHtml(copy.district)}</dd>`] : []),
    '</dl>',
    '</header>',
  ];
  // The decision first (klarspråk): what was decided, then the family's part, then each decision in full.
  const summary = [
    `<h1>${tx('title')}</h1>`,
    `<p>${tx('greeting', { name: copy.recipientName })} ${count === 1 ? tx('introOne') : tx('introMany', { count })} ${tx('introRead')}</p>`,
    '<section aria-labelledby="summary">',
    `<h2 id="summary">${tx('summaryHeading')}</h2>`,
    '<ul>',
    ...copy.decisions.map((d) => `<li>${tx('summaryItem', { type: d.typeLabel, names: listNames(d.aboutNames, t), outcome: t.outcomes[d.outcome] })}</li>`),
    '</ul>',
    '</section>',
  ];
  const family = copy.familyPart;
  const familySection = [
    '<section aria-labelledby="family">',
    `<h2 id="family">${tx('familyHeading')}</h2>`,
    `<p>${family.contact ? tx('contact', { name: family.contact.name, unit: family.contact.unitName }) : tx('noContact')}</p>`,
    `<p>${family.reviewDate ? tx('review', { date: date(family.reviewDate) }) : tx('noReview')}</p>`,
    ...(family.planGoals.length ? [`<h3>${tx('goalsHeading')}</h3>`, '<ul>', ...family.planGoals.map((g) => `<li>${escapeHtml(g)}</li>`), '</ul>'] : []),
    '</section>',
  ];
  const body = [
    '<body>',
    '<main>',
    ...letterhead,
    ...summary,
    ...familySection,
    ...copy.decisions.flatMap((d, i) => decisionSection(d, i + 1, t, tx, date)),
    `<p class="closing">${tx('closing')}<br>${escapeHtml(t.meta.municipality)}</p>`,
    '</main>',
    `<footer><p>${tx('footer', { version: copy.templateVersion, language: t.meta.languageName })}</p></footer>`,
    '</body>',
    '</html>',
  ];
  return [...head, ...body].join('\n') + '\n';
}

type Tx = (key: keyof LetterTemplate['text'], values?: Record<string, string | number>) => string;

function decisionSection(d: LetterDecisionPart, n: number, t: LetterTemplate, tx: Tx, date: (d: string) => string): string[] {
  const id = `decision-${n}`;
  const amounts: [string, number][] = [
    ...(d.monthlyAmountOre !== null ? [[tx('amountMonthly'), d.monthlyAmountOre] as [string, number]] : []),
    ...(d.oneOffAmountOre !== null ? [[tx('amountOneOff'), d.oneOffAmountOre] as [string, number]] : []),
  ];
  return [
    `<section aria-labelledby="${id}" data-decision-id="${escapeHtml(d.decisionId)}">`,
    `<h2 id="${id}">${n}. ${escapeHtml(d.typeLabel)}</h2>`,
    `<p><strong>${escapeHtml(t.outcomes[d.outcome])}</strong> ${tx('decisionFrom', { unit: d.unitName })} ${tx('about', { names: listNames(d.aboutNames, t) })}</p>`,
    ...(d.basis === 'consent' ? [`<p>${tx('consentNote', { names: listNames(d.consentOf ?? [], t) })}</p>`] : []),
    `<p>${d.periodUntil ? tx('periodFromUntil', { from: date(d.periodFrom), until: date(d.periodUntil) }) : tx('periodFrom', { from: date(d.periodFrom) })}</p>`,
    ...(amounts.length
      ? [
          '<table>',
          `<caption>${tx('amountCaption')}</caption>`,
          `<thead><tr><th scope="col">${tx('amountWhat')}</th><th scope="col">${tx('amountSum')}</th></tr></thead>`,
          '<tbody>',
          ...amounts.map(([label, ore]) => `<tr><th scope="row">${label}</th><td>${escapeHtml(formatMoney(ore, t))}</td></tr>`),
          '</tbody>',
          '</table>',
        ]
      : []),
    `<h3>${tx('reasonsHeading')}</h3>`,
    ...(d.rulesApplied.length ? [`<p>${tx('rules')}</p>`, '<ul>', ...d.rulesApplied.map((r) => `<li>${escapeHtml(r)}</li>`), '</ul>'] : []),
    ...(d.facts ? [`<p>${tx('facts')}</p>`, `<p>${escapeHtml(d.facts)}</p>`] : []),
    ...(d.mainConsiderations ? [`<p>${tx('considerations')}</p>`, `<p>${escapeHtml(d.mainConsiderations)}</p>`] : []),
    ...(d.childViews.length
      ? [
          `<h3>${tx('childHeading')}</h3>`,
          ...d.childViews.map((v) =>
            v.heard
              ? `<p>${tx('childHeard', { child: v.childName })} ${v.views ? tx('childViews', { child: v.childName, views: v.views }) : ''} ${v.weight ? tx('childWeight', { weight: v.weight }) : ''}</p>`
              : `<p>${tx('childNotHeard', { child: v.childName })} ${v.whyNot ? tx('childWhyNot', { whyNot: v.whyNot }) : ''}</p>`,
          ),
        ]
      : []),
    `<h3>${tx('appealHeading')}</h3>`,
    ...(d.appeal
      ? [
          `<p>${tx('appealRight')} ${
            d.appeal.deadline
              ? `${tx('appealDeadline', { date: date(d.appeal.deadline) })} ${tx('appealWeeks', { weeks: d.appeal.weeks })}`
              : tx('appealDeadlineOpen', { weeks: d.appeal.weeks })
          }</p>`,
          `<p>${tx('appealSend', { unit: d.appeal.sendTo })} ${tx('appealBody', { body: d.appeal.bodyName })}</p>`,
          `<p class="law">${tx('appealLaw', { provision: d.appeal.provision })}</p>`,
          `<h3>${tx('suspensionHeading')}</h3>`,
          `<p>${tx('suspension')}</p>`,
        ]
      : [`<p>${tx('noAppeal')}</p>`]),
    `<h3>${tx('documentsHeading')}</h3>`,
    `<p>${tx('documents')}</p>`,
    '</section>',
  ];
}

/** Print-friendly, high contrast, system fonts only (nothing fetched). */
const STYLE = [
  'html{font-family:"Noto Sans","DejaVu Sans",Arial,sans-serif;font-size:12pt;line-height:1.5;color:#111;background:#fff}',
  'main{max-width:42em;margin:2em auto;padding:0 1em}',
  'h1{font-size:1.6em;margin:1em 0 .5em}h2{font-size:1.25em;margin:1.5em 0 .5em;border-bottom:1px solid #555}h3{font-size:1.05em;margin:1em 0 .25em}',
  '.sender{font-weight:bold}.meta{display:grid;grid-template-columns:max-content auto;gap:0 1em}.meta dt{font-weight:bold}.meta dd{margin:0}',
  'table{border-collapse:collapse;margin:.5em 0}caption{text-align:left;font-weight:bold}th,td{border:1px solid #555;padding:.25em .75em;text-align:left}td{text-align:right}',
  '.law{font-size:.9em}footer{max-width:42em;margin:2em auto;padding:0 1em;font-size:.85em;color:#333}',
  '@media print{main{margin:0}section{break-inside:avoid-page}}',
].join('');
