import {
  ageOn,
  TRONDHEIM_2023_RULE_SET,
  type Actor,
  type AmountsInput,
  type ConsentKind,
  type DataCategory,
  type DecisionTypeCode,
  type FamilyCommand,
  type HouseholdRole,
  type LocalDate,
  type Ore,
  type PaymentMethod,
  type Unit,
} from '@familievedtak/domain';
import type { DemoSubProjectKey } from './demo-sub-projects';
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
  protectedAddress?: boolean;
};
export type PlannedMember = MemberSpec & { memberId: string };

type PlannedDecision = {
  decisionId: string;
  unit: Unit;
  decisionType: DecisionTypeCode;
  periodUntil: LocalDate;
  status: 'active' | 'expired' | 'under-appeal';
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

/**
 * Writes one family's commands in the order a caseworker would send them, with a
 * deterministic id for everything the family holds and a label per step that becomes the
 * step's Idempotency-Key. It also keeps just enough of the family's state (team, decision
 * statuses) to never plan a command the domain would refuse.
 */
export class FamilyBuilder {
  readonly familyId: string;
  readonly steps: DemoStep[] = [];
  readonly members: PlannedMember[] = [];
  readonly staff: FamilyStaff;
  private readonly labels = new Set<string>();
  private readonly team = new Set<string>();
  private readonly decisions = new Map<string, PlannedDecision>();

  constructor(
    private readonly ctx: PlanContext,
    readonly key: string,
    readonly cohort: Cohort,
    readonly rng: Random,
  ) {
    this.familyId = ctx.uuid('family', key);
    this.staff = new FamilyStaff(rng);
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

  register(district: string, members: MemberSpec[], by: Unit): void {
    this.members.push(...members.map((m) => ({ ...m, memberId: this.id('member', m.label) })));
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
          protectedAddress: m.protectedAddress ?? false,
        })),
      },
    });
  }

  /** The unit's caseworker joins the team around the family (once). */
  joinUnit(unit: Unit, teamRole: string): void {
    const person = this.staff.caseworker(unit);
    if (this.team.has(person.userId)) return;
    this.team.add(person.userId);
    this.step(`team-${unit.toLowerCase()}`, actorOf(person), {
      type: 'JoinContactPerson',
      data: { personId: person.userId, name: `${person.name} (${person.office})`, affiliation: { kind: 'unit', unit }, teamRole },
    });
  }

  joinPartner(partner: PartnerMember, teamRole: string, addedBy: Unit): void {
    if (this.team.has(partner.userId)) return;
    this.team.add(partner.userId);
    this.step(`team-${partner.userId}`, this.caseworker(addedBy), {
      type: 'JoinContactPerson',
      data: {
        personId: partner.userId,
        name: `${partner.name} (${partner.organisation})`,
        affiliation: { kind: 'partner', organisation: partner.organisation },
        teamRole,
      },
    });
  }

  coordinate(unit: Unit): void {
    this.joinUnit(unit, 'koordinator');
    this.step('coordinating-unit', this.caseworker(unit), { type: 'NameCoordinatingUnit', data: { unit } });
  }

  consent(
    label: string,
    spec: {
      member: PlannedMember;
      givenBy: PlannedMember;
      kind: ConsentKind;
      toUnits: Unit[];
      dataCategories: DataCategory[];
      purpose: string;
      validFrom: LocalDate;
      validUntil?: LocalDate | null;
      recordedBy: Unit;
    },
  ): string {
    const consentId = this.id('consent', label);
    this.step(`consent-${label}`, this.caseworker(spec.recordedBy), {
      type: 'GiveConsent',
      data: {
        consentId,
        memberId: spec.member.memberId,
        givenByMemberId: spec.givenBy.memberId,
        kind: spec.kind,
        toUnits: spec.toUnits,
        dataCategories: spec.dataCategories,
        purpose: spec.purpose,
        validFrom: spec.validFrom,
        validUntil: spec.validUntil ?? null,
      },
    });
    return consentId;
  }

  withdrawConsent(label: string, consentId: string, reason: string, recordedBy: Unit): void {
    this.step(`consent-${label}-withdrawn`, this.caseworker(recordedBy), { type: 'WithdrawConsent', data: { consentId, reason } });
  }

  /** A need in the person's own words, written down by a unit's caseworker or a partner. */
  need(label: string, spec: { member: PlannedMember | null; words: string; expressedOn: LocalDate; by: Unit | PartnerMember }): string {
    const needId = this.id('need', label);
    const actor = typeof spec.by === 'string' ? this.caseworker(spec.by) : partnerActor(spec.by);
    this.step(`need-${label}`, actor, {
      type: 'ExpressNeed',
      data: { needId, memberId: spec.member?.memberId ?? null, words: spec.words, expressedOn: spec.expressedOn },
    });
    return needId;
  }

  pickUp(label: string, needId: string, unit: Unit): void {
    this.step(`need-${label}-picked-up-${unit.toLowerCase()}`, this.caseworker(unit), { type: 'PickUpNeed', data: { needId } });
  }

  resolve(label: string, needId: string, unit: Unit, answer: { decisionIds?: string[]; paymentIds?: string[]; resolution?: string }): void {
    this.step(`need-${label}-resolved`, this.caseworker(unit), { type: 'ResolveNeed', data: { needId, ...answer } });
  }

  /** Four eyes: the family's caseworker in the unit proposes, an approver of the same unit approves. */
  decide(label: string, spec: DecisionSpec): string {
    const decisionId = this.id('decision', label);
    for (const member of spec.members) this.requireCompetent(spec, member);
    const subProject = spec.subProject ? this.ctx.subProjects[spec.subProject] : undefined;
    if (subProject && subProject.responsibleUnit !== spec.unit) throw new Error(`${this.key}: ${label} must be decided by ${subProject.responsibleUnit}`);
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
        reasons: spec.reasons,
        subProject: subProject ? { subProjectId: subProject.subProjectId, responsibleUnit: subProject.responsibleUnit } : null,
      },
    });
    this.step(`decision-${label}-approved`, actorOf(this.staff.approver(spec.unit)), { type: 'ApproveDecision', data: { decisionId } });
    this.decisions.set(decisionId, { decisionId, unit: spec.unit, decisionType: spec.type, periodUntil: spec.until, status: 'active' });
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
    const paymentId = this.id('payment', label);
    this.step(`pay-${label}`, this.caseworker(unit), this.paymentCommand(paymentId, spec, { kind: 'unit', unit }));
    return paymentId;
  }

  /**
   * A payment from a sub-project's budget, if the budget still carries it in that semester;
   * null otherwise (the need then stays open, as it would have in the pilot).
   */
  payFromSubProject(label: string, key: DemoSubProjectKey, spec: PaymentSpec): string | null {
    const subProject = this.ctx.subProjects[key];
    if (!this.ctx.ledger.reserve(subProject.subProjectId, spec.paidOn, spec.amountOre)) return null;
    const paymentId = this.id('payment', label);
    this.step(
      `pay-${label}`,
      this.caseworker(subProject.responsibleUnit),
      this.paymentCommand(paymentId, spec, { kind: 'sub-project', subProjectId: subProject.subProjectId }),
    );
    return paymentId;
  }

  private paymentCommand(paymentId: string, spec: PaymentSpec, funding: { kind: 'unit'; unit: Unit } | { kind: 'sub-project'; subProjectId: string }): FamilyCommand {
    if (spec.paidOn > this.ctx.today) throw new Error(`${this.key}: payment ${paymentId} dated in the future (${spec.paidOn})`);
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

  /** An appeal received today: a decision is notified on the day it is approved, which is today. */
  appeal(label: string, decisionId: string, appellant: PlannedMember, grounds: string): void {
    const decision = this.decisions.get(decisionId)!;
    this.step(`appeal-${label}`, this.caseworker(decision.unit), {
      type: 'ReceiveAppeal',
      data: { appealId: this.id('appeal', label), decisionId, receivedDate: this.ctx.today, appellantMemberId: appellant.memberId, grounds },
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
    for (const adult of this.adults) {
      this.consent(`${label}-${adult.label}`, {
        member: adult,
        givenBy: adult,
        kind: 'combine-family-decision',
        toUnits: units,
        dataCategories: ['needs', 'decisions', 'payments'],
        purpose: 'Ett samlet vedtak og én kontaktperson for hele familien',
        validFrom: consentFrom,
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
