import { Inject } from '@nestjs/common';
import { EVENT_STORE, EventStore } from '@familievedtak/event-store';
import { Projection, PROJECTIONS, rebuildProjection } from '@familievedtak/projections';
import { Command, CommandRunner, Option, SubCommand } from 'nest-commander';
import { DataSource } from 'typeorm';
import { ProgressBar } from '../progress-bar';
import { CommanderCommand, exitWithUsageCode, groupWithoutSubcommand } from '../audit/usage-exit';
import { printTable } from '../table';

/** One projection as the database records it. */
export interface ProjectionStatusRow {
  projection: string;
  /** The global position the projection has applied up to (null: never started in this database). */
  checkpoint: string | null;
  head: string;
  /** Events matching the projection's filter after its checkpoint (null: a projection this build does not know). */
  lag: number | null;
  /** When the checkpoint last moved (or was reset by a rebuild). */
  updatedAt: Date | null;
  rebuiltAt: Date | null;
}

/**
 * Every projection's checkpoint as the runners wrote it (projections.checkpoints, the table
 * the API's runners commit with each batch), the store's head, and the lag counted as
 * GET /health counts it (events of the projection's filter after the checkpoint). Read from
 * the database, so it shows the instance that runs the projections, not this process.
 */
export async function projectionStatus(dataSource: DataSource, store: EventStore, projections: Projection[]): Promise<ProjectionStatusRow[]> {
  const rows: Array<{ name: string; position: string; updated_at: Date; rebuilt_at: Date | null }> = await dataSource.query(
    'SELECT name, position::text AS position, updated_at, rebuilt_at FROM projections.checkpoints ORDER BY name',
  );
  const head = await store.headPosition();
  const recorded = new Map(rows.map((r) => [r.name, r]));
  const names = [...new Set([...projections.map((p) => p.name), ...rows.map((r) => r.name)])];
  return Promise.all(
    names.map(async (name): Promise<ProjectionStatusRow> => {
      const row = recorded.get(name);
      const projection = projections.find((p) => p.name === name);
      const checkpoint = row ? BigInt(row.position) : 0n;
      return {
        projection: name,
        checkpoint: row ? row.position : null,
        head: head.toString(),
        lag: projection ? await store.countAfter(checkpoint, projection.filter) : null,
        updatedAt: row?.updated_at ?? null,
        rebuiltAt: row?.rebuilt_at ?? null,
      };
    }),
  );
}

/** "12 s ago", "3 min ago", "2 h ago", "4 d ago". */
export function ago(at: Date | null, now = new Date()): string {
  if (!at) return 'never';
  const s = Math.max(0, Math.round((now.getTime() - at.getTime()) / 1000));
  if (s < 120) return `${s} s ago`;
  if (s < 7200) return `${Math.round(s / 60)} min ago`;
  if (s < 172800) return `${Math.round(s / 3600)} h ago`;
  return `${Math.round(s / 86400)} d ago`;
}

@SubCommand({
  name: 'status',
  description: "Each projection's checkpoint as recorded in the database, the store's head, the lag and when the checkpoint last moved: exit 0",
})
export class ProjectionsStatusCommand extends CommandRunner {
  constructor(
    private readonly dataSource: DataSource,
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(PROJECTIONS) private readonly projections: Projection[],
  ) {
    super();
  }

  override setCommand(command: CommanderCommand): this {
    return super.setCommand(exitWithUsageCode(command));
  }

  async run(_args: string[], options: { json?: boolean } = {}): Promise<void> {
    const rows = await projectionStatus(this.dataSource, this.store, this.projections);
    if (options.json) {
      console.log(JSON.stringify(rows, null, 2));
    } else {
      const now = new Date();
      printTable(
        rows.map((r) => ({
          projection: r.projection,
          checkpoint: r.checkpoint ?? 'not started',
          head: r.head,
          lag: r.lag,
          'last update': r.updatedAt ? `${r.updatedAt.toISOString()} (${ago(r.updatedAt, now)})` : 'never',
        })),
      );
    }
    process.exitCode = 0;
  }

  @Option({ flags: '--json', description: 'print the rows as JSON' })
  parseJson(): boolean {
    return true;
  }
}

@SubCommand({
  name: 'rebuild',
  arguments: '<name>',
  description: 'Empty a projection and replay it from position zero (in this process, or by the running instance)',
})
export class ProjectionsRebuildCommand extends CommandRunner {
  constructor(
    private readonly dataSource: DataSource,
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(PROJECTIONS) private readonly projections: Projection[],
  ) {
    super();
  }

  async run([name]: string[]): Promise<void> {
    const projection = this.projections.find((p) => p.name === name);
    if (!projection) {
      console.error(`Unknown projection "${name}". Known: ${this.projections.map((p) => p.name).join(', ')}`);
      process.exitCode = 2;
      return;
    }
    const bar = new ProgressBar(`rebuild ${name}`);
    const started = Date.now();
    const outcome = await rebuildProjection(this.dataSource, this.store, projection, {
      batchSize: 1000,
      onProgress: (applied, total) => bar.update(applied, total),
    });
    bar.finish();
    const seconds = (Date.now() - started) / 1000;
    if (outcome === 'rebuilt') {
      const events = await this.store.countAfter(0n, projection.filter);
      console.log(`rebuilt ${name}: ${events} events replayed in ${seconds.toFixed(1)} s (${Math.round(events / seconds)} ev/s)`);
    } else {
      console.log(`reset ${name}; the instance that runs it is replaying from position zero (watch its lag on GET /health)`);
    }
  }
}

@Command({
  name: 'projections',
  description: 'Inspect and rebuild projections',
  subCommands: [ProjectionsStatusCommand, ProjectionsRebuildCommand],
})
export class ProjectionsCommand extends CommandRunner {
  async run(args: string[]): Promise<void> {
    groupWithoutSubcommand(this.command, args);
  }
}
