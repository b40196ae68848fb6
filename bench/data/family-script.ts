import {
  CHILD_AGE_LIMIT,
  decisionTypeEntry,
  addDays,
  ADULT_AGE,
  ageOn,
  CHILD_SELF_CONSENT_AGE,
  TRONDHEIM_2023_RULE_SET,
  WITHDRAWAL_CHANNELS,
  type Actor,
  type AddressProtection,
  type ConsentKind,
  type DataCategory,
  type DecisionTypeCode,
  type FamilyCommand,
  type GiveConsent,
  type LocalDate,
  type ReferralGround,
  type SubProjectFacts,
  type Unit,
} from '@familievedtak/domain';
import { deterministicUuid } from '@familievedtak/application';
import { addMonths, dayOf, firstDay, lastDay, monthOf } from '../../apps/cli/src/seed/calendar';
import { adult, child, siblingAges } from '../../apps/cli/src/seed/demo-people';
import { actorOf, FamilyStaff, PARTNERS, partnerActor, type PartnerMember } from '../../apps/cli/src/seed/demo-staff';
import { DEMO_SUB_PROJECTS, partnersOf } from '../../apps/cli/src/seed/demo-sub-projects';
import { CITY_ORIGINS, DISTRICTS, NEEDS, ORIGINS, REFUGEE_ORIGINS, type NeedTopic } from '../../apps/cli/src/seed/demo-words';
import type { MemberSpec } from '../../apps/cli/src/seed/family-builder';
import { Random, seedOf } from '../../apps/cli/src/seed/prng';

/**
 * One synthetic family's life from 2023 to late 2026 as the commands caseworkers and approvers
 * would send, in date order. Pure: the same seed and index give the same script. Shaped by
 * the pilot's figures: 1-8 children (weighted towards small families), 1-2 adults, needs in
 * the family's own words, consents (some expired, some withdrawn), decisions by all five
 * units as trondheim-2023 delegates them, with periods, renewals (a new decision or an
 * amended period), monthly and one-off payments in øre, appeals, rejections and revocations.
 *
 * It follows the rules of a part in the case (docs/design/part-in-the-case.md): the registering
 * unit has the first part; another unit acts only after the registering unit referred the
 * family to it (on the members' information-sharing consent in force that day, or for a child
 * and to BFT only on the duty to inform) and it accepted. Children under 18 are registered with
 * their holders of parental responsibility, who consent for them; every consent names its
 * sources, targets, evidence and end date; a withdrawal is the member's own. Some families are
 * enrolled in a sub-project by its responsible unit, after which the sub-project's partners
 * (by organisation number) write needs down for the enrolled members. A few households live at
 * a protected address (kode 7, rarer kode 6).
 */

/** The last day the generated history reaches: every date is on or before it. */
export const HISTORY_END: LocalDate = '2026-11-20';
export const HISTORY_START_MONTH = '2023-01';

export type ScriptedCommand = { at: LocalDate; seq: number; actor: Actor; command: FamilyCommand };
export type FamilyScript = { familyId: string; index: number; registeredOn: LocalDate; commands: ScriptedCommand[] };

type Member = MemberSpec & { memberId: string };

type ScriptConsent = {
  consentId: string;
  member: Member;
  kind: ConsentKind;
  toUnits: Unit[];
  sourceUnits: Unit[] | null;
  dataCategories: DataCategory[];
  validFrom: LocalDate;
  validUntil: LocalDate;
  /** The day a withdrawal takes effect (the consent no longer holds from that day). */
  withdrawnOn: LocalDate | null;
};

/** A referral and its acceptance, moved to an earlier day when a unit turns out to act earlier. */
type ScriptReferral = { commands: ScriptedCommand[]; members: Member[]; ground: ReferralGround; since: LocalDate };

/**
 * The bench's own sub-project data: the pilot's sub-projects that have partners, with the facts
 * the application would read from each sub-project's stream (the bench writes no sub-project streams).
 */
export const BENCH_SUB_PROJECTS: SubProjectFacts[] = DEMO_SUB_PROJECTS.filter((sp) => partnersOf(sp).length > 0).map((sp) => ({
  subProjectId: `bench-${sp.key}`,
  responsibleUnit: sp.responsibleUnit,
  name: sp.name,
  partners: partnersOf(sp),
  active: true,
}));

/** The user a partner organisation acts through: the demo's named partner users, or one per organisation. */
function partnerUser(organisationNumber: string, name: string): PartnerMember {
  const known = Object.values(PARTNERS).find((p) => p.organisationNumber === organisationNumber);
  return known ?? { userId: `org-${organisationNumber}`, name: `Kontaktperson ${name}`, organisation: name, organisationNumber };
}

const REFERRAL_REASONS: Record<Unit, string> = {
  NAV: 'Familien ønsker hjelp fra NAV med økonomi og arbeid, og har samtykket til at vi deler opplysningene.',
  HVK: 'Familien ønsker hjelp fra helse- og velferdskontoret, og har samtykket til at vi deler opplysningene.',
  BFT: 'Familien ønsker støtte fra barne- og familietjenesten, og har samtykket til at vi deler opplysningene.',
  INN: 'Familien ønsker oppfølging fra Enhet for inkludering, og har samtykket til at vi deler opplysningene.',
  OPPVEKST: 'Familien søker redusert foreldrebetaling i barnehage og SFO, og har samtykket til at vi deler opplysningene.',
};
const DUTY_TO_INFORM = 'Bekymring for barnets omsorgssituasjon; meldt etter opplysningsplikten (barnevernsloven § 13-2).';

const nok = (kroner: number) => kroner * 100;
const maxDate = (a: LocalDate, b: LocalDate) => (a > b ? a : b);
const minDate = (a: LocalDate, b: LocalDate) => (a < b ? a : b);
/** Children per family: 1-8, most families have one to three. */
const CHILD_COUNTS = [1, 1, 1, 1, 1, 1, 2, 2, 2, 2, 2, 2, 3, 3, 3, 3, 4, 4, 5, 5, 6, 7, 8];

/** Whether trondheim-2023 lets `unit` decide `type` for `member` with a period starting `from`. */
function eligible(unit: Unit, type: DecisionTypeCode, member: Member, from: LocalDate): boolean {
  if (member.birthDate > from) return false;
  const rule = TRONDHEIM_2023_RULE_SET.rules.find((r) => r.decisionType === type && r.units.includes(unit));
  if (!rule) return false;
  const age = ageOn(member.birthDate, from);
  return !((rule.members.ageMin !== undefined && age < rule.members.ageMin) || (rule.members.ageMax !== undefined && age > rule.members.ageMax));
}

type ChainSpec = {
  label: string;
  unit: Unit;
  type: DecisionTypeCode;
  members: Member[];
  from: LocalDate;
  periodMonths: number;
  /** A fixed last day of the first period instead of periodMonths (school years). */
  until?: LocalDate;
  monthlyOre?: number;
  reasons: string;
  /** Paid monthly on this day of the month to the first member. */
  payDay?: number;
  /** Chance of a next period after each one (a new decision, or the period amended). */
  renew: number;
  maxPeriods?: number;
  /** Renewed periods are the next school year (from 1 August). */
  schoolYear?: 'kindergarten' | 'after-school';
};

class Script {
  readonly commands: ScriptedCommand[] = [];
  readonly members: Member[] = [];
  readonly staff: FamilyStaff;
  /** Paperwork (evidence, withdrawal channels), apart from `rng`. */
  readonly paper: Random;
  private readonly team = new Set<Unit>();
  private readonly parts = new Map<Unit, ScriptReferral | 'registered'>();
  readonly consents: ScriptConsent[] = [];
  registeredBy: Unit = 'NAV';
  private seq = 0;
  private ids = 0;

  constructor(
    readonly rng: Random,
    readonly seed: number,
    readonly index: number,
    readonly familyId: string,
  ) {
    this.staff = new FamilyStaff(rng);
    this.paper = new Random(seedOf(seed, 'bench-paperwork', index));
  }

  get adults(): Member[] {
    return this.members.filter((m) => m.role === 'adult');
  }

  /**
   * A party of a decision about these members (fvl § 2 (1) e): an adult it names, else, for a
   * decision about children only, a parent with parental responsibility (the household's adults
   * hold it for every child under 18 from the registration).
   */
  partyOf(members: Member[], on: LocalDate): Member {
    const party = members.find((m) => ageOn(m.birthDate, on) >= ADULT_AGE) ?? this.adults[0];
    if (!party) throw new Error(`family ${this.index}: no party to appeal a decision about ${members.map((m) => m.memberId).join(', ')}`);
    return party;
  }

  /** The registering unit's part (FamilyRegistered gives it). */
  registered(unit: Unit): void {
    this.registeredBy = unit;
    this.parts.set(unit, 'registered');
  }

  private inForce(c: ScriptConsent, date: LocalDate): boolean {
    return c.validFrom <= date && date <= c.validUntil && (c.withdrawnOn === null || date < c.withdrawnOn);
  }

  /** Each member has an information-sharing consent in force on `date` naming `unit`, the category and a source among `owners`. */
  covered(unit: Unit, members: Member[], date: LocalDate, category: DataCategory, owners: Unit[]): boolean {
    return (
      members.length > 0 &&
      members.every((m) =>
        this.consents.some(
          (c) =>
            c.kind === 'information-sharing' &&
            c.member.memberId === m.memberId &&
            this.inForce(c, date) &&
            c.toUnits.includes(unit) &&
            c.dataCategories.includes(category) &&
            (c.sourceUnits === null || owners.some((o) => c.sourceUnits!.includes(o))),
        ),
      )
    );
  }

  /** Whether a referral would hold on `date`: consents in force, or children under 18 to BFT. */
  private referralHolds(unit: Unit, members: Member[], ground: ReferralGround, date: LocalDate): boolean {
    if (ground === 'duty-to-inform-child-welfare') return unit === 'BFT' && members.every((m) => m.birthDate <= date && ageOn(m.birthDate, date) < ADULT_AGE);
    return members.every((m) =>
      this.consents.some(
        (c) =>
          c.kind === 'information-sharing' &&
          c.member.memberId === m.memberId &&
          this.inForce(c, date) &&
          c.toUnits.includes(unit) &&
          (c.sourceUnits === null || c.sourceUnits.includes(this.registeredBy)),
      ),
    );
  }

  /**
   * The unit has a part on `date`, or gets one then: the registering unit refers the family
   * (about `about` when their consents allow, else about everyone whose consent does; for BFT
   * without consent, about the children on the duty to inform) and the unit accepts. A part
   * first planned for a later day moves to `date` when the referral holds then too. False when
   * nothing lets the unit in: it then stays out of the family's case.
   */
  ensurePart(unit: Unit, date: LocalDate, about: Member[] = []): boolean {
    const part = this.parts.get(unit);
    if (part === 'registered') return true;
    if (part) {
      if (part.since <= date) return true;
      if (!this.referralHolds(unit, part.members, part.ground, date)) return false;
      for (const command of part.commands) command.at = date;
      part.since = date;
      return true;
    }
    let members =
      about.length > 0 && this.referralHolds(unit, about, 'consent', date) ? about : this.members.filter((m) => this.referralHolds(unit, [m], 'consent', date));
    let ground: ReferralGround = 'consent';
    if (members.length === 0) {
      members = unit === 'BFT' ? (about.length ? about : this.members).filter((m) => this.referralHolds(unit, [m], 'duty-to-inform-child-welfare', date)) : [];
      ground = 'duty-to-inform-child-welfare';
    }
    if (members.length === 0 || date > HISTORY_END) return false;
    const referralId = this.id('referral');
    const refer = this.push(date, this.caseworker(this.registeredBy), {
      type: 'ReferToUnit',
      data: {
        referralId,
        toUnit: unit,
        memberIds: members.map((m) => m.memberId),
        reason: ground === 'consent' ? REFERRAL_REASONS[unit] : DUTY_TO_INFORM,
        ground,
      },
    })!;
    const accept = this.push(date, this.caseworker(unit), { type: 'AcceptReferral', data: { referralId } })!;
    this.parts.set(unit, { commands: [refer, accept], members, ground, since: date });
    return true;
  }

  evidence(): GiveConsent['data']['evidence'] {
    return this.paper.chance(0.75)
      ? { form: 'written', documentRef: `SAMTYKKE-${this.index}-${this.ids}` }
      : { form: 'oral', note: 'Gitt muntlig i møte med familien; dokumentert samme dag.' };
  }

  /** A consent as given on `at`; the caller picks an entitled giver (birth dates, parental responsibility). */
  consent(
    at: LocalDate,
    recordedBy: Unit,
    spec: Omit<ScriptConsent, 'consentId' | 'withdrawnOn' | 'validFrom'> & { givenBy: Member; purpose: string },
  ): ScriptConsent {
    const consent: ScriptConsent = {
      consentId: this.id('consent'),
      member: spec.member,
      kind: spec.kind,
      toUnits: spec.toUnits,
      sourceUnits: spec.kind === 'information-sharing' ? spec.sourceUnits : null,
      dataCategories: spec.dataCategories,
      validFrom: at,
      validUntil: spec.validUntil,
      withdrawnOn: null,
    };
    this.push(at, this.caseworker(recordedBy), {
      type: 'GiveConsent',
      data: {
        consentId: consent.consentId,
        memberId: spec.member.memberId,
        givenByMemberId: spec.givenBy.memberId,
        kind: spec.kind,
        ...(consent.sourceUnits ? { sourceUnits: consent.sourceUnits } : {}),
        toUnits: spec.toUnits,
        dataCategories: spec.dataCategories,
        purpose: spec.purpose,
        validFrom: at,
        validUntil: spec.validUntil,
        evidence: this.evidence(),
      },
    });
    this.consents.push(consent);
    return consent;
  }

  /** The member (an adult, about themself) says they withdraw it. */
  withdraw(consent: ScriptConsent, at: LocalDate, recordedBy: Unit): void {
    if (at > HISTORY_END) return;
    this.push(at, this.caseworker(recordedBy), {
      type: 'WithdrawConsent',
      data: {
        consentId: consent.consentId,
        reason: 'Ønsker ikke lenger at tjenestene deler opplysninger.',
        expressedByMemberId: consent.member.memberId,
        channel: this.paper.pick(WITHDRAWAL_CHANNELS),
      },
    });
    consent.withdrawnOn = at;
  }

  id(kind: string): string {
    return deterministicUuid('familievedtak-bench', String(this.seed), String(this.index), kind, String(this.ids++));
  }

  caseworker(unit: Unit): Actor {
    return actorOf(this.staff.caseworker(unit));
  }

  approver(unit: Unit): Actor {
    return actorOf(this.staff.approver(unit));
  }

  push(at: LocalDate, actor: Actor, command: FamilyCommand): ScriptedCommand | null {
    if (at > HISTORY_END) return null;
    const scripted = { at, seq: this.seq++, actor, command };
    this.commands.push(scripted);
    return scripted;
  }

  join(unit: Unit, at: LocalDate, teamRole: string): void {
    if (this.team.has(unit)) return;
    this.team.add(unit);
    const person = this.staff.caseworker(unit);
    this.push(at, actorOf(person), {
      type: 'JoinContactPerson',
      data: { personId: person.userId, name: `${person.name} (${person.office})`, affiliation: { kind: 'unit', unit }, teamRole },
    });
  }

  /**
   * A unit's decision and its successors: propose (sometimes rejected first), approve, pay
   * monthly, maybe an appeal (upheld or reversed), maybe a revocation; at the end of a period
   * either the period is amended, or the decision expires and a new one may follow.
   */
  chain(spec: ChainSpec, registeredOn: LocalDate): string[] {
    const { rng } = this;
    const decisions: string[] = [];
    let from = spec.from;
    let until = spec.until ?? lastDay(addMonths(monthOf(from), spec.periodMonths - 1));
    let monthly = spec.monthlyOre;
    for (let period = 0; period < (spec.maxPeriods ?? 99); period++) {
      const members = spec.members.filter((m) => eligible(spec.unit, spec.type, m, from));
      if (members.length === 0 || from > HISTORY_END) break;
      let proposeAt = maxDate(registeredOn, addDays(from, -rng.int(3, 14)));
      if (proposeAt > HISTORY_END) break;
      // Without a part (no consent lets the registering unit refer the family on), the unit stays out.
      if (!this.ensurePart(spec.unit, proposeAt, members)) break;
      this.join(spec.unit, proposeAt, 'kontaktperson');
      const propose = (decisionId: string, at: LocalDate) =>
        this.push(at, this.caseworker(spec.unit), {
          type: 'ProposeDecision',
          data: {
            decisionId,
            unit: spec.unit,
            decisionType: spec.type,
            memberIds: members.map((m) => m.memberId),
            periodFrom: from,
            periodUntil: until,
            amounts: monthly ? { monthlyAmountOre: monthly * (spec.schoolYear ? members.length : 1) } : undefined,
            outcome: 'granted',
            // fvl §§ 24-25: the type's legal basis is the rule applied; the script's text the facts and summary.
            reasons: {
              rulesApplied: [decisionTypeEntry(spec.type).defaultLegalBasis ?? spec.type],
              facts: spec.reasons,
              mainConsiderations: null,
              summary: spec.reasons,
            },
            // barnekonvensjonen art. 12: children are heard (the youngest recorded as not yet able to form views).
            childViews: members
              .filter((m) => ageOn(m.birthDate, at) < CHILD_AGE_LIMIT)
              .map((m) =>
                ageOn(m.birthDate, at) < 7
                  ? { memberId: m.memberId, heard: false, whyNot: 'not-able-to-form-views' as const, explanation: 'Under sju år.' }
                  : {
                      memberId: m.memberId,
                      heard: true,
                      how: 'conversation' as const,
                      heardOn: addDays(at, -1),
                      views: 'Ønsker hjelpen.',
                      weight: 'Vektlagt etter alder og modenhet.',
                    },
              ),
          },
        });
      if (rng.chance(0.03)) {
        const rejected = this.id('decision');
        propose(rejected, proposeAt);
        this.push(addDays(proposeAt, 1), this.approver(spec.unit), {
          type: 'RejectDecision',
          data: { decisionId: rejected, reason: 'Mangler dokumentasjon av inntekt; ny behandling når den foreligger.' },
        });
        proposeAt = addDays(proposeAt, 2);
      }
      const decisionId = this.id('decision');
      decisions.push(decisionId);
      propose(decisionId, proposeAt);
      const approvedOn = addDays(proposeAt, rng.int(0, 3));
      this.push(approvedOn, this.approver(spec.unit), { type: 'ApproveDecision', data: { decisionId } });

      // An appeal within the three weeks, decided well before the period ends.
      let appealDecidedOn: LocalDate | null = null;
      let raisedFrom: LocalDate | null = null;
      if (rng.chance(0.06)) {
        const receivedOn = addDays(approvedOn, rng.int(2, 18));
        const decidedOn = addDays(receivedOn, rng.int(10, 40));
        if (decidedOn < addDays(until, -25) && decidedOn <= HISTORY_END) {
          const appealId = this.id('appeal');
          // Registered, assessed and prepared by the deciding unit (fvl §§ 32-33); then the unit
          // either changes its decision or forwards the case to the appeal body, whose outcome follows.
          // The appellant is a party (fvl §§ 2 (1) e, 28 (1)), so the form is met and the appeal prepared.
          this.push(receivedOn, this.caseworker(spec.unit), {
            type: 'RegisterAppeal',
            data: {
              appealId,
              decisionId,
              appellant: { memberId: this.partyOf(members, receivedOn).memberId },
              receivedOn,
              channel: 'post',
              signed: true,
              grounds: 'Familien mener vedtaket ikke tar hensyn til husstandens behov.',
            },
          });
          this.push(receivedOn, this.caseworker(spec.unit), {
            type: 'AssessAppealForm',
            data: { appealId, specific: true, signed: true, reasons: 'Klagen er undertegnet og sier hva som ønskes endret.' },
          });
          this.push(receivedOn, this.caseworker(spec.unit), {
            type: 'PrepareAppeal',
            data: { appealId, investigations: 'Husstandens utgifter er gjennomgått på nytt.', counterpartiesNotified: false },
          });
          const reversed = monthly !== undefined && !spec.schoolYear && rng.chance(0.35);
          if (reversed) {
            monthly = monthly! + nok(rng.int(3, 12) * 100);
            // In valid time from the day it is changed, never before the decision's period starts.
            raisedFrom = maxDate(decidedOn, from);
            this.push(decidedOn, this.approver(spec.unit), {
              type: 'ChangeDecisionOnAppeal',
              data: {
                appealId,
                fully: true,
                reasons: 'Klagen tas til følge: beløpet økes etter ny vurdering av husstandens utgifter.',
                change: { kind: 'amend', amendment: { amounts: { monthlyAmountOre: monthly } }, effectiveFrom: raisedFrom },
              },
            });
          } else {
            this.push(addDays(receivedOn, 1), this.approver(spec.unit), {
              type: 'ForwardAppeal',
              data: { appealId, unitStatement: 'Vedtaket opprettholdes; klagen sendes klageinstansen.', copyToParty: true },
            });
            this.push(decidedOn, this.caseworker(spec.unit), {
              type: 'RecordAppealOutcome',
              data: {
                appealId,
                outcome: 'upheld',
                decidedOn,
                receivedOn: decidedOn,
                reference: `KI ${decidedOn.slice(0, 4)}/${appealId.slice(0, 8)}`,
                summary: 'Klageinstansen opprettholder vedtaket.',
              },
            });
          }
          appealDecidedOn = decidedOn;
        }
      }

      // Rarely revoked in the middle of a period: nothing more is paid or renewed.
      let revokedOn: LocalDate | null = null;
      if (rng.chance(0.02)) {
        const at = addDays(maxDate(approvedOn, appealDecidedOn ?? approvedOn), rng.int(30, 120));
        if (at < addDays(until, -10)) revokedOn = at;
      }

      // Amended once at most: the period runs on under the same decision.
      let amended = false;
      const payUntil = (last: LocalDate) => {
        if (!spec.payDay || monthly === undefined) return;
        for (let month = monthOf(from); month <= monthOf(last); month = addMonths(month, 1)) {
          const paidOn = dayOf(month, spec.payDay);
          if (paidOn <= approvedOn || paidOn < from || paidOn > last || paidOn > HISTORY_END) continue;
          if (revokedOn && paidOn >= revokedOn) break;
          const amountOre = raisedFrom && paidOn > raisedFrom ? monthly : (spec.monthlyOre ?? monthly);
          this.push(paidOn, this.caseworker(spec.unit), {
            type: 'RecordPayment',
            data: {
              paymentId: this.id('payment'),
              recipientMemberId: members[0].memberId,
              amountOre,
              method: 'bank-transfer',
              funding: { kind: 'unit', unit: spec.unit },
              answersDecisionId: decisionId,
              documentationRef: `${spec.unit}-UTB-${month}-${this.index}`,
              paidOn,
            },
          });
        }
      };
      payUntil(until);
      if (revokedOn) {
        // fvl § 16: advance notice three weeks ahead, two weeks to answer; when the decision is younger
        // than that, the household told the unit itself (§ 16 third paragraph c).
        const sentOn = addDays(revokedOn, -21);
        const noticeId = sentOn > approvedOn ? this.id('notice') : null;
        if (noticeId) {
          const recipients = this.members.filter(
            (m) => m.role === 'adult' || (members.some((d) => d.memberId === m.memberId) && ageOn(m.birthDate, sentOn) >= 15),
          );
          this.push(sentOn, this.caseworker(spec.unit), {
            type: 'SendAdvanceNotice',
            data: {
              noticeId,
              decisionId,
              intendedAct: 'revoke',
              memberIds: recipients.map((m) => m.memberId),
              sentOn,
              answerBy: addDays(revokedOn, -7),
              channel: 'digital-mailbox',
            },
          });
        }
        this.push(revokedOn, this.approver(spec.unit), {
          type: 'RevokeDecision',
          data: {
            decisionId,
            reason: 'Endrede forhold: husstanden har fått inntekt som dekker behovet.',
            ground: 'general-doctrine',
            ...(noticeId
              ? { advanceNoticeId: noticeId }
              : { advanceNoticeWaiver: { ground: '§ 16 (3) c' as const, explanation: 'Husstanden meldte selv fra om inntekten.' } }),
          },
        });
        break;
      }
      if (!spec.schoolYear && rng.chance(spec.renew * 0.3) && until < HISTORY_END) {
        const amendAt = addDays(until, -rng.int(5, 15));
        if (amendAt > approvedOn && (appealDecidedOn === null || amendAt > appealDecidedOn)) {
          const newUntil = lastDay(addMonths(monthOf(until), spec.periodMonths));
          this.push(amendAt, this.approver(spec.unit), {
            type: 'AmendDecision',
            data: { decisionId, periodUntil: newUntil, reasons: `${spec.reasons} Perioden forlenges etter ny vurdering.` },
          });
          const previousUntil = until;
          until = newUntil;
          amended = true;
          // Pay the added months under the same decision.
          const before = from;
          from = addDays(previousUntil, 1);
          payUntil(until);
          from = before;
        }
      }
      void amended;
      if (until >= HISTORY_END) break;
      this.push(addDays(until, rng.int(1, 7)), this.caseworker(spec.unit), { type: 'ExpireDecision', data: { decisionId } });
      if (!rng.chance(spec.renew)) break;
      if (spec.schoolYear) {
        const nextYear = Number(from.slice(0, 4)) + 1;
        from = `${nextYear}-08-01`;
        until = spec.schoolYear === 'kindergarten' ? `${nextYear + 1}-07-31` : `${nextYear + 1}-06-19`;
      } else {
        from = addDays(until, 1);
        until = lastDay(addMonths(monthOf(from), spec.periodMonths - 1));
      }
    }
    return decisions;
  }
}

/**
 * The responsible unit (which must get a part) enrols every member; it adds one partner's
 * contact person to the team; the partner records one or two needs (partners only write needs
 * down), some taken on by the unit, some withdrawn by it; sometimes the enrolment ends, and the
 * partner's contact person leaves the team with it.
 */
function enrol(s: Script, subProject: SubProjectFacts, enrolOn: LocalDate): void {
  const { rng } = s;
  const unit = subProject.responsibleUnit;
  if (enrolOn > HISTORY_END || !s.ensurePart(unit, enrolOn, s.members)) return;
  const enrolmentId = s.id('enrolment');
  s.push(enrolOn, s.caseworker(unit), {
    type: 'EnrolInSubProject',
    // The sub-project's facts, as the application fills them from the sub-project's stream.
    data: { enrolmentId, subProjectId: subProject.subProjectId, memberIds: s.members.map((m) => m.memberId), subProject },
  });
  const named = rng.pick(subProject.partners);
  const partner = partnerUser(named.organisationNumber, named.name);
  const joinedOn = addDays(enrolOn, rng.int(1, 10));
  s.push(joinedOn, s.caseworker(unit), {
    type: 'JoinContactPerson',
    data: {
      personId: partner.userId,
      name: `${partner.name} (${named.name})`,
      affiliation: { kind: 'partner', organisation: named.name, organisationNumber: named.organisationNumber },
      teamRole: 'kontaktperson i delprosjektet',
    },
  });
  const topics = Object.keys(NEEDS) as NeedTopic[];
  for (let n = rng.int(1, 2); n > 0; n--) {
    const expressedOn = addDays(enrolOn, rng.int(5, 300));
    const needId = s.id('need');
    const member = rng.chance(0.6) ? rng.pick(s.members) : null;
    s.push(expressedOn, partnerActor(partner), {
      type: 'ExpressNeed',
      data: { needId, memberId: member?.memberId ?? null, words: rng.pick(NEEDS[rng.pick(topics)]), expressedOn },
    });
    const fate = rng.float();
    if (fate < 0.2) {
      // Partners only write needs down; the enrolling unit records that the family no longer needs it.
      s.push(addDays(expressedOn, rng.int(5, 60)), s.caseworker(unit), {
        type: 'WithdrawNeed',
        data: { needId, reason: 'Familien fikk hjelp til dette gjennom frivilligheten.' },
      });
    } else if (fate < 0.6) {
      // The enrolling unit answers for its partners' records: it reads the need as its own.
      const pickedUpOn = addDays(expressedOn, rng.int(1, 30));
      s.push(pickedUpOn, s.caseworker(unit), { type: 'PickUpNeed', data: { needId } });
      s.push(addDays(pickedUpOn, rng.int(3, 60)), s.caseworker(unit), {
        type: 'ResolveNeed',
        data: { needId, resolution: `Fulgt opp i ${subProject.name}, sammen med familien.` },
      });
    }
  }
  if (rng.chance(0.4)) {
    // The partner's contact person leaves the team with the enrolment.
    s.push(addDays(enrolOn, rng.int(400, 700)), s.caseworker(unit), {
      type: 'EndEnrolment',
      data: { enrolmentId, reason: 'Familien har fullført løpet i delprosjektet.' },
    });
  }
}

/** The family id of family `index` under `seed`: a stable UUID. */
export const familyIdOf = (seed: number, index: number): string => deterministicUuid('familievedtak-bench', String(seed), 'family', String(index));

export function scriptFamily(seed: number, index: number): FamilyScript {
  const rng = new Random(seedOf(seed, 'bench-family', index));
  const familyId = familyIdOf(seed, index);
  const s = new Script(rng, seed, index, familyId);

  // Registered some time between January 2023 and June 2024 (most history is monthly money).
  const registeredOn = dayOf(addMonths(HISTORY_START_MONTH, rng.int(0, 17)), rng.int(1, 25));
  const newcomers = rng.chance(0.25);
  const originKey = rng.pick(newcomers ? REFUGEE_ORIGINS : CITY_ORIGINS);
  const surname = rng.pick(ORIGINS[originKey].surnames);
  const ages = siblingAges(rng, rng.pick(CHILD_COUNTS), 6);
  const eldest = ages[ages.length - 1];
  const parentAge = Math.max(eldest + rng.int(20, 30), rng.int(22, 38));
  const firstSex = rng.chance(0.8) ? 'f' : 'm';
  const hasId = () => !newcomers || rng.chance(0.8);
  const specs: MemberSpec[] = [adult(rng, 'adult-1', firstSex, parentAge, registeredOn, surname, { origin: originKey, hasNationalId: hasId() })];
  if (rng.chance(0.45)) {
    specs.push(
      adult(rng, 'adult-2', firstSex === 'f' ? 'm' : 'f', parentAge + rng.int(-3, 6), registeredOn, surname, { origin: originKey, hasNationalId: hasId() }),
    );
  }
  const taken = new Set<string>();
  ages.forEach((age, i) => specs.push(child(rng, `child-${i + 1}`, age, registeredOn, surname, { origin: originKey, hasNationalId: hasId() }, taken)));
  s.members.push(...specs.map((m) => ({ ...m, memberId: s.id('member') })));
  const adults = s.members.filter((m) => m.role === 'adult');
  const children = s.members.filter((m) => m.role === 'child');

  const registeredBy: Unit = newcomers ? 'INN' : rng.pick(['NAV', 'NAV', 'NAV', 'HVK', 'BFT', 'OPPVEKST'] as const);
  // A few households live at a protected address: kode 7 (fortrolig), rarer kode 6 (strengt fortrolig).
  const protection = s.paper.float();
  const addressProtection: AddressProtection = protection < 0.01 ? 'strengt-fortrolig' : protection < 0.04 ? 'fortrolig' : 'none';
  // Holders of parental responsibility: the household's adults, for each child under 18 (from the birth register).
  const minors = children.filter((c) => ageOn(c.birthDate, registeredOn) < ADULT_AGE);
  s.push(registeredOn, s.caseworker(registeredBy), {
    type: 'RegisterFamily',
    data: {
      familyId,
      district: rng.pick(Object.values(DISTRICTS)),
      members: s.members.map((m) => ({
        memberId: m.memberId,
        name: m.name,
        birthDate: m.birthDate,
        role: m.role,
        nationalId: m.nationalId,
        preferredLanguage: m.language,
        addressProtection,
      })),
      parentalResponsibility: minors.flatMap((c) => adults.map((a) => ({ childId: c.memberId, holderId: a.memberId, basis: 'birth-registration' as const }))),
    },
  });
  s.registered(registeredBy);

  // The registering unit coordinates, with every adult's consent to that.
  for (const grown of adults) {
    s.consent(registeredOn, registeredBy, {
      member: grown,
      givenBy: grown,
      kind: 'coordination',
      toUnits: [registeredBy],
      sourceUnits: null,
      dataCategories: ['needs', 'decisions'],
      purpose: 'Én enhet koordinerer hjelpen rundt familien og er familiens faste kontakt',
      validUntil: lastDay(addMonths(monthOf(registeredOn), 36)),
    });
  }
  s.join(registeredBy, registeredOn, 'koordinator');
  s.push(registeredOn, s.caseworker(registeredBy), { type: 'NameCoordinatingUnit', data: { unit: registeredBy } });

  // Consents to share information, given at the first meeting: what lets the registering unit
  // refer the family on. Some run out during the history, some are withdrawn later.
  for (const grown of adults) {
    if (!rng.chance(0.85)) continue;
    const expires = rng.chance(0.25);
    const units = (['NAV', 'HVK', 'BFT', 'INN', 'OPPVEKST'] as const).filter((u) => u === registeredBy || rng.chance(0.8));
    const consent = s.consent(registeredOn, registeredBy, {
      member: grown,
      givenBy: grown,
      kind: 'information-sharing',
      sourceUnits: [...units],
      toUnits: [...units],
      dataCategories: ['needs', 'decisions', 'payments'],
      purpose: 'Samarbeid mellom tjenestene om familiens søknader og oppfølging',
      validUntil: lastDay(addMonths(monthOf(registeredOn), expires ? rng.int(6, 12) : rng.int(24, 36))),
    });
    if (!expires && rng.chance(0.15)) s.withdraw(consent, addDays(registeredOn, rng.int(60, 600)), registeredBy);
  }
  for (const kid of children) {
    if (!rng.chance(0.2)) continue;
    const givenOn = addDays(registeredOn, rng.int(0, 30));
    // Under 18 a holder of parental responsibility consents for the child; from 18 the young person.
    const givenBy = ageOn(kid.birthDate, givenOn) < ADULT_AGE ? adults[0] : kid;
    s.consent(givenOn, registeredBy, {
      member: kid,
      givenBy,
      kind: 'information-sharing',
      sourceUnits: [...new Set<Unit>([registeredBy, 'BFT', 'OPPVEKST'])],
      toUnits: ['BFT', 'OPPVEKST'],
      dataCategories: ['needs', 'decisions'],
      purpose: 'Samarbeid mellom barnevernet og skole/barnehage',
      validUntil: lastDay(addMonths(monthOf(givenOn), 24)),
    });
  }

  // From 16 a young person consents to sharing health information themself (pasient- og brukerrettighetsloven § 4-3).
  for (const young of minors.filter((c) => ageOn(c.birthDate, registeredOn) >= CHILD_SELF_CONSENT_AGE)) {
    if (!rng.chance(0.3)) continue;
    s.consent(registeredOn, registeredBy, {
      member: young,
      givenBy: young,
      kind: 'information-sharing',
      sourceUnits: ['HVK'],
      toUnits: [...new Set<Unit>(['HVK', 'BFT', registeredBy])],
      dataCategories: ['health'],
      purpose: 'Helsestasjon for ungdom og barne- og familietjenesten samarbeider om ungdommens helse',
      validUntil: lastDay(addMonths(monthOf(registeredOn), 12)),
    });
  }

  const householdSize = s.members.length;
  const firstMonthStart = firstDay(addMonths(monthOf(registeredOn), 1));

  // NAV: economic social assistance in six-month periods, paid on the 1st.
  if (registeredBy === 'NAV' || rng.chance(newcomers ? 0.55 : 0.8)) {
    s.chain(
      {
        label: 'nav',
        unit: 'NAV',
        type: 'economic-social-assistance',
        members: adults,
        from: firstMonthStart,
        periodMonths: 6,
        monthlyOre: nok(Math.round((2_500 + householdSize * rng.int(900, 2_400)) / 100) * 100),
        reasons: `Husstandens inntekt er under statens veiledende satser for ${householdSize} personer. Stønad til livsopphold etter en individuell vurdering.`,
        payDay: 1,
        renew: 0.9,
      },
      registeredOn,
    );
  }

  // INN: introduction programme and benefit for each adult (two years), benefit paid on the 15th.
  if (newcomers) {
    for (const grown of adults) {
      if (!eligible('INN', 'introduction-programme', grown, firstMonthStart)) continue;
      const full = ageOn(grown.birthDate, firstMonthStart) >= 25;
      s.chain(
        {
          label: 'intro',
          unit: 'INN',
          type: 'introduction-programme',
          members: [grown],
          from: firstMonthStart,
          periodMonths: 24,
          reasons: 'Nylig bosatt flyktning med rett og plikt til introduksjonsprogram: norskopplæring, samfunnskunnskap og arbeidspraksis.',
          renew: 0,
          maxPeriods: 1,
        },
        registeredOn,
      );
      s.chain(
        {
          label: 'intro-benefit',
          unit: 'INN',
          type: 'introduction-benefit',
          members: [grown],
          from: addDays(firstMonthStart, 20),
          until: lastDay(addMonths(monthOf(firstMonthStart), 23)),
          periodMonths: 24,
          monthlyOre: full ? nok(21_700) : nok(14_470),
          reasons: full
            ? 'Deltar i introduksjonsprogram på heltid; full introduksjonsstønad.'
            : 'Deltar i introduksjonsprogram på heltid; under 25 år, to tredeler av full stønad.',
          payDay: 15,
          renew: 0,
          maxPeriods: 1,
        },
        registeredOn,
      );
    }
  }

  // OPPVEKST: fee reductions per kindergarten / school year for the children of the right age.
  if (rng.chance(0.7)) {
    const year = Number(firstMonthStart.slice(0, 4)) - (firstMonthStart.slice(5, 7) < '07' ? 1 : 0);
    const from = maxDate(`${year}-08-01`, firstMonthStart);
    const kindergarten = children.filter((c) => c.birthDate <= from && ageOn(c.birthDate, from) >= 1 && ageOn(c.birthDate, from) <= 5);
    const afterSchool = children.filter((c) => ageOn(c.birthDate, from) >= 6 && ageOn(c.birthDate, from) <= 9);
    if (kindergarten.length) {
      s.chain(
        {
          label: 'kindergarten',
          unit: 'OPPVEKST',
          type: 'kindergarten-fee-reduction',
          members: kindergarten,
          from,
          until: `${year + 1}-07-31`,
          periodMonths: 12,
          monthlyOre: nok(1_300),
          reasons: 'Husstandens samlede inntekt gir rett til redusert foreldrebetaling og 20 timer gratis kjernetid i barnehagen.',
          renew: 0.9,
          schoolYear: 'kindergarten',
        },
        registeredOn,
      );
    }
    if (afterSchool.length) {
      s.chain(
        {
          label: 'sfo',
          unit: 'OPPVEKST',
          type: 'after-school-fee-reduction',
          members: afterSchool,
          from,
          until: `${year + 1}-06-19`,
          periodMonths: 12,
          monthlyOre: nok(1_000),
          reasons: 'Husstandens inntekt gir rett til redusert betaling i SFO.',
          renew: 0.9,
          schoolYear: 'after-school',
        },
        registeredOn,
      );
    }
  }

  // BFT: a support measure for a child, a year at a time; relief paid monthly to the family.
  const bftFrom = firstDay(addMonths(monthOf(registeredOn), rng.int(1, 8)));
  const bftChildren = children.filter((c) => eligible('BFT', 'child-welfare-support-measure', c, bftFrom) && ageOn(c.birthDate, bftFrom) <= 16);
  if (bftChildren.length && (registeredBy === 'BFT' || rng.chance(0.5))) {
    s.chain(
      {
        label: 'bft',
        unit: 'BFT',
        type: 'child-welfare-support-measure',
        members: [rng.pick(bftChildren)],
        from: bftFrom,
        periodMonths: 12,
        monthlyOre: nok(rng.int(15, 40) * 100),
        reasons: 'Hjelpetiltak i hjemmet: veiledning til foreldrene og avlastning annenhver helg.',
        payDay: 20,
        renew: 0.7,
      },
      registeredOn,
    );
  }

  // HVK: health and care for an adult, and sometimes municipal housing for the household.
  if (registeredBy === 'HVK' || rng.chance(0.3)) {
    s.chain(
      {
        label: 'hvk-health',
        unit: 'HVK',
        type: 'adult-health-care-service',
        members: [rng.pick(adults)],
        from: firstDay(addMonths(monthOf(registeredOn), rng.int(1, 12))),
        periodMonths: 12,
        reasons: 'Hjemmesykepleie og samtaler med psykisk helsetjeneste etter behov.',
        renew: 0.6,
      },
      registeredOn,
    );
  }
  if (rng.chance(0.15)) {
    const from = firstDay(addMonths(monthOf(registeredOn), rng.int(1, 10)));
    s.chain(
      {
        label: 'hvk-housing',
        unit: 'HVK',
        type: 'municipal-housing',
        members: s.members.filter((m) => m.birthDate <= from),
        from,
        periodMonths: 36,
        reasons: 'Bostedsløs etter samlivsbrudd; kommunal bolig for husstanden.',
        renew: 0.5,
      },
      registeredOn,
    );
  }

  // Needs in the family's own words: picked up, answered with a one-off payment or a resolution, or withdrawn.
  const topics = Object.keys(NEEDS) as NeedTopic[];
  const needCount = rng.int(2, 7);
  for (let n = 0; n < needCount; n++) {
    const topic = rng.pick(topics);
    const expressedOn = addDays(registeredOn, rng.int(0, 700));
    if (expressedOn > HISTORY_END) continue;
    const needId = s.id('need');
    let unit: Unit = rng.pick(['NAV', 'HVK', 'BFT', 'INN', 'OPPVEKST'] as const);
    const member = rng.chance(0.5) ? rng.pick(s.members) : null;
    s.push(expressedOn, s.caseworker(registeredBy), {
      type: 'ExpressNeed',
      data: { needId, memberId: member?.memberId ?? null, words: rng.pick(NEEDS[topic]), expressedOn },
    });
    const fate = rng.float();
    if (fate < 0.25) continue; // nobody took it on (yet)
    if (fate < 0.33) {
      s.push(addDays(expressedOn, rng.int(5, 90)), s.caseworker(registeredBy), {
        type: 'WithdrawNeed',
        data: { needId, reason: 'Familien har ordnet dette selv.' },
      });
      continue;
    }
    const pickedUpOn = addDays(expressedOn, rng.int(1, 30));
    // Another unit takes it on only if the family's consent lets it read the need (and it gets a part); else the registering unit does.
    const about = member ? [member] : adults;
    if (unit !== registeredBy && !(s.covered(unit, about, pickedUpOn, 'needs', [registeredBy]) && s.ensurePart(unit, pickedUpOn, about))) unit = registeredBy;
    s.join(unit, pickedUpOn, 'kontaktperson');
    s.push(pickedUpOn, s.caseworker(unit), { type: 'PickUpNeed', data: { needId } });
    if (fate < 0.55) continue;
    const resolvedOn = addDays(pickedUpOn, rng.int(3, 60));
    if (rng.chance(0.6)) {
      const paymentId = s.id('payment');
      const amountOre = nok(rng.int(5, 80) * 100);
      s.push(resolvedOn, s.caseworker(unit), {
        type: 'RecordPayment',
        data: {
          paymentId,
          recipientMemberId: adults[0].memberId,
          amountOre,
          method: rng.pick(['supplier-payment', 'gift-card', 'bank-transfer'] as const),
          funding: { kind: 'unit', unit },
          answersNeedId: needId,
          documentationRef: `${unit}-ENG-${resolvedOn}-${index}-${n}`,
          paidOn: resolvedOn,
        },
      });
      const reversed = rng.chance(0.03);
      if (reversed) {
        s.push(addDays(resolvedOn, rng.int(1, 20)), s.caseworker(unit), {
          type: 'ReversePayment',
          data: { paymentId, reason: 'Feil mottakerkonto; betalingen ble returnert.' },
        });
        s.push(addDays(resolvedOn, 25), s.caseworker(unit), {
          type: 'ResolveNeed',
          data: { needId, resolution: 'Løst sammen med familien etter at betalingen ble returnert.' },
        });
      } else {
        s.push(resolvedOn, s.caseworker(unit), { type: 'ResolveNeed', data: { needId, paymentIds: [paymentId] } });
      }
    } else {
      s.push(resolvedOn, s.caseworker(unit), { type: 'ResolveNeed', data: { needId, resolution: 'Avtalt oppfølging med fast kontaktperson.' } });
    }
  }

  // Some families are enrolled in a sub-project by its responsible unit; its partners (by
  // organisation number) then write needs down for the enrolled members.
  if (rng.chance(0.2)) enrol(s, rng.pick(BENCH_SUB_PROJECTS), addDays(registeredOn, rng.int(10, 200)));

  // Date order; commands of one day keep the order they were planned in (propose before approve).
  const commands = s.commands.filter((c) => c.at <= HISTORY_END).sort((a, b) => (a.at < b.at ? -1 : a.at > b.at ? 1 : a.seq - b.seq));
  void minDate;
  return { familyId, index, registeredOn, commands };
}
