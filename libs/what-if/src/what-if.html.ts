import type { Distribution, LegalLimitsSide, SideFigures, WhatIfReport } from './what-if.types';

/**
 * The report as one self-contained HTML page for a council paper: inline CSS, charts as
 * inline SVG drawn here on the server, no scripts, no fonts, no external resources.
 * Deterministic: the same report gives the same bytes (the pseudonymised family rows, and so
 * the page, differ between runs; everything else is the same for the same events and sets).
 *
 * It shows what the JSON report holds and nothing more: aggregates, districts only as the
 * report's breakdown shows them, families only by this run's pseudonyms.
 */

const esc = (value: unknown): string =>
  String(value ?? '').replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] as string);

const BASE = '#5b6b7f';
const CAND = '#1f7a5a';
const DRILL_DOWN_ROWS = 200;
const LIST_ROWS = 100;

/** 1, 2 or 5 times a power of ten, at least `raw` (and at least 1). */
function niceStep(raw: number): number {
  const power = 10 ** Math.floor(Math.log10(Math.max(1, raw)));
  return [1, 2, 5, 10].map((m) => m * power).find((s) => s >= raw) ?? 10 * power;
}

/** Grouped vertical bars: families by number of deciders, baseline beside candidate. */
function decidersChart(report: WhatIfReport): string {
  const max = Math.max(report.baseline.decidersPerFamily.histogram.length, report.candidate.decidersPerFamily.histogram.length);
  const rows = Array.from({ length: max }, (_, k) => ({
    k,
    b: report.baseline.decidersPerFamily.histogram[k]?.families ?? 0,
    c: report.candidate.decidersPerFamily.histogram[k]?.families ?? 0,
  }));
  const highest = Math.max(1, ...rows.map((r) => Math.max(r.b, r.c)));
  const step = niceStep(highest / 4);
  const top = step * Math.ceil(highest / step);
  const W = 640, H = 260, left = 48, bottom = 40, plotH = H - bottom - 20, plotW = W - left - 16;
  const group = plotW / Math.max(1, rows.length);
  const bar = Math.min(36, group / 2.6);
  const y = (v: number) => 20 + plotH - (v / top) * plotH;
  const parts: string[] = [];
  for (let v = 0; v <= top; v += step) {
    parts.push(`<line x1="${left}" x2="${W - 16}" y1="${y(v).toFixed(1)}" y2="${y(v).toFixed(1)}" stroke="#e3e6ea"/>`);
    parts.push(`<text x="${left - 6}" y="${(y(v) + 4).toFixed(1)}" text-anchor="end" class="tick">${v}</text>`);
  }
  rows.forEach((r, i) => {
    const x0 = left + i * group + group / 2 - bar;
    for (const [n, v, colour, dx] of [['baseline', r.b, BASE, 0], ['candidate', r.c, CAND, bar]] as const) {
      const h = Math.max(v > 0 ? 1 : 0, (v / top) * plotH);
      parts.push(`<rect class="mark ${n}" x="${(x0 + dx).toFixed(1)}" y="${(20 + plotH - h).toFixed(1)}" width="${(bar - 2).toFixed(1)}" height="${h.toFixed(1)}" fill="${colour}"><title>${n}: ${v} families with ${r.k} deciders</title></rect>`);
      if (v > 0) parts.push(`<text x="${(x0 + dx + bar / 2 - 1).toFixed(1)}" y="${(20 + plotH - h - 4).toFixed(1)}" text-anchor="middle" class="val">${v}</text>`);
    }
    parts.push(`<text x="${(left + i * group + group / 2).toFixed(1)}" y="${H - bottom + 18}" text-anchor="middle" class="tick">${r.k}</text>`);
  });
  parts.push(`<text x="${left + plotW / 2}" y="${H - 4}" text-anchor="middle" class="axis">deciding units per family</text>`);
  parts.push(`<text transform="translate(12 ${20 + plotH / 2}) rotate(-90)" text-anchor="middle" class="axis">families</text>`);
  return `<svg id="chart-deciders" role="img" aria-label="Families by number of deciding units" viewBox="0 0 ${W} ${H}" width="${W}" height="${H}" xmlns="http://www.w3.org/2000/svg">${parts.join('')}</svg>`;
}

/** Horizontal bars: decisions moved, by route from → to. */
function movesChart(report: WhatIfReport): string {
  const routes = report.moves.byRoute.slice(0, 15);
  const W = 640, rowH = 26, left = 150, right = 50;
  const H = Math.max(1, routes.length) * rowH + 30;
  const top = Math.max(1, ...routes.map((r) => r.decisions));
  const parts: string[] = [];
  if (routes.length === 0) {
    parts.push(`<text x="${W / 2}" y="30" text-anchor="middle" class="axis">No decision moves to another decider.</text>`);
  }
  routes.forEach((r, i) => {
    const w = Math.max(1, (r.decisions / top) * (W - left - right));
    const yy = 10 + i * rowH;
    parts.push(`<text x="${left - 8}" y="${yy + 16}" text-anchor="end" class="tick">${esc(r.from)} → ${esc(r.to)}</text>`);
    parts.push(`<rect class="mark moved" x="${left}" y="${yy + 3}" width="${w.toFixed(1)}" height="${rowH - 8}" fill="${CAND}"><title>${esc(r.from)} → ${esc(r.to)}: ${r.decisions}</title></rect>`);
    parts.push(`<text x="${(left + w + 6).toFixed(1)}" y="${yy + 16}" class="val">${r.decisions}</text>`);
  });
  return `<svg id="chart-moves" role="img" aria-label="Decisions moved by route" viewBox="0 0 ${W} ${H}" width="${W}" height="${H}" xmlns="http://www.w3.org/2000/svg">${parts.join('')}</svg>`;
}

const dist = (d: Distribution) => `${d.mean} <span class="muted">(p90 ${d.p90}, max ${d.max})</span>`;

function headline(b: SideFigures, c: SideFigures, legal: WhatIfReport['legalLimits']): string {
  const row = (label: string, explain: string, bv: string | number, cv: string | number) =>
    `<tr><th scope="row">${label}<div class="muted small">${explain}</div></th><td>${bv}</td><td>${cv}</td></tr>`;
  return `<table class="headline"><thead><tr><th></th><th>Baseline<div class="small muted">${esc(b.ruleSetName)} (${esc(b.ruleSetId)} v${b.ruleSetVersion})</div></th><th>Candidate<div class="small muted">${esc(c.ruleSetName)} (${esc(c.ruleSetId)} v${c.ruleSetVersion})</div></th></tr></thead><tbody>
${row('Deciding units per family', 'mean (90th percentile, maximum)', dist(b.decidersPerFamily), dist(c.decidersPerFamily))}
${row('Decisions per family', 'with a competent decider', dist(b.decisionsPerFamily), dist(c.decisionsPerFamily))}
${row('Decisions without a competent decider', 'no unit may make them', b.decisionsWithoutDecider, c.decisionsWithoutDecider)}
${row('Decisions in a family decision', 'bundlable, in force together, one decider', b.bundledDecisions, c.bundledDecisions)}
${row('Families with a family decision', 'at least two decisions bundled', b.familiesWithFamilyDecision, c.familiesWithFamilyDecision)}
${row('Review dates per family', 'separate dates on the reference day', dist(b.reviewDatesPerFamily), dist(c.reviewDatesPerFamily))}
${row('Needs that are nobody’s job', 'no unit competent to answer', b.needsNobodysJob, c.needsNobodysJob)}
${row('Hand-offs', 'need taken up by one unit, decided by another', b.handOffs, c.handOffs)}
${row('Rules outside the law', 'competent units, private partners, four-eyes floor', legal.baseline.rulesOutsideLimits, legal.candidate.rulesOutsideLimits)}
</tbody></table>`;
}

function table(headers: string[], rows: (string | number | null)[][], total: number, id?: string): string {
  if (total === 0) return '<p class="muted">None.</p>';
  const more = total > rows.length ? `<p class="muted small">Showing ${rows.length} of ${total}.</p>` : '';
  return `<table class="list"${id ? ` id="${id}"` : ''}><thead><tr>${headers.map((h) => `<th>${esc(h)}</th>`).join('')}</tr></thead><tbody>${rows
    .map((r) => `<tr>${r.map((c) => `<td>${esc(c)}</td>`).join('')}</tr>`)
    .join('')}</tbody></table>${more}`;
}

/**
 * The law's limits first, above every figure: an unlawful candidate is analysed, but the page
 * says plainly that it could not be drafted or put in force, rule by rule with the provision.
 */
function legalLimits(report: WhatIfReport): string {
  const side = (name: string, l: LegalLimitsSide) =>
    l.lawful
      ? ''
      : `<section class="unlawful" id="legal-limits-${name}" role="alert"><h2>The ${name} is outside the law: ${l.rulesOutsideLimits} rule${l.rulesOutsideLimits === 1 ? '' : 's'}</h2>
<p>${name === 'candidate' ? 'It could not be drafted, nor put in force' : 'It could not be put in force today'}: the figures below show what it would do, not what the municipality may do.</p>
${table(['rule', 'decision type', 'unit', 'provision', 'problem'], l.breaches.slice(0, LIST_ROWS).map((b) => [b.ruleId, b.decisionType, b.unit ?? '–', b.provision, b.problem]), l.breaches.length, `legal-limits-${name}-rules`)}</section>`;
  const both = side('candidate', report.legalLimits.candidate) + side('baseline', report.legalLimits.baseline);
  return both || '<p class="lawful small" id="legal-limits-ok">Both rule sets stay within the law’s limits on delegation (competent units, no private partner, the four-eyes floor).</p>';
}

const REASONS: Record<string, string> = {
  'no-answer': 'no decision or payment answered it',
  'pilot-money-only': 'answered only with pilot money',
  'decision-not-covered': 'its decisions have no competent unit',
};

export function renderWhatIfHtml(report: WhatIfReport): string {
  const { baseline: b, candidate: c } = report;
  const sel = Object.entries(report.inputs.selection).map(([k, v]) => `${k} ${v}`).join(', ') || 'all families';
  const css = `body{font-family:Georgia,'Times New Roman',serif;color:#1d2733;max-width:980px;margin:32px auto;padding:0 24px;line-height:1.45}
h1{font-size:26px;margin:0 0 4px}h2{font-size:19px;border-bottom:2px solid #1d2733;padding-bottom:4px;margin-top:36px}
.muted{color:#5f6b78}.small{font-size:12px;font-weight:normal}
table{border-collapse:collapse;width:100%;font-family:Helvetica,Arial,sans-serif;font-size:13px}
th,td{padding:6px 8px;border-bottom:1px solid #dde1e6;text-align:left;vertical-align:top}
table.headline td{font-size:16px;font-weight:bold}table.headline td:nth-child(3){color:${CAND}}
.cards{display:flex;gap:16px;margin:18px 0}.card{flex:1;border:1px solid #dde1e6;border-radius:6px;padding:12px 14px;font-family:Helvetica,Arial,sans-serif}
.card .big{font-size:28px;font-weight:bold}.legend span{display:inline-block;width:12px;height:12px;margin:0 4px 0 12px;vertical-align:middle}
svg{font-family:Helvetica,Arial,sans-serif;max-width:100%;height:auto}svg .tick{font-size:12px;fill:#38434f}svg .val{font-size:11px;fill:#1d2733}svg .axis{font-size:12px;fill:#5f6b78}
table#families td:first-child{white-space:nowrap;font-family:Menlo,Consolas,monospace;font-size:12px}
footer{margin-top:40px;font-size:11px;color:#5f6b78;word-break:break-all}
.unlawful{border:3px solid #b3261e;background:#fdecea;border-radius:6px;padding:4px 16px 12px;margin:18px 0}.unlawful h2{color:#b3261e;border-bottom-color:#b3261e}.lawful{color:#1f7a5a}`;
  const moveRows = report.moves.byType.slice(0, LIST_ROWS).map((m) => [m.decisionType, m.from, m.to, m.decisions]);
  const uncovered = report.candidateUncovered;
  const needs = (reason: string) => [
    REASONS[reason],
    report.needsNobodysJob.baseline.byReason.find((r) => r.reason === reason)?.needs ?? 0,
    report.needsNobodysJob.candidate.byReason.find((r) => r.reason === reason)?.needs ?? 0,
  ];
  const hand = report.handOffs.candidate;
  const districtRows = report.districts.shown.map((d) => [
    d.district ?? '(no district)',
    d.families,
    `${d.baseline.decidersPerFamily} / ${d.candidate.decidersPerFamily}`,
    `${d.baseline.decisionsCovered} / ${d.candidate.decisionsCovered}`,
    d.moved,
    `${d.baseline.bundledDecisions} / ${d.candidate.bundledDecisions}`,
    `${d.baseline.needsNobodysJob} / ${d.candidate.needsNobodysJob}`,
  ]);
  const drill = [...report.families]
    .sort((x, y) => y.baseline.deciders.length - x.baseline.deciders.length || (x.family < y.family ? -1 : 1))
    .slice(0, DRILL_DOWN_ROWS)
    .map((f) => [
      f.family,
      f.coordinatingUnit,
      `${f.baseline.deciders.join(', ') || '–'}`,
      `${f.candidate.deciders.join(', ') || '–'}`,
      `${f.baseline.decisions} / ${f.candidate.decisions}`,
      f.moved,
      `${f.baseline.bundle} / ${f.candidate.bundle}`,
      `${f.baseline.reviewDates} / ${f.candidate.reviewDates}`,
      `${f.baseline.needsNobodysJob} / ${f.candidate.needsNobodysJob}`,
      `${f.baseline.handOffs} / ${f.candidate.handOffs}`,
    ]);
  const min = report.disclosure.minFamiliesPerDistrict;
  return `<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>What-if: ${esc(c.ruleSetName)} against ${esc(b.ruleSetName)}</title><style>${css}</style></head>
<body>
<header><p class="muted small">Familievedtak · delegation rules what-if run</p>
<h1>${esc(c.ruleSetName)}</h1>
<p>Compared with <strong>${esc(b.ruleSetName)}</strong> on the recorded history of ${report.scope.familiesSelected} families (${esc(sel)}${report.inputs.asOf ? `, as of ${esc(report.inputs.asOf)}` : ''}): ${report.scope.decisionsAnalysed} decisions, ${report.scope.needsAnalysed} needs, ${report.scope.eventsRead} events read.</p></header>
${legalLimits(report)}
<section class="cards">
<div class="card"><div class="muted small">Deciding units per family (mean)</div><div class="big">${b.decidersPerFamily.mean} → <span style="color:${CAND}">${c.decidersPerFamily.mean}</span></div></div>
<div class="card"><div class="muted small">Decisions that move to another unit</div><div class="big">${report.moves.total}</div></div>
<div class="card"><div class="muted small">Decisions nobody may make</div><div class="big">${c.decisionsWithoutDecider}</div></div>
<div class="card"><div class="muted small">Needs that are nobody’s job</div><div class="big">${b.needsNobodysJob} → <span style="color:${CAND}">${c.needsNobodysJob}</span></div></div>
</section>
<h2>Headline figures</h2>
${headline(b, c, report.legalLimits)}
<h2>How many units each family faces</h2>
<p class="legend small"><span style="background:${BASE}"></span>baseline<span style="background:${CAND}"></span>candidate</p>
${decidersChart(report)}
<h2>Decisions that would move</h2>
${movesChart(report)}
${table(['decision type', 'from', 'to', 'decisions'], moveRows, report.moves.byType.length)}
<h2>Decisions no unit would be competent for</h2>
${table(['decision type', 'decided by', 'baseline decider', 'decisions'], uncovered.byType.slice(0, LIST_ROWS).map((u) => [u.decisionType, u.unit, u.baselineDecider ?? '–', u.decisions]), uncovered.byType.length)}
<h2>Needs that are nobody’s job</h2>
<p class="small muted">A need the family expressed (not withdrawn) is nobody’s job when no ordinary decision linked to it, directly or through a payment, has a competent unit under the rules. Pilot support is gift-like and does not make a need anyone’s job. Counted by why; the families’ own words are not part of this report.</p>
${table(['why', 'baseline', 'candidate'], Object.keys(REASONS).map(needs), b.needsNobodysJob + c.needsNobodysJob > 0 ? Object.keys(REASONS).length : 0)}
<h2>Hand-offs (candidate)</h2>
<p class="small muted">A need taken up by one unit and decided by another. Baseline: ${b.handOffs}; candidate: ${c.handOffs}.</p>
${table(['taken up by', 'decided by', 'hand-offs'], hand.byRoute.slice(0, LIST_ROWS).map((h) => [h.pickedUpBy.join(', '), h.decidedBy, h.handOffs]), hand.byRoute.length)}
<h2>Districts</h2>
<p class="small muted">Baseline / candidate. A district is shown only with at least ${min} selected families and no family member with a protected address; when only one district would be withheld, the smallest shown one is withheld with it. Withheld districts are not named: ${report.districts.withheld.families} families together.</p>
${table(['district', 'families', 'units per family', 'decisions covered', 'moved', 'bundled', 'nobody’s job'], districtRows, districtRows.length, 'districts')}
<h2>Families</h2>
<p class="small muted">Baseline / candidate. Each family by a pseudonym made for this run only (a keyed hash under a key that is discarded after the run): it differs in the next run and does not lead back to the family. No district, names or ids. Families facing the most units first${report.listed.families < report.scope.familiesSelected ? `, among ${report.listed.families} of them chosen at random` : ''}.</p>
${table(['family (pseudonym)', 'coordinating', 'units (baseline)', 'units (candidate)', 'decisions', 'moved', 'bundled', 'review dates', 'nobody’s job', 'hand-offs'], drill, report.scope.familiesSelected, 'families')}
<footer>Report ${esc(report.hash)} · baseline ${esc(report.inputs.baseline.id)} v${report.inputs.baseline.version} (${esc(report.inputs.baseline.sha256.slice(0, 12))}) · candidate ${esc(report.inputs.candidate.id)} v${report.inputs.candidate.version} (${esc(report.inputs.candidate.sha256.slice(0, 12))})</footer>
</body></html>
`;
}
