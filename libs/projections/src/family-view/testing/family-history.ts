import { randomUUID } from 'node:crypto';
import {
  decideFamily,
  evolveFamily,
  familyStreamId,
  initialFamilyState,
  TRONDHEIM_2023_RULE_SET,
  type Actor,
  type FamilyCommand,
  type FamilyEvent,
  type FamilyState,
  type LocalDate,
} from '@familievedtak/domain';
import type { EventStore, JsonObject } from '@familievedtak/event-store';

/**
 * Histories decided by the real family decider (fixed clock per step, the 2023 rule set),
 * so the view is tested on events the system can actually produce.
 */

/** One command as a caseworker sends it on a given day (10:00 in Oslo). */
export type Step = { on: LocalDate; actor: Actor; command: FamilyCommand };

/** The events of one command: appended together, as the API does. */
export type Commit = FamilyEvent[];

/** Decides the steps one after the other, from `from` (a new family by default). */
export function decideHistory(steps: Step[], from: FamilyState = initialFamilyState()): { commits: Commit[]; state: FamilyState } {
  let state = from;
  let next = 0;
  const commits: Commit[] = [];
  for (const { on, actor, command } of steps) {
    const ctx = { now: new Date(`${on}T09:00:00.000Z`), newId: () => `gen-${++next}`, actor, ruleSet: TRONDHEIM_2023_RULE_SET };
    let events: FamilyEvent[];
    try {
      events = decideFamily(command, state, ctx);
    } catch (error) {
      throw new Error(`step ${command.type} on ${on} was refused: ${error instanceof Error ? error.message : String(error)}`);
    }
    state = events.reduce(evolveFamily, state);
    commits.push(events);
  }
  return { commits, state };
}

export function foldCommits(commits: Commit[]): FamilyState {
  return commits.flat().reduce(evolveFamily, initialFamilyState());
}

/** Appends each commit to `family-<id>` with the expected revision, like the command handler. */
export async function appendHistory(store: EventStore, familyId: string, commits: Commit[], afterRevision = -1): Promise<number> {
  let revision = afterRevision;
  for (const commit of commits) {
    if (!commit.length) continue;
    const result = await store.appendToStream(
      familyStreamId(familyId),
      commit.map((e) => ({ id: randomUUID(), type: e.type, data: e.data as JsonObject })),
      { expectedRevision: revision < 0 ? 'no_stream' : revision },
    );
    revision = result.nextExpectedRevision;
  }
  return revision;
}
