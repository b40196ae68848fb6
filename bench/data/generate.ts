/**
 * `npm run generate -- --families 10000 --seed 2023 [--scale 100k] [--concurrency 8] [--bulk [--workers N]] [--data-dir DIR]`
 *
 * --bulk writes with COPY (./bulk.ts: the same events, rows and hash chains as the port path;
 * families decided by --workers threads, default in-process, with --data-dir one per CPU).
 * --data-dir DIR generates a bench dataset `bench_data_<families>` into a persistent embedded
 * PostgreSQL in DIR instead, which `npm run bench:full` with
 * BENCH_DATA_DIR=DIR then reuses (see ./dataset.ts); an existing finished one is left as it is.
 *
 * Writes the bench's synthetic families into the event store that `npm start` uses
 * (DATABASE_URL, else the embedded PostgreSQL under ./.data) through the domain's command
 * path (see ./generator.ts). Progress goes to stderr, the summary to stdout. The family ids
 * derive from the seed, so a second run with the same seed into the same store is refused
 * (the streams exist): generate into an empty store, or choose another seed.
 */
import { resolveDatabase } from '@familievedtak/database';
import { PostgresEventStore } from '@familievedtak/event-store';
import { Pool } from 'pg';
import { bulkGenerateFamilies } from './bulk';
import { DEFAULT_SEED, generateDataset } from './dataset';
import { generateFamilies, type GenerateSummary } from './generator';
import { openPersistentServer } from './persistent-server';

export type GenerateArgs = { families: number; seed: number; concurrency: number; bulk: boolean; workers?: number; dataDir?: string };

export function parseGenerateArgs(argv: string[]): GenerateArgs {
  const args: GenerateArgs = { families: 10_000, seed: DEFAULT_SEED, concurrency: 8, bulk: false };
  const whole = (flag: string, value: string | undefined, min: number): number => {
    const n = Number(value);
    if (value === undefined || !Number.isSafeInteger(n) || n < min) throw new Error(`${flag} needs a whole number >= ${min}, got "${value ?? ''}"`);
    return n;
  };
  for (let i = 0; i < argv.length; i++) {
    const [flag, inline] = argv[i].split('=', 2);
    const value = () => inline ?? argv[++i];
    if (flag === '--families') args.families = whole(flag, value(), 1);
    else if (flag === '--seed') args.seed = whole(flag, value(), 0);
    else if (flag === '--concurrency') args.concurrency = whole(flag, value(), 1);
    else if (flag === '--bulk') args.bulk = true;
    else if (flag === '--workers') args.workers = whole(flag, value(), 0);
    else if (flag === '--data-dir') {
      args.dataDir = value();
      if (!args.dataDir) throw new Error('--data-dir needs a folder');
    } else if (flag === '--scale') {
      const scale = value()?.toLowerCase();
      if (scale === '100k') args.families = 100_000;
      else if (scale === '10k') args.families = 10_000;
      else throw new Error(`--scale is 10k or 100k, got "${scale ?? ''}"`);
    } else if (flag === '--help' || flag === '-h') {
      console.log(
        'npm run generate -- [--families N (10000)] [--seed N (2023)] [--scale 10k|100k] [--concurrency N (8)] [--bulk [--workers N]] [--data-dir DIR]',
      );
      process.exit(0);
    } else throw new Error(`unknown option ${flag}`);
  }
  return args;
}

const printSummary = (summary: GenerateSummary) =>
  console.log(
    `families ${summary.families.toLocaleString('en-US')}, commands ${summary.commands.toLocaleString('en-US')}, ` +
      `events ${summary.events.toLocaleString('en-US')}, ${summary.seconds.toFixed(1)} s, ${Math.round(summary.eventsPerSecond).toLocaleString('en-US')} events/s`,
  );

async function main(): Promise<void> {
  const args = parseGenerateArgs(process.argv.slice(2));
  const log = (line: string) => void process.stderr.write(`[generate] ${new Date().toISOString().slice(11, 19)} ${line}\n`);
  if (args.dataDir) {
    const server = await openPersistentServer(args.dataDir, log);
    try {
      const dataset = await generateDataset(server, {
        families: args.families,
        seed: args.seed,
        concurrency: args.concurrency,
        path: args.bulk ? 'bulk' : 'port',
        workers: args.workers,
        log,
      });
      await dataset.close();
      printSummary(dataset.generated);
      log(`${dataset.reused ? 'already there' : 'written'}: bench_data_${args.families} in ${server.dir}, ${dataset.events.toLocaleString('en-US')} events`);
    } finally {
      await server.close(true);
    }
    return;
  }
  const database = await resolveDatabase(process.env);
  const pool = new Pool({ connectionString: database.url, max: args.concurrency + 2 });
  const store = new PostgresEventStore({ pool });
  try {
    await store.migrate();
    log(
      `${args.families.toLocaleString('en-US')} families, seed ${args.seed}, ${args.bulk ? 'COPY' : `${args.concurrency} at once`}, ` +
        `into ${database.source === 'embedded' ? 'the embedded PostgreSQL' : 'DATABASE_URL'}`,
    );
    let lastLog = 0;
    const onProgress = (done: number, events: number) => {
      if (Date.now() - lastLog < 2_000 && done < args.families) return;
      lastLog = Date.now();
      log(`${done.toLocaleString('en-US')}/${args.families.toLocaleString('en-US')} families, ${events.toLocaleString('en-US')} events`);
    };
    printSummary(
      args.bulk
        ? await bulkGenerateFamilies({ pool, families: args.families, seed: args.seed, workers: args.workers, onProgress })
        : await generateFamilies({ store, ...args, onProgress }),
    );
  } finally {
    await pool.end();
    await database.stop();
  }
}

if (require.main === module) {
  main().catch((error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exitCode = 1;
  });
}
