// Reads StrykerJS's JSON report (reports/mutation/mutation.json) and prints, per file, the score over all
// mutants and over the logic-changing ones (docs/mutation-testing.md says how they are counted), then the
// logic-changing survivors. Usage: node scripts/mutation-score.mjs [report.json ...] [--markdown]
// (several reports, e.g. of runs over different files, are read as one).
import { readFileSync } from 'node:fs';

const args = process.argv.slice(2);
const markdown = args.includes('--markdown');
const reportPaths = args.filter((a) => !a.startsWith('--'));
const files = {};
for (const path of reportPaths.length ? reportPaths : ['reports/mutation/mutation.json']) Object.assign(files, JSON.parse(readFileSync(path, 'utf8')).files);

const DETECTED = new Set(['Killed', 'Timeout']);
const UNDETECTED = new Set(['Survived', 'NoCoverage']);
const FIELD_LABEL = /^[A-Za-z]+(?:[.[][\w.[\]${}]*)*$/;

/**
 * A mutant that only changes what a refusal says, not whether or what the code decides:
 * a string in a `throw` statement (message, field name), a string of prose (an action named in a refusal),
 * a field label passed to a validator after a comma (`requireText(data.name, 'name', 200)`), or
 * an object or array literal in a `throw` statement (error details).
 */
export function isMessageOnly(mutant, lines) {
  const line = mutant.location.start.line;
  const statement = lines.slice(Math.max(0, line - 3), mutant.location.end.line).join('\n');
  const original = lines[line - 1].slice(mutant.location.start.column - 1);
  const inThrow = /\bthrow\b/.test(statement);
  if (mutant.mutatorName === 'StringLiteral') {
    const text = original.slice(1, original.indexOf(original[0], 1));
    if (inThrow || /\s/.test(text)) return true;
    const before = lines[line - 1].slice(0, mutant.location.start.column - 1);
    return FIELD_LABEL.test(text) && /,\s*$/.test(before) && /\b(require|parse|optional|idOrNew)\w*\(/.test(lines[line - 1]);
  }
  if (mutant.mutatorName === 'ObjectLiteral' || mutant.mutatorName === 'ArrayDeclaration') return inThrow;
  return false;
}

const pct = (d, u) => (d + u === 0 ? 'n/a' : `${((100 * d) / (d + u)).toFixed(1)}%`);
const rows = [];
const survivors = [];
const total = { d: 0, u: 0, ld: 0, lu: 0 };
for (const [file, { source, mutants }] of Object.entries(files).sort(([a], [b]) => a.localeCompare(b))) {
  const lines = source.split('\n');
  const t = { d: 0, u: 0, ld: 0, lu: 0 };
  for (const m of mutants) {
    const detected = DETECTED.has(m.status);
    const undetected = UNDETECTED.has(m.status);
    if (!detected && !undetected) continue;
    const logic = !isMessageOnly(m, lines);
    t.d += +detected;
    t.u += +undetected;
    if (logic) {
      t.ld += +detected;
      t.lu += +undetected;
      if (undetected)
        survivors.push(`${file}:${m.location.start.line}:${m.location.start.column} ${m.mutatorName} ${m.status} -> ${JSON.stringify(m.replacement ?? '')}`);
    }
  }
  for (const k of Object.keys(total)) total[k] += t[k];
  rows.push([file, t.d + t.u, pct(t.d, t.u), t.ld + t.lu, pct(t.ld, t.lu), t.lu]);
}
rows.push(['all files', total.d + total.u, pct(total.d, total.u), total.ld + total.lu, pct(total.ld, total.lu), total.lu]);

if (markdown) {
  console.log('| File | Mutants | Score | Logic-changing | Logic score | Logic survivors |');
  console.log('|---|---:|---:|---:|---:|---:|');
  for (const r of rows) console.log(`| ${r.join(' | ')} |`);
} else {
  console.table(rows.map(([file, all, score, logic, logicScore, left]) => ({ file, all, score, logic, logicScore, left })));
  for (const s of survivors) console.log(s);
}
