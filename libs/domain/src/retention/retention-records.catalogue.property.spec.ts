import fc from 'fast-check';
import type { FamilyEvent } from '../family/family.events';
import { foldFamily } from '../family/family.evolve';
import { by, actors, familyRegistered, memberLeft, socialAssistanceApproved, socialAssistanceProposed } from '../testing/family.fixtures';
import { LEGACY_FAMILY_TEXT_KEY_REF, personalFieldsOf, keyRefCategory, type PersonalField } from '../personal-data/personal-data.catalogue';
import { subProjectPersonalFieldsOf } from '../personal-data/sub-project-personal-data';
import type { JsonObject } from '../shared/json';
import type { SpendRecorded, SpendReversed } from '../sub-project/sub-project.events';
import { retentionRecords, type RetentionRecord } from './retention-records';
import { history, historyStepsArb } from './testing/random-history';

/**
 * The personal-data catalogue and the retention records are one vocabulary (design § 1, § 6):
 * every key the catalogue makes for a family's events (and for the budget streams' spends of its
 * payments) is a record the planner knows, in the same category, naming at least the members the
 * event names; and every record the planner lists holds text some event put under its key, except
 * those whose text lives elsewhere by design: a letter's key (its copies are outside the log), the
 * legacy `case/family` (streams written before the family texts had a key per append) and an
 * abandoned sub-project payment (its texts are in the budget stream). A key the catalogue made but
 * the planner did not know would never be erased; a record with no key would be erased for nothing.
 */

/** The budget stream's spend for a family payment (and its reversal), as the sub-project decider writes them. */
function spendsFor(events: FamilyEvent[]): Array<SpendRecorded | SpendReversed> {
  const spends: Array<SpendRecorded | SpendReversed> = [];
  const recorded = new Set<string>();
  for (const event of events) {
    const at = { at: event.data.at, by: event.data.by };
    const spend = (paymentId: string, recipientMemberId: string | null): SpendRecorded => ({
      type: 'SpendRecorded',
      data: {
        subProjectId: 'sp',
        paymentId,
        amountOre: 100,
        category: 'bank-transfer',
        semester: '2024-spring',
        spentOn: '2024-03-01',
        familyId: 'f',
        description: 'Football boots for the youngest',
        semesterRemainingOre: 0,
        payment: recipientMemberId
          ? { recipientMemberId, answersNeedId: null, answersDecisionId: null, documentationRef: 'receipt 12', countsAsIncome: false }
          : null,
        runId: null,
        ...at,
      },
    });
    if (event.type === 'PaymentRecorded') recorded.add(event.data.paymentId);
    if (event.type === 'PaymentRecorded' && event.data.funding.kind === 'sub-project') spends.push(spend(event.data.paymentId, event.data.recipientMemberId));
    // An abandonment after the payment changes nothing (the fold ignores it): its spend is the payment's, above.
    if (event.type === 'PaymentAbandoned' && !recorded.has(event.data.paymentId)) {
      spends.push(spend(event.data.paymentId, event.data.recipientMemberId));
      spends.push({
        type: 'SpendReversed',
        data: {
          subProjectId: 'sp',
          paymentId: event.data.paymentId,
          amountOre: 100,
          semester: '2024-spring',
          reason: 'The family refused it.',
          familyId: 'f',
          ...at,
        },
      });
    }
  }
  return spends;
}

/** Records whose key holds text outside the family stream's events, by design. */
function textElsewhere(record: RetentionRecord, state: ReturnType<typeof foldFamily>): boolean {
  if (record.category === 'letter' || record.keyRef === LEGACY_FAMILY_TEXT_KEY_REF) return true;
  const paymentId = record.keyRef.startsWith('payment/') ? record.keyRef.slice('payment/'.length) : null;
  return paymentId !== null && !state.payments[paymentId] && !!state.abandonedPayments?.[paymentId];
}

function check(events: FamilyEvent[]): void {
  const state = foldFamily(events);
  const records = new Map(retentionRecords(state).map((r) => [r.keyRef, r]));
  const fields: PersonalField[] = [
    ...events.flatMap((e) => personalFieldsOf(e.type, e.data as JsonObject)),
    ...spendsFor(events).flatMap((e) => subProjectPersonalFieldsOf(e.type, e.data as JsonObject)),
  ];
  // Catalogue -> records: a key it makes is a record of the planner, same category, its members among the record's subjects.
  for (const field of fields) {
    const record = records.get(field.keyRef);
    expect({ keyRef: field.keyRef, known: !!record }).toEqual({ keyRef: field.keyRef, known: true });
    expect(record!.category).toBe(field.category);
    expect(keyRefCategory(field.keyRef)).toBe(field.category);
    expect({ keyRef: field.keyRef, type: field.path.join('.'), missing: field.subjects.filter((m) => !record!.subjects.includes(m)) }).toEqual({
      keyRef: field.keyRef,
      type: field.path.join('.'),
      missing: [],
    });
  }
  // Records -> catalogue: every record holds text some event put under its key, unless by design elsewhere.
  const made = new Set(fields.map((f) => f.keyRef));
  const unexplained = [...records.values()].filter((r) => !made.has(r.keyRef) && !textElsewhere(r, state)).map((r) => r.keyRef);
  expect(unexplained).toEqual([]);
}

describe('the catalogue and the retention records: one set of keys', () => {
  it('generated histories: every key the catalogue makes is a record the planner knows, and every record (that holds text in the log) a key the catalogue made', () => {
    fc.assert(
      fc.property(historyStepsArb, (steps) => check(history(steps))),
      { numRuns: Number(process.env.FC_RUNS ?? 300), seed: process.env.FC_SEED ? Number(process.env.FC_SEED) : undefined, path: process.env.FC_PATH },
    );
  });

  it('a history with family texts, parental responsibility ended and recorded again, an appeal by a representative and a representative’s erasure request', () => {
    const at = (day: string) => by(actors.navCaseworker, `${day}T09:00:00.000Z`);
    const events: FamilyEvent[] = [
      familyRegistered,
      { type: 'ParentalResponsibilityEnded', data: { childId: 'm-omar', holderId: 'm-yusuf', reason: 'Court decision.', ...at('2024-03-01') } },
      {
        type: 'ParentalResponsibilityRecorded',
        data: { childId: 'm-omar', holderId: 'm-yusuf', basis: 'court-decision', documentRef: 'Judgment 24-1', since: '2024-04-01', ...at('2024-04-01') },
      },
      { ...memberLeft('m-yusuf'), data: { ...memberLeft('m-yusuf').data, reason: 'Moved out.', ...at('2024-04-02') } },
      socialAssistanceProposed,
      socialAssistanceApproved,
      {
        type: 'AppealRegistered',
        data: {
          appealId: 'a-1',
          decisionId: 'd-nav',
          againstDismissalOf: null,
          appellant: { kind: 'representative', representative: 'Adv. Berg', forMemberId: 'm-amina' },
          receivedOn: '2024-04-03',
          postedOn: null,
          channel: 'post',
          grounds: 'Too little.',
          signed: true,
          ...at('2024-04-03'),
        },
      },
      { type: 'AppealWithdrawn', data: { appealId: 'a-1', withdrawnOn: '2024-04-04', note: 'Settled.', ...at('2024-04-04') } },
      {
        type: 'ErasureRequested',
        data: {
          requestId: 'r-1',
          memberId: 'm-amina',
          categories: ['need'],
          receivedOn: '2024-04-05',
          requestedBy: { kind: 'representative', representative: 'Adv. Berg' },
          channel: 'in-writing',
          alreadyErased: [],
          ...at('2024-04-05'),
        },
      },
    ];
    check(events);
    expect(retentionRecords(foldFamily(events)).map((r) => [r.keyRef, r.subjects])).toEqual(
      expect.arrayContaining([
        ['appeal/a-1', ['m-amina']],
        ['case/r-1', ['m-amina']],
        ['case/family:2024-03-01T09:00:00.000Z', ['m-omar', 'm-yusuf']],
        ['case/family:2024-04-01T09:00:00.000Z', ['m-omar', 'm-yusuf']],
        ['case/family:2024-04-02T09:00:00.000Z', ['m-yusuf']],
      ]),
    );
  });
});
