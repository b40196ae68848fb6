import fc from 'fast-check';
import type { DecisionTypeCode } from '../delegation/decision-type.catalogue';
import type { FamilyEvent } from '../family/family.events';
import type { FamilyState } from '../family/family.state';
import type { AddressProtection, ConsentKind, DataCategory, MemberDetails } from '../family/family.values';
import { addDays } from '../shared/local-date';
import type { Unit } from '../shared/units';
import { familyReadAccess, type Reader } from './family-read-access';
import { maskFamilyState } from './protected-address';
import { AT, DELEGATION, fold, NO_AMOUNTS, unitRef, partnerRef } from './testing/access-events';

/**
 * Property-based: arbitrary families (parts gained by registration or accepted referrals and
 * ended by closing, enrolments naming partners, records of units and partners, consents with
 * sources, some withdrawn), readers and days. The oracle below is written straight from the
 * rules of the design note ("Reading"), not from familyReadAccess:
 *
 * - a unit's standing: an active part; else a record of its own, whether its part ended or it
 *   never had one ('ended'); else an open referral to it ('referred'); else none (refused);
 * - a unit's own records: needs it recorded or picked up, its decisions, payments it recorded
 *   or funded, and records of partners named in enrolments it is responsible for (active or ended);
 * - with an active part also another unit's record when every member it is about (the current
 *   adults for a need of the whole family; none: never) has an information-sharing consent,
 *   not withdrawn, validFrom <= day <= validUntil, naming the unit, the record's category
 *   (health for health-and-care decisions) and an owner among its sources (null: any);
 * - 'ended': own records only; 'referred': no record;
 * - partners: only with an active enrolment naming their organisation number, only the needs
 *   and payments their organisation recorded; auditors everything.
 *
 * Seedable: FC_SEED=<n> (and FC_PATH) replay a failure; FC_RUNS overrides the run count.
 */

const UNITS: Unit[] = ['HVK', 'BFT', 'NAV', 'INN', 'OPPVEKST'];
const ORGS = ['971373032', '993155497'];
const CATEGORIES: DataCategory[] = ['needs', 'decisions', 'payments', 'health'];
/** Decision types of every unit, the health-and-care ones marked (independently of the catalogue). */
const DECISION_TYPES: Array<{ unit: Unit; type: DecisionTypeCode; health: boolean }> = [
  { unit: 'HVK', type: 'adult-health-care-service', health: true },
  { unit: 'HVK', type: 'coordinator-adult', health: true },
  { unit: 'HVK', type: 'municipal-housing', health: false },
  { unit: 'BFT', type: 'child-welfare-support-measure', health: false },
  { unit: 'BFT', type: 'coordinator-child', health: true },
  { unit: 'NAV', type: 'economic-social-assistance', health: false },
  { unit: 'INN', type: 'introduction-programme', health: false },
  { unit: 'OPPVEKST', type: 'kindergarten-fee-reduction', health: false },
];
const HEALTH_TYPES = new Set(DECISION_TYPES.filter((d) => d.health).map((d) => d.type));
const BASE_DAY = '2026-11-27';
const day = (offset: number) => addDays(BASE_DAY, offset);

type Recorder = { unit: Unit } | { org: string };
type Gen = {
  members: Array<{ role: 'adult' | 'child'; left: boolean; protection: AddressProtection }>;
  registeredBy: Unit;
  referrals: Array<{ to: Unit; members: number[]; answer: 'open' | 'accepted' | 'declined' }>;
  closes: Unit[];
  enrolments: Array<{ responsible: Unit; members: number[]; partners: string[]; active: boolean }>;
  needs: Array<{ by: Recorder; member: number | null; pickedUp: Unit[] }>;
  decisions: Array<{ kind: number; members: number[]; approved: boolean }>;
  payments: Array<{ by: Recorder; recipient: number; answersDecision: number | null; answersNeed: number | null }>;
  consents: Array<{
    member: number;
    kind: ConsentKind;
    toUnits: Unit[];
    sourceUnits: Unit[] | null;
    categories: DataCategory[];
    from: number;
    until: number;
    withdrawn: { effectiveFrom: number } | null;
  }>;
};

const recorder = fc.oneof(
  { weight: 3, arbitrary: fc.constantFrom(...UNITS).map((unit): Recorder => ({ unit })) },
  { weight: 1, arbitrary: fc.constantFrom(...ORGS).map((org): Recorder => ({ org })) },
);
const subset = <T>(values: T[]) => fc.subarray(values, { minLength: 1 });

const familyArb: fc.Arbitrary<Gen> = fc
  .array(
    fc.record({
      role: fc.constantFrom('adult' as const, 'child' as const),
      left: fc.boolean(),
      protection: fc.constantFrom<AddressProtection>('none', 'none', 'none', 'fortrolig', 'strengt-fortrolig'),
    }),
    { minLength: 1, maxLength: 4 },
  )
  .chain((members) => {
    const member = fc.nat({ max: members.length - 1 });
    const members1 = fc.uniqueArray(member, { minLength: 1, maxLength: 3 });
    return fc.record({
      members: fc.constant(members),
      registeredBy: fc.constantFrom(...UNITS),
      referrals: fc.array(
        fc.record({ to: fc.constantFrom(...UNITS), members: members1, answer: fc.constantFrom('open' as const, 'accepted' as const, 'declined' as const) }),
        { maxLength: 3 },
      ),
      closes: fc.subarray(UNITS, { maxLength: 2 }),
      enrolments: fc.array(fc.record({ responsible: fc.constantFrom(...UNITS), members: members1, partners: subset(ORGS), active: fc.boolean() }), {
        maxLength: 2,
      }),
      needs: fc.array(fc.record({ by: recorder, member: fc.option(member, { nil: null }), pickedUp: fc.subarray(UNITS, { maxLength: 2 }) }), { maxLength: 5 }),
      decisions: fc.array(fc.record({ kind: fc.nat({ max: DECISION_TYPES.length - 1 }), members: members1, approved: fc.boolean() }), { maxLength: 5 }),
      payments: fc.array(
        fc.record({
          by: recorder,
          recipient: member,
          answersDecision: fc.option(fc.nat({ max: 4 }), { nil: null }),
          answersNeed: fc.option(fc.nat({ max: 4 }), { nil: null }),
        }),
        { maxLength: 5 },
      ),
      consents: fc.array(
        fc.record({
          member,
          kind: fc.constantFrom<ConsentKind>('information-sharing', 'information-sharing', 'information-sharing', 'combine-family-decision'),
          toUnits: subset(UNITS),
          sourceUnits: fc.option(subset(UNITS), { nil: null }),
          categories: subset(CATEGORIES),
          from: fc.integer({ min: -20, max: 10 }),
          until: fc.integer({ min: -10, max: 20 }),
          withdrawn: fc.option(fc.record({ effectiveFrom: fc.integer({ min: -10, max: 10 }) }), { nil: null, freq: 3 }),
        }),
        { maxLength: 8 },
      ),
    });
  });

const readerArb: fc.Arbitrary<Reader> = fc.oneof(
  { weight: 6, arbitrary: fc.constantFrom(...UNITS).map((unit): Reader => ({ kind: 'unit', unit })) },
  { weight: 2, arbitrary: fc.constantFrom(...ORGS, '982523281').map((organisationNumber): Reader => ({ kind: 'partner', organisationNumber })) },
  { weight: 1, arbitrary: fc.constant<Reader>({ kind: 'auditor' }) },
);
const dayArb = fc.integer({ min: -15, max: 15 });

/** The generated family as events, folded by the domain's own fold. */
function build(gen: Gen): FamilyState {
  const mid = (i: number) => `m${i}`;
  const by = (r: Recorder) => ('unit' in r ? unitRef(r.unit) : partnerRef(r.org));
  const stamp = (r: Recorder) => ({ at: AT, by: by(r) });
  const members: MemberDetails[] = gen.members.map((m, i) => ({
    memberId: mid(i),
    name: `M${i}`,
    birthDate: m.role === 'adult' ? '1985-01-01' : '2015-01-01',
    role: m.role,
    nationalId: `0101${i}`,
    preferredLanguage: 'so',
    protectedAddress: m.protection !== 'none',
    addressProtection: m.protection,
  }));
  const registrar = { unit: gen.registeredBy };
  const events: FamilyEvent[] = [
    {
      type: 'FamilyRegistered',
      data: { familyId: 'f', district: 'Heimdal', registeredOn: '2026-01-01', members, parentalResponsibility: [], ...stamp(registrar) },
    },
  ];
  gen.referrals.forEach((r, i) => {
    events.push({
      type: 'ReferralRecorded',
      data: {
        referralId: `r${i}`,
        fromUnit: gen.registeredBy,
        toUnit: r.to,
        memberIds: r.members.map(mid),
        reason: 'R',
        ground: 'consent',
        consentIds: [],
        ...stamp(registrar),
      },
    });
    if (r.answer === 'accepted')
      events.push({ type: 'ReferralAccepted', data: { referralId: `r${i}`, unit: r.to, since: '2026-02-01', ...stamp({ unit: r.to }) } });
    if (r.answer === 'declined') events.push({ type: 'ReferralDeclined', data: { referralId: `r${i}`, unit: r.to, reason: 'No', ...stamp({ unit: r.to }) } });
  });
  gen.enrolments.forEach((e, i) => {
    events.push({
      type: 'FamilyEnrolled',
      data: {
        enrolmentId: `e${i}`,
        subProjectId: `sp${i}`,
        subProjectName: 'S',
        responsibleUnit: e.responsible,
        memberIds: e.members.map(mid),
        partners: e.partners.map((organisationNumber) => ({ organisationNumber, name: `Org ${organisationNumber}`, mayRecordPayments: true })),
        ...stamp({ unit: e.responsible }),
      },
    });
    if (!e.active)
      events.push({ type: 'EnrolmentEnded', data: { enrolmentId: `e${i}`, reason: 'Over', contactPersonIds: [], ...stamp({ unit: e.responsible }) } });
  });
  gen.members.forEach(
    (m, i) => m.left && events.push({ type: 'MemberLeft', data: { memberId: mid(i), leftOn: '2026-06-01', reason: null, ...stamp(registrar) } }),
  );
  gen.needs.forEach((n, i) => {
    events.push({
      type: 'NeedExpressed',
      data: {
        needId: `n${i}`,
        memberId: n.member === null ? null : mid(n.member),
        words: 'W',
        expressedOn: '2026-09-01',
        recordedBy:
          'unit' in n.by
            ? { kind: 'unit', unit: n.by.unit, userId: 'u' }
            : { kind: 'partner', organisation: `Org ${n.by.org}`, organisationNumber: n.by.org, userId: 'p' },
        ...stamp(n.by),
      },
    });
    n.pickedUp.forEach((unit) => events.push({ type: 'NeedPickedUp', data: { needId: `n${i}`, unit, ...stamp({ unit }) } }));
  });
  gen.decisions.forEach((d, i) => {
    const { unit, type } = DECISION_TYPES[d.kind];
    events.push({
      type: 'DecisionProposed',
      data: {
        decisionId: `d${i}`,
        unit,
        decisionType: type,
        memberIds: d.members.map(mid),
        legalBasis: null,
        periodFrom: '2026-10-01',
        periodUntil: '2027-09-30',
        amounts: NO_AMOUNTS,
        reasons: 'R',
        enkeltvedtak: true,
        fourEyes: true,
        subProject: null,
        delegation: DELEGATION,
        ...stamp({ unit }),
      },
    });
    if (d.approved)
      events.push({ type: 'DecisionApproved', data: { decisionId: `d${i}`, notifiedOn: '2026-10-02', delegation: DELEGATION, ...stamp({ unit }) } });
  });
  gen.payments.forEach((p, i) => {
    const decisionId = p.answersDecision !== null && p.answersDecision < gen.decisions.length ? `d${p.answersDecision}` : null;
    const needId = p.answersNeed !== null && p.answersNeed < gen.needs.length ? `n${p.answersNeed}` : null;
    events.push({
      type: 'PaymentRecorded',
      data: {
        paymentId: `p${i}`,
        recipientMemberId: mid(p.recipient),
        amountOre: 1000,
        method: 'gift-card',
        funding: 'unit' in p.by ? { kind: 'unit', unit: p.by.unit } : { kind: 'sub-project', subProjectId: 'sp0' },
        answersNeedId: needId,
        answersDecisionId: decisionId,
        documentationRef: 'B',
        paidOn: '2026-11-01',
        countsAsIncome: false,
        ...stamp(p.by),
      },
    });
  });
  gen.consents.forEach((c, i) => {
    const giver = gen.members[c.member].role === 'adult' ? mid(c.member) : mid(0);
    events.push({
      type: 'ConsentGiven',
      data: {
        consentId: `c${i}`,
        memberId: mid(c.member),
        givenByMemberId: giver,
        givenAsGuardian: giver !== mid(c.member),
        kind: c.kind,
        sourceUnits: c.sourceUnits,
        toUnits: c.toUnits,
        dataCategories: c.categories,
        purpose: 'P',
        validFrom: day(c.from),
        validUntil: day(Math.max(c.from, c.until)),
        evidence: { form: 'written', documentRef: 'D' },
        // Recorded by the registering unit, which has a part anyway.
        ...stamp(registrar),
      },
    });
    if (c.withdrawn) {
      events.push({
        type: 'ConsentWithdrawn',
        data: {
          consentId: `c${i}`,
          effectiveFrom: day(c.withdrawn.effectiveFrom),
          reason: null,
          expressedByMemberId: null,
          channel: 'orally',
          alertedUnits: [],
          ...stamp(registrar),
        },
      });
    }
  });
  // Only a unit with a part closes its involvement (the decider refuses the rest).
  const withPart = new Set<Unit>([gen.registeredBy, ...gen.referrals.filter((r) => r.answer === 'accepted').map((r) => r.to)]);
  for (const unit of gen.closes.filter((u) => withPart.has(u)))
    events.push({ type: 'InvolvementClosed', data: { unit, reason: 'Done', contactPersonIds: [], ...stamp({ unit }) } });
  return fold(events);
}

// ---------- the oracle, from the rules ----------

type Facts = { units: Unit[]; org: string | null; category: DataCategory; about: string[] };

const currentAdultIds = (state: FamilyState) =>
  Object.values(state.members)
    .filter((m) => m.role === 'adult' && m.status === 'current')
    .map((m) => m.memberId);
const activeEnrolmentsNaming = (state: FamilyState, org: string | null) =>
  org === null ? [] : Object.values(state.enrolments).filter((e) => e.active && e.partners.some((p) => p.organisationNumber === org));
/** A partner's records are the responsible units' of every enrolment (active or ended) naming it. */
const partnerUnits = (state: FamilyState, org: string | null) =>
  org === null
    ? []
    : Object.values(state.enrolments)
        .filter((e) => e.partners.some((p) => p.organisationNumber === org))
        .map((e) => e.responsibleUnit);

function needFacts(state: FamilyState, needId: string): Facts {
  const n = state.needs[needId];
  const org = n.recordedBy.kind === 'partner' ? n.recordedBy.organisationNumber : null;
  return {
    units: [...(n.recordedBy.kind === 'unit' ? [n.recordedBy.unit] : partnerUnits(state, org)), ...n.pickedUpBy.map((p) => p.unit)],
    org,
    category: 'needs',
    about: n.memberId === null ? currentAdultIds(state) : [n.memberId],
  };
}
function decisionFacts(state: FamilyState, decisionId: string): Facts {
  const d = state.decisions[decisionId];
  return { units: [d.unit], org: null, category: HEALTH_TYPES.has(d.decisionType) ? 'health' : 'decisions', about: d.memberIds };
}
function paymentFacts(state: FamilyState, paymentId: string): Facts {
  const p = state.payments[paymentId];
  const org = p.recordedBy.role === 'partner' ? p.recordedBy.partnerOrganisation : null;
  const units: Unit[] = org ? partnerUnits(state, org) : p.recordedBy.unit ? [p.recordedBy.unit] : [];
  if (p.funding.kind === 'unit') units.push(p.funding.unit);
  return { units, org, category: 'payments', about: [p.recipientMemberId] };
}
function allFacts(state: FamilyState): Facts[] {
  return [
    ...Object.keys(state.needs).map((id) => needFacts(state, id)),
    ...Object.keys(state.decisions).map((id) => decisionFacts(state, id)),
    ...Object.keys(state.payments).map((id) => paymentFacts(state, id)),
  ];
}

function standing(state: FamilyState, reader: Reader): 'auditor' | 'part' | 'ended' | 'referred' | 'partner' | null {
  if (reader.kind === 'auditor') return 'auditor';
  if (reader.kind === 'partner') return activeEnrolmentsNaming(state, reader.organisationNumber).length ? 'partner' : null;
  if (reader.kind !== 'unit') return null;
  const u = reader.unit;
  if (state.parts[u]?.active) return 'part';
  const owns =
    allFacts(state).some((f) => f.units.includes(u)) ||
    Object.values(state.consents).some((c) => c.recordedBy.unit === u) ||
    Object.values(state.familyDecisions).some((f) => f.responsibleUnit === u);
  // A part that ended leaves only the unit's own records (nothing of its own: no standing).
  if (owns) return 'ended';
  if (Object.values(state.referrals).some((r) => r.toUnit === u && r.status === 'open')) return 'referred';
  return null;
}

/** Consents in force on the day, naming the unit, the category and an owner among the sources, of this member. */
function coveringConsents(state: FamilyState, memberId: string, unit: Unit, facts: Facts, today: string): string[] {
  return Object.values(state.consents)
    .filter(
      (c) =>
        c.kind === 'information-sharing' &&
        c.withdrawnAt === null &&
        c.validFrom <= today &&
        (c.validUntil === null || today <= c.validUntil) &&
        c.memberId === memberId &&
        c.toUnits.includes(unit) &&
        c.dataCategories.includes(facts.category) &&
        (c.sourceUnits === null || facts.units.some((o) => c.sourceUnits!.includes(o))),
    )
    .map((c) => c.consentId);
}
function mayRead(state: FamilyState, facts: Facts, reader: Reader, today: string): boolean {
  const s = standing(state, reader);
  if (s === 'auditor') return true;
  if (s === 'partner') return reader.kind === 'partner' && facts.org === reader.organisationNumber;
  if (reader.kind !== 'unit' || (s !== 'part' && s !== 'ended')) return false;
  if (facts.units.includes(reader.unit)) return true;
  return s === 'part' && facts.about.length > 0 && facts.about.every((m) => coveringConsents(state, m, reader.unit, facts, today).length > 0);
}
function expectedVisible(state: FamilyState, reader: Reader, today: string) {
  return {
    needs: Object.keys(state.needs)
      .filter((id) => mayRead(state, needFacts(state, id), reader, today))
      .sort(),
    decisions: Object.keys(state.decisions)
      .filter((id) => mayRead(state, decisionFacts(state, id), reader, today))
      .sort(),
    payments: Object.keys(state.payments)
      .filter((id) => mayRead(state, paymentFacts(state, id), reader, today))
      .sort(),
  };
}

const params = (numRuns: number): fc.Parameters<unknown> => ({
  numRuns: Number(process.env.FC_RUNS ?? numRuns),
  ...(process.env.FC_SEED ? { seed: Number(process.env.FC_SEED), path: process.env.FC_PATH } : {}),
});
const sorted = (records: object) => Object.keys(records).sort();
const strip = <T extends object>(record: T, keys: string[]) => Object.fromEntries(Object.entries(record).filter(([k]) => !keys.includes(k)));

describe('familyReadAccess (property-based)', () => {
  it('permits exactly the readers with a standing in the case (part, ended part or own records, open referral, enrolled partner, auditor)', () => {
    fc.assert(
      fc.property(familyArb, readerArb, dayArb, (gen, reader, offset) => {
        const state = build(gen);
        const today = day(offset);
        const decided = familyReadAccess(state, reader, today);
        const s = standing(state, reader);
        expect(decided.permit).toBe(s !== null);
        if (decided.permit) expect(decided.grant.standing).toBe(s);
      }),
      params(300),
    );
  });

  it('shows every record the rules allow (nothing more, nothing less), the relied-on consents sound, withheld counts only to a unit with a part', () => {
    fc.assert(
      fc.property(familyArb, readerArb, dayArb, (gen, reader, offset) => {
        const state = build(gen);
        const today = day(offset);
        const decided = familyReadAccess(state, reader, today);
        if (!decided.permit) return;
        const { state: shown, consentIds, withheld, standing: s } = decided.grant;
        const expected = expectedVisible(state, reader, today);
        expect({ needs: sorted(shown.needs), decisions: sorted(shown.decisions), payments: sorted(shown.payments) }).toEqual(expected);
        if (s === 'part' || s === 'auditor') {
          expect(withheld).toMatchObject({
            needs: Object.keys(state.needs).length - expected.needs.length,
            decisions: Object.keys(state.decisions).length - expected.decisions.length,
            payments: Object.keys(state.payments).length - expected.payments.length,
          });
        } else {
          expect(withheld).toBeNull();
        }
        if (s === 'auditor') expect(shown).toEqual(state);
        if (s === 'partner' || s === 'referred') {
          for (const empty of ['decisions', 'consents', 'familyDecisions', 'parts', 'team'] as const) {
            if (s === 'partner' && empty === 'team') continue;
            expect([empty, sorted(shown[empty])]).toEqual([empty, []]);
          }
          expect(shown.district).toBeNull();
          for (const m of Object.values(shown.members)) expect([m.birthDate, m.nationalId, m.preferredLanguage]).toEqual([null, null, null]);
        }
        if (s === 'ended') {
          expect(shown.team).toEqual({});
          expect(Object.values(shown.consents).every((c) => reader.kind === 'unit' && c.recordedBy.unit === reader.unit)).toBe(true);
        }
        // Consents relied on: each information-sharing, in force on the day, naming the reader's unit.
        for (const id of consentIds) {
          const c = state.consents[id];
          expect(s).toBe('part');
          expect(c.kind === 'information-sharing' && c.withdrawnAt === null && c.validFrom <= today && (c.validUntil === null || today <= c.validUntil)).toBe(
            true,
          );
          expect(reader.kind === 'unit' && c.toUnits.includes(reader.unit)).toBe(true);
        }
      }),
      params(300),
    );
  });

  it('never invents a record and never leaves a reference to a hidden one', () => {
    fc.assert(
      fc.property(familyArb, readerArb, dayArb, (gen, reader, offset) => {
        const state = build(gen);
        const decided = familyReadAccess(state, reader, day(offset));
        if (!decided.permit) return;
        const shown = decided.grant.state;
        for (const kind of [
          'needs',
          'decisions',
          'payments',
          'consents',
          'appeals',
          'familyDecisions',
          'referrals',
          'parts',
          'enrolments',
          'members',
          'team',
        ] as const) {
          for (const id of Object.keys(shown[kind])) expect(state[kind]).toHaveProperty([id]);
        }
        for (const [id, n] of Object.entries(shown.needs)) {
          expect(strip(n, ['decisionIds', 'paymentIds', 'pickedUpBy', 'resolution'])).toEqual(
            strip(state.needs[id], ['decisionIds', 'paymentIds', 'pickedUpBy', 'resolution']),
          );
          n.decisionIds.forEach((d) => expect(shown.decisions).toHaveProperty([d]));
          n.paymentIds.forEach((p) => expect(shown.payments).toHaveProperty([p]));
        }
        for (const [id, p] of Object.entries(shown.payments)) {
          expect(strip(p, ['answersNeedId', 'answersDecisionId'])).toEqual(strip(state.payments[id], ['answersNeedId', 'answersDecisionId']));
          if (p.answersDecisionId !== null) expect(shown.decisions).toHaveProperty([p.answersDecisionId]);
          if (p.answersNeedId !== null) expect(shown.needs).toHaveProperty([p.answersNeedId]);
          const original = state.payments[id];
          if (original.answersDecisionId !== null && original.answersDecisionId in shown.decisions)
            expect(p.answersDecisionId).toBe(original.answersDecisionId);
        }
        for (const [id, d] of Object.entries(shown.decisions)) expect(d).toEqual(state.decisions[id]);
        for (const r of Object.values(shown.referrals)) r.consentIds.forEach((c) => expect(shown.consents).toHaveProperty([c]));
      }),
      params(300),
    );
  });

  it('without clearance, nothing of a kode 6 member and no district, names of people or places, or free text when a current member has kode 6 or 7', () => {
    fc.assert(
      fc.property(familyArb, readerArb, dayArb, (gen, reader, offset) => {
        const state = build(gen);
        const decided = familyReadAccess(state, reader, day(offset));
        if (!decided.permit) return;
        const { state: masked } = maskFamilyState(decided.grant.state, {});
        const text = JSON.stringify(masked);
        gen.members.forEach((m, i) => {
          if (m.protection === 'strengt-fortrolig') {
            expect(masked.members[`m${i}`] === undefined || masked.members[`m${i}`].name === null).toBe(true);
            expect(text.includes(`"0101${i}"`)).toBe(false);
          }
        });
        if (gen.members.some((m) => !m.left && m.protection !== 'none')) {
          expect(masked.district).toBeNull();
          expect(text.includes('Org ')).toBe(false);
          expect(Object.values(masked.needs).every((n) => n.words === null)).toBe(true);
        }
      }),
      params(200),
    );
  });
});
