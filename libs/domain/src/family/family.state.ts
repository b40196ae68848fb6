import type { DecisionTypeCode } from '../delegation/decision-type.catalogue';
import type { ActorRef } from '../shared/actor';
import type { LocalDate } from '../shared/local-date';
import type { Ore } from '../shared/money';
import type { Unit } from '../shared/units';
import type { FamilyEventType } from './family.events';
import type {
  Affiliation,
  AppealOutcome,
  ConsentKind,
  DataCategory,
  DecisionAmounts,
  DecisionTerms,
  DelegationRef,
  Funding,
  IncludedDecision,
  MemberDetails,
  NeedRecorder,
  PaymentMethod,
  SubProjectRef,
} from './family.values';

/**
 * The family as folded from its stream: what the deciders check invariants against, and
 * what the API and an auditor read. Plain JSON (records keyed by id), never mutated:
 * evolve returns a new state.
 */

export type Member = MemberDetails & { status: 'current' | 'left'; joinedOn: LocalDate; leftOn: LocalDate | null };

export type ContactPerson = {
  personId: string;
  name: string;
  affiliation: Affiliation;
  teamRole: string | null;
  active: boolean;
  joinedAt: string;
  leftAt: string | null;
};

export type NeedStatus = 'open' | 'resolved' | 'withdrawn';

export type Need = {
  needId: string;
  memberId: string | null;
  words: string;
  expressedOn: LocalDate;
  recordedAt: string;
  recordedBy: NeedRecorder;
  status: NeedStatus;
  pickedUpBy: { unit: Unit; at: string }[];
  decisionIds: string[];
  paymentIds: string[];
  resolution: string | null;
  closedAt: string | null;
  withdrawalReason: string | null;
};

export type Consent = {
  consentId: string;
  memberId: string;
  givenByMemberId: string;
  givenAsGuardian: boolean;
  kind: ConsentKind;
  toUnits: Unit[];
  dataCategories: DataCategory[];
  purpose: string;
  validFrom: LocalDate;
  validUntil: LocalDate | null;
  givenAt: string;
  /** Who recorded it: their unit sees the consent even when it is not among toUnits. */
  recordedBy: ActorRef;
  /** The first day it no longer holds, when withdrawn. */
  withdrawnFrom: LocalDate | null;
  withdrawnAt: string | null;
};

export type DecisionStatus = 'proposed' | 'active' | 'rejected' | 'expired' | 'revoked' | 'under-appeal';

export type DecisionHistoryEntry = {
  event: FamilyEventType;
  at: string;
  by: ActorRef;
  delegation: DelegationRef;
  /** A reason, rejection or appeal note where the event has one. */
  note: string | null;
  /** For amendments: the terms that applied before. */
  termsBefore: DecisionTerms | null;
};

export type Decision = DecisionTerms & {
  decisionId: string;
  unit: Unit;
  decisionType: DecisionTypeCode;
  memberIds: string[];
  enkeltvedtak: boolean;
  fourEyes: boolean;
  subProject: SubProjectRef | null;
  delegation: DelegationRef;
  status: DecisionStatus;
  proposedBy: ActorRef;
  proposedAt: string;
  approvedBy: ActorRef | null;
  approvedAt: string | null;
  notifiedOn: LocalDate | null;
  openAppealId: string | null;
  history: DecisionHistoryEntry[];
};

export type Appeal = {
  appealId: string;
  decisionId: string;
  appellantMemberId: string | null;
  grounds: string | null;
  receivedDate: LocalDate;
  deadline: LocalDate;
  late: boolean;
  lateExcuse: string | null;
  status: 'open' | AppealOutcome;
  receivedAt: string;
  decidedAt: string | null;
  outcomeReasons: string | null;
};

export type Payment = {
  paymentId: string;
  recipientMemberId: string;
  amountOre: Ore;
  method: PaymentMethod;
  funding: Funding;
  answersNeedId: string | null;
  answersDecisionId: string | null;
  documentationRef: string;
  paidOn: LocalDate;
  countsAsIncome: boolean;
  recordedAt: string;
  recordedBy: ActorRef;
  reversed: boolean;
  reversedOn: LocalDate | null;
  reversalReason: string | null;
};

export type FamilyDecision = {
  familyDecisionId: string;
  decisions: IncludedDecision[];
  reviewDate: LocalDate;
  responsibleUnit: Unit;
  contactPersonId: string;
  consentIds: string[];
  ruleSetId: string;
  ruleSetVersion: number;
  status: 'in-force' | 'superseded';
  supersededBy: string | null;
  issuedAt: string;
  issuedBy: ActorRef;
};

export type FamilyState = {
  status: 'unregistered' | 'registered';
  familyId: string | null;
  district: string | null;
  registeredAt: string | null;
  /** Who registered the family: their unit has a part in the case from the start. */
  registeredBy: ActorRef | null;
  members: Record<string, Member>;
  team: Record<string, ContactPerson>;
  coordinatingUnit: Unit | null;
  needs: Record<string, Need>;
  consents: Record<string, Consent>;
  decisions: Record<string, Decision>;
  appeals: Record<string, Appeal>;
  payments: Record<string, Payment>;
  familyDecisions: Record<string, FamilyDecision>;
};

export function initialFamilyState(): FamilyState {
  return {
    status: 'unregistered',
    familyId: null,
    district: null,
    registeredAt: null,
    registeredBy: null,
    members: {},
    team: {},
    coordinatingUnit: null,
    needs: {},
    consents: {},
    decisions: {},
    appeals: {},
    payments: {},
    familyDecisions: {},
  };
}
