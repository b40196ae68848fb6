import type { Actor } from '../shared/actor';
import type { JsonObject, JsonValue } from '../shared/json';
import { sequentialIds } from '../testing/decider-specification';
import type { SubProjectCommand } from '../sub-project/sub-project.commands';
import { subProjectDecider } from '../sub-project/sub-project.decider';
import { SUB_PROJECT_EVENT_TYPES, type SubProjectEvent } from '../sub-project/sub-project.events';
import { SUB_PROJECT_PERSONAL_DATA, subProjectPersonalFieldsOf, subProjectPlaceholderAt } from './sub-project-personal-data';

/**
 * The budget streams' catalogue: a spend that pays a family payment carries the family's texts
 * (what it was for, the payment's documentation reference, why it was given back), encrypted under
 * the family's payment key (`payment/<paymentId>` of that family). Decided through the sub-project
 * decider with tokens in every text: the family's tokens end up only in catalogued fields; the
 * sub-project's own texts (name, goals, run description, reviews) are about the project.
 */

const MARK = 'Ʃ';
const leader: Actor = { userId: 'leder.bft', role: 'unit-leader', unit: 'BFT' };
const caseworker: Actor = { userId: 'siri.bft', role: 'caseworker', unit: 'BFT' };

function leaves(value: JsonValue, path: Array<string | number> = []): Array<{ path: string; value: string }> {
  if (typeof value === 'string') return [{ path: path.join('.'), value }];
  if (value === null || typeof value !== 'object') return [];
  if (Array.isArray(value)) return value.flatMap((v, i) => leaves(v, [...path, i]));
  return Object.entries(value).flatMap(([k, v]) => leaves(v, [...path, k]));
}

function decided(): SubProjectEvent[] {
  const commands: Array<[SubProjectCommand, Actor]> = [
    [
      {
        type: 'ApproveSubProject',
        data: {
          subProjectId: 'sp-1',
          name: 'Barnas stemme',
          actors: [
            { name: 'BFT', municipal: true, unit: 'BFT' },
            { name: 'Saupstad skole', municipal: true },
            { name: 'Heimdal IL', municipal: false, organisationNumber: '983456789' },
          ],
          responsibleUnit: 'BFT',
          goals: ['Leisure for every child.'],
          firstSemester: '2024-spring',
        },
      },
      leader,
    ],
    [
      {
        type: 'RecordSpend',
        data: {
          paymentId: 'p-1',
          amountOre: 50_000,
          category: 'supplier-payment',
          spentOn: '2024-03-14',
          familyId: 'fam-1',
          description: `${MARK}winter clothes for the youngest`,
          payment: { recipientMemberId: 'm-a', answersNeedId: null, answersDecisionId: null, documentationRef: `${MARK}receipt`, countsAsIncome: false },
        },
      },
      caseworker,
    ],
    [
      {
        type: 'RecordSpend',
        data: { paymentId: 'p-2', amountOre: 10_000, category: 'supplier-payment', spentOn: '2024-03-14', familyId: null, description: 'Bus to camp' },
      },
      caseworker,
    ],
    [
      {
        type: 'RecordPaymentRun',
        data: {
          runId: 'run-1',
          description: 'March run',
          fingerprint: 'f',
          payments: [
            {
              paymentId: 'p-3',
              familyId: 'fam-2',
              amountOre: 20_000,
              category: 'supplier-payment',
              spentOn: '2024-03-14',
              description: `${MARK}football boots`,
              payment: { recipientMemberId: 'm-b', answersNeedId: null, answersDecisionId: null, documentationRef: `${MARK}invoice`, countsAsIncome: null },
            },
          ],
        },
      },
      caseworker,
    ],
    [{ type: 'ReverseSpend', data: { paymentId: 'p-1', reason: `${MARK}the family payment was reversed: moved away` } }, caseworker],
    [{ type: 'ReverseSpend', data: { paymentId: 'p-2', reason: 'Camp cancelled' } }, caseworker],
  ];
  const ids = sequentialIds();
  let events: SubProjectEvent[] = [];
  for (const [command, actor] of commands) {
    const state = events.reduce(subProjectDecider.evolve, subProjectDecider.initialState());
    events = [...events, ...subProjectDecider.decide(command, state, { now: new Date('2024-03-15T09:00:00.000Z'), newId: ids, actor })];
  }
  return events;
}

describe('the budget streams’ personal-data catalogue (bokføringsloven § 13 keeps the payment; the family’s texts go with it)', () => {
  it('classifies every sub-project event type: fields, or explicitly none with the reason', () => {
    expect(Object.keys(SUB_PROJECT_PERSONAL_DATA).sort()).toEqual([...SUB_PROJECT_EVENT_TYPES].sort());
    for (const entry of Object.values(SUB_PROJECT_PERSONAL_DATA)) {
      if ('fields' in entry) expect(entry.fields.length).toBeGreaterThan(0);
      else expect(entry.none.length).toBeGreaterThan(5);
    }
  });

  it('a family spend’s texts, and the reason it was given back, are under the family’s payment key; a spend of no family has none', () => {
    const events = decided();
    const brief = events.map((e) => [
      e.type,
      subProjectPersonalFieldsOf(e.type, e.data as JsonObject).map((f) => [f.path.join('.'), f.kind, f.keyRef, f.category, f.subjects, f.familyId]),
    ]);
    expect(brief).toEqual([
      ['SubProjectApproved', []],
      [
        'SpendRecorded',
        [
          ['description', 'optional-text', 'payment/p-1', 'payment', ['m-a'], 'fam-1'],
          ['payment.documentationRef', 'text', 'payment/p-1', 'payment', ['m-a'], 'fam-1'],
        ],
      ],
      ['SpendRecorded', []],
      ['PaymentRunRecorded', []],
      [
        'SpendRecorded',
        [
          ['description', 'optional-text', 'payment/p-3', 'payment', ['m-b'], 'fam-2'],
          ['payment.documentationRef', 'text', 'payment/p-3', 'payment', ['m-b'], 'fam-2'],
        ],
      ],
      // The decider names the spend's family on the reversal, so its reason finds the family's key from the event alone.
      ['SpendReversed', [['reason', 'text', 'payment/p-1', 'payment', [], 'fam-1']]],
      ['SpendReversed', []],
    ]);
  });

  it('decided through the sub-project decider: the family’s tokens are only in catalogued fields', () => {
    for (const event of decided()) {
      const fields = subProjectPersonalFieldsOf(event.type, event.data as JsonObject).map((f) => f.path.join('.'));
      const leaked = leaves(event.data as JsonObject).filter((l) => l.value.includes(MARK) && !fields.includes(l.path));
      expect({ type: event.type, leaked }).toEqual({ type: event.type, leaked: [] });
    }
  });

  it('an erased field reads as a placeholder of its kind', () => {
    expect(subProjectPlaceholderAt('SpendRecorded', ['description'])).toBeNull();
    expect(subProjectPlaceholderAt('SpendRecorded', ['payment', 'documentationRef'])).toBe('');
    expect(subProjectPlaceholderAt('SpendReversed', ['reason'])).toBe('');
    expect(subProjectPlaceholderAt('PaymentRunRecorded', ['description'])).toBeNull();
  });
});
