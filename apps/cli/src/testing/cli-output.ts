import * as table from '../table';

/**
 * What a CLI command prints, captured per test: console.log lines in `out`, console.error lines
 * and stderr (progress bars) in `err`, the rows of printed tables and summaries in `tables`
 * (one entry per table: its rows; a summary is one row). Registers its own
 * beforeEach/afterEach (so call it inside a describe), and resets process.exitCode around each test.
 */
export function captureCliOutput(): { out: string[]; err: string[]; tables: unknown[] } {
  const captured = { out: [] as string[], err: [] as string[], tables: [] as unknown[] };
  beforeEach(() => {
    captured.out.length = 0;
    captured.err.length = 0;
    captured.tables.length = 0;
    jest.spyOn(console, 'log').mockImplementation((...args) => void captured.out.push(args.join(' ')));
    jest.spyOn(console, 'error').mockImplementation((...args) => void captured.err.push(args.join(' ')));
    jest.spyOn(table, 'printTable').mockImplementation((rows) => void captured.tables.push(rows));
    jest.spyOn(table, 'printSummary').mockImplementation((entries) => void captured.tables.push([entries]));
    jest.spyOn(process.stderr, 'write').mockImplementation((chunk) => captured.err.push(String(chunk)) > 0);
    process.exitCode = undefined;
  });
  afterEach(() => {
    jest.restoreAllMocks();
    process.exitCode = undefined;
  });
  return captured;
}
