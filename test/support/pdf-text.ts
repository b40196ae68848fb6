import { execFile } from 'node:child_process';
import { join } from 'node:path';

export interface PdfText {
  pages: string[][];
  /** All the text, lines joined with newlines. */
  text: string;
  title: string | null;
  language: string | null;
  marked: boolean;
}

/** The text of a PDF as pdfjs-dist reads it (in a child Node process: pdfjs is ESM only). */
export function pdfText(bytes: Buffer): Promise<PdfText> {
  return new Promise((resolve, reject) => {
    const child = execFile(process.execPath, [join(__dirname, 'pdf-text.mjs')], { maxBuffer: 32 * 1024 * 1024 }, (error, stdout, stderr) => {
      if (error) return reject(new Error(`pdf-text failed: ${stderr || error.message}`));
      const parsed = JSON.parse(stdout) as Omit<PdfText, 'text'>;
      resolve({ ...parsed, text: parsed.pages.map((lines) => lines.join('\n')).join('\n') });
    });
    child.stdin!.end(bytes);
  });
}
