import {
  ADULT_AGE,
  addDays,
  ageOn,
  CHILD_AGE_LIMIT,
  decisionTypeEntry,
  CHILD_SELF_CONSENT_AGE,
  decisionCategory,
  TRONDHEIM_2023_RULE_SET,
  WITHDRAWAL_CHANNELS,
  type Actor,
  type AddressProtection,
  type AmountsInput,
  type ConsentKind,
  type DataCategory,
  type DecisionTypeCode,
  type FamilyCommand,
  type GiveConsent,
  type HouseholdRole,
  type LocalDate,
  type Ore,
  type PaymentMethod,
  type ReferralGround,
  type Unit,
} from '@familievedtak/domain';
import { partnersOf, type DemoSubProjectKey } from './demo-sub-projects';
import { actorOf, FamilyStaff, partnerActor, type PartnerMember } from './demo-staff';
import type { DemoStep, PlanContext } from './plan-context';
import type { Random } from './prng';

export type Cohort = DemoSubProjectKey | 'ordinary';

export type MemberSpec = {
  label: string;
  name: string;
  birthDate: LocalDate;
  role: HouseholdRole;
  nationalId: string | null;
  language: string | null;
  /** Adressesperre: 'fortrolig' (kode 7) or 'strengt-fortrolig' (kode 6); default none. */
  addressProtection?: AddressProtection;
};
export type PlannedMember = MemberSpec & { memberId: string };

type PlannedDecision = {
  decisionId: string;
  unit: Unit;
  decisionType: DecisionTypeCode;
  members: PlannedMember[];
  periodUntil: LocalDate;
  status: 'active' | 'expired' | 'under-appeal';
};

/** Whose a record is and whom it is about: what decides who else may read (and so refer to) it. */
type PlannedRecord = { owners: Set<Unit>; partner: string | null; memberId: string | null };

/** What the plan remembers of a consent: enough to know whether it lets a referral through today. */
type PlannedConsent = {
  consentId: string;
  member: PlannedMember;
  givenBy: PlannedMember;
  kind: ConsentKind;
  sourceUnits: Unit[] | null;
  toUnits: Unit[];
  /** The categories the giver is judged by (information-sharing: its own; else as for decisions). */
  dataCategories: DataCategory[];
  validFrom: LocalDate;
  validUntil: LocalDate;
  withdrawn: boolean;
};

export type DecisionSpec = {
  unit: Unit;
  type: DecisionTypeCode;
  members: PlannedMember[];
  from: LocalDate;
  until: LocalDate;
  amounts?: AmountsInput;
  reasons: string;
  /** Pilot support: the sub-project that pays (its responsible unit decides). */
  subProject?: DemoSubProjectKey;
};

export type PaymentSpec = {
  recipient: PlannedMember;
  amountOre: Ore;
  method: PaymentMethod;
  paidOn: LocalDate;
  documentationRef: string;
  needId?: string;
  decisionId?: string;
};

export type ConsentSpec = {
  member: PlannedMember;
  /** Default: whoever may give it today (the member from 18; a holder of parental responsibility under 18). */
  givenBy?: PlannedMember;
  kind: ConsentKind;
  /** Information-sharing: whose records may be shared (default: the recording unit's). */
  sourceUnits?: Unit[];
  toUnits: Unit[];
  dataCategories: DataCategory[];
  purpose: string;
  validFrom: LocalDate;
  /** Required, today or later. */
  validUntil: LocalDate;
  recordedBy: Unit;
};

/** Why a unit is referred, in the referring caseworker's words. */
const REFERRAL_REASONS: Record<Unit, string> = {
  NAV: 'Familien ønsker hjelp fra NAV med økonomi og arbeid, og har samtykket til at vi deler opplysningene.',
  HVK: 'Familien ønsker hjelp fra helse- og velferdskontoret med helse og bolig, og har samtykket til at vi deler opplysningene.',
  BFT: 'Familien ønsker støtte fra barne- og familietjenesten, og har samtykket til at vi deler opplysningene.',
  INN: 'Familien ønsker oppfølging fra Enhet for inkludering, og har samtykket til at vi deler opplysningene.',
  OPPVEKST: 'Familien søker redusert foreldrebetaling i barnehage og SFO, og har samtykket til at vi deler opplysningene.',
};
export const DUTY_TO_INFORM_REASON =
  'Bekymring for barnets omsorgssituasjon; meldt barne- og familietjenesten etter opplysningsplikten (barnevernsloven § 13-2).';

/**
 * Writes one family's commands in the order a caseworker would send them, with a
 * deterministic id for everything the family holds and a label per step that becomes the
 * step's Idempotency-Key. It also keeps just enough of the family's state (parts, consents,
 * parental responsibility, enrolments, team, decision statuses) to never plan a command the
 * domain would refuse, and refuses (throws) a plan that would break the rules of a part in the
 * case: only a unit with a part writes; another unit gets one by a referral it accepts, on the
 * members' consent or, for a child and to BFT only, the duty to inform child welfare.
 */
export class FamilyBuilder {
  readonly familyId: string;
  readonly steps: DemoStep[] = [];
  readonly members: PlannedMember[] = [];
  readonly staff: FamilyStaff;
  /** Paperwork choices (how a consent was given, how a withdrawal was said), apart from `rng` so they shift nothing else. */
  private readonly paper: Random;
  private readonly labels = new Set<string>();
  private readonly team = new Set<string>();
  private readonly decisions = new Map<string, PlannedDecision>();
  private readonly needs = new Map<string, PlannedRecord>();
  private readonly payments = new Map<string, PlannedRecord>();
  /** Units with a part in the case, in the order they got it. */
  private readonly parts = new Map<Unit, 'registered' | ReferralGround>();
  private readonly consents: PlannedConsent[] = [];
  /** childId -> holders of parental responsibility (adult members). */
  private readonly holders = new Map<string, PlannedMember[]>();
  private readonly enrolments = new Map<DemoSubProjectKey, { enrolmentId: string; memberIds: Set<string> }>();
  private coordinatingUnit: Unit | null = null;

  constructor(
    private readonly ctx: PlanContext,
    readonly key: string,
    readonly cohort: Cohort,
    readonly rng: Random,
  ) {
    this.familyId = ctx.uuid('family', key);
    this.staff = new FamilyStaff(rng);
    this.paper = ctx.rng(key, 'paperwork');
  }

  id(...parts: string[]): string {
    return this.ctx.uuid(this.key, ...parts);
  }

  get adults(): PlannedMember[] {
    return this.members.filter((m) => m.role === 'adult');
  }

  get children(): PlannedMember[] {
    return this.members.filter((m) => m.role === 'child');
  }

  member(label: string): PlannedMember {
    const member = this.members.find((m) => m.label === label);
    if (!member) throw new Error(`${this.key} has no member ${label}`);
    return member;
  }

  /** Age today, from the birth date (never from the household role). */
  ageToday(member: PlannedMember): number {
    return ageOn(member.birthDate, this.ctx.today);
  }

  hasPart(unit: Unit): boolean {
    return this.parts.has(unit);
  }

  /** Caseworker of the unit, for commands any municipal user may send. */
  caseworker(unit: Unit): Actor {
    return actorOf(this.staff.caseworker(unit));
  }

  private step(label: string, actor: Actor, command: FamilyCommand): void {
    if (this.labels.has(label)) throw new Error(`${this.key}: step ${label} planned twice`);
    this.labels.add(label);
    this.steps.push({
      stream: 'family',
      streamKey: this.familyId,
      label,
      idempotencyKey: this.ctx.idempotencyKey(this.key, label),
      actor,
      command,
    });
  }

  /** The plan's own guard against NO_PART_IN_CASE: a mistake in a cohort, not a data choice. */
  private requirePart(unit: Unit, action: string): void {
    if (!this.parts.has(unit)) throw new Error(`${this.key}: ${unit} has no part in the case and cannot ${action}`);
  }

  /**
   * Registration gives the registering unit the first part; each child under 18 today is
   * registered with its holders of parental responsibility (the adults, from the birth register).
   */
  register(district: string, members: MemberSpec[], by: Unit): void {
    this.members.push(...members.map((m) => ({ ...m, memberId: this.id('member', m.label) })));
    const adults = this.members.filter((m) => m.role === 'adult' && this.ageToday(m) >= ADULT_AGE);
    const minors = this.members.filter((m) => this.ageToday(m) < ADULT_AGE);
    const parentalResponsibility = minors.flatMap((child) =>
      adults.map((holder) => ({ childId: child.memberId, holderId: holder.memberId, basis: 'birth-registration' as const })),
    );
    for (const child of minors) this.holders.set(child.memberId, adults);
    this.step('register', this.caseworker(by), {
      type: 'RegisterFamily',
      data: {
        familyId: this.familyId,
        district,
        members: this.members.map((m) => ({
          memberId: m.memberId,
          name: m.name,
          birthDate: m.birthDate,
          role: m.role,
          nationalId: m.nationalId,
          preferredLanguage: m.language,
          addressProtection: m.addressProtection ?? 'none',
        })),
        parentalResponsibility,
      },
    });
    this.parts.set(by, 'registered');
  }

  // --- Parts in the case ---------------------------------------------------------------

  /** Consents in force today that let `from` pass `member`'s information to `to`. */
  private sharingConsent(member: PlannedMember, from: Unit, to: Unit): PlannedConsent | undefined {
    return this.consents.find(
      (c) =>
        c.member.memberId === member.memberId &&
        c.kind === 'information-sharing' &&
        !c.withdrawn &&
        c.validFrom <= this.ctx.today &&
        this.ctx.today <= c.validUntil &&
        c.toUnits.includes(to) &&
        (c.sourceUnits === null || c.sourceUnits.includes(from)),
    );
  }

  /**
   * How `unit` could get a part today: from which unit with a part, about whom, on which ground.
   * Prefers the members' consent (about `about` when they all gave it, else about everyone who
   * did); for BFT without consent, the duty to inform about the children under 18; else null.
   */
  private referralFor(unit: Unit, about: PlannedMember[]): { from: Unit; members: PlannedMember[]; ground: ReferralGround } | null {
    for (const from of this.parts.keys()) {
      const consented = (members: PlannedMember[]) => members.filter((m) => this.sharingConsent(m, from, unit));
      if (about.length > 0 && consented(about).length === about.length) return { from, members: about, ground: 'consent' };
      const anyone = consented(this.members);
      if (anyone.length > 0) return { from, members: anyone, ground: 'consent' };
    }
    if (unit === 'BFT') {
      const minors = (about.length > 0 && about.every((m) => this.ageToday(m) < ADULT_AGE) ? about : this.members).filter((m) => this.ageToday(m) < ADULT_AGE);
      if (minors.length > 0) return { from: [...this.parts.keys()][0], members: minors, ground: 'duty-to-inform-child-welfare' };
    }
    return null;
  }

  /** Whether `unit` has a part or could get one by referral today. */
  mayInvolve(unit: Unit, about: PlannedMember[] = []): boolean {
    return this.parts.has(unit) || this.referralFor(unit, about) !== null;
  }

  /** The unit gets a part if it has none: referred on consent (or duty to inform), then it accepts. */
  ensurePart(unit: Unit, about: PlannedMember[] = []): void {
    if (this.parts.has(unit)) return;
    const referral = this.referralFor(unit, about);
    if (!referral) throw new Error(`${this.key}: nothing lets a unit with a part refer the family to ${unit} (no consent naming it)`);
    this.refer(unit, referral);
  }

  /** A referral on an explicit ground, accepted by the unit referred to. */
  refer(unit: Unit, spec: { members: PlannedMember[]; ground: ReferralGround; from?: Unit; reason?: string }): void {
    if (this.parts.has(unit)) throw new Error(`${this.key}: ${unit} already has a part`);
    const from = spec.from ?? [...this.parts.keys()][0];
    this.requirePart(from, 'refer');
    if (spec.ground === 'consent') {
      const missing = spec.members.filter((m) => !this.sharingConsent(m, from, unit));
      if (missing.length > 0) throw new Error(`${this.key}: no consent lets ${from} refer ${missing.map((m) => m.label).join(', ')} to ${unit}`);
    } else if (unit !== 'BFT' || spec.members.some((m) => this.ageToday(m) >= ADULT_AGE)) {
      throw new Error(`${this.key}: the duty to inform covers children, to BFT only`);
    }
    const referralId = this.id('referral', unit);
    const label = `referral-${unit.toLowerCase()}`;
    this.step(label, this.caseworker(from), {
      type: 'ReferToUnit',
      data: {
        referralId,
        toUnit: unit,
        memberIds: spec.members.map((m) => m.memberId),
        reason: spec.reason ?? (spec.ground === 'consent' ? REFERRAL_REASONS[unit] : DUTY_TO_INFORM_REASON),
        ground: spec.ground,
      },
    });
    this.step(`${label}-accepted`, this.caseworker(unit), { type: 'AcceptReferral', data: { referralId } });
    this.parts.set(unit, spec.ground);
  }

  // --- Reading another unit's records ---------------------------------------------------------
  // The deciders look records up as the acting unit may read them (familyReadAccess): its own,
  // or another unit's under an information-sharing consent in force of each member the record is
  // about (a record of the whole family: every adult) naming the unit, the category and an owner.

  private covered(unit: Unit, subjects: PlannedMember[], category: DataCategory, owners: Iterable<Unit>): boolean {
    const sources = [...owners];
    return (
      subjects.length > 0 &&
      subjects.every((member) =>
        this.consents.some(
          (c) =>
            c.kind === 'information-sharing' &&
            c.member.memberId === member.memberId &&
            !c.withdrawn &&
            c.validFrom <= this.ctx.today &&
            this.ctx.today <= c.validUntil &&
            c.toUnits.includes(unit) &&
            c.dataCategories.includes(category) &&
            (c.sourceUnits === null || sources.some((owner) => c.sourceUnits!.includes(owner))),
        ),
      )
    );
  }

  private subjectsOf(memberIds: string[] | null): PlannedMember[] {
    return memberIds === null ? this.adults : this.members.filter((m) => memberIds.includes(m.memberId));
  }

  /** A partner's records count as the records of the units whose enrolments name it. */
  private partnerOwners(organisationNumber: string): Unit[] {
    return [...this.enrolments.keys()]
      .filter((key) => partnersOf(this.ctx.subProjects[key]).some((p) => p.organisationNumber === organisationNumber))
      .map((key) => this.ctx.responsibleUnit(key));
  }

  private recordOwners(record: PlannedRecord): Set<Unit> {
    return new Set([...record.owners, ...(record.partner ? this.partnerOwners(record.partner) : [])]);
  }

  mayReadNeed(unit: Unit, needId: string): boolean {
    const need = this.needs.get(needId)!;
    const owners = this.recordOwners(need);
    return owners.has(unit) || this.covered(unit, this.subjectsOf(need.memberId === null ? null : [need.memberId]), 'needs', owners);
  }

  mayReadDecision(unit: Unit, decisionId: string): boolean {
    const d = this.decisions.get(decisionId)!;
    return d.unit === unit || this.covered(unit, d.members, decisionCategory({ decisionType: d.decisionType }), [d.unit]);
  }

  mayReadPayment(unit: Unit, paymentId: string): boolean {
    const payment = this.payments.get(paymentId)!;
    const owners = this.recordOwners(payment);
    return owners.has(unit) || this.covered(unit, this.subjectsOf([payment.memberId!]), 'payments', owners);
  }

  private requireReadable(unit: Unit, what: { needId?: string | null; decisionIds?: string[]; paymentIds?: string[] }, action: string): void {
    const unreadable = [
      ...(what.needId && !this.mayReadNeed(unit, what.needId) ? [`need ${what.needId}`] : []),
      ...(what.decisionIds ?? []).filter((id) => !this.mayReadDecision(unit, id)).map((id) => `decision ${id}`),
      ...(what.paymentIds ?? []).filter((id) => !this.mayReadPayment(unit, id)).map((id) => `payment ${id}`),
    ];
    if (unreadable.length > 0) throw new Error(`${this.key}: ${unit} may not read ${unreadable.join(', ')}, so it cannot ${action}`);
  }

  // --- Team and coordination ------------------------------------------------------------

  /** The unit's caseworker joins the team around the family (once). */
  joinUnit(unit: Unit, teamRole: string): void {
    const person = this.staff.caseworker(unit);
    if (this.team.has(person.userId)) return;
    this.ensurePart(unit);
    this.team.add(person.userId);
    this.step(`team-${unit.toLowerCase()}`, actorOf(person), {
      type: 'JoinContactPerson',
      data: { personId: person.userId, name: `${person.name} (${person.office})`, affiliation: { kind: 'unit', unit }, teamRole },
    });
  }

  /** A partner's contact person, added while the partner is enrolled, by the coordinating or the enrolling unit. */
  joinPartner(partner: PartnerMember, teamRole: string, addedBy: Unit): void {
    if (this.team.has(partner.userId)) return;
    const enrolling = [...this.enrolments.entries()].filter(([key]) =>
      partnersOf(this.ctx.subProjects[key]).some((p) => p.organisationNumber === partner.organisationNumber),
    );
    if (enrolling.length === 0) throw new Error(`${this.key}: ${partner.organisation} is not enrolled with the family`);
    if (addedBy !== this.coordinatingUnit && !enrolling.some(([key]) => this.ctx.responsibleUnit(key) === addedBy)) {
      throw new Error(`${this.key}: ${addedBy} neither coordinates nor enrolled ${partner.organisation}`);
    }
    this.team.add(partner.userId);
    this.step(`team-${partner.userId}`, this.caseworker(addedBy), {
      type: 'JoinContactPerson',
      data: {
        personId: partner.userId,
        name: `${partner.name} (${partner.organisation})`,
        affiliation: { kind: 'partner', organisation: partner.organisation, organisationNumber: partner.organisationNumber },
        teamRole,
      },
    });
  }

  /**
   * The unit coordinates: it joins the team, every adult consents to its coordinating (kind
   * 'coordination', recorded by the unit), and then it is named.
   */
  coordinate(unit: Unit): void {
    this.joinUnit(unit, 'koordinator');
    for (const adult of this.adults) {
      this.consent(`coordination-${unit.toLowerCase()}-${adult.label}`, {
        member: adult,
        kind: 'coordination',
        toUnits: [unit],
        dataCategories: ['needs', 'decisions'],
        purpose: 'Én enhet koordinerer hjelpen rundt familien og er familiens faste kontakt',
        validFrom: this.ctx.today,
        validUntil: this.ctx.lastDayMonthsAhead(12),
        recordedBy: unit,
      });
    }
    this.step('coordinating-unit', this.caseworker(unit), { type: 'NameCoordinatingUnit', data: { unit } });
    this.coordinatingUnit = unit;
  }

  // --- Sub-projects ------------------------------------------------------------------------

  /**
   * The sub-project's responsible unit enrols members (default: the whole household), so the
   * sub-project's partners may act for them. The sub-project's facts (name, partners and their
   * organisation numbers) are filled by the application from its stream.
   */
  enrol(key: DemoSubProjectKey, members: PlannedMember[] = this.members): string {
    const unit = this.ctx.responsibleUnit(key);
    this.ensurePart(unit, members);
    if (this.enrolments.has(key)) throw new Error(`${this.key}: enrolled in ${key} twice`);
    const enrolmentId = this.id('enrolment', key);
    this.step(`enrolment-${key}`, this.caseworker(unit), {
      type: 'EnrolInSubProject',
      data: { enrolmentId, subProjectId: this.ctx.subProjects[key].subProjectId, memberIds: members.map((m) => m.memberId) },
    });
    this.enrolments.set(key, { enrolmentId, memberIds: new Set(members.map((m) => m.memberId)) });
    return enrolmentId;
  }

  /** A partner acts only about members (null: the whole household) enrolled in a sub-project naming its organisation. */
  private requireEnrolled(partner: PartnerMember, member: PlannedMember | null): void {
    const covered = [...this.enrolments.entries()].some(
      ([key, e]) =>
        partnersOf(this.ctx.subProjects[key]).some((p) => p.organisationNumber === partner.organisationNumber) &&
        (member ? e.memberIds.has(member.memberId) : this.members.every((m) => e.memberIds.has(m.memberId))),
    );
    if (!covered) throw new Error(`${this.key}: ${partner.organisation} is not enrolled for ${member?.label ?? 'the whole family'}`);
  }

  // --- Consent -----------------------------------------------------------------------------

  /** Who may consent for `member` today to these categories, or why nobody given may. */
  private entitledGiver(member: PlannedMember, categories: DataCategory[]): PlannedMember {
    const age = this.ageToday(member);
    if (age >= ADULT_AGE) return member;
    if (age >= CHILD_SELF_CONSENT_AGE && categories.includes('health')) {
      if (categories.some((c) => c !== 'health')) throw new Error(`${this.key}: ${member.label} is 16-17: record health apart (consentFor splits it)`);
      return member;
    }
    const holder = this.holders.get(member.memberId)?.[0];
    if (!holder) throw new Error(`${this.key}: nobody holds parental responsibility for ${member.label}`);
    return holder;
  }

  /** Checks that `giver` may consent for `member` today (birth dates, recorded parental responsibility, pbrl § 4-3). */
  private requireEntitled(member: PlannedMember, giver: PlannedMember, categories: DataCategory[]): void {
    const expected = this.entitledGiver(member, categories);
    const holders = this.holders.get(member.memberId) ?? [];
    const ok = giver.memberId === expected.memberId || (expected.memberId !== member.memberId && holders.some((h) => h.memberId === giver.memberId));
    if (!ok) throw new Error(`${this.key}: ${giver.label} may not consent for ${member.label}`);
  }

  private evidence(label: string): GiveConsent['data']['evidence'] {
    // Mostly the signed form in the archive; some said at a meeting and documented by the caseworker.
    return this.paper.chance(0.75)
      ? { form: 'written', documentRef: `SAMTYKKE-${this.key}-${label}`.toUpperCase() }
      : { form: 'oral', note: 'Gitt muntlig i møte med familien, med tolk der det trengtes; gjennomgått og dokumentert samme dag.' };
  }

  /** One consent as given today: the giver must be entitled, the recording unit must have a part. */
  consent(label: string, spec: ConsentSpec): string {
    // Outside information-sharing the domain asks who may consent as for decisions.
    const categories: DataCategory[] = spec.kind === 'information-sharing' ? spec.dataCategories : ['decisions'];
    const givenBy = spec.givenBy ?? this.entitledGiver(spec.member, categories);
    this.requireEntitled(spec.member, givenBy, categories);
    this.requirePart(spec.recordedBy, 'record a consent');
    if (spec.validUntil < this.ctx.today || spec.validUntil < spec.validFrom)
      throw new Error(`${this.key}: consent ${label} ends before it can hold (${spec.validUntil})`);
    const sourceUnits = spec.kind === 'information-sharing' ? (spec.sourceUnits ?? [spec.recordedBy]) : null;
    const consentId = this.id('consent', label);
    this.step(`consent-${label}`, this.caseworker(spec.recordedBy), {
      type: 'GiveConsent',
      data: {
        consentId,
        memberId: spec.member.memberId,
        givenByMemberId: givenBy.memberId,
        kind: spec.kind,
        ...(sourceUnits ? { sourceUnits } : {}),
        toUnits: spec.toUnits,
        dataCategories: spec.dataCategories,
        purpose: spec.purpose,
        validFrom: spec.validFrom,
        validUntil: spec.validUntil,
        evidence: this.evidence(label),
      },
    });
    this.consents.push({
      consentId,
      member: spec.member,
      givenBy,
      kind: spec.kind,
      sourceUnits,
      toUnits: spec.toUnits,
      dataCategories: categories,
      validFrom: spec.validFrom,
      validUntil: spec.validUntil,
      withdrawn: false,
    });
    return consentId;
  }

  /**
   * The consent as the law splits it: a young person of 16-17 consents to health information
   * themself, the holders of parental responsibility to the rest (two consents then).
   */
  consentFor(label: string, spec: Omit<ConsentSpec, 'givenBy'>): string[] {
    const age = this.ageToday(spec.member);
    const health = spec.dataCategories.includes('health');
    if (age >= ADULT_AGE || age < CHILD_SELF_CONSENT_AGE || !health || spec.dataCategories.every((c) => c === 'health')) {
      return [this.consent(label, spec)];
    }
    return [
      this.consent(label, { ...spec, dataCategories: spec.dataCategories.filter((c) => c !== 'health') }),
      this.consent(`${label}-health`, { ...spec, dataCategories: ['health'] }),
    ];
  }

  /** The member says they withdraw it (recorded by a unit with a part): effective today. */
  withdrawConsent(label: string, consentId: string, reason: string, recordedBy: Unit): void {
    const consent = this.consents.find((c) => c.consentId === consentId);
    if (!consent || consent.withdrawn) throw new Error(`${this.key}: no consent ${consentId} to withdraw`);
    this.requirePart(recordedBy, 'record a withdrawal');
    // The person the consent is about, or (under 18) the one entitled to give it today.
    const expressedBy = this.ageToday(consent.member) >= ADULT_AGE ? consent.member : this.entitledGiver(consent.member, consent.dataCategories);
    this.step(`consent-${label}-withdrawn`, this.caseworker(recordedBy), {
      type: 'WithdrawConsent',
      data: { consentId, reason, expressedByMemberId: expressedBy.memberId, channel: this.paper.pick(WITHDRAWAL_CHANNELS) },
    });
    consent.withdrawn = true;
  }

  // --- Needs ---------------------------------------------------------------------------------

  /** A need in the person's own words, written down by a unit's caseworker or an enrolled partner. */
  need(label: string, spec: { member: PlannedMember | null; words: string; expressedOn: LocalDate; by: Unit | PartnerMember }): string {
    const needId = this.id('need', label);
    let actor: Actor;
    if (typeof spec.by === 'string') {
      this.ensurePart(spec.by, spec.member ? [spec.member] : []);
      actor = this.caseworker(spec.by);
    } else {
      this.requireEnrolled(spec.by, spec.member);
      actor = partnerActor(spec.by);
    }
    this.step(`need-${label}`, actor, {
      type: 'ExpressNeed',
      data: { needId, memberId: spec.member?.memberId ?? null, words: spec.words, expressedOn: spec.expressedOn },
    });
    this.needs.set(needId, {
      owners: new Set(typeof spec.by === 'string' ? [spec.by] : []),
      partner: typeof spec.by === 'string' ? null : spec.by.organisationNumber,
      memberId: spec.member?.memberId ?? null,
    });
    return needId;
  }

  /** Whether the unit could take the need on: it has (or may get) a part and may read the need. */
  mayPickUp(needId: string, unit: Unit): boolean {
    return this.mayInvolve(unit) && this.mayReadNeed(unit, needId);
  }

  pickUp(label: string, needId: string, unit: Unit): void {
    this.ensurePart(unit);
    this.requireReadable(unit, { needId }, 'pick the need up');
    this.needs.get(needId)!.owners.add(unit);
    this.step(`need-${label}-picked-up-${unit.toLowerCase()}`, this.caseworker(unit), { type: 'PickUpNeed', data: { needId } });
  }

  resolve(label: string, needId: string, unit: Unit, answer: { decisionIds?: string[]; paymentIds?: string[]; resolution?: string }): void {
    this.ensurePart(unit);
    this.requireReadable(unit, { needId, decisionIds: answer.decisionIds, paymentIds: answer.paymentIds }, 'resolve the need');
    this.step(`need-${label}-resolved`, this.caseworker(unit), { type: 'ResolveNeed', data: { needId, ...answer } });
  }

  // --- Decisions and payments ------------------------------------------------------------------

  /** Four eyes: the family's caseworker in the unit proposes, an approver of the same unit approves. */
  decide(label: string, spec: DecisionSpec): string {
    const decisionId = this.id('decision', label);
    for (const member of spec.members) this.requireCompetent(spec, member);
    const subProject = spec.subProject ? this.ctx.subProjects[spec.subProject] : undefined;
    if (subProject && subProject.responsibleUnit !== spec.unit) throw new Error(`${this.key}: ${label} must be decided by ${subProject.responsibleUnit}`);
    this.ensurePart(spec.unit, spec.members);
    this.step(`decision-${label}`, actorOf(this.staff.caseworker(spec.unit)), {
      type: 'ProposeDecision',
      data: {
        decisionId,
        unit: spec.unit,
        decisionType: spec.type,
        memberIds: spec.members.map((m) => m.memberId),
        periodFrom: spec.from,
        periodUntil: spec.until,
        amounts: spec.amounts,
        outcome: 'granted',
        reasons: seedReasons(spec),
        childViews: spec.members.filter((m) => ageOn(m.birthDate, this.ctx.today) < CHILD_AGE_LIMIT).map((m) => seedChildView(m, this.ctx.today)),
        subProject: subProject ? { subProjectId: subProject.subProjectId, responsibleUnit: subProject.responsibleUnit } : null,
      },
    });
    this.step(`decision-${label}-approved`, actorOf(this.staff.approver(spec.unit)), { type: 'ApproveDecision', data: { decisionId } });
    this.decisions.set(decisionId, { decisionId, unit: spec.unit, decisionType: spec.type, members: spec.members, periodUntil: spec.until, status: 'active' });
    return decisionId;
  }

  /** Records that a decision's period is over (the domain only allows it after the last day). */
  expireIfOver(label: string, decisionId: string): boolean {
    const decision = this.decisions.get(decisionId)!;
    if (decision.status !== 'active' || decision.periodUntil >= this.ctx.today) return false;
    this.step(`decision-${label}-expired`, this.caseworker(decision.unit), { type: 'ExpireDecision', data: { decisionId } });
    decision.status = 'expired';
    return true;
  }

  /** A payment from the unit's own budget, by the unit's caseworker. */
  payFromUnit(label: string, unit: Unit, spec: PaymentSpec): string {
    this.ensurePart(unit, [spec.recipient]);
    const paymentId = this.id('payment', label);
    this.step(`pay-${label}`, this.caseworker(unit), this.paymentCommand(unit, paymentId, spec, { kind: 'unit', unit }));
    return paymentId;
  }

  /**
   * A payment from a sub-project's budget by its responsible unit, if the budget still carries
   * it in that semester; null otherwise (the need then stays open, as it would have in the
   * pilot). The sub-project's responsible unit is filled by the application from its stream.
   */
  payFromSubProject(label: string, key: DemoSubProjectKey, spec: PaymentSpec): string | null {
    const subProject = this.ctx.subProjects[key];
    if (!this.ctx.ledger.reserve(subProject.subProjectId, spec.paidOn, spec.amountOre)) return null;
    this.ensurePart(subProject.responsibleUnit, [spec.recipient]);
    const paymentId = this.id('payment', label);
    this.step(
      `pay-${label}`,
      this.caseworker(subProject.responsibleUnit),
      this.paymentCommand(subProject.responsibleUnit, paymentId, spec, { kind: 'sub-project', subProjectId: subProject.subProjectId }),
    );
    return paymentId;
  }

  private paymentCommand(
    unit: Unit,
    paymentId: string,
    spec: PaymentSpec,
    funding: { kind: 'unit'; unit: Unit } | { kind: 'sub-project'; subProjectId: string },
  ): FamilyCommand {
    if (spec.paidOn > this.ctx.today) throw new Error(`${this.key}: payment ${paymentId} dated in the future (${spec.paidOn})`);
    this.requireReadable(unit, { needId: spec.needId, decisionIds: spec.decisionId ? [spec.decisionId] : [] }, 'pay against them');
    this.payments.set(paymentId, { owners: new Set([unit]), partner: null, memberId: spec.recipient.memberId });
    return {
      type: 'RecordPayment',
      data: {
        paymentId,
        recipientMemberId: spec.recipient.memberId,
        amountOre: spec.amountOre,
        method: spec.method,
        funding,
        answersNeedId: spec.needId ?? null,
        answersDecisionId: spec.decisionId ?? null,
        documentationRef: spec.documentationRef,
        paidOn: spec.paidOn,
      },
    };
  }

  /** An appeal registered today with the deciding unit (fvl § 32); it waits to be assessed. */
  appeal(label: string, decisionId: string, appellant: PlannedMember, grounds: string): void {
    const decision = this.decisions.get(decisionId)!;
    this.step(`appeal-${label}`, this.caseworker(decision.unit), {
      type: 'RegisterAppeal',
      data: {
        appealId: this.id('appeal', label),
        decisionId,
        appellant: { memberId: appellant.memberId },
        receivedOn: this.ctx.today,
        channel: 'post',
        signed: true,
        grounds,
      },
    });
    decision.status = 'under-appeal';
  }

  /**
   * The adults consent to combining, then the responsible unit's approver issues one family
   * decision bundling every active decision the rule set lets it bundle (not pilot support).
   */
  familyDecision(label: string, responsibleUnit: Unit, reviewDate: LocalDate, consentFrom: LocalDate): void {
    const included = [...this.decisions.values()].filter((d) => d.status === 'active' && d.periodUntil >= this.ctx.today && this.bundlable(d));
    if (included.length === 0) return;
    const units = [...new Set<Unit>([responsibleUnit, ...included.map((d) => d.unit)])];
    this.joinUnit(responsibleUnit, 'kontaktperson for familievedtaket');
    // The responsible unit must see every decision it bundles: each member they are about (a
    // child through a holder of parental responsibility) lets the deciding units share them with it.
    for (const member of this.members) {
      const others = included.filter((d) => d.unit !== responsibleUnit && d.members.some((m) => m.memberId === member.memberId));
      const categories = [...new Set(others.map((d) => decisionCategory({ decisionType: d.decisionType })))];
      const sources = [...new Set(others.map((d) => d.unit))];
      if (others.length === 0 || categories.every((c) => this.covered(responsibleUnit, [member], c, sources))) continue;
      this.consentFor(`${label}-sharing-${member.label}`, {
        member,
        kind: 'information-sharing',
        sourceUnits: sources,
        toUnits: [responsibleUnit],
        dataCategories: categories,
        purpose: 'Familievedtaket: enheten som har ansvaret ser vedtakene fra de andre enhetene som samles i det',
        validFrom: consentFrom,
        validUntil: reviewDate,
        recordedBy: responsibleUnit,
      });
    }
    this.requireReadable(responsibleUnit, { decisionIds: included.map((d) => d.decisionId) }, 'bundle them in a family decision');
    for (const adult of this.adults) {
      this.consent(`${label}-${adult.label}`, {
        member: adult,
        kind: 'combine-family-decision',
        toUnits: units,
        dataCategories: ['needs', 'decisions', 'payments'],
        purpose: 'Ett samlet vedtak og én kontaktperson for hele familien',
        validFrom: consentFrom,
        validUntil: reviewDate,
        recordedBy: responsibleUnit,
      });
    }
    this.step(`family-decision-${label}`, actorOf(this.staff.approver(responsibleUnit)), {
      type: 'IssueFamilyDecision',
      data: {
        familyDecisionId: this.id('family-decision', label),
        decisionIds: included.map((d) => d.decisionId),
        reviewDate,
        responsibleUnit,
        contactPersonId: this.staff.caseworker(responsibleUnit).userId,
      },
    });
  }

  private bundlable(decision: PlannedDecision): boolean {
    return TRONDHEIM_2023_RULE_SET.rules.some((r) => r.decisionType === decision.decisionType && r.units.includes(decision.unit) && r.bundlable);
  }

  /** The plan's own guard against NOT_COMPETENT: ages on the period's first day, as the rules read them. */
  private requireCompetent(spec: DecisionSpec, member: PlannedMember): void {
    const age = ageOn(member.birthDate, spec.from);
    const rule = TRONDHEIM_2023_RULE_SET.rules.find((r) => r.decisionType === spec.type && r.units.includes(spec.unit));
    if (!rule) throw new Error(`${this.key}: ${spec.unit} may not decide ${spec.type}`);
    if ((rule.members.ageMin !== undefined && age < rule.members.ageMin) || (rule.members.ageMax !== undefined && age > rule.members.ageMax)) {
      throw new Error(`${this.key}: ${member.label} is ${age} on ${spec.from}, outside rule ${rule.id}`);
    }
    if (member.birthDate > spec.from) throw new Error(`${this.key}: ${member.label} is not born on ${spec.from}`);
  }
}

/**
 * Structured reasons (forvaltningsloven §§ 24-25) for a demo decision: the type's legal basis is
 * the rule applied, the spec's text the facts and the summary (demo decisions are plain grants).
 */
function seedReasons(spec: DecisionSpec) {
  const rule = decisionTypeEntry(spec.type).defaultLegalBasis;
  return { rulesApplied: rule ? [rule] : [], facts: spec.reasons, mainConsiderations: null, summary: spec.reasons };
}

/**
 * The child's voice (barnekonvensjonen art. 12): a child of 7 or more is heard in conversation the
 * day before; a younger one is recorded as not yet able to form views on the matter.
 */
function seedChildView(member: PlannedMember, today: LocalDate) {
  if (ageOn(member.birthDate, today) < 7) {
    return { memberId: member.memberId, heard: false, whyNot: 'not-able-to-form-views' as const, explanation: `${member.label} is under seven.` };
  }
  return {
    memberId: member.memberId,
    heard: true,
    how: 'conversation' as const,
    heardOn: addDays(today, -1),
    views: `${member.label} wants the help and said what matters most at home and at school.`,
    weight: 'Given weight by age and maturity; the decision follows the wish.',
  };
}
