import { Inject } from '@nestjs/common';
import { ModuleRef } from '@nestjs/core';
import { localDateOf } from '@familievedtak/domain';
import { Clock, EVENT_STORE, EventStore } from '@familievedtak/event-store';
import { Command, CommandRunner, Option, SubCommand } from 'nest-commander';
import { FamilyCommandsService } from '../../../api/src/families/family-commands.service';
import { CLOCK } from '../../../api/src/shared/clock.provider';
import { SubProjectCommandsService } from '../../../api/src/sub-projects/sub-project-commands.service';
import { ProgressBar } from '../progress-bar';
import { planDemo } from './demo-plan';
import { runDemoPlan } from './demo-seeder';
import { formatSummary, summarisePlan } from './demo-summary';
import { groupWithoutSubcommand } from '../audit/usage-exit';

export const DEFAULT_DEMO_SEED = 2023;

type SeedDemoOptions = { families?: number; seed?: number };

@SubCommand({
  name: 'demo',
  description:
    "Load the pilot's sub-projects and synthetic families shaped by its figures, through the API's command services (idempotent: a rerun appends nothing)",
})
export class SeedDemoCommand extends CommandRunner {
  constructor(
    private readonly families: FamilyCommandsService,
    private readonly subProjects: SubProjectCommandsService,
    @Inject(EVENT_STORE) private readonly store: EventStore,
    private readonly moduleRef: ModuleRef,
  ) {
    super();
  }

  async run(_params: string[], options: SeedDemoOptions = {}): Promise<void> {
    // Today by the services' own clock, so that "in the past" means the same to the plan and to the domain.
    const clock = this.moduleRef.get<Clock>(CLOCK, { strict: false });
    const plan = planDemo({ seed: options.seed ?? DEFAULT_DEMO_SEED, scale: options.families ?? 1, today: localDateOf(clock.now()) });
    const summary = summarisePlan(plan);
    console.log(`seed demo: seed ${plan.seed}, scale ${plan.scale}, pilot from ${plan.pilotStart}, today ${plan.today}: ${summary.commands} commands`);
    const bar = new ProgressBar('seed demo', 'commands');
    const result = await runDemoPlan(plan, { families: this.families, subProjects: this.subProjects, store: this.store }, (done, total) =>
      bar.update(done, total),
    );
    bar.finish();
    for (const line of formatSummary(plan, summary)) console.log(line);
    console.log(
      `events appended ${result.eventsAppended} in ${result.seconds.toFixed(1)} s ` +
        `(${result.commands - result.replayed} commands new, ${result.replayed} already there)`,
    );
  }

  @Option({
    flags: '--families <n>',
    description: "Scale factor for the number of families beyond the 12 refugee families (1 = the report's sizes, 0.1 = a tenth)",
  })
  parseFamilies(value: string): number {
    const scale = Number(value);
    if (!Number.isFinite(scale) || scale < 0 || scale > 1000) throw new Error('--families must be a number from 0 to 1000');
    return scale;
  }

  @Option({ flags: '--seed <n>', description: `Seed of the random generator and of every id (default ${DEFAULT_DEMO_SEED})` })
  parseSeed(value: string): number {
    const seed = Number(value);
    if (!Number.isSafeInteger(seed) || seed < 0) throw new Error('--seed must be a whole number of zero or more');
    return seed;
  }
}

@Command({ name: 'seed', description: 'Load data into the event store', subCommands: [SeedDemoCommand] })
export class SeedCommand extends CommandRunner {
  async run(args: string[]): Promise<void> {
    groupWithoutSubcommand(this.command, args);
  }
}
