/**
 * How the PDF library was chosen (README "Documents, issuing and fetching"): the same letter
 * through pdfkit and through headless Chromium's page.pdf(), N times each, on this machine.
 * Time per letter, memory, size, whether two renders give the same bytes, whether it is tagged.
 * Build and run: npm run build && node --expose-gc dist/bench/letters/pdf-library.bench.js
 */
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { chromium } from 'playwright-core';
import { LETTER_FONTS, renderLetterPdf } from '../../libs/letters/src/pdf/letter-pdf';
import { sampleLetterCopy } from '../../libs/letters/src/pdf/testing/sample-copy';
import type { LetterCopy } from '../../libs/letters/src/letter.model';

const N = Number(process.env.BENCH_LETTERS ?? 50);
const sha = (b: Buffer | Uint8Array) => createHash('sha256').update(b).digest('hex');
const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;');

/** The same content as an HTML page with the same font embedded as a data URL (no system fonts). */
function letterHtml(copy: LetterCopy): string {
  const font = readFileSync(LETTER_FONTS.regular).toString('base64');
  const parts = copy.decisions.map(
    (d, i) => `<section><h2>Vedtak ${i + 1}: ${esc(d.typeLabel)} (${esc(d.unitName)})</h2><p>${esc(d.facts)}</p>
    <p>Klagen avgjøres av: ${esc(d.appeal?.bodyName ?? '')}</p><p>Klagefrist: ${d.appeal?.deadline ?? ''}</p><p>Send klagen til: ${esc(d.appeal?.sendTo ?? '')}</p></section>`,
  );
  return `<!doctype html><html lang="nb"><head><meta charset="utf-8"><title>Vedtak til familien</title>
    <style>@font-face{font-family:L;src:url(data:font/ttf;base64,${font})} body{font-family:L;font-size:11pt}</style></head>
    <body><h1>Vedtak til familien</h1><p>Til: ${esc(copy.recipientName)}</p>${parts.join('')}<h2>Kontaktperson</h2><p>${esc(copy.familyPart.contact?.name ?? '')}</p></body></html>`;
}

const mb = (n: number) => Math.round((n / 1024 / 1024) * 10) / 10;

async function main(): Promise<void> {
  const copy = sampleLetterCopy('nb');
  global.gc?.();
  const rss0 = process.memoryUsage().rss;
  let t0 = performance.now();
  const pdfkitFirst = await renderLetterPdf(copy);
  const pdfkitColdMs = performance.now() - t0;
  t0 = performance.now();
  let last = pdfkitFirst;
  let peakRss = rss0;
  for (let i = 0; i < N; i++) {
    last = await renderLetterPdf(copy);
    peakRss = Math.max(peakRss, process.memoryUsage().rss);
    if (i % 10 === 9) global.gc?.();
  }
  const pdfkitMs = (performance.now() - t0) / N;
  const pdfkit = {
    library: 'pdfkit',
    coldMs: Math.round(pdfkitColdMs),
    msPerLetter: Math.round(pdfkitMs * 10) / 10,
    rssGrowthMb: mb(peakRss - rss0),
    bytes: last.length,
    deterministic: sha(last) === sha(pdfkitFirst),
    tagged: /\/StructTreeRoot/.test(last.toString('latin1')),
  };

  t0 = performance.now();
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu'],
  });
  const page = await browser.newPage();
  const html = letterHtml(copy);
  await page.setContent(html);
  const chromeFirst = await page.pdf({ format: 'A4', tagged: true });
  const chromeColdMs = performance.now() - t0;
  t0 = performance.now();
  let chromeLast = chromeFirst;
  for (let i = 0; i < N; i++) {
    await page.setContent(html);
    chromeLast = await page.pdf({ format: 'A4', tagged: true });
  }
  const chromeMs = (performance.now() - t0) / N;
  const chromeRss = childrenRssMb();
  await browser.close();
  const chrome = {
    library: 'chromium page.pdf()',
    coldMs: Math.round(chromeColdMs),
    msPerLetter: Math.round(chromeMs * 10) / 10,
    browserRssMb: chromeRss,
    bytes: chromeLast.length,
    deterministic: sha(chromeLast) === sha(chromeFirst),
    tagged: /\/StructTreeRoot/.test(Buffer.from(chromeLast).toString('latin1')),
  };
  console.log(JSON.stringify({ letters: N, pdfkit, chrome }, null, 2));
}

/** The resident memory of this process's descendants (Chromium's processes), from Linux /proc. */
function childrenRssMb(): number {
  const procs = readdirSync('/proc')
    .filter((d) => /^\d+$/.test(d))
    .flatMap((pid) => {
      try {
        const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
        const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
        return [{ pid: Number(pid), ppid: Number(fields[1]), rssPages: Number(fields[21]) }];
      } catch {
        return []; // the process ended while we looked
      }
    });
  const ours = new Set([process.pid]);
  let grew = true;
  while (grew) {
    grew = false;
    for (const p of procs) {
      if (!ours.has(p.pid) && ours.has(p.ppid)) {
        ours.add(p.pid);
        grew = true;
      }
    }
  }
  ours.delete(process.pid);
  return mb(procs.filter((p) => ours.has(p.pid)).reduce((sum, p) => sum + p.rssPages * 4096, 0));
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
