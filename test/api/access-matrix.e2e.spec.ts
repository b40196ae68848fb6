import { randomUUID } from 'node:crypto';
import { ProjectionDaemon } from '@familievedtak/projections';
import { familyStreamId, type DecisionTypeCode, type Role, type Unit } from '@familievedtak/domain';
import { EVENT_STORE, type EventStore } from '@familievedtak/event-store';
import { Headers, TestApp, createTestApp, headersFor } from '../support/test-app';
import { proposalBody, revokeBody, detrimentalChange } from '../support/parts';

/**
 * The read-access matrix through the API against real PostgreSQL: every consent state × the
 * consented data category × the consented unit, read by every role for every unit (and the
 * auditor, partners and the rules analyst). NAV registers each family (its part in the case);
 * the other four units get theirs by accepting NAV's referral; NAV enrols the mother in a
 * sub-project naming Trondheim Red Cross (by organisation number). Each family holds records
 * of all five units and of the partner; what each reader must see is computed by the oracle
 * below, written from the rules of the design note ("Reading") and NOT by calling familyReadAccess:
 *
 * - a unit with an active part sees its own records (needs recorded or picked up by it, its
 *   decisions, payments recorded or funded by it, and the partner's records of the enrolment
 *   it is responsible for), and another unit's record only while, for every member it is
 *   about, a consent of that member in force (information-sharing, not withdrawn, validFrom
 *   <= today <= validUntil) names the reader's unit, the record's category (health for
 *   health-and-care decisions) and an owner of the record among its sources (forvaltningsloven
 *   § 13 and § 13 a no. 1);
 * - auditors see everything; a partner only what its organisation recorded, and only with an
 *   active enrolment naming it; rules analysts get 403 (route policy);
 * - the child has fortrolig adresse (kode 7): for every reader without clearance the district,
 *   names of places and people and free text are withheld (names of members stay).
 *
 * The referrals rest on the mother's consent sharing NAV's health records (NAV has none, so it
 * opens nothing). Access is decided on the real day (the app's clock), so the consent windows
 * are chosen far from it: in force 2026-01-01..2030-12-31, expired 2025 (appended to the log
 * directly: the API refuses recording a consent that is already past), and withdrawn.
 */

const UNITS: Unit[] = ['HVK', 'BFT', 'NAV', 'INN', 'OPPVEKST'];
const MUNICIPAL_ROLES: Role[] = ['caseworker', 'approver', 'unit-leader'];
const CATEGORIES = ['needs', 'decisions', 'payments', 'health'] as const;
type Category = (typeof CATEGORIES)[number];
const CONSENT_STATES = ['none', 'in-force', 'expired', 'withdrawn'] as const;
type ConsentState = (typeof CONSENT_STATES)[number];
/** Trondheim Red Cross and Saupstad IL (not in the sub-project), by organisation number. */
const PARTNER_ORG = '971373032';
const OTHER_ORG = '993155497';

const caseworker = (unit: Unit) => headersFor({ userId: `${unit.toLowerCase()}-cw`, role: 'caseworker', unit });
const approver = (unit: Unit) => headersFor({ userId: `${unit.toLowerCase()}-ap`, role: 'approver', unit });
const partnerHeaders = headersFor({ userId: 'rk-ingrid', role: 'partner', org: PARTNER_ORG });

type RecordFacts = { id: string; owners: Unit[]; partnerOrg: string | null; category: Category; about: Array<'adult' | 'child'> };

type Family = {
  familyId: string;
  adultId: string;
  childId: string;
  state: ConsentState;
  category: Category | null;
  consentedUnit: Unit | null;
  consentIds: { adult: string; child: string } | null;
  needs: RecordFacts[];
  decisions: RecordFacts[];
  payments: RecordFacts[];
  /** NAV's payment answers NAV's decision: the link must be cut when the decision is hidden. */
  navPaymentId: string;
  navDecisionId: string;
};

type Reader =
  | { label: string; headers: Headers; kind: 'unit'; unit: Unit }
  | { label: string; headers: Headers; kind: 'auditor' | 'partner' | 'other-partner' | 'rules-analyst' };

const READERS: Reader[] = [
  ...MUNICIPAL_ROLES.flatMap((role) =>
    UNITS.map((unit): Reader => ({ label: `${role}@${unit}`, kind: 'unit', unit, headers: headersFor({ userId: `${role}-${unit}-reader`, role, unit }) })),
  ),
  { label: 'auditor', kind: 'auditor', headers: headersFor({ userId: 'audit-anne', role: 'auditor' }) },
  { label: `partner ${PARTNER_ORG}`, kind: 'partner', headers: headersFor({ userId: 'rk-reader', role: 'partner', org: PARTNER_ORG }) },
  { label: `partner ${OTHER_ORG}`, kind: 'other-partner', headers: headersFor({ userId: 'il-reader', role: 'partner', org: OTHER_ORG }) },
  { label: 'rules-analyst', kind: 'rules-analyst', headers: headersFor({ userId: 'rules-team', role: 'rules-analyst' }) },
];

/** The oracle: may this reader see this record of this family? And through which consents? */
function oracle(family: Family, reader: Reader) {
  if (reader.kind === 'rules-analyst' || reader.kind === 'other-partner') return { permit: false as const };
  const consentIds = new Set<string>();
  const visible = (record: RecordFacts): boolean => {
    if (reader.kind === 'auditor') return true;
    if (reader.kind === 'partner') return record.partnerOrg === PARTNER_ORG;
    if (reader.kind !== 'unit') return false;
    if (record.owners.includes(reader.unit)) return true;
    // The matrix consents name every unit among their sources: any owner is one.
    const covered =
      family.state === 'in-force' &&
      family.consentedUnit === reader.unit &&
      family.category === record.category &&
      record.about.length > 0 &&
      record.owners.length > 0;
    if (covered) record.about.forEach((who) => consentIds.add(family.consentIds![who]));
    return covered;
  };
  const ids = (records: RecordFacts[]) =>
    records
      .filter(visible)
      .map((r) => r.id)
      .sort();
  const seen = { needs: ids(family.needs), decisions: ids(family.decisions), payments: ids(family.payments) };
  return { permit: true as const, seen, consentIds: [...consentIds].sort() };
}

describe('API: the read-access matrix (PostgreSQL, projections running)', () => {
  let api: TestApp;
  let store: EventStore;
  const families: Family[] = [];
  const subProjectId = `sp-${randomUUID().slice(0, 8)}`;

  const send = async (url: string, headers: Headers, body: unknown = {}) => {
    const response = await api.inject('POST', url, headers, body);
    if (response.statusCode >= 300) throw new Error(`${url}: ${response.statusCode} ${response.body}`);
    return response;
  };
  const caughtUp = () => api.app.get(ProjectionDaemon).runner('family-view')!.waitUntilCaughtUp();

  /** NAV registers the family; the other units accept NAV's referrals (under the mother's consent). */
  async function registerWithParts(
    familyId: string,
    members: object[],
    adultId: string,
    parentalResponsibility: object[],
    units: Unit[] = ['HVK', 'BFT', 'INN', 'OPPVEKST'],
  ) {
    await send('/families', caseworker('NAV'), { familyId, district: 'Heimdal', members, parentalResponsibility });
    const f = `/families/${familyId}`;
    await send(`${f}/consents`, caseworker('NAV'), {
      memberId: adultId,
      givenByMemberId: adultId,
      kind: 'information-sharing',
      sourceUnits: ['NAV'],
      toUnits: units,
      dataCategories: ['health'],
      purpose: 'Henvisning til tjenestene',
      validFrom: '2026-01-01',
      validUntil: '2030-12-31',
      evidence: { form: 'written', documentRef: 'ARK-HENVISNING' },
    });
    for (const unit of units) {
      const referralId = randomUUID();
      await send(`${f}/referrals`, caseworker('NAV'), { referralId, toUnit: unit, memberIds: [adultId], reason: `Henvist til ${unit}` });
      await send(`${f}/referrals/${referralId}/accept`, caseworker(unit));
    }
  }

  /** A consent recorded by NAV, appended to the log as the decider would have written it (for windows the API no longer accepts). */
  async function appendConsent(familyId: string, data: Record<string, unknown>) {
    await store.appendToStream(
      familyStreamId(familyId),
      [
        {
          id: randomUUID(),
          type: 'ConsentGiven',
          data: {
            kind: 'information-sharing',
            purpose: 'One plan for the family',
            evidence: { form: 'written', documentRef: 'ARK-2025' },
            givenAsGuardian: false,
            at: '2025-01-01T09:00:00.000Z',
            by: { userId: 'nav-cw', role: 'caseworker', unit: 'NAV', partnerOrganisation: null },
            ...data,
          } as never,
        },
      ],
      { expectedRevision: 'any' },
    );
  }

  async function seedFamily(state: ConsentState, category: Category | null, consentedUnit: Unit | null): Promise<Family> {
    const familyId = randomUUID();
    const adultId = randomUUID();
    const childId = randomUUID();
    await registerWithParts(
      familyId,
      [
        { memberId: adultId, name: 'Amina', birthDate: '1988-03-02', role: 'adult', nationalId: '02038812345' },
        // Fortrolig adresse (kode 7): the district and names of places are withheld from every reader without clearance.
        { memberId: childId, name: 'Yusuf', birthDate: '2016-09-14', role: 'child', addressProtection: 'fortrolig' },
      ],
      adultId,
      [{ childId, holderId: adultId, basis: 'birth-registration' }],
    );
    const f = `/families/${familyId}`;
    await send(`${f}/enrolments`, caseworker('NAV'), { subProjectId, memberIds: [adultId] });
    const about = (unit: Unit): 'adult' | 'child' => (unit === 'BFT' || unit === 'OPPVEKST' ? 'child' : 'adult');
    const memberOf = (who: 'adult' | 'child') => (who === 'adult' ? adultId : childId);

    // Needs: one per unit, and the partner's need (NAV's enrolment: NAV's too) that NAV picked up.
    const needs: RecordFacts[] = [];
    for (const unit of UNITS) {
      const needId = randomUUID();
      await send(`${f}/needs`, caseworker(unit), { needId, memberId: memberOf(about(unit)), words: `Need for ${unit} i Heimdal`, expressedOn: '2026-09-01' });
      needs.push({ id: needId, owners: [unit], partnerOrg: null, category: 'needs', about: [about(unit)] });
    }
    const partnerNeed = randomUUID();
    await send(`${f}/needs`, partnerHeaders, { needId: partnerNeed, memberId: adultId, words: 'Vil gjerne lære å sykle', expressedOn: '2026-09-02' });
    await send(`${f}/needs/${partnerNeed}/pick-up`, caseworker('NAV'));
    needs.push({ id: partnerNeed, owners: ['NAV'], partnerOrg: PARTNER_ORG, category: 'needs', about: ['adult'] });

    // Decisions: one per unit (HVK's housing about both members), plus HVK's health decision.
    const plan: Array<{ unit: Unit; decisionType: DecisionTypeCode; about: Array<'adult' | 'child'>; category: Category }> = [
      { unit: 'HVK', decisionType: 'municipal-housing', about: ['adult', 'child'], category: 'decisions' },
      { unit: 'HVK', decisionType: 'adult-health-care-service', about: ['adult'], category: 'health' },
      { unit: 'BFT', decisionType: 'child-welfare-support-measure', about: ['child'], category: 'decisions' },
      { unit: 'NAV', decisionType: 'economic-social-assistance', about: ['adult'], category: 'decisions' },
      { unit: 'INN', decisionType: 'introduction-programme', about: ['adult'], category: 'decisions' },
      { unit: 'OPPVEKST', decisionType: 'kindergarten-fee-reduction', about: ['child'], category: 'decisions' },
    ];
    const decisions: RecordFacts[] = [];
    let navDecisionId = '';
    for (const d of plan) {
      const decisionId = randomUUID();
      await send(
        `${f}/decisions`,
        caseworker(d.unit),
        proposalBody({
          decisionId,
          unit: d.unit,
          decisionType: d.decisionType,
          memberIds: d.about.map(memberOf),
          children: d.about.includes('child') ? [childId] : [],
          periodFrom: '2026-10-01',
          periodUntil: '2027-09-30',
          amounts: { monthlyAmountOre: 100_000 },
          summary: `Decided by ${d.unit}.`,
        }),
      );
      await send(`${f}/decisions/${decisionId}/approve`, approver(d.unit));
      decisions.push({ id: decisionId, owners: [d.unit], partnerOrg: null, category: d.category, about: d.about });
      if (d.unit === 'NAV') navDecisionId = decisionId;
    }

    // Payments: one per unit from its own budget, and the partner's from the sub-project (NAV's enrolment).
    const payments: RecordFacts[] = [];
    let navPaymentId = '';
    for (const unit of UNITS) {
      const paymentId = randomUUID();
      await send(`${f}/payments`, caseworker(unit), {
        paymentId,
        recipientMemberId: memberOf(about(unit)),
        amountOre: 50_000,
        method: 'bank-transfer',
        funding: { kind: 'unit', unit },
        answersDecisionId: unit === 'NAV' ? navDecisionId : undefined,
        documentationRef: `BILAG-${unit}`,
        paidOn: '2026-11-01',
      });
      payments.push({ id: paymentId, owners: [unit], partnerOrg: null, category: 'payments', about: [about(unit)] });
      if (unit === 'NAV') navPaymentId = paymentId;
    }
    const partnerPayment = randomUUID();
    await send(`${f}/payments`, partnerHeaders, {
      paymentId: partnerPayment,
      recipientMemberId: adultId,
      amountOre: 20_000,
      method: 'gift-card',
      funding: { kind: 'sub-project', subProjectId },
      documentationRef: 'KVITTERING',
      paidOn: '2026-11-02',
    });
    payments.push({ id: partnerPayment, owners: ['NAV'], partnerOrg: PARTNER_ORG, category: 'payments', about: ['adult'] });

    // Consents: the adult for herself, and as guardian for the child, same units/category/state, every unit's records.
    let consentIds: Family['consentIds'] = null;
    if (state !== 'none') {
      consentIds = { adult: randomUUID(), child: randomUUID() };
      for (const [who, consentId] of Object.entries(consentIds) as Array<['adult' | 'child', string]>) {
        const consent = {
          consentId,
          memberId: memberOf(who),
          givenByMemberId: adultId,
          sourceUnits: UNITS,
          toUnits: [consentedUnit],
          dataCategories: [category],
        };
        if (state === 'expired') {
          await appendConsent(familyId, { ...consent, givenAsGuardian: who === 'child', validFrom: '2025-01-01', validUntil: '2025-12-31' });
          continue;
        }
        await send(`${f}/consents`, caseworker('NAV'), {
          ...consent,
          kind: 'information-sharing',
          purpose: 'One plan for the family',
          validFrom: '2026-01-01',
          validUntil: '2030-12-31',
          evidence: { form: 'oral', note: 'Sa ja' },
        });
        if (state === 'withdrawn') {
          await send(`${f}/consents/${consentId}/withdraw`, caseworker('NAV'), { reason: 'No longer wanted', expressedByMemberId: adultId, channel: 'orally' });
        }
      }
    }
    return { familyId, adultId, childId, state, category, consentedUnit, consentIds, needs, decisions, payments, navPaymentId, navDecisionId };
  }

  beforeAll(async () => {
    api = await createTestApp({ runProjections: true, poolSize: 20 });
    store = api.app.get(EVENT_STORE);
    await send('/sub-projects', headersFor({ userId: 'nav-leder', role: 'unit-leader', unit: 'NAV' }), {
      subProjectId,
      name: 'Fritid for alle',
      responsibleUnit: 'NAV',
      goals: ['Every child takes part in a leisure activity'],
      firstSemester: '2026-autumn',
      actors: [
        { name: 'NAV Falkenborg', municipal: true, unit: 'NAV' },
        { name: 'BFT', municipal: true, unit: 'BFT' },
        { name: 'Trondheim Red Cross', municipal: false, organisationNumber: PARTNER_ORG, mayRecordPayments: true },
      ],
    });
    const combos: Array<[ConsentState, Category | null, Unit | null]> = [['none', null, null]];
    for (const state of CONSENT_STATES.filter((s) => s !== 'none')) {
      for (const category of CATEGORIES) for (const unit of UNITS) combos.push([state, category, unit]);
    }
    // Families in parallel, a few at a time (each family's commands in order: one stream, one writer).
    for (let i = 0; i < combos.length; i += 16) {
      families.push(...(await Promise.all(combos.slice(i, i + 16).map(([state, category, unit]) => seedFamily(state, category, unit)))));
    }
    await caughtUp();
  }, 300_000);
  afterAll(() => api?.close());

  it('seeds one family per consent state × category × consented unit (plus one without consent)', () => {
    expect(families).toHaveLength(1 + 3 * CATEGORIES.length * UNITS.length);
  });

  it.each(READERS.map((r) => [r.label, r] as const))(
    '%s: GET /families/:id permits/denies and shows exactly the records the rules allow (view, stream state, view for a past day)',
    async (_label, reader) => {
      const failures: unknown[] = [];
      await Promise.all(
        families.map(async (family) => {
          const response = await api.inject('GET', `/families/${family.familyId}`, reader.headers);
          const expected = oracle(family, reader);
          const where = { family: `${family.state}/${family.category}/${family.consentedUnit}`, reader: reader.label };
          // The same decision through the stream state, and through the view asked for a past day
          // (2025-06-01: the expired consents were valid then, the withdrawn ones not yet withdrawn):
          // access is decided on the real day, so the past never revives a consent.
          const [stream, past] = await Promise.all([
            api.inject('GET', `/families/${family.familyId}/stream-state`, reader.headers),
            api.inject('GET', `/families/${family.familyId}?today=2025-06-01`, reader.headers),
          ]);
          if (!expected.permit) {
            if (response.statusCode !== 403 || stream.statusCode !== 403 || past.statusCode !== 403) {
              failures.push({ ...where, expected: 403, got: [response.statusCode, stream.statusCode, past.statusCode] });
            }
            for (const leak of ['Heimdal', 'Amina', 'Yusuf']) if (response.body.includes(leak)) failures.push({ ...where, leak });
            return;
          }
          if (stream.statusCode !== 200 || past.statusCode !== 200) {
            failures.push({ ...where, expected: 200, stream: stream.statusCode, past: past.statusCode });
            return;
          }
          const state = stream.json().state;
          const fromStream = {
            needs: Object.keys(state.needs).sort(),
            decisions: Object.keys(state.decisions).sort(),
            payments: Object.keys(state.payments).sort(),
          };
          if (JSON.stringify(fromStream) !== JSON.stringify(expected.seen))
            failures.push({ ...where, read: 'stream-state', want: expected.seen, got: fromStream });
          if (JSON.stringify([...stream.json().access.consentIds].sort()) !== JSON.stringify(expected.consentIds)) {
            failures.push({ ...where, read: 'stream-state consentIds', want: expected.consentIds, got: stream.json().access.consentIds });
          }
          if (!(state.district === null && state.withheld === 'protected-address'))
            failures.push({ ...where, read: 'stream-state masking', district: state.district });
          const pastView = past.json();
          const fromPast = {
            needs: [...pastView.needs.open, ...pastView.needs.resolved, ...pastView.needs.withdrawn].map((n: { needId: string }) => n.needId).sort(),
            decisions: pastView.decisions.map((d: { decisionId: string }) => d.decisionId).sort(),
            payments: pastView.payments.items.map((p: { paymentId: string }) => p.paymentId).sort(),
          };
          const beyond = [
            ...fromPast.needs.filter((id: string) => !expected.seen.needs.includes(id)),
            ...fromPast.decisions.filter((id: string) => !expected.seen.decisions.includes(id)),
            ...fromPast.payments.filter((id: string) => !expected.seen.payments.includes(id)),
          ];
          if (beyond.length || JSON.stringify([...pastView.access.consentIds].sort()) !== JSON.stringify(expected.consentIds)) {
            failures.push({ ...where, read: '?today=2025-06-01', beyond, consentIds: pastView.access.consentIds, want: expected.consentIds });
          }
          if (response.statusCode !== 200) {
            failures.push({ ...where, expected: 200, got: response.statusCode, body: response.body });
            return;
          }
          const view = response.json();
          const seen = {
            needs: [...view.needs.open, ...view.needs.resolved, ...view.needs.withdrawn].map((n: { needId: string }) => n.needId).sort(),
            decisions: view.decisions.map((d: { decisionId: string }) => d.decisionId).sort(),
            payments: view.payments.items.map((p: { paymentId: string }) => p.paymentId).sort(),
          };
          const got = { seen, consentIds: [...view.access.consentIds].sort() };
          const want = { seen: expected.seen, consentIds: expected.consentIds };
          if (JSON.stringify(got) !== JSON.stringify(want)) failures.push({ ...where, want, got });
          // NAV's payment answers NAV's decision: the link is shown only with the decision.
          const navPayment = view.payments.items.find((p: { paymentId: string }) => p.paymentId === family.navPaymentId);
          if (navPayment) {
            const link = expected.seen.decisions.includes(family.navDecisionId) ? family.navDecisionId : null;
            if (navPayment.answersDecisionId !== link) failures.push({ ...where, navPaymentLink: navPayment.answersDecisionId, want: link });
          }
          // The child's fortrolig adresse: the district and free text withheld for every reader here (none is cleared).
          if (!(view.district === null && view.withheld === 'protected-address')) failures.push({ ...where, district: view.district, withheld: view.withheld });
          for (const leak of ['Heimdal', 'BILAG', 'Vil gjerne']) if (response.body.includes(leak)) failures.push({ ...where, leak });
          if (reader.kind === 'partner') {
            // Names of the enrolled member only; no withheld counts, no team, parts or consents.
            const members = view.members.map((m: { memberId: string; birthDate: string | null }) => [m.memberId, m.birthDate]);
            if (JSON.stringify(members) !== JSON.stringify([[family.adultId, null]])) failures.push({ ...where, members });
            if (view.access.withheld !== null || view.parts.length || view.team.contactPersons.length || view.consents.inForce.length) {
              failures.push({ ...where, partnerSaw: { withheld: view.access.withheld, parts: view.parts.length, consents: view.consents.inForce.length } });
            }
            return;
          }
          // Withheld counts: everything not shown.
          const withheld = {
            needs: family.needs.length - expected.seen.needs.length,
            decisions: family.decisions.length - expected.seen.decisions.length,
            payments: family.payments.length - expected.seen.payments.length,
          };
          if (!(
            view.access.withheld.needs === withheld.needs &&
            view.access.withheld.decisions === withheld.decisions &&
            view.access.withheld.payments === withheld.payments
          )) {
            failures.push({ ...where, withheld: view.access.withheld, want: withheld });
          }
          if (view.parts.length !== 5) failures.push({ ...where, parts: view.parts.length });
        }),
      );
      expect(failures).toEqual([]);
    },
  );

  it.each(READERS.map((r) => [r.label, r] as const))(
    '%s: GET /families lists a family exactly when its view is permitted, with counts of visible records only',
    async (_label, reader) => {
      const response = await api.inject('GET', '/families?limit=200', reader.headers);
      if (reader.kind === 'rules-analyst') {
        expect(response.statusCode).toBe(403);
        return;
      }
      expect(response.statusCode).toBe(200);
      const { items, nextCursor } = response.json() as {
        items: Array<{ familyId: string; openNeeds: number; activeDecisions: number; district: string | null }>;
        nextCursor: string | null;
      };
      expect(nextCursor).toBeNull();
      const byId = new Map(items.map((i) => [i.familyId, i]));
      // Asked for a past day (when the expired consents held, before the withdrawals): the same families.
      const past = await api.inject('GET', '/families?limit=200&today=2025-06-01', reader.headers);
      expect(past.statusCode).toBe(200);
      const pastIds = new Set((past.json().items as Array<{ familyId: string }>).map((i) => i.familyId));
      const failures: unknown[] = [];
      for (const family of families)
        if (pastIds.has(family.familyId) !== byId.has(family.familyId)) failures.push({ family: family.familyId, pastDay: pastIds.has(family.familyId) });
      for (const family of families) {
        const expected = oracle(family, reader);
        const item = byId.get(family.familyId);
        const where = { family: `${family.state}/${family.category}/${family.consentedUnit}`, reader: reader.label };
        if (Boolean(item) !== expected.permit) failures.push({ ...where, listed: Boolean(item), permit: expected.permit });
        if (item && expected.permit) {
          // Every need is open and every decision active (periods 2026-10-01..2027-09-30).
          if (item.openNeeds !== expected.seen.needs.length || item.activeDecisions !== expected.seen.decisions.length) {
            failures.push({
              ...where,
              openNeeds: item.openNeeds,
              activeDecisions: item.activeDecisions,
              want: [expected.seen.needs.length, expected.seen.decisions.length],
            });
          }
          if (item.district !== null) failures.push({ ...where, district: item.district });
        }
      }
      expect(failures).toEqual([]);
      // The district is withheld from every reader here: the filter matches none of these families.
      const byDistrict = ((await api.inject('GET', '/families?limit=200&district=Heimdal', reader.headers)).json().items as Array<{ familyId: string }>).map(
        (i) => i.familyId,
      );
      expect(byDistrict.filter((id) => families.some((f) => f.familyId === id))).toEqual([]);
    },
  );

  it('a reader cleared for protected addresses sees the district and the text (same records as without clearance)', async () => {
    const cleared = headersFor({ userId: 'nav-cleared', role: 'caseworker', unit: 'NAV', clearances: ['protected-address'] });
    const plain = READERS.find((r) => r.label === 'caseworker@NAV')!;
    for (const family of families.slice(0, 5)) {
      const view = (await api.inject('GET', `/families/${family.familyId}`, cleared)).json();
      expect(view.members.find((m: { memberId: string }) => m.memberId === family.childId)).toMatchObject({
        name: 'Yusuf',
        birthDate: '2016-09-14',
        addressProtection: 'fortrolig',
      });
      expect(view.district).toBe('Heimdal');
      expect(view.withheld).toBeNull();
      const expected = oracle(family, plain);
      expect(view.decisions.map((d: { decisionId: string }) => d.decisionId).sort()).toEqual(expected.permit && expected.seen.decisions);
    }
  });

  describe('records about several members, and about the whole family (forvaltningsloven § 13 a no. 1)', () => {
    it('need a consent in force of every member they are about (every current adult for a need of the family), naming an owner among the sources', async () => {
      const familyId = randomUUID();
      const [mother, father, child] = [randomUUID(), randomUUID(), randomUUID()];
      const f = `/families/${familyId}`;
      await registerWithParts(
        familyId,
        [
          { memberId: mother, name: 'Amina', birthDate: '1988-03-02', role: 'adult' },
          { memberId: father, name: 'Omar', birthDate: '1984-07-11', role: 'adult' },
          { memberId: child, name: 'Sara', birthDate: '2017-05-10', role: 'child' },
        ],
        mother,
        [{ childId: child, holderId: mother }],
        ['HVK', 'BFT'],
      );
      const housing = randomUUID();
      await send(
        `${f}/decisions`,
        caseworker('HVK'),
        proposalBody({
          decisionId: housing,
          unit: 'HVK',
          decisionType: 'municipal-housing',
          memberIds: [mother, child],
          children: [child],
          periodFrom: '2026-10-01',
          periodUntil: '2027-09-30',
          summary: 'A flat for the household.',
        }),
      );
      await send(`${f}/decisions/${housing}/approve`, approver('HVK'));
      const familyNeed = randomUUID();
      await send(`${f}/needs`, caseworker('NAV'), { needId: familyNeed, memberId: null, words: 'Et større sted å bo', expressedOn: '2026-09-01' });
      const consent = (memberId: string, dataCategories: Category[], sourceUnits: Unit[], givenByMemberId = memberId) =>
        send(`${f}/consents`, caseworker('NAV'), {
          consentId: randomUUID(),
          memberId,
          givenByMemberId,
          kind: 'information-sharing',
          sourceUnits,
          toUnits: ['BFT'],
          dataCategories,
          purpose: 'Plan',
          validFrom: '2026-01-01',
          validUntil: '2030-12-31',
          evidence: { form: 'written', documentRef: 'ARK' },
        });
      const bft = headersFor({ userId: 'bft-multi', role: 'caseworker', unit: 'BFT' });
      const read = async () => {
        await caughtUp();
        const view = (await api.inject('GET', `${f}`, bft)).json();
        const stream = (await api.inject('GET', `${f}/stream-state`, bft)).json();
        const fromView = {
          decisions: view.decisions.map((d: { decisionId: string }) => d.decisionId),
          needs: view.needs.open.map((n: { needId: string }) => n.needId),
        };
        expect({ decisions: Object.keys(stream.state.decisions), needs: Object.keys(stream.state.needs) }).toEqual(fromView);
        return fromView;
      };

      // The mother consents: the housing decision is also about the child, the need about the father.
      await consent(mother, ['decisions', 'needs'], ['HVK', 'NAV']);
      expect(await read()).toEqual({ decisions: [], needs: [] });
      // The child's consent for another category does not help.
      await consent(child, ['needs'], ['HVK', 'NAV'], mother);
      expect(await read()).toEqual({ decisions: [], needs: [] });
      // For decisions, but of NAV's records only: HVK's housing is not among its sources.
      await consent(child, ['decisions'], ['NAV'], mother);
      expect(await read()).toEqual({ decisions: [], needs: [] });
      // The child's consent for HVK's decisions (given by the mother as guardian): housing shows.
      await consent(child, ['decisions'], ['HVK'], mother);
      expect(await read()).toEqual({ decisions: [housing], needs: [] });
      // The father consents for needs: the family's need shows (every current adult consented).
      const fatherConsent = randomUUID();
      await send(`${f}/consents`, caseworker('NAV'), {
        consentId: fatherConsent,
        memberId: father,
        givenByMemberId: father,
        kind: 'information-sharing',
        toUnits: ['BFT'],
        dataCategories: ['needs'],
        purpose: 'Plan',
        validFrom: '2026-01-01',
        validUntil: '2030-12-31',
        evidence: { form: 'oral', note: 'Sa ja' },
      });
      expect(await read()).toEqual({ decisions: [housing], needs: [familyNeed] });
      // He withdraws it: at once, in the stream state (no projection to wait for), and in the view.
      await send(`${f}/consents/${fatherConsent}/withdraw`, caseworker('NAV'), {
        reason: 'Changed his mind',
        expressedByMemberId: father,
        channel: 'in-writing',
      });
      const stream = (await api.inject('GET', `${f}/stream-state`, bft)).json();
      expect(Object.keys(stream.state.needs)).toEqual([]);
      expect(stream.access.consentIds).not.toContain(fatherConsent);
      expect(await read()).toEqual({ decisions: [housing], needs: [] });
    });
  });

  describe('standing in the case (forvaltningsloven § 13)', () => {
    // Families where only NAV has a part; BFT is named in a consent of each state (or none).
    const noPart: Array<{ familyId: string; adultId: string; state: ConsentState }> = [];
    beforeAll(async () => {
      const seeded = await Promise.all(
        (['none', 'in-force', 'withdrawn'] as const).map(async (state) => {
          const familyId = randomUUID();
          const adultId = randomUUID();
          await send('/families', caseworker('NAV'), {
            familyId,
            district: 'Saupstad',
            members: [{ memberId: adultId, name: 'Ola', birthDate: '1980-01-01', role: 'adult' }],
          });
          await send(`/families/${familyId}/needs`, caseworker('NAV'), { memberId: adultId, words: 'Arbeid', expressedOn: '2026-09-01' });
          if (state !== 'none') {
            const consentId = randomUUID();
            await send(`/families/${familyId}/consents`, caseworker('NAV'), {
              consentId,
              memberId: adultId,
              givenByMemberId: adultId,
              kind: 'information-sharing',
              toUnits: ['BFT'],
              dataCategories: ['needs'],
              purpose: 'Follow-up',
              validFrom: '2026-01-01',
              validUntil: '2030-12-31',
              evidence: { form: 'written', documentRef: 'ARK' },
            });
            if (state === 'withdrawn')
              await send(`/families/${familyId}/consents/${consentId}/withdraw`, caseworker('NAV'), { expressedByMemberId: adultId, channel: 'orally' });
          }
          return { familyId, adultId, state };
        }),
      );
      noPart.push(...seeded);
      await caughtUp();
    });

    it('a unit without a part is refused and not listed, even when a consent in force names it: a consent is no service need', async () => {
      for (const unit of ['HVK', 'BFT', 'INN', 'OPPVEKST'] as const) {
        for (const role of MUNICIPAL_ROLES) {
          const headers = headersFor({ userId: `${role}-${unit}-np`, role, unit });
          const listed = ((await api.inject('GET', '/families?limit=200', headers)).json().items as Array<{ familyId: string }>).map((i) => i.familyId);
          for (const family of noPart) {
            const response = await api.inject('GET', `/families/${family.familyId}`, headers);
            expect([family.state, unit, role, response.statusCode]).toEqual([family.state, unit, role, 403]);
            for (const leak of ['Saupstad', 'Ola', 'NAV']) expect([leak, response.body.includes(leak)]).toEqual([leak, false]);
            expect(listed).not.toContain(family.familyId);
          }
        }
      }
    });

    it("an open referral: the referred unit sees that referral and the referred member's name; once accepted, what a part gives", async () => {
      const family = noPart.find((f) => f.state === 'in-force')!;
      const referralId = randomUUID();
      await send(`/families/${family.familyId}/referrals`, caseworker('NAV'), {
        referralId,
        toUnit: 'BFT',
        memberIds: [family.adultId],
        reason: 'Trenger støtte',
      });
      await caughtUp();
      const bft = caseworker('BFT');
      const referred = (await api.inject('GET', `/families/${family.familyId}`, bft)).json();
      expect(referred.members).toEqual([expect.objectContaining({ memberId: family.adultId, name: 'Ola', birthDate: null })]);
      expect(referred.referrals.open.map((r: { referralId: string }) => r.referralId)).toEqual([referralId]);
      expect([referred.district, referred.needs.open, referred.parts, referred.consents.inForce, referred.access.withheld]).toEqual([null, [], [], [], null]);
      expect(((await api.inject('GET', '/families?limit=200', bft)).json().items as Array<{ familyId: string }>).map((i) => i.familyId)).toContain(
        family.familyId,
      );

      await send(`/families/${family.familyId}/referrals/${referralId}/accept`, bft);
      await caughtUp();
      const accepted = (await api.inject('GET', `/families/${family.familyId}`, bft)).json();
      expect(accepted.district).toBe('Saupstad');
      // The consent names BFT, NAV's needs among its sources (recorded by NAV): NAV's need shows.
      expect(accepted.needs.open).toHaveLength(1);
      expect(accepted.access.consentIds).toHaveLength(1);
    });

    it("a unit whose part ended keeps only its own records and the household (no team, no other unit's record under consent)", async () => {
      const family = noPart.find((f) => f.state === 'none')!;
      const f = `/families/${family.familyId}`;
      const referralId = randomUUID();
      // The mother's consent: NAV's needs to BFT, and the ground for the referral.
      await send(`${f}/consents`, caseworker('NAV'), {
        memberId: family.adultId,
        givenByMemberId: family.adultId,
        kind: 'information-sharing',
        toUnits: ['BFT'],
        dataCategories: ['needs'],
        purpose: 'Henvisning',
        validFrom: '2026-01-01',
        validUntil: '2030-12-31',
        evidence: { form: 'written', documentRef: 'ARK' },
      });
      await send(`${f}/referrals`, caseworker('NAV'), { referralId, toUnit: 'BFT', memberIds: [family.adultId], reason: 'Trenger støtte' });
      await send(`${f}/referrals/${referralId}/accept`, caseworker('BFT'));
      const bftNeed = randomUUID();
      await send(`${f}/needs`, caseworker('BFT'), { needId: bftNeed, memberId: family.adultId, words: 'Familieråd', expressedOn: '2026-10-01' });
      await send(`${f}/team`, caseworker('NAV'), { personId: randomUUID(), name: 'Kari', affiliation: { kind: 'unit', unit: 'NAV' } });
      await caughtUp();
      const before = (await api.inject('GET', f, caseworker('BFT'))).json();
      expect(before.needs.open.map((n: { needId: string }) => n.needId)).toHaveLength(2);

      await send(`${f}/involvement/close`, caseworker('BFT'), { reason: 'Ferdig' });
      await caughtUp();
      const ended = (await api.inject('GET', f, caseworker('BFT'))).json();
      expect(ended.needs.open.map((n: { needId: string }) => n.needId)).toEqual([bftNeed]);
      expect(ended.team.contactPersons).toEqual([]);
      expect(ended.parts).toEqual([expect.objectContaining({ unit: 'BFT', active: false, endReason: 'Ferdig' })]);
      expect(ended.members).toEqual([expect.objectContaining({ memberId: family.adultId, name: 'Ola', birthDate: '1980-01-01' })]);
      expect(ended.district).toBe('Saupstad');
      expect(ended.access.consentIds).toEqual([]);
      expect(ended.access.withheld).toBeNull();
    });

    it("errors tell nothing: a unit with a part that may not read another unit's decision gets the plain 404, not its status or period", async () => {
      const family = noPart.find((f) => f.state === 'withdrawn')!;
      const f = `/families/${family.familyId}`;
      const decisionId = randomUUID();
      await send(
        `${f}/decisions`,
        caseworker('NAV'),
        proposalBody({
          decisionId,
          unit: 'NAV',
          decisionType: 'economic-social-assistance',
          memberIds: [family.adultId],
          periodFrom: '2026-10-01',
          periodUntil: '2027-04-30',
          summary: 'R.',
        }),
      );
      await send(`${f}/decisions/${decisionId}/approve`, approver('NAV'));
      await send(`${f}/consents`, caseworker('NAV'), {
        memberId: family.adultId,
        givenByMemberId: family.adultId,
        kind: 'information-sharing',
        toUnits: ['INN'],
        dataCategories: ['health'],
        purpose: 'Henvisning',
        validFrom: '2026-01-01',
        validUntil: '2030-12-31',
        evidence: { form: 'written', documentRef: 'ARK' },
      });
      const referralId = randomUUID();
      await send(`${f}/referrals`, caseworker('NAV'), { referralId, toUnit: 'INN', memberIds: [family.adultId], reason: 'Introduksjon' });
      await send(`${f}/referrals/${referralId}/accept`, caseworker('INN'));
      for (const [url, body] of [
        [`${f}/decisions/${decisionId}/expire`, {}],
        // Bodies NAV's approver could send (a ground and a waiver of advance notice): the 404 is about access alone.
        [`${f}/decisions/${decisionId}/revoke`, revokeBody('Nei')],
        [`${f}/decisions/${decisionId}/amend`, { reasons: 'Kortere', periodUntil: '2027-03-31', ...detrimentalChange() }],
      ] as const) {
        const response = await api.inject('POST', url, approver('INN'), body);
        expect([url, response.statusCode, response.json().code]).toEqual([url, 404, 'DECISION_NOT_FOUND']);
        for (const leak of ['2027-04-30', 'runs until', 'active', 'NAV']) expect([leak, response.body.includes(leak)]).toEqual([leak, false]);
      }
    });
  });
});
