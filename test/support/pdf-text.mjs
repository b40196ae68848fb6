// Reads a PDF on stdin and prints its text as JSON: pages of lines, the title, the language and whether it is tagged
// (pdfjs-dist is ESM only, which Jest's CommonJS runtime cannot load; Node can).
import { getDocument } from 'pdfjs-dist/legacy/build/pdf.mjs';

const chunks = [];
for await (const chunk of process.stdin) chunks.push(chunk);
const data = new Uint8Array(Buffer.concat(chunks));
const pdf = await getDocument({ data, useSystemFonts: false, isEvalSupported: false, verbosity: 0 }).promise;
const pages = [];
for (let n = 1; n <= pdf.numPages; n++) {
  const page = await pdf.getPage(n);
  const content = await page.getTextContent();
  let line = '';
  const lines = [];
  for (const item of content.items) {
    if (!('str' in item)) continue;
    line += item.str;
    if (item.hasEOL) {
      lines.push(line);
      line = '';
    }
  }
  if (line) lines.push(line);
  pages.push(lines);
}
const { info } = await pdf.getMetadata();
const markInfo = await pdf.getMarkInfo();
process.stdout.write(JSON.stringify({ pages, title: info?.Title ?? null, language: info?.Language ?? null, marked: markInfo?.Marked === true }));
