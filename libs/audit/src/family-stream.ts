import { familyStreamId } from '@familievedtak/domain';
import type { EventStore, RecordedEvent } from '@familievedtak/event-store';

const PAGE = 1000;

/**
 * A family's events in revision order, page by page (the store hands out at most a page a
 * call). `keep` stops the read at the first event it rejects: as-of reads stop at the cut.
 */
export async function readFamilyStream(store: EventStore, familyId: string, keep: (event: RecordedEvent) => boolean = () => true): Promise<RecordedEvent[]> {
  const events: RecordedEvent[] = [];
  for (let from = 0; ; from += PAGE) {
    const page = await store.readStream(familyStreamId(familyId), { fromRevision: from, maxCount: PAGE });
    for (const event of page) {
      if (!keep(event)) return events;
      events.push(event);
    }
    if (page.length < PAGE) return events;
  }
}
