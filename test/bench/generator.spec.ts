import { EVENT_SCHEMA_VERSION, evolveFamily, initialFamilyState, type FamilyEvent } from '@familievedtak/domain';
import type { AppendOptions, EventData, EventStore } from '@familievedtak/event-store';
import { buildFamilyDecisionView } from '@familievedtak/projections';
import { decideGeneratedFamily, generateFamilies } from '../../bench/data/generator';
import { HISTORY_END } from '../../bench/data/family-script';

/** The bench's family generator: deterministic, and every family it makes is one the domain accepts and the view can show. */
describe('bench family generator', () => {
  const FAMILIES = 24;

  it('gives the same events for the same seed, and different ones for another seed', () => {
    for (let index = 0; index < FAMILIES; index++) {
      const a = decideGeneratedFamily(2023, index);
      const b = decideGeneratedFamily(2023, index);
      expect(b.streamId).toBe(a.streamId);
      expect(b.events).toEqual(a.events);
    }
    expect(decideGeneratedFamily(7, 0).events).not.toEqual(decideGeneratedFamily(2023, 0).events);
  });

  it('folds every family and builds a valid family decision view', () => {
    const types = new Set<string>();
    let events = 0;
    for (let index = 0; index < FAMILIES; index++) {
      const family = decideGeneratedFamily(2023, index);
      events += family.events.length;
      family.events.forEach((e) => types.add(e.type));
      const state = family.events.reduce((s, e) => evolveFamily(s, { type: e.type, data: e.data } as unknown as FamilyEvent), initialFamilyState());
      expect(state).toEqual(family.state);
      expect(state.status).toBe('registered');
      const children = Object.values(state.members).filter((m) => m.role === 'child').length;
      expect(children).toBeGreaterThanOrEqual(1);
      expect(children).toBeLessThanOrEqual(8);
      const view = buildFamilyDecisionView(state, HISTORY_END);
      expect(view.familyId).toBe(family.script.familyId);
      for (const e of family.events) {
        expect(e.metadata).toMatchObject({ commandType: expect.any(String), correlationId: expect.any(String), ruleSetId: 'trondheim-2023', schemaVersion: EVENT_SCHEMA_VERSION });
      }
    }
    // Decisions of every kind the shape promises show up even in a small set.
    for (const type of ['FamilyRegistered', 'DecisionProposed', 'DecisionApproved', 'DecisionExpired', 'PaymentRecorded', 'NeedExpressed', 'ConsentGiven']) {
      expect(types).toContain(type);
    }
    expect(events / FAMILIES).toBeGreaterThan(40);
  });

  it('appends each family in batches with the exact expected revision', async () => {
    const streams = new Map<string, EventData[]>();
    const store = {
      async appendToStream(streamId: string, events: EventData[], options: AppendOptions = {}) {
        const stream = streams.get(streamId) ?? [];
        const expected = stream.length === 0 ? 'no_stream' : stream.length - 1;
        if (options.expectedRevision !== expected) throw new Error(`expected ${expected}, got ${String(options.expectedRevision)}`);
        stream.push(...events);
        streams.set(streamId, stream);
        return { nextExpectedRevision: stream.length - 1, position: BigInt(stream.length) };
      },
    } as unknown as EventStore;
    const summary = await generateFamilies({ store, families: 6, seed: 2023, concurrency: 3, batchSize: 17 });
    expect(summary.families).toBe(6);
    expect(streams.size).toBe(6);
    expect([...streams.values()].reduce((n, s) => n + s.length, 0)).toBe(summary.events);
    expect(streams.get(decideGeneratedFamily(2023, 3).streamId)).toEqual(decideGeneratedFamily(2023, 3).events);
  });
});
