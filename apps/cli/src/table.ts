/** A value as a table cell: numbers and bigints as written, null/undefined as '-', dates as ISO instants. */
export type Cell = string | number | bigint | boolean | Date | null | undefined;
export type Row = Record<string, Cell>;

export interface TableOptions {
  /** Column order (default: the keys of the rows, in first-seen order). */
  columns?: string[];
  /** Bold header and dim rule: only on a terminal (default: the stream's isTTY, and NO_COLOR unset). */
  color?: boolean;
}

const cell = (value: Cell): string => {
  if (value === null || value === undefined) return '-';
  if (value instanceof Date) return value.toISOString();
  return String(value);
};

/** Numbers (and numeric strings such as bigint positions) are right-aligned. */
const numeric = (value: Cell): boolean =>
  typeof value === 'number' || typeof value === 'bigint' || (typeof value === 'string' && /^-?\d+(\.\d+)?$/.test(value));

/** Width of a string as a terminal shows it (ignores combining marks; good enough for Norwegian text). */
const width = (text: string): number => [...text.normalize('NFC')].length;

/**
 * Aligned columns: a header, a rule of dashes, one line per row; numbers right-aligned, text
 * left-aligned, two spaces between columns, no trailing blanks. No escape codes unless `color`.
 */
export function formatTable(rows: Row[], options: TableOptions = {}): string {
  const columns = options.columns ?? [...new Set(rows.flatMap((r) => Object.keys(r)))];
  const texts = rows.map((r) => columns.map((c) => cell(r[c])));
  const right = columns.map((c) => rows.length > 0 && rows.every((r) => r[c] === null || r[c] === undefined || numeric(r[c])));
  const widths = columns.map((c, i) => Math.max(width(c), ...texts.map((t) => width(t[i]))));
  const pad = (text: string, i: number) => {
    const fill = ' '.repeat(widths[i] - width(text));
    return right[i] ? fill + text : text + fill;
  };
  const line = (cells: string[]) => cells.map(pad).join('  ').trimEnd();
  const bold = (text: string) => (options.color ? `\u001b[1m${text}\u001b[22m` : text);
  const dim = (text: string) => (options.color ? `\u001b[2m${text}\u001b[22m` : text);
  return [bold(line(columns)), dim(widths.map((w) => '-'.repeat(w)).join('  ')), ...texts.map(line)].join('\n');
}

/** Two columns, one line per entry: for a single summary record (label left, value right of it). */
export function formatSummary(entries: Record<string, Cell>, options: { color?: boolean } = {}): string {
  const labels = Object.keys(entries);
  const w = Math.max(0, ...labels.map(width));
  const bold = (text: string) => (options.color ? `\u001b[1m${text}\u001b[22m` : text);
  return labels.map((l) => `${bold(l)}${' '.repeat(w - width(l))}  ${cell(entries[l])}`.trimEnd()).join('\n');
}

/** Colour only on a terminal, and never with NO_COLOR set (https://no-color.org). */
export function useColor(stream: { isTTY?: boolean } = process.stdout, env: NodeJS.ProcessEnv = process.env): boolean {
  return stream.isTTY === true && !env.NO_COLOR;
}

/** Prints rows as an aligned table on stdout (console.log, so tests capture it with the rest). */
export function printTable(rows: Row[], options: Omit<TableOptions, 'color'> = {}): void {
  console.log(formatTable(rows, { ...options, color: useColor() }));
}

/** Prints one summary record as aligned label/value lines on stdout. */
export function printSummary(entries: Record<string, Cell>): void {
  console.log(formatSummary(entries, { color: useColor() }));
}
