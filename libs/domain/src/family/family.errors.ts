import { DomainError } from '../shared/domain-error';

/** Refusals of the family decider. Messages speak to a caseworker; details carry the ids. */

// ---- not found (404) ----

export class FamilyNotFound extends DomainError {
  readonly code = 'FAMILY_NOT_FOUND';
  readonly kind = 'not_found';
  constructor() {
    super('This family is not registered.');
  }
}

export class MemberNotFound extends DomainError {
  readonly code = 'MEMBER_NOT_FOUND';
  readonly kind = 'not_found';
  constructor(memberId: string) {
    super(`No member ${memberId} in this family.`, { memberId });
  }
}

export class ContactPersonNotFound extends DomainError {
  readonly code = 'CONTACT_PERSON_NOT_FOUND';
  readonly kind = 'not_found';
  constructor(personId: string) {
    super(`${personId} is not in the team around this family.`, { personId });
  }
}

export class NeedNotFound extends DomainError {
  readonly code = 'NEED_NOT_FOUND';
  readonly kind = 'not_found';
  constructor(needId: string) {
    super(`No need ${needId} is recorded for this family.`, { needId });
  }
}

export class ConsentNotFound extends DomainError {
  readonly code = 'CONSENT_NOT_FOUND';
  readonly kind = 'not_found';
  constructor(consentId: string) {
    super(`No consent ${consentId} is recorded for this family.`, { consentId });
  }
}

export class DecisionNotFound extends DomainError {
  readonly code = 'DECISION_NOT_FOUND';
  readonly kind = 'not_found';
  constructor(decisionId: string) {
    super(`No decision ${decisionId} in this family.`, { decisionId });
  }
}

export class AppealNotFound extends DomainError {
  readonly code = 'APPEAL_NOT_FOUND';
  readonly kind = 'not_found';
  constructor(appealId: string) {
    super(`No appeal ${appealId} in this family.`, { appealId });
  }
}

export class PaymentNotFound extends DomainError {
  readonly code = 'PAYMENT_NOT_FOUND';
  readonly kind = 'not_found';
  constructor(paymentId: string) {
    super(`No payment ${paymentId} in this family.`, { paymentId });
  }
}

// ---- conflicts with the family's current state (409) ----

export class FamilyAlreadyRegistered extends DomainError {
  readonly code = 'FAMILY_ALREADY_REGISTERED';
  readonly kind = 'conflict';
  constructor(familyId: string) {
    super(`Family ${familyId} is already registered.`, { familyId });
  }
}

/** Generic "this id is taken" for members, needs, consents, decisions, appeals, payments. */
export class AlreadyExists extends DomainError {
  readonly code = 'ALREADY_EXISTS';
  readonly kind = 'conflict';
  constructor(what: string, id: string) {
    super(`A ${what} with id ${id} already exists in this family.`, { what, id });
  }
}

export class MemberNotCurrent extends DomainError {
  readonly code = 'MEMBER_NOT_CURRENT';
  readonly kind = 'conflict';
  constructor(memberId: string) {
    super(`Member ${memberId} has left the household.`, { memberId });
  }
}

export class LastAdultCannotLeave extends DomainError {
  readonly code = 'LAST_ADULT';
  readonly kind = 'conflict';
  constructor(memberId: string) {
    super(`Member ${memberId} is the only adult left in the household; a family needs at least one adult.`, { memberId });
  }
}

export class ContactPersonAlreadyInTeam extends DomainError {
  readonly code = 'CONTACT_PERSON_ALREADY_IN_TEAM';
  readonly kind = 'conflict';
  constructor(personId: string) {
    super(`${personId} is already in the team around this family.`, { personId });
  }
}

export class NeedNotOpen extends DomainError {
  readonly code = 'NEED_NOT_OPEN';
  readonly kind = 'conflict';
  constructor(needId: string, status: string) {
    super(`Need ${needId} is already ${status}.`, { needId, status });
  }
}

export class NeedAlreadyPickedUp extends DomainError {
  readonly code = 'NEED_ALREADY_PICKED_UP';
  readonly kind = 'conflict';
  constructor(needId: string, unit: string) {
    super(`${unit} has already picked up need ${needId}.`, { needId, unit });
  }
}

export class ConsentAlreadyWithdrawn extends DomainError {
  readonly code = 'CONSENT_ALREADY_WITHDRAWN';
  readonly kind = 'conflict';
  constructor(consentId: string) {
    super(`Consent ${consentId} has already been withdrawn.`, { consentId });
  }
}

/** The decision's status does not allow the step (approve only proposals, amend only active ones...). */
export class DecisionStatusConflict extends DomainError {
  readonly code = 'DECISION_STATUS_CONFLICT';
  readonly kind = 'conflict';
  constructor(decisionId: string, status: string, action: string, required: string) {
    const hint = status === 'under-appeal' ? ' Decide the open appeal first.' : '';
    super(`Decision ${decisionId} is ${status}; only ${required} decisions can be ${action}.${hint}`, {
      decisionId,
      status,
      required,
    });
  }
}

export class DecisionPeriodNotEnded extends DomainError {
  readonly code = 'DECISION_PERIOD_NOT_ENDED';
  readonly kind = 'conflict';
  constructor(decisionId: string, periodUntil: string) {
    super(`Decision ${decisionId} runs until ${periodUntil}; it can expire from the day after.`, { decisionId, periodUntil });
  }
}

export class AppealAlreadyDecided extends DomainError {
  readonly code = 'APPEAL_ALREADY_DECIDED';
  readonly kind = 'conflict';
  constructor(appealId: string, outcome: string) {
    super(`Appeal ${appealId} has already been decided (${outcome}).`, { appealId, outcome });
  }
}

export class PaymentAlreadyReversed extends DomainError {
  readonly code = 'PAYMENT_ALREADY_REVERSED';
  readonly kind = 'conflict';
  constructor(paymentId: string) {
    super(`Payment ${paymentId} has already been reversed.`, { paymentId });
  }
}

/** The family abandoned this payment (PaymentAbandoned): it will never be recorded, and its spend's money went back. */
export class PaymentWasAbandoned extends DomainError {
  readonly code = 'PAYMENT_ABANDONED';
  readonly kind = 'conflict';
  constructor(paymentId: string) {
    super(`Payment ${paymentId} was not recorded and its money went back to the budget. Send it again as a new payment.`, { paymentId });
  }
}

/** Adults who have not agreed to combining their decisions (samtykke) block a family decision. */
export class ConsentMissing extends DomainError {
  readonly code = 'CONSENT_MISSING';
  readonly kind = 'conflict';
  constructor(memberIds: string[], units: string[], purpose: 'combine-family-decision' | 'coordination' = 'combine-family-decision') {
    super(
      purpose === 'coordination'
        ? `Naming ${units.join(', ')} coordinating unit needs every adult's consent to coordination by it, in force today. Missing for: ${memberIds.join(', ')}.`
        : `A family decision needs every adult's consent, in force today, to combine decisions from ${units.join(', ')}. Missing for: ${memberIds.join(', ')}.`,
      { memberIds, units, purpose },
    );
  }
}

// ---- rule violations (422) ----

export class NoAdultMember extends DomainError {
  readonly code = 'NO_ADULT_MEMBER';
  readonly kind = 'invalid';
  constructor() {
    super('A family is registered with at least one adult member.');
  }
}

export class ConsentGiverNotPermitted extends DomainError {
  readonly code = 'CONSENT_GIVER_NOT_PERMITTED';
  readonly kind = 'invalid';
  constructor(memberId: string, givenByMemberId: string, explanation: string) {
    super(`Member ${givenByMemberId} cannot give consent for member ${memberId}: ${explanation}`, { memberId, givenByMemberId });
  }
}

export class NeedResolutionRequired extends DomainError {
  readonly code = 'NEED_RESOLUTION_REQUIRED';
  readonly kind = 'invalid';
  constructor(needId: string) {
    super(`Say how need ${needId} was met: link the decisions or payments, or describe the resolution.`, { needId });
  }
}

export class CoordinatingUnitNotInTeam extends DomainError {
  readonly code = 'COORDINATING_UNIT_NOT_IN_TEAM';
  readonly kind = 'invalid';
  constructor(unit: string) {
    super(`${unit} has no contact person in the team around the family; add one before naming ${unit} coordinating unit.`, { unit });
  }
}

export class LegalBasisRequired extends DomainError {
  readonly code = 'LEGAL_BASIS_REQUIRED';
  readonly kind = 'invalid';
  constructor() {
    super('An individual decision (enkeltvedtak) must state its legal basis.');
  }
}

export class NothingToAmend extends DomainError {
  readonly code = 'NOTHING_TO_AMEND';
  readonly kind = 'invalid';
  constructor(decisionId: string, termChangeRequired: boolean) {
    const what = termChangeRequired ? 'period, amount or legal basis' : 'period, amount, legal basis or reasons';
    super(`The change to decision ${decisionId} changes nothing: give a new ${what}.`, { decisionId });
  }
}

export class NotAppealable extends DomainError {
  readonly code = 'NOT_APPEALABLE';
  readonly kind = 'invalid';
  constructor(decisionId: string) {
    super(`Decision ${decisionId} is not an individual decision (enkeltvedtak), so it cannot be appealed.`, { decisionId });
  }
}

export class LateAppealWithoutExcuse extends DomainError {
  readonly code = 'LATE_APPEAL_WITHOUT_EXCUSE';
  readonly kind = 'invalid';
  constructor(decisionId: string, deadline: string, receivedDate: string) {
    super(
      `The appeal against decision ${decisionId} arrived on ${receivedDate}, after the deadline ${deadline}. Record why it should still be considered (lateExcuse).`,
      { decisionId, deadline, receivedDate },
    );
  }
}

/** The NAV letter: pilot (sub-project) money must never count as income for social assistance. */
export class PilotPaymentNotIncome extends DomainError {
  readonly code = 'PILOT_PAYMENT_NOT_INCOME';
  readonly kind = 'invalid';
  constructor() {
    super('Payments from a sub-project (pilot money) never count as income when social assistance is assessed.');
  }
}

/** A payment under a decision comes from the deciding unit's budget or the decision's sub-project. */
export class FundingMismatch extends DomainError {
  readonly code = 'FUNDING_MISMATCH';
  readonly kind = 'invalid';
  constructor(decisionId: string, explanation: string) {
    super(`A payment under decision ${decisionId} ${explanation}`, { decisionId });
  }
}

export class ContactPersonNotOfUnit extends DomainError {
  readonly code = 'CONTACT_PERSON_NOT_OF_UNIT';
  readonly kind = 'invalid';
  constructor(personId: string, unit: string) {
    super(`${personId} is not a contact person from ${unit} in the team around the family.`, { personId, unit });
  }
}

// ---- forbidden (403) ----

export class NotApprover extends DomainError {
  readonly code = 'NOT_APPROVER';
  readonly kind = 'forbidden';
  constructor(action: string) {
    super(`Only a user with the approver role (beslutter) in the deciding unit may ${action}.`, { action });
  }
}

export class SelfApproval extends DomainError {
  readonly code = 'SELF_APPROVAL';
  readonly kind = 'forbidden';
  constructor(decisionId: string) {
    super(`You proposed decision ${decisionId}; a second person must approve it (four-eyes principle).`, { decisionId });
  }
}
