import { existsSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import { cpus } from 'node:os';
import { join } from 'node:path';
import { Pool } from 'pg';
import { PostgresEventStore } from '@familievedtak/event-store';
import { createPool, openServer, type BenchServer } from '../store/server';
import { bulkGenerateFamilies } from './bulk';
import { generateFamilies, type GenerateSummary } from './generator';
import type { PersistentBenchServer } from './persistent-server';

/** A database holding the generated families, and the store over it. */
export type Dataset = {
  url: string;
  pool: Pool;
  store: PostgresEventStore;
  families: number;
  /** Events in the store now (a reused dataset also holds what earlier API benches appended). */
  events: number;
  generated: GenerateSummary;
  /** How the events were written: through the EventStore port, or COPY (bench/data/bulk.ts). */
  path: GeneratorPath;
  /** Found in BENCH_DATA_DIR from an earlier run rather than generated now. */
  reused: boolean;
  close(): Promise<void>;
};

export type GeneratorPath = 'port' | 'bulk';

export const DEFAULT_SEED = 2023;

/** What a persistent server keeps next to a finished dataset, so a later run can trust and reuse it. */
type DatasetMarker = { name: string; families: number; seed: number; path: GeneratorPath; generated: GenerateSummary; finishedAt: string };

const isPersistent = (server: BenchServer): server is PersistentBenchServer => typeof (server as Partial<PersistentBenchServer>).urlOf === 'function';

function openDataset(url: string, rest: Omit<Dataset, 'url' | 'pool' | 'store' | 'close'>): Dataset {
  const pool = createPool(url, 16);
  // An idle connection ended by the server (the bench drops its databases WITH (FORCE)) is no error of the bench.
  pool.on('error', () => undefined);
  const store = new PostgresEventStore({ pool });
  return {
    url,
    pool,
    store,
    ...rest,
    close: async () => {
      await store.close().catch(() => undefined);
      await pool.end().catch(() => undefined);
    },
  };
}

/** A finished dataset of this size and seed in a persistent server, if there is one. */
async function reusableDataset(server: PersistentBenchServer, name: string, families: number, seed: number): Promise<Dataset | undefined> {
  const markerFile = join(server.dir, `${name}.json`);
  if (!existsSync(markerFile) || !(await server.hasDatabase(name))) return undefined;
  const marker = JSON.parse(await readFile(markerFile, 'utf8')) as DatasetMarker;
  if (marker.families !== families || marker.seed !== seed) return undefined;
  const dataset = openDataset(server.urlOf(name), { families, events: 0, generated: marker.generated, path: marker.path, reused: true });
  await dataset.store.migrate(); // a newer event-store schema version applies to an old dataset as to production
  dataset.events = Number((await dataset.pool.query<{ n: string }>('SELECT count(*) AS n FROM event_store.events')).rows[0].n);
  return dataset;
}

/**
 * Generates `families` families into a fresh database `bench_data_<families>`, then VACUUM ANALYZE
 * and CHECKPOINT. On a persistent server (BENCH_DATA_DIR) a finished dataset of the same size
 * and seed is reused instead, and a new one is marked finished for the next run.
 */
export async function generateDataset(
  server: BenchServer,
  options: { families: number; seed?: number; concurrency?: number; path?: GeneratorPath; workers?: number; log?: (line: string) => void },
): Promise<Dataset> {
  const log = options.log ?? (() => undefined);
  const seed = options.seed ?? DEFAULT_SEED;
  const path = options.path ?? 'port';
  const name = `bench_data_${options.families}`;
  if (isPersistent(server)) {
    const reused = await reusableDataset(server, name, options.families, seed);
    if (reused) {
      log(
        `reusing ${name} in ${server.dir}: ${reused.events.toLocaleString('en-US')} events (generated ${reused.generated.seconds.toFixed(0)} s, ${reused.path} path)`,
      );
      return reused;
    }
  }
  const url = await server.freshDatabase(name);
  const dataset = openDataset(url, { families: options.families, events: 0, generated: undefined as unknown as GenerateSummary, path, reused: false });
  await dataset.store.migrate();
  let lastLog = Date.now();
  const onProgress = (done: number, events: number) => {
    if (Date.now() - lastLog < 5_000 && done < options.families) return;
    lastLog = Date.now();
    log(`generated ${done.toLocaleString('en-US')}/${options.families.toLocaleString('en-US')} families, ${events.toLocaleString('en-US')} events`);
  };
  const generated =
    path === 'bulk'
      ? await bulkGenerateFamilies({ pool: dataset.pool, families: options.families, seed, workers: options.workers ?? cpus().length, onProgress })
      : await generateFamilies({ store: dataset.store, families: options.families, seed, concurrency: options.concurrency ?? 8, onProgress });
  await dataset.pool.query('VACUUM (ANALYZE) event_store.events');
  await server.checkpoint();
  dataset.generated = generated;
  dataset.families = generated.families;
  dataset.events = generated.events;
  if (isPersistent(server)) {
    const marker: DatasetMarker = { name, families: options.families, seed, path, generated, finishedAt: new Date().toISOString() };
    await writeFile(join(server.dir, `${name}.json`), `${JSON.stringify(marker, null, 2)}\n`);
  }
  return dataset;
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
