import fc from 'fast-check';
import {
  decideFamily,
  familyReadAccess,
  foldFamily,
  isDomainError,
  readerOf,
  TRONDHEIM_2023_RULE_SET,
  type Actor,
  type DecisionContext,
  type DecisionTypeCode,
  type FamilyCommand,
  type FamilyState,
  type Unit,
} from '@familievedtak/domain';

/**
 * Model-based test of "a part in the case" (issue 11): fast-check drives random sequences of
 * family commands by random actors (units with and without a part, every municipal role,
 * partners of enrolled and other organisations, an auditor, a rules analyst) through the real
 * decider, and checks every step against an oracle written from the rules, not from the code:
 *
 * 1. no command by an actor without a part succeeds (forvaltningsloven § 13, tjenstlig behov);
 *    partners act only inside an enrolment naming their organisation number;
 * 2. consents are only accepted from an entitled giver (18+ for themself; for a child the
 *    recorded holders of parental responsibility, barneloven ch. 5; 16-17 in health matters
 *    the young person, pasient- og brukerrettighetsloven § 4-3);
 * 3. after every step, what each reader gets from familyReadAccess equals the oracle's
 *    readable set: own records, and other units' records only under a consent in force from an
 *    entitled giver (forvaltningsloven § 13 a no. 1) while the reader has a part; partners see
 *    only their own records and the names of enrolled members.
 *
 * FC_SEED / FC_PATH replay a failure; FC_RUNS sets the number of sequences (default 200).
 */

const NOW = new Date('2024-03-15T09:00:00.000Z');
const TODAY = '2024-03-15';
const UNITS: Unit[] = ['HVK', 'BFT', 'NAV', 'INN', 'OPPVEKST'];
const FAMILY_ID = 'f-model';
const ENROLLED_ORG = '974123456';
const OTHER_ORG = '911111111';

type MemberKey = 'mother' | 'father' | 'child' | 'youth' | 'grown';
/** The youth is 17 on TODAY, the child 10, "grown" is 21 but registered with the role child. */
const MEMBERS: Record<MemberKey, { memberId: string; name: string; birthDate: string; role: 'adult' | 'child' }> = {
  mother: { memberId: 'm-mother', name: 'Hodan Model', birthDate: '1985-04-01', role: 'adult' },
  father: { memberId: 'm-father', name: 'Abdi Model', birthDate: '1983-02-01', role: 'adult' },
  child: { memberId: 'm-child', name: 'Ayaan Model', birthDate: '2013-06-01', role: 'child' },
  youth: { memberId: 'm-youth', name: 'Idil Model', birthDate: '2007-01-10', role: 'child' },
  grown: { memberId: 'm-grown', name: 'Nuur Model', birthDate: '2002-11-11', role: 'child' },
};
const MEMBER_IDS = Object.values(MEMBERS).map((m) => m.memberId);
/** Parental responsibility as recorded at registration: only the mother holds it for the youth. */
const RESPONSIBILITY = new Set(['m-child:m-mother', 'm-child:m-father', 'm-youth:m-mother']);

const SUB_PROJECTS = {
  'sp-nav': {
    subProjectId: 'sp-nav',
    responsibleUnit: 'NAV' as Unit,
    name: 'Aktivitetsguiden',
    partners: [{ organisationNumber: ENROLLED_ORG, name: 'Røde Kors', mayRecordPayments: true }],
    active: true,
  },
  'sp-hvk': {
    subProjectId: 'sp-hvk',
    responsibleUnit: 'HVK' as Unit,
    name: 'Boveiledning',
    partners: [{ organisationNumber: OTHER_ORG, name: 'Kirkens Bymisjon', mayRecordPayments: false }],
    active: true,
  },
};
type SubProjectId = keyof typeof SUB_PROJECTS;

/** Decision types the 2023 rules give each unit, with the members they may concern. */
const DECISION_TYPES: Record<Unit, { type: DecisionTypeCode; health: boolean; members: MemberKey[] }> = {
  NAV: { type: 'economic-social-assistance', health: false, members: ['mother', 'father'] },
  HVK: { type: 'adult-health-care-service', health: true, members: ['mother', 'grown'] },
  BFT: { type: 'child-welfare-support-measure', health: false, members: ['child', 'youth'] },
  INN: { type: 'introduction-programme', health: false, members: ['father'] },
  OPPVEKST: { type: 'kindergarten-fee-reduction', health: false, members: ['child'] },
};

// ---- actors ----
const municipal = (unit: Unit, role: 'caseworker' | 'approver' | 'unit-leader'): Actor => ({ userId: `${role}.${unit}`, role, unit });
const ACTORS: Actor[] = [
  ...UNITS.flatMap((unit) => (['caseworker', 'approver', 'unit-leader'] as const).map((role) => municipal(unit, role))),
  { userId: 'rk.partner', role: 'partner', partnerOrganisation: ENROLLED_ORG },
  { userId: 'kb.partner', role: 'partner', partnerOrganisation: OTHER_ORG },
  { userId: 'name.partner', role: 'partner', partnerOrganisation: 'Røde Kors' },
  { userId: 'eva.audit', role: 'auditor' },
  { userId: 'rita.rules', role: 'rules-analyst' },
];
const isMunicipal = (a: Actor): a is Actor & { unit: Unit } =>
  (a.role === 'caseworker' || a.role === 'approver' || a.role === 'unit-leader') && a.unit !== undefined;

// ---- the oracle's model ----
type Category = 'needs' | 'decisions' | 'payments' | 'health';
type ModelConsent = {
  subject: string;
  giver: string;
  kind: 'information-sharing' | 'coordination';
  sources: Unit[];
  targets: Unit[];
  categories: Category[];
  withdrawn: boolean;
};
type Model = {
  parts: Map<Unit, 'active' | 'ended'>;
  referrals: Map<string, { from: Unit; to: Unit; members: string[]; open: boolean }>;
  consents: Map<string, ModelConsent>;
  enrolments: Map<string, { sp: SubProjectId; members: string[]; active: boolean }>;
  needs: Map<string, { member: string | null; units: Set<Unit>; org: string | null }>;
  decisions: Map<string, { unit: Unit; members: string[]; category: Category; status: 'proposed' | 'active' }>;
  payments: Map<string, { recipient: string; units: Set<Unit>; org: string | null }>;
  team: Map<string, { unit: Unit | null; org: string | null }>;
  coordinating: Unit | null;
  current: Set<string>;
  ids: number;
};

type Real = { state: FamilyState };
type Stats = Record<string, { ok: number; refused: number }>;

function ageOn(birthDate: string, date: string): number {
  const [by, bm, bd] = birthDate.split('-').map(Number);
  const [y, m, d] = date.split('-').map(Number);
  return y - by - (m < bm || (m === bm && d < bd) ? 1 : 0);
}

const birthOf = (memberId: string) => Object.values(MEMBERS).find((m) => m.memberId === memberId)!.birthDate;
const roleOf = (memberId: string) => Object.values(MEMBERS).find((m) => m.memberId === memberId)!.role;

/** The oracle's own reading of who may consent for whom (on TODAY). */
function entitled(subject: string, giver: string, categories: Category[]): boolean {
  const age = ageOn(birthOf(subject), TODAY);
  if (age >= 18) return giver === subject;
  if (age >= 16 && categories.includes('health')) return categories.every((c) => c === 'health') && giver === subject;
  return giver !== subject && RESPONSIBILITY.has(`${subject}:${giver}`);
}

const hasPart = (m: Model, unit: Unit | undefined) => unit !== undefined && m.parts.get(unit) === 'active';
const currentAdults = (m: Model) => [...m.current].filter((id) => roleOf(id) === 'adult');

/** A consent in force (TODAY is inside every generated validity) naming the reader and category, from an entitled giver. */
function consentCovers(m: Model, reader: Unit, member: string, category: Category, owners: Unit[]): boolean {
  return [...m.consents.values()].some(
    (c) =>
      c.kind === 'information-sharing' &&
      !c.withdrawn &&
      c.subject === member &&
      c.targets.includes(reader) &&
      c.categories.includes(category) &&
      owners.some((o) => c.sources.includes(o)) &&
      entitled(c.subject, c.giver, c.categories),
  );
}

function covered(m: Model, reader: Unit, members: string[] | null, category: Category, owners: Unit[]): boolean {
  const about = members ?? currentAdults(m);
  return about.length > 0 && about.every((id) => consentCovers(m, reader, id, category, owners));
}

/** What the oracle lets a reader see: ids per record kind, or null for a refusal. */
function oracleReads(m: Model, actor: Actor): { needs: string[]; decisions: string[]; payments: string[]; members: string[] } | null {
  const all = { needs: [...m.needs.keys()], decisions: [...m.decisions.keys()], payments: [...m.payments.keys()], members: MEMBER_IDS };
  if (actor.role === 'auditor') return all;
  if (actor.role === 'partner') {
    const org = actor.partnerOrganisation;
    const enrolled = [...m.enrolments.values()].filter((e) => e.active && SUB_PROJECTS[e.sp].partners.some((p) => p.organisationNumber === org));
    if (enrolled.length === 0) return null;
    return {
      needs: [...m.needs].filter(([, n]) => n.org === org).map(([id]) => id),
      decisions: [],
      payments: [...m.payments].filter(([, p]) => p.org === org).map(([id]) => id),
      members: [...new Set(enrolled.flatMap((e) => e.members))],
    };
  }
  if (!isMunicipal(actor)) return null;
  const unit = actor.unit;
  const active = hasPart(m, unit);
  const mine = (r: { units: Set<Unit>; org: string | null }) => ownersOf(m, r).includes(unit);
  const ownNeeds = [...m.needs].filter(([, n]) => mine(n));
  const ownDecisions = [...m.decisions].filter(([, d]) => d.unit === unit);
  const ownPayments = [...m.payments].filter(([, p]) => mine(p));
  const needs = [...m.needs].filter(([, n]) => mine(n) || (active && covered(m, unit, n.member === null ? null : [n.member], 'needs', ownersOf(m, n))));
  const decisions = [...m.decisions].filter(([, d]) => d.unit === unit || (active && covered(m, unit, d.members, d.category, [d.unit])));
  const payments = [...m.payments].filter(([, p]) => mine(p) || (active && covered(m, unit, [p.recipient], 'payments', ownersOf(m, p))));
  const own = ownNeeds.length + ownDecisions.length + ownPayments.length > 0 || ownsConsent(m, unit);
  const referred = [...m.referrals.values()].filter((r) => r.open && r.to === unit);
  if (!active && !own && referred.length === 0) return null;
  return { needs: needs.map(([id]) => id), decisions: decisions.map(([id]) => id), payments: payments.map(([id]) => id), members: MEMBER_IDS };
}
/** A unit's own record: it wrote it or picked it up; a partner's record belongs to the units that enrolled that partner. */
const ownersOf = (m: Model, r: { units: Set<Unit>; org: string | null }): Unit[] => [...r.units, ...enrolmentUnitsFor(m, r.org)];
const consentRecorders = new Map<string, Unit>();
const ownsConsent = (m: Model, unit: Unit) => [...m.consents.keys()].some((id) => consentRecorders.get(id) === unit);

// ---- commands ----
type Expectation = 'refused' | 'may-succeed';
type Step = {
  actor: Actor;
  original?: Actor;
  insider?: number;
  label: string;
  command: (m: Model) => FamilyCommand;
  expect: (m: Model) => Expectation;
  apply: (m: Model, cmd: FamilyCommand) => void;
};

/** Authorisation common to every command but referral answers: a municipal actor with a part, or a partner where allowed. */
function needsPart(m: Model, actor: Actor): Expectation {
  return isMunicipal(actor) && hasPart(m, actor.unit) ? 'may-succeed' : 'refused';
}

function partnerEnrolment(m: Model, actor: Actor, member: string | null, sp?: SubProjectId, pay = false) {
  return [...m.enrolments.values()].some(
    (e) =>
      e.active &&
      (sp === undefined || e.sp === sp) &&
      SUB_PROJECTS[e.sp].partners.some((p) => p.organisationNumber === actor.partnerOrganisation && (!pay || p.mayRecordPayments)) &&
      (member === null ? [...m.current].every((id) => e.members.includes(id)) : e.members.includes(member)),
  );
}
/** The responsible units of every enrolment (active or ended) that named the partner organisation. */
const enrolmentUnitsFor = (m: Model, org: string | null): Unit[] =>
  org === null
    ? []
    : [...m.enrolments.values()]
        .filter((e) => SUB_PROJECTS[e.sp].partners.some((p) => p.organisationNumber === org))
        .map((e) => SUB_PROJECTS[e.sp].responsibleUnit);

const pickFrom = <T>(items: T[], index: number): T | undefined => (items.length === 0 ? undefined : items[index % items.length]);
/** An open referral to the actor's unit if there is one, else any referral (or none). */
const chooseReferral = (m: Model, actor: Actor, which: number): string =>
  pickFrom(
    [...m.referrals].filter(([, r]) => r.open && r.to === actor.unit).map(([id]) => id),
    which,
  ) ??
  pickFrom([...m.referrals.keys()], which) ??
  'r-none';

function stepArbitrary(): fc.Arbitrary<Step> {
  // A fresh copy per step: the run may turn it into an insider (see castActor).
  const actor = fc.constantFrom(...ACTORS).map((a) => ({ ...a }));
  const unit = fc.constantFrom(...UNITS);
  const memberKey = fc.constantFrom<MemberKey>('mother', 'father', 'child', 'youth', 'grown');
  const index = fc.nat(50);
  const categories = fc.subarray<Category>(['needs', 'decisions', 'payments', 'health'], { minLength: 1 });
  const units = fc.subarray(UNITS, { minLength: 1 });
  const sp = fc.constantFrom<SubProjectId>('sp-nav', 'sp-hvk');

  const refer = fc
    .record({ actor, to: unit, members: fc.subarray(MEMBER_IDS, { minLength: 1, maxLength: 2 }), duty: fc.boolean() })
    .map(({ actor, to, members, duty }): Step => ({
      actor,
      label: `refer to ${to}${duty ? ' (duty)' : ''}`,
      command: (m) => ({
        type: 'ReferToUnit',
        data: { referralId: `r-${m.ids}`, toUnit: to, memberIds: members, reason: 'Needs help', ground: duty ? 'duty-to-inform-child-welfare' : 'consent' },
      }),
      expect: (m) => {
        if (needsPart(m, actor) === 'refused' || hasPart(m, to)) return 'refused';
        const from = actor.unit!;
        if (duty) return to === 'BFT' && members.every((id) => ageOn(birthOf(id), TODAY) < 18) ? 'may-succeed' : 'refused';
        // forvaltningsloven § 13 a no. 1: each referred member's consent names the target, with the referring unit among the sources.
        const consented = (id: string) =>
          [...m.consents.values()].some(
            (c) => c.kind === 'information-sharing' && !c.withdrawn && c.subject === id && c.targets.includes(to) && c.sources.includes(from),
          );
        return members.every(consented) ? 'may-succeed' : 'refused';
      },
      apply: (m, cmd) => m.referrals.set((cmd.data as { referralId: string }).referralId, { from: actor.unit!, to, members, open: true }),
    }));

  // Steps that aim at the narrow paths (a referral the law allows, the adults' coordination consents), so they are walked often.
  const referUnderConsent = fc.record({ actor, which: index }).map(({ actor, which }): Step => {
    const target = (m: Model) => {
      const candidates = [...m.consents.values()].filter(
        (c) =>
          c.kind === 'information-sharing' &&
          !c.withdrawn &&
          m.current.has(c.subject) &&
          c.sources.includes(actor.unit as Unit) &&
          c.targets.some((t) => !hasPart(m, t)),
      );
      const consent = pickFrom(candidates, which);
      return consent ? { member: consent.subject, to: consent.targets.find((t) => !hasPart(m, t))! } : { member: MEMBERS.mother.memberId, to: 'INN' as Unit };
    };
    let chosen: { member: string; to: Unit } = { member: MEMBERS.mother.memberId, to: 'INN' };
    return {
      actor,
      label: 'refer under consent',
      command: (m) => {
        chosen = target(m);
        return { type: 'ReferToUnit', data: { referralId: `r-${m.ids}`, toUnit: chosen.to, memberIds: [chosen.member], reason: 'Needs help' } };
      },
      expect: (m) => {
        if (needsPart(m, actor) === 'refused' || hasPart(m, chosen.to)) return 'refused';
        const ok = [...m.consents.values()].some(
          (c) =>
            c.kind === 'information-sharing' && !c.withdrawn && c.subject === chosen.member && c.targets.includes(chosen.to) && c.sources.includes(actor.unit!),
        );
        return ok ? 'may-succeed' : 'refused';
      },
      apply: (m, cmd) =>
        m.referrals.set((cmd.data as { referralId: string }).referralId, { from: actor.unit!, to: chosen.to, members: [chosen.member], open: true }),
    };
  });

  const referChild = fc.record({ actor, child: fc.constantFrom<MemberKey>('child', 'youth') }).map(({ actor, child }): Step => ({
    actor,
    label: `refer ${child} to BFT (duty)`,
    command: (m) => ({
      type: 'ReferToUnit',
      data: { referralId: `r-${m.ids}`, toUnit: 'BFT', memberIds: [MEMBERS[child].memberId], reason: 'Bekymring', ground: 'duty-to-inform-child-welfare' },
    }),
    expect: (m) => (needsPart(m, actor) === 'refused' || hasPart(m, 'BFT') || !m.current.has(MEMBERS[child].memberId) ? 'refused' : 'may-succeed'),
    apply: (m, cmd) =>
      m.referrals.set((cmd.data as { referralId: string }).referralId, { from: actor.unit!, to: 'BFT', members: [MEMBERS[child].memberId], open: true }),
  }));

  const coordinationConsent = fc.record({ actor, adult: fc.constantFrom<MemberKey>('mother', 'father'), which: index }).map(({ actor, adult, which }): Step => {
    let target: Unit = 'NAV';
    return {
      actor,
      label: `coordination consent of ${adult}`,
      command: (m) => {
        target =
          pickFrom(
            [...m.parts].filter(([, p]) => p === 'active').map(([u]) => u),
            which,
          ) ?? 'NAV';
        return {
          type: 'GiveConsent',
          data: {
            consentId: `c-${m.ids}`,
            memberId: MEMBERS[adult].memberId,
            givenByMemberId: MEMBERS[adult].memberId,
            kind: 'coordination',
            toUnits: [target],
            dataCategories: ['decisions'],
            purpose: 'Coordination',
            validFrom: '2024-01-01',
            validUntil: '2025-12-31',
            evidence: { form: 'oral', note: 'Said at the meeting' },
          },
        };
      },
      expect: (m) => (needsPart(m, actor) === 'refused' || !m.current.has(MEMBERS[adult].memberId) ? 'refused' : 'may-succeed'),
      apply: (m, cmd) => {
        const id = (cmd.data as { consentId: string }).consentId;
        consentRecorders.set(id, actor.unit!);
        m.consents.set(id, {
          subject: MEMBERS[adult].memberId,
          giver: MEMBERS[adult].memberId,
          kind: 'coordination',
          sources: [],
          targets: [target],
          categories: ['decisions'],
          withdrawn: false,
        });
      },
    };
  });

  const answer = fc.record({ actor, which: index, accept: fc.boolean() }).map(({ actor, which, accept }): Step => ({
    actor,
    label: accept ? 'accept referral' : 'decline referral',
    command: (m) => {
      const referralId = chooseReferral(m, actor, which);
      return accept ? { type: 'AcceptReferral', data: { referralId } } : { type: 'DeclineReferral', data: { referralId, reason: 'Not ours' } };
    },
    expect: (m) => {
      const referral = m.referrals.get(chooseReferral(m, actor, which));
      if (!referral || !isMunicipal(actor) || referral.to !== actor.unit || !referral.open) return 'refused';
      return accept && hasPart(m, referral.to) ? 'refused' : 'may-succeed';
    },
    apply: (m, cmd) => {
      const referral = m.referrals.get((cmd.data as { referralId: string }).referralId)!;
      referral.open = false;
      if (accept) m.parts.set(referral.to, 'active');
    },
  }));

  const close = actor.map((actor): Step => ({
    actor,
    label: 'close involvement',
    command: () => ({ type: 'CloseInvolvement', data: { reason: 'Done' } }),
    expect: (m) => needsPart(m, actor),
    apply: (m) => {
      m.parts.set(actor.unit!, 'ended');
      for (const [id, person] of m.team) if (person.unit === actor.unit) m.team.delete(id);
    },
  }));

  const consent = fc
    .record({
      actor,
      subject: memberKey,
      giver: memberKey,
      kind: fc.constantFrom('information-sharing', 'coordination'),
      sources: units,
      targets: units,
      categories,
    })
    .map(({ actor, subject, giver, kind, sources, targets, categories }): Step => ({
      actor,
      label: `consent ${kind} ${subject} by ${giver} -> ${targets.join('/')}: ${categories.join('/')}`,
      command: (m) => ({
        type: 'GiveConsent',
        data: {
          consentId: `c-${m.ids}`,
          memberId: MEMBERS[subject].memberId,
          givenByMemberId: MEMBERS[giver].memberId,
          kind,
          sourceUnits: sources,
          toUnits: targets,
          dataCategories: categories,
          purpose: 'Work together',
          validFrom: '2024-01-01',
          validUntil: '2025-12-31',
          evidence: { form: 'written', documentRef: 'archive-1' },
        },
      }),
      expect: (m) => {
        if (needsPart(m, actor) === 'refused') return 'refused';
        const cats: Category[] = kind === 'information-sharing' ? categories : ['decisions'];
        return entitled(MEMBERS[subject].memberId, MEMBERS[giver].memberId, cats) ? 'may-succeed' : 'refused';
      },
      apply: (m, cmd) => {
        const id = (cmd.data as { consentId: string }).consentId;
        consentRecorders.set(id, actor.unit!);
        m.consents.set(id, {
          subject: MEMBERS[subject].memberId,
          giver: MEMBERS[giver].memberId,
          kind: kind as ModelConsent['kind'],
          sources,
          targets,
          categories,
          withdrawn: false,
        });
      },
    }));

  const withdraw = fc.record({ actor, which: index, by: memberKey }).map(({ actor, which, by }): Step => ({
    actor,
    label: `withdraw consent, expressed by ${by}`,
    command: (m) => ({
      type: 'WithdrawConsent',
      data: { consentId: pickFrom([...m.consents.keys()], which) ?? 'c-none', expressedByMemberId: MEMBERS[by].memberId, channel: 'orally' },
    }),
    expect: (m) => {
      const consent = m.consents.get(pickFrom([...m.consents.keys()], which) ?? 'c-none');
      if (needsPart(m, actor) === 'refused' || !consent || consent.withdrawn) return 'refused';
      const cats: Category[] = consent.kind === 'information-sharing' ? consent.categories : ['decisions'];
      return entitled(consent.subject, MEMBERS[by].memberId, cats) ? 'may-succeed' : 'refused';
    },
    apply: (m, cmd) => {
      m.consents.get((cmd.data as { consentId: string }).consentId)!.withdrawn = true;
    },
  }));

  const need = fc.record({ actor, member: fc.option(memberKey, { nil: null }) }).map(({ actor, member }): Step => ({
    actor,
    label: `need about ${member ?? 'the family'}`,
    command: (m) => ({ type: 'ExpressNeed', data: { needId: `n-${m.ids}`, memberId: member && MEMBERS[member].memberId, words: 'Trenger hjelp' } }),
    expect: (m) =>
      actor.role === 'partner' ? (partnerEnrolment(m, actor, member && MEMBERS[member].memberId) ? 'may-succeed' : 'refused') : needsPart(m, actor),
    apply: (m, cmd) => {
      const partner = actor.role === 'partner' ? actor.partnerOrganisation! : null;
      m.needs.set((cmd.data as { needId: string }).needId, {
        member: member && MEMBERS[member].memberId,
        units: new Set(partner ? [] : [actor.unit!]),
        org: partner,
      });
    },
  }));

  const pickUp = fc.record({ actor, which: index }).map(({ actor, which }): Step => ({
    actor,
    label: 'pick up need',
    command: (m) => ({ type: 'PickUpNeed', data: { needId: pickFrom([...m.needs.keys()], which) ?? 'n-none' } }),
    expect: (m) => needsPart(m, actor),
    apply: (m, cmd) => m.needs.get((cmd.data as { needId: string }).needId)!.units.add(actor.unit!),
  }));

  const propose = fc.record({ actor, member: index }).map(({ actor, member }): Step => ({
    actor,
    label: 'propose decision',
    command: (m) => {
      const u = actor.unit ?? 'NAV';
      const spec = DECISION_TYPES[u];
      return {
        type: 'ProposeDecision',
        data: {
          decisionId: `d-${m.ids}`,
          unit: u,
          decisionType: spec.type,
          memberIds: [MEMBERS[pickFrom(spec.members, member)!].memberId],
          periodFrom: '2024-03-01',
          periodUntil: '2024-12-31',
          amounts: { monthlyAmountOre: 100000 },
          outcome: 'granted',
          reasons: { rulesApplied: ['the type’s legal basis'], facts: 'Assessed', summary: 'Assessed' },
          // The child's voice (barnekonvensjonen art. 12); a view is allowed for an adult member too.
          childViews: [{ memberId: MEMBERS[pickFrom(spec.members, member)!].memberId, heard: false, whyNot: 'other', explanation: 'Not heard in the model.' }],
        },
      };
    },
    expect: (m) => needsPart(m, actor),
    apply: (m, cmd) => {
      const data = cmd.data as { decisionId: string; memberIds: string[] };
      m.decisions.set(data.decisionId, {
        unit: actor.unit!,
        members: data.memberIds,
        category: DECISION_TYPES[actor.unit!].health ? 'health' : 'decisions',
        status: 'proposed',
      });
    },
  }));

  const approve = fc.record({ actor, which: index }).map(({ actor, which }): Step => ({
    actor,
    label: 'approve decision',
    command: (m) => ({ type: 'ApproveDecision', data: { decisionId: pickFrom([...m.decisions.keys()], which) ?? 'd-none' } }),
    expect: (m) => {
      const decision = m.decisions.get(pickFrom([...m.decisions.keys()], which) ?? 'd-none');
      if (needsPart(m, actor) === 'refused' || !decision || actor.role !== 'approver' || actor.unit !== decision.unit) return 'refused';
      return 'may-succeed';
    },
    apply: (m, cmd) => {
      m.decisions.get((cmd.data as { decisionId: string }).decisionId)!.status = 'active';
    },
  }));

  const pay = fc
    .record({ actor, recipient: memberKey, funding: fc.constantFrom<'own' | SubProjectId>('own', 'sp-nav', 'sp-hvk') })
    .map(({ actor, recipient, funding }): Step => ({
      actor,
      label: `payment from ${funding}`,
      command: (m) => ({
        type: 'RecordPayment',
        data: {
          paymentId: `p-${m.ids}`,
          recipientMemberId: MEMBERS[recipient].memberId,
          amountOre: 50000,
          method: 'gift-card',
          funding: funding === 'own' ? { kind: 'unit', unit: actor.unit ?? 'NAV' } : { kind: 'sub-project', subProjectId: funding },
          documentationRef: 'voucher-1',
          paidOn: TODAY,
          // The application fills the sub-project's responsible unit from the sub-project's own stream.
          subProject: funding === 'own' ? null : { subProjectId: funding, responsibleUnit: SUB_PROJECTS[funding].responsibleUnit },
        },
      }),
      expect: (m) => {
        const memberId = MEMBERS[recipient].memberId;
        if (!m.current.has(memberId)) return 'refused';
        if (actor.role === 'partner') return funding !== 'own' && partnerEnrolment(m, actor, memberId, funding, true) ? 'may-succeed' : 'refused';
        if (needsPart(m, actor) === 'refused') return 'refused';
        if (funding !== 'own' && SUB_PROJECTS[funding].responsibleUnit !== actor.unit) return 'refused';
        return 'may-succeed';
      },
      apply: (m, cmd) => {
        const partner = actor.role === 'partner' ? actor.partnerOrganisation! : null;
        m.payments.set((cmd.data as { paymentId: string }).paymentId, {
          recipient: MEMBERS[recipient].memberId,
          units: new Set(partner ? [] : [actor.unit!]),
          org: partner,
        });
      },
    }));

  const enrol = fc.record({ actor, sp, members: fc.subarray(MEMBER_IDS, { minLength: 1 }) }).map(({ actor, sp, members }): Step => ({
    actor,
    label: `enrol in ${sp}`,
    command: (m) => ({ type: 'EnrolInSubProject', data: { enrolmentId: `e-${m.ids}`, subProjectId: sp, memberIds: members, subProject: SUB_PROJECTS[sp] } }),
    expect: (m) => (needsPart(m, actor) === 'refused' || actor.unit !== SUB_PROJECTS[sp].responsibleUnit ? 'refused' : 'may-succeed'),
    apply: (m, cmd) => m.enrolments.set((cmd.data as { enrolmentId: string }).enrolmentId, { sp, members, active: true }),
  }));

  const endEnrolment = fc.record({ actor, which: index }).map(({ actor, which }): Step => ({
    actor,
    label: 'end enrolment',
    command: (m) => ({ type: 'EndEnrolment', data: { enrolmentId: pickFrom([...m.enrolments.keys()], which) ?? 'e-none', reason: 'Finished' } }),
    expect: (m) => {
      const enrolment = m.enrolments.get(pickFrom([...m.enrolments.keys()], which) ?? 'e-none');
      return needsPart(m, actor) === 'refused' || !enrolment || !enrolment.active || SUB_PROJECTS[enrolment.sp].responsibleUnit !== actor.unit
        ? 'refused'
        : 'may-succeed';
    },
    apply: (m, cmd) => {
      m.enrolments.get((cmd.data as { enrolmentId: string }).enrolmentId)!.active = false;
    },
  }));

  const joinTeam = fc.record({ actor, of: unit }).map(({ actor, of }): Step => ({
    actor,
    label: `contact person from ${of}`,
    command: (m) => ({ type: 'JoinContactPerson', data: { personId: `t-${m.ids}`, name: `Kontakt ${of}`, affiliation: { kind: 'unit', unit: of } } }),
    expect: (m) => (needsPart(m, actor) === 'refused' || !hasPart(m, of) || (actor.unit !== of && actor.unit !== m.coordinating) ? 'refused' : 'may-succeed'),
    apply: (m, cmd) => m.team.set((cmd.data as { personId: string }).personId, { unit: of, org: null }),
  }));

  const leaveTeam = fc.record({ actor, which: index }).map(({ actor, which }): Step => ({
    actor,
    label: 'contact person leaves',
    command: (m) => ({ type: 'LeaveContactPerson', data: { personId: pickFrom([...m.team.keys()], which) ?? 't-none' } }),
    expect: (m) => {
      const person = m.team.get(pickFrom([...m.team.keys()], which) ?? 't-none');
      return needsPart(m, actor) === 'refused' || !person || (person.unit !== actor.unit && actor.unit !== m.coordinating) ? 'refused' : 'may-succeed';
    },
    apply: (m, cmd) => m.team.delete((cmd.data as { personId: string }).personId),
  }));

  const coordinate = fc.record({ actor, of: unit, which: index }).map(({ actor, of, which }): Step => {
    // Mostly a unit that could coordinate (a part and a contact person), sometimes any unit.
    let chosen: Unit = of;
    return {
      actor,
      label: 'name a coordinating unit',
      command: (m) => {
        const candidates = [...new Set([...m.team.values()].map((p) => p.unit).filter((u): u is Unit => u !== null && hasPart(m, u)))];
        chosen = which % 3 === 0 ? of : (pickFrom(candidates, which) ?? of);
        return { type: 'NameCoordinatingUnit', data: { unit: chosen } };
      },
      expect: (m) => {
        if (needsPart(m, actor) === 'refused') return 'refused';
        if (m.coordinating === chosen) return 'may-succeed';
        const consented = currentAdults(m).every((id) =>
          [...m.consents.values()].some(
            (c) => c.kind === 'coordination' && !c.withdrawn && c.subject === id && c.targets.includes(chosen) && entitled(c.subject, c.giver, ['decisions']),
          ),
        );
        return hasPart(m, chosen) && consented ? 'may-succeed' : 'refused';
      },
      apply: (m) => {
        m.coordinating = chosen;
      },
    };
  });

  const leaveMember = fc.record({ actor, member: memberKey }).map(({ actor, member }): Step => ({
    actor,
    label: `${member} leaves`,
    command: () => ({ type: 'LeaveMember', data: { memberId: MEMBERS[member].memberId } }),
    expect: (m) => needsPart(m, actor),
    apply: (m) => m.current.delete(MEMBERS[member].memberId),
  }));

  return fc.oneof(
    { arbitrary: refer, weight: 2 },
    { arbitrary: referUnderConsent, weight: 4 },
    { arbitrary: referChild, weight: 2 },
    { arbitrary: coordinationConsent, weight: 2 },
    { arbitrary: answer, weight: 4 },
    { arbitrary: close, weight: 1 },
    { arbitrary: consent, weight: 5 },
    { arbitrary: withdraw, weight: 1 },
    { arbitrary: need, weight: 3 },
    { arbitrary: pickUp, weight: 1 },
    { arbitrary: propose, weight: 3 },
    { arbitrary: approve, weight: 2 },
    { arbitrary: pay, weight: 2 },
    { arbitrary: enrol, weight: 2 },
    { arbitrary: endEnrolment, weight: 1 },
    { arbitrary: joinTeam, weight: 2 },
    { arbitrary: leaveTeam, weight: 1 },
    { arbitrary: coordinate, weight: 1 },
    { arbitrary: leaveMember, weight: 1 },
  );
}

/**
 * Most steps are by a random actor; the rest by someone whose unit has a part (or, for an answer
 * to a referral, the unit it was sent to), so sequences get past the first refusal. The step's
 * actor object is reset and recast on every run (fast-check replays steps when it shrinks).
 */
function castActor(step: Step, model: Model): void {
  step.original ??= { ...step.actor };
  for (const key of Object.keys(step.actor) as (keyof Actor)[]) delete step.actor[key];
  Object.assign(step.actor, step.original);
  if (step.insider === undefined || step.insider >= 6) return;
  const role = isMunicipal(step.original) ? step.original.role : 'caseworker';
  const openTo = [...model.referrals.values()].filter((r) => r.open).map((r) => r.to);
  const withPart = [...model.parts].filter(([, p]) => p === 'active').map(([unit]) => unit);
  const pool = step.label.endsWith('referral') && openTo.length > 0 ? openTo : withPart;
  const unit = pool[step.insider % pool.length];
  if (unit) Object.assign(step.actor, municipal(unit, role as 'caseworker'));
}

function context(actor: Actor, ids: { next: number }): DecisionContext {
  return { now: NOW, newId: () => `gen-${ids.next++}`, actor, ruleSet: TRONDHEIM_2023_RULE_SET };
}

function registered(registrar: Unit): { model: Model; real: Real } {
  const events = decideFamily(
    {
      type: 'RegisterFamily',
      data: {
        familyId: FAMILY_ID,
        district: 'Heimdal',
        members: Object.values(MEMBERS).map((m) => ({ ...m })),
        parentalResponsibility: [...RESPONSIBILITY].map((pair) => {
          const [childId, holderId] = pair.split(':');
          return { childId, holderId, basis: 'birth-registration' as const };
        }),
      },
    },
    foldFamily([]),
    context(municipal(registrar, 'caseworker'), { next: 0 }),
  );
  return {
    real: { state: foldFamily(events) },
    model: {
      parts: new Map([[registrar, 'active']]),
      referrals: new Map(),
      consents: new Map(),
      enrolments: new Map(),
      needs: new Map(),
      decisions: new Map(),
      payments: new Map(),
      team: new Map(),
      coordinating: null,
      current: new Set(MEMBER_IDS),
      ids: 1,
    },
  };
}

const sorted = (ids: Iterable<string>) => [...ids].sort();

/** Every reader's grant against the oracle, after a step. */
function checkReads(model: Model, real: Real, trail: string[]): void {
  for (const actor of ACTORS) {
    const expected = oracleReads(model, actor);
    const decision = familyReadAccess(real.state, readerOf(actor), TODAY);
    const where = `${actor.userId} after:\n  ${trail.join('\n  ')}`;
    if (expected === null) {
      if (decision.permit) throw new Error(`expected a refusal for ${where}`);
      continue;
    }
    if (!decision.permit) throw new Error(`expected access for ${where}: ${decision.reason}`);
    const grant = decision.grant.state;
    expect({ who: where, needs: sorted(Object.keys(grant.needs)) }).toEqual({ who: where, needs: sorted(expected.needs) });
    expect({ who: where, decisions: sorted(Object.keys(grant.decisions)) }).toEqual({ who: where, decisions: sorted(expected.decisions) });
    expect({ who: where, payments: sorted(Object.keys(grant.payments)) }).toEqual({ who: where, payments: sorted(expected.payments) });
    if (actor.role === 'partner') {
      // Partners see the names of the enrolled members they work with, nothing more of anyone.
      expect({ who: where, members: sorted(Object.keys(grant.members)) }).toEqual({ who: where, members: sorted(expected.members) });
      for (const member of Object.values(grant.members)) {
        expect({ who: where, nationalId: member.nationalId, birthDate: member.birthDate }).toEqual({ who: where, nationalId: null, birthDate: null });
      }
      expect({ who: where, consents: Object.keys(grant.consents), parts: Object.keys(grant.parts ?? {}) }).toEqual({ who: where, consents: [], parts: [] });
    }
  }
}

describe('model-based: a part in the case (forvaltningsloven § 13, § 13 a no. 1; pbrl § 4-3; barneloven ch. 5)', () => {
  it('random commands by random actors never let an actor without a part write, or any reader see more than the rules allow', () => {
    const stats: Stats = {};
    const runs = Number(process.env.FC_RUNS ?? 200);
    fc.assert(
      fc.property(fc.constantFrom(...UNITS), fc.array(fc.tuple(stepArbitrary(), fc.nat(9)), { minLength: 5, maxLength: 40 }), (registrar, pairs) => {
        const steps = pairs.map(([step, insider]) => Object.assign(step, { insider }));
        const { model, real } = registered(registrar);
        const ids = { next: 1 };
        const trail: string[] = [`${registrar} registers`];
        checkReads(model, real, trail);
        for (const step of steps) {
          castActor(step, model);
          const command = step.command(model);
          model.ids++;
          const expectation = step.expect(model);
          let events: ReturnType<typeof decideFamily> | undefined;
          let error: unknown;
          try {
            events = decideFamily(command, real.state, context(step.actor, ids));
          } catch (e) {
            error = e;
          }
          if (error !== undefined && !isDomainError(error)) throw error;
          const outcome = events ? 'ok' : 'refused';
          trail.push(`${step.actor.userId}: ${step.label} -> ${outcome}${error ? ` (${(error as { code: string }).code})` : ''}`);
          const tally = (stats[command.type] ??= { ok: 0, refused: 0 });
          tally[outcome === 'ok' ? 'ok' : 'refused']++;
          if (expectation === 'refused' && events) {
            throw new Error(`the oracle refuses, the decider accepted:\n  ${trail.join('\n  ')}\n  events: ${JSON.stringify(events)}`);
          }
          if (events) {
            real.state = foldFamily(events, real.state);
            step.apply(model, command);
          }
          checkReads(model, real, trail);
        }
      }),
      { numRuns: runs, seed: process.env.FC_SEED ? Number(process.env.FC_SEED) : undefined, path: process.env.FC_PATH },
    );
    if (process.env.MODEL_STATS) console.log(JSON.stringify(stats));
    // The run must exercise both sides of the rules, or it proves nothing.
    for (const type of ['ReferToUnit', 'AcceptReferral', 'GiveConsent', 'ExpressNeed', 'ProposeDecision', 'RecordPayment', 'EnrolInSubProject']) {
      expect({ type, ok: (stats[type]?.ok ?? 0) > 0, refused: (stats[type]?.refused ?? 0) > 0 }).toEqual({ type, ok: true, refused: true });
    }
  });
});
