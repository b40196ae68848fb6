/**
 * `npm run generate -- --families 10000 --seed 2023 [--scale 100k] [--concurrency 8]`
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
import { DEFAULT_SEED } from './dataset';
import { generateFamilies } from './generator';

export type GenerateArgs = { families: number; seed: number; concurrency: number };

export function parseGenerateArgs(argv: string[]): GenerateArgs {
  const args: GenerateArgs = { families: 10_000, seed: DEFAULT_SEED, concurrency: 8 };
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
    else if (flag === '--scale') {
      const scale = value()?.toLowerCase();
      if (scale === '100k') args.families = 100_000;
      else if (scale === '10k') args.families = 10_000;
      else throw new Error(`--scale is 10k or 100k, got "${scale ?? ''}"`);
    } else if (flag === '--help' || flag === '-h') {
      console.log('npm run generate -- [--families N (10000)] [--seed N (2023)] [--scale 10k|100k] [--concurrency N (8)]');
      process.exit(0);
    } else throw new Error(`unknown option ${flag}`);
  }
  return args;
}

async function main(): Promise<void> {
  const args = parseGenerateArgs(process.argv.slice(2));
  const log = (line: string) => void process.stderr.write(`[generate] ${line}\n`);
  const database = await resolveDatabase(process.env);
  const pool = new Pool({ connectionString: database.url, max: args.concurrency + 2 });
  const store = new PostgresEventStore({ pool });
  try {
    await store.migrate();
    log(`${args.families.toLocaleString('en-US')} families, seed ${args.seed}, ${args.concurrency} at once, into ${database.source === 'embedded' ? 'the embedded PostgreSQL' : 'DATABASE_URL'}`);
    let lastLog = 0;
    const summary = await generateFamilies({
      store,
      ...args,
      onProgress: (done, events) => {
        if (Date.now() - lastLog < 2_000 && done < args.families) return;
        lastLog = Date.now();
        log(`${done.toLocaleString('en-US')}/${args.families.toLocaleString('en-US')} families, ${events.toLocaleString('en-US')} events`);
      },
    });
    console.log(
      `families ${summary.families.toLocaleString('en-US')}, commands ${summary.commands.toLocaleString('en-US')}, ` +
        `events ${summary.events.toLocaleString('en-US')}, ${summary.seconds.toFixed(1)} s, ${Math.round(summary.eventsPerSecond).toLocaleString('en-US')} events/s`,
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
