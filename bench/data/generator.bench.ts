/**
 * The generator's two write paths on the same families: through the EventStore port (8 families
 * at once, appendToStream in batches of 250) and COPY (bench/data/bulk.ts), each into its own
 * fresh database on one server. Both decide every family through the domain; the difference is
 * only how the events reach the table. `node dist/bench/data/generator.bench.js [families (1000)]`.
 */
import type { BenchRow } from '../bench-row';
import { openServer, type BenchServer } from '../store/server';
import { generateDataset, runStandalone, type GeneratorPath } from './dataset';
import type { GenerateSummary } from './generator';

export async function measureGeneratorPaths(options: {
  families: number;
  server?: BenchServer;
  log?: (line: string) => void;
}): Promise<Record<GeneratorPath, GenerateSummary>> {
  const log = options.log ?? (() => undefined);
  const server = options.server ?? (await openServer(log));
  try {
    const out = {} as Record<GeneratorPath, GenerateSummary>;
    for (const path of ['port', 'bulk'] as const) {
      // Its own throw-away database, and only the server calls generation needs: a persistent
      // server (BENCH_DATA_DIR) would otherwise hand back or keep a bench_data_<n>.
      const url = await server.freshDatabase(`bench_gen_${path}_${options.families}`);
      const dataset = await generateDataset(
        { info: server.info, freshDatabase: async () => url, checkpoint: () => server.checkpoint(), close: async () => undefined },
        { families: options.families, path },
      );
      out[path] = dataset.generated;
      log(
        `${path}: ${dataset.events.toLocaleString('en-US')} events in ${dataset.generated.seconds.toFixed(1)} s, ${Math.round(dataset.generated.eventsPerSecond).toLocaleString('en-US')} events/s`,
      );
      await dataset.close();
    }
    return out;
  } finally {
    if (!options.server) await server.close(false);
  }
}

export function generatorPathRows(families: number, paths: Record<GeneratorPath, GenerateSummary>): BenchRow[] {
  const ratio = paths.bulk.eventsPerSecond / paths.port.eventsPerSecond;
  return [
    {
      area: 'generator',
      metric: 'bulk (COPY) events/s',
      value: Math.round(paths.bulk.eventsPerSecond),
      baseline: { name: 'port path (appendToStream, 8 at once)', value: Math.round(paths.port.eventsPerSecond) },
      ratio: Math.round(ratio * 100) / 100,
      target: '>= 1 x port path',
      met: ratio >= 1,
      note: `${families.toLocaleString('en-US')} families, ${paths.bulk.events.toLocaleString('en-US')} events each way; same rows and hash chains (test/bench/bulk-generator.spec.ts)`,
    },
  ];
}

if (require.main === module) {
  runStandalone(async ({ families }) => {
    const log = (line: string) => void process.stderr.write(`[generator] ${line}\n`);
    return generatorPathRows(families, await measureGeneratorPaths({ families, log }));
  });
}
