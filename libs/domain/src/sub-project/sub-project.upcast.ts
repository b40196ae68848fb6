import type { SubProjectEvent } from './sub-project.events';

/**
 * Sub-project events as stored before a field existed, read with the field's neutral value.
 * Pure and idempotent; an event that has the fields is returned as is.
 *
 * - SpendRecorded: `payment` null (no family payment to complete from it: a recovery pass
 *   can only give such a spend's money back) and `runId` null (not part of a run).
 */
export function upcastSubProjectEvent(event: SubProjectEvent): SubProjectEvent {
  if (event.type !== 'SpendRecorded') return event;
  const data = event.data as Partial<typeof event.data> & typeof event.data;
  if (data.payment !== undefined && data.runId !== undefined) return event;
  return { ...event, data: { ...event.data, payment: data.payment ?? null, runId: data.runId ?? null } };
}
