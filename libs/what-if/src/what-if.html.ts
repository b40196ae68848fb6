import type { DelegationRuleSet } from '@familievedtak/domain';
import { decisionTypeName, deciderName, num, ruleName, whatIfFigures, type FigureVerdict, type WhatIfFigure, type WhatIfLanguage } from './what-if.labels';
import type { Distribution, LegalLimitsSide, WhatIfReport } from './what-if.types';

/**
 * The report as one self-contained HTML page for a council paper: inline CSS, charts as
 * inline SVG drawn here on the server, no scripts, no fonts, no external resources.
 * Deterministic: the same report gives the same bytes (the pseudonymised family rows, and so
 * the page, differ between runs; everything else is the same for the same events and sets).
 *
 * Read in order: the law's limits, a summary a council can read in five minutes (what
 * changes, for how many families, better or worse in words), the headline figures each
 * marked better or worse by its own direction, the charts, and the detailed and per-family
 * tables folded away behind <details>. Bokmål by default, English on request; units and
 * decision types by name, rules by their description where the rule sets are given.
 *
 * It shows what the JSON report holds and nothing more: aggregates, districts only as the
 * report's breakdown shows them, families only by this run's pseudonyms.
 */

export type WhatIfHtmlOptions = {
  lang?: WhatIfLanguage;
  /** The compared rule sets, to name rules by their description (the report holds only rule ids). */
  ruleSets?: { baseline?: DelegationRuleSet; candidate?: DelegationRuleSet };
};

const esc = (value: unknown): string =>
  String(value ?? '').replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] as string);

const BASE = '#5b6b7f';
const CAND = '#1f5f8b';
const VERDICT_COLOUR: Record<FigureVerdict, string> = { better: '#1f7a5a', worse: '#b3261e', same: '#5f6b78', changed: '#1d2733' };
const DRILL_DOWN_ROWS = 200;
const LIST_ROWS = 100;

const TEXT = {
  nb: {
    kicker: 'Familievedtak · prøvekjøring av delegeringsregler',
    title: (c: string, b: string) => `Hva om: ${c} i stedet for ${b}`,
    compared: (b: string, n: number, sel: string, asOf: string, d: number, needs: number, events: number) =>
      `Sammenlignet med <strong>${b}</strong> på historikken til ${n} familier (${sel}${asOf ? `, slik den var ${asOf}` : ''}): ${d} vedtak, ${needs} behov, ${events} hendelser lest.`,
    erasedIdentity: (d: number) =>
      `${d} vedtak gjelder et familiemedlem der personopplysningene er slettet (bevaringsplanen eller krav om sletting): fødselsdatoen er ukjent, så regler som avhenger av alder, vurderer medlemmet som voksen.`,
    allFamilies: 'alle familier',
    selection: { unit: 'enhet', subProjectId: 'delprosjekt', district: 'bydel', from: 'fra', until: 'til' } as Record<string, string>,
    summary: 'Sammendrag',
    summaryIntro:
      'Tallene viser hva som ville skjedd med vedtakene familiene faktisk fikk, om forslaget hadde gjeldt. Grønt er bedre for familiene eller for lovligheten, rødt er verre.',
    lawful: 'Begge regelsettene holder seg innenfor lovens rammer for delegering.',
    unlawful: (n: number) => `Forslaget er i strid med loven i ${n} ${n === 1 ? 'regel' : 'regler'}, og kan ikke vedtas slik det er (se over).`,
    families: (moved: number, of: string, fewer: number, more: number) =>
      `${moved} av ${of} familier ville fått minst ett vedtak fra en annen enhet. ${fewer} ville fått færre enheter å forholde seg til, ${more} flere.`,
    ofAll: (n: number) => `${n}`,
    ofSample: (n: number, total: number) => `${n} tilfeldig valgte (av ${total})`,
    moved: (n: number) => `${n} ${n === 1 ? 'vedtak flyttes' : 'vedtak flyttes'} til en annen enhet.`,
    better: 'Dette blir bedre',
    worse: 'Dette blir verre',
    changed: 'Dette endres (verken bedre eller verre i seg selv)',
    same: 'Uendret',
    none: 'Ingenting.',
    fromTo: (b: string, c: string) => `fra ${b} til ${c}`,
    verdict: { better: 'bedre', worse: 'verre', same: 'uendret', changed: 'endret' } as Record<FigureVerdict, string>,
    headline: 'Hovedtall',
    baseline: 'Gjeldende',
    candidate: 'Forslag',
    change: 'Endring',
    version: (v: number) => `versjon ${v}`,
    dist: (d: Distribution) => `${num(d.mean, 'nb')} <span class="muted">(p90 ${num(d.p90, 'nb')}, høyeste ${num(d.max, 'nb')})</span>`,
    cards: {
      deciders: 'Enheter per familie (snitt)',
      moves: 'Vedtak som flyttes til en annen enhet',
      nobody: 'Vedtak ingen kan fatte',
      needs: 'Behov ingen har ansvar for',
    },
    chartUnits: 'Hvor mange enheter hver familie må forholde seg til',
    chartAxisX: 'enheter som fatter vedtak, per familie',
    chartAxisY: 'familier',
    chartBar: (side: string, v: number, k: number) => `${side}: ${v} familier med ${k} enheter`,
    chartMoves: 'Vedtak som ville flyttet',
    noMoves: 'Ingen vedtak flyttes til en annen enhet.',
    details: 'Detaljer',
    movesTable: 'Vedtak som ville flyttet, etter vedtakstype',
    movesHeaders: ['vedtakstype', 'fra', 'til', 'vedtak'],
    uncovered: 'Vedtak ingen enhet ville hatt myndighet til',
    uncoveredHeaders: ['vedtakstype', 'fattet av', 'gjeldende enhet', 'vedtak'],
    needsTitle: 'Behov som ingen har ansvar for',
    needsText:
      'Et behov familien har uttrykt (og ikke trukket) er ingens ansvar når ingen ordinære vedtak knyttet til det, direkte eller gjennom en utbetaling, har en enhet med myndighet etter reglene. Pilotstøtte er gavelignende og gjør ikke et behov til noens ansvar. Telt etter hvorfor; familienes egne ord er ikke med i rapporten.',
    needsHeaders: ['hvorfor', 'gjeldende', 'forslag'],
    reasons: {
      'no-answer': 'ingen vedtak eller utbetaling svarte på det',
      'pilot-money-only': 'bare svart med pilotpenger',
      'decision-not-covered': 'ingen enhet har myndighet til vedtakene',
    } as Record<string, string>,
    handOffs: 'Overleveringer (forslag)',
    handOffsText: (b: number, c: number) => `Et behov én enhet tar tak i og en annen fatter vedtak om. Gjeldende: ${b}; forslag: ${c}.`,
    handOffsHeaders: ['tatt tak i av', 'vedtak fattet av', 'overleveringer'],
    districts: 'Bydeler',
    districtsText: (min: number, withheld: number) =>
      `Gjeldende / forslag. En bydel vises bare med minst ${min} valgte familier og ingen familiemedlemmer med beskyttet adresse; hvis bare én bydel ville blitt holdt tilbake, holdes den minste viste tilbake sammen med den. Bydeler som holdes tilbake, nevnes ikke: ${withheld} familier til sammen.`,
    districtHeaders: ['bydel', 'familier', 'enheter per familie', 'vedtak med myndighet', 'flyttet', 'samlet', 'ingens ansvar'],
    noDistrict: '(ingen bydel)',
    familiesTitle: 'Familier',
    familiesText: (sample: string) =>
      `Gjeldende / forslag. Hver familie med et pseudonym laget bare for denne kjøringen (en nøkkelbasert hash med en nøkkel som kastes etter kjøringen): det er et annet neste gang og leder ikke tilbake til familien. Ingen bydel, navn eller id-er. Familiene med flest enheter først${sample}.`,
    sample: (n: number) => `, blant ${n} av dem valgt tilfeldig`,
    familyHeaders: [
      'familie (pseudonym)',
      'samordner',
      'enheter (gjeldende)',
      'enheter (forslag)',
      'vedtak',
      'flyttet',
      'samlet',
      'datoer for ny vurdering',
      'ingens ansvar',
      'overleveringer',
    ],
    noneRows: 'Ingen.',
    showing: (n: number, total: number) => `Viser ${n} av ${total}.`,
    legalTitle: (side: 'candidate' | 'baseline', n: number) =>
      `${side === 'candidate' ? 'Forslaget' : 'Det gjeldende regelsettet'} er i strid med loven: ${n} ${n === 1 ? 'regel' : 'regler'}`,
    legalText: (side: 'candidate' | 'baseline') =>
      `${side === 'candidate' ? 'Det kan ikke vedtas eller settes i kraft' : 'Det kan ikke settes i kraft i dag'}: tallene under viser hva det ville gjort, ikke hva kommunen har lov til.`,
    legalHeaders: ['regel', 'vedtakstype', 'enhet', 'hjemmel', 'problem'],
    legalOk: 'Begge regelsettene holder seg innenfor lovens rammer for delegering (enheter med myndighet, ingen private, to-persons-kontroll).',
    footer: 'Rapport',
  },
  en: {
    kicker: 'Familievedtak · delegation rules what-if run',
    title: (c: string, b: string) => `What if: ${c} instead of ${b}`,
    compared: (b: string, n: number, sel: string, asOf: string, d: number, needs: number, events: number) =>
      `Compared with <strong>${b}</strong> on the recorded history of ${n} families (${sel}${asOf ? `, as of ${asOf}` : ''}): ${d} decisions, ${needs} needs, ${events} events read.`,
    erasedIdentity: (d: number) =>
      `${d} ${d === 1 ? 'decision concerns' : 'decisions concern'} a member whose identity was erased (retention schedule or erasure request): the birth date is unknown, so rules that depend on age treat the member as an adult.`,
    allFamilies: 'all families',
    selection: { unit: 'unit', subProjectId: 'sub-project', district: 'district', from: 'from', until: 'until' } as Record<string, string>,
    summary: 'Summary',
    summaryIntro:
      'The figures show what would have happened to the decisions the families actually got, had the candidate been in force. Green is better for the families or for lawfulness, red is worse.',
    lawful: 'Both rule sets stay within the law’s limits on delegation.',
    unlawful: (n: number) => `The candidate breaks the law in ${n} ${n === 1 ? 'rule' : 'rules'} and cannot be adopted as it is (see above).`,
    families: (moved: number, of: string, fewer: number, more: number) =>
      `${moved} of ${of} families would get at least one decision from another unit. ${fewer} would deal with fewer units, ${more} with more.`,
    ofAll: (n: number) => `${n}`,
    ofSample: (n: number, total: number) => `${n} chosen at random (of ${total})`,
    moved: (n: number) => `${n} ${n === 1 ? 'decision moves' : 'decisions move'} to another unit.`,
    better: 'Better',
    worse: 'Worse',
    changed: 'Changed (neither better nor worse in itself)',
    same: 'Unchanged',
    none: 'Nothing.',
    fromTo: (b: string, c: string) => `from ${b} to ${c}`,
    verdict: { better: 'better', worse: 'worse', same: 'unchanged', changed: 'changed' } as Record<FigureVerdict, string>,
    headline: 'Headline figures',
    baseline: 'Baseline',
    candidate: 'Candidate',
    change: 'Change',
    version: (v: number) => `version ${v}`,
    dist: (d: Distribution) => `${d.mean} <span class="muted">(p90 ${d.p90}, max ${d.max})</span>`,
    cards: {
      deciders: 'Deciding units per family (mean)',
      moves: 'Decisions that move to another unit',
      nobody: 'Decisions nobody may make',
      needs: 'Needs that are nobody’s job',
    },
    chartUnits: 'How many units each family faces',
    chartAxisX: 'deciding units per family',
    chartAxisY: 'families',
    chartBar: (side: string, v: number, k: number) => `${side}: ${v} families with ${k} deciders`,
    chartMoves: 'Decisions that would move',
    noMoves: 'No decision moves to another decider.',
    details: 'Details',
    movesTable: 'Decisions that would move, by type',
    movesHeaders: ['decision type', 'from', 'to', 'decisions'],
    uncovered: 'Decisions no unit would be competent for',
    uncoveredHeaders: ['decision type', 'decided by', 'baseline decider', 'decisions'],
    needsTitle: 'Needs that are nobody’s job',
    needsText:
      'A need the family expressed (not withdrawn) is nobody’s job when no ordinary decision linked to it, directly or through a payment, has a competent unit under the rules. Pilot support is gift-like and does not make a need anyone’s job. Counted by why; the families’ own words are not part of this report.',
    needsHeaders: ['why', 'baseline', 'candidate'],
    reasons: {
      'no-answer': 'no decision or payment answered it',
      'pilot-money-only': 'answered only with pilot money',
      'decision-not-covered': 'its decisions have no competent unit',
    } as Record<string, string>,
    handOffs: 'Hand-offs (candidate)',
    handOffsText: (b: number, c: number) => `A need taken up by one unit and decided by another. Baseline: ${b}; candidate: ${c}.`,
    handOffsHeaders: ['taken up by', 'decided by', 'hand-offs'],
    districts: 'Districts',
    districtsText: (min: number, withheld: number) =>
      `Baseline / candidate. A district is shown only with at least ${min} selected families and no family member with a protected address; when only one district would be withheld, the smallest shown one is withheld with it. Withheld districts are not named: ${withheld} families together.`,
    districtHeaders: ['district', 'families', 'units per family', 'decisions covered', 'moved', 'bundled', 'nobody’s job'],
    noDistrict: '(no district)',
    familiesTitle: 'Families',
    familiesText: (sample: string) =>
      `Baseline / candidate. Each family by a pseudonym made for this run only (a keyed hash under a key that is discarded after the run): it differs in the next run and does not lead back to the family. No district, names or ids. Families facing the most units first${sample}.`,
    sample: (n: number) => `, among ${n} of them chosen at random`,
    familyHeaders: [
      'family (pseudonym)',
      'coordinating',
      'units (baseline)',
      'units (candidate)',
      'decisions',
      'moved',
      'bundled',
      'review dates',
      'nobody’s job',
      'hand-offs',
    ],
    noneRows: 'None.',
    showing: (n: number, total: number) => `Showing ${n} of ${total}.`,
    legalTitle: (side: 'candidate' | 'baseline', n: number) => `The ${side} is outside the law: ${n} rule${n === 1 ? '' : 's'}`,
    legalText: (side: 'candidate' | 'baseline') =>
      `${side === 'candidate' ? 'It could not be drafted, nor put in force' : 'It could not be put in force today'}: the figures below show what it would do, not what the municipality may do.`,
    legalHeaders: ['rule', 'decision type', 'unit', 'provision', 'problem'],
    legalOk: 'Both rule sets stay within the law’s limits on delegation (competent units, no private partner, the four-eyes floor).',
    footer: 'Report',
  },
};

type Text = (typeof TEXT)[WhatIfLanguage];

/** 1, 2 or 5 times a power of ten, at least `raw` (and at least 1). */
function niceStep(raw: number): number {
  const power = 10 ** Math.floor(Math.log10(Math.max(1, raw)));
  return [1, 2, 5, 10].map((m) => m * power).find((s) => s >= raw) ?? 10 * power;
}

/** Grouped vertical bars: families by number of deciders, baseline beside candidate. */
function decidersChart(report: WhatIfReport, t: Text): string {
  const max = Math.max(report.baseline.decidersPerFamily.histogram.length, report.candidate.decidersPerFamily.histogram.length);
  const rows = Array.from({ length: max }, (_, k) => ({
    k,
    b: report.baseline.decidersPerFamily.histogram[k]?.families ?? 0,
    c: report.candidate.decidersPerFamily.histogram[k]?.families ?? 0,
  }));
  const highest = Math.max(1, ...rows.map((r) => Math.max(r.b, r.c)));
  const step = niceStep(highest / 4);
  const top = step * Math.ceil(highest / step);
  const W = 640,
    H = 260,
    left = 48,
    bottom = 40,
    plotH = H - bottom - 20,
    plotW = W - left - 16;
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
    for (const [n, v, colour, dx, label] of [
      ['baseline', r.b, BASE, 0, t.baseline],
      ['candidate', r.c, CAND, bar, t.candidate],
    ] as const) {
      const h = Math.max(v > 0 ? 1 : 0, (v / top) * plotH);
      parts.push(
        `<rect class="mark ${n}" x="${(x0 + dx).toFixed(1)}" y="${(20 + plotH - h).toFixed(1)}" width="${(bar - 2).toFixed(1)}" height="${h.toFixed(1)}" fill="${colour}"><title>${esc(t.chartBar(label, v, r.k))}</title></rect>`,
      );
      if (v > 0)
        parts.push(`<text x="${(x0 + dx + bar / 2 - 1).toFixed(1)}" y="${(20 + plotH - h - 4).toFixed(1)}" text-anchor="middle" class="val">${v}</text>`);
    }
    parts.push(`<text x="${(left + i * group + group / 2).toFixed(1)}" y="${H - bottom + 18}" text-anchor="middle" class="tick">${r.k}</text>`);
  });
  parts.push(`<text x="${left + plotW / 2}" y="${H - 4}" text-anchor="middle" class="axis">${esc(t.chartAxisX)}</text>`);
  parts.push(`<text transform="translate(12 ${20 + plotH / 2}) rotate(-90)" text-anchor="middle" class="axis">${esc(t.chartAxisY)}</text>`);
  return `<svg id="chart-deciders" role="img" aria-label="${esc(t.chartUnits)}" viewBox="0 0 ${W} ${H}" width="${W}" height="${H}" xmlns="http://www.w3.org/2000/svg">${parts.join('')}</svg>`;
}

/** Horizontal bars: decisions moved, by route from → to, units by name. */
function movesChart(report: WhatIfReport, t: Text, lang: WhatIfLanguage): string {
  const routes = report.moves.byRoute.slice(0, 15);
  const W = 900,
    rowH = 26,
    left = 420,
    right = 50;
  const H = Math.max(1, routes.length) * rowH + 30;
  const top = Math.max(1, ...routes.map((r) => r.decisions));
  const parts: string[] = [];
  if (routes.length === 0) {
    parts.push(`<text x="${W / 2}" y="30" text-anchor="middle" class="axis">${esc(t.noMoves)}</text>`);
  }
  routes.forEach((r, i) => {
    const w = Math.max(1, (r.decisions / top) * (W - left - right));
    const yy = 10 + i * rowH;
    const route = `${deciderName(r.from, lang)} → ${deciderName(r.to, lang)}`;
    parts.push(`<text x="${left - 8}" y="${yy + 16}" text-anchor="end" class="tick">${esc(route)}</text>`);
    parts.push(
      `<rect class="mark moved" x="${left}" y="${yy + 3}" width="${w.toFixed(1)}" height="${rowH - 8}" fill="${CAND}"><title>${esc(route)}: ${r.decisions}</title></rect>`,
    );
    parts.push(`<text x="${(left + w + 6).toFixed(1)}" y="${yy + 16}" class="val">${r.decisions}</text>`);
  });
  return `<svg id="chart-moves" role="img" aria-label="${esc(t.chartMoves)}" viewBox="0 0 ${W} ${H}" width="${W}" height="${H}" xmlns="http://www.w3.org/2000/svg">${parts.join('')}</svg>`;
}

const verdictCell = (f: WhatIfFigure, t: Text) =>
  `<td class="verdict ${f.verdict}" data-figure="${f.key}" data-verdict="${f.verdict}">${esc(t.verdict[f.verdict])}</td>`;

function headline(report: WhatIfReport, figures: WhatIfFigure[], t: Text, lang: WhatIfLanguage): string {
  const { baseline: b, candidate: c } = report;
  const shown: Record<string, [string | number, string | number]> = {
    decidersPerFamily: [t.dist(b.decidersPerFamily), t.dist(c.decidersPerFamily)],
    decisionsPerFamily: [t.dist(b.decisionsPerFamily), t.dist(c.decisionsPerFamily)],
    reviewDatesPerFamily: [t.dist(b.reviewDatesPerFamily), t.dist(c.reviewDatesPerFamily)],
  };
  const rows = figures.map((f) => {
    const [bv, cv] = shown[f.key] ?? [num(f.baseline, lang), num(f.candidate, lang)];
    return `<tr id="figure-${f.key}"><th scope="row">${esc(f.label)}<div class="muted small">${esc(f.explain)}</div></th><td>${bv}</td><td class="${f.verdict}">${cv}</td>${verdictCell(f, t)}</tr>`;
  });
  return `<table class="headline" id="headline"><thead><tr><th></th><th>${t.baseline}<div class="small muted">${esc(b.ruleSetName)} (${t.version(b.ruleSetVersion)})</div></th><th>${t.candidate}<div class="small muted">${esc(c.ruleSetName)} (${t.version(c.ruleSetVersion)})</div></th><th>${t.change}</th></tr></thead><tbody>
${rows.join('\n')}
</tbody></table>`;
}

/** The five-minute summary: what changes, for how many families, better and worse in words. */
function summary(report: WhatIfReport, figures: WhatIfFigure[], t: Text, lang: WhatIfLanguage): string {
  const rows = report.families;
  const moved = rows.filter((f) => f.moved > 0).length;
  const fewer = rows.filter((f) => f.candidate.deciders.length < f.baseline.deciders.length).length;
  const more = rows.filter((f) => f.candidate.deciders.length > f.baseline.deciders.length).length;
  // The per-family figures come from the rows the report lists: every family, or a random sample of them.
  const of = rows.length < report.scope.familiesSelected ? t.ofSample(rows.length, report.scope.familiesSelected) : t.ofAll(rows.length);
  const list = (verdict: FigureVerdict, title: string) => {
    const items = figures.filter((f) => f.verdict === verdict);
    const body = items.length
      ? `<ul>${items.map((f) => `<li data-figure="${f.key}">${esc(f.label)}: ${esc(t.fromTo(num(f.baseline, lang), num(f.candidate, lang)))}</li>`).join('')}</ul>`
      : `<p class="muted">${esc(t.none)}</p>`;
    return `<div class="verdicts ${verdict}" id="summary-${verdict}"><h3>${esc(title)}</h3>${body}</div>`;
  };
  const same = figures.filter((f) => f.verdict === 'same');
  const legal =
    report.legalLimits.candidate.lawful && report.legalLimits.baseline.lawful ? t.lawful : t.unlawful(report.legalLimits.candidate.rulesOutsideLimits);
  return `<section id="summary"><h2>${esc(t.summary)}</h2>
<p>${esc(t.summaryIntro)}</p>
<ul class="facts"><li>${esc(legal)}</li><li>${esc(t.moved(report.moves.total))}</li><li>${esc(t.families(moved, of, fewer, more))}</li></ul>
<div class="columns">${list('better', t.better)}${list('worse', t.worse)}</div>
${figures.some((f) => f.verdict === 'changed') ? list('changed', t.changed) : ''}
<p class="small muted">${esc(t.same)}: ${same.length ? esc(same.map((f) => f.label).join(', ')) : esc(t.none)}</p>
</section>`;
}

function table(t: Text, headers: string[], rows: (string | number | null)[][], total: number, id?: string): string {
  if (total === 0) return `<p class="muted">${esc(t.noneRows)}</p>`;
  const more = total > rows.length ? `<p class="muted small">${esc(t.showing(rows.length, total))}</p>` : '';
  return `<table class="list"${id ? ` id="${id}"` : ''}><thead><tr>${headers.map((h) => `<th>${esc(h)}</th>`).join('')}</tr></thead><tbody>${rows
    .map((r) => `<tr>${r.map((c) => `<td>${esc(c)}</td>`).join('')}</tr>`)
    .join('')}</tbody></table>${more}`;
}

/**
 * The law's limits first, above every figure: an unlawful candidate is analysed, but the page
 * says plainly that it could not be drafted or put in force, rule by rule with the provision.
 */
function legalLimits(report: WhatIfReport, t: Text, lang: WhatIfLanguage, ruleSets: WhatIfHtmlOptions['ruleSets']): string {
  const side = (name: 'candidate' | 'baseline', l: LegalLimitsSide) =>
    l.lawful
      ? ''
      : `<section class="unlawful" id="legal-limits-${name}" role="alert"><h2>${esc(t.legalTitle(name, l.rulesOutsideLimits))}</h2>
<p>${esc(t.legalText(name))}</p>
${table(
  t,
  [...t.legalHeaders],
  l.breaches
    .slice(0, LIST_ROWS)
    .map((b) => [
      ruleName(b.ruleId, ruleSets?.[name]),
      decisionTypeName(b.decisionType, lang),
      b.unit ? deciderName(b.unit, lang) : '–',
      b.provision,
      b.problem,
    ]),
  l.breaches.length,
  `legal-limits-${name}-rules`,
)}</section>`;
  const both = side('candidate', report.legalLimits.candidate) + side('baseline', report.legalLimits.baseline);
  return both || `<p class="lawful small" id="legal-limits-ok">${esc(t.legalOk)}</p>`;
}

const details = (id: string, title: string, body: string) => `<details id="details-${id}"><summary><h3>${esc(title)}</h3></summary>\n${body}\n</details>`;

export function renderWhatIfHtml(report: WhatIfReport, options: WhatIfHtmlOptions = {}): string {
  const lang = options.lang ?? 'nb';
  const t = TEXT[lang];
  const { baseline: b, candidate: c } = report;
  const figures = whatIfFigures(report, lang);
  const figure = (key: WhatIfFigure['key']) => figures.find((f) => f.key === key) as WhatIfFigure;
  const sel =
    Object.entries(report.inputs.selection)
      .map(([k, v]) => `${t.selection[k] ?? k} ${k === 'unit' ? deciderName(String(v), lang) : v}`)
      .join(', ') || t.allFamilies;
  const css = `body{font-family:Georgia,'Times New Roman',serif;color:#1d2733;max-width:980px;margin:32px auto;padding:0 24px;line-height:1.45}
h1{font-size:26px;margin:0 0 4px}h2{font-size:19px;border-bottom:2px solid #1d2733;padding-bottom:4px;margin-top:36px}h3{font-size:16px;margin:14px 0 6px}
.muted{color:#5f6b78}.small{font-size:12px;font-weight:normal}
table{border-collapse:collapse;width:100%;font-family:Helvetica,Arial,sans-serif;font-size:13px}
th,td{padding:6px 8px;border-bottom:1px solid #dde1e6;text-align:left;vertical-align:top}
table.headline td{font-size:16px;font-weight:bold}
.better{color:${VERDICT_COLOUR.better}}.worse{color:${VERDICT_COLOUR.worse}}.same{color:${VERDICT_COLOUR.same}}.changed{color:${VERDICT_COLOUR.changed}}
td.verdict{font-size:13px;text-transform:uppercase;letter-spacing:.04em}td.verdict.better{background:#e6f4ee}td.verdict.worse{background:#fdecea}
#summary{font-family:Helvetica,Arial,sans-serif;font-size:15px}#summary .columns{display:flex;gap:16px}#summary .verdicts{flex:1;border-radius:6px;padding:4px 14px;margin:8px 0}
#summary .verdicts.better{border:2px solid ${VERDICT_COLOUR.better}}#summary .verdicts.worse{border:2px solid ${VERDICT_COLOUR.worse}}#summary .verdicts.changed{border:1px solid #dde1e6}
#summary .verdicts.better h3{color:${VERDICT_COLOUR.better}}#summary .verdicts.worse h3{color:${VERDICT_COLOUR.worse}}#summary .verdicts li{color:#1d2733}
.cards{display:flex;gap:16px;margin:18px 0}.card{flex:1;border:1px solid #dde1e6;border-radius:6px;padding:12px 14px;font-family:Helvetica,Arial,sans-serif}
.card .big{font-size:28px;font-weight:bold}.legend span{display:inline-block;width:12px;height:12px;margin:0 4px 0 12px;vertical-align:middle}
svg{font-family:Helvetica,Arial,sans-serif;max-width:100%;height:auto}svg .tick{font-size:12px;fill:#38434f}svg .val{font-size:11px;fill:#1d2733}svg .axis{font-size:12px;fill:#5f6b78}
details{border:1px solid #dde1e6;border-radius:6px;padding:0 12px;margin:10px 0}details summary{cursor:pointer}details summary h3{display:inline}
table#families td:first-child{white-space:nowrap;font-family:Menlo,Consolas,monospace;font-size:12px}
footer{margin-top:40px;font-size:11px;color:#5f6b78;word-break:break-all}
.unlawful{border:3px solid #b3261e;background:#fdecea;border-radius:6px;padding:4px 16px 12px;margin:18px 0}.unlawful h2{color:#b3261e;border-bottom-color:#b3261e}.lawful{color:#1f7a5a}`;
  const moveRows = report.moves.byType
    .slice(0, LIST_ROWS)
    .map((m) => [decisionTypeName(m.decisionType, lang), deciderName(m.from, lang), deciderName(m.to, lang), m.decisions]);
  const uncovered = report.candidateUncovered;
  const needs = (reason: string) => [
    t.reasons[reason],
    report.needsNobodysJob.baseline.byReason.find((r) => r.reason === reason)?.needs ?? 0,
    report.needsNobodysJob.candidate.byReason.find((r) => r.reason === reason)?.needs ?? 0,
  ];
  const reasons = Object.keys(t.reasons);
  const hand = report.handOffs.candidate;
  const units = (deciders: string[]) => deciders.map((d) => deciderName(d, lang)).join(', ') || '–';
  const districtRows = report.districts.shown.map((d) => [
    d.district ?? t.noDistrict,
    d.families,
    `${num(d.baseline.decidersPerFamily, lang)} / ${num(d.candidate.decidersPerFamily, lang)}`,
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
      f.coordinatingUnit ? deciderName(f.coordinatingUnit, lang) : '–',
      units(f.baseline.deciders),
      units(f.candidate.deciders),
      `${f.baseline.decisions} / ${f.candidate.decisions}`,
      f.moved,
      `${f.baseline.bundle} / ${f.candidate.bundle}`,
      `${f.baseline.reviewDates} / ${f.candidate.reviewDates}`,
      `${f.baseline.needsNobodysJob} / ${f.candidate.needsNobodysJob}`,
      `${f.baseline.handOffs} / ${f.candidate.handOffs}`,
    ]);
  const card = (label: string, body: string) => `<div class="card"><div class="muted small">${esc(label)}</div><div class="big">${body}</div></div>`;
  const change = (f: WhatIfFigure) => `${num(f.baseline, lang)} → <span class="${f.verdict}">${num(f.candidate, lang)}</span>`;
  return `<!DOCTYPE html>
<html lang="${lang}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${esc(t.title(c.ruleSetName, b.ruleSetName))}</title><style>${css}</style></head>
<body>
<header><p class="muted small">${esc(t.kicker)}</p>
<h1>${esc(c.ruleSetName)}</h1>
<p>${t.compared(esc(b.ruleSetName), report.scope.familiesSelected, esc(sel), report.inputs.asOf ? esc(report.inputs.asOf) : '', report.scope.decisionsAnalysed, report.scope.needsAnalysed, report.scope.eventsRead)}</p>
${report.scope.decisionsWithErasedIdentity ? `<p class="muted small">${esc(t.erasedIdentity(report.scope.decisionsWithErasedIdentity))}</p>` : ''}</header>
${legalLimits(report, t, lang, options.ruleSets)}
${summary(report, figures, t, lang)}
<section class="cards">
${card(t.cards.deciders, change(figure('decidersPerFamily')))}
${card(t.cards.moves, String(report.moves.total))}
${card(t.cards.nobody, change(figure('decisionsWithoutDecider')))}
${card(t.cards.needs, change(figure('needsNobodysJob')))}
</section>
<h2>${esc(t.headline)}</h2>
${headline(report, figures, t, lang)}
<h2>${esc(t.chartUnits)}</h2>
<p class="legend small"><span style="background:${BASE}"></span>${esc(t.baseline)}<span style="background:${CAND}"></span>${esc(t.candidate)}</p>
${decidersChart(report, t)}
<h2>${esc(t.chartMoves)}</h2>
${movesChart(report, t, lang)}
<h2>${esc(t.details)}</h2>
${details('moves', t.movesTable, table(t, [...t.movesHeaders], moveRows, report.moves.byType.length))}
${details(
  'uncovered',
  t.uncovered,
  table(
    t,
    [...t.uncoveredHeaders],
    uncovered.byType
      .slice(0, LIST_ROWS)
      .map((u) => [decisionTypeName(u.decisionType, lang), deciderName(u.unit, lang), deciderName(u.baselineDecider, lang), u.decisions]),
    uncovered.byType.length,
  ),
)}
${details('needs', t.needsTitle, `<p class="small muted">${esc(t.needsText)}</p>\n${table(t, [...t.needsHeaders], reasons.map(needs), b.needsNobodysJob + c.needsNobodysJob > 0 ? reasons.length : 0)}`)}
${details(
  'hand-offs',
  t.handOffs,
  `<p class="small muted">${esc(t.handOffsText(b.handOffs, c.handOffs))}</p>\n${table(
    t,
    [...t.handOffsHeaders],
    hand.byRoute.slice(0, LIST_ROWS).map((h) => [h.pickedUpBy.map((u) => deciderName(u, lang)).join(', '), deciderName(h.decidedBy, lang), h.handOffs]),
    hand.byRoute.length,
  )}`,
)}
${details('districts', t.districts, `<p class="small muted">${esc(t.districtsText(report.disclosure.minFamiliesPerDistrict, report.districts.withheld.families))}</p>\n${table(t, [...t.districtHeaders], districtRows, districtRows.length, 'districts')}`)}
${details('families', t.familiesTitle, `<p class="small muted">${esc(t.familiesText(report.listed.families < report.scope.familiesSelected ? t.sample(report.listed.families) : ''))}</p>\n${table(t, [...t.familyHeaders], drill, report.scope.familiesSelected, 'families')}`)}
<footer>${esc(t.footer)} ${esc(report.hash)} · ${esc(t.baseline.toLowerCase())} ${esc(report.inputs.baseline.id)} v${report.inputs.baseline.version} (${esc(report.inputs.baseline.sha256.slice(0, 12))}) · ${esc(t.candidate.toLowerCase())} ${esc(report.inputs.candidate.id)} v${report.inputs.candidate.version} (${esc(report.inputs.candidate.sha256.slice(0, 12))})</footer>
</body></html>
`;
}
