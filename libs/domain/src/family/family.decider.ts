import type { Decider } from '../shared/decider';
import type { DecisionContext } from '../shared/decision-context';
import { InvalidInput } from '../shared/domain-error';
import { decideAppeal, receiveAppeal } from './appeals.decide';
import { giveConsent, withdrawConsent } from './consents.decide';
import {
  amendDecision,
  approveDecision,
  expireDecision,
  proposeDecision,
  rejectDecision,
  revokeDecision,
} from './decisions.decide';
import { issueFamilyDecision } from './family-decision.decide';
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

/**
 * Decides a command on one family's stream. Returns the events to append (possibly none)
 * or throws a DomainError; never reads a clock or a random source except through `ctx`.
 */
export function decideFamily(command: FamilyCommand, state: FamilyState, ctx: DecisionContext): FamilyEvent[] {
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
    case 'ReceiveAppeal':
      return receiveAppeal(command, state, ctx);
    case 'DecideAppeal':
      return decideAppeal(command, state, ctx);
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
    default:
      throw new InvalidInput('type', `unknown command ${JSON.stringify((command as { type?: unknown }).type)}`);
  }
}

export const familyDecider: Decider<FamilyCommand, FamilyEvent, FamilyState, DecisionContext> = {
  decide: decideFamily,
  evolve: evolveFamily,
  initialState: initialFamilyState,
};
