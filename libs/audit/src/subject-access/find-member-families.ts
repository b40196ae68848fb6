import { FAMILY_STREAM_PREFIX } from '@familievedtak/domain';
import type { EventStore, EventFilter } from '@familievedtak/event-store';
import { MEMBER_FAMILIES_SQL } from '@familievedtak/projections';
import type { Queryable } from './queryable';

/** Where a member's family was found: the read model, or (when it holds none) a scan of the log. */
export type MemberFamilies = { familyIds: string[]; source: 'read-model' | 'stream-scan'; scannedEvents: number };

const MEMBER_EVENTS: EventFilter = { streamPrefixes: [FAMILY_STREAM_PREFIX], eventTypes: ['FamilyRegistered', 'MemberJoined'] };
const PAGE = 1000;

/**
 * The families a member belongs (or belonged) to. The read model answers at once
 * (core->'members' ? id, indexed); a member it does not know (a projection that is behind or not
 * running, as in the CLI) is looked for in the log itself: every registration and joining.
 */
export async function findMemberFamilies(
  store: EventStore,
  db: Queryable,
  memberId: string,
  onProgress?: (done: number, total: number) => void,
): Promise<MemberFamilies> {
  const { rows } = await db.query<{ family_id: string }>(MEMBER_FAMILIES_SQL, [memberId]);
  if (rows.length) return { familyIds: rows.map((r) => r.family_id), source: 'read-model', scannedEvents: 0 };

  const total = await store.countAfter(0n, MEMBER_EVENTS);
  const found = new Set<string>();
  let position = 0n;
  let done = 0;
  onProgress?.(0, total);
  for (;;) {
    const page = await store.readAll({ fromPosition: position, maxCount: PAGE, filter: MEMBER_EVENTS });
    for (const event of page) {
      const data = event.data as { members?: { memberId: string }[]; member?: { memberId: string } };
      const ids = data.members?.map((m) => m.memberId) ?? (data.member ? [data.member.memberId] : []);
      if (ids.includes(memberId)) found.add(event.streamId.slice(FAMILY_STREAM_PREFIX.length));
    }
    done += page.length;
    onProgress?.(Math.min(done, Math.max(total, done)), Math.max(total, done));
    if (page.length < PAGE) break;
    position = page[page.length - 1].globalPosition;
  }
  return { familyIds: [...found].sort(), source: 'stream-scan', scannedEvents: done };
}
