import { CommandEnvelope, deterministicUuid, eventMetadata } from '@familievedtak/application';
import {
  actorRef,
  decideFamily,
  EVENT_SCHEMA_VERSION,
  evolveFamily,
  FAMILY_STREAM_PREFIX,
  initialFamilyState,
  isDomainError,
  TRONDHEIM_2023_RULE_SET,
  type DecisionContext,
  type FamilyEvent,
  type FamilyState,
} from '@familievedtak/domain';
import type { EventData, EventStore, JsonObject } from '@familievedtak/event-store';
import { scriptFamily, type FamilyScript, type ScriptedCommand } from './family-script';

/**
 * The deterministic family generator: 10,000 families is about a million events.
 *
 * Every command goes the API's command path minus HTTP and the re-read: decideFamily with a
 * DecisionContext (the clock injected and advancing through the family's history 2023-2026,
 * ids from a seeded generator, the actor who sends it, the trondheim-2023 delegation rules),
 * the same envelope metadata the API writes (libs/application eventMetadata: command id,
 * command type, correlation and causation ids, actor, rule set, schema version) and event ids
 * derived from the command id as StreamCommandHandler derives them. What it skips: the HTTP
 * layer, and StreamCommandHandler's load of the stream before each command; it folds each
 * family locally instead (evolveFamily, as the handler does after an append), which is what
 * makes a million events take minutes instead of hours. Each family's events are appended
 * through the EventStore port in batches, each with the exact expected revision.
 */
export type GenerateOptions = {
  store: EventStore;
  families: number;
  seed: number;
  /** Families written at once (each family's stream is written in order by one worker). */
  concurrency?: number;
  /** Events per appendToStream call. */
  batchSize?: number;
  /** First family index (to add families to an existing set). */
  firstIndex?: number;
  onProgress?: (familiesDone: number, eventsDone: number) => void;
};

export type GenerateSummary = { families: number; commands: number; events: number; seconds: number; eventsPerSecond: number };

export const BENCH_RULE_SET = TRONDHEIM_2023_RULE_SET;

/** A command the domain refused: a bug in the script (or the domain), named by family and command. */
export class GeneratedCommandRefused extends Error {
  constructor(script: FamilyScript, command: ScriptedCommand, cause: unknown) {
    const reason = isDomainError(cause) ? `${cause.code}: ${cause.message}` : cause instanceof Error ? cause.message : String(cause);
    super(`family ${script.index} (${script.familyId}): ${command.command.type} on ${command.at} was refused. ${reason}`, { cause });
  }
}

export type DecidedFamily = { streamId: string; script: FamilyScript; events: EventData[]; state: FamilyState; commands: number };

/** The instant a command is decided: 08:00 UTC on its day plus a minute per command (09:00/10:00 in Oslo). */
const instantOf = (command: ScriptedCommand): Date => new Date(Date.parse(`${command.at}T08:00:00Z`) + (command.seq % 600) * 60_000);

/** Decides one family's script through the domain, folding as it goes. Pure: no I/O. */
export function decideGeneratedFamily(seed: number, index: number): DecidedFamily {
  const script = scriptFamily(seed, index);
  const streamId = `${FAMILY_STREAM_PREFIX}${script.familyId}`;
  let state = initialFamilyState();
  const events: EventData[] = [];
  let ids = 0;
  const newId = () => deterministicUuid('familievedtak-bench-new', String(seed), String(index), String(ids++));
  const correlationId = `bench-${seed}:${streamId}`;
  let previousCommandId: string | null = null;
  for (const [n, command] of script.commands.entries()) {
    const context: DecisionContext = {
      now: instantOf(command),
      newId,
      actor: command.actor,
      ruleSet: BENCH_RULE_SET,
      ruleSetOn: () => BENCH_RULE_SET,
    };
    let decided: FamilyEvent[];
    try {
      decided = decideFamily(command.command, state, context);
    } catch (error) {
      throw new GeneratedCommandRefused(script, command, error);
    }
    const commandId = deterministicUuid('familievedtak-bench-command', String(seed), String(index), String(n));
    const envelope: CommandEnvelope = {
      commandId,
      commandType: command.command.type,
      correlationId,
      // The caseworker acted on what the previous command left: the chain an auditor follows.
      causationId: previousCommandId ?? commandId,
      actor: actorRef(command.actor),
      ruleSetId: BENCH_RULE_SET.id,
      idempotencyKey: null,
    };
    previousCommandId = commandId;
    const metadata = eventMetadata(envelope, EVENT_SCHEMA_VERSION);
    decided.forEach((event, i) => {
      // The same id StreamCommandHandler gives an event of a command without an idempotency key.
      events.push({ id: deterministicUuid(commandId, String(i)), type: event.type, data: event.data as unknown as JsonObject, metadata });
      state = evolveFamily(state, event);
    });
  }
  return { streamId, script, events, state, commands: script.commands.length };
}

/** Generates `families` families into the store; returns what it wrote and how fast. */
export async function generateFamilies(options: GenerateOptions): Promise<GenerateSummary> {
  const { store, families, seed } = options;
  const concurrency = options.concurrency ?? 8;
  const batchSize = options.batchSize ?? 250;
  const first = options.firstIndex ?? 0;
  const started = process.hrtime.bigint();
  let next = first;
  let familiesDone = 0;
  let events = 0;
  let commands = 0;

  const worker = async (): Promise<void> => {
    for (;;) {
      const index = next++;
      if (index >= first + families) return;
      const family = decideGeneratedFamily(seed, index);
      let revision = -1;
      for (let i = 0; i < family.events.length; i += batchSize) {
        const batch = family.events.slice(i, i + batchSize);
        const result = await store.appendToStream(family.streamId, batch, { expectedRevision: revision < 0 ? 'no_stream' : revision });
        revision = result.nextExpectedRevision;
      }
      events += family.events.length;
      commands += family.commands;
      familiesDone++;
      options.onProgress?.(familiesDone, events);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, concurrency) }, worker));
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  return { families: familiesDone, commands, events, seconds, eventsPerSecond: events / seconds };
}
