import { Inject } from '@nestjs/common';
import { EVENT_STORE, EventStore } from '@familievedtak/event-store';
import { Projection, PROJECTIONS, ProjectionDaemon, rebuildProjection } from '@familievedtak/projections';
import { Command, CommandRunner, SubCommand } from 'nest-commander';
import { DataSource } from 'typeorm';
import { ProgressBar } from '../progress-bar';

@SubCommand({ name: 'status', description: 'Each projection: state in this process, checkpoint and lag' })
export class ProjectionsStatusCommand extends CommandRunner {
  constructor(private readonly daemon: ProjectionDaemon) {
    super();
  }

  async run(): Promise<void> {
    const rows = await this.daemon.health();
    console.table(rows.map((r) => ({ projection: r.name, checkpoint: r.checkpoint, lag: r.lag })));
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
  async run(): Promise<void> {
    this.command.help();
  }
}
