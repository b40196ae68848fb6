import type { FamilyEvent } from '@familievedtak/domain';
import type { JsonObject, RecordedEvent } from '@familievedtak/event-store';

/**
 * Decided commits as the store would hand them back: revisions from 0, positions rising,
 * recorded at the event's own `at`, and the metadata the command handler writes (one
 * command id per commit, one correlation id for the whole history).
 */
export function recordedHistory(familyId: string, commits: FamilyEvent[][]): RecordedEvent[] {
  const out: RecordedEvent[] = [];
  commits.forEach((commit, c) =>
    commit.forEach((event) => {
      const revision = out.length;
      out.push({
        id: `event-${revision}`,
        streamId: `family-${familyId}`,
        type: event.type,
        data: event.data as JsonObject,
        metadata: {
          commandId: `cmd-${c}`,
          commandType: event.type,
          correlationId: 'corr-1',
          causationId: `cmd-${c}`,
          actor: { ...event.data.by },
          ruleSetId: 'trondheim-2023',
          idempotencyKey: null,
          schemaVersion: 1,
        },
        revision,
        globalPosition: BigInt(1000 + revision * 7),
        recordedAt: new Date(event.data.at),
        hash: ''.padEnd(64, '0'),
      });
    }),
  );
  return out;
}
