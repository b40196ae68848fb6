import { familyStreamId, type Unit } from '@familievedtak/domain';
import { EVENT_STORE, KEY_STORE, type Clock, type EventStore, type KeyStore } from '@familievedtak/event-store';
import { CLOCK } from '../../apps/api/src/shared/clock.provider';
import { staff } from '../support/parts';
import type { TestApp } from '../support/test-app';

/** Helpers of the retention, erasure-request and archive-export tests (test/api/retention*.e2e.spec.ts and the others of strand J). */

/** The app's clock at 10:00 UTC on a day (the injected clock: every decision's "today"). */
export function clockOf(api: TestApp) {
  const clock = api.app.get<Clock>(CLOCK);
  const systemNow = clock.now;
  return {
    on: (day: string) => void (clock.now = () => new Date(`${day}T10:00:00.000Z`)),
    restore: () => void (clock.now = systemNow),
  };
}

export const storeOf = (api: TestApp) => api.app.get<EventStore>(EVENT_STORE);
export const keyStoreOf = (api: TestApp) => api.app.get<KeyStore>(KEY_STORE);

/**
 * Closes the case: the last unit with a part closes its involvement through the API, on `on`
 * (10:00 UTC: the closing reason's key is `case/family:<on>T10:00:00.000Z`). The domain lets it
 * only when nothing holds the case open (no open need, no decision in force, ...).
 */
export async function closeCase(api: TestApp, familyId: string, unit: Unit, on: string, reason = 'Familien trenger ikke lenger hjelp fra kommunen.') {
  clockOf(api).on(on);
  const response = await api.inject('POST', `/families/${familyId}/involvement/close`, staff(unit), { reason });
  if (response.statusCode !== 200) throw new Error(`closing the case of ${familyId}: ${response.statusCode} ${response.body}`);
}

/** Every key row of a family stream: key ref -> erased. */
export async function keyRows(api: TestApp, familyId?: string): Promise<Map<string, boolean>> {
  const { rows } = await api.db.pool.query<{ stream_id: string; key_ref: string; erased: boolean }>(
    `SELECT stream_id, key_ref, wrapped IS NULL AS erased FROM keys.data_keys WHERE $1::text IS NULL OR stream_id = $1 ORDER BY stream_id, key_ref`,
    [familyId ? familyStreamId(familyId) : null],
  );
  return new Map(rows.map((r) => [`${r.stream_id}:${r.key_ref}`, r.erased]));
}

/** The key refs PersonalDataErased events of a family record, with their erasure ids. */
export async function erasedInLog(
  api: TestApp,
  familyId: string,
): Promise<Array<{ erasureId: string; keyRefs: string[]; requestId: string | null; rule: unknown }>> {
  const events = await storeOf(api).readStream(familyStreamId(familyId));
  return events
    .filter((e) => e.type === 'PersonalDataErased')
    .map((e) => {
      const d = e.data as { erasureId: string; keyRefs: string[]; requestId: string | null; rule: unknown };
      return { erasureId: d.erasureId, keyRefs: d.keyRefs, requestId: d.requestId, rule: d.rule };
    });
}

/** Rows of the key store, events and read-audit rows: what "stores nothing" is checked against. */
export async function storedCounts(api: TestApp) {
  const { rows } = await api.db.pool.query<{ keys: number; erased: number; reads: number; copies: number }>(
    `SELECT (SELECT count(*)::int FROM keys.data_keys) AS keys, (SELECT count(*)::int FROM keys.data_keys WHERE wrapped IS NULL) AS erased,
            (SELECT count(*)::int FROM audit.read_access) AS reads, (SELECT count(*)::int FROM documents.letter_copies) AS copies`,
  );
  return { events: await api.eventCount(), ...rows[0] };
}
