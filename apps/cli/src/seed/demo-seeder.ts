import { isDomainError } from '@familievedtak/domain';
import type { EventStore } from '@familievedtak/event-store';
import type { FamilyCommandsService } from '../../../api/src/families/family-commands.service';
import type { CommandOutcome, RequestInfo } from '../../../api/src/shared/command-envelope';
import type { SubProjectCommandsService } from '../../../api/src/sub-projects/sub-project-commands.service';
import { planSteps, type DemoPlan } from './demo-plan';
import type { DemoStep } from './plan-context';

/** The command services the API's controllers call: the seed goes through exactly the same path. */
export interface DemoSeedServices {
  families: FamilyCommandsService;
  subProjects: SubProjectCommandsService;
  store: EventStore;
}

export type DemoSeedResult = {
  commands: number;
  /** Commands whose Idempotency-Key had been handled before: nothing appended. */
  replayed: number;
  /** Events the store holds now that it did not before. */
  eventsAppended: number;
  seconds: number;
};

/** Refused by the domain while seeding: a bug in the plan (or the domain), named by family and step. */
export class DemoStepRefused extends Error {
  constructor(
    readonly step: DemoStep,
    cause: unknown,
  ) {
    const reason = isDomainError(cause) ? `${cause.code}: ${cause.message}` : cause instanceof Error ? cause.message : String(cause);
    super(`Seed step ${step.idempotencyKey} (${step.command.type}) was refused. ${reason}`, { cause });
  }
}

/**
 * Sends the plan's commands one by one, in order, each with its Idempotency-Key, so a second
 * run (or a run after a crash) appends nothing for what is already there. Sequential on
 * purpose: the sub-project budget streams then receive their spending in the same order on
 * every run.
 */
export async function runDemoPlan(
  plan: DemoPlan,
  services: DemoSeedServices,
  onProgress: (done: number, total: number) => void = () => undefined,
): Promise<DemoSeedResult> {
  const started = Date.now();
  const before = await services.store.countAfter(0n);
  const steps = planSteps(plan);
  let replayed = 0;
  for (const [i, step] of steps.entries()) {
    const request: RequestInfo = {
      actor: step.actor,
      idempotencyKey: step.idempotencyKey,
      // One correlation id per family (or sub-project) lets an auditor find everything the seed did to it.
      correlationId: `demo-${plan.seed}:${step.streamKey}`,
    };
    let outcome: Pick<CommandOutcome, 'replayed'>;
    try {
      outcome = await execute(step, request, services);
    } catch (error) {
      throw new DemoStepRefused(step, error);
    }
    if (outcome.replayed) replayed++;
    onProgress(i + 1, steps.length);
  }
  const after = await services.store.countAfter(0n);
  return { commands: steps.length, replayed, eventsAppended: after - before, seconds: (Date.now() - started) / 1000 };
}

async function execute(step: DemoStep, request: RequestInfo, services: DemoSeedServices): Promise<Pick<CommandOutcome, 'replayed'>> {
  if (step.stream === 'sub-project') return services.subProjects.execute(step.streamKey, step.command, request);
  return services.families.execute(step.streamKey, step.command, request);
}
