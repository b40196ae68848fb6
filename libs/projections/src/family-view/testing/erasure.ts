import { randomUUID } from 'node:crypto';
import { familyStreamId, keyRefCategory, RETENTION_JOB_ACTOR, type PersonalDataErased, type RetentionRuleRef } from '@familievedtak/domain';
import type { JsonObject, PersonalDataEventStore } from '@familievedtak/event-store';

/** An erasure as the retention job makes it (design §5): the schedule rule, or null for a request. */
export type TestErasure = { on: string; rule: RetentionRuleRef | null; provision: string; requestId?: string | null };

export const IDENTITY_RULE: RetentionRuleRef = {
  scheduleId: 'trondheim-retention-2026',
  version: 1,
  entry: 'identity',
  provision: 'GDPR art. 5(1)(e), 17(1)(a)',
};

/**
 * Erases records of a family the way design §5 orders it: the keys are shredded first, then
 * PersonalDataErased is appended to the family stream (by hand here, as the retention job's
 * repair does; the decider's own checks are tested in the domain). Returns the new revision.
 */
export async function eraseRecords(
  store: PersonalDataEventStore,
  familyId: string,
  keyRefs: string[],
  erasure: TestErasure,
  expectedRevision: number,
  subjects: string[] = [],
): Promise<number> {
  const streamId = familyStreamId(familyId);
  const erasureId = randomUUID();
  const rule = erasure.rule ? `${erasure.rule.scheduleId}@v${erasure.rule.version}/${erasure.rule.entry}` : null;
  await store.keyStore.shred(streamId, keyRefs, { on: erasure.on, rule, provision: erasure.provision, by: RETENTION_JOB_ACTOR.userId, erasureId });
  const data: PersonalDataErased['data'] = {
    erasureId,
    keyRefs,
    subjects,
    categories: [...new Set(keyRefs.map((k) => keyRefCategory(k) ?? 'case'))] as PersonalDataErased['data']['categories'],
    on: erasure.on,
    rule: erasure.rule,
    requestId: erasure.requestId ?? null,
    at: `${erasure.on}T09:00:00.000Z`,
    by: { userId: RETENTION_JOB_ACTOR.userId, role: RETENTION_JOB_ACTOR.role, unit: null, partnerOrganisation: null },
  };
  const result = await store.appendToStream(streamId, [{ id: randomUUID(), type: 'PersonalDataErased', data: data as unknown as JsonObject }], {
    expectedRevision,
  });
  return result.nextExpectedRevision;
}
