import { formatNok } from '@familievedtak/domain';
import type { SubjectAccessExport, SubjectFamilyPart } from './subject-access';

/**
 * The export as one self-contained, readable HTML page for the member: inline CSS, no
 * scripts (the CSP forbids them too), no external resources, UTF-8 so Norwegian names read
 * as written. Every value is escaped: names, words and reasons are what people typed.
 */

const esc = (value: unknown): string =>
  String(value ?? '').replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] as string);

const table = (headers: string[], rows: unknown[][], empty: string): string =>
  rows.length
    ? `<table><thead><tr>${headers.map((h) => `<th>${esc(h)}</th>`).join('')}</tr></thead><tbody>${rows
        .map((r) => `<tr>${r.map((c) => `<td>${esc(c)}</td>`).join('')}</tr>`)
        .join('')}</tbody></table>`
    : `<p class="empty">${esc(empty)}</p>`;

const money = (ore: number | null) => (ore === null ? '' : formatNok(ore));

function familySection(part: SubjectFamilyPart): string {
  const m = part.member;
  return `<section>
<h2>Family ${esc(part.familyId)}</h2>
${part.withheld ? '<p class="empty">A member of the household has a protected address: where the family lives, the names of the people and places around it and free text are left out of this copy.</p>' : ''}
<dl>
<dt>Name</dt><dd>${esc(m.name)}</dd>
<dt>Born</dt><dd>${esc(m.birthDate)}</dd>
<dt>Role in household</dt><dd>${esc(m.role)}</dd>
<dt>National id</dt><dd>${esc(m.nationalId ?? '—')}</dd>
<dt>Preferred language</dt><dd>${esc(m.preferredLanguage ?? '—')}</dd>
<dt>Protected address</dt><dd>${m.protectedAddress ? 'yes' : 'no'}</dd>
<dt>Member</dt><dd>${esc(m.status)} since ${esc(m.joinedOn)}${m.leftOn ? `, left ${esc(m.leftOn)}` : ''}</dd>
</dl>
<h3>Decisions about you</h3>
${table(
  ['Unit', 'Decision', 'Status', 'Period', 'Monthly', 'One-off', 'Legal basis', 'Delegation rule'],
  part.decisions.map((d) => [d.unit, d.decisionTypeLabel, d.status, `${d.periodFrom} – ${d.periodUntil}`, money(d.amounts.monthlyAmountOre), money(d.amounts.oneOffAmountOre), d.legalBasis ?? '', `${d.delegation.ruleSetId} v${d.delegation.ruleSetVersion} / ${d.delegation.ruleId}`]),
  'No decisions.',
)}
<h3>Needs you expressed</h3>
${table(['Expressed', 'In your words', 'Status', 'Picked up by'], part.needs.map((n) => [n.expressedOn, n.words, n.status, n.pickedUpBy.map((p) => p.unit).join(', ')]), 'No needs.')}
<h3>Payments to you</h3>
${table(['Paid', 'Amount', 'Method', 'Paid from', 'Reversed'], part.payments.map((p) => [p.paidOn, formatNok(p.amountOre), p.method, p.fundingSource, p.reversed ? `yes, ${p.reversedOn ?? ''}` : 'no']), 'No payments.')}
<h3>Consents</h3>
${table(
  ['Kind', 'About', 'Given by', 'To units', 'Data', 'Valid', 'Status'],
  part.consents.map((c) => [c.kind, c.memberId, c.givenByMemberId, c.toUnits.join(', '), c.dataCategories.join(', '), `${c.validFrom} – ${c.validUntil ?? ''}`, c.withdrawnFrom ? `${c.status} (withdrawn from ${c.withdrawnFrom})` : c.status]),
  'No consents.',
)}
<h3>Appeals</h3>
${table(['Received', 'Decision', 'Status', 'Grounds'], part.appeals.map((a) => [a.receivedOn, a.decisionId, a.stage, a.grounds ?? '']), 'No appeals.')}
<h3>Everything recorded about you (${part.events.length} ${part.events.length === 1 ? 'event' : 'events'})</h3>
${table(
  ['#', 'Recorded', 'What happened', 'By', 'Authority', 'Consents relied on'],
  part.events.map((e) => [
    e.revision,
    e.recordedAt,
    e.label,
    `${e.actor.userId} (${e.actor.role}${e.actor.unit ? `, ${e.actor.unit}` : ''})`,
    e.delegation ? `${e.delegation.ruleSetId} v${e.delegation.ruleSetVersion}${e.delegation.ruleId ? ` / ${e.delegation.ruleId}` : ''}` : '',
    e.consentsReliedOn.join(', '),
  ]),
  'No events.',
)}
</section>`;
}

export function subjectAccessHtml(report: SubjectAccessExport): string {
  const name = report.families[0]?.member.name ?? report.memberId;
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>What we hold about ${esc(name)}</title>
<style>
body{font-family:system-ui,-apple-system,"Segoe UI",sans-serif;margin:2rem auto;max-width:70rem;color:#1d2430;line-height:1.4;padding:0 1rem}
h1{font-size:1.6rem}h2{margin-top:2.5rem;border-bottom:2px solid #d6dbe1}h3{margin-top:1.5rem}
table{border-collapse:collapse;width:100%;font-size:.9rem}th,td{border:1px solid #d6dbe1;padding:.3rem .5rem;text-align:left;vertical-align:top}
th{background:#f2f4f7}dl{display:grid;grid-template-columns:12rem 1fr;gap:.2rem 1rem}dt{font-weight:600}.empty{color:#5b6b7f}
</style>
</head>
<body>
<h1>What we hold about ${esc(name)}</h1>
<p>Subject access export for member ${esc(report.memberId)}, made ${esc(report.generatedAt)}. Statuses are as of ${esc(report.today)}.</p>
${report.families.map(familySection).join('\n')}
<section>
<h2>Who has looked at your data (${report.readAudit.length} ${report.readAudit.length === 1 ? 'read' : 'reads'})</h2>
${table(
  ['When', 'Who', 'Role', 'Unit', 'Purpose', 'What', 'Outcome', 'Consents relied on'],
  report.readAudit.map((r) => [r.at, r.userId, r.role ?? '', r.unit ?? '', r.purpose, r.categories.join(', '), `${r.outcome} (${r.status})`, r.consentIds.join(', ')]),
  'No recorded reads.',
)}
</section>
</body>
</html>
`;
}
