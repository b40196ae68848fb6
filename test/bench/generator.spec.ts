import { ageOn, EVENT_SCHEMA_VERSION, evolveFamily, initialFamilyState, type FamilyEvent, type FamilyState } from '@familievedtak/domain';
import type { AppendOptions, EventData, EventStore } from '@familievedtak/event-store';
import { buildFamilyDecisionView } from '@familievedtak/projections';
import { decideGeneratedFamily, generateFamilies } from '../../bench/data/generator';
import { HISTORY_END, scriptFamily } from '../../bench/data/family-script';

/** The rules of a part in the case (docs/design/part-in-the-case.md), as the folded family shows them. */
function expectPartInTheCase(state: FamilyState): void {
  const parts = Object.values(state.parts);
  expect(parts.filter((p) => p.act.kind === 'registered')).toHaveLength(1);
  for (const part of parts) expect(['registered', 'referral-accepted']).toContain(part.act.kind);
  // Every unit that wrote had a part: registered, or accepted a referral (none from before parts were explicit).
  const writers = new Set([
    ...Object.values(state.decisions).map((d) => d.unit),
    ...Object.values(state.payments).map((p) => p.recordedBy.unit),
    ...Object.values(state.needs).flatMap((n) => [...n.pickedUpBy.map((p) => p.unit), ...(n.recordedBy.kind === 'unit' ? [n.recordedBy.unit] : [])]),
    ...Object.values(state.consents).map((c) => c.recordedBy.unit),
  ]);
  for (const unit of writers) expect(state.parts[unit!]).toBeDefined();
  for (const referral of Object.values(state.referrals)) {
    expect(referral.status).toBe('accepted');
    if (referral.ground === 'duty-to-inform-child-welfare') expect(referral.toUnit).toBe('BFT');
    else expect(referral.consentIds).toHaveLength(referral.memberIds.length);
  }
  for (const consent of Object.values(state.consents)) {
    const age = ageOn(state.members[consent.memberId].birthDate, consent.givenAt.slice(0, 10));
    if (age >= 18) expect(consent.givenByMemberId).toBe(consent.memberId);
    else if (consent.givenByMemberId === consent.memberId) expect(consent.dataCategories).toEqual(['health']);
    else expect(state.parentalResponsibility[`${consent.memberId}:${consent.givenByMemberId}`]?.active).toBe(true);
    expect(consent.validUntil).not.toBeNull();
    expect(consent.evidence).not.toBeNull();
    expect(consent.sourceUnits === null).toBe(consent.kind !== 'information-sharing');
    if (consent.withdrawal) {
      expect(consent.withdrawal.expressedByMemberId).toBe(consent.memberId);
      expect(consent.withdrawal.channel).not.toBeNull();
    }
  }
  for (const adult of Object.values(state.members).filter((m) => m.role === 'adult')) {
    expect(
      Object.values(state.consents).some((c) => c.kind === 'coordination' && c.memberId === adult.memberId && c.toUnits.includes(state.coordinatingUnit!)),
    ).toBe(true);
  }
  for (const need of Object.values(state.needs)) {
    if (need.recordedBy.kind !== 'partner') continue;
    const org = need.recordedBy.organisationNumber;
    expect(org).toMatch(/^\d{9}$/);
    expect(Object.values(state.enrolments).some((e) => e.partners.some((p) => p.organisationNumber === org))).toBe(true);
  }
}

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
      expectPartInTheCase(state);
      const children = Object.values(state.members).filter((m) => m.role === 'child').length;
      expect(children).toBeGreaterThanOrEqual(1);
      expect(children).toBeLessThanOrEqual(8);
      const view = buildFamilyDecisionView(state, HISTORY_END);
      expect(view.familyId).toBe(family.script.familyId);
      for (const e of family.events) {
        expect(e.metadata).toMatchObject({
          commandType: expect.any(String),
          correlationId: expect.any(String),
          ruleSetId: 'trondheim-2023',
          schemaVersion: EVENT_SCHEMA_VERSION,
        });
      }
    }
    // Decisions of every kind the shape promises show up even in a small set.
    for (const type of ['FamilyRegistered', 'DecisionProposed', 'DecisionApproved', 'DecisionExpired', 'PaymentRecorded', 'NeedExpressed', 'ConsentGiven']) {
      expect(types).toContain(type);
    }
    expect(events / FAMILIES).toBeGreaterThan(40);
  });

  it('refers on consent and on the duty to inform, enrols families for partners, and protects a few addresses', () => {
    const states = Array.from({ length: 150 }, (_, index) => decideGeneratedFamily(2023, index).state);
    const referrals = states.flatMap((s) => Object.values(s.referrals));
    expect(new Set(referrals.map((r) => r.ground))).toEqual(new Set(['consent', 'duty-to-inform-child-welfare']));
    expect(states.flatMap((s) => Object.values(s.enrolments)).length).toBeGreaterThan(10);
    expect(states.flatMap((s) => Object.values(s.needs)).filter((n) => n.recordedBy.kind === 'partner').length).toBeGreaterThan(10);
    expect(states.flatMap((s) => Object.values(s.consents)).filter((c) => c.givenAsGuardian).length).toBeGreaterThan(10);
    // Kode 6 is rare (1 in 100 households): counted over the scripts of more families (no deciding needed).
    const protections = Array.from({ length: 600 }, (_, index) => scriptFamily(2023, index).commands[0].command).flatMap((c) =>
      c.type === 'RegisterFamily' ? [c.data.members[0].addressProtection] : [],
    );
    expect(new Set(protections)).toEqual(new Set(['none', 'fortrolig', 'strengt-fortrolig']));
    expect(protections.filter((p) => p !== 'none').length).toBeLessThan(60);
    for (const state of states) expectPartInTheCase(state);
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
