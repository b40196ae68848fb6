import { Pool } from 'pg';
import { PostgresEventStore } from '@familievedtak/event-store';
import { createPool, openServer, type BenchServer } from '../store/server';
import { generateFamilies, type GenerateSummary } from './generator';

/** A database holding the generated families, and the store over it. */
export type Dataset = {
  url: string;
  pool: Pool;
  store: PostgresEventStore;
  families: number;
  events: number;
  generated: GenerateSummary;
  close(): Promise<void>;
};

export const DEFAULT_SEED = 2023;

/** Generates `families` families into a fresh database `bench_data_<families>`, then VACUUM ANALYZE and CHECKPOINT. */
export async function generateDataset(
  server: BenchServer,
  options: { families: number; seed?: number; concurrency?: number; log?: (line: string) => void },
): Promise<Dataset> {
  const log = options.log ?? (() => undefined);
  const url = await server.freshDatabase(`bench_data_${options.families}`);
  const pool = createPool(url, 16);
  // An idle connection ended by the server (the bench drops its databases WITH (FORCE)) is no error of the bench.
  pool.on('error', () => undefined);
  const store = new PostgresEventStore({ pool });
  await store.migrate();
  let lastLog = Date.now();
  const generated = await generateFamilies({
    store,
    families: options.families,
    seed: options.seed ?? DEFAULT_SEED,
    concurrency: options.concurrency ?? 8,
    onProgress: (done, events) => {
      if (Date.now() - lastLog < 5_000 && done < options.families) return;
      lastLog = Date.now();
      log(`generated ${done.toLocaleString('en-US')}/${options.families.toLocaleString('en-US')} families, ${events.toLocaleString('en-US')} events`);
    },
  });
  await pool.query('VACUUM (ANALYZE) event_store.events');
  await server.checkpoint();
  return {
    url,
    pool,
    store,
    families: generated.families,
    events: generated.events,
    generated,
    close: async () => {
      await store.close().catch(() => undefined);
      await pool.end().catch(() => undefined);
    },
  };
}

/**
 * Runs a bench over `options.dataset`, or over families generated for it on `options.server`
 * (or on a server opened here); closes only what it opened.
 */
export async function withDataset<T>(
  options: { families: number; server?: BenchServer; dataset?: Dataset },
  log: (line: string) => void,
  run: (dataset: Dataset) => Promise<T>,
): Promise<T> {
  const server = options.server ?? (options.dataset ? undefined : await openServer(log));
  try {
    const dataset = options.dataset ?? (await generateDataset(server!, { families: options.families, log }));
    try {
      return await run(dataset);
    } finally {
      if (!options.dataset) await dataset.close();
    }
  } finally {
    if (!options.server && server) await server.close(false);
  }
}

/** A bench file run on its own: `node dist/bench/<area>/<file>.js [families]` prints its rows. */
export function runStandalone(bench: (options: { families: number }) => Promise<unknown>): void {
  bench({ families: Number(process.argv[2] ?? 2000) }).then(
    (rows) => console.log(JSON.stringify(rows, null, 2)),
    (error: unknown) => {
      console.error(error);
      process.exitCode = 1;
    },
  );
}
