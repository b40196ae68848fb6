/**
 * Event store bench: our PostgreSQL store against a raw-PostgreSQL ceiling and against Emmett,
 * on one server in one run. `npm run bench:store`; knobs in ./config.ts (BENCH_* env vars),
 * DATABASE_URL to use an existing server, otherwise an embedded one with durable settings.
 * The table goes to stdout, progress to stderr, everything to bench/results/store.json.
 */
import { cpus, loadavg } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from './config';
import { DIAGNOSTICS } from './diagnostics';
import { BenchReport, Diagnostic, renderMarkdown, targetsOf, writeJson } from './report';
import { openServer } from './server';
import { measureAppendRounds, measureRead, SYSTEMS, WorkloadResult } from './workloads';

const RESULTS = join(__dirname, '..', '..', '..', 'bench', 'results', 'store.json');
const log = (line: string): void => void process.stderr.write(`[bench] ${line}\n`);

async function main(): Promise<void> {
  const config = loadConfig();
  const loadStart = loadavg()[0];
  const server = await openServer(log);
  try {
    const { version, settings } = server.info;
    log(`${version}; fsync=${settings.fsync}, synchronous_commit=${settings.synchronous_commit}`);

    const append: WorkloadResult = await measureAppendRounds(server, config, SYSTEMS, log);

    const read = {} as WorkloadResult;
    for (const spec of SYSTEMS) read[spec.key] = await measureRead(server, config, `bench_store_read_${spec.key}`, spec, log);

    const targets = targetsOf(append, read);
    let diagnostics: Diagnostic[] = [];
    if (config.diagnostics === 'on' || (config.diagnostics === 'auto' && !targets[0].met)) {
      log('appends below the raw target (or BENCH_DIAGNOSTICS=on): running the diagnostic variants');
      const measured = await measureAppendRounds(server, config, DIAGNOSTICS, log);
      diagnostics = DIAGNOSTICS.map(({ key, name, why }) => ({ key, name, why, measurement: measured[key] }));
    }

    const report: BenchReport = {
      finishedAt: new Date().toISOString(),
      node: process.version,
      cpus: cpus().length,
      loadAverage: { start: loadStart, end: loadavg()[0] },
      server: server.info,
      config,
      append,
      read,
      targets,
      diagnostics,
    };
    process.stdout.write(`${renderMarkdown(report)}\n`);
    await writeJson(RESULTS, report);
    log(`results written to ${RESULTS}`);
  } finally {
    await server.close(config.keepDatabases);
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
