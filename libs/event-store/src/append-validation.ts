import { InvalidAppendError } from './event-store.errors';
import { AppendOptions, EventData } from './event-store.port';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Checks shared by both adapters, so that they refuse the same input the same way. */
export function validateAppend(streamId: string, events: EventData[], options: AppendOptions): void {
  if (!streamId || streamId.length > 200 || streamId.startsWith('$')) {
    throw new InvalidAppendError(`Invalid stream id "${streamId}"`);
  }
  if (events.length === 0) throw new InvalidAppendError('An append needs at least one event');
  const ids = new Set<string>();
  for (const event of events) {
    if (!UUID.test(event.id)) throw new InvalidAppendError(`Event id "${event.id}" is not a UUID`);
    if (ids.has(event.id.toLowerCase())) throw new InvalidAppendError(`Event id ${event.id} appears twice in one append`);
    ids.add(event.id.toLowerCase());
    if (!event.type || event.type.length > 200) throw new InvalidAppendError('Every event needs a type');
    if (event.data === null || typeof event.data !== 'object' || Array.isArray(event.data)) {
      throw new InvalidAppendError(`Event ${event.id}: data must be a JSON object`);
    }
  }
  const expected = options.expectedRevision;
  if (typeof expected === 'number' && (!Number.isSafeInteger(expected) || expected < 0)) {
    throw new InvalidAppendError(`Expected revision ${expected} is not a revision`);
  }
}
