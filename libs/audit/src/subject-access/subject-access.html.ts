import { findDecisionType, formatNok, isErasedMarker, type Erasable } from '@familievedtak/domain';
import { erasedWords, shownValue } from '../history/erasure-words';
import type { SubjectAccessExport, SubjectConsent, SubjectFamilyPart } from './subject-access';
import { EVENT_WORDS_NB, humanDate, languageName, listOf, osloTime, unitName, word, type SubjectAccessLanguage } from './subject-access.text';

/**
 * The export as one self-contained, readable HTML page for the person it is about: inline
 * CSS, no scripts (the CSP forbids them too), no external resources, UTF-8 so Norwegian names
 * read as written. Bokmål unless English is asked for; people by name, units by name, times
 * in Oslo local time, no ids (the JSON export keeps them). Every value is escaped: names,
 * words and reasons are what people typed.
 */

export type SubjectAccessHtmlOptions = { lang?: SubjectAccessLanguage };

const esc = (value: unknown): string =>
  String(value ?? '').replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] as string);

const table = (headers: string[], rows: unknown[][], empty: string): string =>
  rows.length
    ? `<table><thead><tr>${headers.map((h) => `<th>${esc(h)}</th>`).join('')}</tr></thead><tbody>${rows
        .map((r) => `<tr>${r.map((c) => `<td>${esc(c)}</td>`).join('')}</tr>`)
        .join('')}</tbody></table>`
    : `<p class="empty">${esc(empty)}</p>`;

const money = (ore: number | null) => (ore === null ? '' : formatNok(ore));

/** The page's sentences. Functions where a number or name goes in. */
const TEXT = {
  nb: {
    title: (name: string) => (name ? `Dette har vi registrert om deg, ${name}` : 'Dette har vi registrert om deg'),
    intro: (made: string, today: string) =>
      `Du har rett til å få vite hvilke opplysninger kommunen har om deg (personvernforordningen artikkel 15). ` +
      `Her står alt vi har registrert om deg i familiesaken, og hvem som har sett på opplysningene dine. ` +
      `Utskriften er laget ${made}. Det som står om hva som gjelder, gjelder ${today}.`,
    questions:
      'Har du spørsmål, eller mener du at noe er feil? Ta kontakt med kontaktpersonen din eller enheten som har registrert opplysningen. Du kan be oss rette feil.',
    family: (n: number, of: number) => (of === 1 ? 'Familiesaken' : `Familiesak ${n} av ${of}`),
    withheld:
      'Et familiemedlem har beskyttet adresse. Derfor står det ikke her hvor familien bor, hvem som er rundt familien, eller fritekst som er skrevet i saken.',
    protectedMember: 'et familiemedlem med beskyttet adresse',
    about: 'Om deg',
    name: 'Navn',
    born: 'Født',
    role: 'I husstanden',
    nationalId: 'Fødselsnummer',
    language: 'Foretrukket språk',
    protectedAddress: 'Beskyttet adresse',
    member: 'Medlem',
    yes: 'ja',
    no: 'nei',
    since: (status: string, from: string, left: string) => `${status} fra ${from}${left ? `, flyttet ut ${left}` : ''}`,
    decisions: 'Vedtak om deg',
    noDecisions: 'Ingen vedtak.',
    decisionHeaders: ['Enhet', 'Vedtak', 'Gjelder', 'Status', 'Periode', 'Per måned', 'Engangsbeløp', 'Lovgrunnlag', 'Hvem som kunne vedta'],
    rule: (set: string, version: number, rule: string | null) => `Delegeringsreglement ${set}, versjon ${version}${rule ? `, regel ${rule}` : ''}`,
    needs: 'Behov du har fortalt om',
    noNeeds: 'Ingen behov.',
    needHeaders: ['Fortalt', 'Med dine ord', 'Status', 'Tatt tak i av'],
    needWithoutResponse: (told: string, days: number) =>
      `Ingen har svart på behovet ditt fra ${told} på ${days} dager. Saken viser et varsel om dette til dem som jobber med den.`,
    needOpenTooLong: (told: string, days: number, units: string, limit: number) =>
      `Behovet ditt fra ${told} har vært åpent i ${days} dager etter at ${units} tok tak i det, lenger enn de ${limit} dagene kommunen har satt som grense. ` +
      'Saken viser et varsel om dette til dem som jobber med den.',
    payments: 'Utbetalinger til deg',
    noPayments: 'Ingen utbetalinger.',
    paymentHeaders: ['Utbetalt', 'Beløp', 'Hvordan', 'Betalt av', 'Tilbakeført'],
    reversedOn: (d: string) => `ja, ${d}`,
    consents: 'Samtykker',
    noConsents: 'Ingen samtykker.',
    consentHeaders: ['Hva samtykket gjelder', 'Om', 'Gitt av', 'Til', 'Opplysninger', 'Gyldig', 'Status'],
    withdrawnFrom: (status: string, d: string) => `${status} (trukket tilbake fra ${d})`,
    until: (from: string, until: string) => (until ? `${from} – ${until}` : `fra ${from}`),
    appeals: 'Klager',
    noAppeals: 'Ingen klager.',
    appealHeaders: ['Mottatt', 'Vedtaket det gjelder', 'Status', 'Begrunnelse'],
    events: (n: number) => `Alt som er registrert om deg (${n} ${n === 1 ? 'hendelse' : 'hendelser'})`,
    noEvents: 'Ingen hendelser.',
    eventHeaders: ['Når', 'Hva som skjedde', 'Gjelder', 'Registrert av', 'Etter hvilken myndighet', 'Samtykke brukt'],
    by: (user: string, role: string, unit: string) => `${user} (${role}${unit ? `, ${unit}` : ''})`,
    reads: (n: number) => `Hvem som har sett på opplysningene dine (${n} ${n === 1 ? 'gang' : 'ganger'})`,
    noReads: 'Ingen har sett på opplysningene dine.',
    readHeaders: ['Når', 'Hvem', 'Rolle', 'Enhet', 'Hvorfor', 'Hva', 'Resultat', 'Samtykke brukt'],
    consentRef: (kind: string, givenBy: string) => `samtykke til ${kind}, gitt av ${givenBy}`,
    otherConsent: 'et samtykke som gjelder et annet familiemedlem',
    decisionOf: (type: string, unit: string) => `${type} (${unit})`,
    unknownDecision: 'et vedtak',
  },
  en: {
    title: (name: string) => (name ? `What we hold about you, ${name}` : 'What we hold about you'),
    intro: (made: string, today: string) =>
      `You have the right to know what the municipality holds about you (GDPR Article 15). ` +
      `This is everything recorded about you in the family case, and who has looked at your information. ` +
      `It was made on ${made}. What is in force is shown as of ${today}.`,
    questions:
      'If you have questions, or think something is wrong, contact your contact person or the unit that recorded it. You can ask us to correct mistakes.',
    family: (n: number, of: number) => (of === 1 ? 'The family case' : `Family case ${n} of ${of}`),
    withheld:
      'A member of the household has a protected address. So this copy does not say where the family lives, who is around the family, or free text written in the case.',
    protectedMember: 'a member with a protected address',
    about: 'About you',
    name: 'Name',
    born: 'Born',
    role: 'In the household',
    nationalId: 'National identity number',
    language: 'Preferred language',
    protectedAddress: 'Protected address',
    member: 'Member',
    yes: 'yes',
    no: 'no',
    since: (status: string, from: string, left: string) => `${status} from ${from}${left ? `, moved out ${left}` : ''}`,
    decisions: 'Decisions about you',
    noDecisions: 'No decisions.',
    decisionHeaders: ['Unit', 'Decision', 'For', 'Status', 'Period', 'Monthly', 'One-off', 'Legal basis', 'Who could decide it'],
    rule: (set: string, version: number, rule: string | null) => `Delegation rules ${set}, version ${version}${rule ? `, rule ${rule}` : ''}`,
    needs: 'Needs you told us about',
    noNeeds: 'No needs.',
    needHeaders: ['Told', 'In your words', 'Status', 'Taken up by'],
    needWithoutResponse: (told: string, days: number) =>
      `Nobody has answered your need from ${told} in ${days} days. The case shows a warning about this to those working on it.`,
    needOpenTooLong: (told: string, days: number, units: string, limit: number) =>
      `Your need from ${told} has been open for ${days} days since ${units} took it up, longer than the ${limit} days the municipality has set as its limit. ` +
      'The case shows a warning about this to those working on it.',
    payments: 'Payments to you',
    noPayments: 'No payments.',
    paymentHeaders: ['Paid', 'Amount', 'How', 'Paid by', 'Reversed'],
    reversedOn: (d: string) => `yes, ${d}`,
    consents: 'Consents',
    noConsents: 'No consents.',
    consentHeaders: ['What the consent is for', 'About', 'Given by', 'To', 'Information', 'Valid', 'Status'],
    withdrawnFrom: (status: string, d: string) => `${status} (withdrawn from ${d})`,
    until: (from: string, until: string) => (until ? `${from} – ${until}` : `from ${from}`),
    appeals: 'Appeals',
    noAppeals: 'No appeals.',
    appealHeaders: ['Received', 'Decision appealed', 'Status', 'Grounds'],
    events: (n: number) => `Everything recorded about you (${n} ${n === 1 ? 'event' : 'events'})`,
    noEvents: 'No events.',
    eventHeaders: ['When', 'What happened', 'About', 'Recorded by', 'On whose authority', 'Consents relied on'],
    by: (user: string, role: string, unit: string) => `${user} (${role}${unit ? `, ${unit}` : ''})`,
    reads: (n: number) => `Who has looked at your information (${n} ${n === 1 ? 'time' : 'times'})`,
    noReads: 'Nobody has looked at your information.',
    readHeaders: ['When', 'Who', 'Role', 'Unit', 'Why', 'What', 'Outcome', 'Consents relied on'],
    consentRef: (kind: string, givenBy: string) => `consent to ${kind}, given by ${givenBy}`,
    otherConsent: 'a consent about another member of the family',
    decisionOf: (type: string, unit: string) => `${type} (${unit})`,
    unknownDecision: 'a decision',
  },
} as const;

type Text = (typeof TEXT)[SubjectAccessLanguage];

function decisionTypeName(code: string, fallback: string, lang: SubjectAccessLanguage): string {
  const entry = findDecisionType(code);
  return entry ? (lang === 'nb' ? entry.labelNo : entry.label) : fallback;
}

/** Consent ids as what they are: the consents the export shows by kind and who gave them; others only as "a consent". */
function consentNames(report: SubjectAccessExport, t: Text, lang: SubjectAccessLanguage): (ids: string[]) => string {
  const known = new Map<string, SubjectConsent>(report.families.flatMap((f) => f.consents.map((c) => [c.consentId, c] as const)));
  return (ids) =>
    ids
      .map((id) => {
        const c = known.get(id);
        return c ? t.consentRef(word(c.kind, lang), c.givenByName === null ? t.protectedMember : shownValue(c.givenByName, lang)) : t.otherConsent;
      })
      .join('; ');
}

function familySection(report: SubjectAccessExport, part: SubjectFamilyPart, index: number, lang: SubjectAccessLanguage): string {
  const t = TEXT[lang];
  const m = part.member;
  const date = (d: string | null | undefined) => humanDate(d, lang);
  const period = (from: string, until: string | null | undefined) => t.until(date(from), date(until));
  // An erased value reads "slettet 3. februar 2031 etter …" / "erased on 3 February 2031 under …" (design §4).
  const shown = <T>(value: Erasable<T>) => shownValue(value, lang);
  const person = (name: Erasable<string> | null) => (name === null ? t.protectedMember : shown(name));
  const units = (codes: string[]) =>
    listOf(
      codes.map((u) => unitName(u, lang)),
      lang,
    );
  // unitName capitalises for a table cell; inside a sentence "the NAV office" stays lower case.
  const unitsInSentence = (codes: string[]) => {
    const names = units(codes);
    return lang === 'en' && names.startsWith('The ') ? `t${names.slice(1)}` : names;
  };
  const consents = consentNames(report, t, lang);
  const decisionsById = new Map(part.decisions.map((d) => [d.decisionId, d]));
  return `<section>
<h2>${esc(t.family(index + 1, report.families.length))}</h2>
${part.withheld ? `<p class="note">${esc(t.withheld)}</p>` : ''}
<h3>${esc(t.about)}</h3>
<dl>
<dt>${esc(t.name)}</dt><dd>${esc(m.name === null ? '' : shown(m.name))}</dd>
<dt>${esc(t.born)}</dt><dd>${esc(isErasedMarker(m.birthDate) ? erasedWords(m.birthDate, lang) : date(m.birthDate))}</dd>
<dt>${esc(t.role)}</dt><dd>${esc(word(m.role, lang))}</dd>
<dt>${esc(t.nationalId)}</dt><dd>${esc(m.nationalId === null ? '—' : shown(m.nationalId))}</dd>
<dt>${esc(t.language)}</dt><dd>${esc(isErasedMarker(m.preferredLanguage) ? erasedWords(m.preferredLanguage, lang) : languageName(m.preferredLanguage, lang))}</dd>
<dt>${esc(t.protectedAddress)}</dt><dd>${m.protectedAddress ? t.yes : t.no}</dd>
<dt>${esc(t.member)}</dt><dd>${esc(t.since(word(m.status, lang), date(m.joinedOn), date(m.leftOn)))}</dd>
</dl>
<h3>${esc(t.decisions)}</h3>
${table(
  [...t.decisionHeaders],
  part.decisions.map((d) => [
    unitName(d.unit, lang),
    decisionTypeName(d.decisionType, d.decisionTypeLabel, lang),
    listOf(d.memberNames.map(person), lang),
    word(d.status, lang),
    period(d.periodFrom, d.periodUntil),
    money(d.amounts.monthlyAmountOre),
    money(d.amounts.oneOffAmountOre),
    d.legalBasis ?? '',
    t.rule(d.delegation.ruleSetId, d.delegation.ruleSetVersion, d.delegation.ruleId),
  ]),
  t.noDecisions,
)}
<h3>${esc(t.needs)}</h3>
${table(
  [...t.needHeaders],
  part.needs.map((n) => [date(n.expressedOn), n.words === null ? '' : shown(n.words), word(n.status, lang), units(n.pickedUpBy.map((p) => p.unit))]),
  t.noNeeds,
)}
${part.warnings
  .map(
    (w) =>
      `<p class="note">${esc(
        w.kind === 'need-open-too-long'
          ? t.needOpenTooLong(date(w.expressedOn), w.daysOpen, unitsInSentence(w.pickedUpBy), w.limitDays)
          : t.needWithoutResponse(date(w.expressedOn), w.daysOpen),
      )}</p>`,
  )
  .join('\n')}
<h3>${esc(t.payments)}</h3>
${table(
  [...t.paymentHeaders],
  part.payments.map((p) => [
    date(p.paidOn),
    formatNok(p.amountOre),
    word(p.method, lang),
    p.funding.kind === 'unit' ? unitName(p.funding.unit, lang) : p.fundingSource,
    p.reversed ? t.reversedOn(date(p.reversedOn)) : t.no,
  ]),
  t.noPayments,
)}
<h3>${esc(t.consents)}</h3>
${table(
  [...t.consentHeaders],
  part.consents.map((c) => [
    word(c.kind, lang),
    person(c.aboutName),
    person(c.givenByName),
    units(c.toUnits),
    listOf(
      c.dataCategories.map((k) => word(k, lang)),
      lang,
    ),
    period(c.validFrom, c.validUntil),
    c.withdrawnFrom ? t.withdrawnFrom(word(c.status, lang), date(c.withdrawnFrom)) : word(c.status, lang),
  ]),
  t.noConsents,
)}
<h3>${esc(t.appeals)}</h3>
${table(
  [...t.appealHeaders],
  part.appeals.map((a) => {
    const d = decisionsById.get(a.decisionId);
    const about = d
      ? t.decisionOf(decisionTypeName(d.decisionType, d.decisionTypeLabel, lang), unitName(d.unit, lang))
      : a.decisionTypeLabel && a.unitName
        ? `${a.decisionTypeLabel} (${a.unitName})`
        : t.unknownDecision;
    return [date(a.receivedOn), about, word(a.stage, lang), a.grounds === null ? '' : shown(a.grounds)];
  }),
  t.noAppeals,
)}
<h3>${esc(t.events(part.events.length))}</h3>
${table(
  [...t.eventHeaders],
  part.events.map((e) => [
    osloTime(e.recordedAt, lang),
    lang === 'nb' ? (EVENT_WORDS_NB[e.type as keyof typeof EVENT_WORDS_NB] ?? e.label) : e.label,
    listOf(e.memberNames.map(person), lang),
    t.by(e.actor.userId, word(e.actor.role, lang), e.actor.unit ? unitName(e.actor.unit, lang) : ''),
    e.delegation ? t.rule(e.delegation.ruleSetId, e.delegation.ruleSetVersion, e.delegation.ruleId) : '',
    consents(e.consentsReliedOn),
  ]),
  t.noEvents,
)}
</section>`;
}

export function subjectAccessHtml(report: SubjectAccessExport, options: SubjectAccessHtmlOptions = {}): string {
  const lang = options.lang ?? 'nb';
  const t = TEXT[lang];
  // An erased name is not put in the title (the page says it was erased where the name stands).
  const given = report.families[0]?.member.name;
  const name = typeof given === 'string' ? given : '';
  const consents = consentNames(report, t, lang);
  return `<!DOCTYPE html>
<html lang="${lang}">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${esc(t.title(name))}</title>
<style>
body{font-family:system-ui,-apple-system,"Segoe UI",sans-serif;margin:2rem auto;max-width:70rem;color:#1d2430;line-height:1.45;padding:0 1rem}
h1{font-size:1.6rem}h2{margin-top:2.5rem;border-bottom:2px solid #d6dbe1}h3{margin-top:1.5rem}
p.lead{font-size:1.05rem;max-width:48rem}
table{border-collapse:collapse;width:100%;font-size:.9rem}th,td{border:1px solid #d6dbe1;padding:.3rem .5rem;text-align:left;vertical-align:top}
th{background:#f2f4f7}dl{display:grid;grid-template-columns:14rem 1fr;gap:.2rem 1rem}dt{font-weight:600}.empty{color:#5b6b7f}
.note{background:#fff6e0;border-left:4px solid #c98a00;padding:.5rem .8rem}
</style>
</head>
<body>
<h1>${esc(t.title(name))}</h1>
<p class="lead">${esc(t.intro(osloTime(report.generatedAt, lang), humanDate(report.today, lang)))}</p>
<p>${esc(t.questions)}</p>
${report.families.map((part, i) => familySection(report, part, i, lang)).join('\n')}
<section>
<h2>${esc(t.reads(report.readAudit.length))}</h2>
${table(
  [...t.readHeaders],
  report.readAudit.map((r) => [
    osloTime(r.at, lang),
    r.userId,
    word(r.role, lang),
    r.unit ? unitName(r.unit, lang) : '',
    r.purpose,
    listOf(
      r.categories.map((c) => word(c, lang)),
      lang,
    ),
    word(r.outcome, lang),
    consents(r.consentIds),
  ]),
  t.noReads,
)}
</section>
</body>
</html>
`;
}
