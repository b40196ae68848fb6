import type { Decider } from '../shared/decider';
import type { DecisionContext } from '../shared/decision-context';
import { InvalidInput } from '../shared/domain-error';
import {
  assessAppealForm,
  changeDecisionOnAppeal,
  decideSuspension,
  dismissAppeal,
  forwardAppeal,
  prepareAppeal,
  recordAppealOutcome,
  registerAppeal,
  requestSuspension,
  withdrawAppeal,
} from './appeals.decide';
import { recordNotificationReceived, sendNotification } from './notification.decide';
import { issueLetter, recordLetterDelivered } from './letters.decide';
import { giveConsent, withdrawConsent } from './consents.decide';
import { amendDecision, approveDecision, expireDecision, proposeDecision, rejectDecision, revokeDecision } from './decisions.decide';
import { familyDecisionConsequences, issueFamilyDecision } from './family-decision.decide';
import { recordPartyStatement, sendAdvanceNotice } from './decision-advance-notice';
import { endFamilyPlan, recordFamilyPlan, reviewFamilyPlan, reviseFamilyPlan } from './family-plan.decide';
import type { FamilyCommand } from './family.commands';
import type { FamilyEvent } from './family.events';
import { evolveFamily } from './family.evolve';
import { initialFamilyState, type FamilyState } from './family.state';
import { joinMember, leaveMember, registerFamily } from './household.decide';
import { expressNeed, pickUpNeed, resolveNeed, withdrawNeed } from './needs.decide';
import { recordPayment, reversePayment } from './payments.decide';
import { acceptReferral, closeInvolvement, declineReferral, referToUnit } from './parts.decide';
import { endEnrolment, enrolInSubProject } from './enrolments.decide';
import { endParentalResponsibility, recordParentalResponsibility } from './parental-responsibility.decide';
import { joinContactPerson, leaveContactPerson, nameCoordinatingUnit } from './team.decide';
import { eraseDueRecords, requestErasure } from '../retention/erasure.decide';
import { refuseWritingErasedRecords } from './family.guards';

/**
 * Decides a command on one family's stream. Returns the events to append (possibly none)
 * or throws a DomainError; never reads a clock or a random source except through `ctx`.
 */
export function decideFamily(command: FamilyCommand, state: FamilyState, ctx: DecisionContext): FamilyEvent[] {
  // A family decision (and the family plan) follows its parts: the follow-ups join the cause's append.
  const events = decideFamilyCommand(command, state, ctx);
  const all = [...events, ...familyDecisionConsequences(state, events, ctx)];
  // GDPR art. 17: nothing is written under an erased record's key (RECORD_ERASED, before the store's own refusal).
  refuseWritingErasedRecords(state, all);
  return all;
}

/** The command's own events (the switch the OpenAPI problem-code check reads). */
function decideFamilyCommand(command: FamilyCommand, state: FamilyState, ctx: DecisionContext): FamilyEvent[] {
  switch (command.type) {
    case 'RegisterFamily':
      return registerFamily(command, state, ctx);
    case 'JoinMember':
      return joinMember(command, state, ctx);
    case 'LeaveMember':
      return leaveMember(command, state, ctx);
    case 'JoinContactPerson':
      return joinContactPerson(command, state, ctx);
    case 'LeaveContactPerson':
      return leaveContactPerson(command, state, ctx);
    case 'NameCoordinatingUnit':
      return nameCoordinatingUnit(command, state, ctx);
    case 'ExpressNeed':
      return expressNeed(command, state, ctx);
    case 'PickUpNeed':
      return pickUpNeed(command, state, ctx);
    case 'ResolveNeed':
      return resolveNeed(command, state, ctx);
    case 'WithdrawNeed':
      return withdrawNeed(command, state, ctx);
    case 'GiveConsent':
      return giveConsent(command, state, ctx);
    case 'WithdrawConsent':
      return withdrawConsent(command, state, ctx);
    case 'ProposeDecision':
      return proposeDecision(command, state, ctx);
    case 'ApproveDecision':
      return approveDecision(command, state, ctx);
    case 'RejectDecision':
      return rejectDecision(command, state, ctx);
    case 'AmendDecision':
      return amendDecision(command, state, ctx);
    case 'RevokeDecision':
      return revokeDecision(command, state, ctx);
    case 'ExpireDecision':
      return expireDecision(command, state, ctx);
    case 'SendAdvanceNotice':
      return sendAdvanceNotice(command, state, ctx);
    case 'RecordPartyStatement':
      return recordPartyStatement(command, state, ctx);
    case 'SendNotification':
      return sendNotification(command, state, ctx);
    case 'RecordNotificationReceived':
      return recordNotificationReceived(command, state, ctx);
    case 'RegisterAppeal':
      return registerAppeal(command, state, ctx);
    case 'AssessAppealForm':
      return assessAppealForm(command, state, ctx);
    case 'DismissAppeal':
      return dismissAppeal(command, state, ctx);
    case 'PrepareAppeal':
      return prepareAppeal(command, state, ctx);
    case 'ChangeDecisionOnAppeal':
      return changeDecisionOnAppeal(command, state, ctx);
    case 'ForwardAppeal':
      return forwardAppeal(command, state, ctx);
    case 'RecordAppealOutcome':
      return recordAppealOutcome(command, state, ctx);
    case 'WithdrawAppeal':
      return withdrawAppeal(command, state, ctx);
    case 'RequestSuspension':
      return requestSuspension(command, state, ctx);
    case 'DecideSuspension':
      return decideSuspension(command, state, ctx);
    case 'RecordPayment':
      return recordPayment(command, state, ctx);
    case 'ReversePayment':
      return reversePayment(command, state, ctx);
    case 'IssueFamilyDecision':
      return issueFamilyDecision(command, state, ctx);
    case 'RecordParentalResponsibility':
      return recordParentalResponsibility(command, state, ctx);
    case 'EndParentalResponsibility':
      return endParentalResponsibility(command, state, ctx);
    case 'ReferToUnit':
      return referToUnit(command, state, ctx);
    case 'AcceptReferral':
      return acceptReferral(command, state, ctx);
    case 'DeclineReferral':
      return declineReferral(command, state, ctx);
    case 'CloseInvolvement':
      return closeInvolvement(command, state, ctx);
    case 'EnrolInSubProject':
      return enrolInSubProject(command, state, ctx);
    case 'EndEnrolment':
      return endEnrolment(command, state, ctx);
    case 'RecordFamilyPlan':
      return recordFamilyPlan(command, state, ctx);
    case 'ReviseFamilyPlan':
      return reviseFamilyPlan(command, state, ctx);
    case 'ReviewFamilyPlan':
      return reviewFamilyPlan(command, state, ctx);
    case 'EndFamilyPlan':
      return endFamilyPlan(command, state, ctx);
    case 'IssueLetter':
      return issueLetter(command, state, ctx);
    case 'RecordLetterDelivered':
      return recordLetterDelivered(command, state, ctx);
    case 'EraseDueRecords':
      return eraseDueRecords(command, state, ctx);
    case 'RequestErasure':
      return requestErasure(command, state, ctx);
    default:
      throw new InvalidInput('type', `unknown command ${JSON.stringify((command as { type?: unknown }).type)}`);
  }
}

export const familyDecider: Decider<FamilyCommand, FamilyEvent, FamilyState, DecisionContext> = {
  decide: decideFamily,
  evolve: evolveFamily,
  initialState: initialFamilyState,
};
