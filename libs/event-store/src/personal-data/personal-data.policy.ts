import type { JsonObject, JsonValue } from '../event-store.port';

/**
 * A field of an event on its way in that is encrypted, under which key. `keyStreamId`: the stream
 * whose key row holds the key, when it is not the event's own (a budget stream's spend is the
 * family's payment record: its key row is the family stream's, so erasing the payment erases both).
 */
export type PersonalFieldSpec = { path: ReadonlyArray<string | number>; keyRef: string; category: string; subjects: readonly string[]; keyStreamId?: string };

/**
 * What the personal-data decorator asks the domain (the catalogues, see
 * family-personal-data.policy.ts): the store itself knows no event type.
 */
export interface PersonalDataPolicy {
  /** Streams whose events carry personal data; others pass through untouched both ways. */
  appliesTo(streamId: string): boolean;
  /** The fields to encrypt in an event's data, with concrete paths and key refs from the data alone (`streamId` absent: by the event type). */
  fieldsOf(type: string, data: JsonObject, streamId?: string): PersonalFieldSpec[];
  /** What an erased field at this path reads as (a placeholder of its own type). */
  placeholderAt(type: string, path: ReadonlyArray<string | number>, streamId?: string): JsonValue;
  /** Key refs an erasure event names: a reader forgets them before it decodes further. */
  keyRefsErasedBy(type: string, data: JsonObject): string[];
  /** The category of a key ref (for a tombstone filed before any event created the key). */
  categoryOf(keyRef: string): string | undefined;
}
